package fabeam

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/framealign/framealign/beam/internal/netns"
	"github.com/framealign/framealign/beam/tablecmp"
	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/extractors/fastprose"
	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/internal/testfiles"
	"github.com/framealign/framealign/output"
	"github.com/framealign/framealign/pipeline"

	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
)

// TestMain runs the tests in a private network namespace where the system allows
// (Prism's servers listen on every interface; there, only loopback exists), then on
// Prism, in this process.
func TestMain(m *testing.M) {
	if _, err := netns.Isolate("FRAMEALIGN_BEAM_NETNS"); err != nil {
		println("fabeam tests: Prism's ports are not isolated:", err.Error())
	}
	ptest.MainWithDefault(m, "prism")
}

func init() {
	beam.RegisterFunction(docIDs)
	beam.RegisterFunction(errorKeys)
	beam.RegisterFunction(hasText)
}

func docIDs(d DocIn, emit func(string)) {
	if !d.IsError() {
		emit(d.ID)
	}
}

func errorKeys(d DocIn, emit func(string)) {
	if d.IsError() {
		emit(d.Errs[0].Stage + " " + d.Errs[0].DocID)
	}
}

func hasText(d DocIn) bool { return d.IsError() || strings.TrimSpace(d.Text) != "" }

const testVersion = "0.1.0+beamtest"

// smallCorpus is the repository's four test speeches plus the bad inputs of
// testdata/bad: empty, binary, punctuation-only and unsupported files, a text and a
// binary file without extension, JSONL records with a malformed line and a doc_id
// that two files claim, and debris (.DS_Store, ._*, a hidden folder).
func smallCorpus(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "corpus")
	testfiles.CopyDir(t, filepath.Join(testfiles.RepoRoot(), "testdata", "corpus"), dir)
	testfiles.CopyDir(t, filepath.Join("testdata", "bad"), filepath.Join(dir, "bad"))
	return dir
}

var fastEngine = func() func(t *testing.T) *fastprose.Engine {
	var e *fastprose.Engine
	return func(t *testing.T) *fastprose.Engine {
		if e == nil {
			var err error
			if e, err = fastprose.New(); err != nil {
				t.Fatal(err)
			}
		}
		return e
	}
}()

// runPipeline runs `framealign run`'s pipeline (pipeline.Run, as cmd/framealign
// configures it) on roots, told each document's home as --home is (or "").
func runPipeline(t *testing.T, roots []string, metaPattern, home string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "run")
	name, text := framework.DefaultReference()
	cfg := pipeline.Config{Roots: roots, Out: out, Workers: 2, Framework: framework.Default(),
		ReferenceName: name, ReferenceText: text, Annotator: fastEngine(t), Version: testVersion,
		ReadOptions: corpus.Options{TextField: "text", IDField: "id", MaxBytes: corpus.DefaultMaxBytes}, Home: home}
	if metaPattern != "" {
		mp, err := corpus.ParseMetaPattern(metaPattern)
		if err != nil {
			t.Fatal(err)
		}
		cfg.MetaPattern = mp
	}
	if _, err := pipeline.Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	return out
}

func compare(t *testing.T, runOut, beamOut string, replace ...string) {
	t.Helper()
	report, differ := tablecmp.Compare(runOut, beamOut, replace...)
	for _, line := range report {
		t.Log(line)
	}
	if differ > 0 {
		t.Errorf("%d tables differ from framealign run's", differ)
	}
	if _, err := os.Stat(filepath.Join(beamOut, "_SUCCESS")); err != nil {
		t.Errorf("no _SUCCESS: %v", err)
	}
	if _, err := os.Stat(filepath.Join(beamOut, "_temporary")); err == nil {
		t.Errorf("_temporary left behind")
	}
}

