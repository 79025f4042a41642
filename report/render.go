package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/framealign/framealign/internal/atomicfile"
)

//go:embed report.html.tmpl
var pageTemplate string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"heatmap": HeatmapSVG,
	"alignmentChart": func(tr *Trend) template.HTML {
		return LineChartSVG(tr, "alignment", func(p Point) float64 { return p.Alignment })
	},
	"similarityChart": func(tr *Trend) template.HTML {
		return LineChartSVG(tr, "similarity", func(p Point) float64 { return p.Similarity })
	},
	"bars":  BarsSVG,
	"color": func(i int) string { return palette[i%len(palette)] },
	"label": func(id string) string { return strings.ReplaceAll(id, "_", " ") },
	"when": func(us int64) string {
		return time.UnixMicro(us).UTC().Format("2006-01-02 15:04 UTC")
	},
	"f3": func(v float64) string { return fmt.Sprintf("%.3f", v) },
}).Parse(pageTemplate))

// Render writes the report as one self-contained HTML page.
func Render(w io.Writer, r *Report) error {
	if err := page.Execute(w, r); err != nil {
		return fmt.Errorf("render report: %w", err)
	}
	return nil
}

// WriteHTML renders the report to path through a temporary file renamed into place, so
// a browser never opens half a page.
func WriteHTML(path string, r *Report) error {
	var buf bytes.Buffer
	if err := Render(&buf, r); err != nil {
		return err
	}
	if err := atomicfile.Write(path, buf.Bytes()); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	return nil
}
