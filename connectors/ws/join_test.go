package ws

import (
	"context"
	"encoding/json"
	"testing"
	"time"
)

// TestOnJoin checks that OnJoin runs once per welcomed connection, after
// the welcome, that what it pushes reaches the new connection, and that a
// hook that blocks holds up neither that connection nor another.
func TestOnJoin(t *testing.T) {
	joined := make(chan string, 8)
	release := make(chan struct{})
	var s *testServer
	s = newTestServer(t, Config{OnJoin: func(ctx context.Context, userID string) {
		joined <- userID
		s.Push(userID, Event{Event: EventOrderStatus, OrderID: "o-waiting", Status: "cooking"})
		select {
		case <-release:
		case <-ctx.Done():
		}
	}})

	c := s.dial(t, nil)
	w := c.hello("")
	if got := <-joined; got != w.UserID {
		t.Fatalf("OnJoin got user %q, want %q", got, w.UserID)
	}
	if f := c.must(); f.Type != TypeEvent || f.OrderID != "o-waiting" {
		t.Fatalf("after welcome got %+v, want the event pushed on join", f)
	}
	// The hook is still blocked: the connection answers all the same.
	c.send(UserMessage{Type: TypeUserMessage, ClientMsgID: "m-1", Text: "안녕"})
	if f := c.must(); f.Type != TypeAssistantMessage || f.ReplyTo != "m-1" {
		t.Fatalf("a message while OnJoin blocks got %+v", f)
	}
	// So does another user's connection, whose hook runs too.
	o := s.dial(t, nil)
	ow := o.hello("")
	if got := <-joined; got != ow.UserID {
		t.Errorf("OnJoin got user %q, want %q", got, ow.UserID)
	}

	// A frame that is not a hello does not join; a rejected token does
	// not either.
	x := s.dial(t, nil)
	x.send(UserMessage{Type: TypeUserMessage, ClientMsgID: "m-1", Text: "안녕"})
	if f := x.must(); f.Code != CodeHelloRequired {
		t.Fatalf("message before hello got %+v", f)
	}
	x.send(Hello{Type: TypeHello, Token: "v1.forged"})
	if f := x.must(); f.Type != TypeError {
		t.Fatalf("forged token got %+v", f)
	}
	// Shutdown waits for the hooks it started: after it, none is left to
	// run.
	close(release)
	shutdown(t, s, c, o, x)
	if len(joined) != 0 {
		t.Errorf("OnJoin ran for %q without a welcome", <-joined)
	}
}

// shutdown closes the clients, then stops s and waits for its
// connections and hooks.
func shutdown(t *testing.T, s *testServer, clients ...*client) {
	t.Helper()
	for _, c := range clients {
		c.ws.Close()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
}

// TestOnJoinNotCalledTwice checks that a second hello on the same
// connection does not run the hook again.
func TestOnJoinNotCalledTwice(t *testing.T) {
	joined := make(chan string, 4)
	s := newTestServer(t, Config{OnJoin: func(ctx context.Context, userID string) { joined <- userID }})
	c := s.dial(t, nil)
	w := c.hello("")
	c.send(Hello{Type: TypeHello, Token: w.Token})
	if f := c.must(); f.Code != CodeBadFrame {
		t.Fatalf("second hello got %+v, want bad_frame", f)
	}
	<-joined
	// Resuming on a new connection joins again: that is the next
	// connection of the user.
	c2 := s.dial(t, nil)
	c2.hello(w.Token)
	if got := <-joined; got != w.UserID {
		t.Errorf("resumed connection joined as %q, want %q", got, w.UserID)
	}
	shutdown(t, s, c, c2)
	if len(joined) != 0 {
		t.Errorf("OnJoin ran again for %q", <-joined)
	}
}

func TestEventJSON(t *testing.T) {
	at := time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		ev   Event
		want string
	}{
		{"order status without a channel",
			Event{Type: TypeEvent, Event: EventOrderStatus, OrderID: "o-7", Status: "cooking", Text: "조리중이에요.", At: at},
			`{"type":"event","event":"order_status","order_id":"o-7","status":"cooking","text":"조리중이에요.","at":"2026-11-24T18:00:00Z"}`},
		{"broadcast with its channel",
			Event{Type: TypeEvent, Event: EventChannelBroadcast, ChannelID: "m-002", ChannelName: "교촌치킨 혜화점", Text: "[교촌치킨 혜화점] 오늘 20% 할인", At: at},
			`{"type":"event","event":"channel_broadcast","channel_id":"m-002","channel_name":"교촌치킨 혜화점","text":"[교촌치킨 혜화점] 오늘 20% 할인","at":"2026-11-24T18:00:00Z"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.ev)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Errorf("got  %s\nwant %s", b, tc.want)
			}
		})
	}
}
