package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/framealign/framealign/report"
)

// reportOptions are the settings of `framealign report`, one field per flag.
type reportOptions struct {
	Out  string // the output folder to draw
	HTML string // where to write the page; "" for OUT/report.html
	report.Options
	Groups string // comma-separated, split into Options.Groups
}

func reportCommand() *cli.Command {
	var o reportOptions
	return &cli.Command{
		Name:      "report",
		Usage:     "draw an output folder as one self-contained HTML page",
		ArgsUsage: "OUT",
		Description: "Reads the tables `framealign run` wrote to OUT and writes an HTML page with a heatmap of\n" +
			"documents by dimension, alignment and similarity over time (per group, or for the whole\n" +
			"selection; a date axis counted by year, quarter, month or week), the strongest\n" +
			"evidence sentences per dimension, the countries named beside each mechanism and the\n" +
			"most frequent mechanism phrases. The charts are inline SVG: the page has no scripts\n" +
			"and loads nothing from the network.\n\n--where selects documents: " + report.FilterSyntax,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "html", Destination: &o.HTML, Usage: "where to write the page (default: OUT/report.html)"},
			&cli.StringFlag{Name: "where", Destination: &o.Where, Usage: "select documents, e.g. \"country in ('CHN','USA') and year >= 2010\""},
			&cli.IntFlag{Name: "top", Destination: &o.Top, Value: 30, Usage: "documents in the heatmap and the evidence, most aligned first"},
			&cli.StringFlag{Name: "by", Destination: &o.By, Usage: "column giving a line each in the time charts (default: country, when present; without one, one line for the selection)"},
			&cli.StringFlag{Name: "time", Destination: &o.Time, Usage: "column on the time charts' x axis: a number (a year) or a DATE or TIMESTAMP column (default: year, else date, when present)"},
			&cli.StringFlag{Name: "bin", Destination: &o.Bin, Usage: "period of a date axis: year, quarter, month or week (default: the finest giving at most 60 periods)"},
			&cli.StringFlag{Name: "groups", Destination: &o.Groups, Usage: "comma-separated values of --by to draw, e.g. CHN,USA (default: the selection's or the most aligned)"},
			&cli.IntFlag{Name: "lines", Destination: &o.Lines, Value: 8, Usage: "at most this many lines in the time charts"},
			&cli.IntFlag{Name: "evidence", Destination: &o.Evidence, Value: 3, Usage: "evidence sentences per dimension"},
			&cli.StringFlag{Name: "title", Destination: &o.Title, Value: "framealign report", Usage: "the page's title"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return &exitError{code: exitFailure, err: errors.New("report: give one output folder (the --out of framealign run)")}
			}
			o.Out = c.Args().First()
			return runReport(o, c.App.Writer)
		},
	}
}

// runReport does `framealign report`: it reads the output folder, builds the page
// and writes it.
func runReport(o reportOptions, stdout io.Writer) error {
	out, err := report.Load(o.Out)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	for _, g := range strings.Split(o.Groups, ",") {
		if g = strings.TrimSpace(g); g != "" {
			o.Options.Groups = append(o.Options.Groups, g)
		}
	}
	r, err := report.Build(out, o.Options)
	if err != nil {
		return &exitError{code: exitFailure, err: fmt.Errorf("report: %w", err)}
	}
	path := o.HTML
	if path == "" {
		path = filepath.Join(o.Out, "report.html")
	}
	if err := report.WriteHTML(path, r); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s: %d of %d documents selected, %d in the heatmap\n", path, r.Selected, r.Documents, len(r.Heatmap.Rows))
	if r.Trend == nil {
		fmt.Fprintf(stdout, "no time chart: %s\n", r.TrendAbsent)
	}
	return nil
}
