// Command framealign measures how far each document of a corpus speaks the language
// of a framework, and writes the evidence as Parquet tables.
package main

import (
	"crypto/sha256"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"
)

// Version is framealign's version; it is part of what makes an output row current, so
// a new version re-analyses every document on the next run.
const Version = "0.1.0"

// buildVersion is Version plus a digest of the running executable's Go build ID (or,
// where the executable has none, of the executable itself). It is part of
// every row's analysis key: any change to framealign's code or embedded data (cues,
// gazetteers, IDF table) re-analyses the documents at the next run, even when Version
// was not bumped, while rebuilding the same source gives the same digest.
func buildVersion() string {
	path, err := os.Executable()
	if err != nil {
		return Version
	}
	// The Go build ID in the executable's ELF note is itself a content hash of the
	// build: reading it costs a millisecond, where hashing the 30 MB binary would
	// cost tens on every run.
	if id := goBuildID(path); id != "" {
		return fmt.Sprintf("%s+%x", Version, sha256.Sum256([]byte(id)))[:len(Version)+13]
	}
	f, err := os.Open(path)
	if err != nil {
		return Version
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return Version
	}
	return fmt.Sprintf("%s+%x", Version, h.Sum(nil)[:6])
}

// goBuildID reads the Go build ID note of an ELF executable, or returns "".
func goBuildID(path string) string {
	f, err := elf.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sec := f.Section(".note.go.buildid")
	if sec == nil {
		return ""
	}
	data, err := sec.Data()
	// The note: name size, description size, type, the name "Go\x00\x00", the ID.
	if err != nil || len(data) < 16 || string(data[12:16]) != "Go\x00\x00" {
		return ""
	}
	n := int(f.ByteOrder.Uint32(data[4:8]))
	if n <= 0 || 16+n > len(data) {
		return ""
	}
	return string(data[16 : 16+n])
}

// Exit codes, documented in the README.
const (
	exitOK          = 0
	exitFailure     = 1   // the run could not be done (bad arguments, unreadable framework, disk full)
	exitStrict      = 3   // --strict and at least one document failed
	exitLocked      = 4   // another run holds the output folder
	exitInterrupted = 130 // SIGINT or SIGTERM
)

// exitError carries an exit code up to main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func newApp() *cli.App {
	return &cli.App{
		Name:    "framealign",
		Usage:   "measure how far documents speak the language of a framework",
		Version: Version,
		Commands: []*cli.Command{
			runCommand(),
			frameworkCommand(),
			evalCommand(),
			concordCommand(),
			reportCommand(),
			inspectCommand(),
		},
	}
}

func main() {
	app := newApp()
	err := app.Run(interspersed(app.Commands, os.Args))
	if err == nil {
		return
	}
	fmt.Fprintln(os.Stderr, "framealign:", err)
	var ee *exitError
	if errors.As(err, &ee) {
		os.Exit(ee.code)
	}
	os.Exit(exitFailure)
}
