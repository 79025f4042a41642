package entities

import (
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/internal/testannotate"
)

var (
	annotatedMu sync.Mutex
	annotated   = map[string]*annotate.Annotation{} // testdata file -> prose's annotation, made once
)

// resolveFile annotates and resolves a real document from testdata.
func resolveFile(t *testing.T, name string) (string, *annotate.Annotation, []Entity) {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	annotatedMu.Lock()
	ann := annotated[name]
	if ann == nil {
		ann, err = testannotate.Annotate(text)
		annotated[name] = ann
	}
	annotatedMu.Unlock()
	if err != nil {
		t.Fatalf("annotate %s: %v", name, err)
	}
	return text, ann, newResolver(t).Resolve(text, ann)
}

// newResolver is a Resolver, or the test's end.
func newResolver(t *testing.T) *Resolver {
	t.Helper()
	res, err := NewResolver()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// mentionsOf returns the entities whose text is exactly s.
func mentionsOf(ents []Entity, s string) []Entity {
	var out []Entity
	for _, e := range ents {
		if e.Text == s {
			out = append(out, e)
		}
	}
	return out
}

// wordCount counts s in text as a whole word.
func wordCount(text, s string) int {
	return len(regexp.MustCompile(`\b`+regexp.QuoteMeta(s)+`\b`).FindAllStringIndex(text, -1))
}

func TestResolveDropsSentenceInitialCommonWords(t *testing.T) {
	_, ann, ents := resolveFile(t, "seed_article.txt")
	openers := map[string]bool{"Currently": true, "Smooth": true, "Bilateral": true}
	proseTook := 0
	for _, e := range ann.Entities {
		if openers[e.Text] {
			proseTook++
		}
	}
	if proseTook == 0 {
		t.Fatal("prose no longer labels Currently/Smooth/Bilateral; this test checks nothing")
	}
	for _, e := range ents {
		if openers[e.Text] {
			t.Errorf("sentence opener %q kept as %s", e.Text, e.Label)
		}
	}
	// The real names of the article survive the cleaning.
	if len(mentionsOf(ents, "Xi Jinping")) != 1 || mentionsOf(ents, "Xi Jinping")[0].Label != "PERSON" {
		t.Errorf("want Xi Jinping once as PERSON (prose gives \"Chinese President Xi Jinping\" as GPE), got %v", mentionsOf(ents, "Xi Jinping"))
	}
}

func TestResolveDemonymMalianIsNORPOfMali(t *testing.T) {
	text, ann, ents := resolveFile(t, "MLI_71_2016.txt")
	malian := mentionsOf(ents, "Malian")
	if want := wordCount(text, "Malian"); len(malian) != want || want == 0 {
		t.Fatalf("found %d Malian mentions, the speech has %d", len(malian), want)
	}
	for _, e := range malian {
		if e.Label != "NORP" || e.ISO3 != "MLI" {
			t.Errorf("Malian at %d: %s %q, want NORP MLI", e.Start, e.Label, e.ISO3)
		}
	}
	rawGPE := 0
	for _, e := range ann.Entities {
		if e.Text == "Malian" && e.Label == "GPE" {
			rawGPE++
		}
	}
	t.Logf("prose called Malian a GPE %d times of %d", rawGPE, len(malian))
}

func TestResolveMINUSMAIsOrg(t *testing.T) {
	text, _, ents := resolveFile(t, "MLI_71_2016.txt")
	minusma := mentionsOf(ents, "MINUSMA")
	if want := wordCount(text, "MINUSMA"); len(minusma) != want || want == 0 {
		t.Fatalf("found %d MINUSMA mentions, the speech has %d", len(minusma), want)
	}
	for _, e := range minusma {
		if e.Label != "ORG" || e.Canonical != "MINUSMA" || e.ISO3 != "" {
			t.Errorf("MINUSMA at %d: %+v, want ORG MINUSMA without a code", e.Start, e)
		}
	}
	// The mission's full name is one mention of the same body, not "United Nations" + "Mali".
	full := mentionsOf(ents, "United Nations Multidimensional Integrated Stabilization Mission in Mali")
	if len(full) != 1 || full[0].Canonical != "MINUSMA" {
		t.Errorf("full mission name: got %v, want one ORG canonical MINUSMA", full)
	}
	for _, e := range ents {
		if e.Label == "PERSON" && strings.ToUpper(e.Text) == e.Text {
			t.Errorf("acronym %q kept as PERSON", e.Text)
		}
	}
}

func TestResolveBosniaAndHerzegovinaIsOneMention(t *testing.T) {
	text, _, ents := resolveFile(t, "BIH_66_2011.txt")
	// The speech is hard-wrapped: "Bosnia and \nHerzegovina" is the same name.
	var bih []Entity
	for _, e := range ents {
		if strings.Join(strings.Fields(e.Text), " ") == "Bosnia and Herzegovina" {
			bih = append(bih, e)
		}
	}
	if want := len(regexp.MustCompile(`Bosnia\s+and\s+Herzegovina`).FindAllString(text, -1)); len(bih) != want || want < 10 {
		t.Fatalf("found %d whole mentions, the speech has %d", len(bih), want)
	}
	for _, e := range bih {
		if e.Label != "GPE" || e.ISO3 != "BIH" || e.Canonical != "Bosnia and Herzegovina" {
			t.Errorf("%+v, want GPE BIH", e)
		}
	}
	if n := len(mentionsOf(ents, "Herzegovina")); n != 0 {
		t.Errorf("%d mentions of Herzegovina alone: the name was split", n)
	}
}

func TestResolveCapitalSpeakingForItsStateIsGPE(t *testing.T) {
	for _, c := range []struct{ file, city, sentence string }{
		{"RUS_79_2024.txt", "Washington", "Washington has paralysed"},
		{"ARE_71_2016.txt", "Tehran", "Tehran has refused"},
	} {
		text, _, ents := resolveFile(t, c.file)
		at := strings.Index(text, c.sentence)
		if at < 0 {
			t.Fatalf("%s: %q not in the speech", c.file, c.sentence)
		}
		var got *Entity
		for i := range ents {
			if ents[i].Start == at {
				got = &ents[i]
			}
		}
		// The gold annotation labels cities GPE without a code ("Jeddah").
		if got == nil || got.Text != c.city || got.Label != "GPE" || got.ISO3 != "" {
			t.Errorf("%s: %q -> %+v, want GPE %s without a code", c.file, c.sentence, got, c.city)
		}
	}
}

func TestResolveUnitedStatesSpellingsShareOneCanonical(t *testing.T) {
	_, _, fsm := resolveFile(t, "FSM_75_2020.txt")
	_, _, gha := resolveFile(t, "GHA_75_2020.txt")
	_, _, seed := resolveFile(t, "seed_article.txt")
	for _, c := range []struct {
		ents []Entity
		text string
	}{
		{fsm, "United States"}, // "the United States": the article is left out
		{fsm, "United States of America"},
		{seed, "US"},
		{gha, "America"}, // "the arrival in America of the first captured slaves"
	} {
		ms := mentionsOf(c.ents, c.text)
		if len(ms) == 0 {
			t.Errorf("no mention %q", c.text)
		}
		for _, e := range ms {
			if e.Label != "GPE" || e.ISO3 != "USA" || e.Canonical != "United States" {
				t.Errorf("%q -> %s %s %q, want GPE USA \"United States\"", c.text, e.Label, e.ISO3, e.Canonical)
			}
		}
	}
	// "Federated States of Micronesia" is Micronesia, not the United States.
	for _, e := range mentionsOf(fsm, "Federated States of Micronesia") {
		if e.ISO3 != "FSM" {
			t.Errorf("Federated States of Micronesia -> %q", e.ISO3)
		}
	}
}

func TestResolveKeepsTreatyNamesOutOfPlaces(t *testing.T) {
	// In the gold annotation a place or body inside the name of a treaty or a
	// document is no mention of it ("the Paris Agreement", "the Charter of the
	// United Nations"), while the same name on its own is.
	text, _, ents := resolveFile(t, "FSM_75_2020.txt")
	at := strings.Index(text, "under the Paris Agreement")
	are, _, areEnts := resolveFile(t, "ARE_71_2016.txt")
	charter := strings.Index(are, "the Charter of the United Nations.")
	if at < 0 || charter < 0 {
		t.Fatal("test sentences not found")
	}
	for _, e := range ents {
		if e.Start == at+len("under the ") {
			t.Errorf("%q kept as %s in \"the Paris Agreement\"", e.Text, e.Label)
		}
	}
	for _, e := range areEnts {
		if e.Start == charter+len("the Charter of the ") {
			t.Errorf("%q kept as %s in \"the Charter of the United Nations\"", e.Text, e.Label)
		}
	}
	if len(mentionsOf(areEnts, "United Arab Emirates")) == 0 || len(mentionsOf(areEnts, "Iran")) == 0 {
		t.Error("the states of the same sentence were lost")
	}
}

func TestResolveOffsetsSliceBackToText(t *testing.T) {
	files := []string{"seed_article.txt", "MLI_71_2016.txt", "BIH_66_2011.txt", "RUS_79_2024.txt", "ARE_71_2016.txt", "FSM_75_2020.txt", "GHA_75_2020.txt"}
	labels := map[string]bool{"PERSON": true, "GPE": true, "ORG": true, "LOC": true, "NORP": true}
	for _, f := range files {
		text, ann, ents := resolveFile(t, f)
		if len(ents) < 10 {
			t.Errorf("%s: only %d entities", f, len(ents))
		}
		if !sort.SliceIsSorted(ents, func(a, b int) bool { return ents[a].Start < ents[b].Start }) {
			t.Errorf("%s: entities not sorted by Start", f)
		}
		for _, e := range ents {
			if e.Text != text[e.Start:e.End] {
				t.Errorf("%s: Text %q != text[%d:%d] %q", f, e.Text, e.Start, e.End, text[e.Start:e.End])
			}
			// A name may run over a hard line break, which the annotation takes for
			// a sentence end ("Bosnia and \nHerzegovina"): Sentence holds its start.
			s := ann.Sentences[e.Sentence]
			if e.Start < s.Start || e.Start >= s.End {
				t.Errorf("%s: %q at %d outside its sentence %d [%d,%d)", f, e.Text, e.Start, e.Sentence, s.Start, s.End)
			}
			if !labels[e.Label] || e.Canonical == "" {
				t.Errorf("%s: %+v: bad label or empty canonical", f, e)
			}
		}
	}
}

func TestCountriesAndSentenceActors(t *testing.T) {
	text, ann, ents := resolveFile(t, "seed_article.txt")
	if got := strings.Join(Countries(ents), " "); got != "CHN USA" {
		t.Errorf("Countries = %q, want \"CHN USA\" (the article is about China and the US)", got)
	}
	actors := SentenceActors(ents)
	found := false
	for i := range ann.Sentences {
		s := ann.SentenceText(text, i)
		if strings.Contains(s, "relations between China and the US faces twin challenges") {
			found = true
			if got := strings.Join(actors[i], " "); got != "CHN USA" {
				t.Errorf("sentence %d actors %q, want \"CHN USA\"", i, got)
			}
		}
		if !strings.Contains(s, "China") && !strings.Contains(s, "US") && !strings.Contains(s, "Chinese") && len(actors[i]) > 0 {
			t.Errorf("sentence %d %q names no country but has actors %v", i, s, actors[i])
		}
	}
	if !found {
		t.Fatal("test sentence not found in the seed article")
	}
}

func TestEntityResolverConcurrentUse(t *testing.T) {
	b, err := os.ReadFile("testdata/BIH_66_2011.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	ann, err := testannotate.Annotate(text)
	if err != nil {
		t.Fatal(err)
	}
	want := newResolver(t).Resolve(text, ann)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r2, _ := NewResolver()
			got := r2.Resolve(text, ann)
			if len(got) != len(want) {
				t.Errorf("concurrent Resolve found %d entities, alone %d", len(got), len(want))
			}
		}()
	}
	wg.Wait()
}

