package corpus

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// readDOCX reads a Word file (.docx, Office Open XML) as one document: the paragraphs
// of the body in order, each on its own line (headings, list items and the paragraphs
// of table cells and text boxes included; tabs and line breaks kept; deleted tracked
// changes, field codes, page headers and footers, and comments left out), then the
// footnotes and endnotes after a blank line. The document properties give the title
// and metadata: created and modified (timestamps), author, subject, keywords,
// description and category.
func readDOCX(in *input, emit func(Document) error) ([]RecordError, error) {
	pkg, err := openPackage(in, "Word file")
	if err != nil {
		return nil, err
	}
	main := pkg.target("_rels/.rels", "officeDocument", "word/document.xml")
	if pkg.file(main) == nil {
		return nil, fmt.Errorf("damaged Word file (no %s: is it a Word document?)", main)
	}
	var text strings.Builder
	if err := pkg.walk(main, docxText(&text)); err != nil {
		return nil, err
	}
	rels := path.Join(path.Dir(main), "_rels", path.Base(main)+".rels")
	var notes strings.Builder
	for _, n := range []struct{ rel, def string }{{"footnotes", "word/footnotes.xml"}, {"endnotes", "word/endnotes.xml"}} {
		part := pkg.target(rels, n.rel, n.def)
		if pkg.file(part) == nil {
			continue
		}
		if err := pkg.walk(part, docxText(&notes)); err != nil {
			return nil, err
		}
	}
	if strings.TrimSpace(notes.String()) != "" {
		text.WriteString("\n")
		text.WriteString(notes.String())
	}
	if int64(text.Len()) > in.opts.MaxBytes {
		return nil, &TooLargeError{Size: -1, Max: in.opts.MaxBytes}
	}
	body := tidyParagraphs(text.String())
	if strings.TrimSpace(body) == "" {
		return nil, ErrNoText
	}
	d := in.document(body, EncodingUTF8)
	d.Title, d.Meta = pkg.coreProperties("docProps/core.xml")
	return nil, emit(d)
}

// wordNS are the namespaces of WordprocessingML's elements: transitional and strict.
var wordNS = map[string]bool{
	"http://schemas.openxmlformats.org/wordprocessingml/2006/main": true,
	"http://purl.oclc.org/ooxml/wordprocessingml/main":             true,
}

// docxText is the walker that writes the text of a WordprocessingML part to b.
func docxText(b *strings.Builder) func(d *xml.Decoder, t xml.Token) error {
	return func(d *xml.Decoder, t xml.Token) error {
		switch e := t.(type) {
		case xml.StartElement:
			if e.Name.Local == "Fallback" {
				return d.Skip() // mc:Fallback repeats what mc:Choice holds
			}
			if !wordNS[e.Name.Space] {
				return nil
			}
			switch e.Name.Local {
			case "t":
				s, err := elementText(d)
				b.WriteString(s)
				return err
			case "tab", "ptab":
				b.WriteByte('\t')
			case "br", "cr":
				b.WriteByte('\n')
			case "noBreakHyphen":
				b.WriteByte('-')
			case "delText", "instrText", "delInstrText", "comment", "footnoteReference", "endnoteReference":
				return d.Skip()
			case "footnote", "endnote":
				// The separator lines Word keeps as notes of their own have no text.
				for _, a := range e.Attr {
					if a.Name.Local == "type" && a.Value != "normal" {
						return d.Skip()
					}
				}
			}
		case xml.EndElement:
			// A paragraph ends its line; an empty one (Word's spacing) and one that
			// closes around a text box's paragraphs add no blank line.
			if wordNS[e.Name.Space] && e.Name.Local == "p" && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
				b.WriteByte('\n')
			}
		}
		return nil
	}
}

