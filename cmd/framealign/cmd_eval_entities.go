package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/framealign/framealign/extractors/entities"
)

// evalEntities scores the entity resolver against a gold file of paragraphs
// (`framealign eval --entities FILE`) and prints typed precision, recall and F1 for the
// resolver and for prose's raw entities, per type and per half of the file, and how
// often a country mention found carries the right ISO3 code. With --verbose it also
// lists every disagreement.
func evalEntities(o evalOptions, out io.Writer) error {
	path := o.Entities
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open entity gold %s: %w", path, err)
	}
	defer f.Close()
	ann, err := newEngine(o.Engine)
	if err != nil {
		return err
	}
	res, err := entities.NewResolver()
	if err != nil {
		return fmt.Errorf("load entity gazetteer: %w", err)
	}
	rep, err := entities.Evaluate(context.Background(), f, ann, res)
	if err != nil {
		return fmt.Errorf("evaluate entities on %s: %w", path, err)
	}
	if o.Verbose {
		for _, m := range rep.Misses {
			fmt.Fprintf(out, "%s\t%s\t%s\t%q\t%s\n", m.Paragraph, m.Kind, m.Label, m.Text, m.Detail)
		}
		fmt.Fprintln(out)
	}
	return printEntityReport(out, path, rep)
}

func printEntityReport(out io.Writer, path string, rep *entities.Report) error {
	fmt.Fprintf(out, "entities: %s (%d paragraphs), typed micro scores over GPE, ORG, PERSON\n\n", path, rep.Paragraphs)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "system\ttype\tP\tR\tF1\tTP\tFP\tFN\t")
	row := func(system, typ string, s entities.Score) {
		fmt.Fprintf(tw, "%s\t%s\t%.3f\t%.3f\t%.3f\t%d\t%d\t%d\t\n", system, typ, s.Precision(), s.Recall(), s.F1(), s.TP, s.FP, s.FN)
	}
	row("resolver", "all", rep.Resolved)
	for _, t := range entities.ScoredTypes {
		row("resolver", t, rep.ResolvedByType[t])
	}
	row("resolver", "1st half", rep.Halves[0])
	row("resolver", "2nd half", rep.Halves[1])
	row("prose", "all", rep.Baseline)
	for _, t := range entities.ScoredTypes {
		row("prose", t, rep.BaselineByType[t])
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("print entity report: %w", err)
	}
	_, err := fmt.Fprintf(out, "\ncountry mentions found with the right iso3: %d/%d (%.1f%%)\n",
		rep.CountryISO3, rep.CountryMentions, 100*rep.ISO3Accuracy())
	return err
}
