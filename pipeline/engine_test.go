package pipeline

import (
	"os"
	"testing"

	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/internal/testannotate"
	"github.com/framealign/framealign/internal/testfiles"
)

// corpusTestAnnotator is the engine the corpus-wide tests use: the fast engine, which
// gives prose's answers (extractors/fastprose's differential test checks it on every
// speech), loaded once for the package's tests.
func corpusTestAnnotator() annotate.Annotator { return testannotate.Engine() }

// ungdcCorpus returns the UN General Debate sample for the corpus-wide tests, which run
// only when FRAMEALIGN_CORPUS_TESTS is set (.ci/run sets it).
func ungdcCorpus(t *testing.T) string {
	t.Helper()
	if os.Getenv("FRAMEALIGN_CORPUS_TESTS") == "" {
		t.Skip("set FRAMEALIGN_CORPUS_TESTS=1 to run over ../shared/corpora/ungdc")
	}
	dir := testfiles.Shared("corpora", "ungdc")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("no corpus at ", dir)
	}
	return dir
}
