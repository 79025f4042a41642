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
// a population, "Americans", from a state).
type SentenceCountry struct {
	Sentence   int
	ISO3       string
	Start, End int // char_start, char_end: byte offsets in the document text
	Label      string
}

// sentenceCountryColumns are the columns ReadSentenceCountries reads, in order.
var sentenceCountryColumns = []string{"doc_id", "sentence_index", "iso3", "char_start", "char_end", "label"}

// ReadSentenceCountries reads, from the entities table at path, the countries each
// document names, by sentence, in table order. It reads only the columns doc_id,
// sentence_index, iso3, char_start, char_end and label, value by value, several times
// faster than ReadRows.
func ReadSentenceCountries(path string) (map[string][]SentenceCountry, error) {
	f, pf, err := openParquet(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cols := make([]int, len(sentenceCountryColumns))
	for i, name := range sentenceCountryColumns {
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
			if isos[i].IsNull() {
				continue
			}
			doc := docs[i].ByteArray()
			out[string(doc)] = append(out[string(doc)], SentenceCountry{Sentence: int(sents[i].Int64()), ISO3: intern(isos[i].ByteArray()),
				Start: int(starts[i].Int64()), End: int(ends[i].Int64()), Label: intern(labels[i].ByteArray())})
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
