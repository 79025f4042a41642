package pipeline

import "github.com/framealign/framealign/extractors"

// corpusTestAnnotator is the engine the corpus-wide tests use: the fast engine, which
// gives prose's answers (extractors' differential test checks it on every speech).
func corpusTestAnnotator() extractors.Annotator {
	a, err := extractors.NewFastAnnotator()
	if err != nil {
		return nil
	}
	return a
}
