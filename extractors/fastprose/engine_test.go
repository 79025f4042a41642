package fastprose

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/internal/testfiles"
)

var fastCorpusDir = testfiles.Shared("corpora/ungdc")

// fastCorpusSpeeches lists the speeches of the UN General Debate corpus (macOS "._" debris
// left out), skipping the test when the shared corpus is missing. Unless all is set it
// returns about want speeches spread evenly over the sorted list, so every session is
// represented.

// proseEngine is prose itself, its model loaded once for every test of the package.
var proseEngine = annotate.NewProse()

func fastCorpusSpeeches(tb testing.TB, all bool, want int) []string {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join(fastCorpusDir, "*", "*.txt"))
	if err != nil {
		tb.Fatalf("list %s: %v", fastCorpusDir, err)
	}
	var speeches []string
	for _, p := range paths {
		if !strings.HasPrefix(filepath.Base(p), "._") {
			speeches = append(speeches, p)
		}
	}
	if len(speeches) == 0 {
		tb.Skipf("no speeches in %s", fastCorpusDir)
	}
	sort.Strings(speeches)
	if all || len(speeches) <= want {
		return speeches
	}
	step := float64(len(speeches)) / float64(want)
	var sample []string
	for i := 0; i < want; i++ {
		sample = append(sample, speeches[int(float64(i)*step)])
	}
	return sample
}

func fastReadText(tb testing.TB, path string) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	return string(b)
}

func newFast(tb testing.TB) *Engine {
	tb.Helper()
	fa, err := New()
	if err != nil {
		tb.Fatalf("NewFastAnnotator: %v", err)
	}
	return fa
}

// fastAnnotationDiff describes the first difference between prose's annotation (want) and
// the fast engine's (got) of text, or returns "" when they are identical.
func fastAnnotationDiff(text string, want, got *annotate.Annotation) string {
	if reflect.DeepEqual(want, got) {
		return ""
	}
	if want == nil || got == nil {
		return fmt.Sprintf("prose annotation %v, fast annotation %v", want != nil, got != nil)
	}
	around := func(start, end int) string {
		s, e := max(0, start-40), min(len(text), end+40)
		return fmt.Sprintf("%q", text[s:e])
	}
	for i := 0; i < min(len(want.Tokens), len(got.Tokens)); i++ {
		if want.Tokens[i] != got.Tokens[i] {
			w := want.Tokens[i]
			return fmt.Sprintf("token %d: prose %+v, fast %+v, in %s", i, w, got.Tokens[i], around(w.Start, w.End))
		}
	}
	if len(want.Tokens) != len(got.Tokens) {
		return fmt.Sprintf("prose has %d tokens, fast %d", len(want.Tokens), len(got.Tokens))
	}
	for i := 0; i < min(len(want.Sentences), len(got.Sentences)); i++ {
		if want.Sentences[i] != got.Sentences[i] {
			w := want.Sentences[i]
			return fmt.Sprintf("sentence %d: prose %+v, fast %+v, at %s", i, w, got.Sentences[i], around(w.Start, w.Start))
		}
	}
	if len(want.Sentences) != len(got.Sentences) {
		return fmt.Sprintf("prose has %d sentences, fast %d", len(want.Sentences), len(got.Sentences))
	}
	for i := 0; i < min(len(want.Entities), len(got.Entities)); i++ {
		if want.Entities[i] != got.Entities[i] {
			w := want.Entities[i]
			return fmt.Sprintf("entity %d: prose %+v, fast %+v, in %s", i, w, got.Entities[i], around(w.Start, w.End))
		}
	}
	return fmt.Sprintf("prose has %d entities, fast %d", len(want.Entities), len(got.Entities))
}

// fastProseReruns is how many more times a document with a score tie is given to prose,
// looking for the fast engine's answer among prose's answers. The fast engine gives
// prose's most frequent answer (for a tie of two, one prose gives in at least half its
// runs), so 30 reruns miss it with a probability below one in a billion.
const fastProseReruns = 30

// fastMatchProse annotates text with both engines and returns "" when the fast engine's
// annotation is prose's, or the first difference. Where prose's own answer depends on
// Go's map order (a score tie, which the fast engine counts), prose is run again until
// it gives the fast engine's answer, and only when it never does is that a difference.
// reran tells whether prose had to be run again.
func fastMatchProse(fa *Engine, text string) (got *annotate.Annotation, st fastStats, reran bool, diff string) {
	prose := proseEngine
	want, werr := prose.Annotate(context.Background(), text)
	got, st, gerr := fa.annotate(context.Background(), text)
	if (werr != nil) != (gerr != nil) {
		return got, st, false, fmt.Sprintf("prose error %v, fast error %v", werr, gerr)
	}
	diff = fastAnnotationDiff(text, want, got)
	if diff == "" || st.TagTies+st.LabelTies == 0 {
		return got, st, false, diff
	}
	for k := 0; k < fastProseReruns; k++ {
		again, err := prose.Annotate(context.Background(), text)
		if err == nil && reflect.DeepEqual(again, got) {
			return got, st, true, ""
		}
	}
	return got, st, true, fmt.Sprintf("%s (and %d more prose runs never gave the fast answer)", diff, fastProseReruns)
}

