package annotate

import (
	"context"
	"fmt"
	"sync"

	"github.com/jdkato/prose/v2"
)

// ProseName is the prose engine's Name.
const ProseName = "prose-v2.0.0"

// Prose annotates with prose itself. Its model is loaded on the first Annotate, so a
// run whose documents all come from the cache never pays for it, and then shared by
// every call: prose's tagger and entity classifier only read their weights after
// loading, so one model serves every worker (TestProseConcurrent runs it under -race).
type Prose struct {
	load  sync.Once
	model *prose.Model
	// call annotates with prose; tests put a call that blocks in its place.
	call func(text string) (*Annotation, error)
}

// NewProse returns a prose engine with its own model, loaded on first use.
func NewProse() *Prose {
	p := &Prose{}
	p.call = p.annotate
	return p
}

// Name identifies the engine in runs.parquet.
func (p *Prose) Name() string { return ProseName }

// Annotate runs prose's tokenizer, segmenter, tagger and entity model over text and
// places every token, sentence and entity at its byte offsets in text.
//
// prose cannot be stopped inside a document: when ctx is cancelled first, Annotate
// returns ctx's error at once and the call under way runs to its end on its own
// goroutine, its result dropped.
func (p *Prose) Annotate(ctx context.Context, text string) (*Annotation, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	type result struct {
		ann *Annotation
		err error
	}
	done := make(chan result, 1)
	go func() {
		ann, err := p.call(text)
		done <- result{ann, err}
	}()
	select {
	case r := <-done:
		return r.ann, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *Prose) annotate(text string) (ann *Annotation, err error) {
	defer func() {
		if r := recover(); r != nil {
			ann, err = nil, fmt.Errorf("prose failed: %v", r)
		}
	}()
	p.load.Do(func() {
		// ModelFromData with no data sources is prose's default English model.
		p.model = prose.ModelFromData("en-v2.0.0")
	})
	doc, err := prose.NewDocument(text, prose.UsingModel(p.model))
	if err != nil {
		return nil, err
	}
	toks := doc.Tokens()
	sents := doc.Sentences()
	sentTexts := make([]string, len(sents))
	for i, s := range sents {
		sentTexts[i] = s.Text
	}
	words := make([]BareToken, len(toks))
	for i, t := range toks {
		words[i] = BareToken{Text: t.Text, Tag: t.Tag, Label: t.Label}
	}
	ents := doc.Entities()
	entTexts := make([]BareEntity, len(ents))
	for i, e := range ents {
		entTexts[i] = BareEntity{Text: e.Text, Label: e.Label}
	}
	return Place(text, words, sentTexts, entTexts), nil
}
