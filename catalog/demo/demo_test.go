package demo

import (
	"context"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/catalog"
)

func TestCatalogIngestsWithoutErrors(t *testing.T) {
	in := &catalog.Ingester{}
	sum, err := in.Ingest(context.Background(), JSONL(), catalog.FormatJSONL)
	if err != nil {
		t.Fatalf("Ingest: %v", err)
	}
	for _, e := range sum.Errors {
		t.Errorf("bad line: %v", e)
	}
	if got := sum.Total(); got.Failed != 0 || got.Ingested != got.Read {
		t.Errorf("total %+v, want every line ingested", got)
	}
}

func TestRecordsMeetTheCounts(t *testing.T) {
	recs, err := Records(time.Date(2026, 11, 24, 18, 0, 0, 0, sodam.Seoul))
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	districts := map[string]bool{}
	brands := map[string]map[string]bool{} // brand -> districts
	ids := map[string]bool{}
	subscriberOnly := 0
	discounted := 0
	for _, r := range recs {
		count[r.Kind]++
		if ids[r.Kind+" "+r.ID()] {
			t.Errorf("%s %s appears twice", r.Kind, r.ID())
		}
		ids[r.Kind+" "+r.ID()] = true
		switch {
		case r.Merchant != nil:
			d := district(r.Merchant.Address)
			districts[d] = true
			if b := r.Merchant.Brand; b != "" {
				if brands[b] == nil {
					brands[b] = map[string]bool{}
				}
				brands[b][d] = true
			}
		case r.MenuItem != nil:
			if r.MenuItem.DiscountPercent > 0 {
				discounted++
			}
		case r.Event != nil:
			if r.Event.SubscriberOnly && r.Event.Category == "팬미팅" && r.Event.ChannelID != "" {
				subscriberOnly++
			}
		}
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"merchants", count[catalog.KindMerchant], 45},
		{"menu items", count[catalog.KindMenuItem], 450},
		{"events", count[catalog.KindEvent], 24},
		{"sessions", count[catalog.KindSession], 48},
		{"districts", len(districts), 6},
		{"subscriber-only fan meetings", subscriberOnly, 2},
		{"discounted items", discounted, count[catalog.KindMenuItem] / 15},
		{"districts of 교촌치킨", len(brands["교촌치킨"]), 3},
	} {
		if c.got < c.want {
			t.Errorf("%s: %d, want at least %d", c.what, c.got, c.want)
		}
	}
}

// district returns the 구 of a Seoul address ("서울 종로구 대학로 100").
func district(addr string) string {
	var parts [3]string
	n := 0
	start := 0
	for i, r := range addr + " " {
		if r == ' ' {
			if n < len(parts) {
				parts[n] = addr[start:i]
			}
			n++
			start = i + 1
		}
	}
	return parts[1]
}

func TestRecordsLieAfterNow(t *testing.T) {
	nows := []time.Time{
		time.Date(2025, 6, 1, 12, 0, 0, 0, sodam.Seoul),
		time.Date(2026, 1, 1, 0, 0, 0, 0, sodam.Seoul),
		time.Date(2026, 1, 1, 23, 59, 0, 0, sodam.Seoul),
		time.Date(2026, 1, 8, 23, 30, 0, 0, sodam.Seoul), // a whole week after Base
		time.Date(2026, 11, 24, 18, 0, 0, 0, sodam.Seoul),
		time.Date(2026, 12, 31, 23, 59, 0, 0, sodam.Seoul),
		time.Date(2027, 3, 14, 2, 0, 0, 0, time.UTC), // 11:00 in Seoul
		time.Date(2031, 2, 28, 15, 30, 0, 0, time.UTC),
	}
	for _, now := range nows {
		t.Run(now.Format(time.RFC3339), func(t *testing.T) {
			recs, err := Records(now)
			if err != nil {
				t.Fatal(err)
			}
			if s := Shift(now); s%7 != 0 {
				t.Errorf("Shift = %d days, want whole weeks", s)
			}
			first := time.Time{}
			for _, r := range recs {
				switch {
				case r.Session != nil:
					if !r.Session.StartsAt.After(now) {
						t.Errorf("session %s starts %v, not after now", r.Session.ID, r.Session.StartsAt)
					}
					if first.IsZero() || r.Session.StartsAt.Before(first) {
						first = r.Session.StartsAt
					}
				case r.MenuItem != nil && r.MenuItem.DiscountUntil != nil:
					if !r.MenuItem.DiscountUntil.After(now) {
						t.Errorf("item %s: discount ends %v, not after now", r.MenuItem.ID, r.MenuItem.DiscountUntil)
					}
				}
			}
			if limit := now.AddDate(0, 0, 9); first.After(limit) {
				t.Errorf("first session %v, want one within 9 days of now", first)
			}
		})
	}
}

func TestRecordsKeepWeekdays(t *testing.T) {
	base, err := Records(Base())
	if err != nil {
		t.Fatal(err)
	}
	later, err := Records(time.Date(2026, 11, 24, 18, 0, 0, 0, sodam.Seoul))
	if err != nil {
		t.Fatal(err)
	}
	for i := range base {
		if base[i].Session == nil {
			continue
		}
		a, b := base[i].Session.StartsAt, later[i].Session.StartsAt
		if a.Weekday() != b.Weekday() || a.Hour() != b.Hour() || a.Minute() != b.Minute() {
			t.Errorf("session %s: %v shifted to %v", base[i].Session.ID, a, b)
		}
	}
}
