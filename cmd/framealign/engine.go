package main

import (
	"fmt"
	"sort"

	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/extractors/fastprose"
)

const defaultEngine = "fast"

// engines are the annotation engines --engine can select.
var engines = map[string]func() (annotate.Annotator, error){
	"prose": func() (annotate.Annotator, error) { return annotate.NewProse(), nil },
	"fast": func() (annotate.Annotator, error) {
		// Loaded on first use: a rerun with nothing new to annotate skips the second it takes.
		return annotate.Lazy(fastprose.Name, func() (annotate.Annotator, error) { return fastprose.New() }), nil
	},
}

func engineNames() []string {
	names := make([]string, 0, len(engines))
	for n := range engines {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func newEngine(name string) (annotate.Annotator, error) {
	mk, ok := engines[name]
	if !ok {
		return nil, fmt.Errorf("--engine %q: choose %v", name, engineNames())
	}
	return mk()
}