// fastCompareEngines fails the test on the first difference between the engines on text.
func fastCompareEngines(t *testing.T, fa *Engine, name, text string) (*annotate.Annotation, fastStats, bool) {
	t.Helper()
	got, st, reran, diff := fastMatchProse(fa, text)
	if diff != "" {
		t.Errorf("%s: fast engine differs from prose (tagger ties %d, label ties %d): %s",
			name, st.TagTies, st.LabelTies, diff)
	}
	return got, st, reran
}

// TestFastEngineMatchesProse runs both engines over real speeches and requires identical
// annotations, document by document. FRAMEALIGN_CORPUS_TESTS=1 runs all 1,551.
func TestFastEngineMatchesProse(t *testing.T) {
	all := os.Getenv("FRAMEALIGN_CORPUS_TESTS") == "1"
	speeches := fastCorpusSpeeches(t, all, 30)
	if testing.Short() && !all {
		speeches = speeches[:5]
	}
	fa := newFast(t)
	var tokens, entities, tagTies, labelTies, tieDocs, reruns int
	for _, p := range speeches {
		ann, st, reran := fastCompareEngines(t, fa, p, fastReadText(t, p))
		if ann != nil {
			tokens += len(ann.Tokens)
			entities += len(ann.Entities)
		}
		if st.TagTies+st.LabelTies > 0 {
			tagTies += st.TagTies
			labelTies += st.LabelTies
			tieDocs++
		}
		if reran {
			reruns++
		}
	}
	if tokens < 1000*len(speeches) || entities == 0 {
		t.Errorf("%d speeches gave %d tokens and %d entities: too few to have compared anything", len(speeches), tokens, entities)
	}
	t.Logf("compared %d speeches, %d tokens, %d entities; %d tagger and %d label score ties in %d speeches, "+
		"%d of which differed from prose's first run and matched a rerun",
		len(speeches), tokens, entities, tagTies, labelTies, tieDocs, reruns)
}

// TestFastEngineMatchesProseOnTestdataSpeeches compares the engines on the speeches
// kept in testdata, so the comparison runs even without the shared corpus.
func TestFastEngineMatchesProseOnTestdataSpeeches(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no test speeches in testdata: %v", err)
	}
	fa := newFast(t)
	for _, p := range paths {
		ann, _, _ := fastCompareEngines(t, fa, p, fastReadText(t, p))
		if ann == nil || len(ann.Tokens) < 300 || len(ann.Sentences) < 10 || len(ann.Entities) == 0 {
			t.Errorf("%s: a UN speech should give hundreds of tokens, sentences and some entities", p)
		}
	}
}

// fastTrickyTexts exercise the corners of prose's tokenizer, segmenter, tagger and chunker.
var fastTrickyTexts = map[string]string{
	"empty":          "",
	"blank":          " \n\t  \n",
	"punctuation":    "... !!! ?? ;;; ,,, --- ((( ))) \"\" ''",
	"quotes":         "He said, \u201cWe won\u2019t go.\u201d Then \u2018they\u2019 left &rsquo;now&rsquo;.",
	"contractions":   "They'll say we're sure I'm right, and don't we? It's Ban Ki-moon's.",
	"repeated spans": "The United Nations met. The United Nations voted. United Nations, the United Nations!",
	"abbreviations":  "Mr. Guterres met Dr. Smith of the U.S.A. at 5 p.m. in Washington, D.C. on Jan. 3. No. 10 agreed.",
	"non-ASCII":      "Côte d\u2019Ivoire, São Tomé and Príncipe, Türkiye and 中国 met in Genève — café über alles.",
	"numbers":        "In 1945, 51 States signed; by 2015 there were 193 (and $100 or 3.5% of 1,000,000).",
	"emoticons":      "Great :-) news :( from @UN see https://un.org/en or mail info@un.org -LRB- ok -RRB- -",
	"one word":       "Peace",
	"headings":       "ADDRESS BY THE PRESIDENT\n\nMr. President,\n\nExcellencies,\n\nI thank you.",
	"long entities":  "The Secretary-General of the United Nations Organization, Mr. António Guterres, and the President of the Democratic Republic of the Congo met the European Union.",
	"invalid UTF-8":  "Good \xff\xfe morning \xc3 to \xe2\x80 all.",
}

