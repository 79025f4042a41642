package pipeline

import (
	"runtime/debug"
	"testing"
)

// TestHoldGCRestores: holds nest, and the last release gives back the settings there
// were before the first hold.
func TestHoldGCRestores(t *testing.T) {
	percent := debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	limit := debug.SetMemoryLimit(-1)
	a := holdGC()
	b := holdGC()
	if got := debug.SetGCPercent(-1); got != -1 && percent >= 0 {
		t.Errorf("held: GC percent %d, want -1 (off)", got)
	}
	if got := debug.SetMemoryLimit(-1); percent >= 0 && got > gcHoldLimit {
		t.Errorf("held: memory limit %d, want at most %d", got, gcHoldLimit)
	}
	a()
	a() // a second call of one release does nothing
	if got := debug.SetGCPercent(-1); got != -1 && percent >= 0 {
		t.Errorf("one hold left: GC percent %d, want -1", got)
	}
	b()
	if got := debug.SetGCPercent(percent); got != percent {
		t.Errorf("released: GC percent %d, want %d", got, percent)
	}
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("released: memory limit %d, want %d", got, limit)
	}
}

// TestHoldGCUntilRunEndsWithTheRunsOwnHold: a command's hold from its start lasts
// until a run takes its own hold, and the run's release then gives back the settings;
// a hold no run took over is ended by its own release.
func TestHoldGCUntilRunEndsWithTheRunsOwnHold(t *testing.T) {
	percent := debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	if percent < 0 {
		t.Skip("GOGC=off: nothing to restore")
	}
	cmd := HoldGCUntilRun()
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Errorf("command's hold: GC percent %d, want -1 (off)", got)
	}
	run := holdGC()
	releasePending()
	run()
	if got := debug.SetGCPercent(percent); got != percent {
		t.Errorf("after the run's release: GC percent %d, want %d (the command's hold must have ended)", got, percent)
	}
	cmd() // already ended: nothing changes
	if got := debug.SetGCPercent(percent); got != percent {
		t.Errorf("after a second release: GC percent %d, want %d", got, percent)
	}

	alone := HoldGCUntilRun()
	alone()
	if got := debug.SetGCPercent(percent); got != percent {
		t.Errorf("a hold no run took over, released: GC percent %d, want %d", got, percent)
	}
	releasePending() // the released hold is still listed: ending it again is harmless
	if got := debug.SetGCPercent(percent); got != percent {
		t.Errorf("GC percent %d, want %d", got, percent)
	}
}
