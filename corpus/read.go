package corpus

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Document is one document read from a file (a file of many records yields many).
type Document struct {
	// ID is the doc_id: RelPath for one-document files; for JSONL/CSV the record's id
	// field, or RelPath + "#" + the 1-based record number when the record has none.
	ID string
	// Source is the RelPath of the file the document came from.
	Source string
	// SourceRaw is the file's RawRelPath: its path as the file system gives it, when
	// that is not valid UTF-8 and Source escapes it; "" otherwise.
	SourceRaw string
	// Format is txt, md, html, jsonl, csv, tsv, xlsx, docx, odt or pdf (without .gz).
	Format string
	// Encoding is the encoding the text was decoded from: utf-8, utf-8-bom, utf-16le,
	// utf-16be or windows-1252.
	Encoding string
	// Title is the HTML <title>, the front-matter or record title, the Word or
	// OpenDocument file's title property, or "".
	Title string
	// Text is the decoded text: valid UTF-8 with "\n" line ends.
	Text string
	// Meta holds typed metadata by key: front-matter entries, the other fields of a
	// record (JSONL, CSV, spreadsheet row), a Word file's properties, and the
	// --meta-pattern parts the pipeline adds. See Value for the kinds.
	Meta map[string]Value
}

// RecordError is a problem with one record of a many-record file (malformed JSONL line,
// ragged CSV row); it costs that record only.
type RecordError struct{ DocID, Reason string }

// Options says how to read records and how large a file may be.
type Options struct {
	TextField string // field or column holding the text of a JSONL/CSV/XLSX record; default "text"
	IDField   string // field or column holding the record's id; default "id"
	Sheet     string // the worksheet of an .xlsx file to read; default the first
	MaxBytes  int64  // largest document: one-document file (or its decompressed content), or JSONL/CSV record; default DefaultMaxBytes
}

// DefaultMaxBytes is the default for Options.MaxBytes (--max-bytes): 64 MiB, the
// largest document framealign takes: a one-document file (text, Markdown, HTML, PDF,
// or its decompressed content), or one record of a JSONL or CSV file.
//
// Why this size: a document is held in memory whole while it is analysed, and its
// annotation takes about 100 bytes a token, so a 64 MiB text already needs over a GiB
// per worker. That leaves room for anything a corpus of speeches or reports really
// holds (the longest UN General Debate speech is 42 KB; the text of a 1,000-page report
// a few MB), while a larger file is far more likely a mistake (a database dump, a video
// renamed .txt). JSONL and CSV files are streamed record by record, so the limit holds
// for each record and the file itself may be of any size.
const DefaultMaxBytes = 64 << 20

