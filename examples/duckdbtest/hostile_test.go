package duckdbtest

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// TestTablesOfAFileNameThatIsNotUTF8ReadInDuckDB runs framealign on a corpus holding a
// file whose name is not UTF-8 (issue #18: DuckDB refused the tables with "Invalid
// string encoding") and reads every table with DuckDB: the escaped name is in doc_id
// and source, the raw bytes in source_raw.
func TestTablesOfAFileNameThatIsNotUTF8ReadInDuckDB(t *testing.T) {
	corpus := t.TempDir()
	raw := "d\xe9claration \xff.txt"
	if err := os.WriteFile(filepath.Join(corpus, raw), []byte("We call for dialogue and win-win cooperation.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(corpus, "caf\xe9.docx"), []byte("PK"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command("go", "run", "./cmd/framealign", "run", "--out", out, "--quiet", corpus)
	cmd.Dir = repoRoot
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("framealign run: %v\n%s", err, b)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, name := range []string{"documents", "scores", "matches", "phrases", "entities", "errors", "runs"} {
		var n int64
		if err := db.QueryRow(`select count(*) from (select * from read_parquet('` + out + `/` + name + `.parquet'))`).Scan(&n); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	var docID string
	var sourceRaw []byte
	if err := db.QueryRow(`select doc_id, source_raw from read_parquet('`+out+`/documents.parquet') where not is_reference`).Scan(&docID, &sourceRaw); err != nil {
		t.Fatal(err)
	}
	if docID != `d\xe9claration \xff.txt` || string(sourceRaw) != raw {
		t.Errorf("doc_id %q, source_raw %q", docID, sourceRaw)
	}
	var errSource string
	if err := db.QueryRow(`select source from read_parquet('` + out + `/errors.parquet')`).Scan(&errSource); err != nil || errSource != `caf\xe9.docx` {
		t.Errorf("errors.source %q, %v", errSource, err)
	}
}
