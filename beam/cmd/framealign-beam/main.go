// Command framealign-beam runs framealign's analysis as an Apache Beam pipeline: on
// Prism inside this process (the default), on any portable runner's job endpoint
// (--runner=universal --endpoint=HOST:PORT; Flink's and Spark's job servers), or on
// Google Cloud Dataflow (--runner=dataflow). It takes `framealign run`'s corpus
// arguments and settings and writes the same tables, each a folder of Parquet parts.
package main

import (
	"context"
	"crypto/sha256"
	"debug/elf"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/options/jobopts"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners"
	"github.com/framealign/framealign/beam/fabeam"
	"github.com/framealign/framealign/beam/internal/netns"
	"github.com/framealign/framealign/corpus"
	"github.com/urfave/cli/v2"

	// Runners: prism (in this process, or a job server), universal (any portable
	// job endpoint), flink and spark (their job servers), dataflow.
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/dataflow"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/flink"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/spark"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/universal"
	// s3:// (gs:// and local files come with fabeam).
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/s3"
)

// Version is framealign's version, as cmd/framealign's; the build's digest is added.
const Version = "0.1.0"

// isolateEnv marks the copy of this program that runs in a private network namespace.
const isolateEnv = "FRAMEALIGN_BEAM_NETNS"

func main() {
	if isWorker(os.Args[1:]) {
		// Started by a runner as an SDK worker: Beam's own flags, then the harness.
		flag.Parse()
		beam.Init()
		return
	}
	if err := newApp().Run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "framealign-beam:", err)
		os.Exit(1)
	}
}

// isWorker reports whether a runner started this binary as an SDK worker (Beam's
// boot loader passes --worker=true --id=... --control_endpoint=...): those arguments
// must reach the standard flag set and beam.Init before the CLI sees them.
func isWorker(args []string) bool {
	for _, a := range args {
		switch strings.TrimLeft(a, "-") {
		case "worker", "worker=true", "worker=1":
			return true
		}
	}
	return false
}

// workerOnly are Beam flags a user never gives: the runner passes them to workers.
var workerOnly = map[string]bool{"worker": true, "id": true, "control_endpoint": true, "logging_endpoint": true,
	"semi_persist_dir": true, "options": true, "status_endpoint": true, "provision_endpoint": true, "artifact_endpoint": true}

// beamFlags mirrors the flags Beam's packages register on the standard flag set as
// CLI flags, so that --help lists them and the CLI accepts them; apply copies the
// values given back into the flag set before beam.Init.
func beamFlags() ([]cli.Flag, func(*cli.Context) error) {
	var flags []cli.Flag
	var names []string
	flag.VisitAll(func(f *flag.Flag) {
		if strings.HasPrefix(f.Name, "test.") {
			return
		}
		names = append(names, f.Name)
		hidden := workerOnly[f.Name]
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
			flags = append(flags, &cli.BoolFlag{Name: f.Name, Usage: f.Usage, Category: "Runner: Beam pipeline options", Hidden: hidden})
			return
		}
		flags = append(flags, &cli.StringFlag{Name: f.Name, Usage: f.Usage, Value: f.DefValue, Category: "Runner: Beam pipeline options", Hidden: hidden})
	})
	apply := func(c *cli.Context) error {
		for _, n := range names {
			if c.IsSet(n) {
				if err := flag.Set(n, c.String(n)); err != nil {
					return fmt.Errorf("--%s: %w", n, err)
				}
			}
		}
		return nil
	}
	return flags, apply
}

