// Package pipeline moves documents through framealign's stages (discover and read,
// annotate, analyse, write, commit) on bounded channels, and keeps the run's state:
// the output folder's lock, the annotation cache, and what an incremental rerun must
// redo. The per-document work is the Analyzer's, which knows nothing of channels or
// files. The package prints nothing; progress reaches the caller through a callback.
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
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/output"
)

// Config is what a run needs to know.
type Config struct {
	Roots         []string             // corpus folders and files
	Out           string               // output folder
	Workers       int                  // annotate and analyse parallelism; 0 means one per CPU
	Framework     *framework.Framework // the framework to score against
	ReferenceName string               // name of the reference document (its doc_id is "reference/" + name)
	ReferenceText string               // text of the reference document
	MetaPattern   *corpus.MetaPattern  // file-name metadata, or nil
	ReadOptions   corpus.Options       // text and id fields, size limit
	Full          bool                 // re-analyse every document, ignoring previous output
	FollowOutside bool                 // follow symbolic links that leave the corpus folders
	Annotator     annotate.Annotator   // the annotation engine
	Version       string               // framealign's version, part of what makes a row current
	Home          string               // which country each document speaks for (see ParseHome), or ""
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
	FilesRead                                  int // files opened and read
	FilesUnchanged                             int // files whose stamp had not moved: their documents were reused without reading them
	// DimensionsMatched counts the (document, dimension) pairs of the documents
	// analysed whose cue matches the matcher found; DimensionsReused those read from
	// the annotation cache, found by an earlier run under the same definition of the
	// dimension (a rerun after a framework edit matches again only what it changed).
	DimensionsMatched, DimensionsReused int
	// MetaColumns is the number of metadata columns of documents.parquet; MetaExtraKeys
	// the number of further keys, beyond output.MaxMetaColumns, whose values are in
	// its meta_extra column.
	MetaColumns, MetaExtraKeys int
	// HomeField is the metadata field of a --home field rule ("country" for
	// "{country}"), else ""; HomeWith and HomeWithout count the documents analysed
	// whose field named a state and those whose did not, HomeUnknown the values that
	// named none (most frequent first; "" for a missing field).
	HomeField             string
	HomeWith, HomeWithout int
	HomeUnknown           []string
	Elapsed               time.Duration
	Out                   string
	Tables                []string
	// Notices are things the user should know that are no document's fault: a
	// damaged annotation cache set aside, the output folder found inside the corpus.
	Notices []string
}

// Stage names used in errors.parquet.
const (
	StageDiscover = "discover"
	StageRead     = "read"
	StageAnnotate = "annotate"
	StageExtract  = "extract"
)

