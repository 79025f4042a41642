package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/framealign/framealign/framework"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/pipeline"
)

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "analyse a corpus and write the Parquet tables",
		ArgsUsage: "CORPUS...",
		Description: "Reads every document under the given folders and files, scores it against the framework\n" +
			"and writes documents, scores, matches, phrases, entities, errors and runs tables to --out.\n" +
			"On a folder that already holds tables, only new and changed documents are analysed.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "output folder for the tables", Required: true},
			&cli.IntFlag{Name: "workers", Aliases: []string{"j"}, Value: runtime.NumCPU(), Usage: "parallel annotation workers"},
			&cli.StringFlag{Name: "framework", Usage: "framework YAML file (default: the embedded new model of major-country relations)"},
			&cli.StringFlag{Name: "reference", Usage: "reference document to compare with (default: the embedded article)"},
			&cli.StringFlag{Name: "meta-pattern", Usage: "turn file-name parts into columns, e.g. '{country}_{session}_{year}.txt'"},
			&cli.StringFlag{Name: "text-field", Value: "text", Usage: "JSONL/CSV field holding the text"},
			&cli.StringFlag{Name: "id-field", Value: "id", Usage: "JSONL/CSV field holding the document id"},
			&cli.Int64Flag{Name: "max-bytes", Value: corpus.DefaultMaxBytes, Usage: "largest document: a one-document file (or its decompressed content), or one JSONL/CSV record"},
			&cli.StringFlag{Name: "engine", Value: defaultEngine, Usage: "annotation engine: " + strings.Join(engineNames(), " or ")},
			&cli.BoolFlag{Name: "full", Usage: "re-analyse every document, ignoring the previous run"},
			&cli.BoolFlag{Name: "strict", Usage: "exit 3 when any document fails"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress and no summary"},
			&cli.StringFlag{Name: "cpuprofile", Usage: "write a pprof CPU profile of the run to this file"},
			&cli.StringFlag{Name: "memprofile", Usage: "write a pprof memory profile (allocations of the run) to this file"},
		},
		Action: runAction,
	}
}

func runAction(c *cli.Context) error {
	// First of all, so that an interrupt while the models load is an orderly stop too.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if c.NArg() == 0 {
		return &exitError{code: exitFailure, err: errors.New("run: give at least one corpus folder or file")}
	}
	if mb := c.Int64("max-bytes"); mb <= 0 || mb > math.MaxInt32 {
		return &exitError{code: exitFailure, err: fmt.Errorf("run: --max-bytes %d: give a size from 1 byte to 2 GiB, the largest document framealign handles", mb)}
	}
	fw, err := loadFramework(c.String("framework"))
	if err != nil {
		return err
	}
	refName, refText := framework.DefaultReference()
	if p := c.String("reference"); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("read reference: %w", err)
		}
		refName, refText = filepath.Base(p), string(b)
	}
	var mp *corpus.MetaPattern
	if p := c.String("meta-pattern"); p != "" {
		if mp, err = corpus.ParseMetaPattern(p); err != nil {
			return fmt.Errorf("--meta-pattern: %w", err)
		}
	}
	annotator, err := newEngine(c.String("engine"))
	if err != nil {
		return err
	}

	if p := c.String("cpuprofile"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	if p := c.String("memprofile"); p != "" {
		defer func() {
			if f, err := os.Create(p); err == nil {
				_ = pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}()
	}

	stderr := c.App.ErrWriter
	if stderr == nil {
		stderr = os.Stderr
	}
	var prog *progressPrinter
	if !c.Bool("quiet") {
		prog = newProgressPrinter(stderr)
	}
	cfg := pipeline.Config{
		Roots: c.Args().Slice(), Out: c.String("out"), Workers: c.Int("workers"),
		Framework: fw, ReferenceName: refName, ReferenceText: refText, MetaPattern: mp,
		ReadOptions: corpus.Options{TextField: c.String("text-field"), IDField: c.String("id-field"), MaxBytes: c.Int64("max-bytes")},
		Full:        c.Bool("full"), Annotator: annotator, Version: buildVersion(),
	}
	if prog != nil {
		cfg.Progress = prog.update
	}
	sum, err := pipeline.Run(ctx, cfg)
	if prog != nil {
		prog.finish()
	}
	if err != nil {
		if ctx.Err() != nil {
			return &exitError{code: exitInterrupted, err: errors.New("interrupted; the previous tables, if any, are unchanged")}
		}
		if errors.Is(err, pipeline.ErrLocked) {
			return &exitError{code: exitLocked, err: err}
		}
		return err
	}
	if !c.Bool("quiet") {
		printSummary(c.App.Writer, sum)
	}
	if c.Bool("strict") && sum.Failed > 0 {
		return &exitError{code: exitStrict, err: fmt.Errorf("%d documents failed (see %s)", sum.Failed, filepath.Join(sum.Out, "errors.parquet"))}
	}
	return nil
}

func loadFramework(path string) (*framework.Framework, error) {
	if path == "" {
		return framework.Default(), nil
	}
	fw, err := framework.Load(path)
	if err != nil {
		return nil, fmt.Errorf("framework %s: %w (run `framealign framework check %s` for every problem)", path, err, path)
	}
	return fw, nil
}

func printSummary(w io.Writer, s *pipeline.Summary) {
	secs := s.Elapsed.Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(s.Tokens) / secs
	}
	fmt.Fprintf(w, "framealign: %d documents in %s (reference included)\n", s.Documents, s.Out)
	fmt.Fprintf(w, "  added %d, changed %d, unchanged %d, removed %d, failed %d, skipped %d files\n",
		s.Added, s.Changed, s.Unchanged, s.Removed, s.Failed, s.Skipped)
	fmt.Fprintf(w, "  %d tokens in %s (%.0f tokens/s), annotated %d documents (the rest from the cache or unchanged)\n",
		s.Tokens, s.Elapsed.Round(time.Millisecond), rate, s.AnnotatorCalls)
	fmt.Fprintf(w, "  tables: %s\n", strings.Join(s.Tables, ", "))
	if s.Failed > 0 {
		fmt.Fprintf(w, "  why documents failed: framealign inspect %s, or select * from '%s'\n", s.Out, filepath.Join(s.Out, "errors.parquet"))
	}
}

