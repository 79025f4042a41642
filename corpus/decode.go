package corpus

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Encodings a Document can have been decoded from, as written in Document.Encoding.
const (
	EncodingUTF8        = "utf-8"
	EncodingUTF8BOM     = "utf-8-bom"
	EncodingUTF16LE     = "utf-16le"
	EncodingUTF16BE     = "utf-16be"
	EncodingWindows1252 = "windows-1252"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// binaryControlShare is the share of control bytes above which content is binary, not
// text: real text has almost none, while executables, images and archives that lack a
// NUL byte in the sample still have plenty.
const binaryControlShare = 0.10

// decodeText turns the whole content of a text file into UTF-8 with "\n" line ends and
// names the encoding it found.
func decodeText(b []byte) (string, string, error) {
	if len(b) == 0 {
		return "", "", ErrEmpty
	}
	var s, enc string
	switch {
	case bytes.HasPrefix(b, bomUTF8):
		s, enc = strings.ToValidUTF8(string(b[len(bomUTF8):]), "\uFFFD"), EncodingUTF8BOM
	case bytes.HasPrefix(b, bomUTF16LE):
		s, enc = decodeUTF16(b, unicode.LittleEndian), EncodingUTF16LE
	case bytes.HasPrefix(b, bomUTF16BE):
		s, enc = decodeUTF16(b, unicode.BigEndian), EncodingUTF16BE
	default:
		if looksBinary(b) {
			return "", "", ErrBinary
		}
		if utf8.Valid(b) {
			s, enc = string(b), EncodingUTF8
			break
		}
		var err error
		if s, err = decodeWindows1252(b); err != nil {
			return "", "", err
		}
		enc = EncodingWindows1252
	}
	if enc != EncodingUTF8 && enc != EncodingWindows1252 && looksBinary([]byte(s)) {
		// A BOM followed by binary data is still binary.
		return "", "", ErrBinary
	}
	return normalizeNewlines(s), enc, nil
}

// decodeUTF16 decodes UTF-16 content that starts with a byte order mark.
func decodeUTF16(b []byte, order unicode.Endianness) string {
	out, err := unicode.UTF16(order, unicode.ExpectBOM).NewDecoder().Bytes(b)
	if err != nil {
		// The x/text decoder replaces bad sequences itself; an error here means
		// something stranger, so fall back to replacing what is not valid.
		return strings.ToValidUTF8(string(out), "\uFFFD")
	}
	return string(out)
}

// decodeWindows1252 decodes bytes that are not UTF-8 as Windows-1252, the usual encoding
// of older Western European text files, when they look like text: no C0 control bytes
// other than tab, line feed, carriage return and form feed.
func decodeWindows1252(b []byte) (string, error) {
	if hasStrayControl(b) {
		return "", ErrNotText
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return "", ErrNotText
	}
	return string(out), nil
}

// hasStrayControl reports whether b holds a C0 control byte that text does not use.
func hasStrayControl(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			return true
		}
	}
	return false
}

// looksBinary reports whether b is binary data rather than text: it holds a NUL byte or
// too many control bytes. It scans at most the first 64 KiB for the share of control
// bytes, and all of b for NUL, since text never holds one.
func looksBinary(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	sample := b
	if len(sample) > 64<<10 {
		sample = sample[:64<<10]
	}
	control := 0
	for _, c := range sample {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F {
			control++
		}
	}
	return len(sample) > 0 && float64(control) > binaryControlShare*float64(len(sample))
}

// normalizeNewlines turns "\r\n" and lone "\r" line ends into "\n".
func normalizeNewlines(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// looksText reports whether the start of a file looks like text. An empty start does:
// the reader then says "empty file", which tells the user more.
func looksText(head []byte) bool {
	if len(head) == 0 {
		return true
	}
	if bytes.HasPrefix(head, bomUTF8) || bytes.HasPrefix(head, bomUTF16LE) || bytes.HasPrefix(head, bomUTF16BE) {
		return true
	}
	if looksBinary(head) {
		return false
	}
	// The sample may end inside a multi-byte character; do not count that against it.
	for i := 0; i < utf8.UTFMax-1 && len(head) > 0 && !utf8.Valid(head); i++ {
		head = head[:len(head)-1]
	}
	return utf8.Valid(head) || !hasStrayControl(head)
}
