package pipeline

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/framealign/framealign/output"
)

// commit is the last stage: once every document is written it counts the removed
// documents, writes documents.parquet, errors.parquet and runs.parquet, finishes the
// evidence tables and renames them all into place at once (output.Commit).
func (r *run) commit(ctx context.Context) (*Summary, error) {
	sum := &r.sum
	if r.prev != nil {
		// doc_ids are unique in a run: the previous documents not met again are gone.
		sum.Removed = r.prev.documents - r.prevSeen
	}
	if d := r.cache.Damage(); d != "" {
		sum.Notices = append(sum.Notices, d)
	}
	sum.Documents = r.docs.n
	sum.AnnotatorCalls = r.analyzer.Calls()
	sum.DimensionsMatched, sum.DimensionsReused = r.analyzer.DimensionMatches()
	sum.HomeField = r.analyzer.home.Field()
	sum.HomeWith, sum.HomeWithout, sum.HomeUnknown = r.analyzer.HomeCounts()
	sort.SliceStable(r.errors, func(i, j int) bool {
		if r.errors[i].Source != r.errors[j].Source {
			return r.errors[i].Source < r.errors[j].Source
		}
		return r.errors[i].DocID < r.errors[j].DocID
	})

	// documents.parquet is written while the other tables are finished.
	docsWritten := make(chan error, 1)
	if err := r.docs.finish(); err != nil {
		return nil, err
	}
	go func() {
		layout, err := output.WriteDocumentsOf(r.cfg.Out, r.id, r.docs.rows())
		sum.MetaColumns, sum.MetaExtraKeys = len(layout.Columns), len(layout.Extra)
		if err == nil {
			err = r.docs.err
		}
		docsWritten <- err
	}()
	docsErr := sync.OnceValue(func() error { return <-docsWritten })
	defer docsErr() // not left writing after an early return
	if err := r.tables.errors.Write(r.errors...); err != nil {
		return nil, err
	}
	sum.Elapsed = time.Since(r.started)
	if r.prev != nil {
		if err := r.tables.runs.Write(r.prev.runs...); err != nil {
			return nil, err
		}
	}
	if err := r.tables.runs.Write(r.runRow()); err != nil {
		return nil, err
	}
	err := r.tables.finish()
	if err == nil {
		err = r.tables.close()
	}
	if derr := docsErr(); err == nil {
		err = derr
	}
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := r.files.finish(); err != nil {
		return nil, err
	}
	names := append([]string{output.DocumentsTable}, r.tables.names()...)
	if err := output.Commit(r.cfg.Out, r.id, names); err != nil {
		return nil, err
	}
	r.tables, r.committed = nil, true // committed: nothing to discard
	removeStates(r.stateDir, r.id)
	sum.Tables = names
	return sum, nil
}

// runRow is this run's row of runs.parquet.
func (r *run) runRow() output.Run {
	s := &r.sum
	return output.Run{
		RunID: r.id, StartedAt: r.started.UnixMicro(), FinishedAt: time.Now().UnixMicro(),
		Added: int64(s.Added), Changed: int64(s.Changed), Unchanged: int64(s.Unchanged),
		Removed: int64(s.Removed), Failed: int64(s.Failed), Skipped: int64(s.Skipped),
		FrameworkSHA256: r.cfg.Framework.SHA256(), Version: r.cfg.Version, Engine: r.cfg.Annotator.Name(),
		Workers: int64(r.cfg.Workers), Tokens: s.Tokens, Seconds: s.Elapsed.Seconds(),
	}
}
