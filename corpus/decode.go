package corpus

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

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
	EncodingUTF32LE     = "utf-32le"
	EncodingUTF32BE     = "utf-32be"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// hasBOM reports whether b starts with a byte order mark decodeText knows.
func hasBOM(b []byte) bool {
	return bytes.HasPrefix(b, bomUTF8) || bytes.HasPrefix(b, bomUTF16LE) || bytes.HasPrefix(b, bomUTF16BE)
}

// binaryControlShare is the share of control bytes above which content is binary, not
// text: real text has almost none, while executables, images and archives that lack a
// NUL byte in the sample still have plenty.
const binaryControlShare = 0.10

// decodeText turns the whole content of a text file into UTF-8 with "\n" line ends and
// names the encoding it found. Valid UTF-8 content becomes the text without a copy:
// b must not be changed afterwards (the readers hand it a file's own buffer).
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
		if enc, order := unmarkedUTF16or32(b); enc != "" {
			if s, ok := decodeUnmarked(b, enc, order); ok {
				return normalizeNewlines(s), enc, nil
			}
		}
		if looksBinary(b) {
			return "", "", binaryError(b)
		}
		if utf8.Valid(b) {
			s, enc = unsafe.String(unsafe.SliceData(b), len(b)), EncodingUTF8
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
		control += int(controlByte[c])
	}
	return len(sample) > 0 && float64(control) > binaryControlShare*float64(len(sample))
}

// controlByte is 1 for the bytes looksBinary counts as control characters: below 0x20
// except tab, newline, carriage return and form feed, and DEL.
var controlByte = func() (t [256]uint8) {
	for c := 0; c < 0x20; c++ {
		if c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			t[c] = 1
		}
	}
	t[0x7F] = 1
	return t
}()

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

// unmarkedUTF16or32 recognises UTF-16 and UTF-32 text that has no byte order mark by
// the zero bytes its characters leave in fixed places (every character below U+0100
// has a zero high byte; below U+10000, UTF-32 has two): in the first 4 KiB, UTF-32LE
// has zeros in nearly every third and fourth byte of four, UTF-16LE in many odd bytes
// and almost no even one (and the mirror for big-endian). Text in a script whose
// characters have no zero byte (CJK in UTF-16) leaves no such trace and is not
// recognised. It returns "" when the pattern is not clear; decodeUnmarked then checks
// the whole content.
func unmarkedUTF16or32(b []byte) (string, binary.ByteOrder) {
	sample := b[:min(len(b), 4096)]
	sample = sample[:len(sample)/4*4]
	if len(sample) < 8 || bytes.IndexByte(sample, 0) < 0 {
		return "", nil
	}
	var zeros [4]int
	for i, c := range sample {
		if c == 0 {
			zeros[i%4]++
		}
	}
	units := len(sample) / 4
	all := func(n int) bool { return n == units }
	most := func(n int) bool { return n*10 >= units*9 }
	even, odd := zeros[0]+zeros[2], zeros[1]+zeros[3]
	switch {
	case all(zeros[3]) && most(zeros[2]) && !most(zeros[0]):
		return EncodingUTF32LE, binary.LittleEndian
	case all(zeros[0]) && most(zeros[1]) && !most(zeros[3]):
		return EncodingUTF32BE, binary.BigEndian
	// UTF-16: at least one character in eight below U+0100, and nearly all zeros on
	// one side (a few low surrogates end in 00).
	case odd*4 >= units && even*20 <= odd:
		return EncodingUTF16LE, binary.LittleEndian
	case even*4 >= units && odd*20 <= even:
		return EncodingUTF16BE, binary.BigEndian
	}
	return "", nil
}

// decodeUnmarked decodes b as the UTF-16 or UTF-32 unmarkedUTF16or32 found, and says
// whether it is that: every code unit valid (no lone surrogate, nothing above
// U+10FFFF, whole units) and the result text, not control codes.
func decodeUnmarked(b []byte, enc string, order binary.ByteOrder) (string, bool) {
	var s strings.Builder
	s.Grow(len(b) / 2)
	switch enc {
	case EncodingUTF32LE, EncodingUTF32BE:
		if len(b)%4 != 0 {
			return "", false
		}
		for i := 0; i < len(b); i += 4 {
			r := rune(order.Uint32(b[i:]))
			if !utf8.ValidRune(r) {
				return "", false
			}
			s.WriteRune(r)
		}
	default:
		if len(b)%2 != 0 {
			return "", false
		}
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = order.Uint16(b[2*i:])
		}
		for i := 0; i < len(u); i++ {
			r := rune(u[i])
			switch {
			case utf16.IsSurrogate(r) && i+1 < len(u) && r < 0xDC00:
				r = utf16.DecodeRune(r, rune(u[i+1]))
				i++
				if r == utf8.RuneError {
					return "", false
				}
			case utf16.IsSurrogate(r):
				return "", false
			}
			s.WriteRune(r)
		}
	}
	out := s.String()
	if looksBinary([]byte(out)) {
		return "", false
	}
	return out, true
}

// binaryError is ErrBinary, with a hint when the zero bytes fall where UTF-16 or
// UTF-32 text would leave them but the content did not decode as such.
func binaryError(b []byte) error {
	sample := b[:min(len(b), 4096)]
	var even, odd int
	for i, c := range sample {
		if c == 0 {
			if i%2 == 0 {
				even++
			} else {
				odd++
			}
		}
	}
	if n := even + odd; n >= 8 && (even*10 >= n*9 || odd*10 >= n*9) {
		return fmt.Errorf("%w; its zero bytes fall in every other place, as in UTF-16 or UTF-32 text without a byte order mark: if it is text, save it as UTF-8 (or with a byte order mark)", ErrBinary)
	}
	return ErrBinary
}
