package pipeline

import (
	"runtime/debug"
	"sync"
)

// Start-up builds a few tens of megabytes of long-lived tables (the cue matcher's
// word facts, the gazetteer, punkt's parameters, the reference's annotation) in a
// few milliseconds, starting from an empty heap: the garbage collector, paced for a
// 4 MB heap, would run several times over tables that all stay (a sixth of the CPU
// of a one-document run). holdGC turns the pacing off while a run opens and while it
// reads its first gcHoldText bytes of text, with a memory limit of gcHoldLimit in its
// place: a small run (a nightly handful of new speeches) needs no collection at all.
// The release restores both settings, so a large run, and its peak memory, is paced
// as before from its first megabyte of text on. Runs at once share one hold.
const (
	gcHoldText  = 1 << 20
	gcHoldLimit = 64 << 20
)

var startGC struct {
	sync.Mutex
	holders  int
	percent  int
	limit    int64
	replaced bool
	pending  []func() // the holds of HoldGCUntilRun, ended by the next run's own
}

func holdGC() (release func()) {
	startGC.Lock()
	defer startGC.Unlock()
	if startGC.holders == 0 {
		startGC.limit = debug.SetMemoryLimit(-1) // -1 reads it
		startGC.percent = debug.SetGCPercent(-1)
		startGC.replaced = startGC.percent >= 0 // GOGC=off already: leave it be
		if startGC.replaced {
			debug.SetMemoryLimit(min(startGC.limit, gcHoldLimit))
		}
	}
	startGC.holders++
	var once sync.Once
	return func() {
		once.Do(func() {
			startGC.Lock()
			defer startGC.Unlock()
			if startGC.holders--; startGC.holders == 0 && startGC.replaced {
				debug.SetGCPercent(startGC.percent)
				debug.SetMemoryLimit(startGC.limit)
			}
		})
	}
}

// HoldGCUntilRun holds the collector off from a program's start (parsing the framework
// and reading the reference, before Run is called) until a run takes its own start-up
// hold, which ends this one; release ends it when no run comes (an error before Run).
// A command calls it first thing, so that its start-up, too, is not collected over.
func HoldGCUntilRun() (release func()) {
	release = holdGC()
	startGC.Lock()
	startGC.pending = append(startGC.pending, release)
	startGC.Unlock()
	return release
}

// releasePending ends the holds of HoldGCUntilRun, once a run holds its own.
func releasePending() {
	startGC.Lock()
	pending := startGC.pending
	startGC.pending = nil
	startGC.Unlock()
	for _, release := range pending {
		release()
	}
}
