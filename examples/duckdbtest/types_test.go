package duckdbtest

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

// runFramealign runs `framealign run` from the repository root and returns the output
// folder.
func runFramealign(t *testing.T, args ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command("go", append([]string{"run", "./cmd/framealign", "run", "--out", out, "--quiet"}, args...)...)
	cmd.Dir = repoRoot
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("framealign run %v: %v\n%s", args, err, b)
	}
	return out
}

// describe is DuckDB's type of every column of a table.
func describe(t *testing.T, db *sql.DB, table string) map[string]string {
	t.Helper()
	rows, err := db.Query(`select column_name, column_type from (describe select * from read_parquet('` + table + `'))`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	types := map[string]string{}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			t.Fatal(err)
		}
		types[name] = typ
	}
	return types
}

func wantTypes(t *testing.T, got, want map[string]string) {
	t.Helper()
	for col, typ := range want {
		if got[col] != typ {
			t.Errorf("column %s is %q in DuckDB, want %s", col, got[col], typ)
		}
	}
}

// whiteHouseOut is an output folder of White House statements: FRAMEALIGN_WH_OUT when
// set (a run over the whole corpus), else a run over the sample in testdata.
func whiteHouseOut(t *testing.T) string {
	if dir := os.Getenv("FRAMEALIGN_WH_OUT"); dir != "" {
		return dir
	}
	return runFramealign(t, "testdata/whitehouse/statements-releases")
}

// TestFrontMatterTypesInDuckDB checks the types a notebook sees on White House
// statements: the front matter's quoted date is a DATE and its date-times with an
// offset are TIMESTAMPs in UTC, so order by, date_trunc and comparisons work without
// a cast.
func TestFrontMatterTypesInDuckDB(t *testing.T) {
	dir := whiteHouseOut(t)
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	docs := filepath.Join(dir, "documents.parquet")
	types := describe(t, db, docs)
	t.Logf("documents.parquet in DuckDB: %v", types)
	wantTypes(t, types, map[string]string{
		"date": "DATE", "published_time": "TIMESTAMP", "modified_time": "TIMESTAMP",
		"tags": "VARCHAR", "source_url": "VARCHAR", "title": "VARCHAR", "alignment": "DOUBLE",
	})
	var published time.Time
	var day time.Time
	err = db.QueryRow(`select published_time, date from read_parquet('`+docs+`')
		where doc_id like '%meeting-with-president-xi-jinping-of-the-peoples-republic-of-china-2.md'`).Scan(&published, &day)
	if err != nil {
		t.Fatal(err)
	}
	// Front matter: date: '2023-11-15', published_time: 2023-11-15 21:09:53-05:00.
	if !published.Equal(time.Date(2023, 11, 16, 2, 9, 53, 0, time.UTC)) || day.Format(time.DateOnly) != "2023-11-15" {
		t.Errorf("published_time %v, date %v", published, day)
	}
	var n, months int
	if err := db.QueryRow(`select count(*), count(distinct date_trunc('month', date)) from read_parquet('`+docs+`')
		where not is_reference and date >= date '2021-01-01' and published_time > timestamp '2021-01-01 00:00:00'`).Scan(&n, &months); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("FRAMEALIGN_WH_OUT") == "" && (n != 6 || months != 5) {
		t.Errorf("%d statements over %d months, want the sample's 6 over 5", n, months)
	}
	t.Logf("%d statements over %d months", n, months)
}

// TestREADMEMonthlyQueryRuns runs the DuckDB query of the README's scheduled-rerun
// section (the fenced sql block after its "checked by examples/duckdbtest" comment)
// on White House statements.
func TestREADMEMonthlyQueryRuns(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- checked by examples/duckdbtest: monthly -->\\s*```sql\n(.*?)```").FindSubmatch(b)
	if m == nil {
		t.Fatal("README.md has no sql block marked <!-- checked by examples/duckdbtest: monthly -->")
	}
	dir := whiteHouseOut(t)
	q := strings.ReplaceAll(string(m[1]), "'wh-out/", "'"+filepath.ToSlash(dir)+"/")
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows := run(t, db, "README monthly", q)
	if os.Getenv("FRAMEALIGN_WH_OUT") == "" && len(rows) != 5 {
		t.Errorf("%d months, want the sample's 5", len(rows))
	}
	if _, ok := rows[0]["month"].(time.Time); !ok {
		t.Errorf("month is %T, want a date", rows[0]["month"])
	}
}

// TestRecordAndFileNameTypesInDuckDB checks the other kinds: JSONL numbers, booleans
// and lists, a CSV's cells typed by their form, a --meta-pattern whose parts are all
// digits (the UN corpus's session and year stay BIGINT), a column whose values
// disagree (VARCHAR, as written), and nested objects as JSON text.
func TestRecordAndFileNameTypesInDuckDB(t *testing.T) {
	corpus := filepath.Join(t.TempDir(), "corpus")
	os.MkdirAll(corpus, 0o755)
	os.WriteFile(filepath.Join(corpus, "statements.jsonl"), []byte(
		`{"id":"s1","text":"China and the United States should pursue win-win cooperation.","topics":["china","trade"],"share":0.25,"official":true,"speaker":{"name":"Wang Yi"},"code":"007"}`+"\n"+
			`{"id":"s2","text":"Dialogue and consultation should manage differences.","topics":["dialogue"],"share":1,"official":false,"code":"A12"}`+"\n"), 0o644)
	os.WriteFile(filepath.Join(corpus, "speeches.csv"), []byte("id,text,held_on,count\nc1,Multilateralism remains our compass.,2015-09-28,3\n"), 0o644)
	sub := filepath.Join(corpus, "Session 70 - 2015")
	os.MkdirAll(sub, 0o755)
	os.WriteFile(filepath.Join(sub, "CHN_70_2015.txt"), []byte("We call for a new model of major-country relations and win-win cooperation.\n"), 0o644)
	dir := runFramealign(t, corpus, "--meta-pattern", "{country}_{session}_{year}.txt")
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	docs := filepath.Join(dir, "documents.parquet")
	types := describe(t, db, docs)
	wantTypes(t, types, map[string]string{
		"topics": "VARCHAR[]", "share": "DOUBLE", "official": "BOOLEAN", "speaker": "VARCHAR", "code": "VARCHAR",
		"held_on": "DATE", "count": "BIGINT", "country": "VARCHAR", "session": "BIGINT", "year": "BIGINT",
	})
	var name string
	var year int64
	if err := db.QueryRow(`select json_extract_string(speaker, '$.name'), (select year from read_parquet('`+docs+`') where country = 'CHN')
		from read_parquet('`+docs+`') where list_contains(topics, 'china')`).Scan(&name, &year); err != nil {
		t.Fatal(err)
	}
	if name != "Wang Yi" || year != 2015 {
		t.Errorf("speaker %q, year %d", name, year)
	}
}
