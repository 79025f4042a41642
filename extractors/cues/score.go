package cues

import (
	"math"

	"github.com/framealign/framealign/framework"
)

// DimensionScore is how much one document expresses one dimension.
type DimensionScore struct {
	Dimension   string
	Group       string
	Hits        int     // every match, negated ones included
	NegatedHits int     // the part of Hits under a negation
	Sentences   int     // distinct sentences with at least one match
	Per1kTokens float64 // Hits per 1,000 tokens of the document
}

// Score turns a document's matches into one score per dimension of fw, in framework
// order, zeros included. nTokens is the document's token count.
func Score(fw *framework.Framework, matches []Match, nTokens int) []DimensionScore {
	out := make([]DimensionScore, len(fw.Dimensions))
	index := make(map[string]int, len(fw.Dimensions))
	sents := make([]map[int]bool, len(fw.Dimensions))
	for i, d := range fw.Dimensions {
		out[i] = DimensionScore{Dimension: d.ID, Group: d.Group}
		index[d.ID] = i
	}
	for _, m := range matches {
		i, ok := index[m.Dimension]
		if !ok {
			continue
		}
		out[i].Hits++
		if m.Negated {
			out[i].NegatedHits++
		}
		if sents[i] == nil {
			sents[i] = map[int]bool{}
		}
		sents[i][m.Sentence] = true
	}
	for i := range out {
		out[i].Sentences = len(sents[i])
		if nTokens > 0 {
			out[i].Per1kTokens = float64(out[i].Hits) * 1000 / float64(nTokens)
		}
	}
	return out
}

// groupWeights are the shares of alignment each group can earn. Principles and
// mechanisms are the body of the framework; conditions and the cooperative framing
// say why and towards what, so they weigh less. Weights of groups a framework lacks
// are left out and the rest renormalised.
var groupWeights = map[string]float64{
	framework.GroupPrinciple: 0.3,
	framework.GroupMechanism: 0.3,
	framework.GroupCondition: 0.2,
	framework.GroupFraming:   0.2,
}

// saturation is the per-1,000-token rate at which a dimension reaches 1-1/e (63%) of
// its share: about one positive mention per 1,000 tokens, three in a typical speech.
const saturation = 1.0

// Alignment condenses a document's scores into one number in [0, 1] (0 when nothing
// matched), as the README explains ("The three numbers"): every dimension earns 1-exp(-rate/saturation)
// on its rate of non-negated hits per 1,000 tokens, so a second mention adds less
// than the first and length does not win; dimensions are averaged within their group,
// so breadth across a group counts; groups are weighted by groupWeights. Contrast
// dimensions (the default's confrontational_framing) earn nothing: they describe what
// the framework sets itself against.
func Alignment(fw *framework.Framework, scores []DimensionScore) float64 {
	contrast := map[string]bool{}
	for _, d := range fw.Dimensions {
		if d.Contrast {
			contrast[d.ID] = true
		}
	}
	sum := map[string]float64{}
	count := map[string]int{}
	for _, s := range scores {
		if contrast[s.Dimension] {
			continue
		}
		count[s.Group]++
		if s.Hits == 0 {
			continue
		}
		positive := s.Per1kTokens * float64(s.Hits-s.NegatedHits) / float64(s.Hits)
		sum[s.Group] += 1 - math.Exp(-positive/saturation)
	}
	var total, weights float64
	// A fixed order of groups, so the float sum is the same on every run.
	for _, g := range []string{framework.GroupPrinciple, framework.GroupMechanism, framework.GroupCondition, framework.GroupFraming} {
		n := count[g]
		w, ok := groupWeights[g]
		if !ok || n == 0 {
			continue
		}
		total += w * sum[g] / float64(n)
		weights += w
	}
	if weights == 0 {
		return 0
	}
	return total / weights
}

// Profile returns the document's per-dimension rates (hits per 1,000 tokens) in the
// order of scores, for comparing the profiles of two documents.
func Profile(scores []DimensionScore) []float64 {
	out := make([]float64, len(scores))
	for i, s := range scores {
		out[i] = s.Per1kTokens
	}
	return out
}

// ProfileCosine returns the cosine similarity of two per-dimension profiles (rates of
// each framework dimension, in the same order), 0 when either is all zeros. A shorter
// profile counts as zeros for the missing dimensions. For rates, which are never
// negative, it lies in [0, 1].
func ProfileCosine(a, b []float64) float64 {
	var dot, na, nb float64
	for i, x := range a {
		na += x * x
		if i < len(b) {
			dot += x * b[i]
		}
	}
	for _, y := range b {
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return math.Max(-1, math.Min(1, dot/math.Sqrt(na*nb)))
}
