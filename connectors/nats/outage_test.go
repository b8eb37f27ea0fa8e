package nats_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/nats"
	"github.com/sodam-ai/sodam/connectors/postgres"
	"github.com/sodam-ai/sodam/connectors/postgres/pgtest"
)

// natsServer is a nats-server process of the test's own, which the test
// stops and starts again on the same port.
type natsServer struct {
	tb   testing.TB
	port int
	cmd  *exec.Cmd
	log  string
}

const natsServerBin = "/usr/sbin/nats-server"

// newNATS picks a free port for a JetStream server that is not started
// yet, and stops the server when the test ends.
func newNATS(tb testing.TB) *natsServer {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &natsServer{tb: tb, port: port, log: filepath.Join(tb.TempDir(), "nats.log")}
	tb.Cleanup(s.stop)
	return s
}

// startNATS starts a JetStream server on a free port with its store in
// dir, and stops it when the test ends.
func startNATS(tb testing.TB, dir string) *natsServer {
	tb.Helper()
	s := newNATS(tb)
	s.start(dir)
	return s
}

func (s *natsServer) url() string { return fmt.Sprintf("nats://127.0.0.1:%d", s.port) }

// start runs the server with its store in dir and waits until it
// accepts connections.
func (s *natsServer) start(dir string) {
	s.tb.Helper()
	s.cmd = exec.Command(natsServerBin, "-a", "127.0.0.1", "-p", fmt.Sprint(s.port), "-js", "-sd", dir, "-l", s.log)
	if err := s.cmd.Start(); err != nil {
		s.tb.Fatalf("start %s: %v", natsServerBin, err)
	}
	end := time.Now().Add(deadline)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", s.port), time.Second)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(end) {
			log, _ := os.ReadFile(s.log)
			s.tb.Fatalf("nats-server does not accept connections on %d: %v\n%s", s.port, err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop ends the server and waits for it to exit.
func (s *natsServer) stop() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
	s.cmd = nil
}

// memOutbox is an outbox in memory, relayed by one caller at a time.
type memOutbox struct {
	mu   sync.Mutex
	kept []keptEvent
}

type keptEvent struct {
	id, subject string
	data        []byte
}

func (o *memOutbox) Keep(_ context.Context, id, subject string, data []byte) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, k := range o.kept {
		if k.id == id {
			return nil
		}
	}
	o.kept = append(o.kept, keptEvent{id, subject, slices.Clone(data)})
	return nil
}

func (o *memOutbox) Relay(_ context.Context, limit int, publish func(id, subject string, data []byte) error) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for n < limit && n < len(o.kept) {
		k := o.kept[n]
		if err := publish(k.id, k.subject, k.data); err != nil {
			o.kept = o.kept[n:]
			return n, err
		}
		n++
	}
	o.kept = o.kept[n:]
	return n, nil
}

func (o *memOutbox) Waiting(context.Context) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.kept), nil
}

// While the broker is down, Publish keeps events in the outbox and
// Health says the bus is degraded; once the broker is back the relay
// publishes them and every server applies them once. A broker back
// without its store gets the streams and consumers made again.
func TestBrokerDown(t *testing.T) {
	tests := []struct {
		name   string
		outbox func(t *testing.T) nats.Outbox
	}{
		{"memory outbox", func(*testing.T) nats.Outbox { return new(memOutbox) }},
		{"postgres outbox", func(t *testing.T) nats.Outbox {
			return postgres.NewEventOutbox(pgtest.Open(t, "natsbus", postgres.Config{}))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			testBrokerDown(t, tt.outbox(t))
		})
	}
}

