package cues

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/framealign/framealign/extractors/entities"
	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/internal/testannotate"
)

// findIn matches text as the pipeline does (with its entities) and returns the
// counted and the vetoed matches' texts, the vetoed with their vetoes.
func findIn(t *testing.T, fw *framework.Framework, text string) (kept, vetoed []string) {
	t.Helper()
	return findInHome(t, fw, text, "")
}

// findInHome is findIn for a document that speaks for home (an ISO3 code, or "").
func findInHome(t *testing.T, fw *framework.Framework, text, home string) (kept, vetoed []string) {
	t.Helper()
	m, err := NewMatcher(fw)
	if err != nil {
		t.Fatal(err)
	}
	ann, err := testannotate.Annotate(text)
	if err != nil {
		t.Fatal(err)
	}
	r, err := entities.NewResolver()
	if err != nil {
		t.Fatal(err)
	}
	ms, vs := m.Find(Document{Text: text, Annotation: ann, Entities: r.Resolve(text, ann), Home: home}, true)
	for _, x := range ms {
		if text[x.Start:x.End] == "" {
			t.Errorf("empty match %+v", x)
		}
		kept = append(kept, text[x.Start:x.End])
	}
	for _, x := range vs {
		vetoed = append(vetoed, text[x.Start:x.End]+" "+x.Veto)
	}
	return kept, vetoed
}

// The three matcher bugs of issue #16, each on a real sentence.
func TestMatcherBugsOfIssue16(t *testing.T) {
	cases := []struct {
		name, cue, text string
		want            []string
	}{
		{"a multi-word alternative in brackets", "respect [each other|one another]",
			"Countries must respect each other. Neighbours respect one another's choices.", []string{"respect each other", "respect one another"}},
		{"a possessive in a cue", "Russia's war",
			"Russia's war against Ukraine has lasted for more than two years.", []string{"Russia's war"}},
		{"a curly possessive in the text", "Russia's war",
			"Russia’s war against Ukraine has lasted for more than two years.", []string{"Russia’s war"}},
		{"each other's in a cue", "respect each other's ~2 interests",
			"We must respect each other's core interests.", []string{"respect each other's core interests"}},
		{"a possessive among alternatives", "Russia's|Russian war",
			"The Russian war and Russia's war are one.", []string{"Russian war", "Russia's war"}},
		{"a coordinated list of modifiers is filler", "global challenges",
			"We face global, regional and national challenges that no state can meet alone.", []string{"global, regional and national challenges"}},
		{"two coordinated adjectives are filler", "peaceful solution|solutions",
			"We call for peaceful and lasting solutions to the conflict.", []string{"peaceful and lasting solutions"}},
		{"a list of nouns is not", "peace development",
			"We need peace, security and development.", nil},
		{"a hyphenated alternative", "win-win|mutual cooperation",
			"We seek win-win cooperation and mutual cooperation.", []string{"win-win cooperation", "mutual cooperation"}},
	}
	for _, c := range cases {
		_, found := matchText(t, oneDimension([]string{c.cue}), c.text)
		if !reflect.DeepEqual(found, c.want) {
			t.Errorf("%s: %q in %q found %q, want %q", c.name, c.cue, c.text, found, c.want)
		}
	}
	// Before the fix, "respect each other|one another" read respect, each, other|one,
	// another: Lint says so.
	fw := oneDimension([]string{"respect each other|one another"})
	fw.Dimensions[0].CueLines = []int{7}
	ws, err := Lint(context.Background(), fw, testannotate.Engine())
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 1 || ws[0].Line != 7 || !strings.Contains(ws[0].Message, "[each other|one another]") {
		t.Errorf("lint of the split alternative: %+v", ws)
	}
}

func conditional(requires string, window int, cues ...string) *framework.Framework {
	fw := framework.Default()
	return &framework.Framework{Name: "test", InternationalWording: fw.InternationalWording, DomesticWording: fw.DomesticWording,
		Dimensions: []framework.Dimension{{ID: "d", Group: framework.GroupCondition, Label: "D", Cues: cues, Requires: requires, Window: window}}}
}

