package report

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/internal/testannotate"
	"github.com/framealign/framealign/internal/testfiles"
	"github.com/framealign/framealign/pipeline"
)

// TestWhiteHouseCorpusChartsByMonth runs every White House statement of
// ../shared/corpora/whitehouse/statements-releases, as the README's scheduled-rerun
// section does (--home USA): every file becomes a documents row, `date` is a DATE column and
// `published_time` a TIMESTAMP one, and the report's time charts, drawn in headless
// Chromium, have a point for each month the statements cover. Set
// FRAMEALIGN_CORPUS_TESTS=1 to run it (.ci/run does).
func TestWhiteHouseCorpusChartsByMonth(t *testing.T) {
	if os.Getenv("FRAMEALIGN_CORPUS_TESTS") == "" {
		t.Skip("set FRAMEALIGN_CORPUS_TESTS=1 to run over ../shared/corpora/whitehouse")
	}
	dir := testfiles.Shared("corpora", "whitehouse", "statements-releases")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("no corpus at ", dir)
	}
	files := 0
	if err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && strings.HasSuffix(p, ".md") && !strings.HasPrefix(d.Name(), ".") {
			files++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if files < 6000 {
		t.Fatalf("%d statements in %s, want the 6,458 of the corpus", files, dir)
	}

	outDir := filepath.Join(t.TempDir(), "out")
	name, text := framework.DefaultReference()
	sum, err := pipeline.Run(context.Background(), pipeline.Config{
		Roots: []string{dir}, Out: outDir, Workers: 2, Framework: framework.Default(),
		ReferenceName: name, ReferenceText: text,
		ReadOptions: corpus.Options{TextField: "text", IDField: "id", MaxBytes: corpus.DefaultMaxBytes},
		Version:     "test", Annotator: testannotate.Engine(), Home: "USA",
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed != 0 || sum.Documents != files+1 {
		t.Fatalf("documents %d (want %d statements and the reference), failed %d", sum.Documents, files, sum.Failed)
	}

	out, err := Load(outDir)
	if err != nil {
		t.Fatal(err)
	}
	if k := out.Documents.Kinds["date"]; k != KindDate {
		t.Errorf("date is %s, want DATE", k)
	}
	if k := out.Documents.Kinds["published_time"]; k != KindTimestamp {
		t.Errorf("published_time is %s, want TIMESTAMP", k)
	}
	months := map[string]bool{}
	for _, d := range out.Documents.Rows {
		if d.IsReference {
			continue
		}
		day, ok := d.Fields["date"].(time.Time)
		if !ok {
			t.Fatalf("%s has no date (%v)", d.DocID, d.Fields["date"])
		}
		if !strings.Contains(d.DocID, day.Format("2006-01")) {
			t.Errorf("%s is dated %s", d.DocID, day.Format(time.DateOnly))
		}
		months[day.Format("2006-01")] = true
	}

	r := renderInChromium(t, out, "report-whitehouse.png")
	if r.Trend == nil {
		t.Fatalf("no time chart: %s", r.TrendAbsent)
	}
	if r.Trend.Time != "date" || r.Trend.Bin != "month" || len(r.Trend.Series) != 0 {
		t.Errorf("time charts over %q by %q with %d lines, want date by month, one line", r.Trend.Time, r.Trend.Bin, len(r.Trend.Series))
	}
	if got := len(r.Trend.Overall.Points); got != len(months) {
		t.Errorf("%d monthly points, want %d (the months the statements cover)", got, len(months))
	}
	n := 0
	for _, p := range r.Trend.Overall.Points {
		n += p.N
	}
	if n != files {
		t.Errorf("the monthly points count %d statements, want %d", n, files)
	}
}
