package catalog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sodam-ai/sodam"
)

func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

func errorTexts(errs []*LineError) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func TestIngestReferences(t *testing.T) {
	otherMerchant := strings.Replace(goodMerchant, `"m-1"`, `"m-2"`, 1)
	tests := []struct {
		name    string
		src     string
		store   *fakeStore // nil: dry run
		lookup  Lookup
		wantErr []string
	}{
		{
			name: "defined earlier",
			src:  lines(goodMerchant, goodItem, goodEvent, goodSession),
		},
		{
			name: "defined later",
			src:  lines(goodItem, goodSession, goodMerchant, goodEvent),
			wantErr: []string{
				"line 1: menu_item i-1: merchant_id m-1 is not defined earlier in the file",
				"line 2: session s-1: event_id e-1 is not defined earlier in the file",
			},
		},
		{
			name:    "merchant line was bad",
			src:     lines(edit(t, goodMerchant, "lat", `100`), goodItem),
			wantErr: []string{"line 1: merchant m-1: lat 100 out of range -90..90", "line 2: menu_item i-1: merchant_id m-1 is not defined earlier in the file"},
		},
		{
			name:    "other merchant",
			src:     lines(otherMerchant, goodItem),
			wantErr: []string{"line 2: menu_item i-1: merchant_id m-1 is not defined earlier in the file"},
		},
		{
			name:   "found by lookup in a dry run",
			src:    lines(goodItem, goodSession),
			lookup: storeWith(t, goodMerchant, goodEvent),
		},
		{
			name:  "found in the target store",
			src:   lines(goodItem, goodSession),
			store: storeWith(t, goodMerchant, goodEvent),
		},
		{
			name:  "missing from the target store",
			src:   lines(goodItem, goodSession),
			store: newFakeStore(),
			wantErr: []string{
				"line 1: menu_item i-1: merchant_id m-1 is not defined earlier in the file or in the store",
				"line 2: session s-1: event_id e-1 is not defined earlier in the file or in the store",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := &Ingester{Lookup: tc.lookup}
			if tc.store != nil {
				in.Store = tc.store
			}
			sum, err := in.Ingest(context.Background(), strings.NewReader(tc.src), FormatJSONL)
			if err != nil {
				t.Fatalf("Ingest: %v", err)
			}
			if diff := cmp.Diff(tc.wantErr, errorTexts(sum.Errors)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			total := sum.Total()
			if want := int64(len(tc.wantErr)); total.Failed != want {
				t.Errorf("failed %d, want %d", total.Failed, want)
			}
			if total.Read != total.Ingested+total.Failed {
				t.Errorf("counts %+v do not add up", total)
			}
		})
	}
}

// storeWith returns a fake store holding the records of the given lines.
func storeWith(t *testing.T, ls ...string) *fakeStore {
	t.Helper()
	st := newFakeStore()
	sum, err := (&Ingester{Store: st}).Ingest(context.Background(), strings.NewReader(lines(ls...)), FormatJSONL)
	if err != nil || sum.Total().Failed > 0 {
		t.Fatalf("preparing the store: %v %v", err, sum.Errors)
	}
	return st
}

func TestIngestIsIdempotent(t *testing.T) {
	src := lines(goodMerchant, goodItem, goodEvent, goodSession)
	st := newFakeStore()
	in := &Ingester{Store: st}
	first, err := in.Ingest(context.Background(), strings.NewReader(src), FormatJSONL)
	if err != nil {
		t.Fatal(err)
	}
	if got := first.Total(); got != (Counts{Read: 4, Ingested: 4}) {
		t.Errorf("first ingest %+v, want 4 ingested", got)
	}
	writes := st.writes
	before := snapshot(st)

	second, err := in.Ingest(context.Background(), strings.NewReader(src), FormatJSONL)
	if err != nil {
		t.Fatal(err)
	}
	if got := second.Total(); got != (Counts{Read: 4, Unchanged: 4}) {
		t.Errorf("second ingest %+v, want 4 unchanged", got)
	}
	if st.writes != writes {
		t.Errorf("second ingest wrote %d times, want 0", st.writes-writes)
	}
	if diff := cmp.Diff(before, snapshot(st)); diff != "" {
		t.Errorf("store changed (-before +after):\n%s", diff)
	}

	// A changed price is written again; the rest stays unchanged.
	changed := strings.Replace(src, `"price": 18000`, `"price": 19000`, 1)
	third, err := in.Ingest(context.Background(), strings.NewReader(changed), FormatJSONL)
	if err != nil {
		t.Fatal(err)
	}
	if got := third.Kinds[KindMenuItem]; got != (Counts{Read: 1, Ingested: 1}) {
		t.Errorf("menu items %+v, want the changed one ingested", got)
	}
	if got := third.Total().Unchanged; got != 3 {
		t.Errorf("unchanged %d, want 3", got)
	}
	if st.items["i-1"].Price != 19000 {
		t.Errorf("price %d, want 19000", st.items["i-1"].Price)
	}
}

func snapshot(st *fakeStore) string {
	return fmt.Sprint(st.merchants, st.items, st.events, st.sessions)
}

func TestIngestMixedFile(t *testing.T) {
	for _, workers := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) { testIngestMixedFile(t, workers) })
	}
}

