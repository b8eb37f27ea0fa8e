package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/postgres"
	"github.com/sodam-ai/sodam/connectors/ws"
)

// natsProc is a NATS server with JetStream of the test's own, so that the
// test can stop it and start it again on the same port and store.
type natsProc struct {
	bin, port, dir string
	cmd            *exec.Cmd
}

func (n *natsProc) url() string { return "nats://127.0.0.1:" + n.port }

// start starts the server and waits until it takes connections.
func (n *natsProc) start(t *testing.T) {
	t.Helper()
	n.cmd = exec.Command(n.bin, "-a", "127.0.0.1", "-p", n.port, "-js", "-sd", n.dir)
	if err := n.cmd.Start(); err != nil {
		t.Fatalf("start nats-server: %v", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+n.port, time.Second)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("nats-server on %s did not start: %v", n.port, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop stops the server, as an outage would.
func (n *natsProc) stop() {
	if n.cmd != nil && n.cmd.Process != nil {
		n.cmd.Process.Kill()
		n.cmd.Wait()
		n.cmd = nil
	}
}

// startNATS starts a NATS server of the test's own on a free port.
func startNATS(t *testing.T) *natsProc {
	t.Helper()
	bin, err := exec.LookPath("nats-server")
	if err != nil {
		bin = "/usr/sbin/nats-server"
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(l.Addr().String())
	l.Close()
	n := &natsProc{bin: bin, port: port, dir: t.TempDir()}
	n.start(t)
	t.Cleanup(n.stop)
	return n
}

// readyz is what a server's /readyz says.
func readyz(t *testing.T, addr string) (status int, degraded string) {
	t.Helper()
	res, err := http.Get("http://" + addr + "/readyz")
	if err != nil {
		t.Fatalf("readyz: %v", err)
	}
	defer res.Body.Close()
	var body struct {
		Degraded string `json:"degraded"`
	}
	data, _ := io.ReadAll(res.Body)
	json.Unmarshal(data, &body)
	return res.StatusCode, body.Degraded
}

// TestNATSDownTurnsGoOn runs two servers on one database and a NATS
// server that then stops. Turns still work, /readyz stays ready but
// names the degraded bus, and the store's step made through the other
// server waits in the Postgres outbox; when NATS is back it reaches the
// customer, once.
func TestNATSDownTurnsGoOn(t *testing.T) {
	dbURL := scratchDatabase(t)
	bus := startNATS(t)
	bin := buildAssistant(t)
	secret := "nats-down-" + randomHex(16)
	c := &msCluster{http: &http.Client{Timeout: 60 * time.Second}}
	for i := range 2 {
		id := fmt.Sprintf("down-s%d", i)
		c.servers = append(c.servers, startServer(t, bin, id, map[string]string{
			"DATABASE_URL": dbURL, "NATS_URL": bus.url(), "SODAM_SERVER_ID": id, "SODAM_SESSION_SECRET": secret,
		}))
	}
	for _, s := range c.servers {
		s.waitReady(t)
	}
	out, err := exec.Command(bin, "merchant", "key", "--merchant", msStore, "--database-url", dbURL).Output()
	if err != nil {
		t.Fatalf("merchant key: %v", err)
	}
	c.key = strings.TrimSpace(string(out))
	st, closeStore, err := openStore(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer closeStore()

	u := &msUser{}
	if err := u.connect(c.servers[1].addr, 1); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { u.current().ws.Close() })
	for i, text := range msFirstOrder {
		if _, err := u.turn(fmt.Sprintf("a%d", i), text); err != nil {
			t.Fatal(err)
		}
	}
	paid := paidOrders(t, st, u.user)
	if len(paid) != 1 {
		t.Fatalf("paid orders %+v, want one", paid)
	}
	order := paid[0].ID
	if err := c.step(0, order, sodam.OrderAccepted); err != nil {
		t.Fatal(err)
	}
	if _, err := u.waitEvent("accepted", func(e msEvent) bool { return e.Status == string(sodam.OrderAccepted) }); err != nil {
		t.Fatal(err)
	}

	bus.stop()
	for _, s := range c.servers {
		deadline := time.Now().Add(30 * time.Second)
		for {
			code, degraded := readyz(t, s.addr)
			if code == http.StatusOK && degraded != "" {
				t.Logf("server %s with NATS down: /readyz %d, degraded %q", s.id, code, degraded)
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("server %s with NATS down: /readyz %d, degraded %q; want 200 naming the bus", s.id, code, degraded)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	// Turns go on.
	r, err := u.turn("b0", "주문 상태 알려줘")
	if err != nil {
		t.Fatalf("a turn with NATS down: %v", err)
	}
	if r.Text == "" {
		t.Fatal("an empty reply with NATS down")
	}
	// The store's step through server 0 waits for the bus.
	if err := c.step(0, order, sodam.OrderCooking); err != nil {
		t.Fatalf("a step with NATS down: %v", err)
	}
	waiting, err := postgres.NewEventOutbox(st).Waiting(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if waiting == 0 {
		t.Error("nothing waits in the event outbox while NATS is down")
	}
	for _, e := range u.events() {
		if e.Status == string(sodam.OrderCooking) {
			t.Fatalf("the step reached the customer on the other server without a bus: %+v", e)
		}
	}

	bus.start(t)
	if _, err := u.waitEvent("cooking after NATS came back", func(e msEvent) bool {
		return e.Event == ws.EventOrderStatus && e.Status == string(sodam.OrderCooking)
	}); err != nil {
		t.Fatal(err)
	}
	for _, s := range c.servers {
		s.waitReady(t) // ready with nothing degraded again
	}
	// Nothing came twice, nothing out of order.
	time.Sleep(500 * time.Millisecond)
	u.mu.Lock()
	problems := u.problems
	u.mu.Unlock()
	if len(problems) > 0 {
		t.Errorf("broken promises: %v", problems)
	}
	var steps []string
	for _, e := range u.events() {
		if e.Event == ws.EventOrderStatus {
			steps = append(steps, e.Status)
		}
	}
	if strings.Join(steps, ",") != "accepted,cooking" {
		t.Errorf("order steps shown %v, want accepted then cooking, once each", steps)
	}
}
