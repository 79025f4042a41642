package cues

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/extractors/entities"
	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/internal/jsonl"
)

// GoldSentence is one labelled sentence of a gold file (JSON lines).
type GoldSentence struct {
	ID       string   `json:"id"`
	Doc      string   `json:"doc"`
	Sentence int      `json:"sentence"`
	Text     string   `json:"text"`
	Labels   []string `json:"labels"`
}

// DimensionEval is how well the cues of one dimension find it in the gold sentences.
type DimensionEval struct {
	Dimension  string
	TP, FP, FN int
	Precision  float64
	Recall     float64
	F1         float64
}

// SentenceEval is one gold sentence with the dimensions the matcher gave it.
type SentenceEval struct {
	Gold      GoldSentence
	Predicted []string // dimension ids with at least one hit, in framework order
	Matches   []Match
	// Vetoed are the matches an exclusion or a condition removed (Match.Veto says
	// which), for a framework author to see what a veto costs and spares.
	Vetoed []Match
}

// Report is the result of EvaluateDimensions: one row per dimension in
// framework order, the micro-average over all of them, and every sentence.
type Report struct {
	Dimensions []DimensionEval
	Micro      DimensionEval // Dimension is "micro"
	Sentences  []SentenceEval
}

// ReadGold reads a gold file of JSON lines ({"id","doc","sentence","text","labels"}).
func ReadGold(r io.Reader) ([]GoldSentence, error) {
	sents, err := jsonl.Read[GoldSentence](r)
	if err != nil {
		return nil, fmt.Errorf("gold %w", err)
	}
	return sents, nil
}

// Evaluate runs every gold sentence through the annotator and the matcher
// of fw, gives a sentence a dimension when it has at least one hit (negated hits
// included, as in scores), and compares with the gold labels: precision, recall and
// F1 per dimension and micro-averaged. Labels that are not dimensions of fw count as
// misses of the micro-average, so a framework cannot score well by leaving them out.
//
// Each sentence is read alone, as the gold readers read it: its entities are
// resolved from its own text, and a condition's window finds no neighbours.
func Evaluate(ctx context.Context, gold io.Reader, fw *framework.Framework, annotator annotate.Annotator) (*Report, error) {
	sents, err := ReadGold(gold)
	if err != nil {
		return nil, err
	}
	return EvaluateSentences(ctx, sents, fw, annotator)
}

// EvaluateSentences is Evaluate on gold sentences already read.
func EvaluateSentences(ctx context.Context, sents []GoldSentence, fw *framework.Framework, annotator annotate.Annotator) (*Report, error) {
	m, err := NewMatcher(fw)
	if err != nil {
		return nil, fmt.Errorf("evaluate: %w", err)
	}
	resolver, err := entities.NewResolver()
	if err != nil {
		return nil, fmt.Errorf("evaluate: %w", err)
	}
	results := make([]SentenceEval, len(sents))
	errs := make([]error, len(sents))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				g := sents[i]
				ann, err := annotator.Annotate(ctx, g.Text)
				if err != nil {
					errs[i] = fmt.Errorf("annotate gold %s: %w", g.ID, err)
					continue
				}
				matches, vetoed := m.Find(Document{Text: g.Text, Annotation: ann, Entities: resolver.Resolve(g.Text, ann)}, true)
				scores := Score(fw, matches, len(ann.Tokens))
				r := SentenceEval{Gold: g, Matches: matches, Vetoed: vetoed}
				for _, s := range scores {
					if s.Hits > 0 {
						r.Predicted = append(r.Predicted, s.Dimension)
					}
				}
				results[i] = r
			}
		}()
	}
	for i := range sents {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return ScoreSentences(fw, results), nil
}

// ScoreSentences counts agreements per dimension over evaluated sentences (those of
// one report, or of several pooled).
func ScoreSentences(fw *framework.Framework, results []SentenceEval) *Report {
	rep := &Report{Sentences: results}
	index := map[string]int{}
	for i, d := range fw.Dimensions {
		index[d.ID] = i
		rep.Dimensions = append(rep.Dimensions, DimensionEval{Dimension: d.ID})
	}
	micro := DimensionEval{Dimension: "micro"}
	for _, r := range results {
		gold := map[string]bool{}
		for _, l := range r.Gold.Labels {
			gold[l] = true
		}
		pred := map[string]bool{}
		for _, p := range r.Predicted {
			pred[p] = true
		}
		for l := range gold {
			if pred[l] {
				rep.Dimensions[index[l]].TP++
				micro.TP++
			} else {
				if i, ok := index[l]; ok {
					rep.Dimensions[i].FN++
				}
				micro.FN++
			}
		}
		for p := range pred {
			if !gold[p] {
				rep.Dimensions[index[p]].FP++
				micro.FP++
			}
		}
	}
	for i := range rep.Dimensions {
		rep.Dimensions[i].finish()
	}
	micro.finish()
	rep.Micro = micro
	return rep
}

func (e *DimensionEval) finish() {
	if e.TP+e.FP > 0 {
		e.Precision = float64(e.TP) / float64(e.TP+e.FP)
	}
	if e.TP+e.FN > 0 {
		e.Recall = float64(e.TP) / float64(e.TP+e.FN)
	}
	if e.Precision+e.Recall > 0 {
		e.F1 = 2 * e.Precision * e.Recall / (e.Precision + e.Recall)
	}
}

// Halves of a gold set, so that cues are tuned on one and judged on the other.
const (
	HalfTune  = "tune"
	HalfCheck = "check"
)

// checkYears are the UN General Debate years of the check half.
var checkYears = map[string]bool{"2012": true, "2016": true, "2020": true, "2024": true}

// Half says which half of a dev set a gold sentence is in, by a rule fixed before
// any line was read. A sentence of a UN General Debate speech (doc "CHN_70_2015.txt")
// goes by year: 2011, 2014, 2018 and 2022 are the tune half, 2012, 2016, 2020 and
// 2024 the check half, which stands in for held-out years. Any other goes by its
// document, so that the sentences of one document stay together: the FNV-1a (32-bit)
// hash of doc (of id when doc is empty), even for tune, odd for check.
func Half(g GoldSentence) string {
	doc := g.Doc
	if n := len(doc); n >= 9 && doc[n-4:] == ".txt" && doc[n-9] == '_' {
		if y := doc[n-8 : n-4]; y >= "1946" && y <= "2099" {
			if checkYears[y] {
				return HalfCheck
			}
			return HalfTune
		}
	}
	if doc == "" {
		doc = g.ID
	}
	h := uint32(2166136261)
	for i := 0; i < len(doc); i++ {
		h ^= uint32(doc[i])
		h *= 16777619
	}
	if h%2 == 1 {
		return HalfCheck
	}
	return HalfTune
}
