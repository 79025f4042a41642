package output

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/parquet-go/parquet-go"
)

// RowReader reads a table's rows in order, a batch at a time, so that a table of
// millions of rows is read in the memory of one batch. Columns of the file that T
// lacks are not read.
type RowReader[T any] struct {
	path string
	f    *os.File
	r    *parquet.GenericReader[T]
	buf  []T
	i, n int
	done bool
	err  error
}

// OpenRowReader opens the table at path for reading in order.
func OpenRowReader[T any](path string) (*RowReader[T], error) {
	f, pf, err := openParquet(path)
	if err != nil {
		return nil, err
	}
	return &RowReader[T]{path: path, f: f, r: parquet.NewGenericReader[T](pf, parquet.SchemaOf(new(T))), buf: make([]T, 1024)}, nil
}

// Next returns the next row, or false at the end of the table or on an error (see Err).
func (r *RowReader[T]) Next() (T, bool) {
	var zero T
	if r.i == r.n {
		if r.done || r.err != nil {
			return zero, false
		}
		clear(r.buf)
		n, err := r.r.Read(r.buf)
		r.i, r.n = 0, n
		if errors.Is(err, io.EOF) {
			r.done = true
		} else if err != nil {
			r.err = fmt.Errorf("read %s: %w", r.path, err)
		}
		if n == 0 {
			return zero, false
		}
	}
	row := r.buf[r.i]
	r.i++
	return row, true
}

// Err is the error that ended Next, or nil.
func (r *RowReader[T]) Err() error { return r.err }

// Close closes the table's file.
func (r *RowReader[T]) Close() error {
	r.r.Close()
	return r.f.Close()
}
