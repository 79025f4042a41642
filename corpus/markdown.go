package corpus

import (
	"strings"

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

// splitFrontMatter separates YAML front matter from a Markdown text. Only top-level
// scalar values are kept, as written ("2015-09-28", "70"), so dates and numbers read the
// same as in the file. When the block is not a YAML mapping, the "---" was a thematic
// break rather than front matter, and the text is returned whole.
func splitFrontMatter(text string) (title string, meta map[string]string, body string) {
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
		if k.Kind != yaml.ScalarNode || v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			continue
		}
		if k.Value == "title" {
			title = strings.TrimSpace(v.Value)
			continue
		}
		if meta == nil {
			meta = map[string]string{}
		}
		meta[k.Value] = v.Value
	}
	return title, meta, rest[after:]
}
