package entities

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/framealign/framealign/extractors/annotate"
)

// Entity is a mention of a person, place, body or people, cleaned and normalised so
// analysts can count it: one label, one spelling per entity, and the country's code.
type Entity struct {
	Start    int    // byte offset of the mention's first byte in the document text
	End      int    // byte offset one past its last byte: Text == text[Start:End]
	Sentence int    // index of the sentence holding the mention (annotate.Annotation.Sentences)
	Text     string // the mention as written
	// Label is PERSON, GPE (a state, territory or city), ORG (an intergovernmental body,
	// agency, mission, company or armed group), LOC (a region, sea or disputed
	// area) or NORP (a nationality, religious or regional people: "Malian", "Muslims").
	Label string
	// Canonical is one spelling per entity ("United States" for "the US", "America",
	// "United States of America"); for persons and bodies outside the gazetteer it is
	// the mention with its whitespace collapsed.
	Canonical string
	// ISO3 is the ISO 3166-1 alpha-3 code of the country a GPE names, or of the
	// country whose people a NORP demonym names ("Malian" -> MLI); "" otherwise,
	// including for cities ("Beijing said"), which the gold annotation leaves without a
	// code, and for peoples of no one country ("Arab", "Muslims").
	ISO3 string
}

// Resolver turns prose's raw entities and tokens into Entities: whole names from
// an embedded gazetteer of states, former states, demonyms, cities, regions and
// intergovernmental bodies, plus the persons and bodies prose finds that the
// gazetteer does not know, with the false positives prose makes on diplomatic text
// dropped. It is read-only after NewResolver and safe for concurrent use.
type Resolver struct {
	root   *trieNode
	heads  map[string]bool // name_head words of lexicon.csv
	titles map[string]bool // title words of lexicon.csv
	// orgHeads are the last words of bodies' names, notNames the capitalised words
	// that name nothing, determiners the words in front of a name that are no part
	// of it (all from lexicon.csv).
	orgHeads, notNames, determiners map[string]bool
	// stateForms and stateModifiers make up the formal names of states in front of
	// "of" ("Islamic Republic of"), honorifics the words always followed by a
	// person's name ("Mr."); all from lexicon.csv.
	stateForms, stateModifiers, honorifics map[string]bool
	// surnameTitles are the titles that also end a person's name ("Martin Luther
	// King"), never cut from its end (lexicon.csv).
	surnameTitles map[string]bool
	// offices are the words that make what prose calls a body an office ("National
	// Security Advisor"), from lexicon.csv.
	offices map[string]bool
	// placeHeads are the org heads whose name may end in where the body works
	// ("Mission on Myanmar"), from lexicon.csv.
	placeHeads map[string]bool
	// common holds the words the UN corpus writes in lower case (common_words.txt):
	// a "name" made only of them is a capitalised phrase, not a person.
	common map[string]bool
	// usHomonyms are the countries' canonical names that also name a U.S. state
	// ("Georgia"), read as the state in a document naming one of usStates (lexicon.csv).
	usHomonyms map[string]bool
	usStates   map[string][][]string // each state's name as words, by its first word
	codes      map[string]bool       // the ISO 3166 alpha-3 codes of the states
}

