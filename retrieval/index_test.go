package retrieval

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

// testCatalog is a small catalog around 대학로, 강남역 and 신촌.
func testIndex(t testing.TB) *Index {
	t.Helper()
	x := NewIndex(NewHashEmbedder(0))
	// Items first: an item put before its merchant still inherits it.
	for _, i := range []*sodam.MenuItem{
		{ID: "i-001", MerchantID: "m-001", Name: "후라이드치킨", Aliases: []string{"후라이드", "프라이드"}, Price: 18000,
			Description: "바삭한 기본 치킨", DiscountPercent: 10, DiscountUntil: ptr(at("2026-11-30T23:59:00+09:00"))},
		{ID: "i-002", MerchantID: "m-001", Name: "양념치킨", Price: 19000, Description: "달콤한 양념"},
		{ID: "i-003", MerchantID: "m-002", Name: "허니콤보", Price: 23000, Description: "꿀 소스를 바른 날개와 다리"},
		{ID: "i-004", MerchantID: "m-002", Name: "레드콤보", Price: 23000, Description: "매운 소스"},
		{ID: "i-005", MerchantID: "m-003", Name: "짜장면", Price: 7000},
		{ID: "i-006", MerchantID: "m-003", Name: "짬뽕", Price: 8000, Description: "얼큰한 해물 국물"},
		{ID: "i-007", MerchantID: "m-004", Name: "페퍼로니 피자", Price: 21000},
	} {
		x.PutMenuItem(i)
	}
	for _, m := range []*sodam.Merchant{
		{ID: "m-001", Name: "교동치킨 혜화점", Brand: "교동치킨", Category: "치킨", Address: "서울 종로구 대학로 100",
			Lat: 37.5822, Lng: 127.0019, Opens: "11:00", Closes: "24:00"},
		{ID: "m-002", Name: "교촌치킨 강남점", Brand: "교촌치킨", Aliases: []string{"교촌"}, Category: "치킨", Address: "서울 강남구 강남대로 396",
			Lat: 37.4979, Lng: 127.0276, Opens: "11:00", Closes: "23:00"},
		{ID: "m-003", Name: "홍콩반점 종로점", Brand: "홍콩반점", Category: "중식", Address: "서울 종로구 종로 100",
			Lat: 37.5703, Lng: 126.9850, Opens: "10:00", Closes: "21:00"},
		{ID: "m-004", Name: "도미노피자 신촌점", Brand: "도미노피자", Category: "피자", Address: "서울 서대문구 신촌로 100",
			Lat: 37.5551, Lng: 126.9368, Opens: "11:00", Closes: "02:00"},
	} {
		x.PutMerchant(m)
	}
	for _, e := range []*sodam.Event{
		{ID: "e-001", Title: "아이유 콘서트 〈HEREH〉", Performer: "아이유", Category: "콘서트", Venue: "KSPO DOME", Address: "서울 송파구 올림픽로 424"},
		{ID: "e-002", Title: "옥탑방 고양이", Performer: "극단 소담", Category: "연극", Venue: "대학로 틴틴홀", Address: "서울 종로구 대학로12길 64"},
		{ID: "e-003", Title: "레미제라블", Category: "뮤지컬", Venue: "블루스퀘어", Lat: 37.5407, Lng: 127.0027},
		{ID: "e-004", Title: "소담 팬미팅", Category: "팬미팅", Venue: "어딘가 홀"},
	} {
		x.PutEvent(e)
	}
	x.PutSession(&sodam.Session{ID: "s-001", EventID: "e-001", StartsAt: at("2026-12-24T19:00:00+09:00"),
		Seats: map[string]sodam.Seat{"R": {Price: 143000, Available: 300}}})
	return x
}

func ids(hits []sodam.SearchHit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}

var (
	daehakro = sodam.Point{Lat: 37.5822, Lng: 127.0020}
	jamsil   = sodam.Point{Lat: 37.5133, Lng: 127.1001}
	evening  = at("2026-11-24T18:00:00+09:00")
)

