package corpus

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"unicode/utf8"
)

// File is a file discovery found.
type File struct {
	Path    string // path to open (as given joined with the walk)
	Root    string // the corpus root given on the command line that holds it
	RelPath string // path relative to Root with '/' separators; for a file given directly, its base name (see EscapeName)
	// RawRelPath is the path relative to Root as the file system gives it, when it is
	// not valid UTF-8 and RelPath therefore escapes it; "" otherwise.
	RawRelPath string
	Size       int64
	// Stamp is what the file system said of the file when it was found, for a rerun
	// to tell an unchanged file without reading it.
	Stamp Stamp
}

// Stamp is a file's size, modification and change times and identity (device and
// inode): when none moved, the file holds what it held (its content cannot change
// without the modification time, nor its permissions without the change time).
type Stamp struct {
	Size, ModTime, ChangeTime int64 // bytes, and Unix nanoseconds
	Dev, Ino                  uint64
}

// stampOf is the Stamp of a file's FileInfo.
func stampOf(info fs.FileInfo) Stamp {
	st := Stamp{Size: info.Size(), ModTime: info.ModTime().UnixNano()}
	if sys, ok := info.Sys().(*syscall.Stat_t); ok {
		st.ChangeTime = sys.Ctim.Sec*1e9 + sys.Ctim.Nsec
		st.Dev, st.Ino = uint64(sys.Dev), sys.Ino
	}
	return st
}

// Display names the file for a person: its path as found from the root given on the
// command line (2015/CHN.txt for CHN.txt under the root 2015), escaped as RelPath is.
func (f File) Display() string {
	if f.Path != "" {
		return EscapeName(f.Path)
	}
	return f.RelPath
}

// EscapeName makes a file name valid UTF-8 for the tables: each byte that is not part
// of a valid UTF-8 sequence becomes the four characters \xNN (lower-case hex), as
// Python's backslashreplace and Go's %q write it; a valid name is returned unchanged.
// A name that needed it is also kept as it is, in the tables' source_raw column.
func EscapeName(name string) string {
	if utf8.ValidString(name) {
		return name
	}
	var b strings.Builder
	for i := 0; i < len(name); {
		r, size := utf8.DecodeRuneInString(name[i:])
		if r == utf8.RuneError && size <= 1 {
			fmt.Fprintf(&b, "\\x%02x", name[i])
			i++
			continue
		}
		b.WriteString(name[i : i+size])
		i += size
	}
	return b.String()
}

// Skipped is a file discovery passed over on purpose (hidden file, AppleDouble ._*,
// .DS_Store, the output folder), with the reason. RelPath and RawRelPath are as in File.
type Skipped struct{ Path, RelPath, RawRelPath, Reason string }

// Problem is a path discovery could not use (unreadable folder, symbolic link loop or
// one that leaves the corpus, file that vanished, unsupported format), with a
// plain-language reason. RelPath and RawRelPath are as in File.
type Problem struct{ Path, RelPath, RawRelPath, Reason string }

// DiscoverOptions say where the corpus ends.
type DiscoverOptions struct {
	// FollowOutside follows symbolic links whose target lies outside every root (by
	// default they are Problems, listed and not read).
	FollowOutside bool
	// Out is the output folder. When it lies inside a root, it is skipped; when it is a
	// root, the files framealign writes there (OutputFiles) are skipped.
	Out string
}

// OutputFiles are the files framealign writes in its output folder, skipped when the
// output folder is itself a corpus folder.
var OutputFiles = []string{"documents.parquet", "scores.parquet", "matches.parquet", "phrases.parquet",
	"entities.parquet", "errors.parquet", "runs.parquet", "report.html"}

// SkippedOutput is the reason of the Skipped entries for the output folder.
const SkippedOutput = "the output folder (--out), inside the corpus"

// Discovery is everything Discover found: every path it met is in exactly one list.
type Discovery struct {
	Files    []File
	Skipped  []Skipped
	Problems []Problem
}

