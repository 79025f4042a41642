package report

import (
	"bytes"
	"html"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/framealign/framealign/output"
)

func load(t *testing.T, fx *fixture) *Output {
	t.Helper()
	out, err := Load(fx.dir)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return out
}

func TestLoadReadsMetadataColumnsByName(t *testing.T) {
	fx := writeFixture(t)
	out := load(t, fx)
	docs := out.Documents
	if len(docs.Rows) != len(fx.docs) {
		t.Fatalf("read %d documents, wrote %d", len(docs.Rows), len(fx.docs))
	}
	for col, kind := range map[string]Kind{"doc_id": KindString, "country": KindString, "year": KindInt, "session": KindInt, "alignment": KindFloat, "is_reference": KindBool, "countries": KindList} {
		if docs.Kinds[col] != kind {
			t.Errorf("column %s read as %s, want %s", col, docs.Kinds[col], kind)
		}
	}
	for _, d := range docs.Rows {
		want := fx.doc(d.DocID)
		if d.Alignment != want.Alignment || d.Similarity != want.Similarity || d.NTokens != want.NTokens || d.IsReference != want.IsReference {
			t.Errorf("%s: read alignment %v similarity %v tokens %d ref %v, wrote %v %v %d %v",
				d.DocID, d.Alignment, d.Similarity, d.NTokens, d.IsReference, want.Alignment, want.Similarity, want.NTokens, want.IsReference)
		}
		if want.Year == nil {
			if d.Fields["year"] != nil || d.Fields["country"] != nil {
				t.Errorf("%s: null metadata read as year %v country %v", d.DocID, d.Fields["year"], d.Fields["country"])
			}
			continue
		}
		if d.Fields["year"] != *want.Year || d.String("country") != *want.Country {
			t.Errorf("%s: read year %v country %q, wrote %d %q", d.DocID, d.Fields["year"], d.String("country"), *want.Year, *want.Country)
		}
		if got, _ := d.Fields["countries"].([]string); strings.Join(got, ",") != strings.Join(want.Countries, ",") {
			t.Errorf("%s: countries %v, wrote %v", d.DocID, got, want.Countries)
		}
	}
	if len(out.Scores) != len(fx.docs)*14 || len(out.Matches) != len(fx.matches) || len(out.Runs) != 2 || len(out.Errors) != 3 {
		t.Errorf("read %d scores, %d matches, %d runs, %d errors; wrote %d, %d, 2, 3",
			len(out.Scores), len(out.Matches), len(out.Runs), len(out.Errors), len(fx.docs)*14, len(fx.matches))
	}
}

func TestLoadNamesTheMissingTable(t *testing.T) {
	_, err := Load(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "documents.parquet") {
		t.Fatalf("Load of an empty folder: %v, want an error naming documents.parquet", err)
	}
}

func selectIDs(t *testing.T, docs *Documents, expr string) []string {
	t.Helper()
	keep, err := ParseFilter(expr, docs)
	if err != nil {
		t.Fatalf("ParseFilter(%q): %v", expr, err)
	}
	var ids []string
	for _, d := range docs.Rows {
		if keep(d) {
			ids = append(ids, d.DocID)
		}
	}
	sort.Strings(ids)
	return ids
}

func TestFilterSelectsByMetadata(t *testing.T) {
	docs := load(t, writeFixture(t)).Documents
	cases := map[string]string{
		"country in ('CHN','USA')":            "CHN_66_2011.txt CHN_75_2020.txt USA_66_2011.txt USA_75_2020.txt",
		"country IN ('CHN') And year >= 2015": "CHN_75_2020.txt",
		"country = 'USA' and year < 2015":     "USA_66_2011.txt",
		"country not in ('CHN', 'USA')":       "GBR_77_2022.txt RUS_73_2018.txt", // the reference has no country: null matches nothing
		"year in (2011, 2018)":                "CHN_66_2011.txt RUS_73_2018.txt USA_66_2011.txt",
		"is_reference = true":                 "000_c467fab3ab5cde65.txt",
		"doc_id = 'GBR_77_2022.txt'":          "GBR_77_2022.txt",
		"country != 'CHN' and session <> 73":  "GBR_77_2022.txt USA_66_2011.txt USA_75_2020.txt",
		"  ":                                  "000_c467fab3ab5cde65.txt CHN_66_2011.txt CHN_75_2020.txt GBR_77_2022.txt RUS_73_2018.txt USA_66_2011.txt USA_75_2020.txt",
		"country = 'O''Brien'":                "",
	}
	for expr, want := range cases {
		if got := strings.Join(selectIDs(t, docs, expr), " "); got != want {
			t.Errorf("%q selected [%s], want [%s]", expr, got, want)
		}
	}
	// On the list column, = holds when the document names the country anywhere.
	var naming []string
	for _, d := range docs.Rows {
		for _, c := range d.Fields["countries"].([]string) {
			if c == "RUS" {
				naming = append(naming, d.DocID)
			}
		}
	}
	sort.Strings(naming)
	if len(naming) == 0 {
		t.Fatal("no fixture document names Russia")
	}
	if got := selectIDs(t, docs, "countries = 'RUS'"); strings.Join(got, " ") != strings.Join(naming, " ") {
		t.Errorf("countries = 'RUS' selected %v, want the documents naming Russia %v", got, naming)
	}
}

