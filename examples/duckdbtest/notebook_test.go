package duckdbtest

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// notebook is the part of nbformat 4 that Jupyter checks before it opens a file.
type notebook struct {
	NBFormat      int                          `json:"nbformat"`
	NBFormatMinor int                          `json:"nbformat_minor"`
	Metadata      map[string]any               `json:"metadata"`
	Cells         []map[string]json.RawMessage `json:"cells"`
}

// cell is a notebook cell's common fields.
type cell struct {
	ID       string         `json:"id"`
	CellType string         `json:"cell_type"`
	Source   []string       `json:"source"`
	Metadata map[string]any `json:"metadata"`
}

var (
	// A bracketed list of lower-case quoted names: a subscript, a column list, sort keys.
	listRE    = regexp.MustCompile(`\[\s*("[a-z_0-9]+"(?:\s*,\s*"[a-z_0-9]+")*)\s*\]`)
	keywordRE = regexp.MustCompile(`\b(?:on|index|columns|values)="([a-z_0-9]+)"`)
	quotedRE  = regexp.MustCompile(`"([a-z_0-9]+)"`)
	derivedRE = regexp.MustCompile(`\b([a-z_0-9]+)=\(|\.rename\("([a-z_0-9]+)"\)`)
)

// TestNotebookIsValidAndNamesRealColumns checks examples/notebook.ipynb is nbformat 4
// JSON that Jupyter opens, and that every column its pandas cells name exists in the
// output tables (no Python or pyarrow is needed for that, so it runs anywhere).
func TestNotebookIsValidAndNamesRealColumns(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "examples", "notebook.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	var nb notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatalf("notebook.ipynb is not JSON: %v", err)
	}
	if nb.NBFormat != 4 || nb.Metadata == nil || len(nb.Cells) == 0 {
		t.Fatalf("nbformat %d.%d with %d cells, want format 4 with cells and metadata", nb.NBFormat, nb.NBFormatMinor, len(nb.Cells))
	}
	ids := map[string]bool{}
	var code strings.Builder
	for i, raw := range nb.Cells {
		var c cell
		b, _ := json.Marshal(raw)
		if err := json.Unmarshal(b, &c); err != nil {
			t.Errorf("cell %d: %v", i, err)
		}
		if c.Metadata == nil || c.Source == nil || (nb.NBFormatMinor >= 5 && (c.ID == "" || ids[c.ID])) {
			t.Errorf("cell %d: missing metadata, source or a unique id", i)
		}
		ids[c.ID] = true
		switch c.CellType {
		case "markdown":
		case "code":
			// null is a fine execution_count and [] fine outputs, but both keys must be there.
			if _, ok := raw["outputs"]; !ok {
				t.Errorf("cell %d: a code cell needs outputs", i)
			}
			if _, ok := raw["execution_count"]; !ok {
				t.Errorf("cell %d: a code cell needs execution_count", i)
			}
			code.WriteString(strings.Join(c.Source, ""))
			code.WriteString("\n")
		default:
			t.Errorf("cell %d: cell_type %q", i, c.CellType)
		}
	}

	dir := outputDir(t)
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	columns := map[string]bool{}
	for _, table := range []string{"documents", "scores", "matches", "phrases"} {
		rows, err := db.Query("SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet(?))", filepath.Join(dir, table+".parquet"))
		if err != nil {
			t.Fatalf("describe %s: %v", table, err)
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				t.Fatal(err)
			}
			columns[c] = true
		}
		rows.Close()
	}

	src := code.String()
	// Columns the notebook makes itself: named aggregates and renamed series.
	for _, m := range derivedRE.FindAllStringSubmatch(src, -1) {
		columns[m[1]+m[2]] = true
	}
	var named []string
	for _, m := range keywordRE.FindAllStringSubmatch(src, -1) {
		named = append(named, m[1])
	}
	for _, m := range listRE.FindAllStringSubmatch(src, -1) {
		for _, q := range quotedRE.FindAllStringSubmatch(m[1], -1) {
			named = append(named, q[1])
		}
	}
	if len(named) < 10 {
		t.Fatalf("found only %d column names in the notebook: %v", len(named), named)
	}
	for _, c := range named {
		if !columns[c] {
			t.Errorf("the notebook names column %q, which no output table has", c)
		}
	}
}
