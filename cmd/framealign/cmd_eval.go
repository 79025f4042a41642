package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/extractors/cues"
	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/pipeline"

	"github.com/urfave/cli/v2"
)

// evalOptions are the settings of `framealign eval`, one field per flag.
type evalOptions struct {
	Gold        []string // gold sentence files, scored one by one and pooled
	Entities    string   // gold entity paragraphs
	Framework   string
	Engine      string
	Half        string // "", tune or check
	Halves      bool
	Explain     bool
	Dimensions  []string // with Explain, only these
	Verbose     bool
	Corpus      []string  // corpus folders holding the gold's documents: read sentences in them
	Home        string    // which country each sentence's document speaks for, as run --home
	MetaPattern string    // file-name metadata of the doc fields (or documents), as run --meta-pattern
	Warn        io.Writer // where a gold document that cannot be read is reported (stderr when nil)
}

// evalCommand is `framealign eval`: score the framework's cues (--gold) or the entity
// resolver (--entities) against labelled data.
func evalCommand() *cli.Command {
	var o evalOptions
	return &cli.Command{
		Name:  "eval",
		Usage: "measure cue matching (--gold) or entity resolution (--entities) against labelled data",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "gold", Usage: "labelled sentences, JSON lines {id, doc, sentence, text, labels} (`FILE`; repeat for several: a row per file and the pooled figure)"},
			&cli.StringFlag{Name: "entities", Destination: &o.Entities, Usage: "labelled entity paragraphs, JSON lines (`FILE`)"},
			&cli.StringFlag{Name: "framework", Destination: &o.Framework, Usage: "framework YAML `FILE` (default: the embedded framework)"},
			&cli.StringFlag{Name: "engine", Destination: &o.Engine, Value: defaultEngine, Usage: "annotation engine: " + strings.Join(engineNames(), ", ")},
			&cli.StringFlag{Name: "half", Destination: &o.Half, Usage: "score only one half of each gold file: tune or check (the rule: README, \"Tuning a framework\")"},
			&cli.BoolFlag{Name: "halves", Destination: &o.Halves, Usage: "add a row per half (tune, check) of each gold file"},
			&cli.BoolFlag{Name: "explain", Destination: &o.Explain, Usage: "per dimension, list each false positive with the cue that fired, each false negative, and the matches an exclusion or condition vetoed"},
			&cli.StringSliceFlag{Name: "dimension", Usage: "with --explain, only these dimensions (`ID`)"},
			&cli.BoolFlag{Name: "verbose", Destination: &o.Verbose, Usage: "also list every sentence where the cues and the labels disagree"},
			&cli.StringSliceFlag{Name: "corpus", Usage: "read each gold sentence inside its document, found by the gold's doc field under this corpus `DIR` (repeat for several), as run reads it: the document annotated whole, its entities and a cue's window: around the sentence counted; a sentence whose document or text is not found is read alone, and counted"},
			&cli.StringFlag{Name: "home", Destination: &o.Home, Usage: "the country the gold's documents speak for, as run --home takes it (USA, or a metadata field such as {country}: with --meta-pattern, read from each sentence's doc field)"},
			&cli.StringFlag{Name: "meta-pattern", Destination: &o.MetaPattern, Usage: "turn the file-name parts of each sentence's doc field (with --corpus, of its document's file) into metadata, as run does, e.g. '{country}_{session}_{year}.txt'"},
		},
		Action: func(c *cli.Context) error {
			o.Gold, o.Dimensions, o.Corpus = c.StringSlice("gold"), c.StringSlice("dimension"), c.StringSlice("corpus")
			o.Warn = errWriter(c)
			return runEval(o, c.App.Writer)
		},
	}
}

