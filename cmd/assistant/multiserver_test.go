package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/loadgen"
	natsbus "github.com/sodam-ai/sodam/connectors/nats"
	"github.com/sodam-ai/sodam/connectors/postgres"
	"github.com/sodam-ai/sodam/connectors/sandboxpay"
	"github.com/sodam-ai/sodam/connectors/ws"
	"github.com/sodam-ai/sodam/tools"
)

// The several-server test runs the real binary three times on one
// Postgres database and one NATS server, as docs/deploy.md describes, and
// checks what a user of any server is promised: turns answered wherever
// the user is connected, the merchant side's notices delivered once and
// in order by whichever server holds the connection, and, when a server
// dies, a resumed session elsewhere that gets what it missed.

// msStore is the store every customer of the test orders from: it is
// open around the clock, so that the test passes at any hour on the wall
// clock the servers run on.
const msStore = "m-042" // 김밥천국 역삼점, 00:00–24:00

// msProfile is the customers' address, a few minutes from msStore.
var msProfile = ws.Profile{Address: "서울 강남구 역삼로 150", Lat: 37.4952, Lng: 127.0262}

// msFirstOrder and msSecondOrder are the two orders each customer places
// and pays in chat; the nearest 김밥천국 is msStore.
var (
	msFirstOrder  = []string{"김밥천국에서 참치김밥 4개 주문할게요", "결제할게요", "네"}
	msSecondOrder = []string{"김밥천국에서 라면 3개 주문할게요", "결제할게요", "네"}
)

// testNATSURL is the NATS server of the tests ($SODAM_TEST_NATS_URL, else
// nats://127.0.0.1:4222). The test fails when it is unreachable or has no
// JetStream.
func testNATSURL(t *testing.T) (string, jetstream.JetStream) {
	t.Helper()
	url := os.Getenv("SODAM_TEST_NATS_URL")
	if url == "" {
		url = "nats://127.0.0.1:4222"
	}
	nc, err := nats.Connect(url, nats.Timeout(5*time.Second), nats.MaxReconnects(-1))
	if err != nil {
		t.Fatalf("no NATS for the tests at %s (set SODAM_TEST_NATS_URL; scripts/test.sh starts one): %v", url, err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatalf("jetstream: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := js.AccountInfo(ctx); err != nil {
		t.Fatalf("NATS at %s has no JetStream (run nats-server -js): %v", url, err)
	}
	return url, js
}

// deleteStreams removes the streams (and with them the consumers) of a
// test's subject prefix.
func deleteStreams(t *testing.T, js jetstream.JetStream, prefix string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, s := range sodam.EventStreams() {
		name := natsbus.StreamName(prefix, s)
		if err := js.DeleteStream(ctx, name); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
			t.Errorf("delete the stream %s: %v", name, err)
		}
	}
}

// buildAssistant builds this command into a temporary directory.
func buildAssistant(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go tool is needed to build the servers: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "assistant")
	cmd := exec.Command(goTool, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// randomHex is n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// serverProc is one `assistant serve` process.
type serverProc struct {
	id   string
	addr string // HOST:PORT it listens on
	cmd  *exec.Cmd
	log  *syncBuffer
	done chan struct{} // closed when the process has exited
}

var servingLine = regexp.MustCompile(`"msg":"serving","addr":"([^"]+)"`)

// startServer starts `assistant serve` on a free loopback port with the
// given settings on top of this process's environment (whose own
// database, bus and secret settings are left out).
func startServer(t *testing.T, bin, id string, settings map[string]string) *serverProc {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "SODAM_") || k == "DATABASE_URL" || k == "NATS_URL" {
			continue
		}
		env = append(env, kv)
	}
	for k, v := range settings {
		env = append(env, k+"="+v)
	}
	p := &serverProc{id: id, log: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
	p.cmd.Env = env
	p.cmd.Stdout = io.Discard
	p.cmd.Stderr = p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start server %s: %v", id, err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("server %s log (last 6000 bytes):\n%s", p.id, tail(p.log.String(), 6000))
		}
	})
	return p
}

// stop ends the process with SIGTERM, or SIGKILL when it does not stop
// within 20 seconds.
func (p *serverProc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
}