func testBrokerDown(t *testing.T, outbox nats.Outbox) {
	ctx := context.Background()
	store := t.TempDir()
	srv := startNATS(t, store)
	e := &env{url: srv.url(), prefix: "t" + randomHex(6)} // the server goes with the test
	a := e.open(t, "a", nats.Config{Outbox: outbox, RelayEvery: 200 * time.Millisecond})
	b := e.open(t, "b", nats.Config{})
	var r recorder
	r.subscribe(t, b)
	publish(t, a, event("ev-0", sodam.EventOrderChanged))
	eventually(t, "b to apply ev-0", func() bool { return r.has("ev-0") })
	if err := a.Health(ctx); err != nil {
		t.Fatalf("health with the broker up: %v", err)
	}

	srv.stop()
	eventually(t, "a to notice the broker is down", func() bool { return a.Health(ctx) != nil })
	if err := a.Health(ctx); !errors.Is(err, nats.ErrDegraded) || !strings.Contains(err.Error(), "outbox") {
		t.Errorf("health with the broker down = %v, want ErrDegraded saying events wait in the outbox", err)
	}
	eventually(t, "b to notice the broker is down", func() bool { return b.Health(ctx) != nil })
	if err := b.Publish(ctx, event("ev-lost", sodam.EventOrderChanged)); err == nil {
		t.Errorf("publish without an outbox while the broker is down = nil, want an error")
	}
	for _, ev := range []*sodam.BusEvent{event("ev-1", sodam.EventOrderChanged), event("ev-2", sodam.EventPaymentApproved), event("ev-3", sodam.EventOrderChanged)} {
		if err := a.Publish(ctx, ev); err != nil {
			t.Fatalf("publish %s while the broker is down: %v", ev.ID, err)
		}
	}
	if n, err := a.Waiting(ctx); err != nil || n != 3 {
		t.Errorf("waiting = %d, %v; want 3 kept events", n, err)
	}

	srv.start(store)
	eventually(t, "a to be healthy again", func() bool { return a.Health(ctx) == nil })
	eventually(t, "the relay to empty the outbox", func() bool { n, err := a.Waiting(ctx); return err == nil && n == 0 })
	eventually(t, "b to apply the kept events", func() bool { return r.has("ev-1") && r.has("ev-2") && r.has("ev-3") })
	publish(t, a, event("ev-4", sodam.EventOrderChanged))
	eventually(t, "b to apply ev-4", func() bool { return r.has("ev-4") })
	want := map[string][]string{"order": {"ev-0", "ev-1", "ev-3", "ev-4"}, "payment": {"ev-2"}}
	if got := r.byStream(); !mapsEqual(got, want) {
		t.Errorf("b applied %v, want %v", got, want)
	}

	// Back without its store: streams and consumers are made again.
	srv.stop()
	eventually(t, "a to notice the broker is down", func() bool { return a.Health(ctx) != nil })
	srv.start(t.TempDir())
	eventually(t, "a to be healthy again", func() bool { return a.Health(ctx) == nil })
	eventually(t, "b to be healthy again", func() bool { return b.Health(ctx) == nil })
	publish(t, a, event("ev-5", sodam.EventOrderChanged))
	eventually(t, "b to apply ev-5 after the broker lost its store", func() bool { return r.has("ev-5") })
	if n, err := a.Waiting(ctx); err != nil || n != 0 {
		t.Errorf("waiting = %d, %v; want 0", n, err)
	}
	want["order"] = append(want["order"], "ev-5")
	if got := r.byStream(); !mapsEqual(got, want) {
		t.Errorf("b applied %v, want %v", got, want)
	}
}

// A server starts while the broker is down: Open and Subscribe succeed,
// events wait in the outbox, and once the broker is reached the streams
// and consumers are set up and the kept events reach the subscribers,
// this server's own included.
func TestStartWhileBrokerDown(t *testing.T) {
	ctx := context.Background()
	srv := newNATS(t)
	e := &env{url: srv.url(), prefix: "t" + randomHex(6)}

	// A bus that never reaches its broker still closes.
	c := e.open(t, "c", nats.Config{})
	if err := c.Close(); err != nil {
		t.Errorf("close a bus that never connected: %v", err)
	}

	outbox := new(memOutbox)
	a := e.open(t, "a", nats.Config{Outbox: outbox, RelayEvery: 200 * time.Millisecond})
	if err := a.Health(ctx); !errors.Is(err, nats.ErrDegraded) {
		t.Errorf("health before the broker is reached = %v, want ErrDegraded", err)
	}
	var r recorder
	r.subscribe(t, a)
	publish(t, a, event("ev-1", sodam.EventBookingChanged))
	publish(t, a, event("ev-2", sodam.EventBookingChanged))
	if n, err := a.Waiting(ctx); err != nil || n != 2 {
		t.Errorf("waiting = %d, %v; want 2", n, err)
	}

	srv.start(t.TempDir())
	eventually(t, "a to be healthy", func() bool { return a.Health(ctx) == nil })
	eventually(t, "a to apply the kept events", func() bool { return r.has("ev-1") && r.has("ev-2") })
	eventually(t, "the relay to empty the outbox", func() bool { n, err := a.Waiting(ctx); return err == nil && n == 0 })
	publish(t, a, event("ev-3", sodam.EventBookingChanged))
	eventually(t, "a to apply ev-3", func() bool { return r.has("ev-3") })
	if got := r.ids(); !slices.Equal(got, []string{"ev-1", "ev-2", "ev-3"}) {
		t.Errorf("applied %v, want [ev-1 ev-2 ev-3]", got)
	}
}
