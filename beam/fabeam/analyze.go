package fabeam

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/log"

	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/output"
	"github.com/framealign/framealign/pipeline"
)

// What a worker process loads once and shares between its DoFn instances and
// bundles: the annotation engine's model (in Setup) and, per SideConfig, the Analyzer
// (on the first element, since Setup cannot see side inputs).
var (
	enginesMu sync.Mutex
	engines   = map[string]*engineOnce{}

	analyzersMu sync.Mutex
	analyzers   = map[string]*analyzerOnce{}
)

type engineOnce struct {
	once   sync.Once
	engine annotate.Annotator
	err    error
	took   time.Duration
}

type analyzerOnce struct {
	once sync.Once
	a    *pipeline.Analyzer
	err  error
}

// Engine returns the annotation engine of that name (fast or prose), loaded once per
// process.
func Engine(name string) (annotate.Annotator, time.Duration, error) {
	enginesMu.Lock()
	e, ok := engines[name]
	if !ok {
		e = &engineOnce{}
		engines[name] = e
	}
	enginesMu.Unlock()
	e.once.Do(func() {
		t := time.Now()
		e.engine, e.err = pipeline.NewEngine(name)
		e.took = time.Since(t)
	})
	return e.engine, e.took, e.err
}

// EngineName is the name runs.engine gives the engine --engine names.
func EngineName(name string) (string, error) { return pipeline.EngineName(name) }

