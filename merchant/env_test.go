package merchant_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/memstore"
	"github.com/sodam-ai/sodam/connectors/postgres"
	"github.com/sodam-ai/sodam/connectors/postgres/pgtest"
	"github.com/sodam-ai/sodam/connectors/sandboxpay"
	"github.com/sodam-ai/sodam/merchant"
	"github.com/sodam-ai/sodam/retrieval"
	"github.com/sodam-ai/sodam/tools"
)

// refTime is the time of the tests: a Tuesday evening in Seoul.
var refTime = time.Date(2026, 11, 24, 18, 0, 0, 0, sodam.Seoul)

// testClock is a clock the test moves by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// inbox is a Notifier that records what reached each user; users not in
// online are not connected.
type inbox struct {
	mu     sync.Mutex
	online map[string]bool
	got    map[string][]*sodam.Notice
}

func newInbox() *inbox {
	return &inbox{online: map[string]bool{}, got: map[string][]*sodam.Notice{}}
}

func (b *inbox) Notify(userID string, n *sodam.Notice) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.online[userID] {
		return 0
	}
	c := *n
	b.got[userID] = append(b.got[userID], &c)
	return 1
}

// Online implements merchant.Presence.
func (b *inbox) Online(userID string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.online[userID]
}

func (b *inbox) setOnline(userID string, on bool) {
	b.mu.Lock()
	b.online[userID] = on
	b.mu.Unlock()
}

// texts is what reached the user, in order.
func (b *inbox) texts(userID string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, n := range b.got[userID] {
		out = append(out, n.Text)
	}
	return out
}

func (b *inbox) notices(userID string) []*sodam.Notice {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]*sodam.Notice(nil), b.got[userID]...)
}

// env is a merchant service over a fresh embedded store with a small
// catalog: two stores open around the clock and an event channel.
type env struct {
	svc   *merchant.Service
	store store
	recs  merchant.Records
	tb    *tools.Toolbox
	pay   *sandboxpay.Provider
	clock *testClock
	inbox *inbox
	// reloads counts the catalog reloads asked for.
	reloads int
}

// store is what the tests need of a store.
type store interface {
	sodam.Store
	sodam.Searcher
}

func newEnv(t testing.TB, opts ...func(*merchant.Config)) *env {
	t.Helper()
	clock := &testClock{t: refTime}
	st := memstore.New(retrieval.NewIndex(retrieval.NewHashEmbedder(0)), clock)
	return loadEnv(t, st, memstore.NewMerchantRecords(st), clock, opts)
}

// newPostgresEnv is newEnv on PostgreSQL, in a schema of its own dropped
// when the test ends. The test command (scripts/test.sh) provisions the
// database; without one the test fails, it does not skip.
func newPostgresEnv(t testing.TB, opts ...func(*merchant.Config)) *env {
	t.Helper()
	clock := &testClock{t: refTime}
	st := pgtest.Open(t, "merchant", postgres.Config{Clock: clock})
	return loadEnv(t, st, postgres.NewMerchantRecords(st), clock, opts)
}

// forEachStore runs test on the embedded store and on PostgreSQL.
func forEachStore(t *testing.T, test func(t *testing.T, newEnv func(testing.TB, ...func(*merchant.Config)) *env)) {
	t.Run("memstore", func(t *testing.T) { test(t, newEnv) })
	t.Run("postgres", func(t *testing.T) { test(t, newPostgresEnv) })
}

func loadEnv(t testing.TB, st store, recs merchant.Records, clock *testClock, opts []func(*merchant.Config)) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{store: st, recs: recs, clock: clock, inbox: newInbox()}
	e.pay = sandboxpay.New("http://sandbox.test", clock)
	e.tb = tools.New(st, st, e.pay, clock)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range []*sodam.Merchant{
		{ID: "m-1", Name: "교동치킨 혜화점", Category: "치킨", Lat: 37.58, Lng: 127.0, Opens: "00:00", Closes: "24:00", DeliveryFee: 3000, MinOrder: 15000},
		{ID: "m-2", Name: "피자나라 혜화점", Category: "피자", Lat: 37.58, Lng: 127.0, Opens: "00:00", Closes: "24:00", DeliveryFee: 2000},
	} {
		must(st.UpsertMerchant(ctx, m))
	}
	for _, it := range []*sodam.MenuItem{
		{ID: "i-1", MerchantID: "m-1", Name: "후라이드치킨", Price: 18000},
		{ID: "i-2", MerchantID: "m-1", Name: "양념치킨", Price: 19000},
		{ID: "i-3", MerchantID: "m-2", Name: "페퍼로니피자", Price: 21000},
	} {
		must(st.UpsertMenuItem(ctx, it))
	}
	must(st.UpsertEvent(ctx, &sodam.Event{ID: "e-1", Title: "아이유 콘서트", Category: "콘서트", ChannelID: "ch-edam", ChannelName: "EDAM엔터테인먼트"}))
	must(st.UpsertSession(ctx, &sodam.Session{ID: "s-1", EventID: "e-1", StartsAt: refTime.AddDate(0, 1, 0),
		Seats: map[string]sodam.Seat{"R": {Price: 143000, Available: 10}}}))
	cfg := merchant.Config{Store: st, Records: e.recs, Orders: e.tb, Notifier: e.inbox, Clock: clock,
		CatalogChanged: func() { e.reloads++ }}
	for _, o := range opts {
		o(&cfg)
	}
	e.svc = merchant.New(cfg)
	return e
}

// account issues a key for a channel and returns the account it opens.
func (e *env) account(t testing.TB, channelID string) *sodam.MerchantAccount {
	t.Helper()
	key, _, err := e.svc.IssueKey(context.Background(), channelID)
	if err != nil {
		t.Fatalf("IssueKey(%s): %v", channelID, err)
	}
	acct, err := e.svc.Authenticate(context.Background(), key)
	if err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	return acct
}

// order has the user order items of one store and pay; it returns the
// paid order.
func (e *env) order(t testing.TB, userID string, items ...string) *sodam.Order {
	t.Helper()
	ctx := context.Background()
	for _, id := range items {
		if _, err := e.tb.CartAdd(ctx, userID, tools.CartAddInput{MenuItemID: id, Quantity: 1}); err != nil {
			t.Fatalf("CartAdd(%s): %v", id, err)
		}
	}
	if _, err := e.tb.PlaceOrder(ctx, userID, tools.PlaceOrderInput{}); err != nil {
		t.Fatalf("PlaceOrder: %v", err)
	}
	out, err := e.tb.Pay(ctx, userID, tools.PayInput{})
	if err != nil {
		t.Fatalf("Pay: %v", err)
	}
	if out.Payment.Status != sodam.PaymentApproved {
		t.Fatalf("payment %s, want approved", out.Payment.Status)
	}
	o, err := e.store.Order(ctx, out.Payment.OrderID)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// wantCode fails unless err carries code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := sodam.ErrorCode(err); got != code {
		t.Fatalf("error %v (code %q), want code %q", err, got, code)
	}
}
