package output

import (
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