func TestConditionsVetoAndShowWhatTheyVetoed(t *testing.T) {
	cases := []struct {
		name         string
		fw           *framework.Framework
		text         string
		kept, vetoed []string
	}{
		{"a domestic vaccination drive has no international setting", conditional("international", 0, "pandemic"),
			"The pandemic hit our schools hard, and we vaccinated every teacher.", nil, []string{"pandemic @state|body|wording"}},
		{"a pandemic fought with another state", conditional("international", 0, "pandemic"),
			"Kenya and Ghana fought the pandemic together.", []string{"pandemic"}, nil},
		{"a pandemic fought in a body", conditional("body", 0, "pandemic"),
			"The WHO led the response to the pandemic.", []string{"pandemic"}, nil},
		{"international wording", conditional("wording", 0, "pandemic"),
			"The pandemic showed that global cooperation matters.", []string{"pandemic"}, nil},
		{"a cue's own condition overrides the dimension's", conditional("body", 0, "pandemic", "climate @always"),
			"The pandemic and climate change hurt farmers.", []string{"climate"}, []string{"pandemic @body"}},
		{"!domestic holds in a sentence without domestic wording", conditional("body|!domestic", 0, "pandemic"),
			"The pandemic changed everything.", []string{"pandemic"}, nil},
		{"!domestic fails with domestic wording", conditional("body|!domestic", 0, "pandemic"),
			"The pandemic hurt families across the country.", nil, []string{"pandemic @body|!domestic"}},
		{"a wording phrase's exclusion: the Americas are not the domestic 'in America'", conditional("body|!domestic", 0, "pandemic"),
			"The pandemic hit hard in the Americas.", []string{"pandemic"}, nil},
		{"the domestic 'in America' itself", conditional("body|!domestic", 0, "pandemic"),
			"The pandemic hit hard in America.", nil, []string{"pandemic @body|!domestic"}},
		{"the window finds the setting in the sentence before", conditional("state", 1, "pandemic"),
			"We thank Brazil for its help. The pandemic is not over.", []string{"pandemic"}, nil},
		{"no window, no neighbour", conditional("state", 0, "pandemic"),
			"We thank Brazil for its help. The pandemic is not over.", nil, []string{"pandemic @state"}},
		{"an exclusion's veto is named too", oneDimension([]string{`trade -"small arms"`}),
			"The trade in small arms kills.", nil, []string{`trade -"small arms"`}},
		{"a dimension's exclude is named", oneDimension([]string{"dialogue"}, "national dialogue"),
			"The national dialogue resumed.", nil, []string{"dialogue exclude: national dialogue"}},
	}
	for _, c := range cases {
		kept, vetoed := findIn(t, c.fw, c.text)
		if !reflect.DeepEqual(kept, c.kept) || !reflect.DeepEqual(vetoed, c.vetoed) {
			t.Errorf("%s: kept %q vetoed %q, want %q and %q", c.name, kept, vetoed, c.kept, c.vetoed)
		}
	}
}

// Only the entities' sentences, codes, offsets and labels decide the state setting
// (not their text or canonical name), so the pipeline's re-scoring, which keeps only
// those, matches as a full analysis does.
func TestStateSettingNeedsOnlySentenceCodeOffsetsAndLabel(t *testing.T) {
	text := "We thank Brazil. The pandemic is not over. Americans fought the pandemic."
	m, err := NewMatcher(conditional("state", 0, "pandemic"))
	if err != nil {
		t.Fatal(err)
	}
	ann, _ := testannotate.Annotate(text)
	r, err := entities.NewResolver()
	if err != nil {
		t.Fatal(err)
	}
	ents := r.Resolve(text, ann)
	bareEnts := make([]entities.Entity, len(ents))
	for i, e := range ents {
		bareEnts[i] = entities.Entity{Sentence: e.Sentence, ISO3: e.ISO3, Start: e.Start, End: e.End, Label: e.Label}
	}
	full, _ := m.Find(Document{Text: text, Annotation: ann, Entities: ents}, false)
	bare, _ := m.Find(Document{Text: text, Annotation: ann, Entities: bareEnts}, false)
	if len(full) != 0 || !reflect.DeepEqual(full, bare) {
		t.Errorf("full %+v, bare %+v (want none: Brazil is named in the sentence before, and Americans are a population)", full, bare)
	}
}

