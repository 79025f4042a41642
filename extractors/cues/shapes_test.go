package cues

import (
	"testing"

	"github.com/framealign/framealign/framework"
)

// The cue index's shapes never turn away one of its keys, so matching finds what it
// found without them.
func TestCueIndexShapesNeverRejectAKey(t *testing.T) {
	m, err := NewMatcher(framework.Default())
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		mayHave func(string) bool
		keys    []string
	}{
		"cue index":    {m.lemmaShapes.MayHave, keysOf(m.byLemma)},
		"cue prefixes": {m.prefixShapes.MayHave, keysOf(m.byPrefix)},
	} {
		if len(c.keys) == 0 {
			t.Errorf("%s: no keys", name)
		}
		for _, k := range c.keys {
			if !c.mayHave(k) {
				t.Errorf("%s: key %q rejected", name, k)
			}
		}
	}
}

func keysOf[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
