// Package openaitest is a fake OpenAI-compatible chat completions server
// for tests: it answers POST /v1/chat/completions, streamed or not, with
// replies a test scripts, tool calls in the OpenAI format included, and
// records every request body it received.
package openaitest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
)

// Request is a chat completions request as the server decoded it. Raw is
// the body as sent.
type Request struct {
	Model       string    `json:"model"`
	Messages    []Message `json:"messages"`
	Tools       []Tool    `json:"tools"`
	Stream      bool      `json:"stream"`
	Temperature *float64  `json:"temperature"`
	MaxTokens   int       `json:"max_tokens"`
	// Fields is the body decoded as a generic object, to tell a field
	// sent as zero from one left out.
	Fields map[string]any `json:"-"`
	Raw    []byte         `json:"-"`
	Header http.Header    `json:"-"`
}

// Message is a chat message of a request.
type Message struct {
	Role       string     `json:"role"`
	Content    string     `json:"content"`
	ToolCalls  []ToolCall `json:"tool_calls,omitempty"`
	ToolCallID string     `json:"tool_call_id,omitempty"`
	Name       string     `json:"name,omitempty"`
}

// ToolCall is a tool call in the OpenAI format.
type ToolCall struct {
	Index    *int   `json:"index,omitempty"`
	ID       string `json:"id"`
	Type     string `json:"type"`
	Function struct {
		Name      string `json:"name"`
		Arguments string `json:"arguments"`
	} `json:"function"`
}

// Tool is a tool offered in a request.
type Tool struct {
	Type     string `json:"type"`
	Function struct {
		Name        string          `json:"name"`
		Description string          `json:"description"`
		Parameters  json.RawMessage `json:"parameters"`
	} `json:"function"`
}

// Call names a function call of a scripted reply.
type Call struct {
	ID        string
	Name      string
	Arguments string
}

// Reply is a scripted answer.
type Reply struct {
	Content   string
	ToolCalls []Call
	// Status, when not 0 or 200, is sent with an error body and Header.
	Status int
	Header http.Header
	// Delay holds the answer back (until the client gives up first, in
	// timeout tests).
	Delay time.Duration
	// NoChoices answers with an empty choice list.
	NoChoices bool
	// ChunkRunes is how many runes of text go in each streamed chunk (2).
	ChunkRunes int
}

// Script answers the n-th request (from 0).
type Script func(n int, req *Request) Reply

// Server is the fake endpoint. URL is its API root (ending in /v1).
type Server struct {
	*httptest.Server
	URL string

	mu       sync.Mutex
	requests []*Request
	script   Script
}

// NewServer starts a server answering with script. Close it when done.
func NewServer(script Script) *Server {
	s := &Server{script: script}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.serve)
	s.Server = httptest.NewServer(mux)
	s.URL = s.Server.URL + "/v1"
	return s
}

// Requests returns the requests received so far.
func (s *Server) Requests() []*Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Request(nil), s.requests...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req := &Request{Raw: raw, Header: r.Header.Clone()}
	if err := json.Unmarshal(raw, req); err != nil {
		writeError(w, http.StatusBadRequest, "bad json: "+err.Error())
		return
	}
	_ = json.Unmarshal(raw, &req.Fields)
	s.mu.Lock()
	n := len(s.requests)
	s.requests = append(s.requests, req)
	s.mu.Unlock()
	rep := s.script(n, req)
	if rep.Delay > 0 {
		select {
		case <-time.After(rep.Delay):
		case <-r.Context().Done():
			return
		}
	}
	for k, vs := range rep.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if rep.Status != 0 && rep.Status != http.StatusOK {
		writeError(w, rep.Status, http.StatusText(rep.Status))
		return
	}
	if req.Stream {
		s.stream(w, req, rep)
		return
	}
	msg := map[string]any{"role": "assistant", "content": rep.Content}
	finish := "stop"
	if len(rep.ToolCalls) > 0 {
		msg["tool_calls"] = toolCalls(rep.ToolCalls, false)
		finish = "tool_calls"
	}
	choices := []any{map[string]any{"index": 0, "message": msg, "finish_reason": finish}}
	if rep.NoChoices {
		choices = []any{}
	}
	writeJSON(w, map[string]any{"id": fmt.Sprint("chatcmpl-", n), "object": "chat.completion", "model": req.Model,
		"choices": choices, "usage": map[string]int{"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}})
}

func (s *Server) stream(w http.ResponseWriter, req *Request, rep Reply) {
	w.Header().Set("Content-Type", "text/event-stream")
	fl, _ := w.(http.Flusher)
	send := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
		if fl != nil {
			fl.Flush()
		}
	}
	chunk := func(delta map[string]any, finish any) map[string]any {
		return map[string]any{"id": "chatcmpl-s", "object": "chat.completion.chunk", "model": req.Model,
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}}}
	}
	if !rep.NoChoices {
		send(chunk(map[string]any{"role": "assistant"}, nil))
		n := rep.ChunkRunes
		if n <= 0 {
			n = 2
		}
		rs := []rune(rep.Content)
		for i := 0; i < len(rs); i += n {
			send(chunk(map[string]any{"content": string(rs[i:min(i+n, len(rs))])}, nil))
		}
		for i, c := range rep.ToolCalls {
			// The name and id first, then the arguments in two parts.
			first := toolCalls([]Call{{ID: c.ID, Name: c.Name}}, true)
			first[0]["index"] = i
			send(chunk(map[string]any{"tool_calls": first}, nil))
			half := len(c.Arguments) / 2
			for _, part := range []string{c.Arguments[:half], c.Arguments[half:]} {
				send(chunk(map[string]any{"tool_calls": []any{map[string]any{"index": i, "function": map[string]any{"arguments": part}}}}, nil))
			}
		}
		finish := "stop"
		if len(rep.ToolCalls) > 0 {
			finish = "tool_calls"
		}
		send(chunk(map[string]any{}, finish))
	}
	send(map[string]any{"id": "chatcmpl-s", "object": "chat.completion.chunk", "choices": []any{},
		"usage": map[string]int{"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}})
	fmt.Fprint(w, "data: [DONE]\n\n")
}

func toolCalls(cs []Call, streamed bool) []map[string]any {
	var out []map[string]any
	for i, c := range cs {
		id := c.ID
		if id == "" {
			id = "call_" + strconv.Itoa(i)
		}
		m := map[string]any{"id": id, "type": "function", "function": map[string]any{"name": c.Name, "arguments": c.Arguments}}
		if streamed {
			m["function"] = map[string]any{"name": c.Name, "arguments": ""}
		}
		out = append(out, m)
	}
	return out
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": "fake_error"}})
}

// LastToolResult returns the content of the last tool message of req.
func (r *Request) LastToolResult() string {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if r.Messages[i].Role == "tool" {
			return r.Messages[i].Content
		}
	}
	return ""
}

// Rounds counts the assistant messages with tool calls in req: how many
// tool rounds came before it in the turn.
func (r *Request) Rounds() int {
	n := 0
	for _, m := range r.Messages {
		if m.Role == "assistant" && len(m.ToolCalls) > 0 {
			n++
		}
	}
	return n
}
