package tools_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/memstore"
	"github.com/sodam-ai/sodam/connectors/postgres"
	"github.com/sodam-ai/sodam/connectors/postgres/pgtest"
	"github.com/sodam-ai/sodam/connectors/sandboxpay"
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

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a toolbox over a fresh store loaded with the test catalog.
type env struct {
	tb    *tools.Toolbox
	store sodam.Store
	pay   *sandboxpay.Provider
	clock *testClock
}

// newEnvFunc makes an env over one kind of store.
type newEnvFunc func(t testing.TB, opts ...tools.Option) *env

// forEachStore runs test on the embedded store and on PostgreSQL. It is
// kept for the rules whose atomicity comes from the store (seat holds,
// payment keys, refunds): every PostgreSQL env costs a schema and its
// migrations, so the rules decided in this package alone run on the
// embedded store only.
func forEachStore(t *testing.T, test func(t *testing.T, newEnv newEnvFunc)) {
	t.Run("memstore", func(t *testing.T) { test(t, newEnv) })
	t.Run("postgres", func(t *testing.T) { test(t, newPostgresEnv) })
}

// newPostgresEnv is newEnv on PostgreSQL, in a schema of its own dropped
// when the test ends. The test command (scripts/test.sh) provisions the
// database; without one the test fails, it does not skip.
func newPostgresEnv(t testing.TB, opts ...tools.Option) *env {
	t.Helper()
	clock := &testClock{t: refTime}
	store := pgtest.Open(t, "tools", postgres.Config{Clock: clock})
	return loadEnv(t, store, store, clock, opts)
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptime(s string) *time.Time {
	t := at(s)
	return &t
}

// places is the test gazetteer.
func places(name string) (sodam.Point, bool) {
	switch name {
	case "혜화역":
		return sodam.Point{Lat: 37.5822, Lng: 127.0019}, true
	case "강남역":
		return sodam.Point{Lat: 37.4979, Lng: 127.0276}, true
	}
	return sodam.Point{}, false
}

// The test catalog. At refTime:
//   - m-001 교동치킨 (치킨, 11:00~24:00, fee 3,000, min 15,000) near 혜화역
//     i-001 후라이드치킨 18,000 -10% until 11-30 = 16,200; option 순살 2,000
//     i-002 양념치킨 18,900 -15% until 11-30 = 16,060
//     i-003 콜라 2,000
//     i-004 반반치킨 19,000 -20% until 11-20 (expired) = 19,000
//     i-005 치즈볼 5,000 sold out
//   - m-002 심야족발 (족발, 15:00~02:00, fee 2,000, min 20,000) at 강남역
//     i-101 족발 소 25,000; i-102 막국수 8,000
//   - m-003 대학로피자 (피자, 11:00~22:00, no fee, no minimum), a little
//     farther from 혜화역 than m-001
//     i-201 치즈피자 12,000 -10% until 11-25 = 10,800
//   - e-001 아이유 콘서트 (ch-edam), s-001 12-24 19:00 VIP 165,000 x5,
//     R 143,000 x10; s-003 11-20 (past)
//   - e-002 아이유 팬미팅, subscriber only (ch-edam), s-002 12-01 전석
//     55,000 x100
//   - e-003 연극 〈햄릿〉 at 대학로 예술극장, s-004 11-28 14:00 R 50,000 x10
func newEnv(t testing.TB, opts ...tools.Option) *env {
	t.Helper()
	clock := &testClock{t: refTime}
	store := memstore.New(retrieval.NewIndex(retrieval.NewHashEmbedder(64)), clock)
	return loadEnv(t, store, store, clock, opts)
}

// loadEnv loads the test catalog and user u-1 into store and makes a
// toolbox over it with the sandbox provider.
func loadEnv(t testing.TB, store sodam.Store, search sodam.Searcher, clock *testClock, opts []tools.Option) *env {
	t.Helper()
	pay := sandboxpay.New("http://pay.test", clock)
	ctx := context.Background()
	until := ptime("2026-11-30T23:59:00+09:00")
	expired := ptime("2026-11-20T23:59:00+09:00")
	merchants := []*sodam.Merchant{
		{ID: "m-001", Name: "교동치킨 혜화점", Brand: "교동치킨", Category: "치킨", Address: "서울 종로구 대학로 100",
			Lat: 37.5825, Lng: 127.0020, Opens: "11:00", Closes: "24:00", DeliveryFee: 3000, MinOrder: 15000},
		{ID: "m-002", Name: "심야족발 강남점", Brand: "심야족발", Category: "족발", Address: "서울 강남구 강남대로 396",
			Lat: 37.4980, Lng: 127.0277, Opens: "15:00", Closes: "02:00", DeliveryFee: 2000, MinOrder: 20000},
		{ID: "m-003", Name: "대학로피자", Category: "피자", Address: "서울 종로구 동숭길 1",
			Lat: 37.5850, Lng: 127.0040, Opens: "11:00", Closes: "22:00"},
	}
	items := []*sodam.MenuItem{
		{ID: "i-001", MerchantID: "m-001", Name: "후라이드치킨", Aliases: []string{"후라이드"}, Price: 18000,
			Options: []sodam.MenuOption{{Name: "순살", Price: 2000}, {Name: "매운맛", Price: 500}}, DiscountPercent: 10, DiscountUntil: until},
		{ID: "i-002", MerchantID: "m-001", Name: "양념치킨", Price: 18900, DiscountPercent: 15, DiscountUntil: until},
		{ID: "i-003", MerchantID: "m-001", Name: "콜라", Price: 2000},
		{ID: "i-004", MerchantID: "m-001", Name: "반반치킨", Price: 19000, DiscountPercent: 20, DiscountUntil: expired},
		{ID: "i-005", MerchantID: "m-001", Name: "치즈볼", Price: 5000, SoldOut: true},
		{ID: "i-101", MerchantID: "m-002", Name: "족발 소", Price: 25000},
		{ID: "i-102", MerchantID: "m-002", Name: "막국수", Price: 8000},
		{ID: "i-201", MerchantID: "m-003", Name: "치즈피자", Price: 12000, DiscountPercent: 10, DiscountUntil: ptime("2026-11-25T00:00:00+09:00")},
	}
	events := []*sodam.Event{
		{ID: "e-001", Title: "아이유 콘서트 〈HEREH〉", Performer: "아이유", Category: "콘서트", Venue: "KSPO DOME",
			Address: "서울 송파구 올림픽로 424", ChannelID: "ch-edam", ChannelName: "EDAM엔터테인먼트"},
		{ID: "e-002", Title: "아이유 팬미팅", Performer: "아이유", Category: "팬미팅", Venue: "블루스퀘어",
			SubscriberOnly: true, ChannelID: "ch-edam", ChannelName: "EDAM엔터테인먼트"},
		{ID: "e-003", Title: "연극 〈햄릿〉", Performer: "극단 소담", Category: "연극", Venue: "대학로 예술극장",
			Address: "서울 종로구 대학로 10"},
	}
	sessions := []*sodam.Session{
		{ID: "s-001", EventID: "e-001", StartsAt: at("2026-12-24T19:00:00+09:00"),
			Seats: map[string]sodam.Seat{"VIP": {Price: 165000, Available: 5}, "R": {Price: 143000, Available: 10}}},
		{ID: "s-002", EventID: "e-002", StartsAt: at("2026-12-01T18:00:00+09:00"),
			Seats: map[string]sodam.Seat{"전석": {Price: 55000, Available: 100}}},
		{ID: "s-003", EventID: "e-001", StartsAt: at("2026-11-20T19:00:00+09:00"),
			Seats: map[string]sodam.Seat{"R": {Price: 143000, Available: 10}}},
		{ID: "s-004", EventID: "e-003", StartsAt: at("2026-11-28T14:00:00+09:00"),
			Seats: map[string]sodam.Seat{"R": {Price: 50000, Available: 10}}},
	}
	for _, m := range merchants {
		must(t, store.UpsertMerchant(ctx, m))
	}
	for _, i := range items {
		must(t, store.UpsertMenuItem(ctx, i))
	}
	for _, e := range events {
		must(t, store.UpsertEvent(ctx, e))
	}
	for _, s := range sessions {
		must(t, store.UpsertSession(ctx, s))
	}
	must(t, store.UpsertUser(ctx, &sodam.User{ID: "u-1", Address: "서울 종로구 대학로 12", Lat: 37.5820, Lng: 127.0010}))
	opts = append([]tools.Option{tools.WithPlaces(places)}, opts...)
	return &env{tb: tools.New(store, search, pay, clock, opts...), store: store, pay: pay, clock: clock}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantCode fails the test unless err carries code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := sodam.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// wantMessage fails the test unless err's user message is msg.
func wantMessage(t testing.TB, err error, msg string) {
	t.Helper()
	var e *sodam.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not a *sodam.Error", err)
	}
	if got := sodam.ErrorMessage(err); got != msg {
		t.Errorf("message = %q, want %q", got, msg)
	}
}

var bg = context.Background()

// placedOrder fills u-1's cart with two 후라이드치킨 and places it:
// 2 x 16,200 + 3,000 = 35,400.
func (e *env) placedOrder(t testing.TB) *sodam.Order {
	t.Helper()
	if _, err := e.tb.CartAdd(bg, "u-1", tools.CartAddInput{MenuItemID: "i-001", Quantity: 2}); err != nil {
		t.Fatal(err)
	}
	out, err := e.tb.PlaceOrder(bg, "u-1", tools.PlaceOrderInput{})
	if err != nil {
		t.Fatal(err)
	}
	return out.Order
}
