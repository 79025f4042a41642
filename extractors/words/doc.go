// Package words knows what holds for an English word in any document: its Lemma
// (lowercased, plurals and verb endings reduced, the form cues and similarity
// compare), the corpus's Common lower-case words, and Shapes, a cheap guard that
// spares most words a map lookup.
//
// Nothing here sees a document: per-document work is in the other rooms.
package words
