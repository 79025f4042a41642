// Package similarity measures how close a document's words are to a reference
// document's: cosine similarity of tf-idf vectors of lemma unigrams and bigrams
// (Reference), weighed with a fixed IDF table built once from a background corpus
// (data/idf.tsv, rebuilt by scripts/buildidf with IDFBuilder, and compiled by go
// generate into data/idf.bin, which the binary embeds and uses without parsing), so
// scores do not move when a corpus grows. Stop words are in data/stopwords.txt.
//
// The profile similarity over dimension rates is in extractors/cues; the reference
// article itself is embedded in framework.
package similarity
