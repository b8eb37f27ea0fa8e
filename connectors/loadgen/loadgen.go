// Package loadgen drives the websocket chat with simulated users, to
// measure how the service holds under load: each user holds one real
// connection (the protocol of docs/protocol.md, through connectors/ws's
// frame types), says hello with a profile, and plays dialogue scenarios
// turn by turn at a steady pace. It records every turn's latency, from
// sending the user_message to receiving its assistant_message, every
// error, and, once a second, the server's memory and goroutines, and
// reports them as a table, as JSON and as a self-contained HTML chart.
//
// Users keep their connection for the whole run (a new scenario goes on
// in the same conversation) unless Config.Reconnect is set, which closes
// and resumes the session after every scenario, as a reconnect storm does.
// With no turns to play (Config.Idle) users only connect and hold, to
// measure what an idle connection costs the server.
//
// Several servers behind one store (Config.URLs) share the users round
// robin; a user whose server cannot be reached goes on with the next one,
// resuming the session with its token, as a client behind a load
// balancer would. The result then also has the figures of each server.
package loadgen

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/sodam-ai/sodam/connectors/ws"
)

// Scenario is a dialogue a simulated user plays: a profile and the lines
// of the user. It reads the dialogue scenario files of the evaluations
// (contracts section 4); their "expect" is not used.
type Scenario struct {
	ID      string    `json:"id"`
	RefTime time.Time `json:"ref_time"`
	User    struct {
		Address string  `json:"address"`
		Lat     float64 `json:"lat"`
		Lng     float64 `json:"lng"`
	} `json:"user"`
	Turns []string `json:"turns"`
}

// ReadScenarios reads one scenario a line; blank lines are skipped. A
// scenario without turns is an error naming its line.
func ReadScenarios(r io.Reader) ([]Scenario, error) {
	var out []Scenario
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(trimSpace(line)) == 0 {
			continue
		}
		var s Scenario
		if err := json.Unmarshal(line, &s); err != nil {
			return nil, fmt.Errorf("scenarios line %d: %w", n, err)
		}
		if len(s.Turns) == 0 {
			return nil, fmt.Errorf("scenarios line %d: no turns", n)
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read scenarios: %w", err)
	}
	if len(out) == 0 {
		return nil, errors.New("read scenarios: none found")
	}
	return out, nil
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r') {
		b = b[1:]
	}
	return b
}

// Config is one run.
type Config struct {
	// URL is the websocket endpoint, ws://host:port/ws.
	URL string
	// URLs, when set instead, are the endpoints of several servers: user
	// k connects to URLs[k mod len(URLs)] and, when that one cannot be
	// reached, to the next in the list.
	URLs []string
	// Users is the number of simulated users, each on its own connection.
	Users int
	// Duration bounds the run; Turns, when positive, ends it once that
	// many turns were answered. At least one must be set.
	Duration time.Duration
	Turns    int
	// Scenarios are played by the users, user k starting at scenario k
	// modulo their number and going on with the next.
	Scenarios []Scenario
	// Interval is the time between the starts of one user's turns (500 ms
	// when 0, the server's sustained rate limit per connection). Users
	// start at random offsets within one interval so that load is even.
	Interval time.Duration
	// Ramp spreads the connections' opening over this time (none when 0).
	Ramp time.Duration
	// Idle makes users connect and hold without sending turns.
	Idle bool
	// Reconnect closes each user's connection after every scenario and
	// resumes the session with its token on a new one.
	Reconnect bool
	// TurnTimeout is how long a user waits for a reply (35 s when 0).
	TurnTimeout time.Duration
	// Sample, when set, is called once a second for the server's state.
	Sample func() ServerSample
	// Dialer opens the connections; a dialer with small buffers when nil.
	Dialer *websocket.Dialer
}

// ServerSample is the server's state at one moment. Unknown values are
// -1.
type ServerSample struct {
	RSSBytes   int64 `json:"rss_bytes"`
	Goroutines int   `json:"goroutines"`
}

// turnRecord is one answered or failed turn.
type turnRecord struct {
	at      time.Duration // since the start of the run, when it was sent
	latency time.Duration
	code    string // "" for an assistant_message, else the error code
	text    string // what the user said
	server  int    // index in Config.URLs of the server that had the turn
}