func testIngestMixedFile(t *testing.T, workers int) {
	src := lines(
		goodMerchant,
		edit(t, goodItem, "price", `-1`),
		goodItem,
		`not json`,
		"",
		goodEvent,
		edit(t, goodSession, "starts_at", `"tomorrow"`),
		strings.Replace(goodSession, `"s-1"`, `"s-2"`, 1),
		`{"kind": "coupon", "id": "c-1"}`,
	)
	st := newFakeStore()
	var seen []int
	in := &Ingester{Store: st, Workers: workers, OnError: func(le *LineError) { seen = append(seen, le.Line) }}
	sum, err := in.Ingest(context.Background(), strings.NewReader(src), FormatJSONL)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Counts{
		KindMerchant: {Read: 1, Ingested: 1},
		KindMenuItem: {Read: 2, Ingested: 1, Failed: 1},
		KindEvent:    {Read: 1, Ingested: 1},
		KindSession:  {Read: 2, Ingested: 1, Failed: 1},
		"":           {Read: 2, Failed: 2},
	}
	if diff := cmp.Diff(want, sum.Kinds); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{2, 4, 7, 9}, seen); diff != "" {
		t.Errorf("bad lines (-want +got):\n%s", diff)
	}
	if len(st.merchants) != 1 || len(st.items) != 1 || len(st.events) != 1 || len(st.sessions) != 1 {
		t.Errorf("store holds %d/%d/%d/%d records, want one of each", len(st.merchants), len(st.items), len(st.events), len(st.sessions))
	}
	if sum.Lines != 9 {
		t.Errorf("Lines = %d, want 9", sum.Lines)
	}
	var report bytes.Buffer
	if err := sum.Report(&report); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"menu_item  read 2, ingested 1, unchanged 0, failed 1", "(unknown)  read 2, ingested 0, unchanged 0, failed 2", "total      read 8, ingested 4, unchanged 0, failed 4"} {
		if !strings.Contains(report.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, report.String())
		}
	}
}

func TestIngestCapsKeptErrors(t *testing.T) {
	var src strings.Builder
	for range 5 {
		src.WriteString("{}\n")
	}
	calls := 0
	in := &Ingester{MaxErrors: 2, OnError: func(*LineError) { calls++ }}
	sum, err := in.Ingest(context.Background(), strings.NewReader(src.String()), FormatJSONL)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Errors) != 2 || sum.ErrorsDropped != 3 || calls != 5 {
		t.Errorf("kept %d, dropped %d, reported %d; want 2, 3, 5", len(sum.Errors), sum.ErrorsDropped, calls)
	}
}

