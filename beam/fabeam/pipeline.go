package fabeam

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/pipeline"
)

// Config is what framealign-beam takes: `framealign run`'s corpus arguments and
// settings, and the output folder.
type Config struct {
	Inputs        []string // local folders and files, or patterns (gs://bucket/speeches/*/*.txt, s3://...)
	MaxDepth      int      // levels of a folder given without pattern that are matched (default 8)
	Out           string   // output folder: local, gs://, s3://
	FrameworkYAML []byte   // nil: the embedded default framework
	ReferenceName string   // with ReferenceText; both empty: the embedded reference article
	ReferenceText string
	MetaPattern   string // --meta-pattern
	Home          string // --home: which country each document speaks for (see pipeline.ParseHome)
	TextField     string // --text-field (default "text")
	IDField       string // --id-field (default "id")
	Sheet         string // --sheet
	MaxBytes      int64  // --max-bytes (default corpus.DefaultMaxBytes)
	Engine        string // fast (default) or prose
	Parallel      int    // documents analysed at once inside one bundle (see analyzeWriteFn)
	Version       string // framealign's build, part of every row's analysis_sha256
	RunID         string // "": from the clock, fixed at construction so every retry agrees

	repeatReads bool // tests: every document read is delivered twice, as by a retried read
}

// Outputs are the PCollections a test may assert on.
type Outputs struct {
	Documents beam.PCollection // DocIn after dedup: the documents analysed and the errors rows, the reference aside
	Committed beam.PCollection // string: the final paths of the files, emitted by the commit
}

// Build adds framealign's pipeline to s.
func Build(s beam.Scope, cfg Config) (Outputs, error) {
	if len(cfg.Inputs) == 0 {
		return Outputs{}, errors.New("give at least one corpus folder, file or pattern")
	}
	if cfg.Out == "" {
		return Outputs{}, errors.New("no output folder")
	}
	if cfg.MaxDepth <= 0 {
		cfg.MaxDepth = 8
	}
	if cfg.TextField == "" {
		cfg.TextField = "text"
	}
	if cfg.IDField == "" {
		cfg.IDField = "id"
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = corpus.DefaultMaxBytes
	}
	if cfg.MaxBytes > math.MaxInt32 {
		return Outputs{}, fmt.Errorf("--max-bytes %d: give a size from 1 byte to 2 GiB, the largest document framealign handles", cfg.MaxBytes)
	}
	if cfg.Engine == "" {
		cfg.Engine = "fast"
	}
	engineName, err := EngineName(cfg.Engine) // the model itself loads on the workers
	if err != nil {
		return Outputs{}, err
	}
	started := time.Now()
	if cfg.RunID == "" {
		cfg.RunID = started.UTC().Format("20060102T150405.000000Z")
	}
	if cfg.ReferenceText == "" {
		cfg.ReferenceName, cfg.ReferenceText = framework.DefaultReference()
	}
	fw, err := ParseFramework(cfg.FrameworkYAML)
	if err != nil {
		return Outputs{}, err
	}
	if cfg.MetaPattern != "" {
		if _, err := corpus.ParseMetaPattern(cfg.MetaPattern); err != nil {
			return Outputs{}, fmt.Errorf("--meta-pattern: %w", err)
		}
	}
	if _, err := pipeline.ParseHome(cfg.Home, nil); err != nil {
		return Outputs{}, fmt.Errorf("--home %w", err)
	}

	// What every worker needs once.
	side := beam.Create(s.Scope("config"), SideConfig{FrameworkYAML: cfg.FrameworkYAML,
		ReferenceName: cfg.ReferenceName, ReferenceText: cfg.ReferenceText, Home: cfg.Home})

	// Discover: every pattern listed through the file system of its scheme; the
	// files are spread over the workers before they are read.
	ds := s.Scope("discover")
	var matches []Match
	for i, arg := range cfg.Inputs {
		if !hasScheme(arg) && !strings.ContainsAny(arg, "*?[") {
			if _, err := os.Stat(arg); err != nil {
				// As `framealign run`: a mistyped path is a mistyped command.
				return Outputs{}, fmt.Errorf("corpus path %s: no such file or folder", arg)
			}
		}
		in := ParseInput(arg, cfg.MaxDepth)
		for _, g := range in.Globs {
			matches = append(matches, Match{Glob: g, Root: in.Root, Input: int64(i)})
		}
	}
	files := beam.Reshuffle(ds, beam.ParDo(ds, matchFn, beam.CreateList(ds, matches)))

	// Read and decode.
	rs := s.Scope("read")
	docs, skipped := beam.ParDo2(rs, &readFn{MetaPattern: cfg.MetaPattern, TextField: cfg.TextField,
		IDField: cfg.IDField, Sheet: cfg.Sheet, MaxBytes: cfg.MaxBytes}, files)
	if cfg.repeatReads {
		docs = beam.ParDo(rs, twice, docs)
	}

	// One document per doc_id; the reference is added after, as `framealign run`
	// reads it apart from the corpus.
	us := s.Scope("dedup")
	// The reference goes through the dedup too, read before any file, so that a record
	// with its id is an errors row as in `framealign run`.
	ref := pipeline.ReferenceDocument(cfg.ReferenceName, cfg.ReferenceText)
	docs = beam.Flatten(us, docs, beam.Create(us, docIn(ref, ref.Source, -1, 0)))
	all := beam.ParDo(us, &dedupFn{}, beam.GroupByKey(us, beam.ParDo(us, keyDoc, docs)))

	// Annotate, analyse and write.
	ws := s.Scope("analyse+write")
	meta := beam.Combine(ws, mergeMeta, beam.Flatten(ws, beam.Create(ws, MetaSchema{}), beam.ParDo(ws, metaOf, all)))
	temps := beam.ParDo(ws, &analyzeWriteFn{Engine: cfg.Engine, Version: cfg.Version, Parallel: cfg.Parallel,
		Out: cfg.Out, RunID: cfg.RunID}, all, beam.SideInput{Input: side}, beam.SideInput{Input: meta})

	// runs.skipped counts what discovery would list: each debris file, or the debris
	// folder holding it, once.
	ks := s.Scope("skipped")
	nSkipped := beam.Combine(ks, sum, beam.Flatten(ks, beam.Create(ks, 0), beam.ParDo(ks, countOne, beam.GroupByKey(ks, beam.ParDo(ks, unitKey, skipped)))))

	// Commit, once every file is written: the GroupByKey on one key is the barrier.
	cs := s.Scope("commit")
	// An empty TempFile makes sure the commit runs even when nothing was written.
	barrier := beam.GroupByKey(cs, beam.AddFixedKey(cs, beam.Flatten(cs, temps, beam.Create(cs, TempFile{}))))
	committed := beam.ParDo(cs, &commitFn{Out: cfg.Out, RunID: cfg.RunID, StartedAt: started.UnixMicro(),
		Version: cfg.Version, Engine: engineName, FwSHA: fw.SHA256()}, barrier,
		beam.SideInput{Input: meta}, beam.SideInput{Input: nSkipped})
	return Outputs{Documents: beam.ParDo(us, dropReference, all), Committed: committed}, nil
}

func unitKey(u string) (string, int) { return u, 1 }

// dropReference passes on every document but the reference (read before any file).
func dropReference(d DocIn, emit func(DocIn)) {
	if d.Input >= 0 || d.IsError() {
		emit(d)
	}
}

func twice(d DocIn, emit func(DocIn)) { emit(d); emit(d) }
