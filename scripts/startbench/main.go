// Command startbench measures what framealign costs before it analyses anything, and
// small runs end to end, from one run on one machine, as ratios that hold when the
// machine's speed drifts:
//
//	go run ./scripts/startbench [-corpus ../shared/corpora/ungdc] [-runs 7]
//	go run ./scripts/startbench -other /tmp/framealign-main   # also another build, interleaved
//
// It builds framealign, then, interleaving the contenders so that a drift touches all:
//   - `framealign framework show` (a process that starts and parses the embedded
//     framework): the yardstick;
//   - `framealign run ONEFILE --out TMPDIR` on one speech, a fresh folder each time:
//     its median must be at most 5x the yardstick's, its peak RSS under 80 MB;
//   - `framealign run` on 40 held-out speeches (files 0, 39, 78, ... 1521 of the
//     corpus's 1,551 sorted speeches, copied to a folder of their own), 2 workers, a
//     fresh output folder each time, against
//     prose's shared-model baseline of scripts/benchmark on the same files (prose
//     loaded once, outside the timing, 2 goroutines): at least 10x;
//   - each start-up step alone (-mode steps, in a fresh process every time):
//     framework parsing, the fast engine's model, the punkt segmenter, the entity
//     gazetteer, the IDF table, the cue matcher, the lemma tables' first use, the
//     reference article's annotation and profile, the output folder and its cache.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/jdkato/prose/v2"

	"github.com/framealign/framealign/extractors/cues"
	"github.com/framealign/framealign/extractors/entities"
	"github.com/framealign/framealign/extractors/fastprose"
	"github.com/framealign/framealign/extractors/similarity"
	"github.com/framealign/framealign/extractors/words"
	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/internal/benchutil"
	"github.com/framealign/framealign/pipeline"
)

// heldOut is how many speeches the small-batch figure runs on, and every how many
// files of the sorted corpus one is taken.
const (
	heldOut     = 40
	heldOutStep = 39
)

func main() {
	mode := flag.String("mode", "", "internal: steps (time each start-up step) or shared (prose's baseline on -files)")
	corpusDir := flag.String("corpus", "../shared/corpora/ungdc", "corpus folder")
	runs := flag.Int("runs", 7, "runs of each contender (medians are reported)")
	filesFlag := flag.String("files", "", "internal: the files of -mode shared, comma-separated")
	other := flag.String("other", "", "another framealign binary (say, main's) to measure the same way, interleaved, for a before/after in one run")
	flag.Parse()

	switch *mode {
	case "steps":
		steps()
		return
	case "shared":
		// scripts/benchmark's prose shared-model baseline on the files: prose's
		// models loaded once (not timed), prose.NewDocument on 2 goroutines.
		tokens, seconds, err := benchutil.Prose(strings.Split(*filesFlag, ","), 2, prose.UsingModel(prose.ModelFromData("en")))
		check(err)
		check(json.NewEncoder(os.Stdout).Encode(map[string]any{"Seconds": seconds, "Tokens": tokens}))
		return
	}

	tmp, err := os.MkdirTemp("", "framealign-startbench")
	check(err)
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "framealign")
	check(benchutil.Run(exec.Command("go", "build", "-o", bin, "./cmd/framealign")))
	self := filepath.Join(tmp, "startbench")
	check(benchutil.Run(exec.Command("go", "build", "-o", self, "./scripts/startbench")))

	files := benchutil.Speeches(*corpusDir)
	if len(files) < heldOut {
		check(fmt.Errorf("%s: %d speeches, want at least %d (give -corpus)", *corpusDir, len(files), heldOut))
	}
	var held []string
	for i := 0; len(held) < heldOut && i < len(files); i += heldOutStep {
		held = append(held, files[i])
	}
	one := held[len(held)/2]
	fmt.Printf("%s, GOMAXPROCS %d, %d runs each\n", time.Now().UTC().Format(time.RFC3339), runtime.GOMAXPROCS(0), *runs)
	fmt.Printf("one document: %s\n", rel(*corpusDir, one))
	fmt.Printf("%d held-out speeches (every %dth of %d sorted files, from the first): %s ... %s\n",
		len(held), heldOutStep, len(files), rel(*corpusDir, held[0]), rel(*corpusDir, held[len(held)-1]))
	heldDir := filepath.Join(tmp, "held")
	for _, f := range held {
		b, err := os.ReadFile(f)
		check(err)
		p := filepath.Join(heldDir, rel(*corpusDir, f))
		check(os.MkdirAll(filepath.Dir(p), 0o755))
		check(os.WriteFile(p, b, 0o644))
	}

	type sample struct{ secs, rssMB []float64 }
	var show, single, batch, shared sample
	var oShow, oSingle, oBatch sample
	stepTimes := map[string][]float64{}
	var stepOrder []string
	add := func(s *sample, d time.Duration, rss float64) {
		s.secs = append(s.secs, d.Seconds())
		s.rssMB = append(s.rssMB, rss)
	}
	for i := 0; i < *runs; i++ {
		d, rss := timed(exec.Command(bin, "framework", "show"))
		add(&show, d, rss)
		out := filepath.Join(tmp, fmt.Sprintf("one-%d", i))
		d, rss = timed(exec.Command(bin, "run", one, "--out", out, "--quiet"))
		add(&single, d, rss)
		out = filepath.Join(tmp, fmt.Sprintf("held-%d", i))
		d, rss = timed(exec.Command(bin, "run", heldDir, "--out", out, "--quiet", "--workers", "2"))
		add(&batch, d, rss)
		if *other != "" {
			d, rss = timed(exec.Command(*other, "framework", "show"))
			add(&oShow, d, rss)
			d, rss = timed(exec.Command(*other, "run", one, "--out", out+"-other1", "--quiet"))
			add(&oSingle, d, rss)
			d, rss = timed(exec.Command(*other, "run", heldDir, "--out", out+"-other", "--quiet", "--workers", "2"))
			add(&oBatch, d, rss)
		}
		c := exec.Command(self, "-mode", "shared", "-files", strings.Join(held, ","))
		c.Stderr = os.Stderr
		b, err := c.Output()
		check(err)
		var r struct{ Seconds float64 }
		check(json.Unmarshal(b, &r))
		add(&shared, time.Duration(r.Seconds*float64(time.Second)), benchutil.MaxRSS(c))

		c = exec.Command(self, "-mode", "steps")
		c.Stderr = os.Stderr
		c.Dir = tmp
		b, err = c.Output()
		check(err)
		var st []step
		check(json.Unmarshal(b, &st))
		for _, s := range st {
			if _, ok := stepTimes[s.Name]; !ok {
				stepOrder = append(stepOrder, s.Name)
			}
			stepTimes[s.Name] = append(stepTimes[s.Name], s.Millis)
		}
	}

	fmt.Printf("\n%-62s %10s %10s\n", "median of "+fmt.Sprint(*runs), "seconds", "peak RSS")
	row := func(name string, s sample) {
		fmt.Printf("%-62s %10.3f %7.0f MB\n", name, median(s.secs), median(s.rssMB))
	}
	row("framealign framework show", show)
	row("framealign run ONEFILE --out TMPDIR", single)
	row(fmt.Sprintf("framealign run (%d speeches) --workers 2", len(held)), batch)
	row(fmt.Sprintf("prose shared model, 2 workers (%d speeches, load not timed)", len(held)), shared)
	if *other != "" {
		row("other: framealign framework show", oShow)
		row("other: framealign run ONEFILE --out TMPDIR", oSingle)
		row(fmt.Sprintf("other: framealign run (%d speeches) --workers 2", len(held)), oBatch)
	}
	fmt.Println()
	if *other != "" {
		fmt.Printf("other: one-document run %.2fx its framework show, peak RSS %.0f MB; %d speeches %.2fx prose's baseline\n",
			median(oSingle.secs)/median(oShow.secs), maxOf(oSingle.rssMB), len(held), median(shared.secs)/median(oBatch.secs))
	}
	fmt.Printf("one-document run: %.2fx framework show (goal: at most 5x); peak RSS %.0f MB (goal: under 80 MB)\n",
		median(single.secs)/median(show.secs), maxOf(single.rssMB))
	fmt.Printf("%d speeches: %.2fx prose's shared-model baseline (goal: at least 10x)\n",
		len(held), median(shared.secs)/median(batch.secs))
	fmt.Printf("\nstart-up steps, each alone in a fresh process (median ms of %d):\n", *runs)
	for _, name := range stepOrder {
		fmt.Printf("  %-58s %8.2f ms\n", name, median(stepTimes[name]))
	}
}