// TestSmallCorpusMatchesRun: on the small corpus with bad files, the pipeline gives
// errors rows (never a failed job) and every table has framealign run's rows; the
// documents it analyses and its errors rows are asserted with passert. Each file is
// matched twice (the folder, and a pattern over it) and every document delivered a
// second time, as by a retried read: each appears once.
func TestSmallCorpusMatchesRun(t *testing.T) {
	dir := smallCorpus(t)
	runOut := runPipeline(t, []string{dir}, "", "")
	want := readRunIDs(t, runOut)
	wantErrs := readRunErrors(t, runOut)
	if len(wantErrs) < 6 {
		t.Fatalf("the corpus should give errors rows: %v", wantErrs)
	}

	beamOut := filepath.Join(t.TempDir(), "beam")
	p, s := beam.NewPipelineWithRoot()
	o, err := Build(s, Config{Inputs: []string{dir, filepath.Join(dir, "*", "*.txt")}, Out: beamOut,
		Version: testVersion, Parallel: 2, repeatReads: true})
	if err != nil {
		t.Fatal(err)
	}
	passert.EqualsList(s, beam.ParDo(s, docIDs, o.Documents), want)
	passert.EqualsList(s, beam.ParDo(s, errorKeys, o.Documents), wantErrs)
	passert.True(s, o.Documents, hasText)
	passert.NonEmpty(s, o.Committed)
	res := ptest.RunAndValidate(t, p)
	counters := map[string]int64{}
	for _, c := range res.Metrics().AllMetrics().Counters() {
		counters[c.Key.Name] += c.Result()
	}
	t.Logf("counters: %v", counters)
	if counters[CounterDocuments] != int64(len(want)+1) || counters[CounterDups] == 0 || counters[CounterSkipped] == 0 ||
		counters[CounterErrors+pipeline.StageRead] == 0 || counters[CounterErrors+pipeline.StageDiscover] == 0 {
		t.Errorf("counters: %v", counters)
	}
	compare(t, runOut, beamOut)
}

// readRunIDs are the doc_ids of run's documents table, the reference aside.
func readRunIDs(t *testing.T, out string) []string {
	docs, err := output.ReadRows[output.DocumentRow](filepath.Join(out, output.DocumentsTable))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range docs {
		if !strings.HasPrefix(d.DocID, "reference/") {
			ids = append(ids, d.DocID)
		}
	}
	return ids
}

// readRunErrors are run's errors rows that come from reading (not from annotation).
func readRunErrors(t *testing.T, out string) []string {
	errs, err := output.ReadRows[output.Error](filepath.Join(out, output.ErrorsTable))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, e := range errs {
		if e.Stage == pipeline.StageDiscover || e.Stage == pipeline.StageRead {
			keys = append(keys, e.Stage+" "+e.DocID)
		}
	}
	return keys
}

// TestUNGDCSessionMatchesRun is the differential test of the issue: on a UN General
// Debate session, with --meta-pattern's typed columns and each speech's delegation as
// its --home, every table of the Beam pipeline on Prism has the rows of framealign run
// (order aside).
func TestUNGDCSessionMatchesRun(t *testing.T) {
	session := testfiles.Shared("corpora", "ungdc", "Session 66 - 2011")
	if _, err := os.Stat(session); err != nil {
		t.Skip("shared UNGDC corpus not present:", err)
	}
	const pat = "{country}_{session}_{year}.txt"
	runOut := runPipeline(t, []string{session}, pat, "{country}")
	beamOut := filepath.Join(t.TempDir(), "beam")
	p, s := beam.NewPipelineWithRoot()
	if _, err := Build(s, Config{Inputs: []string{session}, Out: beamOut, MetaPattern: pat, Home: "{country}", Version: testVersion, Parallel: 2}); err != nil {
		t.Fatal(err)
	}
	ptest.RunAndValidate(t, p)
	compare(t, runOut, beamOut)
	type meta struct {
		DocID   string  `parquet:"doc_id"`
		Country *string `parquet:"country,optional"`
		Session *int64  `parquet:"session,optional"`
		Year    *int64  `parquet:"year,optional"`
	}
	parts, _ := filepath.Glob(filepath.Join(beamOut, "documents", "part-*.parquet"))
	n := 0
	for _, pp := range parts {
		rows, err := output.ReadRows[meta](pp)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if strings.HasPrefix(r.DocID, "reference/") {
				continue
			}
			n++
			if r.Country == nil || r.Session == nil || *r.Session != 66 || r.Year == nil || *r.Year != 2011 {
				t.Fatalf("typed metadata of %s: %+v", r.DocID, r)
			}
		}
	}
	if n < 150 {
		t.Errorf("%d documents with metadata", n)
	}
}

