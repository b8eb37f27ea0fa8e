package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// sampling holds the settings the transport writes into a request body
// exactly, because the library drops their zero values (omitempty).
type sampling struct {
	temperature *float64
}

type samplingKey struct{}

func withSampling(ctx context.Context, s sampling) context.Context {
	return context.WithValue(ctx, samplingKey{}, s)
}

// transport retries calls refused with 429 or 5xx, or failed in transit,
// and writes the sampling settings of the call's context into its body.
type transport struct {
	base       http.RoundTripper
	retries    int
	backoff    time.Duration
	maxBackoff time.Duration
}

// RoundTrip sends req, retrying as configured. The body is read once and
// replayed for each try; a retried response's body is drained and closed.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("openai: read request body: %w", err)
		}
		body = b
	}
	if s, ok := req.Context().Value(samplingKey{}).(sampling); ok && len(body) > 0 {
		b, err := setSampling(body, s)
		if err != nil {
			return nil, err
		}
		body = b
	}
	ctx := req.Context()
	for attempt := 0; ; attempt++ {
		r := req.Clone(ctx)
		if body != nil {
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
			r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		}
		resp, err := t.base.RoundTrip(r)
		if attempt >= t.retries || ctx.Err() != nil {
			return resp, err
		}
		var wait time.Duration
		switch {
		case err != nil:
			wait = t.delay(attempt, nil)
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
			wait = t.delay(attempt, resp.Header)
			io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
		default:
			return resp, nil
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			if err == nil {
				err = ctx.Err()
			}
			return nil, errors.Join(ctx.Err(), err)
		case <-timer.C:
		}
	}
}

// delay is the wait before try attempt+2: what Retry-After (or the
// retry-after-ms extension) asks for, else exponential backoff with
// jitter; never more than maxBackoff.
func (t *transport) delay(attempt int, h http.Header) time.Duration {
	if d, ok := retryAfter(h, time.Now()); ok {
		return min(d, t.maxBackoff)
	}
	d := t.backoff << attempt
	if d <= 0 || d > t.maxBackoff {
		d = t.maxBackoff
	}
	// Full jitter in the upper half keeps clients apart without making
	// the wait much shorter than intended.
	return d/2 + rand.N(d/2+1)
}

// retryAfter reads Retry-After (seconds or an HTTP date) or
// retry-after-ms.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	if h == nil {
		return 0, false
	}
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return time.Duration(ms * float64(time.Millisecond)), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second)), true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

// setSampling writes the sampling settings into a JSON request body.
func setSampling(body []byte, s sampling) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("openai: request body: %w", err)
	}
	if s.temperature != nil {
		v, err := json.Marshal(*s.temperature)
		if err != nil {
			return nil, fmt.Errorf("openai: temperature: %w", err)
		}
		m["temperature"] = v
	}
	return json.Marshal(m)
}

// NewTransport returns the transport the Client uses: retries on 429, 5xx
// and failures in transit, with backoff that honours Retry-After, as cfg
// sets them, over cfg.Transport. Other clients of OpenAI-compatible
// endpoints (the langchaingo backend) use it to get the same retries.
func NewTransport(cfg Config) http.RoundTripper {
	cfg.defaults()
	return &transport{base: cfg.Transport, retries: cfg.MaxRetries, backoff: cfg.Backoff, maxBackoff: cfg.MaxBackoff}
}
