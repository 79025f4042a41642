package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/extractors/cues"
	"github.com/framealign/framealign/framework"
)

// frameworkOptions are the settings of `framealign framework show|check`.
type frameworkOptions struct {
	File   string // show: --framework (default: the embedded one); check: the FILE argument
	Engine string // check: the engine that reads the cues' words
}

// frameworkCommand is `framealign framework`: show a framework's YAML, check a file.
func frameworkCommand() *cli.Command {
	var show, check frameworkOptions
	return &cli.Command{
		Name:  "framework",
		Usage: "show or check a framework file",
		Subcommands: []*cli.Command{
			{
				Name:      "show",
				Usage:     "print the default framework (or --framework FILE) as YAML, ready to copy and edit",
				ArgsUsage: " ",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "framework", Destination: &show.File, Usage: "framework YAML `FILE` to show instead of the default"},
				},
				Action: func(c *cli.Context) error { return runFrameworkShow(show, c.App.Writer) },
			},
			{
				Name:      "check",
				Usage:     "report every problem of a framework file as FILE:LINE: message (exit 1 if any), and warn about cues that can never match as written",
				ArgsUsage: "FILE",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "engine", Destination: &check.Engine, Value: defaultEngine, Usage: "annotation engine that reads the cues' words: " + strings.Join(engineNames(), ", ")},
				},
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return &exitError{code: exitFailure, err: fmt.Errorf("framework check takes one FILE")}
					}
					check.File = c.Args().First()
					return runFrameworkCheck(check, c.App.Writer)
				},
			},
		},
	}
}

// runFrameworkShow prints the framework's YAML: the embedded one, or o.File's.
func runFrameworkShow(o frameworkOptions, stdout io.Writer) error {
	data := framework.DefaultYAML()
	if path := o.File; path != "" {
		text, err := corpus.ReadText(path, corpus.Options{})
		if err != nil {
			return fmt.Errorf("framework %s: %w", path, err)
		}
		data = []byte(text)
	}
	_, err := stdout.Write(data)
	return err
}

// runFrameworkCheck prints o.File's problems (exit 1 if any), then the warnings about
// cues that can never match as written.
func runFrameworkCheck(o frameworkOptions, stdout io.Writer) error {
	path := o.File
	text, err := corpus.ReadText(path, corpus.Options{})
	if err != nil {
		return fmt.Errorf("framework %s: %w", path, err)
	}
	fw, problems := framework.Parse([]byte(text))
	for _, p := range problems {
		fmt.Fprintf(stdout, "%s:%d: %s\n", path, p.Line, p.Message)
	}
	if len(problems) > 0 {
		return &exitError{code: exitFailure, err: fmt.Errorf("%s: %d problem(s)", path, len(problems))}
	}
	// Cues that parse but can never match as written: warnings, the file stays usable.
	ann, err := newEngine(o.Engine)
	if err != nil {
		return err
	}
	warnings, err := cues.Lint(context.Background(), fw, ann)
	if err != nil {
		return err
	}
	for _, p := range warnings {
		fmt.Fprintf(stdout, "%s:%d: %s\n", path, p.Line, p.Message)
	}
	if len(warnings) > 0 {
		fmt.Fprintf(stdout, "%s: ok, %d warning(s)\n", path, len(warnings))
		return nil
	}
	fmt.Fprintf(stdout, "%s: ok\n", path)
	return nil
}
