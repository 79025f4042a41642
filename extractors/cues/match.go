package cues

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/extractors/entities"
	"github.com/framealign/framealign/extractors/words"

	"github.com/framealign/framealign/framework"
)

// Match is one cue found in a document: the evidence behind a dimension's hits.
type Match struct {
	Dimension string // the dimension's id
	Cue       string // the cue as written in the framework
	Sentence  int    // index of the sentence in the annotate.Annotation
	Start     int    // byte offset of the first matched token
	End       int    // byte offset one past the last matched token
	Negated   bool   // the match sits in a negated clause ("will not engage in dialogue")
	// Veto, in a vetoed match (see Find), says what removed it: the exclusion found
	// in its sentence (-"small arms", or exclude: "national dialogue") or the
	// condition its sentence lacks (@state|body|wording). Empty in a counted match.
	Veto string
}

// Document is what the matcher reads of one document: its text, its annotation and
// the entities found in it. Only the entities' sentences and country codes count (a
// sentence naming a state or its people has the setting "state"), so a re-scoring
// that kept only those (the pipeline's rerun) matches as a full analysis does.
type Document struct {
	Text       string
	Annotation *annotate.Annotation
	Entities   []entities.Entity
	// Home is the ISO 3166 alpha-3 code of the country the text speaks for (a
	// government's own statements, a delegation's speech), or "" when unknown. Its
	// name gives no sentence the setting "state": "the United States will lead the
	// fight against COVID" in a White House text is about home.
	Home string
}

// Matcher finds a framework's cues in annotated documents. It compiles every cue once
// into an index keyed by the lemma of the cue's first word (and a small index of
// wildcard prefixes keyed by their first three letters), so matching walks each
// document's tokens once, whatever the number of cues. A Matcher is read-only after
// NewMatcher and safe for concurrent use.
type Matcher struct {
	fw      *framework.Framework
	phrases [][]cueTerm
	cues    []compiledCue
	// the phrases that give a sentence the settings body (the gazetteer's
	// intergovernmental bodies), wording (the framework's international_wording) and
	// domestic (its domestic_wording), each with its bit and the phrases of its
	// exclusions (a wording phrase may have them as a cue does: in America -"Latin America")
	settingPhrases []settingPhrase
	// mentions are the classes some phrase holds ({country}, {city}): only those
	// mentions of a document are placed on its tokens.
	mentions uint8
	// conditional is true when some cue has a condition: only then are a document's
	// settings computed
	conditional bool
	byLemma     map[string][]entryPoint
	byPrefix    map[string][]entryPoint
	// the shapes of their keys, which spare most words the lookups
	lemmaShapes, prefixShapes *words.Shapes

	// vocab numbers the texts of the cue words (their lemmas, or their prefixes)
	vocab map[string]int32

	// common holds the facts of the corpus's common words, lower case and
	// capitalised, computed once: most distinct words of a document are among them.
	common map[string]*wordInfo

	// scratch holds idle scratch spaces, one per concurrent caller at most.
	scratch chan *matchScratch
}

// matchScratch is one caller's working memory, kept between documents so that a
// document allocates little: the token buffer and what the matcher knows of each
// distinct word (lowercased form, lemma, entry points), computed once per caller and
// word, whatever the number of documents the word is in.
type matchScratch struct {
	toks []matchToken
	// by the document's annotate.Annotation.Words, when it has them: the word's
	// facts, and whether it is plain (see plainWord: 1 yes, 2 no, 0 not yet known)
	byID  []*wordInfo
	plain []uint8
	// the facts of the words met so far, by text (own copies, so that no document's
	// text is kept); those not in Matcher.common are in chunks whose addresses stay put
	words  map[string]*wordInfo
	chunks [][]wordInfo
	used   int // wordInfos handed out from chunks
	// the hits of each phrase in the current document (findPhrases), the longest of
	// each (Find), the phrases with hits (to empty the two for the next document) and
	// the candidates of Find
	hits    [][]span
	longest []int
	touched []int32
	nHits   int // spans held by hits, to drop a huge document's
	cands   []candidate
}

// wordInfoChunk is the size of matchScratch's chunks.
const wordInfoChunk = 512

func (m *Matcher) getScratch() *matchScratch {
	select {
	case sc := <-m.scratch:
		return sc
	default:
		return &matchScratch{words: map[string]*wordInfo{}}
	}
}

func (m *Matcher) putScratch(sc *matchScratch) {
	if cap(sc.toks) > 1<<20 || sc.nHits > 1<<18 || cap(sc.cands) > 1<<18 { // a huge document's buffers are not kept
		sc.toks, sc.byID, sc.plain, sc.hits, sc.longest, sc.touched, sc.nHits, sc.cands = nil, nil, nil, nil, nil, nil, 0, nil
	}
	if len(sc.words) > 1<<16 {
		sc.words, sc.chunks, sc.used = map[string]*wordInfo{}, nil, 0
	}
	select {
	case m.scratch <- sc:
	default:
	}
}

// wordInfo is what the matcher knows of one token text.
type wordInfo struct {
	lower, lemma     string
	lowerID, lemmaID int32        // their numbers in Matcher.vocab, -1 when no cue word is spelt so
	eps              []entryPoint // entry points to try at a token with this text, in order
}

// compiledCue is a cue ready to match: its phrases are indexes into Matcher.phrases,
// one per reading (framework.Cue.Variants).
type compiledCue struct {
	dim      int
	src      string
	mains    []int
	others   []int // empty unless NEAR
	near     int
	excludes []exclusion
	cond     condition
}

// exclusion is a phrase that cancels a cue in its sentence, with how to name it.
type exclusion struct {
	phrase int
	src    string
}

// condition is a compiled framework.Condition: the settings (any of them) a match's
// sentence, or one of the window sentences around it, must have.
type condition struct {
	mask   uint8 // settings of which one must be present; with neg, none of them a condition
	neg    uint8 // settings whose absence (from the whole window) is enough
	window int
	src    string
}

