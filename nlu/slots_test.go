package nlu

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sodam-ai/sodam"
)

// testRef is the reference time of the tests: Tuesday 24 November 2026,
// 18:00 in Seoul.
var testRef = time.Date(2026, 11, 24, 18, 0, 0, 0, time.FixedZone("KST", 9*60*60))

// testCatalog is a small catalog with the names the tests use.
func testCatalog() *Catalog {
	ms := []*sodam.Merchant{
		{ID: "m-001", Name: "교동치킨 혜화점", Brand: "교동치킨", Category: "치킨"},
		{ID: "m-002", Name: "교촌치킨 혜화점", Brand: "교촌치킨", Category: "치킨"},
		{ID: "m-003", Name: "교촌치킨 강남역점", Brand: "교촌치킨", Category: "치킨"},
		{ID: "m-006", Name: "BBQ 홍대점", Brand: "BBQ", Category: "치킨"},
		{ID: "m-009", Name: "bhc 혜화점", Brand: "bhc", Category: "치킨"},
		{ID: "m-016", Name: "네네치킨 홍대점", Brand: "네네치킨", Category: "치킨"},
		{ID: "m-018", Name: "도미노피자 강남역점", Brand: "도미노피자", Category: "피자"},
		{ID: "m-040", Name: "역삼 엄마손백반", Aliases: []string{"역삼 백반"}, Category: "한식"},
	}
	is := []*sodam.MenuItem{
		{ID: "i-001-01", MerchantID: "m-001", Name: "후라이드치킨", Aliases: []string{"후라이드", "프라이드"}},
		{ID: "i-001-02", MerchantID: "m-001", Name: "양념치킨", Aliases: []string{"양념"}},
		{ID: "i-001-04", MerchantID: "m-001", Name: "반반치킨", Aliases: []string{"반반", "후라이드 반 양념 반"}},
		{ID: "i-001-07", MerchantID: "m-001", Name: "콜라", Aliases: []string{"코카콜라"}},
		{ID: "i-001-08", MerchantID: "m-001", Name: "사이다"},
		{ID: "i-002-04", MerchantID: "m-002", Name: "허니콤보", Aliases: []string{"허니 콤보"}},
		{ID: "i-002-05", MerchantID: "m-002", Name: "레드콤보"},
		{ID: "i-002-10", MerchantID: "m-002", Name: "교촌 웨지감자", Aliases: []string{"웨지감자"}},
		{ID: "i-002-11", MerchantID: "m-002", Name: "퐁듀치즈볼", Aliases: []string{"치즈볼"}},
		{ID: "i-003-04", MerchantID: "m-003", Name: "허니콤보", Aliases: []string{"허니 콤보"}},
		{ID: "i-006-01", MerchantID: "m-006", Name: "황금올리브치킨", Aliases: []string{"황올", "황금올리브", "후라이드"}},
		{ID: "i-009-01", MerchantID: "m-009", Name: "뿌링클", Aliases: []string{"뿌링클치킨"}},
		{ID: "i-018-01", MerchantID: "m-018", Name: "페퍼로니 피자", Aliases: []string{"페퍼로니"}},
		{ID: "i-040-01", MerchantID: "m-040", Name: "떡볶이 1인분", Aliases: []string{"떡볶이"}},
	}
	es := []*sodam.Event{
		{ID: "e-001", Title: "아이유 콘서트 〈HEREH〉", Performer: "아이유", Category: "콘서트", Venue: "KSPO DOME"},
		{ID: "e-002", Title: "임영웅 콘서트 〈IM HERO〉", Performer: "임영웅", Category: "콘서트", Venue: "고척스카이돔"},
		{ID: "e-008", Title: "뮤지컬 〈오페라의 유령〉", Performer: "조승우, 최재림", Category: "뮤지컬", Venue: "블루스퀘어 신한카드홀"},
		{ID: "e-009", Title: "뮤지컬 〈레미제라블〉", Performer: "민우혁, 김우형", Category: "뮤지컬", Venue: "세종문화회관 대극장"},
		{ID: "e-016", Title: "연극 〈라면〉", Performer: "극단 라면", Category: "연극", Venue: "대학로 해피씨어터"},
	}
	return NewCatalog(ms, is, es)
}

type slotCase struct {
	name, intent, text string
	want               string // the slots as JSON
	removed            string // the removals as JSON, "" for none
}