// resolveText annotates and resolves a text written in the test.
func resolveText(t *testing.T, text string) []Entity {
	t.Helper()
	ann, err := testannotate.Annotate(text)
	if err != nil {
		t.Fatal(err)
	}
	return newResolver(t).Resolve(text, ann)
}

func TestResolveGeorgiaBesideAnotherUSStateIsTheState(t *testing.T) {
	relief := "The President approved disaster declarations for Florida, Georgia and North Carolina. Georgia's farmers and Georgians on the coast will get help."
	ents := resolveText(t, relief)
	georgia := mentionsOf(ents, "Georgia")
	if len(georgia) != 2 {
		t.Fatalf("found %d Georgia mentions, want 2 (Georgia, Georgia's): %+v", len(georgia), ents)
	}
	for _, e := range ents {
		if e.ISO3 == "GEO" {
			t.Errorf("%q at %d reads as the country Georgia in a text on U.S. states", e.Text, e.Start)
		}
	}
	for _, g := range georgia {
		if g.Label != "GPE" || g.Canonical != "Georgia (U.S. state)" || relief[g.Start:g.End] != "Georgia" {
			t.Errorf("Georgia: %+v, want GPE \"Georgia (U.S. state)\" with offsets on the word", g)
		}
	}
	// Without another U.S. state the country stays the country, and so do its people.
	speech := "We support Georgia's sovereignty and territorial integrity. Georgians deserve peace."
	n := 0
	for _, e := range resolveText(t, speech) {
		if e.ISO3 == "GEO" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("the country Georgia and Georgians: %d mentions with GEO, want 2", n)
	}
}

