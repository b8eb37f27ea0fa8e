// Package openai connects the planner to any endpoint that speaks the
// OpenAI chat completions API (OpenAI itself, vLLM, Ollama, LiteLLM, ...),
// through github.com/sashabaranov/go-openai.
//
// The Client adds what the service needs around the library: a time limit
// per call, retries with backoff on 429 and 5xx answers that honour
// Retry-After, streaming of text as it comes, and sampling settings sent
// as configured (a temperature of 0 included, which the library would
// otherwise leave out of the request).
package openai

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/assistant/llm"
)

// Environment variables read by ConfigFromEnv.
const (
	EnvBaseURL = "SODAM_LLM_BASE_URL"
	EnvAPIKey  = "SODAM_LLM_API_KEY"
	EnvModel   = "SODAM_LLM_MODEL"
)

// Config says where the endpoint is and how to call it. Zero durations and
// counts take the defaults.
type Config struct {
	// BaseURL is the API root, such as https://api.openai.com/v1 or
	// http://localhost:11434/v1; a URL without a path gets /v1.
	BaseURL string
	APIKey  string
	Model   string
	// Timeout bounds one call, all retries and the whole stream
	// included (60 s).
	Timeout time.Duration
	// MaxRetries is how many times a call refused with 429 or 5xx, or
	// failed in transit, is tried again (3); Backoff is the first wait,
	// doubled each time (500 ms), and MaxBackoff caps any wait, a
	// Retry-After included (20 s).
	MaxRetries int
	Backoff    time.Duration
	MaxBackoff time.Duration
	// Transport is the HTTP transport under the retries
	// (http.DefaultTransport).
	Transport http.RoundTripper
}

// ConfigFromEnv reads the endpoint from SODAM_LLM_BASE_URL,
// SODAM_LLM_API_KEY and SODAM_LLM_MODEL.
func ConfigFromEnv(getenv func(string) string) Config {
	return Config{BaseURL: getenv(EnvBaseURL), APIKey: getenv(EnvAPIKey), Model: getenv(EnvModel)}
}

// Configured reports whether an endpoint is set.
func (c Config) Configured() bool { return strings.TrimSpace(c.BaseURL) != "" }

func (c *Config) defaults() {
	if c.Timeout <= 0 {
		c.Timeout = 60 * time.Second
	}
	if c.MaxRetries < 0 {
		c.MaxRetries = 0
	} else if c.MaxRetries == 0 {
		c.MaxRetries = 3
	}
	if c.Backoff <= 0 {
		c.Backoff = 500 * time.Millisecond
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = 20 * time.Second
	}
	if c.Transport == nil {
		c.Transport = http.DefaultTransport
	}
}

// Client is a chat model at an OpenAI-compatible endpoint. It implements
// llm.Model and is safe for concurrent use.
type Client struct {
	api *goopenai.Client
	cfg Config
}

var _ llm.Model = (*Client)(nil)

