package report

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/framealign/framealign/output"
)

// Options choose what a report shows. Zero values take the defaults noted.
type Options struct {
	// Where selects documents (see FilterSyntax); empty selects all.
	Where string
	// Top is how many of the selected documents, most aligned first, the heatmap and the
	// evidence draw from (30).
	Top int
	// By is the metadata column whose values get a line each in the time charts
	// ("country" when documents.parquet has it); without one, the charts draw one
	// line, the mean of the selection.
	By string
	// Time is the column on the time charts' x axis: a number (a year), or a DATE or
	// TIMESTAMP column, binned by Bin ("year" when present, else "date" when it is a
	// date or timestamp column).
	Time string
	// Bin is the period a date or timestamp axis counts in: "year", "quarter",
	// "month" or "week" (weeks start on Monday). Empty chooses the finest of week,
	// month, quarter and year that gives at most MaxBins periods over the selection's
	// span (AutoBin).
	Bin string
	// Groups names the values of By to draw; empty means the groups of the selection
	// (when Where is set) or the Lines groups with the highest mean alignment.
	Groups []string
	// Lines caps the number of groups drawn (8).
	Lines int
	// Evidence is the number of evidence sentences per dimension (3).
	Evidence int
	// Title heads the page ("framealign report").
	Title string
}

func (o *Options) defaults(docs *Documents) {
	if o.Top <= 0 {
		o.Top = 30
	}
	if o.Lines <= 0 {
		o.Lines = 8
	}
	if o.Evidence <= 0 {
		o.Evidence = 3
	}
	if o.Title == "" {
		o.Title = "framealign report"
	}
	if o.By == "" && docs.Has("country") {
		o.By = "country"
	}
	if o.Time == "" {
		switch {
		case docs.Kinds["year"] == KindInt || docs.Kinds["year"] == KindFloat:
			o.Time = "year"
		case docs.Kinds["date"] == KindDate || docs.Kinds["date"] == KindTimestamp:
			o.Time = "date"
		}
	}
}

// Dimension is a framework dimension as the scores table names it.
type Dimension struct {
	ID    string
	Group string
}

// Report is everything the HTML page shows, computed from an Output; Render draws it.
type Report struct {
	Title      string
	Dir        string
	Where      string
	Documents  int // documents in the output, the reference included
	Selected   int // documents the filter selected, the reference excluded
	Reference  *Row
	Dimensions []Dimension
	LastRun    *output.Run
	Heatmap    Heatmap
	// Trend is nil when the documents have no group or time column; TrendAbsent says why.
	Trend        *Trend
	TrendAbsent  string
	Evidence     []DimensionEvidence
	PerDimension int       // evidence sentences asked for per dimension
	Actors       []Ranking // per mechanism dimension: countries named in its sentences
	PhraseHeads  []Ranking // per institutional head: its most frequent phrases
	// PhraseActors ranks, per country named beside mechanism phrases, those phrases.
	PhraseActors []Ranking
}

// Heatmap is a documents x dimensions grid of per_1k_tokens rates.
type Heatmap struct {
	Rows []HeatRow
	// Max is where the color scale ends: the 95th percentile of the speeches' non-zero
	// rates, so neither the dense reference article nor one dimension that every
	// speech uses heavily (institutions) washes the rest out. Cells above it are darkest.
	Max float64
}

// HeatRow is one document of the heatmap, its rates in Report.Dimensions order.
type HeatRow struct {
	Label       string
	DocID       string
	Alignment   float64
	Similarity  float64
	IsReference bool
	Rates       []float64
}

// Trend holds the time charts: a series per group of By over Time, or, without By,
// the selection's mean alone.
type Trend struct {
	By, Time string
	// Bin is the period of a date or timestamp axis ("month"), "" for a numeric one;
	// a point's Time is then the period's number (see binOf) and its Label the
	// period as people write it ("2023-11").
	Bin    string
	Series []Series
	// Overall is the mean of all selected documents at each time, drawn as a baseline.
	Overall Series
}

