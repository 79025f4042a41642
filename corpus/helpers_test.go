package corpus

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// writeFile creates dir/name with content, creating parent folders, and returns its path.
func writeFile(t testing.TB, dir, name string, content []byte) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// readPath reads the file at p as a File given directly and returns what Read produced.
func readPath(t testing.TB, p string, opts Options) ([]Document, []RecordError, error) {
	t.Helper()
	var docs []Document
	recs, err := Read(File{Path: p, RelPath: filepath.Base(p)}, opts, func(d Document) error {
		docs = append(docs, d)
		return nil
	})
	for _, d := range docs {
		if !utf8.ValidString(d.Text) {
			t.Errorf("%s: document %q has invalid UTF-8 text", p, d.ID)
		}
	}
	return docs, recs, err
}

// readOne reads a one-document file and fails the test unless exactly one document came.
func readOne(t testing.TB, p string) Document {
	t.Helper()
	docs, recs, err := readPath(t, p, Options{})
	if err != nil {
		t.Fatalf("Read(%s): %v", filepath.Base(p), err)
	}
	if len(docs) != 1 || len(recs) != 0 {
		t.Fatalf("Read(%s): got %d documents and record errors %v, want 1 document", filepath.Base(p), len(docs), recs)
	}
	return docs[0]
}

// wantErr fails the test unless err's text is want.
func wantErr(t testing.TB, what string, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want %q", what, want)
	}
	if err.Error() != want {
		t.Fatalf("%s: error %q, want %q", what, err.Error(), want)
	}
}

// metaOf writes a document's metadata as "kind text" by key, for comparisons.
func metaOf(d Document) map[string]string {
	if d.Meta == nil {
		return nil
	}
	out := make(map[string]string, len(d.Meta))
	for k, v := range d.Meta {
		out[k] = v.Kind.String() + " " + v.Text
	}
	return out
}
