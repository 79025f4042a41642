package output

import (
	"encoding/json"
	"fmt"
	"iter"
	"os"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/parquet-go/parquet-go"

	"github.com/framealign/framealign/corpus"
)

// MetaType is the Parquet type of a metadata column.
type MetaType uint8

// Metadata column types, as DuckDB names them.
const (
	MetaVarchar   MetaType = iota // STRING (the value as written)
	MetaBigint                    // INT64
	MetaDouble                    // DOUBLE
	MetaBoolean                   // BOOLEAN
	MetaDate                      // INT32 annotated DATE
	MetaTimestamp                 // INT64 annotated TIMESTAMP(MICROS, isAdjustedToUTC=false), values in UTC
	MetaList                      // LIST of STRING
)

func (t MetaType) String() string {
	return [...]string{"VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "DATE", "TIMESTAMP", "VARCHAR[]"}[t]
}

// MetaColumn describes a metadata column of documents.parquet.
type MetaColumn struct {
	Name string   // column name
	Key  string   // metadata key it holds
	Type MetaType // what its values agree on
}

// MaxMetaColumns is the most metadata keys that become columns of their own. A corpus
// with more distinct keys (a CSV of 100,000 columns, JSONL records with free-form keys)
// keeps the MaxMetaColumns keys held by the most documents (ties: the key first in byte
// order) as columns and the others in one JSON text column, ExtraColumn: a wider table
// is more than Parquet readers take (parquet-go stops at 65,535 columns) and more than a
// notebook can use.
const MaxMetaColumns = 1000

// ExtraColumn is the column holding, as a JSON object, the metadata of the keys beyond
// MaxMetaColumns; it exists only when there are such keys.
const ExtraColumn = "meta_extra"

// MetaLayout is how the metadata of a set of documents becomes columns.
type MetaLayout struct {
	Columns []MetaColumn // sorted by name
	// Extra lists the keys, in byte order, whose values go into ExtraColumn.
	Extra []string
}

// fixedColumns are the names a metadata column may not take: the columns of
// DocumentRow and ExtraColumn, lower-cased.
var fixedColumns = func() map[string]bool {
	fixed := map[string]bool{ExtraColumn: true}
	dt := reflect.TypeOf(DocumentRow{})
	for i := 0; i < dt.NumField(); i++ {
		if name := parquetName(dt.Field(i)); name != "" && name != "-" {
			fixed[strings.ToLower(name)] = true
		}
	}
	return fixed
}()

// MetaColumns decides the metadata columns of rows.
//
// Which keys: all of them, up to MaxMetaColumns (see there).
//
// Types: a column takes the kind every non-null value of its key agrees on: integers
// BIGINT, decimals DOUBLE, booleans BOOLEAN, dates DATE, timestamps TIMESTAMP, lists
// VARCHAR[]. Two mixes widen instead: integers and decimals give DOUBLE, dates and
// timestamps give TIMESTAMP (a date at midnight UTC); and lists mixed with single values
// give VARCHAR[] (a single value is a list of one, its text). Any other mix, and JSON
// text, give VARCHAR holding each value's text as written.
//
// Names: a key is its column's name, with commas and control characters made '_'
// (Parquet tools cannot take them). Names are compared case-insensitively, as DuckDB
// does. A key whose name is free keeps it; keys whose name is a fixed column (doc_id,
// title, ..., meta_extra), or is taken by a key earlier in byte order (Year before
// year), get "meta_" before it, then "_2", "_3"... after it until the name is free,
// taking keys in byte order. So doc_id and meta_doc_id give meta_doc_id_2 and meta_doc_id.
func MetaColumns(rows []DocumentRow) MetaLayout { return MetaColumnsOf(slices.Values(rows)) }

// MetaColumnsOf is MetaColumns of a sequence of rows.
func MetaColumnsOf(rows iter.Seq[DocumentRow]) MetaLayout {
	stats := MetaStats{}
	for r := range rows {
		stats.Add(r.Meta)
	}
	return stats.Layout()
}

// Layout is MetaColumns for the documents whose metadata s counted.
func (stats MetaStats) Layout() MetaLayout {
	keys := make([]string, 0, len(stats))
	for k := range stats {
		keys = append(keys, k)
	}
	var layout MetaLayout
	if len(keys) > MaxMetaColumns {
		sort.Slice(keys, func(i, j int) bool {
			if a, b := stats[keys[i]].Docs, stats[keys[j]].Docs; a != b {
				return a > b
			}
			return keys[i] < keys[j]
		})
		layout.Extra = append([]string(nil), keys[MaxMetaColumns:]...)
		sort.Strings(layout.Extra)
		keys = keys[:MaxMetaColumns]
	}
	sort.Strings(keys)

	taken := map[string]bool{}
	names := make(map[string]string, len(keys))
	var renamed []string
	for _, k := range keys {
		name := columnName(k)
		low := strings.ToLower(name)
		if name == "" || fixedColumns[low] || taken[low] {
			renamed = append(renamed, k)
			continue
		}
		taken[low] = true
		names[k] = name
	}
	for _, k := range renamed {
		base := "meta_" + columnName(k)
		name := base
		for n := 2; fixedColumns[strings.ToLower(name)] || taken[strings.ToLower(name)]; n++ {
			name = fmt.Sprintf("%s_%d", base, n)
		}
		taken[strings.ToLower(name)] = true
		names[k] = name
	}
	layout.Columns = make([]MetaColumn, 0, len(keys))
	for _, k := range keys {
		layout.Columns = append(layout.Columns, MetaColumn{Name: names[k], Key: k, Type: metaType(stats[k].Kinds)})
	}
	sort.Slice(layout.Columns, func(i, j int) bool { return layout.Columns[i].Name < layout.Columns[j].Name })
	return layout
}

// columnName is a key as a column name: commas and control characters become '_'.
func columnName(k string) string {
	return strings.Map(func(r rune) rune {
		if r == ',' || unicode.IsControl(r) {
			return '_'
		}
		return r
	}, k)
}

// metaType is the column type of a key whose values have the kinds in mask.
func metaType(mask uint16) MetaType {
	bit := func(k corpus.Kind) uint16 { return 1 << k }
	only := func(kinds ...corpus.Kind) bool {
		var m uint16
		for _, k := range kinds {
			m |= bit(k)
		}
		return mask&^m == 0
	}
	switch {
	case mask == bit(corpus.KindInt):
		return MetaBigint
	case only(corpus.KindInt, corpus.KindFloat):
		return MetaDouble
	case mask == bit(corpus.KindBool):
		return MetaBoolean
	case mask == bit(corpus.KindDate):
		return MetaDate
	case only(corpus.KindDate, corpus.KindTimestamp):
		return MetaTimestamp
	case mask&bit(corpus.KindList) != 0 && mask&bit(corpus.KindJSON) == 0:
		return MetaList
	}
	return MetaVarchar
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

// WriteDocuments writes documents.parquet under its temporary name for run runID and
// returns how the metadata became columns. The schema is the DocumentRow struct
// followed by the metadata columns (see MetaColumns) and, when some keys did not get a
// column, ExtraColumn; it is built at run time because the metadata keys belong to the
// corpus.
func WriteDocuments(dir, runID string, rows []DocumentRow) (MetaLayout, error) {
	return WriteDocumentsOf(dir, runID, slices.Values(rows))
}

// WriteDocumentsOf is WriteDocuments of a sequence of rows, which it ranges over twice
// (once for the metadata columns, once to write), so that the rows of a large corpus
// can stream from disk instead of sitting in memory.
func WriteDocumentsOf(dir, runID string, rows iter.Seq[DocumentRow]) (MetaLayout, error) {
	layout := MetaColumnsOf(rows)
	cols := layout.Columns
	dt := reflect.TypeOf(DocumentRow{})
	fields := make([]reflect.StructField, 0, dt.NumField()+len(cols)+1)
	for i := 0; i < dt.NumField(); i++ {
		fields = append(fields, dt.Field(i))
	}
	for i, c := range cols {
		typ, opts := metaGoType(c.Type)
		fields = append(fields, reflect.StructField{
			Name: fmt.Sprintf("Meta%d", i),
			Type: typ,
			Tag:  reflect.StructTag("parquet:" + strconv.Quote(c.Name+opts)),
		})
	}
	extra := -1
	if len(layout.Extra) > 0 {
		extra = len(fields)
		fields = append(fields, reflect.StructField{Name: "MetaExtra", Type: reflect.TypeOf((*string)(nil)),
			Tag: reflect.StructTag(`parquet:"` + ExtraColumn + `,optional"`)})
	}
	rowType := reflect.StructOf(fields)
	schema := parquet.SchemaOf(reflect.New(rowType).Interface())
	extraKeys := make(map[string]bool, len(layout.Extra))
	for _, k := range layout.Extra {
		extraKeys[k] = true
	}

	path := tmpName(dir, DocumentsTable, runID)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return layout, fmt.Errorf("create %s: %w", path, err)
	}
	w := parquet.NewWriter(f, append(writerOptions(runID), schema)...)
	fail := func(err error) (MetaLayout, error) {
		f.Close()
		os.Remove(path)
		return layout, fmt.Errorf("write %s: %w", DocumentsTable, err)
	}
	v := reflect.New(rowType).Elem()
	for r := range rows {
		v.SetZero()
		fv := reflect.ValueOf(r)
		for i := 0; i < dt.NumField(); i++ {
			v.Field(i).Set(fv.Field(i))
		}
		for i, c := range cols {
			if val, ok := r.Meta[c.Key]; ok {
				v.Field(dt.NumField() + i).Set(metaGoValue(c.Type, val))
			}
		}
		if extra >= 0 {
			if s, ok := extraJSON(r.Meta, extraKeys); ok {
				v.Field(extra).Set(reflect.ValueOf(&s))
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
	return layout, f.Close()
}

// metaGoType is the Go type and parquet tag options that write a column of type t;
// every metadata column is optional (null where a document lacks the key).
func metaGoType(t MetaType) (reflect.Type, string) {
	switch t {
	case MetaBigint:
		return reflect.TypeOf((*int64)(nil)), ",optional"
	case MetaDouble:
		return reflect.TypeOf((*float64)(nil)), ",optional"
	case MetaBoolean:
		return reflect.TypeOf((*bool)(nil)), ",optional"
	case MetaDate:
		return reflect.TypeOf((*int32)(nil)), ",date"
	case MetaTimestamp:
		// Not adjusted to UTC in Parquet's terms: the values are UTC wall-clock times,
		// which DuckDB reads as TIMESTAMP and pandas and polars as naive datetimes, so
		// date_trunc and group_by_dynamic work without a time-zone setting.
		return reflect.TypeOf((*int64)(nil)), ",timestamp(microsecond:local)"
	case MetaList:
		return reflect.TypeOf([]string(nil)), ",optional,list"
	}
	return reflect.TypeOf((*string)(nil)), ",optional"
}

// metaGoValue is v as the Go value of a column of type t (see MetaColumns for the
// widenings).
func metaGoValue(t MetaType, v corpus.Value) reflect.Value {
	switch t {
	case MetaBigint:
		n := v.Int
		return reflect.ValueOf(&n)
	case MetaDouble:
		x := v.Float
		if v.Kind == corpus.KindInt {
			x = float64(v.Int)
		}
		return reflect.ValueOf(&x)
	case MetaBoolean:
		b := v.Bool
		return reflect.ValueOf(&b)
	case MetaDate:
		d := int32(v.Time.Unix() / 86400)
		return reflect.ValueOf(&d)
	case MetaTimestamp:
		us := v.Time.UnixMicro()
		return reflect.ValueOf(&us)
	case MetaList:
		if v.Kind == corpus.KindList {
			return reflect.ValueOf(append([]string{}, v.List...))
		}
		return reflect.ValueOf([]string{v.Text})
	}
	s := v.Text
	return reflect.ValueOf(&s)
}

// extraJSON is the JSON object of a document's values for the keys in extra: numbers
// and booleans as such, dates as "YYYY-MM-DD", timestamps as RFC 3339 in UTC, lists as
// arrays of strings, JSON as itself, text as strings. False when it has none of them.
func extraJSON(meta map[string]corpus.Value, extra map[string]bool) (string, bool) {
	obj := map[string]any{}
	for k, v := range meta {
		if !extra[k] {
			continue
		}
		switch v.Kind {
		case corpus.KindInt:
			obj[k] = v.Int
		case corpus.KindFloat:
			obj[k] = v.Float
		case corpus.KindBool:
			obj[k] = v.Bool
		case corpus.KindDate:
			obj[k] = v.Time.Format(time.DateOnly)
		case corpus.KindTimestamp:
			obj[k] = v.Time.Format(time.RFC3339Nano)
		case corpus.KindList:
			obj[k] = v.List
		case corpus.KindJSON:
			if json.Valid([]byte(v.Text)) {
				obj[k] = json.RawMessage(v.Text)
			} else {
				obj[k] = v.Text
			}
		default:
			obj[k] = v.Text
		}
	}
	if len(obj) == 0 {
		return "", false
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return "", false
	}
	return string(b), true
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
