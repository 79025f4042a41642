package openaddr

import "testing"

// TestLayoutFindsEveryKeyByProbing: every key is found by linear probing from its
// hash, with its value, the table is at most half full, and the layout does not
// depend on the map's iteration order.
func TestLayoutFindsEveryKeyByProbing(t *testing.T) {
	m := map[uint64]int32{}
	for k := uint64(1); k <= 1000; k++ {
		m[k*2654435761] = int32(k)
	}
	hash := func(k uint64) uint64 { return k ^ k>>29 }
	keys, vals := Layout(m, hash)
	if len(keys) != 2048 || len(vals) != 2048 {
		t.Fatalf("%d slots, want 2048 for 1000 keys", len(keys))
	}
	mask := uint64(len(keys) - 1)
	for k, v := range m {
		i := hash(k) & mask
		for keys[i] != k {
			if keys[i] == 0 {
				t.Fatalf("key %d not found", k)
			}
			i = (i + 1) & mask
		}
		if vals[i] != v {
			t.Fatalf("key %d holds %d, want %d", k, vals[i], v)
		}
	}
	again, _ := Layout(m, hash)
	for i := range keys {
		if again[i] != keys[i] {
			t.Fatal("two layouts of the same keys differ")
		}
	}
	if Size(0) != 1 || Size(1) != 2 || Size(3) != 8 {
		t.Errorf("Size(0, 1, 3) = %d, %d, %d; want 1, 2, 8", Size(0), Size(1), Size(3))
	}
}
