// Command genmodel compiles the fast engine's model from prose's embedded assets into
// extractors/fastprose/data/model.bin, the file the engine embeds (run by go generate
// in extractors/fastprose):
//
//	go generate ./extractors/fastprose
//
// It writes a temporary file and renames it into place only when it is complete. The
// fastprose package embeds the file it replaces, so the file must exist (any content)
// for this program to build; TestCompiledModelIsCurrent fails when it is stale.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/framealign/framealign/extractors/fastprose"
	"github.com/framealign/framealign/internal/atomicfile"
)

func main() {
	out := flag.String("o", "data/model.bin", "file to write")
	flag.Parse()
	b, err := fastprose.CompileModel()
	if err == nil {
		err = atomicfile.Write(*out, b)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genmodel:", err)
		os.Exit(1)
	}
}