// Resolve returns the entities of text, sorted by Start. ann is prose's annotation of
// the same text (it gives sentences, tags and the persons and bodies the gazetteer
// does not know); with a nil ann only gazetteer names are found, all in sentence 0.
func (r *Resolver) Resolve(text string, ann *annotate.Annotation) []Entity {
	if ann == nil {
		ann = &annotate.Annotation{}
	}
	words := splitWords(text)
	ctx := newWordContext(words, ann)

	var ents []Entity
	taken := make([]bool, len(words)) // words inside a gazetteer match or a blocked name
	take := func(i, end int) {
		for k := i; k < end; k++ {
			taken[k] = true
		}
	}
	for i := 0; i < len(words); {
		end, e := r.longestMatch(words, i)
		if e == nil {
			// No gazetteer name starts here: a run of capitalised words ending in a
			// body's head word is a body ("Lehman Brothers", "Nusra Front").
			if s, runEnd := r.orgRun(words, i, false); runEnd > s+1 {
				take(i, runEnd)
				ents = append(ents, r.entity(text, words, s, runEnd, "ORG", "", "", ctx))
				i = runEnd
				continue
			}
			i++
			continue
		}
		if s, runEnd := r.orgRun(words, end, e.label == "GPE" && e.iso3 == ""); runEnd > end && (e.label != "ORG" || s == end) {
			// A people or place opening a body's name is part of it: "Argentine
			// Israelite Mutual Association"; so is a body whose organ it is: "United
			// Nations Interim Force in Lebanon", "European Union Training Mission in Mali".
			take(i, runEnd)
			ents = append(ents, r.entity(text, words, i, runEnd, "ORG", "", "", ctx))
			i = runEnd
			continue
		}
		start := i
		if e.label == "GPE" && e.iso3 != "" {
			// "Republic of Turkey", "Kingdom of Swaziland": the formal name is the GPE.
			start = r.formalStart(words, i, taken)
		}
		if e.iso3 != "" && end == start+1 && r.afterHonorific(words, start) {
			// "Dr. Jordan", "Mr. Chad": a person, left to honorificPersons.
			i = end
			continue
		}
		take(start, end)
		if !r.namesSomethingElse(words, start, end, e) {
			ents = append(ents, r.entity(text, words, start, end, e.label, e.canonical, e.iso3, ctx))
		}
		i = end
	}
	r.readUSStates(words, ents)
	ents = append(ents, r.fromProse(text, words, taken, ann, ctx)...)
	ents = append(ents, r.honorificPersons(text, words, taken, ents, ctx)...)
	sort.SliceStable(ents, func(a, b int) bool { return ents[a].Start < ents[b].Start })
	return r.joinInitials(text, words, ents, ctx)
}

// joinInitials makes one person of a name written with an initial, which prose cuts
// at the initial's full stop ("David F" and "Hamilton") or misses ("Florence Y. Pan"):
// capitalised words, an initial and its stop, and capitalised words again, within one
// sentence and one line (or wrapped prose), are a person when prose saw a person in
// them or the first word is one the corpus never writes in lower case. Persons so
// reached are merged in; a place or body, a title or a determiner ends the name.
// ents must be sorted by Start; the result is too.
func (r *Resolver) joinInitials(text string, words []word, ents []Entity, ctx *wordContext) []Entity {
	owner := map[int]int{} // word index -> the entity holding it
	for k, e := range ents {
		i, end := ctx.wordSpan(e.Start, e.End)
		for w := i; w < end; w++ {
			owner[w] = k
		}
	}
	person := func(k int) (held, isPerson bool) {
		o, ok := owner[k]
		return ok, ok && ents[o].Label == "PERSON"
	}
	// initialAt reports whether words[k] is an initial and its stop, and no place's
	// or body's ("U.S.").
	initialAt := func(k int) bool {
		if k < 0 || k+1 >= len(words) || !words[k].alnum || !words[k].upper || utf8.RuneCountInString(words[k].text) != 1 ||
			words[k+1].text != "." || words[k+1].start != words[k].end {
			return false
		}
		held, isPerson := person(k)
		return !held || isPerson
	}
	// nameWord reports whether words[k] may be part of a name in sentence sent: a
	// capitalised word that no place or body holds, no title, determiner or non-name.
	nameWord := func(k, sent int) bool {
		if k < 0 || k >= len(words) || ctx.sentence[k] != sent {
			return false
		}
		w := words[k]
		if !w.alnum || !w.upper || w.digit || r.titles[w.text] || r.notNames[w.text] || r.determiners[w.text] || r.heads[w.text] || r.orgHeads[w.text] {
			return false
		}
		held, isPerson := person(k)
		return !held || isPerson
	}
	var added []Entity
	drop := make([]bool, len(ents))
	for k := 0; k < len(words); k++ {
		if !initialAt(k) || initialAt(k-2) {
			continue // a chain of initials is read from its first
		}
		sent := ctx.sentence[k]
		if words[k].text == "H" && initialAt(k+2) && words[k+2].text == "E" && words[k+2].start == words[k+1].end {
			k += 3 // "H.E." (His or Her Excellency) is a title, not initials
			continue
		}
		s := k
		for s > 0 && s > k-3 && nameWord(s-1, sent) {
			s--
		}
		e := k + 2
		for e < len(words) && e < k+12 && initialAt(e) && ctx.sentence[e] == sent {
			e += 2 // "George H. W. Bush", "S.A.M.S. Kibria"
		}
		initials, surname := (e-k)/2, e
		for e < len(words) && e < surname+4 {
			if nameWord(e, sent) && (e == surname || !r.common[words[e].key]) {
				// The surname may be a word written in lower case too ("Baker"),
				// not what follows it ("David M. Rubenstein Senior Fellow").
				e++
				continue
			}
			if e > surname && words[e].key == "-" && e+1 < len(words) && words[e+1].alnum && ctx.sentence[e+1] == sent &&
				words[e].start == words[e-1].end && words[e+1].start == words[e].end {
				e += 2 // "Muhammad-Bande", "Al-Bashir"
				continue
			}
			break
		}
		if e == surname || (s == k && initials == 1 && e-surname < 2) {
			// Nothing after the stops; a lone initial in front needs two names after
			// it ("J. Robert Oppenheimer").
			continue
		}
		seen := false // prose saw a person in these words
		for w := s; w < e; w++ {
			if _, isPerson := person(w); isPerson {
				seen = true
			}
		}
		if !seen && (s == k || r.common[words[s].key]) {
			k = e - 1
			continue
		}
		if crossesLine(text, words[s].start, words[e-1].end) && !wrappedLine(text, words[s].start) {
			continue
		}
		for w := s; w < e; w++ {
			if o, ok := owner[w]; ok {
				drop[o] = true
			}
		}
		added = append(added, r.entity(text, words, s, e, "PERSON", "", "", ctx))
		k = e - 1
	}
	if len(added) == 0 {
		return ents
	}
	out := added
	for k, e := range ents {
		if !drop[k] {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Start < out[b].Start })
	return out
}

