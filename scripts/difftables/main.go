// Command difftables compares the tables of two framealign output folders row by row
// and prints, per table, whether they hold the same rows in the same order. It is the
// check behind "behaviour does not change" for a refactoring:
//
//	go run ./scripts/difftables OLD_OUT NEW_OUT
//
// Columns that name a build or a run rather than a result are left out: documents'
// analysis_sha256 and base_sha256 (they hold a digest of the executable), and every
// column of runs.parquet but its document counts. It exits 1 when a table differs.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/parquet-go/parquet-go"
)

var tables = []string{"documents.parquet", "scores.parquet", "matches.parquet", "phrases.parquet",
	"entities.parquet", "errors.parquet", "runs.parquet"}

// ignored are the columns that differ between builds or runs by design.
var ignored = map[string]map[string]bool{
	"documents.parquet": {"analysis_sha256": true, "base_sha256": true},
	"runs.parquet": {"run_id": true, "started_at": true, "finished_at": true, "framealign_version": true,
		"seconds": true, "engine": true, "workers": true, "framework_sha256": true},
}

func main() {
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: difftables OLD_OUT NEW_OUT")
		os.Exit(2)
	}
	differ := false
	for _, name := range tables {
		a, acols, err := readTable(filepath.Join(flag.Arg(0), name), ignored[name])
		if err != nil {
			fmt.Printf("%-18s %v\n", name, err)
			differ = true
			continue
		}
		b, bcols, err := readTable(filepath.Join(flag.Arg(1), name), ignored[name])
		if err != nil {
			fmt.Printf("%-18s %v\n", name, err)
			differ = true
			continue
		}
		if name == "runs.parquet" { // the last run only: the folders may have different histories
			a, b = a[len(a)-1:], b[len(b)-1:]
		}
		switch {
		case strings.Join(acols, ",") != strings.Join(bcols, ","):
			fmt.Printf("%-18s columns differ:\n  %s\n  %s\n", name, strings.Join(acols, ","), strings.Join(bcols, ","))
			differ = true
		case len(a) != len(b):
			fmt.Printf("%-18s %d rows against %d\n", name, len(a), len(b))
			differ = true
		default:
			diffs := 0
			for i := range a {
				if a[i] != b[i] {
					if diffs < 3 {
						fmt.Printf("%-18s row %d differs:\n  %s\n  %s\n", name, i, a[i], b[i])
					}
					diffs++
				}
			}
			if diffs > 0 {
				fmt.Printf("%-18s %d of %d rows differ\n", name, diffs, len(a))
				differ = true
			} else {
				fmt.Printf("%-18s %d rows, identical\n", name, len(a))
			}
		}
	}
	if differ {
		os.Exit(1)
	}
}

// readTable returns every row of a table as one line of its column values, leaving
// out the ignored columns, and the names of the columns kept.
func readTable(path string, skip map[string]bool) ([]string, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		return nil, nil, err
	}
	var names []string
	keep := map[int]bool{}
	for i, c := range pf.Schema().Columns() {
		n := strings.Join(c, ".")
		if !skip[c[0]] {
			keep[i] = true
			names = append(names, n)
		}
	}
	r := parquet.NewReader(pf)
	defer r.Close()
	var out []string
	buf := make([]parquet.Row, 256)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			var sb strings.Builder
			for _, v := range row {
				if keep[v.Column()] {
					fmt.Fprintf(&sb, "%d:%v|", v.Column(), v)
				}
			}
			out = append(out, sb.String())
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
	}
	return out, names, nil
}
