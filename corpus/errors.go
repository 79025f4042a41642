package corpus

import (
	"errors"
	"fmt"
)

// Reasons Read gives when a whole file cannot be used. Their text is what a user sees in
// errors.parquet, so it names the cause in plain words and leaves the path to the caller.
var (
	ErrEmpty         = errors.New("empty file")
	ErrNoText        = errors.New("file has no text (only whitespace)")
	ErrBinary        = errors.New("binary file (not text)")
	ErrNotText       = errors.New("invalid UTF-8 and not Windows-1252 text")
	ErrTruncatedGzip = errors.New("truncated gzip stream")
	ErrCorruptGzip   = errors.New("corrupt gzip stream")
	ErrNoTextLayer   = errors.New("PDF has no text layer (scanned or image-only?)")
	ErrEncryptedPDF  = errors.New("encrypted PDF")
	ErrHTMLNoText    = errors.New("HTML has no readable text")
	ErrPermission    = errors.New("permission denied")
	ErrVanished      = errors.New("file disappeared before it could be read")
	ErrNotRegular    = errors.New("not a regular file")
	ErrNoRecords     = errors.New("no records")
	ErrUnsupported   = errors.New("unsupported format")
)

// errInternalPrefix starts the error Read returns when a reader panicked: a bug here or
// in a format library, reported for the one file instead of ending the run.
const errInternalPrefix = "internal error while reading"

// TooLargeError is the reason for refusing a file above Options.MaxBytes. Size is the
// file's size, or -1 when only decompression showed the content to be too large.
type TooLargeError struct {
	Size, Max int64
}

// Error says how large the file is and what the limit is, in the words of the flag.
func (e *TooLargeError) Error() string {
	if e.Size < 0 {
		return fmt.Sprintf("decompressed content is above --max-bytes %s", humanBytes(e.Max))
	}
	return fmt.Sprintf("file is %s, above --max-bytes %s", humanBytes(e.Size), humanBytes(e.Max))
}

// humanBytes writes a byte count the way a person reads it: "600 MB", "1.5 KB", "12 bytes"
// (KB and MB are powers of 1024, as --max-bytes is).
func humanBytes(n int64) string {
	const kb, mb, gb = 1 << 10, 1 << 20, 1 << 30
	unit, name := int64(1), "bytes"
	switch {
	case n >= gb:
		unit, name = gb, "GB"
	case n >= mb:
		unit, name = mb, "MB"
	case n >= kb:
		unit, name = kb, "KB"
	}
	if unit == 1 {
		return fmt.Sprintf("%d bytes", n)
	}
	if n%unit == 0 {
		return fmt.Sprintf("%d %s", n/unit, name)
	}
	return fmt.Sprintf("%.1f %s", float64(n)/float64(unit), name)
}
