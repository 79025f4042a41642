package cues

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/internal/testannotate"
	"github.com/framealign/framealign/internal/testfiles"
)

var devGold = testfiles.Shared("gold/dimensions.dev.jsonl")

// devHalves splits the dev set by year of the speech: cues are tuned on the first half
// (2011, 2014, 2018, 2022) and checked on the second (2012, 2016, 2020, 2024), which
// stands in for the held-out years.
func devHalf(doc string) int {
	for _, y := range []string{"2012", "2016", "2020", "2024"} {
		if strings.Contains(doc, "_"+y) {
			return 1
		}
	}
	return 0
}

func TestDefaultFrameworkReachesDevF1(t *testing.T) {
	data, err := os.ReadFile(devGold)
	if err != nil {
		t.Skipf("dev gold set not available: %v", err)
	}
	fw := framework.Default()
	rep, err := Evaluate(context.Background(), bytes.NewReader(data), fw, testannotate.Engine())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sentences) != 520 {
		t.Fatalf("evaluated %d sentences, the dev set has 520", len(rep.Sentences))
	}
	var halves [2][]SentenceEval
	for _, s := range rep.Sentences {
		h := devHalf(s.Gold.Doc)
		halves[h] = append(halves[h], s)
	}
	for h, ss := range halves {
		r := ScoreSentences(fw, ss)
		t.Logf("half %d (%d sentences): micro P %.3f R %.3f F1 %.3f", h, len(ss), r.Micro.Precision, r.Micro.Recall, r.Micro.F1)
		if testing.Verbose() {
			for _, d := range r.Dimensions {
				t.Logf("  half %d %-24s P %.2f R %.2f F1 %.2f (tp %d fp %d fn %d)", h, d.Dimension, d.Precision, d.Recall, d.F1, d.TP, d.FP, d.FN)
			}
		}
	}
	for _, d := range rep.Dimensions {
		t.Logf("%-24s P %.2f R %.2f F1 %.2f (tp %d fp %d fn %d)", d.Dimension, d.Precision, d.Recall, d.F1, d.TP, d.FP, d.FN)
	}
	t.Logf("all: micro P %.3f R %.3f F1 %.3f", rep.Micro.Precision, rep.Micro.Recall, rep.Micro.F1)
	if os.Getenv("DEV_ERRORS") != "" {
		for _, s := range halves[0] {
			gold := strings.Join(s.Gold.Labels, ",")
			pred := strings.Join(s.Predicted, ",")
			if gold != pred {
				var cues []string
				for _, m := range s.Matches {
					cues = append(cues, m.Dimension+"<"+m.Cue+">")
				}
				t.Logf("GOLD[%s] PRED[%s] %s\n   %s", gold, pred, s.Gold.Text, strings.Join(cues, " "))
			}
		}
	}
	if dim := os.Getenv("DEV_FP_CUES"); dim != "" {
		// Which cues fire wrongly on the check half, by cue only: enough to spot an
		// over-general cue without reading (and fitting) the check half's sentences.
		count := map[string]int{}
		for _, s := range halves[1] {
			if strings.Contains(","+strings.Join(s.Gold.Labels, ",")+",", ","+dim+",") {
				continue
			}
			for _, m := range s.Matches {
				if m.Dimension == dim {
					count[m.Cue]++
				}
			}
		}
		t.Log(dim, count)
	}
	if rep.Micro.F1 < 0.75 {
		t.Errorf("micro-F1 on the dev set is %.3f, want at least 0.75", rep.Micro.F1)
	}
}
