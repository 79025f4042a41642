package corpus

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
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

// pdfTimeout bounds the time spent extracting one PDF's text: 5 seconds and 1 more
// per MB. The PDF library follows a file's cross-reference chain and objects wherever
// they point, so a damaged or hostile file can send it round in circles (a 1 KB file
// whose /Prev points back at itself); a run must not stall on one file. The limit is
// enforced inside the work (see pdfLimits), so the extraction really stops. It is a
// variable so that tests can shorten it.
var pdfTimeout = func(size int64) time.Duration {
	return 5*time.Second + time.Duration(size>>20)*time.Second
}

// pdfReadFactor bounds how much of a PDF may be read in all: pdfReadFactor times its
// size, and 4 MB more. A sound file is read a few times over (its objects are looked
// up one by one); a file whose references loop reads itself without end, and is
// stopped by this long before the time limit: the verdict does not depend on the
// machine's speed.
const pdfReadFactor = 1024

// pdfLimits is what one PDF may cost: its reads go through ReadAt, and extraction
// calls check as it goes. When a limit is passed, reads fail (which makes the
// library give up) and check panics with the reason, which pdfText recovers.
type pdfLimits struct {
	ra       io.ReaderAt
	deadline time.Time
	timeout  time.Duration
	left     atomic.Int64 // bytes that may still be read
	maxText  int64
	stop     atomic.Pointer[error]
}

func newPDFLimits(ra io.ReaderAt, size, maxText int64) *pdfLimits {
	timeout := pdfTimeout(size)
	l := &pdfLimits{ra: ra, deadline: time.Now().Add(timeout), timeout: timeout, maxText: maxText}
	l.left.Store(pdfReadFactor*size + 4<<20)
	return l
}

// ReadAt reads for the PDF library, until a limit is passed.
func (l *pdfLimits) ReadAt(p []byte, off int64) (int, error) {
	if err := l.exceeded(); err != nil {
		return 0, err
	}
	if l.left.Add(-int64(len(p))) < 0 {
		return 0, l.fail(errors.New("unreadable PDF: the file refers back to itself without end (a loop in its cross-reference chain or objects)"))
	}
	return l.ra.ReadAt(p, off)
}

// exceeded returns the reason the extraction must stop, or nil.
func (l *pdfLimits) exceeded() error {
	if e := l.stop.Load(); e != nil {
		return *e
	}
	if time.Now().After(l.deadline) {
		return l.fail(fmt.Errorf("unreadable PDF: text extraction did not finish within %s (damaged file?)", l.timeout))
	}
	return nil
}

func (l *pdfLimits) fail(err error) error {
	l.stop.CompareAndSwap(nil, &err)
	return *l.stop.Load()
}

// check stops the extraction (by a panic that pdfText recovers) when a limit is
// passed; textLen is the length of the text extracted so far.
func (l *pdfLimits) check(textLen int) {
	if int64(textLen) > l.maxText {
		panic(l.fail(fmt.Errorf("text layer is above --max-bytes %s", humanBytes(l.maxText))))
	}
	if err := l.exceeded(); err != nil {
		panic(err)
	}
}

// readPDF reads the text layer of a PDF as one document, page by page, with a blank line
// between pages. A PDF made of scanned images has no text layer and is refused rather than
// read as an empty document.
func readPDF(in *input, emit func(Document) error) ([]RecordError, error) {
	ra, size, err := in.readerAt()
	if err != nil {
		return nil, err
	}
	limits := newPDFLimits(ra, size, in.opts.MaxBytes)
	type result struct {
		text string
		err  error
	}
	done := make(chan result, 1) // buffered: should the library ever not stop, it can still finish
	go func() {
		text, err := pdfText(limits, size)
		done <- result{text, err}
	}()
	// The limits stop the work from the inside; this timer is the last resort, for a
	// loop that neither reads nor reaches a check.
	timer := time.NewTimer(limits.timeout + 2*time.Second)
	defer timer.Stop()
	select {
	case res := <-done:
		if res.err != nil {
			return nil, res.err
		}
		return nil, emit(in.document(res.text, EncodingUTF8))
	case <-timer.C:
		err := limits.fail(fmt.Errorf("unreadable PDF: text extraction did not finish within %s (damaged file?)", limits.timeout))
		return nil, err
	}
}

// pdfText extracts the text layer, pages joined by a blank line, within limits.
func pdfText(limits *pdfLimits, size int64) (text string, err error) {
	defer func() {
		// The PDF library reports some malformed input by panicking; this runs in its own
		// goroutine, where an unrecovered panic would end the whole program.
		if p := recover(); p != nil {
			text, err = "", fmt.Errorf("unreadable PDF: %v", p)
		}
		if err != nil {
			if stop := limits.stop.Load(); stop != nil {
				err = *stop // the limit, not the library's account of the failed read
			}
		}
	}()
	r, err := pdf.NewReader(limits, size)
	if err != nil {
		return "", pdfOpenError(err)
	}
	var pages []pdf.Page
	budget := maxPDFTreeNodes
	collectPages(r.Trailer().Key("Root").Key("Pages"), 0, &budget, &pages, limits)
	var texts []string
	total := 0
	for _, p := range pages {
		if t := cleanPDFText(pageText(p, limits, total)); t != "" {
			texts = append(texts, t)
			total += len(t) + 2
		}
		limits.check(total)
	}
	if len(texts) == 0 {
		return "", ErrNoTextLayer
	}
	return strings.Join(texts, "\n\n"), nil
}

// collectPages appends the pages below the page-tree node v in document order.
func collectPages(v pdf.Value, depth int, budget *int, out *[]pdf.Page, limits *pdfLimits) {
	if depth > maxPDFTreeDepth || *budget <= 0 || v.IsNull() {
		return
	}
	*budget--
	limits.check(0)
	switch v.Key("Type").Name() {
	case "Pages":
		kids := v.Key("Kids")
		for i := 0; i < kids.Len() && *budget > 0; i++ {
			collectPages(kids.Index(i), depth+1, budget, out, limits)
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
