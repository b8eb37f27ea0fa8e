package tools_test

import (
	"testing"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/tools"
)

func TestPlaceOrderRules(t *testing.T) {
	tests := []struct {
		name     string
		now      string
		items    []tools.CartAddInput
		code     string // "" when the order is placed
		msg      string
		problem  string
		canPlace bool
	}{
		{
			name:     "open and over the minimum",
			now:      "2026-11-24T18:00:00+09:00",
			items:    []tools.CartAddInput{{MenuItemID: "i-001"}},
			canPlace: true,
		},
		{
			name:    "under the minimum order",
			now:     "2026-11-24T18:00:00+09:00",
			items:   []tools.CartAddInput{{MenuItemID: "i-003", Quantity: 6}},
			code:    sodam.ECONFLICT,
			msg:     "최소 주문 금액 15,000원보다 3,000원 모자라요.",
			problem: tools.ProblemMinOrder,
		},
		{
			name:    "minimum counts items only, not the delivery fee",
			now:     "2026-11-24T18:00:00+09:00",
			items:   []tools.CartAddInput{{MenuItemID: "i-003", Quantity: 7}},
			code:    sodam.ECONFLICT,
			msg:     "최소 주문 금액 15,000원보다 1,000원 모자라요.",
			problem: tools.ProblemMinOrder,
		},
		{
			name:    "before opening",
			now:     "2026-11-24T10:59:00+09:00",
			items:   []tools.CartAddInput{{MenuItemID: "i-001"}},
			code:    sodam.ECONFLICT,
			msg:     "지금은 영업 시간이 아니에요. (11:00~24:00)",
			problem: tools.ProblemClosed,
		},
		{
			name:    "past midnight store, closed in the afternoon",
			now:     "2026-11-24T14:59:00+09:00",
			items:   []tools.CartAddInput{{MenuItemID: "i-101"}},
			code:    sodam.ECONFLICT,
			msg:     "지금은 영업 시간이 아니에요. (15:00~02:00)",
			problem: tools.ProblemClosed,
		},
		{
			name:     "past midnight store, open at 1 a.m.",
			now:      "2026-11-25T01:00:00+09:00",
			items:    []tools.CartAddInput{{MenuItemID: "i-101"}},
			canPlace: true,
		},
		{
			name:    "past midnight store, closed at 2 a.m.",
			now:     "2026-11-25T02:00:00+09:00",
			items:   []tools.CartAddInput{{MenuItemID: "i-101"}},
			code:    sodam.ECONFLICT,
			msg:     "지금은 영업 시간이 아니에요. (15:00~02:00)",
			problem: tools.ProblemClosed,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.clock.Set(at(tc.now))
			for _, in := range tc.items {
				if _, err := e.tb.CartAdd(bg, "u-1", in); err != nil {
					t.Fatal(err)
				}
			}
			q, err := e.tb.QuoteOrder(bg, "u-1", tools.QuoteOrderInput{})
			must(t, err)
			if q.CanPlace != tc.canPlace || q.ProblemCode != tc.problem || q.Problem != tc.msg {
				t.Errorf("quote = can %v %q %q, want %v %q %q", q.CanPlace, q.ProblemCode, q.Problem, tc.canPlace, tc.problem, tc.msg)
			}
			if q.Address != "서울 종로구 대학로 12" {
				t.Errorf("quote address = %q, want the user's", q.Address)
			}

			out, err := e.tb.PlaceOrder(bg, "u-1", tools.PlaceOrderInput{})
			if tc.code != "" {
				wantCode(t, err, tc.code)
				wantMessage(t, err, tc.msg)
				orders, err := e.store.OrdersByUser(bg, "u-1")
				must(t, err)
				if len(orders) != 1 || orders[0].Status != sodam.OrderDraft {
					t.Errorf("after a refused place the user's orders are %+v, want the draft alone", orders)
				}
				return
			}
			must(t, err)
			o := out.Order
			if o.Status != sodam.OrderPlaced || o.PaymentMethod != sodam.PayKakaoPay || o.Address != "서울 종로구 대학로 12" || o.PlacedAt == nil {
				t.Errorf("placed order = %+v", o)
			}
		})
	}
}

