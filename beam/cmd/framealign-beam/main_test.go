package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestIsWorker(t *testing.T) {
	for args, want := range map[string]bool{
		"--worker=true --id=1 --control_endpoint=localhost:1": true,
		"-worker --semi_persist_dir=/tmp":                     true,
		"--out /tmp/x corpus":                                 false,
		"--runner=universal --endpoint=localhost:8099 corpus": false,
	} {
		if got := isWorker(strings.Fields(args)); got != want {
			t.Errorf("isWorker(%s) = %v", args, got)
		}
	}
}

// TestHelpListsRunnerOptions: --help lists framealign run's settings and the
// runners' usual options (Beam's flags), not the flags only workers get.
func TestHelpListsRunnerOptions(t *testing.T) {
	app := newApp()
	var out bytes.Buffer
	app.Writer, app.ErrWriter = &out, &out
	if err := app.Run([]string{"framealign-beam", "--help"}); err != nil {
		t.Fatal(err)
	}
	help := out.String()
	for _, want := range []string{"--out", "--meta-pattern", "--framework", "--reference", "--parallel",
		"--runner", "--endpoint", "--environment_type", "--job_name", "--worker_binary",
		"--project", "--region", "--temp_location", "--num_workers", "--max_num_workers"} {
		if !strings.Contains(help, want+" ") && !strings.Contains(help, want+"=") && !strings.Contains(help, want+",") {
			t.Errorf("--help does not list %s", want)
		}
	}
	for _, hidden := range []string{"--control_endpoint", "--semi_persist_dir"} {
		if strings.Contains(help, hidden) {
			t.Errorf("--help lists the worker-only %s", hidden)
		}
	}
}
