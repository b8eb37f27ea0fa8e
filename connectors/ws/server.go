package ws

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/sodam-ai/sodam"
)

// Users is what the server needs of the user store: to look a user up and
// to create one from a hello's profile. User is ENOTFOUND for an unknown
// id.
type Users interface {
	User(ctx context.Context, id string) (*sodam.User, error)
	UpsertUser(ctx context.Context, u *sodam.User) error
}

// Config configures a Server. Zero limits take the defaults below.
type Config struct {
	Assistant sodam.Assistant
	Tokens    *Tokens
	Users     Users        // optional: without it hello's profile is ignored
	Logger    *slog.Logger // nil discards
	// AllowedOrigins lists origins ("https://sodam.example") a browser
	// may connect from besides the server's own host. Requests without
	// an Origin header (not from a browser) are allowed; they still need
	// a valid token to resume a user.
	AllowedOrigins []string
	// OnJoin, when set, is called once for every connection whose hello
	// was answered with welcome, with the connection's user. It runs on a
	// goroutine of its own, so that it may block without holding up the
	// connection or any other; events it pushes (Server.Push) reach the
	// new connection after its welcome. Its context ends after
	// TurnTimeout, or when the server stops. The merchant side delivers
	// here the notices that waited for the user.
	OnJoin func(ctx context.Context, userID string)
	// Stream, when set, gives each turn a context through which the
	// assistant can stream its reply as it is written (the LLM planner
	// does); every piece goes to the client as an assistant_delta frame
	// before the final assistant_message.
	Stream func(ctx context.Context, send func(delta string)) context.Context

	MaxFrameBytes int64         // read limit of one frame (8 KiB); over it the connection closes with 1009
	MaxTextRunes  int           // longest user text (1,000 characters); longer is a too_long error
	RateBurst     int           // frames a client may send at once (10)
	RateEvery     time.Duration // one more frame allowed every RateEvery (500 ms)
	AbuseBurst    int           // frames dropped for the rate before the connection closes with 1008 (20, regained one a second)
	SendQueue     int           // frames waiting to be written before a slow client is closed with 1013 (64)
	Inbox         int           // user messages waiting for a reply before busy errors (8)
	HelloTimeout  time.Duration // time to say hello after connecting (10 s)
	PingInterval  time.Duration // keepalive pings (30 s)
	PongWait      time.Duration // time without any frame or pong before the connection is dropped (75 s)
	WriteTimeout  time.Duration // time to write one frame (10 s)
	TurnTimeout   time.Duration // time for the assistant to answer (30 s)
}

func (c *Config) defaults() {
	set := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	setD := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	if c.MaxFrameBytes <= 0 {
		c.MaxFrameBytes = 8 << 10
	}
	set(&c.MaxTextRunes, 1000)
	set(&c.RateBurst, 10)
	set(&c.AbuseBurst, 20)
	set(&c.SendQueue, 64)
	set(&c.Inbox, 8)
	setD(&c.RateEvery, 500*time.Millisecond)
	setD(&c.HelloTimeout, 10*time.Second)
	setD(&c.PingInterval, 30*time.Second)
	setD(&c.PongWait, 75*time.Second)
	setD(&c.WriteTimeout, 10*time.Second)
	setD(&c.TurnTimeout, 30*time.Second)
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
}

// Server is the websocket chat endpoint. Mount it at /ws.
type Server struct {
	cfg      Config
	upgrader websocket.Upgrader
	hub      *hub
	// base is the context of turns; Shutdown cancels it only when
	// draining runs out of time.
	base   context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	conns   map[*conn]struct{}
	closing bool
	wg      sync.WaitGroup
}

