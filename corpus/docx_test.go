package corpus

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"
)

// makeZip packs parts (name, content, in order) as a ZIP package.
func makeZip(t testing.TB, parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(parts); i += 2 {
		w, err := zw.Create(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(parts[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	wNS       = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	relsNS    = `xmlns="http://schemas.openxmlformats.org/package/2006/relationships"`
	relDoc    = `http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument`
	relFoot   = `http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes`
	relEnd    = `http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes`
	wordTypes = `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`
)

// whitePaperDOCX is a Word file as a government white paper comes: a title and
// headings, paragraphs with tabs and breaks, a table, a text box (written twice, as
// Word does, in mc:Choice and mc:Fallback), a tracked deletion, a field, footnotes and
// an endnote, and its properties.
func whitePaperDOCX(t testing.TB) []byte {
	body := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document ` + wNS + ` xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">
<w:body>
<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>China and the World in the New Era</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t xml:space="preserve">I. </w:t></w:r><w:r><w:t>Win-win Cooperation</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">China pursues </w:t></w:r><w:del><w:r><w:delText>zero-sum </w:delText></w:r></w:del><w:ins><w:r><w:t>mutually beneficial</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> cooperation.</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:br/><w:t>A second line.</w:t></w:r></w:p>
<w:p/>
<w:p/>
<w:p><w:r><w:t>Item</w:t></w:r><w:r><w:tab/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Mechanism</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Year</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>Strategic dialogue</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2009</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>Box text.</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Box text.</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>
<w:p><w:r><w:t>Last paragraph.</w:t></w:r></w:p>
<w:sectPr/></w:body></w:document>`
	foot := `<?xml version="1.0"?><w:footnotes ` + wNS + `>
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> See the 2015 article.</w:t></w:r></w:p></w:footnote>
</w:footnotes>`
	end := `<?xml version="1.0"?><w:endnotes ` + wNS + `><w:endnote w:id="1"><w:p><w:r><w:t>An endnote.</w:t></w:r></w:p></w:endnote></w:endnotes>`
	core := `<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>China and the World in the New Era</dc:title><dc:creator>State Council Information Office</dc:creator><cp:keywords>white paper</cp:keywords><cp:revision>4</cp:revision>
<dcterms:created xsi:type="dcterms:W3CDTF">2019-09-27T02:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2019-09-27T08:30:00+08:00</dcterms:modified></cp:coreProperties>`
	return makeZip(t,
		"[Content_Types].xml", wordTypes,
		"_rels/.rels", `<?xml version="1.0"?><Relationships `+relsNS+`><Relationship Id="rId1" Type="`+relDoc+`" Target="word/document.xml"/></Relationships>`,
		"word/document.xml", body,
		"word/_rels/document.xml.rels", `<?xml version="1.0"?><Relationships `+relsNS+`><Relationship Id="rId1" Type="`+relFoot+`" Target="footnotes.xml"/><Relationship Id="rId2" Type="`+relEnd+`" Target="/word/endnotes.xml"/><Relationship Id="rId3" Type="http://x/hyperlink" Target="http://example.org" TargetMode="External"/></Relationships>`,
		"word/footnotes.xml", foot,
		"word/endnotes.xml", end,
		"docProps/core.xml", core,
	)
}

func TestReadDOCXParagraphsTablesNotesAndProperties(t *testing.T) {
	doc := readOne(t, writeFile(t, t.TempDir(), "white-paper.docx", whitePaperDOCX(t)))
	want := strings.Join([]string{
		"China and the World in the New Era",
		"I. Win-win Cooperation",
		"China pursues mutually beneficial cooperation.",
		"A second line.",
		"Item\t7",
		"Mechanism",
		"Year",
		"Strategic dialogue",
		"2009",
		"Box text.",
		"Last paragraph.",
		"",
		" See the 2015 article.",
		"An endnote.",
	}, "\n") + "\n"
	if doc.Text != want {
		t.Errorf("text\n%q\nwant\n%q", doc.Text, want)
	}
	if doc.Title != "China and the World in the New Era" || doc.Format != "docx" || doc.Encoding != "utf-8" {
		t.Errorf("title %q format %q encoding %q", doc.Title, doc.Format, doc.Encoding)
	}
	wantMeta := map[string]string{
		"author": "string State Council Information Office", "keywords": "string white paper",
		"created": "timestamp 2019-09-27T02:00:00Z", "modified": "timestamp 2019-09-27T08:30:00+08:00",
	}
	if got := metaOf(doc); !reflect.DeepEqual(got, wantMeta) {
		t.Errorf("meta\n%v\nwant\n%v", got, wantMeta)
	}
	if m := doc.Meta["modified"].Time; m.Hour() != 0 || m.Minute() != 30 {
		t.Errorf("modified %v, want 00:30 UTC", m)
	}
}

// makeCFB writes a minimal OLE compound file (version 3, 512-byte sectors) whose root
// holds empty streams of the given names, as Word 97-2003 files and encrypted Office
// packages are.
func makeCFB(names ...string) []byte {
	const free, end, fatSect = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
	le := binary.LittleEndian
	hdr := make([]byte, 512)
	copy(hdr, oleMagic)
	le.PutUint16(hdr[24:], 0x3E)
	le.PutUint16(hdr[26:], 3)
	le.PutUint16(hdr[28:], 0xFFFE)
	le.PutUint16(hdr[30:], 9)
	le.PutUint16(hdr[32:], 6)
	le.PutUint32(hdr[44:], 1) // FAT sectors
	le.PutUint32(hdr[48:], 1) // first directory sector
	le.PutUint32(hdr[56:], 0x1000)
	le.PutUint32(hdr[60:], end)
	le.PutUint32(hdr[68:], end)
	for i := 76; i < 512; i += 4 {
		le.PutUint32(hdr[i:], free)
	}
	le.PutUint32(hdr[76:], 0) // the FAT is sector 0
	fat := make([]byte, 512)
	for i := 0; i < 512; i += 4 {
		le.PutUint32(fat[i:], free)
	}
	le.PutUint32(fat[0:], fatSect)
	le.PutUint32(fat[4:], end)
	dir := make([]byte, 512)
	entry := func(i int, name string, typ byte, left, right, child uint32) {
		e := dir[i*128 : (i+1)*128]
		u := utf16.Encode([]rune(name))
		for k, c := range u {
			le.PutUint16(e[2*k:], c)
		}
		le.PutUint16(e[64:], uint16(2*(len(u)+1)))
		e[66], e[67] = typ, 1
		le.PutUint32(e[68:], left)
		le.PutUint32(e[72:], right)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], end)
	}
	for i := 0; i < 4; i++ {
		e := dir[i*128:]
		le.PutUint32(e[68:], free)
		le.PutUint32(e[72:], free)
		le.PutUint32(e[76:], free)
	}
	entry(0, "Root Entry", 5, free, free, 1)
	for i, n := range names {
		right := uint32(free)
		if i+1 < len(names) {
			right = uint32(i + 2)
		}
		entry(i+1, n, 2, free, right, free)
	}
	return append(append(hdr, fat...), dir...)
}

func TestReadDOCXFailures(t *testing.T) {
	dir := t.TempDir()
	good := whitePaperDOCX(t)
	var forged bytes.Buffer
	{
		zw := zip.NewWriter(&forged)
		w, _ := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate, CompressedSize64: 2, UncompressedSize64: 1 << 40, CRC32: crc32.ChecksumIEEE(nil)})
		w.Write([]byte{3, 0})
		zw.Close()
	}
	big := makeZip(t, "word/document.xml", `<w:document `+wNS+`><w:body><w:p><w:r><w:t>`+strings.Repeat("peace ", 400_000)+`</w:t></w:r></w:p></w:body></w:document>`)
	cases := []struct {
		name string
		data []byte
		opts Options
		want string
	}{
		{"locked.docx", makeCFB("EncryptionInfo", "EncryptedPackage"), Options{}, "password-protected Word file (remove the password in Word and save it again)"},
		{"old.docx", makeCFB("WordDocument", "1Table"), Options{}, "unsupported format: a Word 97-2003 document (.doc) named as a .docx; save it as .docx"},
		{"note.docx", []byte("Just text."), Options{}, "not a Word file (.docx files are ZIP packages; this is not one)"},
		{"nobody.docx", makeZip(t, "docProps/core.xml", "<x/>"), Options{}, "damaged Word file (no word/document.xml: is it a Word document?)"},
		{"bad-xml.docx", makeZip(t, "word/document.xml", "<w:document "+wNS+"><w:body><w:p>"), Options{}, "damaged Word file (word/document.xml: the XML ends too early)"},
		{"empty.docx", makeZip(t, "word/document.xml", "<w:document "+wNS+"><w:body><w:p/></w:body></w:document>"), Options{}, "file has no text (only whitespace)"},
		{"forged.docx", forged.Bytes(), Options{}, "damaged Word file (part word/document.xml claims 1024 GB unpacked from 2 bytes)"},
		{"bomb.docx", big, Options{MaxBytes: 1 << 20}, "decompressed content is above --max-bytes 1 MB"},
		{"old.doc", []byte("x"), Options{}, "unsupported format .doc (a Word 97-2003 document: open it in Word or LibreOffice and save it as .docx)"},
	}
	for _, c := range cases {
		_, _, err := readPath(t, writeFile(t, dir, c.name, c.data), c.opts)
		wantErr(t, c.name, err, c.want)
	}
	_, _, err := readPath(t, writeFile(t, dir, "cut.docx", good[:len(good)-40]), Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "damaged Word file") {
		t.Errorf("truncated: %v", err)
	}
	// The same OLE signature on a workbook.
	_, _, err = readPath(t, writeFile(t, dir, "locked.xlsx", makeCFB("EncryptionInfo", "EncryptedPackage")), Options{})
	wantErr(t, "locked.xlsx", err, "password-protected Excel workbook (remove the password in Excel and save it again)")
	_, _, err = readPath(t, writeFile(t, dir, "old.xlsx", makeCFB("Workbook")), Options{})
	wantErr(t, "old.xlsx", err, "unsupported format: an Excel 97-2003 workbook (.xls) named as a .xlsx; save it as .xlsx")
}

// policyODT is an OpenDocument text: a heading, spans, explicit spaces and tabs, a
// list, a table, a footnote written inside its paragraph, a comment and a tracked
// deletion, and its meta.xml.
func policyODT(t testing.TB, encrypted bool) []byte {
	content := `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <office:automatic-styles><style:style xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" style:name="P1"/></office:automatic-styles>
  <office:body>
    <office:text>
      <text:tracked-changes><text:changed-region><text:deletion><text:p>Deleted words.</text:p></text:deletion></text:changed-region></text:tracked-changes>
      <text:h text:outline-level="1">Submission on   Climate
        Cooperation</text:h>
      <text:p>We support <text:span>dialogue</text:span> and<text:s text:c="3"/>consultation.<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Paris Agreement, 2015.</text:p></text:note-body></text:note><office:annotation><dc:creator>Reviewer</dc:creator><text:p>A comment.</text:p></office:annotation></text:p>
      <text:list><text:list-item><text:p>First<text:tab/>point</text:p></text:list-item><text:list-item><text:p>Second<text:line-break/>point</text:p></text:list-item></text:list>
      <table:table><table:table-row><table:table-cell><text:p>Cell A</text:p></table:table-cell><table:table-cell><text:p>Cell B</text:p></table:table-cell></table:table-row></table:table>
    </office:text>
  </office:body>
</office:document-content>`
	meta := `<?xml version="1.0"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta>
<dc:title>Submission on Climate Cooperation</dc:title><meta:initial-creator>Ministry</meta:initial-creator><meta:creation-date>2024-03-01T09:15:00</meta:creation-date><dc:date>2024-03-02</dc:date></office:meta></office:document-meta>`
	manifest := `<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">`
	if encrypted {
		manifest += `<manifest:encryption-data manifest:checksum-type="SHA1/1K"/>`
	}
	manifest += `</manifest:file-entry></manifest:manifest>`
	return makeZip(t, "mimetype", "application/vnd.oasis.opendocument.text", "content.xml", content, "meta.xml", meta, "META-INF/manifest.xml", manifest)
}

func TestReadODT(t *testing.T) {
	dir := t.TempDir()
	doc := readOne(t, writeFile(t, dir, "submission.odt", policyODT(t, false)))
	want := "Submission on Climate Cooperation\nWe support dialogue and   consultation.\nFirst\tpoint\nSecond\npoint\nCell A\nCell B\n\nParis Agreement, 2015.\n"
	if doc.Text != want {
		t.Errorf("text\n%q\nwant\n%q", doc.Text, want)
	}
	wantMeta := map[string]string{"author": "string Ministry", "created": "timestamp 2024-03-01T09:15:00", "modified": "date 2024-03-02"}
	if got := metaOf(doc); doc.Title != "Submission on Climate Cooperation" || doc.Format != "odt" || !reflect.DeepEqual(got, wantMeta) {
		t.Errorf("title %q format %q meta %v", doc.Title, doc.Format, got)
	}
	_, _, err := readPath(t, writeFile(t, dir, "locked.odt", policyODT(t, true)), Options{})
	wantErr(t, "locked.odt", err, "password-protected OpenDocument file (remove the password and save it again)")
}

func FuzzReadDOCX(f *testing.F) {
	f.Add(whitePaperDOCX(f))
	f.Add(makeZip(f, "word/document.xml", "<w:document "+wNS+"><w:body><w:p><w:r><w:t>Peace.</w:t></w:r></w:p></w:body></w:document>"))
	f.Add(makeCFB("EncryptionInfo", "EncryptedPackage"))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "paper.docx", data, Options{}) })
}

func FuzzReadODT(f *testing.F) {
	f.Add(policyODT(f, false))
	f.Add(policyODT(f, true))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "paper.odt", data, Options{}) })
}
