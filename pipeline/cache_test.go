package pipeline

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/internal/testannotate"
)

func TestCacheGivesBackTheSameAnnotation(t *testing.T) {
	_, text := framework.DefaultReference()
	ann, err := testannotate.Annotate(text)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	c, err := OpenCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { c.Close() }()
	sha := sha256Hex(text)
	if got, _ := c.Get(sha, text); got != nil {
		t.Fatal("empty cache returned an annotation")
	}
	c.Put(sha, text, ann)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if c, err = OpenCache(dir); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(sha, text)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Tokens, ann.Tokens) || !reflect.DeepEqual(got.Sentences, ann.Sentences) || !reflect.DeepEqual(got.Entities, ann.Entities) {
		t.Error("the cached annotation differs from the one stored")
	}
	// The word list: one entry per distinct token text, and every token points at its own.
	if len(got.WordIDs) != len(got.Tokens) {
		t.Fatalf("%d word ids for %d tokens", len(got.WordIDs), len(got.Tokens))
	}
	distinct := map[string]bool{}
	for _, tok := range got.Tokens {
		distinct[tok.Text] = true
	}
	if len(got.Words) != len(distinct) {
		t.Errorf("%d words listed, the text has %d distinct tokens", len(got.Words), len(distinct))
	}
	for i, tok := range got.Tokens {
		if w := got.Words[got.WordIDs[i]]; w != tok.Text {
			t.Fatalf("token %d %q points at word %q", i, tok.Text, w)
		}
	}
}

// BenchmarkCacheGet measures what a document costs when its annotation comes from
// the cache (a rerun after a framework change): read, decompress, decode.
func BenchmarkCacheGet(b *testing.B) {
	_, text := framework.DefaultReference()
	ann, _ := testannotate.Annotate(text)
	dir := b.TempDir()
	c, err := OpenCache(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { c.Close() }()
	sha := sha256Hex(text)
	c.Put(sha, text, ann)
	c.Close()
	if c, err = OpenCache(dir); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := c.Get(sha, text); err != nil {
			b.Fatal(err)
		}
	}
}

func TestADamagedCacheIsSetAsideNotFatal(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "annotations.db")
	if err := os.WriteFile(path, []byte("this is not a bbolt file, it was overwritten by accident"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := OpenCache(dir)
	if err != nil {
		t.Fatalf("a damaged cache stopped the run: %v", err)
	}
	defer c.Close()
	aside, _ := filepath.Glob(path + ".damaged-*")
	if len(aside) != 1 {
		t.Errorf("damaged file not kept aside: %v", aside)
	}
	_, text := framework.DefaultReference()
	if got, err := c.Get(sha256Hex(text), text); got != nil || err != nil {
		t.Errorf("a fresh cache returned %v, %v", got, err)
	}
}
