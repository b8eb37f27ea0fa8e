package main

// area is a neighbourhood of Seoul where merchants are placed.
type area struct {
	gu       string // 구
	streets  []string
	lat, lng float64 // its centre
}

// shop is a merchant before ids and coordinates are given.
type shop struct {
	name, brand, category string
	area                  area
	opens, closes         string
	fee, minOrder         int64
	menu                  []item
	desc                  string
	aliases               []string
}

func chicken(name, brand string, a area, menu []item) shop {
	return shop{name: name, brand: brand, category: "치킨", area: a, opens: "15:00", closes: "02:00", fee: 3000, minOrder: 16000, menu: menu}
}

func pizza(name, brand string, a area, menu []item) shop {
	return shop{name: name, brand: brand, category: "피자", area: a, opens: "11:00", closes: "23:00", fee: 2000, minOrder: 18000, menu: menu}
}

func burger(name, brand string, a area, menu []item) shop {
	return shop{name: name, brand: brand, category: "햄버거", area: a, opens: "10:00", closes: "22:00", fee: 2500, minOrder: 12000, menu: menu}
}

func cafe(name, brand string, a area, menu []item) shop {
	return shop{name: name, brand: brand, category: "카페", area: a, opens: "08:00", closes: "22:00", fee: 1500, minOrder: 8000, menu: menu}
}

