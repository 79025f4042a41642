package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/internal/testfiles"
)

// TestCorpusRerunsEqualFullRuns plays a season of nightly reruns on the whole UN
// General Debate sample, with the fast engine, and checks after each that the tables
// hold exactly what a clean full run gives: ten speeches arrive; the framework gains a
// cue; nothing changes. Set FRAMEALIGN_CORPUS_TESTS=1 to run it (.ci/run does).
func TestCorpusRerunsEqualFullRuns(t *testing.T) {
	src := ungdcCorpus(t)
	root := filepath.Join(t.TempDir(), "corpus")
	testfiles.CopyDir(t, src, root)
	// Ten speeches, spread over the sessions, arrive after the first run.
	var speeches []string
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && strings.HasSuffix(p, ".txt") && !strings.HasPrefix(info.Name(), ".") {
			speeches = append(speeches, p)
		}
		return nil
	})
	if len(speeches) < 1000 {
		t.Fatalf("%d speeches copied", len(speeches))
	}
	held := filepath.Join(t.TempDir(), "held")
	late := map[string]string{}
	for i := 0; i < 10; i++ {
		p := speeches[i*len(speeches)/10+3]
		late[p] = filepath.Join(held, filepath.Base(p))
		testfiles.CopyFile(t, p, late[p])
		os.Remove(p)
	}

	engine := corpusTestAnnotator()
	out := filepath.Join(t.TempDir(), "out")
	cfg := testConfig(t, []string{root}, out)
	cfg.Annotator = engine
	if sum := mustRun(t, cfg); sum.Failed != 0 || sum.Added != len(speeches)-10 {
		t.Fatalf("first run: %+v", sum)
	}

	for dst, p := range late {
		testfiles.CopyFile(t, p, dst)
	}
	if sum := mustRun(t, cfg); sum.Added != 10 || sum.Unchanged != len(speeches)-10 || sum.AnnotatorCalls != 10 {
		t.Errorf("rerun after ten new speeches: %+v", sum)
	}
	assertSameAsFullRun(t, cfg, out, "ten new speeches", engine)

	fw := framework.Default()
	for i := range fw.Dimensions {
		switch fw.Dimensions[i].ID {
		case "mutual_respect":
			fw.Dimensions[i].Cues = append(fw.Dimensions[i].Cues, "identity")
		case "communication": // re-scored from the store, its {country} and {city} cues included
			fw.Dimensions[i].Cues = append(fw.Dimensions[i].Cues, "frank exchange of notes")
		}
	}
	cfg.Framework = fw
	if sum := mustRun(t, cfg); sum.Changed != len(speeches) || sum.AnnotatorCalls != 0 {
		t.Errorf("rerun after a framework change: %+v", sum)
	}
	assertSameAsFullRun(t, cfg, out, "framework changed", engine)

	if sum := mustRun(t, cfg); sum.Unchanged != len(speeches) || sum.AnnotatorCalls != 0 {
		t.Errorf("rerun with nothing new: %+v", sum)
	}
	assertSameAsFullRun(t, cfg, out, "nothing new", engine)
}
