package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/framework"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/internal/testannotate"
	"github.com/framealign/framealign/internal/testfiles"
	"github.com/framealign/framealign/output"
)

// copyCorpus copies the test corpus (four UN General Debate speeches and one
// AppleDouble file) into a fresh folder a test may change.
func copyCorpus(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "corpus")
	testfiles.CopyDir(t, filepath.Join("..", "testdata", "corpus"), dst)
	return dst
}

func testConfig(t *testing.T, roots []string, out string) Config {
	t.Helper()
	name, text := framework.DefaultReference()
	mp, err := corpus.ParseMetaPattern("{country}_{session}_{year}.txt")
	if err != nil {
		t.Fatal(err)
	}
	return Config{
		Roots: roots, Out: out, Workers: 2, Framework: framework.Default(),
		ReferenceName: name, ReferenceText: text, MetaPattern: mp,
		ReadOptions: corpus.Options{TextField: "text", IDField: "id", MaxBytes: corpus.DefaultMaxBytes},
		Version:     "test", Annotator: testannotate.Engine(),
	}
}

func mustRun(t *testing.T, cfg Config) *Summary {
	t.Helper()
	sum, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return sum
}

type docRow struct {
	DocID         string   `parquet:"doc_id"`
	ContentSHA256 string   `parquet:"content_sha256"`
	NTokens       int64    `parquet:"n_tokens"`
	Alignment     float64  `parquet:"alignment"`
	Similarity    float64  `parquet:"similarity"`
	IsReference   bool     `parquet:"is_reference"`
	Countries     []string `parquet:"countries,list"`
	Country       *string  `parquet:"country,optional"`
	Year          *int64   `parquet:"year,optional"`
}

func readTable[T any](t *testing.T, out, name string) []T {
	t.Helper()
	rows, err := output.ReadRows[T](filepath.Join(out, name))
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return rows
}

