package fastprose

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"

	"github.com/framealign/framealign/extractors/annotate"

	"github.com/mingrammer/commonregex"
)

// Engine gives exactly prose's annotation (tokens, sentences, part-of-speech tags,
// IOB labels and entities) several times faster. It runs prose's own algorithms with
// prose's own trained weights, compiled ahead of time from prose's embedded assets
// into tables embedded in the binary (see model.go), but looks features up by
// interned integers instead of building feature strings, and builds the sentence
// segmenter once instead of once per document.
//
// "Exactly" includes prose's quirks: a repeated whitespace-delimited span shares its
// tokens, so an earlier occurrence carries the tag and label of the last one; the
// entity chunker's rules are prose's. Where prose itself is not deterministic (two
// tags with the same best score, which prose settles by the order Go's maps happen to
// add its floats in) the fast engine gives prose's most frequent answer, the same
// every time; the differential tests accept it when some run of prose gives it. On the
// UN General Debate corpus that happens for one token in about 50 speeches.
//
// An Engine is safe for concurrent use: the model is read-only and every call works
// on its own buffers.
type Engine struct {
	model *fastModel
	seg   *proseSegmenter
}

// New loads the engine's model, compiled from prose's assets into the binary: the
// tables are used where they lie, so it takes a fraction of a millisecond. Each call
// has its own word cache; a program makes one Engine and shares it between its workers.
func New() (*Engine, error) {
	model, err := loadFastModel()
	if err != nil {
		return nil, fmt.Errorf("load the fast annotation engine: %w", err)
	}
	seg, err := newProseSegmenter(model)
	if err != nil {
		return nil, fmt.Errorf("load the fast annotation engine: %w", err)
	}
	return &Engine{model: model, seg: seg}, nil
}

// Name is the fast engine's Name, known before its model is loaded.
const Name = "fast-prose-v2.0.0"

// Name identifies the engine in runs.parquet.
func (f *Engine) Name() string { return Name }

// Annotate tokenizes, segments, tags and labels text as prose would and places every
// token, sentence and entity at its byte offsets in text. It checks ctx every few
// thousand tokens, so a cancelled run does not wait for a long document's end.
func (f *Engine) Annotate(ctx context.Context, text string) (*annotate.Annotation, error) {
	ann, _, err := f.annotate(ctx, text)
	return ann, err
}

// fastStats counts the decisions where prose's answer depends on Go's map order: ties
// between the best scores of the tagger or of the entity model.
type fastStats struct {
	TagTies   int
	LabelTies int
}

func (f *Engine) annotate(ctx context.Context, text string) (ann *annotate.Annotation, st fastStats, err error) {
	defer func() {
		if r := recover(); r != nil {
			ann, err = nil, fmt.Errorf("fast engine failed: %v", r)
		}
	}()
	if err := ctx.Err(); err != nil {
		return nil, st, err
	}
	sents := f.seg.segment(text)
	if err := ctx.Err(); err != nil {
		return nil, st, err
	}
	d := newFastDoc(f.model, proseTokenize(text))
	if err := d.tag(ctx, &st); err != nil {
		return nil, st, err
	}
	if err := d.classify(ctx, &st); err != nil {
		return nil, st, err
	}
	ents := d.chunk()
	words := make([]annotate.BareToken, len(d.obj))
	for i, o := range d.obj {
		words[i] = annotate.BareToken{Text: d.texts[o], Tag: d.tagStr[o], Label: f.model.labels[d.label[o]]}
	}
	return annotate.Place(text, words, sents, ents), st, nil
}

// fastWord is everything the tagger and the entity model derive from a token's text
// alone, computed once per distinct text (see cachedWord).
type fastWord struct {
	// Tagger: vocab ids of normalize(text), its last three bytes, the raw text's last
	// three bytes and its first byte; or the tag prose gives without the model.
	norm, normSuf, suffix, pref1 int32
	fixed                        bool
	fixedTag                     string
	fixedTagID, fixedTagLow      int32

	// Entity model: vocab ids of the text, lower-cased, its three-byte prefix and suffix
	// (lower-cased), its shape, its length and whether it is a basic English word.
	word, lower, prefix3, suffix3, shape, wordLen, wordlist int32
}

