// Package annotate is the annotation layer every extractor reads: a document's
// tokens (with prose's part-of-speech tags and IOB entity labels), its sentences and
// prose's raw entity mentions, each placed at byte offsets of the text (Annotation);
// the Annotator interface the engines share; and the prose engine itself (Prose).
//
// The fast engine, which gives exactly prose's annotations sooner, lives in
// extractors/fastprose; what is made of an annotation (entities, cue matches,
// phrases, similarity) lives in the other rooms of extractors. This package reads
// no files and knows nothing of frameworks or tables.
package annotate
