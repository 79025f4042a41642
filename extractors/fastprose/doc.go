// Package fastprose is the fast annotation engine: prose's tokenizer, punkt
// sentence segmenter, averaged-perceptron tagger and entity model, re-implemented
// over prose's own trained weights so that the Annotation is exactly prose's
// (checked speech by speech by the differential tests), several times sooner.
//
// What an annotation is, and prose itself as an engine, live in extractors/annotate;
// nothing here knows of frameworks, entities' normal forms or tables.
package fastprose
