package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/extractors/cues"

	"github.com/urfave/cli/v2"
)

// evalCommand is `framealign eval`: score the framework's cues (--gold) or the entity
// resolver (--entities) against labelled data.
func evalCommand() *cli.Command {
	return &cli.Command{
		Name:  "eval",
		Usage: "measure cue matching (--gold) or entity resolution (--entities) against labelled data",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "gold", Usage: "labelled sentences, JSON lines {id, doc, sentence, text, labels} (`FILE`)"},
			&cli.StringFlag{Name: "entities", Usage: "labelled entity paragraphs, JSON lines (`FILE`)"},
			&cli.StringFlag{Name: "framework", Usage: "framework YAML `FILE` (default: the embedded framework)"},
			&cli.StringFlag{Name: "engine", Value: defaultEngine, Usage: "annotation engine: " + strings.Join(engineNames(), ", ")},
			&cli.BoolFlag{Name: "verbose", Usage: "also list every sentence where the cues and the labels disagree"},
		},
		Action: evalAction,
	}
}

func evalAction(c *cli.Context) error {
	gold, entities := c.String("gold"), c.String("entities")
	if gold == "" && entities == "" {
		return &exitError{code: exitFailure, err: fmt.Errorf("eval needs --gold FILE or --entities FILE")}
	}
	if gold != "" {
		if err := evalDimensions(c, gold); err != nil {
			return err
		}
	}
	if entities != "" {
		if gold != "" {
			fmt.Fprintln(c.App.Writer)
		}
		return evalEntities(c, entities)
	}
	return nil
}

func evalDimensions(c *cli.Context, path string) error {
	fw, err := loadFramework(c.String("framework"), corpus.DefaultMaxBytes)
	if err != nil {
		return err
	}
	ann, err := newEngine(c.String("engine"))
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open gold %s: %w", path, err)
	}
	defer f.Close()
	rep, err := cues.Evaluate(context.Background(), f, fw, ann)
	if err != nil {
		return fmt.Errorf("evaluate %s: %w", path, err)
	}
	out := c.App.Writer
	if c.Bool("verbose") {
		printDisagreements(out, rep)
	}
	fmt.Fprintf(out, "dimensions: %s (%d sentences), framework %s %s\n\n", path, len(rep.Sentences), fw.Name, fw.Version)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "dimension\tP\tR\tF1\tTP\tFP\tFN\t")
	row := func(e cues.DimensionEval) {
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%d\t%d\t%d\t\n", e.Dimension, e.Precision, e.Recall, e.F1, e.TP, e.FP, e.FN)
	}
	for _, d := range rep.Dimensions {
		row(d)
	}
	fmt.Fprintln(tw, "\t\t\t\t\t\t\t")
	row(rep.Micro)
	return tw.Flush()
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
