package langchain_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/assistant/llm"
	"github.com/sodam-ai/sodam/assistant/llm/langchain"
	"github.com/sodam-ai/sodam/connectors/openai"
	"github.com/sodam-ai/sodam/connectors/openai/openaitest"
)

func TestChatThroughLangchain(t *testing.T) {
	req := llm.Request{
		Messages: []llm.Message{
			{Role: llm.RoleSystem, Content: "규칙"},
			{Role: llm.RoleUser, Content: "메뉴 보여줘"},
			{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{{ID: "c0", Name: "get_menu", Arguments: `{"merchant_id":"m-001"}`}}},
			{Role: llm.RoleTool, ToolCallID: "c0", Name: "get_menu", Content: "<data>{}</data>"},
		},
		Tools: []llm.ToolSpec{{Name: "get_cart", Description: "Show the cart.", Parameters: []byte(`{"type":"object"}`)}},
	}
	tests := []struct {
		name       string
		reply      openaitest.Reply
		stream     bool
		wantText   string
		wantCalls  []llm.ToolCall
		wantDeltas string
		wantCode   string
	}{
		{name: "text", reply: openaitest.Reply{Content: "안녕하세요!"}, wantText: "안녕하세요!"},
		{name: "tool call", reply: openaitest.Reply{ToolCalls: []openaitest.Call{{ID: "c1", Name: "get_cart", Arguments: `{}`}}},
			wantCalls: []llm.ToolCall{{ID: "c1", Name: "get_cart", Arguments: `{}`}}},
		{name: "streamed", stream: true, reply: openaitest.Reply{Content: "메뉴를 찾아볼게요"}, wantText: "메뉴를 찾아볼게요", wantDeltas: "메뉴를 찾아볼게요"},
		{name: "empty choice list", reply: openaitest.Reply{NoChoices: true}, wantCode: sodam.EUNAVAILABLE},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := openaitest.NewServer(func(int, *openaitest.Request) openaitest.Reply { return tc.reply })
			defer srv.Close()
			m, err := langchain.NewOpenAICompatible(srv.URL, "", "fake-1", nil)
			if err != nil {
				t.Fatal(err)
			}
			var deltas strings.Builder
			var stream llm.StreamFunc
			if tc.stream {
				stream = func(d string) { deltas.WriteString(d) }
			}
			got, err := m.Chat(context.Background(), req, stream)
			if tc.wantCode != "" {
				if code := sodam.ErrorCode(err); code != tc.wantCode {
					t.Fatalf("error code = %q (%v), want %q", code, err, tc.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Content != tc.wantText {
				t.Errorf("content = %q, want %q", got.Content, tc.wantText)
			}
			if diff := cmp.Diff(tc.wantCalls, got.ToolCalls); diff != "" {
				t.Errorf("tool calls (-want +got):\n%s", diff)
			}
			if deltas.String() != tc.wantDeltas {
				t.Errorf("streamed %q, want %q", deltas.String(), tc.wantDeltas)
			}
			sent := srv.Requests()[0]
			if len(sent.Messages) != 4 || sent.Messages[3].Role != "tool" || sent.Messages[3].ToolCallID != "c0" {
				t.Errorf("messages sent = %+v", sent.Messages)
			}
			if len(sent.Messages[2].ToolCalls) != 1 || sent.Messages[2].ToolCalls[0].Function.Name != "get_menu" {
				t.Errorf("assistant tool call sent = %+v", sent.Messages[2])
			}
			if len(sent.Tools) != 1 || sent.Tools[0].Function.Name != "get_cart" {
				t.Errorf("tools sent = %+v", sent.Tools)
			}
		})
	}
}

func TestLangchainRetriesThroughTransport(t *testing.T) {
	srv := openaitest.NewServer(func(n int, _ *openaitest.Request) openaitest.Reply {
		if n == 0 {
			return openaitest.Reply{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"0"}}}
		}
		return openaitest.Reply{Content: "네"}
	})
	defer srv.Close()
	hc := &http.Client{Transport: openai.NewTransport(openai.Config{Backoff: time.Millisecond})}
	m, err := langchain.NewOpenAICompatible(srv.URL, "k", "fake-1", hc)
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.Chat(context.Background(), llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: "안녕"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Content != "네" || len(srv.Requests()) != 2 {
		t.Errorf("content %q after %d requests, want 네 after 2", got.Content, len(srv.Requests()))
	}
}

func TestSplitText(t *testing.T) {
	para := strings.Repeat("연말을 맞아 준비한 특별 공연이에요. ", 20)
	tests := []struct {
		name          string
		text          string
		size, overlap int
		wantChunks    int // -1: more than one
		wantErr       bool
	}{
		{"short text is one chunk", "짧은 소개예요.", 200, 20, 1, false},
		{"empty text is none", "   ", 200, 20, 0, false},
		{"long text is several", para + "\n\n" + para, 200, 20, -1, false},
		{"bad sizes", "텍스트", 10, 10, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := langchain.SplitText(tc.text, tc.size, tc.overlap)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if tc.wantErr {
				return
			}
			if tc.wantChunks >= 0 && len(got) != tc.wantChunks {
				t.Fatalf("got %d chunks, want %d: %q", len(got), tc.wantChunks, got)
			}
			if tc.wantChunks == -1 && len(got) < 2 {
				t.Fatalf("got %d chunks, want several", len(got))
			}
			for _, c := range got {
				if n := len([]rune(c)); n > tc.size {
					t.Errorf("chunk of %d characters, over %d: %q", n, tc.size, c)
				}
				if strings.TrimSpace(c) != c || c == "" {
					t.Errorf("chunk %q not trimmed", c)
				}
			}
			// Every sentence of the text is in some chunk.
			for _, s := range strings.Split(strings.TrimSpace(tc.text), ". ") {
				s = strings.TrimSpace(s)
				found := s == ""
				for _, c := range got {
					found = found || strings.Contains(c, s)
				}
				if !found {
					t.Errorf("sentence %q in no chunk", s)
				}
			}
		})
	}
}
