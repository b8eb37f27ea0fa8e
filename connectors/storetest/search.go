package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
)

// SearchStore is a store that also searches its catalog.
type SearchStore interface {
	sodam.Store
	sodam.Searcher
}

// RunSearch checks that a store's search sees its catalog: filters,
// orders without text (by id) and by distance (nearest first), finding a
// record by its name, and that upserts change what search finds. The
// catalog has no discounts, so the store's clock does not matter.
func RunSearch(t *testing.T, newStore func(t *testing.T) SearchStore) {
	ctx := context.Background()
	daehakro := sodam.Point{Lat: 37.5822, Lng: 127.0020}
	late := time.Date(2026, 11, 24, 22, 0, 0, 0, sodam.Seoul)
	pastMidnight := time.Date(2026, 11, 25, 1, 0, 0, 0, sodam.Seoul)

	load := func(t *testing.T) SearchStore {
		t.Helper()
		t.Parallel()
		s := newStore(t)
		for _, m := range searchMerchants() {
			must(t, s.UpsertMerchant(ctx, m))
		}
		for _, i := range []*sodam.MenuItem{
			{ID: "i-001", MerchantID: "m-001", Name: "후라이드치킨", Aliases: []string{"후라이드"}, Price: 18000},
			{ID: "i-002", MerchantID: "m-001", Name: "양념치킨", Price: 19000},
			{ID: "i-003", MerchantID: "m-002", Name: "허니콤보", Price: 23000},
			{ID: "i-004", MerchantID: "m-002", Name: "레드콤보", Price: 23000},
			{ID: "i-005", MerchantID: "m-003", Name: "짜장면", Price: 7000},
			{ID: "i-006", MerchantID: "m-003", Name: "짬뽕", Price: 8000},
			{ID: "i-007", MerchantID: "m-004", Name: "페퍼로니 피자", Price: 21000},
		} {
			must(t, s.UpsertMenuItem(ctx, i))
		}
		for _, e := range []*sodam.Event{
			{ID: "e-001", Title: "아이유 콘서트 〈HEREH〉", Performer: "아이유", Category: "콘서트", Venue: "KSPO DOME", Lat: 37.5202, Lng: 127.1228},
			{ID: "e-002", Title: "옥탑방 고양이", Performer: "극단 소담", Category: "연극", Venue: "대학로 틴틴홀", Lat: 37.5826, Lng: 127.0028},
			{ID: "e-003", Title: "레미제라블", Category: "뮤지컬", Venue: "블루스퀘어", Lat: 37.5407, Lng: 127.0027},
		} {
			must(t, s.UpsertEvent(ctx, e))
		}
		must(t, s.UpsertSession(ctx, session("s-001", "e-001", time.Date(2026, 12, 24, 19, 0, 0, 0, sodam.Seoul),
			map[string]sodam.Seat{"R": {Price: 143000, Available: 300}})))
		return s
	}

	search := func(t *testing.T, s SearchStore, q sodam.SearchQuery) []sodam.SearchHit {
		t.Helper()
		hits, err := s.Search(ctx, q)
		if err != nil {
			t.Fatalf("Search(%+v): %v", q, err)
		}
		for _, h := range hits {
			if h.Kind != q.Kind {
				t.Errorf("Search(%+v): hit %s of kind %s", q, h.ID, h.Kind)
			}
		}
		return hits
	}
	hitIDs := func(hits []sodam.SearchHit) []string {
		return ids(hits, func(h sodam.SearchHit) string { return h.ID })
	}

	cases := []struct {
		name string
		q    sodam.SearchQuery
		want []string // exactly, in order
		top  string   // or only the first hit
	}{
		{name: "MerchantsByIDWithoutText", q: sodam.SearchQuery{Kind: sodam.KindMerchant},
			want: []string{"m-001", "m-002", "m-003", "m-004"}},
		{name: "ItemsByIDWithoutText", q: sodam.SearchQuery{Kind: sodam.KindMenuItem},
			want: []string{"i-001", "i-002", "i-003", "i-004", "i-005", "i-006", "i-007"}},
		{name: "EventsByIDWithoutText", q: sodam.SearchQuery{Kind: sodam.KindEvent},
			want: []string{"e-001", "e-002", "e-003"}},
		{name: "Limit", q: sodam.SearchQuery{Kind: sodam.KindMenuItem, Limit: 3},
			want: []string{"i-001", "i-002", "i-003"}},
		{name: "MerchantCategory", q: sodam.SearchQuery{Kind: sodam.KindMerchant, Category: "치킨"},
			want: []string{"m-001", "m-002"}},
		{name: "ItemCategoryIsTheMerchants", q: sodam.SearchQuery{Kind: sodam.KindMenuItem, Category: "중식"},
			want: []string{"i-005", "i-006"}},
		{name: "ItemsOfMerchant", q: sodam.SearchQuery{Kind: sodam.KindMenuItem, MerchantID: "m-002"},
			want: []string{"i-003", "i-004"}},
		{name: "ItemsAtOrUnderMaxPrice", q: sodam.SearchQuery{Kind: sodam.KindMenuItem, MaxPrice: 18000},
			want: []string{"i-001", "i-005", "i-006"}},
		{name: "MerchantsOpenLate", q: sodam.SearchQuery{Kind: sodam.KindMerchant, OpenAt: &late},
			want: []string{"m-001", "m-002", "m-004"}},
		{name: "MerchantsOpenPastMidnight", q: sodam.SearchQuery{Kind: sodam.KindMerchant, OpenAt: &pastMidnight},
			want: []string{"m-004"}},
		{name: "EventCategory", q: sodam.SearchQuery{Kind: sodam.KindEvent, Category: "연극"},
			want: []string{"e-002"}},
		{name: "MerchantsNearestFirst", q: sodam.SearchQuery{Kind: sodam.KindMerchant, Near: &daehakro, ByDistance: true},
			want: []string{"m-001", "m-003", "m-004", "m-002"}},
		{name: "MerchantsWithinMaxKm", q: sodam.SearchQuery{Kind: sodam.KindMerchant, Near: &daehakro, ByDistance: true, MaxKm: 3},
			want: []string{"m-001", "m-003"}},
		{name: "CategoryNearestFirst", q: sodam.SearchQuery{Kind: sodam.KindMerchant, Category: "치킨", Near: &daehakro, ByDistance: true},
			want: []string{"m-001", "m-002"}},
		{name: "EventsNearestFirst", q: sodam.SearchQuery{Kind: sodam.KindEvent, Near: &daehakro, ByDistance: true},
			want: []string{"e-002", "e-003", "e-001"}},
		{name: "MerchantByBrand", q: sodam.SearchQuery{Kind: sodam.KindMerchant, Text: "교촌치킨"}, top: "m-002"},
		{name: "ItemByName", q: sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: "허니콤보"}, top: "i-003"},
		{name: "ItemByAlias", q: sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: "후라이드"}, top: "i-001"},
		{name: "EventByPerformer", q: sodam.SearchQuery{Kind: sodam.KindEvent, Text: "아이유"}, top: "e-001"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := load(t)
			hits := search(t, s, tc.q)
			got := hitIDs(hits)
			if tc.top != "" {
				if len(got) == 0 || got[0] != tc.top {
					t.Errorf("top hit of %+v: %v, want %s first", tc.q, got, tc.top)
				}
				return
			}
			same(t, "hits", tc.want, got)
		})
	}

	t.Run("DistanceReported", func(t *testing.T) {
		s := load(t)
		hits := search(t, s, sodam.SearchQuery{Kind: sodam.KindMerchant, Near: &daehakro, ByDistance: true})
		for k, h := range hits {
			if h.DistanceKm < 0 || (k > 0 && h.DistanceKm < hits[k-1].DistanceKm) {
				t.Errorf("distances not nearest first: %+v", hits)
				break
			}
		}
		if len(hits) != 4 || hits[0].DistanceKm > 0.1 || hits[3].DistanceKm < 5 {
			t.Errorf("distances from 대학로: %+v; want m-001 within 0.1 km and m-002 beyond 5 km", hits)
		}
	})

	// A text search applies the same filters as a listing: a store that
	// reads documents only for filtered searches must read them then.
	t.Run("TextWithFilters", func(t *testing.T) {
		s := load(t)
		prices := map[string]int64{"i-001": 18000, "i-002": 19000, "i-003": 23000, "i-004": 23000, "i-005": 7000, "i-006": 8000, "i-007": 21000}
		got := hitIDs(search(t, s, sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: "치킨", MaxPrice: 18000}))
		if len(got) == 0 || got[0] != "i-001" {
			t.Errorf("치킨 at or under 18,000원: %v, want i-001 first", got)
		}
		for _, id := range got {
			if prices[id] > 18000 {
				t.Errorf("치킨 at or under 18,000원: %s costs %d원", id, prices[id])
			}
		}
		near := search(t, s, sodam.SearchQuery{Kind: sodam.KindMerchant, Text: "치킨", Near: &daehakro, MaxKm: 3})
		if len(near) == 0 || near[0].ID != "m-001" {
			t.Errorf("치킨 within 3 km of 대학로: %+v, want m-001 first", near)
		}
		for _, h := range near {
			if h.DistanceKm > 3 || h.ID == "m-002" {
				t.Errorf("치킨 within 3 km of 대학로: %s at %.1f km", h.ID, h.DistanceKm)
			}
		}
		if got := hitIDs(search(t, s, sodam.SearchQuery{Kind: sodam.KindMerchant, Text: "피자", OpenAt: &pastMidnight})); len(got) != 1 || got[0] != "m-004" {
			t.Errorf("피자 open at 01:00: %v, want [m-004]", got)
		}
		for _, id := range hitIDs(search(t, s, sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: "치킨", OpenAt: &pastMidnight})) {
			if id != "i-007" {
				t.Errorf("치킨 items open at 01:00: %s, whose merchant is closed", id)
			}
		}
	})

	t.Run("UpsertChangesWhatSearchFinds", func(t *testing.T) {
		s := load(t)
		m := searchMerchants()[2] // 홍콩반점, 중식
		m.Category = "치킨"
		must(t, s.UpsertMerchant(ctx, m))
		added := merchant("m-005", "BBQ 혜화점", "치킨", 37.5830, 127.0025)
		must(t, s.UpsertMerchant(ctx, added))
		must(t, s.UpsertMenuItem(ctx, &sodam.MenuItem{ID: "i-008", MerchantID: "m-005", Name: "황금올리브치킨", Price: 20000}))
		must(t, s.UpsertMenuItem(ctx, &sodam.MenuItem{ID: "i-001", MerchantID: "m-001", Name: "후라이드치킨", Price: 25000}))

		same(t, "치킨 merchants", []string{"m-001", "m-002", "m-003", "m-005"},
			hitIDs(search(t, s, sodam.SearchQuery{Kind: sodam.KindMerchant, Category: "치킨"})))
		same(t, "중식 merchants", []string(nil),
			hitIDs(search(t, s, sodam.SearchQuery{Kind: sodam.KindMerchant, Category: "중식"})))
		same(t, "items of m-005", []string{"i-008"},
			hitIDs(search(t, s, sodam.SearchQuery{Kind: sodam.KindMenuItem, MerchantID: "m-005"})))
		same(t, "items at or under 18,000원", []string{"i-005", "i-006"},
			hitIDs(search(t, s, sodam.SearchQuery{Kind: sodam.KindMenuItem, MaxPrice: 18000})))
		if got := hitIDs(search(t, s, sodam.SearchQuery{Kind: sodam.KindMerchant, Text: "BBQ"})); len(got) == 0 || got[0] != "m-005" {
			t.Errorf("text search for a new merchant: %v, want m-005 first", got)
		}
	})
}

func searchMerchants() []*sodam.Merchant {
	return []*sodam.Merchant{
		{ID: "m-001", Name: "교동치킨 혜화점", Brand: "교동치킨", Category: "치킨", Address: "서울 종로구 대학로 100",
			Lat: 37.5822, Lng: 127.0019, Opens: "11:00", Closes: "24:00"},
		{ID: "m-002", Name: "교촌치킨 강남점", Brand: "교촌치킨", Aliases: []string{"교촌"}, Category: "치킨", Address: "서울 강남구 강남대로 396",
			Lat: 37.4979, Lng: 127.0276, Opens: "11:00", Closes: "23:00"},
		{ID: "m-003", Name: "홍콩반점 종로점", Brand: "홍콩반점", Category: "중식", Address: "서울 종로구 종로 100",
			Lat: 37.5703, Lng: 126.9850, Opens: "10:00", Closes: "21:00"},
		{ID: "m-004", Name: "도미노피자 신촌점", Brand: "도미노피자", Category: "피자", Address: "서울 서대문구 신촌로 100",
			Lat: 37.5551, Lng: 126.9368, Opens: "11:00", Closes: "02:00"},
	}
}
