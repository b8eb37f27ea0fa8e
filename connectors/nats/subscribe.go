package nats

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/sodam-ai/sodam"
)

// MaxAckPending is how many events of a stream a server holds at once,
// received and not yet acknowledged: events of different keys (users)
// among them are applied at the same time.
const MaxAckPending = 256

const (
	// recentIDsKept is how many applied event ids a subscriber remembers
	// to acknowledge a redelivered event without applying it again.
	recentIDsKept = 10_000
	// ackWait is how long the broker waits for an acknowledgement before
	// it delivers an event again; an event held longer (a handler that
	// runs long, a failing event retried, the events of its key waiting
	// behind it) is reported in progress every third of it. An event
	// lost in flight (a server killed, a connection broken as it came)
	// comes again after this long, perhaps after later ones of its key.
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
	// applied again.
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
// Within a stream, the events of one key (sodam.BusEvent.OrderKey: one
// user's, else one channel's) reach h one at a time, in the order they
// were published, and events of different keys reach h at the same
// time (up to MaxAckPending held at once): h must be safe for
// concurrent use. An event h fails on is given to h again after a short,
// growing delay, before any later event of its key; other keys go on
// meanwhile. When the bus closes or the last handler leaves, the events
// not applied yet go back to the broker in publish order and come again
// first after a restart. An event in flight when the server was killed
// or its connection broke comes again after ackWait (10 s), possibly
// after later events of its key; merchant's notices still reach a user
// in outbox Seq order, since every delivery flushes what waits before
// it. An event h applied (nil error) is
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
		if cfg.InactiveThreshold == b.cfg.InactiveThreshold && cfg.MaxAckPending == MaxAckPending && cfg.AckWait == ackWait {
			return cons, false, nil
		}
		cfg.InactiveThreshold, cfg.MaxAckPending, cfg.AckWait = b.cfg.InactiveThreshold, MaxAckPending, ackWait
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
		// Many events in flight, applied in order per key by the
		// lanes: one user's failing event holds up only that user's.
		MaxAckPending:     MaxAckPending,
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
		last   jetstream.ConsumeContext
	)
	known := cons != nil
	lastOK.Store(subscribed.UnixNano())
	// One set of lanes across consumer restarts: an event of the new
	// consumer waits behind those of its key still held from the old.
	l := newLanes(ctx, b, &lastOK)
	defer func() {
		if last != nil {
			// Hand events back once nothing more comes to this
			// consumer, so that none is sent to it again in between.
			select {
			case <-last.Closed():
			case <-time.After(setupTimeout):
			}
		}
		l.stop()
	}()
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
		l.replay(ctx, stream, cons)
		check := make(chan struct{}, 1)
		cc, err := cons.Consume(l.add,
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
		last = cc
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

// lanes applies one stream's events for every subscriber: the events of
// one key (sodam.BusEvent.OrderKey: one user's) one at a time, in the
// order they came, and those of different keys at the same time, so
// that a burst of many users' events is not applied one by one. Up to
// MaxAckPending events are held at once; each is acknowledged once every
// handler has applied it. An event a handler fails on is tried again in
// its lane, after a growing delay, before any later event of its key,
// while the other keys go on; meanwhile the broker hears it is in
// progress, so that it does not deliver it again. When consuming stops
// the events not applied yet are handed back to the broker in stream
// order, so that they come again first, in that order.
type lanes struct {
	b      *Bus
	ctx    context.Context // ends when consuming the stream stops
	lastOK *atomic.Int64   // unix nanoseconds the consumer was last seen working

	mu      sync.Mutex
	byKey   map[string][]*delivery // the held events of every key with a lane running, the first being applied
	stopped bool                   // stop has begun: events that come now go back to the broker
	wg      sync.WaitGroup         // the lanes and the keep-alive
}

// delivery is an event held and not acknowledged yet.
type delivery struct {
	m     jetstream.Msg // nil for an event read back from the stream (replay): nothing to acknowledge
	e     sodam.BusEvent
	seq   uint64    // its stream sequence, to hand events back in order
	shown time.Time // when the broker last heard of it: its delivery, or a report in progress
}

func newLanes(ctx context.Context, b *Bus, lastOK *atomic.Int64) *lanes {
	l := &lanes{b: b, ctx: ctx, lastOK: lastOK, byKey: make(map[string][]*delivery)}
	l.wg.Add(1)
	go l.keepAlive()
	return l
}

// add is the consumer's message handler: it decodes m and queues it in
// its key's lane. Undecodable messages are terminated (never delivered
// again) and logged.
func (l *lanes) add(m jetstream.Msg) {
	l.lastOK.Store(time.Now().UnixNano())
	var seq uint64
	if md, err := m.Metadata(); err == nil {
		seq = md.Sequence.Stream
	}
	d, err := decode(m.Data(), seq)
	if err != nil {
		l.b.log.Error("nats: dropped an event that cannot be decoded", "subject", m.Subject(), "err", err)
		if err := m.Term(); err != nil {
			l.b.log.Warn("nats: cannot terminate a message", "subject", m.Subject(), "err", err)
		}
		return
	}
	d.m = m
	l.queue(d)
}

// decode reads the event of a message at stream sequence seq.
func decode(data []byte, seq uint64) (*delivery, error) {
	d := &delivery{seq: seq, shown: time.Now()}
	if err := json.Unmarshal(data, &d.e); err != nil {
		return nil, err
	}
	if d.e.ID == "" {
		return nil, errors.New("no id")
	}
	return d, nil
}

// queue puts d at the end of its key's lane, starting the lane when it
// has no work. After stop has begun d goes back to the broker.
func (l *lanes) queue(d *delivery) {
	key := d.e.OrderKey()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stopped {
		d.nak(l.b)
		return
	}
	q, running := l.byKey[key]
	l.byKey[key] = append(q, d)
	if !running {
		l.wg.Add(1)
		go l.run(key)
	}
}

// replay queues, in stream order, the events of stream the consumer
// has delivered but not all acknowledged (from its ack floor to the
// last it delivered), read from the stream itself: those a server held
// when it was killed or closed, which the broker would deliver again
// only after ackWait and perhaps after later events of their keys. Call
// it before consuming, so that later events queue behind them. Events
// the handlers applied in this process are acknowledged as repeats;
// after a restart those acknowledged out of order are applied again,
// which handlers tolerate. When the stream cannot be read the broker's
// redelivery is left to bring them.
func (l *lanes) replay(ctx context.Context, stream string, cons jetstream.Consumer) {
	ctx, cancel := context.WithTimeout(ctx, setupTimeout)
	defer cancel()
	info, err := cons.Info(ctx)
	if err != nil {
		if l.ctx.Err() != nil {
			return // stopping
		}
		l.b.log.Warn("nats: cannot look up the events left unacknowledged", "stream", stream, "err", err)
		return
	}
	if info.NumAckPending == 0 {
		return
	}
	st, err := l.b.js.Stream(ctx, stream)
	if err != nil {
		l.b.log.Warn("nats: cannot read the events left unacknowledged", "stream", stream, "err", err)
		return
	}
	n := 0
	for seq := info.AckFloor.Stream + 1; seq <= info.Delivered.Stream; seq++ {
		raw, err := st.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue // gone with MaxAge
		}
		if err != nil {
			l.b.log.Warn("nats: cannot read an event left unacknowledged", "stream", stream, "seq", seq, "err", err)
			return
		}
		d, err := decode(raw.Data, seq)
		if err != nil {
			continue // terminated when delivered
		}
		l.queue(d)
		n++
	}
	l.b.log.Info("nats: applying the events left unacknowledged first", "stream", stream, "events", n,
		"unacknowledged", info.NumAckPending)
}

