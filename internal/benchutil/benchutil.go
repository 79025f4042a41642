// Package benchutil holds what the measuring scripts (scripts/benchmark, rerunbench,
// startbench) share: the list of speeches they run on, the child processes they time
// and prose's baseline. It is for those programs only, not for framealign itself.
package benchutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jdkato/prose/v2"
)

// Speeches lists a corpus folder's speeches: its .txt files without hidden files and
// macOS AppleDouble debris (._*), sorted.
func Speeches(dir string) []string {
	var files []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && strings.HasSuffix(p, ".txt") && !strings.HasPrefix(info.Name(), ".") {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return files
}

// Run runs c with its output on standard error.
func Run(c *exec.Cmd) error {
	c.Stdout, c.Stderr = os.Stderr, os.Stderr
	return c.Run()
}

// MaxRSS is the peak resident memory of c's finished process, in MB.
func MaxRSS(c *exec.Cmd) float64 {
	if ru, ok := c.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return float64(ru.Maxrss) / 1024 // kilobytes on Linux
	}
	return 0
}

// Prose runs prose.NewDocument with opts over files on workers goroutines, and
// returns the tokens it found and the seconds it took (loading a model given in opts
// is not timed: the caller has done it).
func Prose(files []string, workers int, opts ...prose.DocOpt) (tokens int64, seconds float64, err error) {
	var n atomic.Int64
	var firstErr error
	var mu sync.Mutex
	work := make(chan string)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range work {
				b, err := os.ReadFile(f)
				if err == nil {
					var doc *prose.Document
					if doc, err = prose.NewDocument(string(b), opts...); err == nil {
						n.Add(int64(len(doc.Tokens())))
						continue
					}
				}
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}()
	}
	for _, f := range files {
		work <- f
	}
	close(work)
	wg.Wait()
	return n.Load(), time.Since(start).Seconds(), firstErr
}
