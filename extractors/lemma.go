package extractors

import "strings"

// Lemma returns the dictionary form of a word for matching and comparison: lowercased,
// plural nouns made singular and inflected verbs reduced to their base
// ("respects" -> "respect", "cooperating" -> "cooperate" is not attempted: see Stem).
// It is deterministic and allocation-light: it runs on every token of the corpus.
func Lemma(word string) string {
	w := strings.ToLower(word)
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 4 && (strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "xes")):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:n-1]
	}
	return w
}
