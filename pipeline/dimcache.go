package pipeline

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/framealign/framealign/extractors/cues"
	"github.com/framealign/framealign/framework"
)

// A document's cue matches are stored by dimension, beside its annotation, so that a
// rerun after a framework edit matches again only the dimensions the edit touched:
// the others' matches are those the previous run found, read back. A dimension's
// matches depend on the text, its annotation and its entities' sentences and country
// codes (all fixed by the text's hash and framealign's build), on the dimension's own
// definition (id, cues, exclusions, condition and window) and on the framework's
// wording lists (the settings a condition reads): its key (dimensionKeys) is a digest
// of the last two and the build. Any other edit of the framework (a label, a group,
// the order of the dimensions, the institutional heads) leaves every key as it is;
// scores, alignment and phrases are always computed from the matches anew.

// matchesFormat names the encoding of stored matches; changing it must change it, so
// old entries are not read.
const matchesFormat = "dm-v1"

// dimKeyLen is the length of a dimension's key: a truncated SHA-256.
const dimKeyLen = 16

type dimKey [dimKeyLen]byte

// MatchStore keeps the cue matches of texts between runs, by content hash (the
// pipeline's Cache), followed by "@" and the document's home when it has one (see
// storedMatchesKey). The Analyzer uses it when its AnnotationStore is one.
type MatchStore interface {
	GetMatches(contentSHA string) []byte
	PutMatches(contentSHA string, entry []byte)
}

// dimensions is what the Analyzer knows of the framework's dimensions to store and
// reuse their matches.
type dimensions struct {
	fw    *framework.Framework
	full  *cues.Matcher // every dimension's
	keys  []dimKey
	index map[string]int   // dimension id -> position in the framework
	cues  []map[string]int // per dimension: cue as written -> its first position in Cues

	mu   sync.Mutex
	subs map[string]*subMatcher // matchers of some dimensions only, by the dimensions' positions

	// (document, dimension) pairs whose matches were found by a matcher, and those
	// read from the store
	matched, reused atomic.Int64
}

type subMatcher struct {
	once sync.Once
	m    *cues.Matcher
	err  error
}

func newDimensions(fw *framework.Framework, full *cues.Matcher, version string) *dimensions {
	d := &dimensions{fw: fw, full: full, keys: dimensionKeys(fw, version), index: map[string]int{}, subs: map[string]*subMatcher{}}
	for i, dim := range fw.Dimensions {
		d.index[dim.ID] = i
		byCue := map[string]int{}
		for j, c := range dim.Cues {
			if _, ok := byCue[c]; !ok {
				byCue[c] = j
			}
		}
		d.cues = append(d.cues, byCue)
	}
	return d
}

// dimensionKeys are the keys of the framework's dimensions (see above).
func dimensionKeys(fw *framework.Framework, version string) []dimKey {
	shared, err := json.Marshal([]any{matchesFormat, version, fw.InternationalWording, fw.DomesticWording})
	if err != nil {
		panic(err) // strings only
	}
	keys := make([]dimKey, len(fw.Dimensions))
	for i, dim := range fw.Dimensions {
		// What matching reads of a dimension: not its label, description, group or
		// contrast, which only scoring and alignment read.
		b, err := json.Marshal([]any{dim.ID, dim.Cues, dim.Exclude, dim.Requires, dim.Window})
		if err != nil {
			panic(err)
		}
		h := sha256.New()
		h.Write(shared)
		h.Write([]byte{0})
		h.Write(b)
		copy(keys[i][:], h.Sum(nil))
	}
	return keys
}

// find returns the matches of doc, whose text's hash is sha, as d.full.Find(doc,
// false) does: the stored matches of the dimensions whose key is unchanged, and those
// of the others found now (and then stored with the rest).
func (d *dimensions) find(store MatchStore, sha string, doc cues.Document) ([]cues.Match, error) {
	stored, have := d.decode(store.GetMatches(sha), doc)
	var missing []int
	for i := range d.fw.Dimensions {
		if !have[i] {
			missing = append(missing, i)
		}
	}
	d.reused.Add(int64(len(d.keys) - len(missing)))
	d.matched.Add(int64(len(missing)))
	matches := stored
	if len(missing) > 0 {
		m := d.full
		if len(missing) < len(d.fw.Dimensions) {
			var err error
			if m, err = d.matcherOf(missing); err != nil {
				return nil, err
			}
		}
		found, _ := m.Find(doc, false)
		matches = append(stored, found...)
	}
	if len(stored) > 0 {
		// The order of Find: by start, then dimension (a dimension's matches never
		// share a start: they do not overlap). The stored ones come dimension by
		// dimension.
		slices.SortFunc(matches, func(a, b cues.Match) int {
			return cmp.Or(cmp.Compare(a.Start, b.Start), strings.Compare(a.Dimension, b.Dimension))
		})
	}
	if len(missing) > 0 {
		store.PutMatches(sha, d.encode(matches))
	}
	return matches, nil
}