// runEval does `framealign eval`: the dimension report of the gold files, then the
// entity report.
func runEval(o evalOptions, stdout io.Writer) error {
	if len(o.Gold) == 0 && o.Entities == "" {
		return &exitError{code: exitFailure, err: fmt.Errorf("eval needs --gold FILE or --entities FILE")}
	}
	if o.Engine == "" {
		o.Engine = defaultEngine
	}
	if len(o.Gold) > 0 {
		if err := evalDimensions(o, stdout); err != nil {
			return err
		}
	}
	if o.Entities != "" {
		if len(o.Gold) > 0 {
			fmt.Fprintln(stdout)
		}
		return evalEntities(o, stdout)
	}
	return nil
}

// goldFile is one gold file's sentences, evaluated.
type goldFile struct {
	path string
	rep  *cues.Report
}

func evalDimensions(o evalOptions, out io.Writer) error {
	fw, err := loadFramework(o.Framework, corpus.DefaultMaxBytes)
	if err != nil {
		return err
	}
	ann, err := newEngine(o.Engine)
	if err != nil {
		return err
	}
	half := o.Half
	if half != "" && half != cues.HalfTune && half != cues.HalfCheck {
		return &exitError{code: exitFailure, err: fmt.Errorf("--half %q: choose tune or check", half)}
	}
	var docs cues.DocumentText
	home, err := pipeline.ParseHome(o.Home, nil)
	if err != nil {
		return &exitError{code: exitFailure, err: fmt.Errorf("--home %w", err)}
	}
	mp, err := parseMetaPattern(o.MetaPattern)
	if err != nil {
		return &exitError{code: exitFailure, err: err}
	}
	if len(o.Corpus) > 0 {
		warn := o.Warn
		if warn == nil {
			warn = os.Stderr
		}
		if docs, err = goldDocuments(o.Corpus, home, mp, warn); err != nil {
			return err
		}
	}
	var files []goldFile
	var pooled []cues.SentenceEval
	for _, path := range o.Gold {
		sents, err := readGoldFile(path)
		if err != nil {
			return err
		}
		if half != "" {
			kept := sents[:0]
			for _, s := range sents {
				if cues.Half(s) == half {
					kept = append(kept, s)
				}
			}
			sents = kept
		}
		if o.Home != "" {
			// A sentence read alone speaks for its document's home too: the rule read
			// on the metadata its doc field's file name gives (--meta-pattern).
			for i := range sents {
				d := corpus.Document{}
				mp.AddTo(&d, sents[i].Doc)
				sents[i].Home = home.Of(d)
			}
		}
		var rep *cues.Report
		if docs != nil {
			rep, err = cues.EvaluateInDocuments(context.Background(), sents, fw, ann, docs)
		} else {
			rep, err = cues.EvaluateSentences(context.Background(), sents, fw, ann)
		}
		if err != nil {
			return fmt.Errorf("evaluate %s: %w", path, err)
		}
		files = append(files, goldFile{path, rep})
		pooled = append(pooled, rep.Sentences...)
	}
	all := files[0].rep
	if len(files) > 1 {
		all = cues.ScoreSentences(fw, pooled)
	}
	if o.Verbose {
		printDisagreements(out, all)
	}
	if o.Explain {
		printExplain(out, fw, all, o.Dimensions)
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.path
	}
	what := ""
	if half != "" {
		what = ", " + half + " half"
	}
	fmt.Fprintf(out, "dimensions: %s (%d sentences%s), framework %s %s\n", strings.Join(names, " + "), len(all.Sentences), what, fw.Name, fw.Version)
	if docs != nil {
		in, why := 0, map[string]int{}
		for _, s := range all.Sentences {
			if s.InDocument {
				in++
			} else {
				why[s.Alone]++
			}
		}
		fmt.Fprintf(out, "read in their documents (under %s): %d of %d sentences", strings.Join(o.Corpus, ", "), in, len(all.Sentences))
		if n := len(all.Sentences) - in; n > 0 {
			fmt.Fprintf(out, "; read alone: %d (%s %d, %s %d", n, cues.AloneNoDocument, why[cues.AloneNoDocument], cues.AloneNotInText, why[cues.AloneNotInText])
			if u := why[cues.AloneUnreadable]; u > 0 {
				fmt.Fprintf(out, ", %s %d", cues.AloneUnreadable, u)
			}
			fmt.Fprint(out, ")")
		}
		fmt.Fprintln(out)
	} else {
		fmt.Fprintln(out, "each sentence read alone (--corpus DIR reads them in their documents, as run does)")
	}
	fmt.Fprintln(out)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "dimension\tP\tR\tF1\tTP\tFP\tFN\t")
	row := func(name string, e cues.DimensionEval) {
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%d\t%d\t%d\t\n", name, e.Precision, e.Recall, e.F1, e.TP, e.FP, e.FN)
	}
	for _, d := range all.Dimensions {
		row(d.Dimension, d)
	}
	fmt.Fprintln(tw, "\t\t\t\t\t\t\t")
	row("micro", all.Micro)
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(files) == 1 && !o.Halves {
		return nil
	}
	// A row per file (and per half), then the pooled figure.
	fmt.Fprintln(out)
	tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "gold\tsentences\tP\tR\tF1\tTP\tFP\tFN\t")
	frow := func(name string, n int, e cues.DimensionEval) {
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t%d\t%d\t%d\t\n", name, n, e.Precision, e.Recall, e.F1, e.TP, e.FP, e.FN)
	}
	for _, f := range files {
		frow(filepath.Base(f.path), len(f.rep.Sentences), f.rep.Micro)
		if o.Halves {
			for _, h := range []string{cues.HalfTune, cues.HalfCheck} {
				var part []cues.SentenceEval
				for _, s := range f.rep.Sentences {
					if cues.Half(s.Gold) == h {
						part = append(part, s)
					}
				}
				frow("  "+h+" half", len(part), cues.ScoreSentences(fw, part).Micro)
			}
		}
	}
	if len(files) > 1 {
		frow("pooled", len(all.Sentences), all.Micro)
	}
	return tw.Flush()
}

