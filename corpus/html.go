package corpus

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
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
	src, enc, err := decodeHTML(data)
	if err != nil {
		return nil, err
	}
	var title, text string
	if root, err := html.Parse(strings.NewReader(src)); err == nil {
		title, text = htmlText(root)
	} else {
		// The tree builder gives up on pages nested deeper than 512 elements (a page
		// of unclosed <div>s); the tokens still hold the text.
		title, text = htmlTokensText(src)
	}
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

// htmlTokensText is htmlText for a page the tree builder refuses: the same rules
// applied to the stream of tokens, which has no depth limit (elements whose content is
// skipped are counted open and closed by name; an unclosed one skips to the end).
func htmlTokensText(src string) (title, text string) {
	var w htmlWriter
	z := html.NewTokenizer(strings.NewReader(src))
	skip := map[atom.Atom]int{} // skipped elements open
	skipping := 0
	pre, inTitle := 0, false
	var titleText strings.Builder
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.TextToken:
			switch {
			case inTitle:
				titleText.WriteString(tok.Data)
			case skipping > 0:
			case pre > 0:
				w.text(tok.Data)
			default:
				w.text(collapseSpace(tok.Data))
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			a := tok.DataAtom
			start, end := tt != html.EndTagToken, tt != html.StartTagToken
			if a == atom.Body && start && skip[atom.Head] > 0 { // </head> may be left out
				skipping -= skip[atom.Head]
				skip[atom.Head] = 0
			}
			if a == atom.Title && title == "" {
				inTitle = start && !end
				if !inTitle {
					title = strings.TrimSpace(collapseSpace(titleText.String()))
				}
				continue
			}
			if skippedHTML[a] && !voidHTML[a] {
				if start && !end {
					skip[a]++
					skipping++
				} else if !start && skip[a] > 0 {
					skip[a]--
					skipping--
				}
				continue
			}
			if skipping > 0 {
				continue
			}
			if a == atom.Pre || a == atom.Textarea {
				if start && !end {
					pre++
				} else if !start && pre > 0 {
					pre--
				}
			}
			switch {
			case paragraphHTML[a]:
				w.lineBreak(2)
			case lineHTML[a]:
				w.lineBreak(1)
			case (a == atom.Td || a == atom.Th) && start:
				w.text(" ")
			}
		}
	}
	if inTitle && title == "" {
		title = strings.TrimSpace(collapseSpace(titleText.String()))
	}
	return title, tidyLines(w.b.String())
}

// voidHTML are elements that have no end tag.
var voidHTML = map[atom.Atom]bool{
	atom.Area: true, atom.Base: true, atom.Br: true, atom.Col: true, atom.Embed: true,
	atom.Hr: true, atom.Img: true, atom.Input: true, atom.Link: true, atom.Meta: true,
	atom.Source: true, atom.Track: true, atom.Wbr: true,
}

// xmlDeclaration is an XML declaration's encoding (XHTML pages start with one).
var xmlDeclaration = regexp.MustCompile(`^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// decodeHTML decodes a page by the encoding it declares: a byte order mark, an XML
// declaration, or a <meta charset> or <meta http-equiv="Content-Type"> among its
// first 1,024 bytes (the HTML standard's prescan, golang.org/x/net/html/charset:
// GB2312/GBK/GB18030, Big5, Shift_JIS, EUC-JP, EUC-KR, KOI8-R, ISO-8859-x,
// Windows-125x, ...). Content that is valid UTF-8 is read as UTF-8 whatever it
// declares (a page converted to UTF-8 that kept its old declaration: legacy multi-byte
// text is practically never valid UTF-8); a page that declares nothing is read as a
// text file is (UTF-8, or Windows-1252 when it is not).
func decodeHTML(data []byte) (string, string, error) {
	if hasBOM(data) || utf8.Valid(data) {
		return decodeText(data)
	}
	var e encoding.Encoding
	var name string
	if m := xmlDeclaration.FindSubmatch(data[:min(len(data), 1024)]); m != nil {
		e, name = charset.Lookup(string(m[1]))
	}
	if e == nil {
		e, name, _ = charset.DetermineEncoding(data, "text/html")
		if name == "utf-8" || name == EncodingWindows1252 {
			return decodeText(data) // what it falls back to when nothing is declared
		}
	}
	if e == nil || looksBinary(data) {
		return decodeText(data)
	}
	out, err := e.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", fmt.Errorf("%w (declared %s)", ErrNotText, name)
	}
	return normalizeNewlines(strings.ToValidUTF8(string(out), "\uFFFD")), name, nil
}
