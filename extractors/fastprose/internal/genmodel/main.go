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
	"path/filepath"

	"github.com/framealign/framealign/extractors/fastprose"
)

func main() {
	out := flag.String("o", "data/model.bin", "file to write")
	flag.Parse()
	b, err := fastprose.CompileModel()
	if err == nil {
		err = writeFile(*out, b)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genmodel:", err)
		os.Exit(1)
	}
}

func writeFile(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".model-*.bin")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
