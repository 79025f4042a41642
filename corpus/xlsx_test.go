package corpus

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// makeXLSX builds a workbook in memory with excelize: build fills it (its first sheet
// is "Sheet1").
func makeXLSX(t testing.TB, build func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	build(f)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func style(t testing.TB, f *excelize.File, s *excelize.Style) int {
	t.Helper()
	id, err := f.NewStyle(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func setRow(t testing.TB, f *excelize.File, sheet string, row int, values ...any) {
	t.Helper()
	cell, _ := excelize.CoordinatesToCellName(1, row)
	if err := f.SetSheetRow(sheet, cell, &values); err != nil {
		t.Fatal(err)
	}
}

func setStyle(t testing.TB, f *excelize.File, sheet, cell string, id int) {
	t.Helper()
	if err := f.SetCellStyle(sheet, cell, cell, id); err != nil {
		t.Fatal(err)
	}
}

// pressConferenceWorkbook is a sheet laid out as the CMFA press-conference corpus
// ships: one question or answer per row, dates as Excel dates.
func pressConferenceWorkbook(t testing.TB, date1904 bool) []byte {
	return makeXLSX(t, func(f *excelize.File) {
		if date1904 {
			yes := true
			if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
				t.Fatal(err)
			}
		}
		const s = "Sheet1"
		setRow(t, f, s, 1, "id", "text", "spokesperson", "date", "published", "day", "share", "amount", "official", "code", "", "logged")
		// Serial 45245 is 2023-11-15 in the 1900 system; 43783 the same day in the 1904 one.
		serial := 45245.0
		if date1904 {
			serial = 43783.0
		}
		setRow(t, f, s, 2, "q1", "Will China and the US resume military dialogue?", "Wang Wenbin", serial, serial+0.584722222, serial, 0.25, 1234.5, true, "007", "x", serial+0.5)
		setRow(t, f, s, 4, "q2", "We call for win-win cooperation.\r\nAnd dialogue.", "Mao Ning", serial+1, serial+1.5, serial+1, 1, 2, false, "008", "", serial)
		setRow(t, f, s, 5, "q3", "   ", "Mao Ning")
		setRow(t, f, s, 6, "q4", "Too many cells.", "Mao Ning", nil, nil, nil, nil, nil, nil, nil, nil, nil, "extra")
		setRow(t, f, s, 7, nil, "No id.")
		date := style(t, f, &excelize.Style{NumFmt: 14})
		dateTime := style(t, f, &excelize.Style{NumFmt: 22})
		long := "d mmmm yyyy"
		dayStyle := style(t, f, &excelize.Style{CustomNumFmt: &long})
		percent := style(t, f, &excelize.Style{NumFmt: 9})
		money := style(t, f, &excelize.Style{NumFmt: 4})
		secs := `[$-409]yyyy/mm/dd\ h:mm:ss;@`
		logged := style(t, f, &excelize.Style{CustomNumFmt: &secs})
		for _, r := range []string{"2", "4"} {
			setStyle(t, f, s, "D"+r, date)
			setStyle(t, f, s, "E"+r, dateTime)
			setStyle(t, f, s, "F"+r, dayStyle)
			setStyle(t, f, s, "G"+r, percent)
			setStyle(t, f, s, "H"+r, money)
			setStyle(t, f, s, "L"+r, logged)
		}
		if _, err := f.NewSheet("Answers"); err != nil {
			t.Fatal(err)
		}
		setRow(t, f, "Answers", 1, "id", "body")
		setRow(t, f, "Answers", 2, "a1", "China's position is consistent and clear.")
	})
}

func TestReadXLSXRowsAsRecords(t *testing.T) {
	for _, date1904 := range []bool{false, true} {
		p := writeFile(t, t.TempDir(), "presscon.xlsx", pressConferenceWorkbook(t, date1904))
		docs, recs, err := readPath(t, p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) != 3 {
			t.Fatalf("1904=%v: %d documents, want 3: %+v", date1904, len(docs), docs)
		}
		d := docs[0]
		if d.ID != "q1" || d.Format != "xlsx" || d.Encoding != "utf-8" || d.Source != "presscon.xlsx" || d.Text != "Will China and the US resume military dialogue?" {
			t.Errorf("first %+v", d)
		}
		want := map[string]string{
			"spokesperson": "string Wang Wenbin",
			"date":         "date 2023-11-15",
			"published":    "timestamp 2023-11-15 14:02:00",
			"day":          "date 2023-11-15",
			"share":        "decimal 0.25",
			"amount":       "decimal 1234.5",
			"official":     "boolean TRUE",
			"code":         "string 007",
			"K":            "string x",
			"logged":       "timestamp 2023-11-15 12:00:00",
		}
		if got := metaOf(d); !reflect.DeepEqual(got, want) {
			t.Errorf("1904=%v: meta\n%v\nwant\n%v", date1904, got, want)
		}
		if got := d.Meta["published"].Time.Format("2006-01-02 15:04:05 MST"); got != "2023-11-15 14:02:00 UTC" {
			t.Errorf("published %s", got)
		}
		if d := docs[1]; d.ID != "q2" || d.Text != "We call for win-win cooperation.\nAnd dialogue." || d.Meta["amount"].Kind != KindInt || d.Meta["logged"].Text != "2023-11-15 00:00:00" {
			t.Errorf("second %+v", d)
		}
		if d := docs[2]; d.ID != "presscon.xlsx#5" || d.Text != "No id." {
			t.Errorf("third %+v", d)
		}
		// Row 3 is empty and not a record; every other row is a document or an error.
		wantRecs := []RecordError{
			{"q3", `row 5: empty "text" field`},
			{"presscon.xlsx#4", "row 6: 13 cells, but the header has 12 columns"},
		}
		if !reflect.DeepEqual(recs, wantRecs) {
			t.Errorf("record errors\n%v\nwant\n%v", recs, wantRecs)
		}
	}
}

func TestReadXLSXSheetAndFields(t *testing.T) {
	p := writeFile(t, t.TempDir(), "presscon.xlsx", pressConferenceWorkbook(t, false))
	docs, recs, err := readPath(t, p, Options{Sheet: "answers", TextField: "body"})
	if err != nil || len(recs) != 0 || len(docs) != 1 || docs[0].ID != "a1" || docs[0].Text != "China's position is consistent and clear." {
		t.Fatalf("--sheet answers: %+v %v %v", docs, recs, err)
	}
	_, _, err = readPath(t, p, Options{Sheet: "Questions"})
	wantErr(t, "missing sheet", err, `no sheet "Questions" (sheets: Sheet1, Answers); name one with --sheet`)
	_, _, err = readPath(t, p, Options{Sheet: "Answers"})
	wantErr(t, "no text column", err, `no "text" column in sheet "Answers" (columns: id, body); name the text column with --text-field`)
}

func TestReadXLSXStreamWrittenWorkbook(t *testing.T) {
	// excelize's stream writer writes inline strings, as many exporters do.
	data := makeXLSX(t, func(f *excelize.File) {
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			t.Fatal(err)
		}
		sw.SetRow("A1", []any{"text", "year"})
		sw.SetRow("A2", []any{"Peace and development.", 2015})
		sw.SetRow("A3", []any{"Mutual respect.", 2016})
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
	})
	docs, recs, err := readPath(t, writeFile(t, t.TempDir(), "s.xlsx", data), Options{})
	if err != nil || len(recs) != 0 || len(docs) != 2 {
		t.Fatalf("%+v %v %v", docs, recs, err)
	}
	if docs[1].ID != "s.xlsx#2" || docs[1].Meta["year"].Int != 2016 {
		t.Errorf("%+v", docs[1])
	}
}

func TestReadXLSXFailures(t *testing.T) {
	dir := t.TempDir()
	good := pressConferenceWorkbook(t, false)
	var locked bytes.Buffer
	{
		f, err := excelize.OpenReader(bytes.NewReader(good))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Write(&locked, excelize.Options{Password: "secret"}); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	empty := makeXLSX(t, func(f *excelize.File) {})
	header := makeXLSX(t, func(f *excelize.File) { setRow(t, f, "Sheet1", 1, "id", "text") })
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"locked.xlsx", locked.Bytes(), "password-protected Excel workbook (remove the password in Excel and save it again)"},
		{"text.xlsx", []byte("id,text\n1,Peace.\n"), "not an Excel workbook (.xlsx files are ZIP packages; this is not one)"},
		{"empty-sheet.xlsx", empty, `no records (sheet "Sheet1" is empty)`},
		{"header-only.xlsx", header, "no records"},
	}
	for _, c := range cases {
		_, _, err := readPath(t, writeFile(t, dir, c.name, c.data), Options{})
		wantErr(t, c.name, err, c.want)
	}
	// A workbook cut short (an interrupted download) is damaged, with a reason.
	_, _, err := readPath(t, writeFile(t, dir, "cut.xlsx", good[:len(good)/2]), Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "damaged Excel workbook") {
		t.Errorf("truncated workbook: %v", err)
	}
	_, _, err = readPath(t, writeFile(t, dir, "old.xls", []byte("x")), Options{})
	wantErr(t, "xls", err, "unsupported format .xls (an Excel 97-2003 workbook: open it in Excel or LibreOffice and save it as .xlsx)")
}

