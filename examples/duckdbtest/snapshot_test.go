package duckdbtest

import (
	"database/sql"
	"os"
	"os/exec"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// TestEveryTableNamesOneRunInItsFooter runs the README's snapshot query: a notebook
// checks that the tables it read were written by one run.
func TestEveryTableNamesOneRunInItsFooter(t *testing.T) {
	dir := outputDir(t)
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ids := map[string]bool{}
	footers := footerRunIDs(t, db, dir)
	files := len(footers)
	for _, id := range footers {
		ids[id] = true
	}
	if files != 7 || len(ids) != 1 {
		t.Errorf("%d tables carry %d run ids (%v), want 7 tables of one run", files, len(ids), ids)
	}
}

// TestARerunWithNothingNewReadsAsOneRun reruns framealign on an unchanged corpus, which
// restamps the evidence tables (pages copied, footer rewritten), and checks with
// DuckDB that the tables read as before and name the new run.
func TestARerunWithNothingNewReadsAsOneRun(t *testing.T) {
	if os.Getenv("FRAMEALIGN_OUT") != "" {
		t.Skip("FRAMEALIGN_OUT is a shared folder: this test needs its own")
	}
	dir := outputDir(t)
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	counts := func() map[string]int64 {
		out := map[string]int64{}
		for _, name := range []string{"documents", "scores", "matches", "phrases", "entities"} {
			var n int64
			q := `select count(*) from read_parquet('` + dir + `/` + name + `.parquet')`
			if err := db.QueryRow(q).Scan(&n); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			out[name] = n
		}
		// A query that uses every column of the evidence, not just the row count.
		var chars int64
		if err := db.QueryRow(`select sum(length(sentence) + length(text) + char_end - char_start) from read_parquet('` + dir + `/matches.parquet')`).Scan(&chars); err != nil {
			t.Fatal(err)
		}
		out["matches chars"] = chars
		return out
	}
	before := counts()
	cmd := exec.Command("go", "run", "./cmd/framealign", "run", "--out", dir,
		"--meta-pattern", "{country}_{session}_{year}.txt", "examples/corpus")
	cmd.Dir = repoRoot
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("framealign rerun: %v\n%s", err, b)
	}
	after := counts()
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: %d before the rerun, %d after", k, v, after[k])
		}
	}
	var runs, lastRun string
	if err := db.QueryRow(`select count(*)::varchar, max(run_id) from read_parquet('`+dir+`/runs.parquet')`).Scan(&runs, &lastRun); err != nil {
		t.Fatal(err)
	}
	if runs != "2" {
		t.Errorf("runs.parquet has %s rows, want 2", runs)
	}
	footers := footerRunIDs(t, db, dir)
	for file, id := range footers {
		if id != lastRun {
			t.Errorf("%s names run %s, the last run is %s", file, id, lastRun)
		}
	}
	files := len(footers)
	if files != 7 {
		t.Errorf("%d tables carry a run id, want 7", files)
	}
}

// footerRunIDs runs the README's snapshot query: the run id in each table's footer.
func footerRunIDs(t *testing.T, db *sql.DB, dir string) map[string]string {
	t.Helper()
	rows, err := db.Query(`select file_name, decode(value) from parquet_kv_metadata('` + dir + `/*.parquet') where decode(key) = 'framealign.run_id'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	ids := map[string]string{}
	for rows.Next() {
		var file, id string
		if err := rows.Scan(&file, &id); err != nil {
			t.Fatal(err)
		}
		ids[file] = id
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}
