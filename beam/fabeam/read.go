package fabeam

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/output"
	"github.com/framealign/framealign/pipeline"
)

// hasScheme reports whether p names a file system other than the local one
// (gs://, s3://, memfs://).
func hasScheme(p string) bool { return strings.Contains(p, "://") }

// Input is one corpus argument as the pipeline matches it: the patterns to match and
// the root the documents' paths (and so doc_ids) are relative to.
type Input struct {
	Globs []string
	Root  string
}

// ParseInput turns a corpus argument into an Input. A local folder becomes the
// patterns dir/*, dir/*/*, ... down to maxDepth levels (Beam's local file system
// matches with filepath.Glob, which has no recursive pattern); a gs:// folder (no
// wildcard) becomes dir/** (Beam's GCS file system matches ** across folders); any
// other folder of a remote file system the patterns of each depth. A pattern stays
// itself, its root the folder before its first wildcard; a single file's root is its
// folder, so its doc_id is its name, as with `framealign run FILE`.
func ParseInput(arg string, maxDepth int) Input {
	if !hasScheme(arg) {
		if st, err := os.Stat(arg); err == nil && st.IsDir() {
			root := filepath.Clean(arg)
			return Input{Globs: depthGlobs(root, maxDepth), Root: root}
		}
	}
	if i := strings.IndexAny(arg, "*?["); i >= 0 {
		return Input{Globs: []string{arg}, Root: strings.TrimSuffix(path.Dir(arg[:i+1]), "/")}
	}
	if hasScheme(arg) && strings.HasSuffix(arg, "/") {
		root := strings.TrimSuffix(arg, "/")
		if strings.HasPrefix(arg, "gs://") {
			return Input{Globs: []string{root + "/**"}, Root: root}
		}
		return Input{Globs: depthGlobs(root, maxDepth), Root: root}
	}
	return Input{Globs: []string{arg}, Root: path.Dir(arg)}
}

func depthGlobs(root string, maxDepth int) []string {
	var globs []string
	g := root
	for d := 0; d < maxDepth; d++ {
		g += "/*"
		globs = append(globs, g)
	}
	return globs
}

// Match is one pattern to match, with the corpus argument it came from.
type Match struct {
	Glob  string
	Root  string
	Input int64
}

// MatchedFile is one file a pattern matched.
type MatchedFile struct {
	Path  string
	Root  string
	Size  int64
	Input int64
}

// matchFn lists the files of one pattern through Beam's file system for its scheme.
// An empty match is not an error (a pattern of one depth may find nothing); a
// pattern that cannot be listed is.
func matchFn(ctx context.Context, m Match, emit func(MatchedFile)) error {
	fs, err := filesystem.New(ctx, m.Glob)
	if err != nil {
		return err
	}
	defer fs.Close()
	paths, err := fs.List(ctx, m.Glob)
	if err != nil {
		return fmt.Errorf("list %s: %w", m.Glob, err)
	}
	for _, p := range paths {
		var size int64 = -1
		if !hasScheme(p) {
			st, err := os.Stat(p)
			if err == nil && st.IsDir() {
				// The local glob matches folders too (without the trailing '/' that
				// fileio would know them by). Debris folders still count as skipped.
				if rel := relPath(m.Root, p); corpus.SkippedUnder(rel+"/x") == rel {
					emit(MatchedFile{Path: p + "/", Root: m.Root, Size: 0, Input: m.Input})
				}
				continue
			}
			if err == nil {
				size = st.Size()
			}
		}
		// An object's size is asked for by the read, on whichever worker gets it:
		// one request per object here would list a bucket of millions for hours.
		emit(MatchedFile{Path: p, Root: m.Root, Size: size, Input: m.Input})
	}
	return nil
}

// relPath is p relative to root, with '/' separators.
func relPath(root, p string) string {
	if !hasScheme(p) {
		if r, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(r, "..") {
			return filepath.ToSlash(r)
		}
		return filepath.Base(p)
	}
	if strings.HasPrefix(p, root+"/") {
		return p[len(root)+1:]
	}
	return path.Base(p)
}

// readFn reads one matched file into its documents, or its errors rows, with
// `framealign run`'s rules: debris is skipped (the third output: what runs.skipped
// counts), an unsupported format is a discover error, anything else that cannot be
// read a read error.
type readFn struct {
	MetaPattern string
	TextField   string
	IDField     string
	Sheet       string
	MaxBytes    int64

	mp      *corpus.MetaPattern
	files   beam.Counter
	skipped beam.Counter
}

func (f *readFn) Setup() error {
	f.files = beam.NewCounter(Namespace, CounterFiles)
	f.skipped = beam.NewCounter(Namespace, CounterSkipped)
	if f.MetaPattern != "" {
		mp, err := corpus.ParseMetaPattern(f.MetaPattern)
		if err != nil {
			return fmt.Errorf("--meta-pattern: %w", err)
		}
		f.mp = mp
	}
	return nil
}

