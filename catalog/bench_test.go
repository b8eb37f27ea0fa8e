package catalog

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"testing"
)

// writeSynthetic writes a catalog of n lines in blocks of 20: a merchant
// and 14 of its menu items, an event and 4 of its sessions. Every line is
// good, every id unique, and lines are about as long as real ones.
func writeSynthetic(w io.Writer, n int) error {
	for i := 0; i < n; i++ {
		b, k := i/20, i%20
		var err error
		switch {
		case k == 0:
			_, err = fmt.Fprintf(w, `{"kind":"merchant","id":"m-%d","name":"교촌치킨 %d호점","brand":"교촌치킨","category":"치킨","address":"서울 종로구 대학로 %d","lat":37.%04d,"lng":127.%04d,"opens":"15:00","closes":"02:00","delivery_fee":3000,"min_order":16000,"phone":"02-741-%04d"}`+"\n",
				b, b, b%300, 5000+b%1000, b%1000, b%10000)
		case k < 15:
			_, err = fmt.Fprintf(w, `{"kind":"menu_item","id":"i-%d-%d","merchant_id":"m-%d","name":"허니콤보 %d","aliases":["허니 콤보","허니콤보치킨"],"price":%d,"description":"날개와 다리만 모은 달콤한 꿀 소스 콤보","options":[{"name":"뼈","price":0},{"name":"순살","price":2000}],"discount_percent":10,"discount_until":"2026-11-30T23:59:00+09:00"}`+"\n",
				b, k, b, k, 15000+k*1000)
		case k == 15:
			_, err = fmt.Fprintf(w, `{"kind":"event","id":"e-%d","title":"연극 〈라면〉 %d","performer":"극단 라면","category":"연극","venue":"대학로 해피씨어터","address":"서울 종로구 대학로12길 64","subscriber_only":false,"channel_id":"ch-%d","lat":37.5819,"lng":127.004}`+"\n",
				b, b, b)
		default:
			_, err = fmt.Fprintf(w, `{"kind":"session","id":"s-%d-%d","event_id":"e-%d","starts_at":"2026-12-%02dT19:30:00+09:00","seats":{"R":{"price":40000,"available":60},"S":{"price":30000,"available":%d}}}`+"\n",
				b, k, b, 1+k, k)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func TestWriteSyntheticIsAllGood(t *testing.T) {
	var buf bytes.Buffer
	if err := writeSynthetic(&buf, 1000); err != nil {
		t.Fatal(err)
	}
	sum, err := (&Ingester{Store: newFakeStore()}).Ingest(context.Background(), &buf, FormatJSONL)
	if err != nil {
		t.Fatal(err)
	}
	if got := sum.Total(); got.Ingested != 1000 || got.Failed != 0 {
		t.Errorf("counts %+v, errors %v; want 1000 ingested", got, sum.Errors)
	}
}

// peakHeap wraps a reader and samples the heap in use every 4 MB read.
type peakHeap struct {
	r         io.Reader
	n, next   int64
	peakBytes uint64
}

func (p *peakHeap) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if p.n >= p.next {
		p.next = p.n + 4<<20
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		p.peakBytes = max(p.peakBytes, ms.HeapInuse)
	}
	return n, err
}

// BenchmarkIngest ingests a synthetic catalog of 200,000 lines, checking
// only and into a map store, and reports lines per second and the peak
// heap in use.
func BenchmarkIngest(b *testing.B) {
	const lines = 200_000
	var buf bytes.Buffer
	if err := writeSynthetic(&buf, lines); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	for _, mode := range []string{"dry-run", "fake-store"} {
		b.Run(mode, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var peak uint64
			for b.Loop() {
				in := &Ingester{}
				if mode == "fake-store" {
					in.Store = newFakeStore()
				}
				ph := &peakHeap{r: bytes.NewReader(data)}
				sum, err := in.Ingest(context.Background(), ph, FormatJSONL)
				if err != nil || sum.Total().Failed > 0 {
					b.Fatalf("ingest: %v %v", err, sum.Errors)
				}
				peak = max(peak, ph.peakBytes)
			}
			b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}
