package nats_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/nats"
)

// BenchmarkPublishToHandler measures the time from Publish on one server
// to the handler on another, one event at a time, and reports its p50
// and p99 in milliseconds.
func BenchmarkPublishToHandler(b *testing.B) {
	e := newEnv(b, testURL())
	a := e.open(b, "a", nats.Config{})
	other := e.open(b, "b", nats.Config{})
	handled := make(chan string, 1)
	err := other.Subscribe(context.Background(), func(_ context.Context, ev *sodam.BusEvent) error {
		handled <- ev.ID
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	roundTrip := func(id string) time.Duration {
		start := time.Now()
		if err := a.Publish(ctx, event(id, sodam.EventOrderChanged)); err != nil {
			b.Fatal(err)
		}
		for got := range handled {
			if got == id {
				break
			}
		}
		return time.Since(start)
	}
	roundTrip("warm-up")

	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		lat = append(lat, roundTrip(fmt.Sprintf("ev-%d", i)))
	}
	b.StopTimer()
	slices.Sort(lat)
	ms := func(q float64) float64 {
		return float64(lat[int(q*float64(len(lat)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
}
