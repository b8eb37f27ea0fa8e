// Package langchain puts the planner's model on langchaingo
// (github.com/tmc/langchaingo): any llms.Model, such as its OpenAI,
// Ollama, Anthropic or Bedrock backends, can answer the planner's turns.
// It also splits long texts, such as event descriptions, into chunks for
// embedding with langchaingo's recursive character splitter.
package langchain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/tmc/langchaingo/llms"
	lcopenai "github.com/tmc/langchaingo/llms/openai"
	"github.com/tmc/langchaingo/textsplitter"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/assistant/llm"
)

// Model adapts a langchaingo model to llm.Model.
type Model struct {
	LLM llms.Model
}

var _ llm.Model = (*Model)(nil)

// New returns the planner's model over m.
func New(m llms.Model) *Model { return &Model{LLM: m} }

// NewOpenAICompatible returns a model at an OpenAI-compatible endpoint
// (Ollama's /v1 included) through langchaingo's OpenAI backend. hc, when
// not nil, makes the HTTP calls (pass one with a retrying transport).
func NewOpenAICompatible(baseURL, apiKey, model string, hc *http.Client) (*Model, error) {
	if apiKey == "" {
		// The backend refuses an empty token; local servers ignore it.
		apiKey = "none"
	}
	opts := []lcopenai.Option{lcopenai.WithBaseURL(baseURL), lcopenai.WithToken(apiKey), lcopenai.WithModel(model)}
	if hc != nil {
		opts = append(opts, lcopenai.WithHTTPClient(hc))
	}
	m, err := lcopenai.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("langchain: openai backend: %w", err)
	}
	return New(m), nil
}

// Chat sends req through the langchaingo model, streaming text to stream
// when set.
func (m *Model) Chat(ctx context.Context, req llm.Request, stream llm.StreamFunc) (*llm.Reply, error) {
	const op = "langchain.Chat"
	msgs, err := messages(req.Messages)
	if err != nil {
		return nil, &sodam.Error{Code: sodam.EINVALID, Op: op, Err: err}
	}
	var opts []llms.CallOption
	if len(req.Tools) > 0 {
		ts := make([]llms.Tool, 0, len(req.Tools))
		for _, t := range req.Tools {
			ts = append(ts, llms.Tool{Type: "function", Function: &llms.FunctionDefinition{
				Name: t.Name, Description: t.Description, Parameters: json.RawMessage(t.Parameters)}})
		}
		opts = append(opts, llms.WithTools(ts))
	}
	if req.MaxTokens > 0 {
		opts = append(opts, llms.WithMaxTokens(req.MaxTokens))
	}
	if req.Temperature != nil {
		opts = append(opts, llms.WithTemperature(*req.Temperature))
	}
	if stream != nil {
		opts = append(opts, llms.WithStreamingFunc(func(_ context.Context, chunk []byte) error {
			if len(chunk) > 0 {
				stream(string(chunk))
			}
			return nil
		}))
	}
	resp, err := m.LLM.GenerateContent(ctx, msgs, opts...)
	if err != nil {
		msg := "언어 모델에 연결하지 못했어요."
		if ctx.Err() != nil {
			msg = "언어 모델이 제때 답하지 않았어요."
		}
		return nil, &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op, Message: msg, Err: err}
	}
	if resp == nil || len(resp.Choices) == 0 || resp.Choices[0] == nil {
		return nil, &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op, Message: "언어 모델이 답하지 않았어요.", Err: errors.New("no choices in the reply")}
	}
	ch := resp.Choices[0]
	out := &llm.Reply{Content: ch.Content, FinishReason: ch.StopReason, Usage: usageOf(ch.GenerationInfo)}
	for _, tc := range ch.ToolCalls {
		if tc.FunctionCall == nil {
			continue
		}
		out.ToolCalls = append(out.ToolCalls, llm.ToolCall{ID: tc.ID, Name: tc.FunctionCall.Name, Arguments: tc.FunctionCall.Arguments})
	}
	return out, nil
}

// messages converts the planner's messages to langchaingo's.
func messages(ms []llm.Message) ([]llms.MessageContent, error) {
	out := make([]llms.MessageContent, 0, len(ms))
	for _, m := range ms {
		switch m.Role {
		case llm.RoleSystem:
			out = append(out, llms.TextParts(llms.ChatMessageTypeSystem, m.Content))
		case llm.RoleUser:
			out = append(out, llms.TextParts(llms.ChatMessageTypeHuman, m.Content))
		case llm.RoleAssistant:
			mc := llms.MessageContent{Role: llms.ChatMessageTypeAI}
			if m.Content != "" || len(m.ToolCalls) == 0 {
				mc.Parts = append(mc.Parts, llms.TextPart(m.Content))
			}
			for _, tc := range m.ToolCalls {
				mc.Parts = append(mc.Parts, llms.ToolCall{ID: tc.ID, Type: "function",
					FunctionCall: &llms.FunctionCall{Name: tc.Name, Arguments: tc.Arguments}})
			}
			out = append(out, mc)
		case llm.RoleTool:
			out = append(out, llms.MessageContent{Role: llms.ChatMessageTypeTool,
				Parts: []llms.ContentPart{llms.ToolCallResponse{ToolCallID: m.ToolCallID, Name: m.Name, Content: m.Content}}})
		default:
			return nil, fmt.Errorf("langchain: unknown role %q", m.Role)
		}
	}
	return out, nil
}

// usageOf reads the token counts backends put in GenerationInfo.
func usageOf(info map[string]any) llm.Usage {
	n := func(keys ...string) int {
		for _, k := range keys {
			switch v := info[k].(type) {
			case int:
				return v
			case int64:
				return int(v)
			case float64:
				return int(v)
			}
		}
		return 0
	}
	u := llm.Usage{PromptTokens: n("PromptTokens", "prompt_tokens"), CompletionTokens: n("CompletionTokens", "completion_tokens"),
		TotalTokens: n("TotalTokens", "total_tokens")}
	if u.TotalTokens == 0 {
		u.TotalTokens = u.PromptTokens + u.CompletionTokens
	}
	return u
}

// SplitText splits a long text (an event or merchant description) into
// chunks of at most size characters that overlap by overlap characters,
// cutting at paragraph, line, sentence and then word boundaries, so that
// each chunk can be embedded on its own. A text that fits is one chunk;
// an empty one is none. size must be positive and overlap smaller.
func SplitText(text string, size, overlap int) ([]string, error) {
	if size <= 0 || overlap < 0 || overlap >= size {
		return nil, fmt.Errorf("langchain: split: size %d, overlap %d: want 0 <= overlap < size", size, overlap)
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, nil
	}
	sp := textsplitter.NewRecursiveCharacter(
		textsplitter.WithChunkSize(size),
		textsplitter.WithChunkOverlap(overlap),
		// Korean sentences end like others (요. 다.), so ". " cuts them.
		textsplitter.WithSeparators([]string{"\n\n", "\n", ". ", "。", "! ", "? ", " ", ""}),
		textsplitter.WithLenFunc(func(s string) int { return len([]rune(s)) }),
	)
	chunks, err := sp.SplitText(text)
	if err != nil {
		return nil, fmt.Errorf("langchain: split: %w", err)
	}
	out := chunks[:0]
	for _, c := range chunks {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out, nil
}
