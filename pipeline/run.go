// Package pipeline moves documents through framealign's stages (discover, read and
// decode, annotate, extract and score, write) on bounded channels, and keeps the
// run's state: the output folder's lock, the annotation cache, and what an
// incremental rerun must redo. It prints nothing; progress reaches the caller through
// a callback.
package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sync/errgroup"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/output"
)

// Config is what a run needs to know.
type Config struct {
	Roots         []string             // corpus folders and files
	Out           string               // output folder
	Workers       int                  // annotate and extract parallelism; 0 means one per CPU
	Framework     *framework.Framework // the framework to score against
	ReferenceName string               // name of the reference document (its doc_id is "reference/" + name)
	ReferenceText string               // text of the reference document
	MetaPattern   *corpus.MetaPattern  // file-name metadata, or nil
	ReadOptions   corpus.Options       // text and id fields, size limit
	Full          bool                 // re-analyse every document, ignoring previous output
	Annotator     annotate.Annotator   // the annotation engine
	Version       string               // framealign's version, part of what makes a row current
	Progress      func(Progress)       // called from the writer as documents finish; may be nil
}

// Progress is the state of a run as documents finish.
type Progress struct {
	FilesTotal int   // files discovered
	FilesDone  int   // files fully read
	Documents  int   // documents written (analysed or reused)
	Failed     int   // documents or files that went to errors
	Tokens     int64 // tokens of the documents written
	Elapsed    time.Duration
}

// Summary is the outcome of a run.
type Summary struct {
	RunID                                      string
	Documents                                  int // rows in documents.parquet (reference included)
	Added, Changed, Unchanged, Removed, Failed int
	Skipped                                    int
	Tokens                                     int64
	AnnotatorCalls                             int // documents the annotation engine was run on (cache misses)
	Elapsed                                    time.Duration
	Out                                        string
	Tables                                     []string
}

// Stage names used in errors.parquet.
const (
	StageDiscover = "discover"
	StageRead     = "read"
	StageAnnotate = "annotate"
	StageExtract  = "extract"
)

// item is one document in flight.
type item struct {
	seq      int
	doc      corpus.Document
	sha      string
	isRef    bool
	reuse    bool // unchanged since the previous run: rows are copied, not recomputed
	rescore  bool // only the framework changed: the previous analysis's framework-independent part stands
	status   string
	ann      *annotate.Annotation
	cached   bool // ann came from the cache, which takes its tokens back after extraction
	analysis *Analysis
	err      *output.Error
	files    int // files finished when this item was emitted (for progress)
}

