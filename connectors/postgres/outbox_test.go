package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/postgres"
	"github.com/sodam-ai/sodam/connectors/postgres/pgtest"
)

// relayedEvent is what Relay handed to publish.
type relayedEvent struct {
	ID, Subject, Data string
}

// relayAll relays o until it is empty and returns what was published.
func relayAll(t *testing.T, o *postgres.EventOutbox, limit int) []relayedEvent {
	t.Helper()
	var got []relayedEvent
	for {
		n, err := o.Relay(context.Background(), limit, func(id, subject string, data []byte) error {
			got = append(got, relayedEvent{id, subject, string(data)})
			return nil
		})
		if err != nil {
			t.Fatalf("relay: %v", err)
		}
		if n == 0 {
			return got
		}
	}
}

func waiting(t *testing.T, o *postgres.EventOutbox) int {
	t.Helper()
	n, err := o.Waiting(context.Background())
	if err != nil {
		t.Fatalf("waiting: %v", err)
	}
	return n
}

func TestEventOutboxKeepRelayWaiting(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		keep  []relayedEvent
		limit int
		want  []relayedEvent
	}{
		{
			name:  "empty",
			limit: 10,
		},
		{
			name:  "oldest first across batches",
			keep:  []relayedEvent{{"e-3", "sodam.order.changed", `{"n":1}`}, {"e-1", "sodam.payment.approved", `{"n":2}`}, {"e-2", "sodam.order.changed", `{"n":3}`}},
			limit: 2,
			want:  []relayedEvent{{"e-3", "sodam.order.changed", `{"n":1}`}, {"e-1", "sodam.payment.approved", `{"n":2}`}, {"e-2", "sodam.order.changed", `{"n":3}`}},
		},
		{
			name: "a second keep of one id is a no-op",
			keep: []relayedEvent{
				{"e-1", "sodam.order.changed", `{"first":true}`},
				{"e-2", "sodam.booking.changed", `{}`},
				{"e-1", "sodam.broadcast.posted", `{"first":false}`},
			},
			limit: 10,
			want:  []relayedEvent{{"e-1", "sodam.order.changed", `{"first":true}`}, {"e-2", "sodam.booking.changed", `{}`}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := postgres.NewEventOutbox(newStore(t, nil))
			for _, k := range tt.keep {
				if err := o.Keep(ctx, k.ID, k.Subject, []byte(k.Data)); err != nil {
					t.Fatalf("keep %s: %v", k.ID, err)
				}
			}
			if got := waiting(t, o); got != len(tt.want) {
				t.Errorf("waiting = %d before the relay, want %d", got, len(tt.want))
			}
			if diff := cmp.Diff(tt.want, relayAll(t, o, tt.limit)); diff != "" {
				t.Errorf("relayed (-want +got):\n%s", diff)
			}
			if got := waiting(t, o); got != 0 {
				t.Errorf("waiting = %d after the relay, want 0", got)
			}
		})
	}
}

func TestEventOutboxKeepNeedsIDAndSubject(t *testing.T) {
	o := postgres.NewEventOutbox(newStore(t, nil))
	for _, k := range []relayedEvent{{"", "sodam.order.changed", "{}"}, {"e-1", "", "{}"}} {
		if err := o.Keep(context.Background(), k.ID, k.Subject, []byte(k.Data)); !sodam.IsCode(err, sodam.EINVALID) {
			t.Errorf("keep %+v: err = %v, want EINVALID", k, err)
		}
	}
}

// A publish that fails keeps its event and those after it, in order.
func TestEventOutboxFailedPublishKeepsEvent(t *testing.T) {
	ctx := context.Background()
	o := postgres.NewEventOutbox(newStore(t, nil))
	for _, id := range []string{"e-1", "e-2", "e-3"} {
		if err := o.Keep(ctx, id, "sodam.order.changed", []byte(id)); err != nil {
			t.Fatal(err)
		}
	}
	down := errors.New("broker down")
	var tried []string
	n, err := o.Relay(ctx, 10, func(id, _ string, _ []byte) error {
		tried = append(tried, id)
		if id == "e-2" {
			return down
		}
		return nil
	})
	if !errors.Is(err, down) {
		t.Errorf("relay err = %v, want the publish error", err)
	}
	if n != 1 {
		t.Errorf("relayed %d, want 1", n)
	}
	if want := []string{"e-1", "e-2"}; !slices.Equal(tried, want) {
		t.Errorf("publish was tried on %v, want %v (none after the failure)", tried, want)
	}
	if got := waiting(t, o); got != 2 {
		t.Errorf("waiting = %d, want 2", got)
	}
	want := []relayedEvent{{"e-2", "sodam.order.changed", "e-2"}, {"e-3", "sodam.order.changed", "e-3"}}
	if diff := cmp.Diff(want, relayAll(t, o, 10)); diff != "" {
		t.Errorf("relayed after the failure (-want +got):\n%s", diff)
	}
}

// Two servers relaying one outbox at once publish every kept event once,
// in the order they were kept.
func TestEventOutboxConcurrentRelay(t *testing.T) {
	ctx := context.Background()
	url, schema := pgtest.Schema(t, "outbox")
	var stores []*postgres.Store
	for range 2 {
		s, err := postgres.Open(ctx, postgres.Config{URL: url, Schema: schema, MaxConns: 4})
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		t.Cleanup(s.Close)
		stores = append(stores, s)
	}
	a, b := postgres.NewEventOutbox(stores[0]), postgres.NewEventOutbox(stores[1])

	const n = 300
	var want []string
	for i := range n {
		id := fmt.Sprintf("e-%03d", i)
		want = append(want, id)
		if err := a.Keep(ctx, id, "sodam.order.changed", []byte(id)); err != nil {
			t.Fatal(err)
		}
	}

	var (
		mu        sync.Mutex
		published []string
		wg        sync.WaitGroup
	)
	for _, o := range []*postgres.EventOutbox{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				_, err := o.Relay(ctx, 7, func(id, _ string, _ []byte) error {
					mu.Lock()
					published = append(published, id)
					mu.Unlock()
					return nil
				})
				if err != nil {
					t.Errorf("relay: %v", err)
					return
				}
				left, err := o.Waiting(ctx)
				if err != nil {
					t.Errorf("waiting: %v", err)
					return
				}
				if left == 0 {
					return
				}
			}
		}()
	}
	wg.Wait()
	if !slices.Equal(published, want) {
		counts := map[string]int{}
		for _, id := range published {
			counts[id]++
		}
		for _, id := range want {
			if counts[id] != 1 {
				t.Errorf("%s published %d times, want once", id, counts[id])
			}
		}
		t.Errorf("published %d events out of the kept order", len(published))
	}
}
