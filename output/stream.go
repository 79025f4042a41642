package output

import (
	"fmt"
	"io"
	"reflect"
	"strconv"

	"github.com/parquet-go/parquet-go"

	"github.com/framealign/framealign/corpus"
)

// Writers of one table (or one shard of a table) to any io.Writer, with the codec,
// page and row-group settings of the tables a run writes, for runners that write
// through another file system (the Beam runner's shards on gs:// or s3://) or in
// parts. They know nothing of temporary names or commits: the caller does.

// MetaStat is what the metadata column layout needs to know of one key: how many
// documents have it and the kinds of its values (a bit per corpus.Kind).
type MetaStat struct {
	Docs  int64
	Kinds uint16
}

// MetaStats counts metadata keys over a set of documents, so that the layout of
// documents.parquet's metadata columns (MetaColumns) can be decided without holding
// the rows: count each part of a corpus apart, Merge the counts, and take Layout.
type MetaStats map[string]MetaStat

// Add counts the metadata of one document.
func (s MetaStats) Add(meta map[string]corpus.Value) {
	for k, v := range meta {
		st := s[k]
		st.Docs++
		st.Kinds |= 1 << v.Kind
		s[k] = st
	}
}

// Merge adds the counts of o to s.
func (s MetaStats) Merge(o MetaStats) {
	for k, b := range o {
		a := s[k]
		a.Docs += b.Docs
		a.Kinds |= b.Kinds
		s[k] = a
	}
}

// DocumentsWriter writes rows of documents.parquet with a metadata layout decided
// beforehand (MetaColumns, or MetaStats.Layout over the whole corpus), so that every
// part of a sharded documents table has the same schema as WriteDocuments would give
// the whole.
type DocumentsWriter struct {
	w      *parquet.Writer
	layout MetaLayout
	extra  map[string]bool
	row    reflect.Value // reused for every row
	nFixed int
	extraI int // index of ExtraColumn's field, or -1
	rows   int64
}

// NewDocumentsWriter starts writing documents rows of run runID to w.
func NewDocumentsWriter(w io.Writer, runID string, layout MetaLayout) *DocumentsWriter {
	dt := reflect.TypeOf(DocumentRow{})
	fields := make([]reflect.StructField, 0, dt.NumField()+len(layout.Columns)+1)
	for i := 0; i < dt.NumField(); i++ {
		fields = append(fields, dt.Field(i))
	}
	for i, c := range layout.Columns {
		typ, opts := metaGoType(c.Type)
		fields = append(fields, reflect.StructField{Name: fmt.Sprintf("Meta%d", i), Type: typ,
			Tag: reflect.StructTag("parquet:" + strconv.Quote(c.Name+opts))})
	}
	d := &DocumentsWriter{layout: layout, extra: map[string]bool{}, nFixed: dt.NumField(), extraI: -1}
	if len(layout.Extra) > 0 {
		d.extraI = len(fields)
		fields = append(fields, reflect.StructField{Name: "MetaExtra", Type: reflect.TypeOf((*string)(nil)),
			Tag: reflect.StructTag(`parquet:"` + ExtraColumn + `,optional"`)})
		for _, k := range layout.Extra {
			d.extra[k] = true
		}
	}
	rowType := reflect.StructOf(fields)
	d.row = reflect.New(rowType).Elem()
	d.w = parquet.NewWriter(w, append(writerOptions(runID), parquet.SchemaOf(reflect.New(rowType).Interface()))...)
	return d
}

// Write adds one row.
func (d *DocumentsWriter) Write(r DocumentRow) error {
	v := d.row
	v.SetZero()
	fv := reflect.ValueOf(r)
	for i := 0; i < d.nFixed; i++ {
		v.Field(i).Set(fv.Field(i))
	}
	for i, c := range d.layout.Columns {
		if val, ok := r.Meta[c.Key]; ok {
			v.Field(d.nFixed + i).Set(metaGoValue(c.Type, val))
		}
	}
	if d.extraI >= 0 {
		if s, ok := extraJSON(r.Meta, d.extra); ok {
			v.Field(d.extraI).Set(reflect.ValueOf(&s))
		}
	}
	if err := d.w.Write(v.Addr().Interface()); err != nil {
		return fmt.Errorf("write %s: %w", DocumentsTable, err)
	}
	d.rows++
	return nil
}

// Rows is the number of rows written.
func (d *DocumentsWriter) Rows() int64 { return d.rows }

// Close finishes the Parquet file (its footer); it does not close the io.Writer.
func (d *DocumentsWriter) Close() error {
	if err := d.w.Close(); err != nil {
		return fmt.Errorf("close %s: %w", DocumentsTable, err)
	}
	return nil
}

// TableWriter writes rows of one of the tables whose schema is a struct (Score,
// Match, Phrase, Entity, Error, Run) to an io.Writer.
type TableWriter[T any] struct {
	w    *parquet.GenericWriter[T]
	buf  []T
	rows int64
}

// NewTableWriter starts writing rows of run runID to w.
func NewTableWriter[T any](w io.Writer, runID string) *TableWriter[T] {
	return &TableWriter[T]{w: parquet.NewGenericWriter[T](w, writerOptions(runID)...)}
}

// Write adds rows.
func (t *TableWriter[T]) Write(rows ...T) error {
	t.buf = append(t.buf, rows...)
	t.rows += int64(len(rows))
	if len(t.buf) >= 4096 {
		return t.flush()
	}
	return nil
}

func (t *TableWriter[T]) flush() error {
	if len(t.buf) == 0 {
		return nil
	}
	if _, err := t.w.Write(t.buf); err != nil {
		return err
	}
	clear(t.buf)
	t.buf = t.buf[:0]
	return nil
}

// Rows is the number of rows written.
func (t *TableWriter[T]) Rows() int64 { return t.rows }

// Close finishes the Parquet file (its footer); it does not close the io.Writer.
func (t *TableWriter[T]) Close() error {
	if err := t.flush(); err != nil {
		return err
	}
	return t.w.Close()
}