// Run analyses the corpus and replaces the tables in cfg.Out.
func Run(ctx context.Context, cfg Config) (*Summary, error) {
	started := time.Now()
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.Annotator == nil {
		return nil, errors.New("no annotation engine")
	}
	if cfg.Framework == nil {
		return nil, errors.New("no framework")
	}
	// Discovery first: a mistyped corpus path must not leave an empty output folder.
	disc, err := corpus.Discover(cfg.Roots)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return nil, fmt.Errorf("create output folder: %w", err)
	}
	stateDir := filepath.Join(cfg.Out, ".framealign")
	if err := os.MkdirAll(stateDir, 0o755); err != nil {
		return nil, fmt.Errorf("create output folder: %w", err)
	}
	lk, err := acquireLock(stateDir)
	if err != nil {
		return nil, err
	}
	defer lk.release()
	if err := output.RecoverCommit(cfg.Out); err != nil {
		return nil, err
	}
	cache, err := OpenCache(stateDir)
	if err != nil {
		return nil, err
	}
	defer cache.Close()

	// The extractors (gazetteers, IDF table, the reference's profile) are prepared
	// while the previous run's tables are read.
	type prepared struct {
		a   *Analyzer
		err error
	}
	analyzerReady := make(chan prepared, 1)
	go func() {
		a, err := NewAnalyzer(cfg.Framework, cfg.ReferenceText, func(text string) (*annotate.Annotation, error) {
			sha := sha256Hex(text)
			if ann, err := cache.Get(sha, text); err == nil && ann != nil {
				return ann, nil
			}
			ann, err := cfg.Annotator.Annotate(context.Background(), text)
			if err == nil {
				cache.Put(sha, text, ann)
			}
			return ann, err
		})
		analyzerReady <- prepared{a, err}
	}()
	var prev *previous
	var prevErr error
	if !cfg.Full {
		prev, prevErr = loadPrevious(cfg.Out)
	}
	p := <-analyzerReady
	if p.err != nil {
		return nil, fmt.Errorf("prepare extractors: %w", p.err)
	}
	analyzer := p.a
	base := sha256Hex(strings.Join([]string{sha256Hex(cfg.ReferenceText), cfg.Version, analyzer.Version()}, "\x00"))
	keys := analysisKeys{base: base, analysis: sha256Hex(base + "\x00" + cfg.Framework.SHA256())}
	if prevErr != nil {
		return nil, previousOutputError(prevErr)
	}
	if prev != nil {
		defer prev.wait() // the background reader is done before Run returns
		prev.start(keys)
	}

	runID := started.UTC().Format("20060102T150405.000000Z")
	sum := &Summary{RunID: runID, Out: cfg.Out, Skipped: len(disc.Skipped), Failed: len(disc.Problems)}
	var errorsRows []output.Error
	for _, p := range disc.Problems {
		errorsRows = append(errorsRows, output.Error{Source: p.RelPath, DocID: p.RelPath, Stage: StageDiscover, Error: p.Reason})
	}

	tables, err := openTables(cfg.Out, runID, prev)
	if err != nil {
		return nil, err
	}
	committed := false
	defer func() {
		if !committed {
			tables.abort()
		}
	}()

	g, gctx := errgroup.WithContext(ctx)
	inflight := make(chan struct{}, 4*cfg.Workers+8) // bounds documents in memory
	toAnnotate := make(chan *item, cfg.Workers)
	toExtract := make(chan *item, cfg.Workers)
	toWrite := make(chan *item, cfg.Workers)
	var annotatorCalls atomic.Int64

	// Stage: read and decode, in discovery order, one file at a time.
	g.Go(func() error {
		defer close(toAnnotate)
		seq := 0
		seen := map[string]string{}
		send := func(it *item) error {
			select {
			case inflight <- struct{}{}:
			case <-gctx.Done():
				return gctx.Err()
			}
			it.seq = seq
			seq++
			select {
			case toAnnotate <- it:
				return nil
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		refSHA := sha256Hex(cfg.ReferenceText)
		refDoc := corpus.Document{ID: "reference/" + cfg.ReferenceName, Source: "reference/" + cfg.ReferenceName,
			Format: "txt", Encoding: "utf-8", Text: cfg.ReferenceText}
		if err := send(newItem(refDoc, true, prev, keys)); err != nil {
			return err
		}
		for fi, f := range disc.Files {
			if err := gctx.Err(); err != nil {
				return err
			}
			recErrs, err := corpus.Read(f, cfg.ReadOptions, func(d corpus.Document) error {
				if first, dup := seen[d.ID]; dup {
					return send(&item{doc: d, files: fi, err: &output.Error{Source: d.Source, DocID: d.ID, Stage: StageRead,
						Error: fmt.Sprintf("duplicate doc_id: %q was already read from %s", d.ID, first)}})
				}
				seen[d.ID] = d.Source
				if cfg.MetaPattern != nil {
					if d.Meta == nil {
						d.Meta = map[string]string{}
					}
					for k, v := range cfg.MetaPattern.Apply(f.RelPath) {
						d.Meta[k] = v
					}
				}
				// The reference article may also be a file of the corpus (as in
				// examples/corpus): its row is marked too, so `not is_reference` leaves
				// only the documents compared with it.
				it := newItem(d, false, prev, keys)
				it.isRef = it.sha == refSHA
				it.files = fi
				return send(it)
			})
			if errors.Is(err, context.Canceled) || gctx.Err() != nil {
				return gctx.Err()
			}
			for _, re := range recErrs {
				if err := send(&item{files: fi + 1, err: &output.Error{Source: f.RelPath, DocID: re.DocID, Stage: StageRead, Error: re.Reason}}); err != nil {
					return err
				}
			}
			if err != nil {
				if err := send(&item{files: fi + 1, err: &output.Error{Source: f.RelPath, DocID: f.RelPath, Stage: StageRead, Error: err.Error()}}); err != nil {
					return err
				}
			}
		}
		return nil
	})

	// Stage: annotate (the expensive one), from the cache when the text was seen before.
	var annWG sync.WaitGroup
	for w := 0; w < cfg.Workers; w++ {
		annWG.Add(1)
		g.Go(func() error {
			defer annWG.Done()
			for it := range toAnnotate {
				if it.err == nil && !it.reuse {
					annotateItem(it, cfg.Annotator, cache, &annotatorCalls)
				}
				select {
				case toExtract <- it:
				case <-gctx.Done():
					return gctx.Err()
				}
			}
			return nil
		})
	}
	g.Go(func() error { annWG.Wait(); close(toExtract); return nil })

	// Stage: extract and score.
	var extWG sync.WaitGroup
	for w := 0; w < cfg.Workers; w++ {
		extWG.Add(1)
		g.Go(func() error {
			defer extWG.Done()
			for it := range toExtract {
				if it.err == nil && !it.reuse {
					var prior *Analysis
					if it.rescore {
						var err error
						if prior, err = prev.basePart(it.doc.ID); err != nil {
							return err
						}
					}
					ann := it.ann
					extract(it, analyzer, prior)
					if it.cached {
						cache.Release(ann)
					}
				}
				select {
				case toWrite <- it:
				case <-gctx.Done():
					return gctx.Err()
				}
			}
			return nil
		})
	}
	g.Go(func() error { extWG.Wait(); close(toWrite); return nil })

	// Stage: write, restoring discovery order.
	var docRows []output.DocumentRow
	g.Go(func() error {
		pending := map[int]*item{}
		next := 0
		var prog Progress
		prog.FilesTotal = len(disc.Files)
		lastReport := time.Time{}
		for it := range toWrite {
			pending[it.seq] = it
			for {
				cur, ok := pending[next]
				if !ok {
					break
				}
				delete(pending, next)
				next++
				if cur.err != nil {
					errorsRows = append(errorsRows, *cur.err)
					sum.Failed++
					prog.Failed++
				} else {
					row, err := tables.writeDocument(cur, prev, keys)
					if err != nil {
						return err
					}
					docRows = append(docRows, row)
					prog.Documents++
					prog.Tokens += row.NTokens
					sum.Tokens += row.NTokens
					if cur.seq != 0 { // the embedded reference is not a file of the corpus
						switch cur.status {
						case statusAdded:
							sum.Added++
						case statusChanged:
							sum.Changed++
						default:
							sum.Unchanged++
						}
					}
				}
				if cur.files > prog.FilesDone {
					prog.FilesDone = cur.files
				}
				<-inflight
				if cfg.Progress != nil && time.Since(lastReport) > 100*time.Millisecond {
					prog.Elapsed = time.Since(started)
					cfg.Progress(prog)
					lastReport = time.Now()
				}
			}
		}
		if gctx.Err() == nil { // every file read, including those that gave no document
			prog.FilesDone = len(disc.Files)
		}
		prog.Elapsed = time.Since(started)
		if cfg.Progress != nil {
			cfg.Progress(prog)
		}
		return nil
	})

	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	if prev != nil {
		current := map[string]bool{}
		for _, r := range docRows {
			current[r.DocID] = true
		}
		for id := range prev.docs {
			if !current[id] && !isReferenceID(id) {
				sum.Removed++
			}
		}
	}
	sum.Documents = len(docRows)
	sum.AnnotatorCalls = int(annotatorCalls.Load())
	sort.SliceStable(errorsRows, func(i, j int) bool {
		if errorsRows[i].Source != errorsRows[j].Source {
			return errorsRows[i].Source < errorsRows[j].Source
		}
		return errorsRows[i].DocID < errorsRows[j].DocID
	})

	// documents.parquet is written while the other tables are finished.
	docsWritten := make(chan error, 1)
	go func() { docsWritten <- output.WriteDocuments(cfg.Out, runID, docRows) }()
	docsErr := sync.OnceValue(func() error { return <-docsWritten })
	defer docsErr() // not left writing after an early return
	if err := tables.errors.Write(errorsRows...); err != nil {
		return nil, err
	}
	sum.Elapsed = time.Since(started)
	runRow := output.Run{
		RunID: runID, StartedAt: started.UnixMicro(), FinishedAt: time.Now().UnixMicro(),
		Added: int64(sum.Added), Changed: int64(sum.Changed), Unchanged: int64(sum.Unchanged),
		Removed: int64(sum.Removed), Failed: int64(sum.Failed), Skipped: int64(sum.Skipped),
		FrameworkSHA256: cfg.Framework.SHA256(), Version: cfg.Version, Engine: cfg.Annotator.Name(),
		Workers: int64(cfg.Workers), Tokens: sum.Tokens, Seconds: sum.Elapsed.Seconds(),
	}
	if prev != nil {
		if err := tables.runs.Write(prev.runs...); err != nil {
			return nil, err
		}
	}
	if err := tables.runs.Write(runRow); err != nil {
		return nil, err
	}
	err = tables.finish()
	if err == nil {
		err = tables.close()
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
	names := append([]string{output.DocumentsTable}, tables.names()...)
	if err := output.Commit(cfg.Out, runID, names); err != nil {
		return nil, err
	}
	committed = true
	sum.Tables = names
	return sum, nil
}

const (
	statusAdded     = "added"
	statusChanged   = "changed"
	statusUnchanged = "unchanged"
)

func isReferenceID(id string) bool { return len(id) > 10 && id[:10] == "reference/" }

// analysisKeys identify what produced a document's rows: base, the reference and
// framealign's build (entities, similarity); analysis, base and the framework (all).
type analysisKeys struct{ base, analysis string }

func newItem(d corpus.Document, isRef bool, prev *previous, keys analysisKeys) *item {
	it := &item{doc: d, isRef: isRef, sha: sha256Hex(d.Text), status: statusAdded}
	if prev != nil {
		if p, ok := prev.docs[d.ID]; ok {
			it.status = statusChanged
			switch {
			case p.ContentSHA256 == it.sha && p.AnalysisSHA256 == keys.analysis:
				it.status = statusUnchanged
				it.reuse = true
			case p.ContentSHA256 == it.sha && p.BaseSHA256 == keys.base:
				// Only the framework changed: entities and similarity stand.
				it.rescore = true
			}
		}
	}
	return it
}

func annotateItem(it *item, a annotate.Annotator, cache *Cache, calls *atomic.Int64) {
	defer func() {
		if r := recover(); r != nil {
			it.err = &output.Error{Source: it.doc.Source, DocID: it.doc.ID, Stage: StageAnnotate,
				Error: fmt.Sprintf("the annotator crashed on this document: %v", r)}
		}
	}()
	if ann, err := cache.Get(it.sha, it.doc.Text); err == nil && ann != nil {
		it.ann, it.cached = ann, true
		return
	}
	calls.Add(1)
	ann, err := a.Annotate(context.Background(), it.doc.Text)
	if err != nil {
		it.err = &output.Error{Source: it.doc.Source, DocID: it.doc.ID, Stage: StageAnnotate, Error: err.Error()}
		return
	}
	if len(ann.Tokens) == 0 {
		it.err = &output.Error{Source: it.doc.Source, DocID: it.doc.ID, Stage: StageAnnotate, Error: "no words to analyse (the text is empty or only punctuation)"}
		return
	}
	it.ann = ann
	cache.Put(it.sha, it.doc.Text, ann)
}

func extract(it *item, a *Analyzer, prior *Analysis) {
	defer func() {
		if r := recover(); r != nil {
			it.analysis = nil
			it.err = &output.Error{Source: it.doc.Source, DocID: it.doc.ID, Stage: StageExtract,
				Error: fmt.Sprintf("an extractor crashed on this document: %v\n%s", r, firstLines(debug.Stack(), 12))}
		}
	}()
	it.analysis = a.Analyze(it.doc.ID, it.doc.Text, it.ann, prior)
	it.ann = nil // the writer needs rows, not tokens
}

func firstLines(b []byte, n int) string {
	lines := 0
	for i, c := range b {
		if c == '\n' {
			lines++
			if lines == n {
				return string(b[:i])
			}
		}
	}
	return string(b)
}

// sha256Hex hashes s in place: a document's text is not copied to be hashed
// (sha256 only reads the bytes).
func sha256Hex(s string) string {
	h := sha256.Sum256(unsafe.Slice(unsafe.StringData(s), len(s)))
	return hex.EncodeToString(h[:])
}
