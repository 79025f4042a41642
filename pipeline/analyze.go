package pipeline

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/extractors/cues"
	"github.com/framealign/framealign/extractors/entities"
	"github.com/framealign/framealign/extractors/phrases"
	"github.com/framealign/framealign/extractors/similarity"
	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/output"

	"golang.org/x/sync/errgroup"
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
	Actors     []entities.Entity // the entities with a country code: sentence, ISO3, offsets and label
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
	// Home says which country each document speaks for (see ParseHome: "" none, a
	// country, or a metadata field such as "{country}"); part of the analysis key
	// when given.
	Home string
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
	dims       *dimensions // to store and reuse matches by dimension, with matchStore
	matchStore MatchStore  // store when it keeps matches too, else nil
	resolver   *entities.Resolver
	similarity *similarity.Reference
	phrases    *phrases.Extractor
	refProfile []float64
	refSHA     string
	keys       analysisKeys
	home       Home         // which country each document speaks for
	homes      homeCounts   // with a field rule: the documents analysed with a home and without
	calls      atomic.Int64 // documents the engine annotated
}

// homeCounts counts, under a --home field rule, the documents analysed whose field
// named a state and those whose did not, with the values that named none.
type homeCounts struct {
	mu            sync.Mutex
	with, without int
	unknown       map[string]int // field value ("" when missing) -> documents
}

// HomeCounts returns, under a --home field rule ("{country}"), how many documents the
// Analyzer analysed with a home and without one, and the field's values that named no
// state (the most frequent first, "" for a missing field). Under another rule, zeros.
func (a *Analyzer) HomeCounts() (with, without int, unknown []string) {
	c := &a.homes
	c.mu.Lock()
	defer c.mu.Unlock()
	for v := range c.unknown {
		unknown = append(unknown, v)
	}
	sort.Slice(unknown, func(i, j int) bool {
		if c.unknown[unknown[i]] != c.unknown[unknown[j]] {
			return c.unknown[unknown[i]] > c.unknown[unknown[j]]
		}
		return unknown[i] < unknown[j]
	})
	return c.with, c.without, unknown
}

// homeOf is doc's home under the Analyzer's rule, counted (see HomeCounts).
func (a *Analyzer) homeOf(doc corpus.Document) string {
	home := a.home.Of(doc)
	if a.home.Field() == "" || isReferenceID(doc.ID) {
		return home
	}
	c := &a.homes
	c.mu.Lock()
	defer c.mu.Unlock()
	if home != "" {
		c.with++
		return home
	}
	c.without++
	if c.unknown == nil {
		c.unknown = map[string]int{}
	}
	c.unknown[doc.Meta[a.home.Field()].Text]++
	return home
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
	// The extractors are independent of one another, and the reference's annotation
	// (the engine's first document: its cold start) needs none of them: all are
	// prepared at once, and only the reference's profile waits for them.
	var (
		g        errgroup.Group
		m        *cues.Matcher
		r        *entities.Resolver
		s        *similarity.Reference
		phr      *phrases.Extractor
		matchErr error
	)
	g.Go(func() error {
		m, matchErr = cues.NewMatcher(cfg.Framework)
		return nil
	})
	g.Go(func() (err error) {
		r, err = entities.NewResolver()
		return err
	})
	g.Go(func() (err error) {
		s, err = similarity.NewReference(cfg.ReferenceText)
		phr = phrases.NewExtractor(cfg.Framework.InstitutionalHeads)
		return err
	})
	a := &Analyzer{fw: cfg.Framework, engine: cfg.Engine, store: cfg.Store, refSHA: sha256Hex(cfg.ReferenceText)}
	pieces := chunks(cfg.ReferenceText, chunkBytes)
	first := make(chan annotatedPiece, 1)
	if len(pieces) > 0 {
		go func() {
			ann, err := a.Annotate(ctx, cfg.ReferenceText[pieces[0][0]:pieces[0][1]])
			first <- annotatedPiece{ann, err}
		}()
	} else {
		close(first)
	}
	err := g.Wait()
	if err == nil {
		err = matchErr
	}
	if err != nil {
		if p, ok := <-first; ok {
			a.release(p.ann)
		}
		return nil, err
	}
	a.matcher, a.resolver, a.similarity, a.phrases = m, r, s, phr
	if a.home, err = ParseHome(cfg.Home, r); err != nil {
		if p, ok := <-first; ok {
			a.release(p.ann)
		}
		return nil, fmt.Errorf("home: %w", err)
	}
	if ms, ok := cfg.Store.(MatchStore); ok {
		a.dims, a.matchStore = newDimensions(cfg.Framework, m, cfg.Version), ms
	}
	base := sha256Hex(strings.Join([]string{a.refSHA, cfg.Version, s.Table().Version}, "\x00"))
	analysis := base + "\x00" + cfg.Framework.SHA256()
	if h := a.home.String(); h != "" {
		// Who the documents speak for decides their matches, not their entities or
		// similarity: a new --home re-scores, as a framework edit does. Without one
		// the key is what it was before --home existed.
		analysis += "\x00home\x00" + h
	}
	a.keys = analysisKeys{base: base, analysis: sha256Hex(analysis)}
	if a.refProfile, err = a.profile(ctx, cfg.ReferenceText, pieces, first); err != nil {
		return nil, fmt.Errorf("annotate the reference: %w", err)
	}
	return a, nil
}

