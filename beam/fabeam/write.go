package fabeam

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/framealign/framealign/output"
	"github.com/framealign/framealign/pipeline"
)

// The output folder:
//
//	OUT/documents/part-00000-of-00002.parquet   (one folder per table; a glob reads it whole)
//	OUT/scores/..., matches, phrases, entities, errors
//	OUT/runs/part-00000-of-00001.parquet
//	OUT/_SUCCESS                                 (written last: the run id and every table's parts, JSON)
//	OUT/_temporary/RUNID/<table>/part-<bundle>.parquet   (until the commit)
//
// Each bundle writes its own temporary files, named by a random id, so a retried or
// speculative bundle never writes over another attempt's. Only the names emitted by
// the attempts the runner keeps reach the commit, after a GroupByKey barrier; the
// other files are orphans and go with _temporary.

// joinPath joins a (possibly gs:// or s3://) folder and relative names.
func joinPath(dir string, elem ...string) string {
	if hasScheme(dir) {
		return strings.TrimSuffix(dir, "/") + "/" + path.Join(elem...)
	}
	return path.Join(append([]string{dir}, elem...)...)
}

func tempDir(out, runID string) string { return joinPath(out, "_temporary", runID) }

func randomID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// sink is one temporary Parquet file, created on its first row.
type sink struct {
	ctx   context.Context
	fs    filesystem.Interface
	table string
	temp  string
	wc    io.WriteCloser
	w     interface{ Close() error }
	rows  int64
}

func (s *sink) open(mk func(io.Writer) interface{ Close() error }) error {
	if s.wc != nil {
		return nil
	}
	wc, err := s.fs.OpenWrite(s.ctx, s.temp)
	if err != nil {
		return fmt.Errorf("create %s: %w", s.temp, err)
	}
	s.wc, s.w = wc, mk(wc)
	return nil
}

func (s *sink) close() (TempFile, bool, error) {
	if s.wc == nil {
		return TempFile{}, false, nil
	}
	err := s.w.Close()
	if cerr := s.wc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return TempFile{}, false, fmt.Errorf("close %s: %w", s.temp, err)
	}
	return TempFile{Table: s.table, Temp: s.temp, Rows: s.rows}, true, nil
}

// tableSink writes one struct table.
type tableSink[T any] struct {
	sink
	runID string
	tw    *output.TableWriter[T]
}

func (t *tableSink[T]) write(rows ...T) error {
	if len(rows) == 0 {
		return nil
	}
	err := t.open(func(w io.Writer) interface{ Close() error } {
		t.tw = output.NewTableWriter[T](w, t.runID)
		return t.tw
	})
	if err != nil {
		return err
	}
	t.rows += int64(len(rows))
	return t.tw.Write(rows...)
}

// part is the six tables one bundle writes.
type part struct {
	id       string
	layout   output.MetaLayout
	runID    string
	docs     sink
	dw       *output.DocumentsWriter
	tokens   int64
	scores   *tableSink[output.Score]
	matches  *tableSink[output.Match]
	phrases  *tableSink[output.Phrase]
	entities *tableSink[output.Entity]
	errors   *tableSink[output.Error]
}

func newPart(ctx context.Context, fs filesystem.Interface, out, runID string, ms MetaSchema) *part {
	id := randomID()
	mk := func(table string) sink {
		return sink{ctx: ctx, fs: fs, table: table, temp: joinPath(tempDir(out, runID), table, "part-"+id+".parquet")}
	}
	return &part{id: id, runID: runID, layout: ms.stats().Layout(), docs: mk("documents"),
		scores: &tableSink[output.Score]{sink: mk("scores"), runID: runID}, matches: &tableSink[output.Match]{sink: mk("matches"), runID: runID},
		phrases: &tableSink[output.Phrase]{sink: mk("phrases"), runID: runID}, entities: &tableSink[output.Entity]{sink: mk("entities"), runID: runID},
		errors: &tableSink[output.Error]{sink: mk("errors"), runID: runID}}
}

