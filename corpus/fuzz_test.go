package corpus

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// fuzzRead writes data to a file called name and reads it, checking what must hold for
// any input: no panic (Read turns one into an internal error, which fails here), valid
// UTF-8 text, and errors that say something.
func fuzzRead(t *testing.T, name string, data []byte, opts Options) {
	p := writeFile(t, t.TempDir(), name, data)
	var docs []Document
	recs, err := Read(File{Path: p, RelPath: filepath.Base(p)}, opts, func(d Document) error {
		docs = append(docs, d)
		return nil
	})
	if err != nil {
		if strings.HasPrefix(err.Error(), errInternalPrefix) || err.Error() == "" {
			t.Fatalf("Read(%s): %v", name, err)
		}
		if len(docs) != 0 {
			t.Fatalf("Read(%s) emitted %d documents and then failed: %v", name, len(docs), err)
		}
	}
	for _, d := range docs {
		if !utf8.ValidString(d.Text) || strings.TrimSpace(d.Text) == "" {
			t.Fatalf("Read(%s): document %q has invalid or empty text %q", name, d.ID, d.Text)
		}
		if strings.Contains(d.Text, "\r") {
			t.Fatalf("Read(%s): document %q keeps a carriage return", name, d.ID)
		}
		if d.ID == "" || d.Source != name {
			t.Fatalf("Read(%s): document id %q source %q", name, d.ID, d.Source)
		}
	}
	for _, r := range recs {
		if r.DocID == "" || r.Reason == "" {
			t.Fatalf("Read(%s): record error %+v lacks an id or reason", name, r)
		}
	}
}

func FuzzReadTXT(f *testing.F) {
	f.Add([]byte("Mr. President,\r\nColleagues,\n"))
	f.Add([]byte("\uFEFFAs we speak today"))
	f.Add([]byte("\xff\xfeH\x00i\x00"))
	f.Add([]byte("Caf\xe9"))
	f.Add([]byte("\x00\x01\x02"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "doc.txt", data, Options{}) })
}

func FuzzReadHTML(f *testing.F) {
	f.Add([]byte(statementHTML))
	f.Add([]byte("<p>a</p><p>b"))
	f.Add([]byte("<script>x</script>"))
	f.Add([]byte("<pre>  kept\n  lines</pre><title>t</title>"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "page.html", data, Options{}) })
}

func FuzzReadMarkdown(f *testing.F) {
	f.Add([]byte("---\ntitle: T\nyear: 2015\n---\nBody.\n"))
	f.Add([]byte("---\n- a\n- b\n---\nBody"))
	f.Add([]byte("---\na: &x [*x]\n...\ntext"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "note.md", data, Options{}) })
}

func FuzzReadJSONL(f *testing.F) {
	f.Add([]byte(`{"id":"a","text":"Peace.","n":1}` + "\n" + `{"text":"x"}`))
	f.Add([]byte("{\"text\":\"Caf\xe9\"}\n[1]\n{bad\n"))
	f.Add([]byte("\xff\xfe{\x00}\x00"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "r.jsonl", data, Options{}) })
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("id,text\n1,\"a \"\"b\"\"\"\n2,c\n3\n"))
	f.Add([]byte("text\n\"unclosed\n"))
	f.Add([]byte("\uFEFFid;text\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "r.csv", data, Options{}) })
}

func FuzzReadPDF(f *testing.F) {
	f.Add(makePDF(f, []string{"Text layer page one.", "Page two."}, false))
	f.Add(makePDF(f, []string{""}, false))
	f.Add(makePDF(f, []string{"Locked."}, true))
	f.Add([]byte("%PDF-1.4\n%%EOF\n"))
	// The PDF library loops on some damaged files; Read gives up after pdfTimeout. Keep it
	// short here so the fuzzer spends its time on new inputs.
	defer func(orig func(int64) time.Duration) { pdfTimeout = orig }(pdfTimeout)
	pdfTimeout = func(int64) time.Duration { return time.Second }
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "doc.pdf", data, Options{}) })
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte("plain"))
	f.Add([]byte("\xfe\xff\x00H\x00i"))
	f.Add([]byte("\xef\xbb\xbfx\r\ny\rz"))
	f.Add([]byte("Caf\xe9 \x93q\x94"))
	f.Fuzz(func(t *testing.T, data []byte) {
		text, enc, err := decodeText(data)
		if err != nil {
			if err.Error() == "" || text != "" {
				t.Fatalf("decodeText failed with %q and text %q", err, text)
			}
			return
		}
		if !utf8.ValidString(text) || strings.Contains(text, "\r") || enc == "" {
			t.Fatalf("decodeText(%q) = %q (%s)", data, text, enc)
		}
		if enc == EncodingUTF8 && text != strings.ReplaceAll(strings.ReplaceAll(string(data), "\r\n", "\n"), "\r", "\n") {
			t.Fatalf("UTF-8 input changed beyond line ends: %q -> %q", data, text)
		}
	})
}
