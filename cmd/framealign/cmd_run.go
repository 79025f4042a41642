package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/internal/atomicfile"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/pipeline"
)

// runOptions are the settings of `framealign run`, one field per flag.
type runOptions struct {
	Corpus      []string
	Out         string
	Workers     int
	Framework   string
	Reference   string
	MetaPattern string
	Home        string
	TextField   string
	IDField     string
	Sheet       string
	MaxBytes    string
	Engine      string
	Full        bool
	FollowOut   bool
	Strict      bool
	Quiet       bool
	CPUProfile  string
	MemProfile  string
	SummaryJSON string
}

func runCommand() *cli.Command {
	var o runOptions
	// env names the environment variable that may set a flag (FRAMEALIGN_OUT for
	// --out), for schedulers that configure a job by its environment.
	env := func(flag string) []string {
		return []string{"FRAMEALIGN_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))}
	}
	return &cli.Command{
		Name:      "run",
		Usage:     "analyse a corpus and write the Parquet tables",
		ArgsUsage: "CORPUS...",
		Description: "Reads every document under the given folders and files, scores it against the framework\n" +
			"and writes documents, scores, matches, phrases, entities, errors and runs tables to --out.\n" +
			"On a folder that already holds tables, only new and changed documents are analysed.\n" +
			"Every flag can also be set by the environment variable shown beside it.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, EnvVars: env("out"), Destination: &o.Out, Usage: "output folder for the tables", Required: true},
			&cli.IntFlag{Name: "workers", Aliases: []string{"j"}, EnvVars: env("workers"), Destination: &o.Workers, Value: runtime.NumCPU(), Usage: "parallel annotation workers"},
			&cli.StringFlag{Name: "framework", EnvVars: env("framework"), Destination: &o.Framework, Usage: "framework YAML file (default: the embedded new model of major-country relations)"},
			&cli.StringFlag{Name: "reference", EnvVars: env("reference"), Destination: &o.Reference, Usage: "reference document to compare with (default: the embedded article)"},
			&cli.StringFlag{Name: "meta-pattern", EnvVars: env("meta-pattern"), Destination: &o.MetaPattern, Usage: "turn file-name parts into columns, e.g. '{country}_{session}_{year}.txt'"},
			&cli.StringFlag{Name: "home", EnvVars: env("home"), Destination: &o.Home, Usage: "the country the documents speak for, whose own name then makes no sentence international: a code or name for all (USA, 'United States': a government's statements), or a metadata field naming each document's ('{country}' with --meta-pattern '{country}_{session}_{year}.txt')"},
			&cli.StringFlag{Name: "text-field", EnvVars: env("text-field"), Destination: &o.TextField, Value: "text", Usage: "JSONL/CSV field holding the text"},
			&cli.StringFlag{Name: "id-field", EnvVars: env("id-field"), Destination: &o.IDField, Value: "id", Usage: "JSONL/CSV field holding the document id"},
			&cli.StringFlag{Name: "sheet", EnvVars: env("sheet"), Destination: &o.Sheet, Usage: "worksheet of .xlsx files to read (default: the first)"},
			&cli.StringFlag{Name: "max-bytes", EnvVars: env("max-bytes"), Destination: &o.MaxBytes, Value: "64MB", Usage: "largest document: a one-document file (or its decompressed content), or one JSONL/CSV/XLSX record; bytes or a size such as 64MB or 1GiB, at most 2GB"},
			&cli.StringFlag{Name: "engine", EnvVars: env("engine"), Destination: &o.Engine, Value: defaultEngine, Usage: "annotation engine: " + strings.Join(engineNames(), " or ")},
			&cli.BoolFlag{Name: "full", EnvVars: env("full"), Destination: &o.Full, Usage: "re-analyse every document, ignoring the previous run"},
			&cli.BoolFlag{Name: "follow-outside", EnvVars: env("follow-outside"), Destination: &o.FollowOut, Usage: "follow symbolic links that lead outside the corpus folders (by default they are listed in errors and not read)"},
			&cli.BoolFlag{Name: "strict", EnvVars: env("strict"), Destination: &o.Strict, Usage: "exit 3 when any document fails"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, EnvVars: env("quiet"), Destination: &o.Quiet, Usage: "no progress and no summary"},
			&cli.StringFlag{Name: "summary-json", EnvVars: env("summary-json"), Destination: &o.SummaryJSON, Usage: "write the run's counts to this file as JSON, for a scheduler or a monitoring script"},
			&cli.StringFlag{Name: "cpuprofile", EnvVars: env("cpuprofile"), Destination: &o.CPUProfile, Usage: "write a pprof CPU profile of the run to this file"},
			&cli.StringFlag{Name: "memprofile", EnvVars: env("memprofile"), Destination: &o.MemProfile, Usage: "write a pprof memory profile (allocations of the run) to this file"},
		},
		Action: func(c *cli.Context) error {
			// First of all, so that an interrupt while the models load is an orderly stop too.
			ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
			defer stop()
			// The framework's parsing and the reference's reading are start-up too:
			// no collection over them (the run's own hold takes over, see holdGC).
			defer pipeline.HoldGCUntilRun()()
			o.Corpus = c.Args().Slice()
			return runRun(ctx, o, c.App.Writer, errWriter(c))
		},
	}
}