// kill ends the process at once, as a crash would.
func (p *serverProc) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatalf("kill server %s: %v", p.id, err)
	}
	<-p.done
}

// waitReady waits until the server listens and /readyz says ready with
// no degraded part.
func (p *serverProc) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for p.addr == "" {
		if m := servingLine.FindStringSubmatch(p.log.String()); m != nil {
			p.addr = m[1]
			break
		}
		select {
		case <-p.done:
			t.Fatalf("server %s exited before serving:\n%s", p.id, tail(p.log.String(), 4000))
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("server %s did not start serving in time:\n%s", p.id, tail(p.log.String(), 4000))
		}
	}
	var last string
	for {
		var ready struct {
			Ready    bool   `json:"ready"`
			Degraded string `json:"degraded"`
		}
		res, err := http.Get("http://" + p.addr + "/readyz")
		if err == nil {
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			last = fmt.Sprintf("%d %s", res.StatusCode, body)
			if res.StatusCode == http.StatusOK && json.Unmarshal(body, &ready) == nil && ready.Ready && ready.Degraded == "" {
				return
			}
		} else {
			last = err.Error()
		}
		if time.Now().After(deadline) {
			t.Fatalf("server %s is not ready: /readyz answered %s", p.id, last)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// tail is the end of s, at most n bytes.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// msEvent is an event frame a customer was shown.
type msEvent struct {
	Seq       int64
	Event     string
	OrderID   string
	Status    string
	ChannelID string
	Text      string
	At        time.Time // when it arrived
	Server    int       // the server of the connection it arrived on
}

// msConn is one websocket connection of a customer, read by a goroutine
// of its own.
type msConn struct {
	ws      *websocket.Conn
	server  int
	replies chan chatFrame // assistant_message and error frames
	dead    chan struct{}  // closed when reading fails
	seen    map[int64]bool // event seqs that arrived on this connection
	lastSeq int64
}

// msUser is a customer of the test with one connection at a time.
type msUser struct {
	k     int
	user  string
	token string

	mu       sync.Mutex
	conn     *msConn
	shown    []msEvent // events shown, each seq once, as a client shows them
	maxSeq   int64
	problems []string // broken promises: a seq twice on one connection, or out of order
	replies  map[string]string
}

// frame is any server frame, with the fields of events.
type frame struct {
	chatFrame
	Seq       int64  `json:"seq"`
	Status    string `json:"status"`
	ChannelID string `json:"channel_id"`
	Text      string `json:"text"`
}

var errConnLost = errors.New("the connection was lost")

// connect opens a connection to server srv at addr and says hello, with
// the user's token when it has one.
func (u *msUser) connect(addr string, srv int) error {
	d := websocket.Dialer{HandshakeTimeout: 30 * time.Second}
	c, _, err := d.Dial("ws://"+addr+"/ws", nil)
	if err != nil {
		return fmt.Errorf("dial server %d: %w", srv, err)
	}
	hello := ws.Hello{Type: ws.TypeHello, Token: u.token}
	if u.token == "" {
		p := msProfile
		hello.Profile = &p
	}
	c.SetWriteDeadline(time.Now().Add(30 * time.Second))
	c.SetReadDeadline(time.Now().Add(60 * time.Second))
	if err := c.WriteJSON(hello); err != nil {
		c.Close()
		return fmt.Errorf("hello to server %d: %w", srv, err)
	}
	var w chatFrame
	if err := c.ReadJSON(&w); err != nil || w.Type != ws.TypeWelcome {
		c.Close()
		return fmt.Errorf("hello to server %d: got %+v, %v", srv, w, err)
	}
	if u.user != "" && w.UserID != u.user {
		c.Close()
		return fmt.Errorf("the token of %s resumed %s on server %d", u.user, w.UserID, srv)
	}
	c.SetReadDeadline(time.Time{})
	c.SetWriteDeadline(time.Time{})
	mc := &msConn{ws: c, server: srv, replies: make(chan chatFrame, 64), dead: make(chan struct{}), seen: map[int64]bool{}}
	u.mu.Lock()
	u.user, u.token, u.conn = w.UserID, w.Token, mc
	u.mu.Unlock()
	go u.read(mc)
	return nil
}

// read reads a connection's frames until it fails: replies go to the
// turn waiting for them, events are shown.
func (u *msUser) read(c *msConn) {
	defer close(c.dead)
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		at := time.Now()
		var f frame
		if err := json.Unmarshal(data, &f); err != nil {
			u.problem("server %d sent a frame that is not JSON: %q", c.server, data)
			continue
		}
		switch f.Type {
		case ws.TypeAssistantMessage, ws.TypeError:
			c.replies <- f.chatFrame
		case ws.TypeEvent:
			u.event(c, f, at)
		}
	}
}

// event shows an event frame as a client does: a seq already shown is
// dropped. A seq twice on one connection, or a seq that arrives after a
// later one was shown, breaks the protocol's promise.
func (u *msUser) event(c *msConn, f frame, at time.Time) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if f.Seq == 0 {
		return // payment events carry no seq and are not kept
	}
	if c.seen[f.Seq] {
		u.problems = append(u.problems, fmt.Sprintf("seq %d (%s %s) came twice on one connection to server %d", f.Seq, f.Event, f.Status, c.server))
		return
	}
	c.seen[f.Seq] = true
	if f.Seq < c.lastSeq {
		u.problems = append(u.problems, fmt.Sprintf("seq %d came after seq %d on one connection to server %d", f.Seq, c.lastSeq, c.server))
	}
	c.lastSeq = max(c.lastSeq, f.Seq)
	if slices.ContainsFunc(u.shown, func(e msEvent) bool { return e.Seq == f.Seq }) {
		return // shown on an earlier connection
	}
	if f.Seq < u.maxSeq {
		u.problems = append(u.problems, fmt.Sprintf("seq %d (%s %s) came after seq %d was shown", f.Seq, f.Event, f.Status, u.maxSeq))
	}
	u.maxSeq = max(u.maxSeq, f.Seq)
	u.shown = append(u.shown, msEvent{Seq: f.Seq, Event: f.Event, OrderID: f.OrderID, Status: f.Status, ChannelID: f.ChannelID,
		Text: f.Text, At: at, Server: c.server})
}