// elementText reads the character data of the element just started, to its end.
func elementText(d *xml.Decoder) (string, error) {
	var b strings.Builder
	depth := 1
	for depth > 0 {
		t, err := d.Token()
		if err != nil {
			return b.String(), err
		}
		switch e := t.(type) {
		case xml.CharData:
			b.Write(e)
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return b.String(), nil
}

// tidyParagraphs trims the spaces that end lines and keeps at most one blank line in a
// row, so that empty paragraphs (Word's spacing) do not pile up.
func tidyParagraphs(s string) string {
	lines := strings.Split(normalizeNewlines(s), "\n")
	out := make([]string, 0, len(lines))
	blank := true
	for _, l := range lines {
		l = strings.TrimRight(l, " \t\u00a0")
		if l == "" {
			if !blank {
				out = append(out, "")
			}
			blank = true
			continue
		}
		out = append(out, l)
		blank = false
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n") + "\n"
}

// officePackage is an opened ZIP package of an Office document (.docx, .odt).
type officePackage struct {
	kind  string // "Word file", "OpenDocument text", for reasons
	zr    *zip.Reader
	files map[string]*zip.File
	max   int64 // --max-bytes: the most any part may unpack to
}

// openPackage opens the ZIP package of a one-document Office file, refusing what is
// not one (an OLE file is password-protected or of the 97-2003 formats) and packages
// whose declared sizes are forged or too large (see checkZip).
func openPackage(in *input, kind string) (*officePackage, error) {
	ra, size, err := in.readerAt()
	if err != nil {
		return nil, err
	}
	head := make([]byte, 8)
	n, _ := ra.ReadAt(head, 0)
	head = head[:n]
	switch {
	case looksOLE(head):
		return nil, oleError(ra, kind)
	case !bytes.HasPrefix(head, []byte("PK")):
		ext := ".docx"
		if kind != "Word file" {
			ext = ".odt"
		}
		return nil, fmt.Errorf("not a %s (%s files are ZIP packages; this is not one)", kind, ext)
	}
	if err := checkZip(ra, size, zipLimit(size), kind); err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, fmt.Errorf("damaged %s (not a readable ZIP package: %v)", kind, err)
	}
	p := &officePackage{kind: kind, zr: zr, files: map[string]*zip.File{}, max: in.opts.MaxBytes}
	for _, f := range zr.File {
		p.files[strings.TrimPrefix(strings.ReplaceAll(f.Name, "\\", "/"), "/")] = f
	}
	return p, nil
}

// file is the part called name, or nil; names compare case-insensitively when no
// part has the exact name (some tools write "Word/Document.xml").
func (p *officePackage) file(name string) *zip.File {
	if f, ok := p.files[name]; ok {
		return f
	}
	for n, f := range p.files {
		if strings.EqualFold(n, name) {
			return f
		}
	}
	return nil
}

// open returns the unpacked content of a part, held to p.max bytes.
func (p *officePackage) open(name string) (io.ReadCloser, error) {
	f := p.file(name)
	if f == nil {
		return nil, fmt.Errorf("damaged %s (no %s)", p.kind, name)
	}
	if f.UncompressedSize64 > uint64(p.max) {
		return nil, &TooLargeError{Size: -1, Max: p.max}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("damaged %s (%s: %v)", p.kind, name, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{&limitedPart{r: rc, left: p.max}, rc}, nil
}

// limitedPart reads a part, failing once more than left bytes came out of it.
type limitedPart struct {
	r    io.Reader
	left int64
}

func (l *limitedPart) Read(b []byte) (int, error) {
	n, err := l.r.Read(b)
	l.left -= int64(n)
	if l.left < 0 {
		return n, errPartTooLarge
	}
	return n, err
}

var errPartTooLarge = errors.New("part too large")

// walk streams the XML of a part through visit, token by token.
func (p *officePackage) walk(name string, visit func(*xml.Decoder, xml.Token) error) error {
	rc, err := p.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	d.Strict = true
	for {
		t, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err == nil {
			err = visit(d, t)
		}
		if err != nil {
			if errors.Is(err, errPartTooLarge) {
				return &TooLargeError{Size: -1, Max: p.max}
			}
			var se *xml.SyntaxError
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &se) && se.Msg == "unexpected EOF" {
				err = errors.New("the XML ends too early")
			}
			return fmt.Errorf("damaged %s (%s: %v)", p.kind, name, err)
		}
	}
}

// target follows the relationship of the given type (its last path segment:
// "officeDocument", "footnotes") in the relationships part rels, returning the
// part it names, or def when there is none.
func (p *officePackage) target(rels, relType, def string) string {
	if p.file(rels) == nil {
		return def
	}
	found := ""
	_ = p.walk(rels, func(d *xml.Decoder, t xml.Token) error {
		e, ok := t.(xml.StartElement)
		if !ok || e.Name.Local != "Relationship" || found != "" {
			return nil
		}
		var typ, tgt, mode string
		for _, a := range e.Attr {
			switch a.Name.Local {
			case "Type":
				typ = a.Value
			case "Target":
				tgt = a.Value
			case "TargetMode":
				mode = a.Value
			}
		}
		if path.Base(typ) == relType && mode != "External" && tgt != "" {
			found = tgt
		}
		return nil
	})
	if found == "" {
		return def
	}
	// A target is relative to the folder of the part the relationships belong to
	// (_rels/.rels belongs to the package root), or absolute from the root.
	if strings.HasPrefix(found, "/") {
		return strings.TrimPrefix(path.Clean(found), "/")
	}
	base := path.Dir(path.Dir(rels))
	return strings.TrimPrefix(path.Clean(path.Join(base, found)), "/")
}

// coreProperties reads the title and metadata of an Office Open XML package's core
// properties (Dublin Core): title, created, modified, author (dc:creator), subject,
// keywords, description, category. Dates are typed as ParseText types them (W3CDTF:
// 2023-11-15T14:02:00Z is a timestamp). A damaged or missing part gives nothing.
func (p *officePackage) coreProperties(name string) (title string, meta map[string]Value) {
	keys := map[string]string{"created": "created", "modified": "modified", "creator": "author",
		"subject": "subject", "keywords": "keywords", "description": "description", "category": "category", "title": "title"}
	return p.properties(name, keys)
}

// properties reads the simple text elements of a properties part whose local names
// keys maps to metadata keys; "title" becomes the title.
func (p *officePackage) properties(name string, keys map[string]string) (title string, meta map[string]Value) {
	if p.file(name) == nil {
		return "", nil
	}
	got := map[string]string{}
	err := p.walk(name, func(d *xml.Decoder, t xml.Token) error {
		e, ok := t.(xml.StartElement)
		if !ok {
			return nil
		}
		key, ok := keys[e.Name.Local]
		if !ok {
			return nil
		}
		s, err := elementText(d)
		if s = strings.TrimSpace(s); s != "" {
			if _, dup := got[key]; !dup {
				got[key] = s
			}
		}
		return err
	})
	if err != nil {
		return "", nil
	}
	for k, s := range got {
		if k == "title" {
			title = s
			continue
		}
		v, ok := ParseText(s)
		if !ok {
			continue
		}
		if meta == nil {
			meta = map[string]Value{}
		}
		meta[k] = v
	}
	return title, meta
}
