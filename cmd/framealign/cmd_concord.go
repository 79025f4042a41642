package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/urfave/cli/v2"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/extractors/cues"
	"github.com/framealign/framealign/extractors/entities"
	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/output"
	"github.com/framealign/framealign/pipeline"
)

// concordCommand is `framealign concord`: a keyword-in-context list of where a cue (or
// a dimension's cues) matches in a corpus, or of an output folder's matches, sampled
// at random, to judge a cue's precision on unlabelled text before adding it.
func concordCommand() *cli.Command {
	var o concordOptions
	return &cli.Command{
		Name:      "concord",
		Usage:     "list a random sample of a cue's matches in a corpus (or an output folder's matches) in context",
		ArgsUsage: "CORPUS_OR_OUT...",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "cue", Destination: &o.Cue, Usage: "the `CUE` to find, in the cue language (with -\"exclusions\" and an @condition if any)"},
			&cli.StringFlag{Name: "dimension", Destination: &o.Dimension, Usage: "the framework's dimension `ID`: its cues (with its exclude, requires and window); with --cue, the cue is tried as one more cue of it"},
			&cli.StringFlag{Name: "requires", Destination: &o.Requires, Usage: "a condition for the cue (as a dimension's requires:): state, states, body, wording, international, domestic (each but international negatable: !domestic), joined by |"},
			&cli.IntFlag{Name: "window", Destination: &o.Window, Usage: "sentences around a match where --requires may find its setting"},
			&cli.StringFlag{Name: "framework", Destination: &o.Framework, Usage: "framework YAML `FILE` (default: the embedded framework; gives --dimension and the international wording)"},
			&cli.IntFlag{Name: "sample", Destination: &o.Sample, Value: 30, Usage: "how many matches to show, drawn at random (0: all)"},
			&cli.Uint64Flag{Name: "seed", Destination: &o.Seed, Value: 1, Usage: "seed of the random draw, so a sample can be shown again"},
			&cli.BoolFlag{Name: "vetoed", Destination: &o.Vetoed, Usage: "show the matches an exclusion or condition removed, with what removed them, instead of the counted ones"},
			&cli.BoolFlag{Name: "missed", Destination: &o.Missed, Usage: "show the sentences where the framework (or --dimension) counts nothing, instead of matches; with --cue, only those where the cue is found: to see what the cues miss"},
			&cli.StringSliceFlag{Name: "skip-gold", Usage: "leave out the documents of this gold `FILE` (its doc fields), to judge on text nobody labelled"},
			&cli.StringFlag{Name: "engine", Destination: &o.Engine, Value: defaultEngine, Usage: "annotation engine: " + strings.Join(engineNames(), ", ")},
			&cli.IntFlag{Name: "width", Destination: &o.Width, Value: 0, Usage: "characters of context on each side (0: the whole sentence)"},
			&cli.StringFlag{Name: "home", Destination: &o.Home, Usage: "the country the documents speak for, as run --home takes it: a code or name (USA), or a metadata field such as {country} (with --meta-pattern)"},
			&cli.StringFlag{Name: "meta-pattern", Destination: &o.MetaPattern, Usage: "turn file-name parts into metadata, as run does, e.g. '{country}_{session}_{year}.txt'"},
		},
		Action: func(c *cli.Context) error {
			o.Paths, o.SkipGold, o.WindowSet = c.Args().Slice(), c.StringSlice("skip-gold"), c.IsSet("window")
			return runConcord(o, c.App.Writer, errWriter(c))
		},
	}
}

// concordOptions are the settings of `framealign concord`, one field per flag.
type concordOptions struct {
	Paths       []string // corpus folders and files, or one output folder
	Cue         string
	Dimension   string
	Requires    string
	Window      int
	WindowSet   bool // --window was given (0 is a window too)
	Framework   string
	Sample      int
	Seed        uint64
	Vetoed      bool
	Missed      bool // sentences the framework (or --dimension) does not count
	SkipGold    []string
	Engine      string
	Width       int
	Home        string // --home
	MetaPattern string // --meta-pattern
}

