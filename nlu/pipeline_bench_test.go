package nlu_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/nlu"
)

// benchCatalog is a synthetic catalog of n menu items in n/20 merchants
// and 200 events, with names built from common syllables so that the
// trigram postings are as long as a real catalog's.
func benchCatalog(n int) *nlu.Catalog {
	first := []string{"황금", "허니", "레드", "블랙", "매콤", "달콤", "바삭", "크리스피", "갈릭", "치즈", "불고기", "마라", "로제", "트러플", "청양"}
	second := []string{"후라이드", "양념치킨", "콤보", "순살", "피자", "버거", "떡볶이", "족발", "짜장", "짬뽕", "라떼", "김밥", "국밥", "돈까스", "우동"}
	var (
		ms []*sodam.Merchant
		is []*sodam.MenuItem
		es []*sodam.Event
	)
	for m := 0; m < n/20+1; m++ {
		ms = append(ms, &sodam.Merchant{ID: fmt.Sprintf("m-%05d", m), Name: fmt.Sprintf("%s가게%d %s점", first[m%len(first)], m, second[m%len(second)]), Brand: fmt.Sprintf("%s브랜드%d", second[m%len(second)], m%300)})
	}
	for i := 0; i < n; i++ {
		a, b := first[i%len(first)], second[(i/len(first))%len(second)]
		is = append(is, &sodam.MenuItem{ID: fmt.Sprintf("i-%05d", i), MerchantID: ms[i/20].ID,
			Name: fmt.Sprintf("%s%s %d호", a, b, i/(len(first)*len(second))), Aliases: []string{a + b}})
	}
	for e := 0; e < 200; e++ {
		es = append(es, &sodam.Event{ID: fmt.Sprintf("e-%03d", e), Title: fmt.Sprintf("공연%d 〈%s%s〉", e, first[e%len(first)], second[e%len(second)]),
			Performer: fmt.Sprintf("가수%d", e), Venue: fmt.Sprintf("%s홀", first[e%len(first)])})
	}
	return nlu.NewCatalog(ms, is, es)
}

// BenchmarkPipeline parses typical messages against a 10,000-item
// catalog on one goroutine; ns/op is the latency of one message.
func BenchmarkPipeline(b *testing.B) {
	// The training set is read from its file rather than through the
	// evals package, so that this benchmark depends on nlu alone.
	f, err := os.Open("../evals/testdata/nlu_train.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	train, err := nlu.ReadExamples(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	cls, err := nlu.TrainClassifier(train)
	if err != nil {
		b.Fatal(err)
	}
	p := nlu.NewPipeline(cls, benchCatalog(10000))
	ref := time.Date(2026, 11, 24, 18, 0, 0, 0, sodam.Seoul)
	texts := []string{
		"허니후라이드 두 마리랑 콜라 하나 시켜줘",
		"바삭양념치킨 순살로 한 마리 내일 저녁 7시에 보내줘",
		"근처 치킨집 찾아줘",
		"트러플피자 라지 한 판 2만원 이하",
		"크리스피후리이드 하나요",
		"R석 두 장 예매해줘",
		"치킨이 다 식어서 왔어요",
		"카카오페이로 결제할게요",
		"네",
		"강남역 근처 족발집 있어요?",
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p.Parse(texts[i%len(texts)], ref)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
