package loadgen_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/loadgen"
	"github.com/sodam-ai/sodam/connectors/ws"
)

type echo struct{}

func (echo) Respond(_ context.Context, t sodam.Turn) (*sodam.Response, error) {
	if t.Text == "fail" {
		return nil, sodam.Errorf(sodam.ECONFLICT, "지금은 할 수 없어요.")
	}
	return &sodam.Response{Text: t.Text}, nil
}

func TestReadScenarios(t *testing.T) {
	tests := []struct {
		name, in string
		want     int
		wantErr  bool
	}{
		{"two", `{"id":"a","ref_time":"2026-11-24T18:00:00+09:00","user":{"lat":37.5},"turns":["안녕"]}` + "\n\n" + `{"id":"b","turns":["네","아니요"]}`, 2, false},
		{"no turns", `{"id":"a","turns":[]}`, 0, true},
		{"not JSON", `{`, 0, true},
		{"empty", "", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := loadgen.ReadScenarios(strings.NewReader(tc.in))
			if (err != nil) != tc.wantErr || len(got) != tc.want {
				t.Fatalf("ReadScenarios = %d scenarios, %v; want %d, error %v", len(got), err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestRun(t *testing.T) {
	srv := ws.NewServer(ws.Config{Assistant: echo{}, Tokens: ws.NewTokens(ws.NewSecret(), 0, nil), RateBurst: 1000, RateEvery: time.Millisecond})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	url := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws"
	scenarios := []loadgen.Scenario{{ID: "a", Turns: []string{"안녕", "fail", "고마워"}}}

	tests := []struct {
		name      string
		reconnect bool
	}{{"one connection each", false}, {"reconnecting after each scenario", true}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := loadgen.Run(context.Background(), loadgen.Config{URL: url, Users: 4, Turns: 30, Duration: time.Minute,
				Scenarios: scenarios, Interval: 20 * time.Millisecond, Reconnect: tc.reconnect})
			if err != nil {
				t.Fatal(err)
			}
			ok := res.Turns - res.Errors
			if ok < 30 || res.ErrorCodes[sodam.ECONFLICT] != res.Errors || res.Errors == 0 {
				t.Errorf("turns %d, errors %d %v: want at least 30 answered and the failing line's conflicts", res.Turns, res.Errors, res.ErrorCodes)
			}
			if len(res.UserIDs) != 4 || res.PeakConnections != 4 {
				t.Errorf("users %v, peak %d connections, want 4", res.UserIDs, res.PeakConnections)
			}
			if tc.reconnect && res.Connected <= 4 {
				t.Errorf("%d hellos: the users did not reconnect", res.Connected)
			}
			var hist int
			for _, b := range res.Histogram {
				hist += b.Count
			}
			if hist != ok {
				t.Errorf("histogram holds %d turns, %d answered", hist, ok)
			}

			var js bytes.Buffer
			if err := res.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			var back map[string]any
			if err := json.Unmarshal(js.Bytes(), &back); err != nil {
				t.Fatalf("JSON does not parse: %v", err)
			}
			var page bytes.Buffer
			if err := res.WriteHTML(&page, "<bench>"); err != nil {
				t.Fatal(err)
			}
			html := page.String()
			if !strings.Contains(html, "<svg") || !strings.Contains(html, "&lt;bench&gt;") {
				t.Error("the page has no chart or an unescaped title")
			}
			if strings.Contains(html, "src=") || strings.Contains(html, "href=") {
				t.Error("the page fetches something: it must be self-contained")
			}
		})
	}
}

func TestRunRefusesBadConfig(t *testing.T) {
	for name, cfg := range map[string]loadgen.Config{
		"no URL":       {Users: 1, Duration: time.Second},
		"no users":     {URL: "ws://x", Duration: time.Second},
		"no end":       {URL: "ws://x", Users: 1, Scenarios: []loadgen.Scenario{{Turns: []string{"a"}}}},
		"no scenarios": {URL: "ws://x", Users: 1, Duration: time.Second},
		"an empty URL": {URLs: []string{"ws://x", ""}, Users: 1, Duration: time.Second, Scenarios: []loadgen.Scenario{{Turns: []string{"a"}}}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := loadgen.Run(context.Background(), cfg); err == nil {
				t.Error("Run accepted a bad config")
			}
		})
	}
}

// counting answers like echo and counts the turns it answered.
type counting struct {
	echo
	n atomic.Int64
}

func (c *counting) Respond(ctx context.Context, t sodam.Turn) (*sodam.Response, error) {
	c.n.Add(1)
	return c.echo.Respond(ctx, t)
}

// TestRunSpreadsOverServers: users go round robin over the servers; those
// whose server cannot be reached, at the start or after it went away
// mid-run, go on with the next one and resume their session there.
func TestRunSpreadsOverServers(t *testing.T) {
	tokens := ws.NewTokens(ws.NewSecret(), 0, nil) // one secret: a session resumes on any server
	start := func() (*ws.Server, *counting, *httptest.Server, string) {
		a := &counting{}
		srv := ws.NewServer(ws.Config{Assistant: a, Tokens: tokens, RateBurst: 1000, RateEvery: time.Millisecond})
		ts := httptest.NewServer(srv)
		t.Cleanup(ts.Close)
		return srv, a, ts, "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws"
	}
	srvA, countA, tsA, urlA := start()
	_, _, _, urlB := start()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "ws://" + ln.Addr().String() + "/ws"
	ln.Close() // nothing listens there: dials are refused

	// Server A goes away once it has answered a few turns: its users
	// find its port closed and move on.
	done := make(chan struct{})
	defer close(done)
	go func() {
		for countA.n.Load() < 10 {
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
		tsA.Listener.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srvA.Shutdown(ctx)
	}()

	// Users 0 and 3 start on A, 1 and 4 on the dead port, 2 and 5 on B.
	res, err := loadgen.Run(context.Background(), loadgen.Config{URLs: []string{urlA, dead, urlB}, Users: 6, Turns: 300,
		Duration: 2 * time.Minute, Scenarios: []loadgen.Scenario{{ID: "a", Turns: []string{"안녕", "고마워"}}}, Interval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.UserIDs) != 6 {
		t.Errorf("%d users, want 6: a moved user did not resume its session", len(res.UserIDs))
	}
	if len(res.Servers) != 3 {
		t.Fatalf("%d servers in the result, want 3", len(res.Servers))
	}
	a, d, b := res.Servers[0], res.Servers[1], res.Servers[2]
	if a.URL != urlA || d.URL != dead || b.URL != urlB {
		t.Errorf("servers %+v, want them in the order given", res.Servers)
	}
	if a.Connected != 2 || a.Drops == 0 {
		t.Errorf("server A: %+v, want 2 hellos and the connections it dropped on going away", a)
	}
	if d.Connected != 0 || d.ConnectFailures < 4 || d.Turns != 0 {
		t.Errorf("the dead server: %+v, want no hello and at least 4 refused dials", d)
	}
	if b.Connected != 6 {
		t.Errorf("server B: %d hellos, want 6: its own 2 users, the 2 refused at the start and the 2 that left A", b.Connected)
	}
	if a.Turns+b.Turns != res.Turns || a.Errors+b.Errors != res.Errors {
		t.Errorf("the servers' turns %d+%d (errors %d+%d) do not add up to %d (%d)", a.Turns, b.Turns, a.Errors, b.Errors, res.Turns, res.Errors)
	}
	var table bytes.Buffer
	if err := res.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(table.String(), "server "+urlB) {
		t.Errorf("the table does not show the servers:\n%s", table.String())
	}
}
