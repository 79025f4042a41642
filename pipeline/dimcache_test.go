package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/output"

	bolt "go.etcd.io/bbolt"
)

// editedFramework is the default with "identity" added to mutual_respect's cues, a
// label reworded and two dimensions swapped: only mutual_respect's matches can differ.
func editedFramework(t *testing.T) *framework.Framework {
	t.Helper()
	fw := framework.Default()
	found := false
	for i := range fw.Dimensions {
		if fw.Dimensions[i].ID == "mutual_respect" {
			fw.Dimensions[i].Cues = append(fw.Dimensions[i].Cues, "identity")
			found = true
		}
	}
	if !found || len(fw.Dimensions) < 3 {
		t.Fatal("the default framework has no mutual_respect dimension")
	}
	fw.Dimensions[0].Label += " (reworded)"
	fw.Dimensions[1], fw.Dimensions[2] = fw.Dimensions[2], fw.Dimensions[1]
	return fw
}

func TestARerunAfterAFrameworkEditMatchesAgainOnlyTheEditedDimension(t *testing.T) {
	root := copyCorpus(t)
	out := filepath.Join(t.TempDir(), "out")
	cfg := testConfig(t, []string{root}, out)
	first := mustRun(t, cfg)
	n := len(cfg.Framework.Dimensions)
	if first.DimensionsReused != 0 || first.DimensionsMatched != n*(first.Added+1) { // the speeches and the reference
		t.Fatalf("first run: %d pairs matched, %d reused; want %d matched", first.DimensionsMatched, first.DimensionsReused, n*(first.Added+1))
	}

	cfg.Framework = editedFramework(t)
	sum := mustRun(t, cfg)
	docs := sum.Changed + 1
	if sum.Changed != 4 || sum.DimensionsMatched != docs || sum.DimensionsReused != docs*(n-1) {
		t.Errorf("rerun: %d changed, %d pairs matched, %d reused; want 4 changed, %d matched (mutual_respect in each document), %d reused",
			sum.Changed, sum.DimensionsMatched, sum.DimensionsReused, docs, docs*(n-1))
	}
	assertSameAsFullRun(t, cfg, out, "after the edit", nil)
	identity := 0
	for _, m := range readTable[output.Match](t, out, output.MatchesTable) {
		if m.Cue == "identity" {
			identity++
			if m.Dimension != "mutual_respect" {
				t.Errorf("the new cue counted for %s", m.Dimension)
			}
		}
	}
	if identity == 0 {
		t.Error("the new cue found nothing: the rerun did not match the edited dimension")
	}

	// Back to the default: the entries now hold the edited mutual_respect, the rest
	// is as the default has it.
	cfg.Framework = framework.Default()
	back := mustRun(t, cfg)
	if back.DimensionsMatched != docs || back.DimensionsReused != docs*(n-1) {
		t.Errorf("back to the default: %d pairs matched, %d reused; want %d and %d", back.DimensionsMatched, back.DimensionsReused, docs, docs*(n-1))
	}
	assertSameAsFullRun(t, cfg, out, "back to the default", nil)
}

