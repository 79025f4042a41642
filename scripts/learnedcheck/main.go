// Command learnedcheck measures whether a learned sentence classifier, beside the cues
// or on top of them, finds the framework's dimensions better than the cues alone. It
// trains one logistic regression per dimension on the tune halves of the gold files and
// on the silver tune sets (UN speeches, White House remarks), and scores the held-out
// sets (the gold files' check halves, the silver check sets) against the cues alone:
//
//	go run ./scripts/learnedcheck -shared ../shared
//
// Features, chosen by -features: "words" (lower-cased words and word pairs of the
// sentence), "cues" (the cues that fired and the dimensions they gave, and the
// dimensions a veto removed), or "both". The decision rules printed: the model alone at
// several thresholds, the cues or a confident model (recall), the cues and a
// not-unlikely model (precision). It prints micro precision/recall/F1 per set; the
// answer recorded in docs/cue-tuning-log.md ("Ninth round") is that no rule beats the
// cues on the held-out sets. It is a measurement, not a part of framealign.
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/extractors/cues"
	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/pipeline"
)

type example struct {
	gold   cues.GoldSentence
	feats  []int
	labels map[string]bool
	cues   map[string]bool
}

type features struct {
	ids    map[string]int
	frozen bool
	words  bool
	cues   bool
}

func (f *features) id(s string) int {
	if i, ok := f.ids[s]; ok {
		return i
	}
	if f.frozen {
		return -1
	}
	f.ids[s] = len(f.ids)
	return f.ids[s]
}

var wordRE = regexp.MustCompile(`[A-Za-z][A-Za-z'-]*`)

func (f *features) of(s cues.SentenceEval) []int {
	seen := map[int]bool{}
	var out []int
	add := func(k string) {
		if i := f.id(k); i >= 0 && !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	add("bias")
	if f.words {
		prev := ""
		for _, w := range wordRE.FindAllString(strings.ToLower(s.Gold.Text), -1) {
			add("w:" + w)
			if prev != "" {
				add("b:" + prev + "_" + w)
			}
			prev = w
		}
	}
	if f.cues {
		for _, m := range s.Matches {
			add("c:" + m.Dimension + ":" + m.Cue)
			add("d:" + m.Dimension)
		}
		for _, m := range s.Vetoed {
			add("v:" + m.Dimension)
		}
	}
	return out
}

func read(path string) []cues.GoldSentence {
	r, err := os.Open(path)
	if err != nil {
		fail(err)
	}
	defer r.Close()
	s, err := cues.ReadGold(r)
	if err != nil {
		fail(err)
	}
	return s
}

func halfOf(s []cues.GoldSentence, h string) []cues.GoldSentence {
	var out []cues.GoldSentence
	for _, g := range s {
		if cues.Half(g) == h {
			out = append(out, g)
		}
	}
	return out
}

func examples(ctx context.Context, fw *framework.Framework, ann annotate.Annotator, f *features, s []cues.GoldSentence) []example {
	rep, err := cues.EvaluateSentences(ctx, s, fw, ann)
	if err != nil {
		fail(err)
	}
	var out []example
	for _, se := range rep.Sentences {
		e := example{gold: se.Gold, feats: f.of(se), labels: map[string]bool{}, cues: map[string]bool{}}
		for _, l := range se.Gold.Labels {
			e.labels[l] = true
		}
		for _, p := range se.Predicted {
			e.cues[p] = true
		}
		out = append(out, e)
	}
	return out
}

// train fits a logistic regression for dim by gradient descent on the mean log loss
// with an L2 penalty on every weight but the bias.
func train(data []example, dim string, n int, l2 float64, epochs int) []float64 {
	w := make([]float64, n)
	grad := make([]float64, n)
	for ep := 0; ep < epochs; ep++ {
		for i := range grad {
			grad[i] = 0
		}
		for _, e := range data {
			g := prob(w, e)
			if e.labels[dim] {
				g--
			}
			for _, k := range e.feats {
				grad[k] += g
			}
		}
		for k := range w {
			step := grad[k] / float64(len(data))
			if k != 0 {
				step += l2 * w[k]
			}
			w[k] -= 2 * step
		}
	}
	return w
}

func prob(w []float64, e example) float64 {
	z := 0.0
	for _, k := range e.feats {
		if k < len(w) {
			z += w[k]
		}
	}
	return 1 / (1 + math.Exp(-z))
}

// score is the micro precision/recall/F1 of pred against the gold labels, as eval
// computes it.
func score(fw *framework.Framework, set []example, pred func(e example, d string) bool) string {
	results := make([]cues.SentenceEval, len(set))
	for i, e := range set {
		results[i].Gold = e.gold
		for _, d := range fw.Dimensions {
			if pred(e, d.ID) {
				results[i].Predicted = append(results[i].Predicted, d.ID)
			}
		}
	}
	m := cues.ScoreSentences(fw, results).Micro
	return fmt.Sprintf("%.3f/%.3f/%.3f", m.Precision, m.Recall, m.F1)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "learnedcheck:", err)
	os.Exit(1)
}