// Discover walks the roots (folders or files) in the order given, and each folder in
// lexical order, so the same tree always gives the same list. It skips hidden files and
// folders and macOS/Windows debris (AppleDouble "._*", .DS_Store, __MACOSX, Thumbs.db),
// and the output folder, listing them in Skipped; follows symbolic links to files and
// folders inside the roots (outside them only with opts.FollowOutside) but reads each
// real folder and file once, so a link loop ends; and records any entry it cannot use in
// Problems instead of failing. It fails only when a root itself cannot be found or
// read, since that is a mistyped command rather than a bad entry.
func Discover(roots []string, opts DiscoverOptions) (*Discovery, error) {
	w := &walker{d: &Discovery{}, opts: opts, dirs: map[string]string{}, files: map[string]string{}}
	type root struct {
		path, real string
		info       fs.FileInfo
	}
	var rs []root
	for _, r := range roots {
		info, err := os.Stat(r)
		if err != nil {
			return nil, rootError(r, err)
		}
		real, err := realPath(r)
		if err != nil {
			return nil, rootError(r, err)
		}
		rs = append(rs, root{r, real, info})
		w.inside = append(w.inside, real)
	}
	if opts.Out != "" {
		w.out, _ = realPath(opts.Out) // "" while the folder does not exist: nothing to skip
	}
	for _, r := range rs {
		if r.info.IsDir() {
			w.dir(r.path, r.path, "", r.real)
			continue
		}
		w.file(r.path, r.path, filepath.Base(r.path), r.real, r.info)
	}
	return w.d, nil
}

// rootError explains why a path given on the command line cannot be read.
func rootError(root string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("corpus path %s: no such file or folder", root)
	}
	return fmt.Errorf("corpus path %s: %s", root, statReason(err))
}

// walker holds what a Discover call has seen so far.
type walker struct {
	d       *Discovery
	opts    DiscoverOptions
	inside  []string          // real paths of the roots: the corpus
	out     string            // real path of the output folder, or ""
	dirs    map[string]string // real path of each folder read -> its RelPath
	files   map[string]string // real path of each file listed -> its RelPath
	reading []string          // real paths of the folders being read, outermost first
}

// dir reads the folder p (real path real) of root, found at rel ("" for the root).
func (w *walker) dir(root, p, rel, real string) {
	if first, ok := w.dirs[real]; ok {
		reason := fmt.Sprintf("folder already read as %s (reached again through a symbolic link)", displayRel(first))
		for _, r := range w.reading {
			if r == real {
				reason = fmt.Sprintf("symbolic link loop: leads back to %s, which contains it", displayRel(first))
				break
			}
		}
		w.problem(p, rel, reason)
		return
	}
	if rel != "" && real == w.out {
		w.skip(p, rel, SkippedOutput)
		return
	}
	w.dirs[real] = rel
	w.reading = append(w.reading, real)
	defer func() { w.reading = w.reading[:len(w.reading)-1] }()

	entries, err := os.ReadDir(p)
	if err != nil {
		// ReadDir returns what it read before the error; use that and report the rest.
		w.problem(p, rel, "cannot read folder: "+statReason(err))
	}
	for _, e := range entries {
		name := e.Name()
		ep, erel := filepath.Join(p, name), path.Join(rel, name)
		if reason := skipReason(name, e.IsDir()); reason != "" {
			w.skip(ep, erel, reason)
			continue
		}
		if real == w.out && !e.IsDir() && slices.Contains(OutputFiles, name) {
			w.skip(ep, erel, SkippedOutput)
			continue
		}
		ereal := filepath.Join(real, name)
		var info fs.FileInfo
		if e.Type()&fs.ModeSymlink != 0 {
			if info, err = os.Stat(ep); err != nil {
				w.problem(ep, erel, linkReason(err))
				continue
			}
			if ereal, err = realPath(ep); err != nil {
				w.problem(ep, erel, linkReason(err))
				continue
			}
			if !w.opts.FollowOutside && !w.inCorpus(ereal) {
				w.problem(ep, erel, fmt.Sprintf("symbolic link to %s, outside the corpus: not followed (--follow-outside follows it)", EscapeName(ereal)))
				continue
			}
		} else if info, err = e.Info(); err != nil {
			w.problem(ep, erel, statReason(err))
			continue
		}
		if info.IsDir() {
			w.dir(root, ep, erel, ereal)
			continue
		}
		w.file(root, ep, erel, ereal, info)
	}
}