func TestSearch(t *testing.T) {
	x := testIndex(t)
	tests := []struct {
		name string
		q    sodam.SearchQuery
		now  time.Time
		want []string // exactly, in order
		set  []string // or exactly, in any order
		top  string   // or only the first hit
	}{
		{name: "items by id without text", q: sodam.SearchQuery{Kind: sodam.KindMenuItem},
			want: []string{"i-001", "i-002", "i-003", "i-004", "i-005", "i-006", "i-007"}},
		{name: "limit", q: sodam.SearchQuery{Kind: sodam.KindMenuItem, Limit: 2}, want: []string{"i-001", "i-002"}},
		{name: "category of the item's merchant", q: sodam.SearchQuery{Kind: sodam.KindMenuItem, Category: "중식"},
			want: []string{"i-005", "i-006"}},
		{name: "merchant id", q: sodam.SearchQuery{Kind: sodam.KindMenuItem, MerchantID: "m-002"},
			want: []string{"i-003", "i-004"}},
		{name: "max price counts the discount", q: sodam.SearchQuery{Kind: sodam.KindMenuItem, MaxPrice: 17000},
			now: evening, want: []string{"i-001", "i-005", "i-006"}},
		{name: "max price after the discount ends", q: sodam.SearchQuery{Kind: sodam.KindMenuItem, MaxPrice: 17000},
			now: at("2026-12-01T12:00:00+09:00"), want: []string{"i-005", "i-006"}},
		{name: "merchants open late", q: sodam.SearchQuery{Kind: sodam.KindMerchant, OpenAt: ptr(at("2026-11-24T22:00:00+09:00"))},
			want: []string{"m-001", "m-002", "m-004"}},
		{name: "merchants open past midnight", q: sodam.SearchQuery{Kind: sodam.KindMerchant, OpenAt: ptr(at("2026-11-25T01:00:00+09:00"))},
			want: []string{"m-004"}},
		{name: "items of open merchants", q: sodam.SearchQuery{Kind: sodam.KindMenuItem, OpenAt: ptr(at("2026-11-24T22:00:00+09:00")), Category: "중식"},
			want: []string{}},
		{name: "merchants by distance", q: sodam.SearchQuery{Kind: sodam.KindMerchant, Near: &daehakro},
			want: []string{"m-001", "m-003", "m-004", "m-002"}},
		{name: "merchants within 3 km", q: sodam.SearchQuery{Kind: sodam.KindMerchant, Near: &daehakro, MaxKm: 3},
			want: []string{"m-001", "m-003"}},
		{name: "events by distance, placed by venue and district, unplaced last", q: sodam.SearchQuery{Kind: sodam.KindEvent, Near: &jamsil},
			want: []string{"e-001", "e-003", "e-002", "e-004"}},
		{name: "events of a category", q: sodam.SearchQuery{Kind: sodam.KindEvent, Category: "연극"}, want: []string{"e-002"}},
		{name: "unknown kind", q: sodam.SearchQuery{Kind: "booking"}, want: []string{}},

		{name: "brand and item", q: sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: "교촌 허니콤보"}, top: "i-003"},
		{name: "alias", q: sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: "프라이드"}, top: "i-001"},
		{name: "typo and spacing", q: sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: "후리이드 치킨"}, top: "i-001"},
		{name: "nothing unrelated", q: sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: "떡볶이"}, want: []string{}},
		{name: "nothing unrelated among merchants", q: sodam.SearchQuery{Kind: sodam.KindMerchant, Text: "스시 오마카세"}, want: []string{}},
		{name: "category word finds its items", q: sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: "치킨", Limit: 4},
			set: []string{"i-001", "i-002", "i-003", "i-004"}},
		{name: "text within a merchant", q: sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: "콤보", MerchantID: "m-002"},
			want: []string{"i-003", "i-004"}},
		{name: "text filtered by category", q: sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: "치킨", Category: "중식"}, want: []string{}},
		{name: "merchant by brand", q: sodam.SearchQuery{Kind: sodam.KindMerchant, Text: "교동치킨"}, top: "m-001"},
		{name: "text near a point", q: sodam.SearchQuery{Kind: sodam.KindMerchant, Text: "치킨", Near: &daehakro}, top: "m-001"},
		{name: "text by distance", q: sodam.SearchQuery{Kind: sodam.KindMerchant, Text: "치킨", Near: &daehakro, ByDistance: true},
			want: []string{"m-001", "m-002"}},
		{name: "text by distance within reach", q: sodam.SearchQuery{Kind: sodam.KindMerchant, Text: "치킨", Near: &daehakro, ByDistance: true, MaxKm: 5},
			want: []string{"m-001"}},
		{name: "performer", q: sodam.SearchQuery{Kind: sodam.KindEvent, Text: "아이유"}, want: []string{"e-001"}},
		{name: "event by venue", q: sodam.SearchQuery{Kind: sodam.KindEvent, Text: "블루스퀘어"}, top: "e-003"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := tc.now
			if now.IsZero() {
				now = evening
			}
			hits := x.Search(tc.q, now)
			got := ids(hits)
			switch {
			case tc.want != nil:
				if !slices.Equal(got, tc.want) {
					t.Errorf("Search(%+v) = %v, want %v", tc.q, got, tc.want)
				}
			case tc.set != nil:
				if !slices.Equal(slices.Sorted(slices.Values(got)), tc.set) {
					t.Errorf("Search(%+v) = %v, want %v in any order", tc.q, got, tc.set)
				}
			case len(got) == 0 || got[0] != tc.top:
				t.Errorf("Search(%+v) = %v, want %s first", tc.q, got, tc.top)
			}
			for i, h := range hits {
				if h.Kind != tc.q.Kind {
					t.Errorf("hit %d kind = %q, want %q", i, h.Kind, tc.q.Kind)
				}
				if tc.q.Text != "" && !tc.q.ByDistance && i > 0 && h.Score > hits[i-1].Score {
					t.Errorf("hit %d scores %v, above hit %d (%v)", i, h.Score, i-1, hits[i-1].Score)
				}
				if h.Score <= 0 {
					t.Errorf("hit %d (%s) score = %v, want > 0", i, h.ID, h.Score)
				}
			}
		})
	}
}