func newApp() *cli.App {
	bflags, applyBeam := beamFlags()
	const cat = "Corpus, analysis and output (as framealign run)"
	// As with framealign run, FRAMEALIGN_OUT sets --out and so on.
	env := func(flag string) []string {
		return []string{"FRAMEALIGN_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))}
	}
	return &cli.App{
		Name:      "framealign-beam",
		Usage:     "framealign run as an Apache Beam pipeline: Prism here, Flink, Spark or Dataflow in production",
		ArgsUsage: "CORPUS...",
		Description: "Analyses every document under the given folders, files or patterns (gs://bucket/speeches/**,\n" +
			"s3://bucket/speeches/*/*.txt) and writes framealign run's tables to --out, each a folder of Parquet\n" +
			"parts (documents/part-00000-of-00004.parquet ...); _SUCCESS is written last. Read a table whole\n" +
			"with a glob: read_parquet('OUT/documents/*.parquet').\n\n" +
			"By default the pipeline runs on Prism inside this process, in a private network namespace where\n" +
			"the system allows it (Prism listens on every interface). --runner=universal --endpoint=HOST:PORT\n" +
			"submits it to a portable job server (Flink, Spark, a separate Prism); --runner=dataflow to\n" +
			"Google Cloud Dataflow. For workers on other machines give --worker_binary, this program built\n" +
			"for them (CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build ./cmd/framealign-beam).",
		HideHelpCommand: true,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "out", EnvVars: env("out"), Aliases: []string{"o"}, Required: true, Usage: "output folder (local, gs://, s3://)", Category: cat},
			&cli.StringFlag{Name: "framework", EnvVars: env("framework"), Usage: "framework YAML file (default: the embedded new model of major-country relations)", Category: cat},
			&cli.StringFlag{Name: "reference", EnvVars: env("reference"), Usage: "reference document to compare with (default: the embedded article)", Category: cat},
			&cli.StringFlag{Name: "meta-pattern", EnvVars: env("meta-pattern"), Usage: "turn file-name parts into columns, e.g. '{country}_{session}_{year}.txt'", Category: cat},
			&cli.StringFlag{Name: "home", EnvVars: env("home"), Usage: "the country the documents speak for, as framealign run --home takes it: a code or name (USA), or a metadata field ('{country}')", Category: cat},
			&cli.StringFlag{Name: "text-field", EnvVars: env("text-field"), Value: "text", Usage: "JSONL/CSV field holding the text", Category: cat},
			&cli.StringFlag{Name: "id-field", EnvVars: env("id-field"), Value: "id", Usage: "JSONL/CSV field holding the document id", Category: cat},
			&cli.StringFlag{Name: "sheet", EnvVars: env("sheet"), Usage: "worksheet of .xlsx files to read (default: the first)", Category: cat},
			&cli.Int64Flag{Name: "max-bytes", EnvVars: env("max-bytes"), Value: corpus.DefaultMaxBytes, Usage: "largest document: a one-document file (or its decompressed content), or one JSONL/CSV record", Category: cat},
			&cli.StringFlag{Name: "engine", EnvVars: env("engine"), Value: "fast", Usage: "annotation engine: fast or prose", Category: cat},
			&cli.IntFlag{Name: "max-depth", Value: 8, Usage: "levels of a folder given without a pattern that are read", Category: cat},
			&cli.StringFlag{Name: "fa-version", Usage: "version in every row's analysis_sha256 (default: framealign's version and this build's digest)", Category: cat},
			&cli.IntFlag{Name: "parallel", Aliases: []string{"workers", "j"}, Usage: "documents analysed at once inside one bundle (default: one per CPU in-process and with LOOPBACK workers, as Prism runs a stage as one bundle; 1 elsewhere: runners run bundles in parallel)", Category: cat},
			&cli.BoolFlag{Name: "strict", Usage: "exit 3 when any document or file went to errors", Category: cat},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no counters and no summary", Category: cat},
			&cli.BoolFlag{Name: "no-isolation", Usage: "run in-process Prism in this network namespace (its ports then listen on every interface)", Category: cat},
			&cli.StringFlag{Name: "cpuprofile", Usage: "write a pprof CPU profile of this process to this file", Category: cat},
		}, bflags...),
		Action: func(c *cli.Context) error {
			if err := applyBeam(c); err != nil {
				return err
			}
			if *runners.Runner == "" {
				*runners.Runner = "prism"
			}
			inProcess := isPrism(*runners.Runner) && *jobopts.Endpoint == ""
			if inProcess && !c.Bool("no-isolation") && allLocal(append(c.Args().Slice(), c.String("out"))) {
				if _, err := netns.Isolate(isolateEnv); err != nil {
					fmt.Fprintf(os.Stderr, "framealign-beam: Prism's ports listen on every interface while the job runs (%v)\n", err)
				}
			}
			beam.Init()
			return run(c, inProcess)
		},
	}
}

func isPrism(r string) bool { return r == "prism" || r == "PrismRunner" }

