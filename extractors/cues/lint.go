package cues

import (
	"context"
	"fmt"
	"github.com/framealign/framealign/extractors/entities"
	"strings"
	"sync"

	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/extractors/words"
	"github.com/framealign/framealign/framework"
)

// functionWords are words a cue rarely means as a capitalised name or as one of
// several alternatives standing alone: what Lint's warnings look for.
var functionWords = map[string]bool{
	"the": true, "a": true, "an": true, "of": true, "and": true, "or": true, "to": true, "in": true,
	"on": true, "for": true, "with": true, "by": true, "at": true, "from": true, "as": true,
	"each": true, "other": true, "one": true, "another": true, "all": true, "any": true,
	"this": true, "that": true, "these": true, "those": true, "its": true, "their": true,
	"our": true, "his": true, "her": true, "we": true, "it": true, "is": true, "be": true,
	"not": true, "no": true, "between": true, "among": true, "both": true,
}

// Lint returns a warning, at its line, for every cue of fw that can never match as
// written, or not as its author most likely meant:
//
//   - a reading that does not find itself: the cue's own words, each alternative in
//     turn, written out as a sentence and annotated by annotator, are not matched (a
//     word the tokenizer cuts or the lemmatiser changes so that no text can give it,
//     or an exclusion of the cue that every match holds);
//   - a capitalised function word ("The", "Of"), which asks for that exact spelling:
//     such a word is capitalised only at the start of a sentence;
//   - alternatives of single words next to other function words ("each other|one
//     another" reads each, other or one, another): a multi-word alternative is
//     written [each other|one another];
//   - an exclusion's word in -ing or -ed whose lemma is another common word
//     (-"housing" is read "house" and holds for every "White House"; -"used nuclear"
//     holds for "threats to use nuclear weapons"), unless the lemma is among the
//     word's alternatives (meet|meeting: the family is meant);
//   - a condition that asks for wording in a framework without international_wording.
//
// The framework must have parsed without problems.
func Lint(ctx context.Context, fw *framework.Framework, annotator annotate.Annotator) ([]framework.Problem, error) {
	var out []framework.Problem
	warn := func(line int, format string, args ...any) {
		out = append(out, framework.Problem{Line: line, Message: "warning: " + fmt.Sprintf(format, args...)})
	}
	trapSaid := map[string]bool{} // the (item, word) pairs whose lemma trap was reported
	// the entities, for the cues with a class of mentions ({country}): loaded once
	resolver := sync.OnceValues(entities.NewResolver)
	lineOf := func(lines []int, i int) int {
		if i < len(lines) {
			return lines[i]
		}
		return 0
	}
	type item struct {
		src, what string
		line      int
		dim       *framework.Dimension
	}
	var items []item
	for di := range fw.Dimensions {
		d := &fw.Dimensions[di]
		for i, c := range d.Cues {
			items = append(items, item{c, "cue", lineOf(d.CueLines, i), d})
		}
		for i, c := range d.Exclude {
			items = append(items, item{c, "exclude", lineOf(d.ExcludeLines, i), d})
		}
		if cond, err := framework.ParseCondition(d.Requires); err == nil && d.Requires != "" {
			for _, msg := range missingLists(fw, cond) {
				warn(d.Line, "dimension %q %s", d.ID, msg)
			}
		}
	}
	for i, c := range fw.InternationalWording {
		items = append(items, item{c, "international_wording", lineOf(fw.InternationalWordingLines, i), nil})
	}
	for _, it := range items {
		c, err := framework.ParseCue(it.src)
		if err != nil {
			continue // framework.Parse reports it
		}
		if c.Requires != nil {
			for _, msg := range missingLists(fw, c.Requires) {
				warn(it.line, "%s %q %s", it.what, it.src, msg)
			}
		}
		readings := append(append([][]framework.Term(nil), c.Variants...), c.OtherVariants...)
		for _, terms := range readings {
			for ti, t := range terms {
				for _, w := range t.Alternatives {
					if w.Exact != "" && functionWords[w.Text] {
						warn(it.line, "%s %q: %q with a capital asks for that exact spelling, which a function word has only at the start of a sentence; write it in lower case", it.what, it.src, w.Exact)
					}
				}
				if len(t.Alternatives) > 1 && !t.Optional && splitsFixedPhrase(terms, ti) {
					warn(it.line, "%s %q: | joins single words, so %q means one of %s at that place; for alternatives of several words write [each other|one another]",
						it.what, it.src, alternativesString(t), strings.Join(alternativeWords(t), ", "))
				}
			}
		}
		// An exclusion's word in -ing or -ed is compared on its lemma, another common
		// word: -"housing" holds for every "House", -"used nuclear" for "use nuclear".
		excls := c.Excludes
		if it.what == "exclude" {
			excls = c.Variants
		}
		for _, terms := range excls {
			for ti, t := range terms {
				for _, w := range t.Alternatives {
					if lemma := words.Lemma(w.Text); lemmaTrap(w, lemma) && !hasAlternative(t, lemma) && !trapSaid[it.src+"\x00"+w.Text] {
						trapSaid[it.src+"\x00"+w.Text] = true // once per word of an item, whatever its readings
						warn(it.line, "%s %q: the exclusion %q reads %q as its lemma %q, so it also holds for %q (and its other forms); write %s* to exclude that spelling only",
							it.what, it.src, phraseWith(terms, ti, w.Text), w.Text, lemma, phraseWith(terms, ti, lemma), w.Text)
					}
				}
			}
		}
		// Self-test: every alternative of every reading, written out, must be found
		// (with the other phrase of a NEAR cue beside it).
		type reading struct {
			terms         []framework.Term
			before, after string
		}
		var rs []reading
		for _, v := range c.Variants {
			r := reading{terms: v}
			if c.Near > 0 {
				r.after = " " + sampleText(c.OtherVariants[0], -1, 0)
			}
			rs = append(rs, r)
		}
		for _, v := range c.OtherVariants {
			rs = append(rs, reading{terms: v, before: sampleText(c.Variants[0], -1, 0) + " "})
		}
		for _, r := range rs {
			terms := r.terms
			for ti, t := range terms {
				for ai := range t.Alternatives {
					text := r.before + sampleText(terms, ti, ai) + r.after
					found, tokens, err := selfMatches(ctx, fw, it.src, c, text, annotator, resolver, it.what != "cue")
					if err != nil {
						return nil, err
					}
					if !found {
						warn(it.line, "%s %q can never match as written: its words %q (as the tokenizer reads them: %s) do not match it%s",
							it.what, it.src, text, tokens, exclusionHint(c, it.what))
					}
				}
			}
		}
	}
	return out, nil
}