// shops lists the merchants in id order: m-001 is the first. Append new
// merchants at the end so that ids stay stable.
func shops() []shop {
	var (
		hyehwa  = area{"종로구", []string{"대학로", "동숭길", "혜화로", "창경궁로"}, 37.5822, 127.0019}
		gangnam = area{"강남구", []string{"강남대로", "테헤란로", "역삼로", "봉은사로"}, 37.4990, 127.0310}
		hongdae = area{"마포구", []string{"와우산로", "양화로", "어울마당로", "독막로"}, 37.5540, 126.9210}
		jamsil  = area{"송파구", []string{"올림픽로", "백제고분로", "송파대로", "석촌호수로"}, 37.5115, 127.0990}
		sinchon = area{"서대문구", []string{"연세로", "신촌로", "명물길", "연희로"}, 37.5575, 126.9375}
		seongsu = area{"성동구", []string{"성수이로", "연무장길", "아차산로", "왕십리로"}, 37.5445, 127.0560}
		yeouido = area{"영등포구", []string{"여의대로", "국제금융로", "여의나루로", "의사당대로"}, 37.5220, 126.9250}
	)

	// The menus of the franchise brands: every branch sells the same items
	// under the same names.
	var (
		kyochon = menu([]item{
			{"교촌오리지날", 20000, "교촌만의 마늘간장 소스를 얇게 바른 한 마리", al("오리지날", "간장치킨", "교촌 오리지널"), boneOpts(), false},
			{"허니오리지날", 20000, "아카시아 꿀 소스를 입힌 한 마리", al("허니 오리지날", "허니치킨"), boneOpts(), false},
			{"레드오리지날", 21000, "청양고추로 매콤하게 맛을 낸 한 마리", al("레드 오리지날", "레드치킨"), boneOpts(), false},
			{"허니콤보", 23000, "날개와 다리만 모은 달콤한 꿀 소스 콤보", al("허니 콤보", "허니콤보치킨"), nil, false},
			{"레드콤보", 23000, "날개와 다리만 모은 매콤한 콤보", al("레드 콤보"), nil, false},
			{"교촌콤보", 23000, "날개와 다리만 모은 간장 콤보", al("교촌 콤보", "간장콤보"), nil, false},
			{"반반콤보", 23000, "교촌콤보와 레드콤보 반반", al("반반 콤보"), nil, false},
			{"허니순살", 23000, "순살로 즐기는 허니 시리즈", al("허니 순살"), nil, false},
			{"레드순살", 23000, "순살로 즐기는 레드 시리즈", al("레드 순살"), nil, false},
			{"교촌 웨지감자", 4000, "두툼하게 튀긴 웨지감자", al("웨지감자", "감자튀김"), nil, false},
			{"퐁듀치즈볼", 5000, "치즈가 늘어나는 치즈볼 5개", al("치즈볼"), nil, false},
		}, sodas(2500))

		bbq = menu([]item{
			{"황금올리브치킨", 23000, "올리브유로 튀긴 BBQ의 대표 후라이드", al("황올", "황금올리브", "후라이드", "후라이드치킨", "프라이드"), boneOpts(), false},
			{"황금올리브 양념치킨", 24500, "황금올리브치킨에 달콤한 양념", al("양념", "양념치킨", "황올 양념"), saucedOpts(), false},
			{"황금올리브 반반", 24000, "후라이드 반, 양념 반", al("반반", "반반치킨", "후라이드 반 양념 반"), boneOpts(), false},
			{"자메이카 통다리구이", 24500, "자메이카 소스로 구운 통다리", al("자메이카", "통다리구이"), nil, false},
			{"황금올리브 핫윙", 22000, "매콤한 날개만 모은 핫윙", al("핫윙"), nil, false},
			{"시크릿양념치킨", 24000, "비밀 양념으로 버무린 한 마리", al("시크릿 양념"), saucedOpts(), false},
			{"뿌링뿌링 치즈볼", 5500, "치즈볼 5개", al("치즈볼"), nil, false},
			{"소떡소떡", 4500, "소시지와 떡 꼬치", al("소떡"), nil, false},
		}, sodas(2500))

		bhc = menu([]item{
			{"뿌링클", 21000, "블루치즈·체다치즈 시즈닝의 bhc 대표 메뉴", al("뿌링클치킨", "뿌링클 치킨"), boneOpts(), false},
			{"맛초킹", 21000, "달콤짭짤한 간장 소스에 고추", al("맛초킹치킨"), boneOpts(), false},
			{"후라이드", 18000, "해바라기유로 튀긴 기본 후라이드", al("후라이드치킨", "프라이드", "프라이드치킨", "해바라기 후라이드"), boneOpts(), false},
			{"양념치킨", 19000, "새콤달콤한 양념 한 마리", al("양념"), saucedOpts(), false},
			{"골드킹", 21000, "허니 버터 소스의 골드킹", al("골드킹치킨"), boneOpts(), false},
			{"콰삭킹", 21000, "바삭한 튀김옷의 콰삭킹", al("콰삭킹치킨"), boneOpts(), false},
			{"반반치킨", 19500, "후라이드 반, 양념 반", al("반반", "후라이드 반 양념 반"), boneOpts(), false},
			{"뿌링치즈볼", 5000, "뿌링클 시즈닝 치즈볼 5개", al("치즈볼"), nil, false},
			{"뿌링감자", 4000, "뿌링클 시즈닝 감자튀김", al("감자튀김"), nil, false},
		}, sodas(2500))

		goobne = menu([]item{
			{"고추바사삭", 19900, "오븐에 구운 고추 바사삭", al("고바삭", "고추 바사삭"), boneOpts(), false},
			{"굽네 오리지널", 17000, "기름 없이 오븐에 구운 한 마리", al("오리지널", "굽네치킨"), boneOpts(), false},
			{"볼케이노", 19900, "화끈하게 매운 볼케이노 소스", al("볼케이노치킨"), boneOpts(), false},
			{"갈비천왕", 19900, "달콤한 갈비 양념 오븐구이", al("갈비천왕치킨"), boneOpts(), false},
			{"오븐바사삭", 19900, "바삭한 오븐 후라이드", al("오븐 바사삭", "후라이드"), boneOpts(), false},
			{"굽네 치즈볼", 5000, "치즈볼 5개", al("치즈볼"), nil, false},
			{"볼케이노 떡볶이", 6000, "볼케이노 소스 떡볶이", al("떡볶이"), nil, false},
		}, sodas(2500))

		cheogajip = menu([]item{
			{"슈프림양념치킨", 21000, "처갓집의 대표 슈프림 소스 양념치킨", al("슈프림양념", "슈프림", "슈프림 양념치킨"), saucedOpts(), false},
			{"처갓집양념치킨", 19000, "옛날 그 맛 양념치킨", al("양념치킨", "양념"), saucedOpts(), false},
			{"후라이드치킨", 18000, "바삭한 기본 후라이드", al("후라이드", "프라이드"), boneOpts(), false},
			{"반반치킨", 19500, "후라이드 반, 양념 반", al("반반"), boneOpts(), false},
			{"슈프림골드", 21000, "슈프림 소스에 허니 갈릭", al("슈프림 골드"), boneOpts(), false},
			{"와락치킨", 21000, "와사비 크림 소스 치킨", al("와락"), boneOpts(), false},
			{"치즈볼", 5000, "치즈볼 5개", nil, nil, false},
		}, sodas(2500))

		nene = menu([]item{
			{"스노윙치킨", 20000, "달콤한 치즈 시즈닝 스노윙", al("스노윙", "스노윙 치킨"), boneOpts(), false},
			{"오리엔탈파닭", 20000, "파채와 오리엔탈 소스의 파닭", al("파닭", "오리엔탈 파닭"), boneOpts(), false},
			{"후라이드", 18000, "바삭한 네네 후라이드", al("후라이드치킨", "프라이드"), boneOpts(), false},
			{"양념치킨", 19000, "달콤한 네네 양념", al("양념"), saucedOpts(), false},
			{"반반치킨", 19500, "후라이드 반, 양념 반", al("반반"), boneOpts(), false},
			{"청양마요치킨", 20000, "청양고추 마요 소스", al("청양마요"), boneOpts(), false},
			{"쇼킹핫치킨", 20000, "매운맛 마니아를 위한 한 마리", al("쇼킹핫"), boneOpts(), false},
		}, sodas(2500))

		dominos = menu([]item{
			{"포테이토피자", 27900, "감자와 베이컨의 스테디셀러", al("포테이토", "포테이토 피자"), pizzaOpts(6000), false},
			{"슈퍼디럭스피자", 28900, "페퍼로니와 채소를 듬뿍", al("슈퍼디럭스", "슈퍼 디럭스"), pizzaOpts(6000), false},
			{"불고기피자", 27900, "달콤한 불고기 토핑", al("불고기", "불고기 피자"), pizzaOpts(6000), false},
			{"페퍼로니피자", 23900, "페퍼로니와 모차렐라", al("페퍼로니", "페퍼로니 피자"), pizzaOpts(6000), false},
			{"치즈피자", 21900, "모차렐라 치즈만 가득", al("치즈 피자"), pizzaOpts(6000), false},
			{"블랙타이거 슈림프", 34900, "블랙타이거 새우를 올린 프리미엄 피자", al("블랙타이거", "슈림프 피자", "새우 피자"), pizzaOpts(6000), false},
			{"베스트 콰트로", 32900, "인기 피자 네 가지를 한 판에", al("베스트콰트로", "콰트로"), pizzaOpts(6000), false},
			{"치즈 오븐 스파게티", 8900, "치즈를 올려 구운 스파게티", al("스파게티", "오븐 스파게티"), nil, false},
			{"치킨 텐더", 6900, "바삭한 치킨 텐더 6조각", al("텐더"), nil, false},
			{"갈릭 디핑 소스", 500, "도미노 갈릭 디핑 소스", al("갈릭소스", "디핑소스"), nil, false},
		}, sodas(2500))

		pizzahut = menu([]item{
			{"슈퍼슈프림", 28900, "피자헛 대표 토핑 피자", al("슈퍼 슈프림", "슈프림 피자"), pizzaOpts(6000), false},
			{"페퍼로니 피자", 22900, "페퍼로니 듬뿍", al("페퍼로니", "페퍼로니피자"), pizzaOpts(6000), false},
			{"치즈킹", 25900, "네 가지 치즈의 치즈킹", al("치즈 킹"), pizzaOpts(6000), false},
			{"불고기 피자", 24900, "불고기와 양파", al("불고기", "불고기피자"), pizzaOpts(6000), false},
			{"메가크런치", 29900, "바삭한 씬 도우 토핑 피자", al("메가 크런치"), pizzaOpts(6000), false},
			{"리치골드", 31900, "고구마 무스 크러스트", al("리치 골드"), pizzaOpts(6000), false},
			{"치즈스틱", 5900, "모차렐라 치즈스틱 6개", al("치즈 스틱"), nil, false},
			{"버팔로윙", 7900, "매콤한 버팔로윙 8조각", al("윙"), nil, false},
		}, sodas(2500))

		mrpizza = menu([]item{
			{"포테이토골드", 29900, "감자와 고구마 무스의 골드 크러스트", al("포테이토 골드", "포테이토"), pizzaOpts(5000), false},
			{"쉬림프골드", 32900, "통새우를 올린 골드 크러스트", al("쉬림프 골드", "새우피자"), pizzaOpts(5000), false},
			{"페퍼로니", 21900, "페퍼로니와 모차렐라", al("페퍼로니피자", "페퍼로니 피자"), pizzaOpts(5000), false},
			{"불고기", 25900, "달콤한 불고기 토핑", al("불고기피자", "불고기 피자"), pizzaOpts(5000), false},
			{"마레 씨푸드", 33900, "해산물 토핑", al("씨푸드", "씨푸드피자"), pizzaOpts(5000), false},
			{"크림치즈 베이컨", 30900, "크림치즈와 베이컨", al("크림치즈베이컨"), pizzaOpts(5000), false},
			{"까르보나라 스파게티", 8900, "크림 스파게티", al("까르보나라"), nil, false},
		}, sodas(2500))

		papajohns = menu([]item{
			{"존스 페이보릿", 28500, "페퍼로니·소시지 듬뿍", al("존스페이보릿"), pizzaOpts(6000), false},
			{"수퍼 파파스", 27500, "파파존스 대표 콤비네이션", al("슈퍼파파스", "수퍼파파스"), pizzaOpts(6000), false},
			{"아이리쉬 포테이토", 27500, "감자와 베이컨", al("포테이토", "아이리쉬포테이토"), pizzaOpts(6000), false},
			{"스파이시 치킨랜치", 28500, "매콤한 치킨과 랜치 소스", al("치킨랜치"), pizzaOpts(6000), false},
			{"올 미트", 29500, "고기 토핑만 모은 피자", al("올미트"), pizzaOpts(6000), false},
			{"페퍼로니", 21500, "페퍼로니와 모차렐라", al("페퍼로니 피자", "페퍼로니피자"), pizzaOpts(6000), false},
			{"가든 스페셜", 25500, "채소가 가득한 피자", al("가든스페셜", "야채피자"), pizzaOpts(6000), false},
			{"치킨 스트립", 6900, "치킨 스트립 5조각", al("스트립"), nil, false},
			{"갈릭 디핑 소스", 500, "파파존스 갈릭 소스", al("갈릭소스"), nil, false},
		}, sodas(2500))

		momstouch = []item{
			{"싸이버거", 5300, "통닭다리살 패티의 맘스터치 대표 버거", al("싸이 버거", "싸이"), burgerOpts(), false},
			{"딥치즈싸이버거", 6500, "치즈 소스를 듬뿍 얹은 싸이버거", al("딥치즈싸이", "딥치즈 버거"), burgerOpts(), false},
			{"불고기버거", 4300, "달콤한 불고기 패티", al("불고기 버거"), burgerOpts(), false},
			{"휠렛버거", 5200, "닭가슴살 휠렛 패티", al("휠렛 버거"), burgerOpts(), false},
			{"인크레더블버거", 7300, "두툼한 패티와 베이컨", al("인크레더블"), burgerOpts(), false},
			{"싸이순살", 11900, "간장 소스 순살 치킨", al("순살치킨"), nil, false},
			{"케이준양념감자", 2300, "케이준 시즈닝 감자튀김", al("양념감자", "감자튀김"), opt("사이즈업", 1000), false},
			{"치즈스틱", 2000, "모차렐라 치즈스틱 1개", al("치즈 스틱"), nil, false},
			{"콜라", 2000, "코카콜라 중", al("코카콜라", "코크"), opt("사이즈업", 500), true},
			{"사이다", 2000, "칠성사이다 중", al("칠성사이다"), opt("사이즈업", 500), true},
		}

		burgerking = []item{
			{"와퍼", 7400, "불에 직접 구운 100% 순쇠고기 패티", al("와퍼 버거"), burgerOpts(), false},
			{"불고기와퍼", 7400, "불고기 소스의 와퍼", al("불고기 와퍼"), burgerOpts(), false},
			{"치즈와퍼", 8100, "치즈를 더한 와퍼", al("치즈 와퍼"), burgerOpts(), false},
			{"콰트로치즈와퍼", 8400, "네 가지 치즈의 와퍼", al("콰트로치즈", "콰트로 치즈 와퍼"), burgerOpts(), false},
			{"몬스터와퍼", 9500, "패티 두 장과 베이컨", al("몬스터 와퍼"), burgerOpts(), false},
			{"와퍼주니어", 4900, "작은 와퍼", al("와퍼 주니어"), burgerOpts(), false},
			{"롱치킨버거", 5600, "길쭉한 치킨 패티", al("롱치킨"), burgerOpts(), false},
			{"프렌치프라이", 2300, "감자튀김 미디움", al("감자튀김", "프라이"), opt("사이즈업", 500), false},
			{"너겟킹", 3000, "치킨 너겟 8조각", al("너겟"), nil, false},
			{"콜라", 2300, "코카콜라 미디움", al("코카콜라", "코크"), opt("사이즈업", 500), true},
			{"사이다", 2300, "스프라이트 미디움", al("스프라이트"), opt("사이즈업", 500), true},
		}

		lotteria = []item{
			{"불고기버거", 4900, "롯데리아의 원조 불고기버거", al("불고기 버거", "불버"), burgerOpts(), false},
			{"새우버거", 4900, "통새우 패티 버거", al("새우 버거"), burgerOpts(), false},
			{"데리버거", 3600, "데리야끼 소스 버거", al("데리 버거"), burgerOpts(), false},
			{"한우불고기버거", 9000, "한우 패티 불고기버거", al("한우버거", "한우 불고기"), burgerOpts(), false},
			{"모짜렐라 인 더 버거", 7200, "모차렐라 치즈 패티 버거", al("모짜렐라버거", "모짜버거"), burgerOpts(), false},
			{"클래식치즈버거", 6600, "치즈 두 장의 클래식 버거", al("치즈버거"), burgerOpts(), false},
			{"양념감자", 2500, "시즈닝을 골라 흔드는 감자", al("감자튀김"), opt("사이즈업", 500), false},
			{"치킨너겟", 3500, "치킨너겟 5조각", al("너겟"), nil, false},
			{"콜라", 2100, "코카콜라 미디움", al("코카콜라", "코크"), opt("사이즈업", 500), true},
			{"사이다", 2100, "칠성사이다 미디움", al("칠성사이다"), opt("사이즈업", 500), true},
		}

		mcdonalds = []item{
			{"빅맥", 6000, "참깨빵 위에 순쇠고기 패티 두 장", al("빅 맥"), burgerOpts(), false},
			{"맥스파이시 상하이버거", 6000, "매콤한 통닭다리살 버거", al("상하이버거", "상스치콤", "상하이 스파이시"), burgerOpts(), false},
			{"1955버거", 7000, "두툼한 패티와 베이컨", al("1955 버거"), burgerOpts(), false},
			{"불고기버거", 3300, "달콤한 불고기 소스", al("불고기 버거"), burgerOpts(), false},
			{"더블 불고기버거", 5100, "불고기 패티 두 장", al("더블불고기"), burgerOpts(), false},
			{"치즈버거", 3500, "치즈와 순쇠고기 패티", al("치즈 버거"), burgerOpts(), false},
			{"맥너겟 6조각", 4000, "치킨 맥너겟 6조각", al("맥너겟", "너겟"), nil, false},
			{"후렌치 후라이", 2500, "감자튀김 미디움", al("감자튀김", "프렌치프라이"), opt("사이즈업", 500), false},
			{"맥플러리 오레오", 3700, "오레오 아이스크림", al("맥플러리"), nil, false},
			{"콜라", 2300, "코카콜라 미디움", al("코카콜라", "코크"), opt("사이즈업", 500), true},
			{"사이다", 2300, "스프라이트 미디움", al("스프라이트"), opt("사이즈업", 500), true},
		}

		starbucks = []item{
			{"카페 아메리카노", 4700, "톨 사이즈 에스프레소와 물", al("아메리카노", "아아", "뜨아"), opt("샷 추가", 600, "사이즈업", 600), false},
			{"카페 라떼", 5200, "에스프레소와 스팀 우유", al("카페라떼", "라떼"), opt("샷 추가", 600, "사이즈업", 600), false},
			{"카라멜 마키아또", 6100, "바닐라 시럽과 카라멜 드리즐", al("카라멜마키아또", "캐러멜 마키아토"), opt("샷 추가", 600, "사이즈업", 600), false},
			{"돌체 라떼", 6100, "연유를 넣은 달콤한 라떼", al("돌체라떼"), opt("샷 추가", 600, "사이즈업", 600), false},
			{"바닐라 크림 콜드 브루", 5900, "콜드 브루에 바닐라 크림", al("바닐라크림콜드브루", "바콜"), opt("사이즈업", 600), false},
			{"자바 칩 프라푸치노", 6300, "초콜릿 칩 프라푸치노", al("자바칩프라푸치노", "자바칩"), opt("사이즈업", 600), false},
			{"자몽 허니 블랙 티", 5700, "자몽과 꿀을 넣은 블랙 티", al("자몽허니블랙티", "자허블"), opt("사이즈업", 600), false},
			{"클래식 스콘", 3500, "버터 향 스콘", al("스콘"), nil, false},
			{"블루베리 베이글", 3800, "크림치즈와 함께", al("베이글"), nil, false},
			{"부드러운 생크림 카스텔라", 4500, "생크림 카스텔라", al("카스텔라"), nil, false},
		}

		megacoffee = []item{
			{"아메리카노", 2000, "메가MGC커피 아메리카노", al("아아", "뜨아", "커피"), coffeeOpts(), false},
			{"메가리카노", 3000, "대용량 아메리카노", al("메가 아메리카노"), opt("샷 추가", 500), false},
			{"카페라떼", 2900, "에스프레소와 우유", al("라떼", "카페 라떼"), coffeeOpts(), false},
			{"바닐라라떼", 3400, "바닐라 시럽 라떼", al("바닐라 라떼"), coffeeOpts(), false},
			{"헤이즐넛 아메리카노", 2500, "헤이즐넛 향 아메리카노", al("헤이즐넛"), coffeeOpts(), false},
			{"딸기라떼", 3700, "딸기 청과 우유", al("딸기 라떼"), teaOpts(), false},
			{"퐁크러쉬 초코", 4400, "초코 스무디", al("퐁크러쉬"), teaOpts(), false},
			{"왕메가초코", 4200, "진한 초콜릿 음료", al("메가초코", "초코라떼"), teaOpts(), false},
			{"허니브레드", 4500, "꿀과 버터의 토스트", al("허니 브레드"), nil, false},
			{"티라미수 케이크", 4800, "조각 케이크", al("티라미수"), nil, false},
		}

		kimbapcheonguk = menu([]item{
			{"원조김밥", 3500, "기본 야채김밥 한 줄", al("김밥", "야채김밥"), nil, false},
			{"참치김밥", 4500, "참치마요 김밥", al("참치 김밥"), nil, false},
			{"치즈김밥", 4500, "치즈를 넣은 김밥", al("치즈 김밥"), nil, false},
			{"라면", 4000, "계란 넣은 라면", al("라면 한 그릇"), ramenOpts(), false},
			{"떡볶이", 4500, "매콤달콤 떡볶이", al("떡볶기"), tteokOpts(), false},
			{"순대", 4500, "찹쌀순대 1인분", nil, nil, false},
			{"돈까스", 8500, "경양식 돈까스", al("돈가스"), nil, false},
			{"오므라이스", 7500, "케첩 오므라이스", nil, nil, false},
			{"김치볶음밥", 7000, "계란 프라이 올린 김치볶음밥", al("김볶"), nil, false},
			{"제육덮밥", 8000, "매콤한 제육볶음 덮밥", al("제육"), nil, false},
			{"쫄면", 7000, "새콤달콤 쫄면", nil, noodleOpts(), false},
			{"만두", 4500, "고기만두 6개", al("고기만두"), nil, false},
		}, cans(2000))

		hongkong = menu([]item{
			{"짜장면", 6500, "춘장을 볶은 기본 짜장면", al("자장면", "짜장"), noodleOpts(), false},
			{"짬뽕", 8000, "불맛 나는 얼큰한 짬뽕", al("짬뽕면"), noodleOpts(), false},
			{"고기짬뽕", 9500, "고기를 듬뿍 넣은 짬뽕", al("고기 짬뽕"), noodleOpts(), false},
			{"짬뽕밥", 8500, "짬뽕 국물에 밥", nil, nil, false},
			{"볶음밥", 8000, "짜장 소스를 곁들인 볶음밥", al("짜장볶음밥"), nil, false},
			{"탕수육", 14000, "찹쌀 탕수육 소자", al("탕슉"), tangsuOpts(), false},
			{"군만두", 4500, "바삭한 군만두 6개", al("만두"), nil, false},
			{"짜장 탕수육 세트", 18000, "짜장면 2와 탕수육 소", al("세트", "짜탕세트"), nil, false},
		}, cans(2000))
	)

	gyodong := menu([]item{
		{"후라이드치킨", 18000, "바삭한 기본 치킨", al("후라이드", "프라이드", "프라이드치킨"), boneOpts(), false},
		{"양념치킨", 19000, "교동 특제 양념", al("양념"), saucedOpts(), false},
		{"간장치킨", 19000, "짭짤달콤한 간장 소스", al("간장"), boneOpts(), false},
		{"반반치킨", 19000, "후라이드 반, 양념 반", al("반반", "후라이드 반 양념 반"), boneOpts(), false},
		{"파닭", 20000, "파채를 듬뿍 올린 후라이드", al("파닭치킨"), boneOpts(), false},
		{"치킨무", 500, "추가 치킨무", al("무", "치킨 무"), nil, false},
	}, sodas(2000))

	s := []shop{
		{name: "교동치킨 혜화점", brand: "교동치킨", category: "치킨", area: hyehwa, opens: "11:00", closes: "24:00", fee: 3000, minOrder: 15000, menu: gyodong,
			desc: "대학로 골목의 동네 치킨집이에요."},
		chicken("교촌치킨 혜화점", "교촌치킨", hyehwa, kyochon),
		chicken("교촌치킨 강남역점", "교촌치킨", gangnam, kyochon),
		chicken("교촌치킨 잠실점", "교촌치킨", jamsil, kyochon),
		chicken("교촌치킨 신촌점", "교촌치킨", sinchon, kyochon),
		chicken("BBQ 홍대점", "BBQ", hongdae, bbq),
		chicken("BBQ 역삼점", "BBQ", gangnam, bbq),
		chicken("BBQ 여의도점", "BBQ", yeouido, bbq),
		chicken("bhc 혜화점", "bhc", hyehwa, bhc),
		chicken("bhc 합정점", "bhc", hongdae, bhc),
		chicken("bhc 성수점", "bhc", seongsu, bhc),
		chicken("굽네치킨 신촌점", "굽네치킨", sinchon, goobne),
		chicken("굽네치킨 잠실점", "굽네치킨", jamsil, goobne),
		chicken("처갓집양념치킨 대학로점", "처갓집양념치킨", hyehwa, cheogajip),
		chicken("처갓집양념치킨 성수점", "처갓집양념치킨", seongsu, cheogajip),
		chicken("네네치킨 홍대점", "네네치킨", hongdae, nene),
		chicken("네네치킨 여의도점", "네네치킨", yeouido, nene),

		pizza("도미노피자 강남역점", "도미노피자", gangnam, dominos),
		pizza("도미노피자 혜화점", "도미노피자", hyehwa, dominos),
		pizza("도미노피자 잠실점", "도미노피자", jamsil, dominos),
		pizza("피자헛 신촌점", "피자헛", sinchon, pizzahut),
		pizza("피자헛 여의도점", "피자헛", yeouido, pizzahut),
		pizza("미스터피자 홍대점", "미스터피자", hongdae, mrpizza),
		pizza("파파존스 성수점", "파파존스", seongsu, papajohns),
		pizza("파파존스 역삼점", "파파존스", gangnam, papajohns),

		burger("맘스터치 혜화점", "맘스터치", hyehwa, momstouch),
		burger("맘스터치 신촌점", "맘스터치", sinchon, momstouch),
		burger("맘스터치 성수점", "맘스터치", seongsu, momstouch),
		burger("버거킹 강남역점", "버거킹", gangnam, burgerking),
		burger("버거킹 여의도점", "버거킹", yeouido, burgerking),
		burger("롯데리아 잠실점", "롯데리아", jamsil, lotteria),
		burger("롯데리아 홍대점", "롯데리아", hongdae, lotteria),
		{name: "맥도날드 신촌점", brand: "맥도날드", category: "햄버거", area: sinchon, opens: "00:00", closes: "24:00", fee: 2000, minOrder: 12000, menu: mcdonalds,
			desc: "24시간 맥딜리버리 매장이에요.", aliases: al("맥날 신촌", "신촌 맥도날드")},
		burger("맥도날드 강남역점", "맥도날드", gangnam, mcdonalds),

		{name: "원조장충동족발 합정점", category: "족발", area: hongdae, opens: "16:00", closes: "24:00", fee: 3000, minOrder: 20000,
			desc: "3대째 이어 온 장충동식 족발이에요.", aliases: al("장충동족발", "합정 족발"),
			menu: menu([]item{
				{"족발", 39000, "앞다리 족발 중자", al("앞다리 족발", "족발 중"), jokbalOpts(), false},
				{"불족발", 41000, "매콤한 불향 족발", al("매운족발", "불 족발"), jokbalOpts(), false},
				{"반반족발", 43000, "족발 반, 불족발 반", al("반반"), jokbalOpts(), false},
				{"보쌈", 37000, "수육과 보쌈김치", al("보쌈 중"), jokbalOpts(), false},
				{"족발 보쌈 세트", 52000, "족발과 보쌈을 한 번에", al("족보세트", "족발보쌈"), nil, false},
				{"막국수", 8000, "새콤한 비빔 막국수", al("비빔막국수"), nil, false},
				{"주먹밥", 3000, "김가루 주먹밥", nil, nil, false},
				{"쟁반국수", 12000, "채소 듬뿍 쟁반국수", nil, nil, false},
			}, cans(2000))},
		{name: "대학로할매족발", category: "족발", area: hyehwa, opens: "12:00", closes: "23:00", fee: 2000, minOrder: 18000,
			desc: "대학로에서 30년 된 족발집이에요.", aliases: al("할매족발", "대학로 족발"),
			menu: menu([]item{
				{"족발", 36000, "할매 비법 간장 족발 중자", al("족발 중"), jokbalOpts(), false},
				{"미니족발", 22000, "혼자 먹기 좋은 미니 족발", al("미니 족발", "족발 소"), nil, false},
				{"냉채족발", 40000, "겨자 소스 냉채 족발", al("냉채"), jokbalOpts(), false},
				{"보쌈", 34000, "부드러운 수육 보쌈", nil, jokbalOpts(), false},
				{"순대", 12000, "피순대 한 접시", al("피순대"), nil, false},
				{"막국수", 7000, "물 막국수", al("물막국수"), nil, false},
				{"공기밥", 1000, "", al("밥"), nil, false},
			}, cans(2000))},

		{name: "홍콩반점0410 강남역점", brand: "홍콩반점0410", category: "중식", area: gangnam, opens: "11:00", closes: "21:30", fee: 2500, minOrder: 15000, menu: hongkong,
			aliases: al("홍콩반점 강남역")},
		{name: "홍콩반점0410 신촌점", brand: "홍콩반점0410", category: "중식", area: sinchon, opens: "11:00", closes: "21:30", fee: 2500, minOrder: 15000, menu: hongkong,
			aliases: al("홍콩반점 신촌")},
		{name: "만리장성", category: "중식", area: hyehwa, opens: "10:30", closes: "21:00", fee: 2000, minOrder: 14000,
			desc: "혜화동 동네 중국집이에요.", aliases: al("혜화 중국집", "만리장성 중국집"),
			menu: menu([]item{
				{"짜장면", 7000, "옛날식 짜장면", al("자장면", "짜장"), noodleOpts(), false},
				{"간짜장", 8500, "즉석에서 볶은 간짜장", al("간짜장면"), noodleOpts(), false},
				{"짬뽕", 8500, "해물 짬뽕", al("해물짬뽕"), noodleOpts(), false},
				{"삼선짬뽕", 11000, "해산물을 듬뿍 넣은 짬뽕", al("삼선 짬뽕"), noodleOpts(), false},
				{"탕수육", 16000, "부먹 찍먹 탕수육", al("탕슉"), tangsuOpts(), false},
				{"깐풍기", 25000, "매콤달콤 깐풍기", nil, nil, false},
				{"볶음밥", 8500, "짜장 곁들인 볶음밥", nil, nil, false},
				{"잡채밥", 9500, "잡채 덮밥", nil, nil, false},
				{"마파두부밥", 9000, "얼얼한 마파두부 덮밥", al("마파두부"), nil, false},
				{"군만두", 6000, "서비스 아닌 군만두 8개", al("만두"), nil, false},
			}, cans(2000))},
		{name: "진미반점", category: "중식", area: yeouido, opens: "11:00", closes: "22:00", fee: 3000, minOrder: 15000,
			desc: "여의도 직장인 점심 맛집이에요.", aliases: al("여의도 중국집"),
			menu: menu([]item{
				{"짜장면", 7500, "수타 짜장면", al("자장면", "짜장"), noodleOpts(), false},
				{"짬뽕", 9000, "얼큰 짬뽕", nil, noodleOpts(), false},
				{"굴짬뽕", 11000, "굴을 넣은 하얀 짬뽕", al("굴 짬뽕"), noodleOpts(), false},
				{"탕수육", 17000, "찹쌀 꿔바로우식 탕수육", al("꿔바로우"), tangsuOpts(), false},
				{"유린기", 24000, "간장 소스 유린기", nil, nil, false},
				{"볶음밥", 9000, "새우 볶음밥", al("새우볶음밥"), nil, false},
				{"고추잡채", 22000, "꽃빵과 고추잡채", nil, nil, false},
				{"군만두", 6000, "군만두 8개", al("만두"), nil, false},
			}, cans(2000))},

		{name: "김밥천국 혜화점", brand: "김밥천국", category: "분식", area: hyehwa, opens: "07:00", closes: "22:00", fee: 2000, minOrder: 10000, menu: kimbapcheonguk},
		{name: "김밥천국 역삼점", brand: "김밥천국", category: "분식", area: gangnam, opens: "00:00", closes: "24:00", fee: 2000, minOrder: 10000, menu: kimbapcheonguk,
			desc: "24시간 영업해요."},
		{name: "신촌 할머니떡볶이", category: "분식", area: sinchon, opens: "10:00", closes: "21:00", fee: 2000, minOrder: 12000,
			desc: "신촌 대학가 40년 떡볶이집이에요.", aliases: al("할머니떡볶이", "신촌 떡볶이"),
			menu: menu([]item{
				{"떡볶이", 5000, "쌀떡 떡볶이 1인분", al("떡볶기", "떡볶이 1인분"), tteokOpts(), false},
				{"치즈떡볶이", 6500, "모차렐라를 올린 떡볶이", al("치즈 떡볶이"), tteokOpts(), false},
				{"라볶이", 6000, "라면사리 떡볶이", nil, tteokOpts(), false},
				{"순대", 5000, "찹쌀순대와 내장", nil, nil, false},
				{"모둠튀김", 5000, "김말이, 야채, 오징어 튀김 5개", al("튀김", "모듬튀김"), nil, false},
				{"김밥", 3500, "야채김밥 한 줄", al("야채김밥"), nil, false},
				{"어묵", 3000, "부산 어묵 꼬치 3개", al("오뎅"), nil, false},
				{"떡순튀 세트", 13000, "떡볶이, 순대, 튀김 한 번에", al("떡튀순", "세트"), nil, false},
			}, cans(1500))},
		{name: "성수 엄마손떡볶이", category: "분식", area: seongsu, opens: "10:00", closes: "21:00", fee: 2500, minOrder: 12000,
			desc: "엄마가 해 주던 밀떡볶이예요.", aliases: al("엄마손떡볶이"),
			menu: menu([]item{
				{"밀떡볶이", 5000, "쫄깃한 밀떡볶이", al("떡볶이", "밀떡"), tteokOpts(), false},
				{"로제떡볶이", 7500, "크림과 고추장의 로제", al("로제"), tteokOpts(), false},
				{"짜장떡볶이", 6000, "짜장 소스 떡볶이", nil, tteokOpts(), false},
				{"순대", 5000, "찹쌀순대", nil, nil, false},
				{"튀김", 5000, "모둠 튀김 5개", al("모둠튀김"), nil, false},
				{"꼬마김밥", 4000, "꼬마김밥 6줄", al("김밥", "마약김밥"), nil, false},
				{"쿨피스", 1500, "쿨피스 파인애플", nil, nil, true},
			}, cans(1500))},

		cafe("스타벅스 혜화역점", "스타벅스", hyehwa, starbucks),
		cafe("스타벅스 강남R점", "스타벅스", gangnam, starbucks),
		cafe("스타벅스 여의도IFC점", "스타벅스", yeouido, starbucks),
		cafe("메가MGC커피 홍대점", "메가MGC커피", hongdae, megacoffee),
		cafe("메가MGC커피 잠실점", "메가MGC커피", jamsil, megacoffee),
		{name: "동숭다방", category: "카페", area: hyehwa, opens: "10:00", closes: "23:00", fee: 2000, minOrder: 9000,
			desc: "대학로 공연 전후에 들르기 좋은 오래된 다방이에요.", aliases: al("동숭 다방"),
			menu: []item{
				{"아메리카노", 4500, "핸드드립 블렌드", al("아아", "커피"), coffeeOpts(), false},
				{"카페라떼", 5000, "고소한 우유 라떼", al("라떼", "카페 라떼"), coffeeOpts(), false},
				{"비엔나커피", 6000, "크림을 얹은 커피", al("비엔나"), nil, false},
				{"쌍화차", 6500, "대추와 잣을 띄운 쌍화차", nil, nil, false},
				{"유자차", 5500, "수제 유자청", nil, teaOpts(), false},
				{"당근케이크", 6500, "크림치즈 당근케이크", al("케이크"), nil, false},
				{"버터 스콘", 3800, "버터 스콘", al("스콘"), nil, false},
			}},
		{name: "카페 연무장", category: "카페", area: seongsu, opens: "09:00", closes: "22:00", fee: 2500, minOrder: 10000,
			desc: "성수동 공장 골목의 로스터리 카페예요.", aliases: al("연무장 카페"),
			menu: []item{
				{"아메리카노", 5000, "산미 있는 싱글 오리진", al("아아", "커피"), coffeeOpts(), false},
				{"카페라떼", 5500, "라떼", al("라떼", "카페 라떼"), coffeeOpts(), false},
				{"아인슈페너", 6500, "크림 커피", al("아인슈패너"), nil, false},
				{"플랫화이트", 5800, "진한 우유 커피", al("플랫 화이트"), coffeeOpts(), false},
				{"말차라떼", 6300, "제주 말차 라떼", al("말차 라떼", "녹차라떼"), teaOpts(), false},
				{"소금빵", 3500, "버터 소금빵", nil, nil, false},
				{"바스크 치즈케이크", 7000, "꾸덕한 치즈케이크", al("치즈케이크"), nil, false},
			}},

		{name: "신촌 순대국밥", category: "한식", area: sinchon, opens: "08:00", closes: "22:00", fee: 2000, minOrder: 12000,
			desc: "진한 사골 국물의 순대국밥집이에요.", aliases: al("순대국밥집", "신촌 국밥"),
			menu: menu([]item{
				{"순대국밥", 10000, "순대와 머리고기 국밥", al("순대국", "국밥"), gukbapOpts(), false},
				{"머리국밥", 10000, "머리고기만 넣은 국밥", al("머리고기국밥"), gukbapOpts(), false},
				{"순대만국밥", 10000, "순대만 넣은 국밥", al("순대만"), gukbapOpts(), false},
				{"모둠순대", 15000, "순대와 내장 한 접시", al("모듬순대"), nil, false},
				{"수육", 22000, "돼지 수육 중자", al("돼지수육"), nil, false},
				{"공기밥", 1000, "", al("밥"), nil, false},
			}, cans(2000))},
		{name: "여의도 돼지국밥", category: "한식", area: yeouido, opens: "09:00", closes: "22:00", fee: 2500, minOrder: 13000,
			desc: "부산식 맑은 돼지국밥이에요.", aliases: al("돼지국밥집"),
			menu: menu([]item{
				{"돼지국밥", 10000, "부산식 돼지국밥", al("국밥"), gukbapOpts(), false},
				{"수육백반", 13000, "수육과 국, 밥", al("수육 백반"), nil, false},
				{"내장국밥", 10000, "내장 국밥", nil, gukbapOpts(), false},
				{"섞어국밥", 10500, "고기와 내장 섞어", al("섞어"), gukbapOpts(), false},
				{"비빔국수", 7000, "새콤 비빔국수", nil, nil, false},
				{"수육", 25000, "수육 중자", nil, nil, false},
			}, cans(2000))},
		{name: "역삼 엄마손백반", category: "한식", area: gangnam, opens: "11:00", closes: "21:00", fee: 2500, minOrder: 12000,
			desc: "매일 반찬이 바뀌는 가정식 백반집이에요.", aliases: al("엄마손백반", "역삼 백반"),
			menu: menu([]item{
				{"제육볶음 백반", 10000, "제육볶음과 반찬 5가지", al("제육볶음", "제육백반", "제육"), nil, false},
				{"김치찌개 백반", 9500, "돼지고기 김치찌개와 반찬", al("김치찌개"), nil, false},
				{"된장찌개 백반", 9000, "차돌 된장찌개와 반찬", al("된장찌개"), nil, false},
				{"고등어구이 백반", 11000, "노르웨이 고등어구이", al("고등어구이", "고등어"), nil, false},
				{"오징어볶음 백반", 11000, "매콤한 오징어볶음", al("오징어볶음"), nil, false},
				{"계란말이", 8000, "두툼한 계란말이", nil, nil, false},
				{"공기밥", 1000, "", al("밥"), nil, false},
			}, cans(2000))},
		{name: "원할머니보쌈 잠실점", brand: "원할머니보쌈", category: "한식", area: jamsil, opens: "11:00", closes: "23:00", fee: 3000, minOrder: 20000,
			aliases: al("원할머니"),
			menu: menu([]item{
				{"원할머니 보쌈", 37000, "보쌈 중자와 보쌈김치", al("보쌈", "보쌈 중"), opt("중", 0, "대", 8000), false},
				{"1인 보쌈 정식", 13900, "혼자 먹는 보쌈 정식", al("보쌈정식", "1인 보쌈"), nil, false},
				{"족발 보쌈 세트", 49000, "족발과 보쌈 세트", al("족보세트"), nil, false},
				{"보쌈 도시락", 11900, "보쌈 도시락", al("도시락"), nil, false},
				{"막국수", 8000, "동치미 막국수", nil, nil, false},
				{"김치전", 9000, "바삭한 김치전", nil, nil, false},
			}, cans(2000))},
		{name: "합정 김치찌개", category: "한식", area: hongdae, opens: "11:00", closes: "22:00", fee: 2000, minOrder: 12000,
			desc: "묵은지로 끓이는 김치찌개 전문점이에요.", aliases: al("김치찌개집", "합정 찌개"),
			menu: menu([]item{
				{"김치찌개", 9500, "묵은지 돼지고기 김치찌개 1인분", al("김치 찌개", "김찌"), opt("라면사리", 1500, "공기밥 추가", 1000), false},
				{"참치김치찌개", 9500, "참치 김치찌개", al("참치찌개"), opt("라면사리", 1500, "공기밥 추가", 1000), false},
				{"부대찌개", 11000, "햄과 소시지 부대찌개", al("부대"), opt("라면사리", 1500, "치즈 추가", 1000), false},
				{"제육볶음", 12000, "매콤한 제육볶음", al("제육"), nil, false},
				{"계란말이", 9000, "치즈 계란말이", nil, nil, false},
				{"공기밥", 1000, "", al("밥"), nil, false},
			}, cans(2000))},
		{name: "강남 24시 해장국", category: "한식", area: gangnam, opens: "00:00", closes: "24:00", fee: 3000, minOrder: 12000,
			desc: "24시간 끓이는 해장국집이에요.", aliases: al("24시 해장국", "강남 해장국"),
			menu: menu([]item{
				{"뼈해장국", 10000, "등뼈와 우거지 해장국", al("감자탕", "뼈다귀해장국"), gukbapOpts(), false},
				{"선지해장국", 10000, "선지 듬뿍 해장국", al("선지국"), gukbapOpts(), false},
				{"콩나물국밥", 8000, "전주식 콩나물국밥", al("콩나물 국밥"), gukbapOpts(), false},
				{"우거지해장국", 9500, "우거지 된장 해장국", nil, gukbapOpts(), false},
				{"내장탕", 11000, "소 내장탕", nil, gukbapOpts(), false},
				{"감자탕 중", 35000, "2~3인용 감자탕", al("감자탕 중자"), nil, false},
			}, cans(2000))},
	}
	return s
}