// A country's population ("Americans", "the American people") gives a sentence the
// state setting only beside another country's (the codebook: a domestic pandemic is
// nothing), and its name none inside a domestic phrase ("across America"); its name or
// the adjective of its state elsewhere gives it always.
func TestAPopulationAloneIsNoStateSetting(t *testing.T) {
	fw := conditional("state", 0, "pandemic", "peace between")
	cases := []struct {
		text   string
		counts bool
	}{
		{"Three thousand Americans were dying every day from the pandemic.", false},
		{"The pandemic drove the inflation that has squeezed the American people.", false},
		{"The Fijian public has been free of the pandemic for 150 days.", false},
		{"Somali citizens and Somali workers fought the pandemic.", false},
		{"Americans and Canadians fought the pandemic together.", true},
		{"We seek enduring peace between Serbs and Albanians.", true},
		{"Japan fought the pandemic with its neighbours.", true},
		{"Saudi leaders discussed the pandemic.", true},
		{"Americans thanked Japan for its help in the pandemic.", true},
		// a country's name inside a domestic phrase is home too
		{"Across America, the pandemic is in retreat.", false},
		{"The pandemic ripped through every community in America.", false},
		{"The pandemic ripped through every community in Japan.", true},
	}
	for _, c := range cases {
		kept, _ := findIn(t, fw, c.text)
		if got := len(kept) > 0; got != c.counts {
			t.Errorf("%q: counted %v (%q), want %v", c.text, got, kept, c.counts)
		}
	}
}

// In a document whose home is known, the home country's own name and adjective give
// no state setting, as its population gives none: "the United States" in a White
// House text is home. Another country named beside it still gives the setting, and a
// document of another home reads the same name as a state.
func TestAHomeNameIsNoStateSetting(t *testing.T) {
	fw := conditional("state", 0, "pandemic", "talks with")
	cases := []struct {
		text, home string
		counts     bool
	}{
		{"The United States fought the pandemic.", "", true},
		{"The United States fought the pandemic.", "USA", false},
		{"American hospitals fought the pandemic.", "USA", false},
		{"The United States fought the pandemic.", "JPN", true},
		{"The United States and Japan fought the pandemic together.", "USA", true},
		{"Americans and Canadians fought the pandemic together.", "USA", true},
		{"China held talks with the United States.", "CHN", true},
		{"China held talks with its provinces.", "CHN", false},
		{"China held talks with its provinces.", "", true},
	}
	for _, c := range cases {
		kept, vetoed := findInHome(t, fw, c.text, c.home)
		if got := len(kept) > 0; got != c.counts {
			t.Errorf("%q at home %q: counted %v (%q), want %v", c.text, c.home, got, kept, c.counts)
		}
		if !c.counts && len(vetoed) == 0 {
			t.Errorf("%q at home %q: the match the condition removed is not listed as vetoed", c.text, c.home)
		}
	}
}

// "states" asks for two countries in the sentence, whoever's home: relations between
// states read from the sentence alone, the same with or without a known home.
func TestStatesSettingNeedsTwoCountries(t *testing.T) {
	fw := conditional("states", 0, "emerging technologies", "artificial intelligence")
	cases := []struct {
		text   string
		counts bool
	}{
		{"The United States and Israel will cooperate on emerging technologies.", true},
		{"Americans and Israelis will share artificial intelligence research.", true},
		{"Israel and the American people will share artificial intelligence research.", true},
		{"The United States will invest in emerging technologies.", false},
		{"American firms lead in artificial intelligence.", false},
		{"China stole emerging technologies.", false},
		// the same country twice is one country
		{"The United States and America's firms invest in emerging technologies.", false},
		// a name inside a domestic phrase is not a second country
		{"Japan's firms hire engineers across America for emerging technologies.", false},
	}
	for _, home := range []string{"", "USA"} {
		for _, c := range cases {
			kept, vetoed := findInHome(t, fw, c.text, home)
			if got := len(kept) > 0; got != c.counts {
				t.Errorf("%q at home %q: counted %v (%q), want %v", c.text, home, got, kept, c.counts)
			}
			if !c.counts && len(vetoed) == 0 {
				t.Errorf("%q at home %q: the match the condition removed is not listed as vetoed", c.text, home)
			}
		}
	}
	// written as a cue's own condition, and in a framework file
	if _, err := framework.ParseCondition("states|body"); err != nil {
		t.Errorf("states|body: %v", err)
	}
}

