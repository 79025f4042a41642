package corpus

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
)

// Limits on what a damaged or hostile PDF can make the reader do: the page tree is walked
// to at most maxPDFTreeDepth levels and maxPDFTreeNodes nodes (a tree whose kids point
// back up would otherwise be walked forever).
const (
	maxPDFTreeDepth = 64
	maxPDFTreeNodes = 1 << 20
)

// pdfTimeout bounds the time spent extracting one PDF's text. The PDF library can loop
// on some malformed files (object streams that extend themselves, absurd object counts);
// a run must not hang on one bad file, so after this long the file is reported and the
// run goes on. The extraction goroutine is then abandoned, which costs CPU until the
// process ends but never blocks the pipeline. It is a variable so the fuzz test can
// shorten it.
var pdfTimeout = func(size int64) time.Duration {
	return 60*time.Second + time.Duration(size>>20)*2*time.Second
}

// readPDF reads the text layer of a PDF as one document, page by page, with a blank line
// between pages. A PDF made of scanned images has no text layer and is refused rather than
// read as an empty document.
func readPDF(in *input, emit func(Document) error) ([]RecordError, error) {
	ra, size, err := in.readerAt()
	if err != nil {
		return nil, err
	}
	type result struct {
		text string
		err  error
	}
	done := make(chan result, 1) // buffered: an abandoned extraction can still finish
	go func() {
		text, err := pdfText(ra, size)
		done <- result{text, err}
	}()
	timeout := pdfTimeout(size)
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case res := <-done:
		if res.err != nil {
			return nil, res.err
		}
		return nil, emit(in.document(res.text, EncodingUTF8))
	case <-timer.C:
		return nil, fmt.Errorf("unreadable PDF: text extraction did not finish within %s (damaged file?)", timeout)
	}
}

// pdfText extracts the text layer, pages joined by a blank line.
func pdfText(ra io.ReaderAt, size int64) (text string, err error) {
	defer func() {
		// The PDF library reports some malformed input by panicking; this runs in its own
		// goroutine, where an unrecovered panic would end the whole program.
		if p := recover(); p != nil {
			text, err = "", fmt.Errorf("unreadable PDF: %v", p)
		}
	}()
	r, err := pdf.NewReader(ra, size)
	if err != nil {
		return "", pdfOpenError(err)
	}
	var pages []pdf.Page
	budget := maxPDFTreeNodes
	collectPages(r.Trailer().Key("Root").Key("Pages"), 0, &budget, &pages)
	var texts []string
	for _, p := range pages {
		if t := cleanPDFText(pageText(p)); t != "" {
			texts = append(texts, t)
		}
	}
	if len(texts) == 0 {
		return "", ErrNoTextLayer
	}
	return strings.Join(texts, "\n\n"), nil
}

// collectPages appends the pages below the page-tree node v in document order.
func collectPages(v pdf.Value, depth int, budget *int, out *[]pdf.Page) {
	if depth > maxPDFTreeDepth || *budget <= 0 || v.IsNull() {
		return
	}
	*budget--
	switch v.Key("Type").Name() {
	case "Pages":
		kids := v.Key("Kids")
		for i := 0; i < kids.Len() && *budget > 0; i++ {
			collectPages(kids.Index(i), depth+1, budget, out)
		}
	case "Page":
		*out = append(*out, pdf.Page{V: v})
	}
}

// pdfOpenError turns the PDF library's refusal into a reason a person understands.
func pdfOpenError(err error) error {
	if errors.Is(err, pdf.ErrInvalidPassword) || strings.Contains(strings.ToLower(err.Error()), "encrypt") {
		return ErrEncryptedPDF
	}
	return fmt.Errorf("unreadable PDF: %v", err)
}

// cleanPDFText makes the text of one page valid UTF-8 without control characters (fonts
// without a Unicode map yield raw glyph codes) and with tidy line ends.
func cleanPDFText(s string) string {
	s = normalizeNewlines(strings.ToValidUTF8(s, "\uFFFD"))
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7F || r == utf8.RuneError:
			// dropped: not text
		default:
			b.WriteRune(r)
		}
	}
	return tidyLines(b.String())
}
