package pipeline

import (
	"fmt"
	"path/filepath"

	"github.com/framealign/framealign/output"
)

// runTables are the tables a run writes row by row as documents finish
// (documents.parquet is written at the end, when its metadata columns are known).
type runTables struct {
	scores   *output.Table[output.Score]
	matches  *output.Table[output.Match]
	phrases  *output.Table[output.Phrase]
	entities *output.Table[output.Entity]
	errors   *output.Table[output.Error]
	runs     *output.Table[output.Run]
}

func openTables(dir, runID string) (*runTables, error) {
	t := &runTables{}
	var err error
	opened := []func(){}
	fail := func() (*runTables, error) {
		for _, a := range opened {
			a()
		}
		return nil, err
	}
	if t.scores, err = output.CreateTable[output.Score](dir, output.ScoresTable, runID); err != nil {
		return fail()
	}
	opened = append(opened, t.scores.Abort)
	if t.matches, err = output.CreateTable[output.Match](dir, output.MatchesTable, runID); err != nil {
		return fail()
	}
	opened = append(opened, t.matches.Abort)
	if t.phrases, err = output.CreateTable[output.Phrase](dir, output.PhrasesTable, runID); err != nil {
		return fail()
	}
	opened = append(opened, t.phrases.Abort)
	if t.entities, err = output.CreateTable[output.Entity](dir, output.EntitiesTable, runID); err != nil {
		return fail()
	}
	opened = append(opened, t.entities.Abort)
	if t.errors, err = output.CreateTable[output.Error](dir, output.ErrorsTable, runID); err != nil {
		return fail()
	}
	opened = append(opened, t.errors.Abort)
	if t.runs, err = output.CreateTable[output.Run](dir, output.RunsTable, runID); err != nil {
		return fail()
	}
	return t, nil
}

func (t *runTables) names() []string {
	return []string{t.scores.Name, t.matches.Name, t.phrases.Name, t.entities.Name, t.errors.Name, t.runs.Name}
}

func (t *runTables) close() error {
	for _, c := range []func() error{t.scores.Close, t.matches.Close, t.phrases.Close, t.entities.Close, t.errors.Close, t.runs.Close} {
		if err := c(); err != nil {
			t.abort()
			return err
		}
	}
	return nil
}

func (t *runTables) abort() {
	t.scores.Abort()
	t.matches.Abort()
	t.phrases.Abort()
	t.entities.Abort()
	t.errors.Abort()
	t.runs.Abort()
	// documents.parquet's temporary file, if it was written, goes at the next
	// RecoverCommit; nothing else is left behind.
}

// writeDocument writes an item's rows (computed now, or copied from the previous
// run when the document is unchanged) and returns its documents row.
func (t *runTables) writeDocument(it *item, prev *previous, keys analysisKeys) (output.DocumentRow, error) {
	d := it.doc
	row := output.DocumentRow{Meta: d.Meta, Document: output.Document{
		DocID: d.ID, Source: d.Source, Format: d.Format, Encoding: d.Encoding, ContentSHA256: it.sha,
		IsReference: it.isRef, Title: d.Title, AnalysisSHA256: keys.analysis, BaseSHA256: keys.base,
	}}
	var a *Analysis
	if it.reuse {
		var err error
		if a, err = prev.analysis(d.ID); err != nil {
			return row, err
		}
	} else {
		a = it.analysis
	}
	row.NTokens, row.NSentences = int64(a.NTokens), int64(a.NSentences)
	row.Alignment, row.Similarity, row.ProfileSimilarity = a.Alignment, a.Similarity, a.ProfileSimilarity
	row.Countries = a.Countries
	if err := t.scores.Write(a.Scores...); err != nil {
		return row, err
	}
	if err := t.matches.Write(a.Matches...); err != nil {
		return row, err
	}
	if err := t.phrases.Write(a.Phrases...); err != nil {
		return row, err
	}
	if err := t.entities.Write(a.Entities...); err != nil {
		return row, err
	}
	return row, nil
}

// previous is the output of the last run, read back for an incremental rerun. The
// documents and runs tables are read before the run starts; the evidence tables, much
// larger, are read in the background while the corpus is read, and wait waits for them.
type previous struct {
	docs     map[string]output.Document
	runs     []output.Run
	ready    chan struct{} // closed when the evidence tables are read
	loadErr  error
	scores   map[string][]output.Score
	matches  map[string][]output.Match
	phrases  map[string][]output.Phrase
	entities map[string][]output.Entity
}

// loadPrevious reads the tables of the last complete run, or returns nil when the
// folder holds none. The rows of the evidence tables are read only when some document
// may reuse them: all of them when it was analysed as this run would (same analysis
// key), the entities when only the framework changed (same base key).
func loadPrevious(dir string, keys analysisKeys) (*previous, error) {
	docs, err := output.ReadRows[output.Document](filepath.Join(dir, output.DocumentsTable))
	if err != nil || docs == nil {
		return nil, err
	}
	p := &previous{docs: map[string]output.Document{}, ready: make(chan struct{})}
	reusable, rescorable := false, false
	for _, d := range docs {
		p.docs[d.DocID] = d
		reusable = reusable || d.AnalysisSHA256 == keys.analysis
		rescorable = rescorable || d.BaseSHA256 == keys.base
	}
	if p.runs, err = output.ReadRows[output.Run](filepath.Join(dir, output.RunsTable)); err != nil {
		return nil, err
	}
	go func() {
		defer close(p.ready)
		p.loadErr = p.loadEvidence(dir, reusable, rescorable)
		if p.loadErr != nil {
			p.loadErr = fmt.Errorf("read previous output (rerun with --full to start afresh): %w", p.loadErr)
		}
	}()
	return p, nil
}

func (p *previous) loadEvidence(dir string, reusable, rescorable bool) (err error) {
	if reusable || rescorable {
		if p.entities, err = groupRows(dir, output.EntitiesTable, func(r output.Entity) string { return r.DocID }); err != nil {
			return err
		}
	}
	if !reusable {
		return nil
	}
	if p.scores, err = groupRows(dir, output.ScoresTable, func(r output.Score) string { return r.DocID }); err != nil {
		return err
	}
	if p.matches, err = groupRows(dir, output.MatchesTable, func(r output.Match) string { return r.DocID }); err != nil {
		return err
	}
	p.phrases, err = groupRows(dir, output.PhrasesTable, func(r output.Phrase) string { return r.DocID })
	return err
}

// wait waits until the evidence tables are read and returns the error reading them.
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

// basePart returns the framework-independent part of a document's previous analysis:
// its entities, countries, similarity and sizes.
func (p *previous) basePart(docID string) (*Analysis, error) {
	if err := p.wait(); err != nil {
		return nil, err
	}
	d := p.docs[docID]
	countries := d.Countries
	if countries == nil {
		countries = []string{}
	}
	return &Analysis{NTokens: int(d.NTokens), NSentences: int(d.NSentences), Similarity: d.Similarity,
		Countries: countries, Entities: p.entities[docID]}, nil
}

// analysis rebuilds an unchanged document's Analysis from the previous tables.
func (p *previous) analysis(docID string) (*Analysis, error) {
	a, err := p.basePart(docID)
	if err != nil {
		return nil, err
	}
	d := p.docs[docID]
	a.Alignment, a.ProfileSimilarity = d.Alignment, d.ProfileSimilarity
	a.Scores, a.Matches, a.Phrases = p.scores[docID], p.matches[docID], p.phrases[docID]
	return a, nil
}
