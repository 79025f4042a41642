package corpus

import (
	"reflect"
	"strings"
	"testing"
)

func TestMetaPatternReadsUNGDCNames(t *testing.T) {
	m, err := ParseMetaPattern("{country}_{session}_{year}.txt")
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Fields(); !reflect.DeepEqual(got, []string{"country", "session", "year"}) {
		t.Errorf("fields %v", got)
	}
	got := m.Apply("Session 70 - 2015/CHN_70_2015.txt")
	want := map[string]string{"country": "CHN", "session": "70", "year": "2015"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Apply = %v, want %v", got, want)
	}
	for _, name := range []string{"README.md", "CHN_70_2015.md", "CHN_70.txt", "Session 70 - 2015"} {
		if got := m.Apply(name); got != nil {
			t.Errorf("Apply(%q) = %v, want no fields", name, got)
		}
	}
}

func TestMetaPatternWildcardAndFolders(t *testing.T) {
	m, err := ParseMetaPattern("Session {session} - {year}/{country}_*.txt")
	if err != nil {
		t.Fatal(err)
	}
	got := m.Apply("ungdc/Session 79 - 2024/VAT_79_2024.txt")
	want := map[string]string{"session": "79", "year": "2024", "country": "VAT"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Apply = %v, want %v", got, want)
	}
	if got := m.Apply("VAT_79_2024.txt"); got != nil {
		t.Errorf("a name without the folder matched: %v", got)
	}
}

func TestParseMetaPatternRefusesMalformed(t *testing.T) {
	cases := map[string]string{
		"{country_{year}.txt":  "unclosed '{'",
		"{country}_{}.txt":     "empty field name",
		"{country}{year}.txt":  "adjacent",
		"{country}*.txt":       "adjacent",
		"{a}_{a}.txt":          "appears twice",
		"country}.txt":         "no matching '{'",
		"plain.txt":            "has no {field}",
		"{country name}_x.txt": "may hold only",
		"":                     "empty",
	}
	for p, want := range cases {
		_, err := ParseMetaPattern(p)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseMetaPattern(%q) = %v, want an error about %q", p, err, want)
		}
	}
}
