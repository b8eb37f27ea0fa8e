package nats

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/sodam-ai/sodam"
)

const (
	// recentIDsKept is how many applied event ids a subscriber remembers
	// to acknowledge a redelivered event without applying it again.
	recentIDsKept = 10_000
	// ackWait is how long the broker waits for an acknowledgement before
	// it delivers an event again; a handler that runs longer is reported
	// in progress every third of it. An event lost in flight (a consumer
	// stopped as it came) holds up its stream for at most this long.
	ackWait = 10 * time.Second
	// pullExpiry bounds one pull request; heartbeats come at half of it,
	// so a consumer that stopped answering is noticed within it.
	pullExpiry = 10 * time.Second
	// startMargin is how far before the time it is meant to start from a
	// consumer made late starts, for the clocks of this server and the
	// broker: a few events too many are dropped as repeats, none is
	// missed.
	startMargin = 5 * time.Second
	// maxNakDelay caps the delay before an event a handler failed on is
	// delivered again.
	maxNakDelay = 5 * time.Second
)

// subscriber is one Subscribe call's handler.
type subscriber struct {
	ctx     context.Context
	h       sodam.EventHandler
	applied *recentIDs // events h applied
}

// consumers are the running consumer loops, one per stream.
type consumers struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func (c *consumers) stop() {
	c.cancel()
	c.wg.Wait()
}

// Subscribe calls h for every event published from now on, and for
// those published since this server (ServerID) last acknowledged one,
// until ctx ends or the bus is closed. It returns once this server's
// durable consumers are set up, or with the error that kept them from
// it; when the broker is unreachable it returns nil and the consumers
// are set up once it is reached.
//
// Within a stream, events reach h one at a time, in the order they were
// published; an event h fails on is delivered again after a short delay
// before any later one of its stream. An event h applied (nil error) is
// acknowledged without calling h again when it comes back, among the
// last 10,000 it applied; h must still tolerate repeats beyond that.
// Subscribe may be called more than once: every handler gets every
// event, and an event is acknowledged once all have applied it.
func (b *Bus) Subscribe(ctx context.Context, h sodam.EventHandler) error {
	if h == nil {
		return errors.New("nats: subscribe: nil handler")
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("nats: subscribe: %w", err)
	}
	b.subMu.Lock()
	defer b.subMu.Unlock()

	hctx, hcancel := context.WithCancel(ctx)
	stopOnClose := context.AfterFunc(b.ctx, hcancel)
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		stopOnClose()
		hcancel()
		return errors.New("nats: subscribe: bus closed")
	}
	id := b.nextSub
	b.nextSub++
	b.subs[id] = &subscriber{ctx: hctx, h: h, applied: newRecentIDs(recentIDsKept)}
	b.mu.Unlock()

	if b.consuming == nil {
		c, err := b.startConsumers(ctx)
		if err != nil {
			b.mu.Lock()
			delete(b.subs, id)
			b.mu.Unlock()
			stopOnClose()
			hcancel()
			return err
		}
		b.consuming = c
	}
	context.AfterFunc(hctx, func() {
		stopOnClose()
		b.subMu.Lock()
		defer b.subMu.Unlock()
		b.mu.Lock()
		delete(b.subs, id)
		last := len(b.subs) == 0
		b.mu.Unlock()
		if last && b.consuming != nil {
			b.consuming.stop()
			b.consuming = nil
		}
	})
	return nil
}

// subscribers returns the handlers whose context has not ended, in the
// order they subscribed.
func (b *Bus) subscribers() []*subscriber {
	b.mu.Lock()
	defer b.mu.Unlock()
	ids := make([]int, 0, len(b.subs))
	for id, s := range b.subs {
		if s.ctx.Err() == nil {
			ids = append(ids, id)
		}
	}
	sort.Ints(ids)
	subs := make([]*subscriber, len(ids))
	for i, id := range ids {
		subs[i] = b.subs[id]
	}
	return subs
}

// startConsumers sets up the durable consumers, when connected, and
// starts consuming every stream.
func (b *Bus) startConsumers(ctx context.Context) (*consumers, error) {
	initial := make([]jetstream.Consumer, len(sodam.EventStreams()))
	if ready, _ := b.readyState(); ready {
		sctx, cancel := context.WithTimeout(ctx, setupTimeout)
		defer cancel()
		for i, s := range sodam.EventStreams() {
			cons, _, err := b.ensureConsumer(sctx, s, time.Time{})
			if err != nil {
				return nil, fmt.Errorf("nats: subscribe: %w", err)
			}
			initial[i] = cons
		}
	} else {
		b.log.Warn("nats: not connected; the consumers are set up once it is")
	}
	subscribed := time.Now()
	lctx, cancel := context.WithCancel(b.ctx)
	c := &consumers{cancel: cancel}
	for i, s := range sodam.EventStreams() {
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			b.consume(lctx, s, initial[i], subscribed)
		}()
	}
	return c, nil
}