// inCorpus reports whether the real path p is a root or lies in a folder root.
func (w *walker) inCorpus(p string) bool {
	for _, r := range w.inside {
		if p == r || strings.HasPrefix(p, r+string(filepath.Separator)) || r == string(filepath.Separator) {
			return true
		}
	}
	return false
}

// file lists the file p of root when it can be read, or records why not.
func (w *walker) file(root, p, rel, real string, info fs.FileInfo) {
	if !info.Mode().IsRegular() {
		w.problem(p, rel, fmt.Sprintf("%s (%s)", ErrNotRegular, kindOf(info.Mode())))
		return
	}
	if first, ok := w.files[real]; ok {
		w.problem(p, rel, fmt.Sprintf("same file as %s (reached again through a symbolic link or named twice); read once", displayRel(first)))
		return
	}
	ff := formatOf(p)
	if ff.format == nil {
		w.problem(p, rel, fmt.Sprintf("%s %s (%s)", ErrUnsupported, ff.unknownExt, supportedList))
		return
	}
	if ff.noExt {
		// A file without extension (README, LICENSE, a speech saved without one) is read
		// as plain text when it is text; anything else is not a document we can read.
		head, err := readHead(p)
		if err != nil {
			w.problem(p, rel, statReason(err))
			return
		}
		if sniffFormat(head) == nil {
			w.problem(p, rel, fmt.Sprintf("%s: no extension and not text (%s)", ErrUnsupported, supportedList))
			return
		}
	}
	w.files[real] = rel
	erel, raw := escapedRel(rel)
	w.d.Files = append(w.d.Files, File{Path: p, Root: root, RelPath: erel, RawRelPath: raw, Size: info.Size(), Stamp: stampOf(info)})
}

func (w *walker) problem(p, rel, reason string) {
	erel, raw := escapedRel(rel)
	w.d.Problems = append(w.d.Problems, Problem{Path: p, RelPath: erel, RawRelPath: raw, Reason: reason})
}

func (w *walker) skip(p, rel, reason string) {
	erel, raw := escapedRel(rel)
	w.d.Skipped = append(w.d.Skipped, Skipped{Path: p, RelPath: erel, RawRelPath: raw, Reason: reason})
}

// escapedRel is a RelPath for the tables, and the raw one when they differ.
func escapedRel(rel string) (escaped, raw string) {
	if e := EscapeName(rel); e != rel {
		return e, rel
	}
	return rel, ""
}

// skipReason says why a name is passed over on purpose, or "" when it is not.
func skipReason(name string, isDir bool) string {
	switch {
	case strings.HasPrefix(name, "._"):
		return "macOS AppleDouble file (._*), not a document"
	case name == ".DS_Store":
		return "macOS Finder metadata (.DS_Store)"
	case name == "__MACOSX" && isDir:
		return "macOS archive debris (__MACOSX)"
	case strings.EqualFold(name, "Thumbs.db") || strings.EqualFold(name, "desktop.ini"):
		return "Windows folder metadata (" + name + ")"
	case strings.HasPrefix(name, ".") && isDir:
		return "hidden folder"
	case strings.HasPrefix(name, "."):
		return "hidden file"
	}
	return ""
}

// readHead returns the first 8 KiB of the file at p (less when it is shorter).
func readHead(p string) ([]byte, error) {
	fh, err := openFile(p)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	head := make([]byte, 8<<10)
	n, err := io.ReadFull(fh, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return head[:n], nil
}

// realPath is the absolute path of p with every symbolic link resolved.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// displayRel names a RelPath in a reason; the root itself has the empty RelPath.
func displayRel(rel string) string {
	if rel == "" {
		return "the corpus folder"
	}
	return fmt.Sprintf("%q", rel)
}

// statReason turns a failed stat, open or read of a path into plain words.
func statReason(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "does not exist (removed while the corpus was being read?)"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	return plainErr(err).Error()
}

// linkReason explains why a symbolic link could not be followed.
func linkReason(err error) string {
	switch {
	case errors.Is(err, syscall.ELOOP):
		return "symbolic link loop (the link leads back to itself)"
	case errors.Is(err, fs.ErrNotExist):
		return "broken symbolic link (its target does not exist)"
	}
	return "cannot follow symbolic link: " + statReason(err)
}
