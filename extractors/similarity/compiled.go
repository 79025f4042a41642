package similarity

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unsafe"
)

// The compiled IDF table (data/idf.bin), all little-endian: the magic, the header
// line's length (uint64) and the line, zero-padded to a multiple of 8; the number of
// terms and of slots (uint64 each); the slots' keys (uint64) and idfs (float32).
const idfMagic = "FAIDF001"

// CompileIDFTable parses a table in data/idf.tsv's format and returns it in
// data/idf.bin's layout (what `go generate` writes).
func CompileIDFTable(tsv []byte) ([]byte, error) {
	t, err := ParseIDFTable(tsv)
	if err != nil {
		return nil, err
	}
	header, _, _ := cutLine(tsv)
	b := []byte(idfMagic)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(header)))
	b = append(b, header...)
	for len(b)%8 != 0 {
		b = append(b, 0)
	}
	b = binary.LittleEndian.AppendUint64(b, uint64(t.terms))
	b = binary.LittleEndian.AppendUint64(b, uint64(len(t.keys)))
	for _, k := range t.keys {
		b = binary.LittleEndian.AppendUint64(b, k)
	}
	for _, w := range t.idfs {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(w))
	}
	return b, nil
}

func cutLine(b []byte) (line, rest []byte, ok bool) {
	for i, c := range b {
		if c == '\n' {
			return b[:i], b[i+1:], true
		}
	}
	return b, nil, false
}

var littleEndian = func() bool { x := uint16(1); return *(*byte)(unsafe.Pointer(&x)) == 1 }()

// decodeIDFTable reads data/idf.bin's layout. On a little-endian machine, with the
// data 8-aligned in memory, the table's slices are the data itself.
func decodeIDFTable(data string) (*IDFTable, error) {
	bad := errors.New("damaged compiled idf table")
	u64 := func(at int) uint64 { return binary.LittleEndian.Uint64([]byte(data[at : at+8])) }
	if len(data) < len(idfMagic)+8 || data[:len(idfMagic)] != idfMagic {
		return nil, bad
	}
	pos := len(idfMagic)
	hl := u64(pos)
	pos += 8
	if hl > uint64(len(data)-pos) {
		return nil, bad
	}
	header := data[pos : pos+int(hl)]
	pos += int(hl+7) &^ 7
	if pos+16 > len(data) {
		return nil, bad
	}
	terms, n := u64(pos), u64(pos+8)
	pos += 16
	if n == 0 || n&(n-1) != 0 || terms >= n || uint64(len(data)-pos) != 12*n {
		return nil, bad
	}
	t, err := parseIDFHeader(header)
	if err != nil {
		return nil, err
	}
	t.terms = int(terms)
	keys, idfs := data[pos:pos+8*int(n)], data[pos+8*int(n):]
	if p := uintptr(unsafe.Pointer(unsafe.StringData(keys))); littleEndian && p%8 == 0 {
		t.keys = unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.StringData(keys))), n)
		t.idfs = unsafe.Slice((*float32)(unsafe.Pointer(unsafe.StringData(idfs))), n)
	} else {
		t.keys, t.idfs = make([]uint64, n), make([]float32, n)
		for i := range t.keys {
			t.keys[i] = binary.LittleEndian.Uint64([]byte(keys[8*i:]))
			t.idfs[i] = math.Float32frombits(binary.LittleEndian.Uint32([]byte(idfs[4*i:])))
		}
	}
	return t, nil
}

// compiledIDFTable is DefaultIDFTable's work: the embedded compiled table.
func compiledIDFTable() (*IDFTable, error) {
	t, err := decodeIDFTable(idfCompiled)
	if err != nil {
		return nil, fmt.Errorf("embedded data/idf.bin (regenerate it with go generate ./extractors/similarity): %w", err)
	}
	return t, nil
}
