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

// Read in its document, a sentence meets what a run sees: a cue whose condition finds
// its setting in the sentence before (window: 1) counts there and not when the sentence
// is read alone; a hard-wrapped sentence is found through the wrap and the markup the
// gold kept (the reader of a Markdown file takes it off); a
// sentence whose document is missing, or is not in it, is read alone and says why;
// the offsets of its matches slice the stretch of the document that holds it.
func TestEvaluateInDocumentsReadsSentencesWhereARunReadsThem(t *testing.T) {
	fw := &framework.Framework{Name: "test", Dimensions: []framework.Dimension{
		{ID: "talks", Group: framework.GroupMechanism, Label: "Talks", Cues: []string{"talks"}, Requires: "state", Window: 1},
		{ID: "respect", Group: framework.GroupPrinciple, Label: "Respect", Cues: []string{"mutual respect"}},
	}}
	docs := map[string]string{
		"a/one.txt": "The President of France arrived yesterday. The talks went on for hours. Nothing else happened.",
		"two.md":    "Intro line.\n\nBoth sides spoke of\nmutual respect at the close.\n", // as the reader gives it: markup off
	}
	gold := []GoldSentence{
		{ID: "s1", Doc: "corpus/a/one.txt", Text: "The talks went on for hours.", Labels: []string{"talks"}},
		{ID: "s2", Doc: "two.md", Text: "**Both sides spoke of mutual respect** at the close.", Labels: []string{"respect"}},
		{ID: "s3", Doc: "missing.txt", Text: "Mutual respect, said nobody.", Labels: []string{"respect"}},
		{ID: "s4", Doc: "two.md", Text: "A sentence that two.md does not hold at all.", Labels: nil},
	}
	lookup := func(doc string) (string, string, error) {
		for k, v := range docs {
			if doc == k || len(doc) > len(k) && doc[len(doc)-len(k)-1:] == "/"+k {
				return v, "", nil
			}
		}
		return "", "", ErrNoDocument
	}
	ann := testannotate.Engine()
	inDoc, err := EvaluateInDocuments(context.Background(), gold, fw, ann, lookup)
	if err != nil {
		t.Fatal(err)
	}
	alone, err := EvaluateSentences(context.Background(), gold, fw, ann)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]SentenceEval{}
	for _, s := range inDoc.Sentences {
		byID[s.Gold.ID] = s
	}
	s1 := byID["s1"]
	if !s1.InDocument || len(s1.Predicted) != 1 || s1.Predicted[0] != "talks" {
		t.Errorf("s1 in its document: in document %v, predicted %v, want [talks] (France is in the sentence before)", s1.InDocument, s1.Predicted)
	}
	if len(alone.Sentences[0].Predicted) != 0 {
		t.Errorf("s1 alone: predicted %v, want nothing (no state in the sentence)", alone.Sentences[0].Predicted)
	}
	if len(s1.Matches) != 1 || s1.SliceText(s1.Matches[0]) != "talks" || s1.Text != gold[0].Text {
		t.Errorf("s1: matches %+v over %q, want one slicing \"talks\"", s1.Matches, s1.Text)
	}
	s2 := byID["s2"]
	if !s2.InDocument || len(s2.Predicted) != 1 || s2.Predicted[0] != "respect" {
		t.Errorf("s2 (hard-wrapped, markup): in document %v (alone: %q), predicted %v, want [respect]", s2.InDocument, s2.Alone, s2.Predicted)
	}
	if len(s2.Matches) != 1 || s2.SliceText(s2.Matches[0]) != "mutual respect" {
		t.Errorf("s2: matches %+v over %q, want one slicing \"mutual respect\"", s2.Matches, s2.Text)
	}
	if s3 := byID["s3"]; s3.InDocument || s3.Alone != AloneNoDocument || len(s3.Predicted) != 1 {
		t.Errorf("s3 (no document): in document %v, alone %q, predicted %v; want read alone for %q, [respect]", s3.InDocument, s3.Alone, s3.Predicted, AloneNoDocument)
	}
	if s4 := byID["s4"]; s4.InDocument || s4.Alone != AloneNotInText {
		t.Errorf("s4 (not in its document): in document %v, alone %q; want read alone for %q", s4.InDocument, s4.Alone, AloneNotInText)
	}
	if inDoc.Micro.TP != 3 || inDoc.Micro.FN != 0 || inDoc.Micro.FP != 0 {
		t.Errorf("in documents: TP %d FP %d FN %d, want 3, 0, 0", inDoc.Micro.TP, inDoc.Micro.FP, inDoc.Micro.FN)
	}
	// Alone, s1 has no state; s2's markup ("respect**") is not part of its word, so
	// s2 is found alone too, and its match slices the words without the markup.
	if alone.Micro.TP != 2 || alone.Micro.FN != 1 {
		t.Errorf("alone: TP %d FN %d, want 2, 1", alone.Micro.TP, alone.Micro.FN)
	}
	if s2 := alone.Sentences[1]; len(s2.Matches) != 1 || s2.SliceText(s2.Matches[0]) != "mutual respect" {
		t.Errorf("s2 alone: matches %+v over %q, want one slicing \"mutual respect\"", s2.Matches, s2.Text)
	}
}