func TestFastEngineMatchesProseOnTrickyText(t *testing.T) {
	fa := newFast(t)
	names := make([]string, 0, len(fastTrickyTexts))
	for name := range fastTrickyTexts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		text := fastTrickyTexts[name]
		ann, _, _ := fastCompareEngines(t, fa, name, text)
		if ann == nil {
			continue
		}
		for i, tok := range ann.Tokens {
			if tok.Start < 0 || tok.End > len(text) || tok.Start > tok.End {
				t.Errorf("%s: token %d %q at [%d,%d) outside the text", name, i, tok.Text, tok.Start, tok.End)
			}
		}
	}
}

// TestFastEngineMatchesProseOnShuffledText compares the engines on texts assembled at
// random (fixed seed) from the words of the test speeches and awkward fragments, glued
// with random separators: contexts no speech contains, at a few milliseconds a text.
func TestFastEngineMatchesProseOnShuffledText(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no test speeches in testdata: %v", err)
	}
	var pool []string
	for _, p := range paths {
		pool = append(pool, strings.Fields(fastReadText(t, p))...)
	}
	pool = append(pool, "Mr.", "U.S.", "U.N.", "don't", "they'll", "I'm", "\u201c", "\u201d",
		"\u2019s", "&rsquo;", "(", ")", "[", "]", "$5", "...", ". . .", "-", "--", ":-)", "(:",
		"http://un.org/x", "a@b.org", "@UN", "1999", "3.5", "1,000", "CHAPTER", "IV.", "é",
		"中国", "São", "Ki-moon", "*", "0", "-LRB-", "No.", "p.m.", "?", "!", "\"", "'", ";",
		"Yahoo!", "e.g.", "Dr.", "St.", "Jan.", "\xff", "\u00a0", "UNITED", "NATIONS")
	seps := []string{" ", " ", " ", "", "\n", "\n\n", "  ", "\t", " \r\n"}
	rng := rand.New(rand.NewPCG(9, 2024))
	fa := newFast(t)
	n := 150
	if testing.Short() {
		n = 20
	}
	for k := 0; k < n; k++ {
		var b strings.Builder
		for j, words := 0, 3+rng.IntN(80); j < words; j++ {
			b.WriteString(pool[rng.IntN(len(pool))])
			b.WriteString(seps[rng.IntN(len(seps))])
		}
		fastCompareEngines(t, fa, fmt.Sprintf("shuffled text %d %q", k, b.String()), b.String())
	}
}

// TestFastEngineKeepsProseSharedTokens checks the quirk that defines "exactly": prose
// reuses the token objects of a repeated span, so every occurrence of "Nations" in
// "United Nations" ends with the tag and label the last occurrence was given, whatever
// its own context said.
func TestFastEngineKeepsProseSharedTokens(t *testing.T) {
	fa := newFast(t)
	text := "Nations matter. We thank the United Nations for its work."
	ann, _, _ := fastCompareEngines(t, fa, "shared", text)
	if ann == nil || len(ann.Tokens) < 2 {
		t.Fatalf("no tokens for %q", text)
	}
	var nations []annotate.Token
	for _, tok := range ann.Tokens {
		if tok.Text == "Nations" {
			nations = append(nations, tok)
		}
	}
	if len(nations) != 2 {
		t.Fatalf("want 2 tokens \"Nations\", got %+v", nations)
	}
	if nations[0].Tag != nations[1].Tag || nations[0].Label != nations[1].Label {
		t.Errorf("repeated span should share tag and label as in prose: %+v vs %+v", nations[0], nations[1])
	}
	if text[nations[0].Start:nations[0].End] != "Nations" || text[nations[1].Start:nations[1].End] != "Nations" {
		t.Errorf("tokens do not slice back to their text: %+v", nations)
	}
}

