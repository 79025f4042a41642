// Package testannotate gives the extractors' tests one annotation engine, loaded once
// per test binary: the fast engine, whose annotations are prose's own (the
// differential tests in extractors/fastprose check it speech by speech), at a fraction
// of prose's cost, so each room's tests run in seconds.
package testannotate

import (
	"context"
	"sync"

	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/extractors/fastprose"
)

var engine = sync.OnceValues(func() (*fastprose.Engine, error) { return fastprose.New() })

// Engine returns the shared engine; it panics if the engine cannot load, which only a
// broken build does.
func Engine() annotate.Annotator {
	e, err := engine()
	if err != nil {
		panic(err)
	}
	return e
}

// Annotate annotates text with the shared engine.
func Annotate(text string) (*annotate.Annotation, error) {
	return Engine().Annotate(context.Background(), text)
}
