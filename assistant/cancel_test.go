package assistant_test

import (
	"context"
	"strings"
	"testing"

	"github.com/sodam-ai/sodam"
)

// TestCancelAfterTheStoreTookTheOrder cancels from the chat an order the
// store has moved on: an accepted one is cancelled and refunded after a
// yes; one being cooked or delivered is not, and the user is told why.
func TestCancelAfterTheStoreTookTheOrder(t *testing.T) {
	tests := []struct {
		name       string
		steps      []sodam.OrderStatus // the store's steps after payment
		wantAsk    string              // in the reply to 주문 취소해줘
		wantStatus sodam.OrderStatus   // after 네
		wantPay    sodam.PaymentStatus
	}{
		{"paid", nil, "환불돼요", sodam.OrderCancelled, sodam.PaymentCancelled},
		{"accepted", []sodam.OrderStatus{sodam.OrderAccepted}, "조리 전이라 취소할 수 있어요", sodam.OrderCancelled, sodam.PaymentCancelled},
		{"cooking", []sodam.OrderStatus{sodam.OrderAccepted, sodam.OrderCooking}, "조리중이라 취소할 수 없어요", sodam.OrderCooking, sodam.PaymentApproved},
		{"delivering", []sodam.OrderStatus{sodam.OrderAccepted, sodam.OrderCooking, sodam.OrderDelivering}, "배달중이라 취소할 수 없어요", sodam.OrderDelivering, sodam.PaymentApproved},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			h := world(t)
			say(t, h.Assistant, "u-1", "1", "교동치킨 후라이드 한 마리 시켜줘")
			say(t, h.Assistant, "u-1", "2", "결제할게요")
			say(t, h.Assistant, "u-1", "3", "네")
			paid := paidOrders(t, h.Store, "u-1")
			if len(paid) != 1 || paid[0].Status != sodam.OrderPaid {
				t.Fatalf("orders %+v, want one paid", paid)
			}
			id := paid[0].ID
			for _, s := range tc.steps {
				if _, err := h.Tools().UpdateOrderAsMerchant(ctx, id, func(o *sodam.Order) error { o.Status = s; return nil }); err != nil {
					t.Fatalf("step to %s: %v", s, err)
				}
			}
			ask := say(t, h.Assistant, "u-1", "4", "주문 취소해줘")
			if !strings.Contains(ask.Text, tc.wantAsk) || strings.Contains(ask.Text, "취소할 수 있는 주문이 없어요") {
				t.Errorf("주문 취소해줘 got %q, want it to contain %q", ask.Text, tc.wantAsk)
			}
			say(t, h.Assistant, "u-1", "5", "네")
			o, err := h.Store.Order(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if o.Status != tc.wantStatus {
				t.Errorf("order status %s, want %s", o.Status, tc.wantStatus)
			}
			pays, err := h.Store.PaymentsByUser(ctx, "u-1")
			if err != nil {
				t.Fatal(err)
			}
			if len(pays) != 1 || pays[0].Status != tc.wantPay {
				t.Errorf("payments %+v, want one %s", pays, tc.wantPay)
			}
		})
	}
}
