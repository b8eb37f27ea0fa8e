package nats

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/sodam-ai/sodam"
)

// Defaults of Config.
const (
	DefaultPrefix            = "sodam"
	DefaultPublishTimeout    = time.Second
	DefaultRelayEvery        = time.Second
	DefaultMaxAge            = 24 * time.Hour
	DefaultInactiveThreshold = 24 * time.Hour
)

const (
	// duplicateWindow is how long the broker remembers a message id to
	// drop a second publish of it.
	duplicateWindow = 2 * time.Minute
	// relayBatch is how many kept events one relay transaction handles.
	relayBatch = 100
	// setupTimeout bounds setting up the streams or a consumer.
	setupTimeout = 10 * time.Second
	// retryEvery is how soon a failed setup is tried again.
	retryEvery = time.Second
)

// ErrDegraded is wrapped by Health's error when the bus cannot publish
// now: the broker is unreachable or its streams are not set up.
var ErrDegraded = errors.New("nats: event bus degraded")

// Outbox keeps the events the bus could not publish until its relay
// publishes them. connectors/postgres's EventOutbox is one. Parameters
// are plain so that an outbox need not import this package.
type Outbox interface {
	// Keep stores an event published on subject as data. Keeping an id
	// that is already kept changes nothing.
	Keep(ctx context.Context, id, subject string, data []byte) error
	// Relay hands up to limit kept events, oldest first, to publish,
	// removes those it published and stops at the first that fails,
	// returning how many were relayed and publish's error. Concurrent
	// calls (other servers) never hand one event to two of them at once.
	Relay(ctx context.Context, limit int, publish func(id, subject string, data []byte) error) (int, error)
	// Waiting counts the kept events.
	Waiting(ctx context.Context) (int, error)
}

// Config configures Open.
type Config struct {
	// URL is the NATS server, or a comma-separated list of servers
	// (natsgo.DefaultURL when empty).
	URL string
	// ServerID names this server's durable consumers. It is required and
	// must stay the same across restarts of one server, and differ
	// between servers: a restarted server resumes after the last event
	// it acknowledged.
	ServerID string
	// Prefix starts every subject (<prefix>.<kind>, e.g.
	// sodam.order.changed) and, upper-cased, every stream name
	// (SODAM_ORDER). Letters, digits, '-' and '_' only; DefaultPrefix
	// when empty.
	Prefix string
	// Outbox, when set, keeps the events published while the broker is
	// unreachable; Publish then fails only when the outbox does.
	Outbox Outbox
	// Logger gets connection changes and delivery failures
	// (slog.Default() when nil).
	Logger *slog.Logger
	// PublishTimeout bounds one publish to the broker
	// (DefaultPublishTimeout when 0).
	PublishTimeout time.Duration
	// RelayEvery is how often the relay looks for kept events, besides
	// right after a reconnect (DefaultRelayEvery when 0).
	RelayEvery time.Duration
	// MaxAge is how long a stream keeps its messages (DefaultMaxAge when
	// 0): a server away longer misses the older ones.
	MaxAge time.Duration
	// InactiveThreshold is how long the broker keeps the durable
	// consumers of a server that stopped consuming
	// (DefaultInactiveThreshold when 0).
	InactiveThreshold time.Duration
}

// Bus is a sodam.EventBus on NATS JetStream. It is safe for concurrent
// use.
type Bus struct {
	cfg      Config
	log      *slog.Logger
	nc       *natsgo.Conn
	js       jetstream.JetStream
	consumer string // durable consumer name, the same in every stream

	ctx    context.Context // ends at Close: background work stops
	cancel context.CancelFunc
	wg     sync.WaitGroup

	changed  chan struct{} // the connection changed: the supervisor looks
	relayNow chan struct{} // the relay should run now
	closedCh chan struct{} // the connection is closed

	mu       sync.Mutex
	ready    bool          // connected and the streams are set up
	readyCh  chan struct{} // closed at the next time the bus becomes ready
	setupErr error         // why the streams are not set up
	backlog  bool          // events this bus kept may still wait in the outbox
	closed   bool

	subs    map[int]*subscriber // guarded by mu
	nextSub int

	subMu     sync.Mutex // serialises starting and stopping the consumers
	consuming *consumers
}

