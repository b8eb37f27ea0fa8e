package ws

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/sodam-ai/sodam"
)

// fakeAssistant answers "echo: TEXT" and records the turns it got. When
// block is set, Respond waits for it to close.
type fakeAssistant struct {
	mu      sync.Mutex
	turns   []sodam.Turn
	block   chan struct{}
	entered chan struct{}
}

var _ sodam.Assistant = (*fakeAssistant)(nil)

func (f *fakeAssistant) Respond(ctx context.Context, t sodam.Turn) (*sodam.Response, error) {
	f.mu.Lock()
	f.turns = append(f.turns, t)
	block, entered := f.block, f.entered
	f.mu.Unlock()
	if entered != nil {
		entered <- struct{}{}
	}
	if block != nil {
		<-block
	}
	if t.Text == "fail" {
		return nil, sodam.Errorf(sodam.ECONFLICT, "지금은 할 수 없어요.")
	}
	if send, ok := ctx.Value(testStreamKey{}).(func(string)); ok {
		send("echo: ")
		send(t.Text)
	}
	return &sodam.Response{Text: "echo: " + t.Text, QuickReplies: []sodam.QuickReply{{Label: "네", MessageText: "네"}}}, nil
}

func (f *fakeAssistant) calls() []sodam.Turn {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sodam.Turn(nil), f.turns...)
}

// testStreamKey carries the Stream hook's send function to fakeAssistant.
type testStreamKey struct{}

// fakeUsers is an in-memory Users.
type fakeUsers struct {
	mu    sync.Mutex
	users map[string]*sodam.User
}

func (f *fakeUsers) User(ctx context.Context, id string) (*sodam.User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if u, ok := f.users[id]; ok {
		c := *u
		return &c, nil
	}
	return nil, sodam.Errorf(sodam.ENOTFOUND, "없는 사용자예요.")
}

func (f *fakeUsers) UpsertUser(ctx context.Context, u *sodam.User) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := *u
	f.users[u.ID] = &c
	return nil
}

type testServer struct {
	*Server
	ts     *httptest.Server
	url    string
	asst   *fakeAssistant
	users  *fakeUsers
	tokens *Tokens
}

func newTestServer(t *testing.T, cfg Config) *testServer {
	t.Helper()
	asst := &fakeAssistant{}
	users := &fakeUsers{users: map[string]*sodam.User{}}
	if cfg.Tokens == nil {
		cfg.Tokens = NewTokens([]byte("test-secret"), 0, nil)
	}
	cfg.Assistant, cfg.Users = asst, users
	s := NewServer(cfg)
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(ctx)
		ts.Close()
	})
	return &testServer{Server: s, ts: ts, url: "ws" + strings.TrimPrefix(ts.URL, "http"), asst: asst, users: users, tokens: cfg.Tokens}
}

// client is a test websocket client.
type client struct {
	t  *testing.T
	ws *websocket.Conn
}

func (s *testServer) dial(t *testing.T, header http.Header) *client {
	t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial(s.url, header)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial: %v (status %d)", err, status)
	}
	t.Cleanup(func() { ws.Close() })
	return &client{t: t, ws: ws}
}

func (c *client) send(v any) {
	c.t.Helper()
	if err := c.ws.WriteJSON(v); err != nil {
		c.t.Fatalf("send: %v", err)
	}
}

// frame is any server frame.
type frame struct {
	Type     string          `json:"type"`
	UserID   string          `json:"user_id"`
	Token    string          `json:"token"`
	Resumed  bool            `json:"resumed"`
	ReplyTo  string          `json:"reply_to"`
	Response *sodam.Response `json:"response"`
	Replayed bool            `json:"replayed"`
	On       bool            `json:"on"`
	Event    string          `json:"event"`
	OrderID  string          `json:"order_id"`
	Seq      int64           `json:"seq"`
	Code     string          `json:"code"`
	Message  string          `json:"message"`
}

// read returns the next frame that is not a typing indicator, or the
// close error.
func (c *client) read() (frame, error) {
	c.t.Helper()
	c.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		var f frame
		if err := c.ws.ReadJSON(&f); err != nil {
			return f, err
		}
		if f.Type != TypeTyping {
			return f, nil
		}
	}
}

