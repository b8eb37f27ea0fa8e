package retrieval

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
)

// synthCatalog fills an index with n menu items of n/25 merchants whose
// names are drawn, with a fixed seed, from Korean brands, districts and
// dishes, and returns the index.
func synthCatalog(tb testing.TB, n int) *Index {
	tb.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	brands := map[string][]string{
		"치킨":  {"교촌치킨", "BBQ", "BHC", "굽네치킨", "네네치킨", "처갓집양념치킨", "페리카나", "호식이두마리치킨"},
		"피자":  {"도미노피자", "피자헛", "미스터피자", "피자알볼로", "파파존스"},
		"햄버거": {"맘스터치", "롯데리아", "버거킹", "노브랜드버거"},
		"족발":  {"가장맛있는족발", "족발야시장", "원할머니보쌈"},
		"중식":  {"홍콩반점", "차이나팩토리", "만리장성", "신승반점"},
		"한식":  {"본죽", "한솥도시락", "백채김치찌개", "이삭토스트"},
		"분식":  {"죠스떡볶이", "신전떡볶이", "김밥천국", "엽기떡볶이"},
		"카페":  {"스타벅스", "이디야커피", "메가커피", "투썸플레이스"},
	}
	dishes := map[string][]string{
		"치킨":  {"후라이드치킨", "양념치킨", "간장치킨", "허니콤보", "뿌링클", "반반치킨", "순살치킨", "치즈볼"},
		"피자":  {"페퍼로니피자", "불고기피자", "포테이토피자", "콤비네이션피자", "고구마피자", "치즈오븐스파게티"},
		"햄버거": {"싸이버거", "불고기버거", "치즈버거", "와퍼", "새우버거", "감자튀김"},
		"족발":  {"앞다리족발", "불족발", "보쌈", "막국수", "냉채족발"},
		"중식":  {"짜장면", "짬뽕", "탕수육", "볶음밥", "깐풍기", "마파두부", "유린기"},
		"한식":  {"김치찌개", "된장찌개", "제육볶음", "불고기덮밥", "비빔밥", "소고기죽", "순두부찌개"},
		"분식":  {"떡볶이", "김밥", "라볶이", "순대", "튀김", "어묵", "쫄면"},
		"카페":  {"아메리카노", "카페라떼", "바닐라라떼", "녹차라떼", "딸기스무디", "치즈케이크"},
	}
	mods := []string{"", "", "매운", "순한", "치즈", "더블", "특", "오리지널", "스페셜", "미니"}
	sizes := []string{"", "", "", "(대)", "(중)", "세트", "곱빼기", "2인분"}
	branches := []string{"강남", "역삼", "신촌", "홍대", "합정", "혜화", "종로", "성수", "건대", "잠실", "여의도", "신림", "노원", "목동", "사당", "교대"}
	cats := sodam.FoodCategories

	x := NewIndex(NewHashEmbedder(0))
	nm := max(1, n/25)
	for m := range nm {
		cat := cats[rng.IntN(len(cats))]
		brand := brands[cat][rng.IntN(len(brands[cat]))]
		branch := branches[rng.IntN(len(branches))]
		x.PutMerchant(&sodam.Merchant{
			ID: fmt.Sprintf("m-%06d", m), Name: brand + " " + branch + "점", Brand: brand, Category: cat,
			Address: "서울 " + branch + " " + fmt.Sprint(rng.IntN(300)),
			Lat:     37.45 + rng.Float64()*0.2, Lng: 126.85 + rng.Float64()*0.3,
			Opens: fmt.Sprintf("%02d:00", 8+rng.IntN(4)), Closes: fmt.Sprintf("%02d:00", 20+rng.IntN(5)),
		})
	}
	for i := range n {
		m := rng.IntN(nm)
		mid := fmt.Sprintf("m-%06d", m)
		// Re-derive the merchant's category from the index's copy.
		cat := x.merchants[mid].m.Category
		ds := dishes[cat]
		name := mods[rng.IntN(len(mods))] + ds[rng.IntN(len(ds))] + sizes[rng.IntN(len(sizes))]
		x.PutMenuItem(&sodam.MenuItem{
			ID: fmt.Sprintf("i-%07d", i), MerchantID: mid, Name: name,
			Price:       int64(3000 + 500*rng.IntN(50)),
			Description: ds[rng.IntN(len(ds))] + "와 잘 어울리는 " + cat + " 메뉴",
		})
	}
	return x
}

// benchQueries are the searches a chat turn makes, in rotation.
func benchQueries() []sodam.SearchQuery {
	near := sodam.Point{Lat: 37.5822, Lng: 127.0020}
	at := time.Date(2026, 11, 24, 19, 0, 0, 0, sodam.Seoul)
	return []sodam.SearchQuery{
		{Kind: sodam.KindMenuItem, Text: "교촌 허니콤보"},
		{Kind: sodam.KindMenuItem, Text: "후라이드"},
		{Kind: sodam.KindMenuItem, Text: "매운 떡볶이", Near: &near},
		{Kind: sodam.KindMenuItem, Text: "치즈 피자", Category: "피자", MaxPrice: 20000},
		{Kind: sodam.KindMenuItem, Text: "짬뽕", Near: &near, MaxKm: 3, ByDistance: true},
		{Kind: sodam.KindMenuItem, Text: "치킨", OpenAt: &at},
		{Kind: sodam.KindMenuItem, Text: "세트", MerchantID: "m-000007"},
		{Kind: sodam.KindMenuItem, Text: "김치찌게 2인분"},
		{Kind: sodam.KindMenuItem, Category: "중식", Near: &near, MaxKm: 5},
	}
}

func BenchmarkSearch(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			x := synthCatalog(b, n)
			qs := benchQueries()
			now := time.Date(2026, 11, 24, 18, 0, 0, 0, sodam.Seoul)
			durs := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				x.Search(qs[i%len(qs)], now)
				durs = append(durs, time.Since(start))
			}
			b.StopTimer()
			slices.Sort(durs)
			pct := func(p float64) float64 {
				return float64(durs[min(len(durs)-1, int(p*float64(len(durs))))].Microseconds()) / 1000
			}
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
		})
	}
}

// BenchmarkIndexMemory reports the heap the index of 100k items holds.
func BenchmarkIndexMemory(b *testing.B) {
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		x := synthCatalog(b, 100_000)
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MiB/100k-items")
		runtime.KeepAlive(x)
	}
}

func BenchmarkEmbed(b *testing.B) {
	h := NewHashEmbedder(0)
	texts := []string{
		"교촌 허니콤보",
		"후라이드치킨 후라이드 프라이드 바삭한 기본 치킨 교동치킨 혜화점 교동치킨 치킨",
		"아이유 콘서트 〈HEREH〉 아이유 콘서트 KSPO DOME 서울 송파구 올림픽로 424",
	}
	var runes int
	for _, t := range texts {
		runes += len([]rune(t))
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		h.EmbedOne(texts[i%len(texts)])
	}
	b.ReportMetric(float64(runes)/float64(len(texts)), "runes/text")
}
