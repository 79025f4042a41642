package phrases

import (
	"strings"
	"unicode"

	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/extractors/words"
)

// Phrase is a mechanism phrase: a noun phrase whose head is an institutional noun
// ("strategic dialogue mechanisms", "mechanisms of crisis management and conflict
// resolution"), placed in the document text.
type Phrase struct {
	Sentence   int    // index of the sentence in the annotate.Annotation
	Start      int    // byte offset of the phrase's first byte
	End        int    // byte offset one past its last byte
	Text       string // text[Start:End]
	Normalized string // lowercased lemmas joined by spaces, commas dropped: the grouping key
	Head       string // the institutional head as the framework spells it (singular)
}

// Extractor finds mechanism phrases with the part-of-speech tags of an
// annotate.Annotation. It is read-only after NewExtractor and safe for concurrent use.
type Extractor struct {
	// heads maps a lowercased head and its words.Lemma to the head as the framework gives it,
	// so "mechanisms", "Mechanism" and "mechanism" all find "mechanism" even where words.Lemma
	// is not idempotent.
	heads  map[string]string
	shapes *words.Shapes // of heads' keys: most words need no lookup
	// starts marks the first three lower-case letters of every head key (and of its
	// lemma): a word that starts otherwise is no head, and needs no lemma. A key that
	// does not start with three ASCII letters turns the test off (anyStart).
	starts   *[26 * 26 * 26]bool
	anyStart bool
}

// start3 is the index of s's first three letters in Extractor.starts, or -1 when they
// are not three lower-case ASCII letters.
func start3(s string) int {
	if len(s) < 3 {
		return -1
	}
	i := 0
	for k := 0; k < 3; k++ {
		c := s[k]
		if c < 'a' || c > 'z' {
			return -1
		}
		i = i*26 + int(c-'a')
	}
	return i
}

// NewExtractor returns an extractor for phrases headed by one of heads, the
// singular institutional nouns of a framework (framework.Framework.InstitutionalHeads).
func NewExtractor(heads []string) *Extractor {
	m := make(map[string]string, 2*len(heads))
	for _, h := range heads {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			continue
		}
		if _, ok := m[h]; !ok {
			m[h] = h
		}
		if l := words.Lemma(h); l != h {
			if _, ok := m[l]; !ok {
				m[l] = h
			}
		}
	}
	e := &Extractor{heads: m, shapes: words.ShapesOf(m), starts: new([26 * 26 * 26]bool)}
	for k := range m {
		if i := start3(k); i >= 0 {
			e.starts[i] = true
		} else {
			e.anyStart = true
		}
	}
	return e
}

// head returns the institutional head a noun token stands for, "" if none.
func (e *Extractor) head(word string) string {
	w := core(word)
	if words.HasUpperOrNonASCII(w) {
		w = strings.ToLower(w)
	}
	// An English noun's lemma starts as the noun does ("bodies", "body"), so a word
	// whose start no head has is none.
	if i := start3(w); !e.anyStart && (i < 0 || !e.starts[i]) {
		return ""
	}
	if e.shapes.MayHave(w) {
		if h, ok := e.heads[w]; ok {
			return h
		}
	}
	if l := words.Lemma(w); e.shapes.MayHave(l) {
		return e.heads[l]
	}
	return ""
}

// headFinder returns a function giving the institutional head that token i of ann
// stands for. When ann lists its distinct words, each word is looked up once.
func (e *Extractor) headFinder(ann *annotate.Annotation) func(i int) string {
	if ann.Words == nil || len(ann.WordIDs) != len(ann.Tokens) {
		return func(i int) string { return e.head(ann.Tokens[i].Text) }
	}
	heads := make([]string, len(ann.Words))
	known := make([]bool, len(ann.Words))
	return func(i int) string {
		id := ann.WordIDs[i]
		if !known[id] {
			heads[id], known[id] = e.head(ann.Words[id]), true
		}
		return heads[id]
	}
}

