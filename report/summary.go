package report

import (
	"sort"
	"strings"

	"github.com/framealign/framealign/output"
)

// Overview is what `framealign inspect` prints about an output folder.
type Overview struct {
	Documents  int
	References []string // doc_ids of the reference documents
	// Runs are the last runs, oldest first.
	Runs []output.Run
	// Top are the most aligned documents, the reference excluded.
	Top []Row
	// Bottom are the least aligned documents, least first, the reference excluded.
	Bottom     []Row
	Dimensions []DimensionTotal
	Errors     []ErrorCount
	// PhraseHeads ranks, per institutional head, its most frequent phrases.
	PhraseHeads []Ranking
}

// DimensionTotal sums one dimension's scores over all documents.
type DimensionTotal struct {
	Dimension
	Hits        int64
	NegatedHits int64
	Documents   int // documents with at least one hit
}

// ErrorCount is how many inputs failed at one stage with one reason.
type ErrorCount struct {
	Stage string
	Error string
	N     int
}

// Summarize condenses an output folder: the top and bottom documents by alignment,
// the last runs, and the per-dimension, per-error and per-head counts.
func Summarize(out *Output, top, bottom, runs int) Overview {
	s := Overview{Documents: len(out.Documents.Rows)}
	var docs []Row
	for _, d := range out.Documents.Rows {
		if d.IsReference {
			s.References = append(s.References, d.DocID)
			continue
		}
		docs = append(docs, d)
	}
	ByAlignment(docs)
	for i := len(docs) - 1; i >= 0 && len(s.Bottom) < bottom; i-- {
		s.Bottom = append(s.Bottom, docs[i])
	}
	if len(docs) > top {
		docs = docs[:top]
	}
	s.Top = docs

	s.Runs = out.Runs
	if len(s.Runs) > runs {
		s.Runs = s.Runs[len(s.Runs)-runs:]
	}

	at := map[string]int{}
	for i, d := range dimensionsOf(out.Scores) {
		at[d.ID] = i
		s.Dimensions = append(s.Dimensions, DimensionTotal{Dimension: d})
	}
	for _, sc := range out.Scores {
		t := &s.Dimensions[at[sc.Dimension]]
		t.Hits += sc.Hits
		t.NegatedHits += sc.NegatedHits
		if sc.Hits > 0 {
			t.Documents++
		}
	}

	type key struct{ stage, reason string }
	counts := map[key]int{}
	for _, e := range out.Errors {
		counts[key{e.Stage, errorReason(e)}]++
	}
	for k, n := range counts {
		s.Errors = append(s.Errors, ErrorCount{Stage: k.stage, Error: k.reason, N: n})
	}
	sort.Slice(s.Errors, func(i, j int) bool {
		a, b := s.Errors[i], s.Errors[j]
		if a.N != b.N {
			return a.N > b.N
		}
		if a.Stage != b.Stage {
			return a.Stage < b.Stage
		}
		return a.Error < b.Error
	})

	all := make(map[string]bool, len(out.Documents.Rows))
	for _, d := range out.Documents.Rows {
		all[d.DocID] = true
	}
	// Phrases of documents that failed or were removed since have no documents row;
	// counting them anyway keeps inspect honest about what the table holds.
	for _, p := range out.Phrases {
		all[p.DocID] = true
	}
	s.PhraseHeads, _ = phrasesOf(out.Phrases, all)
	return s
}

// errorReason is an error's text with its file named generically, so the same failure
// in many files counts as one reason.
func errorReason(e output.Error) string {
	r := e.Error
	for _, name := range []string{e.Source, e.DocID} {
		if name != "" {
			r = strings.ReplaceAll(r, name, "FILE")
		}
	}
	return r
}
