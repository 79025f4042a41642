// Command genidf compiles extractors/similarity/data/idf.tsv into data/idf.bin, the
// form the similarity package embeds and uses without parsing (run by go generate in
// extractors/similarity, after scripts/buildidf has rebuilt idf.tsv):
//
//	go generate ./extractors/similarity
//
// It writes a temporary file and renames it into place only when it is complete. The
// similarity package embeds the file it replaces, so the file must exist (any content)
// for this program to build; TestCompiledIDFTableIsCurrent fails when it is stale.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/framealign/framealign/extractors/similarity"
	"github.com/framealign/framealign/internal/atomicfile"
)

func main() {
	in := flag.String("i", "data/idf.tsv", "table to compile")
	out := flag.String("o", "data/idf.bin", "file to write")
	flag.Parse()
	tsv, err := os.ReadFile(*in)
	if err == nil {
		var b []byte
		if b, err = similarity.CompileIDFTable(tsv); err == nil {
			err = atomicfile.Write(*out, b)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genidf:", err)
		os.Exit(1)
	}
}