func (c condition) active() bool { return c.mask|c.neg != 0 }

// Setting bits of a sentence.
const (
	hasState uint8 = 1 << iota
	hasBody
	hasWording
	hasDomestic
	hasStates // two countries named side by side (framework.SettingStates)
)

var settingBits = map[string]uint8{framework.SettingState: hasState, framework.SettingStates: hasStates,
	framework.SettingBody: hasBody, framework.SettingWording: hasWording, framework.SettingDomestic: hasDomestic}

func compileCondition(c *framework.Condition, window int) condition {
	if c == nil || len(c.Settings) == 0 {
		return condition{}
	}
	var mask, neg uint8
	for _, s := range c.Settings {
		if strings.HasPrefix(s, "!") {
			neg |= settingBits[s[1:]]
		} else {
			mask |= settingBits[s]
		}
	}
	return condition{mask: mask, neg: neg, window: window, src: c.String()}
}

type cueTerm struct {
	words    []cueWord
	optional bool
	gap      int
	classes  uint8 // mention classes among the alternatives ({country}, {city}): see mentionKind
}

// Classes of mentions, as bits of cueTerm.classes and matchToken.mentionKind.
const (
	mentionCountry uint8 = 1 << iota
	mentionCity
)

var mentionClasses = map[string]uint8{framework.ClassCountry: mentionCountry, framework.ClassCity: mentionCity}

// possessive is the cue word of a possessive's 's ("Russia's" is Russia and 's).
const possessive = "'s"

type cueWord struct {
	text   string // lemma of the cue word, or the prefix
	prefix bool
	exact  string // spelling the token must have, when the cue word has capitals
	id     int32  // text's number in Matcher.vocab (a lemma's), to compare numbers, not strings
}

// entryPoint says: phrase p may start at a token that matches its term t (t > 0 when
// all the terms before it are optional).
type entryPoint struct {
	phrase int
	term   int
}

// NewMatcher compiles the cues of fw. It fails if a cue does not parse, which
// framework.Parse has already ruled out for frameworks it loaded.
func NewMatcher(fw *framework.Framework) (*Matcher, error) {
	m := &Matcher{fw: fw, byLemma: map[string][]entryPoint{}, byPrefix: map[string][]entryPoint{}, vocab: map[string]int32{},
		scratch: make(chan *matchScratch, 64)}
	for di, d := range fw.Dimensions {
		var dimExcl []exclusion
		for _, src := range d.Exclude {
			c, err := fw.Cue(src)
			if err != nil {
				return nil, fmt.Errorf("dimension %s: exclude %q: %w", d.ID, src, err)
			}
			// An exclude entry is a phrase (with its own exclusions ignored).
			for _, v := range c.Variants {
				dimExcl = append(dimExcl, exclusion{m.addPhrase(v), "exclude: " + src})
			}
		}
		var dimCond *framework.Condition
		if d.Requires != "" {
			var err error
			if dimCond, err = framework.ParseCondition(d.Requires); err != nil {
				return nil, fmt.Errorf("dimension %s: requires: %w", d.ID, err)
			}
		}
		for _, src := range d.Cues {
			c, err := fw.Cue(src)
			if err != nil {
				return nil, fmt.Errorf("dimension %s: cue %q: %w", d.ID, src, err)
			}
			cc := compiledCue{dim: di, src: src, near: c.Near}
			for _, v := range c.Variants {
				cc.mains = append(cc.mains, m.addPhrase(v))
			}
			for _, v := range c.OtherVariants {
				cc.others = append(cc.others, m.addPhrase(v))
			}
			for _, ex := range c.Excludes {
				cc.excludes = append(cc.excludes, exclusion{m.addPhrase(ex), `-"` + termsString(ex) + `"`})
			}
			cc.excludes = append(cc.excludes, dimExcl...)
			cond := c.Requires
			if cond == nil {
				cond = dimCond
			}
			cc.cond = compileCondition(cond, d.Window)
			if cc.cond.active() {
				m.conditional = true
			}
			m.cues = append(m.cues, cc)
		}
	}
	if m.conditional {
		for _, list := range []struct {
			name string
			srcs []string
			bit  uint8
		}{{"international_wording", fw.InternationalWording, hasWording}, {"domestic_wording", fw.DomesticWording, hasDomestic}} {
			for _, src := range list.srcs {
				c, err := fw.Cue(src)
				if err != nil {
					return nil, fmt.Errorf("%s %q: %w", list.name, src, err)
				}
				var excl []int
				for _, ex := range c.Excludes {
					excl = append(excl, m.addPhrase(ex))
				}
				for _, v := range c.Variants {
					m.settingPhrases = append(m.settingPhrases, settingPhrase{m.addPhrase(v), list.bit, excl})
				}
			}
		}
		bodies, err := entities.Bodies()
		if err != nil {
			return nil, err
		}
		for _, name := range bodies {
			m.settingPhrases = append(m.settingPhrases, settingPhrase{phrase: m.addPhrase(nameTerms(name)), bit: hasBody})
		}
	}
	m.lemmaShapes, m.prefixShapes = words.ShapesOf(m.byLemma), words.ShapesOf(m.byPrefix)
	common := commonWords()
	m.common = make(map[string]*wordInfo, 2*len(common))
	infos := make([]wordInfo, 0, 2*len(common))
	forms := make([]string, 0, 2*len(common))
	for _, w := range common {
		for _, form := range []string{w, capitalise(w)} {
			if _, ok := m.common[form]; !ok {
				infos = append(infos, wordInfo{})
				forms = append(forms, form)
				m.common[form] = &infos[len(infos)-1]
			}
		}
	}
	// A word's facts depend on the compiled cues alone (fillWord only reads the
	// matcher), so the start-up's largest step is shared out over the CPUs.
	parts := min(runtime.GOMAXPROCS(0), 4)
	var wg sync.WaitGroup
	for p := 0; p < parts; p++ {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				m.fillWord(&infos[i], forms[i])
			}
		}(p*len(forms)/parts, (p+1)*len(forms)/parts)
	}
	wg.Wait()
	return m, nil
}

