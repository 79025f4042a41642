package jsonl

import (
	"strings"
	"testing"
)

func TestReadDecodesEveryLineAndNamesABadOne(t *testing.T) {
	type sentence struct {
		Text   string   `json:"text"`
		Labels []string `json:"labels"`
	}
	got, err := Read[sentence](strings.NewReader("{\"text\":\"a\",\"labels\":[\"win_win\"]}\n\n  \n{\"text\":\"b\"}\n"))
	if err != nil || len(got) != 2 || got[0].Labels[0] != "win_win" || got[1].Text != "b" {
		t.Fatalf("Read = %+v, %v", got, err)
	}
	if _, err := Read[sentence](strings.NewReader("{\"text\":\"a\"}\n{\"text\":\n")); err == nil || !strings.HasPrefix(err.Error(), "line 2: ") {
		t.Errorf("bad line 2: err %v, want it named", err)
	}
}
