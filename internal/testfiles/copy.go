// Package testfiles helps tests work on copies of the repository's test corpora, so
// that they may add, change and delete files (the committed copies are read-only in
// a fresh clone of a read-only checkout, and must stay as they are).
package testfiles

import (
	"os"
	"path/filepath"
	"testing"
)

// CopyDir copies the tree under src to dst (created as needed), failing the test on
// any error. The copies are writable whatever the originals' permissions.
func CopyDir(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// CopyFile copies the file src to dst, creating dst's folder as needed, failing the
// test on any error.
func CopyFile(t testing.TB, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err == nil {
		err = os.MkdirAll(filepath.Dir(dst), 0o755)
	}
	if err == nil {
		err = os.WriteFile(dst, b, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}
