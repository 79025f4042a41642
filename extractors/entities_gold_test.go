package extractors

import (
	"os"
	"testing"
)

// TestEntitiesGoldF1 scores the resolver on the shared gold paragraphs: the issue asks
// for a typed micro-F1 of at least 0.85 over GPE, ORG and PERSON and the right iso3 for
// at least 95% of the gold country mentions found, on both halves of the file.
func TestEntitiesGoldF1(t *testing.T) {
	f, err := os.Open("../../shared/gold/entities.dev.jsonl")
	if os.IsNotExist(err) {
		t.Skip("../shared/gold is missing")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := NewEntityResolver()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := EvaluateEntities(f, NewProseAnnotator(), res)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Paragraphs < 50 {
		t.Fatalf("read %d gold paragraphs, want the 60 of entities.dev.jsonl", rep.Paragraphs)
	}
	for _, m := range rep.Misses {
		t.Logf("%s %-14s %-6s %q %s", m.Paragraph, m.Kind, m.Label, m.Text, m.Detail)
	}
	t.Logf("resolver  P %.3f R %.3f F1 %.3f", rep.Resolved.Precision(), rep.Resolved.Recall(), rep.Resolved.F1())
	t.Logf("prose     P %.3f R %.3f F1 %.3f", rep.Baseline.Precision(), rep.Baseline.Recall(), rep.Baseline.F1())
	for _, ty := range ScoredEntityTypes {
		s, b := rep.ResolvedByType[ty], rep.BaselineByType[ty]
		t.Logf("%-6s resolver P %.3f R %.3f F1 %.3f (tp %d fp %d fn %d) | prose F1 %.3f", ty, s.Precision(), s.Recall(), s.F1(), s.TP, s.FP, s.FN, b.F1())
	}
	t.Logf("halves F1 %.3f / %.3f; iso3 right %d/%d = %.3f", rep.Halves[0].F1(), rep.Halves[1].F1(), rep.CountryISO3, rep.CountryMentions, rep.ISO3Accuracy())

	for i, h := range rep.Halves {
		if h.F1() < 0.85 {
			t.Errorf("half %d: typed F1 %.3f, want >= 0.85", i+1, h.F1())
		}
	}
	if rep.Resolved.F1() < 0.85 {
		t.Errorf("typed F1 %.3f, want >= 0.85", rep.Resolved.F1())
	}
	if rep.ISO3Accuracy() < 0.95 {
		t.Errorf("iso3 right for %.3f of gold country mentions found, want >= 0.95", rep.ISO3Accuracy())
	}
	if rep.Resolved.F1() <= rep.Baseline.F1() {
		t.Errorf("resolver F1 %.3f is no better than prose's raw entities %.3f", rep.Resolved.F1(), rep.Baseline.F1())
	}
}
