package fastprose

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jdkato/prose/v2"
)

// This file turns prose's trained models (read from prose's own embedded assets) into
// tables keyed by interned integers, so annotating a token costs a few array and map
// reads instead of dozens of concatenated feature strings looked up in string maps.
//
// The tables answer exactly the questions prose asks. prose looks up the string
// template+value; here every key of prose's weights is split back into its template
// and value parts once, at load, and each part is interned. A feature whose value was
// never seen at load cannot be in prose's weights either, so "not interned" is "not
// found" in both engines.

// fastVocab interns every string that is part of a feature key of either model (and the
// few strings, such as lower-cased tags, that the engine looks up as feature values).
type fastVocab map[string]int32

func (v fastVocab) intern(s string) int32 {
	if id, ok := v[s]; ok {
		return id
	}
	id := int32(len(v))
	v[s] = id
	return id
}

// id returns the interned id of s, or -1 when no feature of either model mentions s.
func (v fastVocab) id(s string) int32 {
	if id, ok := v[s]; ok {
		return id
	}
	return -1
}

// fastRows holds sparse weight rows: row r is the classes class[start[r]:start[r+1]]
// with weights w[...] of the same range.
type fastRows[W int32 | float64] struct {
	start []int32
	class []uint8
	w     []W
}

func (r *fastRows[W]) add(classes []uint8, ws []W) int32 {
	if len(r.start) == 0 {
		r.start = append(r.start, 0)
	}
	r.class = append(r.class, classes...)
	r.w = append(r.w, ws...)
	r.start = append(r.start, int32(len(r.class)))
	return int32(len(r.start) - 2)
}

// fastTable maps (template, value id) and (template, value id, value id) to rows.
type fastTable struct {
	atomic [][]int32        // [template][value id] -> row, -1 when absent
	pairs  map[uint64]int32 // template<<58 | a<<29 | b -> row
}

func pairKey(t int, a, b int32) uint64 { return uint64(t)<<58 | uint64(a)<<29 | uint64(b) }

func (t *fastTable) row(tmpl int, v int32) int32 {
	if v < 0 {
		return -1
	}
	return t.atomic[tmpl][v]
}

func (t *fastTable) pair(tmpl int, a, b int32) int32 {
	if a < 0 || b < 0 {
		return -1
	}
	if r, ok := t.pairs[pairKey(tmpl, a, b)]; ok {
		return r
	}
	return -1
}

// Perceptron tagger templates, in the order of prose's featurize.
const (
	tagBias        = iota // "bias"
	tagSuffix             // "i suffix" + last three bytes of the raw word
	tagPref1              // "i pref1" + first byte of the raw word
	tagPrevTag            // "i-1 tag" + p1
	tagPrev2Tag           // "i-2 tag" + p2
	tagTagPair            // "i tag+i-2 tag" + p1 + p2
	tagWord               // "i word" + context[i]
	tagPrevTagWord        // "i-1 tag+i word" + p1 + context[i]
	tagPrevWord           // "i-1 word" + context[i-1]
	tagPrevSuffix         // "i-1 suffix" + suffix of context[i-1]
	tagPrev2Word          // "i-2 word" + context[i-2]
	tagNextWord           // "i+1 word" + context[i+1]
	tagNextSuffix         // "i+1 suffix" + suffix of context[i+1]
	tagNext2Word          // "i+2 word" + context[i+2]
	tagTemplates
)

var tagTemplateNames = [tagTemplates]string{
	"bias", "i suffix", "i pref1", "i-1 tag", "i-2 tag", "i tag+i-2 tag", "i word",
	"i-1 tag+i word", "i-1 word", "i-1 suffix", "i-2 word", "i+1 word", "i+1 suffix",
	"i+2 word",
}

// Entity model features, in prose's featureOrder: the order in which prose adds up a
// label's weights, which the float sums here must follow to give the same totals.
const (
	nerBias = iota
	nerWordlist
	nerNextPos
	nerNextWord
	nerPos
	nerPosPrevTag
	nerPrefix3
	nerPrevPos
	nerPrevTag
	nerPrevWord
	nerShape
	nerShapePrevTag
	nerSuffix3
	nerWord
	nerWordNextPos
	nerWordLower
	nerWordLen
	nerFeatures
)