func (u *msUser) problem(format string, a ...any) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.problems = append(u.problems, fmt.Sprintf(format, a...))
}

// current is the user's connection.
func (u *msUser) current() *msConn {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.conn
}

// turn sends one message and waits for its reply. errConnLost means the
// connection failed before the reply came: the message may or may not
// have been acted on.
func (u *msUser) turn(id, text string) (*sodam.Response, error) {
	c := u.current()
	c.ws.SetWriteDeadline(time.Now().Add(30 * time.Second))
	if err := c.ws.WriteJSON(ws.UserMessage{Type: ws.TypeUserMessage, ClientMsgID: id, Text: text}); err != nil {
		return nil, errConnLost
	}
	timeout := time.After(90 * time.Second)
	for {
		select {
		case f := <-c.replies:
			if f.ReplyTo != id && f.ReplyTo != "" {
				continue
			}
			if f.Type == ws.TypeError {
				return nil, fmt.Errorf("%q got the error %s: %s", text, f.Code, f.Message)
			}
			u.mu.Lock()
			if u.replies == nil {
				u.replies = map[string]string{}
			}
			u.replies[id] = f.Response.Text
			u.mu.Unlock()
			return f.Response, nil
		case <-c.dead:
			return nil, errConnLost
		case <-timeout:
			return nil, fmt.Errorf("%q on server %d: no reply in 90 s", text, c.server)
		}
	}
}

// events is a copy of the events shown.
func (u *msUser) events() []msEvent {
	u.mu.Lock()
	defer u.mu.Unlock()
	return slices.Clone(u.shown)
}

