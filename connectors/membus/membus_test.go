package membus

import (
	"context"
	"errors"
	"testing"

	"github.com/sodam-ai/sodam"
)

func TestPublishReachesSubscribersInOrder(t *testing.T) {
	b := New()
	ctx, cancel := context.WithCancel(context.Background())
	var first, second []string
	if err := b.Subscribe(ctx, func(_ context.Context, e *sodam.BusEvent) error { first = append(first, e.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if err := b.Subscribe(context.Background(), func(_ context.Context, e *sodam.BusEvent) error { second = append(second, e.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"e1", "e2", "e3"} {
		if err := b.Publish(context.Background(), &sodam.BusEvent{ID: id, Kind: sodam.EventOrderChanged}); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	if err := b.Publish(context.Background(), &sodam.BusEvent{ID: "e4", Kind: sodam.EventOrderChanged}); err != nil {
		t.Fatal(err)
	}
	if got := len(first); got != 3 {
		t.Errorf("cancelled subscriber got %d events %v, want the 3 published before", got, first)
	}
	want := []string{"e1", "e2", "e3", "e4"}
	if len(second) != len(want) {
		t.Fatalf("second subscriber got %v, want %v", second, want)
	}
	for i := range want {
		if second[i] != want[i] {
			t.Fatalf("second subscriber got %v, want %v", second, want)
		}
	}
}

func TestPublishReportsHandlerErrorsAndReachesTheRest(t *testing.T) {
	b := New()
	boom := errors.New("boom")
	var reached bool
	_ = b.Subscribe(context.Background(), func(context.Context, *sodam.BusEvent) error { return boom })
	_ = b.Subscribe(context.Background(), func(context.Context, *sodam.BusEvent) error { reached = true; return nil })
	err := b.Publish(context.Background(), &sodam.BusEvent{ID: "x", Kind: sodam.EventBroadcastPosted})
	if !errors.Is(err, boom) {
		t.Errorf("Publish error = %v, want the handler's", err)
	}
	if !reached {
		t.Error("a failing handler kept the event from the next one")
	}
	if err := b.Subscribe(context.Background(), nil); err == nil {
		t.Error("Subscribe(nil) succeeded")
	}
}

func TestEventKindStream(t *testing.T) {
	for kind, want := range map[sodam.EventKind]string{
		sodam.EventOrderChanged: "order", sodam.EventPaymentApproved: "payment",
		sodam.EventInquiryAnswered: "complaint", sodam.EventBroadcastPosted: "broadcast", sodam.EventBookingChanged: "booking",
	} {
		if got := kind.Stream(); got != want {
			t.Errorf("%s.Stream() = %q, want %q", kind, got, want)
		}
	}
}