// ParseFramework is the framework of a SideConfig: the embedded default when yaml is
// empty.
func ParseFramework(yaml []byte) (*framework.Framework, error) {
	if len(yaml) == 0 {
		return framework.Default(), nil
	}
	fw, problems := framework.Parse(yaml)
	if len(problems) > 0 {
		return nil, fmt.Errorf("framework: line %d: %s", problems[0].Line, problems[0].Message)
	}
	return fw, nil
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// analyzer returns this process's Analyzer for sc, built once.
func analyzer(ctx context.Context, sc SideConfig, engineName, version string) (*pipeline.Analyzer, error) {
	key := sha256Hex(sc.FrameworkYAML) + sha256Hex([]byte(sc.ReferenceText)) + engineName + "\x00" + version + "\x00" + sc.Home
	analyzersMu.Lock()
	ao, ok := analyzers[key]
	if !ok {
		ao = &analyzerOnce{}
		analyzers[key] = ao
	}
	analyzersMu.Unlock()
	ao.once.Do(func() {
		fw, err := ParseFramework(sc.FrameworkYAML)
		if err != nil {
			ao.err = err
			return
		}
		engine, _, err := Engine(engineName)
		if err != nil {
			ao.err = err
			return
		}
		ao.a, ao.err = pipeline.NewAnalyzer(ctx, pipeline.AnalyzerConfig{Framework: fw, ReferenceText: sc.ReferenceText,
			Engine: engine, Version: version, Home: sc.Home})
	})
	return ao.a, ao.err
}

// analyzeWriteFn annotates and analyses each document with pipeline.Analyzer.Document
// and writes its rows to this bundle's temporary Parquet files (one per table, made
// on the table's first row); FinishBundle closes them and emits their names. A
// document that fails becomes its errors row.
//
// Parallel > 1 analyses up to Parallel documents of a bundle at once. Prism gives an
// ordinary stage's elements to one bundle, so without it the analysis there runs on
// one core; distributed runners run bundles in parallel themselves (Parallel 1).
type analyzeWriteFn struct {
	Engine   string
	Version  string
	Parallel int
	Out      string
	RunID    string

	docs, tokens, nanos beam.Counter
	errs                map[string]beam.Counter

	fs      filesystem.Interface
	part    *part
	err     error
	jobs    chan job
	done    chan result
	pending int
}

type job struct {
	ctx context.Context
	d   DocIn
	a   *pipeline.Analyzer
}

type result struct {
	d    DocIn
	rows *pipeline.Rows
	err  error
	ns   int64
}

func (f *analyzeWriteFn) Setup(ctx context.Context) error {
	f.docs = beam.NewCounter(Namespace, CounterDocuments)
	f.tokens = beam.NewCounter(Namespace, CounterTokens)
	f.nanos = beam.NewCounter(Namespace, CounterNanos)
	f.errs = map[string]beam.Counter{}
	for _, s := range []string{pipeline.StageDiscover, pipeline.StageRead, pipeline.StageAnnotate, pipeline.StageExtract} {
		f.errs[s] = beam.NewCounter(Namespace, CounterErrors+s)
	}
	_, took, err := Engine(f.Engine)
	if err != nil {
		return err
	}
	log.Infof(ctx, "framealign: annotation engine %s ready (loaded once per process in %v)", f.Engine, took.Round(time.Millisecond))
	if f.Parallel > 1 {
		f.jobs = make(chan job)
		f.done = make(chan result, 2*f.Parallel) // never full: at most 2*Parallel in flight
		for range f.Parallel {
			go func() {
				for j := range f.jobs {
					f.done <- analyse(j.ctx, j.a, j.d)
				}
			}()
		}
	}
	return nil
}

func (f *analyzeWriteFn) Teardown() {
	if f.jobs != nil {
		close(f.jobs)
		f.jobs = nil
	}
}

func analyse(ctx context.Context, a *pipeline.Analyzer, d DocIn) result {
	t := time.Now()
	rows, err := a.Document(ctx, d.document(), nil)
	return result{d: d, rows: rows, err: err, ns: int64(time.Since(t))}
}

// Beam requires the side inputs and emitters of ProcessElement in StartBundle and
// FinishBundle too.
func (f *analyzeWriteFn) StartBundle(ctx context.Context, _ SideConfig, _ MetaSchema, _ func(TempFile)) error {
	for ; f.pending > 0; f.pending-- { // left by a bundle that failed
		<-f.done
	}
	fs, err := filesystem.New(ctx, f.Out)
	f.fs, f.part, f.err = fs, nil, nil
	return err
}

func (f *analyzeWriteFn) ProcessElement(ctx context.Context, d DocIn, sc SideConfig, ms MetaSchema, _ func(TempFile)) error {
	if f.part == nil {
		f.part = newPart(ctx, f.fs, f.Out, f.RunID, ms)
	}
	if d.IsError() {
		return f.write(ctx, result{d: d})
	}
	a, err := analyzer(ctx, sc, f.Engine, f.Version)
	if err != nil {
		return err // a configuration fault: every element would fail
	}
	if f.jobs == nil {
		return f.write(ctx, analyse(ctx, a, d))
	}
	for f.pending >= 2*f.Parallel-1 { // what a bundle holds in memory stays bounded
		f.pending--
		if err := f.write(ctx, <-f.done); err != nil {
			return err
		}
	}
	f.pending++
	for {
		select {
		case f.jobs <- job{ctx, d, a}:
			return f.drain(ctx, false)
		case r := <-f.done:
			f.pending--
			if err := f.write(ctx, r); err != nil {
				return err
			}
		}
	}
}

// drain writes the finished results; all of them when wait is set.
func (f *analyzeWriteFn) drain(ctx context.Context, wait bool) error {
	for f.pending > 0 {
		var r result
		if wait {
			r = <-f.done
		} else {
			select {
			case r = <-f.done:
			default:
				return nil
			}
		}
		f.pending--
		if err := f.write(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// write writes one document's rows, or its errors row. Only a failure to write, or
// a cancelled context, fails the bundle.
func (f *analyzeWriteFn) write(ctx context.Context, r result) error {
	f.nanos.Inc(ctx, r.ns)
	if f.err != nil {
		return f.err
	}
	switch {
	case r.d.IsError():
		e := r.d.Errs[0]
		f.countError(ctx, e.Stage)
		f.err = f.part.errors.write(e)
	case r.err != nil:
		var de *pipeline.DocumentError
		if !errors.As(r.err, &de) {
			f.err = r.err // cancelled: the runner retries the bundle
			return f.err
		}
		f.countError(ctx, de.Stage)
		f.err = f.part.errors.write(output.Error{Source: r.d.Source, DocID: r.d.ID, Stage: de.Stage, Error: de.Reason})
	default:
		f.docs.Inc(ctx, 1)
		f.tokens.Inc(ctx, r.rows.Document.NTokens)
		f.err = f.part.add(r.rows)
	}
	return f.err
}

// countError counts an errors row of stage.
func (f *analyzeWriteFn) countError(ctx context.Context, stage string) {
	c, ok := f.errs[stage]
	if !ok {
		c = beam.NewCounter(Namespace, CounterErrors+stage)
		f.errs[stage] = c
	}
	c.Inc(ctx, 1)
}

func (f *analyzeWriteFn) FinishBundle(ctx context.Context, _ SideConfig, _ MetaSchema, emit func(TempFile)) error {
	defer func() {
		if f.fs != nil {
			f.fs.Close()
			f.fs = nil
		}
	}()
	if f.part == nil {
		return nil
	}
	if err := f.drain(ctx, true); err != nil {
		return err
	}
	if f.err != nil {
		return f.err
	}
	files, err := f.part.close()
	f.part = nil
	if err != nil {
		return err
	}
	for _, tf := range files {
		emit(tf)
	}
	return nil
}
