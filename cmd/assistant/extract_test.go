package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestExtractCommand(t *testing.T) {
	const ref = "2026-11-24T18:00:00+09:00"
	tests := []struct {
		name  string
		args  []string
		stdin string
		want  []string // expected output lines
	}{
		{
			name: "text argument",
			args: []string{"extract", "--ref-time", ref, "내일 저녁 7시에 치킨 두 마리랑 2만5천원짜리 세트"},
			want: []string{`{"text":"내일 저녁 7시에 치킨 두 마리랑 2만5천원짜리 세트","entities":[` +
				`{"dim":"datetime","text":"내일 저녁 7시","start":0,"end":8,"value":{"value":"2026-11-25T19:00:00+09:00","grain":"hour"}},` +
				`{"dim":"quantity","text":"두 마리","start":13,"end":17,"value":{"value":2,"unit":"마리"}},` +
				`{"dim":"money","text":"2만5천원","start":19,"end":24,"value":{"value":25000,"unit":"KRW"}}]}`},
		},
		{
			name:  "lines from stdin",
			args:  []string{"extract", "--ref-time", ref},
			stdin: "이번 주말\r\n네 좋아요\n1시간 반\n",
			want: []string{
				`{"text":"이번 주말","entities":[{"dim":"datetime","text":"이번 주말","start":0,"end":5,"value":{"from":"2026-11-28T00:00:00+09:00","to":"2026-11-30T00:00:00+09:00"}}]}`,
				`{"text":"네 좋아요","entities":[]}`,
				`{"text":"1시간 반","entities":[{"dim":"duration","text":"1시간 반","start":0,"end":5,"value":{"seconds":5400}}]}`,
			},
		},
		{
			name: "ordinal",
			args: []string{"extract", "--ref-time=" + ref, "첫 번째", "가게"},
			want: []string{`{"text":"첫 번째 가게","entities":[{"dim":"ordinal","text":"첫 번째","start":0,"end":4,"value":1}]}`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), tc.args, func(string) string { return "" }, strings.NewReader(tc.stdin), &out, &errOut)
			if err != nil {
				t.Fatalf("run: %v (stderr %s)", err, errOut.String())
			}
			got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			if len(got) != len(tc.want) {
				t.Fatalf("got %d lines, want %d:\n%s", len(got), len(tc.want), out.String())
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("line %d\n got: %s\nwant: %s", i+1, got[i], tc.want[i])
				}
				if !json.Valid([]byte(got[i])) {
					t.Errorf("line %d is not JSON: %s", i+1, got[i])
				}
			}
		})
	}
}

func TestExtractCommandDefaultRef(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"extract", "내일"}, func(string) string { return "" }, strings.NewReader(""), &out, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	var line struct {
		Entities []struct {
			Value struct {
				Value string `json:"value"`
			} `json:"value"`
		} `json:"entities"`
	}
	if err := json.Unmarshal(out.Bytes(), &line); err != nil {
		t.Fatal(err)
	}
	if len(line.Entities) != 1 || !strings.HasSuffix(line.Entities[0].Value.Value, "T00:00:00+09:00") {
		t.Errorf("want tomorrow in Asia/Seoul, got %s", out.String())
	}
}

func TestExtractCommandUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"bad ref time", []string{"extract", "--ref-time", "tomorrow", "내일"}},
		{"ref time without zone", []string{"extract", "--ref-time", "2026-11-24T18:00:00", "내일"}},
		{"unknown flag", []string{"extract", "--verbose", "내일"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), tc.args, func(string) string { return "" }, strings.NewReader(""), &out, &bytes.Buffer{})
			if !errors.Is(err, errUsage) {
				t.Errorf("err = %v, want a usage error", err)
			}
			if out.Len() != 0 {
				t.Errorf("printed %q on a usage error", out.String())
			}
		})
	}
}
