package output

import (
	"errors"
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"
)

// SentenceCountry is a country named in one sentence of a document: the part of an
// entities.parquet row that re-scoring needs (the actors of matches and phrases).
type SentenceCountry struct {
	Sentence int
	ISO3     string
}

// ReadSentenceCountries reads, from the entities table at path, the countries each
// document names, by sentence, in table order. It reads only the columns doc_id,
// sentence_index and iso3, value by value, several times faster than ReadRows.
func ReadSentenceCountries(path string) (map[string][]SentenceCountry, error) {
	f, pf, err := openParquet(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var cols [3]int
	for i, name := range []string{"doc_id", "sentence_index", "iso3"} {
		leaf, ok := pf.Schema().Lookup(name)
		if !ok {
			return nil, fmt.Errorf("read %s: no column %s", path, name)
		}
		cols[i] = leaf.ColumnIndex
	}
	out := map[string][]SentenceCountry{}
	codes := map[string]string{} // one string per country code
	var docs, sents, isos []parquet.Value
	for _, rg := range pf.RowGroups() {
		chunks := rg.ColumnChunks()
		if docs, err = columnValues(chunks[cols[0]], docs[:0]); err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		if sents, err = columnValues(chunks[cols[1]], sents[:0]); err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		if isos, err = columnValues(chunks[cols[2]], isos[:0]); err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		if len(docs) != len(sents) || len(docs) != len(isos) {
			return nil, fmt.Errorf("read %s: columns of unequal length", path)
		}
		for i := range isos {
			if isos[i].IsNull() {
				continue
			}
			iso, ok := codes[string(isos[i].ByteArray())]
			if !ok {
				iso = string(isos[i].ByteArray())
				codes[iso] = iso
			}
			doc := docs[i].ByteArray()
			out[string(doc)] = append(out[string(doc)], SentenceCountry{Sentence: int(sents[i].Int64()), ISO3: iso})
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
