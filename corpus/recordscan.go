package corpus

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// The record formats' scanners. Both hold a record to --max-bytes as it streams: a
// longer one is read on to its end without being kept and costs that record only,
// named by its line, and the next record is read as if nothing happened. This is the
// one --max-bytes rule of every record format: a JSONL line, or a CSV/TSV record
// (all its fields and the separators between them), may not be larger than
// --max-bytes, as a one-document file may not.

// errRecordTooLong is a record above --max-bytes; its text is completed with the sizes.
type recordTooLongError struct{ size, max int64 }

func (e *recordTooLongError) Error() string {
	return fmt.Sprintf("record is %s, above --max-bytes %s; record skipped", humanBytes(e.size), humanBytes(e.max))
}

// lineReader reads the lines of a JSONL stream, each at most max bytes.
type lineReader struct {
	br   *bufio.Reader
	max  int64
	line int // lines read so far
	buf  []byte
}

func newLineReader(r io.Reader, max int64) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10), max: max}
}

// next returns the next line without its line break (valid until the next call) and
// its number. A line above max bytes is returned as a nil line and a
// *recordTooLongError; io.EOF ends the stream.
func (l *lineReader) next() ([]byte, int, error) {
	l.buf = l.buf[:0]
	var size int64
	for {
		chunk, err := l.br.ReadSlice('\n')
		size += int64(len(chunk))
		if size <= l.max+1 { // +1: the line break itself does not count
			l.buf = append(l.buf, chunk...)
		}
		switch {
		case err == nil || (errors.Is(err, io.EOF) && size > 0):
			l.line++
			if size > l.max+1 || (size > l.max && !bytes.HasSuffix(chunk, []byte("\n"))) {
				return nil, l.line, &recordTooLongError{size: size - int64(countTrailingNewline(chunk)), max: l.max}
			}
			return bytes.TrimRight(l.buf, "\r\n"), l.line, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		default:
			return nil, l.line, err
		}
	}
}

func countTrailingNewline(b []byte) int {
	if bytes.HasSuffix(b, []byte("\r\n")) {
		return 2
	}
	if bytes.HasSuffix(b, []byte("\n")) {
		return 1
	}
	return 0
}

// csvScanner splits a CSV or TSV stream into records and fields by the rules of
// encoding/csv with LazyQuotes (a field that starts with a quote runs to the quote that
// is followed by a separator, a line break or the end; "" is a quote; a quote elsewhere
// is kept as it is; empty lines are passed over), so that it can hold each record to
// --max-bytes and name the one that an unterminated quote would swallow:
// encoding/csv reads on to the end of the file and gives the rest of the file as
// that record's last field, silently. When the quoted field that opens on line L
// never closes, the record is reported and reading starts again at line L+1, so the
// records below it are read.
type csvScanner struct {
	br      *bufio.Reader
	comma   byte
	max     int64
	line    int    // lines consumed
	pending []byte // bytes to scan before br: the rest of a record given up for an unterminated quote
	raw     []byte // the current record's bytes
	bounds  []csvField
	fields  [][]byte
}

// csvRecord is one record the scanner found.
type csvRecord struct {
	fields [][]byte // valid until the next call
	line   int      // the line it starts on
}

// unterminatedQuoteError is a quoted field that does not close where a field can: it
// reaches the end of the file, or it runs over line breaks and meets a single quote
// there (the opening quote of a later record's field, as in `two,"Second`), which
// strict CSV forbids inside a quoted field and which shows that the lines it crossed
// are records of their own. The record is given up and reading starts again on the
// line after the opening quote's, unless the lines to scan again are more than
// --max-bytes, which are then lost (lostTo is the last of them).
type unterminatedQuoteError struct {
	line   int // where the quote opens
	atEOF  bool
	lostTo int
}

func (e *unterminatedQuoteError) Error() string {
	what := "never closes"
	if !e.atEOF {
		what = "does not close on its line and runs into later records (a single \" below it)"
	}
	if e.lostTo > 0 {
		return fmt.Sprintf("unterminated quote: the quoted field that opens on line %d %s; record skipped, and lines %d to %d, more than --max-bytes, are not read", e.line, what, e.line+1, e.lostTo)
	}
	return fmt.Sprintf("unterminated quote: the quoted field that opens on line %d %s; record skipped, reading goes on at line %d", e.line, what, e.line+1)
}

func newCSVScanner(r io.Reader, comma byte, max int64) *csvScanner {
	return &csvScanner{br: bufio.NewReaderSize(r, 64<<10), comma: comma, max: max}
}

func (s *csvScanner) readByte() (byte, error) {
	if len(s.pending) > 0 {
		c := s.pending[0]
		s.pending = s.pending[1:]
		return c, nil
	}
	return s.br.ReadByte()
}

func (s *csvScanner) peekByte() (byte, bool) {
	if len(s.pending) > 0 {
		return s.pending[0], true
	}
	b, err := s.br.Peek(1)
	if err != nil {
		return 0, false
	}
	return b[0], true
}

