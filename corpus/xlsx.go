package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"
)

// readXLSX reads the rows of one worksheet of an Excel workbook as records, as readCSV
// reads a CSV file: the first sheet, or Options.Sheet; the first non-empty row names
// the columns (a blank header cell is named by its column letter); each further row
// is a record whose Options.TextField cell is the text and whose other cells are
// metadata, typed by their form like CSV cells. Cells with a date or date-time number
// format become dates and timestamps (see xlsxDateStyles); other numbers are read as
// their values, without the cell's number format (25% is 0.25). Empty rows are passed
// over. Record errors name the sheet's row number.
//
// The sheet is streamed with excelize's Rows iterator: a worksheet or shared-string
// table larger than 16 MB is unpacked to a temporary file rather than into memory.
func readXLSX(in *input, emit func(Document) error) (recs []RecordError, err error) {
	f, err := openWorkbook(in)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// excelize meets the workbook's XML here; a damaged part must cost this file only,
	// with a reason, not be reported as a bug of framealign.
	emitted := false
	defer func() {
		if p := recover(); p != nil {
			if emitted {
				panic(p)
			}
			recs, err = nil, fmt.Errorf("damaged Excel workbook (%v)", p)
		}
	}()

	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.New("the workbook has no worksheet")
	}
	sheet := sheets[0]
	if want := in.opts.Sheet; want != "" {
		sheet = ""
		for _, s := range sheets {
			if s == want {
				sheet = s
				break
			}
		}
		for _, s := range sheets {
			if sheet == "" && strings.EqualFold(s, want) {
				sheet = s
			}
		}
		if sheet == "" {
			return nil, fmt.Errorf("no sheet %q (sheets: %s); name one with --sheet", want, strings.Join(sheets, ", "))
		}
	}
	xlsxDateStyles(f)

	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("damaged Excel workbook (sheet %q: %v)", sheet, err)
	}
	defer rows.Close()

	opts := in.opts
	sink := newRecordSink(in.file, in.format, opts, func(d Document) error {
		emitted = true
		return emit(d)
	})
	sink.unit = "row"
	var names []string
	rowNum := 0
	for rows.Next() {
		rowNum++
		cells, err := rows.Columns()
		if err != nil {
			if names == nil {
				return nil, fmt.Errorf("damaged Excel workbook (sheet %q, row %d: %v)", sheet, rowNum, err)
			}
			sink.fail(sink.next(), rowNum, fmt.Sprintf("unreadable row (%v)", err))
			continue
		}
		if blankRow(cells) {
			continue
		}
		if names == nil {
			names = make([]string, len(cells))
			hasText := false
			for i, c := range cells {
				names[i] = strings.TrimSpace(strings.ToValidUTF8(c, "\uFFFD"))
				if names[i] == "" {
					names[i], _ = excelize.ColumnNumberToName(i + 1)
				}
				hasText = hasText || names[i] == opts.TextField
			}
			if !hasText {
				return nil, fmt.Errorf("no %q column in sheet %q (columns: %s); name the text column with --text-field", opts.TextField, sheet, strings.Join(names, ", "))
			}
			continue
		}
		n := sink.next()
		if extra := cells[min(len(cells), len(names)):]; !blankRow(extra) {
			sink.fail(n, rowNum, fmt.Sprintf("%d cells, but the header has %d columns", lastNonBlank(cells), len(names)))
			continue
		}
		fields := recordFields{strs: make(map[string]string, len(names))}
		size := 0
		for i, name := range names {
			c := ""
			if i < len(cells) {
				c = strings.ToValidUTF8(cells[i], "\uFFFD")
			}
			size += len(c)
			fields.strs[name] = c
		}
		if int64(size) > opts.MaxBytes {
			sink.fail(n, rowNum, fmt.Sprintf("the row holds %s of text, above --max-bytes %s", humanBytes(int64(size)), humanBytes(opts.MaxBytes)))
			continue
		}
		if err := sink.add(n, rowNum, fields, EncodingUTF8); err != nil {
			return nil, err
		}
	}
	if err := rows.Error(); err != nil {
		reason := fmt.Sprintf("the sheet cannot be read past this row (%v)", err)
		if errors.Is(err, excelize.ErrMaxRows) {
			reason = "the sheet has more rows than Excel allows (1,048,576); the rest is not read"
		}
		if sink.emitted == 0 {
			return nil, fmt.Errorf("damaged Excel workbook (sheet %q, row %d: %s)", sheet, rowNum+1, reason)
		}
		sink.fail(sink.next(), rowNum+1, reason)
	}
	if names == nil {
		return nil, fmt.Errorf("%w (sheet %q is empty)", ErrNoRecords, sheet)
	}
	return sink.finish()
}

