package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/xuri/excelize/v2"

	"github.com/framealign/framealign/internal/testfiles"
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

// TestTypedMetadataReadsBackWithApacheArrow runs White House statements (front matter
// with a quoted date and date-times with an offset), a JSONL file with lists, numbers
// and booleans, and a spreadsheet with date cells, and reads documents.parquet with
// Apache Arrow: every metadata column has the type the README promises, and the
// date-times are the instants of the files, in UTC.
func TestTypedMetadataReadsBackWithApacheArrow(t *testing.T) {
	root := filepath.Join(t.TempDir(), "corpus")
	testfiles.CopyDir(t, filepath.Join("..", "testdata", "whitehouse", "statements-releases"), filepath.Join(root, "wh"))
	if err := os.WriteFile(filepath.Join(root, "records.jsonl"), []byte(
		`{"id":"r1","text":"China and the United States should pursue win-win cooperation.","topics":["china","trade"],"share":0.5,"official":true,"year":2023}`+"\n"+
			`{"id":"r2","text":"Dialogue and consultation manage differences.","topics":[],"share":1,"official":false,"year":2024,"extra":{"k":1}}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	book := excelize.NewFile()
	book.SetSheetRow("Sheet1", "A1", &[]any{"id", "text", "held_on"})
	book.SetSheetRow("Sheet1", "A2", &[]any{"x1", "Crisis management mechanisms reduce risk.", 45245.0})
	dateStyle, _ := book.NewStyle(&excelize.Style{NumFmt: 14})
	book.SetCellStyle("Sheet1", "C2", "C2", dateStyle)
	if err := book.SaveAs(filepath.Join(root, "presscon.xlsx")); err != nil {
		t.Fatal(err)
	}
	book.Close()

	out := filepath.Join(t.TempDir(), "out")
	cfg := testConfig(t, []string{root}, out)
	cfg.MetaPattern = nil
	sum := mustRun(t, cfg)
	if sum.Failed != 0 || sum.Documents != 1+6+2+1 {
		t.Fatalf("run: %+v", sum)
	}

	f, err := os.Open(filepath.Join(out, "documents.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pr, err := file.NewParquetReader(f)
	if err != nil {
		t.Fatal(err)
	}
	fr, err := pqarrow.NewFileReader(pr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	types := map[string]string{}
	col := map[string]int{}
	for i, fld := range tbl.Schema().Fields() {
		types[fld.Name] = fld.Type.String()
		col[fld.Name] = i
	}
	want := map[string]string{
		"date": "date32", "published_time": "timestamp[us]", "modified_time": "timestamp[us]",
		"tags": "utf8", "source_url": "utf8", "topics": "list<element: utf8>",
		"share": "float64", "official": "bool", "year": "int64", "extra": "utf8", "held_on": "date32",
	}
	for name, typ := range want {
		if types[name] != typ {
			t.Errorf("column %s is %q, want %s", name, types[name], typ)
		}
	}
	// The readout of the Biden-Xi meeting, published 2023-11-15 21:09:53-05:00.
	docIDs := tbl.Column(col["doc_id"]).Data().Chunk(0).(*array.String)
	row := -1
	for i := 0; i < docIDs.Len(); i++ {
		if strings.Contains(docIDs.Value(i), "president-xi-jinping") {
			row = i
		}
	}
	if row < 0 {
		t.Fatal("no readout of the Biden-Xi meeting")
	}
	pub := tbl.Column(col["published_time"]).Data().Chunk(0).(*array.Timestamp)
	if got := pub.Value(row).ToTime(arrow.Microsecond); !got.Equal(time.Date(2023, 11, 16, 2, 9, 53, 0, time.UTC)) {
		t.Errorf("published_time %v, want 2023-11-16 02:09:53 UTC", got)
	}
	date := tbl.Column(col["date"]).Data().Chunk(0).(*array.Date32)
	if got := date.Value(row).ToTime(); !got.Equal(time.Date(2023, 11, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("date %v", got)
	}
	mod := tbl.Column(col["modified_time"]).Data().Chunk(0)
	nulls := 0
	for i := 0; i < mod.Len(); i++ {
		if mod.IsNull(i) {
			nulls++
		}
	}
	if nulls != 1+1+2+1 { // the reference, the statement without one, the records, the row
		t.Errorf("modified_time has %d nulls", nulls)
	}
}
