package pipeline

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/extractors/cues"
	"github.com/framealign/framealign/extractors/entities"
	"github.com/framealign/framealign/extractors/phrases"
	"github.com/framealign/framealign/extractors/similarity"
	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/output"
)

// Rows are everything framealign writes about one analysed document: its
// documents.parquet row and its evidence rows.
type Rows struct {
	Document output.DocumentRow
	Scores   []output.Score
	Matches  []output.Match
	Phrases  []output.Phrase
	// Entities are the document's entity rows; nil when Analyse was given a Prior,
	// whose entity rows are the previous run's and stand.
	Entities []output.Entity
}

// Prior is the part of a document's previous analysis that does not depend on the
// framework (similarity, countries, and the countries its entities name by
// sentence), still valid when only the framework changed: Analyse keeps it instead
// of resolving entities and measuring similarity again.
type Prior struct {
	Similarity float64
	Countries  []string
	Actors     []entities.Entity // the entities with a country code: sentence and ISO3
}

// DocumentError is why one document could not be analysed: the stage that failed
// (StageAnnotate or StageExtract) and a one-line reason a person understands. It
// becomes the document's row in errors.parquet; the run goes on.
type DocumentError struct {
	Stage  string
	Reason string
}

func (e *DocumentError) Error() string { return e.Stage + ": " + e.Reason }

// AnnotationStore keeps annotations by content hash between runs (pipeline's Cache;
// nil for none). Get returns nil when it has none for the text.
type AnnotationStore interface {
	Get(contentSHA, text string) (*annotate.Annotation, error)
	Put(contentSHA, text string, ann *annotate.Annotation)
	Release(ann *annotate.Annotation)
}

// AnalyzerConfig is what an Analyzer is made of.
type AnalyzerConfig struct {
	Framework     *framework.Framework
	ReferenceText string             // the document similarity and profiles compare with
	Engine        annotate.Annotator // the annotation engine
	Store         AnnotationStore    // annotations kept between runs, or nil
	Version       string             // framealign's build, part of every row's analysis key
}

// Analyzer is the per-document work of framealign: it annotates a document (from the
// store when its text was annotated before) and turns the annotation into rows: cue
// matches and scores from the framework, entities, mechanism phrases and the
// comparison with the reference. It knows nothing of channels, files or tables, so
// the pipeline's stages and other runners (the Beam runner) call it alike. After
// NewAnalyzer it holds only read-only state and is shared by the workers.
type Analyzer struct {
	fw         *framework.Framework
	engine     annotate.Annotator
	store      AnnotationStore
	matcher    *cues.Matcher
	resolver   *entities.Resolver
	similarity *similarity.Reference
	phrases    *phrases.Extractor
	refProfile []float64
	refSHA     string
	keys       analysisKeys
	calls      atomic.Int64 // documents the engine annotated
}

// analysisKeys identify what produced a document's rows: base, the reference and
// framealign's build (entities, similarity); analysis, base and the framework (all).
type analysisKeys struct{ base, analysis string }

// NewAnalyzer prepares the extractors for the framework and the reference. The
// reference's own dimension profile is computed here, annotated as the corpus is.
func NewAnalyzer(ctx context.Context, cfg AnalyzerConfig) (*Analyzer, error) {
	if cfg.Framework == nil {
		return nil, errors.New("no framework")
	}
	if cfg.Engine == nil {
		return nil, errors.New("no annotation engine")
	}
	m, err := cues.NewMatcher(cfg.Framework)
	if err != nil {
		return nil, err
	}
	r, err := entities.NewResolver()
	if err != nil {
		return nil, err
	}
	s, err := similarity.NewReference(cfg.ReferenceText)
	if err != nil {
		return nil, err
	}
	a := &Analyzer{fw: cfg.Framework, engine: cfg.Engine, store: cfg.Store, matcher: m, resolver: r, similarity: s,
		phrases: phrases.NewExtractor(cfg.Framework.InstitutionalHeads), refSHA: sha256Hex(cfg.ReferenceText)}
	base := sha256Hex(strings.Join([]string{a.refSHA, cfg.Version, s.Table().Version}, "\x00"))
	a.keys = analysisKeys{base: base, analysis: sha256Hex(base + "\x00" + cfg.Framework.SHA256())}
	refAnn, err := a.Annotate(ctx, cfg.ReferenceText)
	if err != nil {
		return nil, fmt.Errorf("annotate the reference: %w", err)
	}
	a.refProfile = cues.Profile(cues.Score(cfg.Framework, m.Match(cfg.ReferenceText, refAnn), len(refAnn.Tokens)))
	a.release(refAnn)
	return a, nil
}

// Document annotates and analyses one document and returns its rows: the whole
// per-document function. prior, when not nil, is the framework-independent part of
// its previous analysis (see Prior). A failure of the document itself is a
// *DocumentError; a cancelled ctx gives ctx's error.
func (a *Analyzer) Document(ctx context.Context, doc corpus.Document, prior *Prior) (*Rows, error) {
	ann, err := a.Annotate(ctx, doc.Text)
	if err != nil {
		return nil, err
	}
	defer a.release(ann)
	return a.Analyse(doc, ann, prior)
}

