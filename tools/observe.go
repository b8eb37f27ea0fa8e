package tools

import (
	"context"
	"strings"
	"time"

	"github.com/sodam-ai/sodam"
)

// WithObserver calls f after every tool call with the tool's name, how
// long it took and its result code: "ok", or the error code of a failed
// call (invalid, not_found, conflict ...). Metrics use it.
//
// It sees each call as the audit log records it: the option wraps the
// store's RecordToolCall, so that calls made by method and by name alike
// are observed, and a nil f changes nothing.
func WithObserver(f func(tool string, d time.Duration, code string)) Option {
	return func(t *Toolbox) {
		if f != nil && t.store != nil {
			t.store = observedStore{Store: t.store, observe: f}
		}
	}
}

// observedStore is a store whose audit log also tells an observer.
type observedStore struct {
	sodam.Store
	observe func(tool string, d time.Duration, code string)
}

func (s observedStore) RecordToolCall(ctx context.Context, c *sodam.ToolCall) error {
	s.observe(c.Tool, c.Duration, callCode(c.Error))
	return s.Store.RecordToolCall(ctx, c)
}

// callCode recovers the error code from a recorded error text, which is
// *sodam.Error's "op: code: message: cause" (possibly behind wrapping
// prefixes); any other error is internal.
func callCode(errText string) string {
	if errText == "" {
		return "ok"
	}
	for _, code := range []string{sodam.EINVALID, sodam.ENOTFOUND, sodam.ECONFLICT, sodam.EUNAUTHORIZED, sodam.EUNAVAILABLE, sodam.EINTERNAL} {
		if errText == code || strings.HasPrefix(errText, code+": ") ||
			strings.Contains(errText, ": "+code+": ") || strings.HasSuffix(errText, ": "+code) {
			return code
		}
	}
	return sodam.EINTERNAL
}
