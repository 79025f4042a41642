package words

import "testing"

// The lemma tables' shapes never turn away a key, so Lemma gives the answers it gave
// without them. (The cue index's and the phrase heads' shapes are checked in their
// rooms.)
func TestKeyShapesNeverRejectAKey(t *testing.T) {
	for _, c := range []struct {
		name   string
		shapes *Shapes
		keys   []string
	}{
		{"irregular", irregularShapes, keysOf(irregular)},
		{"keepAsIs", keepAsIsShapes, keysOf(keepAsIs)},
		{"stemFix", stemFixShapes, keysOf(stemFix)},
	} {
		if len(c.keys) == 0 {
			t.Errorf("%s: no keys", c.name)
		}
		for _, k := range c.keys {
			if !c.shapes.MayHave(k) {
				t.Errorf("%s: key %q rejected", c.name, k)
			}
		}
	}
	k := &Shapes{}
	for _, s := range []string{"UN", "é", "x", ""} {
		k.Add(s)
	}
	for _, s := range []string{"UN", "é", "x", ""} {
		if !k.MayHave(s) {
			t.Errorf("%q rejected", s)
		}
	}
	// Most other words are turned away without a lookup.
	rejected := 0
	for _, s := range []string{"development", "cooperation", "peace", "security", "nations", "the", "of", "and"} {
		if !irregularShapes.MayHave(s) {
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
