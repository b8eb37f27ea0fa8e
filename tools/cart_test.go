package tools_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/tools"
)

func TestCartAddPricing(t *testing.T) {
	tests := []struct {
		name      string
		in        tools.CartAddInput
		wantUnit  int64
		wantTotal int64 // lines + 3,000 delivery
	}{
		{"discount rounded down to 10 won (18,900 at 15%)", tools.CartAddInput{MenuItemID: "i-002"}, 16060, 19060},
		{"discount in force", tools.CartAddInput{MenuItemID: "i-001"}, 16200, 19200},
		{"discount expired: full price", tools.CartAddInput{MenuItemID: "i-004"}, 19000, 22000},
		{"no discount", tools.CartAddInput{MenuItemID: "i-003", Quantity: 3}, 2000, 9000},
		{"options are not discounted", tools.CartAddInput{MenuItemID: "i-001", Options: []string{"순살"}}, 18200, 21200},
		{"two options, line times quantity", tools.CartAddInput{MenuItemID: "i-001", Quantity: 2, Options: []string{"매운맛", "순살"}}, 18700, 40400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			out, err := e.tb.CartAdd(bg, "u-1", tc.in)
			if err != nil {
				t.Fatal(err)
			}
			c := out.Cart
			if len(c.Items) != 1 {
				t.Fatalf("cart has %d lines, want 1", len(c.Items))
			}
			l := c.Items[0]
			if l.UnitPrice != tc.wantUnit {
				t.Errorf("unit price = %d, want %d", l.UnitPrice, tc.wantUnit)
			}
			if l.LineTotal != l.UnitPrice*int64(l.Quantity) {
				t.Errorf("line total = %d, want %d x %d", l.LineTotal, l.UnitPrice, l.Quantity)
			}
			if c.Total != tc.wantTotal || c.DeliveryFee != 3000 || c.Status != sodam.OrderDraft || c.MerchantID != "m-001" {
				t.Errorf("cart total %d fee %d status %s merchant %s, want %d 3000 draft m-001", c.Total, c.DeliveryFee, c.Status, c.MerchantID, tc.wantTotal)
			}
		})
	}
}

func TestCartDiscountEndsBetweenAddAndPlace(t *testing.T) {
	e := newEnv(t)
	// 치즈피자 is 10% off until 11-25 00:00; the cart is repriced when placed.
	if _, err := e.tb.CartAdd(bg, "u-1", tools.CartAddInput{MenuItemID: "i-201", Quantity: 2}); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(at("2026-11-25T11:30:00+09:00"))
	cart, err := e.tb.GetCart(bg, "u-1", tools.GetCartInput{})
	if err != nil {
		t.Fatal(err)
	}
	if cart.Cart.Total != 24000 {
		t.Errorf("cart total after the discount ended = %d, want 24,000", cart.Cart.Total)
	}
	_, err = e.tb.PlaceOrder(bg, "u-1", tools.PlaceOrderInput{ExpectedTotal: 21600})
	wantCode(t, err, sodam.ECONFLICT)
	wantMessage(t, err, "금액이 바뀌었어요. 지금 금액은 24,000원이에요. 이 금액으로 주문할까요?")
	out, err := e.tb.PlaceOrder(bg, "u-1", tools.PlaceOrderInput{ExpectedTotal: 24000})
	if err != nil {
		t.Fatal(err)
	}
	if out.Order.Total != 24000 || out.Order.Items[0].UnitPrice != 12000 {
		t.Errorf("placed total %d unit %d, want 24,000 and 12,000", out.Order.Total, out.Order.Items[0].UnitPrice)
	}
}