// matcherOf returns a matcher of the dimensions at the given positions only, made at
// the first call for them.
func (d *dimensions) matcherOf(dims []int) (*cues.Matcher, error) {
	var key strings.Builder
	for _, i := range dims {
		key.WriteString(d.fw.Dimensions[i].ID)
		key.WriteByte(0)
	}
	d.mu.Lock()
	s, ok := d.subs[key.String()]
	if !ok {
		s = &subMatcher{}
		d.subs[key.String()] = s
	}
	d.mu.Unlock()
	s.once.Do(func() {
		sub := *d.fw
		sub.Dimensions = nil
		for _, i := range dims {
			sub.Dimensions = append(sub.Dimensions, d.fw.Dimensions[i])
		}
		s.m, s.err = cues.NewMatcher(&sub)
	})
	return s.m, s.err
}

// encode writes the matches of every dimension of the framework (all of them were
// found in the document, each dimension's in text order): per dimension its key, the
// number of its matches and each match's cue (its position in the dimension's cues),
// sentence, start (from the previous match's), length and negation.
func (d *dimensions) encode(matches []cues.Match) []byte {
	byDim := make([][]cues.Match, len(d.keys))
	for _, m := range matches {
		i := d.index[m.Dimension]
		byDim[i] = append(byDim[i], m)
	}
	b := binary.AppendUvarint(nil, uint64(len(d.keys)))
	for i, ms := range byDim {
		b = append(b, d.keys[i][:]...)
		b = binary.AppendUvarint(b, uint64(len(ms)))
		prev := 0
		for _, m := range ms {
			neg := uint64(0)
			if m.Negated {
				neg = 1
			}
			b = binary.AppendUvarint(b, uint64(d.cues[i][m.Cue]))
			b = binary.AppendUvarint(b, uint64(m.Sentence))
			b = binary.AppendUvarint(b, uint64(m.Start-prev))
			b = binary.AppendUvarint(b, uint64(m.End-m.Start))
			b = binary.AppendUvarint(b, neg)
			prev = m.Start
		}
	}
	return b
}

var errBadEntry = errors.New("bad stored matches")

// decode reads an entry made by encode: the matches of the dimensions whose key is
// among the framework's, and which of the framework's dimensions those are. An entry
// that does not decode, or whose matches do not fit the document, counts as none.
func (d *dimensions) decode(b []byte, doc cues.Document) (matches []cues.Match, have []bool) {
	have = make([]bool, len(d.keys))
	if len(b) == 0 {
		return nil, have
	}
	pos := 0
	next := func() int {
		v, n := binary.Uvarint(b[pos:])
		if n <= 0 || v > uint64(len(doc.Text)) {
			panic(errBadEntry)
		}
		pos += n
		return int(v)
	}
	ok := func() bool {
		defer func() {
			if r := recover(); r != nil && r != errBadEntry {
				panic(r)
			}
		}()
		sentences := len(doc.Annotation.Sentences)
		for n := next(); n > 0; n-- {
			if pos+dimKeyLen > len(b) {
				return false
			}
			var k dimKey
			copy(k[:], b[pos:pos+dimKeyLen])
			pos += dimKeyLen
			dim := slices.Index(d.keys, k)
			prev := 0
			for c := next(); c > 0; c-- {
				cue, sent, start := next(), next(), prev+next()
				end, negated := start+next(), next() == 1
				prev = start
				if dim < 0 {
					continue // a dimension this framework does not have as it was
				}
				cs := d.fw.Dimensions[dim].Cues
				if cue >= len(cs) || sent >= sentences || end > len(doc.Text) || start >= end {
					return false
				}
				matches = append(matches, cues.Match{Dimension: d.fw.Dimensions[dim].ID, Cue: cs[cue],
					Sentence: sent, Start: start, End: end, Negated: negated})
			}
			if dim >= 0 {
				have[dim] = true
			}
		}
		return pos == len(b)
	}()
	if !ok {
		clear(have)
		return nil, have
	}
	return matches, have
}
