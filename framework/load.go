package framework

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML returns the default framework's YAML source, ready to copy and edit.
func DefaultYAML() []byte { return bytes.Clone(defaultYAML) }

// Default returns the embedded default framework: the fourteen dimensions of the "new
// model of major-country relations". It panics if the embedded file is broken, which
// TestDefaultFrameworkIsValid rules out.
func Default() *Framework {
	fw, problems := Parse(defaultYAML)
	if len(problems) > 0 {
		panic(fmt.Sprintf("framework: embedded default.yaml: line %d: %s", problems[0].Line, problems[0].Message))
	}
	return fw
}

// Problem is something wrong in a framework file, at a 1-based line.
type Problem struct {
	Line    int
	Message string
}

// Load reads and checks the framework file at path.
func Load(path string) (*Framework, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is named once, below
		}
		return nil, fmt.Errorf("framework %s: %w", path, err)
	}
	fw, problems := Parse(data)
	if len(problems) > 0 {
		return nil, &ProblemsError{Path: path, Problems: problems}
	}
	return fw, nil
}

// ProblemsError is Load's error for a framework file that was read but does not
// hold a valid framework: every problem, each with its line.
type ProblemsError struct {
	Path     string
	Problems []Problem
}

func (e *ProblemsError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = fmt.Sprintf("%s:%d: %s", e.Path, p.Line, p.Message)
	}
	return fmt.Sprintf("framework %s has %d problem(s):\n%s", e.Path, len(e.Problems), strings.Join(msgs, "\n"))
}

// Check returns every problem of a framework file, each with its line.
func Check(data []byte) []Problem {
	_, problems := Parse(data)
	return problems
}

// SHA256 returns the hex SHA-256 of a canonical serialisation of the framework (JSON of
// its fields in declaration order), so that the same framework hashes the same across
// runs and formatting or comment changes to the YAML do not count as a change.
func (f *Framework) SHA256() string {
	b, err := json.Marshal(f)
	if err != nil {
		// A Framework holds only strings, slices and bools; Marshal cannot fail.
		panic(fmt.Sprintf("framework: marshal for hash: %v", err))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Dimension returns the dimension with the given id, or nil.
func (f *Framework) Dimension(id string) *Dimension {
	for i := range f.Dimensions {
		if f.Dimensions[i].ID == id {
			return &f.Dimensions[i]
		}
	}
	return nil
}

var validGroups = map[string]bool{GroupPrinciple: true, GroupMechanism: true, GroupCondition: true, GroupFraming: true}

// Parse reads a framework from YAML and checks it. It returns the framework as far as
// it could be read, and every problem found; a framework with problems must not be used.
func Parse(data []byte) (*Framework, []Problem) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, []Problem{{Line: yamlErrLine(err), Message: err.Error()}}
	}
	if len(doc.Content) == 0 {
		return nil, []Problem{{Line: 1, Message: "empty framework file"}}
	}
	root := doc.Content[0]
	p := &parser{}
	if root.Kind != yaml.MappingNode {
		p.add(root, "a framework must be a mapping with name, dimensions, ...")
		return nil, p.problems
	}
	fw := &Framework{}
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		seen[k.Value] = true
		switch k.Value {
		case "name":
			fw.Name = p.str(v, "name")
		case "version":
			fw.Version = p.str(v, "version")
		case "description":
			fw.Description = p.str(v, "description")
		case "institutional_heads":
			fw.InstitutionalHeads = p.strList(v, "institutional_heads")
		case "dimensions":
			fw.Dimensions = p.dimensions(v)
		case "international_wording", "domestic_wording":
			list, lines := p.cues(v, k.Value)
			for i, src := range list {
				if c := p.parsed[src]; c != nil && (c.Near > 0 || c.Requires != nil) {
					p.problems = append(p.problems, Problem{Line: lines[i],
						Message: fmt.Sprintf("%s %q: a wording phrase takes no NEAR and no @condition", k.Value, src)})
				}
			}
			if k.Value == "domestic_wording" {
				fw.DomesticWording, fw.DomesticWordingLines = list, lines
			} else {
				fw.InternationalWording, fw.InternationalWordingLines = list, lines
			}
		default:
			p.add(k, fmt.Sprintf("unknown key %q (expected name, version, description, dimensions, institutional_heads, international_wording, domestic_wording)", k.Value))
		}
	}
	if strings.TrimSpace(fw.Name) == "" {
		p.add(root, "missing field: name")
	}
	if !seen["dimensions"] {
		p.add(root, "missing field: dimensions")
	} else if len(fw.Dimensions) == 0 {
		p.problems = append(p.problems, Problem{Line: root.Line, Message: "a framework needs at least one dimension"})
	}
	sort.SliceStable(p.problems, func(a, b int) bool { return p.problems[a].Line < p.problems[b].Line })
	fw.parsed = p.parsed
	return fw, p.problems
}

type parser struct {
	problems []Problem
	parsed   map[string]*Cue // every cue parsed, by source (Framework.Cue)
}

func (p *parser) add(n *yaml.Node, msg string) {
	p.problems = append(p.problems, Problem{Line: n.Line, Message: msg})
}