// addPhrase compiles a phrase, indexes its entry points and returns its id.
func (m *Matcher) addPhrase(terms []framework.Term) int {
	id := len(m.phrases)
	ct := make([]cueTerm, len(terms))
	for i, t := range terms {
		ct[i] = cueTerm{optional: t.Optional, gap: t.Gap}
		for _, w := range t.Alternatives {
			if w.Class != "" {
				// no word to compare: the token must open a mention of the class (see
				// markMentions); the parser keeps a class out of a phrase's first place
				ct[i].classes |= mentionClasses[w.Class]
				m.mentions |= mentionClasses[w.Class]
				continue
			}
			text := w.Text
			if !w.Prefix && text != possessive {
				text = words.Lemma(text)
			}
			ct[i].words = append(ct[i].words, cueWord{text: text, prefix: w.Prefix, exact: w.Exact, id: m.vocabAdd(text)})
		}
	}
	m.phrases = append(m.phrases, ct)
	for t := range ct {
		for _, w := range ct[t].words {
			ep := entryPoint{phrase: id, term: t}
			if w.prefix {
				k := w.text[:3]
				m.byPrefix[k] = append(m.byPrefix[k], ep)
			} else {
				m.byLemma[w.text] = append(m.byLemma[w.text], ep)
			}
		}
		if !ct[t].optional {
			break
		}
	}
	return id
}

// vocabAdd returns the number of a cue word's text in the matcher's vocabulary, adding
// it when new.
func (m *Matcher) vocabAdd(text string) int32 {
	id, ok := m.vocab[text]
	if !ok {
		id = int32(len(m.vocab))
		m.vocab[text] = id
	}
	return id
}

// vocabID returns the number of text in the vocabulary of cue words, or -1 when no
// cue word is spelt so.
func (m *Matcher) vocabID(text string) int32 {
	if id, ok := m.vocab[text]; ok {
		return id
	}
	return -1
}