// concordLine is one match in its sentence.
type concordLine struct {
	doc, sentence, text, cue, veto string
	index, start, end              int // sentence index; match offsets in sentence
}

// runConcord does `framealign concord`: it finds the matches and prints the sample.
func runConcord(o concordOptions, stdout, stderr io.Writer) error {
	if len(o.Paths) == 0 {
		return &exitError{code: exitFailure, err: fmt.Errorf("concord needs a corpus folder or an output folder")}
	}
	if o.Engine == "" {
		o.Engine = defaultEngine
	}
	if o.Cue == "" && o.Dimension == "" && !o.Missed {
		return &exitError{code: exitFailure, err: fmt.Errorf("concord needs --cue CUE, --dimension ID or --missed")}
	}
	if o.Missed && o.Vetoed {
		return &exitError{code: exitFailure, err: fmt.Errorf("--missed and --vetoed do not go together: --missed lists sentences, --vetoed matches")}
	}
	var lines []concordLine
	var docs int
	var err error
	if isOutputFolder(o.Paths[0]) {
		if o.Missed {
			return &exitError{code: exitFailure, err: fmt.Errorf("--missed needs a corpus: an output folder keeps only the sentences that matched")}
		}
		if o.Home != "" || o.MetaPattern != "" {
			return &exitError{code: exitFailure, err: fmt.Errorf("--home and --meta-pattern need a corpus: an output folder's matches were counted by its run's --home")}
		}
		lines, docs, err = concordOutput(o)
	} else {
		lines, docs, err = concordCorpus(o, stderr)
	}
	if err != nil {
		return err
	}
	printConcordance(stdout, o, lines, docs)
	return nil
}

func isOutputFolder(path string) bool {
	_, err := os.Stat(filepath.Join(path, output.MatchesTable))
	return err == nil
}

// concordFramework is the framework whose matches are listed: one dimension, "cue",
// holding --cue, or base's --dimension (plus --cue).
func concordFramework(o concordOptions, base *framework.Framework) (*framework.Framework, error) {
	fw := &framework.Framework{Name: base.Name, Version: base.Version, InternationalWording: base.InternationalWording, DomesticWording: base.DomesticWording}
	d := framework.Dimension{ID: "cue", Group: framework.GroupFraming, Label: "cue"}
	if id := o.Dimension; id != "" {
		bd := base.Dimension(id)
		if bd == nil {
			var ids []string
			for _, x := range base.Dimensions {
				ids = append(ids, x.ID)
			}
			return nil, &exitError{code: exitFailure, err: fmt.Errorf("no dimension %q (dimensions: %s)", id, strings.Join(ids, ", "))}
		}
		d = *bd
		d.Cues = append([]string(nil), bd.Cues...)
	}
	if cue := o.Cue; cue != "" {
		if _, err := framework.ParseCue(cue); err != nil {
			return nil, &exitError{code: exitFailure, err: fmt.Errorf("--cue %q: %w", cue, err)}
		}
		if o.Dimension != "" {
			d.Cues = append(d.Cues, cue)
		} else {
			d.Cues = []string{cue}
		}
	}
	if r := o.Requires; r != "" {
		cond, err := framework.ParseCondition(r)
		if err != nil {
			return nil, &exitError{code: exitFailure, err: fmt.Errorf("--requires: %w", err)}
		}
		d.Requires = cond.String()[1:]
	}
	if o.WindowSet {
		d.Window = o.Window
	}
	fw.Dimensions = []framework.Dimension{d}
	return fw, nil
}

// missedFrameworks are, for --missed, the framework whose counted matches mark a
// sentence as found (base, or its --dimension alone) and the probe whose matches in
// the other sentences are listed (--cue with --requires and --window; nil: every other
// sentence is listed).
func missedFrameworks(o concordOptions, base *framework.Framework) (count, probe *framework.Framework, err error) {
	count = base
	if o.Dimension != "" {
		dim := o
		dim.Cue, dim.Requires, dim.WindowSet = "", "", false
		if count, err = concordFramework(dim, base); err != nil {
			return nil, nil, err
		}
	}
	if o.Cue != "" {
		cue := o
		cue.Dimension = ""
		if probe, err = concordFramework(cue, base); err != nil {
			return nil, nil, err
		}
	}
	return count, probe, nil
}

