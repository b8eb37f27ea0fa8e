package ws

import (
	"context"
	"testing"
)

// A streamed reply reaches the client piece by piece, in order, before the
// final assistant_message; without the hook nothing but the reply is sent.
func TestStreamedReply(t *testing.T) {
	for _, tc := range []struct {
		name   string
		stream bool
		want   []string
	}{
		{"streamed", true, []string{"echo: ", "안녕"}},
		{"not streamed", false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var cfg Config
			if tc.stream {
				cfg.Stream = func(ctx context.Context, send func(string)) context.Context {
					return context.WithValue(ctx, testStreamKey{}, send)
				}
			}
			s := newTestServer(t, cfg)
			c := s.dial(t, nil)
			c.hello("")
			c.send(UserMessage{Type: TypeUserMessage, ClientMsgID: "m-1", Text: "안녕"})
			var got []string
			for {
				var f struct {
					Type    string `json:"type"`
					ReplyTo string `json:"reply_to"`
					Text    string `json:"text"`
				}
				if err := c.ws.ReadJSON(&f); err != nil {
					t.Fatal(err)
				}
				if f.Type == TypeTyping {
					continue
				}
				if f.Type == TypeAssistantDelta {
					if f.ReplyTo != "m-1" {
						t.Errorf("delta replies to %q, want m-1", f.ReplyTo)
					}
					got = append(got, f.Text)
					continue
				}
				if f.Type != TypeAssistantMessage {
					t.Fatalf("frame %q, want deltas then the reply", f.Type)
				}
				break
			}
			if len(got) != len(tc.want) {
				t.Fatalf("deltas %q, want %q", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("delta %d = %q, want %q", i, got[i], tc.want[i])
				}
			}
		})
	}
}
