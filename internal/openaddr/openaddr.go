// Package openaddr lays out the open-addressing tables that the compiled data files
// (the fast engine's model, the IDF table) hold: keys in a power-of-two array at most
// half full, 0 marking an empty slot, found by linear probing from hash(key). The
// lookups stay beside their tables in each package, where they are inlined on the
// per-token path; this is the build side, shared.
package openaddr

import "slices"

// Size is the number of slots for n keys: the least power of two at least 2n (and 1).
func Size(n int) int {
	size := 1
	for size < 2*n {
		size *= 2
	}
	return size
}

// Layout places m's keys (none of them 0) and values in a table of Size(len(m))
// slots, inserting in key order so that the table comes out the same on every build.
func Layout[V any](m map[uint64]V, hash func(uint64) uint64) ([]uint64, []V) {
	keys := make([]uint64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	n := Size(len(keys))
	tk, tv := make([]uint64, n), make([]V, n)
	mask := uint64(n - 1)
	for _, k := range keys {
		i := hash(k) & mask
		for tk[i] != 0 {
			i = (i + 1) & mask
		}
		tk[i], tv[i] = k, m[k]
	}
	return tk, tv
}
