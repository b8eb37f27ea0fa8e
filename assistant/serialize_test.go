package assistant

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
)

// userLocks is a ConversationLocker in process, counting what it did.
type userLocks struct {
	mu    sync.Mutex
	held  map[string]chan struct{}
	taken atomic.Int32
}

func (l *userLocks) LockConversation(ctx context.Context, userID string, timeout time.Duration) (func(), error) {
	for {
		l.mu.Lock()
		ch, busy := l.held[userID]
		if !busy {
			ch = make(chan struct{})
			l.held[userID] = ch
			l.mu.Unlock()
			l.taken.Add(1)
			return func() {
				l.mu.Lock()
				delete(l.held, userID)
				l.mu.Unlock()
				close(ch)
			}, nil
		}
		l.mu.Unlock()
		select {
		case <-ch:
		case <-time.After(timeout):
			return nil, sodam.Errorf(sodam.EUNAVAILABLE, "busy")
		}
	}
}

// overlapping is an assistant that records how many turns of one user
// run at once and how many turns run at all at once.
type overlapping struct {
	mu          sync.Mutex
	perUser     map[string]int
	maxPerUser  int
	running     int
	maxRunning  int
	releaseTurn chan struct{}
}

func (o *overlapping) Respond(ctx context.Context, t sodam.Turn) (*sodam.Response, error) {
	o.mu.Lock()
	o.perUser[t.UserID]++
	o.running++
	o.maxPerUser = max(o.maxPerUser, o.perUser[t.UserID])
	o.maxRunning = max(o.maxRunning, o.running)
	o.mu.Unlock()
	<-o.releaseTurn
	o.mu.Lock()
	o.perUser[t.UserID]--
	o.running--
	o.mu.Unlock()
	return &sodam.Response{Text: "네"}, nil
}

func TestSerializeOneTurnPerUserAndBoundedLocks(t *testing.T) {
	inner := &overlapping{perUser: map[string]int{}, releaseTurn: make(chan struct{})}
	locks := &userLocks{held: map[string]chan struct{}{}}
	a := Serialize(inner, locks, 3, time.Minute)
	var wg sync.WaitGroup
	const turns = 24
	for i := range turns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := []string{"u-1", "u-2", "u-3", "u-4"}[i%4]
			if _, err := a.Respond(context.Background(), sodam.Turn{UserID: user, Text: "치킨"}); err != nil {
				t.Error(err)
			}
		}()
	}
	for range turns {
		inner.releaseTurn <- struct{}{}
	}
	wg.Wait()
	if inner.maxPerUser != 1 {
		t.Errorf("%d turns of one user ran at once, want 1", inner.maxPerUser)
	}
	if inner.maxRunning > 3 {
		t.Errorf("%d turns held locks at once, want at most the 3 slots", inner.maxRunning)
	}
	if got := locks.taken.Load(); got != turns {
		t.Errorf("took %d locks for %d turns", got, turns)
	}
}

func TestSerializeGivesUpWhenTheContextEnds(t *testing.T) {
	inner := &overlapping{perUser: map[string]int{}, releaseTurn: make(chan struct{})}
	a := Serialize(inner, &userLocks{held: map[string]chan struct{}{}}, 1, time.Minute)
	go a.Respond(context.Background(), sodam.Turn{UserID: "u-1"}) // holds the only slot
	for {
		inner.mu.Lock()
		n := inner.running
		inner.mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := a.Respond(ctx, sodam.Turn{UserID: "u-2"})
		done <- err
	}()
	cancel()
	if err := <-done; sodam.ErrorCode(err) != sodam.EUNAVAILABLE {
		t.Errorf("waiting for a slot after the context ended: %v, want unavailable", err)
	}
	inner.releaseTurn <- struct{}{}
}