// annotatedPiece is a piece's annotation or why there is none.
type annotatedPiece struct {
	ann *annotate.Annotation
	err error
}

// profile is the dimension profile of a text (the reference's), annotated as the
// corpus is: whole, or piece by piece when it is long (see chunkBytes). pieces are
// chunks(text, chunkBytes); the first one's annotation comes from first (closed when
// there are no pieces), the others' are made here, one at a time.
func (a *Analyzer) profile(ctx context.Context, text string, pieces [][2]int, first <-chan annotatedPiece) ([]float64, error) {
	var all []cues.Match
	tokens, sents := 0, 0
	for i, c := range pieces {
		piece := text[c[0]:c[1]]
		var ann *annotate.Annotation
		var err error
		if i == 0 {
			p := <-first
			ann, err = p.ann, p.err
		} else {
			ann, err = a.Annotate(ctx, piece)
		}
		var de *DocumentError
		if errors.As(err, &de) && de.Reason == noWords && long(text) {
			continue
		}
		if err != nil {
			return nil, err
		}
		found, _ := a.matcher.Find(cues.Document{Text: piece, Annotation: ann, Entities: a.resolver.Resolve(piece, ann)}, false)
		for _, m := range found {
			m.Sentence += sents
			all = append(all, m)
		}
		tokens, sents = tokens+len(ann.Tokens), sents+len(ann.Sentences)
		a.release(ann)
	}
	if tokens == 0 {
		return nil, &DocumentError{Stage: StageAnnotate, Reason: noWords}
	}
	return cues.Profile(cues.Score(a.fw, all, tokens)), nil
}

// Document annotates and analyses one document and returns its rows: the whole
// per-document function. prior, when not nil, is the framework-independent part of
// its previous analysis (see Prior). A failure of the document itself is a
// *DocumentError; a cancelled ctx gives ctx's error.
func (a *Analyzer) Document(ctx context.Context, doc corpus.Document, prior *Prior) (*Rows, error) {
	if long(doc.Text) {
		return a.AnalyseLong(ctx, doc, prior, nil)
	}
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
	return a.annotate(ctx, text, sha256Hex(text))
}

