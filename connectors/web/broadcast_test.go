package web

import (
	"strings"
	"testing"
)

// TestBroadcastNotice checks that the page draws a channel's broadcast
// as a notice of its own, naming the channel, and with text nodes only.
func TestBroadcastNotice(t *testing.T) {
	js, err := static.ReadFile("static/app.js")
	if err != nil {
		t.Fatal(err)
	}
	css, err := static.ReadFile("static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file, src, want string
	}{
		{"handles the event", "app.js", string(js), "f.event === 'channel_broadcast'"},
		{"names the channel", "app.js", string(js), "f.channel_name"},
		{"draws with el, which sets textContent", "app.js", string(js), "el('p', '', text)"},
		{"has a style of its own", "style.css", string(css), ".broadcast {"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(tc.src, tc.want) {
				t.Errorf("%s lacks %q", tc.file, tc.want)
			}
		})
	}
}
