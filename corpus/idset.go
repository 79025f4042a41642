package corpus

import "hash/maphash"

// IDSet remembers ids, and a number for each, in about 40 bytes an id whatever its
// length: it keeps a 128-bit hash of each id (two 64-bit seeded hashes), not the id.
// Two different ids share a hash with a probability near 2^-128 per pair, which no
// corpus approaches. It serves the duplicate checks, which must remember every id of
// a file or run of a million records.
type IDSet struct {
	seeds [2]maphash.Seed
	m     map[[2]uint64]int32
}

// NewIDSet returns an empty set.
func NewIDSet() *IDSet {
	return &IDSet{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, m: map[[2]uint64]int32{}}
}

func (s *IDSet) key(id string) [2]uint64 {
	return [2]uint64{maphash.String(s.seeds[0], id), maphash.String(s.seeds[1], id)}
}

// Add records id with n, unless id is in the set: then it returns the number it was
// added with and false.
func (s *IDSet) Add(id string, n int) (first int, added bool) {
	k := s.key(id)
	if f, ok := s.m[k]; ok {
		return int(f), false
	}
	s.m[k] = int32(n)
	return n, true
}

// Get returns the number id was added with, and whether it was.
func (s *IDSet) Get(id string) (int, bool) {
	n, ok := s.m[s.key(id)]
	return int(n), ok
}

// Len is the number of ids in the set.
func (s *IDSet) Len() int { return len(s.m) }
