// Package duckdbtest checks that examples/questions.sql answers its three questions on
// real framealign output, through DuckDB. It is a module of its own so that DuckDB (cgo,
// a large prebuilt library) never enters framealign's own build.
package duckdbtest
