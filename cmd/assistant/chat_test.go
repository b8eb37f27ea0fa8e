package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestChat(t *testing.T) {
	in := strings.NewReader("안녕하세요\n교동치킨 후라이드 한 마리 시켜줘\n결제할게요\n네\n")
	var out, errOut bytes.Buffer
	args := []string{"chat", "--user", "u-test", "--ref-time", "2026-01-06T18:00:00+09:00"}
	if err := run(context.Background(), args, func(string) string { return "" }, in, &out, &errOut); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	got := out.String()
	for _, want := range []string{"안녕하세요", "장바구니에 담았어요", "[네] [아니요]", "결제가 완료됐어요", "【"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestChatBadRefTime(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"chat", "--ref-time", "yesterday"}, func(string) string { return "" },
		strings.NewReader(""), &out, &errOut)
	if err == nil {
		t.Fatal("want an error for a bad --ref-time")
	}
}

func TestEvalDialoguesBadInput(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"eval", "dialogues", "--catalog", "../../evals/testdata/catalog.jsonl"},
		func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	if err == nil {
		t.Fatal("want an error without --scenarios")
	}
}