func (c *client) must() frame {
	c.t.Helper()
	f, err := c.read()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return f
}

func (c *client) hello(token string) frame {
	c.t.Helper()
	c.send(Hello{Type: TypeHello, Token: token})
	f := c.must()
	if f.Type != TypeWelcome {
		c.t.Fatalf("hello got %+v, want welcome", f)
	}
	return f
}

// closeCode reads until the connection closes and returns its close code.
func (c *client) closeCode() int {
	c.t.Helper()
	for {
		_, err := c.read()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code
		}
		c.t.Fatalf("read ended with %v, want a close frame", err)
	}
}

func TestHelloAndResume(t *testing.T) {
	s := newTestServer(t, Config{})
	first := s.dial(t, nil).hello("")
	if !strings.HasPrefix(first.UserID, "web-") || first.Token == "" || first.Resumed {
		t.Fatalf("welcome = %+v, want a new web user with a token", first)
	}
	again := s.dial(t, nil).hello(first.Token)
	if again.UserID != first.UserID || !again.Resumed || again.Token == "" {
		t.Fatalf("resume = %+v, want user %s resumed", again, first.UserID)
	}
}

func TestRejectedTokens(t *testing.T) {
	s := newTestServer(t, Config{})
	victim := s.dial(t, nil).hello("")
	forged, _ := NewTokens([]byte("guessed-secret"), 0, nil).Issue(victim.UserID)
	expired, _ := NewTokens([]byte("test-secret"), 0, &fixedClock{t: time.Now().Add(-60 * 24 * time.Hour)}).Issue(victim.UserID)
	parts := strings.Split(victim.Token, ".")
	tests := []struct{ name, token string }{
		{"signed with another secret", forged},
		{"expired", expired},
		{"tampered", parts[0] + ".d2ViLWF0dGFja2Vy." + parts[2] + "." + parts[3]},
		{"garbage", "hello"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := s.dial(t, nil)
			c.send(Hello{Type: TypeHello, Token: tc.token})
			f := c.must()
			if f.Type != TypeError || f.Code != sodam.EUNAUTHORIZED {
				t.Fatalf("got %+v, want an unauthorized error", f)
			}
			if code := c.closeCode(); code != ClosePolicy {
				t.Errorf("close code %d, want %d", code, ClosePolicy)
			}
		})
	}
	for _, turn := range s.asst.calls() {
		if turn.UserID == victim.UserID {
			t.Errorf("the assistant acted for the victim: %+v", turn)
		}
	}
}

func TestTurnsAndResend(t *testing.T) {
	s := newTestServer(t, Config{})
	c := s.dial(t, nil)
	w := c.hello("")
	c.send(UserMessage{Type: TypeUserMessage, ClientMsgID: "m-1", Text: "교촌 허니콤보 두 마리 시켜줘"})
	f := c.must()
	if f.Type != TypeAssistantMessage || f.ReplyTo != "m-1" || f.Response == nil || f.Response.Text != "echo: 교촌 허니콤보 두 마리 시켜줘" {
		t.Fatalf("got %+v, want the reply to m-1", f)
	}
	if len(f.Response.QuickReplies) != 1 {
		t.Errorf("quick replies lost: %+v", f.Response)
	}

	// The same id again, on a new connection of the same user, gets the
	// same reply without a second turn.
	c2 := s.dial(t, nil)
	c2.hello(w.Token)
	c2.send(UserMessage{Type: TypeUserMessage, ClientMsgID: "m-1", Text: "교촌 허니콤보 두 마리 시켜줘"})
	f2 := c2.must()
	if f2.Type != TypeAssistantMessage || f2.Response.Text != f.Response.Text || !f2.Replayed {
		t.Fatalf("resend got %+v, want the same reply replayed", f2)
	}
	calls := s.asst.calls()
	if len(calls) != 1 {
		t.Fatalf("assistant called %d times, want 1: %+v", len(calls), calls)
	}
	if want := (sodam.Turn{UserID: w.UserID, Text: "교촌 허니콤보 두 마리 시켜줘", MessageID: "m-1", Channel: "ws"}); calls[0] != want {
		t.Errorf("turn = %+v, want %+v", calls[0], want)
	}

	c.send(UserMessage{Type: TypeUserMessage, ClientMsgID: "m-2", Text: "fail"})
	if f := c.must(); f.Type != TypeError || f.Code != sodam.ECONFLICT || f.ReplyTo != "m-2" || f.Message != "지금은 할 수 없어요." {
		t.Errorf("failed turn got %+v, want a conflict error for m-2", f)
	}
}