func readGoldFile(path string) ([]cues.GoldSentence, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open gold %s: %w", path, err)
	}
	defer f.Close()
	sents, err := cues.ReadGold(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return sents, nil
}

// printExplain lists, per dimension, the false positives with the cues that fired
// (and the text they matched), the false negatives with the matches a veto removed,
// and the vetoes that kept a wrong label away.
func printExplain(out io.Writer, fw *framework.Framework, rep *cues.Report, only []string) {
	want := map[string]bool{}
	for _, d := range only {
		want[d] = true
	}
	for i, d := range fw.Dimensions {
		if len(want) > 0 && !want[d.ID] {
			continue
		}
		e := rep.Dimensions[i]
		fmt.Fprintf(out, "== %s: P %.3f R %.3f F1 %.3f (TP %d, FP %d, FN %d)\n", d.ID, e.Precision, e.Recall, e.F1, e.TP, e.FP, e.FN)
		var saved []string
		for _, s := range rep.Sentences {
			gold, pred := slices.Contains(s.Gold.Labels, d.ID), slices.Contains(s.Predicted, d.ID)
			switch {
			case pred && !gold:
				fmt.Fprintf(out, "  FP %s  %s%s\n", s.Gold.ID, s.Gold.Text, aloneNote(s))
				for _, m := range s.Matches {
					if m.Dimension == d.ID {
						fmt.Fprintf(out, "       fired: %s  [%s]\n", m.Cue, s.SliceText(m))
					}
				}
			case gold && !pred:
				fmt.Fprintf(out, "  FN %s  %s%s\n", s.Gold.ID, s.Gold.Text, aloneNote(s))
				for _, m := range s.Vetoed {
					if m.Dimension == d.ID {
						fmt.Fprintf(out, "       vetoed: %s  [%s]  by %s\n", m.Cue, s.SliceText(m), m.Veto)
					}
				}
			case !gold && !pred:
				for _, m := range s.Vetoed {
					if m.Dimension == d.ID {
						saved = append(saved, fmt.Sprintf("%s [%s] by %s", s.Gold.ID, s.SliceText(m), m.Veto))
						break
					}
				}
			}
		}
		if len(saved) > 0 {
			fmt.Fprintf(out, "  vetoed, rightly (%d): %s\n", len(saved), strings.Join(saved, "; "))
		}
		fmt.Fprintln(out)
	}
}

