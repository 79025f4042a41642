package phrases

import (
	"github.com/framealign/framealign/extractors/cues"
)

// Dimension returns the dimension of the first cue match that overlaps the
// phrase's span, "" if none does: "strategic dialogue mechanisms" carries the dimension
// of the "strategic dialogue" cue found inside it. matches are the document's matches in
// text order, as cues.Matcher.Match returns them.
func Dimension(p Phrase, matches []cues.Match) string {
	for _, m := range matches {
		if m.Start < p.End && p.Start < m.End {
			return m.Dimension
		}
	}
	return ""
}