func docText(t *testing.T, root, docID string) string {
	t.Helper()
	if strings.HasPrefix(docID, "reference/") {
		_, text := framework.DefaultReference()
		return text
	}
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(docID)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRunWritesEveryTableForASmallCorpus(t *testing.T) {
	root := copyCorpus(t)
	out := filepath.Join(t.TempDir(), "out")
	sum := mustRun(t, testConfig(t, []string{root}, out))

	if sum.Added != 4 || sum.Failed != 0 || sum.Skipped != 1 {
		t.Errorf("added %d failed %d skipped %d, want 4, 0, 1 (the AppleDouble file)", sum.Added, sum.Failed, sum.Skipped)
	}
	for _, name := range []string{"documents", "scores", "matches", "phrases", "entities", "errors", "runs"} {
		if _, err := os.Stat(filepath.Join(out, name+".parquet")); err != nil {
			t.Errorf("%s.parquet missing: %v", name, err)
		}
	}
	docs := readTable[docRow](t, out, output.DocumentsTable)
	if len(docs) != 5 {
		t.Fatalf("documents rows = %d, want 4 speeches and the reference", len(docs))
	}
	if !docs[0].IsReference || docs[0].Similarity < 0.999 {
		t.Errorf("first row should be the reference with similarity 1: %+v", docs[0])
	}
	var jor *docRow
	for i := range docs {
		if docs[i].DocID == "Session 75 - 2020/JOR_75_2020.txt" {
			jor = &docs[i]
		}
	}
	if jor == nil {
		t.Fatalf("no row for Session 75 - 2020/JOR_75_2020.txt in %v", docs)
	}
	if jor.Country == nil || *jor.Country != "JOR" || jor.Year == nil || *jor.Year != 2020 {
		t.Errorf("meta pattern columns: country=%v year=%v", jor.Country, jor.Year)
	}
	if jor.NTokens < 500 || jor.Similarity <= 0 || jor.Similarity >= 1 {
		t.Errorf("JOR n_tokens=%d similarity=%f", jor.NTokens, jor.Similarity)
	}

	scores := readTable[output.Score](t, out, output.ScoresTable)
	perDoc := map[string]int{}
	for _, s := range scores {
		perDoc[s.DocID]++
	}
	for _, d := range docs {
		if perDoc[d.DocID] != 14 {
			t.Errorf("%s has %d scores rows, want 14", d.DocID, perDoc[d.DocID])
		}
	}

	matches := readTable[output.Match](t, out, output.MatchesTable)
	if len(matches) == 0 {
		t.Fatal("no matches at all")
	}
	texts := map[string]string{}
	for _, d := range docs {
		texts[d.DocID] = docText(t, root, d.DocID)
	}
	for _, m := range matches {
		text := texts[m.DocID]
		if got := text[m.CharStart:m.CharEnd]; got != m.Text {
			t.Errorf("match %s [%d:%d] slices %q, row says %q", m.DocID, m.CharStart, m.CharEnd, got, m.Text)
		}
		if !strings.Contains(m.Sentence, m.Text) {
			t.Errorf("match text %q not inside its sentence %q", m.Text, m.Sentence)
		}
	}
	ents := readTable[output.Entity](t, out, output.EntitiesTable)
	if len(ents) == 0 {
		t.Fatal("no entities at all")
	}
	for _, e := range ents {
		if got := texts[e.DocID][e.CharStart:e.CharEnd]; got != e.Text {
			t.Errorf("entity %s [%d:%d] slices %q, row says %q", e.DocID, e.CharStart, e.CharEnd, got, e.Text)
		}
	}
	runs := readTable[output.Run](t, out, output.RunsTable)
	if len(runs) != 1 || runs[0].Added != 4 || runs[0].Skipped != 1 || runs[0].FrameworkSHA256 == "" {
		t.Errorf("runs = %+v", runs)
	}
}

func TestRunGivesIdenticalRowsWithOneOrTwoWorkers(t *testing.T) {
	root := copyCorpus(t)
	out1, out2 := filepath.Join(t.TempDir(), "w1"), filepath.Join(t.TempDir(), "w2")
	cfg := testConfig(t, []string{root}, out1)
	cfg.Workers = 1
	mustRun(t, cfg)
	cfg = testConfig(t, []string{root}, out2)
	cfg.Workers = 2
	mustRun(t, cfg)
	same := func(name string, a, b any) {
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s differs between --workers 1 and --workers 2:\n%+v\n%+v", name, a, b)
		}
	}
	same("documents", readTable[output.DocumentRow](t, out1, output.DocumentsTable), readTable[output.DocumentRow](t, out2, output.DocumentsTable))
	same("scores", readTable[output.Score](t, out1, output.ScoresTable), readTable[output.Score](t, out2, output.ScoresTable))
	same("matches", readTable[output.Match](t, out1, output.MatchesTable), readTable[output.Match](t, out2, output.MatchesTable))
	same("phrases", readTable[output.Phrase](t, out1, output.PhrasesTable), readTable[output.Phrase](t, out2, output.PhrasesTable))
	same("entities", readTable[output.Entity](t, out1, output.EntitiesTable), readTable[output.Entity](t, out2, output.EntitiesTable))
}

func TestRunAccountsForEveryFile(t *testing.T) {
	root := copyCorpus(t)
	os.WriteFile(filepath.Join(root, "empty.txt"), nil, 0o644)
	os.WriteFile(filepath.Join(root, "binary.txt"), []byte("\x00\x01\x02\x03PK\x03\x04\x00\x00\xff\xfe\x00"), 0o644)
	os.WriteFile(filepath.Join(root, "._empty.txt"), []byte("\x00\x05\x16\x07Mac OS X"), 0o644)
	os.WriteFile(filepath.Join(root, ".hidden.txt"), []byte("hidden text"), 0o644)
	os.WriteFile(filepath.Join(root, "minutes.pptx"), []byte("PK\x03\x04"), 0o644)
	out := filepath.Join(t.TempDir(), "out")
	sum := mustRun(t, testConfig(t, []string{root}, out))

	if sum.Skipped != 3 {
		t.Errorf("skipped = %d, want 3 (two AppleDouble files and a hidden file)", sum.Skipped)
	}
	errs := readTable[output.Error](t, out, output.ErrorsTable)
	reasons := map[string]string{}
	for _, e := range errs {
		reasons[e.Source] = e.Stage + ": " + e.Error
	}
	if len(errs) != 3 || !strings.Contains(reasons["empty.txt"], "empty") || !strings.Contains(reasons["binary.txt"], "binary") ||
		!strings.Contains(reasons["minutes.pptx"], "unsupported format .pptx") {
		t.Errorf("errors = %v, want rows for the empty, the binary and the .pptx file", reasons)
	}
	if sum.Failed != 3 {
		t.Errorf("failed = %d, want 3", sum.Failed)
	}
	docs := readTable[docRow](t, out, output.DocumentsTable)
	if len(docs)-1+len(errs)+sum.Skipped != 4+3+3 {
		t.Errorf("documents %d + errors %d + skipped %d do not account for the 10 files", len(docs)-1, len(errs), sum.Skipped)
	}
}

