package postgres_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
)

// Two servers on one database: turns of one conversation never overlap,
// turns of different users do not wait on each other, and a wait past the
// timeout is EUNAVAILABLE.
func TestLockConversationAcrossStores(t *testing.T) {
	a := newStore(t, nil)
	b := newStore(t, nil) // another pool: another server
	ctx := context.Background()

	var inside, maxInside atomic.Int32
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := a
			if i%2 == 1 {
				s = b
			}
			unlock, err := s.LockConversation(ctx, "u-1", 10*time.Second)
			if err != nil {
				t.Errorf("lock: %v", err)
				return
			}
			n := inside.Add(1)
			for {
				m := maxInside.Load()
				if n <= m || maxInside.CompareAndSwap(m, n) {
					break
				}
			}
			time.Sleep(5 * time.Millisecond)
			inside.Add(-1)
			unlock()
		}()
	}
	wg.Wait()
	if got := maxInside.Load(); got != 1 {
		t.Errorf("at most %d turns of one conversation ran at once, want 1", got)
	}

	unlock, err := a.LockConversation(ctx, "u-1", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	other, err := b.LockConversation(ctx, "u-2", time.Second)
	if err != nil {
		t.Fatalf("another user's turn waited: %v", err)
	}
	other()
	_, err = b.LockConversation(ctx, "u-1", 100*time.Millisecond)
	if !sodam.IsCode(err, sodam.EUNAVAILABLE) {
		t.Errorf("busy conversation: err = %v, want unavailable", err)
	}
	unlock()
	again, err := b.LockConversation(ctx, "u-1", time.Second)
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	again()
}