// waitEvent waits until an event matching ok was shown and returns it.
func (u *msUser) waitEvent(what string, ok func(msEvent) bool) (msEvent, error) {
	deadline := time.Now().Add(60 * time.Second)
	for {
		for _, e := range u.events() {
			if ok(e) {
				return e, nil
			}
		}
		if time.Now().After(deadline) {
			return msEvent{}, fmt.Errorf("user %s (%d) never got %s; shown: %+v", u.user, u.k, what, u.events())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// msCluster is the servers of the test and what the test knows of them.
type msCluster struct {
	servers []*serverProc
	key     string // the merchant API key of msStore
	http    *http.Client
}

// merchant calls the merchant API through server srv and decodes the
// answer into out; a status other than 200 fails the call.
func (c *msCluster) merchant(srv int, method, path string, body, out any) error {
	var rd io.Reader = http.NoBody
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, "http://"+c.servers[srv].addr+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s on server %d: %w", method, path, srv, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s on server %d: %d %s", method, path, srv, res.StatusCode, data)
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// step moves an order on through server srv: accepted, or a status step.
func (c *msCluster) step(srv int, orderID string, to sodam.OrderStatus) error {
	if to == sodam.OrderAccepted {
		return c.merchant(srv, "POST", "/v1/merchant/orders/"+orderID+"/accept", nil, nil)
	}
	return c.merchant(srv, "POST", "/v1/merchant/orders/"+orderID+"/status", map[string]string{"status": string(to)}, nil)
}

// latencies collects push latencies, from the start of the merchant call
// to the event's arrival on the customer's connection, by kind of push:
// one call at a time or many at once, and whether the customer was on
// the server called or on another.
type latencies struct {
	mu sync.Mutex
	by map[string][]time.Duration
}

// add records e, pushed by a call to server callServer sent at sent.
func (l *latencies) add(kind string, callServer int, e msEvent, sent time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.by == nil {
		l.by = map[string][]time.Duration{}
	}
	where := ", another server"
	if e.Server == callServer {
		where = ", the same server"
	}
	l.by[kind+where] = append(l.by[kind+where], e.At.Sub(sent))
}

// String is the count, p50 and p99 of each kind.
func (l *latencies) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(l.by)) {
		s := slices.Clone(l.by[k])
		slices.Sort(s)
		fmt.Fprintf(&b, "\n\t%s: %d pushes, p50 %.1f ms, p99 %.1f ms", k, len(s), ms(percentileOf(s, .50)), ms(percentileOf(s, .99)))
	}
	return b.String()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// percentileOf is the p-th percentile (0 < p <= 1) of sorted.
func percentileOf(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	k := int(float64(len(sorted))*p+0.999999) - 1
	return sorted[min(max(k, 0), len(sorted)-1)]
}

// parallel runs fn for every user at once and fails the test with the
// errors.
func parallel(t *testing.T, users []*msUser, fn func(u *msUser) error) {
	t.Helper()
	errs := make([]error, len(users))
	var wg sync.WaitGroup
	for i, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn(u)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

// TestMultiServer runs three servers on one database and one NATS server.
// Thirty customers, ten on each, order and pay in chat and add the
// store's channel; the store, calling the API of one server or another,
// moves the orders on and posts news, and every customer sees each step
// and each post once, in order, whichever server the store called. Then
// one server is killed while its customers place a second order: they
// resume on the others with their tokens, resend the message left
// unanswered (acted on once), and get what was sent while they were
// away. At the end the ledger holds, every order is paid once, and no
// notice waits.
func TestMultiServer(t *testing.T) {
	start := time.Now()
	dbURL := scratchDatabase(t)
	natsURL, js := testNATSURL(t)
	prefix := "t" + randomHex(5)
	t.Cleanup(func() { deleteStreams(t, js, prefix) })
	bin := buildAssistant(t)
	secret := "multi-server-" + randomHex(16)

	const nServers, nUsers = 3, 30
	c := &msCluster{http: &http.Client{Timeout: 60 * time.Second}}
	for i := range nServers {
		id := fmt.Sprintf("%s-s%d", prefix, i)
		c.servers = append(c.servers, startServer(t, bin, id, map[string]string{
			"DATABASE_URL": dbURL, "NATS_URL": natsURL, "SODAM_SERVER_ID": id, "SODAM_NATS_PREFIX": prefix,
			"SODAM_SESSION_SECRET": secret, "SODAM_KAKAO_SECRET": secret,
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
	t.Logf("%d servers ready at %v", nServers, time.Since(start).Round(time.Millisecond))

	// Ten customers on each server order, pay and add the channel.
	users := make([]*msUser, nUsers)
	for k := range users {
		users[k] = &msUser{k: k}
	}
	t.Cleanup(func() {
		for _, u := range users {
			if c := u.current(); c != nil {
				c.ws.Close()
			}
		}
	})
	parallel(t, users, func(u *msUser) error {
		srv := u.k % nServers
		if err := u.connect(c.servers[srv].addr, srv); err != nil {
			return err
		}
		for i, text := range msFirstOrder {
			r, err := u.turn(fmt.Sprintf("a%d", i), text)
			if err != nil {
				return fmt.Errorf("user %d: %w", u.k, err)
			}
			if i == len(msFirstOrder)-1 && !strings.Contains(r.Text, "결제가 완료") {
				return fmt.Errorf("user %d paid: %q", u.k, r.Text)
			}
		}
		r, err := u.turn("sub", "김밥천국 역삼점 채널 추가할게")
		if err != nil {
			return fmt.Errorf("user %d: %w", u.k, err)
		}
		if !strings.Contains(r.Text, "채널을 추가했어요") {
			return fmt.Errorf("user %d added the channel: %q", u.k, r.Text)
		}
		return nil
	})
	first := make([]string, nUsers) // each user's first order
	for k, u := range users {
		paid := paidOrders(t, st, u.user)
		if len(paid) != 1 || paid[0].MerchantID != msStore {
			t.Fatalf("user %d has paid orders %+v, want one at %s", k, paid, msStore)
		}
		first[k] = paid[0].ID
	}
	t.Logf("%d customers ordered and paid at %v", nUsers, time.Since(start).Round(time.Millisecond))

	// The store takes every order to 조리중, calling the servers in turn
	// (each step of an order through another one); each step reaches the
	// customer wherever the customer is.
	var lat latencies
	round := 0
	advance := func(users []*msUser, orders []string, to sodam.OrderStatus, servers []int, wait bool) {
		t.Helper()
		round++
		parallel(t, users, func(u *msUser) error {
			k := slices.Index(users, u)
			srv := servers[(k+round)%len(servers)]
			sent := time.Now()
			if err := c.step(srv, orders[k], to); err != nil {
				return err
			}
			if !wait {
				return nil
			}
			e, err := u.waitEvent(fmt.Sprintf("%s of %s", to, orders[k]), func(e msEvent) bool {
				return e.Event == ws.EventOrderStatus && e.OrderID == orders[k] && e.Status == string(to)
			})
			if err == nil {
				lat.add("order step, 30 calls at once", srv, e, sent)
			}
			return err
		})
	}
	all := []int{0, 1, 2}
	advance(users, first, sodam.OrderAccepted, all, true)
	advance(users, first, sodam.OrderCooking, all, true)

	// News through server 0 reaches the subscribers of all three.
	broadcast := func(srv int, text string, wait []*msUser) {
		t.Helper()
		sent := time.Now()
		if err := c.merchant(srv, "POST", "/v1/merchant/broadcasts", map[string]string{"text": text}, nil); err != nil {
			t.Fatal(err)
		}
		parallel(t, wait, func(u *msUser) error {
			e, err := u.waitEvent("the news "+text, func(e msEvent) bool {
				return e.Event == ws.EventChannelBroadcast && strings.Contains(e.Text, text)
			})
			if err == nil {
				lat.add("news to 30 subscribers", srv, e, sent)
			}
			return err
		})
	}
	broadcast(0, "오늘 밤 참치김밥 10% 할인해요", users)
	t.Logf("steps and news delivered at %v", time.Since(start).Round(time.Millisecond))

	// Every customer places a second order; server 2 is killed while its
	// customers are at it. They wait (away) while the store moves every
	// first order to 배달중 and posts news, then resume on the other
	// servers and resend what was left unanswered.
	const victim = 2
	var victims []*msUser
	for _, u := range users {
		if u.k%nServers == victim {
			victims = append(victims, u)
		}
	}
	killNow := make(chan struct{})
	kill := sync.OnceFunc(func() { close(killNow) })
	back := make(chan struct{}) // closed when the victims may reconnect
	letBack := sync.OnceFunc(func() { close(back) })
	defer letBack()
	var unanswered atomic.Int64
	second := make(chan error, 1)
	go func() {
		errs := make([]error, nUsers)
		var wg sync.WaitGroup
		for _, u := range users {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[u.k] = secondOrder(c, u, victim, kill, back, &unanswered)
			}()
		}
		wg.Wait()
		second <- errors.Join(errs...)
	}()

	select {
	case <-killNow:
	case err := <-second:
		t.Fatalf("the second orders ended before the kill: %v", err)
	case <-time.After(120 * time.Second):
		t.Fatal("no turn of the second orders was answered on the server to kill")
	}
	c.servers[victim].kill(t)
	for _, u := range victims {
		select {
		case <-u.current().dead:
		case <-time.After(30 * time.Second):
			t.Fatalf("user %d's connection to the killed server is still open", u.k)
		}
	}
	t.Logf("server %d killed at %v", victim, time.Since(start).Round(time.Millisecond))
	advance(users, first, sodam.OrderDelivering, []int{0, 1}, false)
	if err := c.merchant(1, "POST", "/v1/merchant/broadcasts", map[string]string{"text": "새벽에도 배달해요"}, nil); err != nil {
		t.Fatal(err)
	}
	letBack()
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	t.Logf("second orders done at %v; %d messages were resent after the kill", time.Since(start).Round(time.Millisecond), unanswered.Load())

	// The customers who were away got what was sent meanwhile; everyone
	// gets the last steps.
	parallel(t, users, func(u *msUser) error {
		if _, err := u.waitEvent("배달중", func(e msEvent) bool {
			return e.OrderID == first[u.k] && e.Status == string(sodam.OrderDelivering)
		}); err != nil {
			return err
		}
		_, err := u.waitEvent("the news while away", func(e msEvent) bool { return strings.Contains(e.Text, "새벽에도 배달해요") })
		return err
	})
	secondIDs := make([]string, nUsers)
	for k, u := range users {
		orders, err := st.OrdersByUser(context.Background(), u.user)
		if err != nil {
			t.Fatal(err)
		}
		// Resending the message left unanswered placed and paid nothing
		// twice: one order besides the first, and it is paid.
		var placed []*sodam.Order
		for _, o := range orders {
			if o.ID != first[k] && o.Status != sodam.OrderDraft {
				placed = append(placed, o)
			}
		}
		if len(placed) != 1 || placed[0].Status != sodam.OrderPaid {
			for _, o := range placed {
				t.Logf("user %d: order %s %s %d원", k, o.ID, o.Status, o.Total)
			}
			t.Fatalf("user %d has %d orders besides the first, want one paid", k, len(placed))
		}
		secondIDs[k] = placed[0].ID
	}
	// The last step of the first orders one at a time, each through the
	// server the customer is not on: the push latency of a quiet system.
	for k, u := range users {
		srv := (u.current().server + 1) % nServers
		if srv == victim {
			srv = (srv + 1) % nServers
		}
		sent := time.Now()
		if err := c.step(srv, first[k], sodam.OrderDelivered); err != nil {
			t.Fatal(err)
		}
		e, err := u.waitEvent("배달완료", func(e msEvent) bool { return e.OrderID == first[k] && e.Status == string(sodam.OrderDelivered) })
		if err != nil {
			t.Fatal(err)
		}
		lat.add("order step, one call at a time", srv, e, sent)
	}
	advance(users, secondIDs, sodam.OrderAccepted, []int{0, 1}, true)
	t.Logf("all steps delivered at %v", time.Since(start).Round(time.Millisecond))

	// What each customer was shown: every step of both orders and both
	// posts, each once, in order.
	for k, u := range users {
		var got []string
		for _, e := range u.events() {
			switch {
			case e.Event == ws.EventOrderStatus && e.OrderID == first[k]:
				got = append(got, "1:"+e.Status)
			case e.Event == ws.EventOrderStatus && e.OrderID == secondIDs[k]:
				got = append(got, "2:"+e.Status)
			case e.Event == ws.EventChannelBroadcast && e.ChannelID == msStore:
				got = append(got, "news")
			default:
				got = append(got, fmt.Sprintf("%s:%s:%s", e.Event, e.OrderID, e.Status))
			}
		}
		// In seq order: the store's calls were made one after another
		// (the steps of all orders, then the news, and so on).
		want := []string{"1:accepted", "1:cooking", "news", "1:delivering", "news", "1:delivered", "2:accepted"}
		if !slices.Equal(got, want) {
			t.Errorf("user %d (server %d) was shown %v, want %v", k, k%nServers, got, want)
		}
		u.mu.Lock()
		for _, p := range u.problems {
			t.Errorf("user %d: %s", k, p)
		}
		u.mu.Unlock()
	}

	// No notice waits for these connected customers, and the books hold.
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	ids := make([]string, nUsers)
	for k, u := range users {
		ids[k] = u.user
	}
	var waiting int
	for deadline := time.Now().Add(30 * time.Second); ; {
		if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM notices WHERE user_id = ANY($1)`, ids).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if waiting != 0 {
		t.Errorf("%d notices are still in the outbox of connected customers", waiting)
	}
	// The sandbox's books are the servers' shared ledger in the database.
	books := sandboxpay.NewWithLedger("", nil, postgres.NewSandboxLedger(st))
	probs, err := tools.CheckLedger(context.Background(), st, tools.LedgerScope{Users: ids, Provider: books})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probs {
		t.Errorf("ledger: %s", p)
	}
	t.Logf("done at %v; push latency (merchant call to event frame):%s", time.Since(start).Round(time.Millisecond), &lat)
}

// secondOrder plays the second order of user u. A customer of the victim
// server calls kill once a turn of it was answered; when its connection
// is lost it waits for back, resumes its session on another server and
// resends the message left unanswered, counting it in unanswered. It then
// checks that an answered message resent there gets the same reply.
func secondOrder(c *msCluster, u *msUser, victim int, kill func(), back <-chan struct{}, unanswered *atomic.Int64) error {
	onVictim := u.k%len(c.servers) == victim
	moved := false
	resume := func() error {
		<-back
		srv := (victim + 1 + u.k) % len(c.servers)
		if srv == victim {
			srv = (srv + 1) % len(c.servers)
		}
		moved = true
		return u.connect(c.servers[srv].addr, srv)
	}
	for i, text := range msSecondOrder {
		id := fmt.Sprintf("b%d", i)
		for {
			r, err := u.turn(id, text)
			if errors.Is(err, errConnLost) && onVictim && !moved {
				unanswered.Add(1)
				if err := resume(); err != nil {
					return fmt.Errorf("user %d: %w", u.k, err)
				}
				continue // the same id again
			}
			if err != nil {
				return fmt.Errorf("user %d: %w", u.k, err)
			}
			if i == len(msSecondOrder)-1 && !strings.Contains(r.Text, "결제가 완료") {
				return fmt.Errorf("user %d paid the second order: %q", u.k, r.Text)
			}
			break
		}
		if onVictim && !moved {
			kill()
		}
	}
	if onVictim && !moved {
		// Done before the kill: the connection still goes.
		select {
		case <-u.current().dead:
		case <-time.After(120 * time.Second):
			return fmt.Errorf("user %d: the connection to the killed server stayed open", u.k)
		}
		if err := resume(); err != nil {
			return fmt.Errorf("user %d: %w", u.k, err)
		}
	}
	if !onVictim {
		return nil
	}
	// An answered message resent on the new server gets the same reply
	// and pays nothing again.
	u.mu.Lock()
	want := u.replies["a2"]
	u.mu.Unlock()
	r, err := u.turn("a2", msFirstOrder[2])
	if err != nil {
		return fmt.Errorf("user %d resent a2: %w", u.k, err)
	}
	if r.Text != want {
		return fmt.Errorf("user %d resent a2 on another server and got %q, want %q", u.k, r.Text, want)
	}
	return nil
}

// echoAssistant answers every turn with its text.
type echoAssistant struct{}

func (echoAssistant) Respond(_ context.Context, t sodam.Turn) (*sodam.Response, error) {
	return &sodam.Response{Text: t.Text}, nil
}

// TestBenchAcrossServers: bench --addr with several servers spreads the
// users over them and reports each.
func TestBenchAcrossServers(t *testing.T) {
	var addrs []string
	for range 2 {
		ts := httptest.NewServer(ws.NewServer(ws.Config{Assistant: echoAssistant{}, Tokens: ws.NewTokens(ws.NewSecret(), 0, nil)}))
		t.Cleanup(ts.Close)
		addrs = append(addrs, ts.Listener.Addr().String())
	}
	jsonOut := filepath.Join(t.TempDir(), "b.json")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"bench", "--addr", strings.Join(addrs, ","), "--server-pid", fmt.Sprint(os.Getpid()),
		"--users", "4", "--turns", "16", "--duration", "0", "--ramp", "0", "--interval", "200ms",
		"--scenarios", "../../evals/testdata/scenarios.jsonl", "--json", jsonOut},
		func(string) string { return "" }, strings.NewReader(""), &stdout, &stderr)
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, stderr.String())
	}
	data, err := os.ReadFile(jsonOut)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Turns   int `json:"turns"`
		Servers []struct {
			URL       string `json:"url"`
			Connected int    `json:"connected"`
			Turns     int    `json:"turns"`
		} `json:"servers"`
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Servers) != 2 {
		t.Fatalf("servers %+v, want the two given", res.Servers)
	}
	for i, s := range res.Servers {
		if s.URL != "ws://"+addrs[i]+"/ws" || s.Connected != 2 || s.Turns == 0 {
			t.Errorf("server %d: %+v, want 2 of the 4 users on ws://%s/ws, with turns", i, s, addrs[i])
		}
	}
	if res.Servers[0].Turns+res.Servers[1].Turns != res.Turns {
		t.Errorf("the servers' turns %+v do not add up to %d", res.Servers, res.Turns)
	}
	for _, a := range addrs {
		if !strings.Contains(stdout.String(), "server ws://"+a+"/ws") {
			t.Errorf("the table has no line for %s:\n%s", a, stdout.String())
		}
	}
}

func TestBenchAddrListUsage(t *testing.T) {
	for name, args := range map[string][]string{
		"an empty address":  {"--addr", "127.0.0.1:1,,127.0.0.1:2"},
		"a bad process id":  {"--addr", "127.0.0.1:1", "--server-pid", "12,x"},
		"pids without addr": {"--server-pid", "12,13"},
	} {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), append([]string{"bench"}, args...), func(string) string { return "" }, strings.NewReader(""), &out, &out)
			if !errors.Is(err, errUsage) {
				t.Errorf("err = %v, want a usage error", err)
			}
		})
	}
}

// TestAllDayScenarios: the bench scenarios of docs/deploy.md order from
// the stores open around the clock, so that a run against servers on the
// wall clock plays the same dialogues at any hour.
func TestAllDayScenarios(t *testing.T) {
	f, err := os.Open("testdata/allday.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	ss, err := loadgen.ReadScenarios(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, hour := range []int{4, 14, 23} {
		t.Run(fmt.Sprintf("%02d:00", hour), func(t *testing.T) {
			at := time.Date(2026, 11, 26, hour, 0, 0, 0, sodam.Seoul)
			a, err := newApp(context.Background(), appConfig{Clock: sodam.ClockFunc(func() time.Time { return at }), BaseURL: "http://localhost",
				Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			// One user plays them all in one conversation, as a bench user does.
			p := ss[0].User
			if err := a.Store.UpsertUser(context.Background(), &sodam.User{ID: "u-allday", Address: p.Address, Lat: p.Lat, Lng: p.Lng}); err != nil {
				t.Fatal(err)
			}
			paid, want := 0, 0
			for _, s := range ss {
				for i, text := range s.Turns {
					r, err := a.Assistant.Respond(context.Background(), sodam.Turn{UserID: "u-allday", Text: text, MessageID: fmt.Sprintf("%s-%d", s.ID, i)})
					if err != nil {
						t.Fatalf("%s %q: %v", s.ID, text, err)
					}
					if strings.Contains(r.Text, "결제가 완료") {
						paid++
					}
					if text == "네" && i > 0 && strings.HasPrefix(s.Turns[i-1], "결제") {
						want++
					}
				}
			}
			if want == 0 || paid != want {
				t.Errorf("%d payments completed, want %d (one per confirmed order)", paid, want)
			}
		})
	}
}
