package entities

import (
	"context"
	"os"
	"testing"

	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/internal/testannotate"
)

// BenchmarkResolve measures the cleaning step on one real speech, to compare with
// BenchmarkProseAnnotate: Resolve runs once per document beside prose.
func BenchmarkResolve(b *testing.B) {
	text, ann := benchSpeech(b)
	res, err := NewResolver()
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res.Resolve(text, ann)
	}
}

// BenchmarkProseAnnotate is the cost Resolve sits beside.
func BenchmarkProseAnnotate(b *testing.B) {
	text, _ := benchSpeech(b)
	a := testannotate.Engine()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := a.Annotate(context.Background(), text); err != nil {
			b.Fatal(err)
		}
	}
}

func benchSpeech(b *testing.B) (string, *annotate.Annotation) {
	raw, err := os.ReadFile("testdata/RUS_79_2024.txt")
	if err != nil {
		b.Fatal(err)
	}
	ann, err := testannotate.Annotate(string(raw))
	if err != nil {
		b.Fatal(err)
	}
	return string(raw), ann
}
