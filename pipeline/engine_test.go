package pipeline

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/framealign/framealign/extractors"
)

// corpusTestAnnotator is the engine the corpus-wide tests use: the fast engine, which
// gives prose's answers (extractors' differential test checks it on every speech).
func corpusTestAnnotator() extractors.Annotator {
	a, err := extractors.NewFastAnnotator()
	if err != nil {
		return nil
	}
	return a
}

// ungdcCorpus returns the UN General Debate sample for the corpus-wide tests, which run
// only when FRAMEALIGN_CORPUS_TESTS is set (.ci/run sets it).
func ungdcCorpus(t *testing.T) string {
	t.Helper()
	if os.Getenv("FRAMEALIGN_CORPUS_TESTS") == "" {
		t.Skip("set FRAMEALIGN_CORPUS_TESTS=1 to run over ../shared/corpora/ungdc")
	}
	dir := filepath.Join("..", "..", "shared", "corpora", "ungdc")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("no corpus at ", dir)
	}
	return dir
}
