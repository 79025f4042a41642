package duckdbtest

import (
	"database/sql"
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
	rows, err := db.Query(`select file_name, decode(value) from parquet_kv_metadata('` + dir + `/*.parquet') where decode(key) = 'framealign.run_id'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	ids := map[string]bool{}
	files := 0
	for rows.Next() {
		var file, id string
		if err := rows.Scan(&file, &id); err != nil {
			t.Fatal(err)
		}
		files++
		ids[id] = true
	}
	if files != 7 || len(ids) != 1 {
		t.Errorf("%d tables carry %d run ids (%v), want 7 tables of one run", files, len(ids), ids)
	}
}
