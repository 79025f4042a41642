package output

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/framealign/framealign/corpus"
)

func text(s string) corpus.Value {
	v, ok := corpus.ParseText(s)
	if !ok {
		panic("no value: " + s)
	}
	return v
}

func TestWriteDocumentsTypesMetadataColumns(t *testing.T) {
	dir := t.TempDir()
	rows := []DocumentRow{
		{DocID: "a/CHN_70_2015.txt", NTokens: 10, Countries: []string{"CHN", "USA"},
			Meta: map[string]corpus.Value{"country": text("CHN"), "year": text("2015"), "session": text("70")}},
		{DocID: "b/EU_70_2015.txt", NTokens: 3, Meta: map[string]corpus.Value{"country": text("EU"), "year": text("2015"), "session": text("x70")}},
		{DocID: "c.txt"},
	}
	write(t, dir, rows)
	type back struct {
		DocID     string   `parquet:"doc_id"`
		NTokens   int64    `parquet:"n_tokens"`
		Country   *string  `parquet:"country,optional"`
		Year      *int64   `parquet:"year,optional"`
		Session   *string  `parquet:"session,optional"`
		Countries []string `parquet:"countries,list"`
	}
	got, err := ReadRows[back](filepath.Join(dir, DocumentsTable))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("rows = %d, want 3", len(got))
	}
	if got[0].Year == nil || *got[0].Year != 2015 || *got[0].Country != "CHN" || *got[0].Session != "70" {
		t.Errorf("row 0 = %+v", got[0])
	}
	if got[1].Session == nil || *got[1].Session != "x70" {
		t.Errorf("session must stay text when one value is not an integer: %+v", got[1])
	}
	if got[2].Country != nil || got[2].Year != nil {
		t.Errorf("missing metadata must be null: %+v", got[2])
	}
	if len(got[0].Countries) != 2 || got[0].Countries[1] != "USA" || len(got[1].Countries) != 0 {
		t.Errorf("countries = %v / %v", got[0].Countries, got[1].Countries)
	}
}

func write(t *testing.T, dir string, rows []DocumentRow) MetaLayout {
	t.Helper()
	layout, err := WriteDocuments(dir, "r1", rows)
	if err != nil {
		t.Fatal(err)
	}
	if err := Commit(dir, "r1", []string{DocumentsTable}); err != nil {
		t.Fatal(err)
	}
	return layout
}

// TestMetaColumnsTypesAndWidenings writes every kind and the documented widenings and
// reads them back by type.
func TestMetaColumnsTypesAndWidenings(t *testing.T) {
	dir := t.TempDir()
	rows := []DocumentRow{
		{DocID: "a", Meta: map[string]corpus.Value{
			"n": text("2015"), "x": text("0.5"), "nx": text("1"), "b": text("true"), "d": text("2023-11-15"),
			"ts": text("2023-11-15 14:02:00-05:00"), "dts": text("2023-11-15"), "l": corpus.ListValue([]string{"china", "trade"}),
			"ls": text("china"), "mixed": text("2015"), "j": corpus.JSONValue(`{"a":1}`),
		}},
		{DocID: "b", Meta: map[string]corpus.Value{
			"n": text("-1"), "x": text("2.25"), "nx": text("1.5"), "b": text("FALSE"), "d": text("2024-02-29"),
			"ts": text("2024-01-01T00:00:00Z"), "dts": text("2024-01-01T06:30:00+00:00"), "l": corpus.ListValue(nil),
			"ls": corpus.ListValue([]string{"a", "b"}), "mixed": text("2023-11-15"),
		}},
		{DocID: "c"},
	}
	layout := write(t, dir, rows)
	types := map[string]string{}
	for _, c := range layout.Columns {
		types[c.Name] = c.Type.String()
	}
	want := map[string]string{"n": "BIGINT", "x": "DOUBLE", "nx": "DOUBLE", "b": "BOOLEAN", "d": "DATE", "ts": "TIMESTAMP",
		"dts": "TIMESTAMP", "l": "VARCHAR[]", "ls": "VARCHAR[]", "mixed": "VARCHAR", "j": "VARCHAR"}
	if !reflect.DeepEqual(types, want) {
		t.Errorf("types\n%v\nwant\n%v", types, want)
	}
	type back struct {
		DocID string   `parquet:"doc_id"`
		N     *int64   `parquet:"n,optional"`
		X     *float64 `parquet:"x,optional"`
		NX    *float64 `parquet:"nx,optional"`
		B     *bool    `parquet:"b,optional"`
		D     *int32   `parquet:"d,optional,date"`
		TS    *int64   `parquet:"ts,optional,timestamp(microsecond:local)"`
		DTS   *int64   `parquet:"dts,optional,timestamp(microsecond:local)"`
		L     []string `parquet:"l,optional,list"`
		LS    []string `parquet:"ls,optional,list"`
		Mixed *string  `parquet:"mixed,optional"`
		J     *string  `parquet:"j,optional"`
	}
	got, err := ReadRows[back](filepath.Join(dir, DocumentsTable))
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := got[0], got[1], got[2]
	day := func(s string) int32 { d, _ := time.Parse(time.DateOnly, s); return int32(d.Unix() / 86400) }
	us := func(s string) int64 { d, _ := time.Parse(time.RFC3339, s); return d.UnixMicro() }
	checks := []struct {
		what string
		ok   bool
	}{
		{"n", *a.N == 2015 && *b.N == -1},
		{"x", *a.X == 0.5 && *b.X == 2.25},
		{"nx widened", *a.NX == 1 && *b.NX == 1.5},
		{"b", *a.B && !*b.B},
		{"d", *a.D == day("2023-11-15") && *b.D == day("2024-02-29")},
		{"ts in UTC", *a.TS == us("2023-11-15T19:02:00Z") && *b.TS == us("2024-01-01T00:00:00Z")},
		{"date widened to midnight", *a.DTS == us("2023-11-15T00:00:00Z") && *b.DTS == us("2024-01-01T06:30:00Z")},
		{"l", reflect.DeepEqual(a.L, []string{"china", "trade"}) && len(b.L) == 0},
		{"scalar in a list column", reflect.DeepEqual(a.LS, []string{"china"}) && reflect.DeepEqual(b.LS, []string{"a", "b"})},
		{"mixed as written", *a.Mixed == "2015" && *b.Mixed == "2023-11-15"},
		{"json text", *a.J == `{"a":1}` && b.J == nil},
		{"nulls", c.N == nil && c.D == nil && c.TS == nil && c.L == nil && c.Mixed == nil},
	}
	for _, ch := range checks {
		if !ch.ok {
			t.Errorf("%s: %+v / %+v / %+v", ch.what, a, b, c)
		}
	}
}

