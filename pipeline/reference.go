package pipeline

import (
	"fmt"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/output"
)

// ReferenceDocument is the reference as a run reads it, before the corpus: its
// documents row has doc_id and source "reference/" + name. Another runner (the Beam
// runner) adds it the same way, so that both write the same row.
func ReferenceDocument(name, text string) corpus.Document {
	ref := "reference/" + name
	return corpus.Document{ID: ref, Source: ref, Format: corpus.FormatTXT, Encoding: corpus.EncodingUTF8, Text: text}
}

// DuplicateIDReason says why a document is not analysed whose doc_id another file,
// read first, already gave: later and first name the two files as found (each with the
// corpus folder it was found under).
func DuplicateIDReason(id, later, first string) string {
	return fmt.Sprintf("duplicate doc_id %q: %s gives the id that %s, read first, already has (doc_ids are paths relative to the folder given on the command line, or record ids); this document is not analysed: rename one, or give the folder that holds both", id, later, first)
}

// ReferenceIDReason says why a document of the file later whose doc_id is the
// reference's ("reference/<name>", taken before any file is read) is not analysed.
func ReferenceIDReason(id, later string) string {
	return fmt.Sprintf("duplicate doc_id %q: it is the reference document's id (--reference); this document of %s is not analysed: give it another id", id, later)
}

// DuplicateIDError is the errors row of document d of the file later, whose doc_id
// the file first, read before it, already gave (the document read first is kept);
// first is "" when the id is the reference's.
func DuplicateIDError(d corpus.Document, later, first string) output.Error {
	reason := DuplicateIDReason(d.ID, later, first)
	if first == "" {
		reason = ReferenceIDReason(d.ID, later)
	}
	return output.Error{Source: d.Source, SourceRaw: rawName(d.SourceRaw), DocID: d.ID, Stage: StageRead, Error: reason}
}