// aloneNote marks a sentence that --corpus could not read in its document.
func aloneNote(s cues.SentenceEval) string {
	if s.Alone == "" {
		return ""
	}
	return "  (read alone: " + s.Alone + ")"
}

// goldDocuments finds the documents of gold sentences under the corpus folders, by
// their doc fields: a doc names a file by its path under a folder ("2021-09/x.md"),
// by a path that ends with the file's ("statements-releases/2021-09/x.md" for a
// folder that is statements-releases), or by a base name ("CHN_70_2015.txt") that one
// file alone has. The text is what run reads of the file (its front matter off, its
// encoding decoded).
//
// Each document's home is what home gives it, reading its metadata and the parts of
// its file name that mp (or nil) turns into metadata, as run does.
func goldDocuments(dirs []string, home pipeline.Home, mp *corpus.MetaPattern, warn io.Writer) (cues.DocumentText, error) {
	disc, err := corpus.Discover(dirs, corpus.DiscoverOptions{})
	if err != nil {
		return nil, err
	}
	byBase := map[string][]int{}
	for i, f := range disc.Files {
		base := filepath.Base(f.RelPath)
		byBase[base] = append(byBase[base], i)
	}
	type read struct {
		text, home string
		err        error
	}
	var mu sync.Mutex
	texts := map[int]read{}
	return func(doc string) (string, string, error) {
		doc = filepath.ToSlash(doc)
		cands := byBase[filepath.Base(doc)]
		pick := -1
		for _, i := range cands {
			rel := filepath.ToSlash(disc.Files[i].RelPath)
			if rel == doc || strings.HasSuffix(doc, "/"+rel) || strings.HasSuffix(rel, "/"+doc) {
				pick = i
				break
			}
		}
		if pick < 0 && len(cands) == 1 {
			pick = cands[0]
		}
		if pick < 0 {
			return "", "", cues.ErrNoDocument
		}
		mu.Lock()
		r, ok := texts[pick]
		mu.Unlock()
		if ok {
			return r.text, r.home, r.err
		}
		_, r.err = corpus.Read(disc.Files[pick], corpus.Options{}, func(d corpus.Document) error {
			if r.text == "" {
				mp.AddTo(&d, disc.Files[pick].RelPath)
				r.text, r.home = d.Text, home.Of(d)
			}
			return nil
		})
		if r.err == nil && r.text == "" {
			r.err = errors.New("no document in the file")
		}
		if r.err != nil {
			r.text = ""
			r.err = fmt.Errorf("%s: %w", disc.Files[pick].Display(), r.err)
		}
		mu.Lock()
		if _, told := texts[pick]; r.err != nil && !told {
			fmt.Fprintf(warn, "framealign eval: gold document %s cannot be read (%v); its sentences are read alone\n", doc, r.err)
		}
		texts[pick] = r
		mu.Unlock()
		return r.text, r.home, r.err
	}, nil
}

func printDisagreements(out io.Writer, rep *cues.Report) {
	for _, s := range rep.Sentences {
		gold, pred := strings.Join(s.Gold.Labels, ","), strings.Join(s.Predicted, ",")
		if sameSet(s.Gold.Labels, s.Predicted) {
			continue
		}
		var cues []string
		for _, m := range s.Matches {
			cues = append(cues, fmt.Sprintf("%s<%s>", m.Dimension, m.Cue))
		}
		fmt.Fprintf(out, "%s\tgold=[%s]\tfound=[%s]\t%s\n\t%s\n", s.Gold.ID, gold, pred, s.Gold.Text, strings.Join(cues, " "))
	}
	fmt.Fprintln(out)
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	in := map[string]bool{}
	for _, x := range a {
		in[x] = true
	}
	for _, x := range b {
		if !in[x] {
			return false
		}
	}
	return true
}
