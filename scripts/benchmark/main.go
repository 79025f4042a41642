// Command benchmark measures framealign end to end on a corpus against two prose
// baselines, from one run on one machine, and prints documents and tokens per second,
// peak memory and the ratios:
//
//	go run ./scripts/benchmark                      # ../shared/corpora/ungdc, all CPUs
//	go run ./scripts/benchmark -copies 4 -engines fast -skip-baselines   # memory on 4x the corpus
//
// Each contender runs in its own process, so its peak RSS is its own.
//   - framealign: `framealign run CORPUS --out TMP --full --quiet --engine E`, the real
//     command, once per engine (fast: prose's models re-implemented; prose: prose);
//   - prose shared: prose.NewDocument with one shared model on -workers goroutines;
//   - prose per document: prose.NewDocument(text) as prose's README shows, which
//     reloads the models every call (on a sample, -perdoc-docs, as it is slow).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/jdkato/prose/v2"

	"github.com/framealign/framealign/internal/benchutil"
	"github.com/framealign/framealign/output"
)

type result struct {
	Name    string  `json:"name"`
	Docs    int     `json:"docs"`
	Tokens  int64   `json:"tokens"`
	Seconds float64 `json:"seconds"`
	RSSMB   float64 `json:"rss_mb"`
}

func (r result) docsPerSec() float64   { return float64(r.Docs) / r.Seconds }
func (r result) tokensPerSec() float64 { return float64(r.Tokens) / r.Seconds }

func main() {
	mode := flag.String("mode", "", "internal: run one baseline in this process")
	corpusDir := flag.String("corpus", "../shared/corpora/ungdc", "corpus folder")
	workers := flag.Int("workers", runtime.NumCPU(), "workers for framealign and the shared-model baseline")
	perDocDocs := flag.Int("perdoc-docs", 60, "documents for the per-document baseline (0 = all)")
	sharedDocs := flag.Int("shared-docs", 0, "documents for the shared-model baseline (0 = all)")
	copies := flag.Int("copies", 1, "run framealign on the corpus this many times over (each copy made distinct)")
	engines := flag.String("engines", "fast,prose", "framealign engines to measure, comma-separated")
	skipBaselines := flag.Bool("skip-baselines", false, "measure framealign only")
	flag.Parse()

	if *mode != "" {
		runBaseline(*mode, *corpusDir, *workers, *perDocDocs, *sharedDocs)
		return
	}
	tmp, err := os.MkdirTemp("", "framealign-bench")
	check(err)
	defer os.RemoveAll(tmp)

	bin := filepath.Join(tmp, "framealign")
	check(benchutil.Run(exec.Command("go", "build", "-o", bin, "./cmd/framealign")))
	self := filepath.Join(tmp, "benchmark")
	check(benchutil.Run(exec.Command("go", "build", "-o", self, "./scripts/benchmark")))

	target := *corpusDir
	if *copies > 1 {
		target = filepath.Join(tmp, "corpus")
		makeCopies(*corpusDir, target, *copies)
	}
	files := benchutil.Speeches(target)
	fmt.Printf("corpus %s: %d speeches (x%d), %d workers, GOMAXPROCS %d, %s\n", *corpusDir, len(files), *copies, *workers, runtime.GOMAXPROCS(0), time.Now().Format(time.RFC3339))

	var results []result
	for _, engine := range strings.Split(*engines, ",") {
		out := filepath.Join(tmp, "out-"+engine)
		args := []string{"run", target, "--out", out, "--full", "--quiet", "--workers", fmt.Sprint(*workers), "--engine", engine}
		start := time.Now()
		cmd := exec.Command(bin, args...)
		cmd.Stderr = os.Stderr
		check(cmd.Run())
		fa := result{Name: "framealign run --engine " + engine, Seconds: time.Since(start).Seconds(), RSSMB: benchutil.MaxRSS(cmd)}
		fa.Docs, fa.Tokens = len(files), countTokens(out)
		results = append(results, fa)
	}
	nFA := len(results)

	if !*skipBaselines {
		for _, m := range []string{"shared", "perdoc"} {
			c := exec.Command(self, "-mode", m, "-corpus", target, "-workers", fmt.Sprint(*workers),
				"-perdoc-docs", fmt.Sprint(*perDocDocs), "-shared-docs", fmt.Sprint(*sharedDocs))
			c.Stderr = os.Stderr
			out, err := c.Output()
			check(err)
			var r result
			check(json.Unmarshal(out, &r))
			r.RSSMB = benchutil.MaxRSS(c)
			results = append(results, r)
		}
	}
	fmt.Printf("\n%-34s %8s %11s %9s %10s %12s %9s\n", "", "docs", "tokens", "seconds", "docs/s", "tokens/s", "peak RSS")
	for _, r := range results {
		fmt.Printf("%-34s %8d %11d %9.1f %10.2f %12.0f %7.0f MB\n", r.Name, r.Docs, r.Tokens, r.Seconds, r.docsPerSec(), r.tokensPerSec(), r.RSSMB)
	}
	if len(results) == nFA+2 {
		shared, perDoc := results[nFA], results[nFA+1]
		fmt.Println()
		for _, fa := range results[:nFA] {
			fmt.Printf("%s: %.2fx the prose shared-model baseline, %.2fx the per-document baseline (tokens/s)\n",
				fa.Name, fa.tokensPerSec()/shared.tokensPerSec(), fa.tokensPerSec()/perDoc.tokensPerSec())
		}
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchmark:", err)
		os.Exit(1)
	}
}

