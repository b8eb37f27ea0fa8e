package tools_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/tools"
)

func TestBookTickets(t *testing.T) {
	tests := []struct {
		name  string
		in    tools.BookTicketsInput
		grade string
		total int64
		code  string
		msg   string
	}{
		{name: "R석 with the suffix", in: tools.BookTicketsInput{SessionID: "s-001", SeatGrade: "R석", TicketCount: 2}, grade: "R", total: 286000},
		{name: "lower case grade", in: tools.BookTicketsInput{SessionID: "s-001", SeatGrade: "vip", TicketCount: 1}, grade: "VIP", total: 165000},
		{name: "not enough seats", in: tools.BookTicketsInput{SessionID: "s-001", SeatGrade: "VIP", TicketCount: 6},
			code: sodam.ECONFLICT, msg: "VIP석이 5장밖에 남지 않았어요."},
		{name: "unknown grade", in: tools.BookTicketsInput{SessionID: "s-001", SeatGrade: "S", TicketCount: 1},
			code: sodam.EINVALID, msg: "이 공연에는 S석이 없어요. VIP석, R석 중에서 골라 주세요."},
		{name: "session already started", in: tools.BookTicketsInput{SessionID: "s-003", SeatGrade: "R", TicketCount: 1},
			code: sodam.ECONFLICT, msg: "이미 시작했거나 끝난 공연이에요. 다른 회차를 골라 주세요."},
		{name: "unknown session", in: tools.BookTicketsInput{SessionID: "s-999", SeatGrade: "R", TicketCount: 1},
			code: sodam.ENOTFOUND, msg: "공연 회차를 찾을 수 없어요."},
		{name: "too many tickets", in: tools.BookTicketsInput{SessionID: "s-001", SeatGrade: "R", TicketCount: 11},
			code: sodam.EINVALID, msg: "한 번에 1장부터 10장까지 예매할 수 있어요."},
		{name: "subscriber only, not subscribed", in: tools.BookTicketsInput{SessionID: "s-002", SeatGrade: "전석", TicketCount: 1},
			code: sodam.ECONFLICT, msg: "이 공연은 EDAM엔터테인먼트 채널을 추가한 분만 예매할 수 있어요. 채널을 추가할까요?"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			before, sessErr := e.store.Session(bg, tc.in.SessionID)
			out, err2 := e.tb.BookTickets(bg, "u-1", tc.in)
			if tc.code != "" {
				wantCode(t, err2, tc.code)
				wantMessage(t, err2, tc.msg)
				bs, err := e.store.BookingsByUser(bg, "u-1")
				must(t, err)
				if len(bs) != 0 {
					t.Errorf("a refused booking left %d bookings", len(bs))
				}
				if sessErr == nil {
					after, err := e.store.Session(bg, tc.in.SessionID)
					must(t, err)
					if fmt.Sprint(after.Seats) != fmt.Sprint(before.Seats) {
						t.Errorf("seats changed from %v to %v", before.Seats, after.Seats)
					}
				}
				return
			}
			must(t, err2)
			b := out.Booking
			if b.Status != sodam.BookingHeld || b.SeatGrade != tc.grade || b.Total != tc.total || b.TicketCount != tc.in.TicketCount {
				t.Errorf("booking = %+v", b)
			}
			if !b.HeldUntil.Equal(refTime.Add(tools.DefaultHoldTTL)) {
				t.Errorf("held until %v, want now + %v", b.HeldUntil, tools.DefaultHoldTTL)
			}
			if got := out.Session.Seats[tc.grade].Available; got != before.Seats[tc.grade].Available-tc.in.TicketCount {
				t.Errorf("seats left = %d, want %d", got, before.Seats[tc.grade].Available-tc.in.TicketCount)
			}
		})
	}
}

func TestSubscriberOnlyAfterSubscribing(t *testing.T) {
	forEachStore(t, testSubscriberOnlyAfterSubscribing)
}

