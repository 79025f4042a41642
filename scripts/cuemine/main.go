// Command cuemine proposes candidate cues from unlabelled text, for a framework author
// to judge with `framealign concord`: it reads a corpus (leaving out the documents of
// any -skip-gold file), matches the framework, and for every word pair and triple of
// the corpus counts the sentences holding it, and among them those where the
// framework already finds a dimension through other words. A phrase that the
// framework's own cues already mark for a dimension in most of its sentences, and
// that still occurs often in sentences without that dimension, is a candidate: the
// list ranks them by those unmarked sentences. It proposes; it decides nothing.
//
//	go run ./scripts/cuemine -corpus ../shared/corpora/ungdc -skip-gold ../shared/gold/dimensions.dev.jsonl
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/extractors/cues"
	"github.com/framealign/framealign/extractors/entities"
	"github.com/framealign/framealign/framework"
	"github.com/framealign/framealign/pipeline"
)

type counts struct {
	n      int            // sentences holding the phrase
	dims   map[string]int // of them, those where a dimension is found by other words
	inside map[string]int // of them, those where the phrase is inside a match of the dimension
}

var stop = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the a an of and or to in on for with by at from as is are was were be been
	being this that these those it its their our we i you he she they his her my your us them which who whom
	whose what will would shall should can could may might must has have had do does did not no but if so than
	then there here also all any each every such into over under between among about more most other some
	only very just own same both one two new mr president general assembly united nations`) {
		stop[w] = true
	}
}

func main() {
	dir := flag.String("corpus", "", "corpus folder")
	fwPath := flag.String("framework", "", "framework YAML (default: embedded)")
	minCount := flag.Int("min", 12, "fewest sentences a phrase must occur in")
	share := flag.Float64("share", 0.5, "smallest share of its sentences the framework already marks for the dimension")
	top := flag.Int("top", 25, "candidates per dimension")
	only := flag.String("dimension", "", "only this dimension")
	shortest := flag.Int("n", 2, "fewest words in a phrase (1 to 3)")
	var skips multi
	flag.Var(&skips, "skip-gold", "leave out this gold file's documents (repeatable)")
	flag.Parse()

	fw := framework.Default()
	if *fwPath != "" {
		var err error
		if fw, err = framework.Load(*fwPath); err != nil {
			fail(err)
		}
	}
	skip, err := cues.GoldDocuments(skips...)
	if err != nil {
		fail(err)
	}
	m, err := cues.NewMatcher(fw)
	if err != nil {
		fail(err)
	}
	resolver, err := entities.NewResolver()
	if err != nil {
		fail(err)
	}
	ann, err := pipeline.NewEngine("fast")
	if err != nil {
		fail(err)
	}
	disc, err := corpus.Discover([]string{*dir}, corpus.DiscoverOptions{})
	if err != nil {
		fail(err)
	}
	var files []corpus.File
	for _, f := range disc.Files {
		if !skip[filepath.Base(f.RelPath)] {
			files = append(files, f)
		}
	}
	table := map[string]*counts{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan int)
	sentences := 0
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				_, err := corpus.Read(files[i], corpus.Options{}, func(d corpus.Document) error {
					a, err := ann.Annotate(context.Background(), d.Text)
					if err != nil {
						fmt.Fprintf(os.Stderr, "cuemine: %s: %v (left out)\n", d.ID, err)
						return nil
					}
					found, _ := m.Find(cues.Document{Text: d.Text, Annotation: a, Entities: resolver.Resolve(d.Text, a)}, false)
					type span struct {
						dim        string
						start, end int
					}
					bySent := make([][]span, len(a.Sentences))
					for _, x := range found {
						bySent[x.Sentence] = append(bySent[x.Sentence], span{x.Dimension, x.Start, x.End})
					}
					local := map[string]*counts{}
					toks := a.Tokens
					// the word tokens of each sentence, in one pass over the tokens
					words := make([][]int, len(a.Sentences))
					for t := range toks {
						if s := toks[t].Sentence; s >= 0 && s < len(words) && isWord(toks[t].Text) {
							words[s] = append(words[s], t)
						}
					}
					for s, ws := range words {
						seen := map[string]bool{}
						for k := range ws {
							for n := *shortest; n <= 3 && k+n <= len(ws); n++ {
								first, last := toks[ws[k]], toks[ws[k+n-1]]
								if stop[strings.ToLower(first.Text)] || stop[strings.ToLower(last.Text)] {
									continue
								}
								if ws[k+n-1]-ws[k] != n-1 { // punctuation inside
									continue
								}
								var parts []string
								for j := 0; j < n; j++ {
									parts = append(parts, strings.ToLower(toks[ws[k+j]].Text))
								}
								key := strings.Join(parts, " ")
								if seen[key] {
									continue
								}
								seen[key] = true
								c := local[key]
								if c == nil {
									c = &counts{dims: map[string]int{}, inside: map[string]int{}}
									local[key] = c
								}
								c.n++
								dseen := map[string]bool{}
								for _, sp := range bySent[s] {
									if dseen[sp.dim] {
										continue
									}
									in := sp.start < last.End && first.Start < sp.end
									if in {
										c.inside[sp.dim]++
										dseen[sp.dim] = true
									}
								}
								for _, sp := range bySent[s] {
									if !dseen[sp.dim] {
										dseen[sp.dim] = true
										c.dims[sp.dim]++
									}
								}
							}
						}
					}
					mu.Lock()
					sentences += len(a.Sentences)
					for k, c := range local {
						t := table[k]
						if t == nil {
							table[k] = c
							continue
						}
						t.n += c.n
						for d, v := range c.dims {
							t.dims[d] += v
						}
						for d, v := range c.inside {
							t.inside[d] += v
						}
					}
					mu.Unlock()
					return nil
				})
				if err != nil {
					fmt.Fprintf(os.Stderr, "cuemine: %s: %v (left out)\n", files[i].RelPath, err)
				}
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	fmt.Printf("%d documents, %d sentences, %d phrases\n", len(files), sentences, len(table))
	for _, d := range fw.Dimensions {
		if *only != "" && d.ID != *only {
			continue
		}
		type cand struct {
			key                 string
			n, marked, unmarked int
			share               float64
		}
		var cs []cand
		for k, c := range table {
			if c.n < *minCount || c.inside[d.ID] > c.n/5 {
				continue
			}
			// sentences where the phrase sits outside any match of d
			rest := c.n - c.inside[d.ID]
			if rest < *minCount {
				continue
			}
			sh := float64(c.dims[d.ID]) / float64(rest)
			if sh < *share {
				continue
			}
			cs = append(cs, cand{k, c.n, c.dims[d.ID], rest - c.dims[d.ID], sh})
		}
		sort.Slice(cs, func(i, j int) bool {
			if cs[i].unmarked != cs[j].unmarked {
				return cs[i].unmarked > cs[j].unmarked
			}
			return cs[i].key < cs[j].key
		})
		fmt.Printf("\n== %s\n", d.ID)
		for i, c := range cs {
			if i == *top {
				break
			}
			fmt.Printf("  %-40s n=%5d marked=%.2f unmarked=%d\n", c.key, c.n, c.share, c.unmarked)
		}
	}
}

func isWord(s string) bool {
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return true
		}
	}
	return false
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func fail(err error) {
	fmt.Fprintln(os.Stderr, "cuemine:", err)
	os.Exit(1)
}
