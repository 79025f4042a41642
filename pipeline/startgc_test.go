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
