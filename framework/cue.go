package framework

import (
	"fmt"
	"strconv"
	"strings"
)

// DefaultFiller is how many filler tokens (determiners, possessives, adjectives,
// numbers) may sit between two consecutive words of a phrase cue, so that "respect
// sovereignty" meets "respects the sovereignty" and "respect each other's sovereignty".
// Commas and the "and" or "or" of a list of modifiers ("global, regional and national
// challenges") do not count against it.
const DefaultFiller = 3

// maxVariants is how many readings one phrase may expand to (see Cue.Variants).
const maxVariants = 64

// Cue is a parsed cue: a phrase, or two phrases near each other, plus the phrases whose
// presence in the sentence cancels it and the setting it requires. The syntax is in the
// README, "Frameworks and the cue language".
type Cue struct {
	Source string // the cue as written in the framework
	// Terms is the phrase to find (its first reading); for NEAR cues, the first of the
	// two phrases.
	Terms []Term
	// Variants are all the readings of the phrase, Terms first: more than one when an
	// alternative has several words ("[each other|one another]", "Russia's|Russian",
	// "win-win|mutual"). A match of any reading is a match of the cue.
	Variants [][]Term
	// Near is N for a NEAR/N(a, b) cue (Other then holds b), 0 for a phrase cue.
	Near          int
	Other         []Term
	OtherVariants [][]Term
	// Excludes are phrases that, found anywhere in the sentence, cancel the match
	// (every reading of every exclusion).
	Excludes [][]Term
	// Requires is the setting the cue's sentence must have (written "@state|body"),
	// nil when the cue says nothing (then its dimension's requires: holds), and a
	// Condition without settings for "@always" (no requirement, whatever the dimension says).
	Requires *Condition
}

// Settings a condition can ask for. A sentence has the setting "state" when it names a
// state (an entity with a country code; a country's population alone, "Americans",
// only beside another country's), "body" when it names an
// intergovernmental body of the entities gazetteer, "wording" when it holds one of the
// framework's international_wording phrases. "international" is any of the three.
// "states" is stricter than "state" and does not depend on the text's home: the
// sentence names two countries (by name, adjective or population, the home among them),
// so relations between states can be read from it alone ("the United States and Israel
// will cooperate on emerging technologies", not "American semiconductor supply chains"
// nor "social media in Russia").
const (
	SettingState   = "state"
	SettingStates  = "states"
	SettingBody    = "body"
	SettingWording = "wording"
	// SettingDomestic holds when the sentence has one of the framework's
	// domestic_wording phrases ("across the country", "families", "Congress"); it is
	// meant negated: "!domestic" holds when the sentence has none.
	SettingDomestic = "domestic"
	// SettingInternational is shorthand for state|body|wording.
	SettingInternational = "international"
	// SettingAlways, as a cue's condition, lifts its dimension's requires:.
	SettingAlways = "always"
)

// Condition is what a match needs of its sentence (or of the sentences around it):
// at least one of Settings. Settings hold state, states, body, wording or domestic, each
// possibly negated with a leading ! ("!domestic": the sentence has no domestic
// wording); a Condition with none holds always.
type Condition struct {
	Settings []string
}

// String writes the condition as a cue would: "@state|body", "@always".
func (c *Condition) String() string {
	if c == nil {
		return ""
	}
	if len(c.Settings) == 0 {
		return "@" + SettingAlways
	}
	return "@" + strings.Join(c.Settings, "|")
}

// ParseCondition reads a condition as written after @ in a cue or as the value of a
// dimension's requires: ("international", "state|body", "always").
func ParseCondition(s string) (*Condition, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "@"))
	if s == "" {
		return nil, fmt.Errorf("empty condition: write @state, @states, @body, @wording, @international (any of them) or @always")
	}
	c := &Condition{}
	seen := map[string]bool{}
	add := func(x string) {
		if !seen[x] {
			seen[x] = true
			c.Settings = append(c.Settings, x)
		}
	}
	for _, part := range strings.Split(s, "|") {
		part = strings.TrimSpace(part)
		neg := strings.HasPrefix(part, "!")
		name := strings.TrimPrefix(part, "!")
		if neg && (name == SettingInternational || name == SettingAlways) {
			return nil, fmt.Errorf("condition %q: !%s cannot be negated; negate single settings (!domestic)", s, name)
		}
		switch name {
		case SettingState, SettingStates, SettingBody, SettingWording, SettingDomestic:
			add(part)
		case SettingInternational:
			add(SettingState)
			add(SettingBody)
			add(SettingWording)
		case SettingAlways:
			if len(strings.Split(s, "|")) > 1 {
				return nil, fmt.Errorf("condition %q: always stands alone", s)
			}
			return &Condition{}, nil
		default:
			return nil, fmt.Errorf("unknown setting %q in condition %q (expected state, states, body, wording, domestic, international or always, each but the last two possibly negated: !domestic)", part, s)
		}
	}
	return c, nil
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
	// Class, when not empty, makes the word a class of mentions rather than a word:
	// ClassCountry ("{country}") stands for a country as the entities name it, its
	// tokens taken whole ("the Republic of Korea").
	Class string
}

