package httpapi

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// RequestIDHeader carries a request's id in and out. An id sent by the
// caller (a proxy, a client) is kept when it is short and printable;
// otherwise the server makes one.
const RequestIDHeader = "X-Request-Id"

type ctxKey int

const logAttrsKey ctxKey = iota

// requestLog collects the attributes of a request's log line; handlers
// add the user and session they learn from the body.
type requestLog struct {
	mu    sync.Mutex
	attrs []slog.Attr
}

// AddLogAttrs adds attributes (user_id, session_id, channel ...) to the
// log line of the request whose context is ctx. Outside a request served
// by Server it does nothing.
func AddLogAttrs(ctx context.Context, attrs ...slog.Attr) {
	rl, ok := ctx.Value(logAttrsKey).(*requestLog)
	if !ok {
		return
	}
	rl.mu.Lock()
	rl.attrs = append(rl.attrs, attrs...)
	rl.mu.Unlock()
}

// RequestID returns the id of the request whose context is ctx, or "".
func RequestID(ctx context.Context) string {
	rl, ok := ctx.Value(logAttrsKey).(*requestLog)
	if !ok {
		return ""
	}
	rl.mu.Lock()
	defer rl.mu.Unlock()
	for _, a := range rl.attrs {
		if a.Key == "request_id" {
			return a.Value.String()
		}
	}
	return ""
}

// requestID returns the caller's id when it is usable, else a new one.
func requestID(r *http.Request) string {
	if id := r.Header.Get(RequestIDHeader); id != "" && len(id) <= 128 {
		ok := true
		for i := 0; i < len(id); i++ {
			if c := id[i]; c < 0x21 || c > 0x7e {
				ok = false
				break
			}
		}
		if ok {
			return id
		}
	}
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// logRequests wraps next: it gives each request an id (RequestIDHeader
// in and out), counts it in the metrics and writes one JSON log line when
// it ends, with the attributes handlers added through AddLogAttrs.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := requestID(r)
		w.Header().Set(RequestIDHeader, id)
		rl := &requestLog{attrs: []slog.Attr{slog.String("request_id", id)}}
		r = r.WithContext(context.WithValue(r.Context(), logAttrsKey, rl))
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)

		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		s.Metrics.observeRequest(route, status, time.Since(start))
		rl.mu.Lock()
		attrs := append([]slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("route", route),
			slog.Int("status", status),
			slog.Int64("bytes", sw.bytes),
			slog.Float64("millis", float64(time.Since(start).Microseconds())/1000),
		}, rl.attrs...)
		rl.mu.Unlock()
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		s.Logger.LogAttrs(r.Context(), level, "request", attrs...)
	})
}

// statusWriter remembers the status and size of a response. It passes
// Flush and Hijack through so that streaming and websocket upgrades work.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush implements http.Flusher.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack implements http.Hijacker; a hijacked connection is logged with
// status 101.
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("httpapi: the response writer cannot be hijacked")
	}
	if w.status == 0 {
		w.status = http.StatusSwitchingProtocols
	}
	return h.Hijack()
}
