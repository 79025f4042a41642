package testfiles

import (
	"os"
	"path/filepath"
)

// Shared returns the path of a file or folder of the shared data folder that sits
// beside the repository (../shared from the module root: corpora, gold sets, the
// seed article), whatever the package folder the test runs in. FRAMEALIGN_SHARED
// names another location. The path is returned whether or not it exists; tests skip
// when it does not.
func Shared(elem ...string) string {
	root := os.Getenv("FRAMEALIGN_SHARED")
	if root == "" {
		root = filepath.Join(ModuleRoot(), "..", "shared")
	}
	return filepath.Join(append([]string{root}, elem...)...)
}

// ModuleRoot returns the folder of the go.mod that holds the current folder (the
// repository's root for the main module's tests), or "." when there is none.
func ModuleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return "."
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "."
		}
		dir = parent
	}
}
