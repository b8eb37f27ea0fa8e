package assistant

import (
	"context"
	"hash/maphash"
	"log/slog"
	"sync"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/tools"
)

// Tools is what the dialogue calls: the methods of *tools.Toolbox. Every
// rule of the service is enforced there; errors are *sodam.Error values
// with a Korean message that can be shown as is.
type Tools interface {
	SearchMerchants(ctx context.Context, userID string, in tools.SearchMerchantsInput) (*tools.SearchMerchantsOutput, error)
	GetMenu(ctx context.Context, userID string, in tools.GetMenuInput) (*tools.GetMenuOutput, error)
	GetPromotions(ctx context.Context, userID string, in tools.GetPromotionsInput) (*tools.GetPromotionsOutput, error)
	MerchantInfo(ctx context.Context, userID string, in tools.MerchantInfoInput) (*tools.MerchantInfoOutput, error)
	CartAdd(ctx context.Context, userID string, in tools.CartAddInput) (*tools.CartOutput, error)
	CartUpdate(ctx context.Context, userID string, in tools.CartUpdateInput) (*tools.CartOutput, error)
	CartRemove(ctx context.Context, userID string, in tools.CartRemoveInput) (*tools.CartOutput, error)
	GetCart(ctx context.Context, userID string, in tools.GetCartInput) (*tools.CartOutput, error)
	QuoteOrder(ctx context.Context, userID string, in tools.QuoteOrderInput) (*tools.QuoteOrderOutput, error)
	PlaceOrder(ctx context.Context, userID string, in tools.PlaceOrderInput) (*tools.OrderOutput, error)
	Pay(ctx context.Context, userID string, in tools.PayInput) (*tools.PayOutput, error)
	OrderStatus(ctx context.Context, userID string, in tools.OrderStatusInput) (*tools.OrderOutput, error)
	CancelOrder(ctx context.Context, userID string, in tools.CancelOrderInput) (*tools.CancelOutput, error)
	Reorder(ctx context.Context, userID string, in tools.ReorderInput) (*tools.CartOutput, error)
	SearchEvents(ctx context.Context, userID string, in tools.SearchEventsInput) (*tools.SearchEventsOutput, error)
	GetSessions(ctx context.Context, userID string, in tools.GetSessionsInput) (*tools.GetSessionsOutput, error)
	BookTickets(ctx context.Context, userID string, in tools.BookTicketsInput) (*tools.BookingOutput, error)
	CancelBooking(ctx context.Context, userID string, in tools.CancelBookingInput) (*tools.CancelOutput, error)
	FileComplaint(ctx context.Context, userID string, in tools.FileComplaintInput) (*tools.ComplaintOutput, error)
	SubscribeChannel(ctx context.Context, userID string, in tools.SubscribeChannelInput) (*tools.SubscribeChannelOutput, error)
	PastOrders(ctx context.Context, userID string, in tools.PastOrdersInput) (*tools.PastOrdersOutput, error)
}

// Records is the read access the dialogue needs besides the tools: the
// catalog, to resolve names the parser left unlinked and to find a brand's
// branches, and the user's profile and bookings. sodam.Store satisfies
// it.
type Records interface {
	sodam.CatalogStore
	User(ctx context.Context, id string) (*sodam.User, error)
	BookingsByUser(ctx context.Context, userID string) ([]*sodam.Booking, error)
	OrdersByUser(ctx context.Context, userID string) ([]*sodam.Order, error)
}

// Assistant is the dialogue manager. It implements sodam.Assistant and is
// safe for concurrent use: turns of one user run one at a time, turns of
// different users in parallel.
type Assistant struct {
	tools   Tools
	parser  Parser
	states  sodam.DialogueStore
	clock   sodam.Clock
	records Records
	log     *slog.Logger

	inquiries InquirySink // WithInquiries
	news      NewsSource  // WithNews

	cat catalogCache

	seed       maphash.Seed
	locks      [4096]sync.Mutex
	stateCache *stateCache
}

var _ sodam.Assistant = (*Assistant)(nil)

// Option configures an Assistant.
type Option func(*Assistant)

// WithRecords gives the assistant read access to the catalog, users and
// their records (pass the store). Without it, items the parser does not
// link are not found and a brand's nearest branch cannot be chosen.
func WithRecords(r Records) Option { return func(a *Assistant) { a.records = r } }

// WithLogger sets the logger for failures that are not the user's.
func WithLogger(l *slog.Logger) Option {
	return func(a *Assistant) {
		if l != nil {
			a.log = l
		}
	}
}

// New returns an Assistant that understands messages with p, acts through
// tb, keeps each user's state in states and tells the time by clock (nil
// means sodam.WallClock).
func New(tb Tools, p Parser, states sodam.DialogueStore, clock sodam.Clock, opts ...Option) *Assistant {
	if clock == nil {
		clock = sodam.WallClock
	}
	a := &Assistant{
		stateCache: newStateCache(),
		tools:      tb,
		parser:     p,
		states:     states,
		clock:      clock,
		log:        slog.New(slog.DiscardHandler),
		seed:       maphash.MakeSeed(),
	}
	for _, o := range opts {
		o(a)
	}
	return a
}

// lockUser serialises the turns of one user. Users share a fixed set of
// mutexes by hash, so memory stays bounded and no global lock is taken.
func (a *Assistant) lockUser(userID string) func() {
	m := &a.locks[maphash.String(a.seed, userID)%uint64(len(a.locks))]
	m.Lock()
	return m.Unlock
}

// Respond answers one turn. A turn whose MessageID was already answered
// for the user gets the same response again and repeats no action.
func (a *Assistant) Respond(ctx context.Context, t sodam.Turn) (*sodam.Response, error) {
	if t.UserID == "" {
		return nil, &sodam.Error{Code: sodam.EINVALID, Op: "assistant.Respond", Message: "사용자를 알 수 없어요."}
	}
	unlock := a.lockUser(t.UserID)
	defer unlock()

	st, err := loadState(ctx, a.states, a.stateCache, t.UserID)
	if err != nil {
		return nil, err
	}
	if r, ok := st.cached(t.MessageID); ok {
		return r, nil
	}
	now := a.clock.Now()
	rd := a.read(t.Text, now)
	c := &conv{a: a, ctx: ctx, st: st, user: t.UserID, r: rd, now: now}
	resp := c.respond()
	resp.Intent, resp.Confidence = rd.Intent, rd.Confidence
	st.remember(t, resp, now)
	if err := saveState(ctx, a.states, a.stateCache, st); err != nil {
		return nil, err
	}
	return resp, nil
}

// conv is one turn being answered.
type conv struct {
	a    *Assistant
	ctx  context.Context
	st   *State
	user string
	r    *reading
	now  time.Time
}
