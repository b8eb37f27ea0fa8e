package storetest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/sodam-ai/sodam"
)

func readyPayment(userID, key string, amount int64, created int) *sodam.Payment {
	return &sodam.Payment{
		UserID: userID, OrderID: "o-1", Method: sodam.PayKakaoPay, Amount: amount,
		Status: sodam.PaymentReady, IdempotencyKey: key, TID: "T0000000000000000001",
		Provider: "sandbox", CreatedAt: at(created),
	}
}

func testPayments(t *testing.T, newStore NewStore) {
	ctx := context.Background()

	t.Run("CreateThenGet", func(t *testing.T) {
		s := parallel(t, newStore)
		p := readyPayment("u-1", "order:o-1", 25200, 0)
		stored, created, err := s.CreatePayment(ctx, p)
		must(t, err)
		if !created || stored.ID == "" {
			t.Fatalf("CreatePayment: created %v, id %q", created, stored.ID)
		}
		want := readyPayment("u-1", "order:o-1", 25200, 0)
		want.ID = stored.ID
		same(t, "stored payment", want, stored)
		got, err := s.Payment(ctx, stored.ID)
		must(t, err)
		same(t, "payment", want, got)
	})

	t.Run("SameKeyReturnsTheFirst", func(t *testing.T) {
		s := parallel(t, newStore)
		first, created, err := s.CreatePayment(ctx, readyPayment("u-1", "order:o-1", 25200, 0))
		must(t, err)
		if !created {
			t.Fatal("first CreatePayment did not create")
		}
		again, created, err := s.CreatePayment(ctx, readyPayment("u-1", "order:o-1", 99000, 5))
		must(t, err)
		if created {
			t.Error("second CreatePayment with the key created")
		}
		same(t, "payment for the same key", first, again)
		other, created, err := s.CreatePayment(ctx, readyPayment("u-1", "order:o-2", 99000, 5))
		must(t, err)
		if !created || other.ID == first.ID {
			t.Errorf("another key: created %v, id %q (first %q)", created, other.ID, first.ID)
		}
		all, err := s.Payments(ctx, "")
		must(t, err)
		same(t, "payments", []string{first.ID, other.ID}, ids(all, func(p *sodam.Payment) string { return p.ID }))
	})

	t.Run("ConcurrentSameKeyCreatesOnce", func(t *testing.T) {
		s := parallel(t, newStore)
		const n = 50
		var created atomic.Int32
		got := make([]string, n)
		var wg sync.WaitGroup
		for k := range n {
			wg.Go(func() {
				p, c, err := s.CreatePayment(ctx, readyPayment("u-1", "order:o-1", int64(1000+k), 0))
				if err != nil {
					t.Errorf("CreatePayment: %v", err)
					return
				}
				if c {
					created.Add(1)
				}
				got[k] = p.ID
			})
		}
		wg.Wait()
		if created.Load() != 1 {
			t.Errorf("%d calls created, want 1", created.Load())
		}
		for k := range got {
			if got[k] != got[0] || got[k] == "" {
				t.Fatalf("calls got different ids: %q and %q", got[0], got[k])
			}
		}
		all, err := s.PaymentsByUser(ctx, "u-1")
		must(t, err)
		if len(all) != 1 {
			t.Errorf("%d payments stored, want 1", len(all))
		}
	})

	t.Run("ConcurrentDifferentKeysIndependent", func(t *testing.T) {
		s := parallel(t, newStore)
		const n = 20
		var wg sync.WaitGroup
		for k := range n {
			wg.Go(func() {
				key := "order:o-" + string(rune('a'+k))
				if _, c, err := s.CreatePayment(ctx, readyPayment("u-1", key, 1000, k)); err != nil || !c {
					t.Errorf("CreatePayment(%s): created %v, %v", key, c, err)
				}
			})
		}
		wg.Wait()
		all, err := s.Payments(ctx, "")
		must(t, err)
		seen := map[string]bool{}
		for _, p := range all {
			seen[p.ID] = true
		}
		if len(all) != n || len(seen) != n {
			t.Errorf("%d payments with %d ids, want %d", len(all), len(seen), n)
		}
	})

	t.Run("Update", func(t *testing.T) {
		s := parallel(t, newStore)
		p, _, err := s.CreatePayment(ctx, readyPayment("u-1", "order:o-1", 25200, 0))
		must(t, err)
		errStop := errors.New("stop")
		_, err = s.UpdatePayment(ctx, p.ID, func(p *sodam.Payment) error {
			p.Status = sodam.PaymentApproved
			return errStop
		})
		if !errors.Is(err, errStop) {
			t.Errorf("UpdatePayment returned %v, want fn's error", err)
		}
		got, err := s.Payment(ctx, p.ID)
		must(t, err)
		same(t, "payment after failed update", p, got)

		want := *p
		want.Status, want.ApprovedAt = sodam.PaymentApproved, ptr(at(2))
		got, err = s.UpdatePayment(ctx, p.ID, func(p *sodam.Payment) error {
			p.Status, p.ApprovedAt = sodam.PaymentApproved, ptr(at(2))
			return nil
		})
		must(t, err)
		same(t, "returned payment", &want, got)
		*got.ApprovedAt = at(9)
		got, err = s.Payment(ctx, p.ID)
		must(t, err)
		same(t, "stored payment", &want, got)

		_, err = s.UpdatePayment(ctx, "p-none", func(*sodam.Payment) error { return nil })
		wantCode(t, "UpdatePayment of a missing payment", err, sodam.ENOTFOUND)
		_, err = s.Payment(ctx, "p-none")
		wantCode(t, "Payment of a missing payment", err, sodam.ENOTFOUND)
	})

	t.Run("ConcurrentUpdatesSerialised", func(t *testing.T) {
		s := parallel(t, newStore)
		p, _, err := s.CreatePayment(ctx, readyPayment("u-1", "order:o-1", 0, 0))
		must(t, err)
		var wg sync.WaitGroup
		for range 40 {
			wg.Go(func() {
				if _, err := s.UpdatePayment(ctx, p.ID, func(p *sodam.Payment) error { p.Amount += 10; return nil }); err != nil {
					t.Errorf("UpdatePayment: %v", err)
				}
			})
		}
		wg.Wait()
		got, err := s.Payment(ctx, p.ID)
		must(t, err)
		if got.Amount != 400 {
			t.Errorf("amount %d after 40 increments of 10, want 400", got.Amount)
		}
	})

	t.Run("ListsByStatusAndUserOldestFirst", func(t *testing.T) {
		s := parallel(t, newStore)
		specs := []struct {
			key, user string
			created   int
			status    sodam.PaymentStatus
		}{
			{"k-1", "u-1", 30, sodam.PaymentApproved},
			{"k-2", "u-2", 10, sodam.PaymentReady},
			{"k-3", "u-1", 20, sodam.PaymentReady},
			{"k-4", "u-1", 0, sodam.PaymentApproved},
			{"k-5", "u-2", 40, sodam.PaymentFailed},
		}
		byKey := map[string]string{}
		for _, sp := range specs {
			p := readyPayment(sp.user, sp.key, 1000, sp.created)
			p.Status = sp.status
			stored, _, err := s.CreatePayment(ctx, p)
			must(t, err)
			byKey[sp.key] = stored.ID
		}
		keys := func(ks ...string) []string {
			var out []string
			for _, k := range ks {
				out = append(out, byKey[k])
			}
			return out
		}
		for _, tc := range []struct {
			status sodam.PaymentStatus
			want   []string
		}{
			{"", keys("k-4", "k-2", "k-3", "k-1", "k-5")},
			{sodam.PaymentApproved, keys("k-4", "k-1")},
			{sodam.PaymentReady, keys("k-2", "k-3")},
			{sodam.PaymentFailed, keys("k-5")},
			{sodam.PaymentCancelled, nil},
		} {
			ps, err := s.Payments(ctx, tc.status)
			must(t, err)
			same(t, "Payments("+string(tc.status)+")", tc.want, ids(ps, func(p *sodam.Payment) string { return p.ID }))
		}
		for _, tc := range []struct {
			user string
			want []string
		}{
			{"u-1", keys("k-4", "k-3", "k-1")},
			{"u-2", keys("k-2", "k-5")},
			{"u-none", nil},
		} {
			ps, err := s.PaymentsByUser(ctx, tc.user)
			must(t, err)
			same(t, "PaymentsByUser("+tc.user+")", tc.want, ids(ps, func(p *sodam.Payment) string { return p.ID }))
		}
		// A status change moves a payment between the lists.
		_, err := s.UpdatePayment(ctx, byKey["k-2"], func(p *sodam.Payment) error { p.Status = sodam.PaymentApproved; return nil })
		must(t, err)
		ps, err := s.Payments(ctx, sodam.PaymentApproved)
		must(t, err)
		same(t, "approved after the update", keys("k-4", "k-2", "k-1"), ids(ps, func(p *sodam.Payment) string { return p.ID }))
	})
}
