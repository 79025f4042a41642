package corpus

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadRealSpeechesKeepTheirText(t *testing.T) {
	d, err := Discover([]string{"testdata/ungdc"}, DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Files) != 2 {
		t.Fatalf("found %d files in testdata/ungdc, want 2", len(d.Files))
	}
	for _, f := range d.Files {
		var docs []Document
		recs, err := Read(f, Options{}, func(doc Document) error { docs = append(docs, doc); return nil })
		if err != nil || len(recs) != 0 || len(docs) != 1 {
			t.Fatalf("Read(%s): %d docs, %v, %v", f.RelPath, len(docs), recs, err)
		}
		doc := docs[0]
		raw, _ := os.ReadFile(f.Path)
		want := strings.TrimPrefix(string(raw), "\uFEFF")
		if doc.Text != want {
			t.Errorf("%s: text differs from the file (less its BOM)", f.RelPath)
		}
		if doc.ID != f.RelPath || doc.Source != f.RelPath || doc.Format != "txt" {
			t.Errorf("%s: id %q source %q format %q", f.RelPath, doc.ID, doc.Source, doc.Format)
		}
		switch f.RelPath {
		case "Session 79 - 2024/CHN_79_2024.txt":
			if doc.Encoding != "utf-8" || !strings.HasPrefix(doc.Text, "Mr. President,\nColleagues,") {
				t.Errorf("CHN: encoding %q, text starts %q", doc.Encoding, doc.Text[:30])
			}
		case "Session 67 - 2012/AFG_67_2012.txt":
			if doc.Encoding != "utf-8-bom" || !strings.HasPrefix(doc.Text, "As we speak today") {
				t.Errorf("AFG: encoding %q, text starts %q", doc.Encoding, doc.Text[:30])
			}
		default:
			t.Errorf("unexpected file %s", f.RelPath)
		}
	}
}

func TestReadDecodesEncodings(t *testing.T) {
	const text = "Café “win-win” cooperation – naïve.\nSecond line."
	utf16le, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(text))
	utf16be, _ := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(text))
	cp1252, err := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	crlf := strings.ReplaceAll(text, "\n", "\r\n")
	cases := []struct {
		name, enc string
		content   []byte
	}{
		{"utf8.txt", "utf-8", []byte(text)},
		{"bom.txt", "utf-8-bom", append([]byte("\uFEFF"), text...)},
		{"le.txt", "utf-16le", utf16le},
		{"be.txt", "utf-16be", utf16be},
		{"cp1252.txt", "windows-1252", cp1252},
		{"crlf.txt", "utf-8", []byte(crlf)},
		{"oldmac.txt", "utf-8", []byte(strings.ReplaceAll(text, "\n", "\r"))},
	}
	dir := t.TempDir()
	for _, c := range cases {
		doc := readOne(t, writeFile(t, dir, c.name, c.content))
		if doc.Encoding != c.enc {
			t.Errorf("%s: encoding %q, want %q", c.name, doc.Encoding, c.enc)
		}
		if doc.Text != text {
			t.Errorf("%s: text %q, want %q", c.name, doc.Text, text)
		}
	}
}

func TestReadBadInputsGivePlainReasons(t *testing.T) {
	dir := t.TempDir()
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
	truncated := gzipBytes(t, []byte(strings.Repeat("The General Assembly met today. ", 200)))
	truncated = truncated[:len(truncated)/2]
	cases := []struct {
		name    string
		content []byte
		want    string
	}{
		{"empty.txt", nil, "empty file"},
		{"blank.txt", []byte(" \n\t\n"), "file has no text (only whitespace)"},
		{"image.txt", png, "binary file (not text)"},
		{"controls.txt", []byte("\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0e\x0f\x10\x11\x12abc"), "binary file (not text)"},
		// 0xE9 alone is not UTF-8; with 0x01..0x08 bytes mixed in it is not Windows-1252 text either.
		{"mixed.txt", []byte("Le pr\xe9sident \x01 a dit \x02 que la paix \x03 est possible, et il a ajout\xe9 que le d\xe9veloppement est la cl\xe9."), "invalid UTF-8 and not Windows-1252 text"},
		{"cut.txt.gz", truncated, "truncated gzip stream"},
		{"cut.jsonl.gz", truncated, "truncated gzip stream"},
		{"notgz.txt.gz", []byte("plain text, not gzip"), "corrupt gzip stream (not gzip data: bad header)"},
		{"empty.txt.gz", gzipBytes(t, nil), "empty file"},
		{"script.html", []byte("<html><head><script>alert('hi')</script></head><body><script>var x = 1;</script><style>p{}</style></body></html>"), "HTML has no readable text"},
		{"data.xyz", []byte("text"), "unsupported format .xyz (framealign reads .txt .md .html .jsonl .csv .tsv .pdf .xlsx .docx .odt, optionally .gz)"},
		{"header-only.csv", []byte("id,text\n"), "no records"},
		{"blank.jsonl", []byte("\n\n  \n"), "no records"},
	}
	for _, c := range cases {
		_, _, err := readPath(t, writeFile(t, dir, c.name, c.content), Options{})
		wantErr(t, c.name, err, c.want)
	}
}