// termsString writes a phrase back in cue syntax, for messages.
func termsString(terms []framework.Term) string {
	var b strings.Builder
	for i, t := range terms {
		if i > 0 && t.Alternatives != nil && t.Alternatives[0].Text == possessive {
			b.WriteString(possessive)
			continue
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		if t.Gap > 0 {
			fmt.Fprintf(&b, "~%d", t.Gap)
			continue
		}
		var alts []string
		for _, w := range t.Alternatives {
			a := w.Text
			if w.Exact != "" {
				a = w.Exact
			}
			if w.Prefix {
				a += "*"
			}
			alts = append(alts, a)
		}
		a := strings.Join(alts, "|")
		if t.Optional {
			a = "(" + a + ")"
		}
		b.WriteString(a)
	}
	return b.String()
}

// nameTerms turns the name of a body as the gazetteer writes it ("United Nations",
// "U.N.", "G20", "Group of 20") into a phrase: capitalised words and words with dots
// spelt exactly, the others on their lemma.
func nameTerms(name string) []framework.Term {
	var terms []framework.Term
	for _, f := range strings.Fields(name) {
		for _, part := range strings.Split(f, "-") {
			if part == "" {
				continue
			}
			w := framework.Word{Text: strings.ToLower(part)}
			if w.Text != part || strings.Contains(part, ".") {
				w.Exact = part
			}
			terms = append(terms, framework.Term{Alternatives: []framework.Word{w}})
		}
	}
	return terms
}

// matchToken is a word of the document as the matcher sees it: prose's tokens, with
// hyphenated words cut into their parts so "win-win" meets the cue "win win".
type matchToken struct {
	text       string
	*wordInfo        // lowercased form, lemma, entry points
	start, end int32 // byte offsets in the text (documents are at most 2 GiB)
	sentence   int32
	filler     bool // may sit between two cue words (the, its, each other's, adjectives)
	// free marks a filler that does not count against framework.DefaultFiller: a
	// comma, or the "and" or "or" of a list of modifiers ("global, regional and
	// national challenges", "peaceful and lasting solutions")
	free bool
	// mentionEnd is, on the first token of a mention of a class ({country}, {city}),
	// the index of the token after it; mentionKind holds its classes (0 elsewhere).
	mentionEnd  int32
	mentionKind uint8
}

// isModifierTag reports whether a part of speech can stand in a coordinated list of
// modifiers.
func isModifierTag(tag string) bool {
	switch tag {
	case "JJ", "JJR", "JJS", "CD", "VBN":
		return true
	}
	return false
}

// isFillerTag reports whether a part of speech may sit between consecutive cue
// words (a switch: it runs on every token, where a map lookup costs more).
func isFillerTag(tag string) bool {
	switch tag {
	case "DT", "PDT", "PRP$", "POS", "JJ", "JJR", "JJS", "CD":
		return true
	}
	return false
}

// word returns what the matcher knows of a token text: from the table of common words,
// or from the scratch space, where it is computed at the word's first occurrence.
func (m *Matcher) word(sc *matchScratch, text string) *wordInfo {
	if w, ok := sc.words[text]; ok {
		return w
	}
	text = strings.Clone(text) // the key, the lower case and the lemma keep no document
	if w, ok := m.common[text]; ok {
		sc.words[text] = w // one lookup next time
		return w
	}
	c, i := sc.used/wordInfoChunk, sc.used%wordInfoChunk
	if c == len(sc.chunks) {
		sc.chunks = append(sc.chunks, make([]wordInfo, wordInfoChunk))
	}
	sc.used++
	w := &sc.chunks[c][i]
	m.fillWord(w, text)
	sc.words[text] = w
	return w
}

// ligatures spells out the Latin ligatures of Unicode's Alphabetic Presentation Forms.
var ligatures = strings.NewReplacer("\ufb00", "ff", "\ufb01", "fi", "\ufb02", "fl", "\ufb03", "ffi", "\ufb04", "ffl", "\ufb05", "st", "\ufb06", "st")

// fillWord computes what the matcher knows of a token text.
func (m *Matcher) fillWord(w *wordInfo, text string) {
	// A PDF's typographic ligatures ("conﬂict", "artiﬁcial") are their letters.
	if strings.Contains(text, "\xef\xac") {
		text = ligatures.Replace(text)
	}
	*w = wordInfo{lower: strings.ToLower(text), lemma: words.Lemma(text)}
	w.lowerID, w.lemmaID = m.vocabID(w.lower), m.vocabID(w.lemma)
	// The entry points in the order findPhrases has always tried them: the lemma's,
	// the lowercased word's, then the wildcard prefixes of both.
	var eps []entryPoint
	if m.lemmaShapes.MayHave(w.lemma) {
		eps = m.byLemma[w.lemma]
	}
	if w.lower != w.lemma && m.lemmaShapes.MayHave(w.lower) {
		eps = append(eps[:len(eps):len(eps)], m.byLemma[w.lower]...)
	}
	if len(w.lower) >= 3 {
		if p := w.lower[:3]; m.prefixShapes.MayHave(p) {
			eps = append(eps[:len(eps):len(eps)], m.byPrefix[p]...)
		}
		if len(w.lemma) >= 3 && w.lemma[:3] != w.lower[:3] && m.prefixShapes.MayHave(w.lemma[:3]) {
			eps = append(eps[:len(eps):len(eps)], m.byPrefix[w.lemma[:3]]...)
		}
	}
	// Keep only the entry points whose term this word matches (an index bucket also
	// holds cue words spelt with capitals, and prefixes that share three letters), so
	// that test is made once per word, not at every token.
	// eps may be the index's own slice: it is copied before any entry is dropped.
	tok := matchToken{text: text, wordInfo: w}
	misses := func(ep entryPoint) bool { return !m.phrases[ep.phrase][ep.term].matches(&tok) }
	if slices.ContainsFunc(eps, misses) {
		eps = slices.DeleteFunc(slices.Clone(eps), misses)
	}
	if len(eps) == 0 {
		eps = nil
	}
	w.eps = eps
}

// matchTokens computes, once per document, the lowercased text and lemma of every
// word, into sc's token buffer.
func (m *Matcher) matchTokens(sc *matchScratch, text string, ann *annotate.Annotation) []matchToken {
	out := sc.toks[:0]
	var byID []*wordInfo
	var plain []uint8
	if n := len(ann.Words); n > 0 && len(ann.WordIDs) == len(ann.Tokens) {
		if cap(sc.byID) < n {
			sc.byID, sc.plain = make([]*wordInfo, n), make([]uint8, n)
		}
		byID, plain = sc.byID[:n], sc.plain[:n]
		clear(byID)
		clear(plain)
	}
	for ti, t := range ann.Tokens {
		if byID != nil {
			// A plain word (most of them) is matched as it is: the cases below, which
			// cut or trim a token, are decided once per distinct word of the document.
			id := ann.WordIDs[ti]
			if plain[id] == 0 {
				plain[id] = 2
				if plainWord(t.Text) {
					plain[id] = 1
				}
			}
			if plain[id] == 1 {
				w := byID[id]
				if w == nil {
					w = m.word(sc, t.Text)
					byID[id] = w
				}
				filler, free := fillerOf(ann.Tokens, ti, t.Text)
				out = append(out, matchToken{text: t.Text, wordInfo: w,
					start: int32(t.Start), end: int32(t.End), sentence: int32(t.Sentence), filler: filler, free: free})
				continue
			}
		}
		word, start, end := t.Text, t.Start, t.End
		// exact: the token's bytes are the text's, so offsets inside it are the text's
		exact := func() bool { return end-start == len(word) && end <= len(text) && text[start:end] == word }
		trimmed := false
		// A byte order mark glued to a document's first word is not part of it.
		if strings.HasPrefix(word, "\ufeff") && len(word) > len("\ufeff") && exact() {
			word, start, trimmed = word[len("\ufeff"):], start+len("\ufeff"), true
		}
		// Nor is Markdown glued to a word ("**climate", "change**", "*pandemic*",
		// "change](https://...", "<u>Launching"): the word is matched without it, and its
		// match spans the word alone.
		if words.HasMarkup(word) && exact() {
			if lo, hi := words.MarkupCore(word); hi > lo && (lo > 0 || hi < len(word)) {
				word, start, end, trimmed = word[lo:hi], start+lo, start+hi, true
			}
		}
		filler, free := fillerOf(ann.Tokens, ti, word)
		// An em or en dash or a slash glued to words ("Ukraine—with", "pandemic–and",
		// "HIV/AIDS", "Belfast/Good Friday") parts them: each is matched as a word of its
		// own, and the dash or slash stays a token between them, as a spaced one is. A
		// URL's slashes are left alone.
		if len(word) > 1 && hasSeparator(word) && exact() {
			for off := 0; off < len(word); {
				k, n := nextSeparator(word[off:])
				if k < 0 {
					k = len(word) - off
				}
				part, at := word[off:off+k], start+off
				if lo, hi := words.MarkupCore(part); hi > lo {
					out = m.appendHyphenated(out, sc, part[lo:hi], at+lo, t.Sentence, false, false)
				}
				if off += k; off < len(word) {
					sep := word[off : off+n]
					out = append(out, matchToken{text: sep, wordInfo: m.word(sc, sep),
						start: int32(start + off), end: int32(start + off + n), sentence: int32(t.Sentence)})
					off += n
				}
			}
			continue
		}
		// Split at inner hyphens when the token's bytes are the text's bytes, so the
		// parts keep exact offsets; not a bare URL, whose words are no text
		// ("https://.../tackling-the-climate-crisis").
		if strings.IndexByte(word, '-') > 0 && !isURL(word) && exact() {
			out = m.appendHyphenated(out, sc, word, start, t.Sentence, filler, free)
			continue
		}
		// prose keeps the period of a capitalised word of two or three letters as an
		// abbreviation's ("Mr.", "Dr."), also where it ends a sentence: "a new Cold
		// War." is "War." and would meet neither the cue "cold war" nor an exclusion
		// -"Act". At the end of its sentence the word is matched without the period,
		// and its match ends before it.
		if abbreviationShape(word) && endsSentence(ann.Tokens, ti) && exact() {
			word, end, trimmed = word[:len(word)-1], end-1, true
		}
		var w *wordInfo
		if trimmed {
			w = m.word(sc, word)
		} else if byID != nil { // computed once per distinct word of the document
			id := ann.WordIDs[ti]
			if w = byID[id]; w == nil {
				w = m.word(sc, word)
				byID[id] = w
			}
		} else {
			w = m.word(sc, word)
		}
		out = append(out, matchToken{text: word, wordInfo: w,
			start: int32(start), end: int32(end), sentence: int32(t.Sentence), filler: filler, free: free})
	}
	sc.toks = out
	return out
}

// fillerOf tells whether token ti, read as word, may sit between two cue words
// (filler) and whether it counts against framework.DefaultFiller (not when free).
func fillerOf(toks []annotate.Token, ti int, word string) (filler, free bool) {
	t := &toks[ti]
	isWord := word != "" && (isAlnum(word[0]) || word[0] >= 0x80 && word != "—" && word != "–" || word == "'s")
	// Commas count as filler too, so lists meet list cues ("peace, security and
	// development" for "peace security and development").
	filler = isWord && isFillerTag(t.Tag) || word == ","
	free = word == ","
	// The "and" or "or" of a list of modifiers is filler: "global, regional and
	// national challenges", "peaceful and lasting solutions".
	if (word == "and" || word == "or") && ti > 0 && ti+1 < len(toks) &&
		toks[ti-1].Sentence == t.Sentence && toks[ti+1].Sentence == t.Sentence &&
		(isModifierTag(toks[ti-1].Tag) || toks[ti-1].Text == ",") && isModifierTag(toks[ti+1].Tag) && toks[ti+1].Tag != "CD" {
		filler, free = true, true
	}
	return filler, free
}

// plainWord reports whether matchTokens takes token text as it is, whatever its place:
// no byte order mark, markup, dash, slash or hyphen to cut at, no abbreviation's
// period to drop.
func plainWord(text string) bool {
	return !strings.HasPrefix(text, "\ufeff") && !words.HasMarkup(text) && !(len(text) > 1 && hasSeparator(text)) &&
		strings.IndexByte(text, '-') <= 0 && !abbreviationShape(text)
}

// isURL reports whether word is a web address.
func isURL(word string) bool {
	return strings.Contains(word, "://") || strings.HasPrefix(word, "www.")
}

// hasSeparator reports whether word holds an em or en dash, or a slash between words
// that is not a URL's or a path's.
func hasSeparator(word string) bool {
	if strings.IndexByte(word, '/') >= 0 && !isURL(word) && !strings.HasPrefix(word, "/") &&
		strings.IndexFunc(word, unicode.IsLetter) >= 0 { // not a fraction or a page number ("51/52")
		return true
	}
	return strings.IndexByte(word, 0xE2) >= 0 && (strings.Contains(word, "\u2014") || strings.Contains(word, "\u2013"))
}

// nextSeparator returns where the first dash or slash of s is and its length in bytes,
// or -1.
func nextSeparator(s string) (at, n int) {
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '/':
			return i, 1
		case s[i] == 0xE2 && (strings.HasPrefix(s[i:], "\u2014") || strings.HasPrefix(s[i:], "\u2013")):
			return i, len("\u2014")
		}
	}
	return -1, 0
}

