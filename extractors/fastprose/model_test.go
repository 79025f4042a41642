package fastprose

import (
	"bytes"
	"testing"

	"gopkg.in/neurosnap/sentences.v1"
	"gopkg.in/neurosnap/sentences.v1/data"
)

// TestFastModelHoldsEveryProseWeight checks the compiled tables (the model the engine
// loads from data/model.bin) against prose's own assets: every feature key of the
// tagger and every (feature, value, label) key of the entity model is reachable from
// exactly one table cell, with the same weight, bit for bit.
func TestFastModelHoldsEveryProseWeight(t *testing.T) {
	m := newFast(t).model
	words := make([]string, m.vocab.size())
	for id := range words {
		words[id] = m.vocab.str(int32(id))
		if got := m.vocab.id(words[id]); got != int32(id) {
			t.Fatalf("vocabulary: %q is id %d, its lookup gives %d", words[id], id, got)
		}
	}
	unpair := func(k uint64) (tmpl int, a, b string) {
		return int(k >> 58), words[(k>>29)&(1<<29-1)], words[k&(1<<29-1)]
	}
	pairs := func(tb *fastTable, f func(k uint64, row int32)) {
		for i, k := range tb.pairKeys {
			if k != 0 {
				tmpl, a, b := int(k>>58), int32((k>>29)&(1<<29-1)), int32(k&(1<<29-1))
				if got := tb.pair(tmpl, a, b); got != tb.pairRows[i] {
					t.Fatalf("pair table: key %x at slot %d is row %d, its lookup gives %d", k, i, tb.pairRows[i], got)
				}
				f(k, tb.pairRows[i])
			}
		}
	}

	var tagWeights map[string]map[string]float64
	if err := decodeProseAsset("model/AveragedPerceptron/weights.gob", &tagWeights); err != nil {
		t.Fatal(err)
	}
	checkTagRow := func(key string, row int32) {
		want, ok := tagWeights[key]
		if !ok {
			t.Fatalf("tagger table has %q, prose's weights do not", key)
		}
		r := &m.tagRows
		if got := int(r.start[row+1] - r.start[row]); got != len(want) {
			t.Fatalf("tagger feature %q: %d class weights, prose has %d", key, got, len(want))
		}
		for k := r.start[row]; k < r.start[row+1]; k++ {
			// The integer is what predictTag adds; float64(w)/1000 is what breakTagTie
			// adds in prose's place: both must be prose's weight exactly.
			if w, ok := want[m.classes[r.class[k]]]; !ok || float64(r.w[k])/1000 != w {
				t.Fatalf("tagger feature %q class %s: %d thousandths, prose %v", key, m.classes[r.class[k]], r.w[k], w)
			}
		}
	}
	cells := 1
	checkTagRow("bias", m.tagBiasRow)
	for tmpl, rows := range m.tagTable.atomic {
		for v, row := range rows {
			if row >= 0 {
				checkTagRow(tagTemplateNames[tmpl]+" "+words[v], row)
				cells++
			}
		}
	}
	pairs(&m.tagTable, func(k uint64, row int32) {
		tmpl, a, b := unpair(k)
		checkTagRow(tagTemplateNames[tmpl]+" "+a+" "+b, row)
		cells++
	})
	if cells != len(tagWeights) {
		t.Errorf("tagger tables hold %d features, prose has %d", cells, len(tagWeights))
	}

	var classes []string
	var tagDict map[string]string
	if err := decodeProseAsset("model/AveragedPerceptron/classes.gob", &classes); err != nil {
		t.Fatal(err)
	}
	if err := decodeProseAsset("model/AveragedPerceptron/tags.gob", &tagDict); err != nil {
		t.Fatal(err)
	}
	if len(classes) != len(m.classes) {
		t.Fatalf("%d tagger classes, prose has %d", len(m.classes), len(classes))
	}
	for i, c := range classes {
		if m.classes[i] != c {
			t.Fatalf("tagger class %d is %q, prose's %q", i, m.classes[i], c)
		}
	}
	if len(tagDict) != len(m.tagDict) {
		t.Fatalf("%d fixed tags, prose has %d", len(m.tagDict), len(tagDict))
	}
	for w, tag := range tagDict {
		if m.tagDict[w] != tag {
			t.Fatalf("fixed tag of %q is %q, prose's %q", w, m.tagDict[w], tag)
		}
	}

	var mapping map[string]int
	var weights []float64
	var labels []string
	if err := decodeProseAsset("model/Maxent/mapping.gob", &mapping); err != nil {
		t.Fatal(err)
	}
	if err := decodeProseAsset("model/Maxent/weights.gob", &weights); err != nil {
		t.Fatal(err)
	}
	if err := decodeProseAsset("model/Maxent/labels.gob", &labels); err != nil {
		t.Fatal(err)
	}
	if len(labels) != len(m.labels) {
		t.Fatalf("%d entity labels, prose has %d", len(m.labels), len(labels))
	}
	for i, l := range labels {
		if m.labels[i] != l {
			t.Fatalf("entity label %d is %q, prose's %q", i, m.labels[i], l)
		}
	}
	entries := 0
	checkNERRow := func(feature, value string, row int32) {
		r := &m.nerRows
		for k := r.start[row]; k < r.start[row+1]; k++ {
			key := feature + "-" + value + "-" + m.labels[r.class[k]]
			idx, ok := mapping[key]
			if !ok || weights[idx] != r.w[k] {
				t.Fatalf("entity table has %q = %v; prose: present %v", key, r.w[k], ok)
			}
			entries++
		}
	}
	for f, rows := range m.nerTable.atomic {
		for v, row := range rows {
			if row >= 0 {
				checkNERRow(nerFeatureNames[f], words[v], row)
			}
		}
	}
	pairs(&m.nerTable, func(k uint64, row int32) {
		f, a, b := unpair(k)
		checkNERRow(nerFeatureNames[f], a+"+"+b, row)
	})
	if entries != len(mapping) {
		t.Errorf("entity tables hold %d weights, prose has %d", entries, len(mapping))
	}
}

