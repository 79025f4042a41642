package corpus

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/framealign/framealign/internal/hostile"
)

// makePDF writes a PDF with one page per entry of pages; an empty entry makes a page with
// only a drawn rectangle, as a scanned page has no text either.
func makePDF(t testing.TB, pages []string, protect bool) []byte {
	t.Helper()
	pdf := fpdf.New("P", "mm", "A4", "")
	if protect {
		pdf.SetProtection(fpdf.CnProtectPrint, "user-secret", "owner-secret")
	}
	pdf.SetFont("Helvetica", "", 12)
	for _, text := range pages {
		pdf.AddPage()
		if text == "" {
			pdf.Rect(20, 20, 100, 150, "F")
			continue
		}
		for _, line := range strings.Split(text, "\n") {
			pdf.Cell(0, 8, line)
			pdf.Ln(8)
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadPDFTextLayerPageByPage(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "statement.pdf", makePDF(t, []string{
		"We call for win-win cooperation.\nDialogue must replace confrontation.",
		"Respect for sovereignty is the foundation.",
	}, false))
	doc := readOne(t, p)
	if doc.Format != "pdf" || doc.ID != "statement.pdf" {
		t.Errorf("format %q id %q, want pdf statement.pdf", doc.Format, doc.ID)
	}
	for _, want := range []string{"We call for win-win cooperation.", "Dialogue must replace confrontation.", "Respect for sovereignty is the foundation."} {
		if !strings.Contains(doc.Text, want) {
			t.Errorf("text %q lacks %q", doc.Text, want)
		}
	}
	// The pages are separated by a blank line, in page order.
	i1 := strings.Index(doc.Text, "confrontation.")
	i2 := strings.Index(doc.Text, "Respect")
	if i1 < 0 || i2 < i1 || !strings.Contains(doc.Text[i1:i2], "\n\n") {
		t.Errorf("pages not separated by a blank line in %q", doc.Text)
	}
}

func TestReadPDFImageOnlyHasNoTextLayer(t *testing.T) {
	p := writeFile(t, t.TempDir(), "scan.pdf", makePDF(t, []string{"", ""}, false))
	_, _, err := readPath(t, p, Options{})
	wantErr(t, "image-only PDF", err, "PDF has no text layer (scanned or image-only?)")
}

func TestReadPDFEncryptedIsRefused(t *testing.T) {
	p := writeFile(t, t.TempDir(), "locked.pdf", makePDF(t, []string{"Secret text."}, true))
	_, _, err := readPath(t, p, Options{})
	wantErr(t, "encrypted PDF", err, "encrypted PDF")
}

func TestReadPDFGzipped(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(makePDF(t, []string{"Compressed statement on peace."}, false))
	zw.Close()
	p := writeFile(t, t.TempDir(), "statement.pdf.gz", gz.Bytes())
	doc := readOne(t, p)
	if doc.Format != "pdf" || !strings.Contains(doc.Text, "Compressed statement on peace.") {
		t.Errorf("got format %q text %q", doc.Format, doc.Text)
	}
}

func TestReadPDFNotAPDF(t *testing.T) {
	p := writeFile(t, t.TempDir(), "fake.pdf", []byte("This is plain text pretending to be a PDF.\n"))
	_, _, err := readPath(t, p, Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "unreadable PDF: ") {
		t.Fatalf("got %v, want an unreadable PDF error", err)
	}
}

// handPDF builds a one-page PDF around a raw content stream, as TeX and word processors
// write them: words placed by kerning offsets inside TJ arrays and lines by Td moves.
func handPDF(content string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content)+1, content),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func TestReadPDFKeepsSpacesBetweenPositionedWords(t *testing.T) {
	content := "BT /F1 12 Tf 72 720 Td [(The)-333(first)-333(argument)-333(is)-250(a)-333(pointer.)] TJ " +
		"0 -14 Td [(Dia)20(logue)-333(must)] TJ ( replace) Tj ET"
	doc := readOne(t, writeFile(t, t.TempDir(), "kerned.pdf", handPDF(content)))
	// Small kerning (20/1000 em inside "Dialogue") joins; word-sized offsets and new
	// baselines separate.
	if want := "The first argument is a pointer.\nDialogue must replace"; doc.Text != want {
		t.Errorf("text %q, want %q", doc.Text, want)
	}
}

// PDFs whose cross-reference chains loop stop on the read budget, within a second or
// two each, and say why; the work really stops (no goroutine is left reading).
func TestReadLoopingPDFsStopQuickly(t *testing.T) {
	dir := t.TempDir()
	start := time.Now()
	for v := 0; v < 3; v++ {
		p := writeFile(t, dir, fmt.Sprintf("loop%d.pdf", v), hostile.LoopingPDF(v))
		_, _, err := readPath(t, p, Options{})
		wantErr(t, p, err, "unreadable PDF: the file refers back to itself without end (a loop in its cross-reference chain or objects)")
	}
	if took := time.Since(start); took > 15*time.Second {
		t.Errorf("three looping PDFs took %s", took)
	}
	// A sound PDF of the same size reads.
	doc := readOne(t, writeFile(t, dir, "ok.pdf", hostile.TextPDF("Win-win cooperation (and dialogue).")))
	if doc.Text != "Win-win cooperation (and dialogue)." {
		t.Errorf("text %q", doc.Text)
	}
}

// A long, sound PDF is far from the limits: 400 pages from fpdf.
func TestReadLongPDFIsNotStopped(t *testing.T) {
	pages := make([]string, 400)
	for i := range pages {
		pages[i] = strings.Repeat(fmt.Sprintf("Page %d speaks of dialogue and win-win cooperation.\n", i), 30)
	}
	start := time.Now()
	doc := readOne(t, writeFile(t, t.TempDir(), "long.pdf", makePDF(t, pages, false)))
	if !strings.Contains(doc.Text, "Page 399 speaks") {
		t.Errorf("the last page is missing")
	}
	t.Logf("400 pages in %s", time.Since(start))
}