// Series is one group's line: mean alignment and similarity at each time.
type Series struct {
	Name   string
	Points []Point
}

// Point is the mean of the documents of one group at one time.
type Point struct {
	Time       float64
	Label      string // the time as written on the axis: "2015", "2023-11", "2023 Q4"
	Alignment  float64
	Similarity float64
	N          int
}

// DimensionEvidence holds the strongest evidence sentences for one dimension.
type DimensionEvidence struct {
	Dimension Dimension
	Items     []Evidence
}

// Evidence is one sentence with the cues it matched marked.
type Evidence struct {
	DocLabel string
	DocID    string
	Hits     int
	Negated  bool
	// HTML is the sentence, HTML-escaped, with each matched cue inside <mark>.
	HTML template.HTML
}

// Ranking is a list of counted items under one key (a dimension, a head, a country).
type Ranking struct {
	Key   string
	Total int
	Items []Count
}

// Count is one counted item of a Ranking.
type Count struct {
	Key string
	N   int
}

// groupOrder is the order the codebook presents the groups in.
var groupOrder = map[string]int{"principle": 0, "mechanism": 1, "condition": 2, "framing": 3}

// Build computes a report from an output folder's tables.
func Build(out *Output, opts Options) (*Report, error) {
	opts.defaults(out.Documents)
	keep, err := ParseFilter(opts.Where, out.Documents)
	if err != nil {
		return nil, err
	}
	for _, col := range []string{opts.By, opts.Time} {
		if col != "" && !out.Documents.Has(col) {
			return nil, fmt.Errorf("report: documents.parquet has no column %q (columns: %s)", col, strings.Join(out.Documents.Columns, ", "))
		}
	}
	timeKind := out.Documents.Kinds[opts.Time]
	dated := timeKind == KindDate || timeKind == KindTimestamp
	if opts.Time != "" && !dated && timeKind != KindInt && timeKind != KindFloat {
		return nil, fmt.Errorf("report: --time %s: the column is %s; the time axis takes a number (a year), or a date or timestamp column", opts.Time, timeKind)
	}
	if opts.Bin != "" {
		if _, ok := bins[opts.Bin]; !ok {
			return nil, fmt.Errorf("report: --bin %q: choose year, quarter, month or week", opts.Bin)
		}
		if !dated {
			return nil, fmt.Errorf("report: --bin %s: only a date or timestamp --time column is binned, and %s is %s", opts.Bin, opts.Time, timeKind)
		}
	}

	r := &Report{Title: opts.Title, Dir: out.Dir, Where: opts.Where, Documents: len(out.Documents.Rows)}
	if n := len(out.Runs); n > 0 {
		last := out.Runs[n-1]
		r.LastRun = &last
	}
	var selected []Row
	for i, d := range out.Documents.Rows {
		if d.IsReference {
			if r.Reference == nil {
				r.Reference = &out.Documents.Rows[i]
			}
			continue
		}
		if keep(d) {
			selected = append(selected, d)
		}
	}
	ByAlignment(selected)
	r.Selected = len(selected)
	r.Dimensions = dimensionsOf(out.Scores)

	top := selected
	if len(top) > opts.Top {
		top = top[:opts.Top]
	}
	r.Heatmap = heatmapOf(out.Scores, r.Dimensions, r.Reference, top, opts)
	r.Trend, r.TrendAbsent = trendOf(selected, opts, dated)
	r.PerDimension = opts.Evidence
	r.Evidence = evidenceOf(out.Matches, r.Dimensions, top, opts)

	inSelection := make(map[string]bool, len(selected))
	for _, d := range selected {
		inSelection[d.DocID] = true
	}
	r.Actors = actorsOf(out.Matches, r.Dimensions, inSelection)
	r.PhraseHeads, r.PhraseActors = phrasesOf(out.Phrases, inSelection)
	return r, nil
}

