package main

// venue is a hall or theatre.
type venue struct {
	name, address string
	lat, lng      float64
}

// grade is a seat grade of every session of an event.
type grade struct {
	name      string
	price     int64
	available int
}

// override sets the seats left of one grade in one session (1-based).
type override struct {
	session   int
	grade     string
	available int
}

// show is an event before ids and dates are given. sessions are written
// as "<day> HH:MM", where day is "sat0" (the first Saturday after the
// base date), "sat1" (a week later) and so on for every weekday, or "d30"
// (30 days after the base date).
type show struct {
	title, performer, category string
	venue                      venue
	desc                       string
	subscriberOnly             bool
	channelID, channelName     string
	grades                     []grade
	sessions                   []string
	overrides                  []override
}

func g(pairs ...any) []grade {
	var gs []grade
	for i := 0; i < len(pairs); i += 3 {
		gs = append(gs, grade{pairs[i].(string), int64(pairs[i+1].(int)), pairs[i+2].(int)})
	}
	return gs
}

func sess(s ...string) []string { return s }

// shows lists the events in id order: e-001 is the first. Append new
// events at the end so that ids stay stable.
func shows() []show {
	var (
		kspoDome       = venue{"KSPO DOME", "서울 송파구 올림픽로 424", 37.5194, 127.1271}
		olympicHall    = venue{"올림픽공원 올림픽홀", "서울 송파구 올림픽로 424", 37.5163, 127.1233}
		handballArena  = venue{"올림픽공원 핸드볼경기장", "서울 송파구 올림픽로 424", 37.5205, 127.1195}
		gocheokDome    = venue{"고척스카이돔", "서울 구로구 경인로 430", 37.4982, 126.8671}
		jamsilArena    = venue{"잠실실내체육관", "서울 송파구 올림픽로 25", 37.5156, 127.0729}
		blueSquare     = venue{"블루스퀘어 신한카드홀", "서울 용산구 이태원로 294", 37.5408, 127.0028}
		blueSquareSol  = venue{"블루스퀘어 SOL트래블홀", "서울 용산구 이태원로 294", 37.5408, 127.0028}
		charlotte      = venue{"샤롯데씨어터", "서울 송파구 올림픽로 240", 37.5110, 127.0986}
		chungmu        = venue{"충무아트센터 대극장", "서울 중구 퇴계로 387", 37.5660, 127.0155}
		dcube          = venue{"디큐브 링크아트센터", "서울 구로구 경인로 662", 37.5087, 126.8892}
		sejong         = venue{"세종문화회관 대극장", "서울 종로구 세종대로 175", 37.5725, 126.9760}
		sac            = venue{"예술의전당 오페라극장", "서울 서초구 남부순환로 2406", 37.4786, 127.0118}
		yonsei         = venue{"연세대학교 대강당", "서울 서대문구 연세로 50", 37.5646, 126.9385}
		yes24          = venue{"YES24 라이브홀", "서울 광진구 구천면로 20", 37.5444, 127.1022}
		artOne         = venue{"대학로 아트원씨어터 2관", "서울 종로구 창경궁로 272", 37.5825, 126.9990}
		yesulMadang    = venue{"대학로 예술마당 3관", "서울 종로구 대학로10길 17", 37.5806, 127.0027}
		happyTheater   = venue{"대학로 해피씨어터", "서울 종로구 대학로12길 64", 37.5819, 127.0040}
		contentsGround = venue{"대학로 콘텐츠그라운드", "서울 종로구 대학로 142", 37.5838, 127.0022}
		jtn            = venue{"대학로 JTN아트홀 4관", "서울 종로구 대학로12길 72", 37.5822, 127.0043}
		dreamArt       = venue{"대학로 드림아트센터 4관", "서울 종로구 동숭길 123", 37.5830, 127.0060}
		picasso        = venue{"대학로 피카소극장", "서울 종로구 동숭길 122", 37.5829, 127.0058}
		jayu           = venue{"대학로 자유극장", "서울 종로구 대학로8가길 85", 37.5797, 127.0035}
		batanggol      = venue{"대학로 바탕골소극장", "서울 종로구 대학로12길 38", 37.5814, 127.0031}
	)

	return []show{
		{title: "아이유 콘서트 〈HEREH〉", performer: "아이유", category: "콘서트", venue: kspoDome,
			desc: "아이유의 단독 콘서트예요. 밴드 라이브와 함께하는 세 시간의 무대.", channelID: "ch-edam", channelName: "EDAM엔터테인먼트",
			grades:    g("VIP", 165000, 120, "R", 143000, 300, "S", 121000, 450),
			sessions:  sess("sat0 18:00", "sun0 17:00", "sat1 18:00"),
			overrides: []override{{1, "VIP", 0}, {1, "R", 4}}},
		{title: "임영웅 콘서트 〈IM HERO〉", performer: "임영웅", category: "콘서트", venue: gocheokDome,
			desc: "임영웅 전국투어 서울 공연이에요.", channelID: "ch-mulgogi", channelName: "물고기뮤직",
			grades:    g("VIP", 176000, 200, "R", 154000, 800, "S", 132000, 1200),
			sessions:  sess("sat2 18:00", "sun2 17:00"),
			overrides: []override{{1, "VIP", 0}, {2, "VIP", 0}, {2, "R", 12}}},
		{title: "SEVENTEEN 콘서트 〈NEW_〉", performer: "세븐틴", category: "콘서트", venue: gocheokDome,
			desc: "세븐틴 월드투어 서울 공연이에요.", channelID: "ch-pledis", channelName: "플레디스엔터테인먼트",
			grades:   g("VIP", 165000, 300, "R", 154000, 900, "S", 143000, 1500),
			sessions: sess("sat3 18:00", "sun3 17:00")},
		{title: "성시경 연말 콘서트 〈성시경의 축가〉", performer: "성시경", category: "콘서트", venue: handballArena,
			desc: "해마다 연말을 함께하는 성시경의 축가 콘서트예요.", channelID: "ch-sk", channelName: "에스케이재원",
			grades:    g("R", 154000, 400, "S", 132000, 500, "A", 110000, 300),
			sessions:  sess("d30 19:30", "d31 18:00", "d36 19:30", "d37 19:00"),
			overrides: []override{{2, "R", 0}, {4, "R", 6}}},
		{title: "잔나비 콘서트 〈모든 소년소녀들〉", performer: "잔나비", category: "콘서트", venue: olympicHall,
			desc: "잔나비 단독 콘서트예요.", channelID: "ch-peponi", channelName: "페포니뮤직",
			grades:    g("스탠딩", 121000, 400, "R", 132000, 200),
			sessions:  sess("fri0 20:00", "sat0 18:00", "sun0 17:00"),
			overrides: []override{{2, "스탠딩", 0}}},
		{title: "DAY6 콘서트 〈FOREVER YOUNG〉", performer: "DAY6", category: "콘서트", venue: kspoDome,
			desc: "데이식스 단독 콘서트예요.", channelID: "ch-jyp", channelName: "JYP엔터테인먼트",
			grades:   g("VIP", 165000, 150, "R", 143000, 500, "S", 132000, 600),
			sessions: sess("sat4 18:00", "sun4 17:00")},
		{title: "10CM 연말 콘서트 〈10CM LIVE〉", performer: "10CM", category: "콘서트", venue: blueSquareSol,
			desc: "십센치의 연말 단독 공연이에요.", channelID: "ch-magic", channelName: "매직스트로베리사운드",
			grades:   g("R", 121000, 250, "S", 110000, 300),
			sessions: sess("d29 20:00", "d32 18:00", "d33 17:00")},

		{title: "뮤지컬 〈오페라의 유령〉", performer: "조승우, 최재림", category: "뮤지컬", venue: blueSquare,
			desc:      "앤드루 로이드 웨버의 대표작, 오리지널 내한 연출의 한국어 공연이에요.",
			grades:    g("VIP", 190000, 200, "R", 160000, 400, "S", 130000, 300, "A", 90000, 200),
			sessions:  sess("wed0 19:30", "thu0 19:30", "sat0 14:00", "sat0 19:00", "sun0 15:00"),
			overrides: []override{{3, "VIP", 0}, {4, "VIP", 2}}},
		{title: "뮤지컬 〈레미제라블〉", performer: "민우혁, 김우형", category: "뮤지컬", venue: sejong,
			desc:     "빅토르 위고 원작의 뮤지컬이에요.",
			grades:   g("VIP", 170000, 200, "R", 140000, 400, "S", 110000, 300, "A", 80000, 200),
			sessions: sess("fri0 19:30", "sat1 14:00", "sat1 19:00", "sun1 14:00")},
		{title: "뮤지컬 〈시카고〉", performer: "최정원, 아이비", category: "뮤지컬", venue: chungmu,
			desc:     "재즈와 쇼걸들의 브로드웨이 뮤지컬이에요.",
			grades:   g("VIP", 160000, 150, "R", 130000, 300, "S", 100000, 250),
			sessions: sess("thu1 19:30", "sat2 14:00", "sat2 18:30")},
		{title: "뮤지컬 〈위키드〉", performer: "옥주현, 정선아", category: "뮤지컬", venue: charlotte,
			desc:     "오즈의 마녀들 이야기를 그린 뮤지컬이에요.",
			grades:   g("VIP", 180000, 200, "R", 150000, 350, "S", 120000, 300, "A", 90000, 150),
			sessions: sess("wed1 19:30", "sat1 14:00", "sat1 19:00", "sun2 14:00")},
		{title: "뮤지컬 〈지킬앤하이드〉", performer: "홍광호, 전동석", category: "뮤지컬", venue: dcube,
			desc:      "한 사람 안의 두 얼굴을 그린 스테디셀러 뮤지컬이에요.",
			grades:    g("VIP", 170000, 180, "R", 140000, 350, "S", 110000, 250),
			sessions:  sess("tue0 19:30", "fri1 19:30", "sat3 14:00", "sat3 19:00", "sun3 14:00"),
			overrides: []override{{1, "VIP", 3}}},
		{title: "뮤지컬 〈맘마미아!〉", performer: "최정원, 신영숙", category: "뮤지컬", venue: sac,
			desc:     "아바의 노래로 만든 뮤지컬이에요.",
			grades:   g("VIP", 160000, 150, "R", 130000, 300, "S", 100000, 200),
			sessions: sess("thu2 19:30", "sat4 14:00", "sat4 18:30")},
		{title: "뮤지컬 〈김종욱 찾기〉", performer: "대학로 김종욱 찾기 팀", category: "뮤지컬", venue: artOne,
			desc:     "첫사랑을 찾아 주는 사무소 이야기, 대학로 대표 로맨틱 뮤지컬이에요.",
			grades:   g("R", 60000, 120, "S", 40000, 60),
			sessions: sess("tue1 20:00", "sat0 15:00", "sat0 19:00", "sun0 14:00", "sun0 18:00", "fri1 20:00")},

		{title: "연극 〈옥탑방 고양이〉", performer: "극단 옥탑방 고양이", category: "연극", venue: yesulMadang,
			desc:      "옥탑방에서 시작된 동거 로맨틱 코미디예요.",
			grades:    g("전석", 35000, 90),
			sessions:  sess("thu0 20:00", "sat0 14:00", "sat0 18:00", "sun0 14:00", "sun0 18:00"),
			overrides: []override{{2, "전석", 4}, {3, "전석", 0}}},
		{title: "연극 〈라면〉", performer: "극단 라면", category: "연극", venue: happyTheater,
			desc:     "라면 한 그릇으로 이어지는 따뜻한 코미디예요.",
			grades:   g("전석", 30000, 80),
			sessions: sess("fri0 20:00", "sat0 15:00", "sat0 19:00", "sun1 15:00")},
		{title: "연극 〈쉬어 매드니스〉", performer: "쉬어 매드니스 팀", category: "연극", venue: contentsGround,
			desc:      "관객이 범인을 찾는 참여형 코믹 추리극이에요.",
			grades:    g("전석", 35000, 100),
			sessions:  sess("wed0 20:00", "sat1 14:00", "sat1 18:00", "sun0 15:00"),
			overrides: []override{{4, "전석", 2}}},
		{title: "연극 〈그남자 그여자〉", performer: "극단 그남자 그여자", category: "연극", venue: jtn,
			desc:     "연애의 시작과 끝을 그린 로맨스 연극이에요.",
			grades:   g("R", 40000, 60, "S", 30000, 40),
			sessions: sess("sat0 16:00", "sat0 19:00", "sun1 16:00")},
		{title: "연극 〈2호선 세입자〉", performer: "극단 2호선", category: "연극", venue: dreamArt,
			desc:     "지하철 2호선에 사는 사람들의 판타지 코미디예요.",
			grades:   g("전석", 30000, 90),
			sessions: sess("fri1 20:00", "sat2 15:00", "sun2 15:00")},
		{title: "연극 〈보잉보잉〉", performer: "극단 보잉보잉", category: "연극", venue: picasso,
			desc:     "세 명의 스튜어디스와 한 남자의 코미디예요.",
			grades:   g("전석", 35000, 100),
			sessions: sess("thu1 20:00", "sat1 15:00", "sat1 19:00")},
		{title: "연극 〈뷰티풀 라이프〉", performer: "극단 뷰티풀 라이프", category: "연극", venue: jayu,
			desc:      "한 부부의 평생을 담은 감동 연극이에요.",
			grades:    g("R", 45000, 80, "S", 35000, 40),
			sessions:  sess("sat0 15:00", "sun0 15:00", "sat3 15:00"),
			overrides: []override{{1, "S", 0}}},
		{title: "연극 〈늘근도둑 이야기〉", performer: "극단 늘근도둑", category: "연극", venue: batanggol,
			desc:     "두 늙은 도둑의 풍자 코미디예요.",
			grades:   g("전석", 40000, 100),
			sessions: sess("fri0 20:00", "sat2 14:00", "sat2 18:00")},

		{title: "아이유 팬미팅 〈Dear. 유애나〉", performer: "아이유", category: "팬미팅", venue: yonsei,
			desc: "EDAM엔터테인먼트 채널을 추가한 팬만 예매할 수 있어요.", subscriberOnly: true,
			channelID: "ch-edam", channelName: "EDAM엔터테인먼트",
			grades:    g("전석", 99000, 200),
			sessions:  sess("sat1 17:00", "sun1 14:00"),
			overrides: []override{{1, "전석", 6}}},
		{title: "SEVENTEEN 팬미팅 〈CARAT LAND〉", performer: "세븐틴", category: "팬미팅", venue: jamsilArena,
			desc: "플레디스엔터테인먼트 채널을 추가한 팬만 예매할 수 있어요.", subscriberOnly: true,
			channelID: "ch-pledis", channelName: "플레디스엔터테인먼트",
			grades:   g("R", 110000, 300, "S", 99000, 400),
			sessions: sess("sat2 18:00", "sun2 15:00")},
		{title: "임영웅 팬미팅 〈영웅시대와 함께〉", performer: "임영웅", category: "팬미팅", venue: olympicHall,
			desc: "물고기뮤직 채널을 추가한 팬만 예매할 수 있어요.", subscriberOnly: true,
			channelID: "ch-mulgogi", channelName: "물고기뮤직",
			grades:    g("전석", 99000, 250),
			sessions:  sess("sat3 14:00", "sat3 18:00"),
			overrides: []override{{2, "전석", 0}}},
		{title: "잔나비 팬미팅 〈소풍〉", performer: "잔나비", category: "팬미팅", venue: yes24,
			desc: "누구나 예매할 수 있는 잔나비의 팬미팅이에요.", channelID: "ch-peponi", channelName: "페포니뮤직",
			grades:   g("전석", 77000, 150),
			sessions: sess("sun1 16:00", "mon1 19:30")},
	}
}