func TestCartLines(t *testing.T) {
	e := newEnv(t)
	add := func(in tools.CartAddInput) *sodam.Order {
		t.Helper()
		out, err := e.tb.CartAdd(bg, "u-1", in)
		if err != nil {
			t.Fatal(err)
		}
		return out.Cart
	}
	add(tools.CartAddInput{MenuItemID: "i-001", Options: []string{"순살"}})
	add(tools.CartAddInput{MenuItemID: "i-001", Options: []string{" 순 살 "}, Quantity: 2}) // same option, spelled loosely
	add(tools.CartAddInput{MenuItemID: "i-001"})
	c := add(tools.CartAddInput{MenuItemID: "i-003"})

	type line struct {
		ID      string
		Qty     int
		Options []string
	}
	lines := func(o *sodam.Order) []line {
		var out []line
		for _, l := range o.Items {
			out = append(out, line{l.MenuItemID, l.Quantity, l.Options})
		}
		return out
	}
	want := []line{{"i-001", 3, []string{"순살"}}, {"i-001", 1, []string{}}, {"i-003", 1, []string{}}}
	if diff := cmp.Diff(want, lines(c)); diff != "" {
		t.Errorf("lines after adds (-want +got):\n%s", diff)
	}
	if c.ItemsTotal != 3*18200+16200+2000 {
		t.Errorf("items total = %d", c.ItemsTotal)
	}

	orders, err := e.store.OrdersByUser(bg, "u-1")
	must(t, err)
	if len(orders) != 1 {
		t.Errorf("user has %d orders, want the one cart", len(orders))
	}

	// Two lines of i-001: updating without options is ambiguous.
	_, err = e.tb.CartUpdate(bg, "u-1", tools.CartUpdateInput{MenuItemID: "i-001", Quantity: 5})
	wantCode(t, err, sodam.EINVALID)

	out, err := e.tb.CartUpdate(bg, "u-1", tools.CartUpdateInput{MenuItemID: "i-001", Options: []string{}, Quantity: 2, NewOptions: []string{"순살"}})
	must(t, err)
	want = []line{{"i-001", 5, []string{"순살"}}, {"i-003", 1, []string{}}}
	if diff := cmp.Diff(want, lines(out.Cart)); diff != "" {
		t.Errorf("lines after update merging into 순살 (-want +got):\n%s", diff)
	}

	out, err = e.tb.CartUpdate(bg, "u-1", tools.CartUpdateInput{MenuItemID: "i-003", Quantity: 0})
	must(t, err)
	if diff := cmp.Diff([]line{{"i-001", 5, []string{"순살"}}}, lines(out.Cart)); diff != "" {
		t.Errorf("lines after quantity 0 (-want +got):\n%s", diff)
	}

	_, err = e.tb.CartRemove(bg, "u-1", tools.CartRemoveInput{MenuItemID: "i-003"})
	wantCode(t, err, sodam.ENOTFOUND)
	wantMessage(t, err, "콜라는 장바구니에 없어요.")

	out, err = e.tb.CartRemove(bg, "u-1", tools.CartRemoveInput{MenuItemID: "i-001"})
	must(t, err)
	if out.Cart != nil {
		t.Errorf("cart after removing everything = %+v, want nil", out.Cart)
	}
	got, err := e.tb.GetCart(bg, "u-1", tools.GetCartInput{})
	must(t, err)
	if got.Cart != nil {
		t.Errorf("GetCart of an empty cart = %+v, want nil", got.Cart)
	}
}

func TestCartRefusals(t *testing.T) {
	tests := []struct {
		name string
		in   tools.CartAddInput
		code string
		msg  string
	}{
		{"unknown item", tools.CartAddInput{MenuItemID: "i-999"}, sodam.ENOTFOUND, "메뉴를 찾을 수 없어요."},
		{"sold out", tools.CartAddInput{MenuItemID: "i-005"}, sodam.ECONFLICT, "치즈볼은 지금 품절이에요."},
		{"unknown option", tools.CartAddInput{MenuItemID: "i-002", Options: []string{"순살"}}, sodam.EINVALID, "양념치킨에는 '순살' 옵션이 없어요."},
		{"quantity too large", tools.CartAddInput{MenuItemID: "i-001", Quantity: 100}, sodam.EINVALID, "수량은 1개부터 99개까지 담을 수 있어요."},
		{"negative quantity", tools.CartAddInput{MenuItemID: "i-001", Quantity: -1}, sodam.EINVALID, "수량은 1개부터 99개까지 담을 수 있어요."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			_, err := e.tb.CartAdd(bg, "u-1", tc.in)
			wantCode(t, err, tc.code)
			wantMessage(t, err, tc.msg)
			orders, err := e.store.OrdersByUser(bg, "u-1")
			must(t, err)
			if len(orders) != 0 {
				t.Errorf("a refused add left %d orders", len(orders))
			}
		})
	}
}

