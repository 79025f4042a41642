package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/internal/testannotate"
	"github.com/framealign/framealign/output"
)

// interrupting cancels the run when the engine starts on a text holding marker, as a
// SIGINT arriving in the middle of that document would, and records what the engine
// then returned for it.
type interrupting struct {
	annotate.Annotator
	marker string
	cancel context.CancelFunc
	mu     sync.Mutex
	result error // what the engine returned for the marked text
	done   bool  // whether it returned an annotation for it
}

func (e *interrupting) Annotate(ctx context.Context, text string) (*annotate.Annotation, error) {
	if !strings.Contains(text, e.marker) {
		return e.Annotator.Annotate(ctx, text)
	}
	e.cancel()
	ann, err := e.Annotator.Annotate(ctx, text)
	e.mu.Lock()
	e.result, e.done = err, ann != nil
	e.mu.Unlock()
	return ann, err
}

// An interrupt reaches inside the document being annotated: the engine stops there
// with the context's error, the run returns it, and the previous tables stand.
func TestRunStopsInsideALongDocumentWhenInterrupted(t *testing.T) {
	root := copyCorpus(t)
	out := filepath.Join(t.TempDir(), "out")
	cfg := testConfig(t, []string{root}, out)
	first := mustRun(t, cfg)

	speech, err := os.ReadFile(filepath.Join(root, "Session 69 - 2014", "RWA_69_2014.txt"))
	if err != nil {
		t.Fatal(err)
	}
	long := "LONGDOCUMENT\n\n" + strings.Repeat(string(speech)+"\n\n", 60) // ~150,000 tokens
	if err := os.WriteFile(filepath.Join(root, "long.txt"), []byte(long), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	engine := &interrupting{Annotator: testannotate.Engine(), marker: "LONGDOCUMENT", cancel: cancel}
	cfg.Annotator = engine
	if _, err := Run(ctx, cfg); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v, want context.Canceled", err)
	}
	if !errors.Is(engine.result, context.Canceled) || engine.done {
		t.Errorf("the engine returned %v (annotation: %v) for the long document: it did not stop inside it", engine.result, engine.done)
	}
	if id, err := output.TableRunID(filepath.Join(out, output.DocumentsTable)); err != nil || id != first.RunID {
		t.Errorf("documents.parquet is from run %q (%v), want the previous run %s", id, err, first.RunID)
	}
	if left, _ := filepath.Glob(filepath.Join(out, ".*.tmp-*")); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}
