package corpus

import (
	"strings"
	"testing"
)

const statementHTML = `<!DOCTYPE html>
<html><head><title>  Statement by H.E. the Minister  &amp; Delegation </title>
<style>body { font-family: serif }</style><script>var tracking = "do not read me";</script></head>
<body>
<header><a href="/">UN Home</a></header>
<nav><ul><li>Menu item</li></ul></nav>
<main>
<h1>Statement to the General Assembly</h1>
<p>Mr. President, we call for <b>win-win</b> cooperation.</p><p>Dialogue must replace confrontation.</p>
<div>Respect for   sovereignty&nbsp;matters.<br>A new line after a break.</div>
<ul><li>First point.</li><li>Second point.</li></ul>
<table><tr><td>Cell A</td><td>Cell B</td></tr></table>
<noscript>Enable JavaScript</noscript>
<form><input name="q"><button>Search</button></form>
</main>
<aside>Related stories</aside>
<footer>Copyright United Nations</footer>
</body></html>`

func TestReadHTMLKeepsReadableTextInParagraphs(t *testing.T) {
	doc := readOne(t, writeFile(t, t.TempDir(), "statement.html", []byte(statementHTML)))
	if doc.Title != "Statement by H.E. the Minister & Delegation" {
		t.Errorf("title %q", doc.Title)
	}
	lines := strings.Split(doc.Text, "\n")
	wantLines := []string{
		"Statement to the General Assembly",
		"Mr. President, we call for win-win cooperation.",
		"Dialogue must replace confrontation.",
		"Respect for sovereignty\u00a0matters.",
		"A new line after a break.",
		"First point.",
		"Second point.",
		"Cell A Cell B",
	}
	if !strings.Contains(doc.Text, "Respect for sovereignty\u00a0matters.\nA new line after a break.\n\nFirst point.\nSecond point.\n\nCell A Cell B") {
		t.Errorf("lines and paragraphs not laid out as blocks: %q", doc.Text)
	}
	for _, w := range wantLines {
		found := false
		for _, l := range lines {
			if l == w {
				found = true
			}
		}
		if !found {
			t.Errorf("no line %q in %q", w, doc.Text)
		}
	}
	for _, unwanted := range []string{"tracking", "font-family", "UN Home", "Menu item", "Enable JavaScript", "Search", "Related stories", "Copyright"} {
		if strings.Contains(doc.Text, unwanted) {
			t.Errorf("text holds %q from chrome or code: %q", unwanted, doc.Text)
		}
	}
	if !strings.Contains(doc.Text, "cooperation.\n\nDialogue") {
		t.Errorf("paragraphs not separated by a blank line: %q", doc.Text)
	}
}

func TestReadHTMLWindows1252(t *testing.T) {
	doc := readOne(t, writeFile(t, t.TempDir(), "old.htm", []byte("<p>Caf\xe9 \x93quoted\x94</p>")))
	if doc.Text != "Café “quoted”" || doc.Encoding != "windows-1252" || doc.Format != "html" {
		t.Errorf("got %q (%s, %s)", doc.Text, doc.Encoding, doc.Format)
	}
}