func TestResolveACountryNameAfterAnHonorificIsAPerson(t *testing.T) {
	text := "We thank Dr. Jordan for her work with the students. Jordan hosts many refugees."
	ents := resolveText(t, text)
	jordan := mentionsOf(ents, "Jordan")
	if len(jordan) != 2 {
		t.Fatalf("found %d Jordan mentions, want 2: %+v", len(jordan), ents)
	}
	if jordan[0].Label != "PERSON" || jordan[0].ISO3 != "" {
		t.Errorf("Dr. Jordan: %s %q, want a PERSON with no country", jordan[0].Label, jordan[0].ISO3)
	}
	if jordan[1].Label != "GPE" || jordan[1].ISO3 != "JOR" {
		t.Errorf("Jordan hosts refugees: %s %q, want GPE JOR", jordan[1].Label, jordan[1].ISO3)
	}
}

func TestNamesPopulationIsAPluralDemonymOrOneBeforeAPopulationWord(t *testing.T) {
	cases := []struct {
		label, mention, next string
		want                 bool
	}{
		{"NORP", "Americans", ",", true},
		{"NORP", "American", "people", true},
		{"NORP", "Fijian", "public", true},
		{"NORP", "Swiss", ",", false},     // no plural mark
		{"NORP", "Swiss", "banks", false}, // banks are no population
		{"NORP", "American", "-", false},  // American-made
		{"NORP", "Saudi", "leaders", false},
		{"GPE", "Americans", "", false}, // only a demonym can name a population
		{"NORP", "", "people", false},
	}
	for _, c := range cases {
		if got := NamesPopulation(c.label, c.mention, c.next); got != c.want {
			t.Errorf("%s %q before %q: %v, want %v", c.label, c.mention, c.next, got, c.want)
		}
	}
}