// run applies key's events until none is left, or until consuming
// stops (stop hands back what is left).
func (l *lanes) run(key string) {
	defer l.wg.Done()
	for {
		l.mu.Lock()
		d := l.byKey[key][0]
		l.mu.Unlock()
		if !l.apply(d) {
			return
		}
		d.ack(l.b)
		l.mu.Lock()
		q := l.byKey[key]
		q[0] = nil
		if len(q) == 1 {
			delete(l.byKey, key)
			l.mu.Unlock()
			return
		}
		l.byKey[key] = q[1:]
		l.mu.Unlock()
	}
}

// apply hands d to the handlers until all have applied it, waiting a
// growing delay between attempts. It reports false when consuming stops
// first.
func (l *lanes) apply(d *delivery) bool {
	for attempt := 1; ; attempt++ {
		failed, called := l.b.applyAll(d.e)
		if failed == nil {
			return true
		}
		if l.ctx.Err() != nil {
			return false
		}
		delay := nakDelay(attempt)
		if called {
			l.b.log.Warn("nats: an event handler failed; applying the event again", "id", d.e.ID, "kind", d.e.Kind,
				"attempt", attempt, "retry_in", delay, "err", failed)
		}
		t := time.NewTimer(delay)
		select {
		case <-l.ctx.Done():
			t.Stop()
			return false
		case <-t.C:
		}
	}
}

