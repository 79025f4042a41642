package corpus

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestScreenAgreesWithDiscover: for every file of a tree with debris, unsupported
// formats and files without extension, Screen says what Discover did with it, in the
// same words, and SkippedUnder names Discover's Skipped entry.
func TestScreenAgreesWithDiscover(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.txt":                 "A speech.",
		"b/c.md":                "# Title\n\nText.",
		"b/data.xyz":            "what",
		"b/old.doc":             "\xd0\xcf\x11\xe0",
		"b/archive.tar.gz":      "x",
		"README":                "plain text without extension",
		"blob":                  "\x00\x01\x02\x03\x00\x00binary",
		".hidden.txt":           "x",
		"b/._c.md":              "x",
		"b/.DS_Store":           "x",
		"__MACOSX/b/c.md":       "x",
		".git/objects/x.txt":    "x",
		"Thumbs.db":             "x",
		"deep/er/still/doc.txt": "text",
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := Discover([]string{dir}, DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	listed, skipped, problems := map[string]bool{}, map[string]bool{}, map[string]string{}
	for _, f := range d.Files {
		listed[f.RelPath] = true
	}
	for _, s := range d.Skipped {
		skipped[s.RelPath] = true
	}
	for _, p := range d.Problems {
		problems[p.RelPath] = p.Reason
	}
	err = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		skip, problem := Screen(rel, func() ([]byte, error) { return readHead(p) })
		under := SkippedUnder(rel)
		switch {
		case listed[rel]:
			if skip != "" || problem != "" {
				t.Errorf("%s: Discover lists it, Screen says skip %q problem %q", rel, skip, problem)
			}
		case problems[rel] != "":
			if problem != problems[rel] || skip != "" {
				t.Errorf("%s: Discover's problem %q, Screen's %q (skip %q)", rel, problems[rel], problem, skip)
			}
		default:
			if skip == "" || !skipped[under] {
				t.Errorf("%s: Discover skipped it (entries %v), Screen says skip %q under %q", rel, skipped, skip, under)
			}
		}
		if (skip == "") != (under == "") {
			t.Errorf("%s: Screen skip %q but SkippedUnder %q", rel, skip, under)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(listed) != 4 || len(problems) != 4 {
		t.Errorf("the tree should give 4 files and 4 problems: %v %v", listed, problems)
	}
}

// TestCheckSizeIsReadsVerdict: CheckSize refuses what ReadBytes refuses for its size,
// in the same words, and lets through what ReadBytes reads.
func TestCheckSizeIsReadsVerdict(t *testing.T) {
	opts := Options{MaxBytes: 10}
	for _, c := range []struct {
		name    string
		content string
	}{
		{"a.txt", "short"}, {"a.txt", "longer than ten bytes"}, {"a.txt", ""},
		{"a.jsonl", `{"id":"x","text":"longer than ten bytes"}`}, {"a.xyz", "x"},
	} {
		_, readErr := ReadBytes(c.name, []byte(c.content), opts, func(Document) error { return nil })
		err := CheckSize(c.name, int64(len(c.content)), opts)
		if err != nil && (readErr == nil || err.Error() != readErr.Error()) {
			t.Errorf("%s (%d bytes): CheckSize %v, ReadBytes %v", c.name, len(c.content), err, readErr)
		}
		if err == nil && c.name == "a.txt" && readErr != nil {
			t.Errorf("%s (%d bytes): CheckSize passed what ReadBytes refused: %v", c.name, len(c.content), readErr)
		}
	}
	if CheckSize("a.txt", 11, opts) == nil || CheckSize("a.jsonl", 11, opts) != nil {
		t.Error("the size limit holds for one-document files only")
	}
}
