package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/framealign/framealign/extractors/cues"
	"github.com/framealign/framealign/internal/testfiles"

	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/output"
)

// TestGoldSentencesRunAsAJSONLCorpusAgreeWithEval runs the labelled sentences through
// `framealign run` as a JSONL corpus, as an outside check would, and requires the
// dimensions read from scores.parquet (hits > 0) to be exactly those `framealign eval`
// predicts, sentence by sentence.
func TestGoldSentencesRunAsAJSONLCorpusAgreeWithEval(t *testing.T) {
	gold := testfiles.Shared("gold", "dimensions.dev.jsonl")
	f, err := os.Open(gold)
	if err != nil {
		t.Skip("no gold set at ", gold)
	}
	defer f.Close()
	annotator := corpusTestAnnotator()
	report, err := cues.Evaluate(context.Background(), f, framework.Default(), annotator)
	if err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(t.TempDir(), "out")
	cfg := testConfig(t, []string{gold}, out)
	cfg.MetaPattern, cfg.Annotator = nil, annotator
	sum := mustRun(t, cfg)
	if sum.Failed != 0 || sum.Added != len(report.Sentences) {
		t.Fatalf("run: %+v, want %d sentences added", sum, len(report.Sentences))
	}
	predicted := map[string][]string{}
	for _, s := range readTable[output.Score](t, out, output.ScoresTable) {
		if s.Hits > 0 {
			predicted[s.DocID] = append(predicted[s.DocID], s.Dimension)
		}
	}
	for _, s := range report.Sentences {
		got := append([]string(nil), predicted[s.Gold.ID]...)
		want := append([]string(nil), s.Predicted...)
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: run gives %v, eval %v: %q", s.Gold.ID, got, want, s.Gold.Text)
		}
	}
	t.Logf("micro-F1 %.3f over %d sentences", report.Micro.F1, len(report.Sentences))
}