// TestFastAnnotatorConcurrent annotates the same documents from four goroutines and
// requires every result to equal the one-goroutine result (run it with -race). The
// goroutines share a freshly loaded model, so they also fill its word cache together.
func TestFastAnnotatorConcurrent(t *testing.T) {
	fa := newFast(t)
	cold, err := loadFastModel()
	if err != nil {
		t.Fatalf("load fast model: %v", err)
	}
	shared := &Engine{model: cold, seg: fa.seg}
	paths, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no test speeches in testdata: %v", err)
	}
	texts := make([]string, len(paths))
	want := make([]*annotate.Annotation, len(paths))
	for i, p := range paths {
		texts[i] = fastReadText(t, p)
		if want[i], err = fa.Annotate(context.Background(), texts[i]); err != nil {
			t.Fatalf("annotate %s: %v", p, err)
		}
		if len(want[i].Entities) == 0 {
			t.Fatalf("%s: no entities found in a UN speech", p)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4*len(paths))
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for k := range texts {
				i := (k + g) % len(texts)
				got, err := shared.Annotate(context.Background(), texts[i])
				if err != nil {
					errs <- fmt.Sprintf("goroutine %d, %s: %v", g, paths[i], err)
				} else if d := fastAnnotationDiff(texts[i], want[i], got); d != "" {
					errs <- fmt.Sprintf("goroutine %d, %s: %s", g, paths[i], d)
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// FuzzFastEngineMatchesProse requires identical annotations on arbitrary text. Seeds
// are in testdata/fuzz/FuzzFastEngineMatchesProse.
func FuzzFastEngineMatchesProse(f *testing.F) {
	for _, text := range fastTrickyTexts {
		f.Add(text)
	}
	fa, err := New()
	if err != nil {
		f.Fatalf("NewFastAnnotator: %v", err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if _, st, _, diff := fastMatchProse(fa, text); diff != "" {
			t.Fatalf("fast engine differs from prose on %q (tagger ties %d, label ties %d): %s",
				text, st.TagTies, st.LabelTies, diff)
		}
	})
}

// fastBenchSpeeches returns a fixed sample of real speeches and their token count.
func fastBenchSpeeches(b *testing.B) ([]string, int) {
	paths := fastCorpusSpeeches(b, false, 20)
	texts := make([]string, len(paths))
	tokens := 0
	fa := newFast(b)
	for i, p := range paths {
		texts[i] = fastReadText(b, p)
		ann, err := fa.Annotate(context.Background(), texts[i])
		if err != nil {
			b.Fatalf("annotate %s: %v", p, err)
		}
		tokens += len(ann.Tokens)
	}
	return texts, tokens
}

func fastBenchAnnotator(b *testing.B, a annotate.Annotator) {
	texts, tokens := fastBenchSpeeches(b)
	b.Run("serial", func(b *testing.B) {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			for _, text := range texts {
				if _, err := a.Annotate(context.Background(), text); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(tokens)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*len(texts)), "ms/speech")
	})
	b.Run("parallel", func(b *testing.B) {
		var mu sync.Mutex
		done := 0
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			k := 0
			n := 0
			for pb.Next() {
				if _, err := a.Annotate(context.Background(), texts[k%len(texts)]); err != nil {
					b.Error(err)
					return
				}
				k++
				n++
			}
			mu.Lock()
			done += n
			mu.Unlock()
		})
		perText := float64(tokens) / float64(len(texts))
		b.ReportMetric(perText*float64(done)/b.Elapsed().Seconds(), "tokens/s")
	})
}

// BenchmarkAnnotateProse is the baseline: prose with one shared model.
func BenchmarkAnnotateProse(b *testing.B) { fastBenchAnnotator(b, proseEngine) }

// BenchmarkAnnotateFast is the fast engine on the same speeches.
func BenchmarkAnnotateFast(b *testing.B) { fastBenchAnnotator(b, newFast(b)) }

// fastBenchCorpus annotates every speech of the UNGDC corpus with one worker per core, as
// the pipeline's annotate stage does, and reports the time for the whole corpus.
func fastBenchCorpus(b *testing.B, a annotate.Annotator) {
	paths := fastCorpusSpeeches(b, true, 0)
	texts := make([]string, len(paths))
	for i, p := range paths {
		texts[i] = fastReadText(b, p)
	}
	workers := runtime.GOMAXPROCS(0)
	var tokens atomic.Int64
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		next := make(chan string)
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for text := range next {
					ann, err := a.Annotate(context.Background(), text)
					if err != nil {
						b.Error(err)
						continue
					}
					tokens.Add(int64(len(ann.Tokens)))
				}
			}()
		}
		for _, text := range texts {
			next <- text
		}
		close(next)
		wg.Wait()
	}
	elapsed := time.Since(start).Seconds()
	b.ReportMetric(elapsed/float64(b.N), "s/corpus")
	b.ReportMetric(float64(tokens.Load())/elapsed, "tokens/s")
	b.ReportMetric(float64(workers), "workers")
}

// BenchmarkCorpusFast times the fast engine over all 1,551 speeches (-benchtime 1x gives
// the figure of a fresh process, word cache cold).
func BenchmarkCorpusFast(b *testing.B) { fastBenchCorpus(b, newFast(b)) }

// BenchmarkCorpusProse times prose over all 1,551 speeches (minutes).
func BenchmarkCorpusProse(b *testing.B) { fastBenchCorpus(b, proseEngine) }
