package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

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
// the documents passed so far are written, and writing goes on row by row.
type evidence[T any] struct {
	t          *output.Table[T]
	dir, runID string
	prev       *previous
	loaded     map[string][]T // the previous run's rows by document, read when first needed
	key        func(T) string
	kept       int  // documents so far identical to the previous run's first ones
	copying    bool // every document so far was identical
	restamp    bool // set by finish: the previous file stands
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
		if same && e.kept < len(e.prev.order) && e.prev.order[e.kept] == docID {
			e.kept++
			return nil
		}
		if err := e.catchUp(); err != nil {
			return err
		}
	}
	if same {
		m, err := e.previousRows()
		if err != nil {
			return err
		}
		rows = m[docID]
	}
	return e.t.Write(rows...)
}

// catchUp writes the previous rows of the documents passed while copying.
func (e *evidence[T]) catchUp() error {
	e.copying = false
	if e.kept == 0 {
		return nil
	}
	m, err := e.previousRows()
	if err != nil {
		return err
	}
	for _, id := range e.prev.order[:e.kept] {
		if err := e.t.Write(m[id]...); err != nil {
			return err
		}
	}
	return nil
}

func (e *evidence[T]) previousRows() (map[string][]T, error) {
	if e.loaded == nil {
		m, err := groupRows(e.prev.dir, e.t.Name, e.key)
		if err != nil {
			return nil, previousOutputError(err)
		}
		e.loaded = m
	}
	return e.loaded, nil
}

// finish decides, once every document is written, whether the previous file stands.
func (e *evidence[T]) finish() error {
	if e.copying && e.kept == len(e.prev.order) {
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
	if !e.restamp {
		return e.t.Close()
	}
	e.t.Abort()
	if err := output.Restamp(e.dir, e.t.Name, e.runID); err != nil {
		return previousOutputError(err)
	}
	return nil
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

func (e *evidence[T]) abort()       { e.t.Abort() }
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
		p := prev.docs[id]
		row.NTokens, row.NSentences = p.NTokens, p.NSentences
		row.Alignment, row.Similarity, row.ProfileSimilarity = p.Alignment, p.Similarity, p.ProfileSimilarity
		row.Countries = orEmpty(p.Countries)
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

// previous is the output of the last run, read back for an incremental rerun: its
// documents and runs tables. The evidence tables are not read unless needed: the
// entities' countries per sentence (the actors of matches and phrases) in the
// background when a document may be re-scored, and whole tables only when this run's
// rows for a table differ from the previous run's (see evidence).
type previous struct {
	dir     string
	docs    map[string]output.DocumentRow
	order   []string // document ids in the previous run's order
	runs    []output.Run
	ready   chan struct{} // closed when actors is read
	loadErr error
	actors  map[string][]entities.Entity // per document, its entities' sentences and ISO3 codes
}

// loadPrevious reads the documents and runs tables of the last complete run, or
// returns nil when the folder holds none.
func loadPrevious(dir string) (*previous, error) {
	docs, err := output.ReadRows[output.DocumentRow](filepath.Join(dir, output.DocumentsTable))
	if err != nil || docs == nil {
		return nil, err
	}
	p := &previous{dir: dir, docs: make(map[string]output.DocumentRow, len(docs)), ready: make(chan struct{})}
	for _, d := range docs {
		p.docs[d.DocID] = d
		p.order = append(p.order, d.DocID)
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

// start reads, in the background, what re-scoring documents under keys will need:
// the countries their entities name, by sentence, when some document's rows are of
// this reference and build but of another framework.
func (p *previous) start(keys analysisKeys) {
	rescorable := false
	for _, d := range p.docs {
		if d.BaseSHA256 == keys.base && d.AnalysisSHA256 != keys.analysis {
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
		byDoc, err := output.ReadSentenceCountries(filepath.Join(p.dir, output.EntitiesTable))
		if err != nil {
			p.loadErr = previousOutputError(err)
			return
		}
		p.actors = make(map[string][]entities.Entity, len(byDoc))
		for doc, sc := range byDoc {
			ents := make([]entities.Entity, len(sc))
			for i, c := range sc {
				ents[i] = entities.Entity{Sentence: c.Sentence, ISO3: c.ISO3}
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
	d := p.docs[docID]
	return &Prior{Similarity: d.Similarity, Countries: orEmpty(d.Countries), Actors: p.actors[docID]}, nil
}