var _ sodam.EventBus = (*Bus)(nil)

// Open connects to NATS and sets up the streams. A broker that is
// unreachable is not an error: the bus keeps connecting in the
// background (forever), events wait in the outbox meanwhile, and Health
// reports the bus degraded until it is connected and its streams are set
// up. The streams are set up again after every reconnect, so a broker
// restarted without its store gets them back.
func Open(ctx context.Context, cfg Config) (*Bus, error) {
	if cfg.ServerID == "" {
		return nil, errors.New("nats: a server id is required")
	}
	if cfg.Prefix == "" {
		cfg.Prefix = DefaultPrefix
	}
	if !validToken(cfg.Prefix) {
		return nil, fmt.Errorf("nats: prefix %q: use letters, digits, '-' and '_'", cfg.Prefix)
	}
	if cfg.URL == "" {
		cfg.URL = natsgo.DefaultURL
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.PublishTimeout <= 0 {
		cfg.PublishTimeout = DefaultPublishTimeout
	}
	if cfg.RelayEvery <= 0 {
		cfg.RelayEvery = DefaultRelayEvery
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = DefaultMaxAge
	}
	if cfg.InactiveThreshold <= 0 {
		cfg.InactiveThreshold = DefaultInactiveThreshold
	}
	b := &Bus{
		cfg:      cfg,
		log:      cfg.Logger.With("bus", "nats", "server_id", cfg.ServerID),
		consumer: consumerName(cfg.Prefix, cfg.ServerID),
		changed:  make(chan struct{}, 1),
		relayNow: make(chan struct{}, 1),
		closedCh: make(chan struct{}),
		readyCh:  make(chan struct{}),
		subs:     make(map[int]*subscriber),
	}
	b.ctx, b.cancel = context.WithCancel(context.WithoutCancel(ctx))

	nc, err := natsgo.Connect(cfg.URL,
		natsgo.Name("sodam "+cfg.ServerID),
		natsgo.RetryOnFailedConnect(true),
		natsgo.MaxReconnects(-1),
		natsgo.ReconnectWait(time.Second),
		natsgo.PingInterval(5*time.Second),
		natsgo.MaxPingsOutstanding(3),
		natsgo.DrainTimeout(5*time.Second),
		natsgo.ConnectHandler(func(*natsgo.Conn) {
			b.log.Info("nats: connected")
			b.signal(b.changed)
		}),
		natsgo.ReconnectHandler(func(*natsgo.Conn) {
			b.log.Info("nats: reconnected")
			b.signal(b.changed)
		}),
		natsgo.DisconnectErrHandler(func(_ *natsgo.Conn, err error) {
			b.setReady(false, nil)
			if b.ctx.Err() != nil {
				return // closing
			}
			b.log.Warn("nats: disconnected; publishing again once it is back", "err", err)
			b.signal(b.changed)
		}),
		natsgo.ClosedHandler(func(*natsgo.Conn) { close(b.closedCh) }),
	)
	if err != nil {
		b.cancel()
		return nil, fmt.Errorf("nats: connect %s: %w", redactURL(cfg.URL), err)
	}
	b.nc = nc
	b.js, err = jetstream.New(nc)
	if err != nil {
		nc.Close()
		b.cancel()
		return nil, fmt.Errorf("nats: jetstream: %w", err)
	}
	if nc.IsConnected() {
		b.setup(ctx)
	} else {
		b.log.Warn("nats: not reachable; connecting in the background", "url", redactURL(cfg.URL))
	}
	b.wg.Add(1)
	go b.supervise()
	if cfg.Outbox != nil {
		b.wg.Add(1)
		go b.relay()
	}
	return b, nil
}

// redactURL hides the passwords of a comma-separated list of server
// URLs, for logs and Health.
func redactURL(urls string) string {
	list := strings.Split(urls, ",")
	for i, s := range list {
		if u, err := url.Parse(strings.TrimSpace(s)); err == nil && u.User != nil {
			if _, ok := u.User.Password(); !ok {
				u.User = url.User("xxxxx") // a token
			}
			list[i] = u.Redacted()
		}
	}
	return strings.Join(list, ",")
}

// signal wakes the goroutine waiting on ch without blocking.
func (b *Bus) signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// supervise sets up the streams whenever the connection is (re)made,
// and retries while that fails.
func (b *Bus) supervise() {
	defer b.wg.Done()
	var retry <-chan time.Time
	for {
		select {
		case <-b.ctx.Done():
			return
		case <-b.changed:
		case <-retry:
		}
		retry = nil
		if !b.setup(b.ctx) && b.nc.IsConnected() {
			retry = time.After(retryEvery)
		}
	}
}

// setup creates or updates the streams when connected and records
// whether the bus is ready. It reports whether it is.
func (b *Bus) setup(ctx context.Context) bool {
	if !b.nc.IsConnected() {
		b.setReady(false, nil)
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, setupTimeout)
	defer cancel()
	if err := b.ensureStreams(ctx); err != nil {
		b.setReady(false, err)
		b.log.Error("nats: cannot set up the streams", "err", err)
		return false
	}
	b.setReady(true, nil)
	b.signal(b.relayNow)
	return true
}

// ensureStreams creates the streams, or updates them to the config.
func (b *Bus) ensureStreams(ctx context.Context) error {
	dup := min(duplicateWindow, b.cfg.MaxAge)
	for _, s := range sodam.EventStreams() {
		_, err := b.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
			Name:        b.streamName(s),
			Description: "sodam " + s + " events",
			Subjects:    []string{b.cfg.Prefix + "." + s + ".>"},
			Storage:     jetstream.FileStorage,
			Retention:   jetstream.LimitsPolicy,
			Discard:     jetstream.DiscardOld,
			MaxAge:      b.cfg.MaxAge,
			Duplicates:  dup,
		})
		if err != nil {
			return fmt.Errorf("stream %s: %w", b.streamName(s), err)
		}
	}
	return nil
}

