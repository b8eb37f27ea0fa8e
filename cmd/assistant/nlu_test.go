package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testRefTime = "2026-11-24T18:00:00+09:00"

// runCmd runs the binary's run with the given arguments and input.
func runCmd(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(context.Background(), args, func(string) string { return "" }, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

func TestNLUCommand(t *testing.T) {
	out, _, err := runCmd(t, "", "nlu", "--ref-time", testRefTime, "교촌 허니콤보 두 마리 시켜줘")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	if got["text"] != "교촌 허니콤보 두 마리 시켜줘" || got["intent"] != "add_to_order" {
		t.Errorf("got %v", got)
	}
	slots, _ := got["slots"].(map[string]any)
	if slots["merchant"] != "교촌" {
		t.Errorf("merchant %v, want 교촌", slots["merchant"])
	}
	items, _ := slots["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("items %v, want one", slots["items"])
	}
	item := items[0].(map[string]any)
	if item["name"] != "허니콤보" || item["quantity"] != 2.0 || item["options"] == nil {
		t.Errorf("item %v, want 허니콤보 × 2 with options []", item)
	}
	// Keys in the order of the data format, extras after.
	if !strings.HasPrefix(out, `{"text":`) || strings.Index(out, `"slots"`) > strings.Index(out, `"links"`) {
		t.Errorf("keys out of order: %s", out)
	}
}

func TestNLUCommandStdin(t *testing.T) {
	in := "안녕하세요\n내일 저녁 7시에 아이유 콘서트 R석 두 장 예매해줘\n\n"
	out, _, err := runCmd(t, in, "nlu", "--ref-time", testRefTime)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3 (one per input line):\n%s", len(lines), out)
	}
	var second struct {
		Intent string         `json:"intent"`
		Slots  map[string]any `json:"slots"`
	}
	if err := json.Unmarshal([]byte(lines[1]), &second); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"datetime": "2026-11-25T19:00:00+09:00", "performer": "아이유", "category": "콘서트", "seat_grade": "R", "ticket_count": 2.0}
	for k, v := range want {
		if second.Slots[k] != v {
			t.Errorf("slot %s = %v, want %v", k, second.Slots[k], v)
		}
	}
	if second.Intent != "book_ticket" {
		t.Errorf("intent %s, want book_ticket", second.Intent)
	}
}

func TestNLUCommandBadFlags(t *testing.T) {
	_, _, err := runCmd(t, "", "nlu", "--ref-time", "tomorrow", "안녕")
	if !errors.Is(err, errUsage) {
		t.Errorf("err = %v, want a usage error", err)
	}
}

func TestEvalNLUCommand(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data.jsonl")
	if err := os.WriteFile(data, []byte(
		`{"text": "카드로 결제할게요", "intent": "checkout", "slots": {"payment_method": "card"}}`+"\n"+
			`{"text": "R석 두 장 예매해줘", "intent": "book_ticket", "slots": {"seat_grade": "R", "ticket_count": 2}}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	jsonOut := filepath.Join(dir, "out.json")
	out, _, err := runCmd(t, "", "eval", "nlu", "--data", data, "--ref-time", testRefTime, "--json", jsonOut)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "intent accuracy") || !strings.Contains(out, "payment_method") {
		t.Errorf("table lacks figures:\n%s", out)
	}
	b, err := os.ReadFile(jsonOut)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Count          int                       `json:"count"`
		IntentAccuracy *float64                  `json:"intent_accuracy"`
		IntentMacroF1  *float64                  `json:"intent_macro_f1"`
		SlotMicroF1    *float64                  `json:"slot_micro_f1"`
		Slots          map[string]map[string]any `json:"slots"`
		Errors         []map[string]any          `json:"errors"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Count != 2 || rep.IntentAccuracy == nil || rep.IntentMacroF1 == nil || rep.SlotMicroF1 == nil || rep.Errors == nil {
		t.Errorf("report misses keys: %s", b)
	}
	for _, k := range []string{"precision", "recall", "f1", "support"} {
		if _, ok := rep.Slots["seat_grade"][k]; !ok {
			t.Errorf("slots.seat_grade lacks %s: %s", k, b)
		}
	}
}

func TestEvalNLUCommandBadInput(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(data, []byte(`{"text": "안녕", "intent": "greet"}`+"\n"+`{"text": "안녕", "intent": "hello"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := runCmd(t, "", "eval", "nlu", "--data", data, "--ref-time", testRefTime)
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("err = %v, want one naming line 2", err)
	}
	if _, _, err := runCmd(t, "", "eval", "nlu", "--data", data); !errors.Is(err, errUsage) {
		t.Errorf("without --ref-time: err = %v, want a usage error", err)
	}
	if _, _, err := runCmd(t, "", "eval", "nope"); !errors.Is(err, errUsage) {
		t.Errorf("unknown evaluation: err = %v, want a usage error", err)
	}
}
