package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/sodam-ai/sodam"
)

// loadSessions stores event e-001 with session s-001 (R 10 seats at
// 143,000원, VIP 2 at 165,000원) and session s-002 (전석 5 seats).
func loadSessions(t *testing.T, s sodam.Store) {
	t.Helper()
	ctx := context.Background()
	must(t, s.UpsertEvent(ctx, event("e-001", "아이유 콘서트", "콘서트")))
	must(t, s.UpsertSession(ctx, session("s-001", "e-001", at(7*24*60), map[string]sodam.Seat{
		"R":   {Price: 143000, Available: 10},
		"VIP": {Price: 165000, Available: 2},
	})))
	must(t, s.UpsertSession(ctx, session("s-002", "e-001", at(8*24*60), map[string]sodam.Seat{
		"전석": {Price: 99000, Available: 5},
	})))
}

func hold(userID, sessionID, grade string, count, created, heldFor int) *sodam.Booking {
	return &sodam.Booking{
		UserID: userID, EventID: "e-001", SessionID: sessionID, SeatGrade: grade,
		TicketCount: count, UnitPrice: 143000, Total: 143000 * int64(count),
		HeldUntil: at(created + heldFor), CreatedAt: at(created), UpdatedAt: at(created),
	}
}

// seatsLeft returns the seats left of a grade of a session.
func seatsLeft(t *testing.T, s sodam.Store, sessionID, grade string) int {
	t.Helper()
	ss, err := s.Session(context.Background(), sessionID)
	must(t, err)
	return ss.Seats[grade].Available
}

