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

// DuplicateIDError is the errors row of a document whose doc_id was already read from
// the source first (the document read first is kept).
func DuplicateIDError(d corpus.Document, first string) output.Error {
	return output.Error{Source: d.Source, DocID: d.ID, Stage: StageRead,
		Error: fmt.Sprintf("duplicate doc_id: %q was already read from %s", d.ID, first)}
}
