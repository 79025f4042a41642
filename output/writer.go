package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/parquet-go/parquet-go"
)

// Table names of the output contract.
const (
	DocumentsTable = "documents.parquet"
	ScoresTable    = "scores.parquet"
	MatchesTable   = "matches.parquet"
	PhrasesTable   = "phrases.parquet"
	EntitiesTable  = "entities.parquet"
	ErrorsTable    = "errors.parquet"
	RunsTable      = "runs.parquet"
)

// RunIDKey is the footer key-value entry naming the run that wrote a table, so a
// reader can check that the tables it opened belong to one run.
const RunIDKey = "framealign.run_id"

const tmpMarker = ".tmp-"

// rowGroupRows is the number of rows per row group: large enough for good compression
// and fast scans, small enough that a writer's buffers stay at a few megabytes.
const rowGroupRows = 32 << 10

// tmpName is where a table is written before it is renamed into place.
func tmpName(dir, name, runID string) string {
	return filepath.Join(dir, "."+name+tmpMarker+runID)
}

func writerOptions(runID string) []parquet.WriterOption {
	return []parquet.WriterOption{
		parquet.Compression(zstdCodec{}),
		parquet.KeyValueMetadata(RunIDKey, runID),
		parquet.PageBufferSize(256 << 10),
		// A row group is held in memory until it is written: cap it, so memory stays
		// flat however large the corpus (parquet-go's default is unbounded).
		parquet.MaxRowsPerRowGroup(rowGroupRows),
	}
}

// Table is one Parquet table being written to its temporary name.
type Table[T any] struct {
	Name string
	path string
	f    *os.File
	w    *parquet.GenericWriter[T]
	buf  []T
}

// CreateTable starts writing table name in dir for run runID.
func CreateTable[T any](dir, name, runID string) (*Table[T], error) {
	path := tmpName(dir, name, runID)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &Table[T]{Name: name, path: path, f: f, w: parquet.NewGenericWriter[T](f, writerOptions(runID)...)}, nil
}

// Write adds rows to the table.
func (t *Table[T]) Write(rows ...T) error {
	t.buf = append(t.buf, rows...)
	if len(t.buf) >= 4096 {
		return t.flush()
	}
	return nil
}

func (t *Table[T]) flush() error {
	if len(t.buf) == 0 {
		return nil
	}
	if _, err := t.w.Write(t.buf); err != nil {
		return fmt.Errorf("write %s: %w", t.Name, err)
	}
	clear(t.buf)
	t.buf = t.buf[:0]
	return nil
}

// Close finishes the table and syncs it to disk; it stays under its temporary name
// until Commit.
func (t *Table[T]) Close() error {
	if err := t.flush(); err != nil {
		t.Abort()
		return err
	}
	if err := t.w.Close(); err != nil {
		t.Abort()
		return fmt.Errorf("close %s: %w", t.Name, err)
	}
	if err := t.f.Sync(); err != nil {
		t.Abort()
		return fmt.Errorf("sync %s: %w", t.Name, err)
	}
	return t.f.Close()
}

// Abort drops the table's temporary file.
func (t *Table[T]) Abort() {
	t.f.Close()
	os.Remove(t.path)
}

// journal lists the tables a run is renaming into place. It is written before the
// first rename and removed after the last, so a run killed between two renames is
// finished by the next one (RecoverCommit) instead of leaving tables of two runs.
type journal struct {
	RunID  string   `json:"run_id"`
	Tables []string `json:"tables"`
}

const journalName = ".commit.json"

// Commit renames the run's finished tables into place, all of them or, if the process
// dies in between, the rest of them at the next RecoverCommit.
func Commit(dir, runID string, tables []string) error {
	j, err := json.Marshal(journal{RunID: runID, Tables: tables})
	if err != nil {
		return err
	}
	jp := filepath.Join(dir, journalName)
	if err := writeFileSync(jp+".tmp", j); err != nil {
		return err
	}
	if err := os.Rename(jp+".tmp", jp); err != nil {
		return fmt.Errorf("commit %s: %w", dir, err)
	}
	syncDir(dir)
	if err := finishCommit(dir, runID, tables); err != nil {
		return err
	}
	if err := os.Remove(jp); err != nil {
		return fmt.Errorf("commit %s: %w", dir, err)
	}
	syncDir(dir)
	return nil
}

func finishCommit(dir, runID string, tables []string) error {
	for _, name := range tables {
		tmp := tmpName(dir, name, runID)
		if _, err := os.Stat(tmp); errors.Is(err, os.ErrNotExist) {
			continue // renamed before the crash
		}
		if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("commit %s: %w", name, err)
		}
	}
	syncDir(dir)
	return nil
}

// RecoverCommit finishes a commit that a killed run left half done, then removes the
// temporary files of runs that never reached their commit.
func RecoverCommit(dir string) error {
	jp := filepath.Join(dir, journalName)
	if data, err := os.ReadFile(jp); err == nil {
		var j journal
		if err := json.Unmarshal(data, &j); err == nil {
			if err := finishCommit(dir, j.RunID, j.Tables); err != nil {
				return err
			}
		}
		os.Remove(jp)
	}
	os.Remove(jp + ".tmp")
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("recover %s: %w", dir, err)
	}
	for _, e := range entries {
		if isOwnTemporary(e.Name()) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
	return nil
}

// ownTemporary matches the temporary names tmpName gives (restamped tables included):
// a table of the output contract and a run id. A user's own file in the folder, even
// one whose name holds ".tmp-", is never one.
var ownTemporary = regexp.MustCompile(`^\.(documents|scores|matches|phrases|entities|errors|runs)\.parquet\.tmp-[0-9]{8}T[0-9]{6}\.[0-9]{6}Z$`)

// isOwnTemporary reports whether name is one of framealign's temporary tables.
func isOwnTemporary(name string) bool { return ownTemporary.MatchString(name) }

func writeFileSync(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// TableRunID returns the run that wrote the table at path, from its footer.
func TableRunID(path string) (string, error) {
	f, pf, err := openParquet(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	id, _ := pf.Lookup(RunIDKey)
	return id, nil
}
