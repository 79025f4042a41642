package fabeam

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/memfs"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/pipeline"
)

// TestObjectStoreMatchesRun: the corpus in an object store (Beam's in-memory file
// system, memfs://, standing for gs:// and s3://) read through Beam's file system
// (in memory, or through a local temporary file when above --max-bytes), and the
// tables written and committed there, give framealign run's rows. With a tiny
// --max-bytes, the speeches become "above --max-bytes" errors rows and a JSONL file
// larger than it is streamed, as in run.
func TestObjectStoreMatchesRun(t *testing.T) {
	dir := smallCorpus(t)
	for _, maxBytes := range []int64{corpus.DefaultMaxBytes, 240} {
		t.Run("max-bytes-"+itoa(maxBytes), func(t *testing.T) {
			bucket := "memfs://corpus" + itoa(maxBytes)
			filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
				if err == nil && !e.IsDir() {
					rel, _ := filepath.Rel(dir, p)
					b, _ := os.ReadFile(p)
					memfs.Write(bucket+"/"+filepath.ToSlash(rel), b)
				}
				return nil
			})
			runOut := filepath.Join(t.TempDir(), "run")
			name, text := framework.DefaultReference()
			if _, err := pipeline.Run(context.Background(), pipeline.Config{Roots: []string{dir}, Out: runOut, Workers: 2,
				Framework: framework.Default(), ReferenceName: name, ReferenceText: text, Annotator: fastEngine(t),
				Version: testVersion, ReadOptions: corpus.Options{MaxBytes: maxBytes}}); err != nil {
				t.Fatal(err)
			}
			out := "memfs://out" + itoa(maxBytes)
			p, s := beam.NewPipelineWithRoot()
			if _, err := Build(s, Config{Inputs: []string{bucket + "/"}, Out: out, MaxBytes: maxBytes, Version: testVersion, Parallel: 2}); err != nil {
				t.Fatal(err)
			}
			ptest.RunAndValidate(t, p)
			local := filepath.Join(t.TempDir(), "beam")
			copyOut(t, out, local)
			// A duplicate doc_id's errors row names the files where each run found them.
			compare(t, runOut, local, bucket, dir)
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// copyOut copies an output folder of memfs to a local folder.
func copyOut(t *testing.T, from, to string) {
	ctx := context.Background()
	fsys, err := filesystem.New(ctx, from)
	if err != nil {
		t.Fatal(err)
	}
	files, err := fsys.List(ctx, from+"/*")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := fsys.List(ctx, from+"/*/*")
	tmp, _ := fsys.List(ctx, from+"/_temporary/*/*/*")
	if len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
	for _, f := range append(files, more...) {
		r, err := fsys.OpenRead(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(to, filepath.FromSlash(strings.TrimPrefix(f, from+"/")))
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
