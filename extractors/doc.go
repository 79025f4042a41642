// Package extractors turns text into findings: the annotation engines (prose itself,
// and a faster engine that gives exactly prose's answers), both placing tokens,
// sentences and entities at byte offsets of the text; entities cleaned and normalised
// to countries and organisations; the framework's cue matches with negation, and the
// scores and alignment built from them; mechanism phrases; and the similarity to the
// reference document. Its data (gazetteers, IDF table, stop words, the reference
// article) is embedded from data/. It reads no files of a corpus and writes nothing:
// the pipeline hands it texts and turns its results into rows.
package extractors
