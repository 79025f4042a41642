package corpus

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
	"golang.org/x/text/transform"
)

// recordReader is the decoded stream of a many-record file and the encoding it came in.
type recordReader struct {
	io.Reader
	enc string
}

// recordStream prepares a JSONL or CSV file for streaming: it checks a gzip stream whole
// first, then looks at the first 64 KiB for a byte order mark, for UTF-16 or UTF-32
// without one, and for binary content.
// Lines that are not UTF-8 are decoded one by one later (see decodeRecordBytes).
func recordStream(fh io.ReadSeeker, gz bool) (*recordReader, error) {
	var r io.Reader = fh
	if gz {
		// The stream is checked whole before any record is emitted (a truncated file
		// gives no partial records); its size is not limited: records are.
		if err := checkGzip(fh, 1<<62); err != nil {
			return nil, err
		}
		zr, err := gzip.NewReader(fh)
		if err != nil {
			return nil, gzipError(err)
		}
		r = zr
	}
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		if gz {
			return nil, gzipError(err)
		}
		return nil, fmt.Errorf("read error: %w", plainErr(err))
	}
	switch {
	case len(head) == 0:
		return nil, ErrEmpty
	case bytes.HasPrefix(head, bomUTF8):
		_, _ = br.Discard(len(bomUTF8))
		return &recordReader{br, EncodingUTF8BOM}, nil
	case bytes.HasPrefix(head, bomUTF16LE):
		return &recordReader{transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), EncodingUTF16LE}, nil
	case bytes.HasPrefix(head, bomUTF16BE):
		return &recordReader{transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()), EncodingUTF16BE}, nil
	}
	if enc, order := unmarkedUTF16or32(head); enc != "" {
		n := len(head) / 4 * 4
		if n >= 8 {
			n -= 4 // whole code units, a pair split at the end left out
		}
		check := head[:n]
		if _, ok := decodeUnmarked(check, enc, order); ok {
			var dec *encoding.Decoder
			switch enc {
			case EncodingUTF32LE:
				dec = utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM).NewDecoder()
			case EncodingUTF32BE:
				dec = utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM).NewDecoder()
			case EncodingUTF16LE:
				dec = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()
			default:
				dec = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()
			}
			return &recordReader{transform.NewReader(br, dec), enc}, nil
		}
	}
	if looksBinary(head) {
		return nil, binaryError(head)
	}
	return &recordReader{br, EncodingUTF8}, nil
}

// decodeRecordBytes makes one line or field UTF-8: it is kept when it already is, and
// decoded as Windows-1252 when it looks like text. It returns the encoding used.
func decodeRecordBytes(b []byte, enc string) (string, string, error) {
	if utf8.Valid(b) {
		return string(b), enc, nil
	}
	s, err := decodeWindows1252(b)
	if err != nil {
		return "", "", err
	}
	return s, EncodingWindows1252, nil
}

// recordSink turns the fields of each record into a Document and keeps the bookkeeping
// common to JSONL and CSV: record numbers, ids already used, record errors.
type recordSink struct {
	f      File
	format string
	opts   Options
	emit   func(Document) error

	n           int            // records seen, malformed ones included, so numbers stay put when one is fixed
	emitted     int            // documents emitted
	missingText int            // records without the text field at all
	fieldsSeen  map[string]int // field names seen, for the "no text field" reason
	ids         *IDSet         // id -> record number that used it first
	errs        []RecordError
}

func newRecordSink(f File, format string, opts Options, emit func(Document) error) *recordSink {
	return &recordSink{f: f, format: format, opts: opts, emit: emit, fieldsSeen: map[string]int{}, ids: NewIDSet()}
}

// next starts a new record and returns its 1-based number.
func (s *recordSink) next() int {
	s.n++
	return s.n
}

// fallbackID is the doc_id of record n when it has no id of its own.
func (s *recordSink) fallbackID(n int) string {
	return fmt.Sprintf("%s#%d", s.f.RelPath, n)
}

// fail records that record n (at line) could not be used.
func (s *recordSink) fail(n, line int, reason string) {
	s.errs = append(s.errs, RecordError{DocID: s.fallbackID(n), Reason: fmt.Sprintf("line %d: %s", line, reason)})
}

// add turns the scalar fields of record n (starting at line) into a Document and emits
// it, or records why it cannot. nonScalar names fields that held a value that is not a
// scalar (a JSON object or array).
func (s *recordSink) add(n, line int, fields map[string]string, nonScalar map[string]bool, enc string) error {
	for k := range fields {
		s.fieldsSeen[k]++
	}
	for k := range nonScalar {
		s.fieldsSeen[k]++
	}
	id := s.fallbackID(n)
	if v := strings.TrimSpace(fields[s.opts.IDField]); v != "" {
		id = v
	}
	text, ok := fields[s.opts.TextField]
	switch {
	case nonScalar[s.opts.TextField]:
		s.errs = append(s.errs, RecordError{DocID: id, Reason: fmt.Sprintf("line %d: field %q is not a string", line, s.opts.TextField)})
		return nil
	case !ok:
		s.missingText++
		s.errs = append(s.errs, RecordError{DocID: id, Reason: fmt.Sprintf("line %d: no %q field", line, s.opts.TextField)})
		return nil
	case strings.TrimSpace(text) == "":
		s.errs = append(s.errs, RecordError{DocID: id, Reason: fmt.Sprintf("line %d: empty %q field", line, s.opts.TextField)})
		return nil
	}
	if first, added := s.ids.Add(id, n); !added {
		s.errs = append(s.errs, RecordError{DocID: id, Reason: fmt.Sprintf("line %d: duplicate id %q (first used by record %d); record skipped", line, id, first)})
		return nil
	}

	doc := Document{ID: id, Source: s.f.RelPath, SourceRaw: s.f.RawRelPath, Format: s.format, Encoding: enc, Text: normalizeNewlines(text)}
	for k, v := range fields {
		switch k {
		case s.opts.TextField, s.opts.IDField:
		case "title":
			doc.Title = v
		default:
			if doc.Meta == nil {
				doc.Meta = map[string]string{}
			}
			doc.Meta[k] = v
		}
	}
	s.emitted++
	return s.emit(doc)
}