func testSubscriberOnlyAfterSubscribing(t *testing.T, newEnv newEnvFunc) {
	e := newEnv(t)
	in := tools.BookTicketsInput{SessionID: "s-002", SeatGrade: "전석", TicketCount: 2}
	_, err := e.tb.BookTickets(bg, "u-1", in)
	wantCode(t, err, sodam.ECONFLICT)

	sub, err := e.tb.SubscribeChannel(bg, "u-1", tools.SubscribeChannelInput{ChannelID: "ch-edam"})
	must(t, err)
	if sub.ChannelName != "EDAM엔터테인먼트" || len(sub.Subscriptions) != 1 || sub.Subscriptions[0] != "ch-edam" {
		t.Errorf("subscribe = %+v", sub)
	}
	out, err := e.tb.BookTickets(bg, "u-1", in)
	must(t, err)
	if out.Booking.Total != 110000 {
		t.Errorf("total = %d, want 110,000", out.Booking.Total)
	}
}

func TestHoldReplacedExpiredAndPaid(t *testing.T) { forEachStore(t, testHoldReplacedExpiredAndPaid) }

func testHoldReplacedExpiredAndPaid(t *testing.T, newEnv newEnvFunc) {
	e := newEnv(t)
	first, err := e.tb.BookTickets(bg, "u-1", tools.BookTicketsInput{SessionID: "s-001", SeatGrade: "R", TicketCount: 3})
	must(t, err)
	// Changing one's mind releases the first hold.
	second, err := e.tb.BookTickets(bg, "u-1", tools.BookTicketsInput{SessionID: "s-001", SeatGrade: "R", TicketCount: 2})
	must(t, err)
	if second.Session.Seats["R"].Available != 8 {
		t.Errorf("R seats left = %d, want 8 (the first hold released)", second.Session.Seats["R"].Available)
	}
	b, err := e.store.Booking(bg, first.Booking.ID)
	must(t, err)
	if b.Status != sodam.BookingCancelled {
		t.Errorf("first hold = %s, want cancelled", b.Status)
	}

	// The hold expires: paying is a conflict and the seats are back.
	e.clock.Add(tools.DefaultHoldTTL)
	_, err = e.tb.Pay(bg, "u-1", tools.PayInput{BookingID: second.Booking.ID})
	wantCode(t, err, sodam.ECONFLICT)
	s, err := e.store.Session(bg, "s-001")
	must(t, err)
	if s.Seats["R"].Available != 10 {
		t.Errorf("R seats after expiry = %d, want 10", s.Seats["R"].Available)
	}
	if e.pay.Charges() != 0 {
		t.Errorf("an expired hold was charged")
	}

	// A fresh hold paid in time.
	third, err := e.tb.BookTickets(bg, "u-1", tools.BookTicketsInput{SessionID: "s-001", SeatGrade: "R", TicketCount: 2})
	must(t, err)
	e.clock.Add(tools.DefaultHoldTTL - time.Second)
	out, err := e.tb.Pay(bg, "u-1", tools.PayInput{})
	must(t, err)
	if out.Booking.Status != sodam.BookingPaid || out.Payment.Amount != 286000 || out.Payment.IdempotencyKey != "booking:"+third.Booking.ID {
		t.Errorf("paid booking %+v payment %+v", out.Booking, out.Payment)
	}
	// Paid seats do not expire.
	e.clock.Add(time.Hour)
	if _, err := e.store.ExpireHolds(bg, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	b, err = e.store.Booking(bg, third.Booking.ID)
	must(t, err)
	if b.Status != sodam.BookingPaid {
		t.Errorf("paid booking after the hold time = %s", b.Status)
	}
}

func TestCancelBooking(t *testing.T) { forEachStore(t, testCancelBooking) }

func testCancelBooking(t *testing.T, newEnv newEnvFunc) {
	t.Run("held", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		_, err := e.tb.BookTickets(bg, "u-1", tools.BookTicketsInput{SessionID: "s-004", SeatGrade: "R", TicketCount: 4})
		must(t, err)
		out, err := e.tb.CancelBooking(bg, "u-1", tools.CancelBookingInput{})
		must(t, err)
		if out.Booking.Status != sodam.BookingCancelled || out.Refund != nil {
			t.Errorf("cancel = %+v", out)
		}
		e.wantSeats(t, "s-004", "R", 10)
		_, err = e.tb.CancelBooking(bg, "u-1", tools.CancelBookingInput{BookingID: out.Booking.ID})
		wantCode(t, err, sodam.ECONFLICT)
		e.wantSeats(t, "s-004", "R", 10)
	})
	t.Run("paid is refunded and seats return", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		bk, err := e.tb.BookTickets(bg, "u-1", tools.BookTicketsInput{SessionID: "s-004", SeatGrade: "R", TicketCount: 4})
		must(t, err)
		_, err = e.tb.Pay(bg, "u-1", tools.PayInput{BookingID: bk.Booking.ID})
		must(t, err)
		e.wantSeats(t, "s-004", "R", 6)
		out, err := e.tb.CancelBooking(bg, "u-1", tools.CancelBookingInput{BookingID: bk.Booking.ID})
		must(t, err)
		if out.Booking.Status != sodam.BookingCancelled || out.Refund == nil || out.Refund.Status != sodam.PaymentCancelled {
			t.Errorf("cancel = %+v refund %+v", out.Booking, out.Refund)
		}
		if e.pay.Refunds() != 1 || e.pay.RefundedAmount() != 200000 {
			t.Errorf("provider refunds %d of %d won, want 1 of 200,000", e.pay.Refunds(), e.pay.RefundedAmount())
		}
		e.wantSeats(t, "s-004", "R", 10)
		_, err = e.tb.CancelBooking(bg, "u-1", tools.CancelBookingInput{BookingID: bk.Booking.ID})
		wantCode(t, err, sodam.ECONFLICT)
		if e.pay.Refunds() != 1 {
			t.Errorf("refunded twice")
		}
	})
	t.Run("another user's booking", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		bk, err := e.tb.BookTickets(bg, "u-1", tools.BookTicketsInput{SessionID: "s-004", SeatGrade: "R", TicketCount: 1})
		must(t, err)
		_, err = e.tb.CancelBooking(bg, "u-2", tools.CancelBookingInput{BookingID: bk.Booking.ID})
		wantCode(t, err, sodam.ENOTFOUND)
		e.wantSeats(t, "s-004", "R", 9)
	})
}

