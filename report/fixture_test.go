package report

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/output"
)

// The report reads what `framealign run` writes. These tests do not run the pipeline:
// they build the seven tables from the real speeches in testdata/corpus with a small
// cue matcher of their own, so every sentence, offset and count in them is real text.

// fixtureDocument is a documents.parquet row with the metadata columns the
// {country}_{session}_{year}.txt pattern adds, which the report must read by name.
type fixtureDocument struct {
	output.DocumentRow
	Country       *string
	Session, Year *int64
}

// row is the document as framealign's writer takes it: metadata as text, typed by the
// writer (session and year become integer columns).
func (d fixtureDocument) row() output.DocumentRow {
	r := d.DocumentRow
	if d.Country != nil {
		r.Meta = map[string]corpus.Value{"country": corpus.StringValue(*d.Country),
			"session": corpus.IntValue(*d.Session), "year": corpus.IntValue(*d.Year)}
	}
	return r
}

type fixtureDimension struct {
	id, group string
	cues      []string
}

var fixtureDimensions = []fixtureDimension{
	{"non_conflict", "principle", []string{"peaceful settlement", "use of force", "peacefully", "no war"}},
	{"non_confrontation", "principle", []string{"confrontation", "cold war", "zero-sum", "containment"}},
	{"mutual_respect", "principle", []string{"mutual respect", "sovereignty", "non-interference", "internal affairs"}},
	{"win_win", "principle", []string{"win-win", "mutual benefit", "common development", "partnership"}},
	{"communication", "mechanism", []string{"dialogue", "consultation", "mutual trust", "exchanges"}},
	{"interest_coordination", "mechanism", []string{"core interests", "common interests", "major concerns", "compromise"}},
	{"institutions", "mechanism", []string{"united nations", "multilateralism", "global governance", "charter", "security council"}},
	{"exchanges", "mechanism", []string{"trade", "investment", "economic", "people-to-people"}},
	{"crisis_management", "mechanism", []string{"negotiation", "mediation", "political settlement", "ceasefire", "de-escalation"}},
	{"global_challenges", "condition", []string{"climate change", "pandemic", "covid", "energy security"}},
	{"nuclear_deterrence", "condition", []string{"nuclear", "non-proliferation", "disarmament"}},
	{"technology", "condition", []string{"cyberspace", "internet", "technolog", "digital"}},
	{"confrontational_framing", "framing", []string{"hegemony", "power politics", "rivalry", "arms race"}},
	{"cooperative_order", "framing", []string{"international order", "world peace", "shared future", "new type of international relations"}},
}

var fixtureCountries = map[string]string{
	"China": "CHN", "United States": "USA", "Russia": "RUS", "Iran": "IRN", "Syria": "SYR",
	"Afghanistan": "AFG", "Israel": "ISR", "Palestin": "PSE", "Ukraine": "UKR", "Libya": "LBY",
	"Sudan": "SDN", "Korea": "KOR", "Japan": "JPN", "India": "IND", "Iraq": "IRQ",
	"United Kingdom": "GBR", "Britain": "GBR", "France": "FRA", "Germany": "DEU", "Yemen": "YEM",
}

var (
	sentenceRE = regexp.MustCompile(`[^.!?\n]+[.!?]*`)
	tokenRE    = regexp.MustCompile(`[\p{L}\p{N}]+(?:[-'][\p{L}\p{N}]+)*`)
	phraseRE   = regexp.MustCompile(`(?i)\b(?:[a-z-]+ ){0,2}(dialogue|mechanism|council|partnership|framework|agreement|consultation)s?\b`)
	fileRE     = regexp.MustCompile(`^([A-Z]{3})_(\d+)_(\d{4})\.txt$`)
)

type fixtureSentence struct {
	start, end int
	text       string
}

func sentencesOf(text string) []fixtureSentence {
	var out []fixtureSentence
	for _, loc := range sentenceRE.FindAllStringIndex(text, -1) {
		s := strings.TrimSpace(text[loc[0]:loc[1]])
		if len(tokenRE.FindAllString(s, -1)) < 3 {
			continue
		}
		start := loc[0] + strings.Index(text[loc[0]:loc[1]], s)
		out = append(out, fixtureSentence{start, start + len(s), s})
	}
	return out
}

func actorsIn(s string) []string {
	var out []string
	for name, iso := range fixtureCountries {
		if strings.Contains(s, name) {
			out = append(out, iso)
		}
	}
	sort.Strings(out)
	return uniq(out)
}

func wordCounts(text string) map[string]float64 {
	m := map[string]float64{}
	for _, w := range tokenRE.FindAllString(strings.ToLower(text), -1) {
		m[w]++
	}
	return m
}

