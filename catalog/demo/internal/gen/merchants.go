package main

// area is a neighbourhood of Seoul where merchants are placed.
type area struct {
	gu       string // 구
	streets  []string
	lat, lng float64 // its centre
}

var (
	hyehwa  = area{"종로구", []string{"대학로", "동숭길", "혜화로", "창경궁로"}, 37.5822, 127.0019}
	gangnam = area{"강남구", []string{"강남대로", "테헤란로", "역삼로", "봉은사로"}, 37.4990, 127.0310}
	hongdae = area{"마포구", []string{"와우산로", "양화로", "어울마당로", "독막로"}, 37.5540, 126.9210}
	jamsil  = area{"송파구", []string{"올림픽로", "백제고분로", "송파대로", "석촌호수로"}, 37.5115, 127.0990}
	sinchon = area{"서대문구", []string{"연세로", "신촌로", "명물길", "연희로"}, 37.5575, 126.9375}
	seongsu = area{"성동구", []string{"성수이로", "연무장길", "아차산로", "왕십리로"}, 37.5445, 127.0560}
	yeouido = area{"영등포구", []string{"여의대로", "국제금융로", "여의나루로", "의사당대로"}, 37.5220, 126.9250}
)

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
	gyodong := menu([]item{
		{"후라이드치킨", 18000, "바삭한 기본 치킨", al("후라이드", "프라이드", "프라이드치킨"), boneOpts, false},
		{"양념치킨", 19000, "교동 특제 양념", al("양념"), saucedOpts, false},
		{"간장치킨", 19000, "짭짤달콤한 간장 소스", al("간장"), boneOpts, false},
		{"반반치킨", 19000, "후라이드 반, 양념 반", al("반반", "후라이드 반 양념 반"), boneOpts, false},
		{"파닭", 20000, "파채를 듬뿍 올린 후라이드", al("파닭치킨"), boneOpts, false},
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
				{"족발", 39000, "앞다리 족발 중자", al("앞다리 족발", "족발 중"), jokbalOpts, false},
				{"불족발", 41000, "매콤한 불향 족발", al("매운족발", "불 족발"), jokbalOpts, false},
				{"반반족발", 43000, "족발 반, 불족발 반", al("반반"), jokbalOpts, false},
				{"보쌈", 37000, "수육과 보쌈김치", al("보쌈 중"), jokbalOpts, false},
				{"족발 보쌈 세트", 52000, "족발과 보쌈을 한 번에", al("족보세트", "족발보쌈"), nil, false},
				{"막국수", 8000, "새콤한 비빔 막국수", al("비빔막국수"), nil, false},
				{"주먹밥", 3000, "김가루 주먹밥", nil, nil, false},
				{"쟁반국수", 12000, "채소 듬뿍 쟁반국수", nil, nil, false},
			}, cans(2000))},
		{name: "대학로할매족발", category: "족발", area: hyehwa, opens: "12:00", closes: "23:00", fee: 2000, minOrder: 18000,
			desc: "대학로에서 30년 된 족발집이에요.", aliases: al("할매족발", "대학로 족발"),
			menu: menu([]item{
				{"족발", 36000, "할매 비법 간장 족발 중자", al("족발 중"), jokbalOpts, false},
				{"미니족발", 22000, "혼자 먹기 좋은 미니 족발", al("미니 족발", "족발 소"), nil, false},
				{"냉채족발", 40000, "겨자 소스 냉채 족발", al("냉채"), jokbalOpts, false},
				{"보쌈", 34000, "부드러운 수육 보쌈", nil, jokbalOpts, false},
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
				{"짜장면", 7000, "옛날식 짜장면", al("자장면", "짜장"), noodleOpts, false},
				{"간짜장", 8500, "즉석에서 볶은 간짜장", al("간짜장면"), noodleOpts, false},
				{"짬뽕", 8500, "해물 짬뽕", al("해물짬뽕"), noodleOpts, false},
				{"삼선짬뽕", 11000, "해산물을 듬뿍 넣은 짬뽕", al("삼선 짬뽕"), noodleOpts, false},
				{"탕수육", 16000, "부먹 찍먹 탕수육", al("탕슉"), tangsuOpts, false},
				{"깐풍기", 25000, "매콤달콤 깐풍기", nil, nil, false},
				{"볶음밥", 8500, "짜장 곁들인 볶음밥", nil, nil, false},
				{"잡채밥", 9500, "잡채 덮밥", nil, nil, false},
				{"마파두부밥", 9000, "얼얼한 마파두부 덮밥", al("마파두부"), nil, false},
				{"군만두", 6000, "서비스 아닌 군만두 8개", al("만두"), nil, false},
			}, cans(2000))},
		{name: "진미반점", category: "중식", area: yeouido, opens: "11:00", closes: "22:00", fee: 3000, minOrder: 15000,
			desc: "여의도 직장인 점심 맛집이에요.", aliases: al("여의도 중국집"),
			menu: menu([]item{
				{"짜장면", 7500, "수타 짜장면", al("자장면", "짜장"), noodleOpts, false},
				{"짬뽕", 9000, "얼큰 짬뽕", nil, noodleOpts, false},
				{"굴짬뽕", 11000, "굴을 넣은 하얀 짬뽕", al("굴 짬뽕"), noodleOpts, false},
				{"탕수육", 17000, "찹쌀 꿔바로우식 탕수육", al("꿔바로우"), tangsuOpts, false},
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
				{"떡볶이", 5000, "쌀떡 떡볶이 1인분", al("떡볶기", "떡볶이 1인분"), tteokOpts, false},
				{"치즈떡볶이", 6500, "모차렐라를 올린 떡볶이", al("치즈 떡볶이"), tteokOpts, false},
				{"라볶이", 6000, "라면사리 떡볶이", nil, tteokOpts, false},
				{"순대", 5000, "찹쌀순대와 내장", nil, nil, false},
				{"모둠튀김", 5000, "김말이, 야채, 오징어 튀김 5개", al("튀김", "모듬튀김"), nil, false},
				{"김밥", 3500, "야채김밥 한 줄", al("야채김밥"), nil, false},
				{"어묵", 3000, "부산 어묵 꼬치 3개", al("오뎅"), nil, false},
				{"떡순튀 세트", 13000, "떡볶이, 순대, 튀김 한 번에", al("떡튀순", "세트"), nil, false},
			}, cans(1500))},
		{name: "성수 엄마손떡볶이", category: "분식", area: seongsu, opens: "10:00", closes: "21:00", fee: 2500, minOrder: 12000,
			desc: "엄마가 해 주던 밀떡볶이예요.", aliases: al("엄마손떡볶이"),
			menu: menu([]item{
				{"밀떡볶이", 5000, "쫄깃한 밀떡볶이", al("떡볶이", "밀떡"), tteokOpts, false},
				{"로제떡볶이", 7500, "크림과 고추장의 로제", al("로제"), tteokOpts, false},
				{"짜장떡볶이", 6000, "짜장 소스 떡볶이", nil, tteokOpts, false},
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
				{"아메리카노", 4500, "핸드드립 블렌드", al("아아", "커피"), coffeeOpts, false},
				{"카페라떼", 5000, "고소한 우유 라떼", al("라떼", "카페 라떼"), coffeeOpts, false},
				{"비엔나커피", 6000, "크림을 얹은 커피", al("비엔나"), nil, false},
				{"쌍화차", 6500, "대추와 잣을 띄운 쌍화차", nil, nil, false},
				{"유자차", 5500, "수제 유자청", nil, teaOpts, false},
				{"당근케이크", 6500, "크림치즈 당근케이크", al("케이크"), nil, false},
				{"버터 스콘", 3800, "버터 스콘", al("스콘"), nil, false},
			}},
		{name: "카페 연무장", category: "카페", area: seongsu, opens: "09:00", closes: "22:00", fee: 2500, minOrder: 10000,
			desc: "성수동 공장 골목의 로스터리 카페예요.", aliases: al("연무장 카페"),
			menu: []item{
				{"아메리카노", 5000, "산미 있는 싱글 오리진", al("아아", "커피"), coffeeOpts, false},
				{"카페라떼", 5500, "라떼", al("라떼", "카페 라떼"), coffeeOpts, false},
				{"아인슈페너", 6500, "크림 커피", al("아인슈패너"), nil, false},
				{"플랫화이트", 5800, "진한 우유 커피", al("플랫 화이트"), coffeeOpts, false},
				{"말차라떼", 6300, "제주 말차 라떼", al("말차 라떼", "녹차라떼"), teaOpts, false},
				{"소금빵", 3500, "버터 소금빵", nil, nil, false},
				{"바스크 치즈케이크", 7000, "꾸덕한 치즈케이크", al("치즈케이크"), nil, false},
			}},

		{name: "신촌 순대국밥", category: "한식", area: sinchon, opens: "08:00", closes: "22:00", fee: 2000, minOrder: 12000,
			desc: "진한 사골 국물의 순대국밥집이에요.", aliases: al("순대국밥집", "신촌 국밥"),
			menu: menu([]item{
				{"순대국밥", 10000, "순대와 머리고기 국밥", al("순대국", "국밥"), gukbapOpts, false},
				{"머리국밥", 10000, "머리고기만 넣은 국밥", al("머리고기국밥"), gukbapOpts, false},
				{"순대만국밥", 10000, "순대만 넣은 국밥", al("순대만"), gukbapOpts, false},
				{"모둠순대", 15000, "순대와 내장 한 접시", al("모듬순대"), nil, false},
				{"수육", 22000, "돼지 수육 중자", al("돼지수육"), nil, false},
				{"공기밥", 1000, "", al("밥"), nil, false},
			}, cans(2000))},
		{name: "여의도 돼지국밥", category: "한식", area: yeouido, opens: "09:00", closes: "22:00", fee: 2500, minOrder: 13000,
			desc: "부산식 맑은 돼지국밥이에요.", aliases: al("돼지국밥집"),
			menu: menu([]item{
				{"돼지국밥", 10000, "부산식 돼지국밥", al("국밥"), gukbapOpts, false},
				{"수육백반", 13000, "수육과 국, 밥", al("수육 백반"), nil, false},
				{"내장국밥", 10000, "내장 국밥", nil, gukbapOpts, false},
				{"섞어국밥", 10500, "고기와 내장 섞어", al("섞어"), gukbapOpts, false},
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
				{"뼈해장국", 10000, "등뼈와 우거지 해장국", al("감자탕", "뼈다귀해장국"), gukbapOpts, false},
				{"선지해장국", 10000, "선지 듬뿍 해장국", al("선지국"), gukbapOpts, false},
				{"콩나물국밥", 8000, "전주식 콩나물국밥", al("콩나물 국밥"), gukbapOpts, false},
				{"우거지해장국", 9500, "우거지 된장 해장국", nil, gukbapOpts, false},
				{"내장탕", 11000, "소 내장탕", nil, gukbapOpts, false},
				{"감자탕 중", 35000, "2~3인용 감자탕", al("감자탕 중자"), nil, false},
			}, cans(2000))},
	}
	return s
}
