package corpus

import (
	"fmt"
	"path"
	"regexp"
	"strings"
)

// MetaPattern turns parts of a file name into metadata. The pattern
// "{country}_{session}_{year}.txt" applied to "Session 70 - 2015/CHN_70_2015.txt" gives
// country=CHN, session=70, year=2015. A pattern without '/' is matched against the base
// name; one with '/' against as many trailing path components as it has
// ("Session {session} - {year}/{country}_*.txt"). Literal parts must match exactly, '*'
// matches any run of characters within a component, and a field matches one or more
// characters other than '/', as few as the rest of the pattern allows.
type MetaPattern struct {
	pattern string
	fields  []string
	parts   int // path components the pattern covers
	re      *regexp.Regexp
}

// ParseMetaPattern parses a pattern such as "{country}_{session}_{year}.txt". It refuses
// patterns that cannot mean one thing: an unclosed or stray brace, an empty or repeated
// field name, and two fields (or a field and '*') with nothing between them, since
// "{a}{b}" could split "123" anywhere.
func ParseMetaPattern(p string) (*MetaPattern, error) {
	if p == "" {
		return nil, fmt.Errorf("metadata pattern is empty")
	}
	m := &MetaPattern{pattern: p, parts: strings.Count(p, "/") + 1}
	var re strings.Builder
	re.WriteString("^")
	seen := map[string]bool{}
	prevWild := "" // the field or '*' just before, when nothing literal separates it
	for i := 0; i < len(p); {
		switch c := p[i]; c {
		case '{':
			end := strings.IndexByte(p[i:], '}')
			if open := strings.IndexByte(p[i+1:], '{'); end < 0 || (open >= 0 && open+1 < end) {
				return nil, fmt.Errorf("metadata pattern %q: unclosed '{' at position %d", p, i+1)
			}
			name := p[i+1 : i+end]
			if err := checkFieldName(p, name, i); err != nil {
				return nil, err
			}
			if seen[name] {
				return nil, fmt.Errorf("metadata pattern %q: field {%s} appears twice", p, name)
			}
			if prevWild != "" {
				return nil, fmt.Errorf("metadata pattern %q: %s and {%s} are adjacent, so where one ends is ambiguous; put a literal separator between them", p, prevWild, name)
			}
			seen[name] = true
			m.fields = append(m.fields, name)
			re.WriteString("([^/]+?)")
			prevWild = "{" + name + "}"
			i += end + 1
		case '}':
			return nil, fmt.Errorf("metadata pattern %q: '}' at position %d has no matching '{'", p, i+1)
		case '*':
			if prevWild != "" {
				return nil, fmt.Errorf("metadata pattern %q: %s and '*' are adjacent, so where one ends is ambiguous", p, prevWild)
			}
			re.WriteString("[^/]*?")
			prevWild = "'*'"
			i++
		default:
			j := i
			for j < len(p) && p[j] != '{' && p[j] != '}' && p[j] != '*' {
				j++
			}
			re.WriteString(regexp.QuoteMeta(p[i:j]))
			prevWild = ""
			i = j
		}
	}
	if len(m.fields) == 0 {
		return nil, fmt.Errorf("metadata pattern %q has no {field}", p)
	}
	re.WriteString("$")
	var err error
	if m.re, err = regexp.Compile(re.String()); err != nil {
		return nil, fmt.Errorf("metadata pattern %q: %w", p, err)
	}
	return m, nil
}

// checkFieldName accepts names that make usable column names: letters, digits, '_', '-'.
func checkFieldName(p, name string, at int) error {
	if name == "" {
		return fmt.Errorf("metadata pattern %q: empty field name '{}' at position %d", p, at+1)
	}
	for _, r := range name {
		ok := r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !ok {
			return fmt.Errorf("metadata pattern %q: field name %q may hold only letters, digits, '_' and '-'", p, name)
		}
	}
	return nil
}

// Fields returns the field names of the pattern in the order they appear.
func (m *MetaPattern) Fields() []string {
	return append([]string(nil), m.fields...)
}

// String returns the pattern as written.
func (m *MetaPattern) String() string { return m.pattern }

// Values is Apply with each part typed by its form (ParseText): "70" is an integer,
// "2015-09-28" a date, "CHN" a string.
func (m *MetaPattern) Values(relPath string) map[string]Value {
	parts := m.Apply(relPath)
	if parts == nil {
		return nil
	}
	out := make(map[string]Value, len(parts))
	for k, s := range parts {
		if v, ok := ParseText(s); ok {
			out[k] = v
		}
	}
	return out
}

// AddTo puts the typed parts of relPath, d's file's path, into d.Meta (see Values):
// file-name parts win over the file's own metadata of the same name. A nil pattern
// adds nothing.
func (m *MetaPattern) AddTo(d *Document, relPath string) {
	if m == nil {
		return
	}
	for k, v := range m.Values(relPath) {
		if d.Meta == nil {
			d.Meta = map[string]Value{}
		}
		d.Meta[k] = v
	}
}

// Apply matches the pattern against the end of relPath ('/' separators) and returns the
// fields it captured, or nil when the name does not match (not an error: a corpus may
// hold files named otherwise).
func (m *MetaPattern) Apply(relPath string) map[string]string {
	relPath = path.Clean(relPath)
	comps := strings.Split(relPath, "/")
	if len(comps) < m.parts {
		return nil
	}
	sub := m.re.FindStringSubmatch(strings.Join(comps[len(comps)-m.parts:], "/"))
	if sub == nil {
		return nil
	}
	out := make(map[string]string, len(m.fields))
	for i, name := range m.fields {
		out[name] = sub[i+1]
	}
	return out
}