// runRun does `framealign run`: it turns the options into a pipeline configuration,
// runs the pipeline with progress on stderr, prints the summary on stdout and maps
// the outcome to an exit code.
func runRun(ctx context.Context, o runOptions, stdout, stderr io.Writer) error {
	cfg, err := o.config()
	if err != nil {
		return &exitError{code: exitFailure, err: fmt.Errorf("run: %w", err)}
	}
	stopProfiles, err := startProfiles(o.CPUProfile, o.MemProfile)
	if err != nil {
		return err
	}
	defer stopProfiles()

	var prog *progressPrinter
	if !o.Quiet {
		prog = newProgressPrinter(stderr)
		cfg.Progress = prog.update
	}
	sum, err := pipeline.Run(ctx, cfg)
	if prog != nil {
		prog.finish()
	}
	switch {
	case err != nil && ctx.Err() != nil:
		return &exitError{code: exitInterrupted, err: errors.New("interrupted; the previous tables, if any, are unchanged")}
	case errors.Is(err, pipeline.ErrLocked):
		return &exitError{code: exitLocked, err: err}
	case err != nil:
		return err
	}
	for _, n := range sum.Notices { // even with --quiet: they need the user's attention
		fmt.Fprintln(stderr, "framealign: warning:", n)
	}
	if !o.Quiet {
		printSummary(stdout, sum)
	}
	if o.SummaryJSON != "" {
		if err := writeSummaryJSON(o.SummaryJSON, sum); err != nil {
			return fmt.Errorf("--summary-json: %w", err)
		}
	}
	if o.Strict && sum.Failed > 0 {
		return &exitError{code: exitStrict, err: fmt.Errorf("%d documents failed (see %s)", sum.Failed, filepath.Join(sum.Out, "errors.parquet"))}
	}
	return nil
}

// config checks the options and loads what they name: the framework, the
// reference, the file-name pattern and the annotation engine.
func (o runOptions) config() (pipeline.Config, error) {
	if len(o.Corpus) == 0 {
		return pipeline.Config{}, errors.New("give at least one corpus folder or file")
	}
	maxBytes := int64(corpus.DefaultMaxBytes)
	if o.MaxBytes != "" {
		var err error
		if maxBytes, err = parseMaxBytes(o.MaxBytes); err != nil {
			return pipeline.Config{}, err
		}
	}
	readOpts := corpus.Options{TextField: o.TextField, IDField: o.IDField, Sheet: o.Sheet, MaxBytes: maxBytes}
	fw, err := loadFramework(o.Framework, maxBytes)
	if err != nil {
		return pipeline.Config{}, err
	}
	refName, refText := framework.DefaultReference()
	if o.Reference != "" {
		// Read as a corpus file is: a PDF's text layer, an HTML page's text, a
		// Windows-1252 file decoded; empty, binary or unreadable is an error now,
		// before any work.
		doc, err := corpus.ReadDocument(o.Reference, readOpts)
		if err != nil {
			return pipeline.Config{}, fmt.Errorf("--reference %s: %w", o.Reference, err)
		}
		refName, refText = filepath.Base(o.Reference), doc.Text
	}
	mp, err := parseMetaPattern(o.MetaPattern)
	if err != nil {
		return pipeline.Config{}, err
	}
	if _, err := pipeline.ParseHome(o.Home, nil); err != nil {
		return pipeline.Config{}, fmt.Errorf("--home %w", err)
	}
	engine, err := newEngine(o.Engine)
	if err != nil {
		return pipeline.Config{}, err
	}
	return pipeline.Config{
		Roots: o.Corpus, Out: o.Out, Workers: o.Workers,
		Framework: fw, ReferenceName: refName, ReferenceText: refText, MetaPattern: mp,
		ReadOptions: readOpts,
		Full:        o.Full, FollowOutside: o.FollowOut, Annotator: engine, Version: buildVersion(), Home: o.Home,
	}, nil
}

// parseMetaPattern reads a --meta-pattern value (run's, eval's and concord's); nil
// for none.
func parseMetaPattern(p string) (*corpus.MetaPattern, error) {
	if p == "" {
		return nil, nil
	}
	mp, err := corpus.ParseMetaPattern(p)
	if err != nil {
		return nil, fmt.Errorf("--meta-pattern: %w", err)
	}
	return mp, nil
}

