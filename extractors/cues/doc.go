// Package cues finds a framework's dimensions in annotated text: the Matcher walks
// a document's tokens once and returns every cue match with its sentence, byte
// offsets and whether a negation governs it; Score counts the matches per dimension,
// Alignment and Profile condense the scores into a document's numbers; Evaluate
// measures a framework against sentences labelled by hand.
//
// The cue language itself (parsing, checks) lives in framework; lemmas in words;
// which countries a sentence names in entities. This package reads no files.
package cues