// ensureConsumer returns this server's durable consumer on stream s,
// creating it when missing. A new consumer gets the events published
// from now on, or, when since is set (it replaces one the broker lost),
// those published from since.
// It reports whether it created the consumer.
func (b *Bus) ensureConsumer(ctx context.Context, s string, since time.Time) (jetstream.Consumer, bool, error) {
	stream := b.streamName(s)
	cons, err := b.js.Consumer(ctx, stream, b.consumer)
	if err == nil {
		cfg := cons.CachedInfo().Config
		if cfg.InactiveThreshold == b.cfg.InactiveThreshold && cfg.MaxAckPending == 1 && cfg.AckWait == ackWait {
			return cons, false, nil
		}
		cfg.InactiveThreshold, cfg.MaxAckPending, cfg.AckWait = b.cfg.InactiveThreshold, 1, ackWait
		cons, err = b.js.UpdateConsumer(ctx, stream, cfg)
		if err != nil {
			return nil, false, fmt.Errorf("update consumer %s on %s: %w", b.consumer, stream, err)
		}
		return cons, false, nil
	}
	if !errors.Is(err, jetstream.ErrConsumerNotFound) {
		return nil, false, fmt.Errorf("consumer %s on %s: %w", b.consumer, stream, err)
	}
	cfg := jetstream.ConsumerConfig{
		Durable:     b.consumer,
		Description: "sodam server " + b.cfg.ServerID,
		AckPolicy:   jetstream.AckExplicitPolicy,
		AckWait:     ackWait,
		// One event in flight: a stream's events are applied in order,
		// an event handed back waits for nothing after it.
		MaxAckPending:     1,
		MaxDeliver:        -1,
		DeliverPolicy:     jetstream.DeliverNewPolicy,
		InactiveThreshold: b.cfg.InactiveThreshold,
	}
	if !since.IsZero() {
		cfg.DeliverPolicy = jetstream.DeliverByStartTimePolicy
		cfg.OptStartTime = &since
	}
	cons, err = b.js.CreateOrUpdateConsumer(ctx, stream, cfg)
	if err != nil {
		return nil, false, fmt.Errorf("create consumer %s on %s: %w", b.consumer, stream, err)
	}
	return cons, true, nil
}

// consume delivers stream s's events to the subscribers until ctx ends.
// cons is the consumer when Subscribe could set it up, nil when the
// broker was unreachable: it is then set up once the broker is reached,
// starting from the time of Subscribe (subscribed). It is made again
// when the broker lost it (a broker restarted without its store, or the
// consumer deleted), starting from the last sign of life of the old one.
func (b *Bus) consume(ctx context.Context, s string, cons jetstream.Consumer, subscribed time.Time) {
	stream := b.streamName(s)
	var (
		lastOK atomic.Int64 // unix nanoseconds the consumer was last seen working
		order  sync.Mutex   // one delivery at a time, across consumer restarts
	)
	known := cons != nil
	lastOK.Store(subscribed.UnixNano())
	deliver := b.deliverer(&order, &lastOK)
	for ctx.Err() == nil {
		if cons == nil {
			if !b.waitReady(ctx) {
				return
			}
			since := time.Unix(0, lastOK.Load()).Add(-startMargin)
			sctx, cancel := context.WithTimeout(ctx, setupTimeout)
			c, created, err := b.ensureConsumer(sctx, s, since)
			cancel()
			if err != nil {
				b.log.Warn("nats: cannot set up the consumer; trying again", "stream", stream, "err", err)
				sleep(ctx, retryEvery)
				continue
			}
			switch {
			case created && known:
				b.log.Warn("nats: the broker lost the consumer; made it again", "stream", stream, "since", since)
			case created:
				b.log.Info("nats: consumer set up", "stream", stream, "since", since)
			}
			cons, known = c, true
			lastOK.Store(time.Now().UnixNano())
		}
		check := make(chan struct{}, 1)
		cc, err := cons.Consume(deliver,
			jetstream.PullExpiry(pullExpiry),
			jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
				b.log.Debug("nats: consuming", "stream", stream, "err", err)
				b.signal(check)
			}))
		if err != nil {
			b.log.Warn("nats: cannot consume; trying again", "stream", stream, "err", err)
			cons = nil
			sleep(ctx, retryEvery)
			continue
		}
		if !b.watch(ctx, stream, cc, check, &lastOK) {
			cc.Stop()
			cons = nil
		}
	}
}