// setReady records whether the bus can publish. Becoming ready wakes
// those waiting for it.
func (b *Bus) setReady(ready bool, setupErr error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.setupErr = setupErr
	if ready && !b.ready {
		close(b.readyCh)
		b.readyCh = make(chan struct{})
	}
	b.ready = ready
}

// readyState reports whether the bus is ready and returns a channel
// closed the next time it becomes ready (after a reconnect).
func (b *Bus) readyState() (bool, <-chan struct{}) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.ready && b.nc.IsConnected(), b.readyCh
}

// StreamName is the name of stream s (one of sodam.EventStreams()) for
// prefix: SODAM_ORDER for "sodam" and "order".
func StreamName(prefix, s string) string { return strings.ToUpper(prefix + "_" + s) }

func (b *Bus) streamName(s string) string { return StreamName(b.cfg.Prefix, s) }

// Subject is the subject events of kind k are published on for prefix:
// sodam.order.changed for "sodam" and sodam.EventOrderChanged.
func Subject(prefix string, k sodam.EventKind) string { return prefix + "." + string(k) }

// ConsumerName is the durable consumer name of a server for prefix: the
// two joined by '_', with characters a name may not hold replaced by
// '_' and, then, a hash of the original appended so that different ids
// keep different names.
func ConsumerName(prefix, serverID string) string { return consumerName(prefix, serverID) }