func TestTypingIndicator(t *testing.T) {
	s := newTestServer(t, Config{})
	c := s.dial(t, nil)
	c.hello("")
	c.send(UserMessage{Type: TypeUserMessage, ClientMsgID: "m-1", Text: "안녕"})
	var types []string
	for len(types) < 3 {
		var f frame
		c.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		if err := c.ws.ReadJSON(&f); err != nil {
			t.Fatal(err)
		}
		if f.Type == TypeTyping {
			types = append(types, map[bool]string{true: "typing on", false: "typing off"}[f.On])
		} else {
			types = append(types, f.Type)
		}
	}
	if want := "typing on,typing off,assistant_message"; strings.Join(types, ",") != want {
		t.Errorf("frames %v, want %s", types, want)
	}
}

func TestBadFrames(t *testing.T) {
	s := newTestServer(t, Config{MaxTextRunes: 10})
	tests := []struct {
		name     string
		hello    bool
		raw      string
		wantCode string
	}{
		{"not json", true, `{"type":`, CodeBadFrame},
		{"no type", true, `{"text":"hi"}`, CodeBadFrame},
		{"unknown type", true, `{"type":"dance"}`, CodeUnknownType},
		{"message before hello", false, `{"type":"user_message","client_msg_id":"m-1","text":"hi"}`, CodeHelloRequired},
		{"no client_msg_id", true, `{"type":"user_message","text":"hi"}`, CodeBadFrame},
		{"empty text", true, `{"type":"user_message","client_msg_id":"m-1","text":"  "}`, sodam.EINVALID},
		{"text too long", true, `{"type":"user_message","client_msg_id":"m-1","text":"가나다라마바사아자차카"}`, CodeTooLong},
		{"second hello", true, `{"type":"hello"}`, CodeBadFrame},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := s.dial(t, nil)
			if tc.hello {
				c.hello("")
			}
			if err := c.ws.WriteMessage(websocket.TextMessage, []byte(tc.raw)); err != nil {
				t.Fatal(err)
			}
			f := c.must()
			if f.Type != TypeError || f.Code != tc.wantCode || f.Message == "" {
				t.Fatalf("got %+v, want error %s", f, tc.wantCode)
			}
			// The connection stays usable.
			if !tc.hello {
				c.hello("")
			}
			c.send(UserMessage{Type: TypeUserMessage, ClientMsgID: "ok", Text: "안녕"})
			if f := c.must(); f.Type != TypeAssistantMessage {
				t.Errorf("after the bad frame got %+v, want a reply", f)
			}
		})
	}
}

func TestReadLimit(t *testing.T) {
	s := newTestServer(t, Config{MaxFrameBytes: 1024})
	c := s.dial(t, nil)
	c.hello("")
	// The server may close before it has read the whole frame.
	c.ws.WriteJSON(UserMessage{Type: TypeUserMessage, ClientMsgID: "big", Text: strings.Repeat("가", 2000)})
	if code := c.closeCode(); code != websocket.CloseMessageTooBig {
		t.Errorf("close code %d, want %d", code, websocket.CloseMessageTooBig)
	}
}

