package cues

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/internal/testannotate"
	"github.com/framealign/framealign/internal/testfiles"
)

// devFiles are the dev sets and the micro-F1 the default framework must reach on
// each half (Half: the tune half cues were written on, the check half that was only
// scored), a little under what it reaches, so that a cue change that loses ground
// on either genre fails.
var devFiles = []struct {
	name      string
	sentences int
	tune      float64
	check     float64
}{
	{"dimensions.dev.jsonl", 520, 0.80, 0.74},
	{"dimensions.wh.dev.jsonl", 300, 0.75, 0.74},
}

func TestDefaultFrameworkReachesDevF1(t *testing.T) {
	fw := framework.Default()
	for _, f := range devFiles {
		data, err := os.ReadFile(testfiles.Shared("gold", f.name))
		if err != nil {
			t.Skipf("dev gold set not available: %v", err)
		}
		rep, err := Evaluate(context.Background(), bytes.NewReader(data), fw, testannotate.Engine())
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Sentences) != f.sentences {
			t.Fatalf("%s: evaluated %d sentences, the dev set has %d", f.name, len(rep.Sentences), f.sentences)
		}
		halves := map[string][]SentenceEval{}
		for _, s := range rep.Sentences {
			halves[Half(s.Gold)] = append(halves[Half(s.Gold)], s)
		}
		for _, h := range []string{HalfTune, HalfCheck} {
			r := ScoreSentences(fw, halves[h])
			t.Logf("%s %s half (%d sentences): micro P %.3f R %.3f F1 %.3f", f.name, h, len(halves[h]), r.Micro.Precision, r.Micro.Recall, r.Micro.F1)
			if testing.Verbose() {
				for _, d := range r.Dimensions {
					t.Logf("  %s %-24s P %.2f R %.2f F1 %.2f (tp %d fp %d fn %d)", h, d.Dimension, d.Precision, d.Recall, d.F1, d.TP, d.FP, d.FN)
				}
			}
			want := f.tune
			if h == HalfCheck {
				want = f.check
			}
			if r.Micro.F1 < want {
				t.Errorf("%s %s half: micro-F1 %.3f, want at least %.2f", f.name, h, r.Micro.F1, want)
			}
		}
		t.Logf("%s all: micro P %.3f R %.3f F1 %.3f", f.name, rep.Micro.Precision, rep.Micro.Recall, rep.Micro.F1)
	}
}
