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
	"strconv"
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
// common to JSONL, CSV and spreadsheets: record numbers, ids already used, record errors.
type recordSink struct {
	f      File
	format string
	opts   Options
	emit   func(Document) error
	unit   string // what a record error names: "line" (JSONL, CSV) or "row" (spreadsheets)

	n           int            // records seen, malformed ones included, so numbers stay put when one is fixed
	emitted     int            // documents emitted
	missingText int            // records without the text field at all
	fieldsSeen  map[string]int // field names seen, for the "no text field" reason
	ids         *IDSet         // id -> record number that used it first
	errs        []RecordError
}

func newRecordSink(f File, format string, opts Options, emit func(Document) error) *recordSink {
	return &recordSink{f: f, format: format, opts: opts, emit: emit, unit: "line", fieldsSeen: map[string]int{}, ids: NewIDSet()}
}

// recordFields is one record as its format parsed it: the fields written as strings
// (every CSV cell, JSON strings), as written, and the fields the format typed itself
// (JSON numbers, booleans, arrays and objects). JSON nulls are in neither.
type recordFields struct {
	strs  map[string]string
	typed map[string]Value
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
	s.failID(s.fallbackID(n), line, reason)
}

func (s *recordSink) failID(id string, line int, reason string) {
	s.errs = append(s.errs, RecordError{DocID: id, Reason: fmt.Sprintf("%s %d: %s", s.unit, line, reason)})
}

// add turns record n (starting at line) into a Document and emits it, or records why
// it cannot. The text field must be a string; the id may be a string or a number;
// "title" becomes the title; every other field becomes metadata: strings typed by their
// form (ParseText), the format's own types kept.
func (s *recordSink) add(n, line int, rec recordFields, enc string) error {
	for k := range rec.strs {
		s.fieldsSeen[k]++
	}
	for k := range rec.typed {
		s.fieldsSeen[k]++
	}
	id := s.fallbackID(n)
	if v, ok := rec.strs[s.opts.IDField]; ok && strings.TrimSpace(v) != "" {
		id = strings.TrimSpace(v)
	} else if v, ok := rec.typed[s.opts.IDField]; ok {
		if v.Kind != KindInt && v.Kind != KindFloat {
			s.failID(id, line, fmt.Sprintf("field %q is not a string or a number (found %s)", s.opts.IDField, kindArticle(v.Kind)))
			return nil
		}
		id = v.Text
	}
	text, ok := rec.strs[s.opts.TextField]
	if tv, typed := rec.typed[s.opts.TextField]; typed {
		s.failID(id, line, fmt.Sprintf("field %q is not a string (found %s)", s.opts.TextField, kindArticle(tv.Kind)))
		return nil
	}
	switch {
	case !ok:
		s.missingText++
		s.failID(id, line, fmt.Sprintf("no %q field", s.opts.TextField))
		return nil
	case strings.TrimSpace(text) == "":
		s.failID(id, line, fmt.Sprintf("empty %q field", s.opts.TextField))
		return nil
	}
	if first, added := s.ids.Add(id, n); !added {
		s.failID(id, line, fmt.Sprintf("duplicate id %q (first used by record %d); record skipped", id, first))
		return nil
	}

	doc := Document{ID: id, Source: s.f.RelPath, SourceRaw: s.f.RawRelPath, Format: s.format, Encoding: enc, Text: normalizeNewlines(text)}
	setMeta := func(k string, v Value) {
		if doc.Meta == nil {
			doc.Meta = map[string]Value{}
		}
		doc.Meta[k] = v
	}
	for k, v := range rec.strs {
		switch k {
		case s.opts.TextField, s.opts.IDField:
		case "title":
			doc.Title = v
		default:
			if val, ok := ParseText(v); ok {
				setMeta(k, val)
			}
		}
	}
	for k, v := range rec.typed {
		switch k {
		case s.opts.TextField, s.opts.IDField:
		case "title":
			doc.Title = v.Text
		default:
			setMeta(k, v)
		}
	}
	s.emitted++
	return s.emit(doc)
}

// kindArticle names a value's kind for a reason: "a number", "an object".
func kindArticle(k Kind) string {
	switch k {
	case KindInt, KindFloat:
		return "a number"
	case KindBool:
		return "a boolean"
	case KindList:
		return "an array"
	case KindJSON:
		return "an object or a nested array"
	}
	return "a " + k.String()
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
		fields, err := parseJSONObject(text)
		if err != nil {
			sink.fail(n, line, err.Error())
			continue
		}
		if err := sink.add(n, line, fields, enc); err != nil {
			return nil, err
		}
	}
}

// parseJSONObject parses one JSON object: its strings as written, and its other
// fields typed: numbers (integers when they are whole and fit 64 bits, else decimals),
// booleans, arrays of scalars as lists (each element's text, nulls left out), objects
// and arrays holding objects or arrays as JSON text. Null fields are left out.
func parseJSONObject(s string) (recordFields, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return recordFields{}, fmt.Errorf("invalid JSON: %s", jsonReason(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return recordFields{}, errors.New("invalid JSON: more than one value on the line")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return recordFields{}, fmt.Errorf("not a JSON object (found %s)", jsonKind(v))
	}
	rec := recordFields{strs: make(map[string]string, len(obj))}
	for k, val := range obj {
		if str, ok := val.(string); ok {
			rec.strs[k] = str
			continue
		}
		if tv, ok := jsonTyped(val); ok {
			if rec.typed == nil {
				rec.typed = map[string]Value{}
			}
			rec.typed[k] = tv
		}
	}
	return rec, nil
}

// jsonTyped is the Value of a decoded JSON value that is not a string; false for null.
func jsonTyped(v any) (Value, bool) {
	switch x := v.(type) {
	case json.Number:
		return numberValue(x.String()), true
	case bool:
		return BoolValue(x), true
	case []any:
		items := make([]string, 0, len(x))
		for _, e := range x {
			switch y := e.(type) {
			case nil:
			case string:
				items = append(items, y)
			case json.Number:
				items = append(items, y.String())
			case bool:
				items = append(items, strconv.FormatBool(y))
			default:
				b, _ := json.Marshal(x)
				return JSONValue(string(b)), true
			}
		}
		return ListValue(items), true
	case map[string]any:
		b, _ := json.Marshal(x)
		return JSONValue(string(b)), true
	}
	return Value{}, false
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
		fields := recordFields{strs: make(map[string]string, len(rec.fields))}
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
			fields.strs[names[i]] = s
		}
		if bad {
			continue
		}
		if err := sink.add(n, line, fields, enc); err != nil {
			return nil, err
		}
	}
	return sink.finish()
}