// afterHonorific reports whether words[i] follows an honorific ("Dr. Jordan").
func (r *Resolver) afterHonorific(words []word, i int) bool {
	j := i - 1
	if j >= 0 && words[j].text == "." {
		j--
	}
	return j >= 0 && words[j].alnum && r.honorifics[words[j].text]
}

// readUSStates turns the countries named like a U.S. state ("Georgia") into the state,
// a GPE with no country code, when the text's words also name another U.S. state.
// Its people ("Georgians") go with it.
func (r *Resolver) readUSStates(words []word, ents []Entity) {
	var codes []string
	for _, e := range ents {
		if e.ISO3 != "" && e.Label == "GPE" && r.usHomonyms[e.Canonical] && !slices.Contains(codes, e.ISO3) {
			codes = append(codes, e.ISO3)
		}
	}
	if len(codes) == 0 || !r.namesUSState(words) {
		return
	}
	for k, e := range ents {
		if e.ISO3 != "" && slices.Contains(codes, e.ISO3) {
			ents[k].ISO3 = ""
			ents[k].Canonical += " (U.S. state)"
		}
	}
}

// namesUSState reports whether the words hold one of the U.S. states of lexicon.csv.
func (r *Resolver) namesUSState(words []word) bool {
	for i, w := range words {
		for _, name := range r.usStates[w.text] {
			if i+len(name) <= len(words) && slices.EqualFunc(words[i:i+len(name)], name, func(w word, s string) bool { return w.text == s }) {
				return true
			}
		}
	}
	return false
}

// namesSomethingElse reports whether the words around a match turn it into the name
// of a treaty, meeting or event ("Paris Agreement", "United Nations Conference on
// Housing ...", "Samoa Pathway", "Charter of the United Nations"), which the
// annotation does not count as a mention of the place or body. An acronym stays a
// mention ("the sixteenth IGAD Ordinary Summit" names IGAD).
func (r *Resolver) namesSomethingElse(words []word, i, end int, e *gazEntry) bool {
	// A currency written with its country's code: "US$5 million", "about US$ 1.6
	// billion", "A$", "NZ$".
	if end < len(words) && words[end].text == "$" && words[end].start == words[end-1].end {
		return true
	}
	if e.label == "ORG" && len(e.form) == 1 && e.form[0].allCaps {
		return false
	}
	for k := end; k < len(words) && k < end+4; k++ {
		w := words[k]
		if !w.alnum || !w.upper {
			break
		}
		if r.heads[w.text] {
			return true
		}
	}
	j := i - 1
	if j >= 0 && words[j].key == "the" {
		j--
	}
	return j >= 1 && words[j].key == "of" && words[j-1].upper && r.heads[words[j-1].text]
}

