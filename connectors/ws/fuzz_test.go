package ws_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/ws"
)

// echo answers every turn with its text.
type echo struct{}

func (echo) Respond(_ context.Context, t sodam.Turn) (*sodam.Response, error) {
	return &sodam.Response{Text: t.Text}, nil
}

// FuzzFrame sends an arbitrary text frame on an open session, then a
// plain message. The server must answer every frame with a frame of a
// known type, and then either answer the plain message (the connection
// survived) or have closed with a policy (1008) or size (1009) code.
func FuzzFrame(f *testing.F) {
	for _, seed := range []string{
		`{"type":"user_message","client_msg_id":"m1","text":"교동치킨 후라이드 한 마리 시켜줘"}`,
		`{"type":"hello"}`,
		`{"type":"hello","token":"x.y","profile":{"lat":91,"lng":0}}`,
		`{"type":"user_message","client_msg_id":"","text":"네"}`,
		`{"type":"user_message","client_msg_id":"m2","text":""}`,
		`{"type":"user_message","client_msg_id":"probe","text":"같은 번호"}`,
		`{"type":"typing","on":true}`,
		`{"type":5}`, `{"type":null}`, `{}`, `[]`, `null`, `"hello"`, `{`, ``,
		`{"type":"user_message","client_msg_id":"m3","text":"` + strings.Repeat("가", 1001) + `"}`,
		"{\"type\":\"user_message\",\"client_msg_id\":\"m4\",\"text\":\"\xff\xfe\"}",
	} {
		f.Add(seed)
	}
	srv := ws.NewServer(ws.Config{Assistant: echo{}, Tokens: ws.NewTokens(ws.NewSecret(), 0, nil), RateBurst: 1000, RateEvery: time.Microsecond, AbuseBurst: 1000})
	ts := httptest.NewServer(srv)
	f.Cleanup(ts.Close)
	url := "ws" + strings.TrimPrefix(ts.URL, "http")

	// One session serves the iterations until the server closes it, so
	// that the fuzzer does not spend its time (and the ports) dialing.
	var c *websocket.Conn
	f.Cleanup(func() {
		if c != nil {
			c.Close()
		}
	})
	seq := 0
	f.Fuzz(func(t *testing.T, frame string) {
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		if c == nil {
			var err error
			c, _, err = websocket.DefaultDialer.Dial(url, nil)
			must(err)
			must(c.WriteJSON(ws.Hello{Type: ws.TypeHello}))
			var w ws.Welcome
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			must(c.ReadJSON(&w))
		}
		seq++
		probe := fmt.Sprintf("probe-final-%d", seq)
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		must(c.WriteMessage(websocket.TextMessage, []byte(frame)))
		must(c.WriteJSON(ws.UserMessage{Type: ws.TypeUserMessage, ClientMsgID: probe, Text: "확인"}))
		for {
			_, data, err := c.ReadMessage()
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				c.Close()
				c = nil
				if ce.Code != ws.ClosePolicy && ce.Code != websocket.CloseMessageTooBig {
					t.Fatalf("closed with %d after %q", ce.Code, frame)
				}
				return
			}
			must(err)
			var head struct {
				Type    string `json:"type"`
				ReplyTo string `json:"reply_to"`
			}
			if err := json.Unmarshal(data, &head); err != nil {
				t.Fatalf("server frame is not JSON: %q", data)
			}
			switch head.Type {
			case ws.TypeAssistantMessage:
				if head.ReplyTo == probe {
					return
				}
			case ws.TypeTyping, ws.TypeError, ws.TypeEvent:
			default:
				t.Fatalf("server frame of unknown type: %q", data)
			}
		}
	})
}
