package corpus

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseTextTypesByForm(t *testing.T) {
	utc := func(s string) time.Time {
		ts, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return ts.UTC()
	}
	cases := []struct {
		in   string
		kind Kind
		want any // int64, float64, bool, time.Time, or nil for a string
	}{
		{"2015", KindInt, int64(2015)},
		{"-3", KindInt, int64(-3)},
		{"0", KindInt, int64(0)},
		{" 70 ", KindInt, int64(70)},
		{"007", KindString, nil},                  // a code, not a number
		{"01001", KindString, nil},                // a FIPS code
		{"99999999999999999999", KindString, nil}, // does not fit int64
		{"0.25", KindFloat, 0.25},
		{"-1.5", KindFloat, -1.5},
		{"1.5E+20", KindFloat, 1.5e20},
		{"3e8", KindFloat, 3e8},
		{"1.", KindString, nil},
		{".5", KindString, nil},
		{"NaN", KindString, nil},
		{"Inf", KindString, nil},
		{"true", KindBool, true},
		{"FALSE", KindBool, false},
		{"yes", KindString, nil},
		{"2023-11-15", KindDate, utc("2023-11-15T00:00:00Z")},
		{"2023-02-30", KindString, nil},
		{"2023-11-15 14:02:00-05:00", KindTimestamp, utc("2023-11-15T19:02:00Z")},
		{"2023-11-15T14:02:00Z", KindTimestamp, utc("2023-11-15T14:02:00Z")},
		{"2023-11-15T14:02:00.123456789+01:00", KindTimestamp, utc("2023-11-15T13:02:00.123456Z")},
		{"2023-11-15T14:02+0530", KindTimestamp, utc("2023-11-15T08:32:00Z")},
		{"2023-11-15 14:02:00 +02", KindTimestamp, utc("2023-11-15T12:02:00Z")},
		{"2023-11-15 14:02:00", KindTimestamp, utc("2023-11-15T14:02:00Z")}, // naive: UTC
		{"2023-11-15 25:02:00", KindString, nil},
		{"2023-11-15 14:02:00+25:00", KindString, nil},
		{"15/11/2023", KindString, nil},
		{"CHN", KindString, nil},
	}
	for _, c := range cases {
		v, ok := ParseText(c.in)
		if !ok {
			t.Errorf("ParseText(%q): no value", c.in)
			continue
		}
		if v.Kind != c.kind || v.Text != c.in {
			t.Errorf("ParseText(%q) = %s %q, want %s with the text as written", c.in, v.Kind, v.Text, c.kind)
			continue
		}
		var got any
		switch v.Kind {
		case KindInt:
			got = v.Int
		case KindFloat:
			got = v.Float
		case KindBool:
			got = v.Bool
		case KindDate, KindTimestamp:
			got = v.Time
			if v.Time.Location() != time.UTC {
				t.Errorf("ParseText(%q): time in %v, want UTC", c.in, v.Time.Location())
			}
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseText(%q) = %v, want %v", c.in, got, c.want)
		}
	}
	for _, empty := range []string{"", "  ", "\t"} {
		if _, ok := ParseText(empty); ok {
			t.Errorf("ParseText(%q) is a value, want none (null)", empty)
		}
	}
}