type step struct {
	Name   string  `json:"name"`
	Millis float64 `json:"ms"`
}

// steps times each start-up step once, in the order a run takes them, and prints them
// as JSON. Each step is alone: its cost does not hide in another's.
func steps() {
	var out []step
	at := func(name string, f func()) {
		start := time.Now()
		f()
		out = append(out, step{name, float64(time.Since(start).Microseconds()) / 1000})
	}
	var fw *framework.Framework
	at("framework.Default (parse the embedded framework)", func() { fw = framework.Default() })
	at("framework.DefaultReference", func() { framework.DefaultReference() })
	var engine *fastprose.Engine
	at("fastprose.New (model and punkt segmenter)", func() {
		var err error
		engine, err = fastprose.New()
		check(err)
	})
	at("entities.NewResolver (gazetteer)", func() {
		_, err := entities.NewResolver()
		check(err)
	})
	at("similarity.DefaultIDFTable", func() {
		_, err := similarity.DefaultIDFTable()
		check(err)
	})
	at("cues.NewMatcher", func() {
		_, err := cues.NewMatcher(fw)
		check(err)
	})
	at("words.Lemma and words.Common, first use", func() {
		words.Lemma("countries")
		words.Common()
	})
	_, ref := framework.DefaultReference()
	at("fast engine: annotate the reference article (cold word cache)", func() {
		_, err := engine.Annotate(context.Background(), ref)
		check(err)
	})
	dir, err := os.MkdirTemp("", "startbench-steps")
	check(err)
	defer os.RemoveAll(dir)
	var cache *pipeline.Cache
	at("output folder and pipeline.OpenCache, fresh", func() {
		state := filepath.Join(dir, "out", ".framealign")
		check(os.MkdirAll(state, 0o755))
		cache, err = pipeline.OpenCache(state)
		check(err)
	})
	at("pipeline.NewAnalyzer (all of it, reference included, fresh cache)", func() {
		_, err := pipeline.NewAnalyzer(context.Background(), pipeline.AnalyzerConfig{Framework: fw, ReferenceText: ref,
			Engine: engine, Store: cache, Version: "startbench"})
		check(err)
	})
	check(cache.Close())
	check(json.NewEncoder(os.Stdout).Encode(out))
}

func timed(c *exec.Cmd) (time.Duration, float64) {
	c.Stdout, c.Stderr = nil, os.Stderr
	start := time.Now()
	check(c.Run())
	return time.Since(start), benchutil.MaxRSS(c)
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func maxOf(xs []float64) float64 {
	m := 0.0
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}

func rel(dir, p string) string {
	r, err := filepath.Rel(dir, p)
	if err != nil {
		return p
	}
	return r
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "startbench:", err)
		os.Exit(1)
	}
}
