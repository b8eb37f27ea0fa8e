package nlu

import (
	"fmt"
	"testing"
	"unicode/utf8"

	"github.com/sodam-ai/sodam"
)

func TestLink(t *testing.T) {
	cat := testCatalog()
	type want struct {
		kind, surface, matched string
		exact                  bool
	}
	tests := []struct {
		name string
		text string
		want []want
	}{
		{"exact item", "후라이드 한 마리", []want{{LinkMenuItem, "후라이드", "후라이드", true}}},
		{"spacing", "허니 콤보 하나", []want{{LinkMenuItem, "허니 콤보", "허니콤보", true}}},
		{"spacing removed", "허니콤보 하나", []want{{LinkMenuItem, "허니콤보", "허니콤보", true}}},
		{"spacing inserted", "허 니콤 보", []want{{LinkMenuItem, "허 니콤 보", "허니콤보", true}}},
		{"typo", "후리이드 주세요", []want{{LinkMenuItem, "후리이드", "후라이드", false}}},
		{"typo and particle", "후리이드를 주세요", []want{{LinkMenuItem, "후리이드", "후라이드", false}}},
		{"typo in a long name", "황금올리부치킨", []want{{LinkMenuItem, "황금올리부치킨", "황금올리브치킨", false}}},
		{"brand short form", "교촌 메뉴", []want{{LinkBrand, "교촌", "교촌", true}}},
		{"brand full form", "교촌치킨 메뉴", []want{{LinkBrand, "교촌치킨", "교촌치킨", true}}},
		{"longest match first", "교동치킨 혜화점 후라이드", []want{{LinkMerchant, "교동치킨 혜화점", "교동치킨 혜화점", true}, {LinkMenuItem, "후라이드", "후라이드", true}}},
		{"latin case", "BbQ 메뉴", []want{{LinkBrand, "BbQ", "BBQ", true}}},
		{"latin inside a word", "bbqueen", nil},
		{"event title in brackets", "레미제라블 보고 싶어", []want{{LinkEvent, "레미제라블", "레미제라블", true}}},
		{"event outer title", "아이유 콘서트 예매", []want{{LinkEvent, "아이유 콘서트", "아이유 콘서트", true}}},
		{"performer", "아이유 노래", []want{{LinkPerformer, "아이유", "아이유", true}}},
		{"performer of a cast", "조승우 나오는", []want{{LinkPerformer, "조승우", "조승우", true}}},
		{"venue", "kspo dome 어디", []want{{LinkVenue, "kspo dome", "KSPO DOME", true}}},
		{"category word alone links nothing", "뮤지컬 추천", nil},
		{"short words are not fuzzy", "상담 좀", nil},
		{"numbers are not fuzzy", "떡볶이 2인분", []want{{LinkMenuItem, "떡볶이", "떡볶이", true}}},
		{"no spaces", "교촌허니콤보두마리", []want{{LinkBrand, "교촌", "교촌", true}, {LinkMenuItem, "허니콤보", "허니콤보", true}}},
		{"yes yes is not a brand", "네네", nil},
		{"empty", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := cat.Link(tc.text)
			if len(got) != len(tc.want) {
				t.Fatalf("Link(%q) = %+v, want %d links", tc.text, got, len(tc.want))
			}
			rs := []rune(tc.text)
			for i, w := range tc.want {
				g := got[i]
				if g.Kind != w.kind || g.Surface != w.surface || g.Matched != w.matched || (g.Score == 1) != w.exact {
					t.Errorf("link %d = %+v, want %+v", i, g, w)
				}
				if string(rs[g.Start:g.End]) != g.Surface {
					t.Errorf("link %d: text[%d:%d] = %q, surface %q", i, g.Start, g.End, string(rs[g.Start:g.End]), g.Surface)
				}
				if g.ID == "" || len(g.IDs) == 0 || g.IDs[0] != g.ID {
					t.Errorf("link %d: ID %q, IDs %v", i, g.ID, g.IDs)
				}
			}
		})
	}
}

