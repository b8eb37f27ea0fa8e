package memstore_test

import (
	"context"
	"fmt"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/memstore"
)

var now = time.Date(2026, 11, 24, 18, 0, 0, 0, sodam.Seoul)

func newStore() *memstore.Store {
	return memstore.New(nil, sodam.ClockFunc(func() time.Time { return now }))
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func loadSession(t testing.TB, s *memstore.Store, seats int) {
	t.Helper()
	ctx := context.Background()
	if err := s.UpsertEvent(ctx, &sodam.Event{ID: "e-1", Title: "햄릿", Category: "연극"}); err != nil {
		t.Fatal(err)
	}
	err := s.UpsertSession(ctx, &sodam.Session{ID: "s-1", EventID: "e-1", StartsAt: now.Add(48 * time.Hour),
		Seats: map[string]sodam.Seat{"R": {Price: 50000, Available: seats}}})
	if err != nil {
		t.Fatal(err)
	}
}

func TestAssignedIDsAndTimes(t *testing.T) {
	ctx := context.Background()
	s := newStore()
	loadSession(t, s, 10)
	o := &sodam.Order{UserID: "u-1", Status: sodam.OrderDraft}
	mustDo(t, s.CreateOrder(ctx, o))
	b := &sodam.Booking{UserID: "u-1", SessionID: "s-1", SeatGrade: "R", TicketCount: 1}
	mustDo(t, s.HoldSeats(ctx, b))
	p, _, err := s.CreatePayment(ctx, &sodam.Payment{UserID: "u-1", IdempotencyKey: "k"})
	mustDo(t, err)
	c := &sodam.Complaint{UserID: "u-1", Type: sodam.ComplaintLate}
	mustDo(t, s.CreateComplaint(ctx, c))
	tc := &sodam.ToolCall{UserID: "u-1", Tool: "search"}
	mustDo(t, s.RecordToolCall(ctx, tc))

	for _, r := range []struct {
		name, id, want string
		at             time.Time
	}{
		{"order", o.ID, "o-000001", o.CreatedAt},
		{"booking", b.ID, "b-000001", b.CreatedAt},
		{"payment", p.ID, "p-000001", p.CreatedAt},
		{"complaint", c.ID, "c-000001", c.CreatedAt},
		{"tool call", tc.ID, "tc-000001", tc.At},
	} {
		if r.id != r.want || !r.at.Equal(now) {
			t.Errorf("%s: id %q at %v; want %q at the clock's time", r.name, r.id, r.at, r.want)
		}
	}
	if !o.UpdatedAt.Equal(now) || b.Status != sodam.BookingHeld || c.Status != sodam.ComplaintOpen {
		t.Errorf("defaults: order updated %v, booking %s, complaint %s", o.UpdatedAt, b.Status, c.Status)
	}
	// A caller's id that looks like an assigned one is skipped over.
	taken := &sodam.Order{ID: "o-000002", UserID: "u-1"}
	mustDo(t, s.CreateOrder(ctx, taken))
	next := &sodam.Order{UserID: "u-1"}
	mustDo(t, s.CreateOrder(ctx, next))
	if next.ID != "o-000003" {
		t.Errorf("next id %q, want o-000003", next.ID)
	}
}

func TestInvalidInput(t *testing.T) {
	ctx := context.Background()
	s := newStore()
	loadSession(t, s, 10)
	mustDo(t, s.HoldSeats(ctx, &sodam.Booking{ID: "b-x", UserID: "u-1", SessionID: "s-1", SeatGrade: "R", TicketCount: 1}))
	_, _, errPay := s.CreatePayment(ctx, &sodam.Payment{UserID: "u-1"})
	_, _, errPayUser := s.CreatePayment(ctx, &sodam.Payment{IdempotencyKey: "k"})
	_, errSub := s.Subscribe(ctx, "u-1", "")
	cases := []struct {
		name string
		err  error
		code string
	}{
		{"order without user", s.CreateOrder(ctx, &sodam.Order{}), sodam.EINVALID},
		{"hold of no seats", s.HoldSeats(ctx, &sodam.Booking{UserID: "u-1", SessionID: "s-1", SeatGrade: "R"}), sodam.EINVALID},
		{"hold without user", s.HoldSeats(ctx, &sodam.Booking{SessionID: "s-1", SeatGrade: "R", TicketCount: 1}), sodam.EINVALID},
		{"hold with an id in use", s.HoldSeats(ctx, &sodam.Booking{ID: "b-x", UserID: "u-1", SessionID: "s-1", SeatGrade: "R", TicketCount: 1}), sodam.ECONFLICT},
		{"payment without key", errPay, sodam.EINVALID},
		{"payment without user", errPayUser, sodam.EINVALID},
		{"complaint without user", s.CreateComplaint(ctx, &sodam.Complaint{}), sodam.EINVALID},
		{"user without id", s.UpsertUser(ctx, &sodam.User{}), sodam.EINVALID},
		{"subscription without channel", errSub, sodam.EINVALID},
		{"dialogue without user", s.SaveDialogue(ctx, "", []byte(`{}`)), sodam.EINVALID},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := sodam.ErrorCode(tc.err); got != tc.code {
				t.Errorf("error %v, want code %s", tc.err, tc.code)
			}
		})
	}
	ss, err := s.Session(ctx, "s-1")
	mustDo(t, err)
	if n := ss.Seats["R"].Available; n != 9 {
		t.Errorf("seats left %d after refused holds, want 9", n)
	}
}

