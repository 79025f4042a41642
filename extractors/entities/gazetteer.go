package entities

import (
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/framealign/framealign/extractors/words"
)

// The gazetteer lives in data files, not in Go: countries.csv is generated from
// Debian's iso-codes by scripts/gencountries; the rest is kept by hand.
//
//go:embed data/countries.csv data/country_names.csv data/demonyms.csv data/cities.csv data/places.csv data/organisations.csv data/lexicon.csv
var entityData embed.FS

// gazEntry is what a name in the gazetteer stands for.
type gazEntry struct {
	label, canonical, iso3 string
	form                   []word // the name as written in the data, for the case check
}

// trieNode is one step of the token-sequence trie over lowercased words.
type trieNode struct {
	next  map[string]*trieNode
	entry *gazEntry
}

// NewResolver builds a resolver from the embedded gazetteer (a few milliseconds).
// Each call builds its own; a program makes one and shares it between its workers.
func NewResolver() (*Resolver, error) { return loadResolver() }

func loadResolver() (*Resolver, error) {
	r := &Resolver{root: &trieNode{}, heads: map[string]bool{}, titles: map[string]bool{},
		orgHeads: map[string]bool{}, notNames: map[string]bool{}, determiners: map[string]bool{}, common: map[string]bool{},
		stateForms: map[string]bool{}, stateModifiers: map[string]bool{}, honorifics: map[string]bool{}, surnameTitles: map[string]bool{}, offices: map[string]bool{}, placeHeads: map[string]bool{}, usHomonyms: map[string]bool{}, usStates: map[string][][]string{}, codes: map[string]bool{}}

	// Order matters: the first entry for a name wins, so hand-kept country names
	// (canonical spellings) come before ISO's, states before bodies and peoples, and
	// territories last.
	canonical := map[string]string{}
	names, err := readCSV("country_names.csv", 3)
	if err != nil {
		return nil, err
	}
	for _, row := range names {
		if row[2] == "canonical" {
			canonical[row[0]] = row[1]
		}
	}
	countries, err := readCSV("countries.csv", 5)
	if err != nil {
		return nil, err
	}
	status := map[string]string{}
	for _, row := range countries {
		iso3, st, name, common := row[0], row[1], row[2], row[4]
		status[iso3] = st
		if st != "territory" {
			r.codes[iso3] = true
		}
		if canonical[iso3] == "" {
			canonical[iso3] = firstNonEmpty(common, name)
		}
	}
	// Territories are GPEs but not countries: no code, so Countries does not count them.
	code := func(iso3 string) string {
		if status[iso3] == "territory" {
			return ""
		}
		return iso3
	}
	for _, row := range names {
		r.add(row[1], &gazEntry{label: "GPE", canonical: canonical[row[0]], iso3: code(row[0])})
	}
	var territories [][]string
	for _, row := range countries {
		if row[1] == "territory" {
			territories = append(territories, row)
			continue
		}
		for _, n := range row[2:] {
			r.add(n, &gazEntry{label: "GPE", canonical: canonical[row[0]], iso3: row[0]})
		}
	}

	orgs, err := readCSV("organisations.csv", 2)
	if err != nil {
		return nil, err
	}
	for _, row := range orgs {
		e := &gazEntry{label: "ORG", canonical: row[0]}
		r.add(row[0], e)
		for _, a := range strings.Split(row[1], "|") {
			r.add(a, e)
		}
	}

	demonyms, err := readCSV("demonyms.csv", 2)
	if err != nil {
		return nil, err
	}
	for _, row := range demonyms {
		e := &gazEntry{label: "NORP", canonical: row[1], iso3: code(row[0])}
		r.add(row[1], e)
		if p := plural(row[1]); p != "" {
			r.add(p, e)
		}
	}

	places, err := readCSV("places.csv", 1)
	if err != nil {
		return nil, err
	}
	for _, row := range places {
		// Regions and seas are LOCs; subnational units and former states are GPEs
		// without a code, as cities are.
		label := "LOC"
		if len(row) > 1 && row[1] != "" {
			label = row[1]
		}
		if label != "LOC" && label != "GPE" {
			return nil, fmt.Errorf("entity data places.csv: %q has label %q, want LOC or GPE", row[0], label)
		}
		e := &gazEntry{label: label}
		if label == "GPE" {
			e.canonical = row[0]
		}
		r.add(row[0], e)
	}

	cities, err := readCSV("cities.csv", 2)
	if err != nil {
		return nil, err
	}
	for _, row := range cities {
		// A city is a GPE without a code, as the gold annotation gives "Jeddah";
		// "Beijing said" speaks for China, but the contract keeps iso3 for countries.
		r.add(row[1], &gazEntry{label: "GPE", canonical: row[1]})
	}
	for _, row := range territories {
		for _, n := range row[2:] {
			r.add(n, &gazEntry{label: "GPE", canonical: canonical[row[0]], iso3: code(row[0])})
		}
	}

	lex, err := readCSV("lexicon.csv", 2)
	if err != nil {
		return nil, err
	}
	for _, row := range lex {
		switch row[0] {
		case "name_head":
			r.heads[row[1]] = true
		case "title":
			r.titles[row[1]] = true
		case "surname_title":
			r.surnameTitles[row[1]] = true
		case "office":
			r.offices[row[1]] = true
		case "org_head":
			r.orgHeads[row[1]] = true
		case "not_name":
			r.notNames[row[1]] = true
		case "determiner":
			r.determiners[row[1]] = true
		case "state_form":
			r.stateForms[row[1]] = true
		case "state_modifier":
			r.stateModifiers[row[1]] = true
		case "place_head":
			r.placeHeads[row[1]] = true
		case "honorific":
			r.honorifics[row[1]] = true
		case "us_state":
			name := strings.Fields(row[1])
			r.usStates[name[0]] = append(r.usStates[name[0]], name)
			// The state is a GPE without a code, as a subnational unit is: "New
			// Mexico" is not Mexico, "Michigan" no person. A name read earlier wins.
			r.add(row[1], &gazEntry{label: "GPE", canonical: row[1]})
		case "us_state_homonym":
			r.usHomonyms[row[1]] = true
		default:
			return nil, fmt.Errorf("entity data lexicon.csv: unknown kind %q", row[0])
		}
	}
	for _, w := range words.Common() {
		r.common[w] = true
	}
	return r, nil
}

