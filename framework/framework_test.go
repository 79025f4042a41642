package framework

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestDefaultFrameworkHasTheCodebookDimensions(t *testing.T) {
	fw := Default()
	want := map[string]string{
		"non_conflict": GroupPrinciple, "non_confrontation": GroupPrinciple, "mutual_respect": GroupPrinciple,
		"win_win": GroupPrinciple, "communication": GroupMechanism, "interest_coordination": GroupMechanism,
		"institutions": GroupMechanism, "exchanges": GroupMechanism, "crisis_management": GroupMechanism,
		"global_challenges": GroupCondition, "nuclear_deterrence": GroupCondition, "technology": GroupCondition,
		"confrontational_framing": GroupFraming, "cooperative_order": GroupFraming,
	}
	if len(fw.Dimensions) != 14 {
		t.Fatalf("%d dimensions, want 14", len(fw.Dimensions))
	}
	groups := map[string]bool{}
	for _, d := range fw.Dimensions {
		if want[d.ID] != d.Group {
			t.Errorf("dimension %s in group %q, want %q", d.ID, d.Group, want[d.ID])
		}
		if len(d.Cues) < 5 || d.Label == "" {
			t.Errorf("dimension %s: %d cues, label %q", d.ID, len(d.Cues), d.Label)
		}
		groups[d.Group] = true
	}
	if len(groups) != 4 {
		t.Errorf("groups %v, want 4", groups)
	}
	for _, h := range []string{"mechanism", "dialogue", "channel", "consultation", "commission", "treaty", "summit"} {
		if !strings.Contains(" "+strings.Join(fw.InstitutionalHeads, " ")+" ", " "+h+" ") {
			t.Errorf("institutional_heads lacks %q", h)
		}
	}
	if d := fw.Dimension("confrontational_framing"); d == nil || !d.Contrast {
		t.Errorf("confrontational_framing should be a contrast dimension")
	}
}

func TestCheckReportsEachProblemAtItsLine(t *testing.T) {
	src := `name: broken
version: "1"
colour: blue
dimensions:
  - id: a
    group: principle
    label: A
    cues: [peace]
  - id: a
    group: principle
    label: A again
    cues: [war]
  - id: b
    group: stance
    label: B
    cues:
      - good
      - ""
      - "NEAR/x(a, b)"
      - "co*"
  - id: c
    group: framing
    cues: [x]
  - id: d
    group: framing
    label: D
    cues: [y]
    weight: 2
`
	problems := Check([]byte(src))
	want := map[int]string{
		3:  "unknown key \"colour\"",
		9:  "duplicate dimension id \"a\"",
		14: "unknown group \"stance\"",
		18: "empty cue",
		19: "malformed cue",
		20: "malformed cue",
		21: "missing field: label",
		28: "unknown key \"weight\"",
	}
	got := map[int]string{}
	for _, p := range problems {
		got[p.Line] = p.Message
	}
	for line, msg := range want {
		if !strings.Contains(got[line], msg) {
			t.Errorf("line %d: got %q, want a message containing %q", line, got[line], msg)
		}
	}
	if len(problems) != len(want) {
		t.Errorf("%d problems, want %d: %+v", len(problems), len(want), problems)
	}
}

func TestCheckReportsMissingNameAndDimensionsAndBadYAML(t *testing.T) {
	if p := Check([]byte("version: 1\n")); len(p) != 2 || !strings.Contains(p[0].Message+p[1].Message, "name") {
		t.Errorf("missing name and dimensions: %+v", p)
	}
	if p := Check([]byte("name: x\ndimensions:\n  - id: [\n")); len(p) != 1 || p[0].Line < 3 {
		t.Errorf("bad YAML: %+v", p)
	}
}

func TestSHA256IsStableAndFollowsContent(t *testing.T) {
	a, b := Default(), Default()
	if a.SHA256() != b.SHA256() || len(a.SHA256()) != 64 {
		t.Fatalf("hash not stable: %s %s", a.SHA256(), b.SHA256())
	}
	// Comments and layout do not change the framework.
	reformatted, problems := Parse(append([]byte("# a comment\n"), DefaultYAML()...))
	if len(problems) > 0 || reformatted.SHA256() != a.SHA256() {
		t.Errorf("comment changed the hash")
	}
	b.Dimensions[0].Cues = append(b.Dimensions[0].Cues, "new cue")
	if a.SHA256() == b.SHA256() {
		t.Errorf("adding a cue did not change the hash")
	}
}

