package similarity

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/framealign/framealign/extractors/cues"
	"github.com/framealign/framealign/extractors/words"
	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/internal/testfiles"
)

// simCorpusDir is the shared background corpus, seen from the package folder.
var simCorpusDir = testfiles.Shared("corpora/ungdc")

func newReferenceSimilarity(t testing.TB) *Reference {
	t.Helper()
	_, ref := framework.DefaultReference()
	s, err := NewReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDefaultReferenceIsTheSeedArticle(t *testing.T) {
	name, text := framework.DefaultReference()
	if !strings.HasPrefix(text, "HAN ZHAOYING: Building a new model for major-country relations") {
		t.Fatalf("reference starts %q", text[:60])
	}
	seed, err := os.ReadFile(filepath.Join(testfiles.Shared("seed"), name))
	if os.IsNotExist(err) {
		t.Skip("shared seed folder not present")
	}
	if err != nil {
		t.Fatal(err)
	}
	if string(seed) != text {
		t.Errorf("embedded reference differs from ../shared/seed/%s", name)
	}
}

func TestSimilarityOfReferenceToItselfIsOne(t *testing.T) {
	s := newReferenceSimilarity(t)
	_, ref := framework.DefaultReference()
	if got := s.Similarity(s.Vector(ref)); math.Abs(got-1) > 1e-6 {
		t.Errorf("reference against itself = %v, want 1", got)
	}
	if got := s.Similarity(s.Vector("")); got != 0 {
		t.Errorf("empty text = %v, want 0", got)
	}
	if got := s.Similarity(s.Vector("Bananas, apples; 1234 oranges!")); got != 0 {
		t.Errorf("text sharing no term = %v, want 0", got)
	}
}

func TestSimilarityTermsKeepPhrasesAndDropStopWordsAndNumbers(t *testing.T) {
	got := Terms("Mechanisms of divergence control, crisis management and conflict resolution " +
		"should gradually be established in 2015. China\u2019s core interests")
	// Inflected words go through words.Lemma, whatever it makes of them.
	mechanism, established, interest := words.Lemma("Mechanisms"), words.Lemma("established"), words.Lemma("interests")
	want := []string{
		mechanism, "divergence", "control", "divergence control",
		"crisis", "management", "crisis management",
		"conflict", "resolution", "conflict resolution",
		"gradually", established, "china", "core", "china core", interest, "core " + interest,
	}
	if !slices.Equal(got, want) {
		t.Errorf("terms\n got %q\nwant %q", got, want)
	}
	// Across a full stop or a line break there is no bigram.
	for _, text := range []string{"strategic. dialogue", "strategic\ndialogue", "strategic (dialogue"} {
		if terms := Terms(text); slices.Contains(terms, "strategic dialogue") {
			t.Errorf("%q gave a bigram across a boundary: %q", text, terms)
		}
	}
	// Abbreviations and hyphenated words stay whole, as prose keeps them.
	if got := Terms("the U.S. side seeks win-win cooperation"); !slices.Contains(got, "u.s side") || !slices.Contains(got, "win-win cooperation") {
		t.Errorf("terms %q lack u.s side / win-win cooperation", got)
	}
}

func TestIDFTableHeaderAndTerms(t *testing.T) {
	table, err := DefaultIDFTable()
	if err != nil {
		t.Fatal(err)
	}
	if table.Documents != 1551 || table.MinDF != 2 || len(table.Built) != 10 || !strings.Contains(table.Corpus, "ungdc") {
		t.Errorf("header: %+v", *table)
	}
	if len(idfFile) > 4<<20 {
		t.Errorf("idf.tsv is %d bytes, want a few MB at most", len(idfFile))
	}
	// Common words weigh less than rare ones; unknown terms weigh the most.
	common, rare, unknown := table.IDF("country"), table.IDF("strategic dialogue"), table.IDF("zzyzx quux")
	if !(common < rare && rare < unknown) {
		t.Errorf("idf country=%.2f strategic dialogue=%.2f unknown=%.2f, want increasing", common, rare, unknown)
	}
}

// TestIDFTableMatchesCorpus rebuilds the table from the background corpus and checks
// that the embedded one is the same, so a change of words.Lemma, of the stop words or of the
// tokenizer cannot silently leave stale weights behind. (Checking terms against words.Lemma
// alone cannot do it: words.Lemma need not be idempotent, "buildings" -> "building" -> "build".)
func TestIDFTableMatchesCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("rebuilds the table from the whole corpus (about a second)")
	}
	speeches := readSimSpeeches(t)
	table, err := DefaultIDFTable()
	if err != nil {
		t.Fatal(err)
	}
	b := NewIDFBuilder()
	for _, sp := range speeches {
		b.Add(sp.text)
	}
	if got := bodyVersion(b.Body(table.MinDF)); got != table.Version || b.Documents() != table.Documents {
		t.Errorf("rebuilt table is %s over %d documents, embedded is %s over %d: run "+
			"go run ./scripts/buildidf ../shared/corpora/ungdc > extractors/similarity/data/idf.tsv",
			got, b.Documents(), table.Version, table.Documents)
	}
}

type simSpeech struct {
	session string // folder name, "Session 71 - 2016"
	country string // ISO3 code from the file name
	text    string
}

