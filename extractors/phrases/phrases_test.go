package phrases

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/extractors/cues"
	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/internal/testannotate"
	"github.com/framealign/framealign/internal/testfiles"
)

// testHeads are the institutional heads of the default framework's kind, as a framework
// file lists them (singular).
var testHeads = []string{
	"mechanism", "dialogue", "channel", "consultation", "forum", "platform", "framework",
	"arrangement", "commission", "committee", "council", "partnership", "initiative",
	"agreement", "treaty", "summit", "hotline", "exchange", "talks", "process",
}

func annotateForPhrases(t testing.TB, text string) *annotate.Annotation {
	t.Helper()
	ann, err := testannotate.Annotate(text)
	if err != nil {
		t.Fatal(err)
	}
	return ann
}

// checkPhrasePlaces asserts what every phrase row promises: its text slices back out of
// the document and lies inside its sentence.
func checkPhrasePlaces(t *testing.T, text string, ann *annotate.Annotation, phrases []Phrase) {
	t.Helper()
	for _, p := range phrases {
		if p.Text != text[p.Start:p.End] {
			t.Errorf("phrase %q != text[%d:%d] = %q", p.Text, p.Start, p.End, text[p.Start:p.End])
		}
		s := ann.Sentences[p.Sentence]
		if p.Start < s.Start || p.End > s.End {
			t.Errorf("phrase %q [%d,%d) outside its sentence %d [%d,%d)", p.Text, p.Start, p.End, p.Sentence, s.Start, s.End)
		}
	}
}

