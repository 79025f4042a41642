package corpus

import (
	"fmt"
	"strings"
)

// Screen is Discover's verdict on one file that another lister found (an object
// store's listing, a Beam file pattern), so that such a runner skips and refuses the
// same files as `framealign run`. relPath is the file's path in its corpus, with '/'
// separators; every component but the last is a folder. head returns the file's
// first bytes (at most 8 KiB are looked at); it is called only for a name without
// extension, whose content decides.
//
// skip is the reason the file is passed over as debris (hidden, AppleDouble ._*,
// .DS_Store, under __MACOSX: what Discover lists in Skipped, for the file or for the
// folder that holds it); problem is why it is not a document (an unsupported format:
// what Discover lists in Problems, with the same text). Both are empty for a file
// Discover lists in Files.
func Screen(relPath string, head func() ([]byte, error)) (skip, problem string) {
	parts := strings.Split(relPath, "/")
	for i, name := range parts {
		if reason := skipReason(name, i < len(parts)-1); reason != "" {
			return reason, ""
		}
	}
	ff := formatOf(relPath)
	if ff.format == nil {
		return "", fmt.Sprintf("%s %s (%s)", ErrUnsupported, ff.unknownExt, supportedList)
	}
	if ff.noExt {
		h, err := head()
		if err != nil {
			return "", statReason(err)
		}
		if sniffFormat(h[:min(len(h), 8<<10)]) == nil {
			return "", fmt.Sprintf("%s: no extension and not text (%s)", ErrUnsupported, supportedList)
		}
	}
	return "", ""
}

// SkippedUnder is the part of relPath that Discover lists in Skipped when Screen
// skips the file: the file itself, or the first debris folder on its path (a hidden
// folder is one entry however many files it holds). "" when the file is not skipped.
func SkippedUnder(relPath string) string {
	parts := strings.Split(relPath, "/")
	for i, name := range parts {
		if skipReason(name, i < len(parts)-1) != "" {
			return strings.Join(parts[:i+1], "/")
		}
	}
	return ""
}

// CheckSize is the error Read gives, before reading anything, for a file of this name
// and size (an unsupported format, an empty file, a one-document file above
// opts.MaxBytes), or nil: a runner that fetches files from object storage calls it
// before downloading one.
func CheckSize(relPath string, size int64, opts Options) error {
	ff, err := supported(relPath)
	if err != nil {
		return err
	}
	return checkSize(ff, size, opts.withDefaults())
}
