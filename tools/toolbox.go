// Package tools holds the typed operations of the assistant: finding
// stores and events, filling a cart, placing and paying orders, holding
// and buying seats, cancelling, complaining and adding channels. The
// dialogue manager and a language-model planner call the same functions,
// either directly (one method per tool on Toolbox) or by name with JSON
// arguments (Toolbox.Call), which are checked against a JSON Schema derived
// from the input structs before anything happens.
//
// The rules of the service live here and nowhere else: prices, one cart per
// user of one store, opening hours and minimum orders, seat holds,
// subscriber-only events, idempotent payments and refunds. Errors are
// *sodam.Error values whose Message is a polite Korean sentence that can be
// shown to the user as is.
package tools

import (
	"context"
	"encoding/json"
	"hash/maphash"
	"log/slog"
	"sync"
	"time"

	"github.com/sodam-ai/sodam"
)

// DefaultHoldTTL is how long held seats wait for payment.
const DefaultHoldTTL = 10 * time.Minute

// Toolbox runs the tools for users. It is safe for concurrent use.
//
// Atomicity comes from the store (seat holds, payment idempotency keys,
// per-record updates). In addition, calls that read and then write one
// user's records (the cart, replacing a hold, cancelling) are serialised per
// user within the process, so that a user racing with themselves cannot
// create two carts or refund twice.
type Toolbox struct {
	store  sodam.Store
	search sodam.Searcher
	pay    sodam.PaymentProvider
	clock  sodam.Clock
	log    *slog.Logger
	places func(name string) (sodam.Point, bool)
	// callbacks gives the provider's return pages for a payment.
	callbacks func(paymentID string) (approval, cancel, fail string)

	holdTTL time.Duration
	// payWait is how long a Pay call waits for a concurrent attempt on the
	// same record to finish before reporting it as in progress; payStale is
	// the age (by the clock) after which an attempt that never reached the
	// provider is taken over.
	payWait  time.Duration
	payStale time.Duration

	userLocks stripes
	payLocks  stripes

	// redirects remembers where a ready payment is approved, by payment
	// id, so that a repeated Pay can point the user there again.
	redirects sync.Map

	tools  []Tool
	byName map[string]*Tool
}

// Option configures a Toolbox.
type Option func(*Toolbox)

// WithHoldTTL sets how long held seats wait for payment (DefaultHoldTTL
// when not set or not positive).
func WithHoldTTL(d time.Duration) Option {
	return func(t *Toolbox) {
		if d > 0 {
			t.holdTTL = d
		}
	}
}

// WithLogger sets the logger for failures that are not the caller's
// (audit writes, refunds after a lost race). The default discards.
func WithLogger(l *slog.Logger) Option {
	return func(t *Toolbox) {
		if l != nil {
			t.log = l
		}
	}
}

// WithPlaces sets the gazetteer that turns a place name (강남역, 대학로)
// into a point; the wiring passes retrieval.LookupPlace. Without it every
// location is searched as text.
func WithPlaces(f func(name string) (sodam.Point, bool)) Option {
	return func(t *Toolbox) { t.places = f }
}

// WithPayWait sets how long Pay waits for a concurrent attempt on the same
// order or booking before answering that the payment is in progress
// (2 seconds by default).
func WithPayWait(d time.Duration) Option {
	return func(t *Toolbox) {
		if d >= 0 {
			t.payWait = d
		}
	}
}

// WithCallbackURLs sets the pages a provider sends the user to after they
// approve, cancel or fail a payment on its page; each gets the payment id.
// The approval page calls CompletePayment with the pg_token it receives.
func WithCallbackURLs(f func(paymentID string) (approval, cancel, fail string)) Option {
	return func(t *Toolbox) { t.callbacks = f }
}

// New returns a Toolbox over the given store, searcher, payment provider
// and clock. A nil clock means sodam.WallClock. It panics only when the
// input schemas cannot be derived, which is a programming error.
func New(store sodam.Store, search sodam.Searcher, pay sodam.PaymentProvider, clock sodam.Clock, opts ...Option) *Toolbox {
	if clock == nil {
		clock = sodam.WallClock
	}
	t := &Toolbox{
		store:     store,
		search:    search,
		pay:       pay,
		clock:     clock,
		log:       slog.New(slog.DiscardHandler),
		places:    func(string) (sodam.Point, bool) { return sodam.Point{}, false },
		holdTTL:   DefaultHoldTTL,
		payWait:   2 * time.Second,
		payStale:  2 * time.Minute,
		userLocks: newStripes(64),
		payLocks:  newStripes(64),
	}
	for _, o := range opts {
		o(t)
	}
	if t.places == nil {
		t.places = func(string) (sodam.Point, bool) { return sodam.Point{}, false }
	}
	t.tools, t.byName = t.registry()
	return t
}