func TestLinkAllCandidates(t *testing.T) {
	cat := testCatalog()
	got := cat.Link("허니콤보")
	if len(got) != 1 {
		t.Fatalf("got %+v", got)
	}
	if want := []string{"i-002-04", "i-003-04"}; fmt.Sprint(got[0].IDs) != fmt.Sprint(want) {
		t.Errorf("IDs = %v, want %v (every branch's item)", got[0].IDs, want)
	}
	brand := cat.Link("교촌")
	if want := []string{"m-002", "m-003"}; len(brand) != 1 || fmt.Sprint(brand[0].IDs) != fmt.Sprint(want) {
		t.Errorf("brand links = %+v, want IDs %v", brand, want)
	}
}

func TestLinkNoOverlap(t *testing.T) {
	cat := testCatalog()
	for _, text := range []string{
		"교촌치킨 허니콤보 후라이드 양념 반반 콜라 사이다 아이유 콘서트 레미제라블",
		"후라이드반양념반", "허니콤보허니콤보허니콤보", "황올황올", "후리이드 후리이드를 후라이드",
	} {
		links := cat.Link(text)
		end := -1
		for _, l := range links {
			if l.Start < end {
				t.Errorf("%q: overlapping links %+v", text, links)
			}
			if l.Start >= l.End || l.End > utf8.RuneCountInString(text) {
				t.Errorf("%q: bad span %+v", text, l)
			}
			end = l.End
		}
	}
}

func TestNilCatalog(t *testing.T) {
	var c *Catalog
	if got := c.Link("후라이드"); got != nil {
		t.Errorf("nil catalog linked %+v", got)
	}
	if _, ok := c.Merchant("m-001"); ok {
		t.Error("nil catalog has a merchant")
	}
	if got := NewCatalog(nil, nil, nil).Link("후라이드"); got != nil {
		t.Errorf("empty catalog linked %+v", got)
	}
}

func TestTitleForms(t *testing.T) {
	got := titleForms("아이유 콘서트 〈HEREH〉")
	want := []string{"아이유 콘서트", "HEREH"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("titleForms = %q, want %q", got, want)
	}
}

// syntheticCatalog builds a catalog of n menu items over n/20 merchants,
// with names made of common syllables so that trigram postings are long.
func syntheticCatalog(n int) *Catalog {
	first := []string{"황금", "허니", "레드", "블랙", "매콤", "달콤", "바삭", "크리스피", "갈릭", "치즈", "불고기", "마라", "로제", "트러플", "청양"}
	second := []string{"후라이드", "양념치킨", "콤보", "순살", "피자", "버거", "떡볶이", "족발", "짜장", "짬뽕", "라떼", "김밥", "국밥", "돈까스", "우동"}
	var ms []*sodam.Merchant
	var is []*sodam.MenuItem
	for m := 0; m < n/20+1; m++ {
		ms = append(ms, &sodam.Merchant{ID: fmt.Sprintf("m-%05d", m), Name: fmt.Sprintf("가게%d %s점", m, first[m%len(first)]), Brand: fmt.Sprintf("브랜드%d", m%300)})
	}
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("%s%s %d호", first[i%len(first)], second[(i/len(first))%len(second)], i/(len(first)*len(second)))
		is = append(is, &sodam.MenuItem{ID: fmt.Sprintf("i-%05d", i), MerchantID: ms[i/20].ID, Name: name,
			Aliases: []string{first[i%len(first)] + second[(i/len(first))%len(second)]}})
	}
	return NewCatalog(ms, is, nil)
}

func BenchmarkLink(b *testing.B) {
	cat := syntheticCatalog(10000)
	texts := []string{"허니후라이드 두 마리랑 콜라 하나", "바삭양념치킨 순살로 한 마리 시켜줘", "근처 치킨집 찾아줘", "트러플피자 라지 한 판", "크리스피후리이드 하나요"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cat.Link(texts[i%len(texts)])
	}
}
