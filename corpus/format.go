package corpus

import (
	"bytes"
	"path"
	"strings"
)

// Formats a Document can come from, as written in Document.Format.
const (
	FormatTXT   = "txt"
	FormatMD    = "md"
	FormatHTML  = "html"
	FormatJSONL = "jsonl"
	FormatCSV   = "csv"
	FormatTSV   = "tsv"
	FormatPDF   = "pdf"
	FormatXLSX  = "xlsx"
	FormatDOCX  = "docx"
	FormatODT   = "odt"
)

// A format is one kind of input file: the names that announce it, how its content is
// recognised, and the reader that turns a file of it into documents. Adding a format
// is one reader file and one entry in formats.
type format struct {
	name string   // Document.Format
	exts []string // lower-case extensions, with the dot
	// records is true for formats of many documents per file (JSONL, CSV): they are
	// streamed, and --max-bytes bounds each record rather than the file.
	records bool
	// sniff recognises the format from the first bytes of a file that has no
	// extension; nil when only the extension tells.
	sniff func(head []byte) bool
	read  reader
}

// A reader reads one opened input file, calling emit for each document in order. It
// returns the errors of single records, and an error whose text is a reason a person
// understands when the whole file cannot be used. When emit returns an error, the
// reader stops and returns it unchanged.
type reader func(in *input, emit func(Document) error) ([]RecordError, error)

// formats is every format framealign reads. A file without extension is read as the
// first format whose sniff recognises its start, or as text when it is text.
var formats = []*format{
	{name: FormatTXT, exts: []string{".txt", ".text"}, read: readText},
	{name: FormatMD, exts: []string{".md", ".markdown"}, read: readMarkdown},
	{name: FormatHTML, exts: []string{".html", ".htm"}, sniff: looksHTML, read: readHTML},
	{name: FormatJSONL, exts: []string{".jsonl", ".ndjson"}, records: true, read: readJSONL},
	{name: FormatCSV, exts: []string{".csv"}, records: true, read: readCSV},
	{name: FormatTSV, exts: []string{".tsv"}, records: true, read: readCSV},
	{name: FormatPDF, exts: []string{".pdf"}, sniff: looksPDF, read: readPDF},
	{name: FormatXLSX, exts: []string{".xlsx", ".xlsm"}, records: true, read: readXLSX},
	{name: FormatDOCX, exts: []string{".docx", ".docm"}, read: readDOCX},
	{name: FormatODT, exts: []string{".odt"}, read: readODT},
}

// byExt maps a lower-case extension to its format.
var byExt = func() map[string]*format {
	m := map[string]*format{}
	for _, f := range formats {
		for _, e := range f.exts {
			m[e] = f
		}
	}
	return m
}()

var textFormat = byExt[".txt"]

// supportedList is the user-facing list of formats, for "unsupported format" reasons.
var supportedList = func() string {
	var b strings.Builder
	b.WriteString("framealign reads")
	for _, f := range formats {
		b.WriteString(" ")
		b.WriteString(f.exts[0])
	}
	b.WriteString(", optionally .gz")
	return b.String()
}()

// fileFormat is what a file name says about how to read the file.
type fileFormat struct {
	format     *format // nil when unsupported
	gzip       bool    // the name ends in .gz: decompress first
	noExt      bool    // the name has no extension: the content decides (see sniffFormat)
	unknownExt string  // the extension that is not supported (".xyz", ".tar.gz")
}

// formatOf decides the format from the base name of name, case-insensitively.
func formatOf(name string) fileFormat {
	base := strings.ToLower(path.Base(strings.ReplaceAll(name, "\\", "/")))
	var ff fileFormat
	if strings.HasSuffix(base, ".gz") && len(base) > len(".gz") {
		ff.gzip = true
		base = strings.TrimSuffix(base, ".gz")
	}
	ext := extOf(base)
	if ext == "" {
		if ff.gzip {
			ff.unknownExt = ".gz"
			return ff
		}
		ff.noExt = true
		ff.format = textFormat
		return ff
	}
	if f, ok := byExt[ext]; ok {
		ff.format = f
		return ff
	}
	ff.unknownExt = ext
	if ff.gzip {
		ff.unknownExt += ".gz"
	}
	return ff
}

// sniffFormat is the format of a file without extension, from its first bytes: one
// whose sniff recognises them, else text when they look like text, else nil.
func sniffFormat(head []byte) *format {
	for _, f := range formats {
		if f.sniff != nil && f.sniff(head) {
			return f
		}
	}
	if looksText(head) {
		return textFormat
	}
	return nil
}

// extOf is the extension of a base name; a leading dot (".bashrc") is not an extension.
func extOf(base string) string {
	i := strings.LastIndexByte(base, '.')
	if i <= 0 {
		return ""
	}
	return base[i:]
}

func looksPDF(head []byte) bool { return bytes.HasPrefix(head, []byte("%PDF-")) }

// looksHTML recognises an HTML page by its first tag.
func looksHTML(head []byte) bool {
	h := bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(head, bomUTF8), " \t\r\n"))
	return bytes.HasPrefix(h, []byte("<!doctype html")) || bytes.HasPrefix(h, []byte("<html"))
}