// {country} meets a country mention of the entities, its tokens whole, so a cue can
// ask for the state a visit goes to rather than for a state anywhere in the sentence.
func TestMentionClassesMeetAMentionWhole(t *testing.T) {
	fw := conditional("", 0, "visit|visits|visited|trip|travel ~3 to {country}", "talks with {country}|Europe", "talks in {city}")
	cases := []struct {
		text string
		want []string
	}{
		{"Next week the President will travel to Japan.", []string{"travel to Japan"}},
		{"The President will travel to the Republic of Korea on Monday.", []string{"travel to the Republic of Korea"}},
		// the home is a country too: a visit to it is one
		{"The Prime Minister's visit to the United States begins today.", []string{"visit to the United States"}},
		{"Tomorrow the President will travel to Pittsburgh to talk about American steel.", nil},
		{"She visited this university to dedicate the library.", nil},
		{"They held talks with Europe and talks with Canada.", []string{"talks with Europe", "talks with Canada"}},
		// {city}: a city of the gazetteer, not any town
		{"They held talks in Tokyo and talks in Atlanta.", []string{"talks in Tokyo"}},
	}
	for _, c := range cases {
		kept, _ := findIn(t, fw, c.text)
		if strings.Join(kept, "|") != strings.Join(c.want, "|") {
			t.Errorf("%q: matched %q, want %q", c.text, kept, c.want)
		}
	}
	// without entities (Match) no token is a country
	m, err := NewMatcher(fw)
	if err != nil {
		t.Fatal(err)
	}
	text := "Next week the President will travel to Japan."
	ann, err := testannotate.Annotate(text)
	if err != nil {
		t.Fatal(err)
	}
	if ms := m.Match(text, ann); len(ms) != 0 {
		t.Errorf("Match without entities found %v", ms)
	}
	for _, bad := range []string{"{country}", "{city} talks", "(the) {country} visit", "visit {region}", "visit {country"} {
		if _, err := framework.ParseCue(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestHalfRule(t *testing.T) {
	for _, c := range []struct {
		g    GoldSentence
		want string
	}{
		{GoldSentence{Doc: "CHN_66_2011.txt"}, HalfTune},
		{GoldSentence{Doc: "CHN_67_2012.txt"}, HalfCheck},
		{GoldSentence{Doc: "USA_79_2024.txt"}, HalfCheck},
		{GoldSentence{Doc: "USA_77_2022.txt"}, HalfTune},
	} {
		if got := Half(c.g); got != c.want {
			t.Errorf("Half(%s) = %s, want %s", c.g.Doc, got, c.want)
		}
	}
	// Other documents by the FNV-1a hash of doc: fixed, and both halves occur.
	seen := map[string]bool{}
	for _, doc := range []string{"a.md", "b.md", "c.md", "d.md", "e.md", "f.md"} {
		h := Half(GoldSentence{Doc: doc})
		if h != Half(GoldSentence{Doc: doc, ID: "other"}) {
			t.Errorf("half of %s depends on the id", doc)
		}
		seen[h] = true
	}
	if !seen[HalfTune] || !seen[HalfCheck] {
		t.Errorf("hash halves: %v", seen)
	}
}

// lintSource parses a framework and returns it with Lint's warnings.
func lintSource(t *testing.T, src string) (*framework.Framework, []framework.Problem) {
	t.Helper()
	fw, problems := framework.Parse([]byte(src))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	ws, err := Lint(context.Background(), fw, testannotate.Engine())
	if err != nil {
		t.Fatal(err)
	}
	return fw, ws
}

func TestLintWarnsAboutCuesThatCannotMatch(t *testing.T) {
	src := "name: x\ninternational_wording: [global]\ndimensions:\n  - id: a\n    group: framing\n    label: A\n    cues:\n" +
		"      - won't\n      - The Council\n      - peace -\"peace\"\n      - respect sovereignty\n      - pandemic @wording\n      - visit {country}\n      - talks in {city}\n"
	fw, ws := lintSource(t, src)
	lines := map[int]string{}
	for _, w := range ws {
		lines[w.Line] += w.Message
	}
	if !strings.Contains(lines[8], "can never match") || !strings.Contains(lines[9], `"The" with a capital`) ||
		!strings.Contains(lines[10], "exclusions") || lines[11] != "" || lines[12] != "" || len(ws) != 3 {
		// (lines 13 and 14: a class of mentions is met by a mention, not by its name)
		t.Errorf("warnings: %+v", ws)
	}
	fw.InternationalWording = nil
	ws, _ = Lint(context.Background(), fw, testannotate.Engine())
	if len(ws) != 4 || !strings.Contains(ws[3].Message, "asks for wording, but the framework has no international_wording") {
		t.Errorf("wording without a list: %+v", ws)
	}
}

// An exclusion's word in -ing or -ed is compared on its lemma: when that is another
// word ("housing": "house", "used": "use"), the exclusion silently holds for it too, and
// framework check says so, on the exclusion's line, once per word. A wildcard (the
// spelling), the lemma among the alternatives (the family meant), or a lemma that is
// no word ("trafficking": "traffick") is not warned about.
func TestLintWarnsAboutAnExclusionReadAsAnotherWord(t *testing.T) {
	src := "name: x\ndimensions:\n  - id: a\n    group: framing\n    label: A\n    cues:\n" +
		"      - crisis -\"housing\"\n" + // line 7
		"      - nuclear -\"used nuclear\" -\"used|spent fuel\"\n" + // line 8
		"      - crisis -\"housing*\" -\"human trafficking\"\n" + // line 9
		"    exclude:\n" +
		"      - \"[NATO|G7] meet|meeting|meetings\"\n" + // line 11
		"      - \"[NATO|G7] briefing\"\n" // line 12
	_, ws := lintSource(t, src)
	lines := map[int][]string{}
	for _, w := range ws {
		lines[w.Line] = append(lines[w.Line], w.Message)
	}
	want := map[int][]string{
		7:  {`reads "housing" as its lemma "house", so it also holds for "house"`},
		8:  {`reads "used" as its lemma "use", so it also holds for "use nuclear"`},
		12: {`reads "briefing" as its lemma "brief", so it also holds for "nato brief"`},
	}
	if len(lines) != len(want) {
		t.Errorf("warnings on lines %v, want on 7, 8 and 12: %+v", lines, ws)
	}
	for line, subs := range want {
		if len(lines[line]) != len(subs) {
			t.Errorf("line %d: %d warnings %q, want %d (one per word, whatever the readings)", line, len(lines[line]), lines[line], len(subs))
			continue
		}
		for i, sub := range subs {
			if !strings.Contains(lines[line][i], sub) || !strings.Contains(lines[line][i], "* to exclude that spelling only") {
				t.Errorf("line %d: %q, want %q and the wildcard advice", line, lines[line][i], sub)
			}
		}
	}
}

// The word after a demonym comes from the document's tokens; offsets past the text
// (a stale row) name no population.
func TestNamesPopulationReadsTheNextToken(t *testing.T) {
	text := "Americans, the American people, Swiss banks and an American-made car. [43% of American households](https://x) and the Fijian public.** Done."
	ann, err := testannotate.Annotate(text)
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMatcher(conditional("state", 0, "car"))
	if err != nil {
		t.Fatal(err)
	}
	sc := m.getScratch()
	defer m.putScratch(sc)
	toks := m.matchTokens(sc, text, ann)
	at := func(word string, from int) (int, int) {
		i := strings.Index(text[from:], word) + from
		return i, i + len(word)
	}
	cases := []struct {
		word string
		from int
		want bool
	}{
		{"Americans", 0, true},
		{"American", 11, true},  // the American people
		{"Swiss", 0, false},     // Swiss banks
		{"American", 40, false}, // American-made
		{"American", 75, true},  // households, though Markdown glues "](https" to it
		{"Fijian", 0, true},     // public, though Markdown glues ".**" to it
	}
	for _, c := range cases {
		start, end := at(c.word, c.from)
		if got := namesPopulation(text, toks, entities.Entity{Start: start, End: end, Label: "NORP", ISO3: "USA"}); got != c.want {
			t.Errorf("%q at %d: %v, want %v", c.word, start, got, c.want)
		}
	}
	if namesPopulation(text, toks, entities.Entity{Start: len(text) - 3, End: len(text) + 9, Label: "NORP", ISO3: "USA"}) {
		t.Error("offsets past the text name a population")
	}
}
