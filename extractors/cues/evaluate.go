package cues

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

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
	// Home is the ISO 3166 alpha-3 code of the country the sentence's document speaks
	// for, as eval --home gives it (not read from the gold file); "" when unknown.
	Home string `json:"-"`
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
	// Text is what the offsets of Matches and Vetoed slice: the gold text when the
	// sentence was read alone, the document's stretch that holds it when it was read
	// in its document (EvaluateInDocuments).
	Text string
	// InDocument tells whether the sentence was read in its document; Alone says why
	// not, when EvaluateInDocuments had to read it alone.
	InDocument bool
	Alone      string
}

// SliceText is the text of m, a match of s.
func (s SentenceEval) SliceText(m Match) string {
	t := s.Text
	if t == "" {
		t = s.Gold.Text
	}
	if m.Start < 0 || m.End > len(t) || m.Start > m.End {
		return ""
	}
	return t[m.Start:m.End]
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

// GoldDocuments returns the base names of the documents (doc fields) of the gold
// files at paths: the documents to leave out when judging cues on unlabelled text.
func GoldDocuments(paths ...string) (map[string]bool, error) {
	docs := map[string]bool{}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("open gold %s: %w", p, err)
		}
		sents, err := ReadGold(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		for _, s := range sents {
			if s.Doc != "" {
				docs[filepath.Base(s.Doc)] = true
			}
		}
	}
	return docs, nil
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

// evaluator returns the matcher of fw and an entity resolver.
func evaluator(fw *framework.Framework) (*Matcher, *entities.Resolver, error) {
	m, err := NewMatcher(fw)
	if err != nil {
		return nil, nil, fmt.Errorf("evaluate: %w", err)
	}
	resolver, err := entities.NewResolver()
	if err != nil {
		return nil, nil, fmt.Errorf("evaluate: %w", err)
	}
	return m, resolver, nil
}

// EvaluateSentences is Evaluate on gold sentences already read.
func EvaluateSentences(ctx context.Context, sents []GoldSentence, fw *framework.Framework, annotator annotate.Annotator) (*Report, error) {
	m, resolver, err := evaluator(fw)
	if err != nil {
		return nil, err
	}
	results := make([]SentenceEval, len(sents))
	err = each(len(sents), func(i int) error {
		r, err := evaluateAlone(ctx, sents[i], fw, m, resolver, annotator)
		results[i] = r
		return err
	})
	if err != nil {
		return nil, err
	}
	return ScoreSentences(fw, results), nil
}

// each runs f(0) ... f(n-1) on GOMAXPROCS workers and returns the first error by index.
func each(n int, f func(i int) error) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// evaluateAlone reads gold sentence g by itself.
func evaluateAlone(ctx context.Context, g GoldSentence, fw *framework.Framework, m *Matcher, resolver *entities.Resolver, annotator annotate.Annotator) (SentenceEval, error) {
	ann, err := annotator.Annotate(ctx, g.Text)
	if err != nil {
		return SentenceEval{Gold: g}, fmt.Errorf("annotate gold %s: %w", g.ID, err)
	}
	matches, vetoed := m.Find(Document{Text: g.Text, Annotation: ann, Entities: resolver.Resolve(g.Text, ann), Home: g.Home}, true)
	return SentenceEval{Gold: g, Matches: matches, Vetoed: vetoed, Text: g.Text, Predicted: predicted(fw, matches)}, nil
}

// predicted is the dimensions with at least one of matches, in framework order.
func predicted(fw *framework.Framework, matches []Match) []string {
	var out []string
	for _, s := range Score(fw, matches, 0) {
		if s.Hits > 0 {
			out = append(out, s.Dimension)
		}
	}
	return out
}

// DocumentText returns the text that a run analyses of the document a gold sentence's
// doc field names, and the ISO 3166 alpha-3 code of the country the document speaks
// for as the run is told it (run --home; "" when unknown); ErrNoDocument when there is
// no such document, or why the document found cannot be read.
type DocumentText func(doc string) (text, home string, err error)

// ErrNoDocument is DocumentText's error for a document it does not have.
var ErrNoDocument = errors.New("document not found")

// Reasons a sentence of EvaluateInDocuments is read alone.
const (
	AloneNoDocument = "document not found"
	AloneUnreadable = "document not readable"
	AloneNotInText  = "sentence not found in its document"
)

// EvaluateInDocuments is EvaluateSentences with every sentence read where a run reads
// it: inside its document (docs gives its text), which is annotated whole, its
// entities resolved over the whole text, its cues' conditions free to look at the
// sentences around (window:). A sentence's dimensions are those of the matches that
// lie in the stretch of the document that holds the gold text (found as it is, or by
// its letters and digits: through hard wraps and markup; see locator). A sentence whose
// document is missing, or whose text is not found in it, is read alone, and says why
// (SentenceEval.Alone).
func EvaluateInDocuments(ctx context.Context, sents []GoldSentence, fw *framework.Framework, annotator annotate.Annotator, docs DocumentText) (*Report, error) {
	m, resolver, err := evaluator(fw)
	if err != nil {
		return nil, err
	}
	var order []string
	byDoc := map[string][]int{}
	for i, g := range sents {
		if _, ok := byDoc[g.Doc]; !ok {
			order = append(order, g.Doc)
		}
		byDoc[g.Doc] = append(byDoc[g.Doc], i)
	}
	results := make([]SentenceEval, len(sents))
	err = each(len(order), func(k int) error {
		idx := byDoc[order[k]]
		alone := func(i int, why string) error {
			r, err := evaluateAlone(ctx, sents[i], fw, m, resolver, annotator)
			r.Alone = why
			results[i] = r
			return err
		}
		text, home, err := "", "", ErrNoDocument
		if order[k] != "" {
			text, home, err = docs(order[k])
		}
		if err != nil {
			why := AloneUnreadable
			if errors.Is(err, ErrNoDocument) {
				why = AloneNoDocument
			}
			for _, i := range idx {
				if err := alone(i, why); err != nil {
					return err
				}
			}
			return nil
		}
		ann, err := annotator.Annotate(ctx, text)
		if err != nil {
			return fmt.Errorf("annotate gold document %s: %w", order[k], err)
		}
		matches, vetoed := m.Find(Document{Text: text, Annotation: ann, Entities: resolver.Resolve(text, ann), Home: home}, true)
		loc := &locator{text: text}
		for _, i := range idx {
			start, end, found := loc.locate(sents[i].Text)
			if !found {
				if err := alone(i, AloneNotInText); err != nil {
					return err
				}
				continue
			}
			r := SentenceEval{Gold: sents[i], Text: text[start:end], InDocument: true}
			r.Matches, r.Vetoed = within(matches, start, end), within(vetoed, start, end)
			r.Predicted = predicted(fw, r.Matches)
			results[i] = r
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ScoreSentences(fw, results), nil
}

// within returns the matches that lie in text[start:end], their offsets made relative
// to start.
func within(ms []Match, start, end int) []Match {
	var out []Match
	for _, x := range ms {
		if x.Start >= start && x.End <= end {
			x.Start, x.End = x.Start-start, x.End-start
			out = append(out, x)
		}
	}
	return out
}

// locator finds gold sentences in one document's text: as they are, or else by their
// letters and digits alone, so that white space (a hard-wrapped document), punctuation
// and markup that the reader of the file took off ("**", "<u>") do not stand in the
// way. The text's skeleton is built once, at the first sentence that needs it.
type locator struct {
	text string
	skel string
	at   []int // byte offset in text of each byte of skel
}

// locate returns the byte span in the text of sentence.
func (l *locator) locate(sentence string) (start, end int, ok bool) {
	sentence = strings.TrimSpace(sentence)
	if sentence == "" {
		return 0, 0, false
	}
	if i := strings.Index(l.text, sentence); i >= 0 {
		return i, i + len(sentence), true
	}
	want, _ := skeleton(sentence)
	if len(want) < 12 { // too little to tell one place from another
		return 0, 0, false
	}
	if l.at == nil {
		l.skel, l.at = skeleton(l.text)
	}
	i := strings.Index(l.skel, want)
	if i < 0 {
		return 0, 0, false
	}
	last := l.at[i+len(want)-1]
	_, size := utf8.DecodeRuneInString(l.text[last:])
	return l.at[i], last + size, true
}

// skeleton returns the letters and digits of s, lower case, and the byte offset in s
// of each byte of the skeleton's runes' first byte (every byte of a rune maps to it).
func skeleton(s string) (string, []int) {
	var b strings.Builder
	var at []int
	for i, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		n := b.Len()
		b.WriteRune(unicode.ToLower(r))
		for range b.Len() - n {
			at = append(at, i)
		}
	}
	return b.String(), at
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
