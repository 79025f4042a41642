package pipeline

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/framealign/framealign/extractors/annotate"

	"github.com/klauspost/compress/zstd"
	bolt "go.etcd.io/bbolt"
)

// annotationFormat names the encoding of cached annotations and the placing rules
// that made them; changing either must change it, so old entries are not reused.
const annotationFormat = "ann-v2"

var annotationsBucket = []byte("annotations")

// matchesBucket holds each text's cue matches by dimension (see dimcache.go).
var matchesBucket = []byte("matches")

// Cache keeps the expensive layer, prose's annotation of a text, by content hash, in
// a bbolt file inside the output folder. bbolt writes copy-on-write pages and syncs
// each transaction, so a process killed at any instant leaves the last committed
// state, never a torn entry.
//
// The cache only saves time, so no state of its file may stop or crash a run. A file
// that cannot be opened as a cache, or whose structure fails bbolt's consistency
// check (garbled pages, a file cut short by a full disk or a copy), is set aside as
// annotations.db.damaged-<time> and a new one started. Damage that shows only
// later (bbolt panics on a garbled page, and faults on a page beyond the end of a
// truncated file) turns the cache off for the rest of the run, and the file is set
// aside when the cache is closed: the next run starts afresh.
type Cache struct {
	path string
	db   *bolt.DB
	enc  *zstd.Encoder
	dec  *zstd.Decoder

	puts    chan cacheEntry // entries waiting for the writer
	written chan error      // the writer's last error, when it has stopped

	// Decoding buffers kept between documents: decompressed entries, and token
	// slices (by far the largest allocation of a rerun from the cache), which come
	// back through Release once their document is analysed.
	raws chan []byte
	bufs chan annotationBuffers

	matchesMu sync.Mutex
	matches   []cacheEntry // matches waiting to be sent to the writer (see PutMatches)
	// matchSlots bounds the batches of matches sent and not yet stored, so that the
	// memory they hold stays flat when the writer falls behind
	matchSlots chan struct{}

	damaged    atomic.Pointer[string] // why the cache was turned off during the run, or nil
	setAside   string                 // where a damaged file was moved (at open, or at Close)
	openDamage string                 // what was wrong with the file found at open
}

type cacheEntry struct {
	bucket, key, blob []byte
	many              []cacheEntry // instead of one entry, these (see PutMatches)
}

// errDamaged marks a cache file that is not a sound bbolt file.
var errDamaged = errors.New("damaged annotation cache")

// OpenCache opens (creating if needed) the annotation cache in dir. A damaged cache
// file is moved aside and a new one started (see Cache); an error is returned only
// when no cache file can be created at all.
func OpenCache(dir string) (*Cache, error) {
	path := filepath.Join(dir, "annotations.db")
	c := &Cache{path: path}
	db, err := openBolt(path)
	if errors.Is(err, errDamaged) || (err != nil && !errors.Is(err, bolt.ErrTimeout)) {
		aside := damagedName(path)
		if os.Rename(path, aside) == nil {
			c.setAside, c.openDamage = aside, strings.TrimPrefix(err.Error(), errDamaged.Error()+": ")
			db, err = openBolt(path)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open annotation cache %s: %w", path, err)
	}
	enc, _ := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest))
	dec, _ := zstd.NewReader(nil)
	c.db, c.enc, c.dec = db, enc, dec
	c.puts, c.written = make(chan cacheEntry, 1024), make(chan error, 1)
	c.raws, c.bufs = make(chan []byte, freeBuffers), make(chan annotationBuffers, freeBuffers)
	c.matchSlots = make(chan struct{}, 2)
	go c.writer()
	return c, nil
}