var nerFeatureNames = [nerFeatures]string{
	"bias", "en-wordlist", "nextpos", "nextword", "pos", "pos+prevtag", "prefix3",
	"prevpos", "prevtag", "prevword", "shape", "shape+prevtag", "suffix3", "word",
	"word+nextpos", "word.lower", "wordlen",
}

// fastModel is prose's tagger and entity model in interned form. It is read-only after
// loading and shared by every Engine.
type fastModel struct {
	vocab fastVocab

	// Tagger.
	classes     []string          // the tagger's classes
	classIDs    []int32           // vocab id of each class
	classLowIDs []int32           // vocab id of each class lower-cased (the "nextpos" feature)
	tagDict     map[string]string // prose's tagMap: words with a fixed tag
	tagTable    fastTable
	tagRows     fastRows[int32] // weights times 1000: prose rounds them to 3 decimals
	tagFloats   []float64       // the same weights as prose holds them, to replay its ties
	tagBiasRow  int32
	ctxStartIDs [2]int32 // "-START-", "-START2-"
	ctxEndIDs   [2]int32 // "-END-", "-END2-"
	ctxStartSuf [2]int32
	ctxEndSuf   [2]int32

	// Entity model.
	labels       []string
	labelHist    []string // prose's simplePOS(label): what the history remembers
	labelHistIDs []int32
	nerTable     fastTable
	nerRows      fastRows[float64]
	basicWords   map[string]struct{}
	idTrue       int32
	idFalse      int32
	idNone       int32

	// Process-wide cache of fastWord by token text (see cachedWord).
	words  sync.Map
	nWords atomic.Int64
}

func decodeProseAsset(name string, v any) error {
	b, err := prose.Asset(name)
	if err != nil {
		return fmt.Errorf("read prose asset %s: %w", name, err)
	}
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(v); err != nil {
		return fmt.Errorf("decode prose asset %s: %w", name, err)
	}
	return nil
}

// loadFastModel reads prose's embedded models and interns them.
func loadFastModel() (*fastModel, error) {
	m := &fastModel{vocab: fastVocab{}}
	if err := m.loadTagger(); err != nil {
		return nil, err
	}
	if err := m.loadEntityModel(); err != nil {
		return nil, err
	}
	m.tagTable.finish(m.vocab)
	m.nerTable.finish(m.vocab)
	return m, nil
}

// setAtomic records row for value id v of template tmpl, growing the dense slices as
// the vocabulary grows during loading.
func (t *fastTable) setAtomic(tmpl int, v, row int32) {
	for len(t.atomic) <= tmpl {
		t.atomic = append(t.atomic, nil)
	}
	for int32(len(t.atomic[tmpl])) <= v {
		t.atomic[tmpl] = append(t.atomic[tmpl], -1)
	}
	t.atomic[tmpl][v] = row
}

// finish pads every template's slice to the size of the vocabulary, so a lookup by any
// interned id is in range.
func (t *fastTable) finish(v fastVocab) {
	for i := range t.atomic {
		for len(t.atomic[i]) < len(v) {
			t.atomic[i] = append(t.atomic[i], -1)
		}
	}
}