// Annotate returns the annotation of text: from the store when the text was
// annotated before, else from the engine (and then stored). Give it back with
// release when done.
func (a *Analyzer) Annotate(ctx context.Context, text string) (ann *annotate.Annotation, err error) {
	sha := sha256Hex(text)
	if a.store != nil {
		if ann, err := a.store.Get(sha, text); err == nil && ann != nil {
			return ann, nil
		}
	}
	defer func() {
		if r := recover(); r != nil {
			ann, err = nil, &DocumentError{Stage: StageAnnotate, Reason: "the annotator crashed on this document: " + panicReason(r)}
		}
	}()
	a.calls.Add(1)
	ann, err = a.engine.Annotate(ctx, text)
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		return nil, &DocumentError{Stage: StageAnnotate, Reason: err.Error()}
	case len(ann.Tokens) == 0:
		return nil, &DocumentError{Stage: StageAnnotate, Reason: "no words to analyse (the text is empty or only punctuation)"}
	}
	if a.store != nil {
		a.store.Put(sha, text, ann)
	}
	return ann, nil
}

// release gives an annotation back to the store it may have come from.
func (a *Analyzer) release(ann *annotate.Annotation) {
	if a.store != nil && ann != nil {
		a.store.Release(ann)
	}
}

// Calls is the number of documents the engine has annotated (not found in the store).
func (a *Analyzer) Calls() int { return int(a.calls.Load()) }

// Analyse computes the rows of an annotated document. With a prior (see Prior) the
// framework-independent part stands and the rows have no entities. A crash of an
// extractor is a *DocumentError.
func (a *Analyzer) Analyse(doc corpus.Document, ann *annotate.Annotation, prior *Prior) (rows *Rows, err error) {
	defer func() {
		if r := recover(); r != nil {
			rows, err = nil, &DocumentError{Stage: StageExtract, Reason: "an extractor crashed on this document: " + panicReason(r)}
		}
	}()
	text, id := doc.Text, doc.ID
	out := &Rows{Document: a.documentRow(doc)}
	d := &out.Document
	d.NTokens, d.NSentences = int64(len(ann.Tokens)), int64(len(ann.Sentences))

	var ents []entities.Entity
	if prior != nil {
		d.Countries, d.Similarity = orEmpty(prior.Countries), prior.Similarity
		ents = prior.Actors
	} else {
		ents = a.resolver.Resolve(text, ann)
		d.Countries = orEmpty(entities.Countries(ents))
		for _, e := range ents {
			row := output.Entity{DocID: id, SentenceIndex: int64(e.Sentence), CharStart: int64(e.Start),
				CharEnd: int64(e.End), Text: text[e.Start:e.End], Label: e.Label, Canonical: e.Canonical}
			if e.ISO3 != "" {
				iso := e.ISO3
				row.ISO3 = &iso
			}
			out.Entities = append(out.Entities, row)
		}
		d.Similarity = a.similarity.Similarity(a.similarity.Vector(text))
	}
	actors := entities.SentenceActors(ents)

	matches := a.matcher.Match(text, ann)
	for _, m := range matches {
		out.Matches = append(out.Matches, output.Match{
			DocID: id, Dimension: m.Dimension, Cue: m.Cue, SentenceIndex: int64(m.Sentence),
			CharStart: int64(m.Start), CharEnd: int64(m.End), Text: text[m.Start:m.End],
			Sentence: ann.SentenceText(text, m.Sentence), Negated: m.Negated,
			Actors: orEmpty(actors[m.Sentence]),
		})
	}
	scores := cues.Score(a.fw, matches, len(ann.Tokens))
	for _, s := range scores {
		out.Scores = append(out.Scores, output.Score{DocID: id, Dimension: s.Dimension, Group: s.Group,
			Hits: int64(s.Hits), NegatedHits: int64(s.NegatedHits), Sentences: int64(s.Sentences), Per1kTokens: s.Per1kTokens})
	}
	d.Alignment = cues.Alignment(a.fw, scores)
	d.ProfileSimilarity = cues.ProfileCosine(cues.Profile(scores), a.refProfile)

	for _, p := range a.phrases.Extract(text, ann) {
		row := output.Phrase{DocID: id, SentenceIndex: int64(p.Sentence), CharStart: int64(p.Start),
			CharEnd: int64(p.End), Text: text[p.Start:p.End], Normalized: p.Normalized, Head: p.Head,
			Actors: orEmpty(actors[p.Sentence])}
		if dim := phrases.Dimension(p, matches); dim != "" {
			row.Dimension = &dim
		}
		out.Phrases = append(out.Phrases, row)
	}
	return out, nil
}

// documentRow is the part of a document's documents.parquet row known before it is
// analysed: who it is, where it came from, and what analyses it.
func (a *Analyzer) documentRow(doc corpus.Document) output.DocumentRow {
	sha := sha256Hex(doc.Text)
	return output.DocumentRow{
		DocID: doc.ID, Source: doc.Source, SourceRaw: rawName(doc.SourceRaw), Format: doc.Format, Encoding: doc.Encoding, ContentSHA256: sha,
		// The reference article may also be a file of the corpus (as in examples/corpus):
		// its row is marked too, so `not is_reference` leaves only the documents
		// compared with it.
		IsReference: sha == a.refSHA, Title: doc.Title,
		AnalysisSHA256: a.keys.analysis, BaseSHA256: a.keys.base, Meta: doc.Meta,
	}
}

// panicReason is a panic's value in one line, with the place in framealign's code
// it came from, for an errors.parquet row and a bug report.
func panicReason(r any) string {
	reason := strings.ReplaceAll(fmt.Sprint(r), "\n", " ")
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	for {
		f, more := frames.Next()
		if strings.Contains(f.Function, "github.com/framealign/framealign/") && !strings.Contains(f.Function, "pipeline.") {
			short := f.Function[strings.LastIndex(f.Function, "/")+1:]
			return fmt.Sprintf("%s (in %s)", reason, short)
		}
		if !more {
			return reason
		}
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