// openWorkbook opens an .xlsx file with excelize: from its path when it is a file on
// disk (excelize then reads the parts it needs, not the whole file), from memory
// otherwise. A password-protected workbook and an old .xls under the new name are
// recognised by their OLE signature first.
func openWorkbook(in *input) (*excelize.File, error) {
	head := make([]byte, 8)
	var data []byte
	fh, onDisk := in.content.(*os.File)
	if onDisk && !in.gzip {
		if _, err := fh.ReadAt(head, 0); err != nil {
			return nil, fmt.Errorf("not an Excel workbook (%d bytes, too short)", in.size)
		}
	} else {
		var err error
		if data, err = in.bytes(); err != nil {
			return nil, err
		}
		head = data[:min(len(data), 8)]
	}
	switch {
	case looksOLE(head):
		if data != nil {
			return nil, oleError(bytes.NewReader(data), "Excel workbook")
		}
		return nil, oleError(fh, "Excel workbook")
	case !bytes.HasPrefix(head, []byte("PK")):
		return nil, errors.New("not an Excel workbook (.xlsx files are ZIP packages; this is not one)")
	}
	size := in.size
	if data != nil {
		size = int64(len(data))
	}
	var ra io.ReaderAt = fh
	if data != nil {
		ra = bytes.NewReader(data)
	}
	limit := zipLimit(size)
	if err := checkZip(ra, size, limit, "Excel workbook"); err != nil {
		return nil, err
	}
	opts := excelize.Options{
		UnzipSizeLimit:   limit,
		CultureInfo:      excelize.CultureNameEnUS,
		ShortDatePattern: xlsxDatePattern,
		LongTimePattern:  xlsxDateTimePattern,
	}
	var f *excelize.File
	var err error
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("%v", p)
			}
		}()
		if data != nil {
			f, err = excelize.OpenReader(bytes.NewReader(data), opts)
		} else {
			f, err = excelize.OpenFile(fh.Name(), opts)
		}
	}()
	if err != nil {
		if f != nil {
			f.Close()
		}
		return nil, workbookError(err, opts.UnzipSizeLimit)
	}
	return f, nil
}

// workbookError turns an excelize open failure into a reason a person understands.
func workbookError(err error, limit int64) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "unzip size"), strings.Contains(msg, "UnzipSizeLimit"):
		return fmt.Errorf("the workbook unpacks to more than %s (a damaged file or a zip bomb?)", humanBytes(limit))
	case strings.Contains(msg, "zip"):
		return fmt.Errorf("damaged Excel workbook (not a readable ZIP package: %s)", msg)
	}
	return fmt.Errorf("damaged Excel workbook (%s)", msg)
}

// The number formats the date styles of a workbook are rewritten to, so that excelize
// writes their cells in the forms ParseText reads as a date and a timestamp. Excel's
// date-times have no zone: they are read as UTC, like any naive date-time.
const (
	xlsxDatePattern     = "yyyy-mm-dd"
	xlsxDateTimePattern = "yyyy-mm-dd hh:mm:ss"
)

// xlsxRawNumFmt is a number-format id no workbook defines: excelize gives the cells of
// a style pointing at it their value as stored.
const xlsxRawNumFmt = 1 << 30

// xlsxDateStyles rewrites the number format of every cell style of f, in memory, so
// that the streamed cell texts carry the cells' values rather than their
// presentation: a style with a date format (built-in 14-17, the localised date
// formats, or a custom format with y or d outside quotes and brackets) shows its cells
// as yyyy-mm-dd, a date-time format (a date and h or s) as yyyy-mm-dd hh:mm:ss; other
// numeric formats (thousands separators, currency, percent, fractions) show the plain
// value. Time-of-day and text formats are kept. excelize converts the serial numbers,
// with Excel's 1900 leap-year bug and the workbook's 1904 date system.
func xlsxDateStyles(f *excelize.File) {
	st := f.Styles
	if st == nil || st.CellXfs == nil {
		return
	}
	custom := map[int]string{}
	if st.NumFmts != nil {
		for _, nf := range st.NumFmts.NumFmt {
			if nf != nil {
				code := nf.FormatCode
				if nf.FormatCode16 != "" {
					code = nf.FormatCode16
				}
				custom[nf.NumFmtID] = code
			}
		}
	}
	dateOnly, dateTime, clock := 14, 32, 21
	for i := range st.CellXfs.Xf {
		xf := &st.CellXfs.Xf[i]
		id := 0
		if xf.NumFmtID != nil {
			id = *xf.NumFmtID
		}
		var to int
		if code, ok := custom[id]; ok {
			switch date, hasClock := numFmtKind(code); {
			case date && hasClock:
				to = dateTime
			case date:
				to = dateOnly
			case hasClock:
				to = id // a time of day, or a duration: as formatted
			default:
				to = xlsxRawNumFmt
			}
		} else {
			switch {
			case id == 0, id == 49: // General, text
				to = id
			case id >= 14 && id <= 17, id >= 27 && id <= 31, id == 36, id >= 50 && id <= 58:
				to = dateOnly
			case id == 22:
				to = dateTime
			case id >= 18 && id <= 21, id >= 45 && id <= 47:
				to = id
			case id >= 32 && id <= 35: // localised times; 32 now means a date-time
				to = clock
			default:
				to = xlsxRawNumFmt
			}
		}
		if to != id {
			v := to
			xf.NumFmtID = &v
		}
	}
}

// numFmtKind tells whether an Excel number format code shows a date and whether it
// shows a time of day, from its first section with quoted text, escaped characters
// and bracketed parts ([Red], [$-409], elapsed [h]) left out.
func numFmtKind(code string) (date, clock bool) {
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case ';':
			return date, clock
		case '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(code)
			}
		case '\\', '_', '*':
			i++
		case '[':
			if j := strings.IndexByte(code[i+1:], ']'); j >= 0 {
				i += j + 1
			} else {
				i = len(code)
			}
		case 'y', 'Y', 'd', 'D':
			date = true
		case 'h', 'H', 's', 'S':
			clock = true
		}
	}
	return date, clock
}

// blankRow reports whether every cell is empty or spaces.
func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// lastNonBlank is the number of cells up to the last one that is not blank.
func lastNonBlank(cells []string) int {
	for i := len(cells) - 1; i >= 0; i-- {
		if strings.TrimSpace(cells[i]) != "" {
			return i + 1
		}
	}
	return 0
}
