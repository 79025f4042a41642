package pipeline

import (
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/framealign/framealign/extractors"
	"github.com/klauspost/compress/zstd"
	bolt "go.etcd.io/bbolt"
)

// annotationFormat names the encoding of cached annotations and the placing rules
// that made them; changing either must change it, so old entries are not reused.
const annotationFormat = "ann-v1"

var annotationsBucket = []byte("annotations")

// Cache keeps the expensive layer, prose's annotation of a text, by content hash, in
// a bbolt file inside the output folder. bbolt writes copy-on-write pages and syncs
// each transaction, so a process killed at any instant leaves the last committed
// state, never a torn entry.
type Cache struct {
	db  *bolt.DB
	enc *zstd.Encoder
	dec *zstd.Decoder
}

// OpenCache opens (creating if needed) the annotation cache in dir.
func OpenCache(dir string) (*Cache, error) {
	path := filepath.Join(dir, "annotations.db")
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: 2 * time.Second})
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
	return &Cache{db: db, enc: enc, dec: dec}, nil
}

// Close closes the cache file.
func (c *Cache) Close() error {
	c.dec.Close()
	return c.db.Close()
}

func cacheKey(contentSHA string) []byte { return []byte(annotationFormat + ":" + contentSHA) }

// Get returns the cached annotation of text (whose hash is contentSHA), or nil.
func (c *Cache) Get(contentSHA, text string) (*extractors.Annotation, error) {
	var blob []byte
	if err := c.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(annotationsBucket).Get(cacheKey(contentSHA))
		if v != nil {
			blob = append([]byte(nil), v...)
		}
		return nil
	}); err != nil || blob == nil {
		return nil, err
	}
	raw, err := c.dec.DecodeAll(blob, nil)
	if err != nil {
		return nil, fmt.Errorf("annotation cache entry %s: %w", contentSHA, err)
	}
	return decodeAnnotation(raw, text)
}

// Put stores the annotation of the text whose hash is contentSHA. Concurrent calls
// are gathered into one transaction (bbolt's Batch).
func (c *Cache) Put(contentSHA, text string, ann *extractors.Annotation) error {
	blob := c.enc.EncodeAll(encodeAnnotation(ann, text), nil)
	return c.db.Batch(func(tx *bolt.Tx) error {
		return tx.Bucket(annotationsBucket).Put(cacheKey(contentSHA), blob)
	})
}

// encodeAnnotation writes an annotation compactly: offsets as varint deltas, tags and
// labels as indexes into a string table, token texts only where they differ from the
// document's bytes (prose straightens curly quotes).
func encodeAnnotation(ann *extractors.Annotation, text string) []byte {
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
		if text[t.Start:t.End] == t.Text {
			body = binary.AppendUvarint(body, 0)
		} else {
			body = binary.AppendUvarint(body, idx(t.Text)+1)
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

func decodeAnnotation(b []byte, text string) (ann *extractors.Annotation, err error) {
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
	ann = &extractors.Annotation{}
	ann.Sentences = make([]extractors.Sentence, next())
	prev := 0
	for i := range ann.Sentences {
		s := prev + next()
		ann.Sentences[i] = extractors.Sentence{Start: s, End: s + next()}
		prev = s
	}
	ann.Tokens = make([]extractors.Token, next())
	prev = 0
	for i := range ann.Tokens {
		s := prev + next()
		e := s + next()
		t := extractors.Token{Start: s, End: e, Sentence: next(), Tag: table[next()], Label: table[next()]}
		if ti := next(); ti == 0 {
			t.Text = text[s:e]
		} else {
			t.Text = table[ti-1]
		}
		ann.Tokens[i] = t
		prev = s
	}
	ann.Entities = make([]extractors.RawEntity, next())
	for i := range ann.Entities {
		e := extractors.RawEntity{Label: table[next()], Text: table[next()]}
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
