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
}