// hasWordChar reports whether a token holds a letter or a digit, which punctuation,
// whatever tag prose gave it, does not.
func hasWordChar(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

func isNounTag(tag string) bool { return strings.HasPrefix(tag, "NN") }

// core is a token without the Markdown or HTML glued to it ("**Committee**",
// "Initiative](https://...", "<u>Global"): the word the phrase is made of.
func core(tok string) string {
	if !words.HasMarkup(tok) {
		return tok
	}
	lo, hi := words.MarkupCore(tok)
	return tok[lo:hi]
}

// markup reports whether markup is glued before (opens) and after (closes) a token's
// word: an emphasis, link or tag that starts or ends there bounds the phrase.
func markup(tok string) (opens, closes bool) {
	if !words.HasMarkup(tok) {
		return false, false
	}
	lo, hi := words.MarkupCore(tok)
	return lo > 0, hi < len(tok)
}

// coreBounds returns the byte offsets of a token's word, without its markup.
func coreBounds(t *annotate.Token) (start, end int) {
	if !words.HasMarkup(t.Text) {
		return t.Start, t.End
	}
	lo, hi := words.MarkupCore(t.Text)
	return t.Start + lo, t.Start + hi
}

func isAdjTag(tag string) bool { return strings.HasPrefix(tag, "JJ") }

// Extract returns the mechanism phrases of text, in text order, from the tags of ann
// (the annotate.Annotation of text).
//
// A phrase is chunked around a head noun, the last noun of a run of nouns, whose lemma
// is an institutional head. Leftwards it takes the premodifiers: adjectives, nouns,
// numbers, participles used as adjectives, adverbs in -ly before an adjective
// ("mutually beneficial"), and coordinations of modifiers ("bilateral, regional and
// multilateral"); it stops at a determiner, a possessive, a verb or a preposition, so
// determiners never start a phrase. Rightwards it takes one "of" complement, itself a
// noun phrase or a coordination of them ("mechanisms of divergence control, crisis
// management and conflict resolution", whose head is "mechanism"). A bare head with
// neither modifier nor complement ("through dialogue") is not a phrase: it says nothing
// the cue matches do not already say.
func (e *Extractor) Extract(text string, ann *annotate.Annotation) []Phrase {
	if ann == nil || len(e.heads) == 0 {
		return nil
	}
	toks := ann.Tokens
	hd := e.headFinder(ann)
	var out []Phrase
	floor := 0 // first token a phrase may start at: the end of the previous phrase
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		if !isNounTag(t.Tag) || (i+1 < len(toks) && toks[i+1].Sentence == t.Sentence &&
			isNounTag(toks[i+1].Tag) && hasWordChar(toks[i+1].Text)) {
			continue // not the last noun of a noun run
		}
		head := hd(i)
		if head == "" || e.modifiesLaterHead(toks, i, hd) {
			continue
		}
		// Markdown or HTML glued to the head bounds the phrase on that side: in
		// "**Strategic Dialogue**" the bold closes after the head, so no "of" follows.
		opens, closes := markup(t.Text)
		first, last := i, i
		if !opens {
			first = e.extendLeft(toks, i, floor)
		}
		if !closes {
			last = extendOf(toks, i)
		}
		if first == i && last == i {
			continue
		}
		start, _ := coreBounds(&toks[first])
		_, end := coreBounds(&toks[last])
		out = append(out, Phrase{
			Sentence:   t.Sentence,
			Start:      start,
			End:        end,
			Text:       text[start:end],
			Normalized: normalizePhrase(toks[first:last+1], i-first, head),
			Head:       head,
		})
		floor = last + 1
		i = last // a head inside an "of" complement belongs to this phrase
	}
	return out
}

// maxModifiers bounds the tokens a phrase's modifiers span on either side of a head.
const maxModifiers = 64

// modifiesLaterHead reports whether the singular noun toks[i] is a modifier coordinated
// with others before a later institutional head ("dialogue and cooperation mechanism")
// rather than a head of its own: a conjunction or comma follows it and the run of
// modifiers after that ends on an institutional head.
func (e *Extractor) modifiesLaterHead(toks []annotate.Token, i int, hd func(int) string) bool {
	if t := toks[i].Tag; t == "NNS" || t == "NNPS" {
		return false
	}
	last := -1
	// A list of modifiers is never longer than maxModifiers tokens; without the bound a
	// sentence of nothing but "dialogue and cooperation ..." costs the square of its
	// length.
	for j := i + 1; j < len(toks) && j <= i+maxModifiers && toks[j].Sentence == toks[i].Sentence; j++ {
		tag := toks[j].Tag
		if j == i+1 && tag != "CC" && tag != "," {
			return false
		}
		if tag != "," && !hasWordChar(toks[j].Text) {
			break
		}
		if isNounTag(tag) {
			last = j
		} else if !(isAdjTag(tag) || tag == "CD" || tag == "VBN" || tag == "CC" || tag == ",") {
			break
		}
	}
	return last > i && hd(last) != ""
}

// extendLeft returns the index of the first token of the phrase whose head is toks[h],
// not before floor and not across a sentence boundary.
func (e *Extractor) extendLeft(toks []annotate.Token, h, floor int) int {
	first := h
	sawCC := false // a comma joins modifiers only in a list closed by a conjunction
	for j := h - 1; j >= floor && j >= h-maxModifiers && toks[j].Sentence == toks[h].Sentence; j-- {
		t := &toks[j]
		if t.Tag != "," && !hasWordChar(t.Text) {
			return first // prose tags quotes as JJ, CD or even VBP
		}
		opens, closes := markup(t.Text)
		if closes {
			return first // an emphasis or link that ends before the head is not its own
		}
		if opens && (isNounTag(t.Tag) || isAdjTag(t.Tag) || t.Tag == "CD") {
			return j // "**Strategic": the emphasis opens the phrase
		}
		switch {
		case isNounTag(t.Tag), isAdjTag(t.Tag), t.Tag == "CD":
			first = j
		case t.Tag == "VBN" || t.Tag == "VBG":
			if !participleIsAdjective(toks, j, floor) {
				return first
			}
			first = j
		case t.Tag == "RB":
			// "mutually beneficial": an -ly adverb before an adjective or participle.
			nt := toks[j+1].Tag
			w := strings.ToLower(t.Text)
			if _, focus := focusAdverbs[w]; focus || !strings.HasSuffix(w, "ly") || !(isAdjTag(nt) || nt == "VBN") {
				return first
			}
			first = j
		case t.Tag == "CC" || t.Tag == ",":
			if t.Tag == "CC" {
				w := strings.ToLower(t.Text)
				if w != "and" && w != "or" {
					return first
				}
				sawCC = true
			} else if !sawCC {
				return first
			}
			// The conjunction joins modifiers only when a modifier stands on its left.
			// A plural noun there is more likely a head of its own ("core interests and
			// major concerns"), so it ends the phrase.
			if j-1 < floor || toks[j-1].Sentence != t.Sentence {
				return first
			}
			lt := toks[j-1].Tag
			if !(isAdjTag(lt) || lt == "NN" || lt == "NNP" || lt == "CD" || lt == "VBN") {
				return first
			}
			// first stays right of the conjunction until a modifier is taken on its left.
		default:
			return first
		}
	}
	return first
}

