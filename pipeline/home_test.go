package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/extractors/entities"
	"github.com/framealign/framealign/output"
)

func TestParseHomeReadsACountryOrAField(t *testing.T) {
	r, err := entities.NewResolver()
	if err != nil {
		t.Fatal(err)
	}
	doc := func(meta map[string]string) corpus.Document {
		d := corpus.Document{Meta: map[string]corpus.Value{}}
		for k, v := range meta {
			d.Meta[k] = corpus.StringValue(v)
		}
		return d
	}
	chn, eu, none := doc(map[string]string{"country": "CHN"}), doc(map[string]string{"country": "EU"}), doc(nil)
	for _, c := range []struct {
		spec           string
		chn, eu, none  string // the home of each document
		field, problem string
	}{
		{spec: ""},
		{spec: "USA", chn: "USA", eu: "USA", none: "USA"},
		{spec: "United States", chn: "USA", eu: "USA", none: "USA"},
		{spec: "{country}", chn: "CHN", field: "country"},
		{spec: "{ country }", chn: "CHN", field: "country"},
		{spec: "{speaker}", field: "speaker"},
		{spec: "Atlantis", problem: "names no state"},
		{spec: "EU", problem: "names no state"},
		{spec: "{}", problem: "{field}"},
		{spec: "{country}_{year}", problem: "{field}"},
		{spec: "country}", problem: "{field}"},
	} {
		h, err := ParseHome(c.spec, r)
		if c.problem != "" {
			if err == nil || !strings.Contains(err.Error(), c.problem) {
				t.Errorf("ParseHome(%q) = %v, want an error about %q", c.spec, err, c.problem)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseHome(%q): %v", c.spec, err)
			continue
		}
		got := []string{h.Of(chn), h.Of(eu), h.Of(none), h.Field()}
		if want := []string{c.chn, c.eu, c.none, c.field}; !reflect.DeepEqual(got, want) {
			t.Errorf("ParseHome(%q): homes of CHN, EU, none and field %q, want %q", c.spec, got, want)
		}
	}
}

// A run told each document's home (run --home) counts no condition on the home's own
// name: a delegation's "the United States fought the pandemic" is about home, while
// "the United States and Japan" and the same sentence in Japan's speech stay
// international. Changing --home re-scores every document without annotating it
// again, and each run equals a full run under its --home, so matches stored under one
// home are never read under another.
func TestARunToldTheHomeCountsItsNameAsHome(t *testing.T) {
	root := filepath.Join(t.TempDir(), "corpus")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	// Long enough (200 tokens) for their matches to be stored in the cache by dimension.
	filler := "\n" + strings.Repeat("We thank every nurse and every doctor for their long days of work. ", 20) + "\n"
	texts := map[string]string{
		"USA_79_2024.txt": "The United States fought the pandemic with all its might.\n\n" +
			"The United States and Japan fought the pandemic together.\n" + filler,
		"JPN_79_2024.txt": "The United States fought the pandemic with all its might, and Japan stood with it in every hour.\n" + filler,
	}
	for name, text := range texts {
		if err := os.WriteFile(filepath.Join(root, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A delegation that is no state: read without a home, and said so in the summary.
	if err := os.WriteFile(filepath.Join(root, "EU_79_2024.txt"), []byte("The European Union stands with Ukraine.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	cfg := testConfig(t, []string{root}, out) // its --meta-pattern is {country}_{session}_{year}.txt
	pandemics := func(step string, want map[string][]string) {
		t.Helper()
		got := map[string][]string{}
		for _, m := range readTable[output.Match](t, out, output.MatchesTable) {
			if m.Dimension == "global_challenges" && texts[m.DocID] != "" {
				got[m.DocID] = append(got[m.DocID], fmt.Sprintf("%d:%s", m.SentenceIndex, texts[m.DocID][m.CharStart:m.CharEnd]))
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: global_challenges %q, want %q", step, got, want)
		}
	}
	everywhere := map[string][]string{"USA_79_2024.txt": {"0:pandemic", "1:pandemic"}, "JPN_79_2024.txt": {"0:pandemic"}}
	mustRun(t, cfg)
	pandemics("no home", everywhere)

	for _, step := range []struct {
		home        string
		want        map[string][]string
		with, witho int // the summary's documents with a home and without, under a field rule
	}{
		{"{country}", map[string][]string{"USA_79_2024.txt": {"1:pandemic"}, "JPN_79_2024.txt": {"0:pandemic"}}, 2, 1},
		{"USA", map[string][]string{"USA_79_2024.txt": {"1:pandemic"}, "JPN_79_2024.txt": {"0:pandemic"}}, 0, 0},
		{"JPN", map[string][]string{"USA_79_2024.txt": {"0:pandemic", "1:pandemic"}, "JPN_79_2024.txt": {"0:pandemic"}}, 0, 0},
		{"", everywhere, 0, 0},
	} {
		cfg.Home = step.home
		sum := mustRun(t, cfg)
		if sum.Changed != 3 || sum.AnnotatorCalls != 0 {
			t.Errorf("--home %q: changed %d, annotated %d; want the three documents re-scored, none annotated", step.home, sum.Changed, sum.AnnotatorCalls)
		}
		var unknown []string
		if step.witho > 0 {
			unknown = []string{"EU"}
		}
		if sum.HomeWith != step.with || sum.HomeWithout != step.witho || !reflect.DeepEqual(sum.HomeUnknown, unknown) {
			t.Errorf("--home %q: summary with %d, without %d, unknown %q; want %d, %d, %q", step.home,
				sum.HomeWith, sum.HomeWithout, sum.HomeUnknown, step.with, step.witho, unknown)
		}
		pandemics("--home "+step.home, step.want)
		assertSameAsFullRun(t, cfg, out, "--home "+step.home, nil)
	}
}

// Two ways of writing one rule are one rule: its String, part of the analysis key,
// is the same, so writing "United States" for "USA" re-scores nothing.
func TestHomeStringIsTheRuleNotItsSpelling(t *testing.T) {
	r, err := entities.NewResolver()
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{{"USA", "the United States"}, {"usa", "United States of America"}, {"{country}", "{ country }"}} {
		a, errA := ParseHome(pair[0], r)
		b, errB := ParseHome(pair[1], r)
		if errA != nil || errB != nil || a.String() != b.String() || a.String() == "" {
			t.Errorf("%q and %q: %q (%v) and %q (%v), want one non-empty rule", pair[0], pair[1], a.String(), errA, b.String(), errB)
		}
	}
}
