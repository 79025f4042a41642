package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/internal/hostile"
	"github.com/framealign/framealign/output"
)

// The hostile tests: one per row of issue #18's table, each feeding the real binary an
// input made by internal/hostile and checking the README's promise for it: the run
// neither crashes nor hangs nor exhausts memory, and every file found is in exactly
// one place (documents, errors with a reason that names it, or skipped). Memory and
// time are measured in the child process (rusage), with generous bounds. The heavy
// cases (tens of megabytes, a million records) run only with FRAMEALIGN_HEAVY_TESTS=1,
// as .ci/run does.

// result is how one framealign process ended.
type result struct {
	code           int
	stdout, stderr string
	maxRSS         int64         // peak resident memory, bytes
	cpu            time.Duration // user + system
	wall           time.Duration
}

// runFA runs framealign with args and returns how it ended; it fails the test only
// when the process cannot be started or is killed by timeout.
func runFA(t *testing.T, timeout time.Duration, args ...string) result {
	t.Helper()
	cmd := framealign(args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(timeout, func() { cmd.Process.Kill() })
	err := cmd.Wait()
	timer.Stop()
	r := result{stdout: stdout.String(), stderr: stderr.String(), wall: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatal(err)
	}
	if st, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && st.Signaled() {
		t.Fatalf("framealign %s: killed (%v) after %s; stderr:\n%s", strings.Join(args, " "), st.Signal(), r.wall, r.stderr)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss << 10
	}
	r.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "panic:") {
		t.Fatalf("framealign %s crashed:\n%s", strings.Join(args, " "), r.stderr)
	}
	return r
}

