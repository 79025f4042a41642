package output

import (
	"errors"
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"
)

// SentenceCountry is a country named in one sentence of a document: the part of an
// entities.parquet row that re-scoring needs (the actors of matches and phrases, and
// the conditions' state setting, which reads the mention's offsets and label to tell
// a population, "Americans", from a state). Asked for, a city is one too: a row
// without iso3 whose Canonical the caller keeps (the cue class {city}).
type SentenceCountry struct {
	Sentence   int
	ISO3       string
	Start, End int // char_start, char_end: byte offsets in the document text
	Label      string
	Canonical  string // a city's, when cities are asked for; "" for a country
}

// sentenceCountryColumns are the columns ReadSentenceCountries reads, in order.
var sentenceCountryColumns = []string{"doc_id", "sentence_index", "iso3", "char_start", "char_end", "label"}

// ReadSentenceCountries reads, from the entities table at path, the countries each
// document names, by sentence, in table order. It reads only the columns doc_id,
// sentence_index, iso3, char_start, char_end and label, value by value, several times
// faster than ReadRows. With city not nil it also reads canonical, and keeps the GPE
// rows without a code whose canonical name city accepts (with their Canonical).
func ReadSentenceCountries(path string, city func(canonical string) bool) (map[string][]SentenceCountry, error) {
	f, pf, err := openParquet(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names := sentenceCountryColumns
	if city != nil {
		names = append(names[:len(names):len(names)], "canonical")
	}
	cols := make([]int, len(names))
	for i, name := range names {
		leaf, ok := pf.Schema().Lookup(name)
		if !ok {
			return nil, fmt.Errorf("read %s: no column %s", path, name)
		}
		cols[i] = leaf.ColumnIndex
	}
	out := map[string][]SentenceCountry{}
	strs := map[string]string{} // one string per country code and label
	intern := func(b []byte) string {
		s, ok := strs[string(b)]
		if !ok {
			s = string(b)
			strs[s] = s
		}
		return s
	}
	vals := make([][]parquet.Value, len(cols))
	for _, rg := range pf.RowGroups() {
		chunks := rg.ColumnChunks()
		for c := range cols {
			if vals[c], err = columnValues(chunks[cols[c]], vals[c][:0]); err != nil {
				return nil, fmt.Errorf("read %s: %w", path, err)
			}
			if len(vals[c]) != len(vals[0]) {
				return nil, fmt.Errorf("read %s: columns of unequal length", path)
			}
		}
		docs, sents, isos, starts, ends, labels := vals[0], vals[1], vals[2], vals[3], vals[4], vals[5]
		for i := range isos {
			sc := SentenceCountry{Sentence: int(sents[i].Int64()), Start: int(starts[i].Int64()), End: int(ends[i].Int64())}
			if !isos[i].IsNull() {
				sc.ISO3 = intern(isos[i].ByteArray())
			} else if city != nil && string(labels[i].ByteArray()) == "GPE" && city(string(vals[6][i].ByteArray())) {
				sc.Canonical = intern(vals[6][i].ByteArray())
			} else {
				continue
			}
			sc.Label = intern(labels[i].ByteArray())
			doc := docs[i].ByteArray()
			out[string(doc)] = append(out[string(doc)], sc)
		}
	}
	return out, nil
}

// columnValues appends the values of a column chunk to vals.
func columnValues(chunk parquet.ColumnChunk, vals []parquet.Value) ([]parquet.Value, error) {
	pages := chunk.Pages()
	defer pages.Close()
	for {
		p, err := pages.ReadPage()
		if errors.Is(err, io.EOF) {
			return vals, nil
		}
		if err != nil {
			return vals, err
		}
		n := len(vals)
		vals = append(vals, make([]parquet.Value, p.NumValues())...)
		r := p.Values()
		read := 0
		for read < int(p.NumValues()) {
			k, err := r.ReadValues(vals[n+read:])
			read += k
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return vals, err
			}
		}
		// The page is not released: byte-array values point into its buffers.
		vals = vals[:n+read]
	}
}