func TestReadTruncatedGzipEmitsNothing(t *testing.T) {
	var jsonl strings.Builder
	for i := 0; i < 2000; i++ {
		jsonl.WriteString(`{"id":"r`)
		jsonl.WriteString(strings.Repeat("x", i%7))
		jsonl.WriteString(`","text":"Peace and development for all."}` + "\n")
	}
	gz := gzipBytes(t, []byte(jsonl.String()))
	p := writeFile(t, t.TempDir(), "records.jsonl.gz", gz[:len(gz)-40])
	docs, recs, err := readPath(t, p, Options{})
	wantErr(t, "truncated jsonl.gz", err, "truncated gzip stream")
	if len(docs) != 0 || len(recs) != 0 {
		t.Errorf("a truncated stream gave %d documents and %d record errors, want none", len(docs), len(recs))
	}
}

func TestReadGzippedText(t *testing.T) {
	const text = "We support multilateralism.\nThe Charter must be respected.\n"
	doc := readOne(t, writeFile(t, t.TempDir(), "speech.txt.gz", gzipBytes(t, []byte(text))))
	if doc.Text != text || doc.Format != "txt" || doc.ID != "speech.txt.gz" {
		t.Errorf("got id %q format %q text %q", doc.ID, doc.Format, doc.Text)
	}
}

func TestReadRefusesFilesAboveMaxBytes(t *testing.T) {
	dir := t.TempDir()
	big := []byte(strings.Repeat("word ", 1000)) // 5000 bytes
	_, _, err := readPath(t, writeFile(t, dir, "big.txt", big), Options{MaxBytes: 4096})
	wantErr(t, "big.txt", err, "file is 4.9 KB, above --max-bytes 4 KB")
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Size != 5000 || tl.Max != 4096 {
		t.Errorf("error %#v, want a TooLargeError with Size 5000, Max 4096", err)
	}
	// A small gzip that inflates past the limit is refused without holding it all.
	_, _, err = readPath(t, writeFile(t, dir, "bomb.txt.gz", gzipBytes(t, bytes.Repeat(big, 100))), Options{MaxBytes: 4096})
	wantErr(t, "bomb.txt.gz", err, "decompressed content is above --max-bytes 4 KB")
	// In a record file the limit holds for each record, and costs that record only.
	docs, recErrs, err := readPath(t, writeFile(t, dir, "bomb.jsonl.gz", gzipBytes(t, bytes.Repeat(big, 100))), Options{MaxBytes: 4096})
	if err != nil || len(docs) != 0 || len(recErrs) != 1 || recErrs[0].Reason != "line 1: record is 488.3 KB, above --max-bytes 4 KB; record skipped" {
		t.Errorf("bomb.jsonl.gz: %d documents, %v, %v; want one record error for line 1", len(docs), recErrs, err)
	}
	// The message a user sees for a 600 MB file with the default limit.
	wantErr(t, "600 MB", &TooLargeError{Size: 600 << 20, Max: DefaultMaxBytes}, "file is 600 MB, above --max-bytes 64 MB")
}