// startProfiles starts the CPU profile and arranges the memory profile the flags ask
// for; the returned function stops and writes them.
func startProfiles(cpu, mem string) (stop func(), err error) {
	var stops []func()
	stop = func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	if cpu != "" {
		f, err := os.Create(cpu)
		if err != nil {
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
		stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
	}
	if mem != "" {
		stops = append(stops, func() {
			if f, err := os.Create(mem); err == nil {
				_ = pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		})
	}
	return stop, nil
}

// loadFramework returns the framework in path, or the embedded default for "". The
// file is read as a corpus text file is (decoded, held to maxBytes, a device or pipe
// refused), so that --framework /dev/zero cannot read without end.
func loadFramework(path string, maxBytes int64) (*framework.Framework, error) {
	if path == "" {
		return framework.Default(), nil
	}
	text, err := corpus.ReadText(path, corpus.Options{MaxBytes: maxBytes})
	if err != nil {
		return nil, fmt.Errorf("framework %s: %w", path, err)
	}
	fw, problems := framework.Parse([]byte(text))
	if len(problems) > 0 {
		return nil, &framework.ProblemsError{Path: path, Problems: problems} // each problem with its line
	}
	return fw, nil
}

// errWriter is where a command writes progress and warnings.
func errWriter(c *cli.Context) io.Writer {
	if c.App.ErrWriter != nil {
		return c.App.ErrWriter
	}
	return os.Stderr
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
	fmt.Fprintf(w, "  files read %d, unchanged and not opened %d\n", s.FilesRead, s.FilesUnchanged)
	if s.DimensionsReused > 0 {
		fmt.Fprintf(w, "  cue matches: %d (document, dimension) pairs matched, %d read from the cache (their dimension is unchanged)\n",
			s.DimensionsMatched, s.DimensionsReused)
	}
	if s.HomeField != "" && s.HomeWith+s.HomeWithout > 0 {
		fmt.Fprintf(w, "  home (--home {%s}): %d documents analysed with one, %d without", s.HomeField, s.HomeWith, s.HomeWithout)
		if len(s.HomeUnknown) > 0 {
			vals := make([]string, 0, 5)
			for _, v := range s.HomeUnknown[:min(5, len(s.HomeUnknown))] {
				if v == "" {
					v = "(no " + s.HomeField + ")"
				} else {
					v = strconv.Quote(v)
				}
				vals = append(vals, v)
			}
			more := ""
			if len(s.HomeUnknown) > 5 {
				more = fmt.Sprintf(" and %d more", len(s.HomeUnknown)-5)
			}
			fmt.Fprintf(w, " (%s names no state: %s%s)", s.HomeField, strings.Join(vals, ", "), more)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  tables: %s\n", strings.Join(s.Tables, ", "))
	if s.MetaExtraKeys > 0 {
		fmt.Fprintf(w, "  metadata: %d keys; the %d held by the most documents are columns, the other %d are in the JSON column meta_extra\n",
			s.MetaColumns+s.MetaExtraKeys, s.MetaColumns, s.MetaExtraKeys)
	}
	if s.Failed > 0 {
		fmt.Fprintf(w, "  why documents failed: framealign inspect %s, or select * from '%s'\n", s.Out, filepath.Join(s.Out, "errors.parquet"))
	}
}

// runSummary is what --summary-json writes: the counts of runs.parquet's row and
// where the tables are.
type runSummary struct {
	RunID         string   `json:"run_id"`
	Documents     int      `json:"documents"` // rows of documents.parquet, the reference included
	Added         int      `json:"added"`
	Changed       int      `json:"changed"`
	Unchanged     int      `json:"unchanged"`
	Removed       int      `json:"removed"`
	Failed        int      `json:"failed"`
	Skipped       int      `json:"skipped"`
	Tokens        int64    `json:"tokens"`
	Annotated     int      `json:"annotated"` // documents the annotation engine ran on
	Seconds       float64  `json:"seconds"`
	Out           string   `json:"out"`
	Tables        []string `json:"tables"`
	MetaColumns   int      `json:"meta_columns"`
	MetaExtraKeys int      `json:"meta_extra_keys"` // keys whose values are in meta_extra
}

// writeSummaryJSON writes the run's counts to path through a temporary file in the same
// folder, renamed into place, so a script never reads half a file.
func writeSummaryJSON(path string, s *pipeline.Summary) error {
	out, err := filepath.Abs(s.Out)
	if err != nil {
		out = s.Out
	}
	b, err := json.MarshalIndent(runSummary{
		RunID: s.RunID, Documents: s.Documents, Added: s.Added, Changed: s.Changed, Unchanged: s.Unchanged,
		Removed: s.Removed, Failed: s.Failed, Skipped: s.Skipped, Tokens: s.Tokens, Annotated: s.AnnotatorCalls,
		Seconds: math.Round(s.Elapsed.Seconds()*1000) / 1000, Out: out, Tables: s.Tables,
		MetaColumns: s.MetaColumns, MetaExtraKeys: s.MetaExtraKeys,
	}, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(b, '\n'))
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
