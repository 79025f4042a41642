package corpus

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// A JSONL line above --max-bytes costs that record only: the records after it are
// read, and the error names the line.
func TestReadJSONLLongLineCostsItsRecordOnly(t *testing.T) {
	long := `{"id": "long", "text": "` + strings.Repeat("a ", 3000) + `"}`
	for _, end := range []string{"\n", "\r\n"} {
		src := `{"id": "one", "text": "First speech."}` + end + long + end + `{"id": "three", "text": "Third speech."}` + end + long
		docs, recs, err := readPath(t, writeFile(t, t.TempDir(), "s.jsonl", []byte(src)), Options{MaxBytes: 4096})
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) != 2 || docs[0].ID != "one" || docs[1].ID != "three" || docs[1].Text != "Third speech." {
			t.Fatalf("documents %+v, want one and three", docs)
		}
		want := []RecordError{
			{"s.jsonl#2", "line 2: record is 5.9 KB, above --max-bytes 4 KB; record skipped"},
			{"s.jsonl#4", "line 4: record is 5.9 KB, above --max-bytes 4 KB; record skipped"},
		}
		if !reflect.DeepEqual(recs, want) {
			t.Errorf("record errors %v, want %v", recs, want)
		}
	}
	// A line of exactly --max-bytes is a record like any other.
	exact := `{"text": "` + strings.Repeat("b", 100-12) + `"}`
	if len(exact) != 100 {
		t.Fatal(len(exact))
	}
	docs, recs, err := readPath(t, writeFile(t, t.TempDir(), "e.jsonl", []byte(exact+"\n")), Options{MaxBytes: 100})
	if err != nil || len(docs) != 1 || len(recs) != 0 {
		t.Errorf("a line of exactly --max-bytes: %d docs, %v, %v", len(docs), recs, err)
	}
}

// An unterminated quote in record 1 of 3 costs record 1, named by the line its quote
// opens on; records 2 and 3, which encoding/csv would swallow into record 1's text,
// are read.
func TestReadCSVUnterminatedQuoteCostsItsRecordOnly(t *testing.T) {
	src := "id,text\n" +
		"one,\"We call for cooperation, and the quote never closes.\n" +
		"two,Second speech.\n" +
		"three,\"Third speech,\nover two lines.\"\n"
	docs, recs, err := readPath(t, writeFile(t, t.TempDir(), "s.csv", []byte(src)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].ID != "two" || docs[1].ID != "three" || docs[1].Text != "Third speech,\nover two lines." {
		t.Fatalf("documents %+v, want two and three", docs)
	}
	want := []RecordError{{"s.csv#1", "line 2: unterminated quote: the quoted field that opens on line 2 does not close on its line and runs into later records (a single \" below it); record skipped, reading goes on at line 3"}}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("record errors %v, want %v", recs, want)
	}
	// Without a quote below it, the field runs to the end of the file.
	src = "id,text\none,\"Never closed.\ntwo,Second.\nthree,Third.\n"
	docs, recs, err = readPath(t, writeFile(t, t.TempDir(), "s.csv", []byte(src)), Options{})
	if err != nil || len(docs) != 2 || docs[0].ID != "two" || docs[1].ID != "three" {
		t.Fatalf("documents %+v, %v", docs, err)
	}
	want = []RecordError{{"s.csv#1", "line 2: unterminated quote: the quoted field that opens on line 2 never closes; record skipped, reading goes on at line 3"}}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("record errors %v, want %v", recs, want)
	}
	// A real multi-line field with doubled quotes is one record.
	src = "id,text\none,\"He said \"\"no\"\",\nthen \"\"yes\"\".\"\ntwo,Second.\n"
	docs, recs, err = readPath(t, writeFile(t, t.TempDir(), "s.csv", []byte(src)), Options{})
	if err != nil || len(recs) != 0 || len(docs) != 2 || docs[0].Text != "He said \"no\",\nthen \"yes\"." {
		t.Errorf("documents %+v, %v, %v", docs, recs, err)
	}
}

// A CSV record above --max-bytes is refused as a JSONL line is, and the next is read.
func TestReadCSVRecordAboveMaxBytesCostsItsRecordOnly(t *testing.T) {
	for _, quoted := range []bool{false, true} {
		field := strings.Repeat("word ", 2000)
		if quoted {
			field = `"` + strings.Repeat("word,\n", 2000) + `"`
		}
		src := "id,text\none,First.\ntwo," + field + "\nthree,Third.\n"
		docs, recs, err := readPath(t, writeFile(t, t.TempDir(), "s.csv", []byte(src)), Options{MaxBytes: 4096})
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) != 2 || docs[0].ID != "one" || docs[1].ID != "three" {
			t.Fatalf("quoted=%v: documents %+v, want one and three", quoted, docs)
		}
		if len(recs) != 1 || recs[0].DocID != "s.csv#2" || !strings.HasPrefix(recs[0].Reason, "line 3: record is ") || !strings.HasSuffix(recs[0].Reason, "above --max-bytes 4 KB; record skipped") {
			t.Errorf("quoted=%v: record errors %v", quoted, recs)
		}
	}
}