func (p *parser) str(n *yaml.Node, field string) string {
	if n.Kind != yaml.ScalarNode {
		p.add(n, fmt.Sprintf("%s must be a single value", field))
		return ""
	}
	return n.Value
}

func (p *parser) strList(n *yaml.Node, field string) []string {
	if n.Kind != yaml.SequenceNode {
		p.add(n, fmt.Sprintf("%s must be a list", field))
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		if s := p.str(c, field+" entry"); s != "" {
			out = append(out, s)
		} else if c.Kind == yaml.ScalarNode {
			p.add(c, fmt.Sprintf("empty %s entry", field))
		}
	}
	return out
}

func (p *parser) dimensions(n *yaml.Node) []Dimension {
	if n.Kind != yaml.SequenceNode {
		p.add(n, "dimensions must be a list")
		return nil
	}
	ids := map[string]int{}
	var out []Dimension
	for _, dn := range n.Content {
		if dn.Kind != yaml.MappingNode {
			p.add(dn, "a dimension must be a mapping with id, group, label, cues")
			continue
		}
		d := Dimension{Line: dn.Line}
		has := map[string]bool{}
		for i := 0; i+1 < len(dn.Content); i += 2 {
			k, v := dn.Content[i], dn.Content[i+1]
			has[k.Value] = true
			switch k.Value {
			case "id":
				d.ID = p.str(v, "id")
				if prev, dup := ids[d.ID]; dup && d.ID != "" {
					p.add(v, fmt.Sprintf("duplicate dimension id %q (first at line %d)", d.ID, prev))
				} else if d.ID != "" {
					ids[d.ID] = v.Line
				}
			case "group":
				d.Group = p.str(v, "group")
				if d.Group != "" && !validGroups[d.Group] {
					p.add(v, fmt.Sprintf("unknown group %q (expected principle, mechanism, condition or framing)", d.Group))
				}
			case "label":
				d.Label = p.str(v, "label")
			case "description":
				d.Description = p.str(v, "description")
			case "contrast":
				if v.Kind != yaml.ScalarNode || (v.Value != "true" && v.Value != "false") {
					p.add(v, "contrast must be true or false")
				}
				d.Contrast = v.Value == "true"
			case "cues":
				d.Cues, d.CueLines = p.cues(v, "cues")
				if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
					p.add(v, fmt.Sprintf("dimension %q has no cues", d.ID))
				}
			case "exclude":
				d.Exclude, d.ExcludeLines = p.cues(v, "exclude")
				for i, src := range d.Exclude {
					if c := p.parsed[src]; c != nil && (c.Near > 0 || c.Requires != nil) {
						p.problems = append(p.problems, Problem{Line: d.ExcludeLines[i],
							Message: fmt.Sprintf("exclude %q: an exclude phrase takes no NEAR and no @condition", src)})
					}
				}
			case "requires":
				d.Requires = p.str(v, "requires")
				if c, err := ParseCondition(d.Requires); err != nil {
					p.add(v, fmt.Sprintf("requires: %v", err))
				} else {
					d.Requires = c.String()[1:]
				}
			case "window":
				n, err := strconv.Atoi(p.str(v, "window"))
				if err != nil || n < 0 || n > 5 {
					p.add(v, "window must be a number of sentences from 0 to 5")
				}
				d.Window = n
			default:
				p.add(k, fmt.Sprintf("unknown key %q in dimension (expected id, group, label, description, cues, exclude, contrast, requires, window)", k.Value))
			}
		}
		for _, f := range []string{"id", "group", "label", "cues"} {
			if !has[f] {
				p.add(dn, fmt.Sprintf("dimension %q: missing field: %s", d.ID, f))
			}
		}
		out = append(out, d)
	}
	return out
}

// cues reads a list of cues, reporting empty and malformed ones at their own line,
// and returns them with their lines.
func (p *parser) cues(n *yaml.Node, field string) ([]string, []int) {
	if n.Kind != yaml.SequenceNode {
		p.add(n, fmt.Sprintf("%s must be a list", field))
		return nil, nil
	}
	var out []string
	var lines []int
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode {
			p.add(c, fmt.Sprintf("a cue in %s must be a single string", field))
			continue
		}
		if strings.TrimSpace(c.Value) == "" {
			p.add(c, fmt.Sprintf("empty cue in %s", field))
			continue
		}
		parsed, err := ParseCue(c.Value)
		if err != nil {
			p.add(c, fmt.Sprintf("malformed cue %q: %v", c.Value, err))
			continue
		}
		if p.parsed == nil {
			p.parsed = map[string]*Cue{}
		}
		p.parsed[c.Value] = parsed
		out = append(out, c.Value)
		lines = append(lines, c.Line)
	}
	return out, lines
}

// yamlErrLine digs the line out of a yaml.v3 syntax error ("yaml: line 7: ...").
func yamlErrLine(err error) int {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return 1
	}
	var line int
	if _, scanErr := fmt.Sscanf(err.Error(), "yaml: line %d:", &line); scanErr == nil {
		return line
	}
	return 1
}
