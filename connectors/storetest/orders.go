package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/sodam-ai/sodam"
)

func draftOrder(userID string, created int) *sodam.Order {
	return &sodam.Order{
		UserID: userID, MerchantID: "m-001", Status: sodam.OrderDraft,
		Items: []sodam.OrderLine{
			{MenuItemID: "i-001", Name: "후라이드치킨", Quantity: 1, Options: []string{"순살"}, UnitPrice: 18200, LineTotal: 18200},
			{MenuItemID: "i-002", Name: "콜라", Quantity: 2, Options: []string{}, UnitPrice: 2000, LineTotal: 4000},
		},
		ItemsTotal: 22200, DeliveryFee: 3000, Total: 25200,
		Address: "서울 종로구 대학로 12", PaymentMethod: sodam.PayKakaoPay,
		CreatedAt: at(created), UpdatedAt: at(created),
	}
}

func testOrders(t *testing.T, newStore NewStore) {
	ctx := context.Background()

	t.Run("CreateAssignsUniqueIDs", func(t *testing.T) {
		s := parallel(t, newStore)
		seen := map[string]bool{}
		for n := range 5 {
			o := draftOrder("u-1", n)
			must(t, s.CreateOrder(ctx, o))
			if o.ID == "" || seen[o.ID] {
				t.Fatalf("order %d got id %q; seen %v", n, o.ID, seen)
			}
			seen[o.ID] = true
			got, err := s.Order(ctx, o.ID)
			must(t, err)
			same(t, "order "+o.ID, o, got)
		}
	})

	t.Run("CreateKeepsGivenID", func(t *testing.T) {
		s := parallel(t, newStore)
		o := draftOrder("u-1", 0)
		o.ID = "o-given"
		must(t, s.CreateOrder(ctx, o))
		got, err := s.Order(ctx, "o-given")
		must(t, err)
		same(t, "order", o, got)
		dup := draftOrder("u-2", 1)
		dup.ID = "o-given"
		wantCode(t, "second order with the id", s.CreateOrder(ctx, dup), sodam.ECONFLICT)
		got, err = s.Order(ctx, "o-given")
		must(t, err)
		same(t, "order after the duplicate", o, got)
	})

	t.Run("MissingIsNotFound", func(t *testing.T) {
		s := parallel(t, newStore)
		_, err := s.Order(ctx, "o-none")
		wantCode(t, "Order", err, sodam.ENOTFOUND)
		called := false
		_, err = s.UpdateOrder(ctx, "o-none", func(*sodam.Order) error { called = true; return nil })
		wantCode(t, "UpdateOrder", err, sodam.ENOTFOUND)
		if called {
			t.Error("UpdateOrder called fn for a missing order")
		}
	})

	t.Run("UpdateStoresWhatFnLeaves", func(t *testing.T) {
		s := parallel(t, newStore)
		o := draftOrder("u-1", 0)
		must(t, s.CreateOrder(ctx, o))
		want := draftOrder("u-1", 0)
		want.ID = o.ID
		want.Status = sodam.OrderPlaced
		want.Items = want.Items[:1]
		want.Items[0].Options = append(want.Items[0].Options, "매운맛")
		want.PlacedAt = ptr(at(5))
		want.UpdatedAt = at(5)
		got, err := s.UpdateOrder(ctx, o.ID, func(o *sodam.Order) error {
			same(t, "order given to fn", draftOrder("u-1", 0).Items, o.Items)
			o.Status = sodam.OrderPlaced
			o.Items = o.Items[:1]
			o.Items[0].Options = append(o.Items[0].Options, "매운맛")
			o.PlacedAt = ptr(at(5))
			o.UpdatedAt = at(5)
			return nil
		})
		must(t, err)
		same(t, "returned order", want, got)
		stored, err := s.Order(ctx, o.ID)
		must(t, err)
		same(t, "stored order", want, stored)
	})

	t.Run("UpdateFnErrorWritesNothing", func(t *testing.T) {
		s := parallel(t, newStore)
		o := draftOrder("u-1", 0)
		must(t, s.CreateOrder(ctx, o))
		errStop := errors.New("stop")
		got, err := s.UpdateOrder(ctx, o.ID, func(o *sodam.Order) error {
			o.Status = sodam.OrderCancelled
			o.Items[0].Quantity = 99
			o.Items[0].Options[0] = "바뀜"
			o.Total = 0
			return fmt.Errorf("checking: %w", errStop)
		})
		if !errors.Is(err, errStop) {
			t.Errorf("UpdateOrder returned %v, want fn's error", err)
		}
		if got != nil {
			t.Errorf("UpdateOrder returned an order with an error: %+v", got)
		}
		stored, err := s.Order(ctx, o.ID)
		must(t, err)
		same(t, "stored order", o, stored)
	})

	t.Run("ConcurrentUpdatesLoseNothing", func(t *testing.T) {
		s := parallel(t, newStore)
		o := draftOrder("u-1", 0)
		must(t, s.CreateOrder(ctx, o))
		const n = 50
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for range n {
			wg.Go(func() {
				_, err := s.UpdateOrder(ctx, o.ID, func(o *sodam.Order) error {
					o.Items[0].Quantity++
					o.Total += 100
					return nil
				})
				if err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("UpdateOrder: %v", err)
		}
		got, err := s.Order(ctx, o.ID)
		must(t, err)
		if got.Items[0].Quantity != 1+n || got.Total != o.Total+100*n {
			t.Errorf("after %d increments: quantity %d, total %d; want %d, %d",
				n, got.Items[0].Quantity, got.Total, 1+n, o.Total+100*n)
		}
	})

	t.Run("ByUserOldestFirst", func(t *testing.T) {
		s := parallel(t, newStore)
		// Created out of time order; two at the same time fall back to id.
		specs := []struct {
			id, user string
			created  int
		}{
			{"o-b", "u-1", 30}, {"o-c", "u-1", 10}, {"o-x", "u-2", 0},
			{"o-e", "u-1", 20}, {"o-a", "u-1", 20}, {"o-d", "u-1", -5},
		}
		for _, sp := range specs {
			o := draftOrder(sp.user, sp.created)
			o.ID = sp.id
			must(t, s.CreateOrder(ctx, o))
		}
		for _, tc := range []struct {
			user string
			want []string
		}{
			{"u-1", []string{"o-d", "o-c", "o-a", "o-e", "o-b"}},
			{"u-2", []string{"o-x"}},
			{"u-none", nil},
		} {
			os, err := s.OrdersByUser(ctx, tc.user)
			if err != nil {
				t.Errorf("OrdersByUser(%q): %v", tc.user, err)
				continue
			}
			same(t, "OrdersByUser("+tc.user+")", tc.want, ids(os, func(o *sodam.Order) string { return o.ID }))
		}
	})

	t.Run("CopiesNotAliases", func(t *testing.T) {
		s := parallel(t, newStore)
		o := draftOrder("u-1", 0)
		o.PlacedAt = ptr(at(1))
		must(t, s.CreateOrder(ctx, o))
		want := draftOrder("u-1", 0)
		want.ID, want.PlacedAt = o.ID, ptr(at(1))

		o.Items[0].Options[0], o.Items[1].Quantity, *o.PlacedAt = "바뀜", 9, at(9)
		got, err := s.Order(ctx, o.ID)
		must(t, err)
		got.Items[0].Options[0], got.Items[1].Quantity, *got.PlacedAt = "바뀜", 9, at(9)
		list, err := s.OrdersByUser(ctx, "u-1")
		must(t, err)
		list[0].Items[0].Options[0] = "바뀜"
		var kept *sodam.Order
		updated, err := s.UpdateOrder(ctx, o.ID, func(o *sodam.Order) error { kept = o; return nil })
		must(t, err)
		updated.Items[0].Options[0] = "바뀜"
		kept.Items[0].Options[0], *kept.PlacedAt = "바뀜", at(9)

		got, err = s.Order(ctx, o.ID)
		must(t, err)
		same(t, "order", want, got)
	})
}