// Country reads what a user gives as a document's home (run --home, a file name's
// {country}): a state's code in any case, or its name written whole, with or without
// "the". A body, a territory, a city or a name it does not know has no code.
func TestCountryReadsACodeOrAName(t *testing.T) {
	r, err := NewResolver()
	if err != nil {
		t.Fatal(err)
	}
	for value, want := range map[string]string{
		"CHN": "CHN", "usa": "USA", " GBR ": "GBR",
		"United States": "USA", "the United States": "USA", "United States of America": "USA",
		"china": "CHN", "Côte d'Ivoire": "CIV", "Bosnia and Herzegovina": "BIH",
		"EU": "", "European Union": "", "Puerto Rico": "", "Beijing": "", "Atlantis": "", "": "", "United": "",
		"XYZ": "",
	} {
		if got := r.Country(value); got != want {
			t.Errorf("Country(%q) = %q, want %q", value, got, want)
		}
	}
}

// slicesBack fails the test for an entity whose offsets do not give its text.
func slicesBack(t *testing.T, text string, ents []Entity) {
	t.Helper()
	for _, e := range ents {
		if text[e.Start:e.End] != e.Text {
			t.Errorf("%q at %d:%d slices to %q", e.Text, e.Start, e.End, text[e.Start:e.End])
		}
	}
}

