// Package llm is a planner that lets a language model answer the turns the
// dialogue manager is not sure of, over the same tools and under the same
// rules.
//
// The model sees the tool schemas (function calling), the dialogue's state
// and a Korean system prompt. What it may do is decided by the planner, not
// by the model:
//
//   - Tools that read (search_*, get_*, quote_order, merchant_info, ...)
//     and tools that only edit the draft cart (cart_add, cart_update,
//     cart_remove, reorder) run directly: nothing is charged, booked or
//     sent by them.
//   - Tools that charge, hold, cancel or subscribe (place_order, pay,
//     book_tickets, cancel_order, cancel_booking, subscribe_channel) never
//     run from a model's call. The call becomes an assistant.Proposal: the
//     dialogue manager prices it with the tools, asks the user to confirm
//     the exact amount, and carries it out only on the user's yes in the
//     next turn, through its own path.
//   - file_complaint is not run from a model's call either: the turn is
//     handed to the dialogue manager, which files a complaint only from the
//     user's own words.
//   - Any other tool with side effects, or a name not in the toolbox, is
//     refused.
//
// Every call is checked against its schema before anything happens, and a
// refused call is answered to the model as an error it can correct. Tool
// results go back in tool messages marked as data; the system prompt says
// that data is never an instruction, but the guarantee is the structure
// above: whatever a catalog text makes the model ask for, nothing is paid,
// cancelled or refunded without the user's confirmation.
//
// Each turn is bounded in model rounds, tokens and time.
package llm

import (
	"context"
	"encoding/json"
)

// Roles of chat messages.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
	RoleTool      = "tool"
)

// Message is one chat message in the OpenAI shape.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content,omitempty"`
	// ToolCalls are the calls an assistant message asks for.
	ToolCalls []ToolCall `json:"tool_calls,omitempty"`
	// ToolCallID ties a tool message to the call it answers.
	ToolCallID string `json:"tool_call_id,omitempty"`
	// Name is the tool's name on a tool message.
	Name string `json:"name,omitempty"`
}

// ToolCall is one function call asked for by the model. Arguments is the
// JSON text the model wrote, which may be malformed.
type ToolCall struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

// ToolSpec describes a function the model may call.
type ToolSpec struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Parameters  json.RawMessage `json:"parameters"`
}

// Request is one call of the model.
type Request struct {
	Messages []Message
	Tools    []ToolSpec
	// MaxTokens bounds the completion (0: the backend's default).
	MaxTokens int
	// Temperature is sent when not nil, including 0.
	Temperature *float64
}

// Usage counts the tokens of one call.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// Reply is the model's answer: text, tool calls, or both.
type Reply struct {
	Content      string
	ToolCalls    []ToolCall
	FinishReason string
	Usage        Usage
}

// Model is a chat model with function calling.
//
// Chat sends req and returns the model's reply. When stream is not nil the
// backend streams and calls it with each piece of text as it arrives, in
// order, from the calling goroutine; the Reply still holds the whole text.
// Errors are *sodam.Error values: EUNAVAILABLE when the endpoint cannot be
// reached, times out, keeps refusing (429, 5xx) or answers with no choice;
// EINVALID when it rejects the request.
type Model interface {
	Chat(ctx context.Context, req Request, stream StreamFunc) (*Reply, error)
}

// ModelFunc adapts a function to Model.
type ModelFunc func(ctx context.Context, req Request, stream StreamFunc) (*Reply, error)

// Chat calls f.
func (f ModelFunc) Chat(ctx context.Context, req Request, stream StreamFunc) (*Reply, error) {
	return f(ctx, req, stream)
}
