package fastprose

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"
	"unsafe"
)

// data/model.bin is the model compiled by `go generate` (CompileModel). Its layout,
// all little-endian: the magic, then sections in a fixed order, each a uint64 byte
// length followed by its bytes and zero padding to a multiple of 8, so that every
// section starts 8-aligned:
//
//	scalars    int32:  tagBiasRow, ctxStartIDs, ctxEndIDs, ctxStartSuf, ctxEndSuf, idTrue, idFalse, idNone
//	vocab      bytes, uint32 offsets, uint32 slots
//	classes    int32 classIDs, int32 classLowIDs (the classes are vocab strings)
//	tagDict    words (string list), tags (string list)
//	tagTable   tagTemplates int32 slices, uint64 pair keys, int32 pair rows
//	tagRows    int32 start, uint8 class, int32 w
//	labels     string list, int32 labelHistIDs
//	nerTable   nerFeatures int32 slices, uint64 pair keys, int32 pair rows
//	nerRows    int32 start, uint8 class, float64 w
//	punkt      4 x (keys: string list, int32 counts)
//
// A string list is its bytes and uint32 offsets (n+1 of them).
//
//go:embed data/model.bin
var compiledModel string

const modelMagic = "FAPMOD01"

// loadFastModel returns the model compiled into the binary: slices of the embedded
// bytes, and a fresh word cache. Each call returns a model of its own (sharing the
// read-only tables).
func loadFastModel() (*fastModel, error) {
	m, err := decodeModel(compiledModel)
	if err != nil {
		return nil, fmt.Errorf("load the compiled model (regenerate it with go generate ./extractors/fastprose): %w", err)
	}
	return m, nil
}

// finishLoad fills what is derived from the stored tables in a few microseconds.
func (m *fastModel) finishLoad() {
	m.labelHist = make([]string, len(m.labels))
	for i, l := range m.labels {
		m.labelHist[i] = proseSimplePOS(l)
	}
	m.basicWords = make(map[string]struct{}, len(proseBasicWords))
	for _, w := range proseBasicWords {
		m.basicWords[w] = struct{}{}
	}
}

// modelWriter appends sections.
type modelWriter struct{ b []byte }

func (w *modelWriter) section(p []byte) {
	w.b = binary.LittleEndian.AppendUint64(w.b, uint64(len(p)))
	w.b = append(w.b, p...)
	for len(w.b)%8 != 0 {
		w.b = append(w.b, 0)
	}
}

func (w *modelWriter) int32s(s []int32) {
	p := make([]byte, 0, 4*len(s))
	for _, x := range s {
		p = binary.LittleEndian.AppendUint32(p, uint32(x))
	}
	w.section(p)
}

func (w *modelWriter) uint32s(s []uint32) {
	p := make([]byte, 0, 4*len(s))
	for _, x := range s {
		p = binary.LittleEndian.AppendUint32(p, x)
	}
	w.section(p)
}

func (w *modelWriter) uint64s(s []uint64) {
	p := make([]byte, 0, 8*len(s))
	for _, x := range s {
		p = binary.LittleEndian.AppendUint64(p, x)
	}
	w.section(p)
}

func (w *modelWriter) float64s(s []float64) {
	p := make([]byte, 0, 8*len(s))
	for _, x := range s {
		p = binary.LittleEndian.AppendUint64(p, math.Float64bits(x))
	}
	w.section(p)
}

func (w *modelWriter) strings(s []string) {
	var p []byte
	off := make([]uint32, 0, len(s)+1)
	for _, x := range s {
		off = append(off, uint32(len(p)))
		p = append(p, x...)
	}
	off = append(off, uint32(len(p)))
	w.section(p)
	w.uint32s(off)
}

func (w *modelWriter) table(t *fastTable, templates int) {
	for i := 0; i < templates; i++ {
		var s []int32
		if i < len(t.atomic) {
			s = t.atomic[i]
		}
		w.int32s(s)
	}
	w.uint64s(t.pairKeys)
	w.int32s(t.pairRows)
}

