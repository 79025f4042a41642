package report

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/parquet-go/parquet-go"

	"github.com/framealign/framealign/output"
)

// Output is the content of one `framealign run` output folder.
type Output struct {
	Dir       string
	Documents *Documents
	Scores    []output.Score
	Matches   []output.Match
	Phrases   []output.Phrase
	Entities  []output.Entity
	Errors    []output.Error
	Runs      []output.Run
}

// Load reads every table of an output folder. documents.parquet and scores.parquet
// must exist; a missing evidence, error or run table reads as empty, so a report can be
// drawn from a partial folder and says what it lacks.
func Load(dir string) (*Output, error) {
	docs, err := ReadDocuments(filepath.Join(dir, output.DocumentsTable))
	if err != nil {
		return nil, err
	}
	out := &Output{Dir: dir, Documents: docs}
	if out.Scores, err = readTable[output.Score](dir, output.ScoresTable, true); err != nil {
		return nil, err
	}
	if out.Matches, err = readTable[output.Match](dir, output.MatchesTable, false); err != nil {
		return nil, err
	}
	if out.Phrases, err = readTable[output.Phrase](dir, output.PhrasesTable, false); err != nil {
		return nil, err
	}
	if out.Entities, err = readTable[output.Entity](dir, output.EntitiesTable, false); err != nil {
		return nil, err
	}
	if out.Errors, err = readTable[output.Error](dir, output.ErrorsTable, false); err != nil {
		return nil, err
	}
	if out.Runs, err = readTable[output.Run](dir, output.RunsTable, false); err != nil {
		return nil, err
	}
	return out, nil
}

func readTable[T any](dir, name string, required bool) ([]T, error) {
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) && !required {
		return nil, nil
	}
	rows, err := parquet.ReadFile[T](path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return rows, nil
}