func TestRateLimit(t *testing.T) {
	s := newTestServer(t, Config{RateBurst: 3, RateEvery: time.Hour, AbuseBurst: 5})
	c := s.dial(t, nil)
	c.hello("") // the first of the 3
	var replies, limited int
	for _, id := range []string{"m-1", "m-2"} {
		c.send(UserMessage{Type: TypeUserMessage, ClientMsgID: id, Text: "안녕"})
		if f := c.must(); f.Type == TypeAssistantMessage {
			replies++
		}
	}
	// The bucket is empty: 5 frames are dropped with an error each, and the
	// next one closes the connection.
	for range 5 + 1 {
		c.send(UserMessage{Type: TypeUserMessage, ClientMsgID: "m-3", Text: "안녕"})
	}
	for {
		f, err := c.read()
		if err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != ClosePolicy {
				t.Fatalf("ended with %v, want close %d", err, ClosePolicy)
			}
			break
		}
		switch {
		case f.Type == TypeAssistantMessage:
			replies++
		case f.Type == TypeError && f.Code == CodeRateLimited:
			limited++
		default:
			t.Errorf("unexpected %+v", f)
		}
	}
	if replies != 2 || limited != 5 {
		t.Errorf("got %d replies and %d rate errors, want 2 and 5", replies, limited)
	}
}

func TestOriginCheck(t *testing.T) {
	s := newTestServer(t, Config{AllowedOrigins: []string{"https://chat.sodam.example"}})
	host := strings.TrimPrefix(s.ts.URL, "http://")
	tests := []struct {
		name   string
		origin string
		ok     bool
	}{
		{"no origin", "", true},
		{"same host", "http://" + host, true},
		{"allowed", "https://chat.sodam.example", true},
		{"foreign", "https://evil.example", false},
		{"look-alike", "http://" + host + ".evil.example", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			if tc.origin != "" {
				h.Set("Origin", tc.origin)
			}
			ws, resp, err := websocket.DefaultDialer.Dial(s.url, h)
			if ws != nil {
				ws.Close()
			}
			if tc.ok != (err == nil) {
				t.Fatalf("dial err = %v, want ok=%v", err, tc.ok)
			}
			if !tc.ok && resp.StatusCode != http.StatusForbidden {
				t.Errorf("status %d, want 403", resp.StatusCode)
			}
		})
	}
}

func TestPush(t *testing.T) {
	s := newTestServer(t, Config{})
	a1 := s.dial(t, nil)
	wa := a1.hello("")
	a2 := s.dial(t, nil)
	a2.hello(wa.Token)
	b := s.dial(t, nil)
	b.hello("")

	if n := s.Push(wa.UserID, Event{Event: EventOrderStatus, OrderID: "o-1", Status: "paid"}); n != 2 {
		t.Fatalf("pushed to %d connections, want 2", n)
	}
	for i, c := range []*client{a1, a2} {
		f := c.must()
		if f.Type != TypeEvent || f.Event != EventOrderStatus || f.OrderID != "o-1" {
			t.Errorf("tab %d got %+v, want the order event", i+1, f)
		}
	}
	// b gets nothing: its next frame is the reply to its own message.
	b.send(UserMessage{Type: TypeUserMessage, ClientMsgID: "m-1", Text: "안녕"})
	if f := b.must(); f.Type != TypeAssistantMessage {
		t.Errorf("other user got %+v", f)
	}
	if n := s.Push("web-nobody", Event{Event: EventOrderStatus}); n != 0 {
		t.Errorf("pushed to %d connections of an absent user", n)
	}
}

func TestProfile(t *testing.T) {
	s := newTestServer(t, Config{})
	s.users.UpsertUser(context.Background(), &sodam.User{ID: "known", Address: "원래 주소"})
	known, _ := s.tokens.Issue("known")
	tests := []struct {
		name    string
		token   string
		profile Profile
		want    string // the address stored afterwards
	}{
		{"new user", "", Profile{Address: "서울 종로구 대학로 12", Lat: 37.58, Lng: 127.0}, "서울 종로구 대학로 12"},
		{"known user keeps theirs", known, Profile{Address: "다른 주소"}, "원래 주소"},
		{"invalid point ignored", "", Profile{Address: "어딘가", Lat: 500}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := s.dial(t, nil)
			p := tc.profile
			c.send(Hello{Type: TypeHello, Token: tc.token, Profile: &p})
			w := c.must()
			u, err := s.users.User(context.Background(), w.UserID)
			got := ""
			if err == nil {
				got = u.Address
			}
			if got != tc.want {
				t.Errorf("address %q, want %q", got, tc.want)
			}
		})
	}
}

