package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/extractors/cues"
	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/internal/testannotate"
	"github.com/framealign/framealign/output"
)

func testAnalyzer(t *testing.T) *Analyzer {
	t.Helper()
	_, ref := framework.DefaultReference()
	a, err := NewAnalyzer(context.Background(), AnalyzerConfig{Framework: framework.Default(), ReferenceText: ref,
		Engine: testannotate.Engine(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestChunksCoverTheTextAtSeparators(t *testing.T) {
	texts := map[string]string{
		"paragraphs": strings.Repeat("One sentence. Another one here.\n\n", 500),
		"sentences":  strings.Repeat("One sentence. Another one here. ", 500),
		"words":      strings.Repeat("a ", 8000),
		"no spaces":  strings.Repeat("é中", 3000),
	}
	for name, text := range texts {
		pieces := chunks(text, 1000)
		at := 0
		for _, p := range pieces {
			if p[0] != at || p[1] <= p[0] || p[1]-p[0] > 1000 {
				t.Fatalf("%s: piece %v after %d", name, p, at)
			}
			if !utf8.ValidString(text[p[0]:p[1]]) {
				t.Fatalf("%s: piece %v cuts a character", name, p)
			}
			if name == "paragraphs" && !strings.HasSuffix(text[p[0]:p[1]], "\n\n") {
				t.Fatalf("%s: piece %v does not end at a paragraph break", name, p)
			}
			if name == "words" && !strings.HasSuffix(text[p[0]:p[1]], " ") {
				t.Fatalf("%s: piece %v cuts a word", name, p)
			}
			at = p[1]
		}
		if at != len(text) {
			t.Fatalf("%s: pieces end at %d of %d", name, at, len(text))
		}
	}
}

// A long document analysed in pieces gives the rows of its pieces analysed as
// documents of their own, shifted into the whole: offsets, sentence indexes, tokens.
func TestALongDocumentIsAnalysedInPiecesAsOneDocument(t *testing.T) {
	a := testAnalyzer(t)
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "corpus", name))
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(b))
	}
	one, two := read("Session 69 - 2014/RWA_69_2014.txt"), read("Session 75 - 2020/JOR_75_2020.txt")
	whole := one + "\n\n" + two
	defer func(n int) { chunkBytes = n }(chunkBytes)
	chunkBytes = max(len(one), len(two)) + 2
	if got := chunks(whole, chunkBytes); len(got) != 2 || got[0][1] != len(one)+2 {
		t.Fatalf("pieces %v, want a cut after the first speech", got)
	}
	rows, err := a.Document(context.Background(), corpus.Document{ID: "long", Text: whole}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r1, err := a.Document(context.Background(), corpus.Document{ID: "long", Text: one + "\n\n"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := a.Document(context.Background(), corpus.Document{ID: "long", Text: two}, nil)
	if err != nil {
		t.Fatal(err)
	}
	off, sents := int64(len(one)+2), r1.Document.NSentences
	if rows.Document.NTokens != r1.Document.NTokens+r2.Document.NTokens || rows.Document.NSentences != sents+r2.Document.NSentences {
		t.Errorf("tokens %d, sentences %d; the pieces have %d+%d, %d+%d", rows.Document.NTokens, rows.Document.NSentences,
			r1.Document.NTokens, r2.Document.NTokens, sents, r2.Document.NSentences)
	}
	want := append([]output.Match(nil), r1.Matches...)
	for _, m := range r2.Matches {
		m.CharStart, m.CharEnd, m.SentenceIndex = m.CharStart+off, m.CharEnd+off, m.SentenceIndex+sents
		want = append(want, m)
	}
	if len(rows.Matches) != len(want) || len(rows.Matches) == 0 {
		t.Fatalf("%d matches, the pieces have %d", len(rows.Matches), len(want))
	}
	for i := range want {
		got := rows.Matches[i]
		if got.CharStart != want[i].CharStart || got.SentenceIndex != want[i].SentenceIndex || got.Text != want[i].Text ||
			got.Sentence != want[i].Sentence || got.Dimension != want[i].Dimension || strings.Join(got.Actors, ",") != strings.Join(want[i].Actors, ",") {
			t.Fatalf("match %d: %+v, want %+v", i, got, want[i])
		}
		if whole[got.CharStart:got.CharEnd] != got.Text {
			t.Fatalf("match %d: offsets do not hold its text", i)
		}
	}
	if len(rows.Entities) != len(r1.Entities)+len(r2.Entities) || len(rows.Phrases) != len(r1.Phrases)+len(r2.Phrases) {
		t.Errorf("entities %d, phrases %d; the pieces have %d+%d, %d+%d", len(rows.Entities), len(rows.Phrases),
			len(r1.Entities), len(r2.Entities), len(r1.Phrases), len(r2.Phrases))
	}
	for _, e := range rows.Entities {
		if whole[e.CharStart:e.CharEnd] != e.Text {
			t.Fatalf("entity %+v: offsets do not hold its text", e)
		}
	}
	for _, p := range rows.Phrases {
		if whole[p.CharStart:p.CharEnd] != p.Text {
			t.Fatalf("phrase %+v: offsets do not hold its text", p)
		}
	}
	// The scores are those of all the matches over all the tokens, as for a document
	// analysed whole.
	var all []cues.Match
	for _, m := range want {
		all = append(all, cues.Match{Dimension: m.Dimension, Sentence: int(m.SentenceIndex), Negated: m.Negated})
	}
	scores := cues.Score(framework.Default(), all, int(rows.Document.NTokens))
	if len(rows.Scores) != len(scores) {
		t.Fatalf("%d scores", len(rows.Scores))
	}
	for i, s := range scores {
		got := rows.Scores[i]
		if got.Hits != int64(s.Hits) || got.NegatedHits != int64(s.NegatedHits) || got.Sentences != int64(s.Sentences) || got.Per1kTokens != s.Per1kTokens {
			t.Errorf("score %s: %+v, want %+v", s.Dimension, got, s)
		}
	}
}

// Run cuts long documents too, and the tables hold them as one document each.
func TestRunAnalysesALongDocumentInPieces(t *testing.T) {
	defer func(n int) { chunkBytes = n }(chunkBytes)
	chunkBytes = 4096
	root := copyCorpus(t)
	out := filepath.Join(t.TempDir(), "out")
	sum := mustRun(t, testConfig(t, []string{root}, out))
	if sum.Added != 4 || sum.Failed != 0 {
		t.Fatalf("%+v", sum)
	}
	docs := readTable[docRow](t, out, output.DocumentsTable)
	for _, m := range readTable[output.Match](t, out, output.MatchesTable) {
		text := docText(t, root, m.DocID)
		if text[m.CharStart:m.CharEnd] != m.Text {
			t.Fatalf("%s: match offsets do not hold its text", m.DocID)
		}
	}
	if len(docs) != 5 {
		t.Errorf("%d documents", len(docs))
	}
}

// Reruns of long documents (unchanged, re-scored after a framework change) leave the
// tables a full run leaves.
func TestRerunsOfLongDocumentsEqualFullRuns(t *testing.T) {
	defer func(n int) { chunkBytes = n }(chunkBytes)
	chunkBytes = 4096
	root := copyCorpus(t)
	out := filepath.Join(t.TempDir(), "out")
	cfg := testConfig(t, []string{root}, out)
	mustRun(t, cfg)
	if again := mustRun(t, cfg); again.Unchanged != 4 {
		t.Errorf("rerun: %+v", again)
	}
	assertSameAsFullRun(t, cfg, out, "long, nothing new", nil)
	fw := framework.Default()
	for i := range fw.Dimensions {
		if fw.Dimensions[i].ID == "mutual_respect" {
			fw.Dimensions[i].Cues = append(fw.Dimensions[i].Cues, "identity")
		}
	}
	cfg.Framework = fw
	if sum := mustRun(t, cfg); sum.Changed != 4 {
		t.Errorf("framework change: %+v", sum)
	}
	assertSameAsFullRun(t, cfg, out, "long, framework change", nil)
}

// Sentences without an end (a text of nothing but "a a a ..." or "dialogue and
// cooperation ...") cost the extractors time in proportion to their length: each of
// these cost the square of it, minutes for a megabyte. Times are compared within the
// test, the best of two: 8 times the text must not cost much more than 8 times the time.
func TestAnalysisOfSentencesWithoutEndIsLinear(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("timing")
	}
	a := testAnalyzer(t)
	best := func(text string) time.Duration {
		var b time.Duration
		for range 2 {
			start := time.Now()
			if _, err := a.Document(context.Background(), corpus.Document{ID: "x", Text: text}, nil); err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); b == 0 || d < b {
				b = d
			}
		}
		return b
	}
	for _, unit := range []string{"a ", "The ", "President ", "win-win ", "dialogue and cooperation ", "dialogue instead of confrontation "} {
		small, big := best(strings.Repeat(unit, (64<<10)/len(unit))), best(strings.Repeat(unit, (512<<10)/len(unit)))
		if big > 24*small && big > time.Second {
			t.Errorf("%q: 64 KB in %s, 512 KB in %s: not linear", unit, small, big)
		}
	}
}
