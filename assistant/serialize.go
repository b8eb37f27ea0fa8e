package assistant

import (
	"context"
	"time"

	"github.com/sodam-ai/sodam"
)

// ConversationLocker locks one user's conversation for every server on a
// shared store; connectors/postgres's Store is one. Waiting longer than
// timeout is EUNAVAILABLE.
type ConversationLocker interface {
	LockConversation(ctx context.Context, userID string, timeout time.Duration) (unlock func(), err error)
}

// DefaultLockTimeout is how long a turn waits for the user's previous
// one, on any server, before answering that it is still busy.
const DefaultLockTimeout = 10 * time.Second

// Serialize returns an assistant that answers each turn with inner while
// holding the user's conversation lock, so that two messages of one user
// sent at once to two servers never act on the same cart or seat hold
// together. The lock wraps the whole turn, the planner's included.
//
// A lock holds a database connection of its own while the turn's queries
// need others, so at most slots turns hold locks at once (the rest wait
// for a slot, as long as their context allows); give it less than the
// pool size, e.g. half.
func Serialize(inner sodam.Assistant, l ConversationLocker, slots int, timeout time.Duration) sodam.Assistant {
	if slots < 1 {
		slots = 1
	}
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	return &serialized{inner: inner, locks: l, slots: make(chan struct{}, slots), timeout: timeout}
}

type serialized struct {
	inner   sodam.Assistant
	locks   ConversationLocker
	slots   chan struct{}
	timeout time.Duration
}

// Respond implements sodam.Assistant.
func (s *serialized) Respond(ctx context.Context, t sodam.Turn) (*sodam.Response, error) {
	if t.UserID == "" {
		return s.inner.Respond(ctx, t)
	}
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, &sodam.Error{Code: sodam.EUNAVAILABLE, Op: "assistant.Respond", Message: "지금은 요청이 많아요. 잠시 후 다시 보내 주세요.", Err: ctx.Err()}
	}
	defer func() { <-s.slots }()
	unlock, err := s.locks.LockConversation(ctx, t.UserID, s.timeout)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return s.inner.Respond(ctx, t)
}
