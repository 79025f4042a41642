package report

import (
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/framealign/framealign/corpus"
)

// Kind is the type of a documents.parquet column as the filter language sees it: the
// metadata kinds of the corpus (a JSON value is stored, and read, as a string). A list
// column holds strings (countries); its values compare element-wise. Date and
// timestamp columns hold time.Time values in UTC.
type Kind = corpus.Kind

// Column kinds.
const (
	KindString    = corpus.KindString
	KindInt       = corpus.KindInt
	KindFloat     = corpus.KindFloat
	KindBool      = corpus.KindBool
	KindList      = corpus.KindList
	KindDate      = corpus.KindDate
	KindTimestamp = corpus.KindTimestamp
)

// Row is one row of documents.parquet: the fixed columns the report needs, typed,
// and every column (metadata included) by name in Fields.
type Row struct {
	DocID       string
	NTokens     int64
	Alignment   float64
	Similarity  float64
	IsReference bool
	// Fields holds every column by name: string, int64, float64, bool, []string,
	// time.Time (dates and timestamps, in UTC), or nil for a null.
	Fields map[string]any
}

// String returns the named column as text ("" when absent or null), for labels.
func (d Row) String(col string) string {
	switch v := d.Fields[col].(type) {
	case nil:
		return ""
	case string:
		return v
	case time.Time:
		if v.Hour() == 0 && v.Minute() == 0 && v.Second() == 0 && v.Nanosecond() == 0 {
			return v.Format(time.DateOnly)
		}
		return v.Format(time.DateTime)
	default:
		return fmt.Sprint(v)
	}
}

// Documents is documents.parquet read generically: its columns in file order with their
// kinds, and its rows.
type Documents struct {
	Columns []string
	Kinds   map[string]Kind
	Rows    []Row
}

// Has reports whether the table has the named column.
func (t *Documents) Has(col string) bool {
	_, ok := t.Kinds[col]
	return ok
}

// ReadDocuments reads documents.parquet by column name, whatever metadata columns the
// corpus added to it.
func ReadDocuments(path string) (*Documents, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read documents: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read documents %s: %w", path, err)
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("read documents %s: %w", path, err)
	}
	schema := pf.Schema()

	// Each leaf column belongs to one top-level column (a list's leaf is
	// countries.list.element); rows are read leaf by leaf.
	t := &Documents{Kinds: map[string]Kind{}}
	leafName := map[int]string{}
	units := map[string]time.Duration{} // timestamp columns' unit
	for i, p := range schema.Columns() {
		name := p[0]
		leaf, _ := schema.Lookup(p...)
		kind := leafKind(leaf)
		if lt := leaf.Node.Type().LogicalType(); lt != nil {
			switch v := lt.Value.(type) {
			case *format.DateType:
				kind = KindDate
			case *format.TimestampType:
				if v.Unit.Value != nil {
					kind, units[name] = KindTimestamp, v.Unit.Value.Duration()
				}
			}
		}
		if leaf.MaxRepetitionLevel > 0 {
			kind = KindList
		}
		if _, seen := t.Kinds[name]; !seen {
			t.Columns = append(t.Columns, name)
		}
		t.Kinds[name] = kind
		leafName[i] = name
	}
	for _, need := range []string{"doc_id", "alignment", "similarity"} {
		if !t.Has(need) {
			return nil, fmt.Errorf("read documents %s: no %q column (columns: %v)", path, need, t.Columns)
		}
	}

	r := parquet.NewReader(pf)
	defer r.Close()
	buf := make([]parquet.Row, 256)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			t.Rows = append(t.Rows, documentOf(row, leafName, t.Kinds, units))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read documents %s: %w", path, err)
		}
	}
	return t, nil
}

func leafKind(leaf parquet.LeafColumn) Kind {
	switch leaf.Node.Type().Kind() {
	case parquet.Boolean:
		return KindBool
	case parquet.Int32, parquet.Int64:
		return KindInt
	case parquet.Float, parquet.Double:
		return KindFloat
	default:
		return KindString
	}
}

func documentOf(row parquet.Row, leafName map[int]string, kinds map[string]Kind, units map[string]time.Duration) Row {
	fields := make(map[string]any, len(kinds))
	for _, v := range row {
		name := leafName[v.Column()]
		kind := kinds[name]
		if kind == KindList {
			list, _ := fields[name].([]string)
			if !v.IsNull() {
				list = append(list, string(v.ByteArray()))
			}
			if list == nil {
				list = []string{}
			}
			fields[name] = list
			continue
		}
		if v.IsNull() {
			fields[name] = nil
			continue
		}
		switch kind {
		case KindBool:
			fields[name] = v.Boolean()
		case KindInt:
			if v.Kind() == parquet.Int32 {
				fields[name] = int64(v.Int32())
			} else {
				fields[name] = v.Int64()
			}
		case KindFloat:
			if v.Kind() == parquet.Float {
				fields[name] = float64(v.Float())
			} else {
				fields[name] = v.Double()
			}
		case KindDate:
			fields[name] = time.Unix(int64(v.Int32())*86400, 0).UTC()
		case KindTimestamp:
			u := units[name]
			n := v.Int64()
			fields[name] = time.Unix(n/int64(time.Second/u), n%int64(time.Second/u)*int64(u)).UTC()
		default:
			fields[name] = string(v.ByteArray())
		}
	}
	d := Row{Fields: fields}
	d.DocID, _ = fields["doc_id"].(string)
	d.NTokens, _ = fields["n_tokens"].(int64)
	d.Alignment, _ = fields["alignment"].(float64)
	d.Similarity, _ = fields["similarity"].(float64)
	d.IsReference, _ = fields["is_reference"].(bool)
	return d
}

// ByAlignment sorts documents by alignment, highest first, then by doc_id so ties
// come out the same every time.
func ByAlignment(docs []Row) {
	sort.SliceStable(docs, func(i, j int) bool {
		if docs[i].Alignment != docs[j].Alignment {
			return docs[i].Alignment > docs[j].Alignment
		}
		return docs[i].DocID < docs[j].DocID
	})
}