func TestReadStreamsRecordFilesLargerThanMaxBytes(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "{\"id\": \"r%d\", \"text\": \"Speech number %d calls for dialogue and cooperation.\"}\n", i, i)
	}
	dir := t.TempDir()
	for _, name := range []string{"dump.jsonl", "dump.jsonl.gz"} {
		data := []byte(b.String())
		if strings.HasSuffix(name, ".gz") {
			data = gzipBytes(t, data)
		}
		// The whole file is far above the limit; every record is below it.
		docs, recErrs, err := readPath(t, writeFile(t, dir, name, data), Options{MaxBytes: 1024})
		if err != nil || len(recErrs) != 0 || len(docs) != 200 {
			t.Fatalf("%s: %d documents, %v, %v; want 200 records read", name, len(docs), recErrs, err)
		}
		if docs[199].ID != "r199" || docs[199].Text != "Speech number 199 calls for dialogue and cooperation." {
			t.Errorf("%s: last record %+v", name, docs[199])
		}
	}
}

func TestReadPermissionDenied(t *testing.T) {
	// Tests run as root, for whom permission bits do not count, so the open is made to
	// fail the way it fails for a user without read permission.
	p := writeFile(t, t.TempDir(), "secret.txt", []byte("classified"))
	defer func(orig func(string) (*os.File, error)) { openFile = orig }(openFile)
	openFile = func(name string) (*os.File, error) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	_, _, err := readPath(t, p, Options{})
	wantErr(t, "unreadable file", err, "permission denied")
	if !errors.Is(err, ErrPermission) {
		t.Error("error is not ErrPermission")
	}
}

func TestReadFileDeletedAfterDiscovery(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "gone.txt", []byte("soon deleted"))
	d, err := Discover([]string{dir}, DiscoverOptions{})
	if err != nil || len(d.Files) != 1 {
		t.Fatalf("Discover: %v, %d files", err, len(d.Files))
	}
	os.Remove(d.Files[0].Path)
	_, err = Read(d.Files[0], Options{}, func(Document) error { t.Error("emitted a document"); return nil })
	wantErr(t, "deleted file", err, "file disappeared before it could be read")
}

func TestReadFolderNamedLikeAFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.txt")
	os.Mkdir(p, 0o755)
	_, _, err := readPath(t, p, Options{})
	wantErr(t, "folder x.txt", err, "not a regular file (a folder)")
}

func TestReadStopsWhenEmitFails(t *testing.T) {
	p := writeFile(t, t.TempDir(), "r.jsonl", []byte("{\"text\":\"one\"}\n{\"text\":\"two\"}\n{\"text\":\"three\"}\n"))
	stop := errors.New("stop here")
	n := 0
	_, err := Read(File{Path: p, RelPath: "r.jsonl"}, Options{}, func(Document) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("got err %v after %d documents, want the emit error after 1", err, n)
	}
}

func TestReadExtensionlessTextAsTxt(t *testing.T) {
	doc := readOne(t, writeFile(t, t.TempDir(), "README", []byte("Speeches of the 70th session.\n")))
	if doc.Format != "txt" || doc.Text != "Speeches of the 70th session.\n" {
		t.Errorf("got format %q text %q", doc.Format, doc.Text)
	}
}

// ReadBytes, for content already in memory (object storage), gives what Read gives
// for the same file: the same documents, or the same reason.
func TestReadBytesGivesWhatReadGives(t *testing.T) {
	dir := t.TempDir()
	speech, err := os.ReadFile(filepath.Join("testdata", "ungdc", "Session 79 - 2024", "CHN_79_2024.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(`{"id":"a","text":"Mutual respect."}` + "\n" + `{"id":"b","text":"Win-win cooperation."}` + "\n"))
	zw.Close()
	for name, data := range map[string][]byte{
		"CHN_79_2024.txt":  speech,
		"records.jsonl.gz": gz.Bytes(),
		"empty.txt":        {},
		"photo.png":        {0x89, 'P', 'N', 'G'},
	} {
		p := writeFile(t, dir, name, data)
		want, wantRecErrs, wantErr := readPath(t, p, Options{})
		var got []Document
		gotRecErrs, gotErr := ReadBytes(name, data, Options{}, func(d Document) error { got = append(got, d); return nil })
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !reflect.DeepEqual(gotRecErrs, wantRecErrs) || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: ReadBytes gave %d documents, %v, %v; Read gave %d, %v, %v", name, len(got), gotRecErrs, gotErr, len(want), wantRecErrs, wantErr)
		}
	}
}
