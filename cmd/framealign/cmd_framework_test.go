package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framealign/framealign/framework"
)

func runFrameworkApp(t *testing.T, args ...string) (string, error) {
	t.Helper()
	app := newApp()
	var out bytes.Buffer
	app.Writer, app.ErrWriter = &out, &out
	err := app.Run(append([]string{"framealign"}, args...))
	return out.String(), err
}

// assertHolds reports each of wants that text (a command's output, out, or a form of
// it) does not hold.
func assertHolds(t *testing.T, text, out string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestFrameworkCheckPrintsFileLineMessageAndFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fw.yaml")
	src := "name: x\ndimensions:\n  - id: a\n    group: nope\n    label: A\n    cues: [\"co*\"]\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runFrameworkApp(t, "framework", "check", path)
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != exitFailure {
		t.Fatalf("err = %v, want exit code 1", err)
	}
	assertHolds(t, out, out, path+":4: unknown group", path+":6: malformed cue")
}

func TestFrameworkShowPrintsTheDefaultThatChecksClean(t *testing.T) {
	out, err := runFrameworkApp(t, "framework", "show")
	if err != nil {
		t.Fatal(err)
	}
	fw, problems := framework.Parse([]byte(out))
	if len(problems) > 0 || fw.SHA256() != framework.Default().SHA256() {
		t.Errorf("shown framework does not parse back to the default: %+v", problems)
	}
	path := filepath.Join(t.TempDir(), "copy.yaml")
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := runFrameworkApp(t, "framework", "check", path); err != nil || !strings.Contains(out, "ok") {
		t.Errorf("check of the shown default: %v\n%s", err, out)
	}
}
