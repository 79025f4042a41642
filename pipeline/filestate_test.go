package pipeline

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/output"
)

// A rerun with nothing new opens no file; the tables are a full run's. A file whose
// stamp moved but whose content did not is read again and stays unchanged; a changed
// file is analysed; errors of unchanged files are given again without reading them.
func TestAQuietRerunReadsNoFile(t *testing.T) {
	defer func(w time.Duration) { racyWindow = w }(racyWindow)
	racyWindow = 0 // the corpus was copied a moment ago
	root := copyCorpus(t)
	os.WriteFile(filepath.Join(root, "records.jsonl"), []byte(`{"id": "r1", "text": "Win-win cooperation."}`+"\n"+
		`{"id": "r1", "text": "A duplicate."}`+"\n"+"not json\n"+`{"id": "r2", "text": "Dialogue."}`+"\n"), 0o644)
	os.WriteFile(filepath.Join(root, "empty.txt"), nil, 0o644)
	out := filepath.Join(t.TempDir(), "out")
	cfg := testConfig(t, []string{root}, out)
	opens := 0
	defer corpus.SetOpenHook(func(string) { opens++ })()
	first := mustRun(t, cfg)
	if first.FilesRead != 6 || first.FilesUnchanged != 0 || opens != 5 { // empty.txt is refused by its size
		t.Fatalf("first run: %+v, %d opens", first, opens)
	}
	opens = 0
	again := mustRun(t, cfg)
	if again.FilesRead != 0 || again.FilesUnchanged != 6 || opens != 0 || again.Unchanged != 6 || again.Failed != 3 {
		t.Errorf("rerun with nothing new: %+v, %d files opened", again, opens)
	}
	errs := readTable[output.Error](t, out, output.ErrorsTable)
	assertSameAsFullRun(t, cfg, out, "nothing new, no file read", nil)
	fullCfg := cfg
	fullCfg.Out, fullCfg.Full = filepath.Join(t.TempDir(), "full"), true
	mustRun(t, fullCfg)
	full := readTable[output.Error](t, fullCfg.Out, output.ErrorsTable)
	if len(errs) != 3 || !reflect.DeepEqual(errs, full) {
		t.Errorf("errors %+v, a full run's %+v", errs, full)
	}

	// A touch moves the stamp, not the content: read, and unchanged.
	jor := filepath.Join(root, "Session 75 - 2020", "JOR_75_2020.txt")
	later := time.Now().Add(time.Minute)
	os.Chtimes(jor, later, later)
	opens = 0
	touched := mustRun(t, cfg)
	if touched.FilesRead != 1 || touched.FilesUnchanged != 5 || touched.Unchanged != 6 || opens != 1 {
		t.Errorf("after a touch: %+v, %d opens", touched, opens)
	}
	// A new content of the same size, and a record file that changed.
	b, _ := os.ReadFile(jor)
	b[len(b)-2] ^= 0x20 // a letter's case
	os.WriteFile(jor, b, 0o644)
	os.Chtimes(jor, later, later) // even with the same modification time: the change time moved
	changed := mustRun(t, cfg)
	if changed.FilesRead != 1 || changed.Changed != 1 || changed.Unchanged != 5 {
		t.Errorf("after a change: %+v", changed)
	}
	assertSameAsFullRun(t, cfg, out, "one file changed in place", nil)

	// Another file-name pattern gives other metadata: every file is read again.
	cfg.MetaPattern = nil
	if other := mustRun(t, cfg); other.FilesRead != 6 {
		t.Errorf("another pattern: %+v", other)
	}
}

// TestCorpusQuietRerunReadsNoFile runs the UN General Debate sample twice, in place
// (the shared folder is read-only, and its files old enough to be trusted by their
// stamps): the second run opens none of the 1,551 files and leaves a full run's tables.
// Set FRAMEALIGN_CORPUS_TESTS=1 to run it (.ci/run does).
func TestCorpusQuietRerunReadsNoFile(t *testing.T) {
	root := ungdcCorpus(t)
	out := filepath.Join(t.TempDir(), "out")
	cfg := testConfig(t, []string{root}, out)
	cfg.Annotator = corpusTestAnnotator()
	if sum := mustRun(t, cfg); sum.FilesRead != 1551 {
		t.Fatalf("first run: %+v", sum)
	}
	opens := 0
	defer corpus.SetOpenHook(func(string) { opens++ })()
	sum := mustRun(t, cfg)
	if opens != 0 || sum.FilesRead != 0 || sum.FilesUnchanged != 1551 || sum.Unchanged != 1551 {
		t.Errorf("quiet rerun: %d files opened, %+v", opens, sum)
	}
	t.Logf("quiet rerun of 1,551 speeches: %d files opened, %s", opens, sum.Elapsed)
	assertSameAsFullRun(t, cfg, out, "quiet rerun", cfg.Annotator)
}
