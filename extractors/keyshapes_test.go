package extractors

import "testing"

func TestKeyShapesNeverRejectAKey(t *testing.T) {
	for name, keys := range map[string][]string{
		"irregular": keysOf(irregular), "keepAsIs": keysOf(keepAsIs), "stemFix": keysOf(stemFix),
	} {
		k := &keyShapes{}
		for _, s := range keys {
			k.add(s)
		}
		for _, s := range keys {
			if !k.mayHave(s) {
				t.Errorf("%s: key %q rejected", name, s)
			}
		}
	}
	k := &keyShapes{}
	for _, s := range []string{"dialogue", "UN", "é", "x"} {
		k.add(s)
	}
	for _, s := range []string{"dialogue", "UN", "é", "x"} {
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
