// Package corpus finds the documents of a corpus and reads them into plain UTF-8 text.
//
// Discover walks the folders and files given on the command line in a stable order and
// sorts what it meets into Files to read, Skipped files (hidden files and macOS debris such
// as AppleDouble "._*" files and .DS_Store) and Problems (paths it could not use, with a
// reason a person understands). Read turns one File into Documents: one for plain text,
// Markdown, HTML, PDF, Word (.docx) and OpenDocument (.odt) files, one per record for
// JSONL, CSV/TSV and Excel (.xlsx) files, each optionally gzip-compressed. It detects
// the text encoding (UTF-8 with or without BOM, UTF-16 with BOM, UTF-16 and UTF-32
// without one where unambiguous, Windows-1252, and what an HTML page declares) so every
// Document.Text is valid UTF-8 with "\n" line ends. Metadata (front matter, record
// fields, document properties) is typed: see Value and ParseText. MetaPattern turns
// parts of file names into metadata.
//
// No input may crash, hang or exhaust a reader: a file or record above
// Options.MaxBytes is refused (a record costs itself only, and reading goes on), a PDF
// is held to a read budget and a time limit, a reader's panic is the file's error, and
// names that are not UTF-8 are escaped (EscapeName).
//
// What does not live here: analysis of the text (extractors), the order and concurrency
// of the run (pipeline) and any printing (cmd). Errors returned by Read carry the reason
// alone ("empty file", "truncated gzip stream"), because the caller records the file's path
// beside it.
package corpus
