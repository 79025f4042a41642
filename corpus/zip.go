package corpus

import (
	"archive/zip"
	"fmt"
	"io"
)

// zipLimit is the most that the parts of an Office package (.xlsx, .docx, .odt) of
// size bytes may unpack to: 100 times its size, and at least 256 MiB. Real packages
// pack 3 to 20 times; a zip bomb packs a thousand times.
func zipLimit(size int64) int64 { return max(100*size, 256<<20) }

// checkZip reads the directory of an Office package and refuses it before any part
// is unpacked when it is not a ZIP archive, when a part claims an unpacked size that
// deflate cannot produce from its packed size (more than 1,032 to 1; a forged header
// that would make a reader reserve that much memory), or when the parts together
// unpack to more than limit bytes.
func checkZip(ra io.ReaderAt, size, limit int64, kind string) error {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return fmt.Errorf("damaged %s (not a readable ZIP package: %v)", kind, err)
	}
	var total uint64
	for _, f := range zr.File {
		if f.UncompressedSize64 > 1100*f.CompressedSize64+64<<10 {
			return fmt.Errorf("damaged %s (part %s claims %s unpacked from %s)", kind, f.Name,
				humanBytes(int64(min(f.UncompressedSize64, 1<<62))), humanBytes(int64(min(f.CompressedSize64, 1<<62))))
		}
		total += f.UncompressedSize64
		if total > uint64(limit) {
			return fmt.Errorf("the %s unpacks to more than %s, over 100 times its size (a zip bomb?)", kind, humanBytes(limit))
		}
	}
	return nil
}
