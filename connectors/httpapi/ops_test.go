package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/httpapi"
)

func TestRequestIDAndLogLine(t *testing.T) {
	var logs bytes.Buffer
	a := &fakeAssistant{RespondFn: func(ctx context.Context, turn sodam.Turn) (*sodam.Response, error) {
		return &sodam.Response{Text: "네", Intent: "greet"}, nil
	}}
	s := httpapi.NewServer(a, slog.New(slog.NewJSONHandler(&logs, nil)))
	tests := []struct {
		name   string
		sent   string
		keepID bool
	}{
		{"kept when sent", "req-123.abc", true},
		{"made when absent", "", false},
		{"made when unprintable", "a b\tc", false},
		{"made when too long", strings.Repeat("x", 200), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			logs.Reset()
			req := httptest.NewRequest("POST", "/v1/chat", strings.NewReader(`{"user_id":"u-7","text":"안녕"}`))
			if tc.sent != "" {
				req.Header.Set("X-Request-Id", tc.sent)
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			id := rec.Header().Get("X-Request-Id")
			if tc.keepID && id != tc.sent || !tc.keepID && (len(id) != 24 || id == tc.sent) {
				t.Errorf("X-Request-Id = %q (sent %q)", id, tc.sent)
			}
			var line map[string]any
			if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
				t.Fatalf("log %q: %v", logs.String(), err)
			}
			want := map[string]any{"msg": "request", "request_id": id, "user_id": "u-7", "channel": "http",
				"method": "POST", "route": "POST /v1/chat", "status": float64(200)}
			for k, v := range want {
				if line[k] != v {
					t.Errorf("log %s = %v, want %v", k, line[k], v)
				}
			}
		})
	}
}

// scrape returns the /metrics page.
func scrape(t *testing.T, s http.Handler) string {
	t.Helper()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("/metrics: %d", rec.Code)
	}
	return rec.Body.String()
}

func TestMetricsAfterTurns(t *testing.T) {
	a := &fakeAssistant{RespondFn: func(ctx context.Context, turn sodam.Turn) (*sodam.Response, error) {
		if turn.Text == "품절" {
			return nil, sodam.Errorf(sodam.ECONFLICT, "품절이에요.")
		}
		return &sodam.Response{Text: "네", Intent: "greet"}, nil
	}}
	m := httpapi.NewMetrics(nil)
	s := httpapi.NewServer(a, nil, httpapi.WithMetrics(m))
	for _, text := range []string{"안녕", "안녕", "품절"} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("POST", "/v1/chat", strings.NewReader(`{"user_id":"u","text":"`+text+`"}`)))
	}
	m.ObserveToolCall("cart_add", time.Millisecond, "")
	m.ObserveToolCall("cart_add", time.Millisecond, sodam.ECONFLICT)
	m.ObservePayment("sandbox", "approved")
	m.ConnOpened("ws")
	m.ConnOpened("ws")
	m.ConnClosed("ws")
	m.ObserveKakao("direct")

	page := scrape(t, s)
	for _, want := range []string{
		`sodam_turns_total{channel="http",intent="greet"} 2`,
		`sodam_turn_errors_total{channel="http",code="conflict"} 1`,
		`sodam_turn_duration_seconds_count{channel="http"} 3`,
		`sodam_tool_calls_total{code="ok",tool="cart_add"} 1`,
		`sodam_tool_calls_total{code="conflict",tool="cart_add"} 1`,
		`sodam_payments_total{provider="sandbox",status="approved"} 1`,
		`sodam_open_connections{channel="ws"} 1`,
		`sodam_kakao_replies_total{outcome="direct"} 1`,
		`sodam_http_requests_total{route="POST /v1/chat",status="200"} 2`,
		`sodam_http_requests_total{route="POST /v1/chat",status="409"} 1`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(page, "go_goroutines") {
		t.Error("/metrics shows the global registry's collectors")
	}
}

func TestNilMetricsRecordNothing(t *testing.T) {
	var m *httpapi.Metrics
	m.ObserveTurn("ws", "greet", time.Second, nil)
	m.ObserveToolCall("pay", time.Second, "ok")
	m.ObservePayment("sandbox", "ready")
	m.ConnOpened("ws")
	m.ConnClosed("ws")
	m.ObserveKakao("direct")
	a := &fakeAssistant{}
	if got := m.Assistant(a); got != sodam.Assistant(a) {
		t.Error("a nil Metrics wraps the assistant")
	}
}

// hijackRecorder is a ResponseRecorder that can be hijacked.
type hijackRecorder struct {
	*httptest.ResponseRecorder
	hijacked bool
}

func (h *hijackRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h.hijacked = true
	c1, c2 := net.Pipe()
	c2.Close()
	return c1, bufio.NewReadWriter(bufio.NewReader(c1), bufio.NewWriter(c1)), nil
}

func TestHijackPassesThroughTheLogger(t *testing.T) {
	var logs bytes.Buffer
	s := httpapi.NewServer(&fakeAssistant{}, slog.New(slog.NewJSONHandler(&logs, nil)))
	s.Handle("GET /ws", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("Hijack: %v", err)
			return
		}
		conn.Close()
	}))
	rec := &hijackRecorder{ResponseRecorder: httptest.NewRecorder()}
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/ws", nil))
	if !rec.hijacked {
		t.Fatal("the connection was not hijacked")
	}
	if !strings.Contains(logs.String(), `"status":101`) {
		t.Errorf("log %s, want status 101", logs.String())
	}
	_, _ = io.Copy(io.Discard, rec.Body)
}