// TestMetaColumnNamesAreDistinct is row (b) of the hostile-input issue: keys doc_id
// and meta_doc_id in one corpus gave two Parquet columns named meta_doc_id.
func TestMetaColumnNamesAreDistinct(t *testing.T) {
	rows := []DocumentRow{{DocID: "a", Meta: map[string]corpus.Value{
		"doc_id": text("x"), "meta_doc_id": text("y"), "meta_doc_id_2": text("z"), "Year": text("1"), "year": text("2"),
		"TITLE": text("t"), "meta_extra": text("e"), "a,b": text("c"), "": text("empty"), "line\nbreak": text("n"),
	}}}
	dir := t.TempDir()
	layout := write(t, dir, rows)
	names := map[string]string{}
	for _, c := range layout.Columns {
		names[c.Key] = c.Name
	}
	want := map[string]string{
		"doc_id": "meta_doc_id_3", "meta_doc_id": "meta_doc_id", "meta_doc_id_2": "meta_doc_id_2",
		"Year": "Year", "year": "meta_year", "TITLE": "meta_TITLE", "meta_extra": "meta_meta_extra",
		"a,b": "a_b", "": "meta_", "line\nbreak": "line_break",
	}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("names\n%v\nwant\n%v", names, want)
	}
	type back struct {
		DocID  string  `parquet:"doc_id"`
		Meta   *string `parquet:"meta_doc_id,optional"`
		Meta3  *string `parquet:"meta_doc_id_3,optional"`
		Year   *int64  `parquet:"Year,optional"`
		MetaYr *int64  `parquet:"meta_year,optional"`
	}
	got, err := ReadRows[back](filepath.Join(dir, DocumentsTable))
	if err != nil {
		t.Fatal(err)
	}
	if g := got[0]; g.DocID != "a" || *g.Meta != "y" || *g.Meta3 != "x" || *g.Year != 1 || *g.MetaYr != 2 {
		t.Errorf("row %+v", g)
	}
}

// TestMetaColumnsAreCapped is row (a) of the hostile-input issue: 100,000 distinct
// keys made the writer panic (column index out of range: 65535).
func TestMetaColumnsAreCapped(t *testing.T) {
	const keys = 100_000
	rows := make([]DocumentRow, 3)
	for i := range rows {
		rows[i] = DocumentRow{DocID: fmt.Sprint("d", i), Meta: map[string]corpus.Value{}}
	}
	for k := 0; k < keys; k++ {
		rows[0].Meta[fmt.Sprintf("c%06d", k)] = corpus.IntValue(int64(k))
	}
	// A key every document has wins a column over the 100,000 held by one.
	for i := range rows {
		rows[i].Meta["zz_shared"] = text("s")
	}
	dir := t.TempDir()
	layout := write(t, dir, rows)
	if len(layout.Columns) != MaxMetaColumns || len(layout.Extra) != keys+1-MaxMetaColumns {
		t.Fatalf("%d columns and %d extra keys", len(layout.Columns), len(layout.Extra))
	}
	if c := layout.Columns[len(layout.Columns)-1]; c.Name != "zz_shared" {
		t.Errorf("last column %q, want zz_shared (held by every document)", c.Name)
	}
	if c := layout.Columns[0]; c.Name != "c000000" {
		t.Errorf("first column %q, want c000000 (ties go to the first key in byte order)", c.Name)
	}
	type back struct {
		DocID string  `parquet:"doc_id"`
		First *int64  `parquet:"c000000,optional"`
		Extra *string `parquet:"meta_extra,optional"`
	}
	got, err := ReadRows[back](filepath.Join(dir, DocumentsTable))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Extra == nil || got[1].Extra != nil || *got[0].First != 0 {
		t.Fatalf("rows %+v", got)
	}
	var extra map[string]int64
	if err := json.Unmarshal([]byte(*got[0].Extra), &extra); err != nil {
		t.Fatal(err)
	}
	if len(extra) != keys+1-MaxMetaColumns || extra["c099999"] != 99999 {
		t.Errorf("meta_extra holds %d keys, c099999=%d", len(extra), extra["c099999"])
	}
}
