package merchant

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/sodam-ai/sodam"
)

// Delivery. Every notice is first kept in its user's outbox
// (Records.Outbox), which gives it its Seq, and then published on the
// event bus with the change that caused it. Every server hears the event
// (HandleEvent) and delivers the notices of the users connected to it,
// together with anything still waiting in their outboxes, in Seq order,
// and acknowledges what it delivered. A user connected nowhere gets the
// waiting notices on the next connection (Connected), in order, once.
// All delivery to one user on one server runs under that user's lock, so
// that a new notice never overtakes an older one still waiting.
// Broadcast notices of a channel the user has removed since are dropped
// instead of delivered.
//
// Delivery is idempotent: a notice already acknowledged is no longer in
// the outbox, and the chat drops a Seq it already showed a connection
// (the same event heard twice, or a notice flushed on connecting whose
// event arrives after). Without a bus the service delivers in process,
// as the in-process bus would.

// broadcastChunk is how many notices one broadcast event carries at most,
// keeping an event well under a broker's message size limit.
const broadcastChunk = 500

// notify keeps n for its user and publishes it with the change that
// caused it. A failure is logged: the change it reports has happened.
func (s *Service) notify(ctx context.Context, e *sodam.BusEvent, n *sodam.Notice) {
	if n.At.IsZero() {
		n.At = s.now()
	}
	ctx = context.WithoutCancel(ctx)
	if err := s.recs.Enqueue(ctx, []*sodam.Notice{n}); err != nil {
		s.log.Error("keep a notice", "user", n.UserID, "kind", n.Kind, "err", err)
		return
	}
	e.Notices = []*sodam.Notice{n}
	s.publish(ctx, e)
}

// publish hands e to the bus, or delivers its notices here without one.
func (s *Service) publish(ctx context.Context, e *sodam.BusEvent) {
	if e.At.IsZero() {
		e.At = s.now()
	}
	if e.ID == "" {
		e.ID = sodam.NewEventID()
	}
	if s.events == nil {
		s.deliver(ctx, e.Notices)
		return
	}
	if err := s.events.Publish(ctx, e); err != nil {
		// The notices wait in the outboxes for their users' next
		// connection.
		s.log.Error("publish an event", "event", e.ID, "kind", e.Kind, "err", err)
	}
}

// HandleEvent delivers the notices an event carries to those of their
// users who are connected to this server. Subscribe it to the event bus.
func (s *Service) HandleEvent(ctx context.Context, e *sodam.BusEvent) error {
	s.deliver(ctx, e.Notices)
	return nil
}

// deliver delivers notices, grouped by user, to the users connected here.
func (s *Service) deliver(ctx context.Context, ns []*sodam.Notice) {
	if len(ns) == 0 {
		return
	}
	byUser := make(map[string][]*sodam.Notice)
	var users []string
	for _, n := range ns {
		if n == nil || n.UserID == "" {
			continue
		}
		if _, ok := byUser[n.UserID]; !ok {
			users = append(users, n.UserID)
		}
		byUser[n.UserID] = append(byUser[n.UserID], n)
	}
	for _, u := range users {
		if !s.online(u) {
			continue
		}
		unlock := s.lockUser(u)
		s.flushLocked(ctx, u, byUser[u])
		unlock()
	}
}

// online reports whether the user may be connected here: always, unless
// the notifier can tell (Presence).
func (s *Service) online(userID string) bool {
	p, ok := s.notifier.(Presence)
	return !ok || p.Online(userID)
}

// Connected delivers the notices waiting for a user who has just opened
// a chat connection, in order, and returns how many it delivered. It is
// called by the chat server once the connection can receive events.
func (s *Service) Connected(ctx context.Context, userID string) int {
	defer s.lockUser(userID)()
	return s.flushLocked(ctx, userID, nil)
}

// flushLocked delivers the user's waiting notices and the live ones
// (already kept, perhaps acknowledged by another server since) in Seq
// order until one cannot be delivered, and acknowledges those delivered
// or dropped.
func (s *Service) flushLocked(ctx context.Context, userID string, live []*sodam.Notice) int {
	ctx = context.WithoutCancel(ctx)
	ns, err := s.recs.Pending(ctx, userID)
	if err != nil {
		s.log.Error("read waiting notices", "user", userID, "err", err)
		ns = nil
	}
	waiting := make(map[int64]bool, len(ns))
	for _, n := range ns {
		waiting[n.Seq] = true
	}
	for _, n := range live {
		if !waiting[n.Seq] {
			ns = append(ns, n)
		}
	}
	if len(ns) == 0 {
		return 0
	}
	slices.SortStableFunc(ns, func(a, b *sodam.Notice) int { return cmp.Compare(a.Seq, b.Seq) })
	var (
		subs   []string
		looked bool
		acked  int64 = -1
		sent   int
	)
	for _, n := range ns {
		if n.Kind == sodam.NoticeBroadcast && waiting[n.Seq] {
			// A broadcast that waited is dropped if the user has
			// removed the channel since.
			if !looked {
				looked = true
				if u, err := s.store.User(ctx, userID); err == nil {
					subs = u.Subscriptions
				}
			}
			if !slices.Contains(subs, n.ChannelID) {
				acked = n.Seq
				continue
			}
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
		}
	}
	return sent
}

// fanOut keeps a broadcast's notices for its subscribers and
// publishes them in chunks.
func (s *Service) fanOut(ctx context.Context, b *sodam.Broadcast, name string, subs []string) {
	if len(subs) == 0 {
		return
	}
	ctx = context.WithoutCancel(ctx)
	text := fmt.Sprintf("[%s] %s", name, b.Text)
	ns := make([]*sodam.Notice, len(subs))
	for i, u := range subs {
		ns[i] = &sodam.Notice{UserID: u, Kind: sodam.NoticeBroadcast, ChannelID: b.ChannelID, BroadcastID: b.ID, Text: text, At: b.CreatedAt}
	}
	if err := s.recs.Enqueue(ctx, ns); err != nil {
		s.log.Error("keep a broadcast", "broadcast", b.ID, "users", len(ns), "err", err)
		return
	}
	for i := 0; i < len(ns); i += broadcastChunk {
		chunk := ns[i:min(i+broadcastChunk, len(ns))]
		s.publish(ctx, &sodam.BusEvent{ID: fmt.Sprintf("%s-%d", b.ID, i/broadcastChunk), Kind: sodam.EventBroadcastPosted,
			ChannelID: b.ChannelID, Notices: chunk, At: b.CreatedAt})
	}
}
