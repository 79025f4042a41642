package similarity

import (
	"bytes"
	"slices"
	"testing"
)

// TestCompiledIDFTableIsCurrent compiles data/idf.tsv again and requires data/idf.bin
// to be that, byte for byte, and to answer every term of idf.tsv as the parsed table
// does. Fix: go generate ./extractors/similarity.
func TestCompiledIDFTableIsCurrent(t *testing.T) {
	want, err := CompileIDFTable(idfFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, []byte(idfCompiled)) {
		t.Fatalf("data/idf.bin (%d bytes) is not what data/idf.tsv compiles to now (%d bytes): run go generate ./extractors/similarity", len(idfCompiled), len(want))
	}
	parsed, err := ParseIDFTable(idfFile)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DefaultIDFTable()
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != parsed.Version || got.Corpus != parsed.Corpus || got.Documents != parsed.Documents ||
		got.Built != parsed.Built || got.MinDF != parsed.MinDF || got.Len() != parsed.Len() || got.maxIDF != parsed.maxIDF {
		t.Fatalf("compiled header %+v, parsed %+v", *got, *parsed)
	}
	if !slices.Equal(got.keys, parsed.keys) || !slices.Equal(got.idfs, parsed.idfs) {
		t.Fatal("compiled slots differ from the parsed table's")
	}
	_, body, _ := bytes.Cut(idfFile, []byte("\n"))
	n := 0
	for line := range bytes.Lines(body) {
		term, _, _ := bytes.Cut(line, []byte("\t"))
		if got.IDF(string(term)) == float64(got.maxIDF) && got.MinDF > 1 {
			t.Fatalf("term %q not found in the compiled table", term)
		}
		n++
	}
	if n != got.Len() {
		t.Fatalf("idf.tsv has %d terms, the compiled table %d", n, got.Len())
	}
}

// TestDecodeIDFTableDamaged: a cut or padded table fails with an error, not a panic.
func TestDecodeIDFTableDamaged(t *testing.T) {
	for _, n := range []int{0, 7, 8, 15, 16, 100, len(idfCompiled) / 2, len(idfCompiled) - 1} {
		if _, err := decodeIDFTable(idfCompiled[:n]); err == nil {
			t.Errorf("table cut to %d bytes: no error", n)
		}
	}
	if _, err := decodeIDFTable(idfCompiled + "\x00\x00\x00\x00"); err == nil {
		t.Error("table with trailing bytes: no error")
	}
	odd := ("x" + idfCompiled)[1:]
	tb, err := decodeIDFTable(odd)
	if err != nil {
		t.Fatal(err)
	}
	if tb.IDF("country") != mustDefault(t).IDF("country") {
		t.Error("an unaligned copy answers differently")
	}
}

func mustDefault(t *testing.T) *IDFTable {
	tb, err := DefaultIDFTable()
	if err != nil {
		t.Fatal(err)
	}
	return tb
}
