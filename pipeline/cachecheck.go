package pipeline

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// checkBoltFile walks the structure of the bbolt file at path before bbolt maps it,
// reading it with ReadAt so that a truncated file cannot fault: the meta pages (magic,
// version, checksum), and from the meta's root every page of the tree: within the
// file and below the high-water mark, of a known kind, with the id it is stored
// under, with elements inside the page, reached once (a garbled branch that points
// back up would send bbolt round in circles until its stack or memory runs out,
// faults no recover can catch), and the freelist's size inside its pages. It returns
// nil for a sound file and for an empty one (bbolt initialises it), and the first
// problem found otherwise. Keys and values are not read: a garbled value fails its
// zstd checksum and counts as a miss.
func checkBoltFile(path string) error {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() == 0 {
		return nil
	}
	c := &boltChecker{f: f, size: fi.Size(), seen: map[uint64]bool{}}
	return c.check()
}

// Layout of bbolt's file format (version 2), native byte order.
const (
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	boltHeader       = 16 // page header: id u64, flags u16, count u16, overflow u32
	boltElement      = 16 // branch element: pos, ksize u32, pgid u64; leaf: flags, pos, ksize, vsize u32
	boltBranch       = 0x01
	boltLeaf         = 0x02
	boltMetaFlag     = 0x04
	boltFreelist     = 0x10
	boltBucketLeaf   = 0x01
	boltNoFreelist   = ^uint64(0)
	boltMetaChecksum = 56 // the meta's checksum covers its first 56 bytes
	boltMaxDepth     = 64
)

type boltMeta struct {
	pageSize                   uint32
	root, freelist, pgid, txid uint64
}

type boltChecker struct {
	f        *os.File
	size     int64
	pageSize int64
	hwm      uint64 // pages below the high-water mark
	seen     map[uint64]bool
}

func (c *boltChecker) check() error {
	m, err := c.meta()
	if err != nil {
		return err
	}
	c.pageSize, c.hwm = int64(m.pageSize), m.pgid
	if need := int64(m.pgid) * c.pageSize; need > c.size {
		return fmt.Errorf("the file is %d bytes, its pages need %d (truncated)", c.size, need)
	}
	c.seen[0], c.seen[1] = true, true
	if m.freelist != boltNoFreelist {
		if err := c.checkFreelist(m.freelist); err != nil {
			return err
		}
	}
	return c.walk(m.root, 0)
}

// meta returns the meta page bbolt would use: the valid one with the higher txid.
func (c *boltChecker) meta() (boltMeta, error) {
	var best boltMeta
	found := false
	try := func(off int64) {
		buf := make([]byte, boltHeader+boltMetaChecksum+8)
		if _, err := c.f.ReadAt(buf, off); err != nil {
			return
		}
		m, ok := parseBoltMeta(buf)
		if ok && (!found || m.txid > best.txid) {
			best, found = m, true
		}
	}
	try(0)
	if found {
		try(int64(best.pageSize))
	} else {
		for ps := int64(1024); ps <= 65536; ps *= 2 {
			try(ps)
		}
	}
	if !found {
		return best, fmt.Errorf("not a bbolt file, or both meta pages are damaged")
	}
	if best.pageSize < 512 || best.pageSize > 1<<20 || best.pageSize&(best.pageSize-1) != 0 {
		return best, fmt.Errorf("page size %d", best.pageSize)
	}
	if best.root < 2 || best.root >= best.pgid {
		return best, fmt.Errorf("root page %d outside the file's %d pages", best.root, best.pgid)
	}
	return best, nil
}

func parseBoltMeta(buf []byte) (boltMeta, bool) {
	ne := binary.NativeEndian
	if ne.Uint16(buf[8:]) != boltMetaFlag {
		return boltMeta{}, false
	}
	b := buf[boltHeader:]
	if ne.Uint32(b[0:]) != boltMagic || ne.Uint32(b[4:]) != boltVersion {
		return boltMeta{}, false
	}
	h := fnv.New64a()
	h.Write(b[:boltMetaChecksum])
	if h.Sum64() != ne.Uint64(b[boltMetaChecksum:]) {
		return boltMeta{}, false
	}
	return boltMeta{pageSize: ne.Uint32(b[8:]), root: ne.Uint64(b[16:]), freelist: ne.Uint64(b[32:]),
		pgid: ne.Uint64(b[40:]), txid: ne.Uint64(b[48:])}, true
}

