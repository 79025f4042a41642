package testfiles

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
)

// Shared returns the path of a file or folder of the shared data folder that sits
// beside the repository (../shared from the repository's root: corpora, gold sets,
// the seed article), whatever the package folder, or module of the repository (such
// as beam/), the test runs in. FRAMEALIGN_SHARED
// names another location. The path is returned whether or not it exists; tests skip
// when it does not.
func Shared(elem ...string) string {
	root := os.Getenv("FRAMEALIGN_SHARED")
	if root == "" {
		root = filepath.Join(RepoRoot(), "..", "shared")
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

// MainModule is the module path of the repository's root go.mod.
const MainModule = "github.com/framealign/framealign"

// RepoRoot returns the repository's root: the nearest folder above the current one
// whose go.mod declares MainModule (a module nested in the repository, such as
// beam/, has its own go.mod), or ModuleRoot when there is none.
func RepoRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ModuleRoot()
	}
	for {
		if modulePath(filepath.Join(dir, "go.mod")) == MainModule {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ModuleRoot()
		}
		dir = parent
	}
}

// modulePath is the module path a go.mod declares, or "".
func modulePath(gomod string) string {
	f, err := os.Open(gomod)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}
