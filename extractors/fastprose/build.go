package fastprose

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/jdkato/prose/v2"
	"gopkg.in/neurosnap/sentences.v1"
	"gopkg.in/neurosnap/sentences.v1/data"

	"github.com/framealign/framealign/internal/openaddr"
)

// This file builds the model from prose's own embedded assets (gob-encoded maps of
// feature strings). It is the slow path, 1.2 seconds of decoding and map building:
// `go generate` runs it once to compile data/model.bin (see compiled.go), and the tests
// run it to check that file against prose. The engine itself never calls it.

// CompileModel builds the fast engine's model from prose's assets and returns it in
// the compiled form that data/model.bin holds (what `go generate` writes).
func CompileModel() ([]byte, error) {
	m, err := buildFastModel()
	if err != nil {
		return nil, err
	}
	return encodeModel(m), nil
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

// modelBuilder holds what building needs beyond the model: the vocabulary and the pair
// tables as maps, turned into the model's flat tables at the end.
type modelBuilder struct {
	m        *fastModel
	vocab    map[string]int32
	words    []string
	tagPairs map[uint64]int32
	nerPairs map[uint64]int32
}

func (b *modelBuilder) intern(s string) int32 {
	if id, ok := b.vocab[s]; ok {
		return id
	}
	id := int32(len(b.words))
	b.vocab[s] = id
	b.words = append(b.words, s)
	return id
}

// buildFastModel reads prose's embedded models and interns them.
func buildFastModel() (*fastModel, error) {
	b := &modelBuilder{m: &fastModel{}, vocab: map[string]int32{}, tagPairs: map[uint64]int32{}, nerPairs: map[uint64]int32{}}
	if err := b.loadTagger(); err != nil {
		return nil, err
	}
	if err := b.loadEntityModel(); err != nil {
		return nil, err
	}
	if err := b.loadPunkt(); err != nil {
		return nil, err
	}
	m := b.m
	m.vocab = newFastVocab(b.words)
	m.tagTable.pairKeys, m.tagTable.pairRows = openaddr.Layout(b.tagPairs, pairHash)
	m.nerTable.pairKeys, m.nerTable.pairRows = openaddr.Layout(b.nerPairs, pairHash)
	m.finishLoad()
	return m, nil
}

// newFastVocab lays out words (id order) as a fastVocab.
func newFastVocab(words []string) fastVocab {
	var v fastVocab
	var sb strings.Builder
	v.off = make([]uint32, 0, len(words)+1)
	for _, w := range words {
		v.off = append(v.off, uint32(sb.Len()))
		sb.WriteString(w)
	}
	v.off = append(v.off, uint32(sb.Len()))
	v.strs = sb.String()
	n := openaddr.Size(len(words))
	v.slots = make([]uint32, n)
	mask := uint64(n - 1)
	for id, w := range words {
		i := vocabHash(w) & mask
		for v.slots[i] != 0 {
			i = (i + 1) & mask
		}
		v.slots[i] = uint32(id) + 1
	}
	return v
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

func (r *fastRows[W]) add(classes []uint8, ws []W) int32 {
	if len(r.start) == 0 {
		r.start = append(r.start, 0)
	}
	r.class = append(r.class, classes...)
	r.w = append(r.w, ws...)
	r.start = append(r.start, int32(len(r.class)))
	return int32(len(r.start) - 2)
}

func (b *modelBuilder) loadTagger() error {
	m := b.m
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
		m.classIDs = append(m.classIDs, b.intern(c))
		m.classLowIDs = append(m.classLowIDs, b.intern(strings.ToLower(c)))
	}
	m.tagTable.atomic = make([][]int32, tagTemplates)
	m.tagBiasRow = -1

	// Sort the keys so that the tables come out the same on every load.
	keys := make([]string, 0, len(weights))
	for k := range weights {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		row, err := b.tagRow(key, weights[key], classIndex)
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
				x, y := b.intern(val[:sp]), b.intern(val[sp+1:])
				b.tagPairs[pairKey(t, x, y)] = row
			default:
				m.tagTable.setAtomic(t, b.intern(val), row)
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
		m.ctxStartIDs[i] = b.intern(s)
		m.ctxStartSuf[i] = b.intern(lastBytes(s, 3))
	}
	for i, s := range []string{"-END-", "-END2-"} {
		m.ctxEndIDs[i] = b.intern(s)
		m.ctxEndSuf[i] = b.intern(lastBytes(s, 3))
	}
	return nil
}

// tagRow stores one feature's class weights as integers: prose's averaged perceptron
// rounds every weight to three decimals, so sums of thousandths are exact and the
// argmax is prose's whenever it is unique (see fastTagger.predict for ties). Each of
// prose's float64 weights must be exactly float64(thousandths)/1000, which is what
// breakTagTie adds up in prose's place.
func (b *modelBuilder) tagRow(key string, ws map[string]float64, classIndex map[string]int) (int32, error) {
	m := b.m
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
		f := ws[m.classes[c]]
		r := math.Round(f * 1000)
		if math.Abs(r) > 1<<26 || float64(int32(r))/1000 != f {
			return 0, fmt.Errorf("load prose tagger: weight %v of %q/%q is not exactly thousandths/1000", f, key, m.classes[c])
		}
		ints[j] = int32(r)
	}
	return m.tagRows.add(classes, ints), nil
}

