package main

import (
	"strings"
	"testing"
)

func TestMaxBytesTakesSizesAndSaysWhyAValueIsRefused(t *testing.T) {
	for in, want := range map[string]int64{"67108864": 64 << 20, "64MB": 64 << 20, "64 MiB": 64 << 20, "64m": 64 << 20,
		"1.5KB": 1536, "1GiB": 1 << 30, "2GB": 1<<31 - 1, "512": 512, "10B": 10} {
		if got, err := parseMaxBytes(in); err != nil || got != want {
			t.Errorf("%q: %d, %v; want %d", in, got, err, want)
		}
	}
	for in, why := range map[string]string{"1TB": "above 2 GB", "3GB": "above 2 GB", "0": "at least 1 byte",
		"-5": "at least 1 byte", "lots": "not a size", "64XB": "not a size", "": "not a size"} {
		if _, err := parseMaxBytes(in); err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("%q: %v, want a reason with %q", in, err, why)
		}
	}
}
