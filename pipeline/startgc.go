package pipeline

import (
	"runtime/debug"
	"sync"
)

// Start-up builds a few tens of megabytes of long-lived tables (the cue matcher's
// word facts, the gazetteer, punkt's parameters, the reference's annotation) in a
// few milliseconds, starting from an empty heap: the garbage collector, paced for a
// 4 MB heap, would run several times over tables that all stay (16% of the CPU of a
// one-document run). holdGC lets the heap grow startGCPercent% between collections
// while a run opens; the release restores the setting, so the run itself (and its
// peak memory) is paced as before. Runs opening at once share one hold.
const startGCPercent = 400

var startGC struct {
	sync.Mutex
	holders int
	old     int
}

func holdGC() (release func()) {
	startGC.Lock()
	defer startGC.Unlock()
	if startGC.holders == 0 {
		startGC.old = debug.SetGCPercent(startGCPercent)
		if startGC.old < 0 || startGC.old >= startGCPercent {
			debug.SetGCPercent(startGC.old) // GOGC=off or already higher: leave it
		}
	}
	startGC.holders++
	var once sync.Once
	return func() {
		once.Do(func() {
			startGC.Lock()
			defer startGC.Unlock()
			if startGC.holders--; startGC.holders == 0 {
				debug.SetGCPercent(startGC.old)
			}
		})
	}
}
