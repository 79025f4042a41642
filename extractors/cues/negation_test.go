package cues

import (
	"testing"
)

func TestNegationFlagsMatchesInNegatedClauses(t *testing.T) {
	fw := oneDimension([]string{"engage in dialogue", "dialogue", "respect sovereignty", "win-win"})
	cases := []struct {
		text    string
		negated bool
	}{
		{"We will not engage in dialogue with them.", true},
		{"They won't engage in dialogue.", true},
		{"They have never truly respected our sovereignty.", true},
		{"There is no dialogue.", true},
		{"There can be no win-win while sanctions remain.", true},
		{"They refused to engage in dialogue.", true},
		{"They acted without dialogue.", true},
		{"We engage in dialogue.", false},
		// the clause ends at a comma or a conjunction before the cue
		{"We did not agree, but we engage in dialogue.", false},
		{"It is not easy, and dialogue takes time.", false},
		// "not only" is not a negation
		{"We need not only dialogue but trust.", false},
		// the negator is too far back
		{"No one in this hall today, after all these years of waiting, doubts dialogue.", false},
	}
	for _, c := range cases {
		ms, _ := matchText(t, fw, c.text)
		if len(ms) != 1 {
			t.Errorf("%q: %d matches, want 1", c.text, len(ms))
			continue
		}
		if ms[0].Negated != c.negated {
			t.Errorf("%q: Negated = %v, want %v", c.text, ms[0].Negated, c.negated)
		}
	}
}
