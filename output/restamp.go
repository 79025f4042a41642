package output

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// Restamp prepares, under the run's temporary name, a copy of table name in dir whose
// rows are unchanged and whose footer names run runID: the data pages and page
// indexes are copied byte for byte (their offsets stay valid), and only the footer is
// rewritten. A run whose rows for a table are exactly the previous run's commits the
// copy with its other tables, so every table still names the run that committed it,
// at the cost of a file copy instead of decoding and re-encoding every row.
func Restamp(dir, name, runID string) error {
	src := filepath.Join(dir, name)
	f, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("restamp %s: %w", name, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("restamp %s: %w", name, err)
	}
	size := st.Size()
	var tail [8]byte
	if size < 12 {
		return fmt.Errorf("restamp %s: not a Parquet file (%d bytes)", name, size)
	}
	if _, err := f.ReadAt(tail[:], size-8); err != nil {
		return fmt.Errorf("restamp %s: %w", name, err)
	}
	footerLen := int64(binary.LittleEndian.Uint32(tail[:4]))
	if string(tail[4:]) != "PAR1" || footerLen > size-12 {
		return fmt.Errorf("restamp %s: not a Parquet file (no footer)", name)
	}
	footerStart := size - 8 - footerLen
	footer := make([]byte, footerLen)
	if _, err := f.ReadAt(footer, footerStart); err != nil {
		return fmt.Errorf("restamp %s: %w", name, err)
	}
	var md format.FileMetaData
	if err := thrift.Unmarshal(new(thrift.CompactProtocol), footer, &md); err != nil {
		return fmt.Errorf("restamp %s: read footer: %w", name, err)
	}
	stamped := false
	for i := range md.KeyValueMetadata {
		if md.KeyValueMetadata[i].Key == RunIDKey {
			md.KeyValueMetadata[i].Value = runID
			stamped = true
		}
	}
	if !stamped {
		md.KeyValueMetadata = append(md.KeyValueMetadata, format.KeyValue{Key: RunIDKey, Value: runID})
	}
	newFooter, err := thrift.Marshal(new(thrift.CompactProtocol), &md)
	if err != nil {
		return fmt.Errorf("restamp %s: write footer: %w", name, err)
	}

	dst := tmpName(dir, name, runID)
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("restamp %s: %w", name, err)
	}
	fail := func(err error) error {
		out.Close()
		os.Remove(dst)
		return fmt.Errorf("restamp %s: %w", name, err)
	}
	if _, err := io.Copy(out, io.NewSectionReader(f, 0, footerStart)); err != nil {
		return fail(err)
	}
	var buf bytes.Buffer
	buf.Write(newFooter)
	binary.Write(&buf, binary.LittleEndian, uint32(len(newFooter)))
	buf.WriteString("PAR1")
	if _, err := out.Write(buf.Bytes()); err != nil {
		return fail(err)
	}
	if err := out.Sync(); err != nil {
		return fail(err)
	}
	if err := out.Close(); err != nil {
		os.Remove(dst)
		return fmt.Errorf("restamp %s: %w", name, err)
	}
	return nil
}
