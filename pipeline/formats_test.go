package pipeline

import (
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/framealign/framealign/output"
)

// TestRunReadsEveryFormatIntoOneSetOfTables runs a corpus of JSONL, CSV, HTML,
// Markdown and gzip files, with a malformed JSONL line, and checks the documents,
// their metadata columns and the record-level error a user would see.
func TestRunReadsEveryFormatIntoOneSetOfTables(t *testing.T) {
	root := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(root, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("statements.jsonl", `{"id": "s1", "speaker": "Wang Yi", "year": 2023, "text": "China and the United States should respect each other's core interests and pursue win-win cooperation."}
{"id": "s2", "speaker": "Blinken", "year": 2023, "text": "We will manage competition responsibly and keep channels of communication open."}
{"id": "s3", "speaker": broken}
`)
	write("speeches.csv", "id,country,text\nc1,FRA,\"Multilateralism and the United Nations Charter remain our compass, and we will work through the G20.\"\n")
	write("page.html", `<html><head><title>Joint statement</title><script>var x = "trade";</script></head>
<body><nav>Home | About</nav><p>The two sides agreed to strengthen people-to-people exchanges and trade.</p></body></html>`)
	write("note.md", "---\ntitle: A note\nauthor: Analyst\n---\nNuclear disarmament and arms control need dialogue between the major powers.\n")
	f, _ := os.Create(filepath.Join(root, "old.txt.gz"))
	gz := gzip.NewWriter(f)
	gz.Write([]byte("The Cold War mentality and zero-sum games must be rejected.\n"))
	gz.Close()
	f.Close()

	out := filepath.Join(t.TempDir(), "out")
	cfg := testConfig(t, []string{root}, out)
	cfg.MetaPattern = nil
	sum := mustRun(t, cfg)

	type doc struct {
		DocID   string  `parquet:"doc_id"`
		Source  string  `parquet:"source"`
		Format  string  `parquet:"format"`
		Title   string  `parquet:"title"`
		Speaker *string `parquet:"speaker,optional"`
		Year    *int64  `parquet:"year,optional"`
		Country *string `parquet:"country,optional"`
		Author  *string `parquet:"author,optional"`
	}
	docs := readTable[doc](t, out, output.DocumentsTable)
	got := map[string]doc{}
	var ids []string
	for _, d := range docs[1:] {
		got[d.DocID] = d
		ids = append(ids, d.DocID)
	}
	sort.Strings(ids)
	if strings.Join(ids, " ") != "c1 note.md old.txt.gz page.html s1 s2" {
		t.Fatalf("doc_ids = %v", ids)
	}
	if s1 := got["s1"]; s1.Speaker == nil || *s1.Speaker != "Wang Yi" || s1.Year == nil || *s1.Year != 2023 || s1.Source != "statements.jsonl" {
		t.Errorf("s1 = %+v", s1)
	}
	if c1 := got["c1"]; c1.Country == nil || *c1.Country != "FRA" || c1.Format != "csv" {
		t.Errorf("c1 = %+v", c1)
	}
	if p := got["page.html"]; p.Title != "Joint statement" || p.Format != "html" {
		t.Errorf("page.html = %+v", p)
	}
	if n := got["note.md"]; n.Author == nil || *n.Author != "Analyst" || n.Title != "A note" {
		t.Errorf("note.md = %+v", n)
	}
	errs := readTable[output.Error](t, out, output.ErrorsTable)
	if len(errs) != 1 || errs[0].Source != "statements.jsonl" || !strings.Contains(errs[0].Error, "line 3") {
		t.Errorf("errors = %+v, want the malformed line 3 of statements.jsonl", errs)
	}
	if sum.Failed != 1 || sum.Added != 6 {
		t.Errorf("summary %+v", sum)
	}

	// The HTML's script never reaches the text: no exchanges match inside it.
	matches := readTable[output.Match](t, out, output.MatchesTable)
	dims := map[string][]string{}
	for _, m := range matches {
		dims[m.DocID] = append(dims[m.DocID], m.Dimension)
		if m.DocID == "page.html" && strings.Contains(m.Sentence, "var x") {
			t.Errorf("script text matched: %+v", m)
		}
	}
	for id, want := range map[string]string{"s1": "win_win", "s2": "communication", "c1": "institutions", "page.html": "exchanges", "note.md": "nuclear_deterrence", "old.txt.gz": "non_confrontation"} {
		if !strings.Contains(strings.Join(dims[id], " "), want) {
			t.Errorf("%s: dimensions %v, want %s among them", id, dims[id], want)
		}
	}
}

// TestRunWithMoreMetadataKeysThanColumns is rows (a) and (b) of the hostile-input
// issue, end to end: a CSV of 100,000 columns and JSONL records with 70,000 distinct
// keys (which made WriteDocuments panic: column index out of range), and keys doc_id
// and meta_doc_id (which gave two columns named meta_doc_id).
func TestRunWithMoreMetadataKeysThanColumns(t *testing.T) {
	root := t.TempDir()
	var csv strings.Builder
	csv.WriteString("id,text")
	for i := 0; i < 100_000; i++ {
		fmt.Fprintf(&csv, ",c%d", i)
	}
	csv.WriteString("\nwide1,Peaceful coexistence and win-win cooperation.")
	for i := 0; i < 100_000; i++ {
		fmt.Fprintf(&csv, ",%d", i)
	}
	csv.WriteString("\n")
	var jsonl strings.Builder
	for r := 0; r < 7; r++ {
		fmt.Fprintf(&jsonl, `{"id":"k%d","text":"Dialogue and consultation.","doc_id":"theirs-%d","meta_doc_id":%d`, r, r, r)
		for k := 0; k < 10_000; k++ {
			fmt.Fprintf(&jsonl, `,"key_%d_%d":%d`, r, k, k)
		}
		jsonl.WriteString("}\n")
	}
	for name, content := range map[string]string{"wide.csv": csv.String(), "keys.jsonl": jsonl.String()} {
		if err := os.WriteFile(filepath.Join(root, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "out")
	cfg := testConfig(t, []string{root}, out)
	cfg.MetaPattern = nil
	sum := mustRun(t, cfg)
	if sum.Failed != 0 || sum.Documents != 9 || sum.MetaColumns != output.MaxMetaColumns || sum.MetaExtraKeys != 100_000+70_000+2-output.MaxMetaColumns {
		t.Fatalf("summary %+v", sum)
	}
	type doc struct {
		DocID     string  `parquet:"doc_id"`
		MetaDocID *int64  `parquet:"meta_doc_id,optional"`
		Theirs    *string `parquet:"meta_doc_id_2,optional"`
		Extra     *string `parquet:"meta_extra,optional"`
	}
	docs := readTable[doc](t, out, output.DocumentsTable)
	for _, d := range docs[1:] {
		if d.Extra == nil {
			t.Errorf("%s has no meta_extra", d.DocID)
		}
		if strings.HasPrefix(d.DocID, "k") && (d.MetaDocID == nil || d.Theirs == nil || *d.Theirs != "theirs-"+d.DocID[1:]) {
			t.Errorf("%s: meta_doc_id %v, meta_doc_id_2 %v", d.DocID, d.MetaDocID, d.Theirs)
		}
	}
}
