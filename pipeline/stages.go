package pipeline

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/output"
)

// The stages of a run, in the Go pipeline pattern: each takes its input channel and
// returns its output channel, which it closes when its input is drained; every
// goroutine ends when the context is cancelled. Items leave the read stage in
// discovery order, numbered; the workers of the middle stages may reorder them; the
// write stage restores the order.

// stage runs f on every item of in with n workers and sends what f returns on the
// channel it returns. An error from f stops the run.
func stage[T any](ctx context.Context, g *errgroup.Group, n int, in <-chan T, f func(context.Context, T) (T, error)) <-chan T {
	out := make(chan T, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		g.Go(func() error {
			defer wg.Done()
			for v := range in {
				v, err := f(ctx, v)
				if err != nil {
					return err
				}
				select {
				case out <- v:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return nil
		})
	}
	g.Go(func() error { wg.Wait(); close(out); return nil })
	return out
}

// read is the discover-and-read stage: the reference first, then the documents of
// every discovered file in discovery order, one file at a time, each tagged with
// what the previous run already has of it. A file that cannot be read, or a record
// that cannot, becomes an item that carries its error row.
func (r *run) read(ctx context.Context, g *errgroup.Group) <-chan *item {
	out := make(chan *item, r.cfg.Workers)
	g.Go(func() error {
		defer close(out)
		seq := 0
		send := func(it *item) error {
			select {
			case r.inflight <- struct{}{}:
			case <-ctx.Done():
				return ctx.Err()
			}
			if err := r.inflightText.Acquire(ctx, textWeight(it)); err != nil {
				<-r.inflight
				return err
			}
			if r.heldText += textWeight(it); r.heldText > gcHoldText {
				r.releaseGC()
			}
			it.seq = seq
			seq++
			select {
			case out <- it:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		refItem := r.newItem(ReferenceDocument(r.cfg.ReferenceName, r.cfg.ReferenceText))
		refItem.file = -1
		if err := send(refItem); err != nil {
			return err
		}
		ids := newIDRegistry(refItem.doc.ID)
		for fi := range r.disc.Files {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := r.readFile(ctx, fi, ids, send); err != nil {
				return err
			}
		}
		return nil
	})
	return out
}

// readFile puts the documents and read errors of file fi in flight: replayed from
// the previous run's state when the file has not changed (see filestate.go), or read.
func (r *run) readFile(ctx context.Context, fi int, ids *idRegistry, send func(*item) error) error {
	f := &r.disc.Files[fi]
	fileErr := func(docID, reason string) *item {
		return &item{file: fi, files: fi + 1, readErr: true, err: &output.Error{Source: f.RelPath, SourceRaw: rawName(f.RawRelPath), DocID: docID, Stage: StageRead, Error: reason}}
	}
	docErr := func(d corpus.Document, reason string) *item {
		return &item{doc: d, file: fi, files: fi, err: &output.Error{Source: d.Source, SourceRaw: rawName(d.SourceRaw), DocID: d.ID, Stage: StageRead, Error: reason}}
	}
	if e := r.state.unchanged(f); e != nil && r.replayable(e) {
		r.sum.FilesUnchanged++
		return r.state.items(e, func(si stateItem) error {
			if si.Err != nil {
				return send(&item{file: fi, files: fi + 1, readErr: true, err: si.Err})
			}
			if reason := ids.claim(si.Doc.ID, fi, r.disc.Files); reason != "" {
				return send(docErr(si.Doc, reason))
			}
			return send(&item{doc: si.Doc, content: si.Content, file: fi, files: fi, status: statusUnchanged, reuse: true})
		})
	}
	r.sum.FilesRead++
	recErrs, err := corpus.Read(*f, r.cfg.ReadOptions, func(d corpus.Document) (err error) {
		defer func() {
			if p := recover(); p != nil { // a bug met by this document: its error row
				err = send(docErr(d, "internal error: "+panicReason(p)))
			}
		}()
		if reason := ids.claim(d.ID, fi, r.disc.Files); reason != "" {
			return send(docErr(d, reason))
		}
		// File-name parts, typed by their form like any text value, win over the
		// file's own metadata of the same name.
		r.cfg.MetaPattern.AddTo(&d, f.RelPath)
		it := r.newItem(d)
		it.file, it.files = fi, fi
		return send(it)
	})
	if errors.Is(err, context.Canceled) || ctx.Err() != nil {
		return ctx.Err()
	}
	for _, re := range recErrs {
		if err := send(fileErr(re.DocID, re.Reason)); err != nil {
			return err
		}
	}
	if err != nil {
		return send(fileErr(f.RelPath, err.Error()))
	}
	return nil
}

// replayable reports whether every document of a file's state stands as it is: in
// the previous tables, with the same content and this run's analysis.
func (r *run) replayable(e *fileEntry) bool {
	if !r.prev.hasAnalysis(r.analyzer.keys.analysis) {
		return false // no previous row is of this analysis (the framework changed): not worth decoding the state
	}
	err := r.state.items(e, func(si stateItem) error {
		if si.Err != nil {
			return nil
		}
		p, ok := r.prev.doc(si.Doc.ID)
		if !ok || hex.EncodeToString(p.content[:]) != si.Content || r.prev.keys[p.keys].analysis != r.analyzer.keys.analysis {
			return errNotReplayable
		}
		return nil
	})
	return err == nil
}

// idRegistry keeps doc_ids unique in a run: the first document to use an id keeps it,
// and a later one is an error row that names both sources, each with the corpus
// folder it was found under (two folders given on the command line may each hold a
// CHN.txt, and doc_ids are relative to their folder). The reference's id is taken
// before any file is read.
type idRegistry struct {
	ref   string
	first *corpus.IDSet // doc_id -> index of the file that used it first
}

func newIDRegistry(ref string) *idRegistry {
	return &idRegistry{ref: ref, first: corpus.NewIDSet()}
}

// claim takes id for a document of file fi, or says why it cannot be had.
func (r *idRegistry) claim(id string, fi int, files []corpus.File) string {
	if id == r.ref {
		return ReferenceIDReason(id, files[fi].Display())
	}
	first, added := r.first.Add(id, fi)
	if added {
		return ""
	}
	if first == fi {
		return fmt.Sprintf("duplicate doc_id %q: used twice in %s; the first is analysed", id, files[fi].Display())
	}
	return DuplicateIDReason(id, files[fi].Display(), files[first].Display())
}

// newItem puts a document in flight, with what the previous run has of it: nothing
// (added), rows that still stand (unchanged), rows of another framework whose
// framework-independent part stands (changed, re-scored), or nothing usable (changed).
func (r *run) newItem(d corpus.Document) *item {
	it := &item{doc: d, status: statusAdded}
	if r.prev == nil {
		return it
	}
	p, ok := r.prev.doc(d.ID)
	if !ok {
		return it
	}
	it.status = statusChanged
	if hex.EncodeToString(p.content[:]) != it.sha() {
		return it
	}
	switch keys, was := r.analyzer.keys, r.prev.keys[p.keys]; {
	case was.analysis == keys.analysis:
		it.status, it.reuse = statusUnchanged, true
	case was.base == keys.base:
		it.rescore = true // only the framework changed: entities and similarity stand
	}
	return it
}

// annotate is the annotate stage's work on one item: the annotation of its text, from
// the cache when the text was seen before.
func (r *run) annotate(ctx context.Context, it *item) (out *item, err error) {
	defer r.onPanic(it, StageAnnotate, &out, &err)
	if it.err != nil || it.reuse || long(it.doc.Text) { // a long document is annotated piece by piece in analyse
		return it, nil
	}
	ann, err := r.analyzer.annotate(ctx, it.doc.Text, it.sha())
	if err != nil {
		var de *DocumentError
		if !errors.As(err, &de) {
			return nil, err // the run was cancelled
		}
		it.err = documentErrorRow(it.doc, de)
		return it, nil
	}
	it.ann = ann
	return it, nil
}

// analyse is the analyse stage's work on one item: its rows.
func (r *run) analyse(ctx context.Context, it *item) (out *item, err error) {
	defer r.onPanic(it, StageExtract, &out, &err)
	if it.err != nil || it.reuse {
		return it, nil
	}
	var prior *Prior
	if it.rescore {
		var err error
		if prior, err = r.prev.prior(it.doc.ID); err != nil {
			return nil, err
		}
	}
	var rows *Rows
	if long(it.doc.Text) {
		// Its evidence goes to disk piece by piece, for the writer to stream.
		if it.evidence, err = newEvidenceSpill(r.stateDir, r.id, it.seq); err != nil {
			return nil, err
		}
		rows, err = r.analyzer.AnalyseLong(ctx, it.doc, prior, it.evidence.add)
		if err != nil {
			it.evidence.remove()
			it.evidence = nil
		}
	} else {
		rows, err = r.analyzer.analyse(it.doc, it.sha(), it.ann, prior)
		r.analyzer.release(it.ann)
		it.ann = nil // the writer needs rows, not tokens
	}
	if err != nil {
		var de *DocumentError
		if !errors.As(err, &de) {
			return nil, err
		}
		it.err = documentErrorRow(it.doc, de)
		return it, nil
	}
	it.rows = rows
	return it, nil
}

// onPanic, deferred by a stage's work on an item, turns a panic there (a bug, met by
// this document) into the document's error row with a one-line reason, so that the
// run goes on. The Analyzer recovers the engine's and the extractors' panics itself;
// this covers the rest of the stage.
func (r *run) onPanic(it *item, stage string, out **item, err *error) {
	p := recover()
	if p == nil {
		return
	}
	if it.ann != nil {
		r.analyzer.release(it.ann)
		it.ann = nil
	}
	it.rows = nil
	it.err = &output.Error{Source: it.doc.Source, SourceRaw: rawName(it.doc.SourceRaw), DocID: it.doc.ID, Stage: stage, Error: "internal error: " + panicReason(p)}
	*out, *err = it, nil
}

func documentErrorRow(d corpus.Document, e *DocumentError) *output.Error {
	return &output.Error{Source: d.Source, SourceRaw: rawName(d.SourceRaw), DocID: d.ID, Stage: e.Stage, Error: e.Reason}
}

// rawName is a file's raw path for a source_raw column: nil (null) when its name is
// valid UTF-8 and source holds it as it is.
func rawName(raw string) []byte {
	if raw == "" {
		return nil
	}
	return []byte(raw)
}

// write is the write stage: it restores discovery order, writes each document's rows
// (computed now, or the previous run's) and keeps the documents rows, error rows and
// counts for the commit.
func (r *run) write(ctx context.Context, in <-chan *item) error {
	pending := map[int]*item{}
	next := 0
	prog := Progress{FilesTotal: len(r.disc.Files)}
	lastReport := time.Time{}
	report := func() {
		prog.Elapsed = time.Since(r.started)
		r.cfg.Progress(prog)
		lastReport = time.Now()
	}
	for it := range in {
		pending[it.seq] = it
		for {
			cur, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if err := r.record(cur, &prog); err != nil {
				return err
			}
			<-r.inflight
			r.inflightText.Release(textWeight(cur))
			if r.cfg.Progress != nil && time.Since(lastReport) > 100*time.Millisecond {
				report()
			}
		}
	}
	if ctx.Err() == nil { // every file read, including those that gave no document
		prog.FilesDone = len(r.disc.Files)
	}
	if r.cfg.Progress != nil {
		report()
	}
	return nil
}

// record writes one item, in order, and counts it.
func (r *run) record(it *item, prog *Progress) error {
	if it.files > prog.FilesDone {
		prog.FilesDone = it.files
	}
	if it.err != nil {
		r.errors = append(r.errors, *it.err)
		r.sum.Failed++
		prog.Failed++
		if it.file >= 0 {
			return r.files.record(&r.disc.Files[it.file], it, nil, it.readErr)
		}
		return nil
	}
	row, err := r.tables.writeDocument(it, r.prev, r.analyzer.documentRowOf(it.doc, it.sha()))
	if err != nil {
		return err
	}
	if it.file >= 0 {
		if err := r.files.record(&r.disc.Files[it.file], it, &row, false); err != nil {
			return err
		}
	}
	if err := r.docs.add(row); err != nil {
		return err
	}
	if r.prev != nil {
		if _, ok := r.prev.position(row.DocID); ok && !isReferenceID(row.DocID) {
			r.prevSeen++
		}
	}
	prog.Documents++
	prog.Tokens += row.NTokens
	r.sum.Tokens += row.NTokens
	if it.seq == 0 { // the embedded reference is not a file of the corpus
		return nil
	}
	switch it.status {
	case statusAdded:
		r.sum.Added++
	case statusChanged:
		r.sum.Changed++
	default:
		r.sum.Unchanged++
	}
	return nil
}
