package pipeline

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/framealign/framealign/corpus"

	"github.com/framealign/framealign/extractors/entities"

	"github.com/framealign/framealign/output"
)

// runTables are the tables a run writes row by row as documents finish
// (documents.parquet is written at the end, when its metadata columns are known).
type runTables struct {
	all      []tableFile // every table, in the order of the output contract
	scores   *evidence[output.Score]
	matches  *evidence[output.Match]
	phrases  *evidence[output.Phrase]
	entities *evidence[output.Entity]
	errors   *output.Table[output.Error]
	runs     *output.Table[output.Run]
}

// evidence is one evidence table of the run, written in document order. As long as
// the documents come in the previous run's order, each with the previous run's rows
// for this table, nothing is written: if that holds to the end, the previous file is
// restamped for this run (output.Restamp: its rows are exactly this run's) instead of
// decoded and encoded again. At the first document that differs, the previous rows of
// the documents passed so far are written, and writing goes on row by row. The
// previous rows are read in order, as the documents come (a rerun after new files
// arrived meets the old ones in their old order), so the previous table is never held
// in memory whole unless documents come out of order.
type evidence[T any] struct {
	t          *output.Table[T]
	dir, runID string
	prev       *previous
	key        func(T) string
	kept       int  // documents so far identical to the previous run's first ones
	copying    bool // every document so far was identical
	restamp    bool // set by finish: the previous file stands

	cur    *output.RowReader[T] // the previous table, read in order
	peek   T                    // the row read ahead, when peeked
	peeked bool
	next   int            // the previous documents before this position are read past
	loaded map[string][]T // the previous rows by document, read whole when needed out of order
}

func newEvidence[T any](dir, name, runID string, prev *previous, key func(T) string) (*evidence[T], error) {
	t, err := output.CreateTable[T](dir, name, runID)
	if err != nil {
		return nil, err
	}
	return &evidence[T]{t: t, dir: dir, runID: runID, prev: prev, key: key, copying: prev != nil}, nil
}

// add writes the rows of one document: rows, or when same is true the previous run's
// rows for it (this run's are the same).
func (e *evidence[T]) add(docID string, rows []T, same bool) error {
	if e.copying {
		if same && e.prev.at(e.kept, docID) {
			e.kept++
			return nil
		}
		if err := e.catchUp(); err != nil {
			return err
		}
	}
	if same {
		var err error
		if rows, err = e.previousRows(docID); err != nil {
			return previousOutputError(err)
		}
	}
	return e.t.Write(rows...)
}

// catchUp writes the previous rows of the documents passed while copying: the first
// rows of the previous table.
func (e *evidence[T]) catchUp() error {
	e.copying = false
	if e.kept == 0 {
		return nil
	}
	err := e.readUpTo(e.kept, func(row T) error {
		if _, ok := e.prev.position(e.key(row)); !ok {
			return nil // a row of no document: not framealign's
		}
		return e.t.Write(row)
	})
	e.next = e.kept
	if err != nil {
		return previousOutputError(err)
	}
	return nil
}

// previousRows returns the previous run's rows of a document.
func (e *evidence[T]) previousRows(docID string) ([]T, error) {
	at, ok := e.prev.position(docID)
	if !ok {
		return nil, nil
	}
	if e.loaded == nil && at >= e.next {
		var rows []T
		err := e.readUpTo(at+1, func(row T) error {
			if p, _ := e.prev.position(e.key(row)); p == at {
				rows = append(rows, row)
			}
			return nil
		})
		e.next = at + 1
		return rows, err
	}
	if e.loaded == nil { // a document out of the previous order: read the table whole
		m, err := groupRows(e.prev.dir, e.t.Name, e.key)
		if err != nil {
			return nil, err
		}
		e.loaded = m
	}
	return e.loaded[docID], nil
}

// readUpTo reads the previous table on, calling f with each row of a document before
// position upto, and stops before the first row of a later one.
func (e *evidence[T]) readUpTo(upto int, f func(T) error) error {
	if e.cur == nil {
		cur, err := output.OpenRowReader[T](filepath.Join(e.prev.dir, e.t.Name))
		if err != nil {
			return err
		}
		e.cur = cur
	}
	for {
		if !e.peeked {
			row, ok := e.cur.Next()
			if !ok {
				return e.cur.Err()
			}
			e.peek, e.peeked = row, true
		}
		if at, ok := e.prev.position(e.key(e.peek)); ok && at >= upto {
			return nil
		}
		e.peeked = false
		if err := f(e.peek); err != nil {
			return err
		}
	}
}

