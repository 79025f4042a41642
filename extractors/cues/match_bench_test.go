package cues

import (
	"context"
	"os"
	"testing"

	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/internal/testannotate"
	"github.com/framealign/framealign/internal/testfiles"

	"github.com/framealign/framealign/framework"
)

// matchBenchSpeeches are a few real speeches of different lengths.
var matchBenchSpeeches = []string{
	testfiles.Shared("corpora/ungdc/Session 75 - 2020/CHN_75_2020.txt"),
	testfiles.Shared("corpora/ungdc/Session 66 - 2011/USA_66_2011.txt"),
	testfiles.Shared("corpora/ungdc/Session 77 - 2022/KIR_77_2022.txt"),
	testfiles.Shared("corpora/ungdc/Session 73 - 2018/FRA_73_2018.txt"),
}

func loadMatchBenchSpeeches(b *testing.B) []string {
	var texts []string
	for _, p := range matchBenchSpeeches {
		if data, err := os.ReadFile(p); err == nil {
			texts = append(texts, string(data))
		}
	}
	if len(texts) == 0 {
		b.Skip("no speeches under ../shared/corpora/ungdc")
	}
	return texts
}

// BenchmarkAnnotate is the cost of prose annotation per document, the yardstick for
// BenchmarkMatch.
func BenchmarkAnnotate(b *testing.B) {
	texts := loadMatchBenchSpeeches(b)
	a := testannotate.Engine()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := a.Annotate(context.Background(), texts[i%len(texts)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatch is the cost of matching the default framework's cues and scoring
// per document, on annotations computed beforehand.
func BenchmarkMatch(b *testing.B) { benchmarkMatch(b, false) }

// BenchmarkMatchCached is BenchmarkMatch on annotations that list their distinct
// words, as those of a rerun from the cache do.
func BenchmarkMatchCached(b *testing.B) { benchmarkMatch(b, true) }

func benchmarkMatch(b *testing.B, cached bool) {
	texts := loadMatchBenchSpeeches(b)
	a := testannotate.Engine()
	anns := make([]*annotate.Annotation, len(texts))
	for i, t := range texts {
		ann, err := a.Annotate(context.Background(), t)
		if err != nil {
			b.Fatal(err)
		}
		if cached {
			ann = withWords(ann)
		}
		anns[i] = ann
	}
	fw := framework.Default()
	m, err := NewMatcher(fw)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(texts)
		ms := m.Match(texts[k], anns[k])
		Score(fw, ms, len(anns[k].Tokens))
	}
}

// withWords lists the distinct words of ann, as annotations read from the cache do.
func withWords(ann *annotate.Annotation) *annotate.Annotation {
	ids := map[string]int32{}
	out := *ann
	out.Words, out.WordIDs = nil, make([]int32, len(ann.Tokens))
	for i, t := range ann.Tokens {
		id, ok := ids[t.Text]
		if !ok {
			id = int32(len(out.Words))
			ids[t.Text] = id
			out.Words = append(out.Words, t.Text)
		}
		out.WordIDs[i] = id
	}
	return &out
}
