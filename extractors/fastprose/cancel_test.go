package fastprose

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// cancelAfter is a context that reports itself cancelled from its n-th look on: it
// stands for a SIGINT that arrives while a document is being annotated, at a point
// the test chooses by count rather than by clock.
type cancelAfter struct {
	context.Context
	n, looks atomic.Int64
}

func (c *cancelAfter) Err() error {
	if c.looks.Add(1) >= c.n.Load() {
		return context.Canceled
	}
	return nil
}

func (c *cancelAfter) Done() <-chan struct{} { return nil }

// Cancellation reaches inside a document: a context cancelled while a long document
// is being tagged stops the engine there, with the context's error, after a few
// thousand tokens rather than at the document's end.
func TestAnnotateStopsInsideALongDocumentWhenCancelled(t *testing.T) {
	fa := newFast(t)
	speech := fastReadText(t, "testdata/LTU_73_2018.txt")
	long := strings.Repeat(speech+"\n\n", 40) // over 20,000 tokens

	// Uncancelled, the engine looks at the context once per cancelEvery tokens of the
	// tagger and of the entity model, and at the start.
	count := &cancelAfter{Context: context.Background()}
	count.n.Store(1 << 62)
	ann, err := fa.Annotate(count, long)
	if err != nil {
		t.Fatal(err)
	}
	looks := count.looks.Load()
	if min := int64(2 * len(ann.Tokens) / cancelEvery); looks < min {
		t.Fatalf("%d looks at the context over %d tokens, want at least %d", looks, len(ann.Tokens), min)
	}

	// Cancelled at the third look (inside the tagger's walk over the first few
	// thousand tokens), it returns the context's error without finishing.
	stop := &cancelAfter{Context: context.Background()}
	stop.n.Store(3)
	ann, err = fa.Annotate(stop, long)
	if !errors.Is(err, context.Canceled) || ann != nil {
		t.Fatalf("cancelled annotate = %v, %v; want nil, context.Canceled", ann, err)
	}
	if got := stop.looks.Load(); got != 3 {
		t.Errorf("the engine looked at the context %d times after it was cancelled at the 3rd, want it to stop at once", got)
	}

	// And a real cancellation, from another goroutine, while the document is under way.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := fa.Annotate(ctx, strings.Repeat(long, 10))
		done <- err
	}()
	time.Sleep(50 * time.Millisecond) // well inside the ~1 s this document takes
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("annotate after cancel: %v, want context.Canceled", err)
	}
}