// TestFrontMatterOfAWhiteHouseStatementIsTyped reads front matter as the White House
// briefing-room corpus writes it: a quoted date, unquoted date-times with an offset,
// a scalar tag, a wrapped title.
func TestFrontMatterOfAWhiteHouseStatementIsTyped(t *testing.T) {
	src := "---\ndate: '2023-11-15'\nmodified_time: 2023-11-15 14:05:10-05:00\npublished_time: 2023-11-15 14:02:00-05:00\n" +
		"source_url: https://www.whitehouse.gov/briefing-room/statements-releases/2023/11/15/readout/\ntags: statements-releases\n" +
		"title: \"Readout of President\\_Biden's Meeting with President Xi\\\n  \\ Jinping\"\n" +
		"topics: [china, trade, 2023]\nscore: 1.50\nofficial: true\nsession: '70'\nlinks:\n  - {url: a}\nratio: .inf\nnone: ~\n---\nPresident Biden met President Xi.\n"
	doc := readOne(t, writeFile(t, t.TempDir(), "2023-11/2023-11-15-readout.md", []byte(src)))
	if doc.Title != "Readout of President\u00a0Biden's Meeting with President Xi Jinping" {
		t.Errorf("title %q", doc.Title)
	}
	want := map[string]string{
		"date":           "date 2023-11-15",
		"modified_time":  "timestamp 2023-11-15 14:05:10-05:00",
		"published_time": "timestamp 2023-11-15 14:02:00-05:00",
		"source_url":     "string https://www.whitehouse.gov/briefing-room/statements-releases/2023/11/15/readout/",
		"tags":           "string statements-releases",
		"topics":         `list ["china","trade","2023"]`,
		"score":          "decimal 1.50",
		"official":       "boolean true",
		"session":        "integer 70",
		"links":          `json [{"url":"a"}]`,
		"ratio":          "string .inf",
	}
	if got := metaOf(doc); !reflect.DeepEqual(got, want) {
		t.Errorf("meta\n%v\nwant\n%v", got, want)
	}
	if got := doc.Meta["published_time"].Time; !got.Equal(time.Date(2023, 11, 15, 19, 2, 0, 0, time.UTC)) || got.Location() != time.UTC {
		t.Errorf("published_time %v, want 19:02 UTC", got)
	}
	if got := doc.Meta["date"].Time; !got.Equal(time.Date(2023, 11, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("date %v", got)
	}
}

func TestFrontMatterAliasesCannotExplode(t *testing.T) {
	src := "---\na: &a [x, y]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\nd: &d {k: *d}\ne: &s word\nf: *s\n---\nBody.\n"
	doc := readOne(t, writeFile(t, t.TempDir(), "n.md", []byte(src)))
	want := map[string]string{
		"a": `list ["x","y"]`, "b": `json ["*a","*a","*a"]`, "c": `json ["*b","*b","*b"]`,
		"d": `json {"k":"*d"}`, "e": "string word", "f": "string word",
	}
	if got := metaOf(doc); !reflect.DeepEqual(got, want) {
		t.Errorf("meta\n%v\nwant\n%v", got, want)
	}
}

func TestJSONLFieldsKeepTheirTypes(t *testing.T) {
	src := `{"id":"a","text":"Peace.","year":2015,"big":123456789012345678901,"share":2.50,"ok":false,"date":"2023-11-15","at":"2023-11-15T14:02:00-05:00","tags":["china",1,true,null],"speaker":{"name":"Xi","roles":["president"]},"nested":[[1]],"code":"007","none":null,"empty":""}` + "\n"
	docs, recs, err := readPath(t, writeFile(t, t.TempDir(), "r.jsonl", []byte(src)), Options{})
	if err != nil || len(recs) != 0 || len(docs) != 1 {
		t.Fatalf("%d docs, %v, %v", len(docs), recs, err)
	}
	want := map[string]string{
		"year": "integer 2015", "big": "decimal 123456789012345678901", "share": "decimal 2.50", "ok": "boolean false",
		"date": "date 2023-11-15", "at": "timestamp 2023-11-15T14:02:00-05:00", "tags": `list ["china","1","true"]`,
		"speaker": `json {"name":"Xi","roles":["president"]}`, "nested": "json [[1]]", "code": "string 007",
	}
	if got := metaOf(docs[0]); !reflect.DeepEqual(got, want) {
		t.Errorf("meta\n%v\nwant\n%v", got, want)
	}
}

// TestJSONLTextThatIsNotAStringIsARecordError is row (c) of the hostile-input issue:
// "text": 42 used to become a document whose text was "42".
func TestJSONLTextThatIsNotAStringIsARecordError(t *testing.T) {
	src := strings.Join([]string{
		`{"id":"n","text":42}`,
		`{"id":"b","text":true}`,
		`{"id":"l","text":["a","b"]}`,
		`{"id":"o","text":{"en":"Peace."}}`,
		`{"id":"z","text":null}`,
		`{"id":{"x":1},"text":"Id is an object."}`,
		`{"id":"s","text":"A string."}`,
	}, "\n")
	docs, recs, err := readPath(t, writeFile(t, t.TempDir(), "r.jsonl", []byte(src)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || docs[0].ID != "s" {
		t.Errorf("documents %+v, want only s", docs)
	}
	want := []RecordError{
		{"n", `line 1: field "text" is not a string (found a number)`},
		{"b", `line 2: field "text" is not a string (found a boolean)`},
		{"l", `line 3: field "text" is not a string (found an array)`},
		{"o", `line 4: field "text" is not a string (found an object or a nested array)`},
		{"z", `line 5: no "text" field`},
		{"r.jsonl#6", `line 6: field "id" is not a string or a number (found an object or a nested array)`},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("record errors\n%v\nwant\n%v", recs, want)
	}
}

func TestCSVCellsAreTypedByForm(t *testing.T) {
	src := "id,text,year,share,official,date,published,code,note\n" +
		"a,Peace.,2015,0.25,TRUE,2023-11-15,2023-11-15 14:02:00-05:00,007,\n"
	docs, _, err := readPath(t, writeFile(t, t.TempDir(), "r.csv", []byte(src)), Options{})
	if err != nil || len(docs) != 1 {
		t.Fatalf("%d docs, %v", len(docs), err)
	}
	want := map[string]string{"year": "integer 2015", "share": "decimal 0.25", "official": "boolean TRUE",
		"date": "date 2023-11-15", "published": "timestamp 2023-11-15 14:02:00-05:00", "code": "string 007"}
	if got := metaOf(docs[0]); !reflect.DeepEqual(got, want) {
		t.Errorf("meta\n%v\nwant\n%v (an empty cell is no value)", got, want)
	}
}

func TestMetaPatternValuesAreTyped(t *testing.T) {
	m, err := ParseMetaPattern("{country}_{session}_{year}.txt")
	if err != nil {
		t.Fatal(err)
	}
	got := m.Values("Session 70 - 2015/CHN_70_2015.txt")
	if got["country"].Kind != KindString || got["country"].Text != "CHN" || got["session"].Kind != KindInt || got["session"].Int != 70 || got["year"].Int != 2015 {
		t.Errorf("Values = %+v", got)
	}
	m, _ = ParseMetaPattern("{date}_{slug}.md")
	if v := m.Values("2023-11/2023-11-15_readout.md")["date"]; v.Kind != KindDate || v.Text != "2023-11-15" {
		t.Errorf("date part %+v", v)
	}
}
