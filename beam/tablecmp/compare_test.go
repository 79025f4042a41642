package tablecmp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/output"
)

// writeTables writes the seven tables of run's layout (dir/NAME.parquet), or of
// framealign-beam's (dir/NAME/part-*.parquet, the errors rows split in two parts).
func writeTables(t *testing.T, dir string, parts bool, errs []output.Error, meta map[string]corpus.Value) {
	t.Helper()
	create := func(table string, i, n int) *os.File {
		p := filepath.Join(dir, table+".parquet")
		if parts {
			p = filepath.Join(dir, table, "part-0000"+string(rune('0'+i))+"-of-0000"+string(rune('0'+n))+".parquet")
		}
		os.MkdirAll(filepath.Dir(p), 0o755)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	docs := []output.DocumentRow{{DocID: "a", Countries: []string{}, Meta: meta}, {DocID: "b", Countries: []string{"CHN"}}}
	stats := output.MetaStats{}
	for _, d := range docs {
		stats.Add(d.Meta)
	}
	f := create("documents", 0, 1)
	dw := output.NewDocumentsWriter(f, "r", stats.Layout())
	for _, d := range docs {
		dw.Write(d)
	}
	dw.Close()
	f.Close()
	for _, table := range []string{"scores", "matches", "phrases", "entities"} {
		f := create(table, 0, 1)
		var err error
		switch table {
		case "scores":
			err = output.NewTableWriter[output.Score](f, "r").Close()
		case "matches":
			err = output.NewTableWriter[output.Match](f, "r").Close()
		case "phrases":
			err = output.NewTableWriter[output.Phrase](f, "r").Close()
		default:
			err = output.NewTableWriter[output.Entity](f, "r").Close()
		}
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	groups := [][]output.Error{errs}
	if parts {
		groups = [][]output.Error{errs[:1], errs[1:]}
	}
	for i, g := range groups {
		f := create("errors", i, len(groups))
		w := output.NewTableWriter[output.Error](f, "r")
		w.Write(g...)
		w.Close()
		f.Close()
	}
	runsPath := filepath.Join(dir, "runs.parquet")
	if parts {
		runsPath = filepath.Join(dir, "runs", "part-00000-of-00001.parquet")
	}
	os.MkdirAll(filepath.Dir(runsPath), 0o755)
	rf, _ := os.Create(runsPath)
	rw := output.NewTableWriter[output.Run](rf, "r")
	rw.Write(output.Run{RunID: "r" + dir, Added: 1, Engine: "fast"})
	rw.Close()
	rf.Close()
}

func TestCompare(t *testing.T) {
	errs := []output.Error{{Source: "x", DocID: "x", Stage: "read", Error: "empty file"}, {Source: "y", DocID: "y", Stage: "discover", Error: "unsupported"}}
	meta := map[string]corpus.Value{"year": corpus.IntValue(2015)}
	run, same, other, metaDiff := t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir()
	writeTables(t, run, false, errs, meta)
	writeTables(t, same, true, []output.Error{errs[1], errs[0]}, meta) // order aside
	changed := append([]output.Error(nil), errs...)
	changed[1].Error = "unsupported format"
	writeTables(t, other, true, changed, meta)
	writeTables(t, metaDiff, true, errs, map[string]corpus.Value{"year": corpus.IntValue(2016)})
	if report, n := Compare(run, same); n != 0 {
		t.Errorf("same rows in another order and other parts: %d differ\n%s", n, strings.Join(report, "\n"))
	}
	if report, n := Compare(run, other); n != 1 || !strings.Contains(strings.Join(report, "\n"), "errors: run 2 rows, beam 2 rows") {
		t.Errorf("one errors row changed: %d differ\n%s", n, strings.Join(report, "\n"))
	}
	if _, n := Compare(run, metaDiff); n != 1 {
		t.Errorf("a metadata value changed: %d tables differ, want 1", n)
	}
}
