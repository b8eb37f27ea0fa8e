package loadgen_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
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
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := loadgen.Run(context.Background(), cfg); err == nil {
				t.Error("Run accepted a bad config")
			}
		})
	}
}