// missingLists says which settings of cond can never hold, or always hold when
// negated, for want of the framework's list of phrases.
func missingLists(fw *framework.Framework, cond *framework.Condition) []string {
	var out []string
	for _, s := range cond.Settings {
		name := strings.TrimPrefix(s, "!")
		switch {
		case name == framework.SettingWording && len(fw.InternationalWording) == 0:
			out = append(out, "asks for "+s+", but the framework has no international_wording list: the wording setting never holds")
		case name == framework.SettingDomestic && len(fw.DomesticWording) == 0:
			out = append(out, "asks for "+s+", but the framework has no domestic_wording list: the domestic setting never holds")
		}
	}
	return out
}

// lemmaTrap reports whether w, a word compared on its lemma, ends in -ing or -ed and
// has for lemma another word of the corpus's vocabulary ("housing": "house"; "used":
// "use"), not a mere stem ("trafficking": "traffick").
func lemmaTrap(w framework.Word, lemma string) bool {
	return !w.Prefix && w.Exact == "" && lemma != w.Text &&
		(strings.HasSuffix(w.Text, "ing") || strings.HasSuffix(w.Text, "ed")) && words.IsCommon(lemma)
}

// hasAlternative reports whether t has the word w among its alternatives: an author
// who writes meet|meeting means every form of "meet".
func hasAlternative(t framework.Term, w string) bool {
	for _, a := range t.Alternatives {
		if a.Text == w && !a.Prefix {
			return true
		}
	}
	return false
}

// phraseWith is a phrase written out with word at term ti and each other term's first
// alternative ("nato meeting").
func phraseWith(terms []framework.Term, ti int, word string) string {
	var ws []string
	for i, t := range terms {
		switch {
		case i == ti:
			ws = append(ws, word)
		case len(t.Alternatives) > 0:
			ws = append(ws, t.Alternatives[0].Text)
		}
	}
	return strings.Join(ws, " ")
}