func TestReadBytesXLSX(t *testing.T) {
	var docs []Document
	_, err := ReadBytes("in/presscon.xlsx", pressConferenceWorkbook(t, false), Options{}, func(d Document) error {
		docs = append(docs, d)
		return nil
	})
	if err != nil || len(docs) != 3 || docs[2].ID != "in/presscon.xlsx#5" {
		t.Fatalf("%v %+v", err, docs)
	}
}

func TestNumFmtKind(t *testing.T) {
	cases := map[string][2]bool{
		"yyyy-mm-dd": {true, false}, "d mmmm yyyy": {true, false}, "m/d/yy h:mm": {true, true},
		`[$-409]yyyy/mm/dd\ h:mm:ss;@`: {true, true}, "hh:mm": {false, true}, "[h]:mm:ss": {false, true},
		"#,##0.00": {false, false}, `0.00 "days"`: {false, false}, "[Red]0.00": {false, false},
		`_("$"* #,##0_)`: {false, false}, "General": {false, false}, "0%;[Red]-0%": {false, false},
	}
	for code, want := range cases {
		if d, c := numFmtKind(code); d != want[0] || c != want[1] {
			t.Errorf("numFmtKind(%q) = %v, %v, want %v", code, d, c, want)
		}
	}
}

func FuzzReadXLSX(f *testing.F) {
	f.Add(pressConferenceWorkbook(f, false))
	f.Add(makeXLSX(f, func(x *excelize.File) { setRow(f, x, "Sheet1", 1, "text"); setRow(f, x, "Sheet1", 2, "Peace.") }))
	f.Add([]byte("PK\x03\x04"))
	f.Add(append(append([]byte{}, oleMagic...), make([]byte, 600)...))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "book.xlsx", data, Options{}) })
}
