package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// maxDocumentBytes is the largest --max-bytes: the matcher's token records hold
// 32-bit offsets.
const maxDocumentBytes = math.MaxInt32

// parseMaxBytes reads --max-bytes: a number of bytes, or a number with a unit (B, KB,
// MB, GB, TB, or KiB, MiB, GiB, TiB, or K, M, G, T; case and a space between do not
// matter). The units are powers of 1024, as in framealign's messages ("64 MB" is
// 67,108,864 bytes), so 64MB and 64MiB are the same size. A value framealign cannot
// take is refused with the reason.
func parseMaxBytes(s string) (int64, error) {
	t := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	num := strings.TrimRightFunc(t, func(r rune) bool { return r >= 'A' && r <= 'Z' })
	unit := t[len(num):]
	mult := map[string]float64{"": 1, "B": 1,
		"K": 1 << 10, "KB": 1 << 10, "KIB": 1 << 10,
		"M": 1 << 20, "MB": 1 << 20, "MIB": 1 << 20,
		"G": 1 << 30, "GB": 1 << 30, "GIB": 1 << 30,
		"T": 1 << 40, "TB": 1 << 40, "TIB": 1 << 40}[unit]
	n, err := strconv.ParseFloat(num, 64)
	if err != nil || mult == 0 || math.IsNaN(n) || math.IsInf(n, 0) {
		return 0, fmt.Errorf("--max-bytes %q: not a size; give a number of bytes or a size such as 64MB or 1GiB (units are powers of 1024)", s)
	}
	v := n * mult
	switch {
	case v < 1:
		return 0, fmt.Errorf("--max-bytes %s: a document must be allowed at least 1 byte", s)
	case v > float64(int64(maxDocumentBytes)+1):
		return 0, fmt.Errorf("--max-bytes %s: above 2 GB, the largest document framealign handles (its offsets into a document are 32-bit)", s)
	}
	return min(int64(v), maxDocumentBytes), nil
}
