package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/richardlehane/mscfb"
)

// Office files that are not ZIP packages: a password-protected .docx or .xlsx is an
// OLE compound file (magic D0 CF 11 E0) holding EncryptionInfo and EncryptedPackage
// streams; Word 97-2003 and Excel 97-2003 files are OLE files too.
var (
	ErrPasswordWord  = errors.New("password-protected Word file (remove the password in Word and save it again)")
	ErrPasswordExcel = errors.New("password-protected Excel workbook (remove the password in Excel and save it again)")
)

var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// looksOLE recognises an OLE compound file by its first bytes.
func looksOLE(head []byte) bool { return bytes.HasPrefix(head, oleMagic) }

// legacyHints are the reasons given for Office formats framealign does not read.
var legacyHints = map[string]string{
	".doc": "a Word 97-2003 document: open it in Word or LibreOffice and save it as .docx",
	".xls": "an Excel 97-2003 workbook: open it in Excel or LibreOffice and save it as .xlsx",
	".ppt": "a PowerPoint 97-2003 file, which framealign does not read: export its text, or save it as PDF",
	".rtf": "a Rich Text file: open it in Word or LibreOffice and save it as .docx",
}

// oleError says what an OLE compound file given as an Office Open XML file (kind
// "Word file" or "Excel workbook") is: password-protected, an older format under the
// new name, or something else.
func oleError(ra io.ReaderAt, kind string) (err error) {
	defer func() {
		if recover() != nil {
			err = fmt.Errorf("damaged %s (an OLE compound file that cannot be read)", kind)
		}
	}()
	doc, err := mscfb.New(ra)
	if err != nil {
		return fmt.Errorf("damaged %s (an OLE compound file that cannot be read)", kind)
	}
	names := map[string]bool{}
	for f, err := doc.Next(); err == nil; f, err = doc.Next() {
		names[strings.ToLower(f.Name)] = true
	}
	switch {
	case names["encryptioninfo"] || names["encryptedpackage"]:
		if kind == "Excel workbook" {
			return ErrPasswordExcel
		}
		return ErrPasswordWord
	case names["worddocument"]:
		return fmt.Errorf("%w: a Word 97-2003 document (.doc) named as a .docx; save it as .docx", ErrUnsupported)
	case names["workbook"] || names["book"]:
		return fmt.Errorf("%w: an Excel 97-2003 workbook (.xls) named as a .xlsx; save it as .xlsx", ErrUnsupported)
	}
	return fmt.Errorf("not a %s (an OLE compound file of another kind)", kind)
}
