package demo

import (
	"context"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/catalog"
	"github.com/sodam-ai/sodam/connectors/memstore"
)

func TestLoadIntoStore(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 18, 0, 0, 0, sodam.Seoul)
	st := memstore.New(nil, sodam.ClockFunc(func() time.Time { return now }))
	if err := Load(ctx, st, now); err != nil {
		t.Fatalf("Load: %v", err)
	}
	merchants, err := st.Merchants(ctx)
	if err != nil {
		t.Fatal(err)
	}
	items, err := st.MenuItems(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	events, err := st.Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(merchants) < 45 || len(items) < 450 || len(events) < 24 {
		t.Errorf("store holds %d merchants, %d items, %d events", len(merchants), len(items), len(events))
	}

	// The example of the service's contract: 교동치킨 혜화점's 후라이드치킨
	// at 10% off plus the delivery fee comes to 19,200원 at 18:00.
	m, err := st.Merchant(ctx, "m-001")
	if err != nil {
		t.Fatal(err)
	}
	i, err := st.MenuItem(ctx, "i-001-01")
	if err != nil {
		t.Fatal(err)
	}
	if !m.OpenAt(now) || i.BasePriceAt(now)+m.DeliveryFee != 19200 {
		t.Errorf("%s open %v, %s at %d + %d", m.Name, m.OpenAt(now), i.Name, i.BasePriceAt(now), m.DeliveryFee)
	}

	// Ingesting the file as written over what Load stored rewrites the
	// dated records; ingesting it again changes nothing, as a real store
	// hands the records back.
	recs, err := Records(now)
	if err != nil {
		t.Fatal(err)
	}
	in := &catalog.Ingester{Store: st}
	sum, err := in.Ingest(ctx, JSONL(), catalog.FormatJSONL)
	if err != nil {
		t.Fatal(err)
	}
	if got := sum.Total(); got.Failed != 0 || got.Read != int64(len(recs)) {
		t.Errorf("ingest over the demo: %+v %v", got, sum.Errors)
	}
	again, err := in.Ingest(ctx, JSONL(), catalog.FormatJSONL)
	if err != nil {
		t.Fatal(err)
	}
	if got := again.Total(); got.Unchanged != got.Read || got.Ingested != 0 {
		t.Errorf("second ingest into memstore %+v, want everything unchanged", got)
	}
}
