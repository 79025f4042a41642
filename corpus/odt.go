package corpus

import (
	"encoding/xml"
	"errors"
	"strconv"
	"strings"
)

// ErrPasswordODT is the reason for an OpenDocument file saved with a password.
var ErrPasswordODT = errors.New("password-protected OpenDocument file (remove the password and save it again)")

// readODT reads an OpenDocument text (.odt, LibreOffice and others) as readDOCX reads
// a Word file: the paragraphs and headings of content.xml in order, each on its own
// line (lists, table cells and text frames included; text:s spaces, tabs and line
// breaks kept; deleted tracked changes and comments left out), the footnotes and
// endnotes after a blank line, and the title and metadata of meta.xml (created,
// modified, author, subject, keywords, description).
func readODT(in *input, emit func(Document) error) ([]RecordError, error) {
	pkg, err := openPackage(in, "OpenDocument text")
	if err != nil {
		return nil, err
	}
	if pkg.file("META-INF/manifest.xml") != nil {
		encrypted := false
		_ = pkg.walk("META-INF/manifest.xml", func(d *xml.Decoder, t xml.Token) error {
			if e, ok := t.(xml.StartElement); ok && e.Name.Local == "encryption-data" {
				encrypted = true
			}
			return nil
		})
		if encrypted {
			return nil, ErrPasswordODT
		}
	}
	if pkg.file("content.xml") == nil {
		return nil, errors.New("damaged OpenDocument text (no content.xml)")
	}
	var body, notes strings.Builder
	if err := pkg.walk("content.xml", odtText(&body, &notes)); err != nil {
		return nil, err
	}
	text := body.String()
	if strings.TrimSpace(notes.String()) != "" {
		text += "\n" + notes.String()
	}
	text = tidyParagraphs(text)
	if strings.TrimSpace(text) == "" {
		return nil, ErrNoText
	}
	d := in.document(text, EncodingUTF8)
	d.Title, d.Meta = pkg.properties("meta.xml", map[string]string{
		"title": "title", "creation-date": "created", "date": "modified", "initial-creator": "author",
		"subject": "subject", "keyword": "keywords", "description": "description",
	})
	return nil, emit(d)
}

const odtTextNS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

// odtText is the walker that writes the text of content.xml to body, and the bodies
// of its notes to notes.
func odtText(body, notes *strings.Builder) func(d *xml.Decoder, t xml.Token) error {
	out := body
	noteDepth := 0 // > 0 inside a text:note-body
	paraDepth := 0 // > 0 inside a text:p or text:h
	lastSpace := true
	return func(d *xml.Decoder, t xml.Token) error {
		switch e := t.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "annotation", "tracked-changes", "note-citation":
				return d.Skip()
			}
			if e.Name.Space != odtTextNS {
				return nil
			}
			switch e.Name.Local {
			case "p", "h":
				paraDepth++
				lastSpace = true
			case "note-body":
				noteDepth++
				out = notes
			case "s":
				n := 1
				for _, a := range e.Attr {
					if a.Name.Local == "c" {
						if c, err := strconv.Atoi(a.Value); err == nil && c > 0 && c < 1000 {
							n = c
						}
					}
				}
				out.WriteString(strings.Repeat(" ", n))
			case "tab":
				out.WriteByte('\t')
			case "line-break":
				out.WriteByte('\n')
			}
		case xml.CharData:
			// Inside a paragraph, white space in the XML is one space (ODF 6.1.2);
			// text:s, text:tab and text:line-break write the others. Outside, it is
			// the file's indentation.
			if paraDepth == 0 {
				return nil
			}
			for _, r := range string(e) {
				if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
					if !lastSpace {
						out.WriteByte(' ')
					}
					lastSpace = true
					continue
				}
				out.WriteRune(r)
				lastSpace = false
			}
		case xml.EndElement:
			if e.Name.Space != odtTextNS {
				return nil
			}
			switch e.Name.Local {
			case "p", "h":
				paraDepth--
				out.WriteByte('\n')
				lastSpace = true
			case "note-body":
				if noteDepth--; noteDepth == 0 {
					out = body
				}
			}
		}
		return nil
	}
}
