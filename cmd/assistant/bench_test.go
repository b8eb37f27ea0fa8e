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

func TestBenchCommand(t *testing.T) {
	dir := t.TempDir()
	jsonOut, htmlOut := filepath.Join(dir, "b.json"), filepath.Join(dir, "b.html")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"bench", "--users", "3", "--turns", "12", "--duration", "0", "--ramp", "0",
		"--interval", "500ms", "--scenarios", "../../evals/testdata/scenarios.jsonl", "--json", jsonOut, "--html", htmlOut},
		func(string) string { return "" }, strings.NewReader(""), &stdout, &stderr)
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, stderr.String())
	}
	for _, want := range []string{"throughput", "p99", "ledger: ok"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
	data, err := os.ReadFile(jsonOut)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Users  int `json:"users"`
		Turns  int `json:"turns"`
		Errors int `json:"errors"`
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	if res.Users != 3 || res.Turns < 12 || res.Errors != 0 {
		t.Errorf("figures = %+v, want 3 users, at least 12 turns, no error", res)
	}
	page, err := os.ReadFile(htmlOut)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte("<svg")) {
		t.Error("the HTML report has no chart")
	}
}

func TestBenchUsage(t *testing.T) {
	for name, args := range map[string][]string{
		"no users":         {"--users", "0"},
		"no end":           {"--duration", "0"},
		"pid without addr": {"--server-pid", "1"},
		"missing file":     {"--scenarios", "/nonexistent.jsonl"},
		"unknown flag":     {"--nope"},
	} {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), append([]string{"bench"}, args...), func(string) string { return "" }, strings.NewReader(""), &out, &out)
			if !errors.Is(err, errUsage) {
				t.Errorf("err = %v, want a usage error", err)
			}
		})
	}
}