// makeCopies writes the corpus n times under dst, each copy's files one line longer so
// their content hashes differ and nothing comes from the annotation cache.
func makeCopies(src, dst string, n int) {
	for _, f := range benchutil.Speeches(src) {
		b, err := os.ReadFile(f)
		check(err)
		rel, _ := filepath.Rel(src, f)
		for i := 0; i < n; i++ {
			p := filepath.Join(dst, fmt.Sprintf("copy%d", i), rel)
			check(os.MkdirAll(filepath.Dir(p), 0o755))
			check(os.WriteFile(p, append(append([]byte{}, b...), fmt.Sprintf("\nCopy %d.\n", i)...), 0o644))
		}
	}
}

// countTokens sums n_tokens of the documents framealign wrote, without the reference.
func countTokens(out string) int64 {
	type doc struct {
		NTokens     int64 `parquet:"n_tokens"`
		IsReference bool  `parquet:"is_reference"`
	}
	rows, err := output.ReadRows[doc](filepath.Join(out, output.DocumentsTable))
	check(err)
	var n int64
	for _, r := range rows {
		if !r.IsReference {
			n += r.NTokens
		}
	}
	return n
}

func runBaseline(mode, dir string, workers, perDocDocs, sharedDocs int) {
	files := benchutil.Speeches(dir)
	limit := sharedDocs
	var opts []prose.DocOpt
	name := fmt.Sprintf("prose shared model, %d workers", workers)
	if mode == "perdoc" {
		limit = perDocDocs
		name = fmt.Sprintf("prose per document, %d workers", workers)
	} else {
		opts = append(opts, prose.UsingModel(prose.ModelFromData("en")))
	}
	if limit > 0 && limit < len(files) {
		// An even sample across sessions, not the first folder only.
		step := float64(len(files)) / float64(limit)
		sample := make([]string, 0, limit)
		for i := 0; i < limit; i++ {
			sample = append(sample, files[int(float64(i)*step)])
		}
		files = sample
		name += fmt.Sprintf(" (sample of %d)", limit)
	}
	tokens, seconds, err := benchutil.Prose(files, workers, opts...)
	check(err)
	json.NewEncoder(os.Stdout).Encode(result{Name: name, Docs: len(files), Tokens: tokens, Seconds: seconds})
}