// dimensionsOf lists the dimensions in the scores table, grouped in the codebook's
// order and, within a group, in the order the writer emitted them (the framework's).
func dimensionsOf(scores []output.Score) []Dimension {
	var dims []Dimension
	seen := map[string]bool{}
	for _, s := range scores {
		if !seen[s.Dimension] {
			seen[s.Dimension] = true
			dims = append(dims, Dimension{ID: s.Dimension, Group: s.Group})
		}
	}
	sort.SliceStable(dims, func(i, j int) bool { return groupRank(dims[i].Group) < groupRank(dims[j].Group) })
	return dims
}

func groupRank(g string) int {
	if r, ok := groupOrder[g]; ok {
		return r
	}
	return len(groupOrder)
}

// Label names a document for people: its group and time values ("CHN 2015") when
// there is a group column; else its time value and its title or file name
// ("2023-11-15 Readout of ...").
func Label(d Row, by, time string) string {
	if d.IsReference {
		return "reference article"
	}
	var parts []string
	if by != "" {
		for _, col := range []string{by, time} {
			if s := d.String(col); col != "" && s != "" {
				parts = append(parts, s)
			}
		}
		if len(parts) > 0 {
			return strings.Join(parts, " ")
		}
	}
	name := d.String("title")
	if name == "" {
		name = path.Base(d.DocID)
	}
	if s := d.String(time); time != "" && s != "" {
		return s + " " + name
	}
	return name
}

func heatmapOf(scores []output.Score, dims []Dimension, ref *Row, top []Row, opts Options) Heatmap {
	col := make(map[string]int, len(dims))
	for i, d := range dims {
		col[d.ID] = i
	}
	rows := make([]HeatRow, 0, len(top)+1)
	if ref != nil {
		rows = append(rows, heatRow(*ref, len(dims), opts))
	}
	for _, d := range top {
		rows = append(rows, heatRow(d, len(dims), opts))
	}
	index := make(map[string]int, len(rows))
	for i, row := range rows {
		index[row.DocID] = i
	}
	var h Heatmap
	var rates []float64
	for _, s := range scores {
		i, ok := index[s.DocID]
		if !ok {
			continue
		}
		rows[i].Rates[col[s.Dimension]] = s.Per1kTokens
		if !rows[i].IsReference && s.Per1kTokens > 0 {
			rates = append(rates, s.Per1kTokens)
		}
	}
	if len(rates) == 0 {
		for _, row := range rows {
			rates = append(rates, row.Rates...)
		}
	}
	h.Max = percentile(rates, 0.95)
	h.Rows = rows
	return h
}

