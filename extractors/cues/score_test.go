package cues

import (
	"math"
	"testing"

	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/internal/testannotate"
)

func TestScoreCountsHitsNegationsAndSentencesPerDimension(t *testing.T) {
	fw := framework.Default()
	text := "We respect sovereignty and seek win-win cooperation. We will never respect their sovereignty. Climate change is a global challenge."
	ms, _ := matchText(t, fw, text)
	ann, _ := testannotate.Annotate(text)
	scores := Score(fw, ms, len(ann.Tokens))
	if len(scores) != len(fw.Dimensions) {
		t.Fatalf("%d scores for %d dimensions", len(scores), len(fw.Dimensions))
	}
	by := map[string]DimensionScore{}
	for i, s := range scores {
		if s.Dimension != fw.Dimensions[i].ID || s.Group != fw.Dimensions[i].Group {
			t.Fatalf("score %d is %s/%s, want framework order", i, s.Dimension, s.Group)
		}
		by[s.Dimension] = s
	}
	mr := by["mutual_respect"]
	if mr.Hits != 2 || mr.NegatedHits != 1 || mr.Sentences != 2 {
		t.Errorf("mutual_respect = %+v, want 2 hits, 1 negated, 2 sentences", mr)
	}
	want := 2 * 1000 / float64(len(ann.Tokens))
	if math.Abs(mr.Per1kTokens-want) > 1e-9 {
		t.Errorf("mutual_respect rate = %v, want %v", mr.Per1kTokens, want)
	}
	if by["global_challenges"].Sentences != 1 || by["global_challenges"].Hits < 1 {
		t.Errorf("global_challenges = %+v", by["global_challenges"])
	}
	if by["technology"].Hits != 0 || by["technology"].Per1kTokens != 0 {
		t.Errorf("technology = %+v, want zeros", by["technology"])
	}
	if p := Profile(scores); len(p) != len(scores) || p[2] != mr.Per1kTokens {
		t.Errorf("Profile = %v", p)
	}
}

func scoresWith(fw *framework.Framework, rates map[string]float64) []DimensionScore {
	var out []DimensionScore
	for _, d := range fw.Dimensions {
		s := DimensionScore{Dimension: d.ID, Group: d.Group}
		if r := rates[d.ID]; r > 0 {
			s.Hits, s.Per1kTokens = 1, r
		}
		out = append(out, s)
	}
	return out
}

func TestAlignmentRewardsBreadthNotLength(t *testing.T) {
	fw := framework.Default()
	if a := Alignment(fw, scoresWith(fw, nil)); a != 0 {
		t.Errorf("no hits: alignment %v, want 0", a)
	}
	narrow := Alignment(fw, scoresWith(fw, map[string]float64{"win_win": 20}))
	broad := Alignment(fw, scoresWith(fw, map[string]float64{"win_win": 1, "mutual_respect": 1, "communication": 1, "global_challenges": 1}))
	if !(broad > narrow) {
		t.Errorf("broad %.3f should beat narrow %.3f", broad, narrow)
	}
	// Saturation: ten times the rate on one dimension is worth less than twice as much.
	once := Alignment(fw, scoresWith(fw, map[string]float64{"win_win": 1}))
	tenfold := Alignment(fw, scoresWith(fw, map[string]float64{"win_win": 10}))
	if tenfold >= 2*once {
		t.Errorf("rate x10 gave %.3f vs %.3f: not saturating", tenfold, once)
	}
	// Confrontational framing alone is not alignment.
	if a := Alignment(fw, scoresWith(fw, map[string]float64{"confrontational_framing": 10})); a != 0 {
		t.Errorf("confrontational framing alone: alignment %v, want 0", a)
	}
	all := map[string]float64{}
	for _, d := range fw.Dimensions {
		all[d.ID] = 100
	}
	if a := Alignment(fw, scoresWith(fw, all)); a > 1 || a < 0.99 {
		t.Errorf("everything at a high rate: alignment %v, want just under 1", a)
	}
	// Negated hits earn nothing.
	neg := scoresWith(fw, map[string]float64{"win_win": 5})
	neg[3].NegatedHits = 1
	if a := Alignment(fw, neg); a != 0 {
		t.Errorf("only negated hits: alignment %v, want 0", a)
	}
}