func TestLoadNamesTheFileAndLineOfEveryProblem(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "fw.yaml")
	if err := os.WriteFile(path, []byte("name: x\ndimensions:\n  - id: a\n    group: nope\n    label: A\n    cues: [b]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), path+":4: unknown group") {
		t.Errorf("Load error = %v", err)
	}
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, DefaultYAML(), 0o644); err != nil {
		t.Fatal(err)
	}
	fw, err := Load(good)
	if err != nil || fw.SHA256() != Default().SHA256() {
		t.Errorf("Load of the default YAML: %v", err)
	}
}

func TestParseCueSyntax(t *testing.T) {
	c, err := ParseCue(`(the) respect|uphold sovereignty ~2 integrity* -"small arms"`)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Terms) != 5 || !c.Terms[0].Optional || len(c.Terms[1].Alternatives) != 2 || c.Terms[3].Gap != 2 ||
		!c.Terms[4].Alternatives[0].Prefix || len(c.Excludes) != 1 || len(c.Excludes[0]) != 2 {
		t.Errorf("parsed %+v", c)
	}
	n, err := ParseCue("NEAR/5(dialogue, confrontation)")
	if err != nil || n.Near != 5 || len(n.Terms) != 1 || len(n.Other) != 1 {
		t.Errorf("NEAR parsed %+v, %v", n, err)
	}
	for _, bad := range []string{"", "co*", "~2 word", "word ~2", "(a)", "a||b", `x -"y`, "NEAR/3(a)", "a, b", "Cooperat*"} {
		if _, err := ParseCue(bad); err == nil {
			t.Errorf("ParseCue(%q) accepted", bad)
		}
	}
}

func TestParseCueReadingsAndConditions(t *testing.T) {
	c, err := ParseCue(`respect [each other|one another] -"small arms" @state|body`)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Variants) != 2 || len(c.Variants[0]) != 3 || c.Variants[1][2].Alternatives[0].Text != "another" ||
		c.Requires == nil || c.Requires.String() != "@state|body" || len(c.Excludes) != 1 {
		t.Errorf("parsed %+v", c)
	}
	p, err := ParseCue("Russia's|Russian war")
	if err != nil || len(p.Variants) != 2 {
		t.Fatalf("possessive alternative: %+v, %v", p, err)
	}
	if r := p.Variants[1]; len(r) != 3 || r[0].Alternatives[0].Exact != "Russia" || r[1].Alternatives[0].Text != "'s" {
		t.Errorf("Russia's reads %+v", p.Variants[1])
	}
	if c, err := ParseCue("pandemic @international"); err != nil || c.Requires.String() != "@state|body|wording" {
		t.Errorf("@international: %+v %v", c, err)
	}
	if c, err := ParseCue("pandemic @body|!domestic"); err != nil || c.Requires.String() != "@body|!domestic" {
		t.Errorf("@!domestic: %+v %v", c, err)
	}
	if c, err := ParseCue("climate @always"); err != nil || c.Requires == nil || len(c.Requires.Settings) != 0 {
		t.Errorf("@always: %+v %v", c, err)
	}
	for _, bad := range []string{"pandemic @nowhere", "pandemic@state", "@state", "a @state @body", "[each other", "[]", "a [b||c]", "(each-other)", "pandemic @!international"} {
		if _, err := ParseCue(bad); err == nil {
			t.Errorf("ParseCue(%q) accepted", bad)
		}
	}
}

func TestRequiresAndWindowAreCheckedWithTheirLines(t *testing.T) {
	src := "name: x\ndimensions:\n  - id: a\n    group: framing\n    label: A\n    requires: abroad\n    window: 9\n    cues: [\"b @elsewhere\"]\n"
	problems := Check([]byte(src))
	var got []string
	for _, p := range problems {
		got = append(got, strconv.Itoa(p.Line)+": "+p.Message)
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{"6: requires: unknown setting", "7: window must be", "8: malformed cue \"b @elsewhere\""} {
		if !strings.Contains(all, want) {
			t.Errorf("problems lack %q:\n%s", want, all)
		}
	}
	fw, problems := Parse([]byte("name: x\ndomestic_wording: [Congress]\ndimensions:\n  - id: a\n    group: framing\n    label: A\n    requires: international\n    window: 1\n    cues: [b]\n"))
	if len(problems) > 0 || fw.Dimensions[0].Requires != "state|body|wording" || fw.Dimensions[0].Window != 1 || fw.DomesticWording[0] != "Congress" || fw.Dimensions[0].CueLines[0] != 9 {
		t.Errorf("parsed %+v %+v", fw, problems)
	}
}