func concordCorpus(o concordOptions, stderr io.Writer) ([]concordLine, int, error) {
	base, err := loadFramework(o.Framework, corpus.DefaultMaxBytes)
	if err != nil {
		return nil, 0, err
	}
	var countFw, probeFw *framework.Framework
	if o.Missed {
		countFw, probeFw, err = missedFrameworks(o, base)
	} else {
		countFw, err = concordFramework(o, base)
	}
	if err != nil {
		return nil, 0, err
	}
	var m, probe *cues.Matcher
	if m, err = cues.NewMatcher(countFw); err != nil {
		return nil, 0, err
	}
	if probeFw != nil {
		if probe, err = cues.NewMatcher(probeFw); err != nil {
			return nil, 0, err
		}
	}
	resolver, err := entities.NewResolver()
	if err != nil {
		return nil, 0, err
	}
	home, err := pipeline.ParseHome(o.Home, resolver)
	if err != nil {
		return nil, 0, &exitError{code: exitFailure, err: fmt.Errorf("--home %w", err)}
	}
	mp, err := parseMetaPattern(o.MetaPattern)
	if err != nil {
		return nil, 0, &exitError{code: exitFailure, err: err}
	}
	ann, err := newEngine(o.Engine)
	if err != nil {
		return nil, 0, err
	}
	skip, err := cues.GoldDocuments(o.SkipGold...)
	if err != nil {
		return nil, 0, err
	}
	disc, err := corpus.Discover(o.Paths, corpus.DiscoverOptions{})
	if err != nil {
		return nil, 0, err
	}
	var files []corpus.File
	for _, f := range disc.Files {
		if !skip[filepath.Base(f.RelPath)] {
			files = append(files, f)
		}
	}
	vetoed := o.Vetoed
	per := make([][]concordLine, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	var firstErr error
	var mu sync.Mutex
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				_, err := corpus.Read(files[i], corpus.Options{}, func(d corpus.Document) error {
					a, err := ann.Annotate(context.Background(), d.Text)
					if err != nil {
						return err
					}
					mp.AddTo(&d, files[i].RelPath)
					doc := cues.Document{Text: d.Text, Annotation: a, Entities: resolver.Resolve(d.Text, a), Home: home.Of(d)}
					kept, dropped := m.Find(doc, vetoed)
					if vetoed {
						kept = dropped
					}
					if o.Missed {
						per[i] = append(per[i], missedLines(d, doc, kept, probe)...)
						return nil
					}
					for _, x := range kept {
						s := a.Sentences[x.Sentence]
						per[i] = append(per[i], concordLine{doc: d.ID, sentence: d.Text[s.Start:s.End], text: d.Text[x.Start:x.End],
							cue: x.Cue, veto: x.Veto, index: x.Sentence, start: x.Start - s.Start, end: x.End - s.Start})
					}
					return nil
				})
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("%s: %w", files[i].RelPath, err)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		fmt.Fprintln(stderr, "framealign: concord:", firstErr)
	}
	var lines []concordLine
	for _, l := range per {
		lines = append(lines, l...)
	}
	return lines, len(files), nil
}

// missedLines are a document's sentences that hold none of the counted matches: each
// whole (probe nil), or each match of the probe in them.
func missedLines(d corpus.Document, doc cues.Document, counted []cues.Match, probe *cues.Matcher) []concordLine {
	found := make(map[int]bool, len(counted))
	for _, x := range counted {
		found[x.Sentence] = true
	}
	var lines []concordLine
	sentences := doc.Annotation.Sentences
	if probe == nil {
		for k, s := range sentences {
			if !found[k] && strings.TrimSpace(d.Text[s.Start:s.End]) != "" {
				lines = append(lines, concordLine{doc: d.ID, sentence: d.Text[s.Start:s.End], index: k})
			}
		}
		return lines
	}
	hits, _ := probe.Find(doc, false)
	for _, x := range hits {
		if found[x.Sentence] {
			continue
		}
		s := sentences[x.Sentence]
		lines = append(lines, concordLine{doc: d.ID, sentence: d.Text[s.Start:s.End], text: d.Text[x.Start:x.End],
			cue: x.Cue, index: x.Sentence, start: x.Start - s.Start, end: x.End - s.Start})
	}
	return lines
}