// panicky wraps an annotator and panics on texts holding a marker, as a bug in an
// engine would.
type panicky struct {
	annotate.Annotator
	marker string // "" never panics
	calls  atomic.Int64
}

func (p *panicky) Annotate(ctx context.Context, text string) (*annotate.Annotation, error) {
	p.calls.Add(1)
	if p.marker != "" && strings.Contains(text, p.marker) {
		panic("index out of range")
	}
	return p.Annotator.Annotate(ctx, text)
}

func TestRunTurnsAPanickingDocumentIntoAnErrorRow(t *testing.T) {
	root := copyCorpus(t)
	out := filepath.Join(t.TempDir(), "out")
	cfg := testConfig(t, []string{root}, out)
	cfg.Annotator = &panicky{Annotator: testannotate.Engine(), marker: "Rwanda"}
	sum := mustRun(t, cfg)
	errs := readTable[output.Error](t, out, output.ErrorsTable)
	if sum.Failed != 1 || len(errs) != 1 || errs[0].Stage != StageAnnotate || !strings.Contains(errs[0].Error, "crashed") {
		t.Fatalf("failed=%d errors=%+v, want one annotate error for the Rwandan speech", sum.Failed, errs)
	}
	if !strings.Contains(errs[0].DocID, "RWA_69_2014") {
		t.Errorf("error row names %q", errs[0].DocID)
	}
	if strings.Contains(errs[0].Error, "\n") || strings.Contains(errs[0].Error, "goroutine") {
		t.Errorf("the reason is not one line: %q", errs[0].Error)
	}
	if docs := readTable[docRow](t, out, output.DocumentsTable); len(docs) != 4 {
		t.Errorf("documents = %d, want the other 3 speeches and the reference", len(docs))
	}
}

// assertSameAsFullRun checks that the tables in out, written by incremental runs,
// hold the rows a clean full run with cfg writes, and that every table names the
// last run in its footer.
// The full run uses engine (prose when nil).
func assertSameAsFullRun(t *testing.T, cfg Config, out, step string, engine annotate.Annotator) {
	t.Helper()
	full := filepath.Join(t.TempDir(), "full")
	if engine == nil {
		engine = testannotate.Engine()
	}
	cfg.Out, cfg.Full, cfg.Annotator = full, true, engine
	mustRun(t, cfg)
	same := func(name string, a, b any) {
		t.Helper()
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: %s differs from a full run's", step, name)
		}
	}
	same("documents", readTable[output.DocumentRow](t, out, output.DocumentsTable), readTable[output.DocumentRow](t, full, output.DocumentsTable))
	same("scores", readTable[output.Score](t, out, output.ScoresTable), readTable[output.Score](t, full, output.ScoresTable))
	same("matches", readTable[output.Match](t, out, output.MatchesTable), readTable[output.Match](t, full, output.MatchesTable))
	same("phrases", readTable[output.Phrase](t, out, output.PhrasesTable), readTable[output.Phrase](t, full, output.PhrasesTable))
	same("entities", readTable[output.Entity](t, out, output.EntitiesTable), readTable[output.Entity](t, full, output.EntitiesTable))
	runs := readTable[output.Run](t, out, output.RunsTable)
	last := runs[len(runs)-1].RunID
	for _, name := range []string{output.DocumentsTable, output.ScoresTable, output.MatchesTable, output.PhrasesTable,
		output.EntitiesTable, output.ErrorsTable, output.RunsTable} {
		if id, err := output.TableRunID(filepath.Join(out, name)); err != nil || id != last {
			t.Errorf("%s: %s names run %q (%v), the last run is %q", step, name, id, err, last)
		}
	}
}