// finish decides, once every document is written, whether the previous file stands.
func (e *evidence[T]) finish() error {
	if e.copying && e.kept == len(e.prev.docs) {
		e.restamp = true
		return nil
	}
	if e.copying {
		return e.catchUp() // documents of the previous run are gone
	}
	return nil
}

// close finishes the table's temporary file: the restamped previous file, or the rows
// written.
func (e *evidence[T]) close() error {
	e.closeReader()
	if !e.restamp {
		return e.t.Close()
	}
	e.t.Abort()
	if err := output.Restamp(e.dir, e.t.Name, e.runID); err != nil {
		return previousOutputError(err)
	}
	return nil
}

func (e *evidence[T]) closeReader() {
	if e.cur != nil {
		e.cur.Close()
		e.cur = nil
	}
}

// previousOutputError explains a failure to use the previous run's tables.
func previousOutputError(err error) error {
	return fmt.Errorf("read previous output (rerun with --full to start afresh): %w", err)
}

// tableFile is what the run does with each of its tables at the end: settle the
// evidence tables (finish), close the temporary file, or discard it.
type tableFile interface {
	finish() error
	close() error
	abort()
	name() string
}

// plain adapts an output.Table to tableFile: a table with nothing to settle.
type plain[T any] struct{ *output.Table[T] }

func (p plain[T]) finish() error { return nil }
func (p plain[T]) close() error  { return p.Close() }
func (p plain[T]) abort()        { p.Abort() }
func (p plain[T]) name() string  { return p.Name }

func (e *evidence[T]) abort()       { e.closeReader(); e.t.Abort() }
func (e *evidence[T]) name() string { return e.t.Name }

// openTables creates the run's tables under their temporary names; if one cannot be
// created, those already made are discarded.
func openTables(dir, runID string, prev *previous) (t *runTables, err error) {
	t = &runTables{}
	defer func() {
		if err != nil {
			t.abort()
		}
	}()
	if t.scores, err = openEvidence[output.Score](t, dir, output.ScoresTable, runID, prev, func(r output.Score) string { return r.DocID }); err != nil {
		return nil, err
	}
	if t.matches, err = openEvidence[output.Match](t, dir, output.MatchesTable, runID, prev, func(r output.Match) string { return r.DocID }); err != nil {
		return nil, err
	}
	if t.phrases, err = openEvidence[output.Phrase](t, dir, output.PhrasesTable, runID, prev, func(r output.Phrase) string { return r.DocID }); err != nil {
		return nil, err
	}
	if t.entities, err = openEvidence[output.Entity](t, dir, output.EntitiesTable, runID, prev, func(r output.Entity) string { return r.DocID }); err != nil {
		return nil, err
	}
	if t.errors, err = openPlain[output.Error](t, dir, output.ErrorsTable, runID); err != nil {
		return nil, err
	}
	if t.runs, err = openPlain[output.Run](t, dir, output.RunsTable, runID); err != nil {
		return nil, err
	}
	return t, nil
}

func openEvidence[T any](t *runTables, dir, name, runID string, prev *previous, key func(T) string) (*evidence[T], error) {
	e, err := newEvidence(dir, name, runID, prev, key)
	if err == nil {
		t.all = append(t.all, e)
	}
	return e, err
}

func openPlain[T any](t *runTables, dir, name, runID string) (*output.Table[T], error) {
	tab, err := output.CreateTable[T](dir, name, runID)
	if err == nil {
		t.all = append(t.all, plain[T]{tab})
	}
	return tab, err
}

func (t *runTables) names() []string {
	names := make([]string, len(t.all))
	for i, f := range t.all {
		names[i] = f.name()
	}
	return names
}

// finish settles the evidence tables once every document is written.
func (t *runTables) finish() error {
	for _, f := range t.all {
		if err := f.finish(); err != nil {
			return err
		}
	}
	return nil
}

// close finishes every table at once: each ends with a sync to disk, and the last row
// groups are compressed, which is work for every core.
func (t *runTables) close() error {
	errs := make([]error, len(t.all))
	var wg sync.WaitGroup
	for i, f := range t.all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f.close()
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.abort()
		return err
	}
	return nil
}

// abort discards every table's temporary file. documents.parquet's temporary file and
// restamped copies, if any were written, go at the next RecoverCommit; nothing else is
// left behind.
func (t *runTables) abort() {
	for _, f := range t.all {
		f.abort()
	}
}