func TestStoredMatchesThatDoNotDecodeAreFoundAgain(t *testing.T) {
	root := copyCorpus(t)
	out := filepath.Join(t.TempDir(), "out")
	cfg := testConfig(t, []string{root}, out)
	mustRun(t, cfg)

	// Garble every stored entry: cut short, bytes flipped, emptied, or a valid start
	// with a match far beyond the text.
	db, err := bolt.Open(filepath.Join(out, ".framealign", "annotations.db"), 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	garbled := 0
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(matchesBucket)
		var keys, vals [][]byte
		if err := b.ForEach(func(k, v []byte) error {
			keys, vals = append(keys, append([]byte(nil), k...)), append(vals, append([]byte(nil), v...))
			return nil
		}); err != nil {
			return err
		}
		for i, k := range keys {
			v := vals[i]
			switch i % 4 {
			case 0:
				v = v[:len(v)/2]
			case 1:
				for j := range v {
					v[j] ^= 0x5A
				}
			case 2:
				v = nil
			case 3:
				// one dimension (the framework's first) with one match of cue 0 in
				// sentence 0, starting a million bytes in
				key := dimensionKeys(cfg.Framework, cfg.Version)[0]
				v = append(append([]byte{1}, key[:]...), 1, 0, 0, 0xC0, 0x84, 0x3D, 5, 0) // start 1,000,000 (a varint)
			}
			if err := b.Put(k, v); err != nil {
				return err
			}
			garbled++
		}
		return nil
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	if garbled < 5 {
		t.Fatalf("%d stored entries, want one per document and the reference", garbled)
	}

	cfg.Framework = editedFramework(t)
	sum := mustRun(t, cfg)
	n := len(cfg.Framework.Dimensions)
	if sum.DimensionsReused != 0 || sum.DimensionsMatched != n*(sum.Changed+1) {
		t.Errorf("rerun over garbled entries: %d pairs matched, %d reused; want every pair matched (%d)", sum.DimensionsMatched, sum.DimensionsReused, n*(sum.Changed+1))
	}
	assertSameAsFullRun(t, cfg, out, "over garbled entries", nil)
}

// A rerun after a framework edit re-scores from the entities table, which must keep
// what the state setting reads: "Americans" (a population) and "across America" (a
// domestic phrase) give the pandemic no international setting, in the rerun as in a
// full analysis, also in the later
// pieces of a long document (whose stored offsets are the document's).
func TestARerunReadsAPopulationAsAFullRunDoes(t *testing.T) {
	for _, piece := range []int{chunkBytes, 70} {
		t.Run(fmt.Sprintf("pieces of %d bytes", piece), func(t *testing.T) {
			defer func(n int) { chunkBytes = n }(chunkBytes)
			chunkBytes = piece
			rerunReadsAPopulation(t)
		})
	}
}

func rerunReadsAPopulation(t *testing.T) {
	rerunAfterACueEdit(t, "remarks.txt",
		"Japan and Canada fought the pandemic together.\n\n"+
			"Three thousand Americans were dying every day from the pandemic.\n\n"+
			"Across America, the pandemic is in retreat.\n",
		"global_challenges", "heatwave", []string{"0:pandemic"}) // only the pandemic Japan and Canada fought
}

// A framework rerun re-scores from the entities table: a {city} cue must find the cities
// there as a full run finds them in the text.
func TestARerunReadsACityAsAFullRunDoes(t *testing.T) {
	rerunAfterACueEdit(t, "readout.txt",
		"The Prime Minister's visit to Tokyo was a success.\n\n"+
			"Next week the President will travel to Pittsburgh to talk about steel.\n",
		"communication", "frank exchange of notes", []string{"0:visit to Tokyo"})
}

// rerunAfterACueEdit runs a corpus of one document, name holding text, then adds cue to
// dimension dim and runs again, which re-scores the document from the store. Both runs
// must find dim's matches want ("sentence:text"), and the rerun's tables be a full run's.
func rerunAfterACueEdit(t *testing.T, name, text, dim, cue string, want []string) {
	t.Helper()
	root := filepath.Join(t.TempDir(), "corpus")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	cfg := testConfig(t, []string{root}, out)
	check := func(step string) {
		t.Helper()
		var found []string
		for _, m := range readTable[output.Match](t, out, output.MatchesTable) {
			if m.DocID == name && m.Dimension == dim {
				found = append(found, fmt.Sprintf("%d:%s", m.SentenceIndex, text[m.CharStart:m.CharEnd]))
			}
		}
		if !reflect.DeepEqual(found, want) {
			t.Errorf("%s: %s %q, want %q", step, dim, found, want)
		}
	}
	mustRun(t, cfg)
	check("first run")

	fw := framework.Default()
	for i := range fw.Dimensions {
		if fw.Dimensions[i].ID == dim {
			fw.Dimensions[i].Cues = append(fw.Dimensions[i].Cues, cue)
		}
	}
	cfg.Framework = fw
	if sum := mustRun(t, cfg); sum.Changed != 1 || sum.AnnotatorCalls != 0 {
		t.Errorf("rerun after the edit: %+v, want the document re-scored from the store", sum)
	}
	check("rerun")
	assertSameAsFullRun(t, cfg, out, "after the edit", nil)
}
