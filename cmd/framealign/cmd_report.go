package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/framealign/framealign/report"
)

func reportCommand() *cli.Command {
	return &cli.Command{
		Name:      "report",
		Usage:     "draw an output folder as one self-contained HTML page",
		ArgsUsage: "OUT",
		Description: "Reads the tables `framealign run` wrote to OUT and writes an HTML page with a heatmap of\n" +
			"documents by dimension, alignment and similarity over time per group, the strongest\n" +
			"evidence sentences per dimension, the countries named beside each mechanism and the\n" +
			"most frequent mechanism phrases. The charts are inline SVG: the page has no scripts\n" +
			"and loads nothing from the network.\n\n--where selects documents: " + report.FilterSyntax,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "html", Usage: "where to write the page (default: OUT/report.html)"},
			&cli.StringFlag{Name: "where", Usage: "select documents, e.g. \"country in ('CHN','USA') and year >= 2010\""},
			&cli.IntFlag{Name: "top", Value: 30, Usage: "documents in the heatmap and the evidence, most aligned first"},
			&cli.StringFlag{Name: "by", Usage: "column giving a line each in the time charts (default: country, when present)"},
			&cli.StringFlag{Name: "time", Usage: "column on the time charts' x axis (default: year, when present)"},
			&cli.StringFlag{Name: "groups", Usage: "comma-separated values of --by to draw, e.g. CHN,USA (default: the selection's or the most aligned)"},
			&cli.IntFlag{Name: "lines", Value: 8, Usage: "at most this many lines in the time charts"},
			&cli.IntFlag{Name: "evidence", Value: 3, Usage: "evidence sentences per dimension"},
			&cli.StringFlag{Name: "title", Value: "framealign report", Usage: "the page's title"},
		},
		Action: reportAction,
	}
}

func reportAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return &exitError{code: exitFailure, err: errors.New("report: give one output folder (the --out of framealign run)")}
	}
	dir := c.Args().First()
	out, err := report.Load(dir)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	var groups []string
	for _, g := range strings.Split(c.String("groups"), ",") {
		if g = strings.TrimSpace(g); g != "" {
			groups = append(groups, g)
		}
	}
	r, err := report.Build(out, report.Options{
		Where:    c.String("where"),
		Top:      c.Int("top"),
		By:       c.String("by"),
		Time:     c.String("time"),
		Groups:   groups,
		Lines:    c.Int("lines"),
		Evidence: c.Int("evidence"),
		Title:    c.String("title"),
	})
	if err != nil {
		return &exitError{code: exitFailure, err: fmt.Errorf("report: %w", err)}
	}
	path := c.String("html")
	if path == "" {
		path = filepath.Join(dir, "report.html")
	}
	if err := report.WriteHTML(path, r); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	fmt.Fprintf(c.App.Writer, "wrote %s: %d of %d documents selected, %d in the heatmap\n", path, r.Selected, r.Documents, len(r.Heatmap.Rows))
	if r.Trend == nil {
		fmt.Fprintf(c.App.Writer, "no time chart: %s\n", r.TrendAbsent)
	}
	return nil
}
