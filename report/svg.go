package report

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// The charts are SVG written as text here, not drawn by a script in the page, so the
// report opens offline, prints, and shows the same thing in every browser.

// palette is Tableau 10: distinct hues that stay apart for the usual color blindness.
var palette = []string{"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"}

// blues is the heatmap's sequential scale, light (little) to dark (much).
var blues = [][3]float64{{239, 246, 252}, {198, 219, 239}, {107, 174, 214}, {33, 113, 181}, {8, 48, 107}}

const zeroFill = "#f3f3f3"

// heatColor maps a rate to the scale; the square root spreads the many small rates
// that a linear scale would leave indistinguishable from zero.
func heatColor(v, max float64) (fill string, dark bool) {
	if v <= 0 || max <= 0 {
		return zeroFill, false
	}
	t := math.Sqrt(math.Min(v/max, 1))
	pos := t * float64(len(blues)-1)
	i := int(math.Min(pos, float64(len(blues)-2)))
	f := pos - float64(i)
	var c [3]int
	for k := range c {
		c[k] = int(math.Round(blues[i][k] + (blues[i+1][k]-blues[i][k])*f))
	}
	return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2]), t > 0.6
}

func esc(s string) string { return html.EscapeString(s) }

// HeatmapSVG draws the documents x dimensions grid with group bands, value labels, an
// alignment bar per row and a legend.
func HeatmapSVG(h Heatmap, dims []Dimension) template.HTML {
	const (
		labelW = 200
		cellW  = 46
		cellH  = 22
		top    = 150
		barW   = 90
		gap    = 8
	)
	gridX := labelW
	barX := gridX + len(dims)*cellW + 16
	width := barX + barW + 60
	refGap := 0
	if len(h.Rows) > 0 && h.Rows[0].IsReference {
		refGap = gap
	}
	gridH := len(h.Rows)*cellH + refGap
	height := top + gridH + 70

	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="heatmap" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="Heatmap of dimension rates per document">`, width, height, width, height)

	// Group bands above the dimension names.
	for i := 0; i < len(dims); {
		j := i
		for j < len(dims) && dims[j].Group == dims[i].Group {
			j++
		}
		x := gridX + i*cellW
		w := (j - i) * cellW
		fmt.Fprintf(&b, `<rect class="band" x="%d" y="4" width="%d" height="20" fill="#e8ecf1"/>`, x+1, w-2)
		fmt.Fprintf(&b, `<text x="%d" y="18" text-anchor="middle" class="band-label">%s</text>`, x+w/2, esc(dims[i].Group))
		if i > 0 {
			fmt.Fprintf(&b, `<line x1="%d" y1="4" x2="%d" y2="%d" stroke="#fff" stroke-width="3"/>`, x, x, top+gridH)
		}
		i = j
	}
	for i, d := range dims {
		x := gridX + i*cellW + cellW/2
		fmt.Fprintf(&b, `<text class="dim-label" transform="translate(%d,%d) rotate(-50)">%s</text>`, x+4, top-6, esc(strings.ReplaceAll(d.ID, "_", " ")))
	}
	fmt.Fprintf(&b, `<text class="axis-title" x="%d" y="%d" text-anchor="end">document</text>`, labelW-8, top-8)
	fmt.Fprintf(&b, `<text class="axis-title" x="%d" y="%d">alignment</text>`, barX, top-8)

	y := top
	for r, row := range h.Rows {
		if r == 1 && refGap > 0 {
			y += refGap
		}
		cls := "row-label"
		if row.IsReference {
			cls += " reference"
		}
		fmt.Fprintf(&b, `<text class="%s" x="%d" y="%d" text-anchor="end"><title>%s</title>%s</text>`, cls, labelW-8, y+cellH/2+4, esc(row.DocID), esc(truncate(row.Label, 26)))
		for i, v := range row.Rates {
			fill, dark := heatColor(v, h.Max)
			x := gridX + i*cellW
			fmt.Fprintf(&b, `<rect class="cell" x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s — %s: %.2f per 1,000 tokens</title></rect>`,
				x+1, y+1, cellW-2, cellH-2, fill, esc(row.Label), esc(dims[i].ID), v)
			if v > 0 {
				// A class, not a fill attribute: the page's CSS for svg text would override it.
				cls := "cell-value"
				if dark {
					cls += " on-dark"
				}
				fmt.Fprintf(&b, `<text class="%s" x="%d" y="%d" text-anchor="middle">%s</text>`, cls, x+cellW/2, y+cellH/2+4, shortNum(v))
			}
		}
		w := row.Alignment * barW
		fmt.Fprintf(&b, `<rect class="bar" x="%d" y="%d" width="%.1f" height="%d" fill="#7f8fa6"><title>alignment %.3f, similarity %.3f</title></rect>`, barX, y+5, w, cellH-10, row.Alignment, row.Similarity)
		fmt.Fprintf(&b, `<text class="cell-value" x="%.1f" y="%d">%.2f</text>`, float64(barX)+w+4, y+cellH/2+4, row.Alignment)
		y += cellH
	}

	// Legend: ten steps of the scale with their rates.
	ly := y + 24
	fmt.Fprintf(&b, `<text class="axis-title" x="%d" y="%d" text-anchor="end">hits per 1,000 tokens</text>`, gridX-8, ly+12)
	const steps, stepW = 10, 34
	fmt.Fprintf(&b, `<rect class="legend" x="%d" y="%d" width="%d" height="14" fill="%s" stroke="#ccc"/>`, gridX, ly, stepW, zeroFill)
	fmt.Fprintf(&b, `<text class="tick" x="%d" y="%d" text-anchor="middle">0</text>`, gridX+stepW/2, ly+28)
	for s := 1; s <= steps; s++ {
		v := h.Max * math.Pow(float64(s)/steps, 2) // steps even in color, so squared in rate
		fill, _ := heatColor(v, h.Max)
		x := gridX + s*stepW
		fmt.Fprintf(&b, `<rect class="legend" x="%d" y="%d" width="%d" height="14" fill="%s"/>`, x, ly, stepW, fill)
		if s%2 == 0 {
			label := shortNum(v)
			if s == steps {
				label = "≥ " + label // the scale's end: higher rates share its color
			}
			fmt.Fprintf(&b, `<text class="tick" x="%d" y="%d" text-anchor="middle">%s</text>`, x+stepW/2, ly+28, label)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func shortNum(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.0f", v)
	case v >= 0.95:
		return fmt.Sprintf("%.1f", v)
	default:
		return strings.TrimPrefix(fmt.Sprintf("%.2f", v), "0")
	}
}

// LineChartSVG draws one measure (alignment or similarity) of a trend over time, a
// colored line per series and the overall mean dashed in grey.
func LineChartSVG(tr *Trend, measure string, value func(Point) float64) template.HTML {
	const (
		width, height = 500, 300
		ml, mr        = 56, 26 // room for half a "2025-01" tick label at the right end
		mt, mb        = 28, 46
	)
	pw, ph := float64(width-ml-mr), float64(height-mt-mb)
	all := append([]Series{tr.Overall}, tr.Series...)
	tmin, tmax, vmax := math.Inf(1), math.Inf(-1), 0.0
	for _, s := range all {
		for _, p := range s.Points {
			tmin, tmax = math.Min(tmin, p.Time), math.Max(tmax, p.Time)
			vmax = math.Max(vmax, value(p))
		}
	}
	if tmin == tmax {
		tmin, tmax = tmin-1, tmax+1
	}
	ystep, ymax := niceStep(vmax, 5)
	xstep, _ := niceStep(tmax-tmin, 8)
	xstep = math.Max(xstep, 1)
	tick := trimFloat
	if tr.Bin != "" {
		xstep, tick = binTicks(tr.Bin, tmax-tmin)
	}
	sx := func(t float64) float64 { return float64(ml) + (t-tmin)/(tmax-tmin)*pw }
	sy := func(v float64) float64 { return float64(mt) + ph - v/ymax*ph }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="linechart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s by %s over %s">`, width, height, width, height, esc(measure), esc(tr.By), esc(tr.Time))
	fmt.Fprintf(&b, `<text class="chart-title" x="%d" y="16">%s</text>`, ml, esc("mean "+measure))
	for v := 0.0; v <= ymax+ystep/2; v += ystep {
		y := sy(v)
		fmt.Fprintf(&b, `<line class="grid" x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#e3e6ea"/>`, ml, y, width-mr, y)
		fmt.Fprintf(&b, `<text class="tick" x="%d" y="%.1f" text-anchor="end">%s</text>`, ml-6, y+4, trimFloat(v))
	}
	for t := math.Ceil(tmin/xstep) * xstep; t <= tmax; t += xstep {
		x := sx(t)
		fmt.Fprintf(&b, `<line class="axis" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#8a939e"/>`, x, float64(mt)+ph, x, float64(mt)+ph+5)
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, x, float64(mt)+ph+18, esc(tick(t)))
	}
	fmt.Fprintf(&b, `<line class="axis" x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#8a939e"/>`, ml, float64(mt)+ph, width-mr, float64(mt)+ph)
	axis := tr.Time
	if tr.Bin != "" {
		axis += " (by " + tr.Bin + ")"
	}
	fmt.Fprintf(&b, `<text class="axis-title" x="%.1f" y="%d" text-anchor="middle">%s</text>`, float64(ml)+pw/2, height-6, esc(axis))
	fmt.Fprintf(&b, `<text class="axis-title" transform="translate(14,%.1f) rotate(-90)" text-anchor="middle">%s</text>`, float64(mt)+ph/2, esc(measure))

	line := func(s Series, color, extra string) {
		var d strings.Builder
		for i, p := range s.Points {
			cmd := "L"
			if i == 0 {
				cmd = "M"
			}
			fmt.Fprintf(&d, "%s%.1f,%.1f", cmd, sx(p.Time), sy(value(p)))
		}
		fmt.Fprintf(&b, `<path class="series" d="%s" fill="none" stroke="%s" stroke-width="2" %s><title>%s</title></path>`, d.String(), color, extra, esc(s.Name))
		for _, p := range s.Points {
			label := p.Label
			if label == "" {
				label = trimFloat(p.Time)
			}
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"><title>%s, %s %s: %s %.3f (%d documents)</title></circle>`,
				sx(p.Time), sy(value(p)), color, esc(s.Name), esc(tr.Time), esc(label), esc(measure), value(p), p.N)
		}
	}
	if len(tr.Series) == 0 {
		// One line, the selection's mean: drawn in color, not as a baseline.
		line(tr.Overall, palette[0], "")
	} else {
		line(tr.Overall, "#9aa3ad", `stroke-dasharray="5 4"`)
	}
	for i, s := range tr.Series {
		line(s, palette[i%len(palette)], "")
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// binTicks picks the step between ticks of a date axis spanning span periods of bin
// (at most about six ticks, at round periods: every 3, 6 or 12 months, ...) and
// the function that labels them; a tick of a whole year is labelled by the year.
func binTicks(bin string, span float64) (step float64, label func(float64) string) {
	steps := map[string][]float64{
		"week":    {1, 2, 4, 13, 26, 52, 104, 260},
		"month":   {1, 2, 3, 6, 12, 24, 60, 120},
		"quarter": {1, 2, 4, 8, 20, 40},
		"year":    {1, 2, 5, 10, 20, 50, 100},
	}[bin]
	step = steps[len(steps)-1]
	for _, s := range steps {
		if span/s <= 6 {
			step = s
			break
		}
	}
	perYear := map[string]float64{"month": 12, "quarter": 4}[bin]
	return step, func(t float64) string {
		if perYear > 0 && math.Mod(step, perYear) == 0 {
			return binStart(t, bin).Format("2006")
		}
		return binLabel(t, bin)
	}
}

// niceStep picks a round tick step (1, 2 or 5 times a power of ten) giving at most n
// intervals over span, and the round upper end it implies.
func niceStep(span float64, n int) (step, end float64) {
	if span <= 0 {
		return 0.1, 0.1
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		step = m * mag
		if step >= raw {
			break
		}
	}
	return step, math.Ceil(span/step-1e-9) * step
}

func trimFloat(v float64) string {
	s := fmt.Sprintf("%.3f", v)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// BarsSVG draws a ranking as horizontal bars with their counts.
func BarsSVG(r Ranking, color string) template.HTML {
	const (
		labelW = 48
		barMax = 190
		rowH   = 20
	)
	width := labelW + barMax + 40
	height := len(r.Items)*rowH + 6
	max := 1
	for _, c := range r.Items {
		if c.N > max {
			max = c.N
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="bars" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`, width, height, width, height, esc(r.Key))
	for i, c := range r.Items {
		y := i*rowH + 3
		w := float64(c.N) / float64(max) * barMax
		fmt.Fprintf(&b, `<text class="tick" x="%d" y="%d" text-anchor="end">%s</text>`, labelW-6, y+13, esc(c.Key))
		fmt.Fprintf(&b, `<rect class="bar" x="%d" y="%d" width="%.1f" height="%d" fill="%s"><title>%s: %d</title></rect>`, labelW, y+2, w, rowH-6, color, esc(c.Key), c.N)
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%d">%d</text>`, float64(labelW)+w+4, y+13, c.N)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