// watch waits while consuming works: until ctx ends (true: nothing to
// make again) or the consumer is lost (false). It looks for the
// consumer after every reconnect and whenever consuming reports an
// error.
func (b *Bus) watch(ctx context.Context, stream string, cc jetstream.ConsumeContext, check <-chan struct{}, lastOK *atomic.Int64) bool {
	closed := cc.Closed()
	_, reconnected := b.readyState()
	for {
		select {
		case <-ctx.Done():
			cc.Stop()
			return true
		case <-closed:
			return false // consuming ended by itself: the consumer was deleted
		case <-reconnected:
			_, reconnected = b.readyState()
		case <-check:
		}
		if ready, _ := b.readyState(); !ready {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, setupTimeout)
		_, err := b.js.Consumer(cctx, stream, b.consumer)
		cancel()
		switch {
		case err == nil:
			lastOK.Store(time.Now().UnixNano())
		case errors.Is(err, jetstream.ErrConsumerNotFound), errors.Is(err, jetstream.ErrStreamNotFound):
			return false
		default:
			b.log.Debug("nats: cannot look up the consumer", "stream", stream, "err", err)
		}
	}
}

// waitReady waits until the bus is connected with its streams set up;
// false when ctx ends first.
func (b *Bus) waitReady(ctx context.Context) bool {
	for {
		ready, next := b.readyState()
		if ready {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-next:
		}
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// deliverer returns the function that applies one message: decode it,
// call the handlers that have not applied it yet, and acknowledge it
// when all have, or hand it back with a delay when one failed.
// Undecodable messages are terminated (never delivered again) and
// logged.
func (b *Bus) deliverer(order *sync.Mutex, lastOK *atomic.Int64) jetstream.MessageHandler {
	return func(m jetstream.Msg) {
		order.Lock()
		defer order.Unlock()
		lastOK.Store(time.Now().UnixNano())

		var e sodam.BusEvent
		err := json.Unmarshal(m.Data(), &e)
		if err == nil && e.ID == "" {
			err = errors.New("no id")
		}
		if err != nil {
			b.log.Error("nats: dropped an event that cannot be decoded", "subject", m.Subject(), "err", err)
			if err := m.Term(); err != nil {
				b.log.Warn("nats: cannot terminate a message", "subject", m.Subject(), "err", err)
			}
			return
		}

		subs := b.subscribers()
		var (
			failed error
			called bool
		)
		for _, s := range subs {
			if s.applied.has(e.ID) {
				continue
			}
			if s.ctx.Err() != nil {
				failed = s.ctx.Err()
				continue
			}
			called = true
			if err := b.apply(s, m, e); err != nil {
				failed = err
				continue
			}
			s.applied.add(e.ID)
		}
		if len(subs) == 0 {
			failed = errors.New("no handler subscribed")
		}
		if failed != nil {
			n := 1
			if md, err := m.Metadata(); err == nil {
				n = int(md.NumDelivered)
			}
			delay := nakDelay(n)
			if called {
				b.log.Warn("nats: an event handler failed; delivering the event again", "id", e.ID, "kind", e.Kind,
					"attempt", n, "retry_in", delay, "err", failed)
			}
			if err := m.NakWithDelay(delay); err != nil {
				b.log.Debug("nats: cannot hand an event back", "id", e.ID, "err", err)
			}
			return
		}
		if err := m.Ack(); err != nil {
			// The broker delivers it again after ackWait; the handlers
			// remember they applied it.
			b.log.Debug("nats: cannot acknowledge an event", "id", e.ID, "err", err)
		}
	}
}

// apply calls s's handler with its own copy of e, reporting m in
// progress to the broker while the handler runs longer than a third of
// ackWait. A handler that panics fails.
func (b *Bus) apply(s *subscriber, m jetstream.Msg, e sodam.BusEvent) (err error) {
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(ackWait / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				m.InProgress()
			}
		}
	}()
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("nats: an event handler panicked", "id", e.ID, "kind", e.Kind, "panic", p)
			err = fmt.Errorf("handler panicked: %v", p)
		}
	}()
	return s.h(s.ctx, &e)
}

// nakDelay is how long an event waits before its attempt+1st delivery.
func nakDelay(attempt int) time.Duration {
	return min(time.Duration(attempt)*250*time.Millisecond, maxNakDelay)
}

// recentIDs remembers the last n ids added.
type recentIDs struct {
	mu   sync.Mutex
	ring []string
	next int
	set  map[string]struct{}
}

func newRecentIDs(n int) *recentIDs {
	return &recentIDs{ring: make([]string, n), set: make(map[string]struct{}, n)}
}

func (r *recentIDs) has(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.set[id]
	return ok
}

func (r *recentIDs) add(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.set[id]; ok {
		return
	}
	if old := r.ring[r.next]; old != "" {
		delete(r.set, old)
	}
	r.ring[r.next] = id
	r.set[id] = struct{}{}
	r.next = (r.next + 1) % len(r.ring)
}
