package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// TestKnownGroupsOnTheCorpus runs the whole UN General Debate sample and checks what an
// analyst knows beforehand: China's General Debate speeches use this framework's
// language (win-win, mutual respect, major-country relations) and the United States'
// rarely do. Set FRAMEALIGN_CORPUS_TESTS=1 to run it (a few minutes; .ci/run does).
func TestKnownGroupsOnTheCorpus(t *testing.T) {
	corpusDir := ungdcCorpus(t)
	out := os.Getenv("FRAMEALIGN_CORPUS_OUT") // reuse a folder (and its cache) if given
	if out == "" {
		out = filepath.Join(t.TempDir(), "out")
	}
	cfg := testConfig(t, []string{corpusDir}, out)
	cfg.Annotator = corpusTestAnnotator()
	// The groups hold as run by default, and told each speech's delegation (run
	// --home {country}: a delegation's own name then sets no sentence between states),
	// which re-scores the same output.
	for _, home := range []string{"", "{country}"} {
		cfg.Home = home
		sum, err := Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Failed != 0 || sum.Documents != 1552 {
			t.Errorf("--home %q: documents %d (want 1,551 speeches and the reference), failed %d", home, sum.Documents, sum.Failed)
		}
		knownGroups(t, out, "--home "+home)
	}
}

// knownGroups checks the known groups in out's documents table: every speech below the
// reference, China above the United States in alignment and similarity, and among the
// three most similar, in every session.
func knownGroups(t *testing.T, out, step string) {
	t.Helper()
	docs := readTable[docRow](t, out, "documents.parquet")
	type speech struct {
		country    string
		alignment  float64
		similarity float64
	}
	bySession := map[int64][]speech{}
	var ref docRow
	for _, d := range docs {
		if d.IsReference {
			ref = d
			continue
		}
		if d.Year == nil || d.Country == nil {
			t.Fatalf("%s: %s has no year or country", step, d.DocID)
		}
		bySession[*d.Year] = append(bySession[*d.Year], speech{*d.Country, d.Alignment, d.Similarity})
	}
	if len(bySession) != 8 {
		t.Fatalf("%s: %d sessions, want 8", step, len(bySession))
	}
	years := make([]int64, 0, len(bySession))
	for y := range bySession {
		years = append(years, y)
	}
	sort.Slice(years, func(i, j int) bool { return years[i] < years[j] })
	for _, y := range years {
		speeches := bySession[y]
		var chn, usa *speech
		for i := range speeches {
			switch speeches[i].country {
			case "CHN":
				chn = &speeches[i]
			case "USA":
				usa = &speeches[i]
			}
			if speeches[i].alignment >= ref.Alignment {
				t.Errorf("%s, %d: %s's alignment %.3f is not below the reference's %.3f", step, y, speeches[i].country, speeches[i].alignment, ref.Alignment)
			}
		}
		if chn == nil || usa == nil {
			t.Fatalf("%s, %d: China or the United States missing", step, y)
		}
		if chn.alignment <= usa.alignment || chn.similarity <= usa.similarity {
			t.Errorf("%s, %d: China alignment %.3f similarity %.3f, United States %.3f %.3f", step, y, chn.alignment, chn.similarity, usa.alignment, usa.similarity)
		}
		rank := 1
		for _, s := range speeches {
			if s.similarity > chn.similarity {
				rank++
			}
		}
		if rank > 3 {
			t.Errorf("%s, %d: China's speech ranks %d by similarity, want among the three most similar", step, y, rank)
		}
		t.Logf("%s, %d: CHN alignment %.3f similarity %.3f (rank %d of %d); USA %.3f %.3f", step, y, chn.alignment, chn.similarity, rank, len(speeches), usa.alignment, usa.similarity)
	}
}
