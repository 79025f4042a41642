// Command rerunbench measures what scheduled reruns cost on a real corpus and prints
// the figures of the incremental-rerun goals:
//
//	go run ./scripts/rerunbench [-corpus ../shared/corpora/ungdc] [-engine fast] [-fulls 3]
//
// It times a full run on the corpus less 10 speeches; the same 10 speeches alone, in
// a fresh folder (what they cost by themselves); a rerun after the 10 speeches arrive,
// which must take at most their own time plus 2 seconds; and a rerun after the
// framework changes (one cue added, median of three changes), which must take under
// 15% of a full run of the whole corpus (median of -fulls runs, interleaved with the
// changes) and call the annotation engine on nothing; and a rerun with nothing new.
// With -engine prose, -fulls 1 saves several minutes.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/framealign/framealign/internal/benchutil"
)

func main() {
	corpusDir := flag.String("corpus", "../shared/corpora/ungdc", "corpus folder")
	engine := flag.String("engine", "", "framealign --engine")
	fulls := flag.Int("fulls", 3, "full runs of the whole corpus to measure (the median is the yardstick); each is interleaved with a framework change")
	flag.Parse()
	if *fulls < 1 {
		*fulls = 1
	}

	tmp, err := os.MkdirTemp("", "framealign-rerun")
	check(err)
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "framealign")
	build := exec.Command("go", "build", "-o", bin, "./cmd/framealign")
	build.Stderr = os.Stderr
	check(build.Run())

	// The corpus less 10 speeches, spread over the sessions, as files that a
	// nightly job would find; the 10 land later.
	files := benchutil.Speeches(*corpusDir)
	corpus, late, alone := filepath.Join(tmp, "corpus"), map[string]bool{}, filepath.Join(tmp, "ten")
	for i := 0; i < 10; i++ {
		late[files[i*len(files)/10+3]] = true
	}
	for _, f := range files {
		rel, _ := filepath.Rel(*corpusDir, f)
		if !late[f] {
			link(f, filepath.Join(corpus, rel))
		} else {
			link(f, filepath.Join(alone, rel))
		}
	}
	out := filepath.Join(tmp, "out")
	full := timeRun(bin, *engine, corpus, out, "--full")
	tenAlone := timeRun(bin, *engine, alone, filepath.Join(tmp, "out-ten"))
	for f := range late {
		rel, _ := filepath.Rel(*corpusDir, f)
		link(f, filepath.Join(corpus, rel))
	}
	withTen, tenSummary := timeRunSummary(bin, *engine, corpus, out)

	// A changed framework: the default with one more cue. Measured three times, each a
	// real change (the cue goes in, out, in again), and the median reported.
	show := exec.Command(bin, "framework", "show")
	yaml, err := show.Output()
	check(err)
	changed := strings.Replace(string(yaml), "cues:", "cues:\n      - \"strategic partnership of a new type\"", 1)
	fwChanged, fwDefault := filepath.Join(tmp, "framework.yaml"), filepath.Join(tmp, "default.yaml")
	check(os.WriteFile(fwChanged, []byte(changed), 0o644))
	check(os.WriteFile(fwDefault, yaml, 0o644))
	// Full runs of the whole corpus (the 1,551 speeches the re-scoring covers), each in
	// a fresh folder, interleaved with the framework changes so that a drift in the
	// machine's speed touches both.
	var reframes, fullRuns []time.Duration
	var reSummary string
	frameworks := []string{fwChanged, fwDefault, fwChanged}
	for i := 0; i < max(3, *fulls); i++ {
		if i < 3 {
			d, s := timeRunSummary(bin, *engine, corpus, out, "--framework", frameworks[i])
			reframes = append(reframes, d)
			if i == 0 {
				reSummary = s
			}
		}
		if i < *fulls {
			fullRuns = append(fullRuns, timeRun(bin, *engine, corpus, filepath.Join(tmp, fmt.Sprintf("out-full-%d", i)), "--full"))
		}
	}
	sort.Slice(reframes, func(i, j int) bool { return reframes[i] < reframes[j] })
	sort.Slice(fullRuns, func(i, j int) bool { return fullRuns[i] < fullRuns[j] })
	reframed, fullAll := reframes[1], fullRuns[len(fullRuns)/2]
	// Nothing new at all: the nightly run on a quiet night.
	nothing, nothingSummary := timeRunSummary(bin, *engine, corpus, out, "--framework", fwChanged)

	fmt.Printf("corpus: %s, %d speeches (%d first, then 10 more)\n\n", *corpusDir, len(files), len(files)-10)
	fmt.Printf("full run on %d speeches:          %8.2f s\n", len(files)-10, full.Seconds())
	fmt.Printf("the 10 new speeches alone:          %8.2f s\n", tenAlone.Seconds())
	fmt.Printf("rerun after 10 speeches arrived:    %8.2f s  -> fixed cost %.2f s (goal < 2 s)\n", withTen.Seconds(), (withTen - tenAlone).Seconds())
	fmt.Printf("    %s", tenSummary)
	fmt.Printf("full run on all %d speeches:        %8.2f s  (median of %s)\n", len(files), fullAll.Seconds(), seconds(fullRuns))
	fmt.Printf("rerun after the framework changed:  %8.2f s  -> %.1f%% of the full run (goal < 15%%; median of %s)\n",
		reframed.Seconds(), 100*reframed.Seconds()/fullAll.Seconds(), seconds(reframes))
	fmt.Printf("    %s", reSummary)
	fmt.Printf("rerun with nothing new:             %8.2f s  -> %.1f%% of the full run\n", nothing.Seconds(), 100*nothing.Seconds()/fullAll.Seconds())
	fmt.Printf("    %s", nothingSummary)
}

func seconds(ds []time.Duration) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, fmt.Sprintf("%.2f", d.Seconds()))
	}
	return strings.Join(parts, ", ") + " s"
}

func link(src, dst string) {
	check(os.MkdirAll(filepath.Dir(dst), 0o755))
	b, err := os.ReadFile(src)
	check(err)
	check(os.WriteFile(dst, b, 0o644))
}

func timeRun(bin, engine, corpus, out string, extra ...string) time.Duration {
	d, _ := timeRunSummary(bin, engine, corpus, out, extra...)
	return d
}

func timeRunSummary(bin, engine, corpus, out string, extra ...string) (time.Duration, string) {
	args := append([]string{"run", corpus, "--out", out}, extra...)
	if engine != "" {
		args = append(args, "--engine", engine)
	}
	cmd := exec.Command(bin, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	b, err := cmd.Output()
	if err != nil {
		fmt.Fprint(os.Stderr, stderr.String())
		check(err)
	}
	d := time.Since(start)
	lines := strings.SplitAfter(string(b), "\n")
	summary := ""
	for _, l := range lines {
		if strings.Contains(l, "added") || strings.Contains(l, "annotated") {
			summary += strings.TrimLeft(l, " ")
		}
	}
	return d, summary
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "rerunbench:", err)
		os.Exit(1)
	}
}