// TestCompiledModelIsCurrent compiles the model from prose's assets again and
// requires data/model.bin to be that, byte for byte: a stale file (prose upgraded, the
// builder or the layout changed) fails here. Fix: go generate ./extractors/fastprose.
func TestCompiledModelIsCurrent(t *testing.T) {
	want, err := CompileModel()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, []byte(compiledModel)) {
		t.Fatalf("data/model.bin (%d bytes) is not what the generator makes now (%d bytes): run go generate ./extractors/fastprose", len(compiledModel), len(want))
	}
	built, err := buildFastModel()
	if err != nil {
		t.Fatal(err)
	}
	if err := built.check(); err != nil {
		t.Fatalf("built model: %v", err)
	}
}

// TestCompiledModelIndexes checks every index of the loaded model once.
func TestCompiledModelIndexes(t *testing.T) {
	m, err := loadFastModel()
	if err != nil {
		t.Fatal(err)
	}
	if err := m.check(); err != nil {
		t.Fatal(err)
	}
}

// TestDecodeModelDamaged cuts and corrupts the compiled model: decoding fails with an
// error, never a panic.
func TestDecodeModelDamaged(t *testing.T) {
	for _, n := range []int{0, 7, 8, 9, 100, len(compiledModel) / 2, len(compiledModel) - 1} {
		if _, err := decodeModel(compiledModel[:n]); err == nil {
			t.Errorf("model cut to %d bytes: no error", n)
		}
	}
	if _, err := decodeModel(compiledModel + "\x00\x00\x00\x00\x00\x00\x00\x00"); err == nil {
		t.Error("model with trailing bytes: no error")
	}
	// An odd start address: the reader copies, and reads the same model.
	odd := ("x" + compiledModel)[1:]
	m, err := decodeModel(odd)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.check(); err != nil {
		t.Fatal(err)
	}
}

// TestCompiledPunktIsPunkts checks the compiled punkt parameters against punkt's own
// data/english.json, and that a segmenter's additions do not reach the shared model.
func TestCompiledPunktIsPunkts(t *testing.T) {
	raw, err := data.Asset("data/english.json")
	if err != nil {
		t.Fatal(err)
	}
	want, err := sentences.LoadTraining(raw)
	if err != nil {
		t.Fatal(err)
	}
	m, err := loadFastModel()
	if err != nil {
		t.Fatal(err)
	}
	seg, err := newProseSegmenter(m)
	if err != nil {
		t.Fatal(err)
	}
	for i, set := range punktSets(want) {
		ps := m.punkt[i]
		if len(ps.keys) != len(set) {
			t.Fatalf("punkt set %d: %d entries, punkt has %d", i, len(ps.keys), len(set))
		}
		for j, k := range ps.keys {
			if v, ok := set[k]; !ok || v != int(ps.vals[j]) {
				t.Fatalf("punkt set %d: %q = %d, punkt: %d (present %v)", i, k, ps.vals[j], v, ok)
			}
		}
	}
	got := seg.tokenizer.Storage
	for _, abbr := range []string{"sgt", "gov", "no", "mt"} {
		want.AbbrevTypes.Add(abbr)
	}
	for i, set := range punktSets(want) {
		if g := punktSets(got)[i]; len(g) != len(set) {
			t.Fatalf("segmenter's punkt set %d: %d entries, want %d", i, len(g), len(set))
		}
	}
}