func (p *part) add(r *pipeline.Rows) error {
	err := p.docs.open(func(w io.Writer) interface{ Close() error } {
		p.dw = output.NewDocumentsWriter(w, p.runID, p.layout)
		return p.dw
	})
	if err != nil {
		return err
	}
	if err := p.dw.Write(r.Document); err != nil {
		return err
	}
	p.docs.rows++
	p.tokens += r.Document.NTokens
	for _, err := range []error{p.scores.write(r.Scores...), p.matches.write(r.Matches...),
		p.phrases.write(r.Phrases...), p.entities.write(r.Entities...)} {
		if err != nil {
			return err
		}
	}
	return nil
}

// close finishes the files the bundle made and returns their names.
func (p *part) close() ([]TempFile, error) {
	var files []TempFile
	for _, s := range []*sink{&p.docs, &p.scores.sink, &p.matches.sink, &p.phrases.sink, &p.entities.sink, &p.errors.sink} {
		tf, ok, err := s.close()
		if err != nil {
			return nil, err
		}
		if ok {
			tf.Part = p.id
			if tf.Table == "documents" {
				tf.Tokens = p.tokens
			}
			files = append(files, tf)
		}
	}
	return files, nil
}

// Manifest is the content of _SUCCESS: the run and the files of each table.
type Manifest struct {
	RunID  string              `json:"run_id"`
	Tables map[string][]string `json:"tables"`
}

// commitFn renames every temporary file to its final name once all are written (its
// one input element is the GroupByKey of every name: the barrier), writes the runs
// table and _SUCCESS last, and removes _temporary. It is idempotent, so a retried
// commit finishes the job: a temporary file already renamed is passed over. Parts of
// an earlier run in the same folder that this run does not overwrite are removed
// first, and _SUCCESS with them, so a reader never takes two runs for one.
type commitFn struct {
	Out       string
	RunID     string
	StartedAt int64 // microseconds
	Version   string
	Engine    string
	FwSHA     string
}

func (f *commitFn) ProcessElement(ctx context.Context, _ int, iter func(*TempFile) bool, ms MetaSchema, skipped int, emit func(string)) error {
	fs, err := filesystem.New(ctx, f.Out)
	if err != nil {
		return err
	}
	defer fs.Close()
	byTable := map[string][]TempFile{}
	var tf TempFile
	var docs, tokens, failed int64
	for iter(&tf) {
		if tf.Table == "" {
			continue
		}
		byTable[tf.Table] = append(byTable[tf.Table], tf)
		switch tf.Table {
		case "documents":
			docs += tf.Rows
			tokens += tf.Tokens
		case "errors":
			failed += tf.Rows
		}
	}
	man := Manifest{RunID: f.RunID, Tables: map[string][]string{}}
	final := map[string]bool{}
	for _, name := range tableNames {
		files := byTable[name]
		sort.Slice(files, func(i, j int) bool { return files[i].Part < files[j].Part })
		byTable[name] = files
		n := max(len(files), 1) // a table with no rows gets one empty file
		for i := range n {
			rel := fmt.Sprintf("%s/part-%05d-of-%05d.parquet", name, i, n)
			man.Tables[name] = append(man.Tables[name], rel)
			final[joinPath(f.Out, rel)] = true
		}
	}
	man.Tables["runs"] = []string{"runs/part-00000-of-00001.parquet"}
	final[joinPath(f.Out, man.Tables["runs"][0])] = true

	// An earlier run's _SUCCESS, then its parts that this run does not overwrite.
	if err := remove(ctx, fs, joinPath(f.Out, "_SUCCESS")); err != nil {
		return err
	}
	for _, name := range append(tableNames, "runs") {
		old, err := fs.List(ctx, joinPath(f.Out, name, "part-*.parquet"))
		if err != nil {
			return fmt.Errorf("list %s: %w", name, err)
		}
		for _, p := range old {
			if !final[p] {
				if err := remove(ctx, fs, p); err != nil {
					return err
				}
			}
		}
	}
	layout := ms.stats().Layout()
	for _, name := range tableNames {
		files := byTable[name]
		if len(files) == 0 {
			if err := writeEmpty(ctx, fs, name, joinPath(f.Out, man.Tables[name][0]), f.RunID, layout); err != nil {
				return err
			}
			emit(joinPath(f.Out, man.Tables[name][0]))
			continue
		}
		for i, t := range files {
			to := joinPath(f.Out, man.Tables[name][i])
			if err := renameOnce(ctx, fs, t.Temp, to); err != nil {
				return err
			}
			emit(to)
		}
	}
	now := time.Now()
	run := output.Run{RunID: f.RunID, StartedAt: f.StartedAt, FinishedAt: now.UnixMicro(),
		Added: docs - 1, Failed: failed, Skipped: int64(skipped), FrameworkSHA256: f.FwSHA, Version: f.Version,
		Engine: f.Engine, Tokens: tokens, Seconds: float64(now.UnixMicro()-f.StartedAt) / 1e6}
	runsPath := joinPath(f.Out, man.Tables["runs"][0])
	if err := writeFile(ctx, fs, runsPath, func(w io.Writer) error {
		tw := output.NewTableWriter[output.Run](w, f.RunID)
		if err := tw.Write(run); err != nil {
			return err
		}
		return tw.Close()
	}); err != nil {
		return err
	}
	emit(runsPath)
	body, _ := json.MarshalIndent(man, "", "  ")
	if err := writeFile(ctx, fs, joinPath(f.Out, "_SUCCESS"), func(w io.Writer) error {
		_, err := w.Write(append(body, '\n'))
		return err
	}); err != nil {
		return err
	}
	removeTemporary(ctx, fs, f.Out, f.RunID)
	log.Infof(ctx, "framealign: committed %d documents (%d tokens) and %d errors rows to %s", docs, tokens, failed, f.Out)
	return nil
}