func TestUpdateBookingGuardsSeats(t *testing.T) {
	ctx := context.Background()
	s := newStore()
	loadSession(t, s, 10)
	b := &sodam.Booking{UserID: "u-1", SessionID: "s-1", SeatGrade: "R", TicketCount: 2}
	mustDo(t, s.HoldSeats(ctx, b))
	cases := []struct {
		name string
		fn   func(*sodam.Booking)
	}{
		{"count", func(b *sodam.Booking) { b.TicketCount = 5 }},
		{"grade", func(b *sodam.Booking) { b.SeatGrade = "VIP" }},
		{"session", func(b *sodam.Booking) { b.SessionID = "s-2" }},
		{"cancel", func(b *sodam.Booking) { b.Status = sodam.BookingCancelled }},
		{"unknown status", func(b *sodam.Booking) { b.Status = "" }},
		{"user", func(b *sodam.Booking) { b.UserID = "u-2" }},
		{"id", func(b *sodam.Booking) { b.ID = "b-other" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.UpdateBooking(ctx, b.ID, func(b *sodam.Booking) error { tc.fn(b); return nil })
			if sodam.ErrorCode(err) != sodam.EINVALID {
				t.Errorf("UpdateBooking changing the %s: %v, want invalid", tc.name, err)
			}
		})
	}
	got, err := s.Booking(ctx, b.ID)
	mustDo(t, err)
	if *got != *b {
		t.Errorf("booking changed by refused updates:\n got %+v\nwant %+v", got, b)
	}
	// A paid booking cannot go back to held, where it could expire.
	_, err = s.UpdateBooking(ctx, b.ID, func(b *sodam.Booking) error { b.Status = sodam.BookingPaid; return nil })
	mustDo(t, err)
	_, err = s.UpdateBooking(ctx, b.ID, func(b *sodam.Booking) error { b.Status = sodam.BookingHeld; return nil })
	if sodam.ErrorCode(err) != sodam.EINVALID {
		t.Errorf("paid back to held: %v, want invalid", err)
	}
	// A cancelled booking cannot come back to life and take no seats.
	_, err = s.CancelBooking(ctx, b.ID, time.Time{})
	mustDo(t, err)
	_, err = s.UpdateBooking(ctx, b.ID, func(b *sodam.Booking) error { b.Status = sodam.BookingPaid; return nil })
	if sodam.ErrorCode(err) != sodam.EINVALID {
		t.Errorf("reviving a cancelled booking: %v, want invalid", err)
	}
}

