package merchant_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/membus"
	"github.com/sodam-ai/sodam/merchant"
)

// chatBox is an inbox that drops a notice Seq it already showed, as the
// websocket chat does for each user's connections.
type chatBox struct {
	*inbox
	shown map[string]map[int64]bool
}

func (c *chatBox) Notify(userID string, n *sodam.Notice) int {
	if !c.Online(userID) {
		return 0
	}
	c.mu.Lock()
	seen := c.shown[userID]
	if seen == nil {
		seen = map[int64]bool{}
		c.shown[userID] = seen
	}
	dup := seen[n.Seq]
	seen[n.Seq] = true
	c.mu.Unlock()
	if dup {
		return 1
	}
	return c.inbox.Notify(userID, n)
}

// TestNoticesReachTheServerHoldingTheUser runs two merchant services, as
// two servers would, on one store and one bus. The merchant acts through
// server 1; the customer is connected to server 2, another subscriber
// to server 1, a third nowhere. Each notice reaches each user once, on
// the server that holds the connection, and the third gets them in order
// on connecting; an event heard twice changes nothing.
func TestNoticesReachTheServerHoldingTheUser(t *testing.T) { forEachStore(t, testNoticesAcrossServers) }

func testNoticesAcrossServers(t *testing.T, newEnv func(testing.TB, ...func(*merchant.Config)) *env) {
	ctx := context.Background()
	bus := membus.New()
	var heard []*sodam.BusEvent
	if err := bus.Subscribe(ctx, func(_ context.Context, e *sodam.BusEvent) error { heard = append(heard, e); return nil }); err != nil {
		t.Fatal(err)
	}
	box1 := &chatBox{inbox: newInbox(), shown: map[string]map[int64]bool{}}
	e := newEnv(t, func(c *merchant.Config) { c.Events, c.Notifier = bus, box1 })
	box2 := &chatBox{inbox: newInbox(), shown: map[string]map[int64]bool{}}
	svc2 := merchant.New(merchant.Config{Store: e.store, Records: e.recs, Orders: e.tb, Notifier: box2, Events: bus, Clock: e.clock})
	if err := bus.Subscribe(ctx, e.svc.HandleEvent); err != nil {
		t.Fatal(err)
	}
	if err := bus.Subscribe(ctx, svc2.HandleEvent); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"u-1", "u-2", "u-3"} {
		if err := e.store.UpsertUser(ctx, &sodam.User{ID: u, Subscriptions: []string{"m-1"}}); err != nil {
			t.Fatal(err)
		}
	}
	box2.setOnline("u-1", true)
	box1.setOnline("u-2", true)

	m1 := e.account(t, "m-1")
	o := e.order(t, "u-1", "i-1")
	for _, to := range []sodam.OrderStatus{sodam.OrderAccepted, sodam.OrderCooking} {
		if _, err := e.svc.Advance(ctx, m1, o.ID, to); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.Broadcast(ctx, m1, "오늘은 일찍 닫아요"); err != nil {
		t.Fatal(err)
	}
	// Every event is heard again, as after a redelivery.
	heard = heard[:len(heard):len(heard)]
	published := heard
	for _, ev := range published {
		if err := bus.Publish(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}

	status := func(b *chatBox, u string) []string {
		var out []string
		for _, n := range b.notices(u) {
			out = append(out, string(n.Kind)+":"+n.Status)
		}
		return out
	}
	want := []string{"order_status:accepted", "order_status:cooking", "channel_broadcast:"}
	if diff := cmp.Diff(want, status(box2, "u-1")); diff != "" {
		t.Errorf("customer on server 2 (-want +got):\n%s", diff)
	}
	if got := status(box1, "u-1"); len(got) != 0 {
		t.Errorf("server 1, where the customer is not, delivered %v", got)
	}
	if diff := cmp.Diff([]string{"channel_broadcast:"}, status(box1, "u-2")); diff != "" {
		t.Errorf("subscriber on server 1 (-want +got):\n%s", diff)
	}
	for _, u := range []string{"u-1", "u-2"} {
		if p, err := e.recs.Pending(ctx, u); err != nil || len(p) != 0 {
			t.Errorf("%s has %d notices still waiting (%v) after they were delivered", u, len(p), err)
		}
	}
	// u-3 connects to server 2 later and gets the broadcast, once.
	box2.setOnline("u-3", true)
	if n := svc2.Connected(ctx, "u-3"); n != 1 {
		t.Errorf("Connected delivered %d to u-3, want 1", n)
	}
	if n := e.svc.Connected(ctx, "u-3"); n != 0 {
		t.Errorf("a second connection, on server 1, delivered %d again", n)
	}
	if diff := cmp.Diff([]string{"channel_broadcast:"}, status(box2, "u-3")); diff != "" {
		t.Errorf("late subscriber (-want +got):\n%s", diff)
	}
	kinds := map[sodam.EventKind]int{}
	for _, ev := range published {
		kinds[ev.Kind]++
		if ev.ID == "" {
			t.Errorf("event %+v has no id", ev)
		}
	}
	if kinds[sodam.EventOrderChanged] != 2 || kinds[sodam.EventBroadcastPosted] != 1 {
		t.Errorf("events published %v, want the two order steps and the broadcast", kinds)
	}
}
