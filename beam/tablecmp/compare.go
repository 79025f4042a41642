// Package tablecmp compares a `framealign run` output folder (one file per table)
// with a framealign-beam one (a folder of parts per table), as multisets of rows.
package tablecmp

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/framealign/framealign/output"
	"github.com/parquet-go/parquet-go"
)

// Compare compares the tables of a `framealign run` output folder (one file per
// table) with those of a framealign-beam folder (a folder of parts per table): each
// table's schema, and its rows as multisets (order aside), every column included
// (the documents' metadata columns too). runs.parquet is compared on the columns that
// do not depend on when and where the run ran (not run_id, times, seconds, workers).
// It returns one line per table and the number of tables that differ. replace, in
// pairs of old and new, is applied to the beam folder's values before comparing: the
// two runs may have read the corpus from different places (a local folder and an
// object store), which a duplicate doc_id's errors row names.
func Compare(runDir, beamDir string, replace ...string) (report []string, differ int) {
	note := func(format string, a ...any) { report = append(report, fmt.Sprintf(format, a...)) }
	for _, t := range tableNames {
		parts, _ := filepath.Glob(filepath.Join(beamDir, t, "part-*.parquet"))
		sort.Strings(parts)
		want, wantSchema, err := tableRows([]string{filepath.Join(runDir, t+".parquet")})
		if err != nil {
			note("%s: run: %v", t, err)
			differ++
			continue
		}
		got, gotSchema, err := tableRows(parts)
		if len(replace) > 0 {
			r := strings.NewReplacer(replace...)
			for i := range got {
				got[i] = r.Replace(got[i])
			}
		}
		if err != nil || len(parts) == 0 {
			note("%s: beam (%d parts): %v", t, len(parts), err)
			differ++
			continue
		}
		if gotSchema != wantSchema {
			note("%s: schemas differ:\nrun:  %s\nbeam: %s", t, wantSchema, gotSchema)
			differ++
			continue
		}
		if d := diffRows(want, got); d != "" {
			note("%s: run %d rows, beam %d rows (%d parts): %s", t, len(want), len(got), len(parts), d)
			differ++
			continue
		}
		note("%s: %d rows, same (%d parts)", t, len(got), len(parts))
	}
	a, err1 := output.ReadRows[output.Run](filepath.Join(runDir, output.RunsTable))
	b, err2 := output.ReadRows[output.Run](filepath.Join(beamDir, "runs", "part-00000-of-00001.parquet"))
	stable := func(rs []output.Run) string {
		if len(rs) == 0 {
			return "no run"
		}
		r := rs[len(rs)-1]
		return fmt.Sprintf("added=%d changed=%d unchanged=%d removed=%d failed=%d skipped=%d framework=%s version=%s engine=%s tokens=%d",
			r.Added, r.Changed, r.Unchanged, r.Removed, r.Failed, r.Skipped, r.FrameworkSHA256, r.Version, r.Engine, r.Tokens)
	}
	switch {
	case err1 != nil || err2 != nil:
		note("runs: %v", errors.Join(err1, err2))
		differ++
	case stable(a) != stable(b):
		note("runs: run %s\n      beam %s", stable(a), stable(b))
		differ++
	default:
		note("runs: same (%s)", stable(b))
	}
	return report, differ
}

// tableRows reads every row of the files as canonical strings, and their schema.
func tableRows(files []string) (rows []string, schema string, err error) {
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			return nil, "", err
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, "", err
		}
		pf, err := parquet.OpenFile(f, st.Size())
		if err != nil {
			f.Close()
			return nil, "", fmt.Errorf("%s: %w", p, err)
		}
		s := pf.Schema().String()
		if schema != "" && s != schema {
			f.Close()
			return nil, "", fmt.Errorf("%s: schema differs from the table's other parts", p)
		}
		schema = s
		for _, rg := range pf.RowGroups() {
			rr := rg.Rows()
			buf := make([]parquet.Row, 64)
			for {
				n, err := rr.ReadRows(buf)
				for _, r := range buf[:n] {
					rows = append(rows, rowString(r))
				}
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					rr.Close()
					f.Close()
					return nil, "", fmt.Errorf("%s: %w", p, err)
				}
			}
			rr.Close()
		}
		f.Close()
	}
	return rows, schema, nil
}

func rowString(r parquet.Row) string {
	var b strings.Builder
	for _, v := range r {
		fmt.Fprintf(&b, "%d/%d/%d/%s:%q|", v.Column(), v.RepetitionLevel(), v.DefinitionLevel(), v.Kind(), v.String())
	}
	return b.String()
}

// diffRows describes how two multisets of rows differ, or "" when they do not.
func diffRows(a, b []string) string {
	count := map[string]int{}
	for _, r := range a {
		count[r]++
	}
	for _, r := range b {
		count[r]--
	}
	var onlyRun, onlyBeam []string
	for r, n := range count {
		switch {
		case n > 0:
			onlyRun = append(onlyRun, fmt.Sprintf("(x%d) %.300s", n, r))
		case n < 0:
			onlyBeam = append(onlyBeam, fmt.Sprintf("(x%d) %.300s", -n, r))
		}
	}
	if len(onlyRun) == 0 && len(onlyBeam) == 0 {
		return ""
	}
	sort.Strings(onlyRun)
	sort.Strings(onlyBeam)
	return fmt.Sprintf("%d rows only in run, e.g. %v; %d only in beam, e.g. %v",
		len(onlyRun), first(onlyRun, 2), len(onlyBeam), first(onlyBeam, 2))
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }

// tableNames are the tables compared row by row, in the contract's order.
var tableNames = []string{"documents", "scores", "matches", "phrases", "entities", "errors"}
