package cues

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/internal/testfiles"
)

// silverSet is one silver set of docs/silver: its files, how many lines each holds,
// how its check ids start, and where its documents are.
type silverSet struct {
	tune, check, second string
	nTune, nCheck       int
	checkPrefix         string
	minLabelled         int
	gold                string   // the shared gold file whose documents it must not touch
	corpus              []string // the shared corpus folder, under the shared data
	ext                 string   // its documents' extension
}

// The White House remarks set: 839 tune and 400 check sentences (docs/silver/README.md).
const (
	silverWHTune        = 839
	silverWHCheck       = 400
	silverWHMinLabelled = 250
)

var silverSets = []silverSet{
	{tune: "silver.tune.jsonl", check: "silver.check.jsonl", second: "silver.check.second-reader.jsonl",
		nTune: 480, nCheck: 160, checkPrefix: "x0", minLabelled: 300,
		gold: "dimensions.dev.jsonl", corpus: []string{"corpora", "ungdc"}, ext: ".txt"},
	{tune: "silver.wh.tune.jsonl", check: "silver.wh.check.jsonl", second: "silver.wh.check.second-reader.jsonl",
		nTune: silverWHTune, nCheck: silverWHCheck, checkPrefix: "wc", minLabelled: silverWHMinLabelled,
		gold: "dimensions.wh.dev.jsonl", corpus: []string{"corpora", "whitehouse"}, ext: ".md"},
}

// The silver sets of docs/silver are what a user scores with `eval --gold`: every
// line must read as gold, carry only the default framework's dimension ids, keep the
// check set apart from the tune set, and (where the shared data is at hand) quote a
// sentence of a document (a UN speech, White House remarks) that holds no gold sentence.
func TestSilverSetsAreWellFormed(t *testing.T) {
	for _, set := range silverSets {
		t.Run(set.tune, func(t *testing.T) { testSilverSet(t, set) })
	}
}

func testSilverSet(t *testing.T, set silverSet) {
	dir := filepath.Join(testfiles.RepoRoot(), "docs", "silver")
	ids := map[string]bool{}
	for _, d := range framework.Default().Dimensions {
		ids[d.ID] = true
	}
	read := func(name string) []GoldSentence {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		sents, err := ReadGold(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return sents
	}
	tune := read(set.tune)
	check := read(set.check)
	second := read(set.second)
	if len(tune) != set.nTune || len(check) != set.nCheck || len(second) != set.nCheck {
		t.Fatalf("sizes: tune %d, check %d, second reader %d; want %d, %d, %d", len(tune), len(check), len(second), set.nTune, set.nCheck, set.nCheck)
	}

	seen := map[string]bool{}
	texts := map[string]string{} // sentence text -> the set that holds it
	for name, sents := range map[string][]GoldSentence{"tune": tune, "check": check} {
		for _, s := range sents {
			if seen[s.ID] {
				t.Errorf("%s: id %s twice", name, s.ID)
			}
			seen[s.ID] = true
			if isCheck := strings.HasPrefix(s.ID, set.checkPrefix); isCheck != (name == "check") {
				t.Errorf("%s: id %s is in the wrong set", name, s.ID)
			}
			if other, ok := texts[s.Text]; ok && other != name {
				t.Errorf("%s: sentence %s is in both sets: %.60q", name, s.ID, s.Text)
			}
			texts[s.Text] = name
		}
	}
	labelled := 0
	for _, sents := range [][]GoldSentence{tune, check, second} {
		for _, s := range sents {
			if strings.TrimSpace(s.Text) == "" || s.Doc == "" {
				t.Errorf("%s: empty text or doc", s.ID)
			}
			if len(s.Labels) > 0 {
				labelled++
			}
			for _, l := range s.Labels {
				if !ids[l] {
					t.Errorf("%s: label %q is no dimension of the default framework", s.ID, l)
				}
			}
		}
	}
	if labelled < set.minLabelled {
		t.Errorf("only %d of %d lines carry a label", labelled, len(tune)+2*len(check))
	}
	// The second reading is of the same sentences, in the same order.
	for i := range check {
		if check[i].ID != second[i].ID || check[i].Text != second[i].Text {
			t.Fatalf("line %d: check %s and second reader %s differ", i+1, check[i].ID, second[i].ID)
		}
	}

	// With the shared data: no silver document is a gold document, and each sentence
	// is in its document.
	golds, err := GoldDocuments(testfiles.Shared("gold", set.gold))
	if err != nil {
		t.Skipf("shared gold not available: %v", err)
	}
	corpus := testfiles.Shared(set.corpus...)
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("shared corpus not available: %v", err)
	}
	paths := map[string]string{} // base name -> path
	if err := filepath.WalkDir(corpus, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.HasSuffix(p, set.ext) {
			paths[filepath.Base(p)] = p
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	flat := map[string]string{} // base name -> text, read once per document
	for _, s := range append(tune, check...) {
		base := filepath.Base(s.Doc)
		if golds[base] {
			t.Errorf("%s: %s is a gold document", s.ID, s.Doc)
		}
		text, ok := flat[base]
		if !ok {
			p, found := paths[base]
			if !found {
				t.Errorf("%s: document %s not in the corpus", s.ID, s.Doc)
				continue
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			// The samplers joined a paragraph's lines with single spaces.
			text = strings.Join(strings.Fields(string(data)), " ")
			flat[base] = text
		}
		if !strings.Contains(text, s.Text) {
			t.Errorf("%s: sentence not found in %s: %.60q", s.ID, s.Doc, s.Text)
		}
	}
}