func cosine(a, b map[string]float64) float64 {
	var dot, na, nb float64
	for k, v := range a {
		dot += v * b[k]
		na += v * v
	}
	for _, v := range b {
		nb += v * v
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// fixture is what writeFixture wrote, for the tests to check the report against.
type fixture struct {
	dir     string
	docs    []fixtureDocument
	scores  []output.Score
	matches []output.Match
	phrases []output.Phrase
	errors  []output.Error
	runs    []output.Run
	texts   map[string]string
}

// writeFixture analyses testdata/corpus and writes the tables into a temporary folder.
func writeFixture(t *testing.T) *fixture {
	t.Helper()
	files, err := filepath.Glob("testdata/corpus/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("testdata/corpus: %v (%d files)", err, len(files))
	}
	sort.Strings(files)
	fx := &fixture{dir: t.TempDir(), texts: map[string]string{}}
	refText, err := os.ReadFile("testdata/corpus/000_c467fab3ab5cde65.txt")
	if err != nil {
		t.Fatal(err)
	}
	refWords := wordCounts(string(refText))

	for _, path := range files {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text := string(raw)
		id := filepath.Base(path)
		fx.texts[id] = text
		lower := strings.ToLower(text)
		sents := sentencesOf(text)
		nTokens := int64(len(tokenRE.FindAllString(text, -1)))
		doc := fixtureDocument{DocumentRow: output.DocumentRow{
			DocID: id, Source: path, Format: "text", Encoding: "utf-8",
			NTokens: nTokens, NSentences: int64(len(sents)),
			Similarity:  cosine(wordCounts(text), refWords),
			IsReference: strings.HasPrefix(id, "000_"),
			Countries:   actorsIn(text),
		}}
		if m := fileRE.FindStringSubmatch(id); m != nil {
			country := m[1]
			session, _ := strconv.ParseInt(m[2], 10, 64)
			year, _ := strconv.ParseInt(m[3], 10, 64)
			doc.Country, doc.Session, doc.Year = &country, &session, &year
		}
		touched := 0
		for _, dim := range fixtureDimensions {
			sc := output.Score{DocID: id, Dimension: dim.id, Group: dim.group}
			withHit := map[int]bool{}
			for si, s := range sents {
				ls := lower[s.start:s.end]
				for _, cue := range dim.cues {
					for from := 0; ; {
						i := strings.Index(ls[from:], cue)
						if i < 0 {
							break
						}
						start := s.start + from + i
						end := start + len(cue)
						before := lower[max(s.start, start-12):start]
						negated := strings.Contains(before, "not ") || strings.Contains(before, "no ")
						fx.matches = append(fx.matches, output.Match{
							DocID: id, Dimension: dim.id, Cue: cue, SentenceIndex: int64(si),
							CharStart: int64(start), CharEnd: int64(end), Text: text[start:end],
							Sentence: s.text, Negated: negated, Actors: actorsIn(s.text),
						})
						sc.Hits++
						if negated {
							sc.NegatedHits++
						}
						withHit[si] = true
						from += i + len(cue)
					}
				}
			}
			sc.Sentences = int64(len(withHit))
			sc.Per1kTokens = float64(sc.Hits) / float64(nTokens) * 1000
			if sc.Hits > 0 {
				touched++
			}
			fx.scores = append(fx.scores, sc)
		}
		doc.Alignment = float64(touched) / float64(len(fixtureDimensions))
		fx.docs = append(fx.docs, doc)
		for si, s := range sents {
			for _, loc := range phraseRE.FindAllStringSubmatchIndex(s.text, -1) {
				phrase := s.text[loc[0]:loc[1]]
				fx.phrases = append(fx.phrases, output.Phrase{
					DocID: id, SentenceIndex: int64(si),
					CharStart: int64(s.start + loc[0]), CharEnd: int64(s.start + loc[1]),
					Text: phrase, Normalized: strings.ToLower(phrase),
					Head: strings.ToLower(s.text[loc[2]:loc[3]]), Actors: actorsIn(s.text),
				})
			}
		}
	}
	fx.errors = []output.Error{
		{Source: "corpus/broken_1.pdf", DocID: "broken_1.pdf", Stage: "read", Error: "read corpus/broken_1.pdf: pdf: no text layer"},
		{Source: "corpus/broken_2.pdf", DocID: "broken_2.pdf", Stage: "read", Error: "read corpus/broken_2.pdf: pdf: no text layer"},
		{Source: "corpus/latin1.txt", DocID: "latin1.txt", Stage: "decode", Error: "decode latin1.txt: invalid UTF-8 at byte 12"},
	}
	fx.runs = []output.Run{
		{RunID: "r1", StartedAt: 1_700_000_000_000_000, FinishedAt: 1_700_000_060_000_000, Added: int64(len(fx.docs)), Failed: 3},
		{RunID: "r2", StartedAt: 1_700_100_000_000_000, FinishedAt: 1_700_100_005_000_000, Unchanged: int64(len(fx.docs) - 1), Changed: 1, Failed: 3},
	}
	// documents.parquet through framealign's own writer, as a run writes it.
	docRows := make([]output.DocumentRow, len(fx.docs))
	for i, d := range fx.docs {
		docRows[i] = d.row()
	}
	if _, err := output.WriteDocuments(fx.dir, "fixture", docRows); err != nil {
		t.Fatal(err)
	}
	if err := output.Commit(fx.dir, "fixture", []string{output.DocumentsTable}); err != nil {
		t.Fatal(err)
	}
	writeRows(t, filepath.Join(fx.dir, output.ScoresTable), fx.scores)
	writeRows(t, filepath.Join(fx.dir, output.MatchesTable), fx.matches)
	writeRows(t, filepath.Join(fx.dir, output.PhrasesTable), fx.phrases)
	writeRows(t, filepath.Join(fx.dir, output.EntitiesTable), []output.Entity{})
	writeRows(t, filepath.Join(fx.dir, output.ErrorsTable), fx.errors)
	writeRows(t, filepath.Join(fx.dir, output.RunsTable), fx.runs)
	return fx
}

func writeRows[T any](t *testing.T, path string, rows []T) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[T](f, parquet.Compression(&parquet.Zstd))
	if _, err := w.Write(rows); err != nil {
		t.Fatalf("write %s: %v", path, err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("close %s: %v", path, err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func (fx *fixture) doc(id string) fixtureDocument {
	for _, d := range fx.docs {
		if d.DocID == id {
			return d
		}
	}
	panic("no fixture document " + id)
}