// focusAdverbs end in -ly but bear on the clause, not on the adjective after them
// ("not only strategic dialogue mechanisms").
var focusAdverbs = map[string]struct{}{
	"only": {}, "merely": {}, "solely": {}, "mainly": {}, "mostly": {}, "particularly": {},
	"especially": {}, "simply": {}, "largely": {}, "partly": {}, "really": {}, "clearly": {},
	"certainly": {}, "exactly": {}, "nearly": {}, "likely": {}, "equally": {}, "primarily": {},
}

// participleIsAdjective reports whether the participle toks[j] modifies the noun after
// it rather than being a verb: it is so after a determiner, a possessive, another
// modifier or a conjunction, and a past participle also after a preposition ("under
// established mechanisms"; "by strengthening dialogue" is a verb).
func participleIsAdjective(toks []annotate.Token, j, floor int) bool {
	if j-1 < floor || toks[j-1].Sentence != toks[j].Sentence {
		return false
	}
	switch lt := toks[j-1].Tag; {
	case lt == "DT" || lt == "PRP$" || lt == "POS" || isAdjTag(lt) || lt == "CC" || lt == "," || lt == "CD":
		return true
	case lt == "IN":
		return toks[j].Tag == "VBN"
	}
	return false
}

// extendOf returns the index of the last token of the phrase whose head is toks[h]:
// the end of an "of" complement if one follows, else h.
func extendOf(toks []annotate.Token, h int) int {
	j := h + 1
	if j >= len(toks) || toks[j].Sentence != toks[h].Sentence || strings.ToLower(toks[j].Text) != "of" {
		return h // "of" with markup glued to it ("of**") ends an emphasis: no complement
	}
	j++
	if j < len(toks) && toks[j].Sentence == toks[h].Sentence && toks[j].Tag == "DT" {
		switch strings.ToLower(toks[j].Text) {
		case "the", "a", "an":
			j++ // "the Conference of the Parties"
		}
	}
	last := h
	for ; j < len(toks) && toks[j].Sentence == toks[h].Sentence; j++ {
		t := &toks[j]
		if t.Tag != "," && !hasWordChar(t.Text) {
			return last
		}
		opens, closes := markup(t.Text)
		if opens {
			return last // an emphasis or link starts: not the complement's
		}
		switch {
		case isNounTag(t.Tag):
			last = j // the complement ends on a noun
			if closes {
				return last
			}
		case isAdjTag(t.Tag), t.Tag == "CD", t.Tag == "VBN", t.Tag == "VBG", t.Tag == "CC", t.Tag == ",":
			if t.Tag == "CC" {
				if w := strings.ToLower(t.Text); w != "and" && w != "or" {
					return last
				}
			}
		default:
			return last
		}
	}
	return last
}

// normalizePhrase is a phrase's grouping key: its words lowercased, commas dropped,
// the head in its listed singular form and other plural common nouns (NNS) made
// singular, so that "Strategic Dialogue Mechanisms" and "strategic dialogue mechanism"
// are one key. Other words keep their form: a lemma of every word would read "unite
// nation system" for "United Nations system" and "arm group" for "armed groups".
func normalizePhrase(toks []annotate.Token, headAt int, head string) string {
	var b strings.Builder
	for i, t := range toks {
		if t.Tag == "," {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		switch w := strings.ToLower(core(t.Text)); {
		case i == headAt:
			b.WriteString(head)
		case t.Tag == "NNS":
			b.WriteString(singular(w))
		default:
			b.WriteString(w)
		}
	}
	return b.String()
}

// singular returns the singular of a plural common noun.
func singular(w string) string {
	// words.Lemma also reduces verb forms; on a noun tagged plural only its plural rules apply
	// in practice, except for nouns in -ings ("meetings"), which keep their -ing.
	if strings.HasSuffix(w, "ings") {
		return w[:len(w)-1]
	}
	return words.Lemma(w)
}
