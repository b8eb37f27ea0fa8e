package evals

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// scenarioFloor is the pass rate under which TestScenarioFloor fails. It
// is set a little under the rate measured on the project's scenarios, so
// that a regression shows while one flaky change does not.
const scenarioFloor = 0.95

func loadRunner(t testing.TB) *DialogueRunner {
	t.Helper()
	cat, err := os.ReadFile("testdata/catalog.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDialogueRunner(cat)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func loadScenarios(t testing.TB) []Scenario {
	t.Helper()
	f, err := os.Open("testdata/scenarios.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ss, err := ReadScenarios(f)
	if err != nil {
		t.Fatal(err)
	}
	return ss
}

func TestScenarioFloor(t *testing.T) {
	d := loadRunner(t)
	if bad := d.CatalogErrors(); len(bad) > 0 {
		t.Errorf("catalog has bad lines: %v", bad)
	}
	ss := loadScenarios(t)
	if len(ss) < 64 {
		t.Errorf("got %d scenarios, want at least 64", len(ss))
	}
	rep, err := d.Run(context.Background(), ss)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range rep.Scenarios {
		if !s.Pass {
			var b strings.Builder
			for _, tl := range s.Turns {
				b.WriteString("\n    > " + tl.User + "\n    " + strings.ReplaceAll(tl.Reply, "\n", "\n    "))
			}
			t.Logf("FAIL %s: %s%s", s.ID, s.Diff, b.String())
		}
	}
	t.Logf("passed %d of %d (%.1f%%); turn latency p50 %.3f ms, p99 %.3f ms",
		rep.Passed, rep.Total, rep.PassRate*100, rep.Latency.P50, rep.Latency.P99)
	if rep.PassRate < scenarioFloor {
		t.Errorf("pass rate %.3f is under the floor %.2f", rep.PassRate, scenarioFloor)
	}
}

// BenchmarkTurn measures one turn of the dialogue on the embedded store:
// an order conversation replayed by one new user after another. Besides
// ns/op it reports the median and the 99th percentile of the turns
// (targets: p50 at most 1 ms, p99 at most 5 ms).
func BenchmarkTurn(b *testing.B) {
	d := loadRunner(b)
	ctx := context.Background()
	ref := time.Date(2026, 11, 24, 18, 0, 0, 0, time.FixedZone("KST", 9*3600))
	h, err := d.NewHarness(ctx, ref)
	if err != nil {
		b.Fatal(err)
	}
	turns := []string{"교동치킨 후라이드 한 마리 시켜줘", "콜라도 하나 추가해줘", "결제할게요", "네", "치킨 언제 와요?"}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		user := "bench-" + itoa(i/len(turns))
		start := time.Now()
		if _, err := h.Assistant.Respond(ctx, turnOf(user, turns[i%len(turns)])); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	s := summarize(lat)
	b.ReportMetric(s.P50, "p50-ms")
	b.ReportMetric(s.P99, "p99-ms")
}
