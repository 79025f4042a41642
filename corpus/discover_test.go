package corpus

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/framealign/framealign/internal/testfiles"
)

func relPaths(files []File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.RelPath)
	}
	return out
}

func TestDiscoverRealUNGDCCorpus(t *testing.T) {
	root := testfiles.Shared("corpora/ungdc")
	if _, err := os.Stat(root); err != nil {
		t.Skip("shared UNGDC corpus not present:", err)
	}
	d, err := Discover([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Files) != 1551 {
		t.Errorf("found %d files, want the 1,551 speeches", len(d.Files))
	}
	for _, f := range d.Files {
		if !strings.HasSuffix(f.RelPath, ".txt") || strings.Contains(f.RelPath, "/._") || f.Root != root {
			t.Errorf("unexpected file %+v", f)
		}
	}
	var appleDouble, dsStore int
	for _, s := range d.Skipped {
		switch {
		case strings.HasPrefix(filepath.Base(s.RelPath), "._"):
			appleDouble++
		case filepath.Base(s.RelPath) == ".DS_Store":
			dsStore++
		default:
			t.Errorf("unexpected skip %+v", s)
		}
	}
	if appleDouble != 1553 || dsStore != 2 {
		t.Errorf("skipped %d AppleDouble and %d .DS_Store files, want 1553 and 2", appleDouble, dsStore)
	}
	if len(d.Problems) != 0 {
		t.Errorf("problems: %v", d.Problems)
	}
	rels := relPaths(d.Files)
	if !sort.StringsAreSorted(rels) {
		t.Error("files are not in lexical order")
	}
	want := "Session 79 - 2024/CHN_79_2024.txt"
	if i := sort.SearchStrings(rels, want); i == len(rels) || rels[i] != want {
		t.Errorf("%s not among the files", want)
	}
}

func TestDiscoverSkipsAppleDoubleAndDSStore(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a/speech.txt", []byte("Peace."))
	writeFile(t, dir, "a/._speech.txt", []byte("\x00\x05\x16\x07 AppleDouble"))
	writeFile(t, dir, "a/.DS_Store", []byte("\x00\x00\x00\x01Bud1"))
	writeFile(t, dir, ".git/config", []byte("[core]"))
	writeFile(t, dir, "__MACOSX/a/._speech.txt", []byte("x"))
	d, err := Discover([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if got := relPaths(d.Files); len(got) != 1 || got[0] != "a/speech.txt" {
		t.Errorf("files %v, want [a/speech.txt]", got)
	}
	reasons := map[string]string{}
	for _, s := range d.Skipped {
		reasons[s.RelPath] = s.Reason
	}
	want := map[string]string{
		".git":           "hidden folder",
		"__MACOSX":       "macOS archive debris (__MACOSX)",
		"a/._speech.txt": "macOS AppleDouble file (._*), not a document",
		"a/.DS_Store":    "macOS Finder metadata (.DS_Store)",
	}
	if len(reasons) != len(want) {
		t.Errorf("skipped %v, want %v", reasons, want)
	}
	for k, v := range want {
		if reasons[k] != v {
			t.Errorf("skip reason for %s: %q, want %q", k, reasons[k], v)
		}
	}
}

func TestDiscoverSymlinkLoopEnds(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "corpus/one.txt", []byte("One."))
	writeFile(t, dir, "corpus/sub/two.txt", []byte("Two."))
	// sub/up points to its parent: following it naively would never end.
	if err := os.Symlink("..", filepath.Join(dir, "corpus/sub/up")); err != nil {
		t.Skip("symbolic links not available:", err)
	}
	d, err := Discover([]string{filepath.Join(dir, "corpus")})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(relPaths(d.Files), ","); got != "one.txt,sub/two.txt" {
		t.Errorf("files %s, want each file once: one.txt,sub/two.txt", got)
	}
	if len(d.Problems) != 1 || d.Problems[0].RelPath != "sub/up" || !strings.HasPrefix(d.Problems[0].Reason, "symbolic link loop") {
		t.Errorf("problems %+v, want one symbolic link loop at sub/up", d.Problems)
	}
}

func TestDiscoverFollowsSymlinksOnce(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "elsewhere/extra.txt", []byte("Extra."))
	writeFile(t, dir, "corpus/main.txt", []byte("Main."))
	if err := os.Symlink(filepath.Join(dir, "elsewhere"), filepath.Join(dir, "corpus/linked")); err != nil {
		t.Skip("symbolic links not available:", err)
	}
	os.Symlink(filepath.Join(dir, "corpus/main.txt"), filepath.Join(dir, "corpus/alias.txt"))
	os.Symlink(filepath.Join(dir, "nowhere.txt"), filepath.Join(dir, "corpus/broken.txt"))
	d, err := Discover([]string{filepath.Join(dir, "corpus")})
	if err != nil {
		t.Fatal(err)
	}
	// alias.txt sorts first, so it is the one listed; main.txt is the same file.
	if got := strings.Join(relPaths(d.Files), ","); got != "alias.txt,linked/extra.txt" {
		t.Errorf("files %s, want alias.txt,linked/extra.txt", got)
	}
	got := map[string]string{}
	for _, p := range d.Problems {
		got[p.RelPath] = p.Reason
	}
	if got["broken.txt"] != "broken symbolic link (its target does not exist)" || !strings.HasPrefix(got["main.txt"], `same file as "alias.txt"`) || len(got) != 2 {
		t.Errorf("problems %v", got)
	}
}

func TestDiscoverNamesWithSpacesUnicodeAndNewlines(t *testing.T) {
	dir := t.TempDir()
	names := []string{"Session 70 - 2015/CHN_70_2015.txt", "Déclaration de l’Élysée.txt", "line\nbreak.txt", "日本語/演説.md"}
	for _, n := range names {
		writeFile(t, dir, n, []byte("Text of "+n))
	}
	d, err := Discover([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	want := append([]string(nil), names...)
	sort.Strings(want)
	if got := relPaths(d.Files); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("files %q, want %q", got, want)
	}
	for _, f := range d.Files {
		doc := readOne(t, f.Path)
		if doc.Text != "Text of "+f.RelPath {
			t.Errorf("%q read as %q", f.RelPath, doc.Text)
		}
	}
}

func TestDiscoverSortsFormatsAndRefusesUnknownOnes(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "notes", []byte("Plain text without an extension.\n"))
	writeFile(t, dir, "blob", []byte("\x7fELF\x02\x01\x01\x00\x00\x00"))
	writeFile(t, dir, "slides.pptx", []byte("PK\x03\x04"))
	writeFile(t, dir, "archive.tar.gz", []byte("\x1f\x8b"))
	writeFile(t, dir, "SPEECH.TXT", []byte("Upper-case extension."))
	writeFile(t, dir, "records.ndjson.gz", gzipBytes(t, []byte(`{"text":"x"}`)))
	d, err := Discover([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(relPaths(d.Files), ","); got != "SPEECH.TXT,notes,records.ndjson.gz" {
		t.Errorf("files %s", got)
	}
	got := map[string]string{}
	for _, p := range d.Problems {
		got[p.RelPath] = p.Reason
	}
	want := map[string]string{
		"blob":           "unsupported format: no extension and not text (framealign reads .txt .md .html .jsonl .csv .tsv .pdf .xlsx .docx .odt, optionally .gz)",
		"slides.pptx":    "unsupported format .pptx (framealign reads .txt .md .html .jsonl .csv .tsv .pdf .xlsx .docx .odt, optionally .gz)",
		"archive.tar.gz": "unsupported format .tar.gz (framealign reads .txt .md .html .jsonl .csv .tsv .pdf .xlsx .docx .odt, optionally .gz)",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("problem for %s: %q, want %q", k, got[k], v)
		}
	}
}

func TestDiscoverFileGivenDirectly(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "Session 70 - 2015/CHN_70_2015.txt", []byte("Speech."))
	d, err := Discover([]string{p, p})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Files) != 1 || d.Files[0].RelPath != "CHN_70_2015.txt" || d.Files[0].Root != p || d.Files[0].Size != 7 {
		t.Errorf("files %+v, want CHN_70_2015.txt once, 7 bytes", d.Files)
	}
	if len(d.Problems) != 1 {
		t.Errorf("naming the file twice: problems %+v, want one", d.Problems)
	}
}