func consumerName(prefix, serverID string) string {
	raw := prefix + "_" + serverID
	clean := strings.Map(func(r rune) rune {
		if isNameRune(r) {
			return r
		}
		return '_'
	}, raw)
	if clean == raw {
		return raw
	}
	h := fnv.New32a()
	h.Write([]byte(raw))
	return fmt.Sprintf("%s_%08x", clean, h.Sum32())
}

func isNameRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_'
}

// validToken reports whether s is a non-empty run of name characters,
// usable in a subject and a stream name alike.
func validToken(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return !isNameRune(r) }) < 0
}

// validKind reports whether k travels on a known stream and makes a
// valid subject: <stream>.<token>[.<token>...].
func validKind(k sodam.EventKind) bool {
	parts := strings.Split(string(k), ".")
	if len(parts) < 2 || !slices.Contains(sodam.EventStreams(), parts[0]) {
		return false
	}
	for _, p := range parts[1:] {
		if !validToken(p) {
			return false
		}
	}
	return true
}

// Publish hands e to the bus, with e.Origin set to the server id when
// empty (on the copy that is sent; e itself is not changed). When
// connected it publishes to the broker, which drops a second publish of
// e.ID within two minutes. When the broker is unreachable, or the
// publish fails or takes longer than PublishTimeout, e is kept in the
// outbox for the relay and Publish returns nil; without an outbox that
// is an error. Publish checks the connection first, so it does not wait
// on a broker that is known to be down.
//
// While events kept by this bus still wait in the outbox, new events
// are kept behind them too, so that the relay publishes them in order.
func (b *Bus) Publish(ctx context.Context, e *sodam.BusEvent) error {
	if e == nil || e.ID == "" {
		return errors.New("nats: publish: an event needs an id")
	}
	if !validKind(e.Kind) {
		return fmt.Errorf("nats: publish %s: kind %q travels on no stream", e.ID, e.Kind)
	}
	ev := *e
	if ev.Origin == "" {
		ev.Origin = b.cfg.ServerID
	}
	data, err := json.Marshal(&ev)
	if err != nil {
		return fmt.Errorf("nats: publish %s: %w", e.ID, err)
	}
	subject := Subject(b.cfg.Prefix, ev.Kind)

	b.mu.Lock()
	backlog := b.backlog && b.cfg.Outbox != nil
	b.mu.Unlock()
	var pubErr error
	if backlog {
		pubErr = errors.New("earlier events still wait in the outbox")
	} else if pubErr = b.publish(ctx, ev.ID, subject, data); pubErr == nil {
		return nil
	}

	if b.cfg.Outbox == nil {
		return fmt.Errorf("nats: publish %s %s: %w", ev.Kind, ev.ID, pubErr)
	}
	if err := b.cfg.Outbox.Keep(ctx, ev.ID, subject, data); err != nil {
		return fmt.Errorf("nats: publish %s %s: %w; keep in the outbox: %w", ev.Kind, ev.ID, pubErr, err)
	}
	b.mu.Lock()
	b.backlog = true
	b.mu.Unlock()
	if !backlog {
		b.log.Warn("nats: event kept in the outbox", "id", ev.ID, "kind", ev.Kind, "err", pubErr)
	}
	b.signal(b.relayNow)
	return nil
}

// errNotConnected is publish's error while the broker is unreachable.
var errNotConnected = errors.New("nats: not connected")

// publish sends one message to the broker with its id for the broker's
// duplicate check, waiting at most PublishTimeout for the ack.
func (b *Bus) publish(ctx context.Context, id, subject string, data []byte) error {
	if ready, _ := b.readyState(); !ready {
		return errNotConnected
	}
	ctx, cancel := context.WithTimeout(ctx, b.cfg.PublishTimeout)
	defer cancel()
	_, err := b.js.Publish(ctx, subject, data, jetstream.WithMsgID(id))
	return err
}