func (b *modelBuilder) loadEntityModel() error {
	m := b.m
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
		m.labelHistIDs = append(m.labelHistIDs, b.intern(proseSimplePOS(l)))
	}
	m.idTrue, m.idFalse, m.idNone = b.intern("True"), b.intern("False"), b.intern("None")

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
					s.a, s.b = b.intern(val[:p]), b.intern(val[p+1:])
				case nerWordNextPos:
					// The second part (a lower-cased tag or "None") holds no "+".
					p := strings.LastIndexByte(val, '+')
					if p < 0 {
						continue
					}
					s.a, s.b = b.intern(val[:p]), b.intern(val[p+1:])
				default:
					s.a = b.intern(val)
				}
				if _, seen := cells[s]; !seen {
					order = append(order, s)
				}
				cells[s] = append(cells[s], cell{label: uint8(li), w: weights[idx]})
			}
		}
	}
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
			b.nerPairs[pairKey(s.tmpl, s.a, s.b)] = row
		} else {
			m.nerTable.setAtomic(s.tmpl, s.a, row)
		}
	}
	return nil
}

// proseSimplePOS is prose's simplePOS: what the entity model's history keeps of a label.
func proseSimplePOS(pos string) string {
	if strings.HasPrefix(pos, "V") {
		return "v"
	}
	return strings.Split(pos, "-")[0]
}

// loadPunkt reads punkt's English parameters, as prose's segmenter does.
func (b *modelBuilder) loadPunkt() error {
	raw, err := data.Asset("data/english.json")
	if err != nil {
		return fmt.Errorf("read punkt english parameters: %w", err)
	}
	training, err := sentences.LoadTraining(raw)
	if err != nil {
		return fmt.Errorf("decode punkt english parameters: %w", err)
	}
	for i, set := range punktSets(training) {
		ps := &b.m.punkt[i]
		for k := range set {
			ps.keys = append(ps.keys, k)
		}
		sort.Strings(ps.keys)
		for _, k := range ps.keys {
			v := set[k]
			if int(int32(v)) != v {
				return fmt.Errorf("punkt english parameters: %q counts %d", k, v)
			}
			ps.vals = append(ps.vals, int32(v))
		}
	}
	return nil
}

// punktSets are the sets of punkt's parameters, in the order fastModel.punkt keeps them.
func punktSets(s *sentences.Storage) [4]sentences.SetString {
	return [4]sentences.SetString{s.AbbrevTypes, s.Collocations, s.SentStarters, s.OrthoContext}
}
