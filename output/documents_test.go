package output

import (
	"path/filepath"
	"testing"
)

func TestWriteDocumentsTypesMetadataColumns(t *testing.T) {
	dir := t.TempDir()
	rows := []DocumentRow{
		{DocID: "a/CHN_70_2015.txt", NTokens: 10, Countries: []string{"CHN", "USA"},
			Meta: map[string]string{"country": "CHN", "year": "2015", "session": "70"}},
		{DocID: "b/EU_70_2015.txt", NTokens: 3, Meta: map[string]string{"country": "EU", "year": "2015", "session": "x70"}},
		{DocID: "c.txt"},
	}
	if err := WriteDocuments(dir, "r1", rows); err != nil {
		t.Fatal(err)
	}
	if err := Commit(dir, "r1", []string{DocumentsTable}); err != nil {
		t.Fatal(err)
	}
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