func TestFilterRejectsBadExpressionsClearly(t *testing.T) {
	docs := load(t, writeFixture(t)).Documents
	cases := map[string][]string{
		"contry = 'CHN'":                 {"unknown column \"contry\"", "country"},
		"year = '2015'":                  {"year is integer", "a number"},
		"country = 2015":                 {"country is string", "single quotes"},
		"country in (CHN, USA)":          {"expected a value", "'CHN'"},
		"country = 'CHN":                 {"not closed"},
		"country = 'CHN' or year = 2015": {"expected \"and\"", "\"or\""},
		"year >=":                        {"expected a value", "the end"},
		"country; drop table documents":  {"unexpected character ';'"},
		"countries > 'CHN'":              {"only =, != and in"},
		"country in ('CHN' 'USA')":       {"expected , or )"},
	}
	for expr, wants := range cases {
		_, err := ParseFilter(expr, docs)
		if err == nil {
			t.Errorf("%q: no error", expr)
			continue
		}
		for _, w := range wants {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q: error %q does not say %q", expr, err, w)
			}
		}
	}
}

func TestHeatmapShowsReferenceThenMostAlignedDocuments(t *testing.T) {
	fx := writeFixture(t)
	r, err := Build(load(t, fx), Options{Top: 3})
	if err != nil {
		t.Fatal(err)
	}
	var speeches []fixtureDocument
	for _, d := range fx.docs {
		if !d.IsReference {
			speeches = append(speeches, d)
		}
	}
	sort.SliceStable(speeches, func(i, j int) bool { return speeches[i].Alignment > speeches[j].Alignment })
	rows := r.Heatmap.Rows
	if len(rows) != 4 || !rows[0].IsReference || rows[0].DocID != "000_c467fab3ab5cde65.txt" {
		t.Fatalf("heatmap rows %v, want the reference then 3 speeches", rows)
	}
	for i, row := range rows[1:] {
		if row.Alignment != speeches[i].Alignment {
			t.Errorf("row %d: %s alignment %v, want the %d. highest alignment %v", i+1, row.DocID, row.Alignment, i+1, speeches[i].Alignment)
		}
		if row.Label != *fx.doc(row.DocID).Country+" "+strings.TrimSuffix(row.DocID[len(row.DocID)-8:], ".txt") {
			t.Errorf("row %d labelled %q", i+1, row.Label)
		}
	}
	if len(r.Dimensions) != 14 || r.Dimensions[0].Group != "principle" || r.Dimensions[13].Group != "framing" {
		t.Fatalf("dimensions %v, want 14 from principle to framing", r.Dimensions)
	}
	var highest float64
	var nonzero, above int
	for _, s := range fx.scores {
		for i, row := range rows {
			if row.DocID != s.DocID {
				continue
			}
			for j, d := range r.Dimensions {
				if d.ID == s.Dimension && row.Rates[j] != s.Per1kTokens {
					t.Errorf("%s %s: rate %v, want %v", row.DocID, d.ID, row.Rates[j], s.Per1kTokens)
				}
			}
			if i > 0 && s.Per1kTokens > 0 {
				nonzero++
				highest = math.Max(highest, s.Per1kTokens)
				if s.Per1kTokens > r.Heatmap.Max {
					above++
				}
			}
		}
	}
	// The scale ends at the speeches' 95th percentile: no higher than their highest rate,
	// with at most one cell in twenty past it.
	if r.Heatmap.Max <= 0 || r.Heatmap.Max > highest || above*20 > nonzero {
		t.Errorf("color scale ends at %v: %d of %d non-zero cells above it, highest %v", r.Heatmap.Max, above, nonzero, highest)
	}
}

