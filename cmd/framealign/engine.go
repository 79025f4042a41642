package main

import (
	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/pipeline"
)

const defaultEngine = pipeline.DefaultEngine

func engineNames() []string { return pipeline.EngineNames() }

// newEngine is the engine --engine names, loaded on first use: a rerun with nothing
// new to annotate never loads a model.
func newEngine(name string) (annotate.Annotator, error) { return pipeline.LazyEngine(name) }