// encodeModel writes m in data/model.bin's layout.
func encodeModel(m *fastModel) []byte {
	w := &modelWriter{b: []byte(modelMagic)}
	w.int32s([]int32{m.tagBiasRow, m.ctxStartIDs[0], m.ctxStartIDs[1], m.ctxEndIDs[0], m.ctxEndIDs[1],
		m.ctxStartSuf[0], m.ctxStartSuf[1], m.ctxEndSuf[0], m.ctxEndSuf[1], m.idTrue, m.idFalse, m.idNone})
	w.section([]byte(m.vocab.strs))
	w.uint32s(m.vocab.off)
	w.uint32s(m.vocab.slots)
	w.int32s(m.classIDs)
	w.int32s(m.classLowIDs)
	words := make([]string, 0, len(m.tagDict))
	for k := range m.tagDict {
		words = append(words, k)
	}
	sort.Strings(words)
	tags := make([]string, len(words))
	for i, k := range words {
		tags[i] = m.tagDict[k]
	}
	w.strings(words)
	w.strings(tags)
	w.table(&m.tagTable, tagTemplates)
	w.int32s(m.tagRows.start)
	w.section(m.tagRows.class)
	w.int32s(m.tagRows.w)
	w.strings(m.labels)
	w.int32s(m.labelHistIDs)
	w.table(&m.nerTable, nerFeatures)
	w.int32s(m.nerRows.start)
	w.section(m.nerRows.class)
	w.float64s(m.nerRows.w)
	for _, ps := range m.punkt {
		w.strings(ps.keys)
		w.int32s(ps.vals)
	}
	return w.b
}

// modelReader reads sections as slices of the data it was given, which must not
// change afterwards. When the host is little-endian and a section is 8-aligned in
// memory (always, once the whole blob is), the slices point into the data itself.
type modelReader struct {
	data string
	pos  int
	err  error
}

var littleEndian = func() bool { x := uint16(1); return *(*byte)(unsafe.Pointer(&x)) == 1 }()

func (r *modelReader) section() string {
	if r.err != nil {
		return ""
	}
	if r.pos+8 > len(r.data) {
		r.err = errors.New("truncated")
		return ""
	}
	n := binary.LittleEndian.Uint64([]byte(r.data[r.pos : r.pos+8]))
	r.pos += 8
	if n > uint64(len(r.data)-r.pos) {
		r.err = errors.New("truncated")
		return ""
	}
	s := r.data[r.pos : r.pos+int(n)]
	r.pos += int(n+7) &^ 7
	return s
}

// view is the section s as a []T of the data itself, or nil when it cannot be.
func view[T any](s string) []T {
	var z T
	size := int(unsafe.Sizeof(z))
	if len(s) == 0 || !littleEndian || uintptr(unsafe.Pointer(unsafe.StringData(s)))%uintptr(unsafe.Alignof(z)) != 0 || len(s)%size != 0 {
		return nil
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.StringData(s))), len(s)/size)
}

func (r *modelReader) int32s() []int32 {
	s := r.section()
	if v := view[int32](s); v != nil {
		return v
	}
	out := make([]int32, len(s)/4)
	for i := range out {
		out[i] = int32(binary.LittleEndian.Uint32([]byte(s[4*i:])))
	}
	return out
}

func (r *modelReader) uint32s() []uint32 {
	s := r.section()
	if v := view[uint32](s); v != nil {
		return v
	}
	out := make([]uint32, len(s)/4)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32([]byte(s[4*i:]))
	}
	return out
}

func (r *modelReader) uint64s() []uint64 {
	s := r.section()
	if v := view[uint64](s); v != nil {
		return v
	}
	out := make([]uint64, len(s)/8)
	for i := range out {
		out[i] = binary.LittleEndian.Uint64([]byte(s[8*i:]))
	}
	return out
}

func (r *modelReader) float64s() []float64 {
	s := r.section()
	if v := view[float64](s); v != nil {
		return v
	}
	out := make([]float64, len(s)/8)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64([]byte(s[8*i:])))
	}
	return out
}

