package corpus

import (
	"reflect"
	"testing"
)

func TestReadMarkdownFrontMatterBecomesMeta(t *testing.T) {
	src := "---\ntitle: Address to the 70th Session\ncountry: CHN\nsession: 70\ndate: 2015-09-28\ntags: [peace, development]\nspeaker:\n  name: Xi\nempty:\n---\n# Address\n\nWe call for win-win cooperation.\r\n"
	doc := readOne(t, writeFile(t, t.TempDir(), "speech.md", []byte(src)))
	if doc.Title != "Address to the 70th Session" {
		t.Errorf("title %q", doc.Title)
	}
	want := map[string]string{"country": "string CHN", "session": "integer 70", "date": "date 2015-09-28",
		"tags": `list ["peace","development"]`, "speaker": `json {"name":"Xi"}`}
	if got := metaOf(doc); !reflect.DeepEqual(got, want) {
		t.Errorf("meta %v, want %v", got, want)
	}
	if doc.Text != "# Address\n\nWe call for win-win cooperation.\n" || doc.Format != "md" {
		t.Errorf("text %q format %q", doc.Text, doc.Format)
	}
}

func TestReadMarkdownLeadingRuleIsNotFrontMatter(t *testing.T) {
	// A thematic break, then prose that is not a YAML mapping: the text stays whole.
	src := "---\nThis speech was delivered in Arabic.\n---\nMr. President,\n"
	doc := readOne(t, writeFile(t, t.TempDir(), "README.markdown", []byte(src)))
	if doc.Text != src || doc.Meta != nil {
		t.Errorf("text %q meta %v, want the text unchanged", doc.Text, doc.Meta)
	}
}

func TestReadMarkdownOnlyFrontMatterHasNoText(t *testing.T) {
	_, _, err := readPath(t, writeFile(t, t.TempDir(), "stub.md", []byte("---\ntitle: Stub\n---\n\n")), Options{})
	wantErr(t, "front matter only", err, "file has no text (only whitespace)")
}
