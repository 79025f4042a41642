package testfiles

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRepoRootFromANestedModule: from a module nested in the repository (beam/),
// RepoRoot is the repository's root, not the nested module's folder.
func TestRepoRootFromANestedModule(t *testing.T) {
	root := RepoRoot()
	if modulePath(filepath.Join(root, "go.mod")) != MainModule {
		t.Fatalf("RepoRoot() = %s, whose go.mod is not %s", root, MainModule)
	}
	nested := filepath.Join(t.TempDir(), "repo")
	sub := filepath.Join(nested, "beam", "fabeam")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(nested, "go.mod"), []byte("module "+MainModule+"\n\ngo 1.26.0\n"), 0o644)
	os.WriteFile(filepath.Join(nested, "beam", "go.mod"), []byte("module "+MainModule+"/beam\n"), 0o644)
	t.Chdir(sub)
	if got, _ := filepath.EvalSymlinks(RepoRoot()); got != mustEval(t, nested) {
		t.Errorf("RepoRoot() from %s = %s, want %s", sub, got, nested)
	}
	if got, _ := filepath.EvalSymlinks(ModuleRoot()); got != mustEval(t, filepath.Join(nested, "beam")) {
		t.Errorf("ModuleRoot() = %s", got)
	}
	t.Setenv("FRAMEALIGN_SHARED", "")
	if got := Shared("corpora"); got != filepath.Join(RepoRoot(), "..", "shared", "corpora") {
		t.Errorf("Shared = %s", got)
	}
}

func mustEval(t *testing.T, p string) string {
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