// Classes of mentions a cue word can stand for.
const (
	// ClassCountry is {country}: any mention the entity resolver gives a country
	// code (a name, an adjective, a people: "Japan", "the Republic of Korea",
	// "Saudi", "Israelis"), the text's home among them.
	ClassCountry = "country"
	// ClassCity is {city}: a city of the entities gazetteer, capitals and the cities
	// where governments meet ("Tokyo", "Kyiv", "Washington", "Jeddah", "Geneva").
	ClassCity = "city"
)

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
	// A condition comes last: @state|body, @international, @always.
	if i := strings.LastIndex(s, "@"); i >= 0 {
		tail := s[i:]
		if strings.ContainsAny(tail, " \t\"") || (i > 0 && s[i-1] != ' ' && s[i-1] != '\t') {
			return nil, fmt.Errorf("a condition @setting must come last, after a space (e.g. pandemic @international)")
		}
		cond, err := ParseCondition(tail)
		if err != nil {
			return nil, err
		}
		c.Requires = cond
		s = strings.TrimSpace(s[:i])
		if s == "" {
			return nil, fmt.Errorf("a condition without a phrase")
		}
		if strings.Contains(s, "@") {
			return nil, fmt.Errorf("a cue takes one condition; join settings with |: @state|body")
		}
	}
	// Exclusions come last: -"phrase" -"phrase".
	main, excl, err := splitExclusions(s)
	if err != nil {
		return nil, err
	}
	for _, e := range excl {
		vs, err := parsePhrase(e)
		if err != nil {
			return nil, fmt.Errorf("exclusion %q: %w", e, err)
		}
		c.Excludes = append(c.Excludes, vs...)
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
		if c.Variants, err = parsePhrase(parts[0]); err != nil {
			return nil, err
		}
		if c.OtherVariants, err = parsePhrase(parts[1]); err != nil {
			return nil, err
		}
		c.Terms, c.Other = c.Variants[0], c.OtherVariants[0]
		c.Near = n
		return c, nil
	}
	if c.Variants, err = parsePhrase(main); err != nil {
		return nil, err
	}
	c.Terms = c.Variants[0]
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

// slot is one position of a phrase before it is expanded into readings: a gap, or
// alternatives each of one or more words.
type slot struct {
	alts     [][]Word
	optional bool
	gap      int
}

// phraseFields splits a phrase at spaces, keeping a [group | of | phrases] whole.
func phraseFields(s string) ([]string, error) {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '[' {
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return nil, fmt.Errorf("unclosed [ in %q", s)
			}
			out = append(out, s[:end+1])
			s = s[end+1:]
			continue
		}
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			end = len(s)
		}
		f := s[:end]
		if strings.ContainsAny(f, "[]") {
			return nil, fmt.Errorf("a group [a b|c d] must stand apart, with spaces around it: %q", f)
		}
		out = append(out, f)
		s = s[end:]
	}
	return out, nil
}

