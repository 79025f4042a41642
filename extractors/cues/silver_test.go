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

// The silver sets of docs/silver are what a user scores with `eval --gold`: every
// line must read as gold, carry only the default framework's dimension ids, keep the
// check set apart from the tune set, and (where the shared data is at hand) quote a
// sentence of a UN speech that holds no gold sentence.
func TestSilverSetsAreWellFormed(t *testing.T) {
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
	tune := read("silver.tune.jsonl")
	check := read("silver.check.jsonl")
	second := read("silver.check.second-reader.jsonl")
	if len(tune) != 480 || len(check) != 160 || len(second) != 160 {
		t.Fatalf("sizes: tune %d, check %d, second reader %d; want 480, 160, 160", len(tune), len(check), len(second))
	}

	seen := map[string]bool{}
	for name, set := range map[string][]GoldSentence{"tune": tune, "check": check} {
		for _, s := range set {
			if seen[s.ID] {
				t.Errorf("%s: id %s twice", name, s.ID)
			}
			seen[s.ID] = true
			if isCheck := strings.HasPrefix(s.ID, "x0"); isCheck != (name == "check") {
				t.Errorf("%s: id %s is in the wrong set", name, s.ID)
			}
		}
	}
	labelled := 0
	for _, set := range [][]GoldSentence{tune, check, second} {
		for _, s := range set {
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
	if labelled < 300 {
		t.Errorf("only %d of 800 lines carry a label", labelled)
	}
	// The second reading is of the same sentences, in the same order.
	for i := range check {
		if check[i].ID != second[i].ID || check[i].Text != second[i].Text {
			t.Fatalf("line %d: check %s and second reader %s differ", i+1, check[i].ID, second[i].ID)
		}
	}

	// With the shared data: no silver speech is a gold speech, and each sentence is
	// in its speech.
	golds, err := GoldDocuments(testfiles.Shared("gold", "dimensions.dev.jsonl"))
	if err != nil {
		t.Skipf("shared gold not available: %v", err)
	}
	corpus := testfiles.Shared("corpora", "ungdc")
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("shared UN corpus not available: %v", err)
	}
	paths := map[string]string{} // base name -> path
	if err := filepath.WalkDir(corpus, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.HasSuffix(p, ".txt") {
			paths[filepath.Base(p)] = p
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	flat := map[string]string{} // base name -> text, read once per speech
	for _, s := range append(tune, check...) {
		if golds[s.Doc] {
			t.Errorf("%s: %s is a gold speech", s.ID, s.Doc)
		}
		text, ok := flat[s.Doc]
		if !ok {
			p, found := paths[s.Doc]
			if !found {
				t.Errorf("%s: speech %s not in the corpus", s.ID, s.Doc)
				continue
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			// The sampler joined a paragraph's lines with single spaces.
			text = strings.Join(strings.Fields(string(data)), " ")
			flat[s.Doc] = text
		}
		if !strings.Contains(text, s.Text) {
			t.Errorf("%s: sentence not found in %s: %.60q", s.ID, s.Doc, s.Text)
		}
	}
}