func (m *fastModel) loadTagger() error {
	var weights map[string]map[string]float64
	if err := decodeProseAsset("model/AveragedPerceptron/classes.gob", &m.classes); err != nil {
		return err
	}
	if err := decodeProseAsset("model/AveragedPerceptron/tags.gob", &m.tagDict); err != nil {
		return err
	}
	if err := decodeProseAsset("model/AveragedPerceptron/weights.gob", &weights); err != nil {
		return err
	}
	if len(m.classes) > 64 {
		return fmt.Errorf("load prose tagger: %d classes, the fast engine handles at most 64", len(m.classes))
	}
	classIndex := make(map[string]int, len(m.classes))
	for i, c := range m.classes {
		classIndex[c] = i
		m.classIDs = append(m.classIDs, m.vocab.intern(c))
		m.classLowIDs = append(m.classLowIDs, m.vocab.intern(strings.ToLower(c)))
	}
	m.tagTable.pairs = map[uint64]int32{}
	m.tagTable.atomic = make([][]int32, tagTemplates)
	m.tagBiasRow = -1

	// Sort the keys so that the tables come out the same on every load.
	keys := make([]string, 0, len(weights))
	for k := range weights {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		row, err := m.tagRow(key, weights[key], classIndex)
		if err != nil {
			return err
		}
		if key == "bias" {
			m.tagBiasRow = row
		}
		// A key is template name + " " + value(s); record it under every template it
		// could have come from (prose's names are such that there is only one).
		for t := tagBias + 1; t < tagTemplates; t++ {
			prefix := tagTemplateNames[t] + " "
			if !strings.HasPrefix(key, prefix) {
				continue
			}
			val := key[len(prefix):]
			switch t {
			case tagTagPair, tagPrevTagWord:
				// Tags hold no space, so the first space separates the two parts.
				sp := strings.IndexByte(val, ' ')
				if sp < 0 {
					continue
				}
				a, b := m.vocab.intern(val[:sp]), m.vocab.intern(val[sp+1:])
				m.tagTable.pairs[pairKey(t, a, b)] = row
			default:
				m.tagTable.setAtomic(t, m.vocab.intern(val), row)
			}
		}
	}
	for _, c := range m.classes {
		if strings.ContainsAny(c, " +") {
			return fmt.Errorf("load prose tagger: class %q holds a separator the fast tables rely on", c)
		}
	}
	for _, t := range m.tagDict {
		if strings.ContainsAny(t, " +") {
			return fmt.Errorf("load prose tagger: fixed tag %q holds a separator the fast tables rely on", t)
		}
	}
	for i, s := range []string{"-START-", "-START2-"} {
		m.ctxStartIDs[i] = m.vocab.intern(s)
		m.ctxStartSuf[i] = m.vocab.intern(lastBytes(s, 3))
	}
	for i, s := range []string{"-END-", "-END2-"} {
		m.ctxEndIDs[i] = m.vocab.intern(s)
		m.ctxEndSuf[i] = m.vocab.intern(lastBytes(s, 3))
	}
	return nil
}

// tagRow stores one feature's class weights as integers: prose's averaged perceptron
// rounds every weight to three decimals, so sums of thousandths are exact and the
// argmax is prose's whenever it is unique (see fastTagger.predict for ties).
func (m *fastModel) tagRow(key string, ws map[string]float64, classIndex map[string]int) (int32, error) {
	classes := make([]uint8, 0, len(ws))
	for c := range ws {
		i, ok := classIndex[c]
		if !ok {
			return 0, fmt.Errorf("load prose tagger: feature %q weighs unknown class %q", key, c)
		}
		classes = append(classes, uint8(i))
	}
	sort.Slice(classes, func(a, b int) bool { return classes[a] < classes[b] })
	ints := make([]int32, len(classes))
	for j, c := range classes {
		m.tagFloats = append(m.tagFloats, ws[m.classes[c]])
		w := ws[m.classes[c]] * 1000
		r := math.Round(w)
		if math.Abs(w-r) > 1e-6 || math.Abs(r) > 1<<26 {
			return 0, fmt.Errorf("load prose tagger: weight %v of %q/%q is not a multiple of 0.001", ws[m.classes[c]], key, m.classes[c])
		}
		ints[j] = int32(r)
	}
	return m.tagRows.add(classes, ints), nil
}

