package similarity

import (
	"fmt"
	"math"
	"slices"
)

// TermVector is a document's weighted terms: sparse, sorted by term hash, L2-normalised,
// 12 bytes a term. The zero value is the vector of a document with no terms.
type TermVector struct {
	ids     []uint64  // term hashes, ascending
	weights []float32 // weight of ids[i]
}

// Len returns the number of distinct terms in the vector.
func (v TermVector) Len() int { return len(v.ids) }

// Cosine returns the cosine similarity of two vectors, in [0, 1] (weights are never
// negative); 0 when either is empty.
func (v TermVector) Cosine(w TermVector) float64 {
	var dot float64
	i, j := 0, 0
	for i < len(v.ids) && j < len(w.ids) {
		switch {
		case v.ids[i] < w.ids[j]:
			i++
		case v.ids[i] > w.ids[j]:
			j++
		default:
			dot += float64(v.weights[i]) * float64(w.weights[j])
			i++
			j++
		}
	}
	// Both are unit vectors; float32 rounding may push the reference against itself a
	// hair above 1.
	return math.Min(math.Max(dot, 0), 1)
}

// Reference measures how close documents are to one reference document, as the cosine
// of tf-idf vectors of lemma unigrams and bigrams (see walkTerms for what a term is).
// Weights are sublinear term frequency (1 + ln tf) times the idf of the embedded table,
// which was built once from a background corpus: a document's score does not depend on
// what else a run holds. A Reference is safe for concurrent use.
type Reference struct {
	table     *IDFTable
	reference TermVector
}

// DefaultIDFTable returns the embedded IDF table (data/idf.tsv, compiled into
// data/idf.bin, whose slots it uses where they lie: a few microseconds). The table is
// read-only; a program keeps the one it got.
func DefaultIDFTable() (*IDFTable, error) { return compiledIDFTable() }

// NewReference returns a Reference to the reference text, weighing terms with the
// embedded IDF table.
func NewReference(reference string) (*Reference, error) {
	table, err := DefaultIDFTable()
	if err != nil {
		return nil, fmt.Errorf("new similarity: %w", err)
	}
	return NewReferenceWithTable(reference, table), nil
}

// NewReferenceWithTable returns a Reference to the reference text with the given
// IDF table.
func NewReferenceWithTable(reference string, table *IDFTable) *Reference {
	s := &Reference{table: table}
	s.reference = s.Vector(reference)
	return s
}

// Table returns the IDF table the similarity weighs terms with; its Version belongs in
// a run's record.
func (s *Reference) Table() *IDFTable { return s.table }

// Vector returns the weighted terms of text.
func (s *Reference) Vector(text string) TermVector {
	// Counting on hashes spares building a string for every bigram.
	counts := make(map[uint64]int32, len(text)/12)
	walkTerms(text,
		func(w string) { counts[hashString(w)]++ },
		func(a, b string) { counts[hashBigram(a, b)]++ })
	v := TermVector{ids: make([]uint64, 0, len(counts)), weights: make([]float32, len(counts))}
	for id := range counts {
		v.ids = append(v.ids, id)
	}
	slices.Sort(v.ids)
	var norm float64
	for i, id := range v.ids {
		w := (1 + math.Log(float64(counts[id]))) * float64(s.table.lookup(id))
		v.weights[i] = float32(w)
		norm += w * w
	}
	if norm > 0 {
		inv := 1 / math.Sqrt(norm)
		for i := range v.weights {
			v.weights[i] = float32(float64(v.weights[i]) * inv)
		}
	}
	return v
}

// Similarity returns the cosine similarity of v to the reference, in [0, 1]: 1 for the
// reference itself, 0 for a document sharing no term with it.
func (s *Reference) Similarity(v TermVector) float64 { return s.reference.Cosine(v) }