// Country returns the ISO 3166 alpha-3 code of the state value names, or "": value is
// a code ("CHN", "usa") or a name the gazetteer knows, written whole ("China", "the
// United States", "United States of America"; any case). A territory, a body or a
// city has no code.
func (r *Resolver) Country(value string) string {
	value = strings.TrimSpace(value)
	if up := strings.ToUpper(value); len(up) == 3 && r.codes[up] {
		return up
	}
	ws := splitWords(value)
	if len(ws) > 0 && ws[0].key == "the" {
		ws = ws[1:]
	}
	n := r.root
	for _, w := range ws {
		if n = n.next[w.key]; n == nil {
			return ""
		}
	}
	if n.entry == nil || n.entry.label != "GPE" {
		return ""
	}
	return n.entry.iso3
}

// add puts a name into the trie under its lowercased words, without a leading "the"
// (speeches say "the Sudan", "the United Kingdom"; the annotation leaves "the" out).
// The first entry for a name is kept.
func (r *Resolver) add(name string, e *gazEntry) {
	name = strings.TrimSpace(name)
	if strings.HasPrefix(name, "the ") || strings.HasPrefix(name, "The ") {
		name = name[4:]
	}
	if name == "" {
		return
	}
	form := splitWords(name)
	n := r.root
	for _, w := range form {
		if n.next == nil {
			n.next = map[string]*trieNode{}
		}
		c := n.next[w.key]
		if c == nil {
			c = &trieNode{}
			n.next[w.key] = c
		}
		n = c
	}
	if n.entry == nil {
		entry := *e
		entry.form = form
		n.entry = &entry
	}
}

// longestMatch walks the trie from words[i] and returns the end of the longest name
// whose capitalisation the text respects, and its entry (nil if none).
func (r *Resolver) longestMatch(words []word, i int) (int, *gazEntry) {
	n := r.root
	bestEnd, best := i, (*gazEntry)(nil)
	for k := i; k < len(words); k++ {
		n = n.next[words[k].key]
		if n == nil {
			break
		}
		if n.entry != nil && caseFits(n.entry.form, words[i:k+1]) {
			bestEnd, best = k+1, n.entry
		}
	}
	return bestEnd, best
}

// caseFits reports whether the text's words honour the name's capitals: an acronym
// ("US", "WHO") must be written exactly so, and a capitalised word must be capitalised
// ("America", not "america"; "US", not "us").
func caseFits(form, text []word) bool {
	for j, f := range form {
		if !f.alnum {
			continue
		}
		t := text[j]
		if f.allCaps && utf8.RuneCountInString(f.text) > 1 {
			if t.text != f.text {
				return false
			}
			continue
		}
		if f.upper && !t.upper {
			return false
		}
	}
	return true
}

// plural gives the plural of a demonym that takes an s ("Malians", "Afghans",
// "Israelis", "Muslims"); "" for those that do not ("Chinese", "Swiss", "French").
func plural(d string) string {
	for _, suf := range []string{"ese", "ss", "sh", "ch", "s", "men", "x", "y"} {
		if strings.HasSuffix(d, suf) {
			return ""
		}
	}
	return d + "s"
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// cityCountry maps the gazetteer's cities (cities.csv) to their country's code.
var cityCountry = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	rows, err := readCSV("cities.csv", 2)
	if err != nil {
		panic(err) // embedded data, read by every NewResolver too: a test fails first
	}
	for _, row := range rows {
		m[row[1]] = row[0]
	}
	return m
})

// CityOf returns the country code of a city the gazetteer knows, by its canonical
// name as an Entity carries it ("Tokyo": JPN, "Washington": USA, "Jeddah": SAU), and
// "" for any other name.
func CityOf(canonical string) string { return cityCountry()[canonical] }

// readCSV reads an embedded data file, skipping its header and lines starting with #,
// and checks every row has at least n fields.
func readCSV(name string, n int) ([][]string, error) {
	f, err := entityData.Open("data/" + name)
	if err != nil {
		return nil, fmt.Errorf("entity data %s: %w", name, err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	var rows [][]string
	for line := 0; ; line++ {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("entity data %s: %w", name, err)
		}
		if line == 0 {
			continue
		}
		if len(row) < n {
			return nil, fmt.Errorf("entity data %s: row %d has %d fields, want %d", name, line+1, len(row), n)
		}
		rows = append(rows, row)
	}
	return rows, nil
}
