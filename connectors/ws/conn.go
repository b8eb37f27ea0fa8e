package ws

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"github.com/sodam-ai/sodam"
)

// closeGrace is how long the server waits for the client's close frame
// after sending its own.
const closeGrace = 2 * time.Second

// conn is one websocket connection. Its reader goroutine (readLoop) owns
// user, rate and abuse; mu guards the rest. No goroutine runs for it
// while it is idle: flush runs while frames are queued, work while user
// messages wait for replies, and keepalive pings come from a timer.
type conn struct {
	s  *Server
	ws *websocket.Conn

	user        string // set once by hello, before the connection joins the hub
	rate, abuse bucket
	ignoring    bool // the reader has asked to close and ignores frames

	mu       sync.Mutex
	out      [][]byte // frames waiting to be written, at most cfg.SendQueue
	closeMsg []byte   // a close frame to write after out
	writing  bool     // flush is running
	inbox    []UserMessage
	working  bool // work is running
	draining bool // the server is shutting down
	closed   bool // torn down
	ping     *time.Timer
}

// readLoop reads frames until the connection fails or closes, then tears
// it down.
func (c *conn) readLoop() {
	defer c.teardown()
	cfg := &c.s.cfg
	c.ws.SetPongHandler(func(string) error {
		return c.ws.SetReadDeadline(time.Now().Add(cfg.PongWait))
	})
	now := time.Now()
	c.rate.full(now, cfg.RateBurst)
	c.abuse.full(now, cfg.AbuseBurst)
	for {
		typ, data, err := c.ws.ReadMessage()
		if err != nil {
			var ne net.Error
			if c.user == "" && errors.As(err, &ne) && ne.Timeout() {
				c.ws.WriteControl(websocket.CloseMessage,
					websocket.FormatCloseMessage(ClosePolicy, "no hello"), time.Now().Add(time.Second))
			}
			if errors.Is(err, websocket.ErrReadLimit) {
				// gorilla has sent 1009. Read what the client is still
				// sending, so that closing does not reset the connection
				// before the client has read the close frame.
				nc := c.ws.NetConn()
				nc.SetReadDeadline(time.Now().Add(closeGrace))
				io.Copy(io.Discard, io.LimitReader(nc, 1<<20))
			}
			return
		}
		if c.ignoring {
			continue
		}
		now := time.Now()
		if c.user != "" {
			c.ws.SetReadDeadline(now.Add(cfg.PongWait))
		}
		if !c.rate.take(now, cfg.RateBurst, cfg.RateEvery) {
			if !c.abuse.take(now, cfg.AbuseBurst, time.Second) {
				c.s.cfg.Logger.Warn("ws: closing a flooding connection", "user", c.user)
				c.ignoring = true
				c.closeWith(ClosePolicy, "too many messages")
				continue
			}
			c.sendError(CodeRateLimited, "메시지를 너무 빨리 보내고 있어요. 잠시 뒤에 다시 보내 주세요.", "")
			continue
		}
		if typ != websocket.TextMessage {
			c.sendError(CodeBadFrame, "텍스트 메시지만 받을 수 있어요.", "")
			continue
		}
		// Decoding and answering a frame takes a deeper stack than
		// waiting for the next one: doing it on a goroutine of its own
		// keeps the reader's stack, held for the connection's life, at
		// its smallest.
		done := make(chan struct{})
		go func() { c.handle(data); close(done) }()
		<-done
	}
}

// handle dispatches one text frame.
func (c *conn) handle(data []byte) {
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(data, &head); err != nil || head.Type == "" {
		c.sendError(CodeBadFrame, "메시지 형식이 올바르지 않아요.", "")
		return
	}
	switch head.Type {
	case TypeHello:
		var h Hello
		if err := json.Unmarshal(data, &h); err != nil {
			c.sendError(CodeBadFrame, "메시지 형식이 올바르지 않아요.", "")
			return
		}
		if c.user != "" {
			c.sendError(CodeBadFrame, "이미 연결된 세션이에요.", "")
			return
		}
		c.hello(h)
	case TypeUserMessage:
		var m UserMessage
		if err := json.Unmarshal(data, &m); err != nil {
			c.sendError(CodeBadFrame, "메시지 형식이 올바르지 않아요.", "")
			return
		}
		if c.user == "" {
			c.sendError(CodeHelloRequired, "연결을 먼저 시작해 주세요.", m.ClientMsgID)
			return
		}
		m.ClientMsgID = strings.TrimSpace(m.ClientMsgID)
		m.Text = strings.TrimSpace(m.Text)
		switch {
		case m.ClientMsgID == "" || len(m.ClientMsgID) > 64:
			c.sendError(CodeBadFrame, "메시지 번호(client_msg_id)가 필요해요.", "")
		case m.Text == "":
			c.sendError(sodam.EINVALID, "메시지를 입력해 주세요.", m.ClientMsgID)
		case utf8.RuneCountInString(m.Text) > c.s.cfg.MaxTextRunes:
			c.sendError(CodeTooLong, "메시지가 너무 길어요. 조금 짧게 나눠서 보내 주세요.", m.ClientMsgID)
		default:
			c.submit(m)
		}
	default:
		c.sendError(CodeUnknownType, "알 수 없는 메시지 종류예요.", "")
	}
}