func (o Options) withDefaults() Options {
	if o.TextField == "" {
		o.TextField = "text"
	}
	if o.IDField == "" {
		o.IDField = "id"
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	return o
}

// openFile opens a file for Read. It is a variable so that tests can make an open fail
// the way it fails for a user (tests run as root, for whom permission bits do not count).
var openFile = os.Open

// SetOpenHook makes every open of a file's content by this package (Read, ReadText,
// ReadDocument, and the look discovery takes at a file without extension) call hook
// with the path first, and returns the function that removes it: tests count with it
// the files a run reads.
func SetOpenHook(hook func(path string)) (remove func()) {
	orig := openFile
	openFile = func(p string) (*os.File, error) {
		hook(p)
		return orig(p)
	}
	return func() { openFile = orig }
}

// statFile is the stat Read does before opening, for the same reason as openFile.
var statFile = os.Stat

// Read reads one file, calling emit for each document in order. It returns the errors of
// single records, and a non-nil error whose text is a reason a person understands when
// the whole file cannot be used. If emit returns an error, Read stops and returns that
// error unchanged. Read does not panic on any input.
func Read(f File, opts Options, emit func(Document) error) ([]RecordError, error) {
	return guarded(f.Path, emit, func(emit func(Document) error) ([]RecordError, error) {
		return readFile(f, opts.withDefaults(), emit)
	})
}

// ReadBytes reads the documents of a file whose content is already in memory (read
// from object storage, say): relPath, the file's path in its corpus, names the
// format and becomes the documents' doc_id and source; content is the file's bytes as
// stored, compressed when the name ends in .gz. It behaves as Read on that file.
func ReadBytes(relPath string, content []byte, opts Options, emit func(Document) error) ([]RecordError, error) {
	return guarded(relPath, emit, func(emit func(Document) error) ([]RecordError, error) {
		opts = opts.withDefaults()
		ff, err := supported(relPath)
		if err != nil {
			return nil, err
		}
		if err := checkSize(ff, int64(len(content)), opts); err != nil {
			return nil, err
		}
		rel, raw := escapedRel(relPath)
		return readContent(File{Path: relPath, RelPath: rel, RawRelPath: raw, Size: int64(len(content))}, ff, bytes.NewReader(content), int64(len(content)), opts, emit)
	})
}

// ReadDocument reads the one document of the file at path as Read reads a file of the
// corpus (its format from its name or content, its encoding detected, held to
// opts.MaxBytes; a named pipe or device refused), for a document named on the
// command line, such as --reference. A file that yields no document gives the reason;
// one that yields several (a JSONL or CSV file of many records) is refused.
func ReadDocument(path string, opts Options) (Document, error) {
	var docs []Document
	errTwo := errors.New("two documents")
	recErrs, err := Read(File{Path: path, RelPath: filepath.Base(path)}, opts, func(d Document) error {
		if len(docs) == 1 {
			return errTwo
		}
		docs = append(docs, d)
		return nil
	})
	switch {
	case errors.Is(err, errTwo):
		return Document{}, errors.New("holds more than one document (records); give a file of one document")
	case err != nil:
		return Document{}, err
	case len(docs) == 0 && len(recErrs) > 0:
		return Document{}, errors.New(recErrs[0].Reason)
	case len(docs) == 0:
		return Document{}, ErrNoText
	}
	return docs[0], nil
}

// ReadText reads the file at path as text whatever its name says (a YAML framework
// file), as Read reads a .txt file: decompressed when the name ends in .gz, its
// encoding detected, line ends made "\n", held to opts.MaxBytes, a named pipe or
// device refused. Empty content is ErrEmpty; binary content ErrBinary.
func ReadText(path string, opts Options) (string, error) {
	opts = opts.withDefaults()
	var text string
	err := func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("%s %s: %v", errInternalPrefix, filepath.Base(path), p)
			}
		}()
		info, err := statFile(path)
		if err != nil {
			return openError(err)
		}
		if !info.Mode().IsRegular() {
			return fmt.Errorf("%w (%s)", ErrNotRegular, kindOf(info.Mode()))
		}
		gz := formatOf(path).gzip
		if !gz && info.Size() > opts.MaxBytes {
			return &TooLargeError{Size: info.Size(), Max: opts.MaxBytes}
		}
		fh, err := openFile(path)
		if err != nil {
			return openError(err)
		}
		defer fh.Close()
		in := &input{file: File{Path: path, RelPath: filepath.Base(path)}, opts: opts, content: fh, size: info.Size(), gzip: gz}
		data, err := in.bytes()
		if err != nil {
			return err
		}
		text, _, err = decodeText(data)
		return err
	}()
	return text, err
}

// guarded runs a read, turning a panic in a reader into the file's error (a bug here
// or in a format library, reported for the one file instead of ending the run).
func guarded(name string, emit func(Document) error, read func(func(Document) error) ([]RecordError, error)) (recErrs []RecordError, err error) {
	var emitErr error
	guardedEmit := func(d Document) error {
		emitErr = emit(d)
		return emitErr
	}
	defer func() {
		if p := recover(); p != nil {
			if emitErr != nil {
				err = emitErr
				return
			}
			recErrs, err = nil, fmt.Errorf("%s %s: %v", errInternalPrefix, EscapeName(filepath.Base(name)), p)
		}
	}()
	return read(guardedEmit)
}

