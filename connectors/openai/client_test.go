package openai_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/assistant/llm"
	"github.com/sodam-ai/sodam/connectors/openai"
	"github.com/sodam-ai/sodam/connectors/openai/openaitest"
)

func newClient(t *testing.T, srv *openaitest.Server, mod func(*openai.Config)) *openai.Client {
	t.Helper()
	cfg := openai.Config{BaseURL: srv.URL, APIKey: "sk-test", Model: "fake-1", Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}
	if mod != nil {
		mod(&cfg)
	}
	c, err := openai.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ask(text string) llm.Request {
	return llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: text}},
		Tools: []llm.ToolSpec{{Name: "get_cart", Description: "Show the cart.", Parameters: []byte(`{"type":"object"}`)}}}
}

func TestChat(t *testing.T) {
	calls := []openaitest.Call{{ID: "c1", Name: "get_menu", Arguments: `{"merchant_id":"m-001"}`}, {ID: "c2", Name: "get_cart", Arguments: `{}`}}
	tests := []struct {
		name       string
		reply      openaitest.Reply
		stream     bool
		want       *llm.Reply
		wantDeltas []string
	}{
		{name: "text", reply: openaitest.Reply{Content: "안녕하세요!"},
			want: &llm.Reply{Content: "안녕하세요!", FinishReason: "stop", Usage: llm.Usage{PromptTokens: 100, CompletionTokens: 20, TotalTokens: 120}}},
		{name: "tool calls", reply: openaitest.Reply{ToolCalls: calls},
			want: &llm.Reply{FinishReason: "tool_calls", Usage: llm.Usage{PromptTokens: 100, CompletionTokens: 20, TotalTokens: 120},
				ToolCalls: []llm.ToolCall{{ID: "c1", Name: "get_menu", Arguments: `{"merchant_id":"m-001"}`}, {ID: "c2", Name: "get_cart", Arguments: `{}`}}}},
		{name: "streamed text", stream: true, reply: openaitest.Reply{Content: "메뉴를 찾아볼게요", ChunkRunes: 3},
			want:       &llm.Reply{Content: "메뉴를 찾아볼게요", FinishReason: "stop", Usage: llm.Usage{PromptTokens: 100, CompletionTokens: 20, TotalTokens: 120}},
			wantDeltas: []string{"메뉴를", " 찾아", "볼게요"}},
		{name: "streamed tool calls", stream: true, reply: openaitest.Reply{Content: "잠시만요", ToolCalls: calls},
			want: &llm.Reply{Content: "잠시만요", FinishReason: "tool_calls", Usage: llm.Usage{PromptTokens: 100, CompletionTokens: 20, TotalTokens: 120},
				ToolCalls: []llm.ToolCall{{ID: "c1", Name: "get_menu", Arguments: `{"merchant_id":"m-001"}`}, {ID: "c2", Name: "get_cart", Arguments: `{}`}}},
			wantDeltas: []string{"잠시", "만요"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := openaitest.NewServer(func(int, *openaitest.Request) openaitest.Reply { return tc.reply })
			defer srv.Close()
			c := newClient(t, srv, nil)
			var deltas []string
			var stream llm.StreamFunc
			if tc.stream {
				stream = func(d string) { deltas = append(deltas, d) }
			}
			got, err := c.Chat(context.Background(), ask("메뉴 보여줘"), stream)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("reply (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantDeltas, deltas); diff != "" {
				t.Errorf("deltas (-want +got):\n%s", diff)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Model != "fake-1" || r.Stream != tc.stream {
				t.Errorf("model %q stream %v, want fake-1 %v", r.Model, r.Stream, tc.stream)
			}
			if got := r.Header.Get("Authorization"); got != "Bearer sk-test" {
				t.Errorf("Authorization = %q", got)
			}
			if len(r.Tools) != 1 || r.Tools[0].Type != "function" || r.Tools[0].Function.Name != "get_cart" {
				t.Errorf("tools = %+v, want the get_cart function", r.Tools)
			}
		})
	}
}

func TestChatErrors(t *testing.T) {
	tests := []struct {
		name     string
		script   openaitest.Script
		mod      func(*openai.Config)
		stream   bool
		wantCode string // "" means success
		wantReqs int
	}{
		{name: "429 then success", script: func(n int, _ *openaitest.Request) openaitest.Reply {
			if n == 0 {
				return openaitest.Reply{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"0"}}}
			}
			return openaitest.Reply{Content: "네"}
		}, wantReqs: 2},
		{name: "503 twice then success, streamed", stream: true, script: func(n int, _ *openaitest.Request) openaitest.Reply {
			if n < 2 {
				return openaitest.Reply{Status: http.StatusServiceUnavailable}
			}
			return openaitest.Reply{Content: "네"}
		}, wantReqs: 3},
		{name: "500 until retries are spent", script: func(int, *openaitest.Request) openaitest.Reply {
			return openaitest.Reply{Status: http.StatusInternalServerError}
		}, mod: func(c *openai.Config) { c.MaxRetries = 2 }, wantCode: sodam.EUNAVAILABLE, wantReqs: 3},
		{name: "400 is not retried", script: func(int, *openaitest.Request) openaitest.Reply {
			return openaitest.Reply{Status: http.StatusBadRequest}
		}, wantCode: sodam.EINVALID, wantReqs: 1},
		{name: "401", script: func(int, *openaitest.Request) openaitest.Reply {
			return openaitest.Reply{Status: http.StatusUnauthorized}
		}, wantCode: sodam.EUNAUTHORIZED, wantReqs: 1},
		{name: "empty choice list", script: func(int, *openaitest.Request) openaitest.Reply {
			return openaitest.Reply{NoChoices: true}
		}, wantCode: sodam.EUNAVAILABLE, wantReqs: 1},
		{name: "empty choice list, streamed", stream: true, script: func(int, *openaitest.Request) openaitest.Reply {
			return openaitest.Reply{NoChoices: true}
		}, wantCode: sodam.EUNAVAILABLE, wantReqs: 1},
		{name: "timeout", script: func(int, *openaitest.Request) openaitest.Reply {
			return openaitest.Reply{Content: "늦었어요", Delay: 10 * time.Second}
		}, mod: func(c *openai.Config) { c.Timeout = 50 * time.Millisecond }, wantCode: sodam.EUNAVAILABLE, wantReqs: 1},
		{name: "timeout while waiting to retry", script: func(int, *openaitest.Request) openaitest.Reply {
			return openaitest.Reply{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"30"}}}
		}, mod: func(c *openai.Config) { c.Timeout = 50 * time.Millisecond; c.MaxBackoff = time.Minute }, wantCode: sodam.EUNAVAILABLE, wantReqs: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := openaitest.NewServer(tc.script)
			defer srv.Close()
			c := newClient(t, srv, tc.mod)
			var stream llm.StreamFunc
			if tc.stream {
				stream = func(string) {}
			}
			got, err := c.Chat(context.Background(), ask("안녕"), stream)
			if tc.wantCode == "" {
				if err != nil {
					t.Fatalf("Chat: %v", err)
				}
				if got.Content != "네" {
					t.Errorf("content = %q, want 네", got.Content)
				}
			} else if code := sodam.ErrorCode(err); code != tc.wantCode {
				t.Errorf("error code = %q (%v), want %q", code, err, tc.wantCode)
			}
			if n := len(srv.Requests()); n != tc.wantReqs {
				t.Errorf("server got %d requests, want %d", n, tc.wantReqs)
			}
		})
	}
}

