package words

import "testing"

func TestMarkupCoreLeavesTheWord(t *testing.T) {
	cases := []struct{ token, core string }{
		{"**Committee**", "Committee"},
		{"Initiative](https://x.gov/a", "Initiative"},
		{"<u>Global", "Global"},
		{"Partnership</u>", "Partnership"},
		{"[Quad", "Quad"},
		{"_emphasis_", "emphasis"},
		{"plain", "plain"},
		{"**", ""},
	}
	for _, c := range cases {
		lo, hi := MarkupCore(c.token)
		if got := c.token[lo:hi]; got != c.core {
			t.Errorf("MarkupCore(%q) = %q, want %q", c.token, got, c.core)
		}
		if HasMarkup(c.token) != (c.token != c.core) {
			t.Errorf("HasMarkup(%q) = %v", c.token, HasMarkup(c.token))
		}
	}
}