// TestCommitIsIdempotentAndLeavesNoOrphans: a failed attempt's files (orphans in
// _temporary), a previous run's parts that this run does not overwrite and a
// previous _SUCCESS are gone after the commit; a commit run again changes nothing.
func TestCommitIsIdempotentAndLeavesNoOrphans(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "corpus")
	testfiles.CopyDir(t, filepath.Join(testfiles.RepoRoot(), "testdata", "corpus"), dir)
	out := filepath.Join(t.TempDir(), "beam")
	const runID = "20260101T000000.000000Z"
	orphan := filepath.Join(tempDir(out, runID), "documents", "part-deadbeef.parquet")
	stale := filepath.Join(out, "matches", "part-00007-of-00009.parquet")
	for _, f := range []string{orphan, stale, filepath.Join(out, "_SUCCESS")} {
		os.MkdirAll(filepath.Dir(f), 0o755)
		if err := os.WriteFile(f, []byte("not parquet"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, s := beam.NewPipelineWithRoot()
	if _, err := Build(s, Config{Inputs: []string{dir}, Out: out, Version: testVersion, RunID: runID}); err != nil {
		t.Fatal(err)
	}
	ptest.RunAndValidate(t, p)
	for _, f := range []string{orphan, stale} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s is still there", f)
		}
	}
	man := readManifest(t, out)
	if man.RunID != runID || len(man.Tables["documents"]) != 1 || len(man.Tables["errors"]) != 1 {
		t.Fatalf("manifest: %+v", man)
	}
	before := listFiles(t, out)
	// The commit again, as a runner retrying it would: the temporary files are gone.
	c := &commitFn{Out: out, RunID: runID, Version: testVersion}
	files := []TempFile{{Table: "documents", Part: "a", Temp: filepath.Join(tempDir(out, runID), "documents", "part-a.parquet"), Rows: 5}}
	i := 0
	iter := func(tf *TempFile) bool {
		if i == len(files) {
			return false
		}
		*tf = files[i]
		i++
		return true
	}
	if err := c.ProcessElement(context.Background(), 0, iter, MetaSchema{}, 0, func(string) {}); err != nil {
		t.Fatal(err)
	}
	if after := listFiles(t, out); !reflect.DeepEqual(before, after) {
		t.Errorf("a second commit changed the folder:\n%v\n%v", before, after)
	}
}

func readManifest(t *testing.T, out string) Manifest {
	b, err := os.ReadFile(filepath.Join(out, "_SUCCESS"))
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func listFiles(t *testing.T, dir string) []string {
	var out []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// TestMetaEntriesRoundTrip: every kind of metadata value crosses the shuffle intact.
func TestMetaEntriesRoundTrip(t *testing.T) {
	in := map[string]corpus.Value{}
	for k, s := range map[string]string{"i": "2015", "f": "0.25", "b": "true", "d": "2023-11-15",
		"ts": "2023-11-15 14:02:00-05:00", "s": "CHN"} {
		v, _ := corpus.ParseText(s)
		in[k] = v
	}
	in["l"] = corpus.ListValue([]string{"a", "b"})
	in["e"] = corpus.ListValue(nil)
	in["j"] = corpus.JSONValue(`{"a":1}`)
	got := metaMap(metaEntries(in))
	for k, v := range in {
		g := got[k]
		if g.Kind != v.Kind || g.Text != v.Text || g.Int != v.Int || g.Float != v.Float || g.Bool != v.Bool ||
			!g.Time.Equal(v.Time) || !reflect.DeepEqual(g.List, v.List) {
			t.Errorf("%s: %+v became %+v", k, v, g)
		}
	}
}

// TestBuildRefusesWhatRunRefuses: a corpus path that does not exist, a bad
// --meta-pattern, an unknown engine and a broken framework fail at construction, as
// they make `framealign run` fail before it reads anything.
func TestBuildRefusesWhatRunRefuses(t *testing.T) {
	dir := t.TempDir()
	for name, cfg := range map[string]Config{
		"no such path":  {Inputs: []string{filepath.Join(dir, "missing")}, Out: dir},
		"meta-pattern":  {Inputs: []string{dir}, Out: dir, MetaPattern: "{a}{b}.txt"},
		"engine":        {Inputs: []string{dir}, Out: dir, Engine: "spacy"},
		"home":          {Inputs: []string{dir}, Out: dir, Home: "Atlantis"},
		"framework":     {Inputs: []string{dir}, Out: dir, FrameworkYAML: []byte("name: [")},
		"no input":      {Out: dir},
		"no out folder": {Inputs: []string{dir}},
	} {
		_, s := beam.NewPipelineWithRoot()
		if _, err := Build(s, cfg); err == nil {
			t.Errorf("%s: Build accepted %+v", name, cfg)
		}
	}
}
