package ws

import "time"

// bucket is a token bucket: it holds up to burst tokens and gains one
// every per. The zero value is empty; fill it with full.
type bucket struct {
	tokens float64
	last   time.Time
}

// take removes one token if there is one at now.
func (b *bucket) take(now time.Time, burst int, per time.Duration) bool {
	if !b.last.IsZero() && per > 0 {
		b.tokens += float64(now.Sub(b.last)) / float64(per)
	}
	if b.tokens > float64(burst) {
		b.tokens = float64(burst)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (b *bucket) full(now time.Time, burst int) {
	b.tokens, b.last = float64(burst), now
}
