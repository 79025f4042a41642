package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// TestTablesReadBackWithApacheArrow reads every table with Apache Arrow's Parquet
// package, an implementation independent of the one that wrote them, as pandas and
// DuckDB users will, and checks the contract's columns and a few values.
//
// It reads them again after a rerun with nothing new, whose evidence tables are the
// previous files restamped (footer rewritten, pages copied): the same rows, and the new
// run's id in the footer.
func TestTablesReadBackWithApacheArrow(t *testing.T) {
	root := copyCorpus(t)
	out := filepath.Join(t.TempDir(), "out")
	if _, err := Run(context.Background(), testConfig(t, []string{root}, out)); err != nil {
		t.Fatal(err)
	}
	contract := map[string][]string{
		"documents.parquet": {"doc_id", "source", "content_sha256", "n_tokens", "n_sentences", "alignment", "similarity", "country", "session", "year"},
		"scores.parquet":    {"doc_id", "dimension", "group", "hits", "negated_hits", "sentences", "per_1k_tokens"},
		"matches.parquet":   {"doc_id", "dimension", "cue", "sentence_index", "char_start", "char_end", "text", "sentence", "negated", "actors"},
		"phrases.parquet":   {"doc_id", "sentence_index", "char_start", "char_end", "text", "normalized", "head", "dimension", "actors"},
		"entities.parquet":  {"doc_id", "sentence_index", "char_start", "char_end", "text", "label", "canonical", "iso3"},
		"errors.parquet":    {"source", "doc_id", "stage", "error"},
		"runs.parquet":      {"run_id", "started_at", "finished_at", "added", "changed", "unchanged", "removed", "failed", "skipped", "framework_sha256"},
	}
	first := map[string]int64{}
	for name, cols := range contract {
		first[name], _ = readWithArrow(t, out, name, cols)
	}
	sum, err := Run(context.Background(), testConfig(t, []string{root}, out))
	if err != nil {
		t.Fatal(err)
	}
	for name, cols := range contract {
		rows, runID := readWithArrow(t, out, name, cols)
		if name == "runs.parquet" {
			rows-- // one more run
		}
		if rows != first[name] || runID != sum.RunID {
			t.Errorf("%s after a rerun with nothing new: %d rows (before %d), run id %q, want %q", name, rows, first[name], runID, sum.RunID)
		}
	}
}

// readWithArrow reads a table with Apache Arrow, checks its compression and columns,
// and returns its row count and the run id in its footer.
func readWithArrow(t *testing.T, out, name string, cols []string) (int64, string) {
	t.Helper()
	f, err := os.Open(filepath.Join(out, name))
	if err != nil {
		t.Fatal(err)
	}
	pr, err := file.NewParquetReader(f)
	if err != nil {
		t.Fatalf("%s: arrow cannot open it: %v", name, err)
	}
	if pr.NumRowGroups() > 0 {
		c, err := pr.MetaData().RowGroup(0).ColumnChunk(0)
		if err != nil {
			t.Fatal(err)
		}
		if c.Compression().String() != "ZSTD" {
			t.Errorf("%s: compression %s, want ZSTD", name, c.Compression())
		}
	}
	fr, err := pqarrow.NewFileReader(pr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatalf("%s: arrow cannot read it: %v", name, err)
	}
	have := map[string]int{}
	for i, fld := range tbl.Schema().Fields() {
		have[fld.Name] = i
	}
	for _, c := range cols {
		if _, ok := have[c]; !ok {
			t.Errorf("%s: no column %q (has %v)", name, c, tbl.Schema())
		}
	}
	switch name {
	case "documents.parquet":
		if tbl.NumRows() != 5 {
			t.Errorf("documents: %d rows, want 5", tbl.NumRows())
		}
		year := tbl.Column(have["year"]).Data().Chunk(0)
		if _, ok := year.(*array.Int64); !ok {
			t.Errorf("year is %s, want int64", year.DataType())
		}
	case "scores.parquet":
		if tbl.NumRows() != 5*14 {
			t.Errorf("scores: %d rows, want 70", tbl.NumRows())
		}
	}
	rows := tbl.NumRows()
	runID := pr.MetaData().KeyValueMetadata().FindValue("framealign.run_id")
	tbl.Release()
	f.Close()
	if runID == nil {
		t.Errorf("%s: no run id in the footer", name)
		return rows, ""
	}
	return rows, *runID
}