// supported is the format a file name announces, or the reason it is not read.
func supported(name string) (fileFormat, error) {
	ff := formatOf(name)
	if ff.format == nil {
		if hint, ok := legacyHints[strings.TrimSuffix(ff.unknownExt, ".gz")]; ok {
			return ff, fmt.Errorf("%w %s (%s)", ErrUnsupported, ff.unknownExt, hint)
		}
		return ff, fmt.Errorf("%w %s (%s)", ErrUnsupported, ff.unknownExt, supportedList)
	}
	return ff, nil
}

// checkSize refuses content that is empty, or above --max-bytes for a one-document
// format (record formats are held to it record by record).
func checkSize(ff fileFormat, size int64, opts Options) error {
	if !ff.format.records && size > opts.MaxBytes {
		return &TooLargeError{Size: size, Max: opts.MaxBytes}
	}
	if size == 0 {
		return ErrEmpty
	}
	return nil
}

func readFile(f File, opts Options, emit func(Document) error) ([]RecordError, error) {
	ff, err := supported(f.Path)
	if err != nil {
		return nil, err
	}
	if f.RelPath == "" {
		f.RelPath, f.RawRelPath = escapedRel(filepath.Base(f.Path))
	}
	info, err := statFile(f.Path)
	if err != nil {
		return nil, openError(err)
	}
	if !info.Mode().IsRegular() {
		// Opening a named pipe would block forever; a folder has no content to read.
		return nil, fmt.Errorf("%w (%s)", ErrNotRegular, kindOf(info.Mode()))
	}
	if err := checkSize(ff, info.Size(), opts); err != nil {
		return nil, err
	}
	fh, err := openFile(f.Path)
	if err != nil {
		return nil, openError(err)
	}
	defer fh.Close()
	return readContent(f, ff, fh, info.Size(), opts, emit)
}

// readContent hands opened content to its format's reader; a file without extension
// is read as what its first bytes say it is.
func readContent(f File, ff fileFormat, content content, size int64, opts Options, emit func(Document) error) ([]RecordError, error) {
	in := &input{file: f, opts: opts, format: ff.format.name, content: content, size: size, gzip: ff.gzip}
	if !ff.noExt {
		return ff.format.read(in, emit)
	}
	data, err := in.bytes()
	if err != nil {
		return nil, err
	}
	fm := sniffFormat(data[:min(len(data), 8<<10)])
	if fm == nil {
		return nil, fmt.Errorf("%w: no extension and not text (%s)", ErrUnsupported, supportedList)
	}
	in.format = fm.name
	return fm.read(in, emit)
}

// content is an input's bytes as stored: an open file, or bytes in memory.
type content interface {
	io.Reader
	io.ReaderAt
	io.Seeker
}

// input is one opened file on its way to its format's reader, which takes its content
// in the form that suits it: whole (bytes), as a stream of records (records), or with
// random access (readerAt). Each is decompressed when the name ends in .gz and held
// to --max-bytes.
type input struct {
	file    File
	opts    Options
	format  string // the format's name, for Document.Format
	content content
	size    int64 // of the content as stored
	gzip    bool
	data    []byte // the whole content, once read
}

// bytes returns the whole content, decompressed.
func (in *input) bytes() ([]byte, error) {
	if in.data != nil {
		return in.data, nil
	}
	var data []byte
	var err error
	if in.gzip {
		data, err = readAllGzip(in.content, in.opts.MaxBytes)
	} else {
		data, err = readAllSized(in.content, in.size, in.opts.MaxBytes)
	}
	if err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, ErrEmpty
	}
	in.data = data
	return data, nil
}

// records returns the decoded stream of a many-record file (see recordStream).
func (in *input) records() (*recordReader, error) {
	return recordStream(in.content, in.gzip)
}