func (m *fastModel) loadEntityModel() error {
	var mapping map[string]int
	var weights []float64
	if err := decodeProseAsset("model/Maxent/mapping.gob", &mapping); err != nil {
		return err
	}
	if err := decodeProseAsset("model/Maxent/weights.gob", &weights); err != nil {
		return err
	}
	if err := decodeProseAsset("model/Maxent/labels.gob", &m.labels); err != nil {
		return err
	}
	if len(m.labels) > 64 {
		return fmt.Errorf("load prose entity model: %d labels, the fast engine handles at most 64", len(m.labels))
	}
	for _, l := range m.labels {
		h := proseSimplePOS(l)
		m.labelHist = append(m.labelHist, h)
		m.labelHistIDs = append(m.labelHistIDs, m.vocab.intern(h))
	}
	m.basicWords = make(map[string]struct{}, len(proseBasicWords))
	for _, w := range proseBasicWords {
		m.basicWords[w] = struct{}{}
	}
	m.idTrue, m.idFalse, m.idNone = m.vocab.intern("True"), m.vocab.intern("False"), m.vocab.intern("None")

	// prose looks up strings.Join([]string{feature, value, label}, "-"). Split every key
	// back into all (feature, value, label) triples that join to it; prose's names make
	// the split unique, but taking them all keeps the tables exact regardless.
	type cell struct {
		label uint8
		w     float64
	}
	type slot struct {
		tmpl int
		a, b int32
	}
	cells := map[slot][]cell{}
	var order []slot
	keys := make([]string, 0, len(mapping))
	for k := range mapping {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		idx := mapping[key]
		if idx < 0 || idx >= len(weights) {
			return fmt.Errorf("load prose entity model: feature %q points past the weights (%d of %d)", key, idx, len(weights))
		}
		for f := 0; f < nerFeatures; f++ {
			prefix := nerFeatureNames[f] + "-"
			if !strings.HasPrefix(key, prefix) {
				continue
			}
			rest := key[len(prefix):]
			for li, l := range m.labels {
				if len(rest) < len(l)+1 || !strings.HasSuffix(rest, "-"+l) {
					continue
				}
				val := rest[:len(rest)-len(l)-1]
				s := slot{tmpl: f, b: -1}
				switch f {
				case nerPosPrevTag, nerShapePrevTag:
					// The first part (a tag or a shape) holds no "+".
					p := strings.IndexByte(val, '+')
					if p < 0 {
						continue
					}
					s.a, s.b = m.vocab.intern(val[:p]), m.vocab.intern(val[p+1:])
				case nerWordNextPos:
					// The second part (a lower-cased tag or "None") holds no "+".
					p := strings.LastIndexByte(val, '+')
					if p < 0 {
						continue
					}
					s.a, s.b = m.vocab.intern(val[:p]), m.vocab.intern(val[p+1:])
				default:
					s.a = m.vocab.intern(val)
				}
				if _, seen := cells[s]; !seen {
					order = append(order, s)
				}
				cells[s] = append(cells[s], cell{label: uint8(li), w: weights[idx]})
			}
		}
	}
	m.nerTable.pairs = map[uint64]int32{}
	m.nerTable.atomic = make([][]int32, nerFeatures)
	for _, s := range order {
		cs := cells[s]
		sort.Slice(cs, func(i, j int) bool { return cs[i].label < cs[j].label })
		labels := make([]uint8, len(cs))
		ws := make([]float64, len(cs))
		for i, c := range cs {
			labels[i], ws[i] = c.label, c.w
		}
		row := m.nerRows.add(labels, ws)
		if s.b >= 0 {
			m.nerTable.pairs[pairKey(s.tmpl, s.a, s.b)] = row
		} else {
			m.nerTable.setAtomic(s.tmpl, s.a, row)
		}
	}
	return nil
}

// lastBytes is s[len(s)-min(len(s), n):], the suffix prose's features take (in bytes,
// so it may cut a multi-byte character as prose does).
func lastBytes(s string, n int) string {
	return s[len(s)-min(len(s), n):]
}

// proseSimplePOS is prose's simplePOS: what the entity model's history keeps of a label.
func proseSimplePOS(pos string) string {
	if strings.HasPrefix(pos, "V") {
		return "v"
	}
	return strings.Split(pos, "-")[0]
}
