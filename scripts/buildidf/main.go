// Command buildidf rebuilds extractors/similarity/data/idf.tsv, the fixed inverse-document-frequency
// table that similarity weighs terms with, from a background corpus of .txt files:
//
//	go run ./scripts/buildidf ../shared/corpora/ungdc > extractors/similarity/data/idf.tsv
//	go run ./scripts/buildidf -o extractors/similarity/data/idf.tsv ../shared/corpora/ungdc
//
// The second form is safer: the shell empties the file a redirect points at before the
// program is even compiled, so a build error leaves an empty table behind, while -o
// writes a temporary file and renames it into place only when the table is complete.
//
// It counts terms with similarity.Terms, the very function the similarity
// vectoriser uses, so the table always spells terms as documents will. Rebuild it when
// Lemma or data/stopwords.txt change (TestIDFTableMatchesCorpus says when), then run
// go generate ./extractors/similarity to compile it into data/idf.bin, the form the
// binary embeds (TestCompiledIDFTableIsCurrent says when). An empty idf.tsv does not
// stop this program from building: the similarity package only reads the compiled
// data/idf.bin.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/framealign/framealign/extractors/similarity"
	"github.com/framealign/framealign/internal/atomicfile"
)

func main() {
	out := flag.String("o", "", "write the table to this file (atomically) instead of standard output")
	minDF := flag.Int("min-df", 2, "drop terms found in fewer documents than this")
	corpus := flag.String("corpus", "UN General Debate speeches (ungdc), 8 sessions from 66 (2011) to 79 (2024)",
		"description of the background corpus for the table's header")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: buildidf [-o FILE] [-min-df N] [-corpus TEXT] DIR\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *out, *corpus, *minDF); err != nil {
		fmt.Fprintln(os.Stderr, "buildidf:", err)
		os.Exit(1)
	}
}

func run(dir, out, corpus string, minDF int) error {
	paths, err := textFiles(dir)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return fmt.Errorf("no .txt files under %s", dir)
	}
	b := similarity.NewIDFBuilder()
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		b.Add(string(data))
	}
	fmt.Fprintf(os.Stderr, "buildidf: %d documents\n", b.Documents())
	if out == "" {
		return b.WriteTo(os.Stdout, corpus, minDF, time.Now())
	}
	var buf bytes.Buffer
	if err := b.WriteTo(&buf, corpus, minDF, time.Now()); err != nil {
		return err
	}
	if err := atomicfile.Write(out, buf.Bytes()); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	return nil
}

// textFiles lists the .txt files under dir in a stable order, skipping the "._*"
// AppleDouble files macOS leaves beside every file it copies.
func textFiles(dir string) ([]string, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("walk %s: %w", p, err)
		}
		name := d.Name()
		if d.IsDir() || strings.HasPrefix(name, "._") || !strings.HasSuffix(name, ".txt") {
			return nil
		}
		paths = append(paths, p)
		return nil
	})
	sort.Strings(paths)
	return paths, err
}