// orgRun looks for a run of capitalised words from words[from] that ends in a body's
// head word ("Mutual Association", "Lehman Brothers") and returns where the name
// starts (after any leading article or title) and ends; end == from when there is
// none. A run stops where a gazetteer name other than a people's starts, so "the
// Security Council" is left to the gazetteer while "Arakan Rohingya Salvation Army"
// is one body, and needs a word the corpus never writes in lower case, so "Advisory
// Commission" or "National Assembly" (which body?) are not taken, unless the name
// goes on to say where the body works ("Fact-Finding Mission on Myanmar"). After a
// subnational place (named), the place is that word: "Florida Education
// Association", "Delaware Heritage Commission".
func (r *Resolver) orgRun(words []word, from int, named bool) (start, end int) {
	start, end = from, from
	// At most 8 leading articles and titles, as the run itself: orgRun is asked at
	// every word, and a text of nothing but "a a a ..." would otherwise cost the
	// square of its length.
	for start < len(words) && start < from+8 && words[start].alnum && (r.determiners[words[start].text] || r.titles[words[start].text]) {
		start++
	}
	rare := 0 // words of the run the corpus never writes in lower case
	if named {
		rare = 1
	}
	content := 0   // words of the run
	lastHead := -1 // the last head word of the run
	headContent := 0
	for k := start; k < len(words) && k < start+8; k++ {
		w := words[k]
		if !w.alnum && w.key == "-" && k > start && k+1 < len(words) && words[k+1].upper && !words[k+1].afterBreak && words[k+1].start == w.end {
			// "Fact-Finding": a hyphen joining two capitalised words.
			continue
		}
		if !w.alnum || !w.upper || w.digit || (k > start && w.afterBreak) {
			break
		}
		if e, entry := r.longestMatch(words, k); e > k {
			if entry.label != "NORP" {
				break
			}
			// A people inside a body's name is part of it and names it well.
			rare++
			content++
			k = e - 1
			continue
		}
		content++
		if r.orgHeads[w.text] {
			lastHead, headContent = k, content
			if rare > 0 {
				end = k + 1
			}
			continue
		}
		if !r.common[w.key] {
			rare++
		}
	}
	if lastHead >= 0 && headContent >= 2 && r.placeHeads[words[lastHead].text] {
		if placeEnd := r.placeSuffix(words, lastHead+1); placeEnd > lastHead+1 {
			return start, placeEnd
		}
	}
	if end == from {
		return from, from
	}
	return start, end
}

// placeSuffix returns the end of "on|in|for [the] <state or place>" starting at
// words[k], or k when there is none.
func (r *Resolver) placeSuffix(words []word, k int) int {
	if k >= len(words) || (words[k].key != "on" && words[k].key != "in" && words[k].key != "for") {
		return k
	}
	j := k + 1
	if j < len(words) && words[j].key == "the" {
		j++
	}
	if e, entry := r.longestMatch(words, j); entry != nil && (entry.label == "GPE" || entry.label == "LOC") {
		return e
	}
	return k
}

// formalStart returns where the formal name of the state matched at words[i] starts:
// at "Republic" in "Republic of Turkey", at "Islamic" in "Islamic Republic of the
// Gambia"; i when the words before are no such name. "Secretary of State of the
// United States" is no formal name: a state_form after "of" is left alone.
func (r *Resolver) formalStart(words []word, i int, taken []bool) int {
	start := i
	if !r.stateForms[words[i].text] {
		// The match is the short name; a formal one may stand in front of it.
		j := i - 1
		if j >= 0 && words[j].key == "the" {
			j--
		}
		if j < 1 || words[j].key != "of" || !r.stateForms[words[j-1].text] || taken[j-1] {
			return i
		}
		start = j - 1
		if start > 0 && words[start-1].key == "of" {
			return i
		}
	}
	// Else the gazetteer matched a formal name ("Republic of the Gambia") that a
	// speaker may open with more of it ("Islamic Republic of the Gambia").
	for k := start - 1; k >= 0 && !taken[k]; k-- {
		w := words[k]
		if w.key == "s" && k >= 2 && words[k-1].key == "'" && words[k-2].text == "People" {
			// "People’s Republic of": the possessive is three words.
			k -= 2
			start = k
			continue
		}
		if !w.alnum || !r.stateModifiers[w.text] {
			break
		}
		start = k
	}
	return start
}