func TestRerunAnalysesOnlyWhatChanged(t *testing.T) {
	root := copyCorpus(t)
	out := filepath.Join(t.TempDir(), "out")
	counter := &panicky{Annotator: testannotate.Engine()}
	cfg := testConfig(t, []string{root}, out)
	cfg.Annotator = counter
	if first := mustRun(t, cfg); first.Added != 4 {
		t.Fatalf("first run: %+v", first)
	}

	// Nothing changed: nothing is analysed, and the evidence tables stand as they are.
	if again := mustRun(t, cfg); again.Unchanged != 4 || again.Added+again.Changed+again.Removed != 0 || again.AnnotatorCalls != 0 {
		t.Errorf("rerun with nothing new: %+v", again)
	}
	assertSameAsFullRun(t, cfg, out, "nothing new", nil)

	// One file gone, the rest unchanged: nothing is analysed again.
	os.Remove(filepath.Join(root, "Session 69 - 2014", "RWA_69_2014.txt"))
	second := mustRun(t, cfg)
	if second.Unchanged != 3 || second.Removed != 1 || second.Added != 0 || second.AnnotatorCalls != 0 {
		t.Errorf("second run: %+v", second)
	}
	assertSameAsFullRun(t, cfg, out, "first file removed", nil)

	// One new file, one changed file.
	mng := filepath.Join(root, "Session 75 - 2020", "MNG_75_2020.txt")
	b, _ := os.ReadFile(mng)
	os.WriteFile(mng, append(b, []byte("\nWe reject the Cold War mentality and zero-sum games.\n")...), 0o644)
	svn, _ := os.ReadFile(filepath.Join(root, "Session 69 - 2014", "SVN_69_2014.txt"))
	os.WriteFile(filepath.Join(root, "Session 69 - 2014", "SVN_copy_69_2014.txt"), svn, 0o644)
	calls := counter.calls.Load()
	third := mustRun(t, cfg)
	if third.Added != 1 || third.Changed != 1 || third.Unchanged != 2 {
		t.Errorf("third run: %+v", third)
	}
	// The copy has the same content as a cached text: only the changed file meets the annotator.
	if got := counter.calls.Load() - calls; got != 1 {
		t.Errorf("annotator called %d times, want 1 (the changed file)", got)
	}
	runs := readTable[output.Run](t, out, output.RunsTable)
	if len(runs) != 4 || runs[3].Changed != 1 || runs[2].Removed != 1 {
		t.Errorf("runs = %+v", runs)
	}
	assertSameAsFullRun(t, cfg, out, "one file new, one changed", nil)

	// The last file gone: the previous rows of all the others are kept.
	os.Remove(mng)
	if fourth := mustRun(t, cfg); fourth.Removed != 1 || fourth.Unchanged != 3 {
		t.Errorf("fourth run: %+v", fourth)
	}
	assertSameAsFullRun(t, cfg, out, "last file removed", nil)
}

// liveFramealign starts a process whose program is called framealign (a copy of
// sleep) and returns its PID; it is killed when the test ends.
func liveFramealign(t *testing.T) int {
	t.Helper()
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep program")
	}
	b, err := os.ReadFile(sleep)
	if err != nil {
		t.Fatal(err)
	}
	prog := filepath.Join(t.TempDir(), "framealign")
	if err := os.WriteFile(prog, b, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(prog, "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd.Process.Pid
}

func TestRunRefusesAFolderLockedByALiveRun(t *testing.T) {
	out := t.TempDir()
	state := filepath.Join(out, ".framealign")
	os.MkdirAll(state, 0o755)
	lockPath := filepath.Join(state, "lock")
	pid := liveFramealign(t)
	abs, _ := filepath.Abs(out)
	// A lock written by that process (its start time as the kernel counts it) holds.
	os.WriteFile(lockPath, []byte(fmt.Sprintf("%d\n2026-01-01T00:00:00Z\n%s\n%s\n", pid, procStartTicks(pid), abs)), 0o644)
	_, err := Run(context.Background(), testConfig(t, []string{copyCorpus(t)}, out))
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), fmt.Sprintf("PID %d", pid)) || !strings.Contains(err.Error(), lockPath) {
		t.Fatalf("err = %v, want a message naming PID %d and the lock file", err, pid)
	}
	// So does a lock of an older framealign (PID and time only) naming a framealign process.
	os.WriteFile(lockPath, []byte(fmt.Sprintf("%d\n2026-01-01T00:00:00Z\n", pid)), 0o644)
	if _, err := Run(context.Background(), testConfig(t, []string{copyCorpus(t)}, out)); !errors.Is(err, ErrLocked) {
		t.Fatalf("old-format lock of a live framealign: %v", err)
	}
	// Taken over: a dead PID; a live PID that is not framealign (PID 1); the PID of a
	// framealign started after the lock was written; a lock that names another folder.
	for _, stale := range []string{
		"999999999\n",
		"1\n2026-01-01T00:00:00Z\n",
		fmt.Sprintf("%d\n2026-01-01T00:00:00Z\n1\n%s\n", pid, abs),
		fmt.Sprintf("%d\n2026-01-01T00:00:00Z\n%s\n/elsewhere/out\n", pid, procStartTicks(pid)),
	} {
		os.WriteFile(lockPath, []byte(stale), 0o644)
		if _, err := Run(context.Background(), testConfig(t, []string{copyCorpus(t)}, out)); err != nil {
			t.Fatalf("stale lock %q not taken over: %v", stale, err)
		}
	}
}

