package pipeline

import (
	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/extractors/cues"
	"github.com/framealign/framealign/extractors/entities"
	"github.com/framealign/framealign/extractors/phrases"
	"github.com/framealign/framealign/extractors/similarity"
	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/output"
)

// Analysis is everything framealign writes about one analysed document.
type Analysis struct {
	NTokens           int
	NSentences        int
	Alignment         float64
	Similarity        float64
	ProfileSimilarity float64
	Countries         []string
	Scores            []output.Score
	Matches           []output.Match
	Phrases           []output.Phrase
	Entities          []output.Entity

	// priorActors, in a prior analysis (see Analyze), are the document's entities
	// with a country code, by sentence: all re-scoring needs of them.
	priorActors []entities.Entity
}

// Analyzer turns an annotated document into its rows: cue matches and scores from
// the framework, entities, mechanism phrases and the comparison with the reference.
// It holds only read-only state after construction and is shared by the workers.
type Analyzer struct {
	fw         *framework.Framework
	matcher    *cues.Matcher
	resolver   *entities.Resolver
	similarity *similarity.Reference
	phrases    *phrases.Extractor
	refProfile []float64
}

// NewAnalyzer prepares the extractors for fw and the reference text. The reference's
// own dimension profile is computed here, annotated by annotate as the corpus is.
func NewAnalyzer(fw *framework.Framework, referenceText string, annotate func(string) (*annotate.Annotation, error)) (*Analyzer, error) {
	m, err := cues.NewMatcher(fw)
	if err != nil {
		return nil, err
	}
	r, err := entities.NewResolver()
	if err != nil {
		return nil, err
	}
	s, err := similarity.NewReference(referenceText)
	if err != nil {
		return nil, err
	}
	a := &Analyzer{fw: fw, matcher: m, resolver: r, similarity: s, phrases: phrases.NewExtractor(fw.InstitutionalHeads)}
	refAnn, err := annotate(referenceText)
	if err != nil {
		return nil, err
	}
	refMatches, _ := m.Find(cues.Document{Text: referenceText, Annotation: refAnn, Entities: r.Resolve(referenceText, refAnn)}, false)
	a.refProfile = cues.Profile(cues.Score(fw, refMatches, len(refAnn.Tokens)))
	return a, nil
}

// Version names what, besides the framework and the reference, decides the rows:
// the similarity's IDF table. It is part of every row's analysis key, so a new table
// re-analyses the documents on the next run.
func (a *Analyzer) Version() string { return a.similarity.Table().Version }

// Analyze computes the rows of one document. prior, when not nil, is the part of a
// previous analysis that does not depend on the framework (entities, countries,
// similarity), still valid for this text and reference: it is kept, not recomputed,
// and the result has no entity rows (the previous run's stand).
func (a *Analyzer) Analyze(docID, text string, ann *annotate.Annotation, prior *Analysis) *Analysis {
	out := &Analysis{NTokens: len(ann.Tokens), NSentences: len(ann.Sentences)}

	var ents []entities.Entity
	if prior != nil {
		out.Countries, out.Similarity = prior.Countries, prior.Similarity
		ents = prior.priorActors
	} else {
		ents = a.resolver.Resolve(text, ann)
		out.Countries = entities.Countries(ents)
		if out.Countries == nil {
			out.Countries = []string{}
		}
		for _, e := range ents {
			row := output.Entity{DocID: docID, SentenceIndex: int64(e.Sentence), CharStart: int64(e.Start),
				CharEnd: int64(e.End), Text: text[e.Start:e.End], Label: e.Label, Canonical: e.Canonical}
			if e.ISO3 != "" {
				iso := e.ISO3
				row.ISO3 = &iso
			}
			out.Entities = append(out.Entities, row)
		}
		out.Similarity = a.similarity.Similarity(a.similarity.Vector(text))
	}
	actors := entities.SentenceActors(ents)

	// Only the entities' sentences and country codes count, which a prior analysis keeps.
	matches, _ := a.matcher.Find(cues.Document{Text: text, Annotation: ann, Entities: ents}, false)
	for _, m := range matches {
		out.Matches = append(out.Matches, output.Match{
			DocID: docID, Dimension: m.Dimension, Cue: m.Cue, SentenceIndex: int64(m.Sentence),
			CharStart: int64(m.Start), CharEnd: int64(m.End), Text: text[m.Start:m.End],
			Sentence: ann.SentenceText(text, m.Sentence), Negated: m.Negated,
			Actors: orEmpty(actors[m.Sentence]),
		})
	}
	scores := cues.Score(a.fw, matches, len(ann.Tokens))
	for _, s := range scores {
		out.Scores = append(out.Scores, output.Score{DocID: docID, Dimension: s.Dimension, Group: s.Group,
			Hits: int64(s.Hits), NegatedHits: int64(s.NegatedHits), Sentences: int64(s.Sentences), Per1kTokens: s.Per1kTokens})
	}
	out.Alignment = cues.Alignment(a.fw, scores)
	out.ProfileSimilarity = cues.ProfileCosine(cues.Profile(scores), a.refProfile)

	for _, p := range a.phrases.Extract(text, ann) {
		row := output.Phrase{DocID: docID, SentenceIndex: int64(p.Sentence), CharStart: int64(p.Start),
			CharEnd: int64(p.End), Text: text[p.Start:p.End], Normalized: p.Normalized, Head: p.Head,
			Actors: orEmpty(actors[p.Sentence])}
		if d := phrases.Dimension(p, matches); d != "" {
			row.Dimension = &d
		}
		out.Phrases = append(out.Phrases, row)
	}
	return out
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
