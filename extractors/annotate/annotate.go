package annotate

import (
	"context"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Token is one word or punctuation mark of a document, as prose's tokenizer cut it,
// with its place in the document's text.
type Token struct {
	Text     string // the token as prose saw it (curly quotes straightened)
	Tag      string // Penn Treebank part-of-speech tag
	Label    string // prose's IOB entity label ("O", "B-GPE", "I-GPE", ...)
	Start    int    // byte offset of the token's first byte in the document text
	End      int    // byte offset one past the token's last byte
	Sentence int    // index of the sentence holding the token
}

// Sentence is a span of the document text that prose's segmenter called a sentence.
type Sentence struct {
	Start int // byte offset of the first byte
	End   int // byte offset one past the last byte
}

// RawEntity is an entity mention exactly as prose's model chunked it, placed in the text.
type RawEntity struct {
	Text     string // the tokens of the mention joined by spaces, as prose gives it
	Label    string // prose's label: PERSON, GPE, ORG, ...
	Start    int
	End      int
	Sentence int
	FirstTok int // index of the first token of the mention
	LastTok  int // index one past the last token
}

// Annotation is everything the expensive annotation layer says about one document:
// tokens, sentences, tags and raw entities. It is what the cache keeps.
type Annotation struct {
	Tokens    []Token
	Sentences []Sentence
	Entities  []RawEntity

	// Words, when not nil, lists the distinct token texts of the document and
	// WordIDs[i] is the index in Words of Tokens[i].Text, so extractors that look
	// each word up (lemma, cue entry points, phrase heads) can do it once per
	// distinct word. Annotations read from the cache carry them; others may not.
	Words   []string
	WordIDs []int32
}

// SentenceText returns the text of sentence i.
func (a *Annotation) SentenceText(text string, i int) string {
	s := a.Sentences[i]
	return text[s.Start:s.End]
}

// Annotator turns text into an Annotation. Implementations must be safe for
// concurrent use by several workers, and return ctx's error soon after ctx is
// cancelled, also in the middle of a long document.
type Annotator interface {
	Annotate(ctx context.Context, text string) (*Annotation, error)
	Name() string
}

// BareToken is a token as an engine produced it, before Place puts it in the text.
type BareToken struct{ Text, Tag, Label string }

// BareEntity is an entity mention as an engine produced it (its tokens' texts joined
// by spaces, and its label), before Place puts it in the text.
type BareEntity struct{ Text, Label string }

// straighten maps the characters prose's tokenizer rewrites to the ones it writes.
var straighten = map[string]string{
	"\u201c": `"`, "\u201d": `"`, "\u2018": "'", "\u2019": "'", "&rsquo;": "'",
}

// sanitized returns text with prose's replacements applied, and for every byte of the
// result the offset of the byte of text it came from (plus one entry for the end).
func sanitized(text string) (string, []int) {
	var b strings.Builder
	b.Grow(len(text))
	offs := make([]int, 0, len(text)+1)
	for i := 0; i < len(text); {
		replaced := false
		if c := text[i]; c == 0xE2 || c == '&' {
			for from, to := range straighten {
				if strings.HasPrefix(text[i:], from) {
					b.WriteString(to)
					offs = append(offs, i)
					i += len(from)
					replaced = true
					break
				}
			}
		}
		if !replaced {
			b.WriteByte(text[i])
			offs = append(offs, i)
			i++
		}
	}
	offs = append(offs, len(text))
	return b.String(), offs
}

// Place turns an engine's bare tokens, sentence texts and entities into an Annotation
// anchored at byte offsets of text. Tokens are found in order in the text as prose's
// tokenizer saw it; a token that cannot be found (it never happens with prose's
// tokenizer, but an engine is free to normalise) is kept with the previous token's end.
func Place(text string, words []BareToken, sentTexts []string, ents []BareEntity) *Annotation {
	clean, offs := sanitized(text)
	ann := &Annotation{Tokens: make([]Token, len(words))}

	// Sentences: punkt returns trimmed slices of the original text, in order.
	cur := 0
	for _, st := range sentTexts {
		if st == "" {
			continue
		}
		at := strings.Index(text[cur:], st)
		if at < 0 {
			continue
		}
		ann.Sentences = appendLines(ann.Sentences, text, cur+at, cur+at+len(st))
		cur += at + len(st)
	}

	cur = 0
	si := 0
	for i, w := range words {
		tok := Token{Text: w.Text, Tag: w.Tag, Label: w.Label}
		at := strings.Index(clean[cur:], w.Text)
		if at >= 0 && w.Text != "" {
			s, e := cur+at, cur+at+len(w.Text)
			tok.Start, tok.End = offs[s], offs[e]
			cur = e
		} else {
			tok.Start, tok.End = offs[cur], offs[cur]
		}
		for si < len(ann.Sentences)-1 && tok.Start >= ann.Sentences[si].End {
			si++
		}
		tok.Sentence = si
		ann.Tokens[i] = tok
	}
	if len(ann.Sentences) == 0 && len(ann.Tokens) > 0 {
		// No sentence found: the whole text is one sentence.
		ann.Sentences = []Sentence{{Start: ann.Tokens[0].Start, End: ann.Tokens[len(ann.Tokens)-1].End}}
	}

	// Entities: prose joins the texts of the mention's tokens with spaces.
	ti := 0
	for _, e := range ents {
		parts := strings.Split(e.Text, " ")
		for j := ti; j+len(parts) <= len(ann.Tokens); j++ {
			ok := true
			for k, p := range parts {
				if ann.Tokens[j+k].Text != p {
					ok = false
					break
				}
			}
			if ok {
				first, last := ann.Tokens[j], ann.Tokens[j+len(parts)-1]
				ann.Entities = append(ann.Entities, RawEntity{
					Text: e.Text, Label: e.Label, Start: first.Start, End: last.End,
					Sentence: first.Sentence, FirstTok: j, LastTok: j + len(parts),
				})
				ti = j + len(parts)
				break
			}
		}
	}
	return ann
}

// appendLines appends the span [start, end) of text as sentences, cut where a line
// break ends a sentence that punkt ran on: at a blank line (a paragraph break), after a
// line ending in sentence punctuation, and after a heading (a short line that starts
// a paragraph, followed by a line starting with a capital: "Favorable conditions").
// A single line break inside a hard-wrapped paragraph ("Bosnia and\nHerzegovina") is
// not a sentence end; many UN speeches are wrapped at about 55 characters.
// Annotations are cached: a change to these rules must change pipeline.annotationFormat.
func appendLines(sents []Sentence, text string, start, end int) []Sentence {
	from := start
	for i := start; i < end; i++ {
		if text[i] != '\n' || !lineBreakEndsSentence(text, i) {
			continue
		}
		sents = appendTrimmed(sents, text, from, i)
		from = i + 1
	}
	return appendTrimmed(sents, text, from, end)
}

func appendTrimmed(sents []Sentence, text string, s, e int) []Sentence {
	for s < e && isSpace(text[s]) {
		s++
	}
	for e > s && isSpace(text[e-1]) {
		e--
	}
	if e > s {
		sents = append(sents, Sentence{Start: s, End: e})
	}
	return sents
}

// lineBreakEndsSentence reports whether the line break at text[nl] ends a sentence.
func lineBreakEndsSentence(text string, nl int) bool {
	lineStart := strings.LastIndexByte(text[:nl], '\n') + 1
	line := strings.TrimSpace(text[lineStart:nl])
	rest := text[nl+1:]
	nextLineEnd := strings.IndexByte(rest, '\n')
	if nextLineEnd < 0 {
		nextLineEnd = len(rest)
	}
	if strings.TrimSpace(rest[:nextLineEnd]) == "" || line == "" {
		return true // blank line: a paragraph break
	}
	if r, _ := utf8.DecodeLastRuneInString(line); strings.ContainsRune(".!?:;…\"”", r) {
		return true
	}
	next := strings.TrimLeft(rest, " \t")
	r, _ := utf8.DecodeRuneInString(next)
	if len(line) > 60 || !unicode.IsUpper(r) {
		return false
	}
	// A heading opens its paragraph: the line before it is blank, or it is the first.
	return blankLineBefore(text, lineStart)
}

// blankLineBefore reports whether the line starting at lineStart follows a blank line.
func blankLineBefore(text string, lineStart int) bool {
	if lineStart == 0 {
		return true
	}
	prevEnd := lineStart - 1 // the '\n' ending the previous line
	prevStart := strings.LastIndexByte(text[:prevEnd], '\n') + 1
	return strings.TrimSpace(text[prevStart:prevEnd]) == ""
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'
}

// lazyAnnotator loads its engine on the first Annotate, so a run whose documents all
// come from the cache or are unchanged never pays for loading a model.
type lazyAnnotator struct {
	name   string
	load   func() (Annotator, error)
	once   sync.Once
	engine Annotator
	err    error
}

// Lazy returns an Annotator named name that calls load on its first use.
func Lazy(name string, load func() (Annotator, error)) Annotator {
	return &lazyAnnotator{name: name, load: load}
}

func (l *lazyAnnotator) Name() string { return l.name }

func (l *lazyAnnotator) Annotate(ctx context.Context, text string) (*Annotation, error) {
	l.once.Do(func() { l.engine, l.err = l.load() })
	if l.err != nil {
		return nil, l.err
	}
	return l.engine.Annotate(ctx, text)
}