func (r *Resolver) entity(text string, words []word, i, end int, label, canonical, iso3 string, ctx *wordContext) Entity {
	s, e := words[i].start, words[end-1].end
	if canonical == "" {
		canonical = strings.Join(strings.Fields(text[s:e]), " ")
	}
	return Entity{Start: s, End: e, Sentence: ctx.sentence[i], Text: text[s:e], Label: label, Canonical: canonical, ISO3: iso3}
}

// fromProse keeps the persons and bodies prose found outside the gazetteer's matches,
// trimmed of titles and possessives, and drops what prose labels only because a
// sentence starts with it or because it is an acronym or a common word.
func (r *Resolver) fromProse(text string, words []word, taken []bool, ann *annotate.Annotation, ctx *wordContext) []Entity {
	var out []Entity
	for _, re := range ann.Entities {
		label := proseLabel(re.Label)
		i, end := ctx.wordSpan(re.Start, re.End)
		for k := i; k < end; k++ {
			if isNameBreak(words[k].text) {
				// prose runs a name into what follows a dash or comma: "Marc
				// Chagall—a Russian Jew".
				end = k
				break
			}
		}
		if i >= end || (crossesLine(text, words[i].start, words[end-1].end) && (!wrappedLine(text, words[i].start) || crossesParagraph(text, words, i, end))) {
			// prose runs a heading into the line below; a name crosses a line only
			// where the document is wrapped prose ("Mr. Abdellatif\nZayani"), and
			// never a paragraph's end ("National Science Board**\n\nJeffrey A").
			continue
		}
		lastTaken := -1
		for k := i; k < end; k++ {
			if taken[k] {
				lastTaken = k
			}
		}
		first := i
		if lastTaken >= 0 {
			first = lastTaken + 1
		}
		for first < end && r.determiners[words[first].text] {
			first++
		}
		switch {
		case first < end && r.titles[words[first].text] && (lastTaken >= 0 || label != "ORG"):
			// A title in front of capitalised words names a person, whatever prose
			// calls the whole: "Chinese President Xi Jinping", "President Obama".
			label, i = "PERSON", first
		case lastTaken >= 0:
			// Part of a gazetteer name, which the gazetteer has already placed.
			continue
		case label != "PERSON" && label != "ORG":
			// prose's GPEs and LOCs outside the gazetteer are mostly capitalised
			// common words on this kind of text; the gazetteer covers the real ones.
			continue
		}
		if label == "ORG" {
			// An adviser or director is an office, not a body: "National Security
			// Advisor Jake Sullivan" is the person after it, "National Cyber
			// Director" nobody.
			for k := end - 1; k >= i; k-- {
				if words[k].alnum && r.offices[words[k].text] {
					if !r.nameAfter(words, k+1, end) {
						i = end
					} else {
						label, i = "PERSON", k+1
					}
					break
				}
			}
		}
		if label == "PERSON" {
			// An honorific inside is where the name starts: "Joint Special
			// Representative Mr. Lakhdar Brahimi".
			for k := end - 2; k > i; k-- {
				if words[k].alnum && r.honorifics[words[k].text] && r.nameAfter(words, k+1, end) {
					i = k + 1
					break
				}
			}
		}
		// Trim titles and leading articles in front, possessives and punctuation behind.
		for i < end && (!words[i].alnum || r.titles[words[i].text] || r.determiners[words[i].text]) {
			i++
		}
		// A person's name does not end in a title: what prose calls the person
		// "State Director" or "State Executive Director" is an office.
		for end > i && (!words[end-1].alnum || (words[end-1].text == "s" && end-2 >= i && words[end-2].key == "'") || (label == "PERSON" && r.titles[words[end-1].text] && !r.surnameTitles[words[end-1].text])) {
			if words[end-1].text == "s" && end-2 >= i && words[end-2].key == "'" {
				end--
			}
			end--
		}
		if label == "PERSON" && i < end && r.orgHeads[words[end-1].text] {
			// "Toyama Chemical Company", "Liaison Office": a body's name.
			label = "ORG"
		}
		if i >= end || !r.looksLikeName(words, i, end, label, ctx) || r.inTitle(words, i) {
			continue
		}
		out = append(out, r.entity(text, words, i, end, label, "", "", ctx))
	}
	return out
}

