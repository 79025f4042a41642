package corpus

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// skippedHTML are elements whose content is not the document's prose: code, styling,
// site navigation and chrome, forms, embedded media.
var skippedHTML = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Nav: true,
	atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Form: true,
	atom.Head: true, atom.Template: true, atom.Svg: true, atom.Math: true,
	atom.Iframe: true, atom.Object: true, atom.Canvas: true, atom.Select: true,
	atom.Button: true,
}

// paragraphHTML are block elements that end a paragraph: a blank line around them.
var paragraphHTML = map[atom.Atom]bool{
	atom.P: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Blockquote: true, atom.Pre: true,
	atom.Table: true, atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Section: true,
	atom.Article: true, atom.Main: true, atom.Figure: true, atom.Address: true,
	atom.Hr: true, atom.Body: true,
}

// lineHTML are block elements that start a new line.
var lineHTML = map[atom.Atom]bool{
	atom.Div: true, atom.Li: true, atom.Tr: true, atom.Br: true, atom.Dt: true,
	atom.Dd: true, atom.Figcaption: true, atom.Caption: true, atom.Center: true,
	atom.Details: true, atom.Summary: true, atom.Fieldset: true, atom.Legend: true,
}

var (
	spaceRun     = regexp.MustCompile(`[ \t\f\v]*\n[ \t\f\v]*`)
	spacesRun    = regexp.MustCompile(` {2,}`)
	blankLineRun = regexp.MustCompile(`\n{3,}`)
)

// readHTML reads an HTML file as one document: its readable text, with paragraphs on
// lines of their own so sentences do not run together, and its <title>.
func readHTML(in *input, emit func(Document) error) ([]RecordError, error) {
	data, err := in.bytes()
	if err != nil {
		return nil, err
	}
	src, enc, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	root, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return nil, ErrHTMLNoText
	}
	title, text := htmlText(root)
	if text == "" {
		return nil, ErrHTMLNoText
	}
	d := in.document(text, enc)
	d.Title = title
	return nil, emit(d)
}

// htmlText returns the title and readable text of a parsed page.
func htmlText(root *html.Node) (title, text string) {
	var w htmlWriter
	var walk func(n *html.Node, pre bool)
	walk = func(n *html.Node, pre bool) {
		switch n.Type {
		case html.TextNode:
			if pre {
				w.text(n.Data)
			} else {
				w.text(collapseSpace(n.Data))
			}
			return
		case html.ElementNode:
			if skippedHTML[n.DataAtom] {
				return
			}
		case html.CommentNode, html.DoctypeNode:
			return
		}
		brk := 0
		switch {
		case paragraphHTML[n.DataAtom]:
			brk = 2
		case lineHTML[n.DataAtom]:
			brk = 1
		case n.DataAtom == atom.Td || n.DataAtom == atom.Th:
			w.text(" ")
		}
		w.lineBreak(brk)
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, pre || n.DataAtom == atom.Pre || n.DataAtom == atom.Textarea)
		}
		w.lineBreak(brk)
	}
	// The title sits in <head>, which walk skips; find it first.
	findTitle(root, &title)
	walk(root, false)
	return title, tidyLines(w.b.String())
}

// htmlWriter collects text, turning the edges of block elements into line breaks. A
// break is held until more text comes, so nested or adjacent blocks ("<li><p>") give one
// break, not several: the largest one asked for (1 = new line, 2 = blank line).
type htmlWriter struct {
	b       strings.Builder
	pending int
}

func (w *htmlWriter) lineBreak(n int) {
	if n > w.pending {
		w.pending = n
	}
}

func (w *htmlWriter) text(s string) {
	if w.pending > 0 {
		if strings.TrimSpace(s) == "" {
			return // white space between blocks
		}
		if w.b.Len() > 0 {
			w.b.WriteString(strings.Repeat("\n", w.pending))
		}
		w.pending = 0
	}
	w.b.WriteString(s)
}

// findTitle sets title to the text of the first <title> element.
func findTitle(n *html.Node, title *string) {
	if *title != "" {
		return
	}
	if n.Type == html.ElementNode && n.DataAtom == atom.Title {
		*title = strings.TrimSpace(collapseSpace(nodeText(n)))
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		findTitle(c, title)
	}
}

// nodeText is all text below n.
func nodeText(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(nodeText(c))
	}
	return b.String()
}

// collapseSpace turns each run of HTML white space into one space, as a browser shows
// it, keeping a space at either edge so "a <b>b</b>" keeps the space between its parts.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

// tidyLines trims spaces around line breaks, keeps at most one blank line between
// paragraphs and trims the ends.
func tidyLines(s string) string {
	s = spacesRun.ReplaceAllString(s, " ")
	s = spaceRun.ReplaceAllString(s, "\n")
	s = blankLineRun.ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}
