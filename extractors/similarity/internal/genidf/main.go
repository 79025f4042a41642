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
	"path/filepath"

	"github.com/framealign/framealign/extractors/similarity"
)

func main() {
	in := flag.String("i", "data/idf.tsv", "table to compile")
	out := flag.String("o", "data/idf.bin", "file to write")
	flag.Parse()
	tsv, err := os.ReadFile(*in)
	if err == nil {
		var b []byte
		if b, err = similarity.CompileIDFTable(tsv); err == nil {
			err = writeFile(*out, b)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genidf:", err)
		os.Exit(1)
	}
}

func writeFile(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".idf-*.bin")
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
