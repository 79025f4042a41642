package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/framealign/framealign/report"
)

// inspectOptions are the settings of `framealign inspect`, one field per flag.
type inspectOptions struct {
	Out               string // the output folder
	Top, Bottom, Runs int
}

func inspectCommand() *cli.Command {
	var o inspectOptions
	return &cli.Command{
		Name:      "inspect",
		Usage:     "summarise an output folder in the terminal",
		ArgsUsage: "OUT",
		Description: "Prints what the tables in OUT hold: documents, the last runs, the most aligned\n" +
			"documents, hits per dimension, errors by reason and the most frequent mechanism phrases.",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "top", Destination: &o.Top, Value: 10, Usage: "most aligned documents to list"},
			&cli.IntFlag{Name: "bottom", Destination: &o.Bottom, Value: 0, Usage: "least aligned documents to list"},
			&cli.IntFlag{Name: "runs", Destination: &o.Runs, Value: 5, Usage: "last runs to list"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return &exitError{code: exitFailure, err: errors.New("inspect: give one output folder (the --out of framealign run)")}
			}
			o.Out = c.Args().First()
			return runInspect(o, c.App.Writer)
		},
	}
}

// runInspect does `framealign inspect`: it reads the output folder and prints its
// overview.
func runInspect(o inspectOptions, stdout io.Writer) error {
	out, err := report.Load(o.Out)
	if err != nil {
		return fmt.Errorf("inspect: %w", err)
	}
	by := ""
	if out.Documents.Has("country") {
		by = "country"
	}
	tcol := ""
	if out.Documents.Has("year") {
		tcol = "year"
	}
	printInspection(stdout, out.Dir, report.Summarize(out, o.Top, o.Bottom, o.Runs), by, tcol)
	return nil
}

func printInspection(w io.Writer, dir string, s report.Overview, by, tcol string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	defer tw.Flush()
	section := func(title string) {
		tw.Flush()
		fmt.Fprintf(w, "\n%s\n", title)
	}

	fmt.Fprintf(w, "%s: %d documents", dir, s.Documents)
	if len(s.References) > 0 {
		fmt.Fprintf(w, " (reference: %s)", strings.Join(s.References, ", "))
	}
	fmt.Fprintln(w)

	section(fmt.Sprintf("runs (last %d)", len(s.Runs)))
	if len(s.Runs) == 0 {
		fmt.Fprintln(tw, "  none recorded")
	} else {
		fmt.Fprintln(tw, "  finished\tadded\tchanged\tunchanged\tremoved\tfailed\tskipped\tseconds")
	}
	for _, r := range s.Runs {
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%d\t%d\t%d\t%.1f\n", time.UnixMicro(r.FinishedAt).UTC().Format("2006-01-02 15:04:05"),
			r.Added, r.Changed, r.Unchanged, r.Removed, r.Failed, r.Skipped, r.Seconds)
	}

	section(fmt.Sprintf("top %d documents by alignment (reference excluded)", len(s.Top)))
	fmt.Fprintln(tw, "  alignment\tsimilarity\ttokens\tdocument")
	printDocs := func(docs []report.Row) {
		for _, d := range docs {
			label := d.DocID
			if l := report.Label(d, by, tcol); l != d.DocID && by != "" {
				label = fmt.Sprintf("%s  (%s)", d.DocID, l)
			}
			fmt.Fprintf(tw, "  %.3f\t%.3f\t%d\t%s\n", d.Alignment, d.Similarity, d.NTokens, label)
		}
	}
	printDocs(s.Top)
	if len(s.Bottom) > 0 {
		section(fmt.Sprintf("bottom %d documents by alignment (least first)", len(s.Bottom)))
		fmt.Fprintln(tw, "  alignment\tsimilarity\ttokens\tdocument")
		printDocs(s.Bottom)
	}

	section("dimensions (all documents)")
	fmt.Fprintln(tw, "  group\tdimension\thits\tnegated\tdocuments")
	for _, d := range s.Dimensions {
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\t%d\n", d.Group, d.ID, d.Hits, d.NegatedHits, d.Documents)
	}

	section("errors by reason")
	if len(s.Errors) == 0 {
		fmt.Fprintln(tw, "  none")
	}
	for _, e := range s.Errors {
		fmt.Fprintf(tw, "  %d\t%s\t%s\n", e.N, e.Stage, e.Error)
	}

	section("most frequent mechanism phrases per head")
	if len(s.PhraseHeads) == 0 {
		fmt.Fprintln(tw, "  none")
	}
	for _, h := range s.PhraseHeads {
		var items []string
		for _, c := range h.Items {
			items = append(items, fmt.Sprintf("%s (%d)", c.Key, c.N))
		}
		fmt.Fprintf(tw, "  %s\t%d\t%s\n", h.Key, h.Total, strings.Join(items, ", "))
	}
}
