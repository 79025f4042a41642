package words

import "strings"

// markupChars are the characters Markdown and HTML glue to a word.
const markupChars = "*_`~[]<>"

// isMarkup tells the bytes of markupChars.
var isMarkup = func() (t [256]bool) {
	for i := 0; i < len(markupChars); i++ {
		t[markupChars[i]] = true
	}
	return t
}()

// HasMarkup reports whether word holds one of markupChars.
func HasMarkup(word string) bool {
	for i := 0; i < len(word); i++ {
		if isMarkup[word[i]] {
			return true
		}
	}
	return false
}

// MarkupCore returns the bounds of the word inside token, without the Markdown or
// HTML glued before it (emphasis, a link's "[", a tag "<u>") or after it (emphasis,
// a link's "](url", a closing tag).
func MarkupCore(token string) (lo, hi int) {
	for lo < len(token) {
		switch c := token[lo]; {
		case c == '*' || c == '_' || c == '`' || c == '~' || c == '[':
			lo++
			continue
		case c == '<':
			if k := strings.IndexByte(token[lo:], '>'); k > 0 {
				lo += k + 1
				continue
			}
		}
		break
	}
	hi = lo
	for hi < len(token) && !isMarkup[token[hi]] {
		hi++
	}
	return lo, hi
}
