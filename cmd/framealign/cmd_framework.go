package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/framealign/framealign/corpus"
	"github.com/framealign/framealign/extractors/cues"
	"github.com/framealign/framealign/framework"
)

// frameworkCommand is `framealign framework`: show a framework's YAML, check a file.
func frameworkCommand() *cli.Command {
	return &cli.Command{
		Name:  "framework",
		Usage: "show or check a framework file",
		Subcommands: []*cli.Command{
			{
				Name:      "show",
				Usage:     "print the default framework (or --framework FILE) as YAML, ready to copy and edit",
				ArgsUsage: " ",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "framework", Usage: "framework YAML `FILE` to show instead of the default"},
				},
				Action: frameworkShowAction,
			},
			{
				Name:      "check",
				Usage:     "report every problem of a framework file as FILE:LINE: message (exit 1 if any), and warn about cues that can never match as written",
				ArgsUsage: "FILE",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "engine", Value: defaultEngine, Usage: "annotation engine that reads the cues' words: " + strings.Join(engineNames(), ", ")},
				},
				Action: frameworkCheckAction,
			},
		},
	}
}

func frameworkShowAction(c *cli.Context) error {
	data := framework.DefaultYAML()
	if path := c.String("framework"); path != "" {
		text, err := corpus.ReadText(path, corpus.Options{})
		if err != nil {
			return fmt.Errorf("framework %s: %w", path, err)
		}
		data = []byte(text)
	}
	_, err := c.App.Writer.Write(data)
	return err
}

func frameworkCheckAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return &exitError{code: exitFailure, err: fmt.Errorf("framework check takes one FILE")}
	}
	path := c.Args().First()
	text, err := corpus.ReadText(path, corpus.Options{})
	if err != nil {
		return fmt.Errorf("framework %s: %w", path, err)
	}
	fw, problems := framework.Parse([]byte(text))
	for _, p := range problems {
		fmt.Fprintf(c.App.Writer, "%s:%d: %s\n", path, p.Line, p.Message)
	}
	if len(problems) > 0 {
		return &exitError{code: exitFailure, err: fmt.Errorf("%s: %d problem(s)", path, len(problems))}
	}
	// Cues that parse but can never match as written: warnings, the file stays usable.
	ann, err := newEngine(c.String("engine"))
	if err != nil {
		return err
	}
	warnings, err := cues.Lint(context.Background(), fw, ann)
	if err != nil {
		return err
	}
	for _, p := range warnings {
		fmt.Fprintf(c.App.Writer, "%s:%d: %s\n", path, p.Line, p.Message)
	}
	if len(warnings) > 0 {
		fmt.Fprintf(c.App.Writer, "%s: ok, %d warning(s)\n", path, len(warnings))
		return nil
	}
	fmt.Fprintf(c.App.Writer, "%s: ok\n", path)
	return nil
}