// nameAfter reports whether words[from:end] hold a word that is no title: a name
// follows an honorific there ("Mr. Lakhdar Brahimi", not "Nkwe Mr President").
func (r *Resolver) nameAfter(words []word, from, end int) bool {
	for k := from; k < end; k++ {
		if words[k].alnum && !r.titles[words[k].text] {
			return true
		}
	}
	return false
}

// inTitle reports whether the name starting at words[i] is the subject of a treaty's,
// meeting's or plan's title ("Convention on Cluster Munitions", "Conference on
// Disarmament"): a name head, then on, of, for or against, and perhaps "the".
func (r *Resolver) inTitle(words []word, i int) bool {
	j := i - 1
	if j >= 0 && words[j].key == "the" {
		j--
	}
	if j < 1 {
		return false
	}
	switch words[j].key {
	case "on", "of", "for", "against":
		return words[j-1].upper && r.heads[words[j-1].text]
	}
	return false
}

// looksLikeName tells a name prose found from the capitalised common words, acronyms,
// titles of documents and sentence openers it also labels.
func (r *Resolver) looksLikeName(words []word, i, end int, label string, ctx *wordContext) bool {
	content, common := 0, 0
	for k := i; k < end; k++ {
		w := words[k]
		if !w.alnum {
			continue
		}
		if !w.upper {
			if isNameParticle(w.key) || (label == "ORG" && isConnector(w.key)) {
				continue
			}
			if k >= i+2 && words[k-1].key == "-" && words[k-2].upper {
				// "Ki-moon": a hyphenated name goes on in lower case.
				continue
			}
			return false
		}
		if w.digit || r.notNames[w.text] {
			return false
		}
		if isRoman(w.text) {
			continue
		}
		if label == "PERSON" && (w.allCaps && utf8.RuneCountInString(w.text) > 1 || pluralAcronym(w.text)) {
			// MINUSMA, SDG, LDCs: acronyms are bodies and programmes, never persons.
			return false
		}
		content++
		if r.common[w.key] {
			common++
		}
	}
	if content == 0 || (end-i == 1 && ctx.initial[i]) {
		// "Currently", "Bilateral", "Smooth": capitalised only because they open a sentence.
		return false
	}
	last := words[end-1].text
	if label == "PERSON" && end-i > 1 && utf8.RuneCountInString(last) == 1 && words[end-1].upper && !isRoman(last) {
		// "Vitamin D", "Plan B", or a name cut at its initial that joinInitials
		// could not mend: no person's name ends in an initial.
		return false
	}
	if r.heads[last] {
		// "Kainaki II Declaration", "National Food Distribution Program": a document,
		// meeting or programme, not a person or body.
		return false
	}
	if label == "ORG" && (end-i == 1 || common == content) {
		// A lone "Organization" or "Council", or "Development Partnership Fund":
		// which body is meant the words do not say.
		return false
	}
	// "Sustainable Development", "Forum Leaders", "States": words the corpus writes
	// in lower case, capitalised as a title.
	return common < content
}