func (f *readFn) opts() corpus.Options {
	return corpus.Options{TextField: f.TextField, IDField: f.IDField, Sheet: f.Sheet, MaxBytes: f.MaxBytes}
}

func (f *readFn) ProcessElement(ctx context.Context, m MatchedFile, emit func(DocIn), emitSkipped func(string)) error {
	folder := strings.HasSuffix(m.Path, "/")
	rel := relPath(m.Root, strings.TrimSuffix(m.Path, "/"))
	if folder {
		rel += "/x" // a debris folder matched itself: count it as the walk does
	}
	local := !hasScheme(m.Path)
	skip, problem := corpus.Screen(rel, func() ([]byte, error) { return f.head(ctx, m.Path, local) })
	if skip != "" {
		f.skipped.Inc(ctx, 1)
		emitSkipped(corpus.SkippedUnder(rel))
		return nil
	}
	if folder {
		return nil
	}
	f.files.Inc(ctx, 1)
	fail := func(stage, docID, reason string) { // counted where the rows are written, after dedup
		emit(errorDoc(output.Error{Source: rel, DocID: docID, Stage: stage, Error: reason}, m.Input))
	}
	if problem != "" {
		fail(pipeline.StageDiscover, rel, problem)
		return nil
	}
	var record int64
	read := func(d corpus.Document) error {
		if f.mp != nil {
			// File-name parts win over the file's own metadata of the same name.
			for k, v := range f.mp.Values(rel) {
				if d.Meta == nil {
					d.Meta = map[string]corpus.Value{}
				}
				d.Meta[k] = v
			}
		}
		emit(docIn(d, corpus.EscapeName(m.Path), m.Input, record))
		record++
		return nil
	}
	var recErrs []corpus.RecordError
	var err error
	if local {
		recErrs, err = corpus.Read(corpus.File{Path: m.Path, Root: m.Root, RelPath: rel, Size: m.Size}, f.opts(), read)
	} else {
		recErrs, err = f.readRemote(ctx, m, rel, read)
	}
	for _, re := range recErrs {
		fail(pipeline.StageRead, re.DocID, re.Reason)
	}
	if err != nil {
		var fsErr fileSystemError
		if errors.As(err, &fsErr) {
			return fsErr.err // the object store failed: let the runner retry the bundle
		}
		stage := pipeline.StageRead
		if errors.Is(err, corpus.ErrNotRegular) {
			stage = pipeline.StageDiscover // discovery refuses these in `framealign run`
		}
		fail(stage, rel, err.Error())
	}
	return nil
}

// fileSystemError is a failure of the remote file system itself (not of the file's
// content): the bundle fails and the runner retries it.
type fileSystemError struct{ err error }

func (e fileSystemError) Error() string { return e.err.Error() }

// head reads the first 8 KiB of a file (only for names without extension).
func (f *readFn) head(ctx context.Context, p string, local bool) ([]byte, error) {
	var r io.ReadCloser
	var err error
	if local {
		r, err = os.Open(p)
	} else {
		var fs filesystem.Interface
		if fs, err = filesystem.New(ctx, p); err == nil {
			defer fs.Close()
			r, err = fs.OpenRead(ctx, p)
		}
	}
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b := make([]byte, 8<<10)
	n, err := io.ReadFull(r, b)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return b[:n], nil
}

// readRemote reads a file of an object store: in memory up to --max-bytes, through a
// local temporary file beyond (a large JSONL or CSV file is streamed by its reader,
// not held whole).
func (f *readFn) readRemote(ctx context.Context, m MatchedFile, rel string, emit func(corpus.Document) error) ([]corpus.RecordError, error) {
	opts := f.opts()
	fs, err := filesystem.New(ctx, m.Path)
	if err != nil {
		return nil, fileSystemError{err}
	}
	defer fs.Close()
	if m.Size < 0 {
		if m.Size, err = fs.Size(ctx, m.Path); err != nil {
			return nil, corpus.ErrVanished // listed, then gone
		}
	}
	if err := corpus.CheckSize(rel, m.Size, opts); err != nil {
		return nil, err
	}
	r, err := fs.OpenRead(ctx, m.Path)
	if err != nil {
		if _, serr := fs.Size(ctx, m.Path); serr != nil {
			return nil, corpus.ErrVanished
		}
		return nil, fileSystemError{err} // there, but not readable now: retry the bundle
	}
	defer r.Close()
	max := opts.MaxBytes
	if max <= 0 {
		max = corpus.DefaultMaxBytes
	}
	if m.Size <= max {
		data, err := io.ReadAll(r)
		if err != nil {
			return nil, fileSystemError{err}
		}
		return corpus.ReadBytes(rel, data, opts, emit)
	}
	dir, err := os.MkdirTemp("", "framealign-read-")
	if err != nil {
		return nil, fileSystemError{err}
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, path.Base(rel)) // the format is decided by the name
	w, err := os.Create(tmp)
	if err == nil {
		_, err = io.Copy(w, r)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return nil, fileSystemError{err}
	}
	return corpus.Read(corpus.File{Path: tmp, RelPath: rel, Size: m.Size}, opts, emit)
}
