// Package framework says what a framework is: its dimensions, their groups and the cues
// that find them, loaded from YAML and checked, with the default framework (the "new
// model of major-country relations") embedded. It knows nothing of files being
// analysed or of Parquet.
package framework

// Groups a dimension may belong to.
const (
	GroupPrinciple = "principle"
	GroupMechanism = "mechanism"
	GroupCondition = "condition"
	GroupFraming   = "framing"
)

// Framework is a named set of dimensions a document can express.
type Framework struct {
	Name        string      `yaml:"name"`
	Version     string      `yaml:"version"`
	Description string      `yaml:"description"`
	Dimensions  []Dimension `yaml:"dimensions"`
	// InstitutionalHeads are the nouns that head a mechanism phrase ("dialogue",
	// "mechanism", "commission", ...), in their singular form.
	InstitutionalHeads []string `yaml:"institutional_heads"`
	// InternationalWording are the phrases (cue syntax, no NEAR, no condition) that
	// give a sentence the "wording" setting: "international", "bilateral", "allies".
	InternationalWording []string `yaml:"international_wording,omitempty"`
	// DomesticWording are the phrases that give a sentence the "domestic" setting:
	// "across the country", "families", "Congress" (a condition asks for its absence
	// with !domestic).
	DomesticWording []string `yaml:"domestic_wording,omitempty"`

	// Lines of the YAML source, for messages: InternationalWordingLines[i] is the line
	// of InternationalWording[i]. Zero when the framework was not read from YAML.
	InternationalWordingLines []int `yaml:"-" json:"-"`
	DomesticWordingLines      []int `yaml:"-" json:"-"`

	// parsed holds the cues Parse parsed while checking them, by source, so that the
	// matcher does not parse them again (see Cue). Read-only once Parse returns.
	parsed map[string]*Cue
}

// Cue returns the parsed form of the cue src: the one Parse made while checking the
// framework when there is one (shared: do not modify it), else ParseCue(src).
func (f *Framework) Cue(src string) (*Cue, error) {
	if c, ok := f.parsed[src]; ok {
		return c, nil
	}
	return ParseCue(src)
}

// Dimension is one idea of the framework, found in text by its cues.
type Dimension struct {
	ID          string   `yaml:"id"`
	Group       string   `yaml:"group"`
	Label       string   `yaml:"label"`
	Description string   `yaml:"description"`
	Cues        []string `yaml:"cues"`
	// Exclude lists phrases that, found anywhere in a sentence, cancel every match of
	// this dimension in that sentence ("small arms" for nuclear_deterrence).
	Exclude []string `yaml:"exclude,omitempty"`
	// Contrast marks a dimension that describes what the framework sets itself
	// against: it is matched and scored but adds nothing to alignment.
	Contrast bool `yaml:"contrast,omitempty"`
	// Requires is the condition ("international", "state|body", ...) every cue of the
	// dimension must meet, unless the cue writes its own (@setting or @always).
	Requires string `yaml:"requires,omitempty"`
	// Window is how many sentences before and after the match a condition may find
	// its setting in (0: the match's own sentence only).
	Window int `yaml:"window,omitempty"`

	// Lines of the YAML source, for messages (zero when not read from YAML).
	Line         int   `yaml:"-" json:"-"`
	CueLines     []int `yaml:"-" json:"-"`
	ExcludeLines []int `yaml:"-" json:"-"`
}