// readerAt gives random access to the content: the file itself, or its decompressed
// bytes when it is compressed.
func (in *input) readerAt() (io.ReaderAt, int64, error) {
	if !in.gzip && in.data == nil {
		return in.content, in.size, nil
	}
	data, err := in.bytes()
	if err != nil {
		return nil, 0, err
	}
	return bytes.NewReader(data), int64(len(data)), nil
}

// document starts the Document of a one-document file.
func (in *input) document(text, encoding string) Document {
	return Document{ID: in.file.RelPath, Source: in.file.RelPath, SourceRaw: in.file.RawRelPath, Format: in.format, Encoding: encoding, Text: text}
}

// readText reads a plain text file as one document.
func readText(in *input, emit func(Document) error) ([]RecordError, error) {
	data, err := in.bytes()
	if err != nil {
		return nil, err
	}
	text, enc, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, ErrNoText
	}
	return nil, emit(in.document(text, enc))
}

// readAll reads r whole, refusing content above max bytes (the file may have grown since
// its size was checked).
func readAll(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("read error: %w", plainErr(err))
	}
	if int64(len(data)) > max {
		return nil, &TooLargeError{Size: int64(len(data)), Max: max}
	}
	return data, nil
}

// readAllSized is readAll for a file whose size was just taken: one buffer of that
// size (and a little room, should the file have grown), so one read usually does.
func readAllSized(r io.Reader, size, max int64) ([]byte, error) {
	if size <= 0 || size > max {
		return readAll(r, max)
	}
	data := make([]byte, 0, size+512)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // the file grew: let append find room
		}
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if int64(len(data)) > max {
			return nil, &TooLargeError{Size: int64(len(data)), Max: max}
		}
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read error: %w", plainErr(err))
		}
	}
}

// readAllGzip decompresses r whole, refusing decompressed content above max bytes so
// that a small file that inflates hugely cannot exhaust memory.
func readAllGzip(r io.Reader, max int64) ([]byte, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, gzipError(err)
	}
	defer zr.Close()
	data, err := io.ReadAll(io.LimitReader(zr, max+1))
	if err != nil {
		return nil, gzipError(err)
	}
	if int64(len(data)) > max {
		return nil, &TooLargeError{Size: -1, Max: max}
	}
	return data, nil
}

// checkGzip decompresses the whole stream of rs without keeping it, so that a truncated
// or oversized .jsonl.gz/.csv.gz is refused before any of its records is emitted, then
// rewinds rs.
func checkGzip(rs io.ReadSeeker, max int64) error {
	zr, err := gzip.NewReader(rs)
	if err != nil {
		return gzipError(err)
	}
	n, err := io.Copy(io.Discard, io.LimitReader(zr, max+1))
	if err != nil {
		return gzipError(err)
	}
	if n > max {
		return &TooLargeError{Size: -1, Max: max}
	}
	if n == 0 {
		return ErrEmpty
	}
	if _, err := rs.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("read error: %w", plainErr(err))
	}
	return nil
}

// gzipError turns a gzip failure into a reason a person understands.
func gzipError(err error) error {
	var corrupt flate.CorruptInputError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return ErrTruncatedGzip
	case errors.Is(err, gzip.ErrHeader):
		return fmt.Errorf("%w (not gzip data: bad header)", ErrCorruptGzip)
	case errors.Is(err, gzip.ErrChecksum):
		return fmt.Errorf("%w (checksum mismatch)", ErrCorruptGzip)
	case errors.As(err, &corrupt):
		return fmt.Errorf("%w (bad compressed data)", ErrCorruptGzip)
	}
	return fmt.Errorf("read error: %w", plainErr(err))
}

// openError turns a failed stat or open into a reason a person understands.
func openError(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return ErrVanished
	case errors.Is(err, fs.ErrPermission):
		return ErrPermission
	}
	return fmt.Errorf("cannot open: %w", plainErr(err))
}

// plainErr drops the path from an *fs.PathError: the caller records the path itself.
func plainErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// kindOf names a non-regular file mode for a reason.
func kindOf(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a plain file"
}
