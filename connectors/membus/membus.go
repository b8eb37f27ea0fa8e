// Package membus is the in-process event bus, the default when no broker
// is configured: one server, whose handlers hear every event it
// publishes at once, on the publishing goroutine.
package membus

import (
	"context"
	"errors"
	"sync"

	"github.com/sodam-ai/sodam"
)

// Bus is an in-process sodam.EventBus. Publish calls every subscribed
// handler in turn before it returns, so an event is applied by the time
// the change that caused it is reported. It is safe for concurrent use.
type Bus struct {
	mu       sync.RWMutex
	next     int
	handlers map[int]subscriber
}

type subscriber struct {
	ctx context.Context
	h   sodam.EventHandler
}

var _ sodam.EventBus = (*Bus)(nil)

// New returns a bus with no subscribers.
func New() *Bus { return &Bus{handlers: make(map[int]subscriber)} }

// Publish calls every handler with e and returns their errors joined. A
// handler's error does not keep e from the others; there is no later
// delivery in process, so a handler that fails has to mend itself (the
// merchant side's notices wait in the outbox for the next connection).
func (b *Bus) Publish(ctx context.Context, e *sodam.BusEvent) error {
	b.mu.RLock()
	hs := make([]sodam.EventHandler, 0, len(b.handlers))
	for i := 0; i < b.next; i++ {
		if s, ok := b.handlers[i]; ok && s.ctx.Err() == nil {
			hs = append(hs, s.h)
		}
	}
	b.mu.RUnlock()
	var errs []error
	for _, h := range hs {
		if err := h(ctx, e); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Subscribe calls h for every event published until ctx ends.
func (b *Bus) Subscribe(ctx context.Context, h sodam.EventHandler) error {
	if h == nil {
		return errors.New("membus: nil handler")
	}
	b.mu.Lock()
	id := b.next
	b.next++
	b.handlers[id] = subscriber{ctx, h}
	b.mu.Unlock()
	context.AfterFunc(ctx, func() {
		b.mu.Lock()
		delete(b.handlers, id)
		b.mu.Unlock()
	})
	return nil
}
