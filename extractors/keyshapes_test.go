package extractors

import (
	"testing"

	"github.com/framealign/framealign/framework"
)

// The shapes in use never turn away a key of the table they guard, so Lemma, the cue
// index and the phrase heads give the answers they gave without them.
func TestKeyShapesNeverRejectAKey(t *testing.T) {
	m, err := NewMatcher(framework.Default())
	if err != nil {
		t.Fatal(err)
	}
	pe := NewPhraseExtractor(framework.Default().InstitutionalHeads)
	for _, c := range []struct {
		name   string
		shapes *keyShapes
		keys   []string
	}{
		{"irregular", irregularShapes, keysOf(irregular)},
		{"keepAsIs", keepAsIsShapes, keysOf(keepAsIs)},
		{"stemFix", stemFixShapes, keysOf(stemFix)},
		{"cue index", m.lemmaShapes, keysOf(m.byLemma)},
		{"cue prefixes", m.prefixShapes, keysOf(m.byPrefix)},
		{"phrase heads", pe.shapes, keysOf(pe.heads)},
	} {
		if len(c.keys) == 0 {
			t.Errorf("%s: no keys", c.name)
		}
		for _, k := range c.keys {
			if !c.shapes.mayHave(k) {
				t.Errorf("%s: key %q rejected", c.name, k)
			}
		}
	}
	k := &keyShapes{}
	for _, s := range []string{"UN", "é", "x", ""} {
		k.add(s)
	}
	for _, s := range []string{"UN", "é", "x", ""} {
		if !k.mayHave(s) {
			t.Errorf("%q rejected", s)
		}
	}
	// Most other words are turned away without a lookup.
	rejected := 0
	for _, s := range []string{"development", "cooperation", "peace", "security", "nations", "the", "of", "and"} {
		if !irregularShapes.mayHave(s) {
			rejected++
		}
	}
	if rejected < 6 {
		t.Errorf("only %d of 8 common words rejected by the irregular table's shapes", rejected)
	}
}

func keysOf[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
