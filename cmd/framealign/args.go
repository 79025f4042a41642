package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// interspersed rewrites args so that a subcommand's flags may follow its positional
// arguments (`framealign run CORPUS --out DIR`, as users type it): urfave/cli v2 stops
// reading flags at the first positional argument, so flags found after one are moved
// in front of them. Everything after a bare "--" stays as it is.
func interspersed(cmds []*cli.Command, args []string) []string {
	if len(args) < 2 {
		return args
	}
	out := []string{args[0]}
	rest := args[1:]
	// Walk down the command path (e.g. "framework check").
	for len(rest) > 0 {
		var found *cli.Command
		for _, c := range cmds {
			if c.HasName(rest[0]) {
				found = c
			}
		}
		if found == nil {
			break
		}
		out = append(out, rest[0])
		rest = rest[1:]
		if len(found.Subcommands) == 0 {
			return append(out, reorder(found.Flags, rest)...)
		}
		cmds = found.Subcommands
	}
	return append(out, rest...)
}

func reorder(flags []cli.Flag, args []string) []string {
	takesValue := map[string]bool{}
	for _, f := range flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			takesValue[n] = !isBool
		}
	}
	var flagArgs, positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i:]...)
			break
		}
		if len(a) > 1 && a[0] == '-' {
			flagArgs = append(flagArgs, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && takesValue[name] && i+1 < len(args) {
				flagArgs = append(flagArgs, args[i+1])
				i++
			}
			continue
		}
		positional = append(positional, a)
	}
	return append(flagArgs, positional...)
}