func TestShutdownDrains(t *testing.T) {
	s := newTestServer(t, Config{})
	s.asst.block, s.asst.entered = make(chan struct{}), make(chan struct{}, 1)
	busy := s.dial(t, nil)
	busy.hello("")
	idle := s.dial(t, nil)
	idle.hello("")
	busy.send(UserMessage{Type: TypeUserMessage, ClientMsgID: "m-1", Text: "안녕"})
	<-s.asst.entered

	done := make(chan error, 1)
	go func() { done <- s.Shutdown(context.Background()) }()
	if code := idle.closeCode(); code != websocket.CloseGoingAway {
		t.Errorf("idle connection closed with %d, want %d", code, websocket.CloseGoingAway)
	}
	select {
	case err := <-done:
		t.Fatalf("Shutdown returned %v with a turn in flight", err)
	default:
	}
	// Refused: a new message while draining, and new connections.
	busy.send(UserMessage{Type: TypeUserMessage, ClientMsgID: "m-2", Text: "또"})
	if f := busy.must(); f.Code != CodeShuttingDown {
		t.Errorf("message while draining got %+v, want %s", f, CodeShuttingDown)
	}
	if _, resp, err := websocket.DefaultDialer.Dial(s.url, nil); err == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("dial while draining: %v, want 503", err)
	}
	close(s.asst.block)
	if f := busy.must(); f.Type != TypeAssistantMessage || f.ReplyTo != "m-1" {
		t.Errorf("in-flight turn got %+v, want its reply", f)
	}
	if code := busy.closeCode(); code != websocket.CloseGoingAway {
		t.Errorf("busy connection closed with %d, want %d", code, websocket.CloseGoingAway)
	}
	if err := <-done; err != nil {
		t.Errorf("Shutdown = %v", err)
	}
	if n := s.Connections(); n != 0 {
		t.Errorf("%d connections left", n)
	}
}

func TestFrameJSON(t *testing.T) {
	// The wire names are the protocol: docs/protocol.md shows them.
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"welcome", Welcome{Type: TypeWelcome, UserID: "web-1", Token: "t", ExpiresAt: time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC), Resumed: true},
			`{"type":"welcome","user_id":"web-1","token":"t","expires_at":"2026-12-24T00:00:00Z","resumed":true}`},
		{"assistant message", AssistantMessage{Type: TypeAssistantMessage, ReplyTo: "m-1", Response: &sodam.Response{Text: "네"}},
			`{"type":"assistant_message","reply_to":"m-1","response":{"text":"네"}}`},
		{"typing", Typing{Type: TypeTyping, On: true}, `{"type":"typing","on":true}`},
		{"error", Error{Type: TypeError, Code: CodeTooLong, Message: "길어요", ReplyTo: "m-1"},
			`{"type":"error","code":"too_long","message":"길어요","reply_to":"m-1"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Errorf("got  %s\nwant %s", b, tc.want)
			}
		})
	}
}

// TestPushSendsANoticeSeqOnce: the same notice heard twice (an event
// redelivered, or flushed on connecting and then heard live) reaches each
// connection once, and still counts as delivered.
func TestPushSendsANoticeSeqOnce(t *testing.T) {
	s := newTestServer(t, Config{})
	c := s.dial(t, nil)
	w := c.hello("")
	if !s.Online(w.UserID) || s.Online("web-nobody") {
		t.Fatalf("Online(%s) = %v, Online(web-nobody) = %v", w.UserID, s.Online(w.UserID), s.Online("web-nobody"))
	}
	for i, seq := range []int64{7, 7, 8, 7} {
		if n := s.Push(w.UserID, Event{Event: EventOrderStatus, Seq: seq, OrderID: "o-1"}); n != 1 {
			t.Errorf("push %d (seq %d) counted %d connections, want 1", i, seq, n)
		}
	}
	for _, want := range []int64{7, 8} {
		if f := c.must(); f.Type != TypeEvent || f.Seq != want {
			t.Fatalf("got %+v, want the event numbered %d", f, want)
		}
	}
	c.send(UserMessage{Type: TypeUserMessage, ClientMsgID: "m-1", Text: "안녕"})
	if f := c.must(); f.Type != TypeAssistantMessage {
		t.Errorf("after the two notices got %+v, want the reply (a notice came twice)", f)
	}
}
