// Package atomicfile writes a file whole or not at all: to a temporary file beside it,
// synced, then renamed into place, so a reader (a browser, a scheduler, go:embed) never
// sees half a file and a crash leaves the previous one. The run's tables have their
// own commit (output.Commit), which renames several files as one.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write replaces path with data, readable by all (0644). The temporary file is hidden
// (".NAME.tmp-*") and removed if anything fails.
func Write(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
