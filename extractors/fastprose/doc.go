// Package fastprose is the fast annotation engine: prose's tokenizer, punkt
// sentence segmenter, averaged-perceptron tagger and entity model, re-implemented
// over prose's own trained weights so that the Annotation is exactly prose's
// (checked speech by speech by the differential tests), several times sooner.
//
// The weights (and punkt's English parameters) are compiled from prose's assets by
// go generate (build.go, internal/genmodel) into data/model.bin, which the binary
// embeds and uses where it lies: New takes a millisecond, not prose's second of gob
// decoding. TestCompiledModelIsCurrent fails when the file is stale, and
// TestFastModelHoldsEveryProseWeight checks every weight against prose's assets.
//
// What an annotation is, and prose itself as an engine, live in extractors/annotate;
// nothing here knows of frameworks, entities' normal forms or tables.
package fastprose
