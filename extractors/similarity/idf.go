package similarity

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/framealign/framealign/internal/openaddr"
)

// The IDF table is a fixed file so that a document's similarity does not depend on which
// other documents a run holds: with weights learnt from each run's corpus, adding new
// speeches would shift every old score. Its format is one header line
//
//	#idf<TAB>version=...<TAB>corpus=...<TAB>documents=N<TAB>built=YYYY-MM-DD<TAB>min_df=K
//
// then one "term<TAB>df" line per term, sorted by term, where df is the number of
// background documents holding the term. version is a digest of the term lines, so it
// changes exactly when the weights do.

//go:embed data/idf.tsv
var idfFile []byte

// data/idf.bin is data/idf.tsv compiled by `go generate` (CompileIDFTable) into the
// table's own layout, which DefaultIDFTable uses where it lies: no parsing, no map.
// TestCompiledIDFTableIsCurrent fails when it is stale.
//
//go:generate go run ./internal/genidf -i data/idf.tsv -o data/idf.bin
//go:embed data/idf.bin
var idfCompiled string

// IDFTable holds the inverse document frequency of every term of a background corpus.
type IDFTable struct {
	Version   string // digest of the term lines
	Corpus    string // what the background corpus is
	Documents int    // how many documents it holds
	Built     string // build date, YYYY-MM-DD
	MinDF     int    // terms in fewer documents were pruned
	// An open-addressing hash table (linear probing, length a power of two) from term
	// hash to idf; key 0 marks an empty slot (CompileIDFTable rules out a term hashing
	// to 0).
	keys   []uint64
	idfs   []float32
	terms  int
	maxIDF float32
}

// idfOf returns the smoothed inverse document frequency of a term held by df of n
// documents: ln((1+n)/(1+df)) + 1, so that a term in every document still counts a
// little and none divides by zero.
func idfOf(df, n int) float64 {
	return math.Log(float64(1+n)/float64(1+df)) + 1
}

// ParseIDFTable reads a table in the format written by IDFBuilder.WriteTo.
func ParseIDFTable(data []byte) (*IDFTable, error) {
	header, body, ok := bytes.Cut(data, []byte("\n"))
	if !ok || !bytes.HasPrefix(header, []byte("#idf\t")) {
		return nil, fmt.Errorf("parse idf table: missing #idf header line")
	}
	t, err := parseIDFHeader(string(header))
	if err != nil {
		return nil, err
	}
	if got := bodyVersion(body); t.Version != got {
		return nil, fmt.Errorf("parse idf table: header version %q does not match its terms (%s)", t.Version, got)
	}
	idf := make(map[uint64]float32, bytes.Count(body, []byte("\n")))
	for line := range bytes.Lines(body) {
		line = bytes.TrimRight(line, "\n")
		term, dfText, ok := bytes.Cut(line, []byte("\t"))
		if !ok {
			return nil, fmt.Errorf("parse idf table: line %q has no tab", line)
		}
		df, err := strconv.Atoi(string(dfText))
		if err != nil || df <= 0 || df > t.Documents {
			return nil, fmt.Errorf("parse idf table: term %q has bad df %q", term, dfText)
		}
		h := hashBytes(term)
		if h == 0 {
			return nil, fmt.Errorf("parse idf table: term %q hashes to 0, which the table cannot hold", term)
		}
		idf[h] = float32(idfOf(df, t.Documents))
	}
	t.keys, t.idfs = openaddr.Layout(idf, idfSlot)
	t.terms = len(idf)
	return t, nil
}

// idfSlot is where the search for hash h starts (before the mask).
func idfSlot(h uint64) uint64 { return h ^ h>>29 }