func TestResolveUSStatesArePlacesWithoutACode(t *testing.T) {
	// A White House list of appointments, hard-wrapped as the statements are.
	text := "-   Patricia Dominguez, State Director, Rural Development, New Mexico\n" +
		"-   Jonas Moya, State Executive Director, Farm Service Agency, New\n    Mexico\n" +
		"-   Dr. Timothy Boring, State Executive Director, Farm Service Agency,\n    Michigan\n\n" +
		"She taught at Beiger Elementary School and led the Florida Education Association for a decade.\n"
	ents := resolveText(t, text)
	slicesBack(t, text, ents)
	states := map[string]int{}
	for _, e := range ents {
		if e.ISO3 == "MEX" {
			t.Errorf("%q at %d reads as Mexico", e.Text, e.Start)
		}
		if e.Label == "PERSON" && strings.Contains(e.Text, "Director") {
			t.Errorf("the office %q is a PERSON", e.Text)
		}
		if e.Label == "GPE" && e.ISO3 == "" {
			states[e.Canonical]++
		}
	}
	if states["New Mexico"] != 2 || states["Michigan"] != 1 {
		t.Errorf("U.S. states as GPEs without a code: %v, want New Mexico 2 (one across the wrap), Michigan 1; all: %+v", states, ents)
	}
	for _, name := range []string{"Beiger Elementary School", "Florida Education Association"} {
		if m := mentionsOf(ents, name); len(m) != 1 || m[0].Label != "ORG" {
			t.Errorf("%s: %+v, want one ORG", name, m)
		}
	}
	for _, name := range []string{"Patricia Dominguez", "Jonas Moya", "Timothy Boring"} {
		if m := mentionsOf(ents, name); len(m) != 1 || m[0].Label != "PERSON" {
			t.Errorf("%s: %+v, want one PERSON", name, m)
		}
	}
}

func TestResolveJoinsANameCutAtItsInitial(t *testing.T) {
	text := "Florence Y. Pan, of the District of Columbia, to be United States Circuit Judge, vice David F. Hamilton, retiring. " +
		"We remember George H. W. Bush and J. Robert Oppenheimer. " +
		"I congratulate H.E. Volkan Bozkir and welcome President Omer Hassan A. Al-Bashir and David M. Rubenstein Senior Fellow Ann Lee. " +
		"We honour leaders including Dr. Martin Luther King, John Lewis, and Rosa Parks. Plan B. Health care is next."
	ents := resolveText(t, text)
	slicesBack(t, text, ents)
	var persons []string
	for _, e := range ents {
		if e.Label == "PERSON" {
			persons = append(persons, e.Text)
		}
	}
	want := []string{"Florence Y. Pan", "David F. Hamilton", "George H. W. Bush", "J. Robert Oppenheimer",
		"Volkan Bozkir", "Omer Hassan A. Al-Bashir", "David M. Rubenstein", "Martin Luther King"}
	for _, w := range want {
		if !slices.Contains(persons, w) {
			t.Errorf("no PERSON %q; persons: %q", w, persons)
		}
	}
	for _, p := range persons {
		if strings.HasPrefix(p, "H.E") || p == "Plan B" || p == "David F" || p == "Hamilton" {
			t.Errorf("PERSON %q: a title, a plan or half a name", p)
		}
	}
	if dc := mentionsOf(ents, "District of Columbia"); len(dc) != 1 || dc[0].Label != "GPE" || dc[0].ISO3 != "" {
		t.Errorf("District of Columbia: %+v, want one GPE without a code", dc)
	}
}