func TestCartOneMerchant(t *testing.T) {
	e := newEnv(t)
	_, err := e.tb.CartAdd(bg, "u-1", tools.CartAddInput{MenuItemID: "i-001"})
	must(t, err)
	_, err = e.tb.CartAdd(bg, "u-1", tools.CartAddInput{MenuItemID: "i-101"})
	wantCode(t, err, sodam.ECONFLICT)
	wantMessage(t, err, "장바구니에는 한 가게의 메뉴만 담을 수 있어요. 지금은 교동치킨 혜화점의 메뉴가 담겨 있어요. 장바구니를 비우고 담을까요?")

	out, err := e.tb.CartAdd(bg, "u-1", tools.CartAddInput{MenuItemID: "i-101", Replace: true})
	must(t, err)
	if out.Cart.MerchantID != "m-002" || len(out.Cart.Items) != 1 || out.Cart.Items[0].MenuItemID != "i-101" {
		t.Errorf("cart after replace = %+v, want only i-101 of m-002", out.Cart)
	}
	if out.Cart.Total != 27000 {
		t.Errorf("total with m-002's fee = %d, want 27,000", out.Cart.Total)
	}
	orders, err := e.store.OrdersByUser(bg, "u-1")
	must(t, err)
	if len(orders) != 1 {
		t.Errorf("user has %d orders after replace, want the one cart", len(orders))
	}
}

func TestUnknownUserIsCreated(t *testing.T) {
	e := newEnv(t)
	if _, err := e.tb.GetCart(bg, "new-user", tools.GetCartInput{}); err != nil {
		t.Fatal(err)
	}
	u, err := e.store.User(bg, "new-user")
	if err != nil {
		t.Fatalf("user not created: %v", err)
	}
	if diff := cmp.Diff(&sodam.User{ID: "new-user"}, u); diff != "" {
		t.Errorf("created user (-want +got):\n%s", diff)
	}
	_, err = e.tb.GetCart(bg, "", tools.GetCartInput{})
	wantCode(t, err, sodam.EUNAUTHORIZED)
}

func TestAuditRecordsEveryCall(t *testing.T) {
	e := newEnv(t)
	start := time.Now()
	_, err := e.tb.CartAdd(bg, "u-1", tools.CartAddInput{MenuItemID: "i-001"})
	must(t, err)
	_, err = e.tb.CartAdd(bg, "u-1", tools.CartAddInput{MenuItemID: "i-005"})
	wantCode(t, err, sodam.ECONFLICT)
	calls, err := e.store.ToolCalls(bg, "u-1")
	must(t, err)
	if len(calls) != 2 {
		t.Fatalf("%d tool calls recorded, want 2", len(calls))
	}
	ok, bad := calls[0], calls[1]
	if ok.Tool != "cart_add" || string(ok.Args) != `{"menu_item_id":"i-001"}` || ok.Error != "" || string(ok.Result) == "null" {
		t.Errorf("successful call recorded as %+v", ok)
	}
	if bad.Error == "" || string(bad.Result) != "null" || string(bad.Args) != `{"menu_item_id":"i-005"}` {
		t.Errorf("failed call recorded as %+v", bad)
	}
	if !ok.At.Equal(refTime) || ok.Duration <= 0 || ok.Duration > time.Since(start) {
		t.Errorf("call at %v took %v", ok.At, ok.Duration)
	}
}
