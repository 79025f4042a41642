package entities

import "strings"

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

// NamesPopulation reports whether a mention labelled label, followed by the word
// next (lower case, as the tokenizer cut it; "" at the end of the text), names a
// country's population rather than its state: a demonym in the plural ("Americans",
// "Liberians", "New Zealanders") or followed by a word for a population ("the American
// people", "the Fijian public"). Such a mention still carries the country's code, but
// it says less about relations between states than the country's name: "Three
// thousand Americans were dying every day from COVID" is about home. Only the label
// and the text around the mention are read, so re-scoring from the entities table
// (which keeps offsets and labels) decides as a full analysis does.
func NamesPopulation(label, mention, next string) bool {
	if label != "NORP" || mention == "" {
		return false
	}
	if strings.HasSuffix(mention, "s") && !strings.HasSuffix(mention, "ss") {
		return true
	}
	return populationNouns[next]
}