func (e *env) wantSeats(t *testing.T, sessionID, grade string, want int) {
	t.Helper()
	s, err := e.store.Session(bg, sessionID)
	must(t, err)
	if got := s.Seats[grade].Available; got != want {
		t.Errorf("%s %s seats left = %d, want %d", sessionID, grade, got, want)
	}
}

// TestBookingRace has 100 users race for the 10 R seats of s-004: exactly
// 10 are held, none sold twice, and all 10 are paid.
func TestBookingRace(t *testing.T) { forEachStore(t, testBookingRace) }

func testBookingRace(t *testing.T, newEnv newEnvFunc) {
	e := newEnv(t)
	const users = 100
	var wg sync.WaitGroup
	start := make(chan struct{})
	held := make([]*sodam.Booking, users)
	errs := make([]error, users)
	for i := range users {
		wg.Go(func() {
			<-start
			out, err := e.tb.BookTickets(bg, fmt.Sprintf("racer-%03d", i), tools.BookTicketsInput{SessionID: "s-004", SeatGrade: "R", TicketCount: 1})
			if err == nil {
				held[i] = out.Booking
			}
			errs[i] = err
		})
	}
	close(start)
	wg.Wait()
	n := 0
	for i := range users {
		switch {
		case errs[i] == nil:
			n++
		case sodam.IsCode(errs[i], sodam.ECONFLICT):
		default:
			t.Errorf("racer %d: %v", i, errs[i])
		}
	}
	if n != 10 {
		t.Fatalf("%d seats held, want 10", n)
	}
	e.wantSeats(t, "s-004", "R", 0)

	for i := range users {
		if held[i] == nil {
			continue
		}
		wg.Go(func() {
			out, err := e.tb.Pay(bg, held[i].UserID, tools.PayInput{BookingID: held[i].ID})
			if err != nil {
				t.Errorf("pay %s: %v", held[i].ID, err)
				return
			}
			if out.Booking.Status != sodam.BookingPaid {
				t.Errorf("booking %s = %s", held[i].ID, out.Booking.Status)
			}
		})
	}
	wg.Wait()
	if e.pay.Charges() != 10 || e.pay.ChargedAmount() != 500000 {
		t.Errorf("provider charged %d times %d won, want 10 and 500,000", e.pay.Charges(), e.pay.ChargedAmount())
	}
}

