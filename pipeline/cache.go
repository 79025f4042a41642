package pipeline

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/framealign/framealign/extractors/annotate"

	"github.com/klauspost/compress/zstd"
	bolt "go.etcd.io/bbolt"
)

// annotationFormat names the encoding of cached annotations and the placing rules
// that made them; changing either must change it, so old entries are not reused.
const annotationFormat = "ann-v2"

var annotationsBucket = []byte("annotations")

// Cache keeps the expensive layer, prose's annotation of a text, by content hash, in
// a bbolt file inside the output folder. bbolt writes copy-on-write pages and syncs
// each transaction, so a process killed at any instant leaves the last committed
// state, never a torn entry.
type Cache struct {
	db  *bolt.DB
	enc *zstd.Encoder
	dec *zstd.Decoder

	puts    chan cacheEntry // entries waiting for the writer
	written chan error      // the writer's last error, when it has stopped

	// Decoding buffers kept between documents: decompressed entries, and token
	// slices (by far the largest allocation of a rerun from the cache), which come
	// back through Release once their document is analysed.
	raws   chan []byte
	tokens chan []annotate.Token
}

type cacheEntry struct {
	key, blob []byte
}

// OpenCache opens (creating if needed) the annotation cache in dir. A cache file that
// cannot be opened as one (damaged by a disk fault, or not a cache at all) is moved
// aside and a new one started: it only saves time, and must never stop a run.
func OpenCache(dir string) (*Cache, error) {
	path := filepath.Join(dir, "annotations.db")
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil && !errors.Is(err, bolt.ErrTimeout) {
		aside := fmt.Sprintf("%s.damaged-%d", path, time.Now().Unix())
		if os.Rename(path, aside) == nil {
			db, err = bolt.Open(path, 0o644, &bolt.Options{Timeout: 2 * time.Second})
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open annotation cache %s: %w", path, err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(annotationsBucket)
		return err
	}); err != nil {
		db.Close()
		return nil, fmt.Errorf("open annotation cache %s: %w", path, err)
	}
	enc, _ := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest))
	dec, _ := zstd.NewReader(nil)
	c := &Cache{db: db, enc: enc, dec: dec, puts: make(chan cacheEntry, 256), written: make(chan error, 1),
		raws: make(chan []byte, 16), tokens: make(chan []annotate.Token, 64)}
	go c.writer()
	return c, nil
}

// writer stores entries in batches, one synced transaction per batch: a sync per
// document would cost more than annotating it with the fast engine.
func (c *Cache) writer() {
	var firstErr error
	batch := make([]cacheEntry, 0, 64)
	flush := func() {
		if len(batch) == 0 {
			return
		}
		err := c.db.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket(annotationsBucket)
			for _, e := range batch {
				if err := b.Put(e.key, e.blob); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil && firstErr == nil {
			firstErr = err
		}
		batch = batch[:0]
	}
	for e := range c.puts {
		batch = append(batch, e)
		// Take whatever else is waiting, then commit.
		for more := true; more && len(batch) < cap(batch); {
			select {
			case e, ok := <-c.puts:
				if !ok {
					more = false
					break
				}
				batch = append(batch, e)
			default:
				more = false
			}
		}
		flush()
	}
	flush()
	c.written <- firstErr
}

// Close waits for the pending entries to be stored and closes the cache file.
func (c *Cache) Close() error {
	close(c.puts)
	err := <-c.written
	c.dec.Close()
	if cerr := c.db.Close(); err == nil {
		err = cerr
	}
	return err
}

func cacheKey(contentSHA string) []byte { return []byte(annotationFormat + ":" + contentSHA) }

// Get returns the cached annotation of text (whose hash is contentSHA), or nil. Give
// it back with Release when done with it.
func (c *Cache) Get(contentSHA, text string) (*annotate.Annotation, error) {
	raw := take(c.raws)
	defer func() { give(c.raws, raw[:0], 16<<20) }()
	found := false
	var err error
	if verr := c.db.View(func(tx *bolt.Tx) error {
		// Decompressed straight from the mapped page, valid during the transaction.
		if v := tx.Bucket(annotationsBucket).Get(cacheKey(contentSHA)); v != nil {
			found = true
			raw, err = c.dec.DecodeAll(v, raw[:0])
		}
		return nil
	}); verr != nil || !found {
		return nil, verr
	}
	if err != nil {
		return nil, fmt.Errorf("annotation cache entry %s: %w", contentSHA, err)
	}
	ann, spare, err := decodeAnnotation(raw, text, take(c.tokens))
	if spare != nil {
		give(c.tokens, spare[:0], 1<<20)
	}
	return ann, err
}

// Release takes back the tokens of an annotation that Get returned, for reuse: the
// caller keeps no reference to ann's tokens.
func (c *Cache) Release(ann *annotate.Annotation) {
	if ann != nil && ann.Tokens != nil {
		give(c.tokens, ann.Tokens[:0], 1<<20)
		ann.Tokens = nil
	}
}

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
	c.puts <- cacheEntry{key: cacheKey(contentSHA), blob: c.enc.EncodeAll(encodeAnnotation(ann, text), nil)}
}

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

// decodeAnnotation decodes an entry made by encodeAnnotation. Its tokens go into
// tokens (reused when large enough); on failure the slice is returned for reuse.
func decodeAnnotation(b []byte, text string, tokens []annotate.Token) (ann *annotate.Annotation, spare []annotate.Token, err error) {
	defer func() {
		if recover() != nil {
			ann, spare, err = nil, tokens, errCorrupt
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
	if n := next(); cap(tokens) >= n {
		ann.Tokens = tokens[:n]
	} else {
		ann.Tokens = make([]annotate.Token, n)
	}
	ann.WordIDs = make([]int32, len(ann.Tokens))
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
		return nil, tokens, errCorrupt
	}
	return ann, nil, nil
}
