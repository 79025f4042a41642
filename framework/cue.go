package framework

import (
	"fmt"
	"strconv"
	"strings"
)

// DefaultFiller is how many filler tokens (determiners, possessives, adjectives,
// numbers) may sit between two consecutive words of a phrase cue, so that "respect
// sovereignty" meets "respects the sovereignty" and "respect each other's sovereignty".
const DefaultFiller = 3

// Cue is a parsed cue: a phrase, or two phrases near each other, plus the phrases whose
// presence in the sentence cancels it. The syntax is in the README, "Frameworks and the cue language".
type Cue struct {
	Source string // the cue as written in the framework
	// Terms is the phrase to find; for NEAR cues, the first of the two phrases.
	Terms []Term
	// Near is N for a NEAR/N(a, b) cue (Other then holds b), 0 for a phrase cue.
	Near  int
	Other []Term
	// Excludes are phrases that, found anywhere in the sentence, cancel the match.
	Excludes [][]Term
}

// Term is one position of a phrase: a word with alternatives, optional or not, or a
// gap of up to Gap arbitrary tokens.
type Term struct {
	Alternatives []Word // empty for a gap
	Optional     bool
	Gap          int
}

// Word is one alternative of a term: a word compared on its lemma, or a prefix
// (written with a trailing *) compared on the token's lowercased text and lemma.
type Word struct {
	Text   string // lowercased, without the trailing *
	Prefix bool
	// Exact is the word as written when it has capitals ("Organization", "UN"): then
	// the token must be spelt so (a plural s allowed), which tells the UN's
	// "Organization" and "Council" from an organization or council at home.
	Exact string
}

// minPrefix is the shortest wildcard prefix: shorter ones ("co*") match half the
// vocabulary, and the matcher indexes prefixes by their first three letters.
const minPrefix = 3

// ParseCue parses one cue. Errors say what is wrong with the cue in words a framework
// author can act on.
func ParseCue(src string) (*Cue, error) {
	s := strings.TrimSpace(src)
	if s == "" {
		return nil, fmt.Errorf("empty cue")
	}
	c := &Cue{Source: src}
	// Exclusions come last: -"phrase" -"phrase".
	main, excl, err := splitExclusions(s)
	if err != nil {
		return nil, err
	}
	for _, e := range excl {
		terms, err := parsePhrase(e)
		if err != nil {
			return nil, fmt.Errorf("exclusion %q: %w", e, err)
		}
		c.Excludes = append(c.Excludes, terms)
	}
	if strings.HasPrefix(strings.ToUpper(main), "NEAR/") {
		open := strings.IndexByte(main, '(')
		if open < 0 || !strings.HasSuffix(main, ")") {
			return nil, fmt.Errorf("NEAR cue must read NEAR/N(phrase, phrase)")
		}
		n, err := strconv.Atoi(strings.TrimSpace(main[len("NEAR/"):open]))
		if err != nil || n < 1 || n > 50 {
			return nil, fmt.Errorf("NEAR/N needs a distance N between 1 and 50")
		}
		parts := strings.Split(main[open+1:len(main)-1], ",")
		if len(parts) != 2 {
			return nil, fmt.Errorf("NEAR cue takes exactly two phrases separated by a comma")
		}
		if c.Terms, err = parsePhrase(parts[0]); err != nil {
			return nil, err
		}
		if c.Other, err = parsePhrase(parts[1]); err != nil {
			return nil, err
		}
		c.Near = n
		return c, nil
	}
	if c.Terms, err = parsePhrase(main); err != nil {
		return nil, err
	}
	return c, nil
}

