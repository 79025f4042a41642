package annotate

import (
	"context"
	"errors"
	"testing"
)

// A cancelled run does not wait for prose to finish a document: prose cannot be
// interrupted, so Annotate returns the context's error at once and leaves the call
// to end on its own. The call here blocks until the test lets it go, standing for
// prose busy inside a long document.
func TestProseReturnsWhenCancelledInsideADocument(t *testing.T) {
	p := NewProse()
	entered, release := make(chan struct{}), make(chan struct{})
	p.call = func(text string) (*Annotation, error) {
		close(entered)
		<-release
		return &Annotation{}, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-entered; cancel() }()
	ann, err := p.Annotate(ctx, "A long speech.")
	close(release)
	if !errors.Is(err, context.Canceled) || ann != nil {
		t.Fatalf("Annotate cancelled inside prose's call = %v, %v; want nil, context.Canceled", ann, err)
	}
	// A context cancelled before the call: prose is not started.
	called := false
	p.call = func(string) (*Annotation, error) { called = true; return &Annotation{}, nil }
	if _, err := p.Annotate(ctx, "Another speech."); !errors.Is(err, context.Canceled) || called {
		t.Errorf("Annotate on a cancelled context: err %v, prose called %v", err, called)
	}
}
