package output

import (
	"fmt"
	"testing"
)

// BenchmarkWriteMatches measures the write stage: matches rows (the widest table,
// with a sentence per row) written zstd-compressed.
func BenchmarkWriteMatches(b *testing.B) {
	rows := make([]Match, 1000)
	for i := range rows {
		rows[i] = Match{DocID: fmt.Sprintf("Session 70 - 2015/X%03d_70_2015.txt", i/50), Dimension: "win_win", Cue: "win-win",
			SentenceIndex: int64(i), CharStart: int64(i * 100), CharEnd: int64(i*100 + 7), Text: "win-win",
			Sentence: "We should build a new type of international relations featuring win-win cooperation.", Actors: []string{"CHN"}}
	}
	dir := b.TempDir()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		t, err := CreateTable[Match](dir, MatchesTable, "bench")
		if err != nil {
			b.Fatal(err)
		}
		for j := 0; j < 10; j++ {
			if err := t.Write(rows...); err != nil {
				b.Fatal(err)
			}
		}
		if err := t.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(10*len(rows)), "rows/op")
}
