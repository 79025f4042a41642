// Package extractors holds, in rooms of their own, everything that turns a
// document's text into findings. It has no code itself; each room is one noun:
//
//   - annotate: the Annotation every extractor reads (tokens, sentences, tags, raw
//     entities at byte offsets), the Annotator interface, and prose itself as an engine;
//   - fastprose: the fast engine, prose's models re-implemented to give exactly
//     prose's annotations, several times sooner;
//   - words: facts about English words that hold in any document (lemmas, the corpus's
//     common lower-case words, key shapes for cheap map guards);
//   - entities: prose's entity mentions cleaned and normalised with a gazetteer of
//     states, demonyms, places and intergovernmental bodies (entities.Resolver), and
//     their evaluation against a gold set;
//   - cues: a framework's cue matches with negation (cues.Matcher), the scores and
//     alignment built from them, and their evaluation against labelled sentences;
//   - phrases: mechanism phrases, noun phrases headed by an institutional noun;
//   - similarity: tf-idf similarity to the reference document and its fixed IDF table.
//
// No room reads a corpus file or writes a table: the pipeline hands them texts and
// turns what they find into rows. Each room's data files sit in its own data/ folder
// and are embedded.
package extractors