// hello opens the session: it checks the token or starts a new user,
// stores a new user's profile, joins the hub, answers welcome and then
// runs the server's OnJoin.
func (c *conn) hello(h Hello) {
	cfg := &c.s.cfg
	userID, resumed := "", false
	if h.Token != "" {
		id, err := cfg.Tokens.Verify(h.Token)
		if err != nil {
			cfg.Logger.Warn("ws: rejected a session token", "remote", c.ws.RemoteAddr().String())
			c.sendError(sodam.EUNAUTHORIZED, sodam.ErrorMessage(err), "")
			c.ignoring = true
			c.closeWith(ClosePolicy, "invalid session token")
			return
		}
		userID, resumed = id, true
	} else {
		userID = newUserID()
	}
	if h.Profile != nil && cfg.Users != nil {
		c.s.saveProfile(userID, h.Profile)
	}
	c.user = userID
	c.s.hub.add(userID, c)
	token, exp := cfg.Tokens.Issue(userID)
	c.send(Welcome{Type: TypeWelcome, UserID: userID, Token: token, ExpiresAt: exp, Resumed: resumed})
	c.ws.SetReadDeadline(time.Now().Add(cfg.PongWait))
	c.mu.Lock()
	if !c.closed {
		c.ping = time.AfterFunc(cfg.PingInterval, c.keepalive)
	}
	c.mu.Unlock()
	c.s.joined(userID)
}

// saveProfile stores a profile for a user the store does not know.
func (s *Server) saveProfile(userID string, p *Profile) {
	name, addr := strings.TrimSpace(p.Name), strings.TrimSpace(p.Address)
	if utf8.RuneCountInString(name) > 50 || utf8.RuneCountInString(addr) > 200 ||
		p.Lat < -90 || p.Lat > 90 || p.Lng < -180 || p.Lng > 180 {
		s.cfg.Logger.Warn("ws: ignored an invalid profile", "user", userID)
		return
	}
	ctx, cancel := context.WithTimeout(s.base, 5*time.Second)
	defer cancel()
	_, err := s.cfg.Users.User(ctx, userID)
	if !sodam.IsCode(err, sodam.ENOTFOUND) {
		return // known (or the store failed): leave it as it is
	}
	u := &sodam.User{ID: userID, Name: name, Address: addr, Lat: p.Lat, Lng: p.Lng}
	if err := s.cfg.Users.UpsertUser(ctx, u); err != nil {
		s.cfg.Logger.Error("ws: store a new user", "user", userID, "err", err)
	}
}

// keepalive pings the client and schedules the next ping.
func (c *conn) keepalive() {
	if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(c.s.cfg.WriteTimeout)); err != nil {
		c.ws.Close()
		return
	}
	c.mu.Lock()
	if !c.closed {
		c.ping.Reset(c.s.cfg.PingInterval)
	}
	c.mu.Unlock()
}

// submit queues a user message for a reply, in order.
func (c *conn) submit(m UserMessage) {
	c.mu.Lock()
	switch {
	case c.draining:
		c.mu.Unlock()
		c.sendError(CodeShuttingDown, "서버를 다시 시작하고 있어요. 잠시 뒤에 다시 보내 주세요.", m.ClientMsgID)
		return
	case len(c.inbox) >= c.s.cfg.Inbox:
		c.mu.Unlock()
		c.sendError(CodeBusy, "이전 메시지에 답하는 중이에요. 잠시 뒤에 보내 주세요.", m.ClientMsgID)
		return
	}
	c.inbox = append(c.inbox, m)
	start := !c.working
	c.working = true
	c.mu.Unlock()
	if start {
		go c.work()
	}
}

// work answers queued user messages one at a time, and closes a draining
// connection once none is left.
func (c *conn) work() {
	for {
		c.mu.Lock()
		if len(c.inbox) == 0 || c.closed {
			c.working = false
			c.inbox = nil
			draining := c.draining
			c.mu.Unlock()
			if draining {
				c.closeWith(websocket.CloseGoingAway, "server shutting down")
			}
			return
		}
		m := c.inbox[0]
		c.inbox = c.inbox[1:]
		c.mu.Unlock()
		c.turn(m)
	}
}