func TestTrendDrawsALinePerCountryOverYears(t *testing.T) {
	fx := writeFixture(t)
	r, err := Build(load(t, fx), Options{Where: "country in ('CHN','USA')"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Trend == nil {
		t.Fatalf("no trend: %s", r.TrendAbsent)
	}
	if r.Trend.By != "country" || r.Trend.Time != "year" || len(r.Trend.Series) != 2 {
		t.Fatalf("trend by %s over %s with %d series, want country over year with CHN and USA", r.Trend.By, r.Trend.Time, len(r.Trend.Series))
	}
	for _, s := range r.Trend.Series {
		if len(s.Points) != 2 || s.Points[0].Time != 2011 || s.Points[1].Time != 2020 {
			t.Fatalf("%s points %v, want 2011 then 2020", s.Name, s.Points)
		}
		for _, p := range s.Points {
			want := fx.doc(s.Name + "_" + map[float64]string{2011: "66_2011", 2020: "75_2020"}[p.Time] + ".txt")
			if p.Alignment != want.Alignment || p.Similarity != want.Similarity || p.N != 1 {
				t.Errorf("%s %v: %+v, want alignment %v similarity %v", s.Name, p.Time, p, want.Alignment, want.Similarity)
			}
		}
	}
	o := r.Trend.Overall.Points[0]
	wantMean := (fx.doc("CHN_66_2011.txt").Alignment + fx.doc("USA_66_2011.txt").Alignment) / 2
	if o.Time != 2011 || o.N != 2 || o.Alignment != wantMean {
		t.Errorf("overall 2011: %+v, want the mean %v of CHN and USA", o, wantMean)
	}
}

func TestTrendSaysWhyItIsAbsent(t *testing.T) {
	dir := t.TempDir()
	writeRows(t, filepath.Join(dir, output.DocumentsTable), []output.DocumentRow{{DocID: "a.txt", Alignment: 0.5}})
	writeRows(t, filepath.Join(dir, output.ScoresTable), []output.Score{{DocID: "a.txt", Dimension: "win_win", Group: "principle", Hits: 1, Per1kTokens: 2}})
	out, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Trend != nil || !strings.Contains(r.TrendAbsent, "--time") || strings.Contains(r.TrendAbsent, "no a ") {
		t.Errorf("trend %v, absent %q: want none, and a reason naming --time", r.Trend, r.TrendAbsent)
	}
	if _, err := Build(out, Options{Time: "year"}); err == nil || !strings.Contains(err.Error(), `no column "year"`) {
		t.Errorf("--time year on a table without it: %v", err)
	}
}

var markRE = regexp.MustCompile(`</?mark>`)

func TestEvidenceMarksTheCuesOfRealSentences(t *testing.T) {
	fx := writeFixture(t)
	r, err := Build(load(t, fx), Options{Evidence: 2})
	if err != nil {
		t.Fatal(err)
	}
	sentences := map[string]bool{}
	for _, m := range fx.matches {
		sentences[m.DocID+"|"+m.Dimension+"|"+m.Sentence] = true
	}
	items := 0
	for _, de := range r.Evidence {
		if len(de.Items) > 2 {
			t.Errorf("%s: %d sentences, asked for 2", de.Dimension.ID, len(de.Items))
		}
		for _, e := range de.Items {
			items++
			h := string(e.HTML)
			if !strings.Contains(h, "<mark>") {
				t.Errorf("%s: no cue marked in %q", de.Dimension.ID, h)
			}
			plain := html.UnescapeString(markRE.ReplaceAllString(h, ""))
			if !sentences[e.DocID+"|"+de.Dimension.ID+"|"+plain] {
				t.Errorf("%s: %q is not a matched sentence of %s", de.Dimension.ID, plain, e.DocID)
			}
			for _, marked := range regexp.MustCompile(`<mark>(.*?)</mark>`).FindAllStringSubmatch(h, -1) {
				if !cueOf(de.Dimension.ID, html.UnescapeString(marked[1])) {
					t.Errorf("%s: marked %q, which holds no cue of the dimension", de.Dimension.ID, marked[1])
				}
			}
		}
	}
	if items < 14 {
		t.Errorf("only %d evidence sentences over 14 dimensions", items)
	}
}

func cueOf(dim, marked string) bool {
	for _, d := range fixtureDimensions {
		if d.id != dim {
			continue
		}
		for _, c := range d.cues {
			if strings.Contains(strings.ToLower(marked), c) {
				return true
			}
		}
	}
	return false
}

func TestHighlightEscapesTheSentence(t *testing.T) {
	got := string(Highlight(`A <script>alert("x")</script> & Win-Win deal, win-win again.`, []string{"win-win"}))
	want := `A &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; <mark>Win-Win</mark> deal, <mark>win-win</mark> again.`
	if got != want {
		t.Errorf("Highlight:\n got %s\nwant %s", got, want)
	}
	if got := string(Highlight("trade and economic ties", []string{"trade", "trade and", "and economic"})); got != "<mark>trade and economic</mark> ties" {
		t.Errorf("overlapping cues: %s", got)
	}
}

func TestActorsCountSentencesNamingEachCountry(t *testing.T) {
	fx := writeFixture(t)
	r, err := Build(load(t, fx), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Actors) != 5 {
		t.Fatalf("%d mechanism rankings, want 5", len(r.Actors))
	}
	// Count independently: the sentences of each mechanism that name each country,
	// in the speeches (the reference is not a speech of the corpus).
	want := map[string]map[string]map[string]bool{}
	for _, m := range fx.matches {
		if strings.HasPrefix(m.DocID, "000_") {
			continue
		}
		for _, a := range m.Actors {
			if want[m.Dimension] == nil {
				want[m.Dimension] = map[string]map[string]bool{}
			}
			if want[m.Dimension][a] == nil {
				want[m.Dimension][a] = map[string]bool{}
			}
			want[m.Dimension][a][m.DocID+"#"+string(rune(m.SentenceIndex))] = true
		}
	}
	named := 0
	for _, rk := range r.Actors {
		for i, c := range rk.Items {
			named++
			if n := len(want[rk.Key][c.Key]); c.N != n {
				t.Errorf("%s %s: %d sentences, want %d", rk.Key, c.Key, c.N, n)
			}
			if !regexp.MustCompile(`^[A-Z]{3}$`).MatchString(c.Key) {
				t.Errorf("%s: actor %q is not an ISO3 code", rk.Key, c.Key)
			}
			if i > 0 && rk.Items[i-1].N < c.N {
				t.Errorf("%s: not ordered by count: %v", rk.Key, rk.Items)
			}
		}
	}
	if named == 0 {
		t.Fatal("no country named beside any mechanism")
	}
}

func TestRenderWritesOneSelfContainedPage(t *testing.T) {
	fx := writeFixture(t)
	r, err := Build(load(t, fx), Options{Where: "year >= 2011", Title: `Speeches & <the> article`})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "report.html")
	if err := WriteHTML(path, r); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := string(raw)
	for _, banned := range []string{"<script", "<link", "src=", "@import", "url(", "https://"} {
		if strings.Contains(page, banned) {
			t.Errorf("page holds %q: it must load nothing", banned)
		}
	}
	if !strings.Contains(page, "Speeches &amp; &lt;the&gt; article") {
		t.Error("title not escaped")
	}
	if n, want := strings.Count(page, `class="cell"`), len(r.Heatmap.Rows)*14; n != want {
		t.Errorf("%d heatmap cells, want %d", n, want)
	}
	if n := strings.Count(page, `class="series"`); n != 2*(len(r.Trend.Series)+1) {
		t.Errorf("%d lines drawn, want %d", n, 2*(len(r.Trend.Series)+1))
	}
	for _, section := range []string{`id="heatmap"`, `id="trend"`, `id="evidence"`, `id="actors"`, `id="phrases"`, "hits per 1,000 tokens", ">year</text>"} {
		if !strings.Contains(page, section) {
			t.Errorf("page lacks %s", section)
		}
	}
	var buf bytes.Buffer
	if err := Render(&buf, r); err != nil || buf.String() != page {
		t.Error("rendering the same report twice gives different pages")
	}
}

func TestSummaryCountsDimensionsErrorsAndRuns(t *testing.T) {
	fx := writeFixture(t)
	s := Summarize(load(t, fx), 10, 0, 1)
	if s.Documents != 7 || len(s.References) != 1 || len(s.Top) != 6 {
		t.Fatalf("documents %d, references %v, top %d; want 7, the article, 6 speeches", s.Documents, s.References, len(s.Top))
	}
	for i := 1; i < len(s.Top); i++ {
		if s.Top[i].Alignment > s.Top[i-1].Alignment {
			t.Errorf("top not ordered by alignment at %d", i)
		}
	}
	if len(s.Runs) != 1 || s.Runs[0].RunID != "r2" {
		t.Errorf("runs %v, want the last one, r2", s.Runs)
	}
	for _, d := range s.Dimensions {
		var hits int64
		docs := 0
		for _, sc := range fx.scores {
			if sc.Dimension == d.ID {
				hits += sc.Hits
				if sc.Hits > 0 {
					docs++
				}
			}
		}
		if d.Hits != hits || d.Documents != docs {
			t.Errorf("%s: %d hits in %d documents, want %d in %d", d.ID, d.Hits, d.Documents, hits, docs)
		}
	}
	if len(s.Errors) != 2 || s.Errors[0].N != 2 || s.Errors[0].Stage != "read" || s.Errors[0].Error != "read FILE: pdf: no text layer" {
		t.Errorf("errors %+v, want the two PDFs without text counted as one reason", s.Errors)
	}
	if len(s.PhraseHeads) == 0 || s.PhraseHeads[0].Total < s.PhraseHeads[len(s.PhraseHeads)-1].Total {
		t.Errorf("phrase heads %+v", s.PhraseHeads)
	}
}
