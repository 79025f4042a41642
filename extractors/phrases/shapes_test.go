package phrases

import (
	"testing"

	"github.com/framealign/framealign/framework"
)

// The phrase heads' shapes never turn away a head, so the extractor finds what it
// found without them.
func TestHeadShapesNeverRejectAHead(t *testing.T) {
	e := NewExtractor(framework.Default().InstitutionalHeads)
	if len(e.heads) == 0 {
		t.Fatal("no heads")
	}
	for k := range e.heads {
		if !e.shapes.MayHave(k) {
			t.Errorf("head %q rejected", k)
		}
	}
}