func TestPlaceOrderChoices(t *testing.T) {
	e := newEnv(t)
	_, err := e.tb.PlaceOrder(bg, "u-1", tools.PlaceOrderInput{})
	wantCode(t, err, sodam.ECONFLICT)

	_, err = e.tb.CartAdd(bg, "u-1", tools.CartAddInput{MenuItemID: "i-001"})
	must(t, err)
	_, err = e.tb.PlaceOrder(bg, "u-1", tools.PlaceOrderInput{PaymentMethod: "bitcoin"})
	wantCode(t, err, sodam.EINVALID)
	_, err = e.tb.PlaceOrder(bg, "u-1", tools.PlaceOrderInput{ExpectedTotal: 19000})
	wantCode(t, err, sodam.ECONFLICT)

	out, err := e.tb.PlaceOrder(bg, "u-1", tools.PlaceOrderInput{Address: "서울 종로구 혜화로 1", PaymentMethod: "card", ExpectedTotal: 19200})
	must(t, err)
	if out.Order.Address != "서울 종로구 혜화로 1" || out.Order.PaymentMethod != sodam.PayCard || out.Order.Total != 19200 {
		t.Errorf("placed order = %+v", out.Order)
	}
	if out.Merchant == nil || out.Merchant.ID != "m-001" {
		t.Errorf("merchant = %+v", out.Merchant)
	}
	// The cart is now empty: a new add starts a new draft.
	c, err := e.tb.GetCart(bg, "u-1", tools.GetCartInput{})
	must(t, err)
	if c.Cart != nil {
		t.Errorf("cart after placing = %+v, want nil", c.Cart)
	}
}

func TestCancelOrder(t *testing.T) { forEachStore(t, testCancelOrder) }

func testCancelOrder(t *testing.T, newEnv newEnvFunc) {
	t.Run("cart is emptied, not cancelled", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		_, err := e.tb.CartAdd(bg, "u-1", tools.CartAddInput{MenuItemID: "i-001"})
		must(t, err)
		out, err := e.tb.CancelOrder(bg, "u-1", tools.CancelOrderInput{})
		must(t, err)
		if out.Order.Status != sodam.OrderDraft || len(out.Order.Items) != 0 || out.Refund != nil {
			t.Errorf("cancelled cart = %+v", out)
		}
		_, err = e.tb.CancelOrder(bg, "u-1", tools.CancelOrderInput{})
		wantCode(t, err, sodam.ENOTFOUND)
	})
	t.Run("placed order is cancelled without a refund", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		o := e.placedOrder(t)
		out, err := e.tb.CancelOrder(bg, "u-1", tools.CancelOrderInput{OrderID: o.ID})
		must(t, err)
		if out.Order.Status != sodam.OrderCancelled || out.Refund != nil || out.Order.CancelledAt == nil {
			t.Errorf("cancelled = %+v", out)
		}
		_, err = e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
		wantCode(t, err, sodam.ECONFLICT)
		_, err = e.tb.CancelOrder(bg, "u-1", tools.CancelOrderInput{OrderID: o.ID})
		wantCode(t, err, sodam.ECONFLICT)
		wantMessage(t, err, "이미 취소된 주문이에요.")
	})
	t.Run("paid order is refunded in full", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		o := e.placedOrder(t)
		_, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
		must(t, err)
		out, err := e.tb.CancelOrder(bg, "u-1", tools.CancelOrderInput{})
		must(t, err)
		if out.Order.Status != sodam.OrderCancelled {
			t.Errorf("order status = %s, want cancelled", out.Order.Status)
		}
		if out.Refund == nil || out.Refund.Status != sodam.PaymentCancelled || out.Refund.CancelledAt == nil {
			t.Errorf("refund = %+v, want a cancelled payment", out.Refund)
		}
		if e.pay.Refunds() != 1 || e.pay.RefundedAmount() != 35400 {
			t.Errorf("provider refunds = %d of %d won, want 1 of 35,400", e.pay.Refunds(), e.pay.RefundedAmount())
		}
		_, err = e.tb.CancelOrder(bg, "u-1", tools.CancelOrderInput{OrderID: o.ID})
		wantCode(t, err, sodam.ECONFLICT)
		if e.pay.Refunds() != 1 {
			t.Errorf("a second cancel refunded again: %d refunds", e.pay.Refunds())
		}
	})
	t.Run("merchant steps: accepted is refunded, cooking is not", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			status sodam.OrderStatus
			code   string
		}{{sodam.OrderAccepted, ""}, {sodam.OrderCooking, sodam.ECONFLICT}, {sodam.OrderDelivering, sodam.ECONFLICT}} {
			e := newEnv(t)
			o := e.placedOrder(t)
			_, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
			must(t, err)
			_, err = e.store.UpdateOrder(bg, o.ID, func(o *sodam.Order) error { o.Status = tc.status; return nil })
			must(t, err)
			out, err := e.tb.CancelOrder(bg, "u-1", tools.CancelOrderInput{})
			if tc.code != "" {
				wantCode(t, err, tc.code)
				if e.pay.Refunds() != 0 {
					t.Errorf("%s order refunded", tc.status)
				}
				continue
			}
			must(t, err)
			if out.Order.Status != sodam.OrderCancelled || e.pay.Refunds() != 1 {
				t.Errorf("%s order: status %s, %d refunds", tc.status, out.Order.Status, e.pay.Refunds())
			}
			// Paying again returns the cancelled payment's record, never a charge.
			if _, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID}); err == nil || e.pay.Charges() != 1 {
				t.Errorf("pay after cancel: %v, %d charges", err, e.pay.Charges())
			}
		}
	})
	t.Run("delivered order cannot be cancelled", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		o := e.placedOrder(t)
		_, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID})
		must(t, err)
		_, err = e.store.UpdateOrder(bg, o.ID, func(o *sodam.Order) error { o.Status = sodam.OrderDelivered; return nil })
		must(t, err)
		_, err = e.tb.CancelOrder(bg, "u-1", tools.CancelOrderInput{OrderID: o.ID})
		wantCode(t, err, sodam.ECONFLICT)
		if e.pay.Refunds() != 0 {
			t.Errorf("a delivered order was refunded")
		}
	})
	t.Run("another user's order is not found", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		o := e.placedOrder(t)
		_, err := e.tb.CancelOrder(bg, "u-2", tools.CancelOrderInput{OrderID: o.ID})
		wantCode(t, err, sodam.ENOTFOUND)
		got, err := e.store.Order(bg, o.ID)
		must(t, err)
		if got.Status != sodam.OrderPlaced {
			t.Errorf("order status = %s, want placed", got.Status)
		}
	})
}