func TestTemperatureSentAsConfigured(t *testing.T) {
	zero, warm := 0.0, 0.7
	tests := []struct {
		name   string
		temp   *float64
		stream bool
		want   any // nil: the field is left out
	}{
		{"zero", &zero, false, 0.0},
		{"zero, streamed", &zero, true, 0.0},
		{"warm", &warm, false, 0.7},
		{"unset", nil, false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := openaitest.NewServer(func(int, *openaitest.Request) openaitest.Reply { return openaitest.Reply{Content: "네"} })
			defer srv.Close()
			c := newClient(t, srv, nil)
			req := ask("안녕")
			req.Temperature = tc.temp
			var stream llm.StreamFunc
			if tc.stream {
				stream = func(string) {}
			}
			if _, err := c.Chat(context.Background(), req, stream); err != nil {
				t.Fatal(err)
			}
			r := srv.Requests()[0]
			got, ok := r.Fields["temperature"]
			if tc.want == nil {
				if ok {
					t.Errorf("temperature sent as %v, want it left out", got)
				}
				return
			}
			if !ok || got != tc.want {
				t.Errorf("temperature = %v (present %v), want %v; body %s", got, ok, tc.want, r.Raw)
			}
			if tc.want == 0.0 && !strings.Contains(string(r.Raw), `"temperature":0`) {
				t.Errorf("body lacks \"temperature\":0: %s", r.Raw)
			}
		})
	}
}

func TestNewChecksConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  openai.Config
		ok   bool
	}{
		{"complete", openai.Config{BaseURL: "http://localhost:11434/v1", Model: "qwen"}, true},
		{"host only gets /v1", openai.Config{BaseURL: "http://localhost:11434", Model: "qwen"}, true},
		{"no model", openai.Config{BaseURL: "http://localhost:11434/v1"}, false},
		{"no URL", openai.Config{Model: "qwen"}, false},
		{"not http", openai.Config{BaseURL: "ftp://x/v1", Model: "qwen"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := openai.New(tc.cfg)
			if (err == nil) != tc.ok {
				t.Errorf("New: err = %v, want ok %v", err, tc.ok)
			}
		})
	}
}

func TestConfigFromEnv(t *testing.T) {
	env := map[string]string{openai.EnvBaseURL: "http://h/v1", openai.EnvAPIKey: "k", openai.EnvModel: "m"}
	got := openai.ConfigFromEnv(func(k string) string { return env[k] })
	if got.BaseURL != "http://h/v1" || got.APIKey != "k" || got.Model != "m" || !got.Configured() {
		t.Errorf("ConfigFromEnv = %+v", got)
	}
}