// appendHyphenated appends word, which starts at byte start of the text, as its parts
// between hyphens ("win-win" is win and win), each with its own offsets.
func (m *Matcher) appendHyphenated(out []matchToken, sc *matchScratch, word string, start, sentence int, filler, free bool) []matchToken {
	off := start
	for _, part := range strings.Split(word, "-") {
		if part != "" {
			out = append(out, matchToken{text: part, wordInfo: m.word(sc, part),
				start: int32(off), end: int32(off + len(part)), sentence: int32(sentence), filler: filler, free: free})
		}
		off += len(part) + 1
	}
	return out
}

// endsSentence reports whether token i is the last of its sentence.
func endsSentence(toks []annotate.Token, i int) bool {
	return i+1 == len(toks) || toks[i+1].Sentence != toks[i].Sentence
}

// abbreviationShape reports whether word is what prose's tokenizer keeps whole as an
// abbreviation: a capital, one or two lower-case letters and a period ("War.", "Sea.",
// "Act.", and "Mr.").
func abbreviationShape(word string) bool {
	n := len(word)
	if n < 3 || n > 4 || word[n-1] != '.' || word[0] < 'A' || word[0] > 'Z' {
		return false
	}
	for i := 1; i < n-1; i++ {
		if word[i] < 'a' || word[i] > 'z' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (w cueWord) matches(t *matchToken) bool {
	if w.prefix {
		return strings.HasPrefix(t.lower, w.text) || strings.HasPrefix(t.lemma, w.text)
	}
	if w.text == possessive {
		return t.lower == possessive || t.lower == "’s"
	}
	if w.exact != "" {
		return t.text == w.exact || len(t.text) == len(w.exact)+1 && t.text[len(t.text)-1] == 's' && t.text[:len(w.exact)] == w.exact
	}
	return t.lemmaID == w.id || t.lowerID == w.id // t.lemma == w.text || t.lower == w.text
}

func (t cueTerm) matches(tok *matchToken) bool {
	if t.classes&tok.mentionKind != 0 {
		return true
	}
	for _, w := range t.words {
		if w.matches(tok) {
			return true
		}
	}
	return false
}

// span is a phrase found at tokens [first, last) of the match stream.
type span struct{ first, last int }

// extend matches terms[t:] with the next word at or after toks[pos] and returns the
// largest end (exclusive token index) of a full match, or -1. Between two words up to
// framework.DefaultFiller filler tokens may be skipped; ~N gaps skip any N tokens.
func extend(terms []cueTerm, t, pos int, toks []matchToken, sent int32) int {
	if t == len(terms) {
		return pos
	}
	term := terms[t]
	best := -1
	if term.gap > 0 {
		for g := 0; g <= term.gap && pos+g <= len(toks); g++ {
			if g > 0 && toks[pos+g-1].sentence != sent {
				break
			}
			if r := extend(terms, t+1, pos+g, toks, sent); r > best {
				best = r
			}
		}
		return best
	}
	if term.optional {
		best = extend(terms, t+1, pos, toks, sent)
	}
	for p, skipped := pos, 0; p < len(toks) && toks[p].sentence == sent; p++ {
		if term.matches(&toks[p]) {
			if r := extend(terms, t+1, p+1, toks, sent); r > best {
				best = r
			}
			// a class ({country}, {city}) takes the mention's tokens whole ("to the Republic of Korea")
			if term.classes&toks[p].mentionKind != 0 && toks[p].mentionEnd > int32(p+1) {
				if r := extend(terms, t+1, int(toks[p].mentionEnd), toks, sent); r > best {
					best = r
				}
			}
		}
		if !toks[p].filler || skipped >= framework.DefaultFiller && !toks[p].free {
			break
		}
		if !toks[p].free {
			skipped++
		}
	}
	return best
}

// Match returns every cue of the framework found in text, whose annotation is ann,
// sorted by Start then Dimension, as Find does for a document without entities (so
// no sentence has the setting "state").
func (m *Matcher) Match(text string, ann *annotate.Annotation) []Match {
	matches, _ := m.Find(Document{Text: text, Annotation: ann}, false)
	return matches
}

// Find returns every cue of the framework found in the document, sorted by Start then
// Dimension. Matches stay inside one sentence. When matches of one dimension overlap
// in a sentence, the longest wins (then the earliest), so a stretch of text counts
// once per dimension: "mutual respect and non-interference" is one hit if one cue
// covers it all. A cue is dropped in a sentence that holds one of its exclusions, and
// when its condition (its own @setting, or its dimension's requires:) finds none of
// its settings in the sentence or the window around it.
//
// With vetoed, Find also returns the matches so dropped, each with its Veto, resolved
// among themselves as the counted ones are and left out where a counted match of
// their dimension covers them: what a framework author needs to see which exclusion
// or condition removed what.
func (m *Matcher) Find(doc Document, vetoed bool) (matches, dropped []Match) {
	sc := m.getScratch()
	defer m.putScratch(sc)
	toks := m.matchTokens(sc, doc.Text, doc.Annotation)
	if m.mentions != 0 {
		markMentions(toks, doc.Entities, m.mentions)
	}
	hits := m.findPhrases(sc, toks)
	var settings []uint8
	if m.conditional {
		settings = m.settings(doc, toks, hits)
	}

	// The longest hit of each phrase: a NEAR cue looks for the other phrase's hits in
	// a window around each hit of its own (hits are in text order), not through all of
	// them, which on a text of nothing but the two phrases costs the square of its length.
	longest := sc.longest
	for _, p := range sc.touched {
		for _, h := range hits[p] {
			longest[p] = max(longest[p], h.last-h.first)
		}
	}
	cands, vetoes := sc.cands[:0], []candidate(nil)
	var one [1]span // the span of a hit with no other phrase to meet
	for ci := range m.cues {
		c := &m.cues[ci]
		for _, main := range c.mains {
			for _, h := range hits[main] {
				sent := toks[h.first].sentence
				var sps []span
				if len(c.others) == 0 {
					one[0] = h
					sps = one[:]
				} else {
					for _, other := range c.others {
						others := hits[other]
						from := h.first - c.near - longest[other] // no hit starting before it ends near h
						lo := sort.Search(len(others), func(k int) bool { return others[k].first >= from })
						for _, o := range others[lo:] {
							if o.first-h.last > c.near {
								break // and none after it
							}
							if toks[o.first].sentence == sent && h.first-o.last <= c.near {
								sps = append(sps, span{min(h.first, o.first), max(h.last, o.last)})
							}
						}
					}
				}
				if len(sps) == 0 {
					continue
				}
				veto := m.excluded(c, sent, hits, toks)
				if veto == "" && c.cond.active() && !c.cond.holds(settings, int(sent)) {
					veto = c.cond.src
				}
				for _, sp := range sps {
					cd := candidate{cue: ci, sent: sent, sp: sp, veto: veto}
					if veto == "" {
						cands = append(cands, cd)
					} else if vetoed {
						vetoes = append(vetoes, cd)
					}
				}
			}
		}
	}
	matches = m.resolve(cands, toks)
	sc.cands = cands
	if vetoed && len(vetoes) > 0 {
		for _, v := range m.resolve(vetoes, toks) {
			covered := false
			for _, k := range matches {
				if k.Dimension == v.Dimension && k.Sentence == v.Sentence && k.Start < v.End && v.Start < k.End {
					covered = true
					break
				}
			}
			if !covered {
				dropped = append(dropped, v)
			}
		}
	}
	return matches, dropped
}

// settings returns the setting bits of every sentence of the document: the
// entities with a country code (a population only beside another country's, see
// entities.NamesPopulation, and no name inside a domestic phrase), the bodies, the
// international and the domestic wording found (each unless its exclusions hold).
func (m *Matcher) settings(doc Document, toks []matchToken, hits [][]span) []uint8 {
	n := len(doc.Annotation.Sentences)
	if len(toks) > 0 && int(toks[len(toks)-1].sentence) >= n {
		n = int(toks[len(toks)-1].sentence) + 1
	}
	out := make([]uint8, n)
	var domestic [][2]int // the byte spans of the domestic phrases found, in text order
	for _, p := range m.settingPhrases {
		for _, h := range hits[p.phrase] {
			sent := toks[h.first].sentence
			excluded := false
			for _, ex := range p.excludes {
				excluded = excluded || hitIn(ex, sent, hits, toks)
			}
			if !excluded {
				out[sent] |= p.bit
				if p.bit == hasDomestic {
					domestic = append(domestic, [2]int{int(toks[h.first].start), int(toks[h.last-1].end)})
				}
			}
		}
	}
	sort.Slice(domestic, func(i, j int) bool { return domestic[i][0] < domestic[j][0] })
	longest := 0
	for _, sp := range domestic {
		longest = max(longest, sp[1]-sp[0])
	}
	// A sentence names a state with a country's name or an adjective of its state
	// ("Saudi leaders"), but not with a name inside a domestic phrase ("in America",
	// "across America"); a population ("Americans", "the American people") counts only
	// beside the population of another country ("peace between Palestinians and
	// Israelis"), for "Americans were dying from COVID" is about home. When the
	// document's home is known, its own name and adjective count no more than its
	// population does.
	var population map[int]string // sentence -> the one country whose population it names
	var named map[int]string      // sentence -> the first country it names (the home too)
	for _, e := range doc.Entities {
		if e.ISO3 == "" || e.Sentence < 0 || e.Sentence >= n || out[e.Sentence]&(hasState|hasStates) == hasState|hasStates {
			continue // (a sentence with both settings learns nothing more)
		}
		people := namesPopulation(doc.Text, toks, e)
		// "states": two countries side by side, whoever's home ("the United States and
		// Israel", "Palestinians and Israelis"), a name inside a domestic phrase aside.
		if out[e.Sentence]&hasStates == 0 && (people || !insideAny(domestic, longest, e.Start, e.End)) {
			if named == nil {
				named = map[int]string{}
			}
			if first, ok := named[e.Sentence]; !ok {
				named[e.Sentence] = e.ISO3
			} else if first != e.ISO3 {
				out[e.Sentence] |= hasStates
			}
		}
		if out[e.Sentence]&hasState != 0 {
			continue
		}
		if people {
			if population == nil {
				population = map[int]string{}
			}
			if other, ok := population[e.Sentence]; !ok {
				population[e.Sentence] = e.ISO3
				continue
			} else if other == e.ISO3 {
				continue
			}
		} else if e.ISO3 == doc.Home || insideAny(domestic, longest, e.Start, e.End) {
			continue
		}
		out[e.Sentence] |= hasState
	}
	return out
}

// UsesCities reports whether some cue holds {city}, which reads the canonical names of
// a document's cities (a framework rerun must then read them from entities.parquet).
func (m *Matcher) UsesCities() bool { return m.mentions&mentionCity != 0 }

// markMentions places the document's mentions of the classes wanted on its tokens:
// the first token inside a mention gets the index of the first token after it (within
// its sentence) and the mention's class. A country is an entity with a country code;
// a city, a GPE the gazetteer knows as one (entities.CityOf).
func markMentions(toks []matchToken, ents []entities.Entity, want uint8) {
	for _, e := range ents {
		var kind uint8
		switch {
		case e.ISO3 != "":
			kind = mentionCountry
		case e.Label == "GPE" && entities.CityOf(e.Canonical) != "":
			kind = mentionCity
		}
		if kind&want == 0 || e.Start >= e.End {
			continue
		}
		k := sort.Search(len(toks), func(k int) bool { return int(toks[k].start) >= e.Start })
		if k == len(toks) || int(toks[k].end) > e.End {
			continue // no token inside the mention (a stale row, or offsets inside a token)
		}
		end := k + 1
		for end < len(toks) && int(toks[end].end) <= e.End && toks[end].sentence == toks[k].sentence {
			end++
		}
		toks[k].mentionEnd = max(toks[k].mentionEnd, int32(end))
		toks[k].mentionKind |= kind
	}
}

// namesPopulation reports whether entity e names a country's population (see
// entities.NamesPopulation), reading the word after it from the document's tokens.
func namesPopulation(text string, toks []matchToken, e entities.Entity) bool {
	if e.Label != "NORP" || e.Start < 0 || e.End > len(text) || e.Start >= e.End {
		return false // offsets past the text (a stale row) say nothing
	}
	next := ""
	if k := sort.Search(len(toks), func(k int) bool { return int(toks[k].start) >= e.End }); k < len(toks) {
		// its letters, without what Markdown glues to a token ("people.**", "households](")
		next = toks[k].lower
		if i := strings.IndexFunc(next, func(r rune) bool { return !unicode.IsLetter(r) }); i >= 0 {
			next = next[:i]
		}
	}
	return entities.NamesPopulation(e.Label, text[e.Start:e.End], next)
}

// insideAny reports whether [start, end) lies inside one of the spans (sorted by
// start, none longer than longest).
func insideAny(spans [][2]int, longest, start, end int) bool {
	k := sort.Search(len(spans), func(k int) bool { return spans[k][0] > start })
	for k--; k >= 0 && spans[k][0] >= start-longest; k-- {
		if spans[k][1] >= end {
			return true
		}
	}
	return false
}

// settingPhrase is a phrase that gives a sentence a setting (its bit), unless the
// sentence holds one of its exclusions.
type settingPhrase struct {
	phrase   int
	bit      uint8
	excludes []int
}

// holds reports whether sentence s, or one within the window around it, has one of
// the condition's settings.
func (c condition) holds(settings []uint8, s int) bool {
	var seen uint8
	for i := max(0, s-c.window); i <= s+c.window && i < len(settings); i++ {
		if settings[i]&c.mask != 0 {
			return true
		}
		seen |= settings[i]
	}
	// A negated setting holds when no sentence of the window has it.
	return c.neg&^seen != 0
}

type candidate struct {
	cue  int
	sent int32
	sp   span
	veto string
}

// findPhrases walks the tokens once and returns, for every phrase, where it occurs.
func (m *Matcher) findPhrases(sc *matchScratch, toks []matchToken) [][]span {
	// The previous document's hits go (the arrays stay, for this one's).
	for _, p := range sc.touched {
		sc.hits[p], sc.longest[p] = sc.hits[p][:0], 0
	}
	sc.touched, sc.nHits = sc.touched[:0], 0
	if len(sc.hits) != len(m.phrases) {
		sc.hits, sc.longest = make([][]span, len(m.phrases)), make([]int, len(m.phrases))
	}
	hits := sc.hits
	try := func(eps []entryPoint, i int) {
		for _, ep := range eps {
			terms := m.phrases[ep.phrase] // toks[i] matches terms[ep.term] (see word)
			end := extend(terms, ep.term+1, i+1, toks, toks[i].sentence)
			if end < 0 {
				continue
			}
			// One phrase found twice at the same start (through two entry points):
			// keep the longer.
			hs := hits[ep.phrase]
			if n := len(hs); n > 0 && hs[n-1].first == i {
				if end > hs[n-1].last {
					hs[n-1].last = end
				}
				continue
			}
			if len(hs) == 0 {
				sc.touched = append(sc.touched, int32(ep.phrase))
			}
			hits[ep.phrase] = append(hs, span{i, end})
			sc.nHits++
		}
	}
	for i := range toks {
		if eps := toks[i].eps; len(eps) > 0 {
			try(eps, i)
		}
	}
	return hits
}

// excluded returns the first of the cue's exclusions that occurs in the sentence, or "".
func (m *Matcher) excluded(c *compiledCue, sent int32, hits [][]span, toks []matchToken) string {
	for _, ex := range c.excludes {
		if hitIn(ex.phrase, sent, hits, toks) {
			return ex.src
		}
	}
	return ""
}

// hitIn reports whether phrase p has a hit in sentence sent.
func hitIn(p int, sent int32, hits [][]span, toks []matchToken) bool {
	// Hits are in text order, so in sentence order: the first in the sentence or
	// after it tells.
	hs := hits[p]
	k := sort.Search(len(hs), func(k int) bool { return toks[hs[k].first].sentence >= sent })
	return k < len(hs) && toks[hs[k].first].sentence == sent
}

// resolve keeps, per dimension and sentence, the longest non-overlapping candidates,
// places them in the text and flags negation.
func (m *Matcher) resolve(cands []candidate, toks []matchToken) []Match {
	dimOf := func(c candidate) int { return m.cues[c.cue].dim }
	sort.Slice(cands, func(a, b int) bool {
		ca, cb := cands[a], cands[b]
		if da, db := dimOf(ca), dimOf(cb); da != db {
			return da < db
		}
		if ca.sent != cb.sent {
			return ca.sent < cb.sent
		}
		la, lb := ca.sp.last-ca.sp.first, cb.sp.last-cb.sp.first
		if la != lb {
			return la > lb
		}
		if ca.sp.first != cb.sp.first {
			return ca.sp.first < cb.sp.first
		}
		return ca.cue < cb.cue
	})
	var out []Match
	// The tokens the kept candidates of the current dimension and sentence cover: a
	// candidate overlaps a kept one exactly when it covers one of them. (A list of the
	// kept spans, checked one by one, costs the square of their number, and a sentence
	// of a hundred thousand "win-win"s has that many.)
	covered := make([]bool, len(toks))
	var touched []int32
	for i, c := range cands {
		if i == 0 || dimOf(c) != dimOf(cands[i-1]) || c.sent != cands[i-1].sent {
			for _, t := range touched {
				covered[t] = false
			}
			touched = touched[:0]
		}
		overlaps := false
		for t := c.sp.first; t < c.sp.last; t++ {
			if covered[t] {
				overlaps = true
				break
			}
		}
		if overlaps {
			continue
		}
		for t := c.sp.first; t < c.sp.last; t++ {
			covered[t] = true
			touched = append(touched, int32(t))
		}
		out = append(out, Match{
			Dimension: m.fw.Dimensions[dimOf(c)].ID,
			Cue:       m.cues[c.cue].src,
			Sentence:  int(c.sent),
			Start:     int(toks[c.sp.first].start),
			End:       int(toks[c.sp.last-1].end),
			Negated:   negated(toks, c.sp.first),
			Veto:      c.veto,
		})
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Start != out[b].Start {
			return out[a].Start < out[b].Start
		}
		return out[a].Dimension < out[b].Dimension
	})
	return out
}

// capitalise returns w with its first letter in upper case (ASCII).
func capitalise(w string) string {
	if w == "" || w[0] < 'a' || w[0] > 'z' {
		return w
	}
	return string(w[0]-'a'+'A') + w[1:]
}

// commonWords lists the corpus's common words (words.Common) and the
// punctuation of every document.
func commonWords() []string {
	punct := []string{",", ".", ";", ":", "(", ")", "\"", "'", "-", "—", "–", "?", "!", "'s", "n't", "%", "/"}
	return append(punct, words.Common()...)
}