// writeDocument writes an item's evidence rows (computed now, or the previous run's
// when they still stand) and returns its documents row: the item's own, or row (the
// document's identity) completed with the previous run's numbers.
func (t *runTables) writeDocument(it *item, prev *previous, row output.DocumentRow) (output.DocumentRow, error) {
	id := it.doc.ID
	if it.reuse {
		p, _ := prev.doc(id)
		row.NTokens, row.NSentences = p.nTokens, p.nSentences
		row.Alignment, row.Similarity, row.ProfileSimilarity = p.alignment, p.similarity, p.profile
		row.Countries = orEmpty(p.countries)
		for _, err := range []error{t.scores.add(id, nil, true), t.matches.add(id, nil, true),
			t.phrases.add(id, nil, true), t.entities.add(id, nil, true)} {
			if err != nil {
				return row, err
			}
		}
		return row, nil
	}
	rows := it.rows
	if it.evidence != nil { // a long document: its evidence streams from disk, piece by piece
		defer it.evidence.remove()
		if err := t.scores.add(id, rows.Scores, false); err != nil {
			return rows.Document, err
		}
		if it.rescore {
			if err := t.entities.add(id, nil, true); err != nil {
				return rows.Document, err
			}
		}
		err := it.evidence.each(func(p evidencePiece) error {
			for _, err := range []error{t.matches.add(id, p.Matches, false), t.phrases.add(id, p.Phrases, false)} {
				if err != nil {
					return err
				}
			}
			if it.rescore {
				return nil
			}
			return t.entities.add(id, p.Entities, false)
		})
		if err == nil && it.evidence.pieces == 0 {
			err = errors.Join(t.matches.add(id, nil, false), t.phrases.add(id, nil, false), t.entities.add(id, nil, it.rescore))
		}
		return rows.Document, err
	}
	for _, err := range []error{t.scores.add(id, rows.Scores, false), t.matches.add(id, rows.Matches, false),
		t.phrases.add(id, rows.Phrases, false),
		// After a framework-only change the entities are the previous run's (it.rescore).
		t.entities.add(id, rows.Entities, it.rescore)} {
		if err != nil {
			return rows.Document, err
		}
	}
	return rows.Document, nil
}

// previous is the output of the last run, read back for an incremental rerun: what
// its documents rows say of each document (compactly: a corpus of a million records
// has a million of them) and its runs table. The evidence tables are not read unless
// needed: the entities' countries per sentence (the actors of matches and phrases) in
// the background when a document may be re-scored, and rows of a table only when this
// run's rows for it differ from the previous run's (see evidence).
type previous struct {
	dir       string
	positions *corpus.IDSet // doc_id -> its position in docs, the previous run's order
	docs      []prevDoc
	keys      []analysisKeys // the distinct analysis and base hashes of the rows
	documents int            // documents of the corpus (the reference's row left out)
	runs      []output.Run
	ready     chan struct{} // closed when actors is read
	loadErr   error
	actors    map[string][]entities.Entity // per document, its entities' sentences and ISO3 codes
}

// prevDoc is what a rerun needs of a previous documents row.
type prevDoc struct {
	content                        [32]byte // content_sha256
	keys                           int32    // its analysis and base hashes, in previous.keys
	nTokens, nSentences            int64
	alignment, similarity, profile float64
	countries                      []string // shared by the documents that name the same countries
}

// prevRow is the part of a documents row that loadPrevious reads.
type prevRow struct {
	DocID             string   `parquet:"doc_id"`
	ContentSHA256     string   `parquet:"content_sha256"`
	NTokens           int64    `parquet:"n_tokens"`
	NSentences        int64    `parquet:"n_sentences"`
	Alignment         float64  `parquet:"alignment"`
	Similarity        float64  `parquet:"similarity"`
	ProfileSimilarity float64  `parquet:"profile_similarity"`
	Countries         []string `parquet:"countries,list"`
	AnalysisSHA256    string   `parquet:"analysis_sha256"`
	BaseSHA256        string   `parquet:"base_sha256"`
}