// Run runs the load and returns what it measured. It ends when the
// duration passes, the turns are done, or ctx ends: no turn is sent
// after that, the turns in flight are waited for (up to TurnTimeout), and
// every connection is closed, so that the server has no turn left
// running when Run returns. It fails only on a bad Config or when no user could connect.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	switch {
	case cfg.URL == "" && len(cfg.URLs) == 0:
		return nil, errors.New("loadgen: a URL is required")
	case slices.Contains(cfg.URLs, ""):
		return nil, errors.New("loadgen: an empty URL in the list")
	case cfg.Users <= 0:
		return nil, errors.New("loadgen: users must be positive")
	case cfg.Duration <= 0 && (cfg.Turns <= 0 || cfg.Idle):
		return nil, errors.New("loadgen: a duration (or, with turns to play, a number of turns) is required")
	case !cfg.Idle && len(cfg.Scenarios) == 0:
		return nil, errors.New("loadgen: scenarios are required")
	}
	if len(cfg.URLs) == 0 {
		cfg.URLs = []string{cfg.URL}
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 500 * time.Millisecond
	}
	if cfg.TurnTimeout <= 0 {
		cfg.TurnTimeout = 35 * time.Second
	}
	if cfg.Dialer == nil {
		cfg.Dialer = &websocket.Dialer{HandshakeTimeout: 30 * time.Second, ReadBufferSize: 1024, WriteBufferSize: 1024}
	}
	if cfg.Sample == nil {
		cfg.Sample = func() ServerSample { return ServerSample{RSSBytes: -1, Goroutines: -1} }
	}

	r := &runner{cfg: cfg, start: time.Now(), userIDs: map[string]bool{}, servers: make([]serverCounts, len(cfg.URLs))}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if cfg.Duration > 0 {
		var stop context.CancelFunc
		ctx, stop = context.WithTimeout(ctx, cfg.Duration)
		defer stop()
	}
	r.cancel = cancel

	before := cfg.Sample()
	samples := make(chan []Sample, 1)
	go func() { samples <- r.sample(ctx) }()

	var wg sync.WaitGroup
	for k := range cfg.Users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.user(ctx, k)
		}()
	}
	wg.Wait()
	cancel()
	elapsed := time.Since(r.start)
	res := r.result(elapsed, before, <-samples)
	if res.Connected == 0 {
		return res, fmt.Errorf("loadgen: no user could connect: %s", r.firstErr())
	}
	return res, nil
}

// runner is the state shared by the users of one run.
type runner struct {
	cfg    Config
	start  time.Time
	cancel context.CancelFunc

	answered  atomic.Int64 // turns answered, for Config.Turns
	connected atomic.Int64 // connections open now
	peakConns atomic.Int64

	mu        sync.Mutex
	turns     []turnRecord
	connects  int
	connFails int
	drops     int // connections the server closed or lost mid-run
	errs      []string
	userIDs   map[string]bool
	servers   []serverCounts // by index in cfg.URLs
}

// serverCounts are the connections of one server.
type serverCounts struct {
	connects, connFails, drops int
}

func (r *runner) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.errs) < 10 {
		r.errs = append(r.errs, err.Error())
	}
}

func (r *runner) firstErr() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.errs) == 0 {
		return "no error recorded"
	}
	return r.errs[0]
}

// session is one user's connection.
type session struct {
	c      *websocket.Conn
	token  string
	server int // index in cfg.URLs of the server tried first, and of c's
}

// user plays scenarios for user k until the run ends.
func (r *runner) user(ctx context.Context, k int) {
	if r.cfg.Ramp > 0 {
		if !sleep(ctx, time.Duration(int64(r.cfg.Ramp)*int64(k)/int64(r.cfg.Users))) {
			return
		}
	}
	s := &session{server: k % len(r.cfg.URLs)}
	defer r.hangUp(s)
	if !r.connect(ctx, k, s) {
		return
	}
	if r.cfg.Idle {
		<-ctx.Done()
		return
	}
	rng := rand.New(rand.NewPCG(uint64(k), uint64(r.start.UnixNano())))
	next := time.Now().Add(time.Duration(rng.Int64N(int64(r.cfg.Interval))))
	seq := 0
	for n := k; ; n++ {
		sc := r.cfg.Scenarios[n%len(r.cfg.Scenarios)]
		for _, text := range sc.Turns {
			if !sleep(ctx, time.Until(next)) {
				return
			}
			next = next.Add(r.cfg.Interval)
			if now := time.Now(); next.Before(now) {
				next = now // behind: do not burst to catch up
			}
			seq++
			if !r.turn(ctx, s, fmt.Sprintf("u%d-%d", k, seq), text) {
				// The connection is gone: open another, resuming.
				r.hangUp(s)
				if ctx.Err() != nil || !r.connect(ctx, k, s) {
					return
				}
			}
		}
		if r.cfg.Reconnect {
			r.hangUp(s)
			if !r.connect(ctx, k, s) {
				return
			}
		}
	}
}

// connect opens a connection and says hello, resuming s's session when it
// has a token, else as a new user with scenario k's profile. It tries s's
// server first, then each of the others once.
func (r *runner) connect(ctx context.Context, k int, s *session) bool {
	n := len(r.cfg.URLs)
	for i := range n {
		if ctx.Err() != nil {
			return false
		}
		srv := (s.server + i) % n
		if r.connectTo(ctx, k, s, srv) {
			s.server = srv
			return true
		}
	}
	return false
}