// renameOnce renames from to to; when from is gone and to exists, an earlier attempt
// of the commit did it.
func renameOnce(ctx context.Context, fs filesystem.Interface, from, to string) error {
	if !hasScheme(to) {
		if err := os.MkdirAll(path.Dir(to), 0o755); err != nil {
			return err
		}
	}
	err := filesystem.Rename(ctx, fs, from, to)
	if err == nil {
		return nil
	}
	if _, serr := fs.Size(ctx, from); serr != nil {
		if _, terr := fs.Size(ctx, to); terr == nil {
			return nil
		}
	}
	return fmt.Errorf("commit %s: %w", to, err)
}

func remove(ctx context.Context, fs filesystem.Interface, p string) error {
	if _, err := fs.Size(ctx, p); err != nil {
		return nil // not there
	}
	r, ok := fs.(filesystem.Remover)
	if !ok {
		return fmt.Errorf("remove %s: this file system cannot remove files", p)
	}
	if err := r.Remove(ctx, p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", p, err)
	}
	return nil
}

// removeTemporary removes the run's temporary folder: the orphans of failed or
// speculative attempts. What cannot be removed is left (and logged), not an error.
func removeTemporary(ctx context.Context, fs filesystem.Interface, out, runID string) {
	dir := tempDir(out, runID)
	if !hasScheme(out) {
		os.RemoveAll(dir)
		os.Remove(joinPath(out, "_temporary")) // when no other run uses it
		return
	}
	left, err := fs.List(ctx, joinPath(dir, "*", "*"))
	if err != nil {
		log.Warnf(ctx, "framealign: list %s: %v", dir, err)
		return
	}
	for _, p := range left {
		if err := remove(ctx, fs, p); err != nil {
			log.Warnf(ctx, "framealign: %v", err)
		}
	}
}

func writeFile(ctx context.Context, fs filesystem.Interface, p string, write func(io.Writer) error) error {
	wc, err := fs.OpenWrite(ctx, p)
	if err != nil {
		return fmt.Errorf("create %s: %w", p, err)
	}
	err = write(wc)
	if cerr := wc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	return nil
}

// writeEmpty writes a table with no rows, so that a glob over its folder finds a file
// with its schema.
func writeEmpty(ctx context.Context, fs filesystem.Interface, table, p, runID string, layout output.MetaLayout) error {
	return writeFile(ctx, fs, p, func(w io.Writer) error {
		var c interface{ Close() error }
		switch table {
		case "documents":
			c = output.NewDocumentsWriter(w, runID, layout)
		case "scores":
			c = output.NewTableWriter[output.Score](w, runID)
		case "matches":
			c = output.NewTableWriter[output.Match](w, runID)
		case "phrases":
			c = output.NewTableWriter[output.Phrase](w, runID)
		case "entities":
			c = output.NewTableWriter[output.Entity](w, runID)
		default:
			c = output.NewTableWriter[output.Error](w, runID)
		}
		return c.Close()
	})
}
