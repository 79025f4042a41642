package similarity

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/framealign/framealign/extractors/words"
)

// The terms of similarity are lemmatised words and pairs of adjacent words, cut from the
// raw text by a small tokenizer of our own rather than taken from the annotate.Annotation's
// tokens. The fixed IDF table (data/idf.tsv) is built from the 29 MB background corpus,
// where running prose would take minutes; a term found at run time must be spelt exactly
// as the table spells it, so both sides go through walkTerms and can never disagree. It
// splits like prose on words (hyphenated words and abbreviations such as "U.S." kept
// whole, punctuation peeled off, a possessive 's dropped), and also at dashes and
// slashes, which prose leaves inside tokens; similarity uses no tags, so nothing else
// is needed.
//
// A term is kept when it holds a letter (pure numbers go) and its lowercased surface form
// is not a stop word (data/stopwords.txt); it is then reduced with words.Lemma. A bigram joins
// two kept words only when nothing but spaces stands between them in the text: a stop
// word, a number, a punctuation mark or a line break ends the run. "crisis management
// and conflict resolution" gives "crisis management" and "conflict resolution", not
// "management conflict": pairs that skip a removed word are mostly not phrases, and
// counting them would blur the phrases the reference is made of.

//go:embed data/stopwords.txt
var stopwordsFile string

// stopwords is the set of lowercased surface forms dropped from similarity terms.
var stopwords = parseWordList(stopwordsFile)

// parseWordList reads one word a line, skipping blank lines and '#' comments.
func parseWordList(s string) map[string]struct{} {
	set := make(map[string]struct{})
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		set[line] = struct{}{}
	}
	return set
}

// isWordRune says whether r may be part of a word: letters, digits and the marks that
// sit inside words (hyphen, apostrophes, the dot of abbreviations).
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '-' || r == '\'' || r == '.'
	}
	return r == '\u2019' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// walkTerms cuts text into similarity terms and calls unigram for every kept lemma and
// bigram for every pair of adjacent kept lemmas, in text order.
func walkTerms(text string, unigram func(w string), bigram func(a, b string)) {
	prev := "" // last kept lemma, "" when a boundary stands since
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			if r != ' ' && r != '\t' && r != '\u00a0' {
				prev = "" // punctuation or a line break ends the run of adjacent words
			}
			i += size
			continue
		}
		start := i
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if !isWordRune(r) {
				break
			}
			i += size
		}
		w, endsRun := trimWord(text[start:i])
		if w == "" {
			prev = ""
			continue
		}
		lower := strings.ToLower(w)
		if _, stop := stopwords[lower]; stop || !hasLetter(lower) {
			prev = ""
			continue
		}
		lemma := words.Lemma(lower)
		unigram(lemma)
		if prev != "" {
			bigram(prev, lemma)
		}
		prev = lemma
		if endsRun {
			prev = ""
		}
	}
}

// trimWord strips the marks that may end a word run but are not part of the word (a
// sentence's full stop, quotes, dashes, a possessive 's) and says whether what was
// stripped ends a sentence. Curly apostrophes are straightened first, as prose does.
func trimWord(w string) (string, bool) {
	if strings.Contains(w, "\u2019") {
		w = strings.ReplaceAll(w, "\u2019", "'")
	}
	endsRun := false
	if strings.HasSuffix(w, ".") && !isAbbreviation(w) {
		endsRun = true
	}
	w = strings.TrimRight(w, ".-'")
	w = strings.TrimLeft(w, ".-'")
	if len(w) > 2 && (strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "'S")) {
		w = w[:len(w)-2]
	}
	return w, endsRun
}

// isAbbreviation reports whether w, ending in a dot, is an abbreviation whose dot does
// not end a sentence: letters separated by dots ("U.S.", "e.g.") as prose's tokenizer
// recognises them. "Mr." and the like are stop words, so they need no rule.
func isAbbreviation(w string) bool {
	if len(w) < 4 {
		return false
	}
	for i := 0; i < len(w); i += 2 {
		if i+1 >= len(w) || w[i+1] != '.' || !(w[i] >= 'a' && w[i] <= 'z' || w[i] >= 'A' && w[i] <= 'Z') {
			return false
		}
	}
	return true
}

// hasLetter reports whether s holds at least one letter.
func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// Terms returns the terms similarity counts in text, in text order: every
// kept lemma, and every bigram of adjacent kept lemmas as "first second". It is what
// scripts/buildidf counts document frequencies of, and what Reference.Vector weighs.
func Terms(text string) []string {
	var terms []string
	walkTerms(text,
		func(w string) { terms = append(terms, w) },
		func(a, b string) { terms = append(terms, a+" "+b) })
	return terms
}
