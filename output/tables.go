// Package output writes framealign's Parquet tables: one Go struct per table, whose
// parquet tags are the output contract of DESIGN.md, written zstd-compressed to a
// temporary name and renamed into place.
package output

import "github.com/framealign/framealign/corpus"

// Score is one row of scores.parquet: how much of one dimension a document expresses.
type Score struct {
	DocID       string  `parquet:"doc_id,dict"`
	Dimension   string  `parquet:"dimension,dict"`
	Group       string  `parquet:"group,dict"`
	Hits        int64   `parquet:"hits"`
	NegatedHits int64   `parquet:"negated_hits"`
	Sentences   int64   `parquet:"sentences"`
	Per1kTokens float64 `parquet:"per_1k_tokens"`
}

// Match is one row of matches.parquet: a cue found in a document, the evidence.
type Match struct {
	DocID         string   `parquet:"doc_id,dict"`
	Dimension     string   `parquet:"dimension,dict"`
	Cue           string   `parquet:"cue,dict"`
	SentenceIndex int64    `parquet:"sentence_index"`
	CharStart     int64    `parquet:"char_start"`
	CharEnd       int64    `parquet:"char_end"`
	Text          string   `parquet:"text"`
	Sentence      string   `parquet:"sentence,dict"`
	Negated       bool     `parquet:"negated"`
	Actors        []string `parquet:"actors,list"`
}

// Phrase is one row of phrases.parquet: a noun phrase headed by an institutional noun.
type Phrase struct {
	DocID         string   `parquet:"doc_id,dict"`
	SentenceIndex int64    `parquet:"sentence_index"`
	CharStart     int64    `parquet:"char_start"`
	CharEnd       int64    `parquet:"char_end"`
	Text          string   `parquet:"text"`
	Normalized    string   `parquet:"normalized"`
	Head          string   `parquet:"head,dict"`
	Dimension     *string  `parquet:"dimension,optional,dict"`
	Actors        []string `parquet:"actors,list"`
}

// Entity is one row of entities.parquet: a named-entity mention, cleaned and normalised.
type Entity struct {
	DocID         string  `parquet:"doc_id,dict"`
	SentenceIndex int64   `parquet:"sentence_index"`
	CharStart     int64   `parquet:"char_start"`
	CharEnd       int64   `parquet:"char_end"`
	Text          string  `parquet:"text"`
	Label         string  `parquet:"label,dict"`
	Canonical     string  `parquet:"canonical,dict"`
	ISO3          *string `parquet:"iso3,optional"`
}

// Error is one row of errors.parquet: input that could not be analysed, and why.
type Error struct {
	Source string `parquet:"source"`
	DocID  string `parquet:"doc_id"`
	Stage  string `parquet:"stage"`
	Error  string `parquet:"error"`
	// SourceRaw is the file's path as the file system gives it, when it is not valid
	// UTF-8 (Source escapes it, see corpus.EscapeName); null otherwise.
	SourceRaw []byte `parquet:"source_raw,optional"`
}

// Run is one row of runs.parquet: one invocation of framealign run.
type Run struct {
	RunID           string  `parquet:"run_id"`
	StartedAt       int64   `parquet:"started_at,timestamp(microsecond)"`
	FinishedAt      int64   `parquet:"finished_at,timestamp(microsecond)"`
	Added           int64   `parquet:"added"`
	Changed         int64   `parquet:"changed"`
	Unchanged       int64   `parquet:"unchanged"`
	Removed         int64   `parquet:"removed"`
	Failed          int64   `parquet:"failed"`
	Skipped         int64   `parquet:"skipped"`
	FrameworkSHA256 string  `parquet:"framework_sha256"`
	Version         string  `parquet:"framealign_version"`
	Engine          string  `parquet:"engine"`
	Workers         int64   `parquet:"workers"`
	Tokens          int64   `parquet:"tokens"`
	Seconds         float64 `parquet:"seconds"`
}

// DocumentRow is one row of documents.parquet: its fixed columns, and the document's
// metadata (from its file name, front matter or record fields), which the writer adds
// beside them as columns (see MetaColumns).
type DocumentRow struct {
	DocID             string   `parquet:"doc_id"`
	Source            string   `parquet:"source"`
	Format            string   `parquet:"format"`
	Encoding          string   `parquet:"encoding"`
	ContentSHA256     string   `parquet:"content_sha256"`
	NTokens           int64    `parquet:"n_tokens"`
	NSentences        int64    `parquet:"n_sentences"`
	Alignment         float64  `parquet:"alignment"`
	Similarity        float64  `parquet:"similarity"`
	ProfileSimilarity float64  `parquet:"profile_similarity"`
	IsReference       bool     `parquet:"is_reference"`
	Countries         []string `parquet:"countries,list"`
	Title             string   `parquet:"title"`
	// AnalysisSHA256 identifies what produced the row (framework, reference and
	// framealign build): a rerun re-analyses a document when it or its content changed.
	AnalysisSHA256 string `parquet:"analysis_sha256"`
	// BaseSHA256 identifies what produced the rows that do not depend on the framework
	// (entities, similarity): after a framework change they are kept.
	BaseSHA256 string `parquet:"base_sha256"`
	// SourceRaw is the file's path as the file system gives it, when it is not valid
	// UTF-8 (Source and DocID escape it, see corpus.EscapeName); null otherwise.
	SourceRaw []byte `parquet:"source_raw,optional"`
	// Meta is the metadata by key; not a column itself.
	Meta map[string]corpus.Value `parquet:"-"`
}