func TestAnotherReferenceReplacesTheArticle(t *testing.T) {
	root := copyCorpus(t)
	out := filepath.Join(t.TempDir(), "out")
	cfg := testConfig(t, []string{root}, out)
	jor, err := os.ReadFile(filepath.Join(root, "Session 75 - 2020", "JOR_75_2020.txt"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.ReferenceName, cfg.ReferenceText = "JOR_75_2020.txt", string(jor)
	mustRun(t, cfg)
	docs := readTable[docRow](t, out, output.DocumentsTable)
	refs := map[string]float64{}
	for _, d := range docs {
		if d.IsReference {
			refs[d.DocID] = d.Similarity
		} else if d.Similarity > 0.9 {
			t.Errorf("%s: similarity %.3f to another speech", d.DocID, d.Similarity)
		}
	}
	// The reference's own row, and the corpus file with the same text, both marked.
	if len(refs) != 2 || refs["reference/JOR_75_2020.txt"] < 0.999 || refs["Session 75 - 2020/JOR_75_2020.txt"] < 0.999 {
		t.Errorf("reference rows = %v", refs)
	}
}

func TestRerunAfterAFrameworkChangeEqualsAFullRun(t *testing.T) {
	root := copyCorpus(t)
	out := filepath.Join(t.TempDir(), "out")
	counter := &panicky{Annotator: testannotate.Engine()}
	cfg := testConfig(t, []string{root}, out)
	cfg.Annotator = counter
	mustRun(t, cfg)
	calls := counter.calls.Load()

	// A user adds a cue: "identity" becomes mutual-respect language.
	fw := framework.Default()
	for i := range fw.Dimensions {
		if fw.Dimensions[i].ID == "mutual_respect" {
			fw.Dimensions[i].Cues = append(fw.Dimensions[i].Cues, "identity")
		}
	}
	cfg.Framework = fw
	sum := mustRun(t, cfg)
	if sum.Changed != 4 || sum.Unchanged != 0 || counter.calls.Load() != calls {
		t.Errorf("rerun: %+v, annotator called %d more times; want 4 changed, no annotation", sum, counter.calls.Load()-calls)
	}
	full := filepath.Join(t.TempDir(), "full")
	cfgFull := testConfig(t, []string{root}, full)
	cfgFull.Framework = fw
	mustRun(t, cfgFull)
	same := func(name string, a, b any) {
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s after a framework change differs from a full run's", name)
		}
	}
	same("documents", readTable[output.DocumentRow](t, out, output.DocumentsTable), readTable[output.DocumentRow](t, full, output.DocumentsTable))
	same("matches", readTable[output.Match](t, out, output.MatchesTable), readTable[output.Match](t, full, output.MatchesTable))
	same("entities", readTable[output.Entity](t, out, output.EntitiesTable), readTable[output.Entity](t, full, output.EntitiesTable))
	same("phrases", readTable[output.Phrase](t, out, output.PhrasesTable), readTable[output.Phrase](t, full, output.PhrasesTable))
	added := 0
	for _, m := range readTable[output.Match](t, out, output.MatchesTable) {
		if m.Cue == "identity" {
			added++
		}
	}
	if added == 0 {
		t.Error("the new cue found nothing: the rerun did not use the new framework")
	}
}