func exclusionHint(c *framework.Cue, what string) string {
	if len(c.Excludes) > 0 && what == "cue" {
		return ", or one of its exclusions covers every match"
	}
	return ""
}

// fixedPhrases are pairs of words that stand together as one: an alternative that
// takes one of them apart ("each other|one another") was most likely meant whole.
var fixedPhrases = map[string]bool{
	"each other": true, "one another": true, "each one": true, "no one": true, "one other": true,
	"rather than": true, "instead of": true, "as well": true, "such as": true, "all of": true,
}

// splitsFixedPhrase reports whether term ti, of single-word alternatives, and a
// one-word neighbour make a fixed phrase with one alternative and not with another.
func splitsFixedPhrase(terms []framework.Term, ti int) bool {
	plain := func(i int) string {
		if i < 0 || i >= len(terms) || len(terms[i].Alternatives) != 1 || terms[i].Optional {
			return ""
		}
		return terms[i].Alternatives[0].Text
	}
	prev, next := plain(ti-1), plain(ti+1)
	for _, w := range terms[ti].Alternatives {
		if prev != "" && fixedPhrases[prev+" "+w.Text] || next != "" && fixedPhrases[w.Text+" "+next] {
			return true
		}
	}
	return false
}

func alternativeWords(t framework.Term) []string {
	var out []string
	for _, w := range t.Alternatives {
		out = append(out, `"`+w.Text+`"`)
	}
	return out
}

func alternativesString(t framework.Term) string {
	var out []string
	for _, w := range t.Alternatives {
		out = append(out, w.Text)
	}
	return strings.Join(out, "|")
}

// sampleText writes a reading out as words: alternative ai at term ti, the first
// alternative elsewhere, optional words included, gaps left empty; a wildcard is
// its prefix.
func sampleText(terms []framework.Term, ti, ai int) string {
	var ws []string
	for i, t := range terms {
		if t.Gap > 0 {
			continue
		}
		w := t.Alternatives[0]
		if i == ti {
			w = t.Alternatives[ai]
		}
		s := w.Text
		if w.Exact != "" {
			s = w.Exact
		}
		if ex, ok := classExamples[w.Class]; ok {
			s = ex // a mention of the class, which the resolver finds
		}
		if s == possessive && len(ws) > 0 {
			ws[len(ws)-1] += s
			continue
		}
		ws = append(ws, s)
	}
	return strings.Join(ws, " ")
}

// classExamples are the mentions that stand for a class in a cue's sample text.
var classExamples = map[string]string{framework.ClassCountry: "Japan", framework.ClassCity: "Tokyo"}

// selfMatches annotates "We note <text> here." and reports whether the cue, alone in
// a framework (without its condition; without its exclusions for a bare phrase),
// matches it; tokens shows the tokenizer's reading. resolver gives the entities a cue
// with a class of mentions needs.
func selfMatches(ctx context.Context, fw *framework.Framework, src string, c *framework.Cue, text string, annotator annotate.Annotator, resolver func() (*entities.Resolver, error), bare bool) (bool, string, error) {
	sentence := "We note " + text + " here."
	ann, err := annotator.Annotate(ctx, sentence)
	if err != nil {
		return false, "", err
	}
	cue := src
	if c.Requires != nil {
		cue = strings.TrimSpace(src[:strings.LastIndex(src, "@")])
	}
	if bare {
		if i := strings.Index(cue, `-"`); i >= 0 {
			cue = strings.TrimSpace(cue[:i])
		}
	}
	one := &framework.Framework{Name: "lint", InternationalWording: fw.InternationalWording,
		Dimensions: []framework.Dimension{{ID: "lint", Group: framework.GroupFraming, Label: "lint", Cues: []string{cue}}}}
	m, err := NewMatcher(one)
	if err != nil {
		return false, "", err
	}
	var toks []string
	for _, t := range ann.Tokens {
		if t.Start >= len("We note ") && t.End <= len(sentence)-len(" here.") {
			toks = append(toks, fmt.Sprintf("%q", t.Text))
		}
	}
	var ents []entities.Entity
	if m.mentions != 0 {
		r, err := resolver()
		if err != nil {
			return false, "", err
		}
		ents = r.Resolve(sentence, ann)
	}
	found, _ := m.Find(Document{Text: sentence, Annotation: ann, Entities: ents}, false)
	return len(found) > 0, strings.Join(toks, " "), nil
}
