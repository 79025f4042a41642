package pipeline

import (
	"bufio"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/output"
)

// A rerun with nothing new costs metadata, not bytes: each run leaves, beside its
// tables, what it read from each file (the documents without their text, the record
// errors) with the file's Stamp, and the next run replays a file whose Stamp has not
// moved and whose documents all stand as they are, instead of opening it. A file whose
// Stamp moved is read again: the content hash of its documents then tells whether it
// changed. The state of a run is two files in OUT/.framealign, written before its
// tables are committed and used only while documents.parquet is that run's:
//
//	files-RUNID.index  one entry per file (path, stamp, where its items are)
//	files-RUNID.items  the items of each file, a gob stream of its own per file

// fileEntry is what a run learnt of one file.
type fileEntry struct {
	Path   string // the path it was opened by (corpus.File.Path)
	Stamp  corpus.Stamp
	Clean  bool  // every item is a document that reached documents.parquet, or a read error of the file's own
	Offset int64 // where its items start in the items file
	Items  int
}

// stateItem is one item a file gave: a document (without its text), or a read error.
type stateItem struct {
	Doc     corpus.Document
	Content string // the document's content_sha256
	Err     *output.Error
}

// stateIndex is the index file's content.
type stateIndex struct {
	RunID       string
	Fingerprint string // what else decides what a file gives: see stateFingerprint
	Files       []fileEntry
}

const stateFormat = "files-v1"

// stateFingerprint hashes what, besides a file's content, decides the documents a
// file gives and their metadata: the build, the reading options and the file-name
// pattern. A state of another fingerprint is not used.
func stateFingerprint(cfg Config) string {
	mp := ""
	if cfg.MetaPattern != nil {
		mp = cfg.MetaPattern.String()
	}
	o := cfg.ReadOptions
	h := sha256.Sum256([]byte(strings.Join([]string{stateFormat, cfg.Version, o.TextField, o.IDField, fmt.Sprint(o.MaxBytes), mp}, "\x00")))
	return hex.EncodeToString(h[:])
}

func stateNames(stateDir, runID string) (index, items string) {
	base := filepath.Join(stateDir, "files-"+runID)
	return base + ".index", base + ".items"
}

// stateWriter writes this run's state as the write stage records items in order.
type stateWriter struct {
	index     stateIndex
	indexPath string
	itemsPath string
	f         *os.File
	w         *countingWriter
	enc       *gob.Encoder
	cur       *fileEntry
	racyAfter int64 // files modified after this instant (Unix ns) are not trusted next time
}

type countingWriter struct {
	*bufio.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.Writer.Write(p)
	c.n += int64(n)
	return n, err
}

func newStateWriter(stateDir, runID, fingerprint string, racyAfter int64) (*stateWriter, error) {
	index, items := stateNames(stateDir, runID)
	f, err := os.Create(items)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", items, err)
	}
	return &stateWriter{index: stateIndex{RunID: runID, Fingerprint: fingerprint}, indexPath: index, itemsPath: items,
		f: f, w: &countingWriter{Writer: bufio.NewWriterSize(f, 256<<10)}, racyAfter: racyAfter}, nil
}

// record adds one item of file f (in order: all the items of a file come together).
// readErr says an error item is the file's own read error (a record error or a reason
// the whole file cannot be used), which reading it again would give again.
func (s *stateWriter) record(f *corpus.File, it *item, row *output.DocumentRow, readErr bool) error {
	if s.cur == nil || s.cur.Path != f.Path {
		s.index.Files = append(s.index.Files, fileEntry{Path: f.Path, Stamp: f.Stamp, Clean: true, Offset: s.w.n})
		s.cur = &s.index.Files[len(s.index.Files)-1]
		if f.Stamp.ModTime >= s.racyAfter || f.Stamp.ChangeTime >= s.racyAfter {
			// Changed just before or during this run: a change within the same tick
			// of the clock would not show in the stamp.
			s.cur.Stamp = corpus.Stamp{}
		}
		s.enc = gob.NewEncoder(s.w) // a stream of its own, so its items can be read from its offset
	}
	var si stateItem
	switch {
	case it.err != nil && readErr:
		si.Err = it.err
	case it.err != nil:
		s.cur.Clean = false // an error of the analysis, or a doc_id taken by another file: read it again
		return nil
	default:
		si.Doc, si.Content = it.doc, row.ContentSHA256
		si.Doc.Text = ""
	}
	if err := s.enc.Encode(&si); err != nil {
		return fmt.Errorf("write %s: %w", s.itemsPath, err)
	}
	s.cur.Items++
	return nil
}

