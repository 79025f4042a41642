// Package phrases finds mechanism phrases: noun phrases headed by one of a
// framework's institutional nouns ("strategic dialogue mechanism", "crisis
// management channels"), with their normal form and head (Extractor), and the
// dimension of the cue match they overlap (Dimension).
//
// Cue matches come from extractors/cues, lemmas from extractors/words.
package phrases
