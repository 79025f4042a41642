// This file reproduces prose's word tokenizer (tokenize.go and utilities.go of
// github.com/jdkato/prose/v2 v2.0.0) so that Engine cuts text exactly as prose
// does. prose is under the MIT licence:
//
// Copyright (c) 2017 -2018 Joseph Kato
//
// Permission is hereby granted, free of charge, to any person obtaining a copy
// of this software and associated documentation files (the "Software"), to deal
// in the Software without restriction, including without limitation the rights
// to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
// copies of the Software, and to permit persons to whom the Software is
// furnished to do so, subject to the following conditions:
//
// The above copyright notice and this permission notice shall be included in all
// copies or substantial portions of the Software.
//
// THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
// IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
// FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
// AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
// LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
// OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
// SOFTWARE.

package fastprose

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// fastTokens is a document cut into tokens the way prose cuts it. prose caches the
// tokens of each whitespace-delimited span and appends the same *annotate.Token pointers again
// when the span repeats, so the tagger and the entity model later overwrite the tag and
// label of an earlier occurrence with those of the last one. Here a position refers to a
// shared object (obj), which reproduces that aliasing: the tag and label are written
// per object, the features that prose computes from them are read per object.
type fastTokens struct {
	obj   []int32  // for each position, the index of its token object
	texts []string // for each object, its text
}

// add appends a new token object with text s at the end of the document.
func (ft *fastTokens) add(s string) {
	ft.obj = append(ft.obj, int32(len(ft.texts)))
	ft.texts = append(ft.texts, s)
}

// proseSplitSpan is prose's doSplit: it cuts one whitespace-free span into tokens.
func proseSplitSpan(token string) []string {
	tokens := []string{}
	suffs := []string{}

	addToken := func(s string) {
		if strings.TrimSpace(s) != "" {
			tokens = append(tokens, s)
		}
	}

	last := 0
	for token != "" && utf8.RuneCountInString(token) != last {
		if proseIsSpecial(token) {
			// An emoticon or an abbreviation like "U.S." stays whole.
			addToken(token)
			break
		}
		last = utf8.RuneCountInString(token)
		lower := strings.ToLower(token)
		if proseHasAnyPrefix(token, proseTokPrefixes) {
			addToken(string(token[0]))
			token = token[1:]
		} else if idx := proseHasAnyIndex(lower, proseContractions); idx > -1 {
			addToken(token[:idx])
			token = token[idx:]
		} else if idx := proseHasAnyIndex(lower, proseNegation); idx > -1 {
			addToken(token[:idx])
			token = token[idx:]
		} else if proseHasAnySuffix(token, proseTokSuffixes) {
			// prose keeps the suffix without the blank check of addToken.
			suffs = append([]string{string(token[len(token)-1])}, suffs...)
			token = token[:len(token)-1]
		} else {
			addToken(token)
		}
	}
	return append(tokens, suffs...)
}

// proseTokenize is prose's iterTokenizer.tokenize over text, keeping its per-span cache
// (and therefore its shared token objects).
func proseTokenize(text string) *fastTokens {
	ft := &fastTokens{
		obj:   make([]int32, 0, len(text)/5+1),
		texts: make([]string, 0, len(text)/8+1),
	}
	clean, white := proseSanitizer.Replace(text), false
	length := len(clean)

	type span struct{ first, n int32 }
	cache := map[string]span{}
	start, index := 0, 0
	for index <= length {
		uc, size := utf8.DecodeRuneInString(clean[index:])
		if size == 0 {
			break
		} else if index == 0 {
			white = unicode.IsSpace(uc)
		}
		if unicode.IsSpace(uc) != white {
			if start < index {
				s := clean[start:index]
				if sp, found := cache[s]; found {
					for k := int32(0); k < sp.n; k++ {
						ft.obj = append(ft.obj, sp.first+k)
					}
				} else {
					parts := proseSplitSpan(s)
					cache[s] = span{first: int32(len(ft.texts)), n: int32(len(parts))}
					for _, p := range parts {
						ft.add(p)
					}
				}
			}
			if uc == ' ' {
				start = index + 1
			} else {
				start = index
			}
			white = !white
		}
		index += size
	}
	if start < index {
		// The last span bypasses the cache in prose: its tokens are new objects.
		for _, p := range proseSplitSpan(clean[start:index]) {
			ft.add(p)
		}
	}
	return ft
}

func proseIsSpecial(token string) bool {
	_, found := proseEmoticons[token]
	return found || proseInternalRE.MatchString(token)
}

func proseHasAnyPrefix(s string, prefixes []string) bool {
	n := len(s)
	for _, prefix := range prefixes {
		if n > len(prefix) && strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

func proseHasAnySuffix(s string, suffixes []string) bool {
	n := len(s)
	for _, suffix := range suffixes {
		if n > len(suffix) && strings.HasSuffix(s, suffix) {
			return true
		}
	}
	return false
}

func proseHasAnyIndex(s string, subs []string) int {
	n := len(s)
	for _, sub := range subs {
		idx := strings.Index(s, sub)
		if idx >= 0 && n > len(sub) {
			return idx
		}
	}
	return -1
}

var (
	proseInternalRE   = regexp.MustCompile(`^(?:[A-Za-z]\.){2,}$|^[A-Z][a-z]{1,2}\.$`)
	proseSanitizer    = strings.NewReplacer("\u201c", `"`, "\u201d", `"`, "\u2018", "'", "\u2019", "'", "&rsquo;", "'")
	proseTokSuffixes  = []string{",", ")", `"`, "]", "!", ";", ".", "?", ":", "'"}
	proseTokPrefixes  = []string{"$", "(", `"`, "["}
	proseContractions = []string{"'ll", "'s", "'re", "'m"}
	proseNegation     = []string{"n't"}
)

// proseEmoticons is prose's list of emoticons, which the tokenizer keeps whole and the
// tagger tags SYM.
var proseEmoticons = map[string]struct{}{
	"(-8": {}, "(-;": {}, "(-_-)": {}, "(._.)": {}, "(:": {}, "(=": {}, "(o:": {},
	"(¬_¬)": {}, "(ಠ_ಠ)": {}, "(╯°□°）╯︵┻━┻": {}, "-__-": {}, "8-)": {}, "8-D": {},
	"8D": {}, ":(": {}, ":((": {}, ":(((": {}, ":()": {}, ":)))": {}, ":-)": {},
	":-))": {}, ":-)))": {}, ":-*": {}, ":-/": {}, ":-X": {}, ":-]": {}, ":-o": {},
	":-p": {}, ":-x": {}, ":-|": {}, ":-}": {}, ":0": {}, ":3": {}, ":P": {}, ":]": {},
	":`(": {}, ":`)": {}, ":`-(": {}, ":o": {}, ":o)": {}, "=(": {}, "=)": {}, "=D": {},
	"=|": {}, "@_@": {}, "O.o": {}, "O_o": {}, "V_V": {}, "XDD": {}, "[-:": {},
	"^___^": {}, "o_0": {}, "o_O": {}, "o_o": {}, "v_v": {}, "xD": {}, "xDD": {},
	"¯\\(ツ)/¯": {},
}
