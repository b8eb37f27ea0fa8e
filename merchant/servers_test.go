package merchant_test

import (
	"context"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/membus"
	"github.com/sodam-ai/sodam/merchant"
	"github.com/sodam-ai/sodam/tools"
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

// TestOneEventPerOrderStep wires the service as serve does, with the
// order store publishing its changes (tools.WithEvents) on the bus the
// service publishes on: an accepted and a rejected order each give one
// order.changed event, carrying the customer's notice, and the step is
// recorded; the customer is told each once, in order.
func TestOneEventPerOrderStep(t *testing.T) { forEachStore(t, testOneEventPerOrderStep) }

func testOneEventPerOrderStep(t *testing.T, newEnv func(testing.TB, ...func(*merchant.Config)) *env) {
	ctx := context.Background()
	e := newEnv(t)
	bus := membus.New()
	tb := tools.New(e.store, e.store, e.pay, e.clock, tools.WithEvents(bus))
	box := &chatBox{inbox: newInbox(), shown: map[string]map[int64]bool{}}
	svc := merchant.New(merchant.Config{Store: e.store, Records: e.recs, Orders: tb, Notifier: box, Events: bus, Clock: e.clock})
	var (
		mu    sync.Mutex
		heard []*sodam.BusEvent
	)
	for _, h := range []sodam.EventHandler{
		func(_ context.Context, ev *sodam.BusEvent) error {
			mu.Lock()
			heard = append(heard, ev)
			mu.Unlock()
			return nil
		},
		svc.HandleEvent,
	} {
		if err := bus.Subscribe(ctx, h); err != nil {
			t.Fatal(err)
		}
	}
	box.setOnline("u-1", true)
	m1 := e.account(t, "m-1")
	accepted, rejected := e.order(t, "u-1", "i-1"), e.order(t, "u-1", "i-1")

	if _, err := svc.Accept(ctx, m1, accepted.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Reject(ctx, m1, rejected.ID, "재료 소진"); err != nil {
		t.Fatal(err)
	}

	type seen struct {
		Kind    sodam.EventKind
		OrderID string
		Status  string
		Notices []string
	}
	var got []seen
	mu.Lock()
	for _, ev := range heard {
		s := seen{Kind: ev.Kind, OrderID: ev.OrderID, Status: ev.Status}
		for _, n := range ev.Notices {
			if n.Seq == 0 {
				t.Errorf("event %s carries a notice not kept in the outbox: %+v", ev.ID, n)
			}
			s.Notices = append(s.Notices, string(n.Kind)+":"+n.Status)
		}
		got = append(got, s)
	}
	mu.Unlock()
	want := []seen{
		{sodam.EventOrderChanged, accepted.ID, "accepted", []string{"order_status:accepted"}},
		{sodam.EventPaymentChanged, rejected.ID, string(sodam.PaymentCancelled), nil},
		{sodam.EventOrderChanged, rejected.ID, "cancelled", []string{"order_status:cancelled"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events published (-want +got):\n%s", diff)
	}
	var told []string
	for _, n := range box.notices("u-1") {
		told = append(told, n.OrderID+":"+n.Status)
	}
	if diff := cmp.Diff([]string{accepted.ID + ":accepted", rejected.ID + ":cancelled"}, told); diff != "" {
		t.Errorf("the customer was told (-want +got):\n%s", diff)
	}
	for id, want := range map[string]string{accepted.ID: "paid>accepted:", rejected.ID: "paid>cancelled:재료 소진"} {
		steps, err := e.recs.OrderSteps(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range steps {
			got = append(got, string(s.From)+">"+string(s.To)+":"+s.Reason)
		}
		if diff := cmp.Diff([]string{want}, got); diff != "" {
			t.Errorf("steps of %s (-want +got):\n%s", id, diff)
		}
	}
	if p, err := e.recs.Pending(ctx, "u-1"); err != nil || len(p) != 0 {
		t.Errorf("%d notices still wait (%v) after they were delivered", len(p), err)
	}
}
