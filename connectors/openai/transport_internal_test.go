package openai

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header http.Header
		want   time.Duration
		ok     bool
	}{
		{"seconds", http.Header{"Retry-After": {"3"}}, 3 * time.Second, true},
		{"fraction", http.Header{"Retry-After": {"0.5"}}, 500 * time.Millisecond, true},
		{"date", http.Header{"Retry-After": {now.Add(7 * time.Second).Format(http.TimeFormat)}}, 7 * time.Second, true},
		{"date passed", http.Header{"Retry-After": {now.Add(-time.Minute).Format(http.TimeFormat)}}, 0, true},
		{"milliseconds win", http.Header{"Retry-After": {"3"}, "Retry-After-Ms": {"250"}}, 250 * time.Millisecond, true},
		{"garbage", http.Header{"Retry-After": {"soon"}}, 0, false},
		{"none", http.Header{}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := retryAfter(tc.header, now)
			if got != tc.want || ok != tc.ok {
				t.Errorf("retryAfter = %v, %v; want %v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestDelay(t *testing.T) {
	tr := &transport{backoff: 100 * time.Millisecond, maxBackoff: time.Second}
	tests := []struct {
		name     string
		attempt  int
		header   http.Header
		min, max time.Duration
	}{
		{"first backoff", 0, nil, 50 * time.Millisecond, 100 * time.Millisecond},
		{"third backoff", 2, nil, 200 * time.Millisecond, 400 * time.Millisecond},
		{"capped", 10, nil, 500 * time.Millisecond, time.Second},
		{"retry-after honoured", 0, http.Header{"Retry-After": {"0.7"}}, 700 * time.Millisecond, 700 * time.Millisecond},
		{"retry-after capped", 0, http.Header{"Retry-After": {"120"}}, time.Second, time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for range 20 {
				if d := tr.delay(tc.attempt, tc.header); d < tc.min || d > tc.max {
					t.Fatalf("delay = %v, want within [%v, %v]", d, tc.min, tc.max)
				}
			}
		})
	}
}

func TestSetSampling(t *testing.T) {
	zero := 0.0
	got, err := setSampling([]byte(`{"model":"m","stream":false}`), sampling{temperature: &zero})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"model":"m","stream":false,"temperature":0}`; string(got) != want {
		t.Errorf("body = %s, want %s", got, want)
	}
	if _, err := setSampling([]byte(`not json`), sampling{temperature: &zero}); err == nil {
		t.Error("setSampling of a bad body: no error")
	}
}
