package output

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

func TestRecoverCommitRemovesOnlyItsOwnTemporaries(t *testing.T) {
	dir := t.TempDir()
	own := []string{".scores.parquet.tmp-20260101T020304.123456Z", ".documents.parquet.tmp-20251231T235959.000001Z"}
	users := []string{".notes.tmp-1", ".documents.parquet.tmp-mine", "draft.tmp-2", ".my.tmp-notes.parquet",
		".scores.parquet.tmp-20260101T020304.123456Z.bak", "documents.parquet"}
	for _, n := range append(append([]string{}, own...), users...) {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := RecoverCommit(dir); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	sort.Strings(left)
	want := append([]string{}, users...)
	sort.Strings(want)
	if len(left) != len(want) {
		t.Fatalf("left %v, want the user's files %v", left, want)
	}
	for i := range want {
		if left[i] != want[i] {
			t.Fatalf("left %v, want the user's files %v", left, want)
		}
	}
}

func TestRowReaderReadsWhatReadRowsReads(t *testing.T) {
	dir := t.TempDir()
	tab, err := CreateTable[Score](dir, ScoresTable, "r1")
	if err != nil {
		t.Fatal(err)
	}
	var want []Score
	for i := 0; i < 5000; i++ {
		want = append(want, Score{DocID: fmt.Sprintf("d%d", i/14), Dimension: fmt.Sprintf("dim%d", i%14), Hits: int64(i)})
	}
	if err := tab.Write(want...); err != nil {
		t.Fatal(err)
	}
	if err := tab.Close(); err != nil {
		t.Fatal(err)
	}
	if err := Commit(dir, "r1", []string{ScoresTable}); err != nil {
		t.Fatal(err)
	}
	r, err := OpenRowReader[Score](filepath.Join(dir, ScoresTable))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []Score
	for row, ok := r.Next(); ok; row, ok = r.Next() {
		got = append(got, row)
	}
	if r.Err() != nil || len(got) != len(want) {
		t.Fatalf("%d rows, %v", len(got), r.Err())
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("row %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}
