package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
)

func batchOf(n int) *sodam.CatalogBatch {
	b := &sodam.CatalogBatch{}
	for m := range max(1, n/10) {
		b.Merchants = append(b.Merchants, &sodam.Merchant{ID: fmt.Sprintf("m-%05d", m), Name: fmt.Sprintf("동네치킨 %d호점", m),
			Category: "치킨", Lat: 37.5 + float64(m%100)/1000, Lng: 127.0 + float64(m%77)/1000, Opens: "11:00", Closes: "24:00"})
	}
	menu := []string{"후라이드치킨", "양념치킨", "간장치킨", "파닭", "치즈볼", "콜라", "사이다", "감자튀김", "반반치킨", "순살치킨"}
	for i := range n - len(b.Merchants) {
		m := b.Merchants[i%len(b.Merchants)]
		b.MenuItems = append(b.MenuItems, &sodam.MenuItem{ID: fmt.Sprintf("i-%06d", i), MerchantID: m.ID,
			Name: menu[i%len(menu)], Price: int64(15000 + 1000*(i%9))})
	}
	return b
}

func TestUpsertBatch(t *testing.T) {
	t.Parallel()
	s := newStore(t, nil)
	ctx := context.Background()
	b := batchOf(200)
	b.Events = []*sodam.Event{{ID: "e-1", Title: "아이유 콘서트", Category: "콘서트"}}
	b.Sessions = []*sodam.Session{{ID: "s-1", EventID: "e-1", StartsAt: time.Date(2026, 12, 24, 19, 0, 0, 0, sodam.Seoul),
		Seats: map[string]sodam.Seat{"R": {Price: 143000, Available: 10}}}}
	if err := s.UpsertBatch(ctx, b); err != nil {
		t.Fatal(err)
	}
	// Again: nothing changes.
	if err := s.UpsertBatch(ctx, b); err != nil {
		t.Fatal(err)
	}
	items, err := s.MenuItems(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != len(b.MenuItems) {
		t.Errorf("%d items stored, want %d", len(items), len(b.MenuItems))
	}
	ss, err := s.Session(ctx, "s-1")
	if err != nil || ss.Seats["R"].Available != 10 {
		t.Errorf("session = %+v, %v", ss, err)
	}
	hits, err := s.Search(ctx, sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: "양념치킨", Limit: 3})
	if err != nil || len(hits) == 0 {
		t.Fatalf("search after batch: %v, %v", hits, err)
	}
	it, _ := s.MenuItem(ctx, hits[0].ID)
	if it.Name != "양념치킨" {
		t.Errorf("top hit for 양념치킨 is %q", it.Name)
	}
	// An item whose merchant is neither in the batch nor stored fails the
	// whole batch.
	bad := &sodam.CatalogBatch{MenuItems: []*sodam.MenuItem{{ID: "i-x", MerchantID: "m-none", Name: "x", Price: 1}}}
	if err := s.UpsertBatch(ctx, bad); !sodam.IsCode(err, sodam.ENOTFOUND) {
		t.Errorf("unknown merchant: err = %v, want not_found", err)
	}
}

// BenchmarkUpsertBatch measures bulk ingestion with the built-in embedder
// (records/s is reported; the target is >= 5,000).
func BenchmarkUpsertBatch(b *testing.B) {
	s := newStore(b, nil)
	ctx := context.Background()
	const per = 1000
	b.ResetTimer()
	start := time.Now()
	for n := 0; n < b.N; n++ {
		batch := batchOf(per)
		for _, m := range batch.Merchants {
			m.ID = fmt.Sprintf("%s-%d", m.ID, n)
		}
		for _, i := range batch.MenuItems {
			i.ID = fmt.Sprintf("%s-%d", i.ID, n)
			i.MerchantID = fmt.Sprintf("%s-%d", i.MerchantID, n)
		}
		if err := s.UpsertBatch(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*per)/time.Since(start).Seconds(), "records/s")
}
