package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeGold writes gold sentences (JSON lines) to a temporary file.
func writeGold(t *testing.T, name string, lines ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestEvalSeveralGoldFilesPrintsARowPerFileAndThePooledFigure(t *testing.T) {
	un := writeGold(t, "un.jsonl",
		`{"id":"u1","doc":"KEN_66_2011.txt","text":"Climate change threatens small island States.","labels":["global_challenges"]}`,
		`{"id":"u2","doc":"KEN_67_2012.txt","text":"We support the peace process in Colombia.","labels":["crisis_management"]}`)
	wh := writeGold(t, "wh.jsonl",
		`{"id":"w1","doc":"a.md","text":"The pandemic hurt families across the country.","labels":[]}`,
		`{"id":"w2","doc":"b.md","text":"The United States and Kenya will fight the pandemic together with the WHO.","labels":["global_challenges","institutions"]}`)
	out, err := runFrameworkApp(t, "eval", "--gold", un, "--gold", wh, "--halves")
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(out), " ")
	assertHolds(t, flat, out,
		// un: 2 TP; wh: the domestic pandemic is vetoed, 2 TP
		"un.jsonl 2 1.000 1.000 1.000 2 0 0 tune half 1 1.000 1.000 1.000 1 0 0 check half 1 1.000 1.000 1.000 1 0 0",
		"wh.jsonl 2 1.000 1.000 1.000 2 0 0 tune half 1 1.000 1.000 1.000 2 0 0 check half 1 0.000 0.000 0.000 0 0 0",
		"pooled 4 1.000 1.000 1.000 4 0 0",
		"global_challenges 1.000 1.000 1.000 2 0 0",
	)
	one, err := runFrameworkApp(t, "eval", "--gold", un, "--half", "check")
	if err != nil || !strings.Contains(one, "(1 sentences, check half)") || !strings.Contains(strings.Join(strings.Fields(one), " "), "crisis_management 1.000 1.000 1.000 1 0 0") {
		t.Errorf("--half check: %v\n%s", err, one)
	}
}

// --corpus reads each gold sentence inside its document, as run reads it: a sentence
// of a hard-wrapped Markdown statement (front matter off) is found through the wrap and
// scored there; one whose document is not under the folder is read alone, counted, and
// marked so in --explain.
func TestEvalCorpusReadsGoldSentencesInTheirDocuments(t *testing.T) {
	doc := "statements-releases/2021-03/2021-03-02-readout-of-vice-president-kamala-harris-call-with-prime-minister-scott-morrison-of-australia.md"
	gold := writeGold(t, "wh.jsonl",
		`{"id":"w1","doc":"`+doc+`","text":"The Vice President and Prime Minister discussed opportunities for further cooperation on global and regional challenges, including those posed by climate change, China, Burma, and other regional issues.","labels":["global_challenges"]}`,
		`{"id":"w2","doc":"statements-releases/2099-01/nowhere.md","text":"The weather in the capital was mild.","labels":["communication"]}`,
		`{"id":"w3","doc":"statements-releases/2099-02/empty.md","text":"Leaders held talks in the capital.","labels":["communication"]}`)
	// A document that is there but cannot be read: an empty file.
	other := t.TempDir()
	if err := os.MkdirAll(filepath.Join(other, "2099-02"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "2099-02", "empty.md"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runFrameworkApp(t, "eval", "--gold", gold, "--corpus", filepath.Join("..", "..", "testdata", "whitehouse"), "--corpus", other, "--explain", "--dimension", "global_challenges", "--dimension", "communication")
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(out), " ")
	assertHolds(t, flat, out,
		"1 of 3 sentences; read alone: 2 (document not found 1, sentence not found in its document 0, document not readable 1)",
		"gold document statements-releases/2099-02/empty.md cannot be read (",
		"(read alone: document not readable)",
		"global_challenges 1.000 1.000 1.000 1 0 0",
		"FN w2 The weather in the capital was mild. (read alone: document not found)",
	)
	if strings.Contains(flat, "FN w1") || strings.Contains(flat, "w1 The weather") {
		t.Errorf("w1 is in its document and carries global_challenges:\n%s", out)
	}
	plain, err := runFrameworkApp(t, "eval", "--gold", gold)
	if err != nil || !strings.Contains(plain, "each sentence read alone") {
		t.Errorf("without --corpus, eval says it reads sentences alone: %v\n%s", err, plain)
	}
}

func TestEvalExplainListsFalsePositivesWithTheirCueAndWhatVetoesRemoved(t *testing.T) {
	gold := writeGold(t, "g.jsonl",
		`{"id":"g1","text":"Trade between our nations has doubled.","labels":[]}`,
		`{"id":"g2","text":"The pandemic closed schools and hospitals across the country.","labels":["global_challenges"]}`,
		`{"id":"g3","text":"Students deserve broadband at home, and the internet must reach every county.","labels":[]}`)
	out, err := runFrameworkApp(t, "eval", "--gold", gold, "--explain", "--dimension", "exchanges", "--dimension", "global_challenges", "--dimension", "technology")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"== exchanges: P 0.000 R 0.000 F1 0.000 (TP 0, FP 1, FN 0)",
		"FP g1  Trade between our nations has doubled.",
		"fired: trade -\"construction trades\"",
		"[Trade]",
		"FN g2  The pandemic closed schools",
		"vetoed: pandemic|pandemics",
		"by @state|body|wording",
		"vetoed, rightly (1): g3 [internet] by @body|wording",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explain lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "== win_win") {
		t.Errorf("--dimension did not restrict the explanation")
	}
}

