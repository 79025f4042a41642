package pipeline

import "github.com/framealign/framealign/extractors"

// corpusTestAnnotator is the engine the corpus-wide tests use: the default one.
func corpusTestAnnotator() extractors.Annotator { return nil }
