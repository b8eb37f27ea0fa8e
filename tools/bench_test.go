package tools_test

import (
	"testing"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/tools"
)

// BenchmarkCartAdd adds an item to a cart, switching store every time so
// that the cart stays one line long (each add also empties the cart).
func BenchmarkCartAdd(b *testing.B) {
	e := newEnv(b)
	items := []string{"i-001", "i-101"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := e.tb.CartAdd(bg, "u-1", tools.CartAddInput{MenuItemID: items[i%2], Replace: true}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkCartAddMerge adds to the same line of a cart.
func BenchmarkCartAddMerge(b *testing.B) {
	e := newEnv(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		// Start over before the line reaches its limit of 99.
		if i%90 == 0 {
			if _, err := e.tb.CancelOrder(bg, "u-1", tools.CancelOrderInput{}); err != nil && !sodam.IsCode(err, sodam.ENOTFOUND) {
				b.Fatal(err)
			}
		}
		if _, err := e.tb.CartAdd(bg, "u-1", tools.CartAddInput{MenuItemID: "i-001"}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkPay pays a fresh placed order through the sandbox: create the
// payment, ready, approve, mark the payment and the order.
func BenchmarkPay(b *testing.B) {
	e := newEnv(b)
	const batch = 1000
	var ids []string
	b.ReportAllocs()
	for b.Loop() {
		if len(ids) == 0 {
			b.StopTimer()
			for range batch {
				o := &sodam.Order{UserID: "u-1", MerchantID: "m-001", Status: sodam.OrderPlaced, Total: 19200, ItemsTotal: 16200, DeliveryFee: 3000,
					Items: []sodam.OrderLine{{MenuItemID: "i-001", Name: "후라이드치킨", Quantity: 1, Options: []string{}, UnitPrice: 16200, LineTotal: 16200}}}
				must(b, e.store.CreateOrder(bg, o))
				ids = append(ids, o.ID)
			}
			b.StartTimer()
		}
		id := ids[len(ids)-1]
		ids = ids[:len(ids)-1]
		if _, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: id}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPayRepeat pays an order already paid: the idempotent path.
func BenchmarkPayRepeat(b *testing.B) {
	e := newEnv(b)
	o := e.placedOrder(b)
	if _, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.tb.Pay(bg, "u-1", tools.PayInput{OrderID: o.ID}); err != nil {
			b.Fatal(err)
		}
	}
}
