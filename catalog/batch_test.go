package catalog

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sodam-ai/sodam"
)

// batchStore adds an all-or-nothing UpsertBatch to fakeStore, recording
// the size of each batch and any id a batch held twice.
type batchStore struct {
	*fakeStore
	batches []int
	dupIDs  []string
	down    error // when set, UpsertBatch returns it
}

var _ sodam.CatalogBatcher = (*batchStore)(nil)

func (s *batchStore) UpsertBatch(ctx context.Context, b *sodam.CatalogBatch) error {
	if s.down != nil {
		return s.down
	}
	s.batches = append(s.batches, b.Len())
	seen := map[string]bool{}
	note := func(kind, id string) {
		if seen[kind+id] {
			s.dupIDs = append(s.dupIDs, id)
		}
		seen[kind+id] = true
	}
	merchants := map[string]bool{}
	events := map[string]bool{}
	for _, m := range b.Merchants {
		note("m", m.ID)
		merchants[m.ID] = true
	}
	for _, e := range b.Events {
		note("e", e.ID)
		events[e.ID] = true
	}
	for _, i := range b.MenuItems {
		note("i", i.ID)
		if _, ok := s.merchants[i.MerchantID]; !ok && !merchants[i.MerchantID] {
			return notFound("merchant", i.MerchantID)
		}
	}
	for _, ss := range b.Sessions {
		note("s", ss.ID)
		if _, ok := s.events[ss.EventID]; !ok && !events[ss.EventID] {
			return notFound("event", ss.EventID)
		}
	}
	for _, m := range b.Merchants {
		s.merchants[m.ID] = *m
	}
	for _, e := range b.Events {
		s.events[e.ID] = *e
	}
	for _, i := range b.MenuItems {
		s.items[i.ID] = *i
	}
	for _, ss := range b.Sessions {
		s.sessions[ss.ID] = *ss
	}
	return nil
}

func TestIngestInBatches(t *testing.T) {
	var src strings.Builder
	src.WriteString(lines(goodMerchant, goodEvent, goodMerchant)) // m-1 twice
	for i := range 5 {
		fmt.Fprintln(&src, strings.Replace(goodItem, `"i-1"`, fmt.Sprintf(`"i-%d"`, i), 1))
	}
	src.WriteString(lines(goodSession, `{"kind":"menu_item"}`))
	st := &batchStore{fakeStore: newFakeStore()}
	sum, err := (&Ingester{Store: st, BatchSize: 3}).Ingest(context.Background(), strings.NewReader(src.String()), FormatJSONL)
	if err != nil {
		t.Fatal(err)
	}
	if got := sum.Total(); got != (Counts{Read: 10, Ingested: 9, Failed: 1}) {
		t.Errorf("counts %+v", got)
	}
	// Batches of 3, except that the repeated m-1 closes the first early.
	if diff := cmp.Diff([]int{2, 3, 3, 1}, st.batches); diff != "" {
		t.Errorf("batch sizes (-want +got):\n%s", diff)
	}
	if len(st.dupIDs) > 0 {
		t.Errorf("a batch held %v twice", st.dupIDs)
	}
	if len(st.items) != 5 || len(st.sessions) != 1 {
		t.Errorf("store holds %d items and %d sessions", len(st.items), len(st.sessions))
	}
	if st.writes != 0 {
		t.Errorf("%d writes record by record, want none", st.writes)
	}
	if !sum.Batched {
		t.Error("Batched = false")
	}
}

func TestIngestBatchRefusedFindsTheLine(t *testing.T) {
	// The lookup knows m-1 but the target store does not: the batch is
	// refused and written again record by record, which reports line 2
	// and stores the rest.
	st := &batchStore{fakeStore: newFakeStore()}
	in := &Ingester{Store: st, Lookup: storeWith(t, goodMerchant)}
	src := lines(goodEvent, goodItem, goodSession)
	sum, err := in.Ingest(context.Background(), strings.NewReader(src), FormatJSONL)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"line 2: menu_item i-1: store refused it: not_found: merchant m-1 not found"}
	if diff := cmp.Diff(want, errorTexts(sum.Errors)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if len(st.events) != 1 || len(st.sessions) != 1 || len(st.items) != 0 {
		t.Errorf("store holds %d events, %d sessions, %d items", len(st.events), len(st.sessions), len(st.items))
	}
	if got := sum.Total(); got != (Counts{Read: 3, Ingested: 2, Failed: 1}) {
		t.Errorf("counts %+v", got)
	}
}

func TestIngestBatchStoreDown(t *testing.T) {
	down := sodam.Errorf(sodam.EUNAVAILABLE, "connection refused")
	st := &batchStore{fakeStore: newFakeStore(), down: down}
	sum, err := (&Ingester{Store: st}).Ingest(context.Background(), strings.NewReader(lines(goodMerchant, goodEvent)), FormatJSONL)
	if !errors.Is(err, down) {
		t.Fatalf("err = %v, want the store's error", err)
	}
	if got := sum.Total(); got.Ingested != 0 {
		t.Errorf("counts %+v, want nothing counted as ingested", got)
	}
}

// bulkStore is a batchStore that records its bulk loads.
type bulkStore struct {
	*batchStore
	begun []int // the records each BeginBulk was told of
	ended int
	// items is how many items were stored when the bulk load ended.
	itemsAtEnd int
}

var _ BulkLoader = (*bulkStore)(nil)

func (s *bulkStore) BeginBulk(ctx context.Context, records int) (func(context.Context) error, error) {
	s.begun = append(s.begun, records)
	return func(ctx context.Context) error {
		s.ended++
		s.itemsAtEnd = len(s.items)
		time.Sleep(time.Millisecond) // an index build takes time
		return ctx.Err()
	}, nil
}

func TestIngestBulkLoad(t *testing.T) {
	var src strings.Builder
	src.WriteString(lines(goodMerchant))
	for i := range 50 {
		fmt.Fprintln(&src, strings.Replace(goodItem, `"i-1"`, fmt.Sprintf(`"i-%d"`, i), 1))
	}
	for _, tc := range []struct {
		name      string
		total     int64
		down      error
		wantBegun []int
		wantEnded int
		wantItems int
	}{
		{"size known", int64(src.Len()), nil, []int{src.Len() / bytesPerRecord}, 1, 50},
		{"size unknown", 0, nil, nil, 0, 0},
		{"store fails mid-ingest", int64(src.Len()), errors.New("connection lost"), []int{src.Len() / bytesPerRecord}, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := &bulkStore{batchStore: &batchStore{fakeStore: newFakeStore(), down: tc.down}}
			in := &Ingester{Store: st, Total: tc.total, BatchSize: 20}
			sum, err := in.Ingest(context.Background(), strings.NewReader(src.String()), FormatJSONL)
			if (err != nil) != (tc.down != nil) {
				t.Fatalf("err = %v, want an error: %v", err, tc.down != nil)
			}
			if diff := cmp.Diff(tc.wantBegun, st.begun); diff != "" {
				t.Errorf("BeginBulk calls (-want +got):\n%s", diff)
			}
			if st.ended != tc.wantEnded {
				t.Errorf("bulk load ended %d times, want %d", st.ended, tc.wantEnded)
			}
			if st.ended > 0 && st.itemsAtEnd != tc.wantItems {
				t.Errorf("the bulk load ended with %d items stored, want %d (after the last batch)", st.itemsAtEnd, tc.wantItems)
			}
			if (sum.IndexBuild > 0) != (tc.wantEnded > 0) {
				t.Errorf("summary index build %v, want one only when a bulk load ended", sum.IndexBuild)
			}
		})
	}
}