func main() {
	shared := flag.String("shared", "../shared", "the shared data folder (gold/)")
	silver := flag.String("silver", "docs/silver", "the silver sets' folder")
	kind := flag.String("features", "both", "words, cues or both")
	l2 := flag.Float64("l2", 0.003, "L2 penalty")
	epochs := flag.Int("epochs", 1000, "gradient steps")
	flag.Parse()
	ctx := context.Background()
	fw := framework.Default()
	ann, err := pipeline.NewEngine(pipeline.DefaultEngine)
	if err != nil {
		fail(err)
	}
	f := &features{ids: map[string]int{}, words: *kind != "cues", cues: *kind != "words"}
	un := read(filepath.Join(*shared, "gold", "dimensions.dev.jsonl"))
	wh := read(filepath.Join(*shared, "gold", "dimensions.wh.dev.jsonl"))
	var trainSents []cues.GoldSentence
	trainSents = append(trainSents, halfOf(un, cues.HalfTune)...)
	trainSents = append(trainSents, halfOf(wh, cues.HalfTune)...)
	trainSents = append(trainSents, read(filepath.Join(*silver, "silver.tune.jsonl"))...)
	trainSents = append(trainSents, read(filepath.Join(*silver, "silver.wh.tune.jsonl"))...)
	trainSet := examples(ctx, fw, ann, f, trainSents)
	f.frozen = true
	sets := []struct {
		name string
		ex   []example
	}{
		{"train (tune halves, silver tunes)", trainSet},
		{"UN check half", examples(ctx, fw, ann, f, halfOf(un, cues.HalfCheck))},
		{"WH check half", examples(ctx, fw, ann, f, halfOf(wh, cues.HalfCheck))},
		{"silver check", examples(ctx, fw, ann, f, read(filepath.Join(*silver, "silver.check.jsonl")))},
		{"silver check, 2nd reader", examples(ctx, fw, ann, f, read(filepath.Join(*silver, "silver.check.second-reader.jsonl")))},
		{"silver WH remarks check", examples(ctx, fw, ann, f, read(filepath.Join(*silver, "silver.wh.check.jsonl")))},
	}
	models := map[string][]float64{}
	for _, d := range fw.Dimensions {
		models[d.ID] = train(trainSet, d.ID, len(f.ids), *l2, *epochs)
	}
	fmt.Printf("features %s: %d sentences to train on, %d features; micro P/R/F1\n", *kind, len(trainSet), len(f.ids))
	fmt.Printf("%-34s %-17s %-17s %-17s %-17s %-17s %-17s\n", "set", "cues", "model>.2", "model>.35", "model>.5", "cues|model>.7", "cues&model>.15")
	for _, s := range sets {
		m := func(t float64) func(e example, d string) bool {
			return func(e example, d string) bool { return prob(models[d], e) > t }
		}
		fmt.Printf("%-34s %-17s %-17s %-17s %-17s %-17s %-17s\n", s.name,
			score(fw, s.ex, func(e example, d string) bool { return e.cues[d] }),
			score(fw, s.ex, m(0.2)), score(fw, s.ex, m(0.35)), score(fw, s.ex, m(0.5)),
			score(fw, s.ex, func(e example, d string) bool { return e.cues[d] || prob(models[d], e) > 0.7 }),
			score(fw, s.ex, func(e example, d string) bool { return e.cues[d] && prob(models[d], e) > 0.15 }))
	}
}
