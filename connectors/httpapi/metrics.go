package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sodam-ai/sodam"
)

// Metrics are the service's Prometheus metrics, on a registry of their own
// (never the global one). Every method is safe on a nil *Metrics, which
// records nothing, so that channels can take one optionally.
type Metrics struct {
	reg            *prometheus.Registry
	turns          *prometheus.CounterVec
	turnErrors     *prometheus.CounterVec
	turnSeconds    *prometheus.HistogramVec
	toolCalls      *prometheus.CounterVec
	toolSeconds    *prometheus.HistogramVec
	payments       *prometheus.CounterVec
	conns          *prometheus.GaugeVec
	requests       *prometheus.CounterVec
	requestSeconds *prometheus.HistogramVec
	kakaoReplies   *prometheus.CounterVec
}

// NewMetrics registers the metrics on reg; a nil reg gets a new registry.
func NewMetrics(reg *prometheus.Registry) *Metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	// Turn latencies run from a few milliseconds (rules) to seconds (a
	// payment provider, a language model): buckets from 5 ms to 10 s.
	turnBuckets := []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 4.5, 10}
	m := &Metrics{
		reg: reg,
		turns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sodam_turns_total", Help: "Turns answered, by channel and understood intent.",
		}, []string{"channel", "intent"}),
		turnErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sodam_turn_errors_total", Help: "Turns that failed, by channel and error code.",
		}, []string{"channel", "code"}),
		turnSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "sodam_turn_duration_seconds", Help: "Time to answer a turn, by channel.", Buckets: turnBuckets,
		}, []string{"channel"}),
		toolCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sodam_tool_calls_total", Help: "Tool calls, by tool and result code (ok or an error code).",
		}, []string{"tool", "code"}),
		toolSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "sodam_tool_call_duration_seconds", Help: "Time of a tool call, by tool.", Buckets: turnBuckets,
		}, []string{"tool"}),
		payments: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sodam_payments_total", Help: "Payment provider calls, by provider and resulting status (ready, approved, cancelled, or <op>_failed).",
		}, []string{"provider", "status"}),
		conns: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "sodam_open_connections", Help: "Open long-lived connections, by channel.",
		}, []string{"channel"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sodam_http_requests_total", Help: "HTTP requests, by route and status.",
		}, []string{"route", "status"}),
		requestSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "sodam_http_request_duration_seconds", Help: "Time to serve an HTTP request, by route.", Buckets: turnBuckets,
		}, []string{"route"}),
		kakaoReplies: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sodam_kakao_replies_total", Help: "Kakao skill answers, by outcome (direct, callback, later, held).",
		}, []string{"outcome"}),
	}
	reg.MustRegister(m.turns, m.turnErrors, m.turnSeconds, m.toolCalls, m.toolSeconds, m.payments,
		m.conns, m.requests, m.requestSeconds, m.kakaoReplies)
	return m
}

// Registry returns the registry the metrics are on.
func (m *Metrics) Registry() *prometheus.Registry {
	if m == nil {
		return prometheus.NewRegistry()
	}
	return m.reg
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry(), promhttp.HandlerOpts{})
}

// ObserveTurn records one turn: its intent when it succeeded, its error
// code when it failed, and its duration.
func (m *Metrics) ObserveTurn(channel, intent string, d time.Duration, err error) {
	if m == nil {
		return
	}
	if channel == "" {
		channel = "unknown"
	}
	m.turnSeconds.WithLabelValues(channel).Observe(d.Seconds())
	if err != nil {
		m.turnErrors.WithLabelValues(channel, sodam.ErrorCode(err)).Inc()
		return
	}
	if intent == "" {
		intent = "none"
	}
	m.turns.WithLabelValues(channel, intent).Inc()
}

// ObserveToolCall records one tool call; code is "" or "ok" for success,
// else the error code.
func (m *Metrics) ObserveToolCall(tool string, d time.Duration, code string) {
	if m == nil {
		return
	}
	if code == "" {
		code = "ok"
	}
	m.toolCalls.WithLabelValues(tool, code).Inc()
	m.toolSeconds.WithLabelValues(tool).Observe(d.Seconds())
}

// ObservePayment records a payment provider call that left a payment in
// status (ready, approved, cancelled, or <op>_failed).
func (m *Metrics) ObservePayment(provider, status string) {
	if m == nil {
		return
	}
	m.payments.WithLabelValues(provider, status).Inc()
}

// ConnOpened counts a long-lived connection (a websocket) of channel as
// open; ConnClosed counts it closed.
func (m *Metrics) ConnOpened(channel string) {
	if m == nil {
		return
	}
	m.conns.WithLabelValues(channel).Inc()
}

// ConnClosed counts a connection of channel as closed.
func (m *Metrics) ConnClosed(channel string) {
	if m == nil {
		return
	}
	m.conns.WithLabelValues(channel).Dec()
}

// ObserveKakao records how a Kakao skill request was answered.
func (m *Metrics) ObserveKakao(outcome string) {
	if m == nil {
		return
	}
	m.kakaoReplies.WithLabelValues(outcome).Inc()
}

func (m *Metrics) observeRequest(route string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.requestSeconds.WithLabelValues(route).Observe(d.Seconds())
}

// Assistant returns a, counting every turn it answers by the turn's
// channel and the response's intent.
func (m *Metrics) Assistant(a sodam.Assistant) sodam.Assistant {
	if m == nil {
		return a
	}
	return &measuredAssistant{a: a, m: m}
}

type measuredAssistant struct {
	a sodam.Assistant
	m *Metrics
}

func (ma *measuredAssistant) Respond(ctx context.Context, t sodam.Turn) (*sodam.Response, error) {
	start := time.Now()
	resp, err := ma.a.Respond(ctx, t)
	intent := ""
	if resp != nil {
		intent = resp.Intent
	}
	ma.m.ObserveTurn(t.Channel, intent, time.Since(start), err)
	return resp, err
}

// Payments returns p, counting each of its calls by the status it leaves
// the payment in.
func (m *Metrics) Payments(p sodam.PaymentProvider) sodam.PaymentProvider {
	if m == nil {
		return p
	}
	return &measuredProvider{PaymentProvider: p, m: m}
}

type measuredProvider struct {
	sodam.PaymentProvider
	m *Metrics
}

func (mp *measuredProvider) count(op, ok string, err error) {
	status := ok
	if err != nil {
		status = op + "_failed"
	}
	mp.m.ObservePayment(mp.Name(), status)
}

func (mp *measuredProvider) Ready(ctx context.Context, r sodam.PaymentReadyRequest) (*sodam.PaymentTicket, error) {
	t, err := mp.PaymentProvider.Ready(ctx, r)
	mp.count("ready", "ready", err)
	return t, err
}

func (mp *measuredProvider) Approve(ctx context.Context, r sodam.PaymentApproveRequest) (*sodam.PaymentApproval, error) {
	a, err := mp.PaymentProvider.Approve(ctx, r)
	mp.count("approve", "approved", err)
	return a, err
}

func (mp *measuredProvider) Cancel(ctx context.Context, r sodam.PaymentCancelRequest) (*sodam.PaymentCancellation, error) {
	c, err := mp.PaymentProvider.Cancel(ctx, r)
	mp.count("cancel", "cancelled", err)
	return c, err
}
