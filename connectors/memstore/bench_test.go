package memstore_test

import (
	"context"
	"fmt"
	"math"
	"sync/atomic"
	"testing"

	"github.com/sodam-ai/sodam"
)

// BenchmarkHoldSeats holds one seat at a time from one session, all
// goroutines contending for its lock.
func BenchmarkHoldSeats(b *testing.B) {
	ctx := context.Background()
	s := newStore()
	loadSession(b, s, math.MaxInt32)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := s.HoldSeats(ctx, &sodam.Booking{UserID: "u-1", SessionID: "s-1", SeatGrade: "R", TicketCount: 1}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkHoldSeatsSoldOut races for seats of a sold-out session: the
// refusal path under contention.
func BenchmarkHoldSeatsSoldOut(b *testing.B) {
	ctx := context.Background()
	s := newStore()
	loadSession(b, s, 0)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := s.HoldSeats(ctx, &sodam.Booking{UserID: "u-1", SessionID: "s-1", SeatGrade: "R", TicketCount: 1}); !sodam.IsCode(err, sodam.ECONFLICT) {
				b.Errorf("HoldSeats of a sold-out session: %v", err)
				return
			}
		}
	})
}

// BenchmarkHoldAndCancel holds and cancels in pairs, the steady state of
// users who decline.
func BenchmarkHoldAndCancel(b *testing.B) {
	ctx := context.Background()
	s := newStore()
	loadSession(b, s, 1000)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			bk := &sodam.Booking{UserID: "u-1", SessionID: "s-1", SeatGrade: "R", TicketCount: 1}
			if err := s.HoldSeats(ctx, bk); err != nil {
				b.Error(err)
				return
			}
			if _, err := s.CancelBooking(ctx, bk.ID, now); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkUpdateOrder updates one order from every goroutine (Same) and
// one order per goroutine (Distinct), which the per-order locks let run
// side by side.
func BenchmarkUpdateOrder(b *testing.B) {
	ctx := context.Background()
	inc := func(o *sodam.Order) error { o.Total++; return nil }
	lines := func() []sodam.OrderLine {
		return []sodam.OrderLine{
			{MenuItemID: "i-1", Name: "후라이드치킨", Quantity: 1, Options: []string{"순살"}, UnitPrice: 20000, LineTotal: 20000},
			{MenuItemID: "i-2", Name: "콜라", Quantity: 2, UnitPrice: 2000, LineTotal: 4000},
		}
	}

	b.Run("Same", func(b *testing.B) {
		s := newStore()
		o := &sodam.Order{UserID: "u-1", Items: lines()}
		if err := s.CreateOrder(ctx, o); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := s.UpdateOrder(ctx, o.ID, inc); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})

	b.Run("Distinct", func(b *testing.B) {
		s := newStore()
		var ids []string
		for k := range 64 {
			o := &sodam.Order{UserID: fmt.Sprintf("u-%d", k), Items: lines()}
			if err := s.CreateOrder(ctx, o); err != nil {
				b.Fatal(err)
			}
			ids = append(ids, o.ID)
		}
		var next atomic.Int64
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			id := ids[next.Add(1)%int64(len(ids))]
			for pb.Next() {
				if _, err := s.UpdateOrder(ctx, id, inc); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkCreatePaymentSameKey is a retried pay: every call finds the
// payment its key already made.
func BenchmarkCreatePaymentSameKey(b *testing.B) {
	ctx := context.Background()
	s := newStore()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, _, err := s.CreatePayment(ctx, &sodam.Payment{UserID: "u-1", IdempotencyKey: "order:o-1", Amount: 19200}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
