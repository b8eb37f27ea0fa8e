package nats_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/nats"
)

// deadline is how long a test waits for something that should happen
// within a second or two: generous, for a busy machine.
const deadline = 60 * time.Second

// testURL is the NATS server the tests use: SODAM_TEST_NATS_URL, else
// the local one.
func testURL() string {
	if u := os.Getenv("SODAM_TEST_NATS_URL"); u != "" {
		return u
	}
	return "nats://127.0.0.1:4222"
}

// env is a test's own corner of a NATS server: a random prefix whose
// streams (and with them the consumers) are deleted when the test ends.
type env struct {
	url    string
	prefix string
	admin  jetstream.JetStream
}

func newEnv(tb testing.TB, url string) *env {
	tb.Helper()
	nc, err := natsgo.Connect(url, natsgo.Timeout(5*time.Second))
	if err != nil {
		tb.Fatalf("no NATS for the tests at %s (set SODAM_TEST_NATS_URL): %v", url, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		tb.Fatal(err)
	}
	e := &env{url: url, prefix: "t" + randomHex(6), admin: js}
	tb.Cleanup(func() {
		defer nc.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for _, s := range sodam.EventStreams() {
			err := js.DeleteStream(ctx, nats.StreamName(e.prefix, s))
			if err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
				tb.Errorf("delete stream %s: %v", nats.StreamName(e.prefix, s), err)
			}
		}
	})
	return e
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// open opens a bus of server id on the env's prefix, closed when the
// test ends.
func (e *env) open(tb testing.TB, id string, cfg nats.Config) *nats.Bus {
	tb.Helper()
	cfg.URL, cfg.ServerID, cfg.Prefix = e.url, id, e.prefix
	if cfg.Logger == nil {
		cfg.Logger = testLogger(tb)
	}
	b, err := nats.Open(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("open bus %s: %v", id, err)
	}
	tb.Cleanup(func() {
		if err := b.Close(); err != nil {
			tb.Errorf("close bus %s: %v", id, err)
		}
	})
	return b
}

// testLogger writes warnings and errors to the test's log.
func testLogger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tbWriter{tb}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type tbWriter struct{ tb testing.TB }

func (w tbWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// recorder is a handler that remembers the events it applied, and fails
// on those fail returns an error for.
type recorder struct {
	mu       sync.Mutex
	events   []sodam.BusEvent
	attempts map[string]int
	fail     func(e *sodam.BusEvent, attempt int) error
}

func (r *recorder) handle(_ context.Context, e *sodam.BusEvent) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.attempts == nil {
		r.attempts = make(map[string]int)
	}
	r.attempts[e.ID]++
	if r.fail != nil {
		if err := r.fail(e, r.attempts[e.ID]); err != nil {
			return err
		}
	}
	r.events = append(r.events, *e)
	return nil
}

func (r *recorder) subscribe(tb testing.TB, b *nats.Bus) {
	tb.Helper()
	if err := b.Subscribe(context.Background(), r.handle); err != nil {
		tb.Fatalf("subscribe: %v", err)
	}
}

func (r *recorder) ids() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids := make([]string, len(r.events))
	for i, e := range r.events {
		ids[i] = e.ID
	}
	return ids
}

func (r *recorder) has(id string) bool { return slices.Contains(r.ids(), id) }

func (r *recorder) count(id string) int {
	n := 0
	for _, x := range r.ids() {
		if x == id {
			n++
		}
	}
	return n
}

func (r *recorder) attemptsOf(id string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.attempts[id]
}

// byStream lists the applied ids of every stream in the order applied.
func (r *recorder) byStream() map[string][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := make(map[string][]string)
	for _, e := range r.events {
		m[e.Kind.Stream()] = append(m[e.Kind.Stream()], e.ID)
	}
	return m
}

