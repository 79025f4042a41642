package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/framealign/framealign/internal/testfiles"
	"github.com/framealign/framealign/output"

	"github.com/xuri/excelize/v2"
)

// These tests run the real framealign binary as a separate process, the way cron or a
// user runs it, and kill it.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "framealign-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "framealign")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func copyDir(t *testing.T, src, dst string) { testfiles.CopyDir(t, src, dst) }

func framealign(args ...string) *exec.Cmd {
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "GOMAXPROCS=2")
	return cmd
}

var tableNames = []string{output.DocumentsTable, output.ScoresTable, output.MatchesTable, output.PhrasesTable,
	output.EntitiesTable, output.ErrorsTable, output.RunsTable}

// snapshot reads the analysis tables of out, after checking they all come from one run.
func snapshot(t *testing.T, out string) (runID string, tables map[string]any) {
	t.Helper()
	tables = map[string]any{}
	for _, name := range tableNames {
		id, err := output.TableRunID(filepath.Join(out, name))
		if err != nil {
			t.Fatalf("%s unreadable: %v", name, err)
		}
		if runID == "" {
			runID = id
		} else if id != runID {
			t.Fatalf("%s is from run %s, documents.parquet from %s: tables of two runs mixed", name, id, runID)
		}
	}
	read := func(name string, rows any, err error) {
		if err != nil {
			t.Fatalf("read %s: %v", name, err)
		}
		tables[name] = rows
	}
	type doc struct {
		DocID         string  `parquet:"doc_id"`
		ContentSHA256 string  `parquet:"content_sha256"`
		NTokens       int64   `parquet:"n_tokens"`
		Alignment     float64 `parquet:"alignment"`
		Similarity    float64 `parquet:"similarity"`
	}
	d, err := output.ReadRows[doc](filepath.Join(out, output.DocumentsTable))
	read("documents", d, err)
	s, err := output.ReadRows[output.Score](filepath.Join(out, output.ScoresTable))
	read("scores", s, err)
	m, err := output.ReadRows[output.Match](filepath.Join(out, output.MatchesTable))
	read("matches", m, err)
	p, err := output.ReadRows[output.Phrase](filepath.Join(out, output.PhrasesTable))
	read("phrases", p, err)
	e, err := output.ReadRows[output.Entity](filepath.Join(out, output.EntitiesTable))
	read("entities", e, err)
	return runID, tables
}

