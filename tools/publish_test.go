package tools_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/tools"
)

// recorder is a Publisher that keeps what it was handed.
type recorder struct {
	mu     sync.Mutex
	events []*sodam.BusEvent
}

func (r *recorder) Publish(_ context.Context, e *sodam.BusEvent) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
	return nil
}

func (r *recorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		out = append(out, string(e.Kind)+":"+e.Status)
	}
	return out
}

// TestWithEventsPublishesChangesOfStatus orders, pays, books, cancels and
// complains, and checks that each change of status, and nothing else (a
// cart is not news), was published once the store kept it.
func TestWithEventsPublishesChangesOfStatus(t *testing.T) {
	ctx := context.Background()
	rec := &recorder{}
	e := newEnv(t, tools.WithEvents(rec))
	if _, err := e.tb.CartAdd(ctx, "u-1", tools.CartAddInput{MenuItemID: "i-001", Quantity: 1}); err != nil {
		t.Fatal(err)
	}
	if got := rec.seen(); len(got) != 0 {
		t.Fatalf("a cart published %v", got)
	}
	o := e.placedOrder(t)
	out, err := e.tb.Pay(ctx, "u-1", tools.PayInput{OrderID: o.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.tb.FileComplaint(ctx, "u-1", tools.FileComplaintInput{Type: "cold", OrderID: o.ID, Text: "다 식었어요"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tb.CancelOrder(ctx, "u-1", tools.CancelOrderInput{OrderID: o.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tb.BookTickets(ctx, "u-1", tools.BookTicketsInput{SessionID: "s-001", SeatGrade: "R", TicketCount: 1}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"order.changed:placed",
		"payment.changed:" + string(sodam.PaymentReady), "payment.changed:" + string(out.Payment.Status), "order.changed:paid",
		"complaint.changed:open",
		"payment.changed:cancelled", "order.changed:cancelled",
		"booking.changed:held",
	}
	if diff := cmp.Diff(want, rec.seen()); diff != "" {
		t.Errorf("published (-want +got):\n%s", diff)
	}
	ids := map[string]bool{}
	for _, ev := range rec.events {
		if ev.ID == "" || ids[ev.ID] || ev.UserID != "u-1" || ev.At.IsZero() {
			t.Errorf("event %+v: want a fresh id, the user and a time", ev)
		}
		ids[ev.ID] = true
	}
}

// TestWithNoticesRidesOnTheChangesEvent: under tools.WithNotices the
// event published for a change carries the notices the caller's
// function returns for it, and the function sees the event as it will
// go (its id, time and status); other changes and calls without it carry
// none.
func TestWithNoticesRidesOnTheChangesEvent(t *testing.T) {
	ctx := context.Background()
	rec := &recorder{}
	e := newEnv(t, tools.WithEvents(rec))
	o := e.placedOrder(t)
	var asked []*sodam.BusEvent
	nctx := tools.WithNotices(ctx, func(_ context.Context, ev *sodam.BusEvent) []*sodam.Notice {
		asked = append(asked, ev)
		if ev.OrderID != o.ID || ev.Status != string(sodam.OrderCancelled) {
			return nil
		}
		return []*sodam.Notice{{UserID: ev.UserID, Seq: 7, Kind: sodam.NoticeOrderStatus, OrderID: ev.OrderID, Status: ev.Status}}
	})
	if _, err := e.tb.UpdateOrderAsMerchant(nctx, o.ID, func(o *sodam.Order) error {
		o.Status = sodam.OrderCancelled
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	o2 := e.placedOrder(t)
	if _, err := e.tb.UpdateOrderAsMerchant(ctx, o2.ID, func(o *sodam.Order) error {
		o.Status = sodam.OrderCancelled
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	if len(asked) != 1 || asked[0].ID == "" || asked[0].At.IsZero() || asked[0].Kind != sodam.EventOrderChanged {
		t.Fatalf("the function was asked about %+v, want the one order event with its id and time", asked)
	}
	var withNotices []string
	for _, ev := range rec.events {
		for _, n := range ev.Notices {
			withNotices = append(withNotices, fmt.Sprintf("%s %s seq %d", ev.OrderID, ev.Status, n.Seq))
		}
	}
	if diff := cmp.Diff([]string{o.ID + " cancelled seq 7"}, withNotices); diff != "" {
		t.Errorf("notices published (-want +got):\n%s", diff)
	}
}