// slotCases cover every slot: grouping of items with counts and options,
// corrections, removals, text without spaces, typos, and what must not be
// taken for a slot.
var slotCases = []slotCase{
	// items: counts, grouping, options
	{"one item", "add_to_order", "후라이드 한 마리 시켜줘", `{"items":[{"name":"후라이드","quantity":1,"options":[]}]}`, ""},
	{"quantity unsaid", "add_to_order", "허니콤보 주문할게요", `{"items":[{"name":"허니콤보","quantity":1,"options":[]}]}`, ""},
	{"two items grouped", "add_to_order", "후라이드 한 마리랑 양념 두 마리", `{"items":[{"name":"후라이드","quantity":1,"options":[]},{"name":"양념","quantity":2,"options":[]}]}`, ""},
	{"three items", "add_to_order", "후라이드 하나 양념 둘 콜라 셋", `{"items":[{"name":"후라이드","quantity":1,"options":[]},{"name":"양념","quantity":2,"options":[]},{"name":"콜라","quantity":3,"options":[]}]}`, ""},
	{"large option", "add_to_order", "콜라 큰 거 하나", `{"items":[{"name":"콜라","quantity":1,"options":["라지"]}]}`, ""},
	{"boneless option", "add_to_order", "허니콤보 순살로 두 마리", `{"items":[{"name":"허니콤보","quantity":2,"options":["순살"]}]}`, ""},
	{"option before item", "add_to_order", "순살 양념 한 마리", `{"items":[{"name":"양념","quantity":1,"options":["순살"]}]}`, ""},
	{"spicy option", "add_to_order", "레드콤보 맵게 한 마리요", `{"items":[{"name":"레드콤보","quantity":1,"options":["매운맛"]}]}`, ""},
	{"double portion", "add_to_order", "짬뽕 곱빼기 하나요", `{"items":[{"name":"짬뽕","quantity":1,"options":["곱빼기"]}]}`, ""},
	{"set option", "add_to_order", "불고기버거 세트 두 개 주세요", `{"items":[{"name":"불고기버거","quantity":2,"options":["세트"]}]}`, ""},
	{"iced option", "add_to_order", "카페라떼 아이스로 두 잔이요", `{"items":[{"name":"카페라떼","quantity":2,"options":["아이스"]}]}`, ""},
	{"option after count goes to next item", "add_to_order", "후라이드 한 마리랑 순살 양념 두 마리", `{"items":[{"name":"후라이드","quantity":1,"options":[]},{"name":"양념","quantity":2,"options":["순살"]}]}`, ""},
	{"digits", "add_to_order", "제로콜라 2개 담아줘", `{"items":[{"name":"제로콜라","quantity":2,"options":[]}]}`, ""},
	{"portions", "add_to_order", "떡볶이 2인분 주세요", `{"items":[{"name":"떡볶이","quantity":2,"options":[]}]}`, ""},
	{"cups", "add_to_order", "아메리카노 세 잔 시킬게요", `{"items":[{"name":"아메리카노","quantity":3,"options":[]}]}`, ""},
	{"bowls and pieces", "add_to_order", "짜장면 두 그릇이랑 탕수육 하나요", `{"items":[{"name":"짜장면","quantity":2,"options":[]},{"name":"탕수육","quantity":1,"options":[]}]}`, ""},
	{"rolls", "add_to_order", "김밥 세 줄이랑 라면 하나", `{"items":[{"name":"김밥","quantity":3,"options":[]},{"name":"라면","quantity":1,"options":[]}]}`, ""},
	{"cans", "add_to_order", "사이다 두 캔 추가요", `{"items":[{"name":"사이다","quantity":2,"options":[]}]}`, ""},
	{"pizza board", "add_to_order", "페퍼로니 피자 라지 한 판", `{"items":[{"name":"페퍼로니 피자","quantity":1,"options":["라지"]}]}`, ""},
	{"compound food words", "add_to_order", "후라이드 치킨 두 마리", `{"items":[{"name":"후라이드치킨","quantity":2,"options":[]}]}`, ""},
	{"category word with count is an item", "add_to_order", "치킨 두 마리 시켜줘", `{"items":[{"name":"치킨","quantity":2,"options":[]}]}`, ""},
	{"category word in an order", "add_to_order", "피자도 하나 추가", `{"items":[{"name":"피자","quantity":1,"options":[]}]}`, ""},
	{"twelve", "add_to_order", "치킨무 열두 개", `{"items":[{"name":"치킨무","quantity":12,"options":[]}]}`, ""},
	{"ten", "add_to_order", "콜라 열 병", `{"items":[{"name":"콜라","quantity":10,"options":[]}]}`, ""},
	{"alias with spaces", "add_to_order", "허니 콤보 하나 더", `{"items":[{"name":"허니콤보","quantity":1,"options":[]}]}`, ""},
	{"alias sentence", "add_to_order", "후라이드 반 양념 반 한 마리요", `{"items":[{"name":"후라이드 반 양념 반","quantity":1,"options":[]}]}`, ""},
	{"short alias", "add_to_order", "황올 두마리 ㄱㄱ", `{"items":[{"name":"황올","quantity":2,"options":[]}]}`, ""},
	{"typo", "add_to_order", "후리이드 한 마리 주문이요", `{"items":[{"name":"후라이드","quantity":1,"options":[]}]}`, ""},
	{"typo with particle", "add_to_order", "후리이드를 두 마리 주세요", `{"items":[{"name":"후라이드","quantity":2,"options":[]}]}`, ""},
	{"typo in a long name", "add_to_order", "황금올리부치킨 하나", `{"items":[{"name":"황금올리브치킨","quantity":1,"options":[]}]}`, ""},
	{"no spaces", "add_to_order", "뿌링클두마리랑콜라하나", `{"items":[{"name":"뿌링클","quantity":2,"options":[]},{"name":"콜라","quantity":1,"options":[]}]}`, ""},
	{"no spaces glued count", "add_to_order", "후라이드한마리", `{"items":[{"name":"후라이드","quantity":1,"options":[]}]}`, ""},
	{"count before item", "add_to_order", "두 마리 후라이드로 주세요", `{"items":[{"name":"후라이드","quantity":2,"options":[]}]}`, ""},
	{"emoji", "add_to_order", "치즈볼 하나 🧀🧀", `{"items":[{"name":"치즈볼","quantity":1,"options":[]}]}`, ""},
	{"english item", "add_to_order", "coke 하나 추가", `{"items":[{"name":"coke","quantity":1,"options":[]}]}`, ""},
	{"bare number in an order", "add_to_order", "콜라 2 주세요", `{"items":[{"name":"콜라","quantity":2,"options":[]}]}`, ""},
	{"decimal is not a count", "add_to_order", "콜라 1.25 하나", `{"items":[{"name":"콜라","quantity":1,"options":[]}]}`, ""},
	{"merchant and item", "add_to_order", "교촌 허니콤보 하나 주문할게", `{"items":[{"name":"허니콤보","quantity":1,"options":[]}],"merchant":"교촌"}`, ""},
	{"brand glued with category", "add_to_order", "교촌치킨 허니콤보 두 마리 시켜줘", `{"items":[{"name":"허니콤보","quantity":2,"options":[]}],"merchant":"교촌치킨"}`, ""},
	{"english brand with particle", "add_to_order", "bbq에서 황금올리브 한 마리 시켜줘", `{"items":[{"name":"황금올리브","quantity":1,"options":[]}],"merchant":"BBQ"}`, ""},
	{"delivery time", "add_to_order", "내일 저녁 7시에 피자 한 판 배달해줘", `{"items":[{"name":"피자","quantity":1,"options":[]}],"datetime":"2026-11-25T19:00:00+09:00"}`, ""},
	{"delivery address", "add_to_order", "서울 종로구 대학로 12로 후라이드 한 마리 보내줘", `{"items":[{"name":"후라이드","quantity":1,"options":[]}],"address":"서울 종로구 대학로 12"}`, ""},
	{"address with unit", "add_to_order", "서울시 마포구 양화로 45 101동 202호로 족발 하나", `{"items":[{"name":"족발","quantity":1,"options":[]}],"address":"서울시 마포구 양화로 45 101동 202호"}`, ""},
	{"play title is food in an order", "add_to_order", "라면 하나 주세요", `{"items":[{"name":"라면","quantity":1,"options":[]}]}`, ""},

	// corrections and removals
	{"count corrected", "modify_order", "허니콤보 세 마리 말고 두 마리로 해줘", `{"items":[{"name":"허니콤보","quantity":2,"options":[]}]}`, ""},
	{"count corrected with 아니", "add_to_order", "후라이드 세 마리 아니 두 마리", `{"items":[{"name":"후라이드","quantity":2,"options":[]}]}`, ""},
	{"portions corrected", "modify_order", "떡볶이 3인분 말고 2인분으로", `{"items":[{"name":"떡볶이","quantity":2,"options":[]}]}`, ""},
	{"second count without correction keeps first", "add_to_order", "후라이드 한 마리 두 개", `{"items":[{"name":"후라이드","quantity":1,"options":[]}]}`, ""},
	{"removal alone", "modify_order", "콜라 빼줘", `{"items":[{"name":"콜라","quantity":1,"options":[]}]}`, `[{"name":"콜라","quantity":1,"options":[]}]`},
	{"removal and addition", "modify_order", "콜라는 빼고 사이다로 넣어줘", `{"items":[{"name":"사이다","quantity":1,"options":[]}]}`, `[{"name":"콜라","quantity":1,"options":[]}]`},
	{"removal with count", "modify_order", "양념 하나 빼주세요", `{"items":[{"name":"양념","quantity":1,"options":[]}]}`, `[{"name":"양념","quantity":1,"options":[]}]`},
	{"refusal with 말고", "add_to_order", "콜라 말고 사이다 하나", `{"items":[{"name":"사이다","quantity":1,"options":[]}]}`, `[{"name":"콜라","quantity":1,"options":[]}]`},
	{"removal then keep", "modify_order", "후라이드 빼고 양념만 할게", `{"items":[{"name":"양념","quantity":1,"options":[]}]}`, `[{"name":"후라이드","quantity":1,"options":[]}]`},
	{"swap", "modify_order", "후라이드를 양념으로 바꿔주세요", `{"items":[{"name":"양념","quantity":1,"options":[]}]}`, `[{"name":"후라이드","quantity":1,"options":[]}]`},
	{"delete", "modify_order", "장바구니에서 사이다 삭제", `{"items":[{"name":"사이다","quantity":1,"options":[]}]}`, `[{"name":"사이다","quantity":1,"options":[]}]`},
	{"cancel item", "modify_order", "치즈볼 취소해줘", `{"items":[{"name":"치즈볼","quantity":1,"options":[]}]}`, `[{"name":"치즈볼","quantity":1,"options":[]}]`},
	{"without", "add_to_order", "콜라 없이 후라이드만", `{"items":[{"name":"후라이드","quantity":1,"options":[]}]}`, `[{"name":"콜라","quantity":1,"options":[]}]`},
	{"count only", "modify_order", "두 마리로 바꿔줘", `{}`, ""},
	{"change option", "modify_order", "피자 라지로 바꿔줄래?", `{"items":[{"name":"피자","quantity":1,"options":["라지"]}]}`, ""},

	// not items
	{"category in a complaint", "file_complaint", "치킨이 다 식어서 왔어요", `{"complaint_type":"cold"}`, ""},
	{"category in status", "order_status", "치킨 언제 와요?", `{}`, ""},
	{"category in a cancellation", "cancel_order", "치킨 주문 취소", `{}`, ""},
	{"word that starts like food", "help", "뭐 물어봐도 돼?", `{}`, ""},
	{"short word not fuzzy", "out_of_scope", "연애 상담 좀 해줘", `{}`, ""},

	// merchant
	{"brand", "browse_menu", "교촌 메뉴 보여줘", `{"merchant":"교촌"}`, ""},
	{"english brand", "browse_menu", "bhc메뉴보여줘", `{"merchant":"bhc"}`, ""},
	{"brand in capitals", "search_merchant", "BBQ 가까운 지점 어디?", `{"merchant":"BBQ","near_me":true}`, ""},
	{"branch name", "merchant_info", "교동치킨 혜화점 배달비 얼마예요?", `{"merchant":"교동치킨 혜화점"}`, ""},
	{"brand outside the catalog", "browse_menu", "맘스터치 메뉴", `{"merchant":"맘스터치"}`, ""},
	{"yes yes is not a brand", "affirm", "네네 진행해주세요", `{}`, ""},
	{"full brand that is also yes", "browse_menu", "네네치킨 메뉴", `{"merchant":"네네치킨"}`, ""},
	{"place and kind is a search", "search_merchant", "역삼 백반집 있나", `{"category":"한식","location":"역삼"}`, ""},
	{"latin brand inside a word", "out_of_scope", "bbqueen 알아?", `{}`, ""},

	// category
	{"chicken store", "search_merchant", "근처 치킨집 찾아줘", `{"category":"치킨","near_me":true}`, ""},
	{"pizza", "search_merchant", "강남역 피자 배달되는 곳", `{"category":"피자","location":"강남역"}`, ""},
	{"burger", "search_merchant", "잠실 햄버거 가게 보여줘", `{"category":"햄버거","location":"잠실"}`, ""},
	{"jokbal from bossam", "search_merchant", "보쌈 잘하는 집", `{"category":"족발"}`, ""},
	{"chinese", "search_merchant", "가까운 중국집 어디야", `{"category":"중식","near_me":true}`, ""},
	{"snack from tteokbokki", "search_merchant", "신촌에서 떡볶이 파는 데 알려줘", `{"category":"분식","location":"신촌"}`, ""},
	{"cafe", "search_merchant", "주변에 카페 있나요?", `{"category":"카페","near_me":true}`, ""},
	{"korean from gukbap", "search_merchant", "성수동 국밥집 찾아줄래", `{"category":"한식","location":"성수동"}`, ""},
	{"concert", "search_event", "콘서트 뭐 있어", `{"category":"콘서트"}`, ""},
	{"play", "search_event", "연극 추천해줘", `{"category":"연극"}`, ""},
	{"musical", "search_event", "뮤지컬 보고 싶어", `{"category":"뮤지컬"}`, ""},
	{"fan meeting slang", "search_event", "팬미 언제해", `{"category":"팬미팅"}`, ""},

	// location, near_me
	{"district", "search_merchant", "종로구 피자 배달 되는 곳", `{"category":"피자","location":"종로구"}`, ""},
	{"station with particle", "search_merchant", "홍대입구역에서 족발", `{"category":"족발","location":"홍대입구역"}`, ""},
	{"place with direction", "search_merchant", "합정 쪽 족발 시킬만한 데", `{"category":"족발","location":"합정"}`, ""},
	{"place near is not near me", "search_merchant", "대학로 근처 족발집 있어요?", `{"category":"족발","location":"대학로"}`, ""},
	{"near me no spaces", "search_merchant", "근처치킨집찾아줘", `{"category":"치킨","near_me":true}`, ""},
	{"my location", "search_merchant", "내 위치에서 제일 가까운 분식집", `{"category":"분식","near_me":true}`, ""},
	{"neighbourhood", "search_merchant", "우리 동네 중국집 추천 좀", `{"category":"중식","near_me":true}`, ""},
	{"here is not near", "browse_menu", "여기 뭐 있어요?", `{}`, ""},
	{"idaero is not a place", "checkout", "이대로 주문해줘", `{}`, ""},

	// address
	{"address to send", "checkout", "서울 마포구 와우산로 94로 배달해주고 결제할게", `{"address":"서울 마포구 와우산로 94"}`, ""},
	{"address said", "checkout", "주소는 서울 성동구 성수이로 88 이에요 결제할게요", `{"address":"서울 성동구 성수이로 88"}`, ""},
	{"address lot number", "add_to_order", "배달 주소는 서울 강남구 테헤란로 152 이고 양념치킨 한 마리요", `{"items":[{"name":"양념치킨","quantity":1,"options":[]}],"address":"서울 강남구 테헤란로 152"}`, ""},
	{"seat with 으로 is not an address", "book_ticket", "스탠딩으로 1장이요", `{"ticket_count":1,"seat_grade":"스탠딩"}`, ""},

	// datetime
	{"tomorrow evening", "book_ticket", "내일 저녁 7시에 표 두 장", `{"datetime":"2026-11-25T19:00:00+09:00","ticket_count":2}`, ""},
	{"this saturday", "search_event", "이번 주 토요일 공연 추천해줘", `{"datetime":"2026-11-28T00:00:00+09:00"}`, ""},
	{"weekend span start", "search_event", "이번 주말 대학로 연극 뭐 있어", `{"category":"연극","location":"대학로","datetime":"2026-11-28T00:00:00+09:00"}`, ""},
	{"next friday", "search_event", "다음 주 금요일 콘서트 뭐 있어", `{"category":"콘서트","datetime":"2026-12-04T00:00:00+09:00"}`, ""},
	{"date", "search_event", "12월 24일에 하는 뮤지컬 있어?", `{"category":"뮤지컬","datetime":"2026-12-24T00:00:00+09:00"}`, ""},
	{"christmas eve", "search_event", "크리스마스 이브에 볼 만한 공연 있어?", `{"datetime":"2026-12-24T00:00:00+09:00"}`, ""},
	{"half past", "book_ticket", "잔나비 팬미팅 내일 오후 2시 반 2매", `{"category":"팬미팅","performer":"잔나비","datetime":"2026-11-25T14:30:00+09:00","ticket_count":2}`, ""},
	{"day after tomorrow", "search_event", "모레 뭐 공연하는 거 있나?", `{"datetime":"2026-11-26T00:00:00+09:00"}`, ""},
	{"today alone is no slot", "ask_promotion", "오늘 할인하는 거 있어?", `{}`, ""},
	{"this week is no slot", "ask_promotion", "이번 주 할인 행사 뭐 있어", `{}`, ""},

	// event, performer, venue
	{"performer and kind", "search_event", "아이유 콘서트 언제 해?", `{"category":"콘서트","performer":"아이유"}`, ""},
	{"performer glued", "search_event", "아이유팬미팅 하나?", `{"category":"팬미팅","performer":"아이유"}`, ""},
	{"title", "search_event", "레미제라블 공연 일정 알려줘", `{"event":"레미제라블"}`, ""},
	{"title with spaces", "search_event", "오페라의 유령 언제까지 해요", `{"event":"오페라의 유령"}`, ""},
	{"cast member", "search_event", "조승우 나오는 뮤지컬 있어?", `{"category":"뮤지컬","performer":"조승우"}`, ""},
	{"venue", "search_event", "KSPO DOME 공연 일정", `{"venue":"KSPO DOME"}`, ""},
	{"venue short form", "search_event", "고척돔에서 하는 콘서트 뭐야", `{"category":"콘서트","venue":"고척돔"}`, ""},
	{"performer outside the catalog", "search_event", "세븐틴 팬미팅 언제야", `{"category":"팬미팅","performer":"세븐틴"}`, ""},
	{"play title with event words", "book_ticket", "연극 라면 표 두 장", `{"category":"연극","event":"연극 〈라면〉","ticket_count":2}`, ""},
	{"unknown performer before concert", "search_event", "스트레이키즈 콘서트 언제야", `{"category":"콘서트","performer":"스트레이키즈"}`, ""},
	{"weekday before concert is no performer", "search_event", "금요일 콘서트 있어?", `{"category":"콘서트","datetime":"2026-11-27T00:00:00+09:00"}`, ""},
	{"show outside the catalog", "book_ticket", "캣츠 표 두 장", `{"event":"캣츠","ticket_count":2}`, ""},
	{"brand with apostrophe", "browse_menu", "Domino's 메뉴 보여줘", `{"merchant":"domino's"}`, ""},
	{"unknown dish by its ending", "add_to_order", "징거버거 하나 주세요", `{"items":[{"name":"징거버거","quantity":1,"options":[]}]}`, ""},
	{"unknown dish before a count", "add_to_order", "펩시 두 캔 추가요", `{"items":[{"name":"펩시","quantity":2,"options":[]}]}`, ""},
	{"singer name is no performer in an order", "add_to_order", "싸이버거도 하나 추가해주세요", `{"items":[{"name":"싸이버거","quantity":1,"options":[]}]}`, ""},
	{"wrong dish came", "file_complaint", "양념 시켰는데 후라이드 왔어요", `{"items":[{"name":"양념","quantity":1,"options":[]},{"name":"후라이드","quantity":1,"options":[]}],"complaint_type":"wrong_item"}`, ""},
	{"late caused cold", "file_complaint", "배달이 늦어서 다 식었어요", `{"complaint_type":"late"}`, ""},
	{"vip glued to count", "book_ticket", "vip3매주세요", `{"ticket_count":3,"seat_grade":"VIP"}`, ""},

	// tickets and seats
	{"R seat", "book_ticket", "R석 두 장 예매해줘", `{"ticket_count":2,"seat_grade":"R"}`, ""},
	{"VIP in hangul", "book_ticket", "브이아이피석 한 장 예매요", `{"ticket_count":1,"seat_grade":"VIP"}`, ""},
	{"vip lower case", "book_ticket", "vip 석으로 2자리", `{"ticket_count":2,"seat_grade":"VIP"}`, ""},
	{"S seat in hangul", "book_ticket", "에스석 두장 ㄱㄱ", `{"ticket_count":2,"seat_grade":"S"}`, ""},
	{"A seat seats", "book_ticket", "a석으로 두 자리 잡아줘", `{"ticket_count":2,"seat_grade":"A"}`, ""},
	{"all seats", "book_ticket", "전석 두 장 주세요", `{"ticket_count":2,"seat_grade":"전석"}`, ""},
	{"standing", "book_ticket", "잔나비 콘서트 스탠딩 2장 예매", `{"category":"콘서트","performer":"잔나비","ticket_count":2,"seat_grade":"스탠딩"}`, ""},
	{"sheets counter", "book_ticket", "R석 2매 예매하고 카카오페이로 결제할게", `{"ticket_count":2,"seat_grade":"R","payment_method":"kakaopay"}`, ""},
	{"people", "book_ticket", "2명 예매할게요", `{"ticket_count":2}`, ""},
	{"persons", "book_ticket", "레미제라블 12월 24일 2인 예매", `{"event":"레미제라블","datetime":"2026-12-24T00:00:00+09:00","ticket_count":2}`, ""},
	{"one ticket as 하나", "book_ticket", "오페라의 유령 VIP석 하나 예매해줘", `{"event":"오페라의 유령","ticket_count":1,"seat_grade":"VIP"}`, ""},
	{"bare grade letter", "book_ticket", "R 두 장이요", `{"ticket_count":2,"seat_grade":"R"}`, ""},
	{"ticket count corrected", "book_ticket", "세 장 말고 두 장", `{"ticket_count":2}`, ""},
	{"people outside tickets are no tickets", "search_merchant", "2명이서 먹을 치킨집", `{"category":"치킨"}`, ""},

	// budget
	{"budget under", "search_merchant", "2만원 이하로 먹을 수 있는 치킨집 찾아줘", `{"category":"치킨","budget":20000}`, ""},
	{"budget within", "search_merchant", "만오천원 이내 피자 가게", `{"category":"피자","budget":15000}`, ""},
	{"budget band", "search_merchant", "1만원대 분식집 찾아줘", `{"category":"분식","budget":20000}`, ""},
	{"budget first", "search_merchant", "예산 2만원으로 중국집 찾아줘", `{"category":"중식","budget":20000}`, ""},
	{"budget until", "browse_menu", "3만원까지 되는 메뉴", `{"budget":30000}`, ""},
	{"price is not a budget", "merchant_info", "2만원 넘으면 배달비 무료야?", `{}`, ""},

	// complaint types
	{"cold", "file_complaint", "족발이 차가워요", `{"complaint_type":"cold"}`, ""},
	{"lukewarm", "file_complaint", "국밥이 미지근해요", `{"complaint_type":"cold"}`, ""},
	{"late", "file_complaint", "배달이 한 시간째 안 와요", `{"complaint_type":"late"}`, ""},
	{"still not here", "file_complaint", "40분 넘게 기다렸는데 아직도 안 와요", `{"complaint_type":"late"}`, ""},
	{"too late", "file_complaint", "너무 늦게 와서 화나요", `{"complaint_type":"late"}`, ""},
	{"wrong item", "file_complaint", "주문한 거랑 다른 메뉴가 왔어요", `{"complaint_type":"wrong_item"}`, ""},
	{"wrong delivery", "file_complaint", "메뉴가 잘못 왔어요", `{"complaint_type":"wrong_item"}`, ""},
	{"missing item", "file_complaint", "콜라가 안 왔어요", `{"items":[{"name":"콜라","quantity":1,"options":[]}],"complaint_type":"missing_item"}`, ""},
	{"left out", "file_complaint", "치즈볼이 빠졌어요", `{"items":[{"name":"치즈볼","quantity":1,"options":[]}],"complaint_type":"missing_item"}`, ""},
	{"taste", "file_complaint", "피자가 너무 짜요", `{"complaint_type":"taste"}`, ""},
	{"no taste", "file_complaint", "맛이 너무 없어요 환불해주세요", `{"complaint_type":"taste"}`, ""},
	{"bland", "file_complaint", "싱거워서 못 먹겠어요", `{"complaint_type":"taste"}`, ""},
	{"hair", "file_complaint", "음식에서 머리카락 나왔어요", `{"complaint_type":"quality"}`, ""},
	{"soggy", "file_complaint", "감자튀김이 다 눅눅해요", `{"items":[{"name":"감자튀김","quantity":1,"options":[]}],"complaint_type":"quality"}`, ""},
	{"spoiled", "file_complaint", "음식이 상한 것 같아요", `{"complaint_type":"quality"}`, ""},
	{"rude", "file_complaint", "배달기사님이 너무 불친절했어요", `{"complaint_type":"rude"}`, ""},
	{"swearing", "file_complaint", "라이더가 저한테 욕을 했어요", `{"complaint_type":"rude"}`, ""},
	{"other", "file_complaint", "포장이 엉망이에요", `{"complaint_type":"other"}`, ""},
	{"no complaint outside complaints", "search_merchant", "늦게까지 하는 치킨집", `{"category":"치킨"}`, ""},

	// payment
	{"kakaopay", "checkout", "카카오페이로 결제해줘", `{"payment_method":"kakaopay"}`, ""},
	{"kakao pay spaced", "checkout", "카카오 페이로 해주세요", `{"payment_method":"kakaopay"}`, ""},
	{"kakaopay slang", "checkout", "카페로 결제할게", `{"payment_method":"kakaopay"}`, ""},
	{"kakaopay latin", "checkout", "kakaopay로 계산", `{"payment_method":"kakaopay"}`, ""},
	{"card", "checkout", "카드로 계산할게요", `{"payment_method":"card"}`, ""},
	{"credit card", "checkout", "신용카드 결제요", `{"payment_method":"card"}`, ""},
	{"debit card", "checkout", "체크카드로 결제할래요", `{"payment_method":"card"}`, ""},

	// nothing
	{"greeting", "greet", "안녕하세요", `{}`, ""},
	{"laughter", "out_of_scope", "ㅋㅋㅋㅋㅋ", `{}`, ""},
	{"only emoji", "out_of_scope", "🍗🍕🍔", `{}`, ""},
}

