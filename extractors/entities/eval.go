package entities

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/internal/jsonl"
)

// ScoredTypes are the labels the entity evaluation scores: the ones prose and
// the gold annotation share a meaning for.
var ScoredTypes = []string{"GPE", "ORG", "PERSON"}

// Score counts one system's mentions against the gold ones.
type Score struct {
	TP, FP, FN int
}

// Precision is TP / (TP + FP), 0 when nothing was predicted.
func (s Score) Precision() float64 { return ratio(s.TP, s.TP+s.FP) }

// Recall is TP / (TP + FN), 0 when there was nothing to find.
func (s Score) Recall() float64 { return ratio(s.TP, s.TP+s.FN) }

// F1 is the harmonic mean of Precision and Recall.
func (s Score) F1() float64 {
	p, r := s.Precision(), s.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func (s *Score) add(o Score) { s.TP += o.TP; s.FP += o.FP; s.FN += o.FN }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Miss is one disagreement with the gold annotation, for reading the errors.
type Miss struct {
	Paragraph string // gold record id
	Text      string
	Label     string
	Kind      string // "false positive", "false negative" or "wrong iso3"
	Detail    string // for a wrong iso3: "got X want Y"
}

// Report is the entity evaluation of a gold file: typed micro scores over
// ScoredTypes for the resolver and for prose's raw entities, per type, for the
// two halves of the file, and how often a gold country mention found got its code.
type Report struct {
	Paragraphs      int
	Resolved        Score            // the resolver, all scored types together
	ResolvedByType  map[string]Score // the resolver, per type
	Baseline        Score            // prose's raw entities
	BaselineByType  map[string]Score
	Halves          [2]Score // the resolver on the first and the second half of the paragraphs
	CountryMentions int      // gold mentions with an iso3 that the resolver found
	CountryISO3     int      // of those, how many carry the gold iso3
	Misses          []Miss
}

// ISO3Accuracy is the share of gold country mentions found whose code is right.
func (r *Report) ISO3Accuracy() float64 { return ratio(r.CountryISO3, r.CountryMentions) }

type goldParagraph struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Entities []struct {
		Text string  `json:"text"`
		Type string  `json:"type"`
		ISO3 *string `json:"iso3"`
	} `json:"entities"`
}

type mention struct{ text, label, iso3 string }

// Evaluate reads gold paragraphs (JSON lines of {"id","text","entities":
// [{"text","type","iso3"}]}), annotates each with annotator, resolves it with
// resolver and scores the mentions: a predicted mention is right when a gold mention
// of the same paragraph has the same text and type, each gold mention matching once.
func Evaluate(ctx context.Context, gold io.Reader, annotator annotate.Annotator, resolver *Resolver) (*Report, error) {
	paras, err := jsonl.Read[goldParagraph](gold)
	if err != nil {
		return nil, fmt.Errorf("gold entities %w", err)
	}

	rep := &Report{Paragraphs: len(paras), ResolvedByType: map[string]Score{}, BaselineByType: map[string]Score{}}
	for pi, p := range paras {
		ann, err := annotator.Annotate(ctx, p.Text)
		if err != nil {
			return nil, fmt.Errorf("annotate gold paragraph %s: %w", p.ID, err)
		}
		var want []mention
		for _, e := range p.Entities {
			m := mention{text: normMention(e.Text), label: e.Type}
			if e.ISO3 != nil {
				m.iso3 = *e.ISO3
			}
			want = append(want, m)
		}
		var got, raw []mention
		for _, e := range resolver.Resolve(p.Text, ann) {
			got = append(got, mention{text: normMention(e.Text), label: e.Label, iso3: e.ISO3})
		}
		for _, e := range ann.Entities {
			// The slice of the text, not prose's space-joined tokens, so that the
			// baseline is not penalised for "Israel 's".
			raw = append(raw, mention{text: normMention(p.Text[e.Start:e.End]), label: proseLabel(e.Label)})
		}

		byType, misses, found, right := scoreMentions(p.ID, want, got)
		rep.Misses = append(rep.Misses, misses...)
		rep.CountryMentions += found
		rep.CountryISO3 += right
		for t, s := range byType {
			rep.Resolved.add(s)
			rep.Halves[pi*2/len(paras)].add(s)
			acc := rep.ResolvedByType[t]
			acc.add(s)
			rep.ResolvedByType[t] = acc
		}
		baseByType, _, _, _ := scoreMentions(p.ID, want, raw)
		for t, s := range baseByType {
			rep.Baseline.add(s)
			acc := rep.BaselineByType[t]
			acc.add(s)
			rep.BaselineByType[t] = acc
		}
	}
	return rep, nil
}

// scoreMentions matches got against want as multisets of (text, type) over the scored
// types and checks the iso3 of every gold country mention found.
func scoreMentions(id string, want, got []mention) (byType map[string]Score, misses []Miss, found, right int) {
	byType = map[string]Score{}
	for _, t := range ScoredTypes {
		byType[t] = Score{}
	}
	used := make([]bool, len(got))
	for _, w := range want {
		if _, scored := byType[w.label]; !scored {
			continue
		}
		s := byType[w.label]
		hit := -1
		for j, g := range got {
			if !used[j] && g.label == w.label && g.text == w.text {
				hit = j
				break
			}
		}
		if hit < 0 {
			s.FN++
			misses = append(misses, Miss{Paragraph: id, Text: w.text, Label: w.label, Kind: "false negative"})
		} else {
			used[hit] = true
			s.TP++
			if w.iso3 != "" {
				found++
				if got[hit].iso3 == w.iso3 {
					right++
				} else {
					misses = append(misses, Miss{Paragraph: id, Text: w.text, Label: w.label, Kind: "wrong iso3", Detail: "got " + got[hit].iso3 + " want " + w.iso3})
				}
			}
		}
		byType[w.label] = s
	}
	for j, g := range got {
		s, scored := byType[g.label]
		if !scored || used[j] {
			continue
		}
		s.FP++
		byType[g.label] = s
		misses = append(misses, Miss{Paragraph: id, Text: g.text, Label: g.label, Kind: "false positive"})
	}
	return byType, misses, found, right
}

// normMention compares mentions as a reader would: spaces collapsed, quotes straight.
func normMention(s string) string {
	s = strings.NewReplacer("\u2019", "'", "\u2018", "'").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}