// turn answers one user message: a reply already given to its id is sent
// again, otherwise the assistant answers it for the connection's user.
func (c *conn) turn(m UserMessage) {
	if resp, ok := c.s.hub.reply(c.user, m.ClientMsgID); ok {
		c.send(AssistantMessage{Type: TypeAssistantMessage, ReplyTo: m.ClientMsgID, Response: resp, Replayed: true})
		return
	}
	c.send(Typing{Type: TypeTyping, On: true})
	ctx, cancel := context.WithTimeout(c.s.base, c.s.cfg.TurnTimeout)
	if c.s.cfg.Stream != nil {
		ctx = c.s.cfg.Stream(ctx, func(delta string) {
			c.send(AssistantDelta{Type: TypeAssistantDelta, ReplyTo: m.ClientMsgID, Text: delta})
		})
	}
	resp, err := c.s.cfg.Assistant.Respond(ctx, sodam.Turn{UserID: c.user, Text: m.Text, MessageID: m.ClientMsgID, Channel: "ws"})
	cancel()
	c.send(Typing{Type: TypeTyping, On: false})
	if err != nil {
		if sodam.ErrorCode(err) == sodam.EINTERNAL {
			c.s.cfg.Logger.Error("ws: turn failed", "user", c.user, "err", err)
		}
		c.sendError(sodam.ErrorCode(err), sodam.ErrorMessage(err), m.ClientMsgID)
		return
	}
	c.s.hub.remember(c.user, m.ClientMsgID, resp)
	c.send(AssistantMessage{Type: TypeAssistantMessage, ReplyTo: m.ClientMsgID, Response: resp})
}

func (c *conn) sendError(code, message, replyTo string) {
	c.send(Error{Type: TypeError, Code: code, Message: message, ReplyTo: replyTo})
}

func (c *conn) send(v any) {
	data, err := json.Marshal(v)
	if err != nil {
		c.s.cfg.Logger.Error("ws: encode frame", "err", err)
		return
	}
	c.enqueue(data)
}

// enqueue queues a text frame and starts flush if it is not running. It
// reports false when the connection is closing. A client whose queue is
// full is not reading: it is closed with CloseSlowReader.
func (c *conn) enqueue(data []byte) bool {
	c.mu.Lock()
	if c.closed || c.closeMsg != nil {
		c.mu.Unlock()
		return false
	}
	if len(c.out) >= c.s.cfg.SendQueue {
		c.out = nil
		c.closed = true
		c.mu.Unlock()
		c.s.cfg.Logger.Warn("ws: closing a slow client", "user", c.user)
		go func() {
			c.ws.WriteControl(websocket.CloseMessage,
				websocket.FormatCloseMessage(CloseSlowReader, "send queue overflow"), time.Now().Add(time.Second))
			c.ws.Close()
		}()
		return false
	}
	c.out = append(c.out, data)
	start := !c.writing
	c.writing = true
	c.mu.Unlock()
	if start {
		go c.flush()
	}
	return true
}

// closeWith writes what is queued, then a close frame, and gives the
// client closeGrace to answer before the connection is dropped.
func (c *conn) closeWith(code int, text string) {
	c.mu.Lock()
	if c.closed || c.closeMsg != nil {
		c.mu.Unlock()
		return
	}
	c.closeMsg = websocket.FormatCloseMessage(code, text)
	start := !c.writing
	c.writing = true
	c.mu.Unlock()
	if start {
		go c.flush()
	}
}

// flush writes queued frames until the queue is empty, then the close
// frame if one is due.
func (c *conn) flush() {
	for {
		c.mu.Lock()
		if len(c.out) == 0 || c.closed {
			c.out = nil
			c.writing = false
			msg := c.closeMsg
			closed := c.closed
			c.mu.Unlock()
			if msg != nil && !closed {
				c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(c.s.cfg.WriteTimeout))
				c.ws.SetReadDeadline(time.Now().Add(closeGrace))
			}
			return
		}
		batch := c.out
		c.out = nil
		c.mu.Unlock()
		for _, data := range batch {
			c.ws.SetWriteDeadline(time.Now().Add(c.s.cfg.WriteTimeout))
			if err := c.ws.WriteMessage(websocket.TextMessage, data); err != nil {
				c.mu.Lock()
				c.writing = false
				c.out = nil
				c.mu.Unlock()
				c.ws.Close()
				return
			}
		}
	}
}

// drain asks the connection to close once its turns are answered.
func (c *conn) drain() {
	c.mu.Lock()
	c.draining = true
	idle := !c.working
	c.mu.Unlock()
	if idle {
		c.closeWith(websocket.CloseGoingAway, "server shutting down")
	}
}

// teardown releases the connection after its reader stopped.
func (c *conn) teardown() {
	c.mu.Lock()
	c.closed = true
	c.out, c.inbox = nil, nil
	t := c.ping
	c.mu.Unlock()
	if t != nil {
		t.Stop()
	}
	if c.user != "" {
		c.s.hub.remove(c.user, c)
	}
	c.ws.Close()
	c.s.forget(c)
}