// openBolt checks the bbolt file at path (checkBoltFile: a damaged file is
// errDamaged) and opens it with the annotations bucket ready.
func openBolt(path string) (db *bolt.DB, err error) {
	if err := checkBoltFile(path); err != nil {
		return nil, fmt.Errorf("%w: %v", errDamaged, err)
	}
	err = guard(func() error {
		var err error
		if db, err = bolt.Open(path, 0o644, &bolt.Options{Timeout: 2 * time.Second}); err != nil {
			return err
		}
		return db.Update(func(tx *bolt.Tx) error {
			for _, name := range [][]byte{annotationsBucket, matchesBucket} {
				if _, err := tx.CreateBucketIfNotExists(name); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil && db != nil {
		_ = guard(db.Close)
		db = nil
	}
	return db, err
}

// damagedName is where a damaged cache file is moved: beside it, named for the time.
func damagedName(path string) string {
	return path + ".damaged-" + time.Now().UTC().Format("20060102T150405.000000000Z")
}

// guard runs a cache operation, turning a panic or a memory fault (bbolt reads its
// file through a memory map) into errDamaged.
func guard(op func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %s", errDamaged, strings.ReplaceAll(fmt.Sprint(p), "\n", " "))
		}
	}()
	return op()
}

// turnOff stops using the cache for the rest of the run after damage showed.
func (c *Cache) turnOff(err error) {
	reason := strings.TrimPrefix(err.Error(), errDamaged.Error()+": ")
	c.damaged.CompareAndSwap(nil, &reason)
}

func (c *Cache) off() bool { return c.damaged.Load() != nil }

// Damage says what happened to a damaged cache file during this run (found at open or
// later) and where it was moved, or "" when the cache is sound.
func (c *Cache) Damage() string {
	switch r := c.damaged.Load(); {
	case r != nil:
		return fmt.Sprintf("the annotation cache %s was damaged (%s); it was not used for the rest of the run, is set aside as %s.damaged-<time> when the run ends, and a new one starts at the next run", c.path, *r, filepath.Base(c.path))
	case c.setAside != "":
		return fmt.Sprintf("the annotation cache was damaged (%s); it was moved to %s and a new one started", c.openDamage, c.setAside)
	}
	return ""
}

// writer stores entries in batches, one synced transaction per batch: a sync per
// document would cost more than annotating it with the fast engine.
func (c *Cache) writer() {
	var firstErr error
	batch := make([]cacheEntry, 0, 1024)
	flush := func() {
		if len(batch) == 0 || c.off() {
			batch = batch[:0]
			return
		}
		err := guard(func() error {
			return c.db.Update(func(tx *bolt.Tx) error {
				for _, e := range batch {
					if err := tx.Bucket(e.bucket).Put(e.key, e.blob); err != nil {
						return err
					}
				}
				return nil
			})
		})
		switch {
		case errors.Is(err, errDamaged):
			c.turnOff(err)
		case err != nil && firstErr == nil:
			firstErr = err
		}
		clear(batch)
		batch = batch[:0]
	}
	slots := 0 // batches of matches in batch, whose slots are freed once it is stored
	add := func(e cacheEntry) {
		if e.many != nil {
			batch = append(batch, e.many...)
			slots++
		} else {
			batch = append(batch, e)
		}
	}
	for e := range c.puts {
		add(e)
		// Take whatever else is waiting, then commit.
		for more := true; more && len(batch) < cap(batch); {
			select {
			case e, ok := <-c.puts:
				if !ok {
					more = false
					break
				}
				add(e)
			default:
				more = false
			}
		}
		flush()
		for ; slots > 0; slots-- {
			<-c.matchSlots
		}
	}
	flush()
	c.written <- firstErr
}

// Close waits for the pending entries to be stored and closes the cache file; a file
// found damaged during the run is then moved aside.
func (c *Cache) Close() error {
	c.sendMatches(0)
	close(c.puts)
	err := <-c.written
	c.dec.Close()
	if cerr := guard(c.db.Close); err == nil {
		err = cerr
	}
	if c.off() {
		aside := damagedName(c.path)
		if os.Rename(c.path, aside) == nil {
			c.setAside = aside
		}
		return nil // damage is not a failure of the run
	}
	return err
}

func cacheKey(contentSHA string) []byte { return []byte(annotationFormat + ":" + contentSHA) }

// Get returns the cached annotation of text (whose hash is contentSHA), or nil. Give
// it back with Release when done with it.
func (c *Cache) Get(contentSHA, text string) (*annotate.Annotation, error) {
	raw := take(c.raws)
	defer func() { give(c.raws, raw[:0], maxFreeRaw) }()
	if c.off() {
		return nil, nil
	}
	found := false
	var err error
	verr := guard(func() error {
		return c.db.View(func(tx *bolt.Tx) error {
			// Decompressed straight from the mapped page, valid during the transaction.
			if v := tx.Bucket(annotationsBucket).Get(cacheKey(contentSHA)); v != nil {
				found = true
				raw, err = c.dec.DecodeAll(v, raw[:0])
			}
			return nil
		})
	})
	if errors.Is(verr, errDamaged) {
		c.turnOff(verr)
		return nil, nil
	}
	if verr != nil || !found {
		return nil, verr
	}
	if err != nil {
		return nil, fmt.Errorf("annotation cache entry %s: %w", contentSHA, err)
	}
	var bufs annotationBuffers
	select {
	case bufs = <-c.bufs:
	default:
	}
	ann, err := decodeAnnotation(raw, text, bufs)
	if ann == nil {
		c.giveBuffers(bufs)
	}
	return ann, err
}

// Release takes back the tokens and word lists of an annotation that Get returned,
// for reuse: the caller keeps no reference to them.
func (c *Cache) Release(ann *annotate.Annotation) {
	if ann != nil && ann.Tokens != nil {
		c.giveBuffers(annotationBuffers{ann.Tokens, ann.Words, ann.WordIDs})
		ann.Tokens, ann.Words, ann.WordIDs = nil, nil, nil
	}
}

// annotationBuffers are the slices of a decoded annotation that its size makes worth
// reusing: its tokens and its word lists.
type annotationBuffers struct {
	tokens []annotate.Token
	words  []string
	ids    []int32
}

// giveBuffers puts b on the free list, unless it is full or b is huge (see
// maxFreeTokens). The strings left in a buffer keep at most freeBuffers documents'
// texts reachable until it is reused.
func (c *Cache) giveBuffers(b annotationBuffers) {
	if cap(b.tokens) > maxFreeTokens || cap(b.ids) > maxFreeTokens {
		return
	}
	select {
	case c.bufs <- annotationBuffers{b.tokens[:0], b.words[:0], b.ids[:0]}:
	default:
	}
}

// The free lists keep a few buffers, each of the size of a long speech at most: enough
// for the workers to reuse them, while the pieces of a long document (hundreds of
// thousands of tokens each) are not kept, which would hold hundreds of MB.
const (
	freeBuffers   = 16
	maxFreeTokens = 1 << 16 // tokens: ten times the longest UN General Debate speech
	maxFreeRaw    = 4 << 20 // bytes of a decompressed entry
)

// take returns a buffer from the free list, or nil.
func take[T any](free chan []T) []T {
	select {
	case b := <-free:
		return b
	default:
		return nil
	}
}

// give puts a buffer on the free list, unless it is full or the buffer is huge.
func give[T any](free chan []T, b []T, maxCap int) {
	if b == nil || cap(b) > maxCap {
		return
	}
	select {
	case free <- b:
	default:
	}
}

// Put queues the annotation of the text whose hash is contentSHA for storing; it is
// on disk once a batch holding it commits, at the latest when Close returns. An entry
// lost to a crash before that costs its document one more annotation next time.
func (c *Cache) Put(contentSHA, text string, ann *annotate.Annotation) {
	if c.off() {
		return
	}
	c.puts <- cacheEntry{bucket: annotationsBucket, key: cacheKey(contentSHA), blob: c.enc.EncodeAll(encodeAnnotation(ann, text), nil)}
}

// GetMatches returns the stored cue matches of the text whose hash is contentSHA (an
// entry of dimcache.go, a copy), or nil.
func (c *Cache) GetMatches(contentSHA string) []byte {
	if c.off() {
		return nil
	}
	var out []byte
	err := guard(func() error {
		return c.db.View(func(tx *bolt.Tx) error {
			if v := tx.Bucket(matchesBucket).Get(matchesKey(contentSHA)); v != nil {
				out = append([]byte(nil), v...) // the page is valid only during the transaction
			}
			return nil
		})
	})
	if errors.Is(err, errDamaged) {
		c.turnOff(err)
		return nil
	}
	return out
}

// PutMatches queues the cue matches of the text whose hash is contentSHA for storing,
// as Put does an annotation.
// They are sent to the writer in batches of matchBatch entries: a document's
// matches cost far less to find again than a synced transaction of their own.
func (c *Cache) PutMatches(contentSHA string, entry []byte) {
	if c.off() {
		return
	}
	c.matchesMu.Lock()
	c.matches = append(c.matches, cacheEntry{bucket: matchesBucket, key: matchesKey(contentSHA), blob: entry})
	c.matchesMu.Unlock()
	c.sendMatches(matchBatch)
}

// matchBatch is the number of documents' matches sent to the writer at once.
const matchBatch = 1024

// sendMatches sends the matches waiting to the writer when there are at least min.
func (c *Cache) sendMatches(min int) {
	c.matchesMu.Lock()
	var out []cacheEntry
	if len(c.matches) > 0 && len(c.matches) >= min {
		out, c.matches = c.matches, nil
	}
	c.matchesMu.Unlock()
	if out != nil {
		c.matchSlots <- struct{}{} // waits while two batches are on their way
		c.puts <- cacheEntry{many: out}
	}
}

func matchesKey(contentSHA string) []byte { return []byte(matchesFormat + ":" + contentSHA) }

// encodeAnnotation writes an annotation compactly: offsets as varint deltas, tags and
// labels as indexes into a string table, and each token's text as the index of a word
// in the document's list of distinct words, which is defined at its first occurrence,
// by the document's bytes where they match (prose straightens curly quotes) or by the
// string table.
func encodeAnnotation(ann *annotate.Annotation, text string) []byte {
	var b []byte
	strs := map[string]uint64{}
	var table []string
	idx := func(s string) uint64 {
		if i, ok := strs[s]; ok {
			return i
		}
		strs[s] = uint64(len(table))
		table = append(table, s)
		return strs[s]
	}
	words := map[string]uint64{}
	var body []byte
	body = binary.AppendUvarint(body, uint64(len(ann.Sentences)))
	prev := 0
	for _, s := range ann.Sentences {
		body = binary.AppendUvarint(body, uint64(s.Start-prev))
		body = binary.AppendUvarint(body, uint64(s.End-s.Start))
		prev = s.Start
	}
	body = binary.AppendUvarint(body, uint64(len(ann.Tokens)))
	prev = 0
	for _, t := range ann.Tokens {
		body = binary.AppendUvarint(body, uint64(t.Start-prev))
		body = binary.AppendUvarint(body, uint64(t.End-t.Start))
		body = binary.AppendUvarint(body, uint64(t.Sentence))
		body = binary.AppendUvarint(body, idx(t.Tag))
		body = binary.AppendUvarint(body, idx(t.Label))
		// 0: a new word, the document's bytes; 1: a new word from the string table
		// (its index follows); w >= 2: word w-2 seen before.
		switch id, seen := words[t.Text]; {
		case seen:
			body = binary.AppendUvarint(body, id+2)
		case text[t.Start:t.End] == t.Text:
			words[t.Text] = uint64(len(words))
			body = binary.AppendUvarint(body, 0)
		default:
			words[t.Text] = uint64(len(words))
			body = binary.AppendUvarint(body, 1)
			body = binary.AppendUvarint(body, idx(t.Text))
		}
		prev = t.Start
	}
	body = binary.AppendUvarint(body, uint64(len(ann.Entities)))
	for _, e := range ann.Entities {
		body = binary.AppendUvarint(body, idx(e.Label))
		body = binary.AppendUvarint(body, idx(e.Text))
		body = binary.AppendUvarint(body, uint64(e.FirstTok))
		body = binary.AppendUvarint(body, uint64(e.LastTok-e.FirstTok))
	}
	b = binary.AppendUvarint(b, uint64(len(table)))
	for _, s := range table {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return append(b, body...)
}

var errCorrupt = errors.New("corrupt annotation cache entry")

// decodeAnnotation decodes an entry made by encodeAnnotation. Its tokens and word
// lists go into bufs' slices when they are large enough; on failure (a nil
// annotation) bufs are left for reuse.
func decodeAnnotation(b []byte, text string, bufs annotationBuffers) (ann *annotate.Annotation, err error) {
	defer func() {
		if recover() != nil {
			ann, err = nil, errCorrupt
		}
	}()
	pos := 0
	next := func() int {
		v, n := binary.Uvarint(b[pos:])
		if n <= 0 {
			panic(errCorrupt)
		}
		pos += n
		return int(v)
	}
	table := make([]string, next())
	for i := range table {
		n := next()
		table[i] = string(b[pos : pos+n])
		pos += n
	}
	ann = &annotate.Annotation{}
	ann.Sentences = make([]annotate.Sentence, next())
	prev := 0
	for i := range ann.Sentences {
		s := prev + next()
		ann.Sentences[i] = annotate.Sentence{Start: s, End: s + next()}
		prev = s
	}
	n := next()
	if n > len(b) { // each token takes bytes of the entry
		panic(errCorrupt)
	}
	if cap(bufs.tokens) >= n {
		ann.Tokens = bufs.tokens[:n]
	} else {
		ann.Tokens = make([]annotate.Token, n)
	}
	if cap(bufs.ids) >= n {
		ann.WordIDs = bufs.ids[:n]
	} else {
		ann.WordIDs = make([]int32, n)
	}
	ann.Words = bufs.words[:0]
	prev = 0
	for i := range ann.Tokens {
		s := prev + next()
		e := s + next()
		t := annotate.Token{Start: s, End: e, Sentence: next(), Tag: table[next()], Label: table[next()]}
		switch w := next(); w {
		case 0:
			ann.Words = append(ann.Words, text[s:e])
			ann.WordIDs[i] = int32(len(ann.Words) - 1)
		case 1:
			ann.Words = append(ann.Words, table[next()])
			ann.WordIDs[i] = int32(len(ann.Words) - 1)
		default:
			ann.WordIDs[i] = int32(w - 2)
		}
		t.Text = ann.Words[ann.WordIDs[i]]
		ann.Tokens[i] = t
		prev = s
	}
	ann.Entities = make([]annotate.RawEntity, next())
	for i := range ann.Entities {
		e := annotate.RawEntity{Label: table[next()], Text: table[next()]}
		e.FirstTok = next()
		e.LastTok = e.FirstTok + next()
		first, last := ann.Tokens[e.FirstTok], ann.Tokens[e.LastTok-1]
		e.Start, e.End, e.Sentence = first.Start, last.End, first.Sentence
		ann.Entities[i] = e
	}
	if pos != len(b) {
		return nil, errCorrupt
	}
	return ann, nil
}
