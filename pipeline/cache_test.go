package pipeline

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/internal/hostile"
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

// fillCache stores n small annotations in a cache in dir, enough for bbolt to build
// branch pages above its leaves.
func fillCache(t *testing.T, dir string, n int) {
	t.Helper()
	c, err := OpenCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	ann, err := testannotate.Annotate("Mutual respect and win-win cooperation.")
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		text := fmt.Sprintf("Mutual respect and win-win cooperation %d.", i)
		c.Put(sha256Hex(text), text, ann)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestACacheWhosePagesLoopIsSetAside points a branch page of a real cache at itself,
// the kind of damage that would send bbolt down the tree forever (a fatal stack
// overflow, not a panic): the check at open must catch it.
func TestACacheWhosePagesLoopIsSetAside(t *testing.T) {
	dir := t.TempDir()
	fillCache(t, dir, 3000)
	path := filepath.Join(dir, "annotations.db")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	chk := &boltChecker{f: f, size: int64(len(data)), seen: map[uint64]bool{}}
	err = chk.check()
	f.Close()
	if err != nil {
		t.Fatalf("a sound cache fails the check: %v", err)
	}
	const ps = 4096
	looped := false
	for pg := 2; (pg+1)*ps <= len(data) && !looped; pg++ {
		if !chk.seen[uint64(pg)] {
			continue // a page of an earlier transaction, no longer in the tree
		}
		p := data[pg*ps:]
		if binary.NativeEndian.Uint64(p) == uint64(pg) && binary.NativeEndian.Uint16(p[8:]) == boltBranch {
			binary.NativeEndian.PutUint64(p[boltHeader+8:], uint64(pg)) // first child: itself
			looped = true
		}
	}
	if !looped {
		t.Fatal("no branch page in a cache of 3,000 entries")
	}
	os.WriteFile(path, data, 0o644)
	if err := checkBoltFile(path); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("check of a looping tree: %v", err)
	}
	c, err := OpenCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.Damage() == "" {
		t.Error("no damage reported")
	}
	c.Close()
	if aside, _ := filepath.Glob(path + ".damaged-*"); len(aside) != 1 {
		t.Errorf("looping cache not set aside: %v", aside)
	}
}

// TestACacheDamagedAnyWayDoesNotStopTheCache garbles and truncates a cache in every
// way internal/hostile knows: OpenCache always gives a working cache.
func TestACacheDamagedAnyWayDoesNotStopTheCache(t *testing.T) {
	for _, how := range []string{hostile.Garbled, hostile.Truncated, hostile.NotBolt} {
		t.Run(how, func(t *testing.T) {
			dir := t.TempDir()
			fillCache(t, dir, 2000)
			if err := hostile.DamageCache(filepath.Join(dir, "annotations.db"), how); err != nil {
				t.Fatal(err)
			}
			c, err := OpenCache(dir)
			if err != nil {
				t.Fatalf("a damaged cache stopped the run: %v", err)
			}
			text := "Mutual respect and win-win cooperation 7."
			if got, err := c.Get(sha256Hex(text), text); got != nil || err != nil {
				t.Errorf("the fresh cache returned %v, %v", got, err)
			}
			ann, _ := testannotate.Annotate(text)
			c.Put(sha256Hex(text), text, ann)
			if err := c.Close(); err != nil {
				t.Fatal(err)
			}
			if c.Damage() == "" {
				t.Error("no damage reported")
			}
		})
	}
}

// Damage that shows only once the cache is open (its pages garbled under it) turns the
// cache off, without a crash, and the file is set aside when the cache closes.
func TestACacheDamagedWhileOpenIsTurnedOffAndSetAside(t *testing.T) {
	dir := t.TempDir()
	fillCache(t, dir, 2000)
	c, err := OpenCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "annotations.db")
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := f.Stat()
	junk := make([]byte, 4096)
	for i := range junk {
		junk[i] = byte(i*7 + 3)
	}
	for off := int64(2 * 4096); off < info.Size(); off += 4096 {
		f.WriteAt(junk, off) // bbolt maps the file shared: it sees this at once
	}
	f.Close()
	for i := 0; i < 50; i++ {
		text := fmt.Sprintf("Mutual respect and win-win cooperation %d.", i)
		if got, err := c.Get(sha256Hex(text), text); got != nil && err == nil && len(got.Tokens) == 0 {
			t.Fatal("a garbled entry came back as an annotation")
		}
	}
	ann, _ := testannotate.Annotate("Dialogue.")
	c.Put(sha256Hex("Dialogue."), "Dialogue.", ann)
	if err := c.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if c.Damage() == "" {
		t.Fatal("the damage went unnoticed")
	}
	if aside, _ := filepath.Glob(path + ".damaged-*"); len(aside) != 1 {
		t.Errorf("not set aside: %v", aside)
	}
	c, err = OpenCache(dir)
	if err != nil || c.Damage() != "" {
		t.Fatalf("the next open: %v, %q", err, c.Damage())
	}
	c.Close()
}
