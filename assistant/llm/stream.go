package llm

import "context"

// StreamFunc receives the text of a reply piece by piece, as the model
// writes it. It is called from the goroutine answering the turn and must
// not block for long. The deltas are a preview: the *sodam.Response the
// turn returns is the answer of record, and may differ from them (a
// confirmation asked by the dialogue manager, a fallback).
type StreamFunc func(delta string)

type streamKey struct{}

// WithStream returns a context that makes the planner stream the turn's
// reply to fn. A channel that can show text as it comes (the websocket
// chat) sets it per turn.
func WithStream(ctx context.Context, fn StreamFunc) context.Context {
	return context.WithValue(ctx, streamKey{}, fn)
}

// StreamFrom returns the StreamFunc of ctx, or nil.
func StreamFrom(ctx context.Context) StreamFunc {
	fn, _ := ctx.Value(streamKey{}).(StreamFunc)
	return fn
}