// now is the time of the call in Seoul.
func (t *Toolbox) now() time.Time { return t.clock.Now().In(sodam.Seoul) }

// run is the frame of every tool call: it checks the user, makes sure the
// user exists, runs fn and records the call in the audit log. args is the
// JSON the caller sent; nil means in is marshalled instead.
func run[In, Out any](ctx context.Context, t *Toolbox, userID, name string, in In, args []byte, fn func(context.Context, string, In) (*Out, error)) (*Out, error) {
	start := time.Now()
	if args == nil {
		args, _ = json.Marshal(in)
	}
	var out *Out
	u, err := t.ensureUser(ctx, userID)
	if err == nil {
		out, err = fn(context.WithValue(ctx, callUser{}, u), userID, in)
	}
	var res any
	if err == nil {
		res = out
	}
	t.audit(ctx, userID, name, args, res, err, time.Since(start))
	if err != nil {
		return nil, err
	}
	return out, nil
}

// audit records one tool call. A failure to record is logged, not
// returned: the user's action has already happened.
func (t *Toolbox) audit(ctx context.Context, userID, name string, args []byte, res any, callErr error, d time.Duration) {
	c := &sodam.ToolCall{
		UserID:   userID,
		Tool:     name,
		Args:     json.RawMessage(args),
		Result:   []byte("null"),
		Duration: d,
		At:       t.now(),
	}
	if !json.Valid(c.Args) {
		c.Args, _ = json.Marshal(string(args))
	}
	if callErr != nil {
		c.Error = callErr.Error()
	} else if b, err := json.Marshal(res); err == nil {
		c.Result = b
	}
	if err := t.store.RecordToolCall(context.WithoutCancel(ctx), c); err != nil {
		t.log.Error("record tool call", "tool", name, "user", userID, "err", err)
	}
}

// ensureUser returns the user, first creating one unknown to the store
// with just the id, so that a chat works without registration.
func (t *Toolbox) ensureUser(ctx context.Context, userID string) (*sodam.User, error) {
	const op = "tools.ensureUser"
	if userID == "" {
		return nil, &sodam.Error{Code: sodam.EUNAUTHORIZED, Op: op, Message: "누구신지 알 수 없어요. 다시 접속해 주세요."}
	}
	u, err := t.store.User(ctx, userID)
	if err == nil {
		return u, nil
	}
	if !sodam.IsCode(err, sodam.ENOTFOUND) {
		return nil, sodam.WrapError(op, err)
	}
	// Check again under the user's lock, so that two first calls racing
	// cannot have one overwrite what the other already did (a channel
	// added, say) with a bare user.
	defer t.lockUser(userID)()
	if u, err = t.store.User(ctx, userID); err == nil || !sodam.IsCode(err, sodam.ENOTFOUND) {
		return u, sodam.WrapError(op, err)
	}
	u = &sodam.User{ID: userID}
	if err := t.store.UpsertUser(ctx, u); err != nil {
		return nil, sodam.WrapError(op, err)
	}
	return u, nil
}

// callUser is the context key of the user that run read for the call,
// so that a tool asking for its user does not read it again.
type callUser struct{}

// user returns the calling user: the one run read at the start of the
// call (tools read their user before changing it, never after), else
// from the store.
func (t *Toolbox) user(ctx context.Context, userID string) (*sodam.User, error) {
	if u, ok := ctx.Value(callUser{}).(*sodam.User); ok && u != nil && u.ID == userID {
		return u, nil
	}
	u, err := t.store.User(ctx, userID)
	if err != nil {
		return nil, sodam.WrapError("tools.user", err)
	}
	return u, nil
}

// lockUser serialises the read-then-write steps of one user's calls.
func (t *Toolbox) lockUser(userID string) func() { return t.userLocks.lock(userID) }

// stripes is a fixed set of mutexes chosen by key: bounded memory, and
// calls on different keys rarely wait for each other.
type stripes struct {
	seed maphash.Seed
	mu   []sync.Mutex
}

func newStripes(n int) stripes {
	return stripes{seed: maphash.MakeSeed(), mu: make([]sync.Mutex, n)}
}

func (s *stripes) lock(key string) func() {
	m := &s.mu[maphash.String(s.seed, key)%uint64(len(s.mu))]
	m.Lock()
	return m.Unlock
}

// fail returns an application error with a message for the user.
func fail(code, op, msg string) *sodam.Error {
	return &sodam.Error{Code: code, Op: op, Message: msg}
}

// notFound turns a store's ENOTFOUND into one with msg and wraps any other
// error.
func notFound(op string, err error, msg string) error {
	if sodam.IsCode(err, sodam.ENOTFOUND) {
		return &sodam.Error{Code: sodam.ENOTFOUND, Op: op, Message: msg, Err: err}
	}
	return sodam.WrapError(op, err)
}
