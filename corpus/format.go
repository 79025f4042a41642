package corpus

import (
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
)

// extFormats maps a lower-case file extension to the format that reads it.
var extFormats = map[string]string{
	".txt":      FormatTXT,
	".text":     FormatTXT,
	".md":       FormatMD,
	".markdown": FormatMD,
	".html":     FormatHTML,
	".htm":      FormatHTML,
	".jsonl":    FormatJSONL,
	".ndjson":   FormatJSONL,
	".csv":      FormatCSV,
	".tsv":      FormatTSV,
	".pdf":      FormatPDF,
}

// supportedList is the user-facing list of formats, for "unsupported format" reasons.
const supportedList = "framealign reads .txt .md .html .jsonl .csv .tsv .pdf, optionally .gz"

// fileFormat is what a file name says about how to read the file.
type fileFormat struct {
	format     string // one of the Format constants; "" when unsupported
	gzip       bool   // the name ends in .gz: decompress first
	noExt      bool   // the name has no extension: read as text if it is text
	unknownExt string // the extension that is not supported (".xyz", ".tar.gz")
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
		ff.format = FormatTXT
		return ff
	}
	if f, ok := extFormats[ext]; ok {
		ff.format = f
		return ff
	}
	ff.unknownExt = ext
	if ff.gzip {
		ff.unknownExt += ".gz"
	}
	return ff
}

// extOf is the extension of a base name; a leading dot (".bashrc") is not an extension.
func extOf(base string) string {
	i := strings.LastIndexByte(base, '.')
	if i <= 0 {
		return ""
	}
	return base[i:]
}
