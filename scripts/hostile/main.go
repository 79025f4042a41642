// Command hostile writes the hostile inputs of issue #18 (internal/hostile) into a
// folder, one subfolder per case, for a look by hand or a run of framealign over
// them; the tests make the same inputs at test time, and nothing of it is committed.
//
//	go run ./scripts/hostile [-heavy] [DIR]   (DIR defaults to testdata/hostile, ignored by git)
//
// -heavy adds the large cases (a 100 MB JSONL line, 60 MB of one-letter words, a
// 64 MB document, a million records, 10,000 small files).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/framealign/framealign/internal/hostile"
)

func main() {
	heavy := flag.Bool("heavy", false, "write the large cases too")
	flag.Parse()
	dir := filepath.Join("testdata", "hostile")
	if flag.NArg() > 0 {
		dir = flag.Arg(0)
	}
	if err := write(dir, *heavy); err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		os.Exit(1)
	}
	fmt.Println("hostile inputs in", dir)
}

func write(dir string, heavy bool) error {
	at := func(elem ...string) string { return filepath.Join(append([]string{dir}, elem...)...) }
	file := func(path string, b []byte) error {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		return os.WriteFile(path, b, 0o644)
	}
	line := int64(3 << 20)
	if heavy {
		line = 100 << 20
	}
	steps := []func() error{
		func() error { return hostile.JSONLWithLongLine(at("jsonl-long-line", "speeches.jsonl"), line) },
		func() error { return hostile.CSVUnterminatedQuote(at("csv-unterminated-quote", "speeches.csv")) },
		func() error { return hostile.CSVBigField(at("csv-big-field", "speeches.csv"), 70<<20) },
		func() error {
			return hostile.JSONLRecordWithID(at("reference-id", "records.jsonl"), "reference/000_c467fab3ab5cde65.txt")
		},
		func() error { _, _, err := hostile.SameNameInTwoFolders(at("two-roots"), "CHN.txt"); return err },
		func() error {
			for v := 0; v < 3; v++ {
				if err := file(at("looping-pdf", fmt.Sprintf("loop%d.pdf", v)), hostile.LoopingPDF(v)); err != nil {
					return err
				}
			}
			return nil
		},
		func() error { _, err := hostile.LinksOutOf(at("links")); return err },
		func() error { return hostile.Speech(at("non-utf8-name", hostile.NonUTF8Name)) },
		func() error { return file(at("html-deep", "deep.html"), hostile.HTMLUnclosedDivs(600)) },
		func() error {
			for label, text := range hostile.DeclaredTexts {
				b, err := hostile.HTMLDeclaring(label, text, "meta")
				if err != nil {
					return err
				}
				if err := file(at("html-charset", label+".html"), b); err != nil {
					return err
				}
			}
			return nil
		},
		func() error {
			for _, enc := range []string{"utf-16le", "utf-16be", "utf-32le", "utf-32be"} {
				if err := file(at("unicode-without-bom", enc+".txt"), hostile.UnmarkedUnicode("We call for dialogue and win-win cooperation.\n", enc)); err != nil {
					return err
				}
			}
			return nil
		},
		func() error {
			cp1252, _ := hostile.Windows1252Text()
			for name, b := range map[string][]byte{"article.pdf": hostile.TextPDF("Mutual respect and win-win cooperation."),
				"empty.txt": nil, "image.png": hostile.PNG(), "image.txt": hostile.PNG(), "western.txt": cp1252} {
				if err := file(at("references", name), b); err != nil {
					return err
				}
			}
			return nil
		},
	}
	if heavy {
		steps = append(steps,
			func() error { return hostile.OneLetterWords(at("one-letter-words", "a.txt.gz"), 60<<20) },
			func() error { return hostile.RandomProse(at("long-document", "long.txt"), 64<<20-4096) },
			func() error { return hostile.TinyRecords(at("tiny-records", "records.jsonl.gz"), 1_000_000) },
			func() error { return hostile.ManySmallFiles(at("many-files"), 10_000) },
		)
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}