func TestUpdateKeepsIdentity(t *testing.T) {
	ctx := context.Background()
	s := newStore()
	o := &sodam.Order{UserID: "u-1"}
	mustDo(t, s.CreateOrder(ctx, o))
	p, _, err := s.CreatePayment(ctx, &sodam.Payment{UserID: "u-1", IdempotencyKey: "k-1"})
	mustDo(t, err)
	c := &sodam.Complaint{UserID: "u-1"}
	mustDo(t, s.CreateComplaint(ctx, c))
	cases := []struct {
		name string
		err  func() error
	}{
		{"order user", func() error {
			_, err := s.UpdateOrder(ctx, o.ID, func(o *sodam.Order) error { o.UserID = "u-2"; return nil })
			return err
		}},
		{"payment key", func() error {
			_, err := s.UpdatePayment(ctx, p.ID, func(p *sodam.Payment) error { p.IdempotencyKey = "k-2"; return nil })
			return err
		}},
		{"complaint id", func() error {
			_, err := s.UpdateComplaint(ctx, c.ID, func(c *sodam.Complaint) error { c.ID = "c-9"; return nil })
			return err
		}},
	}
	for _, tc := range cases {
		if err := tc.err(); sodam.ErrorCode(err) != sodam.EINVALID {
			t.Errorf("changing the %s: %v, want invalid", tc.name, err)
		}
	}
	if _, created, err := s.CreatePayment(ctx, &sodam.Payment{UserID: "u-1", IdempotencyKey: "k-1"}); err != nil || created {
		t.Errorf("key k-1 after refused change: created %v, %v", created, err)
	}
}

func TestSearchWithoutIndex(t *testing.T) {
	_, err := newStore().Search(context.Background(), sodam.SearchQuery{Kind: sodam.KindMerchant})
	if sodam.ErrorCode(err) != sodam.EUNAVAILABLE {
		t.Errorf("Search without an index: %v, want unavailable", err)
	}
}

func TestNotFoundMessageIsKorean(t *testing.T) {
	_, err := newStore().Order(context.Background(), "o-9")
	msg := sodam.ErrorMessage(err)
	if !regexp.MustCompile(`^주문을\(를\) 찾을 수 없어요: o-9$`).MatchString(msg) {
		t.Errorf("message %q", msg)
	}
}

// TestMixedLoad runs every kind of write at once on shared records; with
// -race it checks the locking, and at the end that seats add up.
func TestMixedLoad(t *testing.T) {
	ctx := context.Background()
	s := newStore()
	loadSession(t, s, 50)
	o := &sodam.Order{UserID: "u-0"}
	mustDo(t, s.CreateOrder(ctx, o))
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			user := fmt.Sprintf("u-%d", w)
			for k := range 50 {
				b := &sodam.Booking{UserID: user, SessionID: "s-1", SeatGrade: "R", TicketCount: 1 + k%3, HeldUntil: now.Add(time.Duration(k%5) * time.Minute)}
				if err := s.HoldSeats(ctx, b); err == nil && k%2 == 0 {
					s.CancelBooking(ctx, b.ID, now)
				}
				s.ExpireHolds(ctx, now.Add(2*time.Minute))
				s.UpdateOrder(ctx, o.ID, func(o *sodam.Order) error { o.Total++; return nil })
				s.CreatePayment(ctx, &sodam.Payment{UserID: user, IdempotencyKey: fmt.Sprint(k)})
				s.Session(ctx, "s-1")
				s.BookingsByUser(ctx, user)
				s.Payments(ctx, "")
			}
		})
	}
	wg.Wait()
	held := 0
	for w := range 8 {
		bs, err := s.BookingsByUser(ctx, fmt.Sprintf("u-%d", w))
		mustDo(t, err)
		for _, b := range bs {
			if b.Status != sodam.BookingCancelled {
				held += b.TicketCount
			}
		}
	}
	ss, err := s.Session(ctx, "s-1")
	mustDo(t, err)
	if left := ss.Seats["R"].Available; left < 0 || left+held != 50 {
		t.Errorf("seats left %d + held %d, want 50", left, held)
	}
	got, err := s.Order(ctx, o.ID)
	mustDo(t, err)
	if got.Total != 8*50 {
		t.Errorf("order total %d, want %d", got.Total, 8*50)
	}
	ps, err := s.Payments(ctx, "")
	mustDo(t, err)
	if len(ps) != 50 {
		t.Errorf("%d payments for 50 keys", len(ps))
	}
}
