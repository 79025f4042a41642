package corpus

import "testing"

// A file without extension is read as what its content is: a PDF as a PDF, an HTML
// page as HTML, anything else that is text as text; discovery lists all three.
func TestReadFilesWithoutExtensionByTheirContent(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "report", makePDF(t, []string{"Mutual respect and win-win cooperation."}, false))
	writeFile(t, dir, "page", []byte("<!DOCTYPE html><html><head><title>Statement</title></head><body><p>Dialogue instead of confrontation.</p></body></html>"))
	writeFile(t, dir, "notes", []byte("Crisis management matters.\n"))
	writeFile(t, dir, "blob", []byte{0, 1, 2, 3, 0, 0, 5, 6, 7, 0})

	disc, err := Discover([]string{dir}, DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(disc.Files) != 3 || len(disc.Problems) != 1 || disc.Problems[0].RelPath != "blob" {
		t.Fatalf("files %+v, problems %+v; want report, page, notes and blob refused", disc.Files, disc.Problems)
	}
	want := map[string]struct{ format, title, text string }{
		"report": {FormatPDF, "", "Mutual respect and win-win cooperation."},
		"page":   {FormatHTML, "Statement", "Dialogue instead of confrontation."},
		"notes":  {FormatTXT, "", "Crisis management matters.\n"},
	}
	for _, f := range disc.Files {
		d := readOne(t, f.Path)
		w := want[f.RelPath]
		if d.Format != w.format || d.Title != w.title || d.Text != w.text {
			t.Errorf("%s: format %q title %q text %q, want %q %q %q", f.RelPath, d.Format, d.Title, d.Text, w.format, w.title, w.text)
		}
	}
}
