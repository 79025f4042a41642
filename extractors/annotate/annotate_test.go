package annotate

import (
	"context"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/framealign/framealign/framework"
)

// testProse is the prose engine every test of the package shares: one model load.
var testProse = NewProse()

func readTestdata(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestProseAnnotationSlicesBackToTheText(t *testing.T) {
	_, text := framework.DefaultReference()
	ann, err := testProse.Annotate(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	if len(ann.Tokens) < 800 || len(ann.Sentences) < 30 {
		t.Fatalf("%d tokens, %d sentences: too few for the article", len(ann.Tokens), len(ann.Sentences))
	}
	for _, tok := range ann.Tokens {
		got := text[tok.Start:tok.End]
		// prose straightens curly quotes; everything else is the text itself.
		if got != tok.Text && strings.NewReplacer("\u201c", `"`, "\u201d", `"`, "\u2019", "'", "\u2018", "'").Replace(got) != tok.Text {
			t.Errorf("token %q at [%d:%d] slices %q", tok.Text, tok.Start, tok.End, got)
		}
		s := ann.Sentences[tok.Sentence]
		if tok.Start < s.Start || tok.End > s.End {
			t.Errorf("token %q [%d:%d] outside its sentence [%d:%d]", tok.Text, tok.Start, tok.End, s.Start, s.End)
		}
	}
	for _, e := range ann.Entities {
		if text[e.Start:e.End] != e.Text && !strings.Contains(e.Text, `"`) {
			t.Errorf("entity %q slices %q", e.Text, text[e.Start:e.End])
		}
	}
}

func TestSentencesEndAtHeadingsButNotAtWrappedLines(t *testing.T) {
	_, ref := framework.DefaultReference()
	ann, err := testProse.Annotate(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	sentences := map[string]bool{}
	for i := range ann.Sentences {
		sentences[ann.SentenceText(ref, i)] = true
	}
	for _, heading := range []string{"Favorable conditions", "Practical experience"} {
		if !sentences[heading] {
			t.Errorf("heading %q is not a sentence of its own", heading)
		}
	}
	if !sentences["Smooth information communication and signal transmission mechanisms should be built."] {
		t.Error("the sentence after the heading 'Practical experience' was not split from it")
	}

	bih := readTestdata(t, "testdata/BIH_66_2011.txt")
	ann, err = testProse.Annotate(context.Background(), bih)
	if err != nil {
		t.Fatal(err)
	}
	want := "It is my great honour to \naddress the General Assembly today in my capacity as \nthe Chair of the Presidency of Bosnia and \nHerzegovina."
	if got := ann.SentenceText(bih, 0); got != want {
		t.Errorf("first sentence of a hard-wrapped speech = %q, want %q", got, want)
	}
}

func TestProseAnnotatorConcurrent(t *testing.T) {
	_, ref := framework.DefaultReference()
	bih := readTestdata(t, "testdata/BIH_66_2011.txt")
	a := NewProse()
	want := map[string]*Annotation{}
	for _, text := range []string{ref, bih} {
		ann, err := a.Annotate(context.Background(), text)
		if err != nil {
			t.Fatal(err)
		}
		want[text] = ann
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			text := ref
			if g%2 == 1 {
				text = bih
			}
			ann, err := a.Annotate(context.Background(), text)
			if err != nil {
				t.Error(err)
				return
			}
			if !reflect.DeepEqual(ann, want[text]) {
				t.Errorf("goroutine %d: a shared model gave a different annotation", g)
			}
		}(g)
	}
	wg.Wait()
}
