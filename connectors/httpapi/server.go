// Package httpapi serves Sodam over plain HTTP: the JSON chat endpoint
// POST /v1/chat for simple clients, the /healthz and /readyz probes and
// the Prometheus metrics at /metrics. Other channels (websocket, Kakao
// skill) mount their handlers on the same mux through Server.Handle.
//
// Every request gets an id (X-Request-Id, in and out) and one structured
// log line when it ends, carrying the user and session ids that handlers
// add through AddLogAttrs.
package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sodam-ai/sodam"
)

// MaxMessageBytes bounds a chat request body.
const MaxMessageBytes = 16 << 10

// Server routes HTTP requests to the assistant.
type Server struct {
	// Assistant answers the turns of POST /v1/chat. NewServer sets it to
	// the assistant it was given, counted in Metrics; other channels use
	// it too so that their turns are counted alike.
	Assistant sodam.Assistant
	Logger    *slog.Logger
	// Metrics are served at GET /metrics.
	Metrics *Metrics
	// Ready reports whether the service can take traffic (its store is
	// reachable); nil means always ready.
	Ready func(ctx context.Context) error
	// Degraded reports a part that is down without keeping the service
	// from taking traffic (the event bus between servers: turns go on and
	// events wait in the outbox). /readyz still answers 200, naming it.
	Degraded func(ctx context.Context) error

	mux     *http.ServeMux
	handler http.Handler
}

// Option configures a Server.
type Option func(*Server)

// WithMetrics makes the server record into m, which the caller may also
// hand to the tools and the payment provider, instead of metrics of its
// own.
func WithMetrics(m *Metrics) Option {
	return func(s *Server) {
		if m != nil {
			s.Metrics = m
		}
	}
}

// NewServer returns a server answering with a.
func NewServer(a sodam.Assistant, logger *slog.Logger, opts ...Option) *Server {
	if logger == nil {
		logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	s := &Server{Logger: logger, mux: http.NewServeMux()}
	for _, o := range opts {
		o(s)
	}
	if s.Metrics == nil {
		s.Metrics = NewMetrics(prometheus.NewRegistry())
	}
	s.Assistant = s.Metrics.Assistant(a)
	s.handler = s.logRequests(s.mux)
	s.mux.HandleFunc("POST /v1/chat", s.handleChat)
	s.mux.Handle("GET /metrics", s.Metrics.Handler())
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
	})
	s.mux.HandleFunc("GET /readyz", s.handleReady)
	return s
}

// Handle mounts another handler on the server's mux.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// ChatRequest is the body of POST /v1/chat.
type ChatRequest struct {
	UserID    string `json:"user_id"`
	Text      string `json:"text"`
	MessageID string `json:"message_id,omitempty"`
}

// ChatResponse is its answer.
type ChatResponse struct {
	Response *sodam.Response `json:"response"`
	Millis   float64         `json:"millis"`
}

// ErrorBody is the JSON of every error answer.
type ErrorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func (s *Server) handleChat(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxMessageBytes)
	var req ChatRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			writeError(w, http.StatusRequestEntityTooLarge, sodam.EINVALID, "메시지가 너무 길어요.")
			return
		}
		s.writeError(w, r, sodam.Errorf(sodam.EINVALID, "요청을 읽을 수 없어요: %v", err))
		return
	}
	switch {
	case strings.TrimSpace(req.UserID) == "" || len(req.UserID) > 128:
		s.writeError(w, r, sodam.Errorf(sodam.EINVALID, "user_id가 필요해요."))
		return
	case !utf8.ValidString(req.Text):
		s.writeError(w, r, sodam.Errorf(sodam.EINVALID, "text가 올바른 UTF-8이 아니에요."))
		return
	}
	AddLogAttrs(r.Context(), slog.String("user_id", req.UserID), slog.String("channel", "http"))
	start := time.Now()
	resp, err := s.Assistant.Respond(r.Context(), sodam.Turn{UserID: req.UserID, Text: req.Text, MessageID: req.MessageID, Channel: "http"})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ChatResponse{Response: resp, Millis: float64(time.Since(start).Microseconds()) / 1000})
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if s.Ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.Ready(ctx); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]any{"ready": false, "error": err.Error()})
			return
		}
	}
	body := map[string]any{"ready": true}
	if s.Degraded != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.Degraded(ctx); err != nil {
			body["degraded"] = err.Error()
		}
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, _, _ := ErrorMapping(err)
	if sodam.ErrorCode(err) == sodam.EINTERNAL {
		s.Logger.Error("chat failed", "path", r.URL.Path, "request_id", RequestID(r.Context()), "err", err)
	}
	writeError(w, status, sodam.ErrorCode(err), sodam.ErrorMessage(err))
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	var body ErrorBody
	body.Error.Code = code
	body.Error.Message = message
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}