// percentile returns the p-quantile of xs (nearest rank), 0 for none.
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	i := int(math.Ceil(p*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

func heatRow(d Row, n int, opts Options) HeatRow {
	return HeatRow{
		Label:       Label(d, opts.By, opts.Time),
		DocID:       d.DocID,
		Alignment:   d.Alignment,
		Similarity:  d.Similarity,
		IsReference: d.IsReference,
		Rates:       make([]float64, n),
	}
}

func trendOf(selected []Row, opts Options, dated bool) (*Trend, string) {
	if opts.Time == "" {
		return nil, "documents.parquet has no year column and no date column of type DATE or TIMESTAMP; name the column of the time axis with --time (a number such as a year, or a date or timestamp column)."
	}
	bin := opts.Bin
	if dated && bin == "" {
		var times []time.Time
		for _, d := range selected {
			if t, ok := d.Fields[opts.Time].(time.Time); ok {
				times = append(times, t)
			}
		}
		bin = AutoBin(times)
	}
	type acc struct {
		align, sim float64
		n          int
	}
	byGroup := map[string]map[float64]*acc{}
	overall := map[float64]*acc{}
	add := func(m map[float64]*acc, t float64, d Row) {
		a := m[t]
		if a == nil {
			a = &acc{}
			m[t] = a
		}
		a.align += d.Alignment
		a.sim += d.Similarity
		a.n++
	}
	for _, d := range selected {
		var t float64
		var ok bool
		if dated {
			var tm time.Time
			if tm, ok = d.Fields[opts.Time].(time.Time); ok {
				t = binOf(tm, bin)
			}
		} else {
			t, ok = number(d.Fields[opts.Time])
		}
		if !ok {
			continue
		}
		if opts.By != "" {
			g := d.String(opts.By)
			if g == "" {
				continue
			}
			if byGroup[g] == nil {
				byGroup[g] = map[float64]*acc{}
			}
			add(byGroup[g], t, d)
		}
		add(overall, t, d)
	}
	if len(overall) == 0 {
		kind := "a number"
		if dated {
			kind = "a date"
		}
		if opts.By != "" {
			return nil, fmt.Sprintf("No selected document has both a value in %s and %s in %s.", opts.By, kind, opts.Time)
		}
		return nil, fmt.Sprintf("No selected document has %s in %s.", kind, opts.Time)
	}
	series := func(name string, m map[float64]*acc) Series {
		s := Series{Name: name}
		for t, a := range m {
			label := trimFloat(t)
			if dated {
				label = binLabel(t, bin)
			}
			s.Points = append(s.Points, Point{Time: t, Label: label, Alignment: a.align / float64(a.n), Similarity: a.sim / float64(a.n), N: a.n})
		}
		sort.Slice(s.Points, func(i, j int) bool { return s.Points[i].Time < s.Points[j].Time })
		return s
	}
	tr := &Trend{By: opts.By, Time: opts.Time, Overall: series("all selected", overall)}
	if dated {
		tr.Bin = bin
	}
	if opts.By == "" {
		return tr, ""
	}

	groups := opts.Groups
	if len(groups) == 0 {
		// Without a named choice, draw the groups that speak most in the framework's
		// terms, preferring groups seen at two times or more (a line, not a dot).
		type cand struct {
			name  string
			mean  float64
			times int
		}
		var cands []cand
		for g, m := range byGroup {
			var sum float64
			var n int
			for _, a := range m {
				sum += a.align
				n += a.n
			}
			cands = append(cands, cand{g, sum / float64(n), len(m)})
		}
		sort.Slice(cands, func(i, j int) bool {
			if (cands[i].times > 1) != (cands[j].times > 1) {
				return cands[i].times > 1
			}
			if cands[i].mean != cands[j].mean {
				return cands[i].mean > cands[j].mean
			}
			return cands[i].name < cands[j].name
		})
		for _, c := range cands {
			groups = append(groups, c.name)
		}
	}
	if len(groups) > opts.Lines {
		groups = groups[:opts.Lines]
	}
	for _, g := range groups {
		if m, ok := byGroup[g]; ok {
			tr.Series = append(tr.Series, series(g, m))
		}
	}
	if len(tr.Series) == 0 {
		return nil, fmt.Sprintf("None of the groups %s has documents in the selection.", strings.Join(groups, ", "))
	}
	return tr, ""
}

// MaxBins is the most periods AutoBin lets a date axis have.
const MaxBins = 60

// bins are the periods a date axis may count in.
var bins = map[string]bool{"week": true, "month": true, "quarter": true, "year": true}

// AutoBin chooses the period of a date axis: the finest of week, month, quarter and
// year over which the times span at most MaxBins periods (both ends counted), so four
// years of daily statements are drawn by month, fifteen by year. One time, or none,
// gives "month".
func AutoBin(times []time.Time) string {
	if len(times) == 0 {
		return "month"
	}
	lo, hi := times[0], times[0]
	for _, t := range times {
		if t.Before(lo) {
			lo = t
		}
		if t.After(hi) {
			hi = t
		}
	}
	for _, b := range []string{"week", "month", "quarter", "year"} {
		if binOf(hi, b)-binOf(lo, b)+1 <= MaxBins {
			return b
		}
	}
	return "year"
}

// binOf numbers the period of t: the year itself; year*4 + quarter-1; year*12 +
// month-1; or, for weeks, the number of Mondays since 1970-01-05, so that consecutive
// periods have consecutive numbers.
func binOf(t time.Time, bin string) float64 {
	t = t.UTC()
	switch bin {
	case "year":
		return float64(t.Year())
	case "quarter":
		return float64(t.Year()*4 + (int(t.Month())-1)/3)
	case "week":
		days := int(math.Floor(float64(t.Unix()-monday1970) / 86400))
		return math.Floor(float64(days) / 7)
	}
	return float64(t.Year()*12 + int(t.Month()) - 1)
}

// monday1970 is the Unix time of Monday 1970-01-05, where week 0 starts.
const monday1970 = 4 * 86400

// binStart is the first instant of period n.
func binStart(n float64, bin string) time.Time {
	i := int(n)
	switch bin {
	case "year":
		return time.Date(i, 1, 1, 0, 0, 0, 0, time.UTC)
	case "quarter":
		return time.Date(floorDiv(i, 4), time.Month(mod(i, 4)*3+1), 1, 0, 0, 0, 0, time.UTC)
	case "week":
		return time.Unix(monday1970+int64(i)*7*86400, 0).UTC()
	}
	return time.Date(floorDiv(i, 12), time.Month(mod(i, 12)+1), 1, 0, 0, 0, 0, time.UTC)
}

// binLabel writes period n as people do: "2023", "2023 Q4", "2023-11", and a week by
// its Monday, "2023-11-13".
func binLabel(n float64, bin string) string {
	t := binStart(n, bin)
	switch bin {
	case "year":
		return t.Format("2006")
	case "quarter":
		return fmt.Sprintf("%d Q%d", t.Year(), (int(t.Month())-1)/3+1)
	case "week":
		return t.Format(time.DateOnly)
	}
	return t.Format("2006-01")
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func mod(a, b int) int { return a - floorDiv(a, b)*b }

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// evidenceOf picks, for each dimension, the sentence with the most hits of it in each of
// the most aligned documents, one per document, until it has opts.Evidence sentences.
func evidenceOf(matches []output.Match, dims []Dimension, top []Row, opts Options) []DimensionEvidence {
	type key struct {
		doc, dim string
	}
	type sentence struct {
		index   int64
		text    string
		cues    []string
		hits    int
		negated int
	}
	wanted := make(map[string]bool, len(top))
	for _, d := range top {
		wanted[d.DocID] = true
	}
	sentences := map[key]map[int64]*sentence{}
	for _, m := range matches {
		if !wanted[m.DocID] {
			continue
		}
		k := key{m.DocID, m.Dimension}
		if sentences[k] == nil {
			sentences[k] = map[int64]*sentence{}
		}
		s := sentences[k][m.SentenceIndex]
		if s == nil {
			s = &sentence{index: m.SentenceIndex, text: m.Sentence}
			sentences[k][m.SentenceIndex] = s
		}
		s.cues = append(s.cues, m.Text)
		s.hits++
		if m.Negated {
			s.negated++
		}
	}
	var out []DimensionEvidence
	for _, dim := range dims {
		de := DimensionEvidence{Dimension: dim}
		for _, d := range top {
			if len(de.Items) >= opts.Evidence {
				break
			}
			var best *sentence
			for _, s := range sentences[key{d.DocID, dim.ID}] {
				// Most plain (not negated) hits first; then the earlier sentence, so the
				// choice does not depend on map order.
				if best == nil || s.hits-s.negated > best.hits-best.negated ||
					(s.hits-s.negated == best.hits-best.negated && s.index < best.index) {
					best = s
				}
			}
			if best == nil {
				continue
			}
			de.Items = append(de.Items, Evidence{
				DocLabel: Label(d, opts.By, opts.Time),
				DocID:    d.DocID,
				Hits:     best.hits,
				Negated:  best.negated == best.hits,
				HTML:     Highlight(best.text, best.cues),
			})
		}
		out = append(out, de)
	}
	return out
}

// Highlight HTML-escapes sentence and wraps each occurrence of the cue texts in <mark>.
// Cues are found case-insensitively; overlapping occurrences merge into one mark.
func Highlight(sentence string, cues []string) template.HTML {
	// Search case-insensitively when lower-casing keeps byte lengths (it may not outside
	// ASCII, and then positions in the lowered text would mark the wrong bytes).
	haystack, fold := strings.ToLower(sentence), true
	if len(haystack) != len(sentence) {
		haystack, fold = sentence, false
	}
	marked := make([]bool, len(sentence))
	for _, c := range cues {
		c = strings.TrimSpace(c)
		if fold {
			c = strings.ToLower(c)
		}
		if c == "" {
			continue
		}
		for from := 0; from < len(haystack); {
			i := strings.Index(haystack[from:], c)
			if i < 0 {
				break
			}
			for j := from + i; j < from+i+len(c); j++ {
				marked[j] = true
			}
			from += i + len(c)
		}
	}
	var b strings.Builder
	in := false
	start := 0
	flush := func(end int) {
		b.WriteString(html.EscapeString(sentence[start:end]))
		start = end
	}
	for i := range sentence {
		if marked[i] != in {
			flush(i)
			if marked[i] {
				b.WriteString("<mark>")
			} else {
				b.WriteString("</mark>")
			}
			in = marked[i]
		}
	}
	flush(len(sentence))
	if in {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String())
}

// actorsOf counts, for each mechanism dimension, the countries named in the sentences
// that carry it; a country named twice in one sentence counts once.
func actorsOf(matches []output.Match, dims []Dimension, selected map[string]bool) []Ranking {
	type key struct {
		doc, dim, actor string
		sentence        int64
	}
	seen := map[key]bool{}
	counts := map[string]map[string]int{}
	for _, m := range matches {
		if !selected[m.DocID] {
			continue
		}
		for _, a := range m.Actors {
			k := key{m.DocID, m.Dimension, a, m.SentenceIndex}
			if seen[k] {
				continue
			}
			seen[k] = true
			if counts[m.Dimension] == nil {
				counts[m.Dimension] = map[string]int{}
			}
			counts[m.Dimension][a]++
		}
	}
	var out []Ranking
	for _, d := range dims {
		if d.Group == "mechanism" {
			out = append(out, rank(d.ID, counts[d.ID], 8))
		}
	}
	return out
}

// phrasesOf ranks mechanism phrases per head and per country named beside them.
func phrasesOf(phrases []output.Phrase, selected map[string]bool) (byHead, byActor []Ranking) {
	heads := map[string]map[string]int{}
	actors := map[string]map[string]int{}
	inc := func(m map[string]map[string]int, k, phrase string) {
		if m[k] == nil {
			m[k] = map[string]int{}
		}
		m[k][phrase]++
	}
	for _, p := range phrases {
		if !selected[p.DocID] || p.Normalized == "" {
			continue
		}
		inc(heads, p.Head, p.Normalized)
		for _, a := range uniq(p.Actors) {
			inc(actors, a, p.Normalized)
		}
	}
	return rankAll(heads, 10, 6), rankAll(actors, 10, 6)
}

func uniq(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// rankAll ranks the keys of m by their total count, keeping the first keys keys and
// their first items items each.
func rankAll(m map[string]map[string]int, keys, items int) []Ranking {
	var out []Ranking
	for k, c := range m {
		out = append(out, rank(k, c, items))
	}
	sortRankings(out)
	if len(out) > keys {
		out = out[:keys]
	}
	return out
}

func sortRankings(rs []Ranking) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Total != rs[j].Total {
			return rs[i].Total > rs[j].Total
		}
		return rs[i].Key < rs[j].Key
	})
}

func rank(key string, counts map[string]int, n int) Ranking {
	r := Ranking{Key: key}
	for k, c := range counts {
		r.Items = append(r.Items, Count{k, c})
		r.Total += c
	}
	sortCounts(r.Items)
	if len(r.Items) > n {
		r.Items = r.Items[:n]
	}
	return r
}

func sortCounts(cs []Count) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].N != cs[j].N {
			return cs[i].N > cs[j].N
		}
		return cs[i].Key < cs[j].Key
	})
}
