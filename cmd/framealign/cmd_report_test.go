package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framealign/framealign/report"
)

// exampleOutput runs framealign on examples/corpus in-process.
func exampleOutput(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	app := newApp()
	app.Writer, app.ErrWriter = &stdout, &stderr
	err := app.Run([]string{"framealign", "run", "--quiet", "--out", dir,
		"--meta-pattern", "{country}_{session}_{year}.txt", filepath.Join("..", "..", "examples", "corpus")})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	return dir
}

// TestReportAndInspectOnTheExampleCorpus runs the corpus once and checks both commands
// on its output.
func TestReportAndInspectOnTheExampleCorpus(t *testing.T) {
	out := exampleOutput(t)
	t.Run("report writes the selection", func(t *testing.T) { testReportWritesTheSelection(t, out) })
	t.Run("report rejects a bad selection", func(t *testing.T) { testReportRejectsABadSelection(t, out) })
	t.Run("inspect summarises", func(t *testing.T) { testInspectSummarises(t, out) })
}

func runApp(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	app := newApp()
	app.Writer, app.ErrWriter = &stdout, &stderr
	err := app.Run(append([]string{"framealign"}, args...))
	return stdout.String() + stderr.String(), err
}

func countCorpus(t *testing.T, prefixes ...string) int {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "examples", "corpus", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		for _, p := range prefixes {
			if strings.HasPrefix(filepath.Base(f), p) {
				n++
			}
		}
	}
	return n
}

func testReportWritesTheSelection(t *testing.T, out string) {
	page := filepath.Join(t.TempDir(), "chn-usa.html")
	said, err := runApp(t, "report", "--html", page, "--where", "country in ('CHN','USA')", out)
	if err != nil {
		t.Fatalf("report: %v\n%s", err, said)
	}
	loaded, err := report.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	want := countCorpus(t, "CHN_", "USA_")
	if !strings.Contains(said, "wrote "+page) || !strings.Contains(said, ": "+itoa(want)+" of "+itoa(len(loaded.Documents.Rows))+" documents selected") {
		t.Errorf("report said %q, want %d of %d documents selected", said, want, len(loaded.Documents.Rows))
	}
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	// One heatmap row per selected speech plus the reference; legend entries for both countries.
	if n := strings.Count(html, `class="cell"`); n != (want+1)*14 {
		t.Errorf("%d heatmap cells, want %d", n, (want+1)*14)
	}
	for _, s := range []string{"CHN 2024", "USA 2016", "country in (&#39;CHN&#39;,&#39;USA&#39;)"} {
		if !strings.Contains(html, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	if strings.Contains(html, "RUS 2018") {
		t.Error("page shows RUS 2018, which the selection excludes")
	}

	// Without --html the page goes beside the tables.
	if said, err := runApp(t, "report", out); err != nil {
		t.Fatalf("report: %v\n%s", err, said)
	}
	if _, err := os.Stat(filepath.Join(out, "report.html")); err != nil {
		t.Errorf("no default report.html: %v", err)
	}
}

func testReportRejectsABadSelection(t *testing.T, out string) {
	_, err := runApp(t, "report", "--where", "nation = 'CHN'", "--html", filepath.Join(t.TempDir(), "x.html"), out)
	if err == nil || !strings.Contains(err.Error(), `unknown column "nation"`) || !strings.Contains(err.Error(), "country") {
		t.Errorf("bad --where gave %v, want an error naming the column and listing country", err)
	}
}

func testInspectSummarises(t *testing.T, out string) {
	said, err := runApp(t, "inspect", out)
	if err != nil {
		t.Fatalf("inspect: %v\n%s", err, said)
	}
	loaded, err := report.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(said, itoa(len(loaded.Documents.Rows))+" documents (reference: ") {
		t.Errorf("inspect does not give the document count %d and the reference:\n%s", len(loaded.Documents.Rows), said)
	}
	top := report.Summarize(loaded, 10, 0, 5).Top[0]
	lines := strings.Split(said, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "top 10 documents") {
			if i+2 >= len(lines) || !strings.Contains(lines[i+2], top.DocID) {
				t.Errorf("first of the top documents is not %s:\n%s", top.DocID, said)
			}
		}
	}
	for _, want := range []string{"runs (last 1)", "crisis_management", "cooperative_order", "errors by reason", "most frequent mechanism phrases per head"} {
		if !strings.Contains(said, want) {
			t.Errorf("inspect lacks %q:\n%s", want, said)
		}
	}
}