func TestSlots(t *testing.T) {
	p := NewPipeline(nil, testCatalog())
	for _, tc := range slotCases {
		t.Run(tc.name, func(t *testing.T) {
			got := p.parse(tc.text, testRef, tc.intent)
			var want Slots
			if err := json.Unmarshal([]byte(tc.want), &want); err != nil {
				t.Fatalf("bad want: %v", err)
			}
			opts := cmp.Options{cmpIgnoreSlotExtras()}
			if diff := cmp.Diff(want, got.Slots, opts); diff != "" {
				gj, _ := json.Marshal(got.Slots)
				t.Errorf("%q: slots (-want +got):\n%s\ngot %s", tc.text, diff, gj)
			}
			var wantRm []ItemSlot
			if tc.removed != "" {
				if err := json.Unmarshal([]byte(tc.removed), &wantRm); err != nil {
					t.Fatalf("bad removed: %v", err)
				}
			}
			if diff := cmp.Diff(wantRm, got.Removals, opts); diff != "" {
				t.Errorf("%q: removals (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

// cmpIgnoreSlotExtras compares only what JSON shows.
func cmpIgnoreSlotExtras() cmp.Option {
	return cmp.FilterPath(func(p cmp.Path) bool {
		switch p.Last().String() {
		case ".Time", ".MenuItemIDs", ".QuantitySaid":
			return true
		}
		return false
	}, cmp.Ignore())
}

func TestItemOptionsNeverNull(t *testing.T) {
	p := NewPipeline(nil, testCatalog())
	got := p.parse("콜라 두 개랑 사이다", testRef, IntentAddToOrder)
	b, err := json.Marshal(got.Slots)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"items":[{"name":"콜라","quantity":2,"options":[]},{"name":"사이다","quantity":1,"options":[]}]}`
	if string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
}

func TestSlotCaseCount(t *testing.T) {
	if len(slotCases) < 120 {
		t.Errorf("%d slot cases, want at least 120", len(slotCases))
	}
}
