package fabeam

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/framealign/framealign/pipeline"
)

// dedupKey groups the copies of one document (its doc_id) and of one errors row.
func dedupKey(d DocIn) string {
	if d.IsError() {
		e := d.Errs[0]
		return strings.Join([]string{"\x00err", e.Source, e.DocID, e.Stage, e.Error}, "\x00")
	}
	return d.ID
}

func keyDoc(d DocIn) (string, DocIn) { return dedupKey(d), d }

// readBefore orders documents as `framealign run` reads them: by corpus argument,
// then by path, folder by folder in lexical order, then by record.
func readBefore(a, b DocIn) bool {
	if a.Input != b.Input {
		return a.Input < b.Input
	}
	if a.Source != b.Source {
		pa, pb := strings.Split(a.Source, "/"), strings.Split(b.Source, "/")
		for i := 0; i < len(pa) && i < len(pb); i++ {
			if pa[i] != pb[i] {
				return pa[i] < pb[i]
			}
		}
		return len(pa) < len(pb)
	}
	return a.Record < b.Record
}

// dedupFn keeps one document per doc_id. Copies of one document (the same file
// matched twice, an element delivered again) are written once; documents of other
// sources under a doc_id already read become `framealign run`'s "duplicate doc_id"
// errors rows, the one read first being kept.
type dedupFn struct {
	repeats beam.Counter
}

func (f *dedupFn) Setup() { f.repeats = beam.NewCounter(Namespace, CounterDups) }

func (f *dedupFn) ProcessElement(ctx context.Context, _ string, iter func(*DocIn) bool, emit func(DocIn)) {
	var ds []DocIn
	var d DocIn
	for iter(&d) {
		ds = append(ds, d)
		d = DocIn{}
	}
	if len(ds) == 0 {
		return
	}
	sort.SliceStable(ds, func(i, j int) bool { return readBefore(ds[i], ds[j]) })
	first := ds[0]
	emit(first)
	kept := []DocIn{first}
	for _, d := range ds[1:] {
		if first.IsError() || slices.ContainsFunc(kept, func(k DocIn) bool { return sameRead(k, d) }) {
			f.repeats.Inc(ctx, 1)
			continue
		}
		kept = append(kept, d)
		firstPath := first.Path
		if first.Input < 0 { // the reference, read before any file
			firstPath = ""
		}
		emit(errorDoc(pipeline.DuplicateIDError(d.document(), d.Path, firstPath), d.Input))
	}
}

// sameRead reports whether a and b are one read of one document delivered twice.
func sameRead(a, b DocIn) bool {
	return a.Source == b.Source && a.Record == b.Record && a.Text == b.Text
}

// metaOf counts one document's metadata keys, for the documents schema.
func metaOf(d DocIn) MetaSchema {
	if d.IsError() || len(d.Meta) == 0 {
		return MetaSchema{}
	}
	keys := make([]MetaKey, len(d.Meta))
	for i, e := range d.Meta {
		keys[i] = MetaKey{Key: e.Key, Docs: 1, Kinds: 1 << e.Kind}
	}
	return MetaSchema{Keys: keys}
}

// mergeMeta adds two counts (a binary combine, lifted before the shuffle).
func mergeMeta(a, b MetaSchema) MetaSchema {
	if len(b.Keys) == 0 {
		return a
	}
	if len(a.Keys) == 0 {
		return b
	}
	s := a.stats()
	s.Merge(b.stats())
	out := MetaSchema{Keys: make([]MetaKey, 0, len(s))}
	for k, st := range s {
		out.Keys = append(out.Keys, MetaKey{Key: k, Docs: st.Docs, Kinds: int64(st.Kinds)})
	}
	sort.Slice(out.Keys, func(i, j int) bool { return out.Keys[i].Key < out.Keys[j].Key })
	return out
}

// countOne and sum count the distinct skipped entries.
func countOne(string, func(*int) bool) int { return 1 }
func sum(a, b int) int                     { return a + b }