func TestPhraseExtractorFindsTheReferenceMechanisms(t *testing.T) {
	_, text := framework.DefaultReference()
	ann := annotateForPhrases(t, text)
	phrases := NewExtractor(testHeads).Extract(text, ann)
	checkPhrasePlaces(t, text, ann, phrases)

	// Each wanted phrase must be found whole, with at most modifiers before it
	// ("Smooth information communication ...", "Effective mechanisms of ...").
	wants := []struct{ text, head string }{
		{"information communication and signal transmission mechanisms", "mechanism"},
		{"strategic dialogue mechanisms", "mechanism"},
		{"interest coordination mechanisms", "mechanism"},
		{"bilateral and multilateral diplomatic mechanisms", "mechanism"},
		{"institutional arrangements", "arrangement"},
		{"strategic and economic dialogues", "dialogue"},
		{"mechanisms of crisis management and conflict resolution", "mechanism"},
		{"mechanisms of divergence control, crisis management and conflict resolution", "mechanism"},
	}
	for _, want := range wants {
		found := false
		for _, p := range phrases {
			if strings.HasSuffix(strings.ToLower(p.Text), want.text) && p.Head == want.head {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no phrase ending in %q with head %q", want.text, want.head)
		}
	}
	for _, p := range phrases {
		t.Logf("%d %q head=%s norm=%q", p.Sentence, p.Text, p.Head, p.Normalized)
		// An "of" complement belongs to its head: no phrase of its own inside it, and
		// nothing but modifiers before the head (no determiner starts a phrase).
		if first := strings.ToLower(strings.Fields(p.Text)[0]); first == "the" || first == "a" || first == "an" {
			t.Errorf("phrase %q starts with a determiner", p.Text)
		}
	}
	for i := 1; i < len(phrases); i++ {
		if phrases[i].Start < phrases[i-1].End {
			t.Errorf("phrases overlap: %q and %q", phrases[i-1].Text, phrases[i].Text)
		}
	}
}

func TestPhraseExtractorGroupsInflectionsAndLeavesBareHeads(t *testing.T) {
	text := "China proposed Strategic Dialogue Mechanisms last year.\n" +
		"The strategic dialogue mechanism met twice.\n" +
		"Differences are settled through dialogue and compromise."
	ann := annotateForPhrases(t, text)
	phrases := NewExtractor(testHeads).Extract(text, ann)
	checkPhrasePlaces(t, text, ann, phrases)
	if len(phrases) != 2 {
		t.Fatalf("got %d phrases %+v, want the two strategic dialogue mechanisms", len(phrases), phrases)
	}
	for i, p := range phrases {
		if p.Sentence != i || p.Head != "mechanism" || p.Normalized != "strategic dialogue mechanism" {
			t.Errorf("phrase %d = %+v, want sentence %d, head mechanism, normalized strategic dialogue mechanism", i, p, i)
		}
	}
	if phrases[0].Normalized != phrases[1].Normalized {
		t.Errorf("plural and singular phrases normalise differently: %q vs %q", phrases[0].Normalized, phrases[1].Normalized)
	}
}

// BenchmarkPhrases extracts the phrases of China's 2016 speech from its annotation and
// reports the cost as a share of annotating it (the brief allows 2%).
func BenchmarkPhrases(b *testing.B) {
	data, err := os.ReadFile(testfiles.Shared("corpora/ungdc/Session 71 - 2016/CHN_71_2016.txt"))
	if err != nil {
		b.Skip("shared corpus not present")
	}
	text := string(data)
	annotateForPhrases(b, text) // load the model outside the timing
	began := time.Now()
	ann := annotateForPhrases(b, text)
	annotation := time.Since(began)
	e := NewExtractor(testHeads)
	b.ResetTimer()
	for b.Loop() {
		e.Extract(text, ann)
	}
	perOp := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(100*float64(perOp)/float64(annotation), "%annotation")
}

func TestPhraseDimensionTakesTheFirstOverlappingMatch(t *testing.T) {
	text := "We built strategic dialogue mechanisms and crisis management mechanisms."
	p := Phrase{Start: 9, End: 38} // "strategic dialogue mechanisms"
	if p.Text = text[p.Start:p.End]; p.Text != "strategic dialogue mechanisms" {
		t.Fatalf("bad span %q", p.Text)
	}
	matches := []cues.Match{
		{Dimension: "non_conflict", Start: 0, End: 8},   // "We built", ends before the phrase
		{Dimension: "communication", Start: 9, End: 27}, // "strategic dialogue"
		{Dimension: "institutions", Start: 28, End: 38}, // "mechanisms"
		{Dimension: "crisis_management", Start: 43, End: 60},
	}
	if got := Dimension(p, matches); got != "communication" {
		t.Errorf("dimension = %q, want communication", got)
	}
	if got := Dimension(p, matches[3:]); got != "" {
		t.Errorf("dimension with no overlapping match = %q, want empty", got)
	}
}

// TestPhraseExtractorWithDefaultFrameworkHeads runs the reference through the heads the
// default framework ships, as the pipeline does, and checks the mechanisms of the
// article's "Practical experience" part come out with their heads.
func TestPhraseExtractorWithDefaultFrameworkHeads(t *testing.T) {
	heads := framework.Default().InstitutionalHeads
	if len(heads) == 0 {
		t.Fatal("default framework lists no institutional heads")
	}
	_, text := framework.DefaultReference()
	ann := annotateForPhrases(t, text)
	phrases := NewExtractor(heads).Extract(text, ann)
	checkPhrasePlaces(t, text, ann, phrases)
	byHead := map[string]int{}
	for _, p := range phrases {
		byHead[p.Head]++
	}
	// The article names mechanisms nine times with a modifier or complement
	// ("Smooth information ... mechanisms", "strategic dialogue mechanisms", ...) and
	// institutional arrangements twice.
	if byHead["mechanism"] < 8 || byHead["arrangement"] != 2 {
		t.Errorf("phrases by head %v, want at least 8 mechanisms and 2 arrangements", byHead)
	}
}

// White House statements are Markdown: bold, links and tags are glued to the words
// (prose keeps "**Committee**" and "Initiative](https://..." as tokens). The heads are
// found through them, the phrase stops where an emphasis or link opens or closes, and
// its offsets leave the markup out.
func TestPhrasesReadWordsThroughMarkdownAndHTML(t *testing.T) {
	text := "- **U.S.-Japan Economic Policy Consultative Committee**: The two countries held a " +
		"**Strategic Dialogue** and launched the [Quad Critical Minerals Initiative](https://x.gov/a) " +
		"under the <u>Global Partnership</u>. They set up a **new** dialogue mechanism of crisis management.\n"
	ann := annotateForPhrases(t, text)
	phrases := NewExtractor(testHeads).Extract(text, ann)
	checkPhrasePlaces(t, text, ann, phrases)
	var got []string
	for _, p := range phrases {
		got = append(got, p.Text+" | "+p.Normalized)
	}
	want := []string{
		"U.S.-Japan Economic Policy Consultative Committee | u.s.-japan economic policy consultative committee",
		"Strategic Dialogue | strategic dialogue",
		"Quad Critical Minerals Initiative | quad critical minerals initiative",
		"Global Partnership | global partnership",
		// the bold "new" closes before the phrase: not its modifier
		"dialogue mechanism of crisis management | dialogue mechanism of crisis management",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("phrases:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
