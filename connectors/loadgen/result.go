package loadgen

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"text/tabwriter"
	"time"
)

// Result is what a run measured. Latencies are in milliseconds.
type Result struct {
	Users       int     `json:"users"`
	DurationSec float64 `json:"duration_sec"`
	// Connected is the number of hellos answered (reconnects included);
	// ConnectFailures the dials or hellos that failed; Drops the
	// connections lost mid-turn; PeakConnections the most open at once.
	Connected       int `json:"connected"`
	ConnectFailures int `json:"connect_failures"`
	Drops           int `json:"drops"`
	PeakConnections int `json:"peak_connections"`

	Turns      int            `json:"turns"`  // turns sent and settled
	Errors     int            `json:"errors"` // turns answered with an error frame or lost
	ErrorCodes map[string]int `json:"error_codes,omitempty"`
	// Throughput is answered (not failed) turns a second.
	Throughput float64 `json:"throughput_per_sec"`
	P50Ms      float64 `json:"p50_ms"`
	P95Ms      float64 `json:"p95_ms"`
	P99Ms      float64 `json:"p99_ms"`
	MaxMs      float64 `json:"max_ms"`

	// The server: memory before the users connected and at its peak, and
	// the peak's growth per connection held; -1 when unknown.
	RSSBeforeBytes   int64   `json:"rss_before_bytes"`
	RSSPeakBytes     int64   `json:"rss_peak_bytes"`
	RSSPerConnBytes  float64 `json:"rss_per_conn_bytes"`
	GoroutinesBefore int     `json:"goroutines_before"`
	GoroutinesPeak   int     `json:"goroutines_peak"`

	// Servers are the figures of each server when the run spread its
	// users over several (Config.URLs), in the order given.
	Servers []ServerResult `json:"servers,omitempty"`

	// Slowest are the slowest answered turns, slowest first.
	Slowest []SlowTurn `json:"slowest,omitempty"`
	// UserIDs are the users the server gave the connections, sorted.
	UserIDs []string `json:"-"`
	// FirstErrors are the first few failures, to tell what went wrong.
	FirstErrors []string `json:"first_errors,omitempty"`
	// Series holds one point a second; Histogram the turn latencies.
	Series    []Sample `json:"series"`
	Histogram []Bucket `json:"histogram"`
}

// ServerResult is what one of several servers got: the hellos it
// answered, the dials or hellos that failed, the connections lost
// mid-turn, and its turns.
type ServerResult struct {
	URL             string  `json:"url"`
	Connected       int     `json:"connected"`
	ConnectFailures int     `json:"connect_failures"`
	Drops           int     `json:"drops"`
	Turns           int     `json:"turns"`
	Errors          int     `json:"errors"`
	Throughput      float64 `json:"throughput_per_sec"`
	P50Ms           float64 `json:"p50_ms"`
	P99Ms           float64 `json:"p99_ms"`
}

// SlowTurn is one of the slowest turns: what was said and how long its
// answer took.
type SlowTurn struct {
	Text      string  `json:"text"`
	LatencyMs float64 `json:"latency_ms"`
}

// Sample is one second of the run: the turns sent in it, how they went,
// and the server's state at its end.
type Sample struct {
	At          float64 `json:"at_sec"`
	Turns       int     `json:"turns"`
	Errors      int     `json:"errors"`
	P50Ms       float64 `json:"p50_ms"`
	P99Ms       float64 `json:"p99_ms"`
	RSSBytes    int64   `json:"rss_bytes"`
	Goroutines  int     `json:"goroutines"`
	Connections int     `json:"connections"`
}

// Bucket counts the answered turns whose latency is below UpToMs and at
// least the previous bucket's bound.
type Bucket struct {
	UpToMs float64 `json:"up_to_ms"`
	Count  int     `json:"count"`
}

// histogramBounds are the buckets' upper bounds in milliseconds.
var histogramBounds = []float64{1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000, 2000, 5000, math.Inf(1)}

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e4) / 100 }