func TestSearchDistance(t *testing.T) {
	x := testIndex(t)
	hits := x.Search(sodam.SearchQuery{Kind: sodam.KindMenuItem, Near: &daehakro, Category: "치킨"}, evening)
	if len(hits) != 4 {
		t.Fatalf("got %v, want the 4 chicken items", ids(hits))
	}
	for i, h := range hits {
		m := map[string]sodam.Point{"i-001": {Lat: 37.5822, Lng: 127.0019}, "i-002": {Lat: 37.5822, Lng: 127.0019},
			"i-003": {Lat: 37.4979, Lng: 127.0276}, "i-004": {Lat: 37.4979, Lng: 127.0276}}[h.ID]
		if want := DistanceKm(daehakro, m); math.Abs(h.DistanceKm-want) > 1e-9 {
			t.Errorf("hit %d (%s) DistanceKm = %v, want %v", i, h.ID, h.DistanceKm, want)
		}
		if i > 0 && h.DistanceKm < hits[i-1].DistanceKm {
			t.Errorf("hit %d (%s) at %.2f km comes after one at %.2f km", i, h.ID, h.DistanceKm, hits[i-1].DistanceKm)
		}
	}
	if got := ids(hits); !slices.Equal(got, []string{"i-001", "i-002", "i-003", "i-004"}) {
		t.Errorf("order = %v, want equal distances ordered by id", got)
	}
	for _, h := range x.Search(sodam.SearchQuery{Kind: sodam.KindMenuItem}, evening) {
		if h.DistanceKm != 0 {
			t.Errorf("%s: DistanceKm = %v without Near", h.ID, h.DistanceKm)
		}
	}
}

func TestPutReplacesAndDelete(t *testing.T) {
	x := testIndex(t)
	q := func(text string) []string {
		return ids(x.Search(sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: text}, evening))
	}
	n := x.Len()
	if n != 4+7+4 {
		t.Fatalf("Len() = %d, want 15", n)
	}

	x.PutMenuItem(&sodam.MenuItem{ID: "i-005", MerchantID: "m-003", Name: "간짜장", Price: 8000})
	if x.Len() != n {
		t.Errorf("Len() after replacing = %d, want %d", x.Len(), n)
	}
	if got := q("간짜장"); len(got) == 0 || got[0] != "i-005" {
		t.Errorf("new name: got %v, want i-005 first", got)
	}
	if got := q("짜장면"); slices.Contains(got, "i-005") && got[0] == "i-005" {
		t.Errorf("old name still ranks i-005 first: %v", got)
	}

	// A merchant's new identity reaches its items.
	x.PutMerchant(&sodam.Merchant{ID: "m-003", Name: "차이나팩토리", Category: "중식", Lat: 37.57, Lng: 126.98, Opens: "00:00", Closes: "24:00"})
	if got := q("차이나팩토리 짬뽕"); len(got) == 0 || got[0] != "i-006" {
		t.Errorf("item with its merchant's new name: got %v, want i-006 first", got)
	}
	if got := q("홍콩반점 짬뽕"); len(got) > 0 && got[0] == "i-006" && slices.Contains(q("홍콩반점"), "i-006") {
		t.Errorf("the merchant's old name still finds its items: %v", q("홍콩반점"))
	}

	// Moving an item to another merchant.
	x.PutMenuItem(&sodam.MenuItem{ID: "i-006", MerchantID: "m-001", Name: "짬뽕", Price: 8000})
	if got := ids(x.Search(sodam.SearchQuery{Kind: sodam.KindMenuItem, MerchantID: "m-003"}, evening)); !slices.Equal(got, []string{"i-005"}) {
		t.Errorf("items of m-003 after the move = %v, want [i-005]", got)
	}

	x.Delete(sodam.KindMenuItem, "i-003")
	x.Delete(sodam.KindMenuItem, "no-such-item")
	x.Delete("no-such-kind", "i-001")
	if x.Len() != n-1 {
		t.Errorf("Len() after delete = %d, want %d", x.Len(), n-1)
	}
	if got := q("허니콤보"); slices.Contains(got, "i-003") {
		t.Errorf("deleted item found: %v", got)
	}
	x.PutMenuItem(&sodam.MenuItem{ID: "i-003", MerchantID: "m-002", Name: "허니콤보", Price: 23000})
	if got := q("허니콤보"); len(got) == 0 || got[0] != "i-003" {
		t.Errorf("put again after delete: got %v, want i-003 first", got)
	}

	// Deleting a merchant keeps its items without its identity.
	x.Delete(sodam.KindMerchant, "m-004")
	if got := ids(x.Search(sodam.SearchQuery{Kind: sodam.KindMenuItem, Category: "피자"}, evening)); len(got) != 0 {
		t.Errorf("items of a deleted merchant still carry its category: %v", got)
	}
	if got := q("페퍼로니"); !slices.Equal(got, []string{"i-007"}) {
		t.Errorf("item of a deleted merchant by its own name = %v, want [i-007]", got)
	}
}