// progressPrinter shows progress on stderr: a live bar on a terminal, a plain line
// every few seconds otherwise (cron, CI, a pipe).
type progressPrinter struct {
	w        io.Writer
	tty      bool
	last     time.Time
	every    time.Duration
	lastLine pipeline.Progress // the latest state
	shown    pipeline.Progress // the state last drawn
	drawn    bool
}

func newProgressPrinter(w io.Writer) *progressPrinter {
	p := &progressPrinter{w: w, every: 5 * time.Second}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty, p.every = true, 200*time.Millisecond
	}
	return p
}

func (p *progressPrinter) update(pr pipeline.Progress) {
	p.lastLine = pr
	if time.Since(p.last) < p.every {
		return
	}
	p.last = time.Now()
	p.draw(pr)
}

func (p *progressPrinter) draw(pr pipeline.Progress) {
	p.shown = pr
	rate := 0.0
	if s := pr.Elapsed.Seconds(); s > 0 {
		rate = float64(pr.Tokens) / s
	}
	eta := "?"
	if pr.FilesDone > 0 && pr.FilesTotal > pr.FilesDone {
		left := time.Duration(float64(pr.Elapsed) * float64(pr.FilesTotal-pr.FilesDone) / float64(pr.FilesDone))
		eta = left.Round(time.Second).String()
	} else if pr.FilesTotal > 0 && pr.FilesDone >= pr.FilesTotal {
		eta = "0s"
	}
	if p.tty {
		const width = 30
		filled := 0
		if pr.FilesTotal > 0 {
			filled = width * pr.FilesDone / pr.FilesTotal
		}
		bar := strings.Repeat("=", filled) + strings.Repeat(" ", width-filled)
		fmt.Fprintf(p.w, "\r[%s] %d/%d files  %d docs  %d failed  %.0f tok/s  %s left  ", bar, pr.FilesDone, pr.FilesTotal, pr.Documents, pr.Failed, rate, eta)
		p.drawn = true
		return
	}
	fmt.Fprintf(p.w, "framealign: %d/%d files, %d documents, %d failed, %.0f tokens/s, %s left\n",
		pr.FilesDone, pr.FilesTotal, pr.Documents, pr.Failed, rate, eta)
}

// finish draws the final state, so the last line says where the run ended.
func (p *progressPrinter) finish() {
	if p.tty && p.drawn {
		p.draw(p.lastLine)
		fmt.Fprintln(p.w)
	} else if !p.tty && p.lastLine != p.shown {
		p.draw(p.lastLine)
	}
}