// result summarises the run.
func (r *runner) result(elapsed time.Duration, before ServerSample, samples []Sample) *Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	res := &Result{
		Users: r.cfg.Users, DurationSec: math.Round(elapsed.Seconds()*100) / 100,
		Connected: r.connects, ConnectFailures: r.connFails, Drops: r.drops, PeakConnections: int(r.peakConns.Load()),
		ErrorCodes:     map[string]int{},
		RSSBeforeBytes: before.RSSBytes, RSSPeakBytes: before.RSSBytes, RSSPerConnBytes: -1,
		GoroutinesBefore: before.Goroutines, GoroutinesPeak: before.Goroutines,
		FirstErrors: slices.Clone(r.errs),
		UserIDs:     slices.Sorted(maps.Keys(r.userIDs)),
	}
	var ok []time.Duration
	perSec := map[int][]turnRecord{}
	for _, t := range r.turns {
		res.Turns++
		if t.code != "" {
			res.Errors++
			res.ErrorCodes[t.code]++
		} else {
			ok = append(ok, t.latency)
		}
		sec := int(t.at / time.Second)
		perSec[sec] = append(perSec[sec], t)
	}
	slices.Sort(ok)
	var slow []turnRecord
	for _, t := range r.turns {
		if t.code == "" {
			slow = append(slow, t)
		}
	}
	slices.SortFunc(slow, func(a, b turnRecord) int { return int(b.latency - a.latency) })
	for _, t := range slow[:min(5, len(slow))] {
		res.Slowest = append(res.Slowest, SlowTurn{Text: t.text, LatencyMs: ms(t.latency)})
	}
	if elapsed > 0 {
		res.Throughput = math.Round(float64(len(ok))/elapsed.Seconds()*10) / 10
	}
	res.P50Ms, res.P95Ms, res.P99Ms = ms(percentile(ok, .50)), ms(percentile(ok, .95)), ms(percentile(ok, .99))
	if len(ok) > 0 {
		res.MaxMs = ms(ok[len(ok)-1])
	}

	for _, s := range samples {
		res.RSSPeakBytes = max(res.RSSPeakBytes, s.RSSBytes)
		res.GoroutinesPeak = max(res.GoroutinesPeak, s.Goroutines)
	}
	if before.RSSBytes >= 0 && res.PeakConnections > 0 && res.RSSPeakBytes > before.RSSBytes {
		res.RSSPerConnBytes = math.Round(float64(res.RSSPeakBytes-before.RSSBytes) / float64(res.PeakConnections))
	}

	// One point a second: the turns sent in that second, with the
	// server's state sampled at its end.
	for k := range samples {
		s := &samples[k]
		sec := int(s.At+0.5) - 1
		var lat []time.Duration
		for _, t := range perSec[sec] {
			s.Turns++
			if t.code != "" {
				s.Errors++
			} else {
				lat = append(lat, t.latency)
			}
		}
		slices.Sort(lat)
		s.P50Ms, s.P99Ms = ms(percentile(lat, .5)), ms(percentile(lat, .99))
	}
	res.Series = samples
	if res.Series == nil {
		res.Series = []Sample{}
	}

	if len(r.cfg.URLs) > 1 {
		res.Servers = r.serverResults(elapsed)
	}

	res.Histogram = make([]Bucket, len(histogramBounds))
	k := 0
	for i, b := range histogramBounds {
		res.Histogram[i].UpToMs = b
		for k < len(ok) && ms(ok[k]) < b {
			res.Histogram[i].Count++
			k++
		}
	}
	return res
}

// serverResults splits the turns by server. r.mu is held.
func (r *runner) serverResults(elapsed time.Duration) []ServerResult {
	out := make([]ServerResult, len(r.cfg.URLs))
	lat := make([][]time.Duration, len(r.cfg.URLs))
	for i, u := range r.cfg.URLs {
		c := r.servers[i]
		out[i] = ServerResult{URL: u, Connected: c.connects, ConnectFailures: c.connFails, Drops: c.drops}
	}
	for _, t := range r.turns {
		s := &out[t.server]
		s.Turns++
		if t.code != "" {
			s.Errors++
		} else {
			lat[t.server] = append(lat[t.server], t.latency)
		}
	}
	for i := range out {
		ok := lat[i]
		slices.Sort(ok)
		if elapsed > 0 {
			out[i].Throughput = math.Round(float64(len(ok))/elapsed.Seconds()*10) / 10
		}
		out[i].P50Ms, out[i].P99Ms = ms(percentile(ok, .50)), ms(percentile(ok, .99))
	}
	return out
}

// WriteJSON writes the result as indented JSON. The last histogram bound,
// infinity, is written as 0.
func (res *Result) WriteJSON(w io.Writer) error {
	out := *res
	out.Histogram = slices.Clone(res.Histogram)
	for k := range out.Histogram {
		if math.IsInf(out.Histogram[k].UpToMs, 1) {
			out.Histogram[k].UpToMs = 0
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// WriteTable writes the result as an aligned table for a terminal.
func (res *Result) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k, format string, a ...any) { fmt.Fprintf(tw, "%s\t"+format+"\n", append([]any{k}, a...)...) }
	row("users", "%d (peak %d connections, %d hellos, %d connect failures, %d dropped)",
		res.Users, res.PeakConnections, res.Connected, res.ConnectFailures, res.Drops)
	row("duration", "%.1f s", res.DurationSec)
	row("turns", "%d (%d errors)", res.Turns, res.Errors)
	row("throughput", "%.1f turns/s", res.Throughput)
	row("latency", "p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms", res.P50Ms, res.P95Ms, res.P99Ms, res.MaxMs)
	for _, c := range slices.Sorted(maps.Keys(res.ErrorCodes)) {
		row("  error "+c, "%d", res.ErrorCodes[c])
	}
	for _, s := range res.Servers {
		row("  server "+s.URL, "%d hellos (%d failed, %d dropped), %d turns (%d errors), %.1f turns/s, p50 %.2f ms  p99 %.2f ms",
			s.Connected, s.ConnectFailures, s.Drops, s.Turns, s.Errors, s.Throughput, s.P50Ms, s.P99Ms)
	}
	if res.RSSBeforeBytes >= 0 {
		row("server RSS", "%.1f MiB before, %.1f MiB peak", mib(res.RSSBeforeBytes), mib(res.RSSPeakBytes))
		if res.RSSPerConnBytes >= 0 {
			row("RSS per connection", "%.1f KiB", res.RSSPerConnBytes/1024)
		}
	}
	if res.GoroutinesBefore >= 0 {
		row("goroutines", "%d before, %d peak", res.GoroutinesBefore, res.GoroutinesPeak)
	}
	for _, t := range res.Slowest {
		row("  slow turn", "%.1f ms  %s", t.LatencyMs, t.Text)
	}
	for _, e := range res.FirstErrors {
		row("  failure", "%s", e)
	}
	return tw.Flush()
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }
