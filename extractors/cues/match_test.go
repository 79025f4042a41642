package cues

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/internal/testannotate"
	"github.com/framealign/framealign/internal/testfiles"
)

// oneDimension is a framework with a single dimension "d" holding the given cues.
func oneDimension(cues []string, exclude ...string) *framework.Framework {
	return &framework.Framework{Name: "test", Dimensions: []framework.Dimension{
		{ID: "d", Group: framework.GroupPrinciple, Label: "D", Cues: cues, Exclude: exclude},
	}}
}

// matchText annotates text with prose and returns the matched strings of fw's cues.
func matchText(t *testing.T, fw *framework.Framework, text string) ([]Match, []string) {
	t.Helper()
	m, err := NewMatcher(fw)
	if err != nil {
		t.Fatal(err)
	}
	ann, err := testannotate.Annotate(text)
	if err != nil {
		t.Fatal(err)
	}
	ms := m.Match(text, ann)
	var found []string
	for _, x := range ms {
		found = append(found, text[x.Start:x.End])
	}
	return ms, found
}

func TestCueFeatures(t *testing.T) {
	cases := []struct {
		name  string
		cues  []string
		text  string
		found []string // the text each match spans, in order
	}{
		{"phrase meets inflection and a determiner between its words", []string{"respect sovereignty"},
			"Every nation respects the sovereignty of its neighbours.", []string{"respects the sovereignty"}},
		{"phrase skips possessives and adjectives", []string{"respect sovereignty"},
			"We respect each other's sovereignty.", []string{"respect each other's sovereignty"}},
		{"phrase skips at most three filler words", []string{"respect sovereignty"},
			"We respect each other's national sovereignty.", nil},
		{"phrase does not jump over a content word", []string{"respect sovereignty"},
			"They respect law and sovereignty.", nil},
		{"wildcard", []string{"cooperat*"},
			"Cooperation matters; we cooperated before and are cooperating now.", []string{"Cooperation", "cooperated", "cooperating"}},
		{"optional word present and absent", []string{"(the) cold war"},
			"The Cold War ended, but a cold war can return.", []string{"The Cold War", "a cold war"[2:]}},
		{"alternatives", []string{"respect|uphold sovereignty"},
			"We uphold sovereignty. We respect sovereignty.", []string{"uphold sovereignty", "respect sovereignty"}},
		{"hyphenated cue meets hyphenated and spaced text", []string{"win-win"},
			"A win-win outcome, a win win deal.", []string{"win-win", "win win"}},
		{"gap", []string{"settle ~3 disputes"},
			"They settled all their border disputes.", []string{"settled all their border disputes"}},
		{"NEAR in either order", []string{"NEAR/5(dialogue, confrontation)"},
			"Confrontation must give way to dialogue. We chose dialogue over confrontation. Dialogue is good.",
			[]string{"Confrontation must give way to dialogue", "dialogue over confrontation"}},
		{"exclusion in the cue", []string{`trade -"small arms"`},
			"The trade in small arms kills. Trade between nations grows.", []string{"Trade"}},
		{"exact capitals tell the Organization from an organization", []string{"Organization"},
			"The Organization must reform; every organization can.", []string{"Organization"}},
		// prose keeps "War." whole, as it keeps "Mr."; at a sentence's end it is a word.
		{"a short capitalised word ends its sentence without its period", []string{"new cold war", "Law of the Sea"},
			"We must avoid a new Cold War. They ratified the Law of the Sea.", []string{"new Cold War", "Law of the Sea"}},
		{"an exclusion at a sentence's end", []string{`convention -"Act"`},
			"The Convention was signed. The convention binds us under the Act.", []string{"Convention"}},
		{"an abbreviation inside a sentence stays one", []string{"Mr"},
			"Mr. Guterres spoke.", nil},
		{"a dash without spaces parts two words", []string{"pandemic", "climate change"},
			"The pandemic–and climate change—threaten us all.", []string{"pandemic", "climate change"}},
		{"a PDF's ligatures are their letters", []string{"conflict", "artificial intelligence"},
			"The conﬂict over artiﬁcial intelligence grows.", []string{"conﬂict", "artiﬁcial intelligence"}},
		{"a byte order mark is not part of the first word", []string{"climate"},
			"\ufeffClimate change is here.", []string{"Climate"}},
		{"a slash parts two words, not a URL's", []string{"HIV", "Good Friday Agreement", "climate"},
			"We fight HIV/AIDS. We back the Belfast/Good Friday Agreement. See https://x.org/climate/plan and www.x.org/climate.",
			[]string{"HIV", "Good Friday Agreement"}},
		{"a bare URL's words are no text", []string{"climate crisis"},
			"See https://x.gov/tackling-the-climate-crisis now.", nil},
		{"a page number with a slash stays one token", []string{"diplomatic ~1 solutions"},
			"We take diplomatic 51/52 solutions.", []string{"diplomatic 51/52 solutions"}},
		{"Markdown and HTML glued to words are not part of them", []string{"climate change", "pandemic", "launching"},
			"We act on **climate change** now. See [climate change](https://x.org/a). The *pandemic* is global. <u>Launching</u> it.",
			[]string{"climate change", "climate change", "pandemic", "Launching"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, found := matchText(t, oneDimension(c.cues), c.text)
			if strings.Join(found, "|") != strings.Join(c.found, "|") {
				t.Errorf("found %q, want %q", found, c.found)
			}
		})
	}
}