func TestResolveKeepsPersonsToNames(t *testing.T) {
	// Sentences of UN speeches where prose's persons are a treaty's subject, a disease,
	// a unit, a doctrine, a company, or a name with an office and honorific in front.
	text := "We ratified the Arms Trade Treaty and the Convention on Cluster Munitions. " +
		"The Ebola outbreak hit West Africa. Temperatures must not rise by 1.5 degrees Celsius. " +
		"The Monroe Doctrine is dead. We thank Joint Special Representative Mr. Lakhdar Brahimi for his work. " +
		"Toyama Chemical Company offered its drug. We seek a State of Palestine with Al-Quds Al-Sharif as its capital. " +
		"Fishing on Lake Tanganyika feeds millions, and Chronic NCDs kill more of them every year."
	ents := resolveText(t, text)
	slicesBack(t, text, ents)
	for _, e := range ents {
		if e.Label == "PERSON" && e.Text != "Lakhdar Brahimi" {
			t.Errorf("PERSON %q", e.Text)
		}
	}
	if m := mentionsOf(ents, "Lakhdar Brahimi"); len(m) != 1 || m[0].Label != "PERSON" {
		t.Errorf("Lakhdar Brahimi: %+v, want one PERSON without the office and honorific in front", m)
	}
	if m := mentionsOf(ents, "Toyama Chemical Company"); len(m) != 1 || m[0].Label != "ORG" {
		t.Errorf("Toyama Chemical Company: %+v, want one ORG", m)
	}
	if m := mentionsOf(ents, "Al-Quds Al-Sharif"); len(m) != 1 || m[0].Label != "GPE" || m[0].ISO3 != "" {
		t.Errorf("Al-Quds Al-Sharif: %+v, want one GPE without a code", m)
	}
}

func TestResolveAnOfficeIsNoBody(t *testing.T) {
	// White House statements: prose calls an office and the person holding it one
	// body, and runs a heading into the paragraph below it.
	text := "Today, National Security Advisor Jake Sullivan met with his counterparts from\n" +
		"Japan and the Republic of Korea. Interior Secretary Deb Haaland joined them, and\n" +
		"the National Cyber Director will brief the press on Friday.\n\n" +
		"**Ryan Panchadsaram, to be a Member of the National Science Board**\n\n" +
		"Ryan Panchadsaram is an engineer and investor dedicated to building the\n" +
		"industries of the future.\n"
	ents := resolveText(t, text)
	slicesBack(t, text, ents)
	for _, want := range []string{"Jake Sullivan", "Deb Haaland"} {
		if m := mentionsOf(ents, want); len(m) != 1 || m[0].Label != "PERSON" {
			t.Errorf("%s: %+v, want one PERSON without the office in front", want, m)
		}
	}
	for _, e := range ents {
		if strings.Contains(e.Text, "Advisor") || strings.Contains(e.Text, "Secretary") || strings.Contains(e.Text, "Director") {
			t.Errorf("%s %q holds an office word", e.Label, e.Text)
		}
		if strings.Contains(e.Text, "\n\n") {
			t.Errorf("%s %q crosses a paragraph's end", e.Label, e.Text)
		}
	}
}

func TestResolveACurrencyIsNoCountry(t *testing.T) {
	// "US$" is a currency (UN speeches quote sums in it); the country beside it, and
	// the country named on its own, stay mentions.
	text := "Eswatini has put forth a plan valued at over E30 billion (about US$ 1.6 billion).\n" +
		"Australia gave A$40 million, and the US gave more.\n"
	ents := resolveText(t, text)
	slicesBack(t, text, ents)
	var codes []string
	for _, e := range ents {
		if e.ISO3 != "" {
			codes = append(codes, e.Text+"="+e.ISO3)
		}
	}
	want := []string{"Eswatini=SWZ", "Australia=AUS", "US=USA"}
	if !slices.Equal(codes, want) {
		t.Errorf("countries %q, want %q", codes, want)
	}
}

func TestCityOfKnowsTheGazetteersCities(t *testing.T) {
	for name, want := range map[string]string{"Tokyo": "JPN", "Washington": "USA", "Jeddah": "SAU", "Kyiv": "UKR", "Atlanta": "", "Japan": ""} {
		if got := CityOf(name); got != want {
			t.Errorf("CityOf(%q) = %q, want %q", name, got, want)
		}
	}
}
