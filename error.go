package sodam

import (
	"errors"
	"fmt"
)

// Error codes of the application. Every layer maps them in one table: to an
// HTTP status, a websocket close code and a fallback Korean text.
const (
	EINVALID      = "invalid"      // the input breaks a rule; the user can fix it
	ENOTFOUND     = "not_found"    // the record does not exist (or is not the caller's)
	ECONFLICT     = "conflict"     // the state does not allow it: sold out, already paid, closed
	EUNAUTHORIZED = "unauthorized" // the caller is not who it says or may not do this
	EUNAVAILABLE  = "unavailable"  // a dependency is down or timed out; retrying may help
	EINTERNAL     = "internal"     // a bug or an unexpected failure
)

// Error is the application error. Code is one of the constants above, Op
// names the operation that failed ("memstore.HoldSeats"), Message is a
// polite Korean sentence safe to show to a user, and Err the cause.
type Error struct {
	Code    string
	Op      string
	Message string
	Err     error
}

// Error implements error.
func (e *Error) Error() string {
	s := e.Code
	if e.Op != "" {
		s = e.Op + ": " + s
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a user-facing message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err, or a generic Korean
// apology when err carries none (internal errors are never shown).
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Message != "" && e.Code != EINTERNAL {
		return e.Message
	}
	return "죄송해요, 잠시 문제가 생겼어요. 조금 뒤에 다시 시도해 주세요."
}

// IsCode reports whether err carries the given code.
func IsCode(err error, code string) bool { return ErrorCode(err) == code }

// WrapError names op on err, keeping its code and user-facing message;
// an error that carries no code becomes EINTERNAL. A nil err stays nil.
// Each layer wraps with its own op, so the chain reads like a stack.
func WrapError(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return &Error{Code: e.Code, Op: op, Message: e.Message, Err: err}
	}
	return &Error{Code: EINTERNAL, Op: op, Err: err}
}
