package output

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/framealign/framealign/corpus"
)

// TestDocumentsWriterMatchesWriteDocuments: MetaStats counted in two parts and merged
// give MetaColumns' layout, and DocumentsWriter with that layout writes the very bytes
// WriteDocuments writes, also when some keys go to meta_extra.
func TestDocumentsWriterMatchesWriteDocuments(t *testing.T) {
	var rows []DocumentRow
	for i := range 40 {
		meta := map[string]corpus.Value{"country": text("CHN"), "year": text(fmt.Sprint(2000 + i)),
			"when": text("2023-11-15"), "tags": corpus.ListValue([]string{"a", "b"})}
		if i%3 == 0 {
			meta["session"] = text("x70")
		} else {
			meta["session"] = text("70")
		}
		rows = append(rows, DocumentRow{DocID: fmt.Sprint("doc", i), NTokens: int64(i), Countries: []string{"CHN"}, Meta: meta})
	}
	for _, extra := range []bool{false, true} {
		rs := append([]DocumentRow(nil), rows...)
		if extra { // more keys than columns: the rarest go to meta_extra
			for k := range MaxMetaColumns + 2 {
				rs[k%len(rs)].Meta = mapWith(rs[k%len(rs)].Meta, fmt.Sprintf("k%05d", k), text("1"))
			}
		}
		a, b := MetaStats{}, MetaStats{}
		for i, r := range rs {
			if i < 15 {
				a.Add(r.Meta)
			} else {
				b.Add(r.Meta)
			}
		}
		a.Merge(b)
		want := MetaColumns(rs)
		if got := a.Layout(); !reflect.DeepEqual(got, want) {
			t.Fatalf("extra=%v: merged layout differs from MetaColumns", extra)
		}
		if extra != (len(want.Extra) > 0) {
			t.Fatalf("extra=%v: layout extra keys %d", extra, len(want.Extra))
		}
		dir := t.TempDir()
		if _, err := WriteDocuments(dir, "r1", rs); err != nil {
			t.Fatal(err)
		}
		whole, err := os.ReadFile(tmpName(dir, DocumentsTable, "r1"))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		w := NewDocumentsWriter(&buf, "r1", a.Layout())
		for _, r := range rs {
			if err := w.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if w.Rows() != int64(len(rs)) {
			t.Errorf("Rows() = %d", w.Rows())
		}
		if !bytes.Equal(buf.Bytes(), whole) {
			t.Errorf("extra=%v: DocumentsWriter wrote %d bytes unlike WriteDocuments' %d", extra, buf.Len(), len(whole))
		}
	}
}

func mapWith(m map[string]corpus.Value, k string, v corpus.Value) map[string]corpus.Value {
	out := make(map[string]corpus.Value, len(m)+1)
	for a, b := range m {
		out[a] = b
	}
	out[k] = v
	return out
}

// TestTableWriterMatchesTable: TableWriter writes the bytes a run's Table writes.
func TestTableWriterMatchesTable(t *testing.T) {
	dir := t.TempDir()
	var rows []Match
	for i := range 10000 {
		rows = append(rows, Match{DocID: fmt.Sprint("d", i/100), Dimension: "x", Cue: "c", SentenceIndex: int64(i), Text: "t", Actors: []string{}})
	}
	tab, err := CreateTable[Match](dir, MatchesTable, "r1")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	tw := NewTableWriter[Match](&buf, "r1")
	for i := 0; i < len(rows); i += 70 {
		part := rows[i:min(i+70, len(rows))]
		if err := tab.Write(part...); err != nil {
			t.Fatal(err)
		}
		if err := tw.Write(part...); err != nil {
			t.Fatal(err)
		}
	}
	if err := tab.Close(); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(tmpName(dir, MatchesTable, "r1"))
	if err != nil {
		t.Fatal(err)
	}
	if tw.Rows() != int64(len(rows)) || !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("TableWriter: %d rows, %d bytes; Table: %d bytes", tw.Rows(), buf.Len(), len(want))
	}
	back := filepath.Join(t.TempDir(), "m.parquet")
	if err := os.WriteFile(back, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadRows[Match](back)
	if err != nil || len(got) != len(rows) {
		t.Fatalf("read back %d rows: %v", len(got), err)
	}
}
