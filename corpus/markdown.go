package corpus

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// readMarkdown reads a Markdown file as one document. YAML front matter (a first line
// "---", the YAML, a closing "---" or "...") becomes Meta and Title and is removed from
// the text; the Markdown itself is kept as written.
func readMarkdown(in *input, emit func(Document) error) ([]RecordError, error) {
	data, err := in.bytes()
	if err != nil {
		return nil, err
	}
	text, enc, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	title, meta, body := splitFrontMatter(text)
	if strings.TrimSpace(body) == "" {
		return nil, ErrNoText
	}
	d := in.document(body, enc)
	d.Title, d.Meta = title, meta
	return nil, emit(d)
}

// splitFrontMatter separates YAML front matter from a Markdown text. Its top-level
// entries become metadata, typed by frontMatterValue; "title" becomes the title. When
// the block is not a YAML mapping, the "---" was a thematic break rather than front
// matter, and the text is returned whole.
func splitFrontMatter(text string) (title string, meta map[string]Value, body string) {
	if !strings.HasPrefix(text, "---\n") {
		return "", nil, text
	}
	rest := text[len("---\n"):]
	end, after := -1, 0
	for off := 0; off <= len(rest); {
		nl := strings.IndexByte(rest[off:], '\n')
		line := rest[off:]
		if nl >= 0 {
			line = rest[off : off+nl]
		}
		if t := strings.TrimRight(line, " \t"); t == "---" || t == "..." {
			end, after = off, off+len(line)
			if nl >= 0 {
				after++
			}
			break
		}
		if nl < 0 {
			break
		}
		off += nl + 1
	}
	if end < 0 {
		return "", nil, text
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(rest[:end]), &doc); err != nil {
		return "", nil, text
	}
	if len(doc.Content) == 0 {
		// An empty block ("---\n---") is front matter with no fields.
		return "", nil, rest[after:]
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return "", nil, text
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			continue
		}
		if k.Value == "title" {
			if v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
				title = strings.TrimSpace(v.Value)
			}
			continue
		}
		val, ok := frontMatterValue(v)
		if !ok {
			continue
		}
		if meta == nil {
			meta = map[string]Value{}
		}
		meta[k.Value] = val
	}
	return title, meta, rest[after:]
}

// frontMatterValue types one front-matter value by its YAML node. Plain numbers and
// booleans keep the type YAML gives them (1.5 is a decimal, true a boolean; a
// non-finite .inf or .nan is kept as text); a string, quoted or not, is typed by its
// form (ParseText), so date: '2023-11-15' is a date and
// published_time: 2023-11-15 14:02:00-05:00 a timestamp, whether or not YAML saw a
// timestamp in it; a YAML timestamp that ParseText does not read ("2001-12-14
// 21:59:43.10 -5") is taken as YAML reads it. A list of scalars is a list (nulls left
// out); a mapping, or a list holding mappings or lists, is kept as JSON text. Null
// is no value.
func frontMatterValue(n *yaml.Node) (Value, bool) {
	if n.Kind == yaml.AliasNode && n.Alias != nil && n.Alias.Kind == yaml.ScalarNode {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return yamlScalar(n)
	case yaml.SequenceNode:
		items := make([]string, 0, len(n.Content))
		for _, c := range n.Content {
			if c.Kind == yaml.AliasNode && c.Alias != nil && c.Alias.Kind == yaml.ScalarNode {
				c = c.Alias
			}
			if c.Kind != yaml.ScalarNode {
				return JSONValue(yamlJSON(n)), true
			}
			if c.Tag != "!!null" {
				items = append(items, c.Value)
			}
		}
		return ListValue(items), true
	case yaml.MappingNode, yaml.AliasNode:
		return JSONValue(yamlJSON(n)), true
	}
	return Value{}, false
}

// yamlScalar types a YAML scalar (see frontMatterValue).
func yamlScalar(n *yaml.Node) (Value, bool) {
	switch n.Tag {
	case "!!null":
		return Value{}, false
	case "!!int":
		var i int64
		if n.Decode(&i) == nil {
			v := IntValue(i)
			v.Text = n.Value
			return v, true
		}
		var f float64
		if n.Decode(&f) == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return FloatValue(f, n.Value), true
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return FloatValue(f, n.Value), true
		}
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			v := BoolValue(b)
			v.Text = n.Value
			return v, true
		}
	case "!!timestamp":
		if v, ok := ParseText(n.Value); ok && (v.Kind == KindDate || v.Kind == KindTimestamp) {
			return v, true
		}
		var t time.Time
		if n.Decode(&t) == nil {
			if !strings.ContainsRune(n.Value, ':') {
				v := DateValue(t)
				v.Text = n.Value
				return v, true
			}
			return TimestampValue(t, n.Value), true
		}
	case "!!str":
		return ParseText(n.Value)
	}
	if n.Value == "" {
		return Value{}, false
	}
	return StringValue(n.Value), true
}

// yamlJSON writes a YAML node as JSON: mappings as objects (keys as written), sequences
// as arrays, numbers and booleans as such, other scalars as strings. An alias to a
// scalar is its value; an alias to a mapping or sequence is written as the string
// "*name", so that a self-referring or exponential alias cannot blow up.
func yamlJSON(n *yaml.Node) string {
	var b strings.Builder
	writeYAMLJSON(&b, n, 0)
	return b.String()
}

func writeYAMLJSON(b *strings.Builder, n *yaml.Node, depth int) {
	str := func(s string) {
		j, _ := json.Marshal(s)
		b.Write(j)
	}
	if depth > 64 {
		str("…")
		return
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			writeYAMLJSON(b, n.Content[0], depth+1)
			return
		}
		b.WriteString("null")
	case yaml.AliasNode:
		if n.Alias != nil && n.Alias.Kind == yaml.ScalarNode {
			writeYAMLJSON(b, n.Alias, depth+1)
			return
		}
		str("*" + n.Value)
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			str(n.Content[i].Value)
			b.WriteByte(':')
			writeYAMLJSON(b, n.Content[i+1], depth+1)
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			writeYAMLJSON(b, c, depth+1)
		}
		b.WriteByte(']')
	default:
		switch n.Tag {
		case "!!null":
			b.WriteString("null")
			return
		case "!!bool":
			var v bool
			if n.Decode(&v) == nil {
				b.WriteString(strconv.FormatBool(v))
				return
			}
		case "!!int", "!!float":
			var f float64
			if n.Decode(&f) == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
				var i int64
				if n.Decode(&i) == nil {
					b.WriteString(strconv.FormatInt(i, 10))
				} else {
					b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
				}
				return
			}
		}
		str(n.Value)
	}
}