// parsePhrase parses space-separated terms: word, word*, a|b, (optional), ~N,
// [several words|other words], and returns every reading of the phrase.
func parsePhrase(s string) ([][]Term, error) {
	fields, err := phraseFields(s)
	if err != nil {
		return nil, err
	}
	if len(fields) == 0 {
		return nil, fmt.Errorf("empty phrase")
	}
	var slots []slot
	for _, f := range fields {
		if strings.HasPrefix(f, "~") {
			n, err := strconv.Atoi(f[1:])
			if err != nil || n < 1 || n > 20 {
				return nil, fmt.Errorf("gap %q must be ~N with N between 1 and 20", f)
			}
			if len(slots) == 0 {
				return nil, fmt.Errorf("a phrase cannot start with a gap")
			}
			slots = append(slots, slot{gap: n})
			continue
		}
		if strings.HasPrefix(strings.ToUpper(f), "NEAR/") {
			return nil, fmt.Errorf("NEAR/N(...) must be the whole cue")
		}
		if strings.HasPrefix(f, "[") {
			inner := strings.TrimSpace(f[1 : len(f)-1])
			if inner == "" {
				return nil, fmt.Errorf("empty group []")
			}
			var sl slot
			for _, alt := range strings.Split(inner, "|") {
				var seq []Word
				for _, w := range strings.Fields(alt) {
					if strings.ContainsAny(w, "()~") {
						return nil, fmt.Errorf("group %s: only words, word* and word-word inside [ ]", f)
					}
					ws, err := parseSequence(w)
					if err != nil {
						return nil, err
					}
					seq = append(seq, ws...)
				}
				if len(seq) == 0 {
					return nil, fmt.Errorf("group %s has an empty alternative (check for a doubled |)", f)
				}
				sl.alts = append(sl.alts, seq)
			}
			slots = append(slots, sl)
			continue
		}
		opt := false
		if strings.HasPrefix(f, "(") {
			if !strings.HasSuffix(f, ")") || len(f) < 3 {
				return nil, fmt.Errorf("optional word %q must read (word)", f)
			}
			f, opt = f[1:len(f)-1], true
		}
		sl := slot{optional: opt}
		for _, a := range strings.Split(f, "|") {
			ws, err := parseSequence(a)
			if err != nil {
				return nil, err
			}
			if opt && len(ws) > 1 {
				return nil, fmt.Errorf("optional word %q must be one word (not hyphenated or possessive)", a)
			}
			sl.alts = append(sl.alts, ws)
		}
		slots = append(slots, sl)
	}
	if slots[len(slots)-1].gap > 0 {
		return nil, fmt.Errorf("a phrase cannot end with a gap")
	}
	allOpt := true
	for _, sl := range slots {
		if sl.gap == 0 && !sl.optional {
			allOpt = false
		}
	}
	if allOpt {
		return nil, fmt.Errorf("a phrase needs at least one word that is not optional")
	}
	// A phrase is looked for from its first word (or any optional ones before it),
	// which a class cannot be: "to {country}", not "{country} visit".
	for _, sl := range slots {
		for _, alt := range sl.alts {
			if alt[0].Class != "" {
				return nil, fmt.Errorf("{%s} cannot start a phrase: put a word before it (visit {country}, talks with {country})", alt[0].Class)
			}
		}
		if !sl.optional {
			break
		}
	}
	return expand(slots)
}

// expand turns slots into readings: single-word alternatives stay one term, each
// alternative of several words becomes a reading of its own.
func expand(slots []slot) ([][]Term, error) {
	readings := [][]Term{nil}
	for _, sl := range slots {
		if sl.gap > 0 {
			for i := range readings {
				readings[i] = append(readings[i], Term{Gap: sl.gap})
			}
			continue
		}
		var single Term
		var multi [][]Word
		for _, a := range sl.alts {
			if len(a) == 1 {
				single.Alternatives = append(single.Alternatives, a[0])
			} else {
				multi = append(multi, a)
			}
		}
		single.Optional = sl.optional
		var choices [][]Term
		if len(single.Alternatives) > 0 {
			choices = append(choices, []Term{single})
		}
		for _, seq := range multi {
			ts := make([]Term, len(seq))
			for i, w := range seq {
				ts[i] = Term{Alternatives: []Word{w}}
			}
			choices = append(choices, ts)
		}
		next := make([][]Term, 0, len(readings)*len(choices))
		for _, r := range readings {
			for _, ch := range choices {
				n := append(append(make([]Term, 0, len(r)+len(ch)), r...), ch...)
				next = append(next, n)
			}
		}
		if len(next) > maxVariants {
			return nil, fmt.Errorf("the phrase has more than %d readings: split it into several cues", maxVariants)
		}
		readings = next
	}
	return readings, nil
}

// parseSequence parses one alternative: a word, a hyphenated word (its parts, as the
// matcher cuts the text's hyphenated words) or a possessive ("Russia's": the word and
// 's, as the tokenizer cuts them).
func parseSequence(a string) ([]Word, error) {
	if a == "" {
		return nil, fmt.Errorf("empty word (check for a doubled | or space)")
	}
	var out []Word
	var poss bool
	for _, suffix := range []string{"'s", "’s", "'S"} {
		if len(a) > len(suffix) && strings.HasSuffix(a, suffix) {
			a, poss = a[:len(a)-len(suffix)], true
			break
		}
	}
	if strings.Contains(strings.Trim(a, "-"), "-") {
		for _, part := range strings.Split(a, "-") {
			if part == "" {
				return nil, fmt.Errorf("malformed hyphenated word %q", a)
			}
			w, err := parseWord(part)
			if err != nil {
				return nil, err
			}
			out = append(out, w)
		}
	} else {
		w, err := parseWord(a)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	if poss {
		if out[len(out)-1].Prefix {
			return nil, fmt.Errorf("a wildcard cannot take a possessive: %q", a+"'s")
		}
		out = append(out, Word{Text: "'s"})
	}
	return out, nil
}

func parseWord(a string) (Word, error) {
	if strings.HasPrefix(a, "{") || strings.HasSuffix(a, "}") {
		switch a {
		case "{" + ClassCountry + "}":
			return Word{Text: a, Class: ClassCountry}, nil
		case "{" + ClassCity + "}":
			return Word{Text: a, Class: ClassCity}, nil
		}
		return Word{}, fmt.Errorf("unknown class %q: the classes of mentions are {country} and {city}", a)
	}
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
