package cues

// negationWindow is how many words before a match a negator may stand: "will not
// engage in dialogue" (1), "have never truly respected" (2), "there can be no real
// dialogue" (after the filler). Further back, a negator rarely governs the cue.
const negationWindow = 5

// negators are the lemmas that negate what follows them in their clause.
var negators = map[string]bool{
	"not": true, "n't": true, "never": true, "no": true, "neither": true, "nor": true,
	"without": true, "cannot": true, "none": true, "nobody": true, "lack": true,
}

// negatingVerbs negate when followed by "to": "refuse to", "fail to", "cease to".
var negatingVerbs = map[string]bool{
	"refuse": true, "fail": true, "cease": true, "decline": true,
}

// notNegating are words that, right after a negator, turn it into something else:
// "not only", "not just", "no doubt", "not least" ("no longer" stays a negation).
var notNegating = map[string]bool{
	"only": true, "just": true, "merely": true, "least": true, "doubt": true, "less": true,
	"matter": true, "exception": true, "alternative": true, "other": true,
}

// clauseBreaks end the scope of a negator: punctuation and the conjunctions and
// relative words that open a new clause.
var clauseBreaks = map[string]bool{
	",": true, ";": true, ":": true, "—": true, "–": true, "(": true, ")": true, ".": true,
	"but": true, "yet": true, "while": true, "whereas": true, "although": true, "though": true,
	"however": true, "because": true, "which": true, "who": true, "that": true, "and": true,
	"or": true, "if": true, "when": true, "where": true, "instead": true, "rather": true,
}

// negated reports whether the match starting at toks[first] sits under a negator:
// one of negators (or "refuse to", "fail to", ...) among the negationWindow words
// before it, in the same sentence and clause.
func negated(toks []matchToken, first int) bool {
	sent := toks[first].sentence
	for k, i := 0, first-1; k < negationWindow && i >= 0 && toks[i].sentence == sent; k, i = k+1, i-1 {
		l := toks[i].lemma
		if clauseBreaks[l] {
			return false
		}
		if negators[l] {
			if i+1 < first && notNegating[toks[i+1].lemma] {
				return false
			}
			return true
		}
		if l == "to" && i > 0 && negatingVerbs[toks[i-1].lemma] && toks[i-1].sentence == sent {
			return true
		}
	}
	return false
}
