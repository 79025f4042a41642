package report

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/output"
)

// datedOutput writes an output folder of statements as the White House corpus gives
// them: a DATE column "date", a TIMESTAMP "published_time", no country; one statement
// every days days from first, n of them, alignment rising by month.
func datedOutput(t *testing.T, first string, days, n int) *Output {
	t.Helper()
	dir := t.TempDir()
	start, err := time.Parse(time.DateOnly, first)
	if err != nil {
		t.Fatal(err)
	}
	var rows []output.DocumentRow
	var scores []output.Score
	for i := 0; i < n; i++ {
		day := start.AddDate(0, 0, i*days)
		id := fmt.Sprintf("%s/%s-statement-%d.md", day.Format("2006-01"), day.Format(time.DateOnly), i)
		pub, _ := corpus.ParseText(day.Format(time.DateOnly) + " 21:30:00-05:00") // the next day in UTC
		rows = append(rows, output.DocumentRow{DocID: id, Alignment: float64(day.Month()) / 100, Similarity: 0.01, Title: fmt.Sprintf("Statement %d", i),
			Meta: map[string]corpus.Value{"date": corpus.DateValue(day), "published_time": pub, "tags": corpus.StringValue("statements-releases")}})
		scores = append(scores, output.Score{DocID: id, Dimension: "win_win", Group: "principle", Per1kTokens: float64(i % 3)})
	}
	if _, err := output.WriteDocuments(dir, "t", rows); err != nil {
		t.Fatal(err)
	}
	if err := output.Commit(dir, "t", []string{output.DocumentsTable}); err != nil {
		t.Fatal(err)
	}
	writeRows(t, filepath.Join(dir, output.ScoresTable), scores)
	out, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestTimeAxisOnADateColumnByMonthWithoutGroups(t *testing.T) {
	// Four years of statements, every five days: 2021-01 to 2024-12 is 48 months.
	out := datedOutput(t, "2021-01-04", 5, 292)
	if k := out.Documents.Kinds["date"]; k != KindDate {
		t.Fatalf("date read as %s", k)
	}
	if k := out.Documents.Kinds["published_time"]; k != KindTimestamp {
		t.Fatalf("published_time read as %s", k)
	}
	r, err := Build(out, Options{}) // date is the default time axis without a year
	if err != nil {
		t.Fatal(err)
	}
	tr := r.Trend
	if tr == nil {
		t.Fatalf("no trend: %s", r.TrendAbsent)
	}
	if tr.Time != "date" || tr.By != "" || tr.Bin != "month" || len(tr.Series) != 0 {
		t.Fatalf("trend over %s by %q, bin %s, %d series; want date by month, one line", tr.Time, tr.By, tr.Bin, len(tr.Series))
	}
	pts := tr.Overall.Points
	if len(pts) != 48 || pts[0].Label != "2021-01" || pts[47].Label != "2024-12" {
		t.Fatalf("%d points from %s to %s, want 48 from 2021-01 to 2024-12", len(pts), pts[0].Label, pts[len(pts)-1].Label)
	}
	if pts[10].Alignment != 0.11 || pts[10].Label != "2021-11" {
		t.Errorf("November 2021: %+v", pts[10])
	}
	var page strings.Builder
	if err := Render(&page, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"date (by month)", "over <code>date</code>, by month", "<title>all selected, date 2021-11:", ">2022<"} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page.String(), "no a ") || strings.Contains(page.String(), "No time chart") {
		t.Error("page says there is no time chart")
	}
	if n := strings.Count(page.String(), `class="series"`); n != 2 {
		t.Errorf("%d lines drawn, want 2 (one per chart)", n)
	}
	// The heatmap names a statement by its date and title.
	if got := r.Heatmap.Rows[0].Label; !strings.HasPrefix(got, "2021-12-") && !strings.HasPrefix(got, "2022-12-") && !strings.HasPrefix(got, "2023-12-") && !strings.HasPrefix(got, "2024-12-") {
		t.Errorf("top heatmap label %q, want a December statement by date and title", got)
	}

	// A timestamp column is binned in UTC: 21:30 at -05:00 is the next day.
	r, err = Build(out, Options{Time: "published_time", Bin: "quarter"})
	if err != nil {
		t.Fatal(err)
	}
	if p := r.Trend.Overall.Points; len(p) != 16 || p[0].Label != "2021 Q1" || p[15].Label != "2024 Q4" || r.Trend.Bin != "quarter" {
		t.Errorf("quarters: %d points, %s to %s", len(p), p[0].Label, p[len(p)-1].Label)
	}
	r, err = Build(out, Options{Bin: "week", Where: "date >= '2024-12-01' and published_time < '2025-01-01'"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Selected != 6 || r.Trend.Overall.Points[0].Label != "2024-12-02" {
		t.Errorf("December 2024: %d selected, first week %s", r.Selected, r.Trend.Overall.Points[0].Label)
	}
}

func TestAutoBinByTheSpan(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	cases := []struct {
		from, to, want string
	}{
		{"2023-11-01", "2023-11-30", "week"},
		{"2023-01-01", "2024-02-01", "week"}, // 57 weeks
		{"2023-01-01", "2024-03-01", "month"},
		{"2021-01-20", "2025-01-20", "month"}, // the White House corpus: 49 months
		{"2011-01-01", "2020-12-31", "quarter"},
		{"1970-01-01", "2024-12-31", "year"},
	}
	for _, c := range cases {
		if got := AutoBin([]time.Time{day(c.from), day(c.to)}); got != c.want {
			t.Errorf("AutoBin(%s..%s) = %s, want %s", c.from, c.to, got, c.want)
		}
	}
	for _, b := range []string{"week", "month", "quarter", "year"} {
		for _, d := range []string{"1969-12-29", "2023-11-15", "2024-01-01"} {
			n := binOf(day(d), b)
			if s := binStart(n, b); s.After(day(d)) || binOf(s, b) != n {
				t.Errorf("%s of %s starts %s", b, d, s)
			}
		}
	}
	if l := binLabel(binOf(day("2023-11-15"), "week"), "week"); l != "2023-11-13" {
		t.Errorf("week of 2023-11-15 labelled %s, want its Monday", l)
	}
}

func TestTimeAxisRefusesWhatItCannotDraw(t *testing.T) {
	out := datedOutput(t, "2023-01-02", 7, 10)
	cases := []struct {
		opts Options
		want string
	}{
		{Options{Time: "tags"}, "report: --time tags: the column is string; the time axis takes a number (a year), or a date or timestamp column"},
		{Options{Time: "n_tokens", Bin: "month"}, "report: --bin month: only a date or timestamp --time column is binned, and n_tokens is integer"},
		{Options{Bin: "fortnight"}, `report: --bin "fortnight": choose year, quarter, month or week`},
		{Options{Where: "date > 2023"}, `filter "date > 2023": at 8: column date is date, compare it with a date in single quotes ('2023-11-15'), not "2023"`},
		{Options{Where: "date > 'soon'"}, `filter "date > 'soon'": at 8: column date is date, compare it with a date such as '2023-11-15' or a date-time such as '2023-11-15 14:00:00', not 'soon'`},
	}
	for _, c := range cases {
		if _, err := Build(out, c.opts); err == nil || err.Error() != c.want {
			t.Errorf("%+v: %v, want %q", c.opts, err, c.want)
		}
	}
	r, err := Build(out, Options{By: "tags", Where: "date < '2020-01-01'"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Trend != nil || r.TrendAbsent != "No selected document has both a value in tags and a date in date." {
		t.Errorf("absent: %q", r.TrendAbsent)
	}
}