// NewServer returns a server answering with cfg.Assistant. It panics
// without an assistant or tokens, a programming error.
func NewServer(cfg Config) *Server {
	if cfg.Assistant == nil || cfg.Tokens == nil {
		panic("ws.NewServer: Assistant and Tokens are required")
	}
	cfg.defaults()
	s := &Server{cfg: cfg, hub: newHub(), conns: make(map[*conn]struct{})}
	s.base, s.cancel = context.WithCancel(context.Background())
	s.upgrader = websocket.Upgrader{
		HandshakeTimeout: 10 * time.Second,
		ReadBufferSize:   1024,
		WriteBufferSize:  1024,
		WriteBufferPool:  &sync.Pool{},
		CheckOrigin:      s.checkOrigin,
	}
	return s
}

// checkOrigin allows requests without an Origin, from the server's own
// host, and from the configured origins.
func (s *Server) checkOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, o := range s.cfg.AllowedOrigins {
		if strings.EqualFold(strings.TrimRight(o, "/"), origin) {
			return true
		}
	}
	return false
}

// ServeHTTP upgrades the request and returns; the connection lives on in
// its reader goroutine.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	closing := s.closing
	s.mu.Unlock()
	if closing {
		http.Error(w, "서버를 다시 시작하고 있어요. 잠시 뒤에 연결해 주세요.", http.StatusServiceUnavailable)
		return
	}
	wsc, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		// The upgrader has answered with an HTTP error.
		return
	}
	c := &conn{s: s, ws: wsc}
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		wsc.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "shutting down"), time.Now().Add(time.Second))
		wsc.Close()
		return
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	wsc.SetReadLimit(s.cfg.MaxFrameBytes)
	wsc.SetReadDeadline(time.Now().Add(s.cfg.HelloTimeout))
	go c.readLoop()
}

// Push sends ev to every open connection of the user and returns how many
// it was queued on. It sets ev.Type, and ev.At when zero. An event whose
// Seq was already sent to the user's connections is not sent again: Push
// then returns the number of connections, as if it had been, so that the
// notice is acknowledged.
func (s *Server) Push(userID string, ev Event) int {
	ev.Type = TypeEvent
	if ev.At.IsZero() {
		ev.At = time.Now().In(sodam.Seoul)
	}
	data, err := json.Marshal(ev)
	if err != nil {
		s.cfg.Logger.Error("ws: encode event", "err", err)
		return 0
	}
	conns, repeat := s.hub.targets(userID, ev.Seq)
	if repeat {
		// Sent before: count it as delivered, so that it is
		// acknowledged, and send it no second time.
		return len(conns)
	}
	n := 0
	for _, c := range conns {
		if c.enqueue(data) {
			n++
		}
	}
	return n
}

// Online reports whether the user has a connection to this server.
func (s *Server) Online(userID string) bool { return s.hub.online(userID) }

// Connections returns the number of open connections.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Shutdown stops taking connections and drains the open ones: each
// finishes the turns it has taken, writes what is queued, and closes with
// 1001 (going away); clients reconnect and resume. When ctx ends first,
// turns in flight are cancelled and the remaining connections closed at
// once, and Shutdown returns ctx's error.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.drain()
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		s.cancel()
		return nil
	case <-ctx.Done():
	}
	s.cancel()
	s.mu.Lock()
	for c := range s.conns {
		c.ws.Close()
	}
	s.mu.Unlock()
	<-done
	return ctx.Err()
}

// joined runs cfg.OnJoin for a user whose connection has just been
// welcomed. Shutdown waits for it as for the connection.
func (s *Server) joined(userID string) {
	if s.cfg.OnJoin == nil {
		return
	}
	// The connection is counted in wg until its teardown, which cannot
	// run before hello returns, so the count is above zero here.
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		ctx, cancel := context.WithTimeout(s.base, s.cfg.TurnTimeout)
		defer cancel()
		s.cfg.OnJoin(ctx, userID)
	}()
}

func (s *Server) forget(c *conn) {
	s.mu.Lock()
	if _, ok := s.conns[c]; ok {
		delete(s.conns, c)
		s.wg.Done()
	}
	s.mu.Unlock()
}