// connectTo opens a connection to server srv and says hello.
func (r *runner) connectTo(ctx context.Context, k int, s *session, srv int) bool {
	c, resp, err := r.cfg.Dialer.DialContext(ctx, r.cfg.URLs[srv], http.Header{})
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		if ctx.Err() == nil {
			r.mu.Lock()
			r.connFails++
			r.servers[srv].connFails++
			r.mu.Unlock()
			r.fail(fmt.Errorf("dial %s: %w", r.cfg.URLs[srv], err))
		}
		return false
	}
	hello := ws.Hello{Type: ws.TypeHello, Token: s.token}
	if s.token == "" && len(r.cfg.Scenarios) > 0 {
		u := r.cfg.Scenarios[k%len(r.cfg.Scenarios)].User
		hello.Profile = &ws.Profile{Address: u.Address, Lat: u.Lat, Lng: u.Lng}
	}
	c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	c.SetReadDeadline(time.Now().Add(30 * time.Second))
	var w ws.Welcome
	if err = c.WriteJSON(hello); err == nil {
		err = c.ReadJSON(&w)
	}
	if err == nil && w.Type != ws.TypeWelcome {
		err = fmt.Errorf("hello answered with %q", w.Type)
	}
	if err != nil {
		c.Close()
		r.mu.Lock()
		r.connFails++
		r.servers[srv].connFails++
		r.mu.Unlock()
		r.fail(fmt.Errorf("hello %s: %w", r.cfg.URLs[srv], err))
		return false
	}
	c.SetReadDeadline(time.Time{})
	s.c, s.token = c, w.Token
	r.mu.Lock()
	r.connects++
	r.servers[srv].connects++
	r.userIDs[w.UserID] = true
	r.mu.Unlock()
	n := r.connected.Add(1)
	for {
		p := r.peakConns.Load()
		if n <= p || r.peakConns.CompareAndSwap(p, n) {
			break
		}
	}
	return true
}

// hangUp closes s's connection, if open.
func (r *runner) hangUp(s *session) {
	if s.c == nil {
		return
	}
	s.c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	s.c.Close()
	s.c = nil
	r.connected.Add(-1)
}

// frameHead is the part of a server frame the load generator reads.
type frameHead struct {
	Type    string `json:"type"`
	ReplyTo string `json:"reply_to"`
	Code    string `json:"code"`
}

// turn sends one user message and waits for its answer, recording it. It
// reports false when the connection failed.
func (r *runner) turn(ctx context.Context, s *session, id, text string) bool {
	sent := time.Now()
	at := sent.Sub(r.start)
	s.c.SetWriteDeadline(sent.Add(10 * time.Second))
	if err := s.c.WriteJSON(ws.UserMessage{Type: ws.TypeUserMessage, ClientMsgID: id, Text: text}); err != nil {
		r.lost(ctx, s.server, at, sent, err)
		return false
	}
	s.c.SetReadDeadline(sent.Add(r.cfg.TurnTimeout))
	for {
		_, data, err := s.c.ReadMessage()
		if err != nil {
			r.lost(ctx, s.server, at, sent, err)
			return false
		}
		var h frameHead
		if err := json.Unmarshal(data, &h); err != nil {
			r.record(turnRecord{at: at, latency: time.Since(sent), code: "bad_frame", server: s.server})
			continue
		}
		switch {
		case h.Type == ws.TypeAssistantMessage && h.ReplyTo == id:
			r.record(turnRecord{at: at, latency: time.Since(sent), text: text, server: s.server})
			return true
		case h.Type == ws.TypeError && (h.ReplyTo == id || h.ReplyTo == ""):
			// An error without reply_to (rate limited, busy) drops the
			// frame: the turn is over.
			r.record(turnRecord{at: at, latency: time.Since(sent), code: h.Code, server: s.server})
			return true
		}
	}
}

// lost records a turn whose connection failed, unless the run is over.
func (r *runner) lost(ctx context.Context, srv int, at time.Duration, sent time.Time, err error) {
	if ctx.Err() != nil {
		return
	}
	code := "connection_lost"
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		code = fmt.Sprintf("closed_%d", ce.Code)
	}
	r.record(turnRecord{at: at, latency: time.Since(sent), code: code, server: srv})
	r.mu.Lock()
	r.drops++
	r.servers[srv].drops++
	r.mu.Unlock()
	r.fail(err)
}

func (r *runner) record(t turnRecord) {
	r.mu.Lock()
	r.turns = append(r.turns, t)
	r.mu.Unlock()
	if t.code == "" && r.cfg.Turns > 0 && r.answered.Add(1) >= int64(r.cfg.Turns) {
		r.cancel()
	}
}

// sample samples the server once a second until ctx ends.
func (r *runner) sample(ctx context.Context) []Sample {
	var out []Sample
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return out
		case <-tick.C:
			s := r.cfg.Sample()
			out = append(out, Sample{At: time.Since(r.start).Seconds(), RSSBytes: s.RSSBytes, Goroutines: s.Goroutines,
				Connections: int(r.connected.Load())})
		}
	}
}

// sleep waits d or until ctx ends, and reports whether ctx is still live.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// percentile returns the p-th percentile (0 < p <= 1) of sorted.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	k := int(float64(len(sorted))*p+0.999999) - 1
	return sorted[min(max(k, 0), len(sorted)-1)]
}