// honorificPersons finds the persons named after an honorific ("Mr. Ban Ki-moon",
// "Mr. Abdellatif\nZayani") that neither the gazetteer nor prose placed: an
// honorific is always followed by a name, so its words need not be rare ones.
func (r *Resolver) honorificPersons(text string, words []word, taken []bool, ents []Entity, ctx *wordContext) []Entity {
	var out []Entity
	for k := 0; k < len(words); k++ {
		if !words[k].alnum || !r.honorifics[words[k].text] || taken[k] {
			continue
		}
		j := k + 1
		if j < len(words) && words[j].text == "." {
			j++
		}
		s, e := j, j
		for j < len(words) && j < s+8 {
			w := words[j]
			switch {
			case w.alnum && w.upper && !w.digit && !r.titles[w.text] && !r.honorifics[w.text] && !r.notNames[w.text] && !taken[j]:
				e = j + 1
				j++
				continue
			case e > s && w.key == "-" && j+1 < len(words) && words[j+1].alnum && words[j+1].start == w.end:
				// "Ki-moon", "Al-Nasser".
				e = j + 2
				j += 2
				continue
			case e > s && w.alnum && isNameParticle(w.key) && j+1 < len(words) && words[j+1].upper:
				j++
				continue
			}
			break
		}
		if e == s || (crossesLine(text, words[s].start, words[e-1].end) && !wrappedLine(text, words[s].start)) {
			continue
		}
		if e-s == 1 && words[s].allCaps && utf8.RuneCountInString(words[s].text) > 1 {
			continue // an acronym, not a surname
		}
		st, en := words[s].start, words[e-1].end
		overlap := false
		for _, x := range ents {
			if x.Start < en && st < x.End {
				overlap = true
				break
			}
		}
		if !overlap {
			out = append(out, r.entity(text, words, s, e, "PERSON", "", "", ctx))
		}
		k = e - 1
	}
	return out
}

// isNameBreak reports whether a punctuation word ends a name: a dash, comma,
// semicolon or bracket is never inside one.
func isNameBreak(w string) bool {
	switch w {
	case "\u2014", "\u2013", ",", ";", "(", ")", ":":
		return true
	}
	return false
}

// crossesLine reports whether text[s:e] holds a line break.
// crossesParagraph reports whether an empty line lies between words[i] and
// words[end-1]: a paragraph ends there.
func crossesParagraph(text string, words []word, i, end int) bool {
	for k := i + 1; k < end; k++ {
		if gap := text[words[k-1].end:words[k].start]; strings.Count(gap, "\n") >= 2 && strings.TrimSpace(gap) == "" {
			return true
		}
	}
	return false
}

func crossesLine(text string, s, e int) bool { return strings.IndexByte(text[s:e], '\n') >= 0 }

// wrappedLine reports whether the line holding byte s is wrapped prose, not a
// heading: text runs on it for 40 bytes or more before the break. Old sessions of the
// corpus are hard-wrapped at about 55 characters, so names there cross lines.
func wrappedLine(text string, s int) bool {
	ls := strings.LastIndexByte(text[:s], '\n') + 1
	le := strings.IndexByte(text[s:], '\n')
	if le < 0 {
		return true
	}
	return s+le-ls >= 40
}

// pluralAcronym reports whether w is an acronym's plural: capitals, then "s" ("LDCs",
// "MDBs", "NGOs").
func pluralAcronym(w string) bool {
	n := len(w)
	if n < 3 || w[n-1] != 's' {
		return false
	}
	for _, r := range w[:n-1] {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// isRoman reports whether w is a regnal or ordinal numeral ("Elizabeth II", "Habitat III").
func isRoman(w string) bool {
	switch w {
	case "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII":
		return true
	}
	return false
}

func isNameParticle(w string) bool {
	switch w {
	case "bin", "ibn", "al", "el", "de", "da", "del", "della", "di", "van", "von", "der", "la", "le", "du", "dos", "das":
		return true
	}
	return false
}

func isConnector(w string) bool {
	switch w {
	case "of", "for", "on", "and", "the", "in", "&":
		return true
	}
	return false
}

// proseLabel maps prose's labels onto the annotation's.
func proseLabel(l string) string {
	switch l {
	case "ORGANIZATION":
		return "ORG"
	case "LOCATION":
		return "LOC"
	}
	return l
}

// Countries returns the sorted distinct ISO3 codes a document's entities name: GPEs
// with a code and NORP demonyms of one country ("Malian refugees" speaks of Mali).
// Former states keep their own codes (SUN, YUG, CSK).
func Countries(ents []Entity) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range ents {
		if e.ISO3 != "" && !seen[e.ISO3] {
			seen[e.ISO3] = true
			out = append(out, e.ISO3)
		}
	}
	sort.Strings(out)
	return out
}

// SentenceActors returns, for every sentence that names a country (by a GPE or a
// demonym, as Countries counts them), the sorted distinct ISO3 codes it names.
func SentenceActors(ents []Entity) map[int][]string {
	out := map[int][]string{}
	for _, e := range ents {
		if e.ISO3 == "" {
			continue
		}
		codes := out[e.Sentence]
		i := sort.SearchStrings(codes, e.ISO3)
		if i < len(codes) && codes[i] == e.ISO3 {
			continue
		}
		codes = append(codes, "")
		copy(codes[i+1:], codes[i:])
		codes[i] = e.ISO3
		out[e.Sentence] = codes
	}
	return out
}

// word is a run of letters and digits, or one punctuation character, of the text:
// the unit the gazetteer's trie walks over.
type word struct {
	start, end int
	text       string // as written
	key        string // lowercased, apostrophes straightened: the trie key
	alnum      bool   // letters or digits, not punctuation
	upper      bool   // first rune is an upper-case letter
	allCaps    bool   // every letter is upper case (acronyms: "US", "WHO", "G20")
	digit      bool   // digits only
	afterBreak bool   // a line break separates it from the word before
}

// splitWords cuts text into words and single punctuation marks, dropping spaces, so
// that "Afghan-led" yields "Afghan" and "Côte d'Ivoire" matches "Côte d’Ivoire".
func splitWords(text string) []word {
	var out []word
	start := -1
	brk := false
	emit := func(w word) {
		w.afterBreak = brk
		brk = false
		out = append(out, w)
	}
	flush := func(end int) {
		if start >= 0 {
			emit(newWord(text, start, end, true))
			start = -1
		}
	}
	for i, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if start < 0 {
				start = i
			}
		case unicode.IsSpace(r):
			flush(i)
			if r == '\n' {
				brk = true
			}
		default:
			flush(i)
			emit(newWord(text, i, i+utf8.RuneLen(r), false))
		}
	}
	flush(len(text))
	return out
}