// splitExclusions cuts `phrase -"x y" -"z"` into the phrase and the excluded phrases.
func splitExclusions(s string) (string, []string, error) {
	i := strings.Index(s, `-"`)
	if i < 0 {
		if strings.Contains(s, `"`) {
			return "", nil, fmt.Errorf(`quotes are only for exclusions: -"phrase"`)
		}
		return s, nil, nil
	}
	main := strings.TrimSpace(s[:i])
	if main == "" {
		return "", nil, fmt.Errorf("exclusion without a phrase to exclude from")
	}
	var excl []string
	rest := strings.TrimSpace(s[i:])
	for rest != "" {
		if !strings.HasPrefix(rest, `-"`) {
			return "", nil, fmt.Errorf(`expected -"phrase" after the cue, found %q`, rest)
		}
		end := strings.IndexByte(rest[2:], '"')
		if end < 0 {
			return "", nil, fmt.Errorf("unclosed quote in exclusion")
		}
		excl = append(excl, rest[2:2+end])
		rest = strings.TrimSpace(rest[2+end+1:])
	}
	return main, excl, nil
}

// parsePhrase parses space-separated terms: word, word*, a|b, (optional), ~N.
func parsePhrase(s string) ([]Term, error) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return nil, fmt.Errorf("empty phrase")
	}
	var terms []Term
	for _, f := range fields {
		if strings.HasPrefix(f, "~") {
			n, err := strconv.Atoi(f[1:])
			if err != nil || n < 1 || n > 20 {
				return nil, fmt.Errorf("gap %q must be ~N with N between 1 and 20", f)
			}
			if len(terms) == 0 {
				return nil, fmt.Errorf("a phrase cannot start with a gap")
			}
			terms = append(terms, Term{Gap: n})
			continue
		}
		opt := false
		if strings.HasPrefix(strings.ToUpper(f), "NEAR/") {
			return nil, fmt.Errorf("NEAR/N(...) must be the whole cue")
		}
		if strings.HasPrefix(f, "(") {
			if !strings.HasSuffix(f, ")") || len(f) < 3 {
				return nil, fmt.Errorf("optional word %q must read (word)", f)
			}
			f, opt = f[1:len(f)-1], true
		}
		alts := strings.Split(f, "|")
		// A hyphenated word is matched as its parts, as the matcher splits tokens at
		// hyphens ("win-win" is "win win"); inside alternatives that would need
		// sequences, so it is refused there.
		if len(alts) == 1 && !opt && strings.Contains(strings.Trim(f, "-"), "-") {
			for _, part := range strings.Split(f, "-") {
				if part == "" {
					return nil, fmt.Errorf("malformed hyphenated word %q", f)
				}
				w, err := parseWord(part)
				if err != nil {
					return nil, err
				}
				terms = append(terms, Term{Alternatives: []Word{w}})
			}
			continue
		}
		t := Term{Optional: opt}
		for _, a := range alts {
			if strings.Contains(a, "-") {
				return nil, fmt.Errorf("hyphenated word %q cannot be an alternative or optional: write it as its own cue", a)
			}
			w, err := parseWord(a)
			if err != nil {
				return nil, err
			}
			t.Alternatives = append(t.Alternatives, w)
		}
		terms = append(terms, t)
	}
	if terms[len(terms)-1].Gap > 0 {
		return nil, fmt.Errorf("a phrase cannot end with a gap")
	}
	allOpt := true
	for _, t := range terms {
		if t.Gap == 0 && !t.Optional {
			allOpt = false
		}
	}
	if allOpt {
		return nil, fmt.Errorf("a phrase needs at least one word that is not optional")
	}
	return terms, nil
}

func parseWord(a string) (Word, error) {
	var exact string
	if lower := strings.ToLower(a); lower != a {
		exact, a = a, lower
	}
	w := Word{Text: a, Exact: exact}
	if strings.HasSuffix(a, "*") {
		if exact != "" {
			return w, fmt.Errorf("wildcard %q must be lowercase: capitals ask for an exact spelling", exact)
		}
		w = Word{Text: a[:len(a)-1], Prefix: true}
		if len(w.Text) < minPrefix {
			return w, fmt.Errorf("wildcard %q needs at least %d letters before the *", a, minPrefix)
		}
	}
	if w.Text == "" {
		return w, fmt.Errorf("empty word (check for a doubled | or space)")
	}
	for _, r := range w.Text {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '\'' || r > 127) {
			return w, fmt.Errorf("unexpected character %q in word %q", r, a)
		}
	}
	return w, nil
}