func (r *modelReader) bytes() []uint8 {
	s := r.section()
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// strings reads a string list: strings of the data, one small allocation for the list.
func (r *modelReader) strings() []string {
	p := r.section()
	off := r.uint32s()
	if r.err != nil || len(off) == 0 {
		return nil
	}
	out := make([]string, len(off)-1)
	for i := range out {
		if off[i] > off[i+1] || int(off[i+1]) > len(p) {
			r.err = errors.New("bad string offsets")
			return nil
		}
		out[i] = p[off[i]:off[i+1]]
	}
	return out
}

func (r *modelReader) table(t *fastTable, templates int) {
	t.atomic = make([][]int32, templates)
	for i := range t.atomic {
		t.atomic[i] = r.int32s()
	}
	t.pairKeys = r.uint64s()
	t.pairRows = r.int32s()
}

// aligned returns data, or a copy of it that starts 8-aligned in memory.
func aligned(data string) string {
	if len(data) == 0 || uintptr(unsafe.Pointer(unsafe.StringData(data)))%8 == 0 {
		return data
	}
	buf := make([]uint64, (len(data)+7)/8)
	b := unsafe.Slice((*byte)(unsafe.Pointer(&buf[0])), len(data))
	copy(b, data)
	return unsafe.String(&b[0], len(data))
}

// decodeModel reads a model in data/model.bin's layout. It checks the structure
// (lengths and every index the engine follows) so that a damaged file fails here,
// not in the middle of a document.
func decodeModel(data string) (*fastModel, error) {
	if len(data) < len(modelMagic) || data[:len(modelMagic)] != modelMagic {
		return nil, errors.New("not a compiled fast-engine model")
	}
	data = aligned(data)
	r := &modelReader{data: data, pos: len(modelMagic)}
	m := &fastModel{}
	sc := r.int32s()
	if r.err == nil && len(sc) != 12 {
		r.err = errors.New("bad scalars")
	}
	if r.err == nil {
		m.tagBiasRow = sc[0]
		copy(m.ctxStartIDs[:], sc[1:3])
		copy(m.ctxEndIDs[:], sc[3:5])
		copy(m.ctxStartSuf[:], sc[5:7])
		copy(m.ctxEndSuf[:], sc[7:9])
		m.idTrue, m.idFalse, m.idNone = sc[9], sc[10], sc[11]
	}
	m.vocab.strs = r.section()
	m.vocab.off = r.uint32s()
	m.vocab.slots = r.uint32s()
	m.classIDs = r.int32s()
	m.classLowIDs = r.int32s()
	words, tags := r.strings(), r.strings()
	r.table(&m.tagTable, tagTemplates)
	m.tagRows.start = r.int32s()
	m.tagRows.class = r.bytes()
	m.tagRows.w = r.int32s()
	m.labels = r.strings()
	m.labelHistIDs = r.int32s()
	r.table(&m.nerTable, nerFeatures)
	m.nerRows.start = r.int32s()
	m.nerRows.class = r.bytes()
	m.nerRows.w = r.float64s()
	for i := range m.punkt {
		m.punkt[i].keys = r.strings()
		m.punkt[i].vals = r.int32s()
	}
	if r.err != nil {
		return nil, r.err
	}
	if r.pos != len(data) {
		return nil, errors.New("trailing bytes")
	}
	if err := m.checkShape(len(words), len(tags)); err != nil {
		return nil, err
	}
	m.classes = make([]string, len(m.classIDs))
	for i, id := range m.classIDs {
		m.classes[i] = m.vocab.str(id)
	}
	m.tagDict = make(map[string]string, len(words))
	for i, w := range words {
		m.tagDict[w] = tags[i]
	}
	m.finishLoad()
	return m, nil
}

// checkShape verifies what costs nothing to check: the lengths of the tables and the
// few ids the engine uses directly. check (run by the tests) verifies every index.
func (m *fastModel) checkShape(nWords, nTags int) error {
	v := &m.vocab
	n := len(v.off) - 1
	if n < 0 || v.off[n] != uint32(len(v.strs)) || len(v.slots) == 0 || len(v.slots)&(len(v.slots)-1) != 0 || len(v.slots) <= n {
		return errors.New("bad vocabulary")
	}
	inVocab := func(ids ...int32) bool {
		for _, id := range ids {
			if id < 0 || int(id) >= n {
				return false
			}
		}
		return true
	}
	if nWords != nTags || len(m.classIDs) != len(m.classLowIDs) || len(m.classIDs) > 64 || len(m.labels) > 64 ||
		len(m.labels) == 0 || len(m.labelHistIDs) != len(m.labels) ||
		!inVocab(m.classIDs...) || !inVocab(m.classLowIDs...) || !inVocab(m.labelHistIDs...) ||
		!inVocab(m.ctxStartIDs[0], m.ctxStartIDs[1], m.ctxEndIDs[0], m.ctxEndIDs[1], m.ctxStartSuf[0], m.ctxStartSuf[1],
			m.ctxEndSuf[0], m.ctxEndSuf[1], m.idTrue, m.idFalse, m.idNone) {
		return errors.New("bad classes, labels or ids")
	}
	if len(m.tagRows.start) == 0 || len(m.tagRows.class) != len(m.tagRows.w) {
		return errors.New("bad tagger rows")
	}
	if len(m.nerRows.start) == 0 || len(m.nerRows.class) != len(m.nerRows.w) {
		return errors.New("bad entity rows")
	}
	for _, ps := range m.punkt {
		if len(ps.keys) != len(ps.vals) {
			return errors.New("bad punkt parameters")
		}
	}
	if len(m.tagTable.pairKeys) == 0 || len(m.tagTable.pairKeys) != len(m.tagTable.pairRows) ||
		len(m.nerTable.pairKeys) == 0 || len(m.nerTable.pairKeys) != len(m.nerTable.pairRows) {
		return errors.New("bad pair tables")
	}
	return nil
}

// check verifies every offset, id, row and class index the engine follows, reading
// every table once: what the tests ask of the compiled model beyond checkShape.
func (m *fastModel) check() error {
	v := &m.vocab
	n := len(v.off) - 1
	for i := 0; i < n; i++ {
		if v.off[i] > v.off[i+1] {
			return errors.New("bad vocabulary offsets")
		}
	}
	for _, s := range v.slots {
		if int(s) > n {
			return errors.New("bad vocabulary slot")
		}
	}
	if err := checkRows(m.tagRows.start, m.tagRows.class, len(m.tagRows.w), len(m.classIDs)); err != nil {
		return fmt.Errorf("tagger: %w", err)
	}
	if err := checkRows(m.nerRows.start, m.nerRows.class, len(m.nerRows.w), len(m.labels)); err != nil {
		return fmt.Errorf("entity model: %w", err)
	}
	nTagRows, nNERRows := int32(len(m.tagRows.start)-1), int32(len(m.nerRows.start)-1)
	if m.tagBiasRow < -1 || m.tagBiasRow >= nTagRows {
		return errors.New("bad bias row")
	}
	if err := checkTable(&m.tagTable, nTagRows); err != nil {
		return fmt.Errorf("tagger: %w", err)
	}
	if err := checkTable(&m.nerTable, nNERRows); err != nil {
		return fmt.Errorf("entity model: %w", err)
	}
	return nil
}

func checkRows(start []int32, class []uint8, nw, nClasses int) error {
	if len(start) == 0 || start[0] != 0 || int(start[len(start)-1]) != len(class) || len(class) != nw {
		return errors.New("bad rows")
	}
	for i := 1; i < len(start); i++ {
		if start[i] < start[i-1] {
			return errors.New("bad row starts")
		}
	}
	for _, c := range class {
		if int(c) >= nClasses {
			return errors.New("bad row class")
		}
	}
	return nil
}

func checkTable(t *fastTable, nRows int32) error {
	for _, a := range t.atomic {
		for _, r := range a {
			if r < -1 || r >= nRows {
				return errors.New("bad row index")
			}
		}
	}
	if len(t.pairKeys) == 0 || len(t.pairKeys)&(len(t.pairKeys)-1) != 0 || len(t.pairRows) != len(t.pairKeys) {
		return errors.New("bad pair table")
	}
	empty := false
	for i, k := range t.pairKeys {
		if k == 0 {
			empty = true
		} else if r := t.pairRows[i]; r < 0 || r >= nRows {
			return errors.New("bad pair row")
		}
	}
	if !empty {
		return errors.New("full pair table")
	}
	return nil
}
