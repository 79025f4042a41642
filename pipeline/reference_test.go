package pipeline

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/output"
)

// TestRunWritesTheReferenceAndDuplicatesAsExported: the reference's row and a
// duplicate doc_id's errors row are ReferenceDocument's and DuplicateIDError's, which
// the Beam runner writes too.
func TestRunWritesTheReferenceAndDuplicatesAsExported(t *testing.T) {
	root := filepath.Join(t.TempDir(), "corpus")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"a.jsonl": "China and the United States met in Geneva to discuss peace.",
		"b.jsonl": "A second text under the same id about trade."} {
		jsonl := `{"id":"x","text":"` + text + `"}` + "\n"
		if err := os.WriteFile(filepath.Join(root, name), []byte(jsonl), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "out")
	cfg := testConfig(t, []string{root}, out)
	cfg.MetaPattern = nil
	mustRun(t, cfg)
	docs := readTable[output.DocumentRow](t, out, output.DocumentsTable)
	name, text := framework.DefaultReference()
	ref := ReferenceDocument(name, text)
	if len(docs) != 2 || docs[0].DocID != ref.ID || docs[0].Source != ref.Source || docs[0].Format != ref.Format ||
		docs[0].Encoding != ref.Encoding || !docs[0].IsReference || docs[1].DocID != "x" {
		t.Fatalf("documents: %+v", docs)
	}
	errs := readTable[output.Error](t, out, output.ErrorsTable)
	dup := ref
	dup.ID, dup.Source = "x", "b.jsonl"
	want := DuplicateIDError(dup, filepath.Join(root, "b.jsonl"), filepath.Join(root, "a.jsonl"))
	if len(errs) != 1 || !reflect.DeepEqual(errs[0], want) {
		t.Fatalf("errors = %+v, want %+v", errs, want)
	}
}