// eventually polls cond until it holds, failing the test after deadline.
func eventually(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	end := time.Now().Add(deadline)
	for !cond() {
		if time.Now().After(end) {
			tb.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func event(id string, k sodam.EventKind) *sodam.BusEvent {
	return &sodam.BusEvent{ID: id, Kind: k, UserID: "u-1", Status: "paid", Amount: 18000, At: time.Now().UTC().Truncate(time.Millisecond)}
}

func publish(tb testing.TB, b *nats.Bus, e *sodam.BusEvent) {
	tb.Helper()
	if err := b.Publish(context.Background(), e); err != nil {
		tb.Fatalf("publish %s: %v", e.ID, err)
	}
}

var allKinds = []sodam.EventKind{
	sodam.EventOrderChanged, sodam.EventBookingChanged, sodam.EventPaymentChanged, sodam.EventPaymentApproved,
	sodam.EventComplaintChanged, sodam.EventInquiryAnswered, sodam.EventBroadcastPosted,
}

// An event published on one server reaches the handlers of every
// server, the publisher's included, in publish order per stream, each
// kind on its own subject in its stream.
func TestFanOutInOrder(t *testing.T) {
	e := newEnv(t, testURL())
	a := e.open(t, "a", nats.Config{})
	b := e.open(t, "b", nats.Config{})
	var ra, rb recorder
	ra.subscribe(t, a)
	rb.subscribe(t, b)

	const rounds = 5
	want := make(map[string][]string)
	sent := make(map[string]*sodam.BusEvent)
	for i := range rounds {
		for _, k := range allKinds {
			ev := event(fmt.Sprintf("%s-%d", k, i), k)
			publish(t, a, ev)
			want[k.Stream()] = append(want[k.Stream()], ev.ID)
			sent[ev.ID] = ev
		}
	}
	total := rounds * len(allKinds)
	for name, r := range map[string]*recorder{"a": &ra, "b": &rb} {
		eventually(t, fmt.Sprintf("server %s to apply %d events", name, total), func() bool { return len(r.ids()) >= total })
		if got := r.byStream(); !mapsEqual(got, want) {
			t.Errorf("server %s applied per stream %v, want %v", name, got, want)
		}
		r.mu.Lock()
		for _, got := range r.events {
			w := *sent[got.ID]
			w.Origin = "a"
			if !got.At.Equal(w.At) || got.Origin != w.Origin || got.Kind != w.Kind || got.UserID != w.UserID || got.Amount != w.Amount || got.Status != w.Status {
				t.Errorf("server %s applied %+v, want %+v", name, got, w)
			}
		}
		r.mu.Unlock()
	}

	ctx := context.Background()
	for _, k := range allKinds {
		stream, err := e.admin.Stream(ctx, nats.StreamName(e.prefix, k.Stream()))
		if err != nil {
			t.Fatalf("stream of %s: %v", k, err)
		}
		msg, err := stream.GetLastMsgForSubject(ctx, nats.Subject(e.prefix, k))
		if err != nil {
			t.Errorf("%s: no message on %s in %s: %v", k, nats.Subject(e.prefix, k), stream.CachedInfo().Config.Name, err)
			continue
		}
		var got sodam.BusEvent
		if err := json.Unmarshal(msg.Data, &got); err != nil || got.ID != fmt.Sprintf("%s-%d", k, rounds-1) {
			t.Errorf("%s: last message %s (%v), want event %s-%d", k, msg.Data, err, k, rounds-1)
		}
	}
}

func mapsEqual(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// An event that comes twice, within the broker's duplicate window or
// past it, is applied once by every server.
func TestRepeatedEventAppliedOnce(t *testing.T) {
	tests := []struct {
		name   string
		repeat func(t *testing.T, e *env, a *nats.Bus, ev *sodam.BusEvent)
	}{
		{"published twice", func(t *testing.T, _ *env, a *nats.Bus, ev *sodam.BusEvent) {
			publish(t, a, ev)
		}},
		{"repeated without its message id", func(t *testing.T, e *env, _ *nats.Bus, ev *sodam.BusEvent) {
			// As if repeated after the broker forgot the id: only the
			// handlers' memory drops it.
			w := *ev
			w.Origin = "a"
			data, err := json.Marshal(&w)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.admin.Publish(context.Background(), nats.Subject(e.prefix, ev.Kind), data); err != nil {
				t.Fatalf("publish the repeat: %v", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, testURL())
			a := e.open(t, "a", nats.Config{})
			b := e.open(t, "b", nats.Config{})
			var ra, rb recorder
			ra.subscribe(t, a)
			rb.subscribe(t, b)

			ev := event("ev-1", sodam.EventPaymentApproved)
			publish(t, a, ev)
			tt.repeat(t, e, a, ev)
			publish(t, a, event("ev-2", sodam.EventPaymentChanged))
			for name, r := range map[string]*recorder{"a": &ra, "b": &rb} {
				eventually(t, "server "+name+" to apply the event after the repeat", func() bool { return r.has("ev-2") })
				if got := r.ids(); !slices.Equal(got, []string{"ev-1", "ev-2"}) {
					t.Errorf("server %s applied %v, want [ev-1 ev-2]", name, got)
				}
			}
		})
	}
}

// A server that comes back with its id gets the events published while
// it was away, and none it acknowledged before.
func TestDurableResume(t *testing.T) {
	e := newEnv(t, testURL())
	a := e.open(t, "a", nats.Config{})
	b := e.open(t, "b", nats.Config{})
	var before recorder
	before.subscribe(t, b)
	publish(t, a, event("ev-0", sodam.EventOrderChanged))
	eventually(t, "b to apply ev-0", func() bool { return before.has("ev-0") })
	if err := b.Close(); err != nil {
		t.Fatalf("close b: %v", err)
	}

	away := []*sodam.BusEvent{
		event("ev-1", sodam.EventOrderChanged),
		event("ev-2", sodam.EventBookingChanged),
		event("ev-3", sodam.EventOrderChanged),
	}
	for _, ev := range away {
		publish(t, a, ev)
	}

	b = e.open(t, "b", nats.Config{})
	var after recorder
	after.subscribe(t, b)
	eventually(t, "b to apply the 3 events published while it was away", func() bool { return len(after.ids()) >= 3 })
	publish(t, a, event("ev-4", sodam.EventOrderChanged))
	eventually(t, "b to apply ev-4", func() bool { return after.has("ev-4") })
	want := map[string][]string{"order": {"ev-1", "ev-3", "ev-4"}, "booking": {"ev-2"}}
	if got := after.byStream(); !mapsEqual(got, want) {
		t.Errorf("after coming back b applied %v, want %v", got, want)
	}
}

// An event a handler fails on is delivered again, before the events
// published after it on its stream.
func TestHandlerErrorDeliversAgain(t *testing.T) {
	e := newEnv(t, testURL())
	a := e.open(t, "a", nats.Config{})
	b := e.open(t, "b", nats.Config{})
	r := recorder{fail: func(e *sodam.BusEvent, attempt int) error {
		if e.ID == "ev-1" && attempt <= 2 {
			return errors.New("database busy")
		}
		return nil
	}}
	r.subscribe(t, b)
	publish(t, a, event("ev-1", sodam.EventComplaintChanged))
	publish(t, a, event("ev-2", sodam.EventInquiryAnswered))
	eventually(t, "b to apply ev-1 and ev-2", func() bool { return len(r.ids()) >= 2 })
	if got := r.ids(); !slices.Equal(got, []string{"ev-1", "ev-2"}) {
		t.Errorf("applied %v, want [ev-1 ev-2]", got)
	}
	if got := r.attemptsOf("ev-1"); got != 3 {
		t.Errorf("ev-1 was tried %d times, want 3 (two failures)", got)
	}
	if got := r.attemptsOf("ev-2"); got != 1 {
		t.Errorf("ev-2 was tried %d times, want 1", got)
	}
}

// A consumer the broker lost is made again, and gets the events
// published meanwhile.
func TestLostConsumerIsMadeAgain(t *testing.T) {
	e := newEnv(t, testURL())
	a := e.open(t, "a", nats.Config{})
	b := e.open(t, "b", nats.Config{})
	var r recorder
	r.subscribe(t, b)
	publish(t, a, event("ev-1", sodam.EventBroadcastPosted))
	eventually(t, "b to apply ev-1", func() bool { return r.has("ev-1") })

	stream := nats.StreamName(e.prefix, "broadcast")
	// The broker may fail a delete while the consumer's files are being
	// written (an ack on its way); it is tried again until it is gone.
	eventually(t, "b's consumer to be deleted", func() bool {
		err := e.admin.DeleteConsumer(context.Background(), stream, nats.ConsumerName(e.prefix, "b"))
		if err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
			t.Logf("delete b's consumer: %v", err)
			return false
		}
		return true
	})
	publish(t, a, event("ev-2", sodam.EventBroadcastPosted))
	eventually(t, "b to apply ev-2", func() bool { return r.has("ev-2") })
	publish(t, a, event("ev-3", sodam.EventBroadcastPosted))
	eventually(t, "b to apply ev-3", func() bool { return r.has("ev-3") })
	if got := r.ids(); !slices.Equal(got, []string{"ev-1", "ev-2", "ev-3"}) {
		t.Errorf("applied %v, want [ev-1 ev-2 ev-3]", got)
	}
}

func TestConsumerName(t *testing.T) {
	tests := []struct {
		prefix, id, want string
	}{
		{"sodam", "web-1", "sodam_web-1"},
		{"sodam", "web_1", "sodam_web_1"},
	}
	for _, tt := range tests {
		if got := nats.ConsumerName(tt.prefix, tt.id); got != tt.want {
			t.Errorf("ConsumerName(%q, %q) = %q, want %q", tt.prefix, tt.id, got, tt.want)
		}
	}
	// Ids that a name cannot hold as they are get names of their own.
	names := map[string]string{}
	for _, id := range []string{"web.1", "web 1", "web*1", "web>1", "web/1", "host.example.com:8080"} {
		got := nats.ConsumerName("sodam", id)
		if strings.ContainsAny(got, ". *>/\\:") {
			t.Errorf("ConsumerName(sodam, %q) = %q, which a consumer name cannot hold", id, got)
		}
		if other, ok := names[got]; ok {
			t.Errorf("ids %q and %q share the consumer name %q", other, id, got)
		}
		names[got] = id
	}
}

func TestOpenAndPublishCheckTheirInput(t *testing.T) {
	ctx := context.Background()
	for _, cfg := range []nats.Config{
		{URL: testURL()},
		{URL: testURL(), ServerID: "a", Prefix: "so.dam"},
		{URL: testURL(), ServerID: "a", Prefix: "sodam>"},
	} {
		if b, err := nats.Open(ctx, cfg); err == nil {
			b.Close()
			t.Errorf("Open(%+v) = nil error, want one", cfg)
		}
	}
	e := newEnv(t, testURL())
	a := e.open(t, "a", nats.Config{})
	for _, ev := range []*sodam.BusEvent{
		nil,
		{Kind: sodam.EventOrderChanged},
		{ID: "ev-1", Kind: "order"},
		{ID: "ev-1", Kind: "refund.changed"},
		{ID: "ev-1", Kind: "order.*"},
	} {
		if err := a.Publish(ctx, ev); err == nil {
			t.Errorf("Publish(%+v) = nil error, want one", ev)
		}
	}
}

// A handler hears events until its context ends; when the last one
// ends the server stops consuming, and the next Subscribe resumes where
// it stopped.
func TestSubscribeEndsWithContext(t *testing.T) {
	e := newEnv(t, testURL())
	a := e.open(t, "a", nats.Config{})
	b := e.open(t, "b", nats.Config{})
	var first, second recorder
	ctx1, end1 := context.WithCancel(context.Background())
	ctx2, end2 := context.WithCancel(context.Background())
	if err := b.Subscribe(ctx1, first.handle); err != nil {
		t.Fatal(err)
	}
	if err := b.Subscribe(ctx2, second.handle); err != nil {
		t.Fatal(err)
	}
	publish(t, a, event("ev-1", sodam.EventOrderChanged))
	eventually(t, "both handlers to apply ev-1", func() bool { return first.has("ev-1") && second.has("ev-1") })

	end1()
	publish(t, a, event("ev-2", sodam.EventOrderChanged))
	eventually(t, "the second handler to apply ev-2", func() bool { return second.has("ev-2") })
	// Handlers are called in the order they subscribed: the first would
	// have had ev-2 by now.
	if first.has("ev-2") {
		t.Errorf("a handler whose context ended got ev-2")
	}

	end2()
	publish(t, a, event("ev-3", sodam.EventOrderChanged))
	var third recorder
	third.subscribe(t, b)
	eventually(t, "the next handler to apply ev-3", func() bool { return third.has("ev-3") })
	if second.has("ev-3") {
		t.Errorf("a handler whose context ended got ev-3")
	}
	if got := third.ids(); !slices.Equal(got, []string{"ev-3"}) {
		t.Errorf("the next handler applied %v, want [ev-3]", got)
	}
}

// Health names the broker without its password.
func TestHealthHidesPassword(t *testing.T) {
	srv := newNATS(t) // never started
	for _, url := range []string{
		strings.Replace(srv.url(), "nats://", "nats://app:s3cret@", 1),
		strings.Replace(srv.url(), "nats://", "nats://s3cret@", 1),
	} {
		b, err := nats.Open(context.Background(), nats.Config{URL: url, ServerID: "a", Prefix: "t" + randomHex(6), Logger: testLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		err = b.Health(context.Background())
		b.Close()
		if err == nil || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), fmt.Sprint(srv.port)) {
			t.Errorf("health = %v, want an error naming the port without the password", err)
		}
	}
}

// Every stream is on file with the duplicate window and age asked for,
// and every server has a durable consumer per stream that holds up to
// MaxAckPending events at once and goes when the server has been away
// too long.
// A server back with another InactiveThreshold, or to consumers an older
// version made with one event in flight, keeps its consumers, updated.
func TestStreamsAndConsumers(t *testing.T) {
	e := newEnv(t, testURL())
	b := e.open(t, "web-1", nats.Config{MaxAge: time.Hour, InactiveThreshold: 5 * time.Hour})
	var r recorder
	r.subscribe(t, b)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// As an older version left them: one event in flight.
	for _, s := range sodam.EventStreams() {
		cons, err := e.admin.Consumer(ctx, nats.StreamName(e.prefix, s), nats.ConsumerName(e.prefix, "web-1"))
		if err != nil {
			t.Fatal(err)
		}
		cfg := cons.CachedInfo().Config
		cfg.MaxAckPending = 1
		if _, err := e.admin.UpdateConsumer(ctx, nats.StreamName(e.prefix, s), cfg); err != nil {
			t.Fatal(err)
		}
	}
	b = e.open(t, "web-1", nats.Config{MaxAge: time.Hour, InactiveThreshold: 3 * time.Hour})
	r.subscribe(t, b)
	for _, s := range sodam.EventStreams() {
		stream, err := e.admin.Stream(ctx, nats.StreamName(e.prefix, s))
		if err != nil {
			t.Fatalf("stream %s: %v", s, err)
		}
		sc := stream.CachedInfo().Config
		if want := []string{e.prefix + "." + s + ".>"}; !slices.Equal(sc.Subjects, want) {
			t.Errorf("stream %s subjects %v, want %v", sc.Name, sc.Subjects, want)
		}
		if sc.Storage != jetstream.FileStorage || sc.MaxAge != time.Hour || sc.Duplicates != 2*time.Minute {
			t.Errorf("stream %s: storage %v, max age %v, duplicates %v; want file, 1h, 2m", sc.Name, sc.Storage, sc.MaxAge, sc.Duplicates)
		}
		cons, err := stream.Consumer(ctx, nats.ConsumerName(e.prefix, "web-1"))
		if err != nil {
			t.Fatalf("consumer of web-1 on %s: %v", sc.Name, err)
		}
		cc := cons.CachedInfo().Config
		if cc.Durable != nats.ConsumerName(e.prefix, "web-1") || cc.AckPolicy != jetstream.AckExplicitPolicy ||
			cc.DeliverPolicy != jetstream.DeliverNewPolicy || cc.MaxAckPending != nats.MaxAckPending || cc.InactiveThreshold != 3*time.Hour {
			t.Errorf("consumer on %s: %+v", sc.Name, cc)
		}
	}
}

// userEvent is an event of user on the order stream.
func userEvent(id, user string) *sodam.BusEvent {
	ev := event(id, sodam.EventOrderChanged)
	ev.UserID = user
	return ev
}

// Events of different users on one stream are applied at the same time:
// a handler still busy with one user's event does not hold up another
// user's, while the busy user's next event waits for the first.
func TestUsersAppliedAtOnce(t *testing.T) {
	e := newEnv(t, testURL())
	a := e.open(t, "a", nats.Config{})
	b := e.open(t, "b", nats.Config{})
	var (
		mu      sync.Mutex
		applied []string
		running = map[string]int{} // handler calls running, by user
		overlap bool               // two calls for one user ran at once
	)
	bApplied := make(chan struct{})
	err := b.Subscribe(context.Background(), func(_ context.Context, ev *sodam.BusEvent) error {
		mu.Lock()
		running[ev.UserID]++
		overlap = overlap || running[ev.UserID] > 1
		mu.Unlock()
		if ev.ID == "a-1" {
			select { // held until the other user's event is applied
			case <-bApplied:
			case <-time.After(deadline):
			}
		}
		mu.Lock()
		defer mu.Unlock()
		running[ev.UserID]--
		applied = append(applied, ev.ID)
		if ev.ID == "b-1" {
			close(bApplied)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	publish(t, a, userEvent("a-1", "u-a"))
	publish(t, a, userEvent("a-2", "u-a"))
	publish(t, a, userEvent("b-1", "u-b"))
	got := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(applied)
	}
	eventually(t, "the three events to be applied", func() bool { return len(got()) == 3 })
	if want := []string{"b-1", "a-1", "a-2"}; !slices.Equal(got(), want) {
		t.Errorf("applied %v, want %v: u-b's event while u-a's first was held, u-a's in order", got(), want)
	}
	mu.Lock()
	defer mu.Unlock()
	if overlap {
		t.Error("two events of one user were applied at the same time")
	}
}

// An event the handler keeps failing on holds up the later events of its
// user only: another user's events published after it are applied
// meanwhile, and the failing user's next event comes after the failed
// one succeeds.
func TestFailureHoldsUpItsUserOnly(t *testing.T) {
	e := newEnv(t, testURL())
	a := e.open(t, "a", nats.Config{})
	b := e.open(t, "b", nats.Config{})
	r := recorder{fail: func(e *sodam.BusEvent, attempt int) error {
		if e.ID == "a-1" && attempt <= 3 {
			return errors.New("database busy")
		}
		return nil
	}}
	r.subscribe(t, b)
	publish(t, a, userEvent("a-1", "u-a"))
	publish(t, a, userEvent("a-2", "u-a"))
	for i := range 3 {
		publish(t, a, userEvent(fmt.Sprintf("b-%d", i+1), "u-b"))
	}
	eventually(t, "the five events to be applied", func() bool { return len(r.ids()) == 5 })
	if want := []string{"b-1", "b-2", "b-3", "a-1", "a-2"}; !slices.Equal(r.ids(), want) {
		t.Errorf("applied %v, want %v", r.ids(), want)
	}
	if got := r.attemptsOf("a-1"); got != 4 {
		t.Errorf("a-1 was tried %d times, want 4 (three failures)", got)
	}
	for _, id := range []string{"a-2", "b-1", "b-2", "b-3"} {
		if got := r.attemptsOf(id); got != 1 {
			t.Errorf("%s was tried %d times, want 1", id, got)
		}
	}
}

// Events a server holds but has not applied when it closes (one failing,
// one of its user waiting behind it) come again, in order, when it is
// back, and are applied once.
func TestUnappliedEventsComeBackInOrder(t *testing.T) {
	e := newEnv(t, testURL())
	a := e.open(t, "a", nats.Config{})
	b := e.open(t, "b", nats.Config{})
	failing := recorder{fail: func(*sodam.BusEvent, int) error { return errors.New("down") }}
	failing.subscribe(t, b)
	publish(t, a, userEvent("a-1", "u-a"))
	publish(t, a, userEvent("a-2", "u-a"))
	eventually(t, "a-1 to be tried twice", func() bool { return failing.attemptsOf("a-1") >= 2 })
	if err := b.Close(); err != nil {
		t.Fatalf("close b: %v", err)
	}
	if n := failing.attemptsOf("a-2"); n != 0 {
		t.Errorf("a-2 was tried %d times while a-1 failed, want 0", n)
	}

	b = e.open(t, "b", nats.Config{})
	var r recorder
	r.subscribe(t, b)
	publish(t, a, userEvent("a-3", "u-a"))
	eventually(t, "b to apply the three events", func() bool { return len(r.ids()) >= 3 })
	if want := []string{"a-1", "a-2", "a-3"}; !slices.Equal(r.ids(), want) {
		t.Errorf("after coming back b applied %v, want %v", r.ids(), want)
	}
}

// Events a server had received but not acknowledged when it was killed
// are applied first, in publish order, when it comes back, before a
// later event of their user; one it acknowledged out of order is applied
// again (handlers tolerate repeats), none is lost.
func TestUnacknowledgedEventsAfterAKillComeFirst(t *testing.T) {
	e := newEnv(t, testURL())
	a := e.open(t, "a", nats.Config{})
	b := e.open(t, "b", nats.Config{})
	var before recorder
	before.subscribe(t, b)
	if err := b.Close(); err != nil {
		t.Fatalf("close b: %v", err)
	}
	publish(t, a, userEvent("a-1", "u-a"))
	publish(t, a, userEvent("a-2", "u-a"))

	// As the killed server did: take both from b's consumer, acknowledge
	// only the second.
	ctx := context.Background()
	cons, err := e.admin.Consumer(ctx, nats.StreamName(e.prefix, "order"), nats.ConsumerName(e.prefix, "b"))
	if err != nil {
		t.Fatal(err)
	}
	batch, err := cons.Fetch(2, jetstream.FetchMaxWait(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var got []jetstream.Msg
	for m := range batch.Messages() {
		got = append(got, m)
	}
	if len(got) != 2 {
		t.Fatalf("fetched %d messages, want 2 (%v)", len(got), batch.Error())
	}
	if err := got[1].DoubleAck(ctx); err != nil {
		t.Fatal(err)
	}

	b = e.open(t, "b", nats.Config{})
	var after recorder
	after.subscribe(t, b)
	publish(t, a, userEvent("a-3", "u-a"))
	eventually(t, "b to apply the three events", func() bool { return len(after.ids()) >= 3 })
	if want := []string{"a-1", "a-2", "a-3"}; !slices.Equal(after.ids(), want) {
		t.Errorf("after coming back b applied %v, want %v", after.ids(), want)
	}
}