// fastDoc is one document on its way through the tagger and the entity model. Tags and
// labels live on token objects, which repeated spans share (see fastTokens).
type fastDoc struct {
	m *fastModel
	*fastTokens
	info   []*fastWord // per object
	tagStr []string    // per object: the tag
	tagID  []int32     // per object: vocab id of the tag
	tagLow []int32     // per object: vocab id of the lower-cased tag
	label  []uint8     // per object: index of the IOB label
}

func newFastDoc(m *fastModel, ft *fastTokens) *fastDoc {
	n := len(ft.texts)
	d := &fastDoc{
		m: m, fastTokens: ft,
		info:   make([]*fastWord, n),
		tagStr: make([]string, n),
		tagID:  make([]int32, n),
		tagLow: make([]int32, n),
		label:  make([]uint8, n),
	}
	for o, t := range ft.texts {
		d.info[o] = m.cachedWord(t)
	}
	return d
}

// fastWordCacheSize bounds the process-wide cache of word features: a speech corpus
// has a few tens of thousands of distinct tokens; beyond the bound words are computed
// afresh each time (same answer, more time).
const fastWordCacheSize = 1 << 17

// cachedWord returns the text-only features of text, from the process-wide cache when
// another document already had the word. The features depend on the text and the
// read-only model alone, so sharing them across goroutines is safe.
func (m *fastModel) cachedWord(text string) *fastWord {
	if w, ok := m.words.Load(text); ok {
		return w.(*fastWord)
	}
	if m.nWords.Load() >= fastWordCacheSize {
		return m.word(text)
	}
	// Clone the key so the cache does not keep the whole document alive.
	text = strings.Clone(text)
	w, loaded := m.words.LoadOrStore(text, m.word(text))
	if !loaded {
		m.nWords.Add(1)
	}
	return w.(*fastWord)
}

var (
	proseNoneRE       = regexp.MustCompile(`^(?:0|\*[\w?]\*|\*\-\d{1,3}|\*[A-Z]+\*\-\d{1,3}|\*)$`)
	proseKeepRE       = regexp.MustCompile(`^\-[A-Z]{3}\-$`)
	proseNonWordEndRE = regexp.MustCompile(`\W+$`)
	proseWordEndRE    = regexp.MustCompile(`\w+$`)
)

// word computes the text-only features of a (non-empty) token text.
func (m *fastModel) word(text string) *fastWord {
	v := &m.vocab
	norm := proseNormalize(text)
	w := &fastWord{
		norm:    v.id(norm),
		normSuf: v.id(lastBytes(norm, 3)),
		suffix:  v.id(lastBytes(text, 3)),
		pref1:   v.id(string(rune(text[0]))),
	}

	// prose's tagger settles these before asking its model, in this order.
	w.fixed = true
	if text == "-" {
		w.fixedTag = "-"
	} else if _, ok := proseEmoticons[text]; ok {
		w.fixedTag = "SYM"
	} else if commonregex.LinkRegex.MatchString(text) ||
		commonregex.EmailRegex.MatchString(text) ||
		strings.HasPrefix(text, "@") {
		w.fixedTag = "NN"
	} else if proseNoneRE.MatchString(text) {
		w.fixedTag = "-NONE-"
	} else if proseKeepRE.MatchString(text) {
		w.fixedTag = text
	} else if tag, found := m.tagDict[text]; found {
		w.fixedTag = tag
	} else {
		w.fixed = false
	}
	if w.fixed {
		w.fixedTagID, w.fixedTagLow = v.id(w.fixedTag), v.id(strings.ToLower(w.fixedTag))
	}

	w.word = v.id(text)
	w.lower = v.id(strings.ToLower(text))
	w.prefix3 = v.id(strings.ToLower(text[:min(len(text), 3)]))
	w.suffix3 = v.id(strings.ToLower(lastBytes(text, 3)))
	w.shape = v.id(proseShape(text))
	w.wordLen = v.id(strconv.Itoa(len(text)))
	w.wordlist = m.idFalse
	if _, ok := m.basicWords[text]; ok {
		w.wordlist = m.idTrue
	}
	return w
}