func TestSearchEvents(t *testing.T) {
	tests := []struct {
		name string
		in   tools.SearchEventsInput
		want string // event ids with their session ids
	}{
		{"performer", tools.SearchEventsInput{Performer: "아이유"}, "e-001[s-001] e-002[s-002]"},
		{"category", tools.SearchEventsInput{Category: "연극"}, "e-003[s-004]"},
		{"text naming performer and category", tools.SearchEventsInput{Query: "아이유 콘서트"}, "e-001[s-001]"},
		{"venue", tools.SearchEventsInput{Venue: "대학로"}, "e-003[s-004]"},
		{"window drops events without a session in it", tools.SearchEventsInput{
			From: ptime("2026-11-28T00:00:00+09:00"), To: ptime("2026-11-30T00:00:00+09:00")}, "e-003[s-004]"},
		{"window and performer", tools.SearchEventsInput{Performer: "아이유",
			From: ptime("2026-12-24T00:00:00+09:00"), To: ptime("2026-12-25T00:00:00+09:00")}, "e-001[s-001]"},
		{"nothing", tools.SearchEventsInput{Performer: "BTS"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			out, err := e.tb.SearchEvents(bg, "u-1", tc.in)
			must(t, err)
			got := ""
			for _, r := range out.Events {
				if got != "" {
					got += " "
				}
				got += r.Event.ID + "["
				for k, s := range r.Sessions {
					if k > 0 {
						got += ","
					}
					got += s.ID
				}
				got += "]"
			}
			if got != tc.want {
				t.Errorf("events = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestGetSessions(t *testing.T) {
	e := newEnv(t)
	out, err := e.tb.GetSessions(bg, "u-1", tools.GetSessionsInput{EventID: "e-001"})
	must(t, err)
	if len(out.Sessions) != 1 || out.Sessions[0].ID != "s-001" {
		t.Errorf("sessions = %+v, want only the future s-001", out.Sessions)
	}
	_, err = e.tb.GetSessions(bg, "u-1", tools.GetSessionsInput{EventID: "e-404"})
	wantCode(t, err, sodam.ENOTFOUND)
}

func TestChangeHold(t *testing.T) { forEachStore(t, testChangeHold) }

func testChangeHold(t *testing.T, newEnv newEnvFunc) {
	e := newEnv(t)
	book := func(user string, n int) (*tools.BookingOutput, error) {
		return e.tb.BookTickets(bg, user, tools.BookTicketsInput{SessionID: "s-004", SeatGrade: "R", TicketCount: n})
	}
	_, err := book("u-2", 1)
	must(t, err)
	first, err := book("u-1", 8)
	must(t, err)
	e.wantSeats(t, "s-004", "R", 1)

	// 9 seats fit only with the user's own 8 put back.
	second, err := book("u-1", 9)
	must(t, err)
	e.wantSeats(t, "s-004", "R", 0)
	if b, _ := e.store.Booking(bg, first.Booking.ID); b.Status != sodam.BookingCancelled {
		t.Errorf("first hold = %s, want cancelled", b.Status)
	}

	// 10 do not fit at all: the user keeps 9 held.
	_, err = book("u-1", 10)
	wantCode(t, err, sodam.ECONFLICT)
	e.wantSeats(t, "s-004", "R", 0)
	held := 0
	bs, err := e.store.BookingsByUser(bg, "u-1")
	must(t, err)
	for _, b := range bs {
		if b.Status == sodam.BookingHeld {
			held += b.TicketCount
		}
	}
	if held != 9 {
		t.Errorf("u-1 holds %d seats after a failed change, want 9 (was %s)", held, second.Booking.ID)
	}
}