// relay publishes kept events every RelayEvery and whenever the bus
// becomes ready or keeps an event, until Close.
func (b *Bus) relay() {
	defer b.wg.Done()
	t := time.NewTicker(b.cfg.RelayEvery)
	defer t.Stop()
	for {
		select {
		case <-b.ctx.Done():
			return
		case <-t.C:
		case <-b.relayNow:
		}
		if ready, _ := b.readyState(); ready {
			b.relayOnce()
		}
	}
}

// relayOnce relays kept events in batches until the outbox is empty or
// a publish fails.
func (b *Bus) relayOnce() {
	publish := func(id, subject string, data []byte) error {
		return b.publish(b.ctx, id, subject, data)
	}
	for b.ctx.Err() == nil {
		ctx, cancel := context.WithTimeout(b.ctx, setupTimeout+relayBatch*b.cfg.PublishTimeout)
		n, err := b.cfg.Outbox.Relay(ctx, relayBatch, publish)
		cancel()
		if n > 0 {
			b.log.Info("nats: relayed kept events", "events", n)
		}
		if err != nil {
			b.log.Warn("nats: relay stopped", "relayed", n, "err", err)
			return
		}
		if n < relayBatch {
			break
		}
	}
	b.mu.Lock()
	backlog := b.backlog
	b.mu.Unlock()
	if !backlog {
		return
	}
	// Another server may be relaying this outbox: new events go behind
	// the kept ones until none is left.
	ctx, cancel := context.WithTimeout(b.ctx, setupTimeout)
	defer cancel()
	if n, err := b.cfg.Outbox.Waiting(ctx); err == nil && n == 0 {
		b.mu.Lock()
		b.backlog = false
		b.mu.Unlock()
	}
}

// Health is nil when the bus is connected and its streams are set up.
// Otherwise its error wraps ErrDegraded and says why; events published
// meanwhile wait in the outbox (or fail without one).
func (b *Bus) Health(ctx context.Context) error {
	b.mu.Lock()
	closed, ready, setupErr := b.closed, b.ready, b.setupErr
	b.mu.Unlock()
	wait := "events wait in the outbox"
	if b.cfg.Outbox == nil {
		wait = "events cannot be published"
	}
	switch {
	case closed:
		return fmt.Errorf("%w: closed", ErrDegraded)
	case !b.nc.IsConnected():
		return fmt.Errorf("%w: not connected to %s; %s", ErrDegraded, redactURL(b.cfg.URL), wait)
	case setupErr != nil:
		return fmt.Errorf("%w: streams not set up: %v; %s", ErrDegraded, setupErr, wait)
	case !ready:
		return fmt.Errorf("%w: streams not set up yet; %s", ErrDegraded, wait)
	}
	return nil
}

// Waiting counts the events waiting in the outbox (0 without one).
func (b *Bus) Waiting(ctx context.Context) (int, error) {
	if b.cfg.Outbox == nil {
		return 0, nil
	}
	n, err := b.cfg.Outbox.Waiting(ctx)
	if err != nil {
		return 0, fmt.Errorf("nats: waiting events: %w", err)
	}
	return n, nil
}

// Close stops the relay and the consumers, then drains the connection:
// acknowledgements on their way are sent first. Events still kept in
// the outbox stay there for the next relay, this server's or another's;
// so do those published after Close (an error without an outbox).
func (b *Bus) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	b.mu.Unlock()

	b.cancel()
	b.subMu.Lock()
	if b.consuming != nil {
		b.consuming.stop()
		b.consuming = nil
	}
	b.subMu.Unlock()
	b.wg.Wait()

	if err := b.nc.Drain(); err != nil {
		b.nc.Close() // Drain closes a connection that is reconnecting
	}
	select {
	case <-b.closedCh:
	case <-time.After(10 * time.Second):
		b.nc.Close()
		return errors.New("nats: close: the connection did not drain in time")
	}
	return nil
}
