package pipeline

import (
	"fmt"
	"strings"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/extractors/entities"
)

// Home says which country each document of a corpus speaks for (run --home): one
// country for all (a government's statements: "USA", "United States") or a metadata
// field naming each document's ("{country}", filled by --meta-pattern from
// "CHN_70_2015.txt", by front matter or by a record's column). A document's home
// name gives its sentences no "state" setting (see cues.Document.Home), so "the
// United States will lead the fight against COVID" in a White House text is not
// international. The zero Home knows no document's home.
type Home struct {
	spec  string // the rule, normalised ("USA" for "United States", "{country}"): part of the analysis key
	code  string // the one country, or ""
	field string // the metadata field, or ""
	r     *entities.Resolver
}

// ParseHome reads a --home value: "" (none), "{field}", or a country's code or name,
// which must name a state the gazetteer knows. r reads the countries; nil makes one
// (a few milliseconds: for a command checking its flags).
func ParseHome(spec string, r *entities.Resolver) (Home, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return Home{}, nil
	}
	if r == nil {
		var err error
		if r, err = entities.NewResolver(); err != nil {
			return Home{}, err
		}
	}
	if strings.HasPrefix(spec, "{") && strings.HasSuffix(spec, "}") {
		field := strings.TrimSpace(spec[1 : len(spec)-1])
		if field == "" || strings.ContainsAny(field, "{}") {
			return Home{}, fmt.Errorf("%q: write a metadata field as {field}, e.g. {country}", spec)
		}
		return Home{spec: "{" + field + "}", field: field, r: r}, nil
	}
	if strings.ContainsAny(spec, "{}") {
		return Home{}, fmt.Errorf("%q: write a metadata field as {field}, e.g. {country}", spec)
	}
	code := r.Country(spec)
	if code == "" {
		return Home{}, fmt.Errorf("%q names no state framealign knows: give its ISO 3166 alpha-3 code (USA, CHN) or its name (United States), or a metadata field as {country}", spec)
	}
	return Home{spec: code, code: code, r: r}, nil
}

// String is the rule: the country's code, the field as {field}, or "" for none.
func (h Home) String() string { return h.spec }

// Field is the metadata field that names each document's home, or "".
func (h Home) Field() string { return h.field }

// Of returns the ISO 3166 alpha-3 code of doc's home, or "" when the rule gives none:
// no rule, or the document's field is missing or names no state (an "EU" delegation,
// a territory), which leaves the document read as without a home.
func (h Home) Of(doc corpus.Document) string {
	if h.code != "" || h.field == "" {
		return h.code
	}
	v, ok := doc.Meta[h.field]
	if !ok {
		return ""
	}
	return h.r.Country(v.Text)
}
