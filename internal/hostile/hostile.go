// Package hostile makes the hostile inputs of issue #18 at test time: files, folders
// and damaged state that real corpora and real accidents produce (a cache garbled by a
// disk fault, a JSONL line of 100 MB, an unterminated CSV quote, a PDF whose
// cross-reference chain loops, a symbolic link to /, ...). Nothing it makes is
// committed: tests call it to write each case into a temporary folder, and
// `go run ./scripts/hostile DIR` writes the whole set into DIR (testdata/hostile,
// ignored by git, by default) for a look by hand.
//
// Each function writes one case and returns what a test needs to know of it; none
// holds a large case in memory (the 60 MB gzip and the million records are streamed).
package hostile

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
)

// write creates path (and its folder) with content.
func write(path string, content []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, content, 0o644)
}

// stream creates path and hands a buffered writer to fill, gzip-compressed when gz.
func stream(path string, gz bool, fill func(w *bufio.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	var w io.Writer = f
	var zw *gzip.Writer
	if gz {
		zw, _ = gzip.NewWriterLevel(f, gzip.BestSpeed)
		w = zw
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	err = fill(bw)
	if err == nil {
		err = bw.Flush()
	}
	if zw != nil && err == nil {
		err = zw.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Cache damage: how DamageCache spoils a bbolt file.
const (
	Garbled   = "garbled"   // every other page after the meta pages overwritten with random bytes
	Truncated = "truncated" // cut to half of the pages in use
	NotBolt   = "not-bbolt" // overwritten with text
)

// DamageCache spoils the bbolt file at path the way how says (Garbled, Truncated,
// NotBolt), deterministically.
func DamageCache(path, how string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	pageSize := 4096
	if len(data) >= 32 {
		if ps := int(binary.NativeEndian.Uint32(data[16+8:])); ps >= 512 && ps <= 1<<16 {
			pageSize = ps
		}
	}
	switch how {
	case Garbled:
		rng := rand.New(rand.NewPCG(18, 18))
		for pg := 2; (pg+1)*pageSize <= len(data); pg += 2 {
			for i := pg * pageSize; i < (pg+1)*pageSize; i++ {
				data[i] = byte(rng.UintN(256))
			}
		}
	case Truncated:
		used := len(data)
		if len(data) >= 16+48 {
			if pgid := int(binary.NativeEndian.Uint64(data[16+40:])); pgid > 2 && pgid*pageSize <= len(data) {
				used = pgid * pageSize
			}
		}
		data = data[:used/2]
	case NotBolt:
		data = []byte("this is not a bbolt file: it was overwritten by accident\n")
	default:
		return fmt.Errorf("hostile: unknown cache damage %q", how)
	}
	return os.WriteFile(path, data, 0o644)
}

// speech is a sentence of the kind the corpus holds, for the records around a hostile one.
const speech = "We call for dialogue and win-win cooperation among all nations, with mutual respect for sovereignty."

// JSONLWithLongLine writes a JSONL file at path: record "before", then a record
// whose line is lineBytes long, then record "after".
func JSONLWithLongLine(path string, lineBytes int64) error {
	return stream(path, false, func(w *bufio.Writer) error {
		fmt.Fprintf(w, "{\"id\": \"before\", \"text\": %q}\n", speech)
		head := `{"id": "long", "text": "`
		w.WriteString(head)
		for n := lineBytes - int64(len(head)) - 2; n > 0; n -= 2 {
			w.WriteString("a ")
		}
		w.WriteString("\"}\n")
		_, err := fmt.Fprintf(w, "{\"id\": \"after\", \"text\": %q}\n", speech)
		return err
	})
}

// CSVUnterminatedQuote writes a CSV file of three records (ids one, two, three):
// record one's text opens a quote that never closes; two and three are sound, three
// with a quoted field of its own.
func CSVUnterminatedQuote(path string) error {
	return write(path, []byte("id,text\n"+
		"one,\"We call for dialogue, and this quote is never closed.\n"+
		"two,\""+speech+"\"\n"+
		"three,\"Win-win cooperation, as we said.\"\n"))
}

// CSVBigField writes a CSV file of three records (one, big, three) in which record
// big's text is fieldBytes long.
func CSVBigField(path string, fieldBytes int64) error {
	return stream(path, false, func(w *bufio.Writer) error {
		fmt.Fprintf(w, "id,text\none,\"%s\"\nbig,\"", speech)
		for n := fieldBytes; n > 0; n -= int64(len(speech)) + 1 {
			w.WriteString(speech)
			w.WriteString("\n")
		}
		_, err := fmt.Fprintf(w, "\"\nthree,\"%s\"\n", speech)
		return err
	})
}

// JSONLRecordWithID writes a JSONL file of one record with the given id.
func JSONLRecordWithID(path, id string) error {
	return write(path, []byte(fmt.Sprintf("{\"id\": %q, \"text\": %q}\n", id, speech)))
}

// SameNameInTwoFolders writes name into two folders under dir and returns them, as a
// corpus kept by year (2015/CHN.txt, 2016/CHN.txt) is.
func SameNameInTwoFolders(dir, name string) (string, string, error) {
	a, b := filepath.Join(dir, "2015"), filepath.Join(dir, "2016")
	if err := write(filepath.Join(a, name), []byte(speech+" 2015.\n")); err != nil {
		return "", "", err
	}
	return a, b, write(filepath.Join(b, name), []byte(speech+" 2016.\n"))
}

// pdfObjects lays out numbered objects after a header and returns the file so far and
// each object's offset.
func pdfObjects(objs []string) (*bytes.Buffer, []int) {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	return &b, offsets
}

// textPageObjects are the objects of a one-page PDF that shows lines of Helvetica.
func textPageObjects(lines []string) []string {
	var content strings.Builder
	content.WriteString("BT /F1 12 Tf 72 720 Td 14 TL")
	for _, l := range lines {
		fmt.Fprintf(&content, " (%s) '", strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(l))
	}
	content.WriteString(" ET")
	return []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len()+1, content.String()),
	}
}

func xrefTable(b *bytes.Buffer, offsets []int) {
	fmt.Fprintf(b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(b, "%010d 00000 n \n", off)
	}
}

// TextPDF is a one-page PDF whose text layer holds lines.
func TextPDF(lines ...string) []byte {
	b, offsets := pdfObjects(textPageObjects(lines))
	xref := b.Len()
	xrefTable(b, offsets)
	fmt.Fprintf(b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}

// LoopingPDF is a PDF of about 1 KB whose cross-reference sections form a loop, which
// a reader following /Prev walks for ever: variant 0 points a table's /Prev at itself,
// 1 makes two tables point at each other, 2 points an xref stream's /Prev at itself.
func LoopingPDF(variant int) []byte {
	objs := textPageObjects([]string{speech})
	switch variant % 3 {
	case 0:
		b, offsets := pdfObjects(objs)
		xref := b.Len()
		xrefTable(b, offsets)
		fmt.Fprintf(b, "trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref, xref)
		return b.Bytes()
	case 1:
		b, offsets := pdfObjects(objs)
		first := b.Len()
		xrefTable(b, offsets)
		second := first + b.Len() - first + len(fmt.Sprintf("trailer\n<< /Size %d /Root 1 0 R /Prev %010d >>\n", len(offsets)+1, 0))
		fmt.Fprintf(b, "trailer\n<< /Size %d /Root 1 0 R /Prev %010d >>\n", len(offsets)+1, second)
		xrefTable(b, offsets)
		fmt.Fprintf(b, "trailer\n<< /Size %d /Root 1 0 R /Prev %010d >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, first, second)
		return b.Bytes()
	default:
		b, offsets := pdfObjects(objs)
		at := b.Len()
		n := len(offsets) + 1
		var rows bytes.Buffer
		rows.Write([]byte{0, 0, 0, 0})
		for _, off := range offsets {
			rows.Write([]byte{1, byte(off >> 16), byte(off >> 8), byte(off)})
		}
		rows.Write([]byte{1, byte(at >> 16), byte(at >> 8), byte(at)})
		fmt.Fprintf(b, "%d 0 obj\n<< /Type /XRef /Size %d /W [1 3 0] /Root 1 0 R /Prev %d /Length %d >>\nstream\n", n, n+1, at, rows.Len())
		b.Write(rows.Bytes())
		fmt.Fprintf(b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", at)
		return b.Bytes()
	}
}

// PNG is a small, valid PNG image.
func PNG() []byte {
	var raw bytes.Buffer
	for y := 0; y < 32; y++ {
		raw.WriteByte(0)
		for x := 0; x < 32; x++ {
			raw.Write([]byte{byte(x * 8), byte(y * 8), byte(x ^ y)})
		}
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(raw.Bytes())
	zw.Close()
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	chunk("IHDR", []byte{0, 0, 0, 32, 0, 0, 0, 32, 8, 2, 0, 0, 0})
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return b.Bytes()
}

// Windows1252Text is a speech saved in Windows-1252 (accents as single bytes), and
// the text it holds.
func Windows1252Text() ([]byte, string) {
	text := "Café diplomacy: the États généraux call for dialogue, détente and win-win cooperation among nations."
	b, _ := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
	return b, text
}

// NonUTF8Name is a file name whose bytes are not UTF-8 (Latin-1 é and a stray 0xff), as
// old archives copied from Windows or macOS hold.
const NonUTF8Name = "d\xe9claration \xff.txt"

// Speech writes a one-speech text file at path.
func Speech(path string) error { return write(path, []byte(speech+"\n")) }

// LinksOutOf writes a corpus folder dir/corpus holding one speech and symbolic links
// that leave it: to a folder and a file outside, and to /. It returns the corpus.
func LinksOutOf(dir string) (string, error) {
	corpus := filepath.Join(dir, "corpus")
	if err := Speech(filepath.Join(corpus, "speech.txt")); err != nil {
		return "", err
	}
	if err := write(filepath.Join(dir, "private", "diary.txt"), []byte("Not part of the corpus.\n")); err != nil {
		return "", err
	}
	for link, target := range map[string]string{
		"root":      "/",
		"private":   filepath.Join(dir, "private"),
		"diary.txt": filepath.Join(dir, "private", "diary.txt"),
	} {
		if err := os.Symlink(target, filepath.Join(corpus, link)); err != nil {
			return "", err
		}
	}
	return corpus, nil
}

// HTMLUnclosedDivs is a page whose text sits inside n <div>s that are never closed
// (x/net/html's tree builder gives up past 512 open elements), with a title.
func HTMLUnclosedDivs(n int) []byte {
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html><html><head><title>Deep page</title></head><body>\n")
	for i := 0; i < n; i++ {
		b.WriteString("<div>")
	}
	b.WriteString("<p>" + speech + "</p>\n")
	return b.Bytes()
}

// DeclaredTexts are texts in the scripts of the encodings HTMLDeclaring is used with,
// by encoding label.
var DeclaredTexts = map[string]string{
	"gb2312":       "我们呼吁对话与合作，实现互利共赢。",
	"gbk":          "构建新型大国关系：不冲突、不对抗、相互尊重、合作共赢。",
	"gb18030":      "我们呼吁对话与合作，实现互利共赢。",
	"big5":         "我們呼籲對話與合作，實現互利共贏。",
	"shift_jis":    "我々は対話と協力、相互尊重を呼びかけます。",
	"euc-jp":       "我々は対話と協力、相互尊重を呼びかけます。",
	"euc-kr":       "우리는 대화와 협력, 상호 존중을 촉구합니다.",
	"koi8-r":       "Мы призываем к диалогу и взаимовыгодному сотрудничеству.",
	"windows-1251": "Мы призываем к диалогу и взаимовыгодному сотрудничеству.",
	"iso-8859-2":   "Wzywamy do dialogu i współpracy z korzyścią dla obu stron.",
	"windows-1250": "Vyzýváme k dialogu a vzájemně výhodné spolupráci.",
	"iso-8859-7":   "Καλούμε σε διάλογο και αμοιβαία επωφελή συνεργασία.",
}

// HTMLDeclaring is a page holding text, encoded in the encoding label names and
// declaring it the way how says: "meta" (<meta charset>), "http-equiv" (<meta
// http-equiv="Content-Type">) or "xml" (an XML declaration).
func HTMLDeclaring(label, text, how string) ([]byte, error) {
	e, err := htmlindex.Get(label)
	if err != nil {
		return nil, err
	}
	var head string
	switch how {
	case "meta":
		head = `<!DOCTYPE html><html><head><meta charset="` + label + `"><title>T</title></head>`
	case "http-equiv":
		head = `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=` + label + `"><title>T</title></head>`
	case "xml":
		head = `<?xml version="1.0" encoding="` + label + `"?>` + "\n" + `<html xmlns="http://www.w3.org/1999/xhtml"><head><title>T</title></head>`
	}
	return e.NewEncoder().Bytes([]byte(head + "<body><p>" + text + "</p></body></html>\n"))
}

// UnmarkedUnicode is text in UTF-16 or UTF-32 without a byte order mark ("utf-16le",
// "utf-16be", "utf-32le", "utf-32be").
func UnmarkedUnicode(text, enc string) []byte {
	var order binary.AppendByteOrder = binary.LittleEndian
	if strings.HasSuffix(enc, "be") {
		order = binary.BigEndian
	}
	var b []byte
	for _, r := range text {
		if strings.HasPrefix(enc, "utf-32") {
			b = order.AppendUint32(b, uint32(r))
			continue
		}
		for _, u := range utf16.Encode([]rune{r}) {
			b = order.AppendUint16(b, u)
		}
	}
	return b
}

// OneLetterWords writes a gzip-compressed text file at path that inflates to size
// bytes of one-letter words ("a a a ..."), a sentence every 20 words and a paragraph
// every 1,000: the cheapest way to the most tokens per byte.
func OneLetterWords(path string, size int64) error {
	return stream(path, true, func(w *bufio.Writer) error {
		words := 0
		for n := int64(0); n < size; {
			words++
			sep := " "
			switch {
			case words%1000 == 0:
				sep = ".\n\n"
			case words%20 == 0:
				sep = ". "
			}
			w.WriteByte('a')
			w.WriteString(sep)
			n += int64(1 + len(sep))
		}
		return nil
	})
}

// TinyRecords writes a gzip-compressed JSONL file at path of n tiny records (ids r1,
// r2, ...), each a few words.
func TinyRecords(path string, n int) error {
	return stream(path, true, func(w *bufio.Writer) error {
		for i := 1; i <= n; i++ {
			if _, err := fmt.Fprintf(w, "{\"id\":\"r%d\",\"text\":\"Dialogue %d and win-win cooperation.\"}\n", i, i); err != nil {
				return err
			}
		}
		return nil
	})
}

// proseWords are the words RandomProse draws from: the vocabulary of the speeches,
// cue words among them, so the pieces of a long document are all different and the
// extractors find something.
var proseWords = strings.Fields(`the of and to in a that we is for our on this with as are be
	by it have all international United Nations world peace security development cooperation
	mutual respect dialogue win-win sovereignty countries people must will Council Assembly
	General Secretary-General China Russia United States Africa Europe crisis management
	communication economic social exchanges multilateral institutions climate change
	sustainable human rights conflict confrontation partnership region government support
	future Mr. President today year new common responsibility together achieve important`)

// RandomProse writes a text file at path of size bytes of sentences drawn at random
// (seeded, so always the same file) from a speech vocabulary, a paragraph every
// dozen sentences: a long document no two pieces of which are alike.
func RandomProse(path string, size int64) error {
	rng := rand.New(rand.NewPCG(64, 64))
	return stream(path, false, func(w *bufio.Writer) error {
		var n int64
		for sentence := 1; n < size; sentence++ {
			words := 8 + rng.IntN(20)
			for i := 0; i < words; i++ {
				word := proseWords[rng.IntN(len(proseWords))]
				if i == 0 {
					word = strings.ToUpper(word[:1]) + word[1:]
				}
				w.WriteString(word)
				n += int64(len(word)) + 1
				if i < words-1 {
					w.WriteByte(' ')
				}
			}
			if sentence%12 == 0 {
				w.WriteString(".\n\n")
				n += 2
			} else {
				w.WriteString(". ")
				n++
			}
		}
		return nil
	})
}

// ManySmallFiles writes n small gzip-compressed speeches under dir, a hundred to a
// folder (a corpus every rerun of which used to open and decompress whole).
func ManySmallFiles(dir string, n int) error {
	for i := 0; i < n; i++ {
		path := filepath.Join(dir, fmt.Sprintf("f%03d", i/100), fmt.Sprintf("speech%05d.txt.gz", i))
		if err := stream(path, true, func(w *bufio.Writer) error {
			_, err := fmt.Fprintf(w, "%s Speech number %d.\n", speech, i)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}