func testBookings(t *testing.T, newStore NewStore) {
	ctx := context.Background()

	t.Run("HoldTakesSeats", func(t *testing.T) {
		s := parallel(t, newStore)
		loadSessions(t, s)
		b := hold("u-1", "s-001", "R", 3, 0, 10)
		b.Status = "" // HoldSeats sets it
		must(t, s.HoldSeats(ctx, b))
		if b.ID == "" {
			t.Fatal("HoldSeats assigned no id")
		}
		want := hold("u-1", "s-001", "R", 3, 0, 10)
		want.ID, want.Status = b.ID, sodam.BookingHeld
		got, err := s.Booking(ctx, b.ID)
		must(t, err)
		same(t, "booking", want, got)
		if n := seatsLeft(t, s, "s-001", "R"); n != 7 {
			t.Errorf("R seats left %d, want 7", n)
		}
		if n := seatsLeft(t, s, "s-001", "VIP"); n != 2 {
			t.Errorf("VIP seats left %d, want 2 (untouched)", n)
		}
		b2 := hold("u-1", "s-001", "R", 1, 1, 10)
		must(t, s.HoldSeats(ctx, b2))
		if b2.ID == b.ID {
			t.Errorf("two bookings got the id %q", b.ID)
		}
	})

	t.Run("HoldRefusals", func(t *testing.T) {
		s := parallel(t, newStore)
		loadSessions(t, s)
		cases := []struct {
			name string
			b    *sodam.Booking
			code string
		}{
			{"more seats than left", hold("u-1", "s-001", "VIP", 3, 0, 10), sodam.ECONFLICT},
			{"unknown session", hold("u-1", "s-none", "R", 1, 0, 10), sodam.ENOTFOUND},
			{"unknown grade", hold("u-1", "s-001", "S", 1, 0, 10), sodam.ENOTFOUND},
			{"grade of another session", hold("u-1", "s-002", "R", 1, 0, 10), sodam.ENOTFOUND},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				wantCode(t, "HoldSeats", s.HoldSeats(ctx, tc.b), tc.code)
			})
		}
		for _, g := range []struct {
			session, grade string
			want           int
		}{{"s-001", "R", 10}, {"s-001", "VIP", 2}, {"s-002", "전석", 5}} {
			if n := seatsLeft(t, s, g.session, g.grade); n != g.want {
				t.Errorf("%s %s seats left %d, want %d", g.session, g.grade, n, g.want)
			}
		}
		bs, err := s.BookingsByUser(ctx, "u-1")
		must(t, err)
		if len(bs) != 0 {
			t.Errorf("refused holds stored %d bookings", len(bs))
		}
	})

	t.Run("ConcurrentHoldsSellExactlyTheSeats", func(t *testing.T) {
		s := parallel(t, newStore)
		loadSessions(t, s)
		const buyers = 100
		var held, conflicts atomic.Int32
		var wg sync.WaitGroup
		errs := make(chan error, buyers)
		for n := range buyers {
			wg.Go(func() {
				err := s.HoldSeats(ctx, hold(fmt.Sprintf("u-%03d", n), "s-001", "R", 1, n, 10))
				switch sodam.ErrorCode(err) {
				case "":
					held.Add(1)
				case sodam.ECONFLICT:
					conflicts.Add(1)
				default:
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("HoldSeats: %v", err)
		}
		if held.Load() != 10 || conflicts.Load() != buyers-10 {
			t.Errorf("%d held, %d conflicts; want 10 and %d", held.Load(), conflicts.Load(), buyers-10)
		}
		if n := seatsLeft(t, s, "s-001", "R"); n != 0 {
			t.Errorf("R seats left %d, want 0", n)
		}
		stored := 0
		for n := range buyers {
			bs, err := s.BookingsByUser(ctx, fmt.Sprintf("u-%03d", n))
			must(t, err)
			stored += len(bs)
		}
		if stored != 10 {
			t.Errorf("%d bookings stored, want 10", stored)
		}
	})

	t.Run("ConcurrentMixedHoldsNeverOversell", func(t *testing.T) {
		s := parallel(t, newStore)
		loadSessions(t, s)
		var sold atomic.Int32
		var wg sync.WaitGroup
		for n := range 40 {
			wg.Go(func() {
				count := 1 + n%3
				err := s.HoldSeats(ctx, hold("u-1", "s-001", "R", count, n, 10))
				if err == nil {
					sold.Add(int32(count))
				} else if !sodam.IsCode(err, sodam.ECONFLICT) {
					t.Errorf("HoldSeats(%d): %v", count, err)
				}
			})
		}
		wg.Wait()
		left := seatsLeft(t, s, "s-001", "R")
		if left < 0 || int(sold.Load())+left != 10 {
			t.Errorf("sold %d, left %d; want a sum of 10 and none negative", sold.Load(), left)
		}
		bs, err := s.BookingsByUser(ctx, "u-1")
		must(t, err)
		total := 0
		for _, b := range bs {
			total += b.TicketCount
		}
		if total != int(sold.Load()) {
			t.Errorf("bookings hold %d seats, sold %d", total, sold.Load())
		}
	})

	t.Run("CatalogUpdateKeepsSeatsTaken", func(t *testing.T) {
		s := parallel(t, newStore)
		loadSessions(t, s)
		sess, err := s.Session(ctx, "s-001")
		must(t, err)
		published := sess.Seats["R"].Available
		b := hold("u-1", "s-001", "R", 3, 0, 10)
		must(t, s.HoldSeats(ctx, b))
		// The same catalog again: the held seats stay taken.
		sess.Seats["R"] = sodam.Seat{Price: sess.Seats["R"].Price, Available: published}
		must(t, s.UpsertSession(ctx, sess))
		if n := seatsLeft(t, s, "s-001", "R"); n != published-3 {
			t.Errorf("after re-ingest R seats left %d, want %d", n, published-3)
		}
		// The business adds 5 seats: they come on top of what is taken.
		sess.Seats["R"] = sodam.Seat{Price: sess.Seats["R"].Price, Available: published + 5}
		must(t, s.UpsertSession(ctx, sess))
		if n := seatsLeft(t, s, "s-001", "R"); n != published+2 {
			t.Errorf("after adding 5 seats R left %d, want %d", n, published+2)
		}
		// Cancelling returns the seats.
		_, err = s.CancelBooking(ctx, b.ID, at(60))
		must(t, err)
		if n := seatsLeft(t, s, "s-001", "R"); n != published+5 {
			t.Errorf("after cancel R left %d, want %d", n, published+5)
		}
	})

	t.Run("CancelReturnsSeatsOnce", func(t *testing.T) {
		s := parallel(t, newStore)
		loadSessions(t, s)
		b := hold("u-1", "s-001", "R", 4, 0, 10)
		must(t, s.HoldSeats(ctx, b))
		got, err := s.CancelBooking(ctx, b.ID, at(3))
		must(t, err)
		if got.Status != sodam.BookingCancelled || got.ID != b.ID {
			t.Errorf("CancelBooking returned %s %s, want %s cancelled", got.ID, got.Status, b.ID)
		}
		if n := seatsLeft(t, s, "s-001", "R"); n != 10 {
			t.Errorf("after cancel: R seats left %d, want 10", n)
		}
		_, err = s.CancelBooking(ctx, b.ID, at(4))
		wantCode(t, "second cancel", err, sodam.ECONFLICT)
		if n := seatsLeft(t, s, "s-001", "R"); n != 10 {
			t.Errorf("after second cancel: R seats left %d, want 10", n)
		}
		stored, err := s.Booking(ctx, b.ID)
		must(t, err)
		if stored.Status != sodam.BookingCancelled {
			t.Errorf("stored status %s, want cancelled", stored.Status)
		}
		_, err = s.CancelBooking(ctx, "b-none", at(4))
		wantCode(t, "cancel of a missing booking", err, sodam.ENOTFOUND)
	})

	t.Run("ConcurrentCancelsReturnSeatsOnce", func(t *testing.T) {
		s := parallel(t, newStore)
		loadSessions(t, s)
		b := hold("u-1", "s-001", "R", 3, 0, 10)
		must(t, s.HoldSeats(ctx, b))
		var ok, conflicts atomic.Int32
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				_, err := s.CancelBooking(ctx, b.ID, at(1))
				switch sodam.ErrorCode(err) {
				case "":
					ok.Add(1)
				case sodam.ECONFLICT:
					conflicts.Add(1)
				default:
					t.Errorf("CancelBooking: %v", err)
				}
			})
		}
		wg.Wait()
		if ok.Load() != 1 || conflicts.Load() != 19 {
			t.Errorf("%d cancels succeeded, %d conflicted; want 1 and 19", ok.Load(), conflicts.Load())
		}
		if n := seatsLeft(t, s, "s-001", "R"); n != 10 {
			t.Errorf("R seats left %d, want 10", n)
		}
	})

	t.Run("CancelPaidReturnsSeats", func(t *testing.T) {
		s := parallel(t, newStore)
		loadSessions(t, s)
		b := hold("u-1", "s-001", "VIP", 2, 0, 10)
		must(t, s.HoldSeats(ctx, b))
		_, err := s.UpdateBooking(ctx, b.ID, func(b *sodam.Booking) error {
			b.Status, b.PaymentID = sodam.BookingPaid, "p-1"
			return nil
		})
		must(t, err)
		if n := seatsLeft(t, s, "s-001", "VIP"); n != 0 {
			t.Errorf("paid: VIP seats left %d, want 0", n)
		}
		got, err := s.CancelBooking(ctx, b.ID, at(2))
		must(t, err)
		if got.Status != sodam.BookingCancelled || got.PaymentID != "p-1" {
			t.Errorf("cancelled booking: status %s, payment %q", got.Status, got.PaymentID)
		}
		if n := seatsLeft(t, s, "s-001", "VIP"); n != 2 {
			t.Errorf("cancelled: VIP seats left %d, want 2", n)
		}
	})

	t.Run("ExpireHoldsOnlyExpired", func(t *testing.T) {
		s := parallel(t, newStore)
		loadSessions(t, s)
		now := at(30)
		past := hold("u-1", "s-001", "R", 2, 0, 10)  // held until at(10)
		exact := hold("u-2", "s-001", "R", 3, 5, 25) // held until at(30) = now
		future := hold("u-1", "s-001", "R", 1, 20, 15)
		paid := hold("u-3", "s-002", "전석", 2, 1, 5)
		for _, b := range []*sodam.Booking{past, exact, future, paid} {
			must(t, s.HoldSeats(ctx, b))
		}
		_, err := s.UpdateBooking(ctx, paid.ID, func(b *sodam.Booking) error { b.Status = sodam.BookingPaid; return nil })
		must(t, err)
		cancelled := hold("u-2", "s-002", "전석", 1, 2, 5)
		must(t, s.HoldSeats(ctx, cancelled))
		_, err = s.CancelBooking(ctx, cancelled.ID, at(3))
		must(t, err)

		expired, err := s.ExpireHolds(ctx, now)
		must(t, err)
		same(t, "expired", []string{past.ID, exact.ID}, ids(expired, func(b *sodam.Booking) string { return b.ID }))
		for _, b := range expired {
			if b.Status != sodam.BookingCancelled {
				t.Errorf("expired %s has status %s", b.ID, b.Status)
			}
		}
		if n := seatsLeft(t, s, "s-001", "R"); n != 9 {
			t.Errorf("R seats left %d, want 9 (only the future hold kept)", n)
		}
		if n := seatsLeft(t, s, "s-002", "전석"); n != 3 {
			t.Errorf("전석 seats left %d, want 3 (paid kept, cancelled not returned twice)", n)
		}
		for _, tc := range []struct {
			b    *sodam.Booking
			want sodam.BookingStatus
		}{{past, sodam.BookingCancelled}, {exact, sodam.BookingCancelled}, {future, sodam.BookingHeld}, {paid, sodam.BookingPaid}} {
			got, err := s.Booking(ctx, tc.b.ID)
			must(t, err)
			if got.Status != tc.want {
				t.Errorf("booking %s: status %s, want %s", tc.b.ID, got.Status, tc.want)
			}
		}
		again, err := s.ExpireHolds(ctx, now)
		must(t, err)
		if len(again) != 0 {
			t.Errorf("second ExpireHolds expired %d bookings", len(again))
		}
		if n := seatsLeft(t, s, "s-001", "R"); n != 9 {
			t.Errorf("after second ExpireHolds: R seats left %d, want 9", n)
		}
	})

	t.Run("UpdateBooking", func(t *testing.T) {
		s := parallel(t, newStore)
		loadSessions(t, s)
		b := hold("u-1", "s-001", "R", 2, 0, 10)
		must(t, s.HoldSeats(ctx, b))
		errStop := errors.New("stop")
		_, err := s.UpdateBooking(ctx, b.ID, func(b *sodam.Booking) error {
			b.PaymentID = "p-bad"
			return errStop
		})
		if !errors.Is(err, errStop) {
			t.Errorf("UpdateBooking returned %v, want fn's error", err)
		}
		want := hold("u-1", "s-001", "R", 2, 0, 10)
		want.ID, want.Status = b.ID, sodam.BookingHeld
		got, err := s.Booking(ctx, b.ID)
		must(t, err)
		same(t, "booking after failed update", want, got)

		want.Status, want.PaymentID, want.UpdatedAt = sodam.BookingPaid, "p-1", at(3)
		got, err = s.UpdateBooking(ctx, b.ID, func(b *sodam.Booking) error {
			b.Status, b.PaymentID, b.UpdatedAt = sodam.BookingPaid, "p-1", at(3)
			return nil
		})
		must(t, err)
		same(t, "returned booking", want, got)
		got, err = s.Booking(ctx, b.ID)
		must(t, err)
		same(t, "stored booking", want, got)
		got.PaymentID = "바뀜"
		got, err = s.Booking(ctx, b.ID)
		must(t, err)
		same(t, "stored booking after changing a copy", want, got)

		_, err = s.UpdateBooking(ctx, "b-none", func(*sodam.Booking) error { return nil })
		wantCode(t, "UpdateBooking of a missing booking", err, sodam.ENOTFOUND)
		_, err = s.Booking(ctx, "b-none")
		wantCode(t, "Booking of a missing booking", err, sodam.ENOTFOUND)
	})

	t.Run("ByUserOldestFirst", func(t *testing.T) {
		s := parallel(t, newStore)
		loadSessions(t, s)
		var want []string
		for _, created := range []int{30, 10, 20} {
			b := hold("u-1", "s-001", "R", 1, created, 60)
			must(t, s.HoldSeats(ctx, b))
			want = append(want, b.ID)
		}
		must(t, s.HoldSeats(ctx, hold("u-2", "s-001", "R", 1, 0, 60)))
		want = []string{want[1], want[2], want[0]}
		bs, err := s.BookingsByUser(ctx, "u-1")
		must(t, err)
		same(t, "BookingsByUser", want, ids(bs, func(b *sodam.Booking) string { return b.ID }))
	})
}