func TestConcordListsACuesMatchesInContextAndItsVetoes(t *testing.T) {
	dir := t.TempDir()
	docs := map[string]string{
		"a.txt": "The pandemic hurt families across the country. Our schools closed.",
		"b.txt": "Kenya and Ghana fought the pandemic together. Global cooperation matters.",
		"c.txt": "Nothing here names the disease.",
	}
	for name, text := range docs {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := runFrameworkApp(t, "concord", "--cue", "pandemic", "--requires", "international", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "1 matches in 1 of 3 documents") || !strings.Contains(out, "b.txt#0  Kenya and Ghana fought the [[pandemic]] together.") {
		t.Errorf("concord:\n%s", out)
	}
	out, err = runFrameworkApp(t, "concord", "--cue", "pandemic", "--requires", "international", "--vetoed", dir)
	if err != nil || !strings.Contains(out, "a.txt#0  The [[pandemic]] hurt families across the country.") || !strings.Contains(out, "vetoed by @state|body|wording") {
		t.Errorf("concord --vetoed: %v\n%s", err, out)
	}
	out, err = runFrameworkApp(t, "concord", "--dimension", "global_challenges", "--sample", "1", "--seed", "3", dir)
	if err != nil || !strings.Contains(out, "1 matches in 1 of 3 documents") {
		t.Errorf("concord --dimension: %v\n%s", err, out)
	}
	// The gold's documents (by base name, whatever folder the gold names) are left out.
	gold := writeGold(t, "g.jsonl", `{"id":"g1","doc":"corpus/b.txt","text":"Kenya and Ghana fought the pandemic together.","labels":["global_challenges"]}`)
	out, err = runFrameworkApp(t, "concord", "--cue", "pandemic", "--skip-gold", gold, dir)
	if err != nil || !strings.Contains(out, "1 matches in 1 of 2 documents") || strings.Contains(out, "b.txt") {
		t.Errorf("concord --skip-gold: %v\n%s", err, out)
	}
}

func TestFrameworkCheckWarnsAboutCuesThatCanNeverMatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fw.yaml")
	src := "name: x\ndimensions:\n  - id: a\n    group: framing\n    label: A\n    cues:\n      - respect each other|one another\n      - won't\n      - respect sovereignty\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runFrameworkApp(t, "framework", "check", path)
	if err != nil {
		t.Fatalf("warnings must not fail the check: %v", err)
	}
	assertHolds(t, out, out, path+":7: warning: cue \"respect each other|one another\"", path+":8: warning: cue \"won't\" can never match", "ok, 2 warning(s)")
}

