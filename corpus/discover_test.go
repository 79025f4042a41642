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
	d, err := Discover([]string{root}, DiscoverOptions{})
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
	d, err := Discover([]string{dir}, DiscoverOptions{})
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
	d, err := Discover([]string{filepath.Join(dir, "corpus")}, DiscoverOptions{})
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
	// elsewhere is outside the corpus: followed only when asked.
	d, err := Discover([]string{filepath.Join(dir, "corpus")}, DiscoverOptions{FollowOutside: true})
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
	d, err := Discover([]string{dir}, DiscoverOptions{})
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
	d, err := Discover([]string{dir}, DiscoverOptions{})
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
	d, err := Discover([]string{p, p}, DiscoverOptions{})
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
	_, err := Discover([]string{filepath.Join(t.TempDir(), "no-such-corpus")}, DiscoverOptions{})
	if err == nil || !strings.HasSuffix(err.Error(), "no-such-corpus: no such file or folder") {
		t.Errorf("got %v, want a no such file or folder error", err)
	}
}

func TestReadWholeUNGDCCorpus(t *testing.T) {
	root := testfiles.Shared("corpora/ungdc")
	if _, err := os.Stat(root); err != nil {
		t.Skip("shared UNGDC corpus not present:", err)
	}
	d, err := Discover([]string{root}, DiscoverOptions{})
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

// Links that leave the corpus are not followed unless asked, and each is listed as a
// problem that names its target; a link to / does not walk the file system.
func TestDiscoverDoesNotLeaveTheCorpusThroughLinks(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "corpus/main.txt", []byte("Main."))
	writeFile(t, dir, "corpus/sub/inner.txt", []byte("Inner."))
	writeFile(t, dir, "secret/passwords.txt", []byte("hunter2"))
	for link, target := range map[string]string{
		"corpus/root":       "/",
		"corpus/secret":     filepath.Join(dir, "secret"),
		"corpus/pw.txt":     filepath.Join(dir, "secret/passwords.txt"),
		"corpus/inner.txt":  filepath.Join(dir, "corpus/sub/inner.txt"), // inside: followed (and read once)
		"corpus/sub/up.txt": "../main.txt",
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Skip("symbolic links not available:", err)
		}
	}
	d, err := Discover([]string{filepath.Join(dir, "corpus")}, DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(relPaths(d.Files), ","); got != "inner.txt,main.txt" {
		t.Errorf("files %s, want inner.txt,main.txt", got)
	}
	problems := map[string]string{}
	for _, p := range d.Problems {
		problems[p.RelPath] = p.Reason
	}
	for _, link := range []string{"root", "secret", "pw.txt"} {
		if !strings.Contains(problems[link], "outside the corpus: not followed (--follow-outside follows it)") {
			t.Errorf("%s: %q", link, problems[link])
		}
	}
	if !strings.Contains(problems["root"], "symbolic link to /,") {
		t.Errorf("the reason does not name the target: %q", problems["root"])
	}
	// sub/inner.txt and sub/up.txt are the files already listed through other names.
	if len(problems) != 5 {
		t.Errorf("problems %v", problems)
	}
	// Two roots: a link from one into the other stays in the corpus.
	d, err = Discover([]string{filepath.Join(dir, "corpus"), filepath.Join(dir, "secret")}, DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(relPaths(d.Files), ","); got != "inner.txt,main.txt,pw.txt" { // secret/ is read once, through the link
		t.Errorf("files %s", got)
	}
}

// The output folder inside a corpus folder is skipped whole; an output folder that is
// the corpus folder itself has its own files skipped, the documents read.
func TestDiscoverSkipsTheOutputFolder(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "speech.txt", []byte("Peace."))
	writeFile(t, dir, "out/documents.parquet", []byte("PAR1"))
	writeFile(t, dir, "out/notes.txt", []byte("mine"))
	d, err := Discover([]string{dir}, DiscoverOptions{Out: filepath.Join(dir, "out")})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(relPaths(d.Files), ","); got != "speech.txt" || len(d.Problems) != 0 {
		t.Errorf("files %s, problems %v", got, d.Problems)
	}
	if len(d.Skipped) != 1 || d.Skipped[0].RelPath != "out" || d.Skipped[0].Reason != SkippedOutput {
		t.Errorf("skipped %+v", d.Skipped)
	}
	writeFile(t, dir, "runs.parquet", []byte("PAR1"))
	writeFile(t, dir, "report.html", []byte("<html>"))
	d, err = Discover([]string{dir}, DiscoverOptions{Out: dir})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(relPaths(d.Files), ","); got != "out/notes.txt,speech.txt" || len(d.Problems) != 1 {
		t.Errorf("files %s, problems %v (out/documents.parquet is a user's file here)", got, d.Problems)
	}
	if len(d.Skipped) != 2 {
		t.Errorf("skipped %+v, want runs.parquet and report.html", d.Skipped)
	}
}

// A name that is not UTF-8 is escaped in RelPath (\xNN per invalid byte) and kept
// as it is in RawRelPath; the file is read through its real name.
func TestDiscoverEscapesNamesThatAreNotUTF8(t *testing.T) {
	dir := t.TempDir()
	raw := "caf\xe9/d\xe9claration \xff.txt"
	writeFile(t, dir, raw, []byte("Win-win cooperation."))
	d, err := Discover([]string{dir}, DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Files) != 1 {
		t.Fatalf("files %+v", d.Files)
	}
	f := d.Files[0]
	if f.RelPath != `caf\xe9/d\xe9claration \xff.txt` || f.RawRelPath != raw {
		t.Errorf("RelPath %q RawRelPath %q", f.RelPath, f.RawRelPath)
	}
	var docs []Document
	if _, err := Read(f, Options{}, func(doc Document) error { docs = append(docs, doc); return nil }); err != nil || len(docs) != 1 {
		t.Fatalf("%v %v", docs, err)
	}
	if docs[0].ID != f.RelPath || docs[0].Source != f.RelPath || docs[0].SourceRaw != raw {
		t.Errorf("document %+v", docs[0])
	}
	if EscapeName("Élysée.txt") != "Élysée.txt" {
		t.Error("a valid name was changed")
	}
}