func TestIngestStoreFailures(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantStop bool
	}{
		{"refused record", sodam.Errorf(sodam.EINVALID, "no"), false},
		{"store down", sodam.Errorf(sodam.EUNAVAILABLE, "connection refused"), true},
		{"unexpected", errors.New("disk full"), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := newFakeStore()
			st.failWith = tc.err
			sum, err := (&Ingester{Store: st}).Ingest(context.Background(), strings.NewReader(lines(goodMerchant, goodEvent)), FormatJSONL)
			if tc.wantStop {
				if !errors.Is(err, tc.err) {
					t.Errorf("err = %v, want it to wrap %v", err, tc.err)
				}
				if sum.Total().Read != 1 {
					t.Errorf("read %d records before stopping, want 1", sum.Total().Read)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v, want the refusal reported per line", err)
			}
			if got := sum.Total(); got.Failed != 2 || got.Read != 2 {
				t.Errorf("counts %+v, want 2 read and failed", got)
			}
			if len(sum.Errors) > 0 && !strings.Contains(sum.Errors[0].Error(), "line 1: merchant m-1: store refused it") {
				t.Errorf("error %v", sum.Errors[0])
			}
		})
	}
}

func TestIngestStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := (&Ingester{}).Ingest(ctx, strings.NewReader(lines(goodMerchant)), FormatJSONL)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestIngestProgress(t *testing.T) {
	src := lines(goodMerchant, goodEvent, goodItem, goodSession, goodMerchant)
	t.Run("plain", func(t *testing.T) {
		var out bytes.Buffer
		in := &Ingester{Progress: &out, Every: 2, Total: int64(len(src))}
		if _, err := in.Ingest(context.Background(), strings.NewReader(src), FormatJSONL); err != nil {
			t.Fatal(err)
		}
		got := strings.Split(strings.TrimSpace(out.String()), "\n")
		if len(got) != 3 || !strings.Contains(got[0], " 2 records") || !strings.Contains(got[1], " 4 records") || !strings.Contains(got[2], "100%  5 records") {
			t.Errorf("progress lines:\n%s", out.String())
		}
		if strings.Contains(out.String(), "\r") {
			t.Errorf("plain progress redraws with \\r:\n%q", out.String())
		}
	})
	t.Run("terminal", func(t *testing.T) {
		var out bytes.Buffer
		in := &Ingester{Progress: &out, IsTerminal: true, Total: int64(len(src))}
		if _, err := in.Ingest(context.Background(), strings.NewReader(src), FormatJSONL); err != nil {
			t.Fatal(err)
		}
		s := out.String()
		if !strings.HasPrefix(s, "\r\x1b[K") || !strings.Contains(s, "100%  5 records") || !strings.HasSuffix(s, "records/s\n") || strings.Count(s, "\n") != 1 {
			t.Errorf("terminal progress %q, want one redrawn line ended once", s)
		}
	})
}

func TestIngestParallelKeepsOrder(t *testing.T) {
	// Enough lines for many batches, with bad lines spread through them
	// and items that refer to the merchant just before them: any
	// reordering shows as a wrong line number or a missing reference.
	var src strings.Builder
	var wantBad []int
	for i := range 5000 {
		n := i + 1
		switch {
		case i%10 == 0:
			fmt.Fprintf(&src, `{"kind":"merchant","id":"m-%d","name":"가게","category":"치킨","lat":37.5,"lng":127,"opens":"11:00","closes":"22:00"}`+"\n", i)
		case i%37 == 0:
			src.WriteString("{oops\n")
			wantBad = append(wantBad, n)
		default:
			fmt.Fprintf(&src, `{"kind":"menu_item","id":"i-%d","merchant_id":"m-%d","name":"메뉴","price":1000}`+"\n", i, i/10*10)
		}
	}
	for _, workers := range []int{1, 3} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			var bad []int
			in := &Ingester{Workers: workers, OnError: func(le *LineError) { bad = append(bad, le.Line) }}
			sum, err := in.Ingest(context.Background(), strings.NewReader(src.String()), FormatJSONL)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantBad, bad); diff != "" {
				t.Errorf("bad lines (-want +got):\n%s", diff)
			}
			if got := sum.Total(); got.Ingested != int64(5000-len(wantBad)) || sum.Lines != 5000 {
				t.Errorf("counts %+v over %d lines", got, sum.Lines)
			}
		})
	}
}