// finish writes the index and syncs both files.
func (s *stateWriter) finish() error {
	err := s.w.Flush()
	if err == nil {
		err = s.f.Sync()
	}
	if err == nil {
		err = s.f.Close()
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", s.itemsPath, err)
	}
	f, err := os.Create(s.indexPath)
	if err != nil {
		return fmt.Errorf("create %s: %w", s.indexPath, err)
	}
	w := bufio.NewWriter(f)
	if err = gob.NewEncoder(w).Encode(&s.index); err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", s.indexPath, err)
	}
	return nil
}

func (s *stateWriter) abort() {
	s.f.Close()
	os.Remove(s.itemsPath)
	os.Remove(s.indexPath)
}

// removeStates removes every run state in stateDir but keep's.
func removeStates(stateDir, keep string) {
	entries, _ := os.ReadDir(stateDir)
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, "files-") && (strings.HasSuffix(n, ".index") || strings.HasSuffix(n, ".items")) &&
			strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(n, "files-"), ".index"), ".items") != keep {
			os.Remove(filepath.Join(stateDir, n))
		}
	}
}

// stateReader is the previous run's state, when it is the state of the tables in
// the output folder and of this run's fingerprint.
type stateReader struct {
	byPath map[string]*fileEntry
	f      *os.File
	path   string
}

// openState opens the state of the run that wrote out's documents.parquet, or
// returns nil when there is none to use.
func openState(out, stateDir, fingerprint string) *stateReader {
	runID, err := output.TableRunID(filepath.Join(out, output.DocumentsTable))
	if err != nil || runID == "" {
		return nil
	}
	indexPath, itemsPath := stateNames(stateDir, runID)
	fi, err := os.Open(indexPath)
	if err != nil {
		return nil
	}
	defer fi.Close()
	var idx stateIndex
	if gob.NewDecoder(bufio.NewReader(fi)).Decode(&idx) != nil || idx.RunID != runID || idx.Fingerprint != fingerprint {
		return nil
	}
	f, err := os.Open(itemsPath)
	if err != nil {
		return nil
	}
	s := &stateReader{byPath: make(map[string]*fileEntry, len(idx.Files)), f: f, path: itemsPath}
	for i := range idx.Files {
		s.byPath[idx.Files[i].Path] = &idx.Files[i]
	}
	return s
}

// unchanged returns the entry of f when f's stamp has not moved since and every item
// it gave can be given again without reading it.
func (s *stateReader) unchanged(f *corpus.File) *fileEntry {
	if s == nil {
		return nil
	}
	e := s.byPath[f.Path]
	if e == nil || !e.Clean || e.Stamp == (corpus.Stamp{}) || e.Stamp != f.Stamp {
		return nil
	}
	return e
}

// items calls fn with each item of the file of e, in order.
func (s *stateReader) items(e *fileEntry, fn func(stateItem) error) error {
	if _, err := s.f.Seek(e.Offset, io.SeekStart); err != nil {
		return err
	}
	dec := gob.NewDecoder(bufio.NewReaderSize(s.f, 64<<10))
	for i := 0; i < e.Items; i++ {
		var si stateItem
		if err := dec.Decode(&si); err != nil {
			return fmt.Errorf("read %s: %w", s.path, err)
		}
		if err := fn(si); err != nil {
			return err
		}
	}
	return nil
}

func (s *stateReader) close() {
	if s != nil {
		s.f.Close()
	}
}

// errNotReplayable stops a replay's check: a document of the file does not stand.
var errNotReplayable = errors.New("not replayable")