// next returns the next record. A record above --max-bytes gives a
// *recordTooLongError, an unterminated quote an *unterminatedQuoteError, each with
// the record's line; io.EOF ends the stream.
func (s *csvScanner) next() (csvRecord, error) {
	for {
		rec, err := s.scan()
		if err == errBlankLine {
			continue
		}
		return rec, err
	}
}

var errBlankLine = errors.New("blank line")

// scan reads one record (or one blank line). raw keeps the record's bytes as they
// are (up to --max-bytes), so that a record given up for an unterminated quote can be
// scanned again; fields are unquoted in finish.
func (s *csvScanner) scan() (csvRecord, error) {
	s.raw = s.raw[:0]
	s.fields = s.fields[:0]
	s.bounds = s.bounds[:0]
	start := s.line + 1
	var size int64
	keep := func(c byte) {
		size++
		if size <= s.max {
			s.raw = append(s.raw, c)
		}
	}
	fieldStart, fieldQuoted := 0, false
	endField := func() {
		end := int(min(size, s.max))
		s.bounds = append(s.bounds, csvField{fieldStart, end, fieldQuoted})
		fieldStart, fieldQuoted = end, false
	}
	atField, quoted := true, false
	quoteLine, quoteAt := 0, 0 // where the open quote is: its line, and the offset in raw of the line after it
	lines := 0                 // line breaks inside the record
	lazyAfterBreak := false    // a single quote inside the open quoted field, below a line break of it
	for {
		c, err := s.readByte()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return csvRecord{line: start}, err
			}
			if quoted {
				s.line += lines
				return csvRecord{line: start}, s.unterminated(quoteLine, quoteAt, size, true)
			}
			if size == 0 && len(s.bounds) == 0 {
				return csvRecord{}, io.EOF
			}
			s.line += lines + 1
			endField()
			return s.finish(start, size)
		}
		if quoted {
			keep(c)
			switch c {
			case '"':
				n, ok := s.peekByte()
				switch {
				case ok && n == '"':
					s.readByte()
					keep('"')
				case !ok || n == s.comma || n == '\n' || n == '\r':
					quoted = false
					if lazyAfterBreak {
						s.line += lines
						return csvRecord{line: start}, s.unterminated(quoteLine, quoteAt, size, false)
					}
				case quoteAt >= 0:
					lazyAfterBreak = true // a single quote below a line break of the field
				} // else a lazy quote on the quote's own line: kept, the field goes on
			case '\n':
				lines++
				if quoteAt < 0 && size <= s.max {
					quoteAt = len(s.raw)
				}
			}
			continue
		}
		switch {
		case c == s.comma:
			endField()
			keep(c)
			fieldStart++
			atField = true
			continue
		case c == '\r':
			if n, ok := s.peekByte(); ok && n == '\n' {
				continue // the \r of a \r\n line end
			}
		case c == '\n':
			s.line += lines + 1
			if size == 0 && len(s.bounds) == 0 {
				return csvRecord{}, errBlankLine
			}
			endField()
			return s.finish(start, size)
		case c == '"' && atField:
			quoted, fieldQuoted, lazyAfterBreak = true, true, false
			quoteLine, quoteAt = start+lines, -1
		}
		atField = false
		keep(c)
	}
}

// csvField is where a field lies in the record's bytes, and whether it is quoted.
type csvField struct {
	start, end int
	quoted     bool
}

// finish turns the fields of a complete record into their values: a quoted field
// without its quotes, "" read as ", and \r\n inside it as \n, as encoding/csv reads it.
func (s *csvScanner) finish(line int, size int64) (csvRecord, error) {
	if size > s.max {
		return csvRecord{line: line}, &recordTooLongError{size: size, max: s.max}
	}
	for _, f := range s.bounds {
		v := s.raw[f.start:f.end]
		if f.quoted {
			v = unquoteCSV(v)
		}
		s.fields = append(s.fields, v)
	}
	return csvRecord{fields: s.fields, line: line}, nil
}

// unquoteCSV reads a quoted field: the quote it opens with and the one it closes with
// dropped, "" made ", \r\n made \n.
func unquoteCSV(v []byte) []byte {
	v = v[1:]
	if n := len(v); n > 0 && v[n-1] == '"' {
		v = v[:n-1]
	}
	if bytes.IndexByte(v, '"') < 0 && bytes.IndexByte(v, '\r') < 0 {
		return v
	}
	out := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		switch {
		case v[i] == '"' && i+1 < len(v) && v[i+1] == '"':
			i++
		case v[i] == '\r' && i+1 < len(v) && v[i+1] == '\n':
			continue
		}
		out = append(out, v[i])
	}
	return out
}

// unterminated gives up the record whose quote opened on line quoteLine and did not
// close as a field can (see unterminatedQuoteError): what was read after that line is
// scanned again as records. s.line is the last line read.
func (s *csvScanner) unterminated(quoteLine, quoteAt int, size int64, atEOF bool) error {
	e := &unterminatedQuoteError{line: quoteLine, atEOF: atEOF}
	if size > s.max {
		e.lostTo = s.line
		return e
	}
	if quoteAt >= 0 {
		rest := append([]byte(nil), s.raw[quoteAt:]...)
		s.pending = append(rest, s.pending...)
	}
	s.line = quoteLine
	return e
}
