package fastprose

import (
	"sync"
	"sync/atomic"
)

//go:generate go run ./internal/genmodel -o data/model.bin

// The engine's model is prose's tagger and entity model in interned form: tables keyed
// by integers, so annotating a token costs a few array reads instead of dozens of
// concatenated feature strings looked up in string maps.
//
// The tables answer exactly the questions prose asks. prose looks up the string
// template+value; every key of prose's weights is split back into its template and
// value parts once (build.go), and each part is interned. A feature whose value was
// never seen in prose's weights cannot be in them, so "not interned" is "not found" in
// both engines.
//
// The tables are compiled ahead of time (go generate: build.go reads prose's assets,
// compiled.go writes them out) into data/model.bin, embedded in the binary. Loading it
// (compiled.go, decodeModel) points the model's slices into the embedded bytes: no
// decoding, no allocation per feature, and only the pages a run touches are read in.
// TestCompiledModelIsCurrent says when the file must be regenerated.

// fastVocab interns every string that is part of a feature key of either model (and the
// few strings, such as lower-cased tags, that the engine looks up as feature values):
// string id's bytes are strs[off[id]:off[id+1]], found through an open-addressing hash
// table (slots holds id+1, 0 for an empty slot; its length is a power of two).
type fastVocab struct {
	strs  string
	off   []uint32
	slots []uint32
}

// vocabHash is FNV-1a over the string's bytes: the compiled table's hash, so it must not
// change without regenerating data/model.bin.
func vocabHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// id returns the interned id of s, or -1 when no feature of either model mentions s.
func (v *fastVocab) id(s string) int32 {
	mask := uint64(len(v.slots) - 1)
	for i := vocabHash(s) & mask; ; i = (i + 1) & mask {
		e := v.slots[i]
		if e == 0 {
			return -1
		}
		if id := e - 1; v.strs[v.off[id]:v.off[id+1]] == s {
			return int32(id)
		}
	}
}

// str is the string of id.
func (v *fastVocab) str(id int32) string { return v.strs[v.off[id]:v.off[id+1]] }

// size is the number of interned strings.
func (v *fastVocab) size() int { return len(v.off) - 1 }

// fastRows holds sparse weight rows: row r is the classes class[start[r]:start[r+1]]
// with weights w[...] of the same range.
type fastRows[W int32 | float64] struct {
	start []int32
	class []uint8
	w     []W
}

// fastTable maps (template, value id) and (template, value id, value id) to rows.
type fastTable struct {
	// atomic[template][value id] is the row, -1 when absent; a template's slice ends
	// after the last value it weighs.
	atomic [][]int32
	// pairKeys and pairRows are an open-addressing hash table (linear probing, length a
	// power of two) from pairKey to row; key 0 marks an empty slot (no pair template is
	// template 0).
	pairKeys []uint64
	pairRows []int32
}

func pairKey(t int, a, b int32) uint64 { return uint64(t)<<58 | uint64(a)<<29 | uint64(b) }

// pairHash spreads a pair key over the table (Fibonacci hashing).
func pairHash(k uint64) uint64 {
	h := k * 0x9E3779B97F4A7C15
	return h ^ h>>32
}

func (t *fastTable) row(tmpl int, v int32) int32 {
	a := t.atomic[tmpl]
	if uint32(v) >= uint32(len(a)) { // also v < 0
		return -1
	}
	return a[v]
}

func (t *fastTable) pair(tmpl int, a, b int32) int32 {
	if a < 0 || b < 0 {
		return -1
	}
	k := pairKey(tmpl, a, b)
	mask := uint64(len(t.pairKeys) - 1)
	for i := pairHash(k) & mask; ; i = (i + 1) & mask {
		switch t.pairKeys[i] {
		case k:
			return t.pairRows[i]
		case 0:
			return -1
		}
	}
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
	// Weights times 1000: prose rounds them to 3 decimals, and each of its float64
	// weights is exactly float64(w)/1000 (checked when the model is built), which
	// breakTagTie uses to replay prose's float sums.
	tagRows     fastRows[int32]
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

	// punkt's English parameters (AbbrevTypes, Collocations, SentStarters, OrthoContext),
	// from which each segmenter builds its sentences.Storage.
	punkt [4]punktSet

	// Process-wide cache of fastWord by token text (see cachedWord).
	words  sync.Map
	nWords atomic.Int64
}

// punktSet is one of punkt's string sets: keys sorted, with their counts.
type punktSet struct {
	keys []string
	vals []int32
}

// lastBytes is s[len(s)-min(len(s), n):], the suffix prose's features take (in bytes,
// so it may cut a multi-byte character as prose does).
func lastBytes(s string, n int) string {
	return s[len(s)-min(len(s), n):]
}