// tag is prose's perceptronTagger.tag. The context and the previous two tags are
// per position; the tag is written to the position's token object.
func (d *fastDoc) tag(ctx context.Context, st *fastStats) error {
	m := d.m
	n := len(d.obj)
	near := make([]int32, n+4)
	suf := make([]int32, n+4)
	near[0], near[1] = m.ctxStartIDs[0], m.ctxStartIDs[1]
	suf[0], suf[1] = m.ctxStartSuf[0], m.ctxStartSuf[1]
	for i, o := range d.obj {
		near[i+2], suf[i+2] = d.info[o].norm, d.info[o].normSuf
	}
	near[n+2], near[n+3] = m.ctxEndIDs[0], m.ctxEndIDs[1]
	suf[n+2], suf[n+3] = m.ctxEndSuf[0], m.ctxEndSuf[1]

	emptyID := m.vocab.id("")
	p1, p2 := m.ctxStartIDs[0], m.ctxStartIDs[1]
	for i, o := range d.obj {
		if i&(cancelEvery-1) == cancelEvery-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		w := d.info[o]
		var tag string
		var id, low int32
		if w.fixed {
			tag, id, low = w.fixedTag, w.fixedTagID, w.fixedTagLow
		} else {
			t := &m.tagTable
			rows := [tagTemplates]int32{
				m.tagBiasRow,
				t.row(tagSuffix, w.suffix),
				t.row(tagPref1, w.pref1),
				t.row(tagPrevTag, p1),
				t.row(tagPrev2Tag, p2),
				t.pair(tagTagPair, p1, p2),
				t.row(tagWord, near[i+2]),
				t.pair(tagPrevTagWord, p1, near[i+2]),
				t.row(tagPrevWord, near[i+1]),
				t.row(tagPrevSuffix, suf[i+1]),
				t.row(tagPrev2Word, near[i]),
				t.row(tagNextWord, near[i+3]),
				t.row(tagNextSuffix, suf[i+3]),
				t.row(tagNext2Word, near[i+4]),
			}
			c, tie := m.predictTag(&rows)
			if tie {
				st.TagTies++
			}
			if c < 0 {
				// No feature known: prose's max over an empty map is "".
				tag, id, low = "", emptyID, emptyID
			} else {
				tag, id, low = m.classes[c], m.classIDs[c], m.classLowIDs[c]
			}
		}
		d.tagStr[o], d.tagID[o], d.tagLow[o] = tag, id, low
		p2, p1 = p1, id
	}
	return nil
}

// cancelEvery is how many tokens the tagger and the entity model go through between
// two looks at the context (a power of two): about a millisecond of work.
const cancelEvery = 4096

// predictTag is prose's averagedPerceptron.predict over the given weight rows: the class
// with the highest score among the classes some feature weighs. Scores are exact
// integers (thousandths), so a unique best is prose's best whatever order prose adds
// in. A tie is settled by breakTagTie.
func (m *fastModel) predictTag(rows *[tagTemplates]int32) (best int, tie bool) {
	var scores [64]int32
	var present uint64
	r := &m.tagRows
	for _, row := range rows {
		if row < 0 {
			continue
		}
		for k := r.start[row]; k < r.start[row+1]; k++ {
			c := r.class[k]
			scores[c] += r.w[k]
			present |= 1 << c
		}
	}
	best = -1
	var tied uint64
	for c := 0; c < len(m.classes); c++ {
		if present&(1<<c) == 0 {
			continue
		}
		switch {
		case best < 0 || scores[c] > scores[best]:
			best, tied = c, 1<<c
		case scores[c] == scores[best]:
			tied |= 1 << c
		}
	}
	if bits.OnesCount64(tied) > 1 {
		return m.breakTagTie(rows, tied), true
	}
	return best, false
}