// page reads page id whole (with its overflow pages), after checking that it lies in
// the file, has not been reached before, and is stored under its own id.
func (c *boltChecker) page(id uint64) ([]byte, error) {
	if id < 2 || id >= c.hwm {
		return nil, fmt.Errorf("page %d outside the file's %d pages", id, c.hwm)
	}
	if c.seen[id] {
		return nil, fmt.Errorf("page %d reached twice (a loop in the tree)", id)
	}
	c.seen[id] = true
	head := make([]byte, boltHeader)
	if _, err := c.f.ReadAt(head, int64(id)*c.pageSize); err != nil {
		return nil, fmt.Errorf("page %d: %v", id, err)
	}
	ne := binary.NativeEndian
	if got := ne.Uint64(head); got != id {
		return nil, fmt.Errorf("page %d holds the header of page %d", id, got)
	}
	overflow := uint64(ne.Uint32(head[12:]))
	if id+overflow >= c.hwm {
		return nil, fmt.Errorf("page %d runs past the end of the file", id)
	}
	for i := uint64(1); i <= overflow; i++ {
		c.seen[id+i] = true
	}
	buf := make([]byte, int64(overflow+1)*c.pageSize)
	if _, err := c.f.ReadAt(buf, int64(id)*c.pageSize); err != nil && err != io.EOF {
		return nil, fmt.Errorf("page %d: %v", id, err)
	}
	return buf, nil
}

func (c *boltChecker) checkFreelist(id uint64) error {
	p, err := c.page(id)
	if err != nil {
		return fmt.Errorf("freelist: %w", err)
	}
	ne := binary.NativeEndian
	if ne.Uint16(p[8:]) != boltFreelist {
		return fmt.Errorf("freelist page %d is not a freelist", id)
	}
	count := uint64(ne.Uint16(p[10:]))
	first := uint64(0)
	if count == 0xFFFF {
		count, first = ne.Uint64(p[boltHeader:]), 1
	}
	if (first+count)*8 > uint64(len(p)-boltHeader) {
		return fmt.Errorf("freelist page %d claims %d entries", id, count)
	}
	return nil
}

// walk checks the tree below page id.
func (c *boltChecker) walk(id uint64, depth int) error {
	if depth > boltMaxDepth {
		return fmt.Errorf("tree deeper than %d levels", boltMaxDepth)
	}
	p, err := c.page(id)
	if err != nil {
		return err
	}
	return c.node(p, id, depth)
}

// node checks one branch or leaf page held in p (a page of the file, or an inline
// bucket's page).
func (c *boltChecker) node(p []byte, id uint64, depth int) error {
	ne := binary.NativeEndian
	if len(p) < boltHeader {
		return fmt.Errorf("page %d is cut short", id)
	}
	flags, count := ne.Uint16(p[8:]), int(ne.Uint16(p[10:]))
	if boltHeader+count*boltElement > len(p) {
		return fmt.Errorf("page %d: %d elements do not fit", id, count)
	}
	for i := 0; i < count; i++ {
		at := boltHeader + i*boltElement
		e := p[at : at+boltElement]
		switch flags {
		case boltBranch:
			pos, ksize := int(ne.Uint32(e[0:])), int(ne.Uint32(e[4:]))
			if at+pos+ksize > len(p) || pos < 0 {
				return fmt.Errorf("page %d: element %d outside the page", id, i)
			}
			if err := c.walk(ne.Uint64(e[8:]), depth+1); err != nil {
				return err
			}
		case boltLeaf:
			eflags, pos, ksize, vsize := ne.Uint32(e[0:]), int64(ne.Uint32(e[4:])), int64(ne.Uint32(e[8:])), int64(ne.Uint32(e[12:]))
			start := int64(at) + pos + ksize
			if start+vsize > int64(len(p)) {
				return fmt.Errorf("page %d: element %d outside the page", id, i)
			}
			if eflags&boltBucketLeaf == 0 {
				continue
			}
			v := p[start : start+vsize]
			if len(v) < 16 {
				return fmt.Errorf("page %d: bucket %d has a short header", id, i)
			}
			if root := ne.Uint64(v); root != 0 {
				if err := c.walk(root, depth+1); err != nil {
					return err
				}
			} else if err := c.node(v[16:], id, depth+1); err != nil { // an inline bucket
				return err
			}
		default:
			return fmt.Errorf("page %d has an unknown kind (flags %#x)", id, flags)
		}
	}
	if flags != boltBranch && flags != boltLeaf {
		return fmt.Errorf("page %d has an unknown kind (flags %#x)", id, flags)
	}
	if flags == boltBranch && count == 0 {
		return fmt.Errorf("branch page %d is empty", id)
	}
	return nil
}
