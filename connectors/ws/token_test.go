package ws

import (
	"strings"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
)

type fixedClock struct{ t time.Time }

func (c *fixedClock) Now() time.Time { return c.t }

func TestTokens(t *testing.T) {
	clock := &fixedClock{t: time.Date(2026, 11, 24, 18, 0, 0, 0, sodam.Seoul)}
	tokens := NewTokens([]byte("secret-a"), time.Hour, clock)
	other := NewTokens([]byte("secret-b"), time.Hour, clock)
	good, exp := tokens.Issue("web-1")
	if want := clock.t.Add(time.Hour); !exp.Equal(want) {
		t.Errorf("expires %v, want %v", exp, want)
	}
	forgedByOther, _ := other.Issue("web-1")
	parts := strings.Split(good, ".")
	swapped := strings.Join([]string{parts[0], "d2ViLTI", parts[2], parts[3]}, ".") // "web-2" with web-1's MAC
	later, _ := NewTokens([]byte("secret-a"), time.Hour, &fixedClock{t: clock.t.Add(-2 * time.Hour)}).Issue("web-1")

	tests := []struct {
		name   string
		token  string
		wantID string
	}{
		{"valid", good, "web-1"},
		{"signed with another secret", forgedByOther, ""},
		{"user id swapped", swapped, ""},
		{"expired", later, ""},
		{"empty", "", ""},
		{"garbage", "not-a-token", ""},
		{"no mac", parts[0] + "." + parts[1] + "." + parts[2], ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := tokens.Verify(tc.token)
			if tc.wantID == "" {
				if !sodam.IsCode(err, sodam.EUNAUTHORIZED) {
					t.Fatalf("Verify = %q, %v; want unauthorized", id, err)
				}
				return
			}
			if err != nil || id != tc.wantID {
				t.Fatalf("Verify = %q, %v; want %q", id, err, tc.wantID)
			}
		})
	}
}

func TestBucket(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var b bucket
	b.full(start, 3)
	got := 0
	for range 10 {
		if b.take(start, 3, time.Second) {
			got++
		}
	}
	if got != 3 {
		t.Errorf("burst took %d, want 3", got)
	}
	if !b.take(start.Add(time.Second), 3, time.Second) {
		t.Error("no token after one period")
	}
	if b.take(start.Add(time.Second), 3, time.Second) {
		t.Error("two tokens after one period")
	}
}
