// Package fabeam is framealign's analysis as an Apache Beam pipeline: discover (file
// patterns through Beam's file systems), read and decode (corpus), drop duplicate
// doc_ids (a GroupByKey of the texts), annotate, analyse and write (one DoFn calling
// pipeline.Analyzer.Document, the per-document function `framealign run` uses, and
// writing Parquet shards under temporary names), then commit (after a GroupByKey
// barrier, the shards are renamed to table/part-NNNNN-of-MMMMM.parquet and _SUCCESS
// is written last). Bad input becomes an errors row, never a failed job.
package fabeam

import (
	"time"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/output"
)

// Counter names (namespace "framealign"), read back from the PipelineResult.
const (
	Namespace        = "framealign"
	CounterFiles     = "discover.files"    // files matched and read
	CounterSkipped   = "discover.skipped"  // debris passed over
	CounterDocuments = "analyse.documents" // documents analysed (reference included)
	CounterTokens    = "analyse.tokens"    // their tokens
	CounterNanos     = "analyse.nanos"     // time inside Analyzer.Document, for tokens/s per core
	CounterDups      = "dedup.repeats"     // the same document delivered more than once, written once
	CounterErrors    = "errors."           // + stage: errors rows by stage (discover, read, annotate, extract)
)

// DocIn is one decoded document, or one errors row, on its way to the analysis. It
// crosses the dedup shuffle, so every field is of a kind Beam's schema coder encodes.
type DocIn struct {
	ID, Source, Format, Encoding, Title, Text string
	Meta                                      []MetaEntry
	// Where it was read, for "the first read wins" on duplicate doc_ids, as in
	// `framealign run`, which reads the roots in the order given, each folder in
	// lexical order, and a file's records in order.
	Input, Record int64
	// Path is the file as matched (its display in a duplicate doc_id's errors row);
	// SourceRaw the source's raw bytes when its name is not valid UTF-8.
	Path, SourceRaw string
	Errs            []output.Error // one errors row instead of a document
}

// IsError reports whether d carries an errors row rather than a document.
func (d DocIn) IsError() bool { return len(d.Errs) > 0 }

// MetaEntry is one typed metadata value (corpus.Value) in a form Beam encodes.
type MetaEntry struct {
	Key    string
	Kind   int64
	Text   string
	Int    int64
	Float  float64
	Bool   bool
	Micros int64 // KindDate, KindTimestamp: the instant in microseconds since 1970, UTC
	List   []string
}

func metaEntries(m map[string]corpus.Value) []MetaEntry {
	if len(m) == 0 {
		return nil
	}
	out := make([]MetaEntry, 0, len(m))
	for k, v := range m {
		e := MetaEntry{Key: k, Kind: int64(v.Kind), Text: v.Text, Int: v.Int, Float: v.Float, Bool: v.Bool, List: v.List}
		if v.Kind == corpus.KindDate || v.Kind == corpus.KindTimestamp {
			e.Micros = v.Time.UnixMicro()
		}
		out = append(out, e)
	}
	return out
}

func metaMap(es []MetaEntry) map[string]corpus.Value {
	if len(es) == 0 {
		return nil
	}
	m := make(map[string]corpus.Value, len(es))
	for _, e := range es {
		v := corpus.Value{Kind: corpus.Kind(e.Kind), Text: e.Text, Int: e.Int, Float: e.Float, Bool: e.Bool, List: e.List}
		if v.Kind == corpus.KindDate || v.Kind == corpus.KindTimestamp {
			v.Time = time.UnixMicro(e.Micros).UTC()
		}
		if v.Kind == corpus.KindList && v.List == nil {
			v.List = []string{}
		}
		m[e.Key] = v
	}
	return m
}

func (d DocIn) document() corpus.Document {
	return corpus.Document{ID: d.ID, Source: d.Source, SourceRaw: d.SourceRaw, Format: d.Format, Encoding: d.Encoding, Title: d.Title,
		Text: d.Text, Meta: metaMap(d.Meta)}
}

func docIn(d corpus.Document, path string, input, record int64) DocIn {
	return DocIn{ID: d.ID, Source: d.Source, SourceRaw: d.SourceRaw, Format: d.Format, Encoding: d.Encoding, Title: d.Title, Text: d.Text,
		Meta: metaEntries(d.Meta), Input: input, Record: record, Path: path}
}

func errorDoc(e output.Error, input int64) DocIn { return DocIn{Errs: []output.Error{e}, Input: input} }

// SideConfig is what every worker needs once, as a side input: the framework (its
// YAML; empty for the embedded default) and the reference. From them each worker
// process builds its Analyzer once: the cue matcher, the reference's tf-idf vector
// (against the IDF table compiled into the binary) and its dimension profile.
type SideConfig struct {
	FrameworkYAML []byte
	ReferenceName string
	ReferenceText string
	Home          string // --home, as pipeline.ParseHome reads it
}

// MetaSchema is the metadata of the whole corpus, counted (output.MetaStats) by a
// Combine and handed to every writer as a side input, so that every shard of
// documents has the schema `framealign run` gives its one file.
type MetaSchema struct {
	Keys []MetaKey
}

// MetaKey is one key's output.MetaStat.
type MetaKey struct {
	Key   string
	Docs  int64
	Kinds int64
}

func (m MetaSchema) stats() output.MetaStats {
	s := make(output.MetaStats, len(m.Keys))
	for _, k := range m.Keys {
		s[k.Key] = output.MetaStat{Docs: k.Docs, Kinds: uint16(k.Kinds)}
	}
	return s
}

// TempFile is one table shard written under its temporary name, or (Table "") the
// counts of a bundle that wrote nothing.
type TempFile struct {
	Table  string // "documents", "scores", ...
	Part   string // the bundle's id, for a stable order of the final names
	Temp   string // temporary path
	Rows   int64
	Tokens int64 // of the documents rows (documents only)
}

// Table names (folders of the output), in the contract's order.
var tableNames = []string{"documents", "scores", "matches", "phrases", "entities", "errors"}
