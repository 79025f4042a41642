package duckdbtest

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

const repoRoot = "../.."

// outputDir returns a framealign output folder of examples/corpus: FRAMEALIGN_OUT when
// set (CI makes it once), else a fresh run of the command from the repository root.
func outputDir(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv("FRAMEALIGN_OUT"); dir != "" {
		return dir
	}
	if _, err := os.Stat(filepath.Join(repoRoot, "examples", "corpus")); err != nil {
		t.Skipf("no examples/corpus: %v", err)
	}
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command("go", "run", "./cmd/framealign", "run", "--out", out,
		"--meta-pattern", "{country}_{session}_{year}.txt", "examples/corpus")
	cmd.Dir = repoRoot
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("framealign run: %v\n%s", err, b)
	}
	return out
}

// query is one named query of questions.sql.
type query struct {
	name, sql string
}

var nameRE = regexp.MustCompile(`(?m)^-- name: (\S+)\s*$`)

// readQueries splits questions.sql at its "-- name:" lines and points its 'out/...'
// paths at dir.
func readQueries(t *testing.T, dir string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "examples", "questions.sql"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(b), "'out/", "'"+filepath.ToSlash(dir)+"/")
	locs := nameRE.FindAllStringSubmatchIndex(text, -1)
	qs := map[string]string{}
	for i, loc := range locs {
		end := len(text)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		qs[text[loc[2]:loc[3]]] = text[loc[1]:end]
	}
	for _, name := range []string{"closest_to_article", "alignment_over_time", "actors_beside_crisis_management"} {
		if qs[name] == "" {
			t.Fatalf("questions.sql has no query named %s (has %d)", name, len(qs))
		}
	}
	return qs
}

type row map[string]any

func run(t *testing.T, db *sql.DB, name, q string) []row {
	t.Helper()
	rs, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []row
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		r := row{}
		for i, c := range cols {
			r[c] = vals[i]
		}
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(out) == 0 {
		t.Fatalf("%s: no rows", name)
	}
	for i, r := range out {
		if i < 5 {
			t.Logf("%s: %v", name, map[string]any(r))
		}
	}
	return out
}

func num(t *testing.T, v any) float64 {
	t.Helper()
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	case int32:
		return float64(x)
	}
	t.Fatalf("%v (%T) is not a number", v, v)
	return 0
}

func TestQuestionsAnswerOnExampleOutput(t *testing.T) {
	dir := outputDir(t)
	qs := readQueries(t, dir)
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	t.Run("closest_to_article", func(t *testing.T) {
		rows := run(t, db, "closest_to_article", qs["closest_to_article"])
		if rows[0]["country"] != "CHN" {
			t.Errorf("closest speech is %v (%v), want a CHN speech", rows[0]["doc_id"], rows[0]["country"])
		}
		for i := 1; i < len(rows); i++ {
			if num(t, rows[i]["similarity"]) > num(t, rows[i-1]["similarity"]) {
				t.Errorf("row %d more similar than row %d", i, i-1)
			}
		}
		// Every USA speech, not only those in the top 10, is less similar than the top one.
		var usa float64
		if err := db.QueryRow("SELECT max(similarity) FROM read_parquet(?) WHERE country = 'USA'", filepath.Join(dir, "documents.parquet")).Scan(&usa); err != nil {
			t.Fatal(err)
		}
		if top := num(t, rows[0]["similarity"]); top <= usa {
			t.Errorf("top similarity %v not above the most similar USA speech %v", top, usa)
		}
	})

	t.Run("alignment_over_time", func(t *testing.T) {
		rows := run(t, db, "alignment_over_time", qs["alignment_over_time"])
		years := map[string][]float64{}
		prev := map[string]float64{}
		for _, r := range rows {
			c := r["country"].(string)
			y, a := num(t, r["year"]), num(t, r["alignment"])
			if a < 0 || a > 1 {
				t.Errorf("%s %v: alignment %v outside [0,1]", c, y, a)
			}
			if ys := years[c]; len(ys) > 0 {
				if y <= ys[len(ys)-1] {
					t.Errorf("%s: year %v after %v, want ascending", c, y, ys[len(ys)-1])
				}
				if ch := num(t, r["alignment_change"]); abs(ch-(a-prev[c])) > 0.0015 {
					t.Errorf("%s %v: change %v, want %v", c, y, ch, a-prev[c])
				}
			} else if r["alignment_change"] != nil {
				t.Errorf("%s: first year has a change %v", c, r["alignment_change"])
			}
			years[c] = append(years[c], y)
			prev[c] = a
		}
		for _, c := range []string{"CHN", "USA"} {
			if len(years[c]) < 2 {
				t.Errorf("%s: years %v, want at least two", c, years[c])
			}
		}
	})

	t.Run("actors_beside_crisis_management", func(t *testing.T) {
		rows := run(t, db, "actors_beside_crisis_management", qs["actors_beside_crisis_management"])
		iso3 := regexp.MustCompile(`^[A-Z]{3}$`)
		for i, r := range rows {
			code, _ := r["iso3"].(string)
			s, d := num(t, r["sentences"]), num(t, r["speeches"])
			if !iso3.MatchString(code) {
				t.Errorf("row %d: %q is not an ISO3 code", i, code)
			}
			if s <= 0 || d <= 0 || d > s {
				t.Errorf("%s: %v sentences in %v speeches", code, s, d)
			}
			if i > 0 && s > num(t, rows[i-1]["sentences"]) {
				t.Errorf("%s: not ordered by sentences", code)
			}
		}
	})
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