func TestConcordMissedListsTheSentencesTheFrameworkDoesNotCount(t *testing.T) {
	dir := t.TempDir()
	docs := map[string]string{
		// the first sentence is global_challenges (climate), the second names the
		// pandemic at home only, the third holds no dimension at all
		"a.txt": "Climate change threatens every island state. The pandemic closed our schools across the country. We thank the chef for the dinner.",
		"b.txt": "Kenya and Ghana fought the pandemic together.",
	}
	for name, text := range docs {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := runFrameworkApp(t, "concord", "--missed", "--sample", "0", dir)
	if err != nil {
		t.Fatal(err)
	}
	assertHolds(t, out, out,
		"2 sentences the framework does not count in 1 of 2 documents",
		"a.txt#1  The pandemic closed our schools across the country.",
		"a.txt#2  We thank the chef for the dinner.")
	if strings.Contains(out, "Climate change") || strings.Contains(out, "Kenya") {
		t.Errorf("concord --missed lists a sentence the framework counts:\n%s", out)
	}
	// With --cue, only the missed sentences where the cue is found, the cue marked; with
	// --dimension, what that dimension alone does not count.
	out, err = runFrameworkApp(t, "concord", "--missed", "--dimension", "global_challenges", "--cue", "pandemic|schools", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "2 matches in sentences global_challenges does not count in 1 of 2 documents") ||
		!strings.Contains(out, "a.txt#1  The [[pandemic]] closed our schools") || !strings.Contains(out, "a.txt#1  The pandemic closed our [[schools]]") ||
		strings.Contains(out, "b.txt") {
		t.Errorf("concord --missed --dimension --cue:\n%s", out)
	}
	if _, err := runFrameworkApp(t, "concord", "--missed", "--vetoed", dir); err == nil {
		t.Errorf("--missed with --vetoed was accepted")
	}
}

// eval (its sentences read alone or, with --corpus, in their documents) and concord
// read a document's home as run --home does: from a metadata field filled by
// --meta-pattern (for a sentence read alone, from its doc field), or one country for
// all. Kenya's own name then sets no sentence of Kenya's speech between states;
// Ghana's speech naming Kenya stays international.
func TestEvalAndConcordReadTheHomeAsRunDoes(t *testing.T) {
	dir := t.TempDir()
	docs := map[string]string{
		"KEN_66_2011.txt": "Kenya fought the pandemic with all its strength.",
		"GHA_66_2011.txt": "Kenya fought the pandemic with all its strength.",
	}
	for name, text := range docs {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gold := writeGold(t, "un.jsonl",
		`{"id":"k1","doc":"KEN_66_2011.txt","text":"Kenya fought the pandemic with all its strength.","labels":[]}`,
		`{"id":"g1","doc":"GHA_66_2011.txt","text":"Kenya fought the pandemic with all its strength.","labels":["global_challenges"]}`)
	for _, c := range []struct {
		args []string
		want string // global_challenges: P R F1 TP FP FN
	}{
		{nil, "global_challenges 0.500 1.000 0.667 1 1 0"},
		{[]string{"--home", "{country}", "--meta-pattern", "{country}_{session}_{year}.txt"}, "global_challenges 1.000 1.000 1.000 1 0 0"},
		{[]string{"--home", "Kenya"}, "global_challenges 0.000 0.000 0.000 0 0 1"},
	} {
		for _, where := range [][]string{{"--corpus", dir}, nil} {
			args := append(append([]string{"eval", "--gold", gold}, where...), c.args...)
			out, err := runFrameworkApp(t, args...)
			if err != nil {
				t.Fatalf("%v: %v", args, err)
			}
			if flat := strings.Join(strings.Fields(out), " "); !strings.Contains(flat, c.want) {
				t.Errorf("%v: want %q in\n%s", args, c.want, out)
			}
		}
	}
	out, err := runFrameworkApp(t, "concord", "--dimension", "global_challenges", "--home", "{country}", "--meta-pattern", "{country}_{session}_{year}.txt", dir)
	if err != nil || !strings.Contains(out, "1 matches in 1 of 2 documents") || !strings.Contains(out, "GHA_66_2011.txt#0") {
		t.Errorf("concord --home {country}: %v\n%s", err, out)
	}
	runOut := filepath.Join(t.TempDir(), "out")
	if _, err := runFrameworkApp(t, "run", "-q", "--out", runOut, dir); err != nil {
		t.Fatal(err)
	}
	if _, err := runFrameworkApp(t, "concord", "--dimension", "global_challenges", "--home", "Kenya", runOut); err == nil || !strings.Contains(err.Error(), "need a corpus") {
		t.Errorf("concord --home on an output folder: %v, want an error", err)
	}
	if _, err := runFrameworkApp(t, "concord", "--dimension", "global_challenges", "--home", "Atlantis", dir); err == nil || !strings.Contains(err.Error(), "names no state") {
		t.Errorf("concord --home Atlantis: %v, want an error", err)
	}
}
