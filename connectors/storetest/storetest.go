// Package storetest is the conformance suite of sodam.Store. Every store
// implementation (connectors/memstore, connectors/postgres) runs it
// unchanged from its own tests:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) sodam.Store { return newTestStore(t) })
//	}
//
// Each leaf test asks newStore for a fresh, empty store and runs in
// parallel with the others, so newStore must hand out independent stores
// (a new schema or database per call, for a database) and release them
// with t.Cleanup.
//
// The suite pins the behaviour the interfaces in the root package
// document: error codes, ordering, idempotency, atomic seat moves,
// serialised updates, unique idempotency keys, and copies in and out.
// Times are compared with time.Time.Equal and to the microsecond, and
// JSON documents by value, so that a database may store them in its own
// form.
package storetest

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/sodam-ai/sodam"
)

// NewStore returns a fresh, empty store for one test.
type NewStore func(t *testing.T) sodam.Store

// Run runs the whole conformance suite against stores made by newStore.
func Run(t *testing.T, newStore NewStore) {
	t.Run("Catalog", func(t *testing.T) { testCatalog(t, newStore) })
	t.Run("Users", func(t *testing.T) { testUsers(t, newStore) })
	t.Run("Orders", func(t *testing.T) { testOrders(t, newStore) })
	t.Run("Bookings", func(t *testing.T) { testBookings(t, newStore) })
	t.Run("Payments", func(t *testing.T) { testPayments(t, newStore) })
	t.Run("Complaints", func(t *testing.T) { testComplaints(t, newStore) })
	t.Run("AuditLog", func(t *testing.T) { testAuditLog(t, newStore) })
	t.Run("Dialogue", func(t *testing.T) { testDialogue(t, newStore) })
}

// parallel marks t parallel and returns a fresh store for it.
func parallel(t *testing.T, newStore NewStore) sodam.Store {
	t.Helper()
	t.Parallel()
	return newStore(t)
}

// base is the reference time of the suite's records: whole seconds in
// Seoul, which every store can keep exactly.
var base = time.Date(2026, 11, 24, 18, 0, 0, 0, sodam.Seoul)

// at returns base plus n minutes.
func at(n int) time.Time { return base.Add(time.Duration(n) * time.Minute) }

func ptr[T any](v T) *T { return &v }

// cmpOpts compares records as stores may return them: times by instant,
// nil and empty slices and maps alike.
var cmpOpts = []cmp.Option{
	cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }),
	cmpopts.EquateEmpty(),
}

// same reports a difference between want and got.
func same(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got, cmpOpts...); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// must fails the test now on an error.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantCode checks that err carries code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := sodam.ErrorCode(err); got != code {
		t.Errorf("%s: error code %q (%v), want %q", what, got, err, code)
	}
}

// sameJSON checks that two JSON documents hold the same value.
func sameJSON(t *testing.T, what string, want, got []byte) {
	t.Helper()
	if bytes.Equal(want, got) {
		return
	}
	var w, g any
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s: want is not JSON: %v", what, err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Errorf("%s: got %q, not JSON: %v", what, got, err)
		return
	}
	same(t, what, w, g)
}

// Fixtures. Each returns a new value, so that tests may change them.

func merchant(id, name, category string, lat, lng float64) *sodam.Merchant {
	return &sodam.Merchant{
		ID: id, Name: name, Category: category,
		Address: "서울 종로구 대학로 100", Lat: lat, Lng: lng,
		Opens: "11:00", Closes: "24:00", DeliveryFee: 3000, MinOrder: 15000,
	}
}

func menuItem(id, merchantID, name string, price int64) *sodam.MenuItem {
	return &sodam.MenuItem{ID: id, MerchantID: merchantID, Name: name, Price: price}
}

func event(id, title, category string) *sodam.Event {
	return &sodam.Event{ID: id, Title: title, Category: category, Venue: "KSPO DOME"}
}

func session(id, eventID string, startsAt time.Time, seats map[string]sodam.Seat) *sodam.Session {
	return &sodam.Session{ID: id, EventID: eventID, StartsAt: startsAt, Seats: seats}
}

// richMerchant, richMenuItem and richSession fill every field, slices,
// maps and pointers included.

func richMerchant() *sodam.Merchant {
	return &sodam.Merchant{
		ID: "m-001", Name: "교동치킨 혜화점", Brand: "교동치킨", Aliases: []string{"교동", "교동치킨"},
		Category: "치킨", Address: "서울 종로구 대학로 100", Lat: 37.5822, Lng: 127.0019,
		Opens: "11:00", Closes: "24:00", DeliveryFee: 3000, MinOrder: 15000,
		Description: "바삭한 치킨", Phone: "02-123-4567", ImageURL: "https://example.com/m.png",
	}
}

func richMenuItem() *sodam.MenuItem {
	return &sodam.MenuItem{
		ID: "i-001", MerchantID: "m-001", Name: "후라이드치킨", Aliases: []string{"후라이드", "프라이드"},
		Price: 18000, Description: "바삭한 기본 치킨",
		Options:         []sodam.MenuOption{{Name: "순살", Price: 2000}, {Name: "라지", Price: 3000}},
		DiscountPercent: 10, DiscountUntil: ptr(time.Date(2026, 11, 30, 23, 59, 0, 0, sodam.Seoul)),
		ImageURL: "https://example.com/i.png",
	}
}

func richEvent() *sodam.Event {
	return &sodam.Event{
		ID: "e-001", Title: "아이유 콘서트 〈HEREH〉", Performer: "아이유", Category: "콘서트",
		Venue: "KSPO DOME", Address: "서울 송파구 올림픽로 424", Description: "연말 공연",
		SubscriberOnly: true, ChannelID: "ch-edam", ChannelName: "EDAM엔터테인먼트",
		ImageURL: "https://example.com/e.png", Lat: 37.5202, Lng: 127.1228,
	}
}

func richSession() *sodam.Session {
	return session("s-001", "e-001", time.Date(2026, 12, 24, 19, 0, 0, 0, sodam.Seoul), map[string]sodam.Seat{
		"VIP": {Price: 165000, Available: 100},
		"R":   {Price: 143000, Available: 300},
	})
}
