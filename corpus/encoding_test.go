package corpus

import (
	"strings"
	"testing"

	"github.com/framealign/framealign/internal/hostile"
)

// An HTML page is decoded by the encoding it declares, in a <meta> or an XML
// declaration, not as Windows-1252.
func TestReadHTMLHonoursTheDeclaredCharset(t *testing.T) {
	want := map[string]string{"gb2312": "gbk", "gbk": "gbk", "gb18030": "gb18030", "big5": "big5", "shift_jis": "shift_jis",
		"euc-jp": "euc-jp", "euc-kr": "euc-kr", "koi8-r": "koi8-r", "windows-1251": "windows-1251",
		"iso-8859-2": "iso-8859-2", "windows-1250": "windows-1250", "iso-8859-7": "iso-8859-7"}
	for label, text := range hostile.DeclaredTexts {
		for _, how := range []string{"meta", "http-equiv", "xml"} {
			page, err := hostile.HTMLDeclaring(label, text, how)
			if err != nil {
				t.Fatal(err)
			}
			doc := readOne(t, writeFile(t, t.TempDir(), "page.html", page))
			if doc.Text != text || doc.Encoding != want[label] || doc.Title != "T" {
				t.Errorf("%s (%s): %q as %s, want %q as %s", label, how, doc.Text, doc.Encoding, text, want[label])
			}
		}
	}
	// A page converted to UTF-8 that kept its old declaration is UTF-8.
	doc := readOne(t, writeFile(t, t.TempDir(), "page.html", []byte(`<meta charset="shift_jis"><p>相互尊重</p>`)))
	if doc.Text != "相互尊重" || doc.Encoding != EncodingUTF8 {
		t.Errorf("UTF-8 page declaring shift_jis: %q %s", doc.Text, doc.Encoding)
	}
}

// The text of a page nested deeper than the HTML parser goes (600 unclosed <div>s)
// is found, with its title.
func TestReadHTMLFindsTextInsideDeepNesting(t *testing.T) {
	doc := readOne(t, writeFile(t, t.TempDir(), "deep.html", hostile.HTMLUnclosedDivs(600)))
	if !strings.Contains(doc.Text, "win-win cooperation") || doc.Title != "Deep page" {
		t.Errorf("text %q, title %q", doc.Text, doc.Title)
	}
	page := "<html><head><title>X</title><body><nav>Menu</nav><script>var x = '<p>';</script>" +
		strings.Repeat("<div>", 600) + "<p>First.</p><p>Second.</p>"
	doc = readOne(t, writeFile(t, t.TempDir(), "deep2.html", []byte(page)))
	if doc.Text != "First.\n\nSecond." || doc.Title != "X" {
		t.Errorf("text %q, title %q (no </head>, skipped elements)", doc.Text, doc.Title)
	}
}

// UTF-16 and UTF-32 without a byte order mark are recognised where their zero bytes
// leave no doubt, in text and record files; otherwise the binary error says what the
// file may be.
func TestReadUTF16And32WithoutAByteOrderMark(t *testing.T) {
	text := "Mr. President, we call for dialogue and win-win cooperation. Café, Ελλάδα, 中国 and 😀 too.\n"
	for _, enc := range []string{EncodingUTF16LE, EncodingUTF16BE, EncodingUTF32LE, EncodingUTF32BE} {
		doc := readOne(t, writeFile(t, t.TempDir(), "s.txt", hostile.UnmarkedUnicode(text, enc)))
		if doc.Text != text || doc.Encoding != enc {
			t.Errorf("%s: %q as %s", enc, doc.Text, doc.Encoding)
		}
		jsonl := hostile.UnmarkedUnicode(`{"id": "a", "text": "Dialogue, café."}`+"\n"+`{"id": "b", "text": "中国."}`+"\n", enc)
		docs, recs, err := readPath(t, writeFile(t, t.TempDir(), "s.jsonl", jsonl), Options{})
		if err != nil || len(recs) != 0 || len(docs) != 2 || docs[0].Text != "Dialogue, café." || docs[1].Text != "中国." || docs[1].Encoding != enc {
			t.Errorf("%s JSONL: %+v %v %v", enc, docs, recs, err)
		}
	}
	// Zeros in every other byte, but not UTF-16: a lone surrogate.
	bad := append(hostile.UnmarkedUnicode("Dialogue and cooperation among nations.", EncodingUTF16LE), 0x00, 0xD8, 'x', 0)
	_, _, err := readPath(t, writeFile(t, t.TempDir(), "bad.txt", bad), Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "binary file (not text); its zero bytes fall in every other place") {
		t.Errorf("err %v", err)
	}
}
