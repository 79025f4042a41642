package words

// Shapes answers "may this string be a key of that map?" without hashing: it
// records, for each pair of first and last letters, the lengths of the keys. A string
// whose shape no key has is certainly not a key, so the map lookup, which costs more
// on the words of every document, is skipped. It never rejects a key.
type Shapes struct {
	bits  [27][27]uint64
	empty bool
}

func shapeIndex(c byte) int {
	if c >= 'a' && c <= 'z' {
		return int(c - 'a')
	}
	return 26 // anything else: capitals, digits, punctuation, UTF-8 bytes
}

func shapeBit(n int) uint64 { return 1 << min(n, 63) }

// Add records the shape of s.
func (k *Shapes) Add(s string) {
	if s == "" {
		k.empty = true
		return
	}
	k.bits[shapeIndex(s[0])][shapeIndex(s[len(s)-1])] |= shapeBit(len(s))
}

// MayHave reports whether s has the shape of a key.
func (k *Shapes) MayHave(s string) bool {
	if s == "" {
		return k.empty
	}
	return k.bits[shapeIndex(s[0])][shapeIndex(s[len(s)-1])]&shapeBit(len(s)) != 0
}

// ShapesOf returns the shapes of a map's keys.
func ShapesOf[V any](m map[string]V) *Shapes {
	k := &Shapes{}
	for s := range m {
		k.Add(s)
	}
	return k
}