// TestRunKilledAtAnyPointLeavesConsistentTablesAndTheNextRunFinishes kills nightly
// reruns with SIGKILL at points spread over their length (found by timing the same
// rerun uninterrupted), each from the same starting folder: when new speeches arrive,
// and when the framework changes (tables re-scored; entities.parquet restamped). After
// each kill the folder must hold one run's complete tables, the previous or the new;
// the next run must finish the work and leave what a clean full run leaves.
func TestRunKilledAtAnyPointLeavesConsistentTablesAndTheNextRunFinishes(t *testing.T) {
	if testing.Short() {
		t.Skip("kills real processes; takes about half a minute")
	}
	corpusDir := filepath.Join(t.TempDir(), "corpus")
	copyDir(t, filepath.Join("..", "..", "testdata", "corpus"), corpusDir)
	base := filepath.Join(t.TempDir(), "base")
	if b, err := framealign("run", corpusDir, "--out", base, "--quiet").CombinedOutput(); err != nil {
		t.Fatalf("first run: %v\n%s", err, b)
	}
	firstID, first := snapshot(t, base)

	show, err := framealign("framework", "show").Output()
	if err != nil {
		t.Fatal(err)
	}
	fwPath := filepath.Join(t.TempDir(), "framework.yaml")
	changed := strings.Replace(string(show), "cues:", "cues:\n      - \"identity\"", 1)
	if err := os.WriteFile(fwPath, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, sc := range []struct {
		name   string
		arrive bool     // new speeches arrive
		args   []string // extra arguments of the rerun
	}{
		{"new speeches", true, nil},
		{"framework change", false, []string{"--framework", fwPath}},
	} {
		corpus := filepath.Join(t.TempDir(), "corpus")
		copyDir(t, corpusDir, corpus)
		if sc.arrive {
			copyDir(t, filepath.Join("..", "..", "examples", "corpus"), filepath.Join(corpus, "new"))
		}
		rerun := func(out string) *exec.Cmd {
			return framealign(append([]string{"run", corpus, "--out", out, "--quiet", "--workers", "2"}, sc.args...)...)
		}
		clean := filepath.Join(t.TempDir(), "clean")
		if b, err := framealign(append([]string{"run", corpus, "--out", clean, "--quiet"}, sc.args...)...).CombinedOutput(); err != nil {
			t.Fatalf("%s: clean run: %v\n%s", sc.name, err, b)
		}
		_, want := snapshot(t, clean)
		timing := filepath.Join(t.TempDir(), "timing")
		copyDir(t, base, timing)
		started := time.Now()
		if b, err := rerun(timing).CombinedOutput(); err != nil {
			t.Fatalf("%s: rerun: %v\n%s", sc.name, err, b)
		}
		length := time.Since(started)

		for _, frac := range []float64{0.1, 0.3, 0.5, 0.7, 0.9} {
			after := time.Duration(frac * float64(length))
			out := filepath.Join(t.TempDir(), "out")
			copyDir(t, base, out)
			cmd := rerun(out)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(after)
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()
			id, tables := snapshot(t, out)
			switch {
			case id == firstID && !reflect.DeepEqual(tables, first):
				t.Fatalf("%s, killed after %s: tables changed but still claim run %s", sc.name, after, id)
			case id != firstID && !reflect.DeepEqual(tables, want):
				t.Fatalf("%s, killed after %s: run %s committed tables that differ from a clean run's", sc.name, after, id)
			}
			t.Logf("%s, killed after %s of %s: tables of the %s run", sc.name, after, length, map[bool]string{true: "previous", false: "new"}[id == firstID])
			if b, err := rerun(out).CombinedOutput(); err != nil {
				t.Fatalf("%s: run after the kill: %v\n%s", sc.name, err, b)
			}
			if _, finished := snapshot(t, out); !reflect.DeepEqual(finished, want) {
				t.Errorf("%s, killed after %s: the next run's tables differ from a clean run's", sc.name, after)
			}
			entries, err := os.ReadDir(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if strings.Contains(e.Name(), ".tmp-") || e.Name() == ".commit.json" {
					t.Errorf("%s: left behind after the run that followed the kill: %s", sc.name, e.Name())
				}
			}
		}
	}
}

func TestRunInterruptedExits130AndKeepsThePreviousTables(t *testing.T) {
	corpusDir := filepath.Join(t.TempDir(), "corpus")
	copyDir(t, filepath.Join("..", "..", "testdata", "corpus"), corpusDir)
	out := filepath.Join(t.TempDir(), "out")
	if b, err := framealign("run", corpusDir, "--out", out, "--quiet").CombinedOutput(); err != nil {
		t.Fatalf("first run: %v\n%s", err, b)
	}
	firstID, _ := snapshot(t, out)
	copyDir(t, filepath.Join("..", "..", "examples", "corpus"), filepath.Join(corpusDir, "new"))
	// prose itself, so that the run lasts long enough to be interrupted.
	cmd := framealign("run", corpusDir, "--out", out, "--quiet", "--full", "--engine", "prose")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForLock(t, out)
	time.Sleep(200 * time.Millisecond)
	// That the interrupt reaches inside the document being annotated, rather than
	// waiting for it, is shown without a clock by the engines' and the pipeline's
	// cancellation tests (TestRunStopsInsideALongDocumentWhenInterrupted).
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit = %v, want 130", err)
	}
	if id, _ := snapshot(t, out); id != firstID {
		t.Errorf("tables are from run %s, want the previous run %s", id, firstID)
	}
}

func TestSecondRunOnTheSameFolderStopsAndNamesTheFirst(t *testing.T) {
	corpusDir := filepath.Join(t.TempDir(), "corpus")
	copyDir(t, filepath.Join("..", "..", "examples", "corpus"), corpusDir)
	out := filepath.Join(t.TempDir(), "out")
	first := framealign("run", corpusDir, "--out", out, "--quiet", "--workers", "1", "--engine", "prose")
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	defer first.Wait()
	waitForLock(t, out)
	b, err := framealign("run", corpusDir, "--out", out, "--quiet").CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 4 {
		t.Fatalf("second run: exit %v, want 4\n%s", err, b)
	}
	if pid := first.Process.Pid; !strings.Contains(string(b), "PID "+itoa(pid)) {
		t.Errorf("message %q does not name PID %d", b, pid)
	}
	first.Process.Signal(os.Interrupt)
}