// allLocal reports whether every path is on the local file system: only then can
// in-process Prism run without a network.
func allLocal(paths []string) bool {
	for _, p := range paths {
		if strings.Contains(p, "://") {
			return false
		}
	}
	return true
}

func run(c *cli.Context, inProcess bool) error {
	if c.NArg() == 0 {
		return fmt.Errorf("give at least one corpus folder, file or pattern")
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
	parallel := c.Int("parallel")
	if parallel <= 0 {
		parallel = 1
		if inProcess || strings.EqualFold(*jobopts.EnvironmentType, "loopback") {
			parallel = runtime.NumCPU()
		}
	}
	version := c.String("fa-version")
	if version == "" {
		version = buildVersion()
	}
	cfg := fabeam.Config{Inputs: c.Args().Slice(), MaxDepth: c.Int("max-depth"), Out: c.String("out"),
		MetaPattern: c.String("meta-pattern"), Home: c.String("home"), TextField: c.String("text-field"), IDField: c.String("id-field"),
		Sheet: c.String("sheet"), MaxBytes: c.Int64("max-bytes"), Engine: c.String("engine"), Parallel: parallel, Version: version}
	if p := c.String("framework"); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("--framework: %w", err)
		}
		cfg.FrameworkYAML = b
	}
	if p := c.String("reference"); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("--reference: %w", err)
		}
		cfg.ReferenceName, cfg.ReferenceText = filepath.Base(p), string(b)
	}
	p, s := beam.NewPipelineWithRoot()
	if _, err := fabeam.Build(s, cfg); err != nil {
		return err
	}
	t0 := time.Now()
	res, err := beam.Run(context.Background(), *runners.Runner, p)
	if err != nil {
		return err
	}
	counters := counterValues(res)
	if !c.Bool("quiet") {
		printCounters(c.App.ErrWriter, counters, time.Since(t0))
		fmt.Fprintf(c.App.Writer, "framealign-beam: wrote the tables to %s in %v\n", cfg.Out, time.Since(t0).Round(time.Millisecond))
	}
	if failed := errorRows(counters); c.Bool("strict") && failed > 0 {
		return cli.Exit(fmt.Sprintf("framealign-beam: %d documents or files failed (see %s)", failed, cfg.Out+"/errors"), 3)
	}
	return nil
}

// counterValues are the pipeline's framealign counters, when the runner reports them.
func counterValues(res beam.PipelineResult) map[string]int64 {
	m := map[string]int64{}
	if res == nil {
		return m
	}
	for _, cr := range res.Metrics().AllMetrics().Counters() {
		if cr.Key.Namespace == fabeam.Namespace {
			m[cr.Key.Name] += cr.Result()
		}
	}
	return m
}

// errorRows is the number of errors rows written, from the counters.
func errorRows(m map[string]int64) int64 {
	var n int64
	for k, v := range m {
		if strings.HasPrefix(k, fabeam.CounterErrors) {
			n += v
		}
	}
	return n
}

// printCounters prints the pipeline's counters (documents, tokens, errors by stage).
func printCounters(w io.Writer, m map[string]int64, el time.Duration) {
	if w == nil {
		w = os.Stderr
	}
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "counter %-20s %d\n", n, m[n])
	}
	if ns := m[fabeam.CounterNanos]; ns > 0 {
		fmt.Fprintf(w, "tokens/s inside the DoFn (per analysing goroutine): %.0f; tokens/s over the whole job: %.0f\n",
			float64(m[fabeam.CounterTokens])/(float64(ns)/1e9), float64(m[fabeam.CounterTokens])/el.Seconds())
	}
}

// buildVersion is Version and a digest of this executable's Go build ID, as
// cmd/framealign's: a different build gives different analysis keys.
func buildVersion() string {
	path, err := os.Executable()
	if err != nil {
		return Version + "-beam"
	}
	f, err := elf.Open(path)
	if err != nil {
		return Version + "-beam"
	}
	defer f.Close()
	if s := f.Section(".note.go.buildid"); s != nil {
		if b, err := s.Data(); err == nil {
			return fmt.Sprintf("%s-beam+%x", Version, sha256.Sum256(b))[:len(Version)+5+13]
		}
	}
	return Version + "-beam"
}
