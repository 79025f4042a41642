package corpus

import (
	"path/filepath"
	"testing"
)

// BenchmarkRead measures the read-and-decode stage on real speeches (UTF-8 and UTF-8
// with a byte order mark).
func BenchmarkRead(b *testing.B) {
	d, err := Discover([]string{filepath.Join("testdata", "ungdc")}, DiscoverOptions{})
	if err != nil || len(d.Files) == 0 {
		b.Fatalf("no test speeches: %v", err)
	}
	var bytes int64
	for _, f := range d.Files {
		bytes += f.Size
	}
	b.SetBytes(bytes)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, f := range d.Files {
			if _, err := Read(f, Options{}, func(Document) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
	}
}