func TestDiscoverMissingRootFails(t *testing.T) {
	_, err := Discover([]string{filepath.Join(t.TempDir(), "no-such-corpus")})
	if err == nil || !strings.HasSuffix(err.Error(), "no-such-corpus: no such file or folder") {
		t.Errorf("got %v, want a no such file or folder error", err)
	}
}

func TestReadWholeUNGDCCorpus(t *testing.T) {
	root := testfiles.Shared("corpora/ungdc")
	if _, err := os.Stat(root); err != nil {
		t.Skip("shared UNGDC corpus not present:", err)
	}
	d, err := Discover([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	encodings := map[string]int{}
	var bytesRead int
	for _, f := range d.Files {
		var n int
		_, err := Read(f, Options{}, func(doc Document) error {
			n++
			encodings[doc.Encoding]++
			bytesRead += len(doc.Text)
			if doc.ID != f.RelPath || strings.Contains(doc.Text, "\r") || strings.HasPrefix(doc.Text, "\uFEFF") {
				t.Errorf("%s: id %q, or text keeps a CR or BOM", f.RelPath, doc.ID)
			}
			return nil
		})
		if err != nil || n != 1 {
			t.Errorf("%s: %d documents, error %v", f.RelPath, n, err)
		}
	}
	// Every speech is UTF-8; some were saved with a byte order mark.
	if encodings["utf-8"]+encodings["utf-8-bom"] != 1551 || encodings["utf-8-bom"] == 0 {
		t.Errorf("encodings %v", encodings)
	}
	t.Logf("read %d speeches, %d bytes of text, encodings %v", len(d.Files), bytesRead, encodings)
}