// annotate is Annotate for a text whose hex SHA-256 is sha.
func (a *Analyzer) annotate(ctx context.Context, text, sha string) (ann *annotate.Annotation, err error) {
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
		return nil, &DocumentError{Stage: StageAnnotate, Reason: noWords}
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

// DimensionMatches returns the number of (document, dimension) pairs whose cue
// matches were found by the matcher, and of those read from the store because the
// dimension had not changed since they were found (see dimcache.go).
func (a *Analyzer) DimensionMatches() (matched, reused int) {
	if a.dims == nil {
		return 0, 0
	}
	return int(a.dims.matched.Load()), int(a.dims.reused.Load())
}

// Analyse computes the rows of an annotated document. With a prior (see Prior) the
// framework-independent part stands and the rows have no entities. A crash of an
// extractor is a *DocumentError.
func (a *Analyzer) Analyse(doc corpus.Document, ann *annotate.Annotation, prior *Prior) (rows *Rows, err error) {
	return a.analyse(doc, sha256Hex(doc.Text), ann, prior)
}

// analyse is Analyse for a document whose text's hex SHA-256 is sha.
func (a *Analyzer) analyse(doc corpus.Document, sha string, ann *annotate.Annotation, prior *Prior) (rows *Rows, err error) {
	defer func() {
		if r := recover(); r != nil {
			rows, err = nil, &DocumentError{Stage: StageExtract, Reason: "an extractor crashed on this document: " + panicReason(r)}
		}
	}()
	acc := a.newRowsBuilder(doc, sha, prior)
	acc.add(doc.Text, 0, ann)
	return acc.finish(), nil
}

// chunkBytes is the size above which a document is annotated and analysed in pieces of
// at most this many bytes, cut at paragraph breaks (else at a sentence's end, else
// between words), one piece at a time, so that a document's cost in memory is that of
// a piece, not of its length: an annotation takes about 100 bytes a token, and 60 MB
// of one-letter words are 30 million tokens. A piece is annotated as a document of its
// own (so the fast engine gives exactly prose's annotation of each piece); its
// offsets are shifted into the whole text and its sentences numbered on from the
// pieces before, so the rows read as those of one document. No speech comes near the
// size (the longest of the UN General Debate is 42 KB). A variable for tests.
var chunkBytes = 1 << 20

// long reports whether a document's text is analysed in pieces (see chunkBytes).
func long(text string) bool { return len(text) > chunkBytes }

// noWords is the reason of a document without a token.
const noWords = "no words to analyse (the text is empty or only punctuation)"

// AnalyseLong annotates and analyses a long document piece by piece (see chunkBytes),
// each piece's annotation given back before the next is made. When sink is not nil,
// it is handed the evidence rows of each piece as they are made (matches, phrases,
// entities), and the Rows returned have only the document's row and its scores: so a
// caller can write or spill them, and the memory a long document costs does not grow
// with its evidence. A failure of the document is a *DocumentError; a cancelled ctx
// gives ctx's error; a sink's error is returned as it is.
func (a *Analyzer) AnalyseLong(ctx context.Context, doc corpus.Document, prior *Prior, sink func(*Rows) error) (*Rows, error) {
	acc := a.newRowsBuilder(doc, sha256Hex(doc.Text), prior)
	for _, c := range chunks(doc.Text, chunkBytes) {
		piece := doc.Text[c[0]:c[1]]
		ann, err := a.Annotate(ctx, piece)
		var de *DocumentError
		if errors.As(err, &de) && de.Reason == noWords {
			continue // a piece of punctuation only
		}
		if err != nil {
			return nil, err
		}
		err = func() (err error) {
			defer func() {
				if r := recover(); r != nil {
					err = &DocumentError{Stage: StageExtract, Reason: "an extractor crashed on this document: " + panicReason(r)}
				}
			}()
			acc.add(piece, c[0], ann)
			return nil
		}()
		a.release(ann)
		if err != nil {
			return nil, err
		}
		if sink != nil {
			if err := sink(acc.out); err != nil {
				return nil, err
			}
			acc.out.Matches, acc.out.Phrases, acc.out.Entities = nil, nil, nil
		}
	}
	if acc.tokens == 0 {
		return nil, &DocumentError{Stage: StageAnnotate, Reason: noWords}
	}
	return acc.finish(), nil
}

// chunks cuts text into pieces of at most max bytes: at the last paragraph break in
// the second half of the window, else at the last sentence end there, else at the
// last white space, else between two characters. It returns [start, end) offsets.
func chunks(text string, max int) [][2]int {
	var out [][2]int
	for start := 0; start < len(text); {
		end := len(text)
		if end-start > max {
			end = cutPoint(text, start, max)
		}
		out = append(out, [2]int{start, end})
		start = end
	}
	return out
}

// cutPoint is where a piece that starts at start and may hold max bytes ends (see
// chunks): after a separator, so that the next piece starts a paragraph, a sentence
// or a word.
func cutPoint(text string, start, max int) int {
	window := text[start : start+max]
	half := len(window) / 2
	if i := strings.LastIndex(window, "\n\n"); i >= half {
		return start + i + 2
	}
	best := -1
	for _, sep := range []string{". ", ".\n", "! ", "? ", "\n"} {
		if i := strings.LastIndex(window, sep); i >= half && i+len(sep) > best {
			best = i + len(sep)
		}
	}
	if best > 0 {
		return start + best
	}
	if i := strings.LastIndexAny(window, " \t\n"); i > 0 {
		return start + i + 1
	}
	end := start + max
	for end > start+1 && !utf8.RuneStart(text[end]) { // not inside a character
		end--
	}
	return end
}

// rowsBuilder gathers the rows of a document from its annotated pieces (one, or many
// for a long document) and computes the document's numbers at the end.
type rowsBuilder struct {
	a         *Analyzer
	doc       corpus.Document
	sha       string // the hex SHA-256 of doc's text
	home      string // the ISO 3166 alpha-3 code of the country doc speaks for, or ""
	prior     *Prior
	out       *Rows
	tokens    int
	pieces    int
	sents     int                   // sentences of the pieces so far: the first index of the next piece's
	countries []string              // the countries the entities name, sorted
	scores    []cues.DimensionScore // the pieces' scores summed (see add)
	actors    map[int][]string      // with a prior: its countries by sentence of the document
}

func (a *Analyzer) newRowsBuilder(doc corpus.Document, sha string, prior *Prior) *rowsBuilder {
	b := &rowsBuilder{a: a, doc: doc, sha: sha, home: a.homeOf(doc), prior: prior, out: &Rows{Document: a.documentRowOf(doc, sha)}}
	if prior != nil {
		b.actors = entities.SentenceActors(prior.Actors)
	}
	return b
}

// add adds the rows of one annotated piece of the document, text, which starts at
// byte off of the document.
func (b *rowsBuilder) add(text string, off int, ann *annotate.Annotation) {
	a, id, out, sentOff := b.a, b.doc.ID, b.out, b.sents
	actors := b.actors
	var ents []entities.Entity // the piece's entities, by sentence of the piece
	if b.prior != nil {
		// The prior's (sentence, country code, offsets and label: all a cue's condition
		// reads of them) that fall in this piece, made the piece's.
		if !long(b.doc.Text) { // the only piece: all of them
			ents = make([]entities.Entity, 0, len(b.prior.Actors))
		}
		for _, e := range b.prior.Actors {
			if e.Sentence >= sentOff && e.Sentence < sentOff+len(ann.Sentences) {
				e.Sentence -= sentOff
				e.Start, e.End = e.Start-off, e.End-off
				ents = append(ents, e)
			}
		}
	} else {
		ents = a.resolver.Resolve(text, ann)
		for _, e := range ents {
			row := output.Entity{DocID: id, SentenceIndex: int64(e.Sentence + sentOff), CharStart: int64(e.Start + off),
				CharEnd: int64(e.End + off), Text: text[e.Start:e.End], Label: e.Label, Canonical: e.Canonical}
			if e.ISO3 != "" {
				iso := e.ISO3
				row.ISO3 = &iso
			}
			out.Entities = append(out.Entities, row)
		}
		b.countries = mergeSorted(b.countries, entities.Countries(ents))
		local := entities.SentenceActors(ents)
		actors = make(map[int][]string, len(local))
		for s, codes := range local {
			actors[s+sentOff] = codes
		}
	}

	// Only the entities' sentences, country codes, offsets and labels count, which a
	// prior analysis keeps, and the document's home, which the run gives.
	matches := a.findMatches(b, cues.Document{Text: text, Annotation: ann, Entities: ents, Home: b.home})
	out.Matches = slices.Grow(out.Matches, len(matches))
	for _, m := range matches {
		out.Matches = append(out.Matches, output.Match{
			DocID: id, Dimension: m.Dimension, Cue: m.Cue, SentenceIndex: int64(m.Sentence + sentOff),
			CharStart: int64(m.Start + off), CharEnd: int64(m.End + off), Text: text[m.Start:m.End],
			Sentence: ann.SentenceText(text, m.Sentence), Negated: m.Negated,
			Actors: orEmpty(actors[m.Sentence+sentOff]),
		})
	}
	// A piece's scores add to the document's: hits and negated hits are counts, and
	// sentences with a hit are counted within the piece that holds them whole.
	piece := cues.Score(a.fw, matches, len(ann.Tokens))
	if b.scores == nil {
		b.scores = piece
	} else {
		for i := range piece {
			b.scores[i].Hits += piece[i].Hits
			b.scores[i].NegatedHits += piece[i].NegatedHits
			b.scores[i].Sentences += piece[i].Sentences
		}
	}
	// A phrase's dimension is that of the first match over it; matches are in text
	// order, so only those from the longest match's length before the phrase can be
	// (all of them, for every phrase, cost the square of a long text's length).
	longest := 0
	for _, m := range matches {
		longest = max(longest, m.End-m.Start)
	}
	found := a.phrases.Extract(text, ann)
	out.Phrases = slices.Grow(out.Phrases, len(found))
	for _, p := range found {
		row := output.Phrase{DocID: id, SentenceIndex: int64(p.Sentence + sentOff), CharStart: int64(p.Start + off),
			CharEnd: int64(p.End + off), Text: text[p.Start:p.End], Normalized: p.Normalized, Head: p.Head,
			Actors: orEmpty(actors[p.Sentence+sentOff])}
		lo := sort.Search(len(matches), func(k int) bool { return matches[k].Start >= p.Start-longest })
		hi := sort.Search(len(matches), func(k int) bool { return matches[k].Start >= p.End })
		if dim := phrases.Dimension(p, matches[lo:max(lo, hi)]); dim != "" {
			row.Dimension = &dim
		}
		out.Phrases = append(out.Phrases, row)
	}
	b.tokens += len(ann.Tokens)
	b.sents += len(ann.Sentences)
	b.pieces++
}

// minStoredTokens is the length of the shortest document whose matches are stored by
// dimension: a shorter one's cost less to find again than to store and read back (a
// million one-line records would each add an entry to the cache).
const minStoredTokens = 200

// storedMatchesKey is what a document's matches are stored under: the hash of its text,
// and the country it speaks for when known (the same text read from two homes
// matches differently).
func storedMatchesKey(sha, home string) string {
	if home == "" {
		return sha
	}
	return sha + "@" + home
}

// findMatches returns the cue matches of a piece of b's document: of a document
// analysed whole, of minStoredTokens or more, through the matches stored by dimension
// when the store keeps them (see dimcache.go), else found by the matcher.
func (a *Analyzer) findMatches(b *rowsBuilder, doc cues.Document) []cues.Match {
	if a.matchStore != nil && !long(b.doc.Text) && len(doc.Annotation.Tokens) >= minStoredTokens {
		if matches, err := a.dims.find(a.matchStore, storedMatchesKey(b.sha, doc.Home), doc); err == nil {
			return matches
		}
	}
	matches, _ := a.matcher.Find(doc, false)
	return matches
}

// finish computes the document's numbers from everything added.
func (b *rowsBuilder) finish() *Rows {
	a, out := b.a, b.out
	d := &out.Document
	d.NTokens, d.NSentences = int64(b.tokens), int64(b.sents)
	if b.prior != nil {
		d.Countries, d.Similarity = orEmpty(b.prior.Countries), b.prior.Similarity
	} else {
		d.Countries = orEmpty(b.countries)
		d.Similarity = a.similarity.Similarity(a.similarity.Vector(b.doc.Text))
	}
	scores := b.scores
	switch {
	case b.pieces == 0:
		scores = cues.Score(a.fw, nil, b.tokens)
	case b.pieces > 1: // one piece's scores are the document's, rates included
		for i := range scores {
			// The rate in the whole document, as cues.Score computes it.
			scores[i].Per1kTokens = float64(scores[i].Hits) * 1000 / float64(b.tokens)
		}
	}
	for _, s := range scores {
		out.Scores = append(out.Scores, output.Score{DocID: b.doc.ID, Dimension: s.Dimension, Group: s.Group,
			Hits: int64(s.Hits), NegatedHits: int64(s.NegatedHits), Sentences: int64(s.Sentences), Per1kTokens: s.Per1kTokens})
	}
	d.Alignment = cues.Alignment(a.fw, scores)
	d.ProfileSimilarity = cues.ProfileCosine(cues.Profile(scores), a.refProfile)
	return out
}

// documentRowOf is the part of a document's documents.parquet row known before it is
// analysed: who it is, where it came from, and what analyses it; sha is the hex
// SHA-256 of its text.
func (a *Analyzer) documentRowOf(doc corpus.Document, sha string) output.DocumentRow {
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

// mergeSorted is the sorted union of two sorted lists of distinct strings.
func mergeSorted(a, b []string) []string {
	if len(a) == 0 {
		return b
	}
	out := make([]string, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && a[i] < b[j]):
			out = append(out, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	return out
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// pendingStore is the annotation cache of a run that is still opening it: a call
// waits until open says which cache it is (nil for none).
type pendingStore struct {
	ready chan struct{}
	once  sync.Once
	cache *Cache
}

func (p *pendingStore) open(c *Cache) {
	p.once.Do(func() {
		p.cache = c
		close(p.ready)
	})
}

func (p *pendingStore) get() *Cache {
	<-p.ready
	return p.cache
}

func (p *pendingStore) Get(contentSHA, text string) (*annotate.Annotation, error) {
	if c := p.get(); c != nil {
		return c.Get(contentSHA, text)
	}
	return nil, nil
}

func (p *pendingStore) Put(contentSHA, text string, ann *annotate.Annotation) {
	if c := p.get(); c != nil {
		c.Put(contentSHA, text, ann)
	}
}

func (p *pendingStore) GetMatches(contentSHA string) []byte {
	if c := p.get(); c != nil {
		return c.GetMatches(contentSHA)
	}
	return nil
}

func (p *pendingStore) PutMatches(contentSHA string, entry []byte) {
	if c := p.get(); c != nil {
		c.PutMatches(contentSHA, entry)
	}
}

func (p *pendingStore) Release(ann *annotate.Annotation) {
	if c := p.get(); c != nil {
		c.Release(ann)
	}
}