// csvByEncoding reads src with encoding/csv as readCSV used to (LazyQuotes, any
// number of fields).
func csvByEncoding(src string, comma rune) ([][]string, error) {
	r := csv.NewReader(strings.NewReader(src))
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = comma, true, -1
	return r.ReadAll()
}

func csvByScanner(src string, comma byte) ([][]string, error) {
	s := newCSVScanner(strings.NewReader(src), comma, 1<<20)
	var out [][]string
	for {
		rec, err := s.next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		row := make([]string, len(rec.fields))
		for i, f := range rec.fields {
			row[i] = string(f)
		}
		out = append(out, row)
	}
}

// randomCSV writes records whose fields hold what real exports hold: separators,
// quotes, doubled quotes, line breaks (\n and \r\n) inside quoted fields, stray
// quotes inside unquoted ones, empty fields and blank lines. Every quoted field is
// closed: on such input the scanner must read what encoding/csv reads.
func randomCSV(rng *rand.Rand, comma byte) string {
	var b strings.Builder
	pieces := []string{"word", " ", "x", string(comma), "\"\"", "\n", "\r\n", "é", "5\" tall"}
	for r := 0; r < 1+rng.IntN(6); r++ {
		if rng.IntN(5) == 0 {
			b.WriteString("\n")
		}
		for f := 0; f < 1+rng.IntN(4); f++ {
			if f > 0 {
				b.WriteByte(comma)
			}
			if rng.IntN(2) == 0 {
				// A single quote inside a quoted field is read as encoding/csv reads it
				// only on the field's first line (see unterminatedQuoteError).
				b.WriteByte('"')
				broken := false
				for range rng.IntN(5) {
					p := pieces[rng.IntN(len(pieces))]
					if broken && p == "5\" tall" {
						continue
					}
					broken = broken || strings.Contains(p, "\n")
					b.WriteString(p)
				}
				b.WriteByte('"')
				continue
			}
			for range rng.IntN(3) {
				b.WriteString([]string{"word", "x y", "5\" tall", "é"}[rng.IntN(4)])
			}
		}
		b.WriteString([]string{"\n", "\r\n"}[rng.IntN(2)])
	}
	return b.String()
}

func TestCSVScannerReadsWhatEncodingCSVReads(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 5000; i++ {
		comma := []byte{',', '\t'}[i%2]
		src := randomCSV(rng, comma)
		want, werr := csvByEncoding(src, rune(comma))
		got, gerr := csvByScanner(src, comma)
		if werr != nil || gerr != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\nencoding/csv %q (%v)\nscanner      %q (%v)", src, want, werr, got, gerr)
		}
	}
}

func FuzzCSVScanner(f *testing.F) {
	f.Add("id,text\n1,\"a\"\"b\"\n")
	f.Add("a,\"b\nc\"\r\n\n\"d,e\"\"\",f\n")
	f.Add("x,\"never closed\ny,z\n")
	f.Fuzz(func(t *testing.T, src string) {
		s := newCSVScanner(strings.NewReader(src), ',', 64)
		for i := 0; ; i++ {
			rec, err := s.next()
			if errors.Is(err, io.EOF) {
				return
			}
			if i > 2*len(src)+2 {
				t.Fatalf("%q: more records than the input has bytes", src)
			}
			var ut *unterminatedQuoteError
			var tl *recordTooLongError
			if err != nil && !errors.As(err, &ut) && !errors.As(err, &tl) {
				t.Fatalf("%q: %v", src, err)
			}
			for _, fv := range rec.fields {
				if len(fv) > 64 {
					t.Fatalf("%q: a field of %d bytes above the limit", src, len(fv))
				}
			}
		}
	})
}

func TestCSVScannerAgreesOnLongRandomFiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var b bytes.Buffer
	for i := 0; i < 300; i++ {
		b.WriteString(randomCSV(rng, ','))
	}
	want, _ := csvByEncoding(b.String(), ',')
	got, err := csvByScanner(b.String(), ',')
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("%d records against encoding/csv's %d (%v)", len(got), len(want), err)
	}
	_ = fmt.Sprint()
}