// tieOrders is how many feature orders breakTagTie replays.
const tieOrders = 256

// breakTagTie picks among classes with the same exact score the one prose picks most
// often. prose adds the features' float weights in Go's random map order, so the
// rounding of its float sums, and with it the winner, changes from run to run. Replaying
// that over a fixed set of random orders (the same every time, so the answer is
// deterministic) finds prose's most frequent answer: on "heartfelt" in COM_79_2024 prose
// says JJ in about 80% of its runs, and so does this.
func (m *fastModel) breakTagTie(rows *[tagTemplates]int32, tied uint64) int {
	var order []int32
	for _, row := range rows {
		if row >= 0 {
			order = append(order, row)
		}
	}
	var classes []int
	for c := 0; c < len(m.classes); c++ {
		if tied&(1<<c) != 0 {
			classes = append(classes, c)
		}
	}
	r := &m.tagRows
	weight := func(row int32, c int) float64 {
		for k := r.start[row]; k < r.start[row+1]; k++ {
			if int(r.class[k]) == c {
				return float64(r.w[k]) / 1000 // exactly prose's weight (see tagRow)
			}
		}
		return 0
	}
	wins := make([]float64, len(classes))
	sums := make([]float64, len(classes))
	rng := rand.New(rand.NewPCG(0x70726f7365, uint64(len(order))))
	for n := 0; n < tieOrders; n++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		top := math.Inf(-1)
		for i, c := range classes {
			sums[i] = 0
			for _, row := range order {
				// prose adds 1*weight for every feature weighing c; adding the 0 of a
				// feature that does not weigh c leaves the float sum as it is.
				sums[i] += weight(row, c)
			}
			top = max(top, sums[i])
		}
		// prose's max keeps the first strictly greater score in random map order, so
		// equal float sums win equally often.
		var at []int
		for i := range classes {
			if sums[i] == top {
				at = append(at, i)
			}
		}
		for _, i := range at {
			wins[i] += 1 / float64(len(at))
		}
	}
	best := 0
	for i := range classes {
		if wins[i] > wins[best] {
			best = i
		}
	}
	return classes[best]
}

// classify is prose's entityExtracter.classify: each position's label from its features
// and the labels already given, written to the position's token object.
func (d *fastDoc) classify(ctx context.Context, st *fastStats) error {
	m := d.m
	t := &m.nerTable
	r := &m.nerRows
	n := len(d.obj)
	hist := make([]int32, n) // vocab id of simplePOS(label) per position
	nl := len(m.labels)
	for i, o := range d.obj {
		if i&(cancelEvery-1) == cancelEvery-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		w := d.info[o]
		nextPos, nextWord := m.idNone, m.idNone
		if i < n-1 {
			nextPos, nextWord = d.tagLow[d.obj[i+1]], d.info[d.obj[i+1]].lower
		}
		prevPos, prevTag, prevWord, prevShape := m.idNone, m.idNone, m.idNone, m.idNone
		if i > 0 {
			po := d.obj[i-1]
			prevPos, prevTag, prevWord = d.tagID[po], hist[i-1], d.info[po].lower
			if i > 1 {
				prevShape = d.info[po].shape
			}
		}
		// In prose's featureOrder: each label's total must add up in this order.
		rows := [nerFeatures]int32{
			t.row(nerBias, m.idTrue),
			t.row(nerWordlist, w.wordlist),
			t.row(nerNextPos, nextPos),
			t.row(nerNextWord, nextWord),
			t.row(nerPos, d.tagID[o]),
			t.pair(nerPosPrevTag, d.tagID[o], prevTag),
			t.row(nerPrefix3, w.prefix3),
			t.row(nerPrevPos, prevPos),
			t.row(nerPrevTag, prevTag),
			t.row(nerPrevWord, prevWord),
			t.row(nerShape, w.shape),
			t.pair(nerShapePrevTag, prevShape, prevTag),
			t.row(nerSuffix3, w.suffix3),
			t.row(nerWord, w.word),
			t.pair(nerWordNextPos, w.lower, nextPos),
			t.row(nerWordLower, w.lower),
			t.row(nerWordLen, w.wordLen),
		}
		var totals [64]float64
		for _, row := range rows {
			if row < 0 {
				continue
			}
			for k := r.start[row]; k < r.start[row+1]; k++ {
				totals[r.class[k]] += r.w[k]
			}
		}
		best, tie := 0, false
		for l := 1; l < nl; l++ {
			switch {
			case totals[l] > totals[best]:
				best, tie = l, false
			case totals[l] == totals[best]:
				tie = true
			}
		}
		if tie {
			st.LabelTies++
		}
		d.label[o] = uint8(best)
		hist[i] = m.labelHistIDs[best]
	}
	return nil
}

