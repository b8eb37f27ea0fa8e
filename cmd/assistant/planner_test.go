package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sodam-ai/sodam/assistant/llm"
	"github.com/sodam-ai/sodam/connectors/openai/openaitest"
)

func TestPlannerFlags(t *testing.T) {
	endpoint := map[string]string{"SODAM_LLM_BASE_URL": "http://127.0.0.1:1/v1", "SODAM_LLM_MODEL": "m"}
	tests := []struct {
		name      string
		args      []string
		env       map[string]string
		wantMode  llm.Mode
		wantModel bool
		wantTemp  string // "" means not sent
		wantErr   bool
	}{
		{name: "nothing set: nlu", wantMode: llm.ModeNLU, wantTemp: "0"},
		{name: "endpoint in the environment: hybrid", env: endpoint, wantMode: llm.ModeHybrid, wantModel: true, wantTemp: "0"},
		{name: "flags: llm over langchain", args: []string{"--planner", "llm", "--llm-base-url", "http://127.0.0.1:1/v1", "--llm-model", "m", "--llm-backend", "langchain"},
			wantMode: llm.ModeLLM, wantModel: true, wantTemp: "0"},
		{name: "nlu asked with an endpoint", args: []string{"--planner", "nlu"}, env: endpoint, wantMode: llm.ModeNLU, wantTemp: "0"},
		{name: "temperature left to the endpoint", args: []string{"--llm-temperature", "default"}, env: endpoint, wantMode: llm.ModeHybrid, wantModel: true},
		{name: "temperature set", args: []string{"--llm-temperature", "0.4"}, env: endpoint, wantMode: llm.ModeHybrid, wantModel: true, wantTemp: "0.4"},
		{name: "llm without an endpoint", args: []string{"--planner", "llm"}, wantErr: true},
		{name: "unknown planner", args: []string{"--planner", "gpt"}, wantErr: true},
		{name: "unknown backend", args: []string{"--llm-backend", "carrier-pigeon"}, env: endpoint, wantErr: true},
		{name: "bad temperature", args: []string{"--llm-temperature", "hot"}, env: endpoint, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			pf := addPlannerFlags(fs)
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			pc, err := pf.resolve(func(k string) string { return tc.env[k] })
			if tc.wantErr {
				if !errors.Is(err, errUsage) {
					t.Fatalf("err = %v, want a usage error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if pc.Mode != tc.wantMode || (pc.Model != nil) != tc.wantModel {
				t.Errorf("mode %q, model %v; want %q, %v", pc.Mode, pc.Model != nil, tc.wantMode, tc.wantModel)
			}
			got := ""
			if pc.Temperature != nil {
				got = strconv.FormatFloat(*pc.Temperature, 'g', -1, 64)
			}
			if got != tc.wantTemp {
				t.Errorf("temperature %q, want %q", got, tc.wantTemp)
			}
		})
	}
}

// lastUser is the text of the last user message of a request.
func lastUser(r *openaitest.Request) string {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if r.Messages[i].Role == "user" {
			return r.Messages[i].Content
		}
	}
	return ""
}

func TestEvalDialoguesWithLLMPlanner(t *testing.T) {
	// A model that fills the cart on the order and proposes it on the
	// request to pay; the yes goes to the dialogue manager.
	srv := openaitest.NewServer(func(_ int, r *openaitest.Request) openaitest.Reply {
		switch u := lastUser(r); {
		case strings.Contains(u, "시켜줘") && r.Rounds() == 0:
			return openaitest.Reply{ToolCalls: []openaitest.Call{{ID: "c1", Name: "cart_add", Arguments: `{"menu_item_id":"i-001-01"}`}}}
		case strings.Contains(u, "결제"):
			return openaitest.Reply{ToolCalls: []openaitest.Call{{ID: "c2", Name: "place_order", Arguments: `{"payment_method":"kakaopay"}`}}}
		}
		return openaitest.Reply{Content: "후라이드치킨을 담았어요."}
	})
	defer srv.Close()
	dir := t.TempDir()
	scen := filepath.Join(dir, "s.jsonl")
	line := `{"id":"order-01","ref_time":"2026-11-24T18:00:00+09:00","user":{"id":"u-1","address":"서울 종로구 대학로 12","lat":37.58,"lng":127.00},` +
		`"turns":["교동치킨 후라이드 한 마리 시켜줘","카카오페이로 결제할게","네"],` +
		`"expect":{"orders":[{"merchant_id":"m-001","status":"paid","total":19200,"items":[{"menu_item_id":"i-001-01","quantity":1}]}],` +
		`"payments":[{"method":"kakaopay","amount":19200,"status":"approved"}]}}`
	if err := os.WriteFile(scen, []byte(line+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	jsonOut := filepath.Join(dir, "out.json")
	var out, errOut bytes.Buffer
	args := []string{"eval", "dialogues", "--catalog", "../../evals/testdata/catalog.jsonl", "--scenarios", scen,
		"--planner", "llm", "--llm-base-url", srv.URL, "--llm-model", "fake-1", "--trials", "2", "--json", jsonOut}
	if err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "PASS order-01  2/2 trials") || !strings.Contains(out.String(), "pass^2 1 of 1") {
		t.Errorf("output:\n%s", out.String())
	}
	var rep struct {
		Trials   int     `json:"trials"`
		PassHatK float64 `json:"pass_hat_k"`
		Passed   int     `json:"passed"`
	}
	b, err := os.ReadFile(jsonOut)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Trials != 2 || rep.PassHatK != 1 || rep.Passed != 1 {
		t.Errorf("report = %+v", rep)
	}
	// Two trials of two model turns each; the yes never reached the model.
	if n := len(srv.Requests()); n != 6 {
		t.Errorf("model got %d requests, want 6", n)
	}
	for _, r := range srv.Requests() {
		if r.Temperature == nil || *r.Temperature != 0 {
			t.Errorf("temperature sent = %v, want 0", r.Temperature)
		}
	}
}
