package pipeline

import (
	"bufio"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strings"

	"github.com/framealign/framealign/output"
)

// docSpill keeps the run's documents rows on disk until the commit. documents.parquet
// needs every row's metadata keys before it has a schema, so its rows wait for the end
// of the run; held in memory they cost about a kilobyte each, which for a JSONL file
// of a million tiny records is most of the run's memory. On disk (gob, in the state
// folder) they cost nothing, and the commit streams them back twice: for the columns,
// then for the rows.
type docSpill struct {
	path string
	f    *os.File
	w    *bufio.Writer
	enc  *gob.Encoder
	n    int   // rows written
	err  error // the first failure to read the rows back
}

const spillPrefix, spillSuffix = "documents-", ".spill"

// newDocSpill creates the spill file of run runID in the state folder.
func newDocSpill(stateDir, runID string) (*docSpill, error) {
	path := filepath.Join(stateDir, spillPrefix+runID+spillSuffix)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	s := &docSpill{path: path, f: f, w: bufio.NewWriterSize(f, 256<<10)}
	s.enc = gob.NewEncoder(s.w)
	return s, nil
}

// removeStaleSpills removes the spill files of runs that were killed (the caller holds
// the folder's lock, so no other run is writing one).
func removeStaleSpills(stateDir string) {
	entries, _ := os.ReadDir(stateDir)
	for _, e := range entries {
		if n := e.Name(); (strings.HasPrefix(n, spillPrefix) || strings.HasPrefix(n, evidencePrefix)) && strings.HasSuffix(n, spillSuffix) {
			os.Remove(filepath.Join(stateDir, n))
		}
	}
}

// add appends a row.
func (s *docSpill) add(row output.DocumentRow) error {
	if err := s.enc.Encode(&row); err != nil {
		return fmt.Errorf("write %s: %w", s.path, err)
	}
	s.n++
	return nil
}

// finish flushes what was added, so that rows can read it.
func (s *docSpill) finish() error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", s.path, err)
	}
	return nil
}

// rows reads the rows back in the order they were added; a failure ends the sequence
// and is kept in s.err.
func (s *docSpill) rows() iter.Seq[output.DocumentRow] {
	return func(yield func(output.DocumentRow) bool) {
		if _, err := s.f.Seek(0, io.SeekStart); err != nil {
			s.fail(err)
			return
		}
		dec := gob.NewDecoder(bufio.NewReaderSize(s.f, 256<<10))
		for i := 0; i < s.n; i++ {
			var row output.DocumentRow
			if err := dec.Decode(&row); err != nil {
				if errors.Is(err, io.EOF) {
					err = io.ErrUnexpectedEOF
				}
				s.fail(err)
				return
			}
			row.Countries = orEmpty(row.Countries) // gob leaves out empty slices
			if !yield(row) {
				return
			}
		}
	}
}

func (s *docSpill) fail(err error) {
	if s.err == nil {
		s.err = fmt.Errorf("read back %s: %w", s.path, err)
	}
}

// remove deletes the spill file.
func (s *docSpill) remove() {
	s.f.Close()
	os.Remove(s.path)
}

// evidenceSpill holds the evidence rows of one long document on disk, piece by piece,
// from the analyse stage, where they are made, to the write stage, which writes them
// in the document's turn (see Analyzer.AnalyseLong). A long document's evidence can be
// millions of rows; in memory it would make the document's cost grow with its length.
type evidenceSpill struct {
	path   string
	f      *os.File
	w      *bufio.Writer
	enc    *gob.Encoder
	pieces int
}

// evidencePiece is the evidence of one piece of a long document.
type evidencePiece struct {
	Matches  []output.Match
	Phrases  []output.Phrase
	Entities []output.Entity
}

const evidencePrefix = "evidence-"

func newEvidenceSpill(stateDir, runID string, seq int) (*evidenceSpill, error) {
	path := filepath.Join(stateDir, fmt.Sprintf("%s%s-%d%s", evidencePrefix, runID, seq, spillSuffix))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	s := &evidenceSpill{path: path, f: f, w: bufio.NewWriterSize(f, 256<<10)}
	s.enc = gob.NewEncoder(s.w)
	return s, nil
}

// add keeps the evidence rows of one piece (a sink for Analyzer.AnalyseLong).
func (s *evidenceSpill) add(rows *Rows) error {
	if err := s.enc.Encode(evidencePiece{Matches: rows.Matches, Phrases: rows.Phrases, Entities: rows.Entities}); err != nil {
		return fmt.Errorf("write %s: %w", s.path, err)
	}
	s.pieces++
	return nil
}

// each calls f with the evidence of each piece, in order.
func (s *evidenceSpill) each(f func(evidencePiece) error) error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", s.path, err)
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("read back %s: %w", s.path, err)
	}
	dec := gob.NewDecoder(bufio.NewReaderSize(s.f, 256<<10))
	for i := 0; i < s.pieces; i++ {
		var p evidencePiece
		if err := dec.Decode(&p); err != nil {
			return fmt.Errorf("read back %s: %w", s.path, err)
		}
		for j := range p.Matches {
			p.Matches[j].Actors = orEmpty(p.Matches[j].Actors) // gob leaves out empty slices
		}
		for j := range p.Phrases {
			p.Phrases[j].Actors = orEmpty(p.Phrases[j].Actors)
		}
		if err := f(p); err != nil {
			return err
		}
	}
	return nil
}

func (s *evidenceSpill) remove() {
	s.f.Close()
	os.Remove(s.path)
}
