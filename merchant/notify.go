package merchant

import (
	"context"
	"slices"
	"sync"

	"github.com/sodam-ai/sodam"
)

// Delivery. A notice goes to the user's open chats at once; when the user
// has none it waits in the outbox (Records.Outbox) until Connected is
// called for the user's next connection, which delivers the waiting
// notices in order and acknowledges them, so each arrives once. All
// delivery to one user runs under that user's lock, and a user known to
// have waiting notices gets new ones through the outbox too, so a new
// notice never overtakes an older one. Broadcast notices of a channel the
// user has removed since are dropped instead of delivered.

// pendingSet remembers the users this process left notices for.
type pendingSet struct {
	mu    sync.Mutex
	users map[string]bool
}

func (p *pendingSet) add(userID string) {
	p.mu.Lock()
	if p.users == nil {
		p.users = make(map[string]bool)
	}
	p.users[userID] = true
	p.mu.Unlock()
}

func (p *pendingSet) has(userID string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.users[userID]
}

func (p *pendingSet) drop(userID string) {
	p.mu.Lock()
	delete(p.users, userID)
	p.mu.Unlock()
}

// notify delivers n to its user now, or keeps it for the next connection.
// A failure to keep it is logged: the change it reports has happened.
func (s *Service) notify(ctx context.Context, n *sodam.Notice) {
	if n.At.IsZero() {
		n.At = s.now()
	}
	defer s.lockUser(n.UserID)()
	s.deliverLocked(ctx, n)
}

// deliverLocked is notify under the user's lock.
func (s *Service) deliverLocked(ctx context.Context, n *sodam.Notice) {
	if !s.pending.has(n.UserID) && s.notifier.Notify(n.UserID, n) > 0 {
		return
	}
	if err := s.recs.Enqueue(context.WithoutCancel(ctx), []*sodam.Notice{n}); err != nil {
		s.log.Error("keep a notice for later", "user", n.UserID, "kind", n.Kind, "err", err)
		return
	}
	s.pending.add(n.UserID)
	s.flushLocked(ctx, n.UserID)
}

// Connected delivers the notices waiting for a user who has just opened
// a chat connection, in order, and returns how many it delivered. It is
// called by the chat server once the connection can receive events.
func (s *Service) Connected(ctx context.Context, userID string) int {
	defer s.lockUser(userID)()
	return s.flushLocked(ctx, userID)
}

// flushLocked delivers the user's waiting notices until one cannot be
// delivered, and acknowledges those delivered or dropped.
func (s *Service) flushLocked(ctx context.Context, userID string) int {
	ctx = context.WithoutCancel(ctx)
	ns, err := s.recs.Pending(ctx, userID)
	if err != nil {
		s.log.Error("read waiting notices", "user", userID, "err", err)
		return 0
	}
	if len(ns) == 0 {
		s.pending.drop(userID)
		return 0
	}
	var subs []string
	if u, err := s.store.User(ctx, userID); err == nil {
		subs = u.Subscriptions
	}
	var (
		acked int64 = -1
		sent  int
	)
	for _, n := range ns {
		if n.Kind == sodam.NoticeBroadcast && !slices.Contains(subs, n.ChannelID) {
			acked = n.Seq
			continue
		}
		if s.notifier.Notify(userID, n) == 0 {
			break
		}
		acked = n.Seq
		sent++
	}
	if acked >= 0 {
		if err := s.recs.Ack(ctx, userID, acked); err != nil {
			s.log.Error("acknowledge notices", "user", userID, "err", err)
			return sent
		}
	}
	if acked == ns[len(ns)-1].Seq {
		s.pending.drop(userID)
	} else {
		s.pending.add(userID)
	}
	return sent
}
