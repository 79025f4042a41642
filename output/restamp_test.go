package output

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRestampKeepsTheRowsAndNamesTheNewRun(t *testing.T) {
	dir := t.TempDir()
	iso := "CHN"
	var rows []Entity
	for i := 0; i < 70000; i++ { // three row groups, with page indexes
		r := Entity{DocID: "doc" + strings.Repeat("x", i%7), SentenceIndex: int64(i), CharStart: int64(i * 10),
			CharEnd: int64(i*10 + 5), Text: "China", Label: "GPE", Canonical: "China"}
		if i%3 == 0 {
			r.ISO3 = &iso
		}
		rows = append(rows, r)
	}
	writeEntities(t, dir, "run1", rows)
	before, _ := os.ReadFile(filepath.Join(dir, EntitiesTable))

	if err := Restamp(dir, EntitiesTable, "run2"); err != nil {
		t.Fatal(err)
	}
	if err := Commit(dir, "run2", []string{EntitiesTable}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, EntitiesTable)
	if id, err := TableRunID(path); err != nil || id != "run2" {
		t.Fatalf("run id after restamp = %q, %v; want run2", id, err)
	}
	got, err := ReadRows[Entity](path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, rows) {
		t.Fatalf("restamped table holds %d rows, not the %d written", len(got), len(rows))
	}
	after, _ := os.ReadFile(path)
	// The data pages and page indexes are the same bytes; only the footer differs.
	footerLen := int(binary.LittleEndian.Uint32(before[len(before)-8:]))
	if n := len(before) - 8 - footerLen; n < 1000 || len(after) < n || string(after[:n]) != string(before[:n]) {
		t.Error("restamp rewrote the data pages")
	}
}

func TestRestampRefusesAFileThatIsNotParquet(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, MatchesTable), []byte("not a parquet file at all"), 0o644)
	if err := Restamp(dir, MatchesTable, "r"); err == nil {
		t.Fatal("restamp of a text file succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("restamp left files behind: %d entries", len(entries))
	}
}

func TestReadSentenceCountriesAgreesWithReadRows(t *testing.T) {
	dir := t.TempDir()
	codes := []string{"CHN", "USA", "FRA"}
	var rows []Entity
	for i := 0; i < 70000; i++ { // several row groups and pages
		r := Entity{DocID: "doc" + strings.Repeat("y", i/5000), SentenceIndex: int64(i / 3), CharStart: int64(7 * i), CharEnd: int64(7*i + 1 + i%5),
			Text: "x", Label: []string{"GPE", "NORP"}[i%2], Canonical: "x"}
		if i%4 != 0 {
			r.ISO3 = &codes[i%3]
		}
		rows = append(rows, r)
	}
	writeEntities(t, dir, "r", rows)
	got, err := ReadSentenceCountries(filepath.Join(dir, EntitiesTable), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]SentenceCountry{}
	for _, r := range rows {
		if r.ISO3 != nil {
			want[r.DocID] = append(want[r.DocID], SentenceCountry{Sentence: int(r.SentenceIndex), ISO3: *r.ISO3,
				Start: int(r.CharStart), End: int(r.CharEnd), Label: r.Label})
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read %d documents' countries, want %d (or the values differ)", len(got), len(want))
	}
}

func TestReadSentenceCountriesReadsCitiesWhenAsked(t *testing.T) {
	dir := t.TempDir()
	jpn := "JPN"
	rows := []Entity{
		{DocID: "d", SentenceIndex: 0, CharStart: 0, CharEnd: 5, Text: "Japan", Label: "GPE", Canonical: "Japan", ISO3: &jpn},
		{DocID: "d", SentenceIndex: 0, CharStart: 9, CharEnd: 14, Text: "Tokyo", Label: "GPE", Canonical: "Tokyo"},
		{DocID: "d", SentenceIndex: 1, CharStart: 20, CharEnd: 26, Text: "Ohio", Label: "GPE", Canonical: "Ohio"},
		{DocID: "d", SentenceIndex: 1, CharStart: 30, CharEnd: 35, Text: "Tokyo", Label: "ORG", Canonical: "Tokyo"},
	}
	writeEntities(t, dir, "r", rows)
	path := filepath.Join(dir, EntitiesTable)
	countries, err := ReadSentenceCountries(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]SentenceCountry{"d": {{Sentence: 0, ISO3: "JPN", Start: 0, End: 5, Label: "GPE"}}}
	if !reflect.DeepEqual(countries, want) {
		t.Errorf("countries only: %+v, want %+v", countries, want)
	}
	withCities, err := ReadSentenceCountries(path, func(c string) bool { return c == "Tokyo" })
	if err != nil {
		t.Fatal(err)
	}
	want["d"] = append(want["d"], SentenceCountry{Sentence: 0, Start: 9, End: 14, Label: "GPE", Canonical: "Tokyo"})
	if !reflect.DeepEqual(withCities, want) {
		t.Errorf("with cities: %+v, want %+v", withCities, want)
	}
}

// writeEntities writes rows as the entities table of dir, committed by run runID.
func writeEntities(t *testing.T, dir, runID string, rows []Entity) {
	t.Helper()
	tbl, err := CreateTable[Entity](dir, EntitiesTable, runID)
	if err != nil {
		t.Fatal(err)
	}
	if err := tbl.Write(rows...); err != nil {
		t.Fatal(err)
	}
	if err := tbl.Close(); err != nil {
		t.Fatal(err)
	}
	if err := Commit(dir, runID, []string{EntitiesTable}); err != nil {
		t.Fatal(err)
	}
}
