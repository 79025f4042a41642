// Command fabeam-compare compares a `framealign run` output folder with a
// framealign-beam one, table by table, as multisets of rows (order aside); it exits 1
// when a table differs. With -version it prints the framealign_version of a run
// folder, to give framealign-beam the same --fa-version (analysis_sha256 then agrees).
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/framealign/framealign/beam/tablecmp"
	"github.com/framealign/framealign/output"
)

func main() {
	switch {
	case len(os.Args) == 3 && os.Args[1] == "-version":
		runs, err := output.ReadRows[output.Run](filepath.Join(os.Args[2], output.RunsTable))
		if err != nil || len(runs) == 0 {
			fmt.Fprintln(os.Stderr, "fabeam-compare: no runs table in", os.Args[2], err)
			os.Exit(2)
		}
		fmt.Println(runs[len(runs)-1].Version)
	case len(os.Args) == 3:
		report, differ := tablecmp.Compare(os.Args[1], os.Args[2])
		for _, l := range report {
			fmt.Println(l)
		}
		if differ > 0 {
			fmt.Printf("%d tables differ\n", differ)
			os.Exit(1)
		}
		fmt.Println("every table: same rows")
	default:
		fmt.Fprintln(os.Stderr, "usage: fabeam-compare RUN_OUT BEAM_OUT | fabeam-compare -version RUN_OUT")
		os.Exit(2)
	}
}
