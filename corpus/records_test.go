package corpus

import (
	"reflect"
	"strings"
	"testing"
)

func TestReadJSONLRecords(t *testing.T) {
	src := strings.Join([]string{
		`{"id":"CHN_70_2015","text":"We call for win-win cooperation.","country":"CHN","year":2015,"share":0.25,"official":true,"tags":["a"],"note":null,"title":"Address"}`,
		``,
		`{"text":"A record without an id.\r\nSecond line."}`,
		`{"id":"bad", "text": "unclosed`,
		`{"id":"notext","speaker":"someone"}`,
		`["an","array"]`,
		`{"id":"CHN_70_2015","text":"The same id again."}`,
		`{"id":7,"text":"  "}`,
		`{"id":8,"text":{"nested":"object"}}`,
		`{"id":9,"text":"Last one."} trailing`,
	}, "\n")
	docs, recs, err := readPath(t, writeFile(t, t.TempDir(), "speeches.jsonl", []byte(src)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 {
		t.Fatalf("got %d documents, want 2: %+v", len(docs), docs)
	}
	first := docs[0]
	if first.ID != "CHN_70_2015" || first.Source != "speeches.jsonl" || first.Format != "jsonl" || first.Title != "Address" || first.Text != "We call for win-win cooperation." {
		t.Errorf("first document %+v", first)
	}
	wantMeta := map[string]string{"country": "string CHN", "year": "integer 2015", "share": "decimal 0.25", "official": "boolean true", "tags": `list ["a"]`}
	if got := metaOf(first); !reflect.DeepEqual(got, wantMeta) {
		t.Errorf("meta %v, want %v", got, wantMeta)
	}
	// The second record has no id: RelPath + "#" + its record number (blank lines do not count).
	if docs[1].ID != "speeches.jsonl#2" || docs[1].Text != "A record without an id.\nSecond line." {
		t.Errorf("second document %+v", docs[1])
	}
	want := []RecordError{
		{"speeches.jsonl#3", "line 4: invalid JSON: unexpected end of line (unclosed object or string?)"},
		{"notext", `line 5: no "text" field`},
		{"speeches.jsonl#5", "line 6: not a JSON object (found an array)"},
		{"CHN_70_2015", `line 7: duplicate id "CHN_70_2015" (first used by record 1); record skipped`},
		{"7", `line 8: empty "text" field`},
		{"8", `line 9: field "text" is not a string (found an object or a nested array)`},
		{"speeches.jsonl#9", "line 10: invalid JSON: more than one value on the line"},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("record errors:\n%v\nwant\n%v", recs, want)
	}
}

func TestReadJSONLCustomFieldsAndWrongFieldName(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "r.ndjson", []byte(`{"doc":"d1","body":"Peace.","text":"ignored"}`+"\n"+`{"doc":"d2","body":"Development."}`+"\n"))
	docs, recs, err := readPath(t, p, Options{TextField: "body", IDField: "doc"})
	if err != nil || len(recs) != 0 || len(docs) != 2 {
		t.Fatalf("%d docs, %v, %v", len(docs), recs, err)
	}
	if docs[0].ID != "d1" || docs[0].Text != "Peace." || docs[0].Meta["text"].Text != "ignored" || docs[1].ID != "d2" {
		t.Errorf("documents %+v", docs)
	}
	// With the default fields the first record is read by its "text"; the second lacks one.
	docs, recs, err = readPath(t, p, Options{})
	if err != nil || len(docs) != 1 || docs[0].Text != "ignored" || docs[0].ID != "r.ndjson#1" {
		t.Errorf("default fields: %+v, %v", docs, err)
	}
	if len(recs) != 1 || recs[0].Reason != `line 2: no "text" field` {
		t.Errorf("default fields: record errors %v", recs)
	}
}

func TestReadJSONLNoRecordHasTheTextField(t *testing.T) {
	p := writeFile(t, t.TempDir(), "r.jsonl", []byte(`{"doc":"d1","body":"Peace."}`+"\n"+`{"doc":"d2","body":"Development."}`+"\n"))
	docs, recs, err := readPath(t, p, Options{})
	wantErr(t, "no text field", err, `no record has a "text" field (fields: body, doc); name the text field with --text-field`)
	if len(docs) != 0 || len(recs) != 0 {
		t.Errorf("got %d documents and %v as well", len(docs), recs)
	}
}

func TestReadJSONLWindows1252Line(t *testing.T) {
	p := writeFile(t, t.TempDir(), "r.jsonl", []byte("{\"text\":\"Caf\xe9 society.\"}\n{\"text\":\"Plain.\"}\n"))
	docs, recs, err := readPath(t, p, Options{})
	if err != nil || len(recs) != 0 || len(docs) != 2 {
		t.Fatalf("%d docs, %v, %v", len(docs), recs, err)
	}
	if docs[0].Text != "Café society." || docs[0].Encoding != "windows-1252" || docs[1].Encoding != "utf-8" {
		t.Errorf("documents %+v", docs)
	}
}

func TestReadCSVRecords(t *testing.T) {
	src := "\uFEFFid,country,text\r\n" +
		"CHN_70,CHN,\"We call for \"\"win-win\"\" cooperation,\r\nand dialogue.\"\r\n" +
		",USA,No id here.\r\n" +
		"short,row\r\n" +
		"FRA_70,FRA,Caf\xe9 diplomacy.\r\n" +
		"BAD,X,bell\x07\xe9\r\n"
	docs, recs, err := readPath(t, writeFile(t, t.TempDir(), "speeches.csv", []byte(src)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 3 {
		t.Fatalf("got %d documents, want 3: %+v", len(docs), docs)
	}
	if d := docs[0]; d.ID != "CHN_70" || d.Text != "We call for \"win-win\" cooperation,\nand dialogue." || d.Meta["country"].Text != "CHN" || d.Encoding != "utf-8-bom" || d.Format != "csv" {
		t.Errorf("first %+v", d)
	}
	if d := docs[1]; d.ID != "speeches.csv#2" || d.Meta["country"].Text != "USA" {
		t.Errorf("second %+v", d)
	}
	if d := docs[2]; d.ID != "FRA_70" || d.Text != "Café diplomacy." || d.Encoding != "windows-1252" {
		t.Errorf("third %+v", d)
	}
	want := []RecordError{
		{"speeches.csv#3", "line 5: 2 fields, but the header has 3"},
		{"speeches.csv#5", "line 7: invalid UTF-8 and not Windows-1252 text"},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("record errors %v, want %v", recs, want)
	}
}

func TestReadTSVAndMissingTextColumn(t *testing.T) {
	dir := t.TempDir()
	docs, recs, err := readPath(t, writeFile(t, dir, "s.tsv", []byte("id\ttext\tyear\nA\tOne \"quoted\" word, with comma.\t2015\n")), Options{})
	if err != nil || len(recs) != 0 || len(docs) != 1 {
		t.Fatalf("%d docs, %v, %v", len(docs), recs, err)
	}
	if docs[0].Text != `One "quoted" word, with comma.` || docs[0].Meta["year"].Int != 2015 || docs[0].Format != "tsv" {
		t.Errorf("document %+v", docs[0])
	}
	_, _, err = readPath(t, writeFile(t, dir, "wrong.csv", []byte("id,body\n1,Peace.\n")), Options{})
	wantErr(t, "no text column", err, `no "text" column (columns: id, body); name the text column with --text-field`)
}
