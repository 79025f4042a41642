package main

import (
	"fmt"
	"sort"

	"github.com/framealign/framealign/extractors"
)

const defaultEngine = "fast"

// engines are the annotation engines --engine can select.
var engines = map[string]func() (extractors.Annotator, error){
	"prose": func() (extractors.Annotator, error) { return extractors.NewProseAnnotator(), nil },
	"fast": func() (extractors.Annotator, error) {
		// Loaded on first use: a rerun with nothing new to annotate skips the second it takes.
		return extractors.Lazy(extractors.FastEngineName, func() (extractors.Annotator, error) { return extractors.NewFastAnnotator() }), nil
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

func newEngine(name string) (extractors.Annotator, error) {
	mk, ok := engines[name]
	if !ok {
		return nil, fmt.Errorf("--engine %q: choose %v", name, engineNames())
	}
	return mk()
}