// mustSucceed runs framealign and fails the test unless it exits 0.
func mustSucceed(t *testing.T, timeout time.Duration, args ...string) result {
	t.Helper()
	r := runFA(t, timeout, args...)
	if r.code != 0 {
		t.Fatalf("framealign %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// docRow and errRow are the columns of documents and errors the tests look at.
type docRow struct {
	DocID       string `parquet:"doc_id"`
	Source      string `parquet:"source"`
	NTokens     int64  `parquet:"n_tokens"`
	IsReference bool   `parquet:"is_reference"`
	Title       string `parquet:"title"`
	Encoding    string `parquet:"encoding"`
}

func readDocs(t *testing.T, out string) []docRow {
	t.Helper()
	rows, err := output.ReadRows[docRow](filepath.Join(out, output.DocumentsTable))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func readErrors(t *testing.T, out string) []output.Error {
	t.Helper()
	rows, err := output.ReadRows[output.Error](filepath.Join(out, output.ErrorsTable))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func readRuns(t *testing.T, out string) []output.Run {
	t.Helper()
	rows, err := output.ReadRows[output.Run](filepath.Join(out, output.RunsTable))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// docIDs lists the documents' ids, the reference left out.
func docIDs(docs []docRow) []string {
	var ids []string
	for _, d := range docs {
		if !strings.HasPrefix(d.DocID, "reference/") {
			ids = append(ids, d.DocID)
		}
	}
	sort.Strings(ids)
	return ids
}

// baseCorpus is a copy of testdata/corpus (four speeches, one AppleDouble file).
func baseCorpus(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "corpus")
	copyDir(t, filepath.Join("..", "..", "testdata", "corpus"), dir)
	return dir
}

func heavy(t *testing.T) {
	t.Helper()
	if os.Getenv("FRAMEALIGN_HEAVY_TESTS") == "" {
		t.Skip("a heavy case: set FRAMEALIGN_HEAVY_TESTS=1 (.ci/run does)")
	}
}

const mb = 1 << 20

// Row: a damaged OUT/.framealign/annotations.db made every run panic. Now the file is
// set aside, the run's tables are a clean run's, and the next run has a sound cache.
func TestHostileDamagedCacheIsSetAsideAndRebuilt(t *testing.T) {
	corpus := baseCorpus(t)
	for _, how := range []string{hostile.Garbled, hostile.Truncated, hostile.NotBolt} {
		t.Run(how, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			mustSucceed(t, time.Minute, "run", corpus, "--out", out, "--quiet")
			want := readDocs(t, out)
			db := filepath.Join(out, ".framealign", "annotations.db")
			if err := hostile.DamageCache(db, how); err != nil {
				t.Fatal(err)
			}
			r := mustSucceed(t, time.Minute, "run", corpus, "--out", out, "--full")
			if !strings.Contains(r.stderr, "annotation cache") || !strings.Contains(r.stderr, "damaged") {
				t.Errorf("no warning about the damaged cache on stderr:\n%s", r.stderr)
			}
			if aside, _ := filepath.Glob(db + ".damaged-*"); len(aside) != 1 {
				t.Errorf("damaged file not set aside: %v", aside)
			}
			if got := readDocs(t, out); !reflect.DeepEqual(got, want) {
				t.Errorf("documents after the damaged cache differ from the first run's:\n%v\n%v", got, want)
			}
			// The new cache serves the next run: nothing is annotated again.
			r = mustSucceed(t, time.Minute, "run", corpus, "--out", out, "--full")
			if !strings.Contains(r.stdout, "annotated 0 documents") {
				t.Errorf("the rebuilt cache did not serve the next run:\n%s", r.stdout)
			}
		})
	}
}

// Row: a JSONL line of 100 MB between two records lost the record after it. Now the
// long line costs its own record, named by its line, and both neighbours are read.
func TestHostileJSONLLongLineCostsOnlyItsRecord(t *testing.T) {
	corpus := t.TempDir()
	if err := hostile.JSONLWithLongLine(filepath.Join(corpus, "speeches.jsonl"), 100*mb); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	r := mustSucceed(t, 2*time.Minute, "run", corpus, "--out", out, "--quiet")
	if got := docIDs(readDocs(t, out)); !reflect.DeepEqual(got, []string{"after", "before"}) {
		t.Errorf("documents %v, want before and after", got)
	}
	errs := readErrors(t, out)
	if len(errs) != 1 || errs[0].DocID != "speeches.jsonl#2" || errs[0].Error != "line 2: record is 100 MB, above --max-bytes 64 MB; record skipped" {
		t.Errorf("errors %+v, want one for line 2", errs)
	}
	if r.maxRSS > 600*mb {
		t.Errorf("peak RSS %d MB: the long line was held", r.maxRSS/mb)
	}
}

// Row: an unterminated quote in record 1 of 3 swallowed records 2 and 3 into record
// 1's text. Now record 1 is an error naming the line its quote opens on, and 2 and 3
// are read.
func TestHostileCSVUnterminatedQuoteCostsOnlyItsRecord(t *testing.T) {
	corpus := t.TempDir()
	if err := hostile.CSVUnterminatedQuote(filepath.Join(corpus, "speeches.csv")); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	mustSucceed(t, time.Minute, "run", corpus, "--out", out, "--quiet")
	if got := docIDs(readDocs(t, out)); !reflect.DeepEqual(got, []string{"three", "two"}) {
		t.Errorf("documents %v, want two and three", got)
	}
	errs := readErrors(t, out)
	if len(errs) != 1 || errs[0].DocID != "speeches.csv#1" || !strings.HasPrefix(errs[0].Error, "line 2: unterminated quote: the quoted field that opens on line 2") {
		t.Errorf("errors %+v, want one for record 1 at line 2", errs)
	}
}

// Row: a CSV field larger than --max-bytes was analysed anyway, where JSONL refused
// the same record. Now one rule holds for both: the record is refused, named by its
// line, and the records around it are read.
func TestHostileCSVRecordAboveMaxBytesIsRefusedAsInJSONL(t *testing.T) {
	corpus := t.TempDir()
	if err := hostile.CSVBigField(filepath.Join(corpus, "speeches.csv"), 3*mb); err != nil {
		t.Fatal(err)
	}
	if err := hostile.JSONLWithLongLine(filepath.Join(corpus, "speeches.jsonl"), 3*mb); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	mustSucceed(t, time.Minute, "run", corpus, "--out", out, "--quiet", "--max-bytes", "1MB")
	docs := readDocs(t, out)
	for _, d := range docs {
		if d.DocID == "big" || d.DocID == "long" {
			t.Errorf("%s analysed although above --max-bytes", d.DocID)
		}
	}
	if len(docs) != 5 {
		t.Errorf("%d documents, want the reference and four short records", len(docs))
	}
	errs := readErrors(t, out)
	want := map[string]string{"speeches.csv#2": "line 3: record is ", "speeches.jsonl#2": "line 2: record is "}
	for _, e := range errs {
		if p, ok := want[e.DocID]; !ok || !strings.HasPrefix(e.Error, p) || !strings.HasSuffix(e.Error, "above --max-bytes 1 MB; record skipped") {
			t.Errorf("unexpected error %+v", e)
		}
		delete(want, e.DocID)
	}
	if len(want) != 0 {
		t.Errorf("no error for %v", want)
	}
}

// Row: a record whose id is the reference's (reference/000_c467fab3ab5cde65.txt) gave
// two documents rows with one doc_id. Now the reference keeps its id and the record is
// an error row that says why.
func TestHostileRecordWithTheReferencesIDIsRefused(t *testing.T) {
	refName, _ := framework.DefaultReference()
	corpus := t.TempDir()
	if err := hostile.JSONLRecordWithID(filepath.Join(corpus, "r.jsonl"), "reference/"+refName); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	mustSucceed(t, time.Minute, "run", corpus, "--out", out, "--quiet")
	docs := readDocs(t, out)
	if len(docs) != 1 || !docs[0].IsReference {
		t.Errorf("documents %+v, want the reference alone", docs)
	}
	errs := readErrors(t, out)
	if len(errs) != 1 || errs[0].DocID != "reference/"+refName || !strings.Contains(errs[0].Error, "reference document's id") {
		t.Errorf("errors %+v", errs)
	}
}

// Row: `run 2015 2016`, each holding CHN.txt, said the doc_id "was already read from
// CHN.txt": which folders? Now the error names both files with their folders.
func TestHostileSameNameInTwoRootsNamesBothFolders(t *testing.T) {
	dir := t.TempDir()
	a, b, err := hostile.SameNameInTwoFolders(dir, "CHN.txt")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	mustSucceed(t, time.Minute, "run", a, b, "--out", out, "--quiet")
	if got := docIDs(readDocs(t, out)); !reflect.DeepEqual(got, []string{"CHN.txt"}) {
		t.Errorf("documents %v", got)
	}
	errs := readErrors(t, out)
	if len(errs) != 1 || !strings.Contains(errs[0].Error, filepath.Join(a, "CHN.txt")) || !strings.Contains(errs[0].Error, filepath.Join(b, "CHN.txt")) {
		t.Errorf("errors %+v, want one naming %s and %s", errs, filepath.Join(a, "CHN.txt"), filepath.Join(b, "CHN.txt"))
	}
}

// Row: three 1 KB PDFs whose xref chains loop cost 182 s (60 s each, the abandoned
// goroutine spinning on). Now each stops on its read budget; the three cost well
// under 15 s of CPU, and each is an error row that says why.
func TestHostileLoopingPDFsStopAndSayWhy(t *testing.T) {
	corpus := t.TempDir()
	for v := 0; v < 3; v++ {
		if err := os.WriteFile(filepath.Join(corpus, fmt.Sprintf("loop%d.pdf", v)), hostile.LoopingPDF(v), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "out")
	r := mustSucceed(t, 2*time.Minute, "run", corpus, "--out", out, "--quiet", "--workers", "2")
	errs := readErrors(t, out)
	if len(errs) != 3 {
		t.Fatalf("errors %+v, want one per PDF", errs)
	}
	for _, e := range errs {
		if !strings.Contains(e.Error, "refers back to itself") {
			t.Errorf("%s: %q", e.Source, e.Error)
		}
	}
	// CPU time, not wall time: the machine may be busy with other work.
	if r.cpu > 15*time.Second {
		t.Errorf("three looping PDFs cost %s of CPU", r.cpu)
	}
	t.Logf("three looping PDFs: %s CPU, %s wall", r.cpu, r.wall)
}

// Row: --reference took a PDF as raw bytes, an empty file with every similarity 0, a
// PNG and a Windows-1252 file to a crash in the entity code, and /dev/zero (and
// --framework /dev/zero) without bound. Now both are read as corpus files are: the
// PDF's text layer and the decoded Windows-1252 text are the reference; empty,
// binary and device files are an error (exit 1) before any work.
func TestHostileReferenceAndFrameworkAreReadLikeCorpusFiles(t *testing.T) {
	corpus := baseCorpus(t)
	dir := t.TempDir()
	cp1252, cp1252Text := hostile.Windows1252Text()
	files := map[string][]byte{
		"article.pdf":   hostile.TextPDF("Building a new model of major-country relations: mutual respect and win-win cooperation."),
		"empty.txt":     nil,
		"image.png":     hostile.PNG(),
		"image.txt":     hostile.PNG(),
		"western.txt":   cp1252,
		"spaces.txt":    []byte("  \n\t\n"),
		"records.jsonl": []byte("{\"text\": \"One.\"}\n{\"text\": \"Two.\"}\n"),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		ref, why string // why is "" when the reference is good
		tokens   int64
	}{
		{"article.pdf", "", 15},
		{"western.txt", "", int64(len(strings.Fields(cp1252Text))) + 4},
		{"empty.txt", "empty file", 0},
		{"spaces.txt", "only whitespace", 0},
		{"image.png", "unsupported format .png", 0},
		{"image.txt", "binary file", 0},
		{"records.jsonl", "more than one document", 0},
		{"/dev/zero", "not a regular file (a device)", 0},
	} {
		t.Run(filepath.Base(tc.ref), func(t *testing.T) {
			ref := tc.ref
			if !filepath.IsAbs(ref) {
				ref = filepath.Join(dir, ref)
			}
			out := filepath.Join(t.TempDir(), "out")
			r := runFA(t, time.Minute, "run", corpus, "--out", out, "--quiet", "--reference", ref)
			if tc.why != "" {
				if r.code != 1 || !strings.Contains(r.stderr, "--reference "+ref) || !strings.Contains(r.stderr, tc.why) {
					t.Errorf("exit %d, stderr %q; want exit 1 naming %s and %q", r.code, r.stderr, ref, tc.why)
				}
				if _, err := os.Stat(filepath.Join(out, output.DocumentsTable)); err == nil {
					t.Error("tables written although the reference is unusable")
				}
				return
			}
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			if errs := readErrors(t, out); len(errs) != 0 {
				t.Errorf("errors %+v", errs)
			}
			docs := readDocs(t, out)
			if !docs[0].IsReference || docs[0].DocID != "reference/"+filepath.Base(tc.ref) || docs[0].NTokens > 2*tc.tokens || docs[0].NTokens < tc.tokens/2 {
				t.Errorf("reference row %+v, want about %d tokens", docs[0], tc.tokens)
			}
		})
	}
	t.Run("framework /dev/zero", func(t *testing.T) {
		r := runFA(t, time.Minute, "run", corpus, "--out", filepath.Join(t.TempDir(), "out"), "--quiet", "--framework", "/dev/zero")
		if r.code != 1 || !strings.Contains(r.stderr, "framework /dev/zero") || !strings.Contains(r.stderr, "not a regular file") {
			t.Errorf("exit %d, stderr %q", r.code, r.stderr)
		}
		if r.maxRSS > 500*mb {
			t.Errorf("peak RSS %d MB reading /dev/zero", r.maxRSS/mb)
		}
	})
}

// Row: a user's own dotfile in --out whose name holds ".tmp-" was deleted by the
// start-up cleanup. Now only framealign's own temporaries go.
func TestHostileStartupCleanupKeepsTheUsersFiles(t *testing.T) {
	corpus := baseCorpus(t)
	out := t.TempDir()
	mine := []string{".my.tmp-notes", ".documents.parquet.tmp-mine", "draft.tmp-1"}
	for _, n := range mine {
		os.WriteFile(filepath.Join(out, n), []byte("my notes"), 0o644)
	}
	own := filepath.Join(out, ".scores.parquet.tmp-20260101T000000.000000Z") // a killed run's
	os.WriteFile(own, []byte("PAR1"), 0o644)
	mustSucceed(t, time.Minute, "run", corpus, "--out", out, "--quiet")
	for _, n := range mine {
		if b, err := os.ReadFile(filepath.Join(out, n)); err != nil || string(b) != "my notes" {
			t.Errorf("%s: %v", n, err)
		}
	}
	if _, err := os.Stat(own); err == nil {
		t.Error("a killed run's temporary table was left")
	}
}

// Row: a lock file naming a live, unrelated PID (or PID 1) stopped every run (exit 4)
// with a message that named neither the lock file nor checked the PID was framealign.
// Now such a lock is taken over; a lock of a live run still stops the second run, with
// a message that names the lock file.
func TestHostileLockOfAnUnrelatedProcessIsTakenOver(t *testing.T) {
	corpus := baseCorpus(t)
	out := t.TempDir()
	lock := filepath.Join(out, ".framealign", "lock")
	os.MkdirAll(filepath.Dir(lock), 0o755)
	sleeper := exec.Command("sleep", "30") // live, and not framealign
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { sleeper.Process.Kill(); sleeper.Wait() }()
	for _, pid := range []int{1, sleeper.Process.Pid} {
		os.WriteFile(lock, []byte(fmt.Sprintf("%d\n2026-01-01T00:00:00Z\n", pid)), 0o644)
		mustSucceed(t, time.Minute, "run", corpus, "--out", out, "--quiet")
	}
	// The first run must still hold the lock when the second asks for it: a new
	// document keeps it busy with prose (the others come from the annotation cache,
	// and a run of cached documents is over in a few tens of milliseconds).
	busy := strings.Repeat("The new speech keeps the first run busy with prose for a while. ", 1500)
	if err := os.WriteFile(filepath.Join(corpus, "busy.txt"), []byte(busy), 0o644); err != nil {
		t.Fatal(err)
	}
	first := framealign("run", corpus, "--out", out, "--quiet", "--full", "--engine", "prose")
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { first.Process.Kill(); first.Wait() }()
	waitForLock(t, out)
	r := runFA(t, time.Minute, "run", corpus, "--out", out, "--quiet")
	if r.code != 4 || !strings.Contains(r.stderr, fmt.Sprintf("PID %d", first.Process.Pid)) || !strings.Contains(r.stderr, lock) {
		t.Errorf("second run: exit %d, %q; want 4, naming PID %d and %s", r.code, r.stderr, first.Process.Pid, lock)
	}
}

// allStrings lists every string value of a table, read with the table's own row type.
func allStrings(t *testing.T, out string) []string {
	t.Helper()
	var all []string
	add := func(rows any) {
		collectStrings(reflect.ValueOf(rows), &all)
	}
	d, err := output.ReadRows[output.DocumentRow](filepath.Join(out, output.DocumentsTable))
	add(d)
	e, err2 := output.ReadRows[output.Error](filepath.Join(out, output.ErrorsTable))
	add(e)
	s, err3 := output.ReadRows[output.Score](filepath.Join(out, output.ScoresTable))
	add(s)
	m, err4 := output.ReadRows[output.Match](filepath.Join(out, output.MatchesTable))
	add(m)
	p, err5 := output.ReadRows[output.Phrase](filepath.Join(out, output.PhrasesTable))
	add(p)
	n, err6 := output.ReadRows[output.Entity](filepath.Join(out, output.EntitiesTable))
	add(n)
	if err := errors.Join(err, err2, err3, err4, err5, err6); err != nil {
		t.Fatal(err)
	}
	return all
}

func collectStrings(v reflect.Value, all *[]string) {
	switch v.Kind() {
	case reflect.String:
		*all = append(*all, v.String())
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // binary columns may hold any bytes
		}
		for i := 0; i < v.Len(); i++ {
			collectStrings(v.Index(i), all)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			collectStrings(v.Field(i), all)
		}
	case reflect.Pointer:
		if !v.IsNil() {
			collectStrings(v.Elem(), all)
		}
	}
}

// Row: a file name with invalid UTF-8 bytes made documents, scores, ... unreadable by
// DuckDB ("Invalid string encoding"). Now every string of every table is UTF-8: the
// name is escaped (\xNN per invalid byte) in doc_id and source, and kept as it is in
// source_raw. (examples/duckdbtest reads such tables with DuckDB itself.)
func TestHostileNonUTF8FileNameIsEscapedAndKept(t *testing.T) {
	corpus := t.TempDir()
	if err := hostile.Speech(filepath.Join(corpus, hostile.NonUTF8Name)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(corpus, "caf\xe9.docx"), []byte("PK"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	mustSucceed(t, time.Minute, "run", corpus, "--out", out, "--quiet")
	for _, s := range allStrings(t, out) {
		if !utf8.ValidString(s) {
			t.Errorf("a table holds invalid UTF-8: %q", s)
		}
	}
	docs, err := output.ReadRows[output.DocumentRow](filepath.Join(out, output.DocumentsTable))
	if err != nil {
		t.Fatal(err)
	}
	want := `d\xe9claration \xff.txt`
	if len(docs) != 2 || docs[1].DocID != want || docs[1].Source != want || string(docs[1].SourceRaw) != hostile.NonUTF8Name || docs[0].SourceRaw != nil {
		t.Errorf("documents %+v", docs)
	}
	errs := readErrors(t, out)
	if len(errs) != 1 || errs[0].Source != `caf\xe9.docx` || string(errs[0].SourceRaw) != "caf\xe9.docx" {
		t.Errorf("errors %+v", errs)
	}
}

// Row: symbolic links to files and folders outside the corpus were read with no word
// in any table, and a link to / walked the whole file system. Now none is followed
// unless --follow-outside says so; each is an error row that names its target.
func TestHostileLinksOutOfTheCorpusAreNotFollowed(t *testing.T) {
	corpus, err := hostile.LinksOutOf(t.TempDir())
	if err != nil {
		t.Skip("symbolic links not available:", err)
	}
	out := filepath.Join(t.TempDir(), "out")
	r := mustSucceed(t, time.Minute, "run", corpus, "--out", out, "--quiet")
	if got := docIDs(readDocs(t, out)); !reflect.DeepEqual(got, []string{"speech.txt"}) {
		t.Errorf("documents %v", got)
	}
	errs := readErrors(t, out)
	if len(errs) != 3 {
		t.Errorf("errors %+v, want one per link", errs)
	}
	for _, e := range errs {
		if e.Stage != "discover" || !strings.Contains(e.Error, "outside the corpus: not followed (--follow-outside follows it)") {
			t.Errorf("%+v", e)
		}
	}
	if r.wall > 30*time.Second || r.maxRSS > 500*mb {
		t.Errorf("%s, %d MB: the link to / was walked", r.wall, r.maxRSS/mb)
	}
	// Asked to, framealign follows the links to the folder and the file (the link to /
	// is removed first: it would walk the whole file system).
	os.Remove(filepath.Join(corpus, "root"))
	out2 := filepath.Join(t.TempDir(), "out")
	mustSucceed(t, time.Minute, "run", corpus, "--out", out2, "--quiet", "--follow-outside")
	if got := docIDs(readDocs(t, out2)); !reflect.DeepEqual(got, []string{"diary.txt", "speech.txt"}) {
		t.Errorf("with --follow-outside: documents %v", got)
	}
}

// Row: --out inside the corpus, or equal to it: the next run reported its own seven
// tables as "unsupported format .parquet", and --strict exited 3 for ever. Now the
// output folder is skipped (and said so once), and reruns are clean.
func TestHostileOutputFolderInsideTheCorpusIsSkipped(t *testing.T) {
	for _, where := range []string{"inside", "equal"} {
		t.Run(where, func(t *testing.T) {
			corpus := baseCorpus(t)
			out := filepath.Join(corpus, "out")
			if where == "equal" {
				out = corpus
			}
			mustSucceed(t, time.Minute, "run", corpus, "--out", out, "--quiet")
			r := mustSucceed(t, time.Minute, "run", corpus, "--out", out, "--strict")
			if errs := readErrors(t, out); len(errs) != 0 {
				t.Errorf("errors %+v", errs)
			}
			if got := len(docIDs(readDocs(t, out))); got != 4 {
				t.Errorf("%d documents, want the 4 speeches", got)
			}
			if strings.Count(r.stderr, "inside the corpus") != 1 {
				t.Errorf("stderr does not say once that the output folder is inside the corpus:\n%s", r.stderr)
			}
			if runs := readRuns(t, out); runs[len(runs)-1].Unchanged != 4 {
				t.Errorf("the rerun: %+v", runs[len(runs)-1])
			}
		})
	}
}

// contentSHA is what documents.content_sha256 holds for a text.
func contentSHA(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:])
}

type shaRow struct {
	DocID    string `parquet:"doc_id"`
	SHA      string `parquet:"content_sha256"`
	Encoding string `parquet:"encoding"`
	Title    string `parquet:"title"`
}

// Rows: HTML with 600 unclosed <div>s was "HTML has no readable text"; HTML declaring
// gb2312 or shift_jis was decoded as Windows-1252, mojibake analysed as if fine; and
// UTF-16 without a byte order mark was "binary". Now each is read as it is meant: the
// documents' content_sha256 is that of the text the page holds.
func TestHostileHTMLIsReadAsItDeclaresAndWhateverItsDepth(t *testing.T) {
	corpus := t.TempDir()
	want := map[string]shaRow{}
	os.WriteFile(filepath.Join(corpus, "deep.html"), hostile.HTMLUnclosedDivs(600), 0o644)
	want["deep.html"] = shaRow{SHA: contentSHA("We call for dialogue and win-win cooperation among all nations, with mutual respect for sovereignty."), Encoding: "utf-8", Title: "Deep page"}
	for label, enc := range map[string]string{"gb2312": "gbk", "shift_jis": "shift_jis", "euc-kr": "euc-kr", "big5": "big5", "koi8-r": "koi8-r"} {
		page, err := hostile.HTMLDeclaring(label, hostile.DeclaredTexts[label], "meta")
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(corpus, label+".html"), page, 0o644)
		want[label+".html"] = shaRow{SHA: contentSHA(hostile.DeclaredTexts[label]), Encoding: enc, Title: "T"}
	}
	text := "We call for dialogue and win-win cooperation.\n"
	os.WriteFile(filepath.Join(corpus, "unicode.txt"), hostile.UnmarkedUnicode(text, "utf-16le"), 0o644)
	want["unicode.txt"] = shaRow{SHA: contentSHA(text), Encoding: "utf-16le"}
	out := filepath.Join(t.TempDir(), "out")
	mustSucceed(t, time.Minute, "run", corpus, "--out", out, "--quiet")
	if errs := readErrors(t, out); len(errs) != 0 {
		t.Errorf("errors %+v", errs)
	}
	rows, err := output.ReadRows[shaRow](filepath.Join(out, output.DocumentsTable))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		w := want[r.DocID]
		w.DocID = r.DocID
		if r != w {
			t.Errorf("%s: %+v, want %+v", r.DocID, r, w)
		}
		delete(want, r.DocID)
	}
	if len(want) != 0 {
		t.Errorf("not in documents: %v", want)
	}
}

// Weaker spot: a rerun with nothing new re-read and decompressed every file to learn
// that nothing changed. Now it opens none of them.
func TestHostileQuietRerunOpensNoFile(t *testing.T) {
	corpus := t.TempDir()
	if err := hostile.ManySmallFiles(corpus, 2000); err != nil {
		t.Fatal(err)
	}
	// Files changed in the two seconds before a run are read again at the next one,
	// whatever their stamps say; these were written just now.
	time.Sleep(2100 * time.Millisecond)
	out := filepath.Join(t.TempDir(), "out")
	first := mustSucceed(t, 2*time.Minute, "run", corpus, "--out", out)
	if !strings.Contains(first.stdout, "files read 2000, unchanged and not opened 0") {
		t.Errorf("first run:\n%s", first.stdout)
	}
	r := mustSucceed(t, 2*time.Minute, "run", corpus, "--out", out)
	if !strings.Contains(r.stdout, "files read 0, unchanged and not opened 2000") || !strings.Contains(r.stdout, "unchanged 2000") {
		t.Errorf("rerun with nothing new:\n%s", r.stdout)
	}
	t.Logf("rerun of 2,000 unchanged files: %s wall, %s CPU", r.wall, r.cpu)
}

// The heavy rows: memory bounded by design, measured in the child process.

// Row: a .txt.gz inflating to 60 MB of one-letter words took over 4 GB (about 100
// bytes a token). Now the document is analysed in pieces: one document of 30 million
// tokens, under 1 GB.
func TestHostileHeavyGzipOfOneLetterWordsStaysUnderAGigabyte(t *testing.T) {
	heavy(t)
	corpus := t.TempDir()
	if err := hostile.OneLetterWords(filepath.Join(corpus, "a.txt.gz"), 60*mb); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	r := mustSucceed(t, 10*time.Minute, "run", corpus, "--out", out, "--quiet", "--workers", "2")
	docs := readDocs(t, out)
	if len(docs) != 2 || docs[1].NTokens < 30_000_000 {
		t.Errorf("documents %+v", docs)
	}
	if r.maxRSS > 1<<30 {
		t.Errorf("peak RSS %d MB, want under 1 GB", r.maxRSS/mb)
	}
	t.Logf("60 MB of one-letter words: %d tokens, peak RSS %d MB, %s wall, %s CPU", docs[1].NTokens, r.maxRSS/mb, r.wall, r.cpu)
}

// The 64 MB document of docs/performance.md: sentences drawn from a speech
// vocabulary, no two pieces alike, evidence in the millions of rows.
func TestHostileHeavy64MBDocumentStaysUnderAGigabyte(t *testing.T) {
	heavy(t)
	corpus := t.TempDir()
	if err := hostile.RandomProse(filepath.Join(corpus, "long.txt"), 64*mb-4096); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	r := mustSucceed(t, 10*time.Minute, "run", corpus, "--out", out, "--quiet", "--workers", "2")
	docs := readDocs(t, out)
	if len(docs) != 2 || docs[1].NTokens < 5_000_000 {
		t.Errorf("documents %+v", docs)
	}
	if r.maxRSS > 1<<30 {
		t.Errorf("peak RSS %d MB, want under 1 GB", r.maxRSS/mb)
	}
	t.Logf("64 MB document: %d tokens, peak RSS %d MB, %s wall, %s CPU", docs[1].NTokens, r.maxRSS/mb, r.wall, r.cpu)
}

// Row: a JSONL.gz of 1,000,000 tiny records kept about 1.7 KB a document (830 MB and
// rising). Now every record is a document, in under 1 GB.
func TestHostileHeavyMillionTinyRecordsStayUnderAGigabyte(t *testing.T) {
	heavy(t)
	corpus := t.TempDir()
	const n = 1_000_000
	if err := hostile.TinyRecords(filepath.Join(corpus, "records.jsonl.gz"), n); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	r := mustSucceed(t, 20*time.Minute, "run", corpus, "--out", out, "--quiet", "--workers", "2")
	type idRow struct {
		DocID string `parquet:"doc_id"`
	}
	ids, err := output.ReadRows[idRow](filepath.Join(out, output.DocumentsTable))
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != n+1 || ids[n].DocID != fmt.Sprintf("r%d", n) {
		t.Errorf("%d documents, the last %v", len(ids), ids[len(ids)-1])
	}
	if errs := readErrors(t, out); len(errs) != 0 {
		t.Errorf("%d errors, first %+v", len(errs), errs[0])
	}
	if r.maxRSS > 1<<30 {
		t.Errorf("peak RSS %d MB, want under 1 GB", r.maxRSS/mb)
	}
	t.Logf("1,000,000 records: peak RSS %d MB, %s wall (%.0f records/s), %s CPU (%.0f records per CPU second)",
		r.maxRSS/mb, r.wall, n/r.wall.Seconds(), r.cpu, n/r.cpu.Seconds())
}
