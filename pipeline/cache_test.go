package pipeline

import (
	"reflect"
	"testing"

	"github.com/framealign/framealign/extractors"
)

func TestCacheGivesBackTheSameAnnotation(t *testing.T) {
	_, text := extractors.DefaultReference()
	ann, err := extractors.NewProseAnnotator().Annotate(text)
	if err != nil {
		t.Fatal(err)
	}
	c, err := OpenCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sha := sha256Hex(text)
	if got, _ := c.Get(sha, text); got != nil {
		t.Fatal("empty cache returned an annotation")
	}
	if err := c.Put(sha, text, ann); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(sha, text)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Tokens, ann.Tokens) || !reflect.DeepEqual(got.Sentences, ann.Sentences) || !reflect.DeepEqual(got.Entities, ann.Entities) {
		t.Error("the cached annotation differs from the one stored")
	}
}

// BenchmarkCacheGet measures what a document costs when its annotation comes from
// the cache (a rerun after a framework change): read, decompress, decode.
func BenchmarkCacheGet(b *testing.B) {
	_, text := extractors.DefaultReference()
	ann, _ := extractors.NewProseAnnotator().Annotate(text)
	c, err := OpenCache(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	sha := sha256Hex(text)
	c.Put(sha, text, ann)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := c.Get(sha, text); err != nil {
			b.Fatal(err)
		}
	}
}