// chunk is prose's entityExtracter.chunk, rules and all: it reads the tags and labels
// of the token objects as the tagger and the classifier left them.
func (d *fastDoc) chunk() []annotate.BareEntity {
	entities := []annotate.BareEntity{}
	end := ""
	var parts []int32
	idx := 0
	for _, o := range d.obj {
		label := d.m.labels[d.label[o]]
		tag := d.tagStr[o]
		if (label != "O" && label != end) ||
			(idx > 0 && tag == d.tagStr[parts[idx-1]]) ||
			(idx > 0 && tag == "CD" && d.m.labels[d.label[parts[idx-1]]] != "O") {
			end = strings.Replace(label, "B", "I", 1)
			parts = append(parts, o)
			idx++
		} else if (label == "O" && end != "") || label == end {
			if label != "O" {
				parts = append(parts, o)
			}
			entities = append(entities, d.coalesce(parts))
			end = ""
			parts = parts[:0]
			idx = 0
		}
	}
	return entities
}

// coalesce is prose's coalesce: the mention's text and its label.
func (d *fastDoc) coalesce(parts []int32) annotate.BareEntity {
	labels := make([]string, len(parts))
	texts := make([]string, len(parts))
	person := false
	for i, o := range parts {
		texts[i] = d.texts[o]
		labels[i] = d.m.labels[d.label[o]]
		person = person || labels[i] == "B-PERSON"
	}
	label := ""
	if person && len(parts) == 2 {
		// prose: PERSON takes precedence because it is hard to identify.
		label = "PERSON"
	} else {
		label = strings.Split(labels[0], "-")[1]
	}
	return annotate.BareEntity{Text: strings.Join(texts, " "), Label: label}
}

// proseNormalize is prose's normalize: the form of a word in the tagger's context.
func proseNormalize(word string) string {
	if word == "" {
		return word
	}
	first := string(rune(word[0]))
	if strings.Contains(word, "-") && first != "-" {
		return "!HYPHEN"
	} else if _, err := strconv.Atoi(word); err == nil && len(word) == 4 {
		return "!YEAR"
	} else if _, err := strconv.Atoi(first); err == nil {
		return "!DIGITS"
	}
	return strings.ToLower(word)
}

// proseShape is prose's shape, with its regular expressions compiled once.
func proseShape(word string) string {
	if _, err := strconv.ParseFloat(word, 64); err == nil {
		return "number"
	} else if proseNonWordEndRE.MatchString(word) {
		return "punct"
	} else if proseWordEndRE.MatchString(word) {
		if strings.ToLower(word) == word {
			return "downcase"
		} else if strings.Title(word) == word { //nolint:staticcheck // prose's exact rule
			return "upcase"
		}
		return "mixedcase"
	}
	return "other"
}
