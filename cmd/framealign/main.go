// Command framealign measures how far each document of a corpus speaks the language
// of a framework, and writes the evidence as Parquet tables.
package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"
)

// Version is framealign's version; it is part of what makes an output row current, so
// a new version re-analyses every document on the next run.
const Version = "0.1.0"

// buildVersion is Version plus a digest of the running executable. It is part of
// every row's analysis key: any change to framealign's code or embedded data (cues,
// gazetteers, IDF table) re-analyses the documents at the next run, even when Version
// was not bumped, while rebuilding the same source gives the same digest.
func buildVersion() string {
	path, err := os.Executable()
	if err != nil {
		return Version
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