// concordOutput lists the matches of an output folder's matches.parquet: those of
// --dimension, and of cues whose text holds --cue.
func concordOutput(o concordOptions) ([]concordLine, int, error) {
	if o.Vetoed {
		return nil, 0, &exitError{code: exitFailure, err: fmt.Errorf("--vetoed needs a corpus: an output folder keeps only counted matches")}
	}
	rows, err := output.ReadRows[output.Match](filepath.Join(o.Paths[0], output.MatchesTable))
	if err != nil {
		return nil, 0, err
	}
	dim, cue := o.Dimension, o.Cue
	docs := map[string]bool{}
	var lines []concordLine
	for _, r := range rows {
		docs[r.DocID] = true
		if dim != "" && r.Dimension != dim || cue != "" && !strings.Contains(r.Cue, cue) {
			continue
		}
		start := strings.Index(r.Sentence, r.Text)
		if start < 0 {
			start = 0
		}
		lines = append(lines, concordLine{doc: r.DocID, sentence: r.Sentence, text: r.Text, cue: r.Cue,
			index: int(r.SentenceIndex), start: start, end: start + len(r.Text)})
	}
	return lines, len(docs), nil
}

func printConcordance(out io.Writer, o concordOptions, lines []concordLine, docs int) {
	inDocs := map[string]bool{}
	for _, l := range lines {
		inDocs[l.doc] = true
	}
	what := "matches"
	switch {
	case o.Vetoed:
		what = "vetoed matches"
	case o.Missed:
		counter := "the framework"
		if o.Dimension != "" {
			counter = o.Dimension
		}
		what = "sentences " + counter + " does not count"
		if o.Cue != "" {
			what = "matches in " + what
		}
	}
	fmt.Fprintf(out, "%d %s in %d of %d documents", len(lines), what, len(inDocs), docs)
	shown := lines
	if n := o.Sample; n > 0 && n < len(lines) {
		r := rand.New(rand.NewPCG(o.Seed, 0x636f6e636f7264))
		idx := r.Perm(len(lines))[:n]
		sort.Ints(idx)
		shown = make([]concordLine, n)
		for i, k := range idx {
			shown[i] = lines[k]
		}
		fmt.Fprintf(out, "; %d drawn at random (seed %d)", n, o.Seed)
	}
	fmt.Fprintln(out)
	cueCount := map[string]int{}
	for _, l := range lines {
		cueCount[l.cue]++
	}
	if len(cueCount) > 1 {
		type kv struct {
			cue string
			n   int
		}
		var kvs []kv
		for k, v := range cueCount {
			kvs = append(kvs, kv{k, v})
		}
		sort.Slice(kvs, func(a, b int) bool { return kvs[a].n > kvs[b].n || kvs[a].n == kvs[b].n && kvs[a].cue < kvs[b].cue })
		for _, x := range kvs {
			fmt.Fprintf(out, "  %6d  %s\n", x.n, x.cue)
		}
	}
	fmt.Fprintln(out)
	width := o.Width
	for i, l := range shown {
		left, mid, right := l.sentence[:l.start], l.sentence[l.start:l.end], l.sentence[l.end:]
		if width > 0 {
			if len(left) > width {
				left = "…" + left[len(left)-width:]
			}
			if len(right) > width {
				right = right[:width] + "…"
			}
		}
		marked := left + "[[" + mid + "]]" + right
		if l.cue == "" { // a whole sentence (--missed without --cue)
			marked = l.sentence
		}
		ctx := strings.Join(strings.Fields(marked), " ")
		fmt.Fprintf(out, "%3d. %s#%d  %s\n", i+1, l.doc, l.index, ctx)
		if len(cueCount) > 1 || l.veto != "" {
			note := "     cue: " + l.cue
			if l.veto != "" {
				note += "   vetoed by " + l.veto
			}
			fmt.Fprintln(out, note)
		}
	}
}
