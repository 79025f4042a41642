package entities

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// populationNouns are the words that, after a demonym, make it name a country's
// population rather than its state: "the American people", "the Fijian public",
// "Somali citizens", "American workers and families".
var populationNouns = map[string]bool{
	"people": true, "peoples": true, "public": true, "citizens": true, "nationals": true,
	"workers": true, "families": true, "consumers": true, "taxpayers": true,
	"communities": true, "households": true, "students": true, "farmers": true,
	"servicemembers": true, "voters": true, "lives": true, "population": true,
	"populations": true, "patients": true, "seniors": true, "veterans": true,
	"jobs": true, "employees": true,
}

// NamesPopulation reports whether e, a mention in text (its Start and End offsets
// into text, its Label), names a country's population rather than its state: a
// demonym in the plural ("Americans", "Liberians", "New Zealanders") or followed by
// a word for a population ("the American people", "the Fijian public"). Such a
// mention still carries the country's code, but it says less about relations between
// states than the country's name: "Three thousand Americans were dying every day from
// COVID" is about home. Only the offsets and the label are read, so re-scoring from
// the entities table decides as a full analysis does.
func NamesPopulation(text string, e Entity) bool {
	if e.Label != "NORP" || e.Start < 0 || e.End > len(text) || e.Start >= e.End {
		return false
	}
	mention := text[e.Start:e.End]
	if strings.HasSuffix(mention, "s") && !strings.HasSuffix(mention, "ss") {
		return true
	}
	// the next word, past spaces
	rest := strings.TrimLeftFunc(text[e.End:], unicode.IsSpace)
	end := 0
	for end < len(rest) {
		r, size := utf8.DecodeRuneInString(rest[end:])
		if !unicode.IsLetter(r) {
			break
		}
		end += size
	}
	return end > 0 && populationNouns[strings.ToLower(rest[:end])]
}