// finish gives the whole-file error when the file yielded nothing at all.
func (s *recordSink) finish() ([]RecordError, error) {
	if s.emitted > 0 {
		return s.errs, nil
	}
	if s.n == 0 {
		return nil, ErrNoRecords
	}
	if s.missingText == s.n {
		// One message instead of one per record: the field name is wrong, not the data.
		names := make([]string, 0, len(s.fieldsSeen))
		for k := range s.fieldsSeen {
			names = append(names, k)
		}
		sort.Strings(names)
		return nil, fmt.Errorf("no record has a %q field (fields: %s); name the text field with --text-field", s.opts.TextField, strings.Join(names, ", "))
	}
	return s.errs, nil
}

// readJSONL reads one JSON object per line. Blank lines are passed over.
func readJSONL(in *input, emit func(Document) error) ([]RecordError, error) {
	r, err := in.records()
	if err != nil {
		return nil, err
	}
	opts := in.opts
	sink := newRecordSink(in.file, in.format, opts, emit)
	lr := newLineReader(r, opts.MaxBytes)
	for {
		raw, line, err := lr.next()
		var tooLong *recordTooLongError
		switch {
		case errors.Is(err, io.EOF):
			return sink.finish()
		case errors.As(err, &tooLong):
			sink.fail(sink.next(), line, err.Error())
			continue
		case err != nil:
			return nil, fmt.Errorf("read error after line %d: %w", line, plainErr(err))
		}
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		n := sink.next()
		text, enc, err := decodeRecordBytes(raw, r.enc)
		if err != nil {
			sink.fail(n, line, err.Error())
			continue
		}
		fields, nonScalar, err := parseJSONObject(text)
		if err != nil {
			sink.fail(n, line, err.Error())
			continue
		}
		if err := sink.add(n, line, fields, nonScalar, enc); err != nil {
			return nil, err
		}
	}
}

// parseJSONObject parses one JSON object and returns its scalar fields as text (numbers
// as written, booleans as "true"/"false"; null is left out) and the names of fields
// holding an object or array.
func parseJSONObject(s string) (map[string]string, map[string]bool, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, nil, fmt.Errorf("invalid JSON: %s", jsonReason(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, nil, errors.New("invalid JSON: more than one value on the line")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, nil, fmt.Errorf("not a JSON object (found %s)", jsonKind(v))
	}
	fields := make(map[string]string, len(obj))
	var nonScalar map[string]bool
	for k, val := range obj {
		switch x := val.(type) {
		case string:
			fields[k] = x
		case json.Number:
			fields[k] = x.String()
		case bool:
			fields[k] = fmt.Sprint(x)
		case nil:
		default:
			if nonScalar == nil {
				nonScalar = map[string]bool{}
			}
			nonScalar[k] = true
		}
	}
	return fields, nonScalar, nil
}

func jsonReason(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of line (unclosed object or string?)"
	}
	return err.Error()
}

func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return "another value"
}

// readCSV reads a CSV or TSV file whose first row names the columns.
func readCSV(in *input, emit func(Document) error) ([]RecordError, error) {
	r, err := in.records()
	if err != nil {
		return nil, err
	}
	opts := in.opts
	comma := byte(',')
	if in.format == FormatTSV {
		comma = '\t'
	}
	sc := newCSVScanner(r, comma, opts.MaxBytes)
	header, err := sc.next()
	if errors.Is(err, io.EOF) {
		return nil, ErrNoRecords
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the header row: %w", err)
	}
	names := make([]string, len(header.fields))
	hasText := false
	for i, h := range header.fields {
		name, _, err := decodeRecordBytes(h, r.enc)
		if err != nil {
			return nil, fmt.Errorf("header row: %w", err)
		}
		names[i] = strings.TrimSpace(name)
		hasText = hasText || names[i] == opts.TextField
	}
	if !hasText {
		return nil, fmt.Errorf("no %q column (columns: %s); name the text column with --text-field", opts.TextField, strings.Join(names, ", "))
	}

	sink := newRecordSink(in.file, in.format, opts, emit)
	for {
		rec, err := sc.next()
		if errors.Is(err, io.EOF) {
			break
		}
		line := rec.line
		var tooLong *recordTooLongError
		var unterminated *unterminatedQuoteError
		switch {
		case errors.As(err, &tooLong):
			sink.fail(sink.next(), line, err.Error())
			continue
		case errors.As(err, &unterminated):
			sink.fail(sink.next(), unterminated.line, err.Error())
			continue
		case err != nil:
			return nil, fmt.Errorf("read error after line %d: %w", line, plainErr(err))
		}
		n := sink.next()
		if len(rec.fields) != len(names) {
			sink.fail(n, line, fmt.Sprintf("%d fields, but the header has %d", len(rec.fields), len(names)))
			continue
		}
		enc := r.enc
		fields := make(map[string]string, len(rec.fields))
		bad := false
		for i, v := range rec.fields {
			s, e, err := decodeRecordBytes(v, r.enc)
			if err != nil {
				sink.fail(n, line, err.Error())
				bad = true
				break
			}
			if e != r.enc {
				enc = e
			}
			fields[names[i]] = s
		}
		if bad {
			continue
		}
		if err := sink.add(n, line, fields, nil, enc); err != nil {
			return nil, err
		}
	}
	return sink.finish()
}
