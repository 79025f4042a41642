package corpus

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/framealign/framealign/internal/testfiles"
)

const bigXLSXRows = 50_000

// TestXLSXCorpusFiftyThousandRowsInBoundedMemory builds a workbook of 50,000 rows from
// the UN General Debate speeches (each row about 1,600 bytes of a speech, with its
// country, session, year and a date cell: some 80 MB of text, a worksheet part of
// 100 MB) and reads it in a child process, which must stay under 300 MB of peak RSS
// and account for every row, as a document or a record error. It takes about a
// minute, so it runs with FRAMEALIGN_CORPUS_TESTS=1 (.ci/run sets it).
func TestXLSXCorpusFiftyThousandRowsInBoundedMemory(t *testing.T) {
	if os.Getenv("FRAMEALIGN_CORPUS_TESTS") == "" {
		t.Skip("set FRAMEALIGN_CORPUS_TESTS=1 to build and read a 50,000-row workbook from ../shared/corpora/ungdc")
	}
	dir := testfiles.Shared("corpora", "ungdc")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("no corpus at ", dir)
	}
	book := filepath.Join(t.TempDir(), "ungdc-rows.xlsx")
	start := time.Now()
	blanks := writeUNGDCWorkbook(t, dir, book)
	st, _ := os.Stat(book)
	t.Logf("wrote %s: %d rows, %.1f MB, in %s", filepath.Base(book), bigXLSXRows, float64(st.Size())/1e6, time.Since(start).Round(time.Millisecond))

	start = time.Now()
	cmd := exec.Command(os.Args[0], "-test.run=^TestXLSXReadChild$", "-test.v")
	cmd.Env = append(os.Environ(), "FRAMEALIGN_XLSX_CHILD="+book)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024 // KiB on Linux
	m := regexp.MustCompile(`documents=(\d+) errors=(\d+) first=(\S+) date=(\S+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("child said:\n%s", out)
	}
	docs, _ := strconv.Atoi(string(m[1]))
	errs, _ := strconv.Atoi(string(m[2]))
	t.Logf("read in %s: %d documents, %d record errors, peak RSS %.0f MB", time.Since(start).Round(time.Millisecond), docs, errs, float64(rss)/(1<<20))
	if docs+errs != bigXLSXRows || errs != blanks {
		t.Logf("child said:\n%s", out)
		t.Errorf("%d documents and %d record errors, want %d rows accounted for (%d with an empty text)", docs, errs, bigXLSXRows, blanks)
	}
	if string(m[3]) != "AFG_66_2011#1" || string(m[4]) != "date:2011-09-15" {
		t.Errorf("first document %s with %s", m[3], m[4])
	}
	if rss >= 300<<20 {
		t.Errorf("peak RSS %.0f MB, want under 300 MB", float64(rss)/(1<<20))
	}
}

// TestXLSXReadChild is the child of the test above: it reads the workbook and prints
// what it found.
func TestXLSXReadChild(t *testing.T) {
	book := os.Getenv("FRAMEALIGN_XLSX_CHILD")
	if book == "" {
		t.Skip("run by TestXLSXCorpusFiftyThousandRowsInBoundedMemory")
	}
	n := 0
	var first Document
	recs, err := Read(File{Path: book, RelPath: filepath.Base(book)}, Options{}, func(d Document) error {
		if n == 0 {
			first = d
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range recs {
		if i < 20 {
			fmt.Printf("record error: %s: %s\n", r.DocID, r.Reason)
		}
	}
	fmt.Printf("documents=%d errors=%d first=%s date=%s:%s\n", n, len(recs), first.ID, first.Meta["date"].Kind, first.Meta["date"].Text)
}

// writeUNGDCWorkbook streams bigXLSXRows rows cut from the speeches under dir to path
// and returns how many of them have an empty text (one in 5,000 on purpose, and the
// speeches' runs of blank lines), which must come back as record errors.
func writeUNGDCWorkbook(t *testing.T, dir, path string) (blanks int) {
	t.Helper()
	var files []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && strings.HasSuffix(p, ".txt") && !strings.HasPrefix(info.Name(), "._") {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	if len(files) == 0 {
		t.Skip("no speeches in ", dir)
	}
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"id", "country", "session", "year", "date", "text"}); err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`([A-Z]+)_(\d+)_(\d+)\.txt$`)
	row := 2
	for pass := 0; row <= bigXLSXRows+1; pass++ {
		for _, p := range files {
			m := name.FindStringSubmatch(p)
			if m == nil {
				continue
			}
			fh, err := os.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			year, _ := strconv.Atoi(m[3])
			serial := float64(time.Date(year, 9, 15, 0, 0, 0, 0, time.UTC).Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
			sc := bufio.NewScanner(fh)
			sc.Buffer(nil, 1<<20)
			var chunk strings.Builder
			part := 0
			flush := func() {
				part++
				text := chunk.String()
				chunk.Reset()
				if row%5000 == 0 {
					text = ""
				}
				if strings.TrimSpace(text) == "" { // a few speeches have runs of blank lines
					blanks++
				}
				cell, _ := excelize.CoordinatesToCellName(1, row)
				id := fmt.Sprintf("%s_%s_%s#%d", m[1], m[2], m[3], part)
				if pass > 0 {
					id = fmt.Sprintf("%s/%d", id, pass)
				}
				if err := sw.SetRow(cell, []any{id, m[1], m[2], year, excelize.Cell{StyleID: dateStyle, Value: serial}, text}); err != nil {
					t.Fatal(err)
				}
				row++
			}
			for sc.Scan() && row <= bigXLSXRows+1 {
				chunk.WriteString(sc.Text())
				chunk.WriteString("\n")
				if chunk.Len() >= 1600 {
					flush()
				}
			}
			if chunk.Len() > 0 && row <= bigXLSXRows+1 {
				flush()
			}
			fh.Close()
			if row > bigXLSXRows+1 {
				break
			}
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return blanks
}