// New returns a client for cfg. It fails when the base URL or the model
// is missing or the URL does not parse.
func New(cfg Config) (*Client, error) {
	cfg.defaults()
	base, err := apiBase(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(cfg.Model) == "" {
		return nil, errors.New("openai: a model name is required")
	}
	oc := goopenai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = base
	oc.HTTPClient = &http.Client{Transport: NewTransport(cfg)}
	return &Client{api: goopenai.NewClientWithConfig(oc), cfg: cfg}, nil
}

// apiBase checks a base URL and gives one without a path /v1.
func apiBase(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errors.New("openai: a base URL is required")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("openai: base URL %q: want http(s)://host[/path]", raw)
	}
	if strings.Trim(u.Path, "/") == "" {
		u.Path = "/v1"
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// Model returns the model name sent with each call.
func (c *Client) Model() string { return c.cfg.Model }

// Chat sends one chat completion request. With stream set it asks the
// endpoint to stream and passes each piece of text to stream as it comes.
// Errors are *sodam.Error: EUNAVAILABLE for timeouts, transport failures,
// 429 and 5xx answers once retries are spent, and replies without a
// choice; EUNAUTHORIZED for 401 and 403; EINVALID for other refusals.
func (c *Client) Chat(ctx context.Context, req llm.Request, stream llm.StreamFunc) (*llm.Reply, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	r := c.request(req)
	if req.Temperature != nil {
		ctx = withSampling(ctx, sampling{temperature: req.Temperature})
	}
	if stream == nil {
		resp, err := c.api.CreateChatCompletion(ctx, r)
		if err != nil {
			return nil, c.fail(ctx, err)
		}
		if len(resp.Choices) == 0 {
			return nil, &sodam.Error{Code: sodam.EUNAVAILABLE, Op: "openai.Chat", Message: "언어 모델이 답하지 않았어요.", Err: errors.New("no choices in the reply")}
		}
		return replyOf(resp), nil
	}
	r.Stream = true
	r.StreamOptions = &goopenai.StreamOptions{IncludeUsage: true}
	s, err := c.api.CreateChatCompletionStream(ctx, r)
	if err != nil {
		return nil, c.fail(ctx, err)
	}
	defer s.Close()
	var acc accumulator
	for {
		chunk, err := s.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, c.fail(ctx, err)
		}
		if d := acc.add(chunk); d != "" {
			stream(d)
		}
	}
	if !acc.sawChoice {
		return nil, &sodam.Error{Code: sodam.EUNAVAILABLE, Op: "openai.Chat", Message: "언어 모델이 답하지 않았어요.", Err: errors.New("no choices in the stream")}
	}
	return acc.reply(), nil
}

// request converts a planner request to the library's.
func (c *Client) request(req llm.Request) goopenai.ChatCompletionRequest {
	r := goopenai.ChatCompletionRequest{Model: c.cfg.Model, MaxTokens: req.MaxTokens}
	if req.Temperature != nil {
		// The library omits a zero; the transport writes the exact value.
		r.Temperature = float32(*req.Temperature)
	}
	for _, m := range req.Messages {
		om := goopenai.ChatCompletionMessage{Role: m.Role, Content: m.Content, ToolCallID: m.ToolCallID, Name: m.Name}
		for _, tc := range m.ToolCalls {
			om.ToolCalls = append(om.ToolCalls, goopenai.ToolCall{ID: tc.ID, Type: goopenai.ToolTypeFunction,
				Function: goopenai.FunctionCall{Name: tc.Name, Arguments: tc.Arguments}})
		}
		r.Messages = append(r.Messages, om)
	}
	for _, t := range req.Tools {
		r.Tools = append(r.Tools, goopenai.Tool{Type: goopenai.ToolTypeFunction, Function: &goopenai.FunctionDefinition{
			Name: t.Name, Description: t.Description, Parameters: t.Parameters}})
	}
	return r
}

func replyOf(resp goopenai.ChatCompletionResponse) *llm.Reply {
	ch := resp.Choices[0]
	out := &llm.Reply{Content: ch.Message.Content, FinishReason: string(ch.FinishReason),
		Usage: llm.Usage{PromptTokens: resp.Usage.PromptTokens, CompletionTokens: resp.Usage.CompletionTokens, TotalTokens: resp.Usage.TotalTokens}}
	for _, tc := range ch.Message.ToolCalls {
		out.ToolCalls = append(out.ToolCalls, llm.ToolCall{ID: tc.ID, Name: tc.Function.Name, Arguments: tc.Function.Arguments})
	}
	return out
}

// accumulator puts a streamed reply together: text in order, tool calls by
// their index, arguments concatenated.
type accumulator struct {
	content   strings.Builder
	calls     []llm.ToolCall
	finish    string
	usage     llm.Usage
	sawChoice bool
}

// add takes one chunk and returns its new text.
func (a *accumulator) add(chunk goopenai.ChatCompletionStreamResponse) string {
	if u := chunk.Usage; u != nil {
		a.usage = llm.Usage{PromptTokens: u.PromptTokens, CompletionTokens: u.CompletionTokens, TotalTokens: u.TotalTokens}
	}
	if len(chunk.Choices) == 0 {
		return ""
	}
	a.sawChoice = true
	ch := chunk.Choices[0]
	if ch.FinishReason != "" {
		a.finish = string(ch.FinishReason)
	}
	for k, tc := range ch.Delta.ToolCalls {
		i := k
		if tc.Index != nil {
			i = *tc.Index
		}
		if i < 0 || i > 128 {
			continue
		}
		for len(a.calls) <= i {
			a.calls = append(a.calls, llm.ToolCall{})
		}
		c := &a.calls[i]
		if tc.ID != "" {
			c.ID = tc.ID
		}
		c.Name += tc.Function.Name
		c.Arguments += tc.Function.Arguments
	}
	a.content.WriteString(ch.Delta.Content)
	return ch.Delta.Content
}

func (a *accumulator) reply() *llm.Reply {
	out := &llm.Reply{Content: a.content.String(), FinishReason: a.finish, Usage: a.usage}
	for _, c := range a.calls {
		if c.Name != "" {
			out.ToolCalls = append(out.ToolCalls, c)
		}
	}
	return out
}

// fail maps an error of the library to an application error.
func (c *Client) fail(ctx context.Context, err error) error {
	const op = "openai.Chat"
	if ctx.Err() != nil {
		return &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op, Message: "언어 모델이 제때 답하지 않았어요.", Err: errors.Join(ctx.Err(), err)}
	}
	status := 0
	var ae *goopenai.APIError
	var re *goopenai.RequestError
	switch {
	case errors.As(err, &ae):
		status = ae.HTTPStatusCode
	case errors.As(err, &re):
		status = re.HTTPStatusCode
	}
	switch {
	case status == 0, status == http.StatusTooManyRequests, status >= 500:
		return &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op, Message: "언어 모델에 연결하지 못했어요.", Err: err}
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return &sodam.Error{Code: sodam.EUNAUTHORIZED, Op: op, Message: "언어 모델 인증에 실패했어요.", Err: err}
	}
	return &sodam.Error{Code: sodam.EINVALID, Op: op, Message: "언어 모델이 요청을 거절했어요.", Err: err}
}