// TestManyUpdates replaces records often enough to compact the postings
// and checks that search still sees exactly the live records.
func TestManyUpdates(t *testing.T) {
	x := NewIndex(NewHashEmbedder(0))
	x.PutMerchant(&sodam.Merchant{ID: "m-1", Name: "분식나라", Category: "분식", Lat: 37.5, Lng: 127, Opens: "00:00", Closes: "24:00"})
	for round := range 20 {
		for i := range 100 {
			x.PutMenuItem(&sodam.MenuItem{ID: fmt.Sprintf("i-%03d", i), MerchantID: "m-1", Name: fmt.Sprintf("떡볶이 %d호", round), Price: 3000})
		}
	}
	for i := range 50 {
		x.Delete(sodam.KindMenuItem, fmt.Sprintf("i-%03d", i))
	}
	got := x.Search(sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: "떡볶이 19호", Limit: 200}, evening)
	if len(got) != 50 {
		t.Fatalf("got %d hits, want the 50 live items", len(got))
	}
	for _, h := range got {
		if h.ID < "i-050" {
			t.Errorf("deleted item %s found", h.ID)
		}
	}
	if got := x.Search(sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: "떡볶이 3호", Limit: 200}, evening); len(got) != 50 {
		t.Errorf("old names: got %d hits (coverage of the shared bigrams), want 50", len(got))
	}
	if x.Len() != 51 {
		t.Errorf("Len() = %d, want 51", x.Len())
	}
}

func TestConcurrentPutSearch(t *testing.T) {
	x := testIndex(t)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 200 {
				id := fmt.Sprintf("c-%d-%d", w, i%20)
				switch i % 4 {
				case 0:
					x.PutMenuItem(&sodam.MenuItem{ID: id, MerchantID: "m-001", Name: fmt.Sprintf("순살치킨 %d", i), Price: 20000})
				case 1:
					x.PutMerchant(&sodam.Merchant{ID: "m-001", Name: "교동치킨 혜화점", Category: "치킨", Lat: 37.5822, Lng: 127.0019, Opens: "11:00", Closes: "24:00"})
				case 2:
					x.Delete(sodam.KindMenuItem, id)
				case 3:
					x.PutSession(&sodam.Session{ID: id, EventID: "e-001", StartsAt: evening})
				}
			}
		})
		wg.Go(func() {
			for range 200 {
				x.Search(sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: "순살치킨", Near: &daehakro}, evening)
				x.Search(sodam.SearchQuery{Kind: sodam.KindMenuItem, Category: "치킨", OpenAt: &evening}, evening)
				x.Len()
			}
		})
	}
	wg.Wait()
	if got := x.Search(sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: "후라이드치킨"}, evening); len(got) == 0 || got[0].ID != "i-001" {
		t.Errorf("after the concurrent writes: got %v, want i-001 first", ids(got))
	}
}

// TestNoUnrelatedHits checks the relevance floor on a synthetic catalog
// of 10k items, where hash collisions of unrelated n-grams are common.
func TestNoUnrelatedHits(t *testing.T) {
	x := synthCatalog(t, 10_000)
	items := x.seg(sodam.KindMenuItem)
	name := func(id string) string { return items.slots[items.byID[id]].item.Name }
	tests := []struct {
		text     string
		none     bool
		contains string // the first hit's name contains it
	}{
		{text: "스시 오마카세", none: true},
		{text: "아이유 콘서트", none: true},
		{text: "마라탕", none: true},
		{text: "포케", none: true},
		{text: "양꼬치", none: true},
		{text: "허니콤보", contains: "허니콤보"},
		{text: "교촌 허니콤보", contains: "허니콤보"},
		{text: "김치찌게", contains: "김치찌개"},
		{text: "뿌링클 순살", contains: "뿌링클"},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			hits := x.Search(sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: tc.text, Limit: 50}, evening)
			if tc.none {
				if len(hits) > 0 {
					t.Errorf("got %d hits, first %s (%s), want none", len(hits), hits[0].ID, name(hits[0].ID))
				}
				return
			}
			if len(hits) == 0 {
				t.Fatalf("no hits")
			}
			if got := name(hits[0].ID); !strings.Contains(got, tc.contains) {
				t.Errorf("first hit %s is %q, want a name containing %q", hits[0].ID, got, tc.contains)
			}
		})
	}
}