// readSimSpeeches reads every simSpeech of the shared corpus, skipping macOS "._*" files.
func readSimSpeeches(t testing.TB) []simSpeech {
	t.Helper()
	sessions, err := os.ReadDir(simCorpusDir)
	if os.IsNotExist(err) {
		t.Skip("shared corpus not present at " + simCorpusDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []simSpeech
	for _, sd := range sessions {
		if !sd.IsDir() {
			continue
		}
		files, err := os.ReadDir(filepath.Join(simCorpusDir, sd.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasPrefix(f.Name(), "._") || !strings.HasSuffix(f.Name(), ".txt") {
				continue
			}
			data, err := os.ReadFile(filepath.Join(simCorpusDir, sd.Name(), f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			country, _, _ := strings.Cut(f.Name(), "_")
			out = append(out, simSpeech{session: sd.Name(), country: country, text: string(data)})
		}
	}
	return out
}

// sessionRanks scores every simSpeech against the reference and returns, per session,
// the countries from most to least similar and their scores.
func sessionRanks(s *Reference, speeches []simSpeech) map[string][]simScored {
	bySession := make(map[string][]simScored)
	for _, sp := range speeches {
		bySession[sp.session] = append(bySession[sp.session], simScored{sp.country, s.Similarity(s.Vector(sp.text))})
	}
	for _, list := range bySession {
		sort.SliceStable(list, func(i, j int) bool { return list[i].score > list[j].score })
	}
	return bySession
}

type simScored struct {
	country string
	score   float64
}

func simRankOf(list []simScored, country string) (int, float64) {
	for i, sc := range list {
		if sc.country == country {
			return i + 1, sc.score
		}
	}
	return 0, 0
}

// checkChinaLeads asserts, for each session, that China's simSpeech is more similar to the
// reference than the United States' and among the three most similar of its session:
// the reference is a Chinese article on China-US relations in the language of Chinese
// diplomacy, which is how China speaks at the UN.
func checkChinaLeads(t *testing.T, s *Reference, speeches []simSpeech) {
	t.Helper()
	bySession := sessionRanks(s, speeches)
	if len(bySession) == 0 {
		t.Fatal("no speeches")
	}
	names := make([]string, 0, len(bySession))
	for name := range bySession {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		list := bySession[name]
		chn, chnScore := simRankOf(list, "CHN")
		usa, usaScore := simRankOf(list, "USA")
		t.Logf("%s: CHN rank %d/%d (%.3f), USA rank %d (%.3f); top: %s %.3f, %s %.3f, %s %.3f",
			name, chn, len(list), chnScore, usa, usaScore,
			list[0].country, list[0].score, list[1].country, list[1].score, list[2].country, list[2].score)
		if chn == 0 || usa == 0 {
			t.Errorf("%s: CHN or USA simSpeech missing", name)
			continue
		}
		if chnScore <= usaScore {
			t.Errorf("%s: CHN %.3f not above USA %.3f", name, chnScore, usaScore)
		}
		if chn > 3 {
			t.Errorf("%s: CHN ranks %d, want top 3", name, chn)
		}
	}
}

// TestChinaClosestToReferenceQuick checks two sessions, one early and one late.
func TestChinaClosestToReferenceQuick(t *testing.T) {
	var two []simSpeech
	for _, sp := range readSimSpeeches(t) {
		if strings.HasPrefix(sp.session, "Session 66 ") || strings.HasPrefix(sp.session, "Session 79 ") {
			two = append(two, sp)
		}
	}
	checkChinaLeads(t, newReferenceSimilarity(t), two)
}

// TestChinaClosestToReferenceAllSessions checks every session of the corpus; run it with
// FRAMEALIGN_CORPUS_TESTS=1 go test -run AllSessions -v ./extractors.
func TestChinaClosestToReferenceAllSessions(t *testing.T) {
	if testing.Short() || os.Getenv("FRAMEALIGN_CORPUS_TESTS") != "1" {
		t.Skip("corpus test: set FRAMEALIGN_CORPUS_TESTS=1 and drop -short")
	}
	checkChinaLeads(t, newReferenceSimilarity(t), readSimSpeeches(t))
}

func TestProfileCosine(t *testing.T) {
	cases := []struct {
		a, b []float64
		want float64
	}{
		{[]float64{1, 2, 0}, []float64{2, 4, 0}, 1},
		{[]float64{1, 0}, []float64{0, 3}, 0},
		{[]float64{0, 0}, []float64{1, 1}, 0},
		{[]float64{1, 1}, []float64{1, 0}, 1 / math.Sqrt2},
		{[]float64{3, 4}, []float64{3}, 0.6}, // a missing dimension counts as zero
	}
	for _, c := range cases {
		if got := cues.ProfileCosine(c.a, c.b); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("cues.ProfileCosine(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// BenchmarkSimilarity vectorises China's 2016 simSpeech and scores it; compare with the
// ~20 ms prose spends annotating a simSpeech.
func BenchmarkSimilarity(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(simCorpusDir, "Session 71 - 2016", "CHN_71_2016.txt"))
	if err != nil {
		b.Skip("shared corpus not present")
	}
	s := newReferenceSimilarity(b)
	text := string(data)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		s.Similarity(s.Vector(text))
	}
}