// loadPrevious reads the documents and runs tables of the last complete run, or
// returns nil when the folder holds none. The documents table is read in order, a
// batch of rows at a time.
func loadPrevious(dir string) (*previous, error) {
	rd, err := output.OpenRowReader[prevRow](filepath.Join(dir, output.DocumentsTable))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	p := &previous{dir: dir, positions: corpus.NewIDSet(), ready: make(chan struct{})}
	keyIDs := map[analysisKeys]int32{}
	countries := map[string][]string{}
	for d, ok := rd.Next(); ok; d, ok = rd.Next() {
		if _, added := p.positions.Add(d.DocID, len(p.docs)); !added {
			continue // not written by framealign, which keeps doc_ids unique
		}
		k := analysisKeys{analysis: d.AnalysisSHA256, base: d.BaseSHA256}
		ki, ok := keyIDs[k]
		if !ok {
			ki = int32(len(p.keys))
			keyIDs[k] = ki
			p.keys = append(p.keys, k)
		}
		joined := strings.Join(d.Countries, ",")
		c, ok := countries[joined]
		if !ok {
			c = orEmpty(d.Countries)
			countries[joined] = c
		}
		pd := prevDoc{keys: ki, nTokens: d.NTokens, nSentences: d.NSentences, alignment: d.Alignment,
			similarity: d.Similarity, profile: d.ProfileSimilarity, countries: c}
		hex.Decode(pd.content[:], []byte(d.ContentSHA256))
		p.docs = append(p.docs, pd)
		if !isReferenceID(d.DocID) {
			p.documents++
		}
	}
	if err := rd.Err(); err != nil {
		return nil, err
	}
	if p.runs, err = output.ReadRows[output.Run](filepath.Join(dir, output.RunsTable)); err != nil {
		return nil, err
	}
	for _, name := range []string{output.ScoresTable, output.MatchesTable, output.PhrasesTable, output.EntitiesTable} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("%s is missing beside %s", name, output.DocumentsTable)
			}
			return nil, err
		}
	}
	return p, nil
}

// position is where document id stood in the previous run's order.
func (p *previous) position(id string) (int, bool) { return p.positions.Get(id) }

// at reports whether document id stood at position i.
func (p *previous) at(i int, id string) bool {
	at, ok := p.positions.Get(id)
	return ok && at == i
}

// doc returns what the previous run had of document id.
func (p *previous) doc(id string) (*prevDoc, bool) {
	i, ok := p.positions.Get(id)
	if !ok {
		return nil, false
	}
	return &p.docs[i], true
}

// hasAnalysis reports whether some previous row was written under the analysis hash
// a (p.keys holds the few distinct ones).
func (p *previous) hasAnalysis(a string) bool {
	if p == nil {
		return false
	}
	for _, k := range p.keys {
		if k.analysis == a {
			return true
		}
	}
	return false
}

// start reads, in the background, what re-scoring documents under keys will need:
// the countries their entities name, by sentence, when some document's rows are of
// this reference and build but of another framework.
func (p *previous) start(keys analysisKeys, cities bool) {
	rescorable := false
	for _, k := range p.keys {
		if k.base == keys.base && k.analysis != keys.analysis {
			rescorable = true
			break
		}
	}
	if !rescorable {
		close(p.ready)
		return
	}
	go func() {
		defer close(p.ready)
		// the cities too when a cue asks for one ({city})
		var city func(string) bool
		if cities {
			city = func(canonical string) bool { return entities.CityOf(canonical) != "" }
		}
		byDoc, err := output.ReadSentenceCountries(filepath.Join(p.dir, output.EntitiesTable), city)
		if err != nil {
			p.loadErr = previousOutputError(err)
			return
		}
		p.actors = make(map[string][]entities.Entity, len(byDoc))
		for doc, sc := range byDoc {
			ents := make([]entities.Entity, len(sc))
			for i, c := range sc {
				ents[i] = entities.Entity{Sentence: c.Sentence, ISO3: c.ISO3, Start: c.Start, End: c.End, Label: c.Label, Canonical: c.Canonical}
			}
			p.actors[doc] = ents
		}
	}()
}

// wait waits until the background read is done and returns its error.
func (p *previous) wait() error {
	<-p.ready
	return p.loadErr
}

func groupRows[T any](dir, name string, key func(T) string) (map[string][]T, error) {
	rows, err := output.ReadRows[T](filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	m := map[string][]T{}
	for _, r := range rows {
		k := key(r)
		m[k] = append(m[k], r)
	}
	return m, nil
}

// prior returns the framework-independent part of a document's previous analysis:
// similarity, countries, and its entities' countries per sentence (the rows
// themselves stay in the previous entities table).
func (p *previous) prior(docID string) (*Prior, error) {
	if err := p.wait(); err != nil {
		return nil, err
	}
	d, _ := p.doc(docID)
	return &Prior{Similarity: d.similarity, Countries: orEmpty(d.countries), Actors: p.actors[docID]}, nil
}
