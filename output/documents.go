package output

import (
	"fmt"
	"iter"
	"os"
	"reflect"
	"slices"
	"sort"
	"strconv"

	"github.com/parquet-go/parquet-go"
)

// MetaColumn describes a metadata column of documents.parquet.
type MetaColumn struct {
	Name    string // column name
	Key     string // metadata key it holds
	Integer bool   // every value is an integer, so the column is int64
}

// MetaColumns decides the metadata columns of rows: one per key, sorted by name; a
// key whose every value is an integer becomes an int64 column (so `year` sorts and
// compares as a number); a key that collides with a fixed column gets a `meta_` prefix.
func MetaColumns(rows []DocumentRow) []MetaColumn { return MetaColumnsOf(slices.Values(rows)) }

// MetaColumnsOf is MetaColumns of a sequence of rows.
func MetaColumnsOf(rows iter.Seq[DocumentRow]) []MetaColumn {
	fixed := map[string]bool{}
	dt := reflect.TypeOf(DocumentRow{})
	for i := 0; i < dt.NumField(); i++ {
		fixed[parquetName(dt.Field(i))] = true
	}
	isInt := map[string]bool{}
	for r := range rows {
		for k, v := range r.Meta {
			ok, seen := isInt[k]
			if !seen {
				ok = true
			}
			if ok {
				if _, err := strconv.ParseInt(v, 10, 64); err != nil {
					ok = false
				}
			}
			isInt[k] = ok
		}
	}
	cols := make([]MetaColumn, 0, len(isInt))
	for k, ok := range isInt {
		name := k
		if fixed[name] {
			name = "meta_" + name
		}
		cols = append(cols, MetaColumn{Name: name, Key: k, Integer: ok})
	}
	sort.Slice(cols, func(i, j int) bool { return cols[i].Name < cols[j].Name })
	return cols
}

func parquetName(f reflect.StructField) string {
	tag := f.Tag.Get("parquet")
	for i := 0; i < len(tag); i++ {
		if tag[i] == ',' {
			return tag[:i]
		}
	}
	return tag
}

// WriteDocuments writes documents.parquet under its temporary name for run runID.
// The schema is the DocumentRow struct followed by the metadata columns, built at run
// time because the metadata keys belong to the corpus.
func WriteDocuments(dir, runID string, rows []DocumentRow) error {
	return WriteDocumentsOf(dir, runID, slices.Values(rows))
}

// WriteDocumentsOf is WriteDocuments of a sequence of rows, which it ranges over twice
// (once for the metadata columns, once to write), so that the rows of a large corpus
// can stream from disk instead of sitting in memory.
func WriteDocumentsOf(dir, runID string, rows iter.Seq[DocumentRow]) error {
	cols := MetaColumnsOf(rows)
	dt := reflect.TypeOf(DocumentRow{})
	fields := make([]reflect.StructField, 0, dt.NumField()+len(cols))
	for i := 0; i < dt.NumField(); i++ {
		fields = append(fields, dt.Field(i))
	}
	strPtr, intPtr := reflect.TypeOf((*string)(nil)), reflect.TypeOf((*int64)(nil))
	for i, c := range cols {
		typ := strPtr
		if c.Integer {
			typ = intPtr
		}
		fields = append(fields, reflect.StructField{
			Name: fmt.Sprintf("Meta%d", i),
			Type: typ,
			Tag:  reflect.StructTag(fmt.Sprintf(`parquet:"%s,optional"`, c.Name)),
		})
	}
	rowType := reflect.StructOf(fields)
	schema := parquet.SchemaOf(reflect.New(rowType).Interface())

	path := tmpName(dir, DocumentsTable, runID)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	w := parquet.NewWriter(f, append(writerOptions(runID), schema)...)
	fail := func(err error) error {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("write %s: %w", DocumentsTable, err)
	}
	for r := range rows {
		v := reflect.New(rowType).Elem()
		fv := reflect.ValueOf(r)
		for i := 0; i < dt.NumField(); i++ {
			v.Field(i).Set(fv.Field(i))
		}
		for i, c := range cols {
			s, ok := r.Meta[c.Key]
			if !ok {
				continue
			}
			field := v.Field(dt.NumField() + i)
			if c.Integer {
				n, _ := strconv.ParseInt(s, 10, 64)
				field.Set(reflect.ValueOf(&n))
			} else {
				field.Set(reflect.ValueOf(&s))
			}
		}
		if err := w.Write(v.Addr().Interface()); err != nil {
			return fail(err)
		}
	}
	if err := w.Close(); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	return f.Close()
}

// ReadRows reads every row of a table into T, matching columns by name; columns of
// the file that T lacks are ignored. A missing file gives no rows and no error.
func ReadRows[T any](path string) ([]T, error) {
	f, pf, err := openParquet(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, err
	}
	defer f.Close()
	r := parquet.NewGenericReader[T](pf, parquet.SchemaOf(new(T)))
	defer r.Close()
	out := make([]T, pf.NumRows())
	n, err := r.Read(out)
	if err != nil && n < len(out) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return out[:n], nil
}

// openParquet opens the Parquet file at path; the caller closes f.
func openParquet(path string) (f *os.File, pf *parquet.File, err error) {
	if f, err = os.Open(path); err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err == nil {
		pf, err = parquet.OpenFile(f, st.Size())
		if err != nil {
			err = fmt.Errorf("open %s: %w", path, err)
		}
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, pf, nil
}