func TestDimensionExcludeDropsMatchesInTheSentence(t *testing.T) {
	fw := oneDimension([]string{"disarmament"}, "small arms")
	_, found := matchText(t, fw, "Disarmament of small arms is urgent. Nuclear disarmament is overdue.")
	if strings.Join(found, "|") != "disarmament" {
		t.Errorf("found %q, want only the second sentence's disarmament", found)
	}
}

func TestMatchesStayInOneSentenceAndKeepTheLongest(t *testing.T) {
	fw := oneDimension([]string{"mutual respect", "respect", "mutual respect and trust"})
	text := "We want mutual respect and trust. Mutual. Respect."
	ms, found := matchText(t, fw, text)
	if strings.Join(found, "|") != "mutual respect and trust|Respect" {
		t.Fatalf("found %q", found)
	}
	if ms[0].Sentence != 0 || ms[1].Sentence != 2 || ms[0].Cue != "mutual respect and trust" {
		t.Errorf("matches %+v", ms)
	}
}

func TestReferenceArticleCarriesEveryPrincipleAndMechanism(t *testing.T) {
	data, err := os.ReadFile(testfiles.Shared("seed/000_c467fab3ab5cde65.txt"))
	if err != nil {
		t.Skipf("reference article not available: %v", err)
	}
	text := string(data)
	fw := framework.Default()
	ms, _ := matchText(t, fw, text)
	ann, _ := testannotate.Annotate(text)
	scores := Score(fw, ms, len(ann.Tokens))
	for _, s := range scores {
		t.Logf("%-24s %-9s hits %2d negated %d sentences %2d rate %.1f", s.Dimension, s.Group, s.Hits, s.NegatedHits, s.Sentences, s.Per1kTokens)
		if (s.Group == framework.GroupPrinciple || s.Group == framework.GroupMechanism) && s.Hits == 0 {
			t.Errorf("reference article has no hit on %s", s.Dimension)
		}
	}
	for _, m := range ms {
		if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
			t.Fatalf("match %+v outside the text", m)
		}
	}
	a := Alignment(fw, scores)
	t.Logf("alignment %.3f", a)
	if a < 0.5 {
		t.Errorf("alignment of the reference article = %.2f, want at least 0.5", a)
	}
}

// A matcher keeps working memory between documents (word facts, phrase hits, the
// candidates): a document must find exactly what a fresh matcher finds in it, whatever
// came before, and nothing of an earlier document may leak into a later one.
func TestMatcherReusedAcrossDocumentsFindsWhatAFreshOneFinds(t *testing.T) {
	fw := oneDimension([]string{"mutual respect", "peaceful* ~2 settl*", "NEAR/4(dispute*, dialogue)", "win-win"}, "respect for the rules")
	texts := []string{
		"Mutual respect matters. Disputes need dialogue, and peaceful settlement too. A win-win deal.",
		"Nothing of the kind is said here, not even once.",
		"We want a peaceful, lasting settlement. Mutual respect for the rules is not mutual respect.",
		"Dialogue on the dispute. Dialogue on the dispute. Win-win-win.",
	}
	shared, err := NewMatcher(fw)
	if err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 2; round++ {
		for i, text := range texts {
			ann, err := testannotate.Annotate(text)
			if err != nil {
				t.Fatal(err)
			}
			fresh, err := NewMatcher(fw)
			if err != nil {
				t.Fatal(err)
			}
			want := fresh.Match(text, ann)
			got := shared.Match(text, ann)
			if len(got) != len(want) {
				t.Fatalf("round %d, text %d: %d matches, a fresh matcher finds %d: %+v vs %+v", round, i, len(got), len(want), got, want)
			}
			for k := range got {
				if got[k] != want[k] {
					t.Errorf("round %d, text %d, match %d: %+v, a fresh matcher finds %+v", round, i, k, got[k], want[k])
				}
			}
			if i == 1 && len(got) != 0 {
				t.Errorf("text without cues: %d matches, want none (an earlier document leaked): %+v", len(got), got)
			}
			if i == 0 && len(got) < 4 {
				t.Errorf("first text: %d matches, want at least 4: %+v", len(got), got)
			}
		}
	}
}

// An annotation read from the cache lists its distinct words, and the matcher then
// decides once per word how to read it: the matches must be those of the same text
// annotated afresh, markup, dashes, slashes, hyphens and sentence-final abbreviations
// included, and a word met both plain and cut.
func TestMatchesAreTheSameWithTheWordsListed(t *testing.T) {
	text := "\ufeffThe **climate change** talks and climate change—with HIV/AIDS—matter. " +
		"We seek win-win cooperation, a win win outcome and mutual respect. " +
		"This is not a new Cold War. The Cold War ended; peace, security and development, " +
		"global, regional and national challenges remain. [Climate change](https://x.gov/climate-change) too.\n"
	ann, err := testannotate.Annotate(text)
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMatcher(framework.Default())
	if err != nil {
		t.Fatal(err)
	}
	fresh := m.Match(text, ann)
	listed := m.Match(text, withWords(ann))
	if len(fresh) == 0 {
		t.Fatal("no matches: the text should hold several")
	}
	if fmt.Sprint(fresh) != fmt.Sprint(listed) {
		t.Errorf("with the words listed:\n%v\nafresh:\n%v", listed, fresh)
	}
}
