// Package jsonl reads small JSON-lines files whole into typed values: the gold sets
// that evaluations compare with (labelled sentences, labelled entity paragraphs).
// Corpus JSONL files, which may be of any size and hold bad lines a run must survive,
// are read by corpus's own streaming reader instead.
package jsonl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// maxLine is the longest line Read takes: gold lines are sentences and paragraphs.
const maxLine = 16 << 20

// Read decodes every non-blank line of r as one T. An error names the line.
func Read[T any](r io.Reader) ([]T, error) {
	var out []T
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("after line %d: %w", line, err)
	}
	return out, nil
}