// Run analyses the corpus and replaces the tables in cfg.Out: it discovers and reads
// the documents, annotates and analyses them on cfg.Workers workers each, writes the
// rows in discovery order, and commits the tables when every document is done.
func Run(ctx context.Context, cfg Config) (sum *Summary, err error) {
	r, err := openRun(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer r.close()

	g, gctx := errgroup.WithContext(ctx)
	read := r.read(gctx, g)
	annotated := stage(gctx, g, r.cfg.Workers, read, r.annotate)
	analysed := stage(gctx, g, r.cfg.Workers, annotated, r.analyse)
	g.Go(func() (err error) {
		defer internalError("writing the tables", &err)
		return r.write(gctx, analysed)
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	defer internalError("committing the tables", &err)
	return r.commit(ctx)
}

// internalError, deferred, turns a panic of the run's own bookkeeping (a bug) into
// the run's error: the run fails with a message, and the previous tables stand.
func internalError(doing string, err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("internal error while %s (please report it): %s", doing, panicReason(p))
	}
}

// run is the state of one run: what it was given, what it opened, and what the write
// stage has gathered for the commit.
type run struct {
	cfg      Config
	started  time.Time
	id       string
	stateDir string // OUT/.framealign
	disc     *corpus.Discovery
	lock     *lock
	cache    *Cache
	analyzer *Analyzer
	prev     *previous // the last run's output, or nil
	tables   *runTables
	// inflight bounds the documents in memory between the read and the write stages,
	// and inflightText the bytes of their texts (see textBudget).
	inflight     chan struct{}
	inflightText *semaphore.Weighted

	// Gathered by the write stage, read by commit.
	sum      Summary
	errors   []output.Error
	docs     *docSpill // the documents rows, on disk until the commit
	prevSeen int       // documents of the previous run met again (to count the removed ones)

	files     *stateWriter // what this run learns of each file, for the next (see filestate.go)
	committed bool

	releaseGC func()       // ends the start-up hold of the garbage collector (see holdGC)
	heldText  int64        // text read while it holds
	state     *stateReader // what the previous run learnt, or nil
}

// openRun checks the configuration, discovers the corpus and opens what the run
// writes to: the output folder, its lock, the annotation cache, the previous run's
// tables and this run's temporary tables.
func openRun(ctx context.Context, cfg Config) (r *run, err error) {
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.Framework == nil {
		return nil, errors.New("no framework")
	}
	if cfg.Annotator == nil {
		return nil, errors.New("no annotation engine")
	}
	// Every document's text is valid UTF-8 with words in it (corpus makes it so); the
	// reference, given as text, is held to the same, or the extractors fail on it.
	switch {
	case !utf8.ValidString(cfg.ReferenceText):
		return nil, fmt.Errorf("reference %s: not valid UTF-8 text", cfg.ReferenceName)
	case strings.TrimSpace(cfg.ReferenceText) == "":
		return nil, fmt.Errorf("reference %s: no text", cfg.ReferenceName)
	}
	r = &run{cfg: cfg, started: time.Now(), inflight: make(chan struct{}, 4*cfg.Workers+8), inflightText: semaphore.NewWeighted(textBudget)}
	r.id = r.started.UTC().Format("20060102T150405.000000Z")
	r.releaseGC = holdGC() // until the first megabyte of text is read (see the read stage)
	releasePending()       // a command's hold from its start (HoldGCUntilRun) ends here
	opened := r
	defer func() {
		if err != nil {
			opened.close()
		}
	}()

	// Discovery first: a mistyped corpus path must not leave an empty output folder.
	if r.disc, err = corpus.Discover(cfg.Roots, corpus.DiscoverOptions{FollowOutside: cfg.FollowOutside, Out: cfg.Out}); err != nil {
		return nil, err
	}
	stateDir := filepath.Join(cfg.Out, ".framealign")
	r.stateDir = stateDir
	if err := os.MkdirAll(stateDir, 0o755); err != nil {
		return nil, fmt.Errorf("create output folder: %w", err)
	}
	if r.lock, err = acquireLock(stateDir); err != nil {
		return nil, err
	}
	// The extractors (matcher, gazetteer, IDF table, the reference's profile) are
	// prepared as soon as the run holds the lock (not before: their work must not
	// delay taking it), while the output folder, its annotation cache and the
	// previous run's tables are opened; only the reference's annotation waits for the
	// cache (store). Should the opening fail first, they are stopped and waited for
	// before the cache closes.
	type prepared struct {
		a   *Analyzer
		err error
	}
	prepCtx, cancelPrep := context.WithCancel(ctx)
	store := &pendingStore{ready: make(chan struct{})}
	ready := make(chan prepared, 1)
	go func() {
		a, err := NewAnalyzer(prepCtx, AnalyzerConfig{Framework: cfg.Framework, ReferenceText: cfg.ReferenceText,
			Engine: cfg.Annotator, Store: store, Version: cfg.Version, Home: cfg.Home})
		ready <- prepared{a, err}
	}()
	prepWaited := false
	defer func() {
		if !prepWaited {
			store.open(nil)
			cancelPrep()
			<-ready
		}
		cancelPrep()
	}()

	removeStaleSpills(stateDir)
	if r.docs, err = newDocSpill(stateDir, r.id); err != nil {
		return nil, err
	}
	if err := output.RecoverCommit(cfg.Out); err != nil {
		return nil, err
	}
	if r.cache, err = OpenCache(stateDir); err != nil {
		return nil, err
	}
	store.open(r.cache)

	var prev *previous
	var prevErr error
	if !cfg.Full {
		prev, prevErr = loadPrevious(cfg.Out)
	}
	p := <-ready
	prepWaited = true
	if p.err != nil {
		return nil, fmt.Errorf("prepare extractors: %w", p.err)
	}
	r.analyzer = p.a
	if prevErr != nil {
		return nil, previousOutputError(prevErr)
	}
	if prev != nil {
		prev.start(r.analyzer.keys, r.analyzer.matcher.UsesCities())
		r.prev = prev
	}
	fingerprint := stateFingerprint(cfg)
	if r.prev != nil {
		r.state = openState(cfg.Out, stateDir, fingerprint)
	}
	if r.files, err = newStateWriter(stateDir, r.id, fingerprint, r.started.Add(-racyWindow).UnixNano()); err != nil {
		return nil, err
	}

	r.sum = Summary{RunID: r.id, Out: cfg.Out, Skipped: len(r.disc.Skipped), Failed: len(r.disc.Problems)}
	for _, s := range r.disc.Skipped {
		if s.Reason == corpus.SkippedOutput {
			r.sum.Notices = append(r.sum.Notices, fmt.Sprintf("the output folder %s is inside the corpus: its files are not read as documents (counted as skipped)", cfg.Out))
			break
		}
	}
	for _, p := range r.disc.Problems {
		r.errors = append(r.errors, output.Error{Source: p.RelPath, SourceRaw: rawName(p.RawRelPath), DocID: p.RelPath, Stage: StageDiscover, Error: p.Reason})
	}
	if r.tables, err = openTables(cfg.Out, r.id, r.prev); err != nil {
		return nil, err
	}
	return r, nil
}

// close releases what openRun opened; the tables, unless committed, are discarded.
func (r *run) close() {
	r.releaseGC()
	if r.tables != nil {
		r.tables.abort()
	}
	if r.prev != nil {
		r.prev.wait() // the background reader is done before Run returns
	}
	if r.cache != nil {
		r.cache.Close()
	}
	if r.docs != nil {
		r.docs.remove()
	}
	r.state.close()
	if r.files != nil && !r.committed {
		r.files.abort()
	}
	if r.lock != nil {
		r.lock.release()
	}
}

// racyWindow: a file whose stamp changed this shortly before the run started (or
// during it) is not trusted by its stamp at the next run, which reads it again: a
// second change within the same tick of the file system's clock would not show.
// A variable for tests.
var racyWindow = 2 * time.Second

// textBudget is the most text in flight between the read and the write stages: a
// few long documents may be read ahead, not dozens (4 x workers + 8 documents of up
// to --max-bytes each). A document larger than the budget takes all of it.
const textBudget = 256 << 20

// textWeight is what an item's text takes of textBudget.
func textWeight(it *item) int64 { return min(int64(len(it.doc.Text)), textBudget) }

// item is one document in flight through the stages.
type item struct {
	seq     int
	file    int // the index of the file it came from in the discovery, -1 for the reference
	doc     corpus.Document
	content string // the hex SHA-256 of the document's text: of a document replayed without its text (see filestate.go), or computed once (see sha)
	readErr bool   // err is the file's own read error (a record error, or why the file cannot be used)
	status  string // statusAdded, statusChanged or statusUnchanged
	reuse   bool   // unchanged since the previous run: rows are copied, not recomputed
	rescore bool   // only the framework changed: the previous analysis's framework-independent part stands
	ann     *annotate.Annotation
	rows    *Rows
	// evidence holds a long document's evidence rows on disk (rows has none then).
	evidence *evidenceSpill
	err      *output.Error
	files    int // files finished when this item was emitted (for progress)
}

const (
	statusAdded     = "added"
	statusChanged   = "changed"
	statusUnchanged = "unchanged"
)

// sha is the hex SHA-256 of the item's text, computed at the first call: a document's
// text is hashed once, not by each stage that needs the hash (newItem, the annotation
// cache, the documents row).
func (it *item) sha() string {
	if it.content == "" {
		it.content = sha256Hex(it.doc.Text)
	}
	return it.content
}

func isReferenceID(id string) bool { return len(id) > 10 && id[:10] == "reference/" }

// sha256Hex hashes s in place: a document's text is not copied to be hashed
// (sha256 only reads the bytes).
func sha256Hex(s string) string {
	h := sha256.Sum256(unsafe.Slice(unsafe.StringData(s), len(s)))
	return hex.EncodeToString(h[:])
}