func newWord(text string, s, e int, alnum bool) word {
	w := word{start: s, end: e, text: text[s:e], alnum: alnum}
	if !alnum {
		w.key = w.text
		switch w.text {
		case "\u2019", "\u2018", "`", "\u02bc":
			w.key = "'"
		case "\u2010", "\u2011", "\u2013":
			w.key = "-"
		}
		return w
	}
	w.key = strings.ToLower(w.text)
	first, _ := utf8.DecodeRuneInString(w.text)
	w.upper = unicode.IsUpper(first)
	w.allCaps, w.digit = true, true
	letters := false
	for _, r := range w.text {
		if unicode.IsLetter(r) {
			letters = true
			w.digit = false
			if !unicode.IsUpper(r) {
				w.allCaps = false
			}
		}
	}
	if !letters {
		w.allCaps = false
	}
	return w
}

// wordContext places the words in prose's annotation: their sentence, whether they
// open it, and whether prose tagged them as proper nouns.
type wordContext struct {
	words     []word
	sentence  []int
	initial   []bool
	properTag []bool
}

func newWordContext(words []word, ann *annotate.Annotation) *wordContext {
	c := &wordContext{words: words, sentence: make([]int, len(words)), initial: make([]bool, len(words)), properTag: make([]bool, len(words))}
	si, ti := 0, 0
	opened := -1 // sentence whose first word has been seen
	for i, w := range words {
		for si < len(ann.Sentences)-1 && w.start >= ann.Sentences[si].End {
			si++
		}
		c.sentence[i] = si
		if w.alnum && !w.digit && opened != si {
			// The first word of a sentence (after any numbering or bullet) is
			// capitalised whatever it is.
			opened = si
			c.initial[i] = true
		}
		if len(ann.Sentences) == 0 && i == 0 {
			c.initial[i] = w.alnum
		}
		for ti < len(ann.Tokens) && ann.Tokens[ti].End <= w.start {
			ti++
		}
		if ti < len(ann.Tokens) && ann.Tokens[ti].Start <= w.start {
			c.properTag[i] = strings.HasPrefix(ann.Tokens[ti].Tag, "NNP")
		}
	}
	return c
}

// wordSpan returns the words [i, end) lying within the byte span [s, e).
func (c *wordContext) wordSpan(s, e int) (int, int) {
	i := sort.Search(len(c.words), func(k int) bool { return c.words[k].start >= s })
	end := i
	for end < len(c.words) && c.words[end].end <= e {
		end++
	}
	return i, end
}
