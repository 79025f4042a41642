package output

import (
	"runtime"
	"sync"

	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go/format"
)

// zstdCodec compresses the tables' pages with one zstd encoder kept for the life of
// the process. parquet-go's own codec keeps its encoders in a pool that the garbage
// collector empties, and every new encoder allocates an 8 MiB history window: a run
// allocated ~90 MB that way. Pages are at most a few hundred KiB and each is
// compressed on its own, so a 1 MiB window loses nothing.
type zstdCodec struct{}

var sharedEncoder = sync.OnceValue(func() *zstd.Encoder {
	e, err := zstd.NewWriter(nil,
		zstd.WithEncoderLevel(zstd.SpeedFastest),
		zstd.WithEncoderConcurrency(runtime.GOMAXPROCS(0)),
		zstd.WithWindowSize(1<<20),
		zstd.WithZeroFrames(true),
		zstd.WithEncoderCRC(false),
	)
	if err != nil {
		panic(err) // only for invalid options
	}
	return e
})

var sharedDecoder = sync.OnceValue(func() *zstd.Decoder {
	d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0))
	if err != nil {
		panic(err)
	}
	return d
})

func (zstdCodec) String() string { return "ZSTD" }

func (zstdCodec) CompressionCodec() format.CompressionCodec { return format.Zstd }

// Encode is safe for concurrent use: the encoder hands each call one of its workers.
func (zstdCodec) Encode(dst, src []byte) ([]byte, error) {
	return sharedEncoder().EncodeAll(src, dst[:0]), nil
}

func (zstdCodec) Decode(dst, src []byte) ([]byte, error) {
	return sharedDecoder().DecodeAll(src, dst[:0])
}
