package merchant

import (
	"context"
	"hash/maphash"
	"log/slog"
	"sync"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/tools"
)

// DefaultCommissionBP is the platform's commission when an account sets
// none: 10%, in basis points.
const DefaultCommissionBP = 1000

// Notifier delivers a notice to a user's open chats. Notify returns on
// how many connections it was queued: 0 means the user is not connected
// now, and the service keeps the notice for the next connection.
type Notifier interface {
	Notify(userID string, n *sodam.Notice) int
}

// Presence is what a Notifier may also tell: whether a user has a chat
// connection on this server now, so that the service does not look for
// waiting notices of users connected elsewhere or nowhere.
type Presence interface {
	Online(userID string) bool
}

// Publisher hands events to the bus that carries them to every server;
// sodam.EventBus implements it.
type Publisher interface {
	Publish(ctx context.Context, e *sodam.BusEvent) error
}

// NotifierFunc adapts a function to Notifier.
type NotifierFunc func(userID string, n *sodam.Notice) int

// Notify calls f.
func (f NotifierFunc) Notify(userID string, n *sodam.Notice) int { return f(userID, n) }

// Orders changes orders on behalf of merchants under the same locks as
// the users' own calls; *tools.Toolbox implements it.
type Orders interface {
	// UpdateOrderAsMerchant runs fn on the order and stores what it
	// leaves; fn's error changes nothing.
	UpdateOrderAsMerchant(ctx context.Context, orderID string, fn func(*sodam.Order) error) (*sodam.Order, error)
	// RefundOrder refunds an order in one of the statuses from in full,
	// once, and cancels it; another status is ECONFLICT.
	RefundOrder(ctx context.Context, orderID string, from ...sodam.OrderStatus) (*tools.CancelOutput, error)
}

var _ Orders = (*tools.Toolbox)(nil)

// Config is what a Service is built from. Store, Records and Orders are
// required.
type Config struct {
	Store   sodam.Store
	Records Records
	Orders  Orders
	// Notifier reaches users' chats; without one every notice waits in
	// the outbox.
	Notifier Notifier
	// Events carries notices to the server that holds each user's
	// connection: the service publishes an event for every change it
	// tells a user of, and HandleEvent, subscribed to the same bus,
	// delivers it. Without one notices are delivered in process. When
	// Orders publishes its own changes on the same bus
	// (tools.WithEvents), an order step's notice rides on that event
	// (tools.WithNotices) instead of a second one.
	Events Publisher
	Clock  sodam.Clock  // sodam.WallClock when nil
	Logger *slog.Logger // discards when nil
	// CommissionBP is the platform default commission in basis points
	// (DefaultCommissionBP when 0).
	CommissionBP int
	// BroadcastBurst broadcasts a channel may post at once, and one more
	// every BroadcastEvery (3 and 10 minutes when zero).
	BroadcastBurst int
	BroadcastEvery time.Duration
	// CatalogChanged is called after a menu edit, so that the assistant
	// reloads the names it links (assistant.ReloadCatalog).
	CatalogChanged func()
}

// Service is the merchant side. It is safe for concurrent use.
type Service struct {
	store    sodam.Store
	recs     Records
	orders   Orders
	notifier Notifier
	events   Publisher
	clock    sodam.Clock
	log      *slog.Logger
	bp       int
	changed  func()

	limiter limiter

	// userLocks serialise delivering to one user, so that a notice sent
	// while the user's waiting notices are flushed cannot overtake them.
	seed      maphash.Seed
	userLocks [64]sync.Mutex
}

// New returns a Service. It panics when Store, Records or Orders is
// missing, a programming error.
func New(cfg Config) *Service {
	if cfg.Store == nil || cfg.Records == nil || cfg.Orders == nil {
		panic("merchant.New: Store, Records and Orders are required")
	}
	s := &Service{
		store:    cfg.Store,
		recs:     cfg.Records,
		orders:   cfg.Orders,
		notifier: cfg.Notifier,
		events:   cfg.Events,
		clock:    cfg.Clock,
		log:      cfg.Logger,
		bp:       cfg.CommissionBP,
		changed:  cfg.CatalogChanged,
		seed:     maphash.MakeSeed(),
	}
	if s.notifier == nil {
		s.notifier = NotifierFunc(func(string, *sodam.Notice) int { return 0 })
	}
	if s.clock == nil {
		s.clock = sodam.WallClock
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.bp <= 0 {
		s.bp = DefaultCommissionBP
	}
	if s.changed == nil {
		s.changed = func() {}
	}
	burst, every := cfg.BroadcastBurst, cfg.BroadcastEvery
	if burst <= 0 {
		burst = 3
	}
	if every <= 0 {
		every = 10 * time.Minute
	}
	s.limiter = limiter{burst: burst, every: every, used: make(map[string]*bucket)}
	return s
}

func (s *Service) now() time.Time { return s.clock.Now().In(sodam.Seoul) }

func (s *Service) lockUser(userID string) func() {
	m := &s.userLocks[maphash.String(s.seed, userID)%uint64(len(s.userLocks))]
	m.Lock()
	return m.Unlock
}

// fail returns an application error with a message for the merchant.
func fail(code, op, msg string) *sodam.Error {
	return &sodam.Error{Code: code, Op: op, Message: msg}
}

// notFound turns a store's ENOTFOUND into one with msg and wraps others.
func notFound(op string, err error, msg string) error {
	if sodam.IsCode(err, sodam.ENOTFOUND) {
		return &sodam.Error{Code: sodam.ENOTFOUND, Op: op, Message: msg, Err: err}
	}
	return sodam.WrapError(op, err)
}