// parseIDFHeader reads the #idf header line (without its newline).
func parseIDFHeader(header string) (*IDFTable, error) {
	t := &IDFTable{}
	for _, field := range strings.Split(header, "\t")[1:] {
		k, v, _ := strings.Cut(field, "=")
		switch k {
		case "version":
			t.Version = v
		case "corpus":
			t.Corpus = v
		case "built":
			t.Built = v
		case "documents", "min_df":
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, fmt.Errorf("parse idf table header %s: %w", k, err)
			}
			if k == "documents" {
				t.Documents = n
			} else {
				t.MinDF = n
			}
		}
	}
	if t.Documents <= 0 {
		return nil, fmt.Errorf("parse idf table: header gives no document count")
	}
	// Terms in fewer than MinDF documents were pruned; an unknown term is at least as
	// rare as those, so it gets the idf of a term found once.
	t.maxIDF = float32(idfOf(1, t.Documents))
	return t, nil
}

// Len returns the number of terms in the table.
func (t *IDFTable) Len() int { return t.terms }

// IDF returns the weight of a term ("word" or "first second"); terms the table does not
// hold get the largest weight, that of a term found in one document.
func (t *IDFTable) IDF(term string) float64 { return float64(t.lookup(hashString(term))) }

func (t *IDFTable) lookup(h uint64) float32 {
	mask := uint64(len(t.keys) - 1)
	for i := idfSlot(h) & mask; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case h:
			return t.idfs[i]
		case 0:
			return t.maxIDF
		}
	}
}

// bodyVersion is the version a table's term lines carry: the start of their SHA-256.
func bodyVersion(body []byte) string {
	sum := sha256.Sum256(body)
	return "idf-" + hex.EncodeToString(sum[:6])
}

// IDFBuilder counts the document frequency of similarity terms over a background
// corpus; scripts/buildidf drives it to write data/idf.tsv.
type IDFBuilder struct {
	df   map[string]int
	docs int
}

// NewIDFBuilder returns an empty builder.
func NewIDFBuilder() *IDFBuilder { return &IDFBuilder{df: make(map[string]int)} }

// Add counts the terms of one document.
func (b *IDFBuilder) Add(text string) {
	b.docs++
	seen := make(map[string]struct{})
	for _, term := range Terms(text) {
		if _, ok := seen[term]; !ok {
			seen[term] = struct{}{}
			b.df[term]++
		}
	}
}

// Documents returns how many documents were added.
func (b *IDFBuilder) Documents() int { return b.docs }

// Body returns the term lines of the table: terms held by at least minDF documents,
// sorted, with their document frequency.
func (b *IDFBuilder) Body(minDF int) []byte {
	terms := make([]string, 0, len(b.df))
	for term, df := range b.df {
		if df >= minDF {
			terms = append(terms, term)
		}
	}
	sort.Strings(terms)
	var buf bytes.Buffer
	for _, term := range terms {
		buf.WriteString(term)
		buf.WriteByte('\t')
		buf.WriteString(strconv.Itoa(b.df[term]))
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

// WriteTo writes the table, header first, keeping terms held by at least minDF
// documents; corpus says what the background corpus is.
func (b *IDFBuilder) WriteTo(w io.Writer, corpus string, minDF int, built time.Time) error {
	body := b.Body(minDF)
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "#idf\tversion=%s\tcorpus=%s\tdocuments=%d\tbuilt=%s\tmin_df=%d\n",
		bodyVersion(body), strings.NewReplacer("\t", " ", "\n", " ").Replace(corpus),
		b.docs, built.UTC().Format(time.DateOnly), minDF)
	bw.Write(body)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write idf table: %w", err)
	}
	return nil
}

// FNV-1a, 64 bits: terms are hashed instead of stored so the table and vectors stay
// compact; at 64 bits a collision among a few hundred thousand terms is vanishingly
// unlikely (about 1 in 10^8).
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashString(s string) uint64 { return hashMore(fnvOffset, s) }

func hashMore(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func hashBytes(b []byte) uint64 {
	h := uint64(fnvOffset)
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

// hashBigram hashes "a b" without building the string.
func hashBigram(a, b string) uint64 {
	h := hashMore(fnvOffset, a)
	h ^= ' '
	h *= fnvPrime
	return hashMore(h, b)
}