func TestReorderAndHistory(t *testing.T) {
	e := newEnv(t)
	_, err := e.tb.Reorder(bg, "u-1", tools.ReorderInput{})
	wantCode(t, err, sodam.ENOTFOUND)

	_, err = e.tb.CartAdd(bg, "u-1", tools.CartAddInput{MenuItemID: "i-001", Options: []string{"순살"}})
	must(t, err)
	_, err = e.tb.CartAdd(bg, "u-1", tools.CartAddInput{MenuItemID: "i-003", Quantity: 2})
	must(t, err)
	first, err := e.tb.PlaceOrder(bg, "u-1", tools.PlaceOrderInput{})
	must(t, err)
	_, err = e.tb.Pay(bg, "u-1", tools.PayInput{})
	must(t, err)

	e.clock.Set(at("2026-12-05T19:00:00+09:00")) // the discount has ended
	_, err = e.tb.CartAdd(bg, "u-1", tools.CartAddInput{MenuItemID: "i-201"})
	must(t, err)
	out, err := e.tb.Reorder(bg, "u-1", tools.ReorderInput{})
	must(t, err)
	c := out.Cart
	if c.MerchantID != "m-001" || len(c.Items) != 2 || c.Items[0].Quantity != 1 || c.Items[0].Options[0] != "순살" || c.Items[1].Quantity != 2 {
		t.Errorf("reordered cart = %+v", c)
	}
	if c.Total != 20000+4000+3000 {
		t.Errorf("reordered total = %d, want today's 27,000", c.Total)
	}
	second, err := e.tb.PlaceOrder(bg, "u-1", tools.PlaceOrderInput{})
	must(t, err)

	past, err := e.tb.PastOrders(bg, "u-1", tools.PastOrdersInput{})
	must(t, err)
	if len(past.Orders) != 2 || past.Orders[0].ID != second.Order.ID || past.Orders[1].ID != first.Order.ID {
		t.Errorf("past orders = %v, want newest first", ids(past.Orders))
	}
	st, err := e.tb.OrderStatus(bg, "u-1", tools.OrderStatusInput{})
	must(t, err)
	if st.Order.ID != second.Order.ID || st.Order.Status != sodam.OrderPlaced || st.Merchant.ID != "m-001" {
		t.Errorf("status = %+v", st.Order)
	}
	st, err = e.tb.OrderStatus(bg, "u-1", tools.OrderStatusInput{OrderID: first.Order.ID})
	must(t, err)
	if st.Order.Status != sodam.OrderPaid {
		t.Errorf("first order status = %s, want paid", st.Order.Status)
	}
}

func ids(orders []*sodam.Order) []string {
	var out []string
	for _, o := range orders {
		out = append(out, o.ID)
	}
	return out
}