// keepAlive tells the broker, every third of ackWait, that the events
// held longer than that are in progress, until consuming stops.
func (l *lanes) keepAlive() {
	defer l.wg.Done()
	t := time.NewTicker(ackWait / 3)
	defer t.Stop()
	for {
		select {
		case <-l.ctx.Done():
			return
		case <-t.C:
		}
		now := time.Now()
		var due []jetstream.Msg
		l.mu.Lock()
		for _, q := range l.byKey {
			for _, d := range q {
				if d.m != nil && now.Sub(d.shown) >= ackWait/3 {
					d.shown = now
					due = append(due, d.m)
				}
			}
		}
		l.mu.Unlock()
		for _, m := range due {
			if err := m.InProgress(); err != nil {
				l.b.log.Debug("nats: cannot report an event in progress", "subject", m.Subject(), "err", err)
			}
		}
	}
}

// stop waits for the lanes once consuming has stopped (ctx ended) and
// hands the events they did not apply back to the broker, oldest first,
// so that they come again before the later ones.
func (l *lanes) stop() {
	l.mu.Lock()
	l.stopped = true
	l.mu.Unlock()
	l.wg.Wait()
	var left []*delivery
	for _, q := range l.byKey {
		left = append(left, q...)
	}
	l.byKey = nil
	slices.SortFunc(left, func(a, b *delivery) int { return cmp.Compare(a.seq, b.seq) })
	for _, d := range left {
		d.nak(l.b)
	}
}

// ack acknowledges d's message, if it has one.
func (d *delivery) ack(b *Bus) {
	if d.m == nil {
		return
	}
	if err := d.m.Ack(); err != nil {
		// The broker delivers it again after ackWait; the handlers
		// remember they applied it.
		b.log.Debug("nats: cannot acknowledge an event", "id", d.e.ID, "err", err)
	}
}

// nak hands d's message, if it has one, back to the broker to deliver
// again now.
func (d *delivery) nak(b *Bus) {
	if d.m == nil {
		return
	}
	if err := d.m.Nak(); err != nil {
		b.log.Debug("nats: cannot hand an event back", "id", d.e.ID, "err", err)
	}
}

// applyAll calls the handlers that have not applied e yet. It returns
// the last failure (nil when all have applied it) and whether a handler
// was called.
func (b *Bus) applyAll(e sodam.BusEvent) (failed error, called bool) {
	subs := b.subscribers()
	if len(subs) == 0 {
		return errors.New("no handler subscribed"), false
	}
	for _, s := range subs {
		if s.applied.has(e.ID) {
			continue
		}
		if err := s.ctx.Err(); err != nil {
			failed = err
			continue
		}
		called = true
		if err := b.apply(s, e); err != nil {
			failed = err
			continue
		}
		s.applied.add(e.ID)
	}
	return failed, called
}

// apply calls s's handler with its own copy of e. A handler that panics
// fails.
func (b *Bus) apply(s *subscriber, e sodam.BusEvent) (err error) {
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("nats: an event handler panicked", "id", e.ID, "kind", e.Kind, "panic", p)
			err = fmt.Errorf("handler panicked: %v", p)
		}
	}()
	return s.h(s.ctx, &e)
}

// nakDelay is how long an event waits before its attempt+1st try.
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