// waitForLock waits until a run has taken the output folder's lock.
func waitForLock(t *testing.T, out string) {
	t.Helper()
	for i := 0; i < 500; i++ {
		if _, err := os.Stat(filepath.Join(out, ".framealign", "lock")); err == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the run never took the lock")
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestStrictRunExits3WhenADocumentFails(t *testing.T) {
	corpusDir := filepath.Join(t.TempDir(), "corpus")
	copyDir(t, filepath.Join("..", "..", "testdata", "corpus"), corpusDir)
	os.WriteFile(filepath.Join(corpusDir, "empty.txt"), nil, 0o644)
	out := filepath.Join(t.TempDir(), "out")
	b, err := framealign("run", corpusDir, "--out", out).CombinedOutput()
	if err != nil {
		t.Fatalf("without --strict a failed document must not fail the run: %v\n%s", err, b)
	}
	if !strings.Contains(string(b), "failed 1") {
		t.Errorf("summary does not report the failure:\n%s", b)
	}
	b, err = framealign("run", corpusDir, "--out", out, "--strict", "--quiet").CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Fatalf("--strict: exit %v, want 3\n%s", err, b)
	}
	if !strings.Contains(string(b), "1 documents failed") {
		t.Errorf("--strict message: %s", b)
	}
}

func TestProgressIsAPlainLineWhenStderrIsNotATerminal(t *testing.T) {
	corpusDir := filepath.Join(t.TempDir(), "corpus")
	copyDir(t, filepath.Join("..", "..", "testdata", "corpus"), corpusDir)
	cmd := framealign("run", corpusDir, "--out", filepath.Join(t.TempDir(), "out"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stderr.String(), "\r") {
		t.Errorf("a carriage-return bar was drawn on a pipe: %q", stderr.String())
	}
	if !strings.Contains(stderr.String(), "4/4 files") {
		t.Errorf("no final progress line on stderr: %q", stderr.String())
	}
	for _, want := range []string{"5 documents", "added 4", "skipped 1 files", "tokens/s", "documents.parquet"} {
		if !strings.Contains(string(stdout), want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
}

// TestScheduledRunTakesItsSettingsFromTheEnvironment runs framealign as a scheduler
// would: every setting from the environment (FRAMEALIGN_OUT, FRAMEALIGN_SHEET, ...),
// the counts written by --summary-json for a monitoring script; and checks that
// --help names the variables.
func TestScheduledRunTakesItsSettingsFromTheEnvironment(t *testing.T) {
	corpusDir := filepath.Join(t.TempDir(), "corpus")
	copyDir(t, filepath.Join("..", "..", "testdata", "corpus"), corpusDir)
	book := excelize.NewFile()
	book.SetSheetRow("Sheet1", "A1", &[]any{"id", "body"})
	book.SetSheetRow("Sheet1", "A2", &[]any{"wrong", "The first sheet is not the one asked for."})
	book.NewSheet("Answers")
	book.SetSheetRow("Answers", "A1", &[]any{"id", "body", "date"})
	book.SetSheetRow("Answers", "A2", &[]any{"a1", "China stands for dialogue and win-win cooperation.", "2023-11-15"})
	if err := book.SaveAs(filepath.Join(corpusDir, "presscon.xlsx")); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	summary := filepath.Join(t.TempDir(), "summary.json")
	cmd := framealign("run", corpusDir)
	cmd.Env = append(cmd.Env, "FRAMEALIGN_OUT="+out, "FRAMEALIGN_SHEET=Answers", "FRAMEALIGN_TEXT_FIELD=body",
		"FRAMEALIGN_SUMMARY_JSON="+summary, "FRAMEALIGN_QUIET=true", "FRAMEALIGN_WORKERS=1")
	if b, err := cmd.CombinedOutput(); err != nil || len(b) != 0 {
		t.Fatalf("run: %v\n%s (want nothing printed with FRAMEALIGN_QUIET)", err, b)
	}
	b, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("summary: %v\n%s", err, b)
	}
	// The four .txt files have no "body" field to miss: they are text. The workbook
	// gives one document from the Answers sheet.
	for k, want := range map[string]any{"documents": 6.0, "added": 5.0, "failed": 0.0, "skipped": 1.0, "removed": 0.0, "out": out} {
		if s[k] != want {
			t.Errorf("summary %s = %v, want %v\n%s", k, s[k], want, b)
		}
	}
	for _, k := range []string{"run_id", "changed", "unchanged", "tokens", "seconds", "tables", "meta_columns"} {
		if _, ok := s[k]; !ok {
			t.Errorf("summary has no %s:\n%s", k, b)
		}
	}
	if tables, _ := s["tables"].([]any); len(tables) != 7 {
		t.Errorf("tables %v", s["tables"])
	}
	help, _ := framealign("run", "--help").CombinedOutput()
	for _, v := range []string{"$FRAMEALIGN_OUT", "$FRAMEALIGN_WORKERS", "$FRAMEALIGN_SHEET", "$FRAMEALIGN_SUMMARY_JSON", "$FRAMEALIGN_META_PATTERN"} {
		if !strings.Contains(string(help), v) {
			t.Errorf("run --help does not name %s", v)
		}
	}
}
