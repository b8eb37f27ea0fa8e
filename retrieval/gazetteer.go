package retrieval

import (
	"strings"
	"unicode/utf8"

	"github.com/sodam-ai/sodam"
)

// place returns the coordinates of a compact place name (lower case, no
// spaces): a district's office, a station, a street's middle, a hall. A
// switch keeps the table immutable and costs no allocation.
func place(key string) (sodam.Point, bool) {
	switch key {
	// The 25 districts (구청).
	case "종로구":
		return sodam.Point{Lat: 37.5735, Lng: 126.9790}, true
	case "중구":
		return sodam.Point{Lat: 37.5641, Lng: 126.9979}, true
	case "용산구":
		return sodam.Point{Lat: 37.5326, Lng: 126.9905}, true
	case "성동구":
		return sodam.Point{Lat: 37.5633, Lng: 127.0371}, true
	case "광진구":
		return sodam.Point{Lat: 37.5385, Lng: 127.0823}, true
	case "동대문구":
		return sodam.Point{Lat: 37.5744, Lng: 127.0396}, true
	case "중랑구":
		return sodam.Point{Lat: 37.6066, Lng: 127.0927}, true
	case "성북구":
		return sodam.Point{Lat: 37.5894, Lng: 127.0167}, true
	case "강북구":
		return sodam.Point{Lat: 37.6396, Lng: 127.0257}, true
	case "도봉구":
		return sodam.Point{Lat: 37.6688, Lng: 127.0471}, true
	case "노원구":
		return sodam.Point{Lat: 37.6542, Lng: 127.0568}, true
	case "은평구":
		return sodam.Point{Lat: 37.6027, Lng: 126.9291}, true
	case "서대문구":
		return sodam.Point{Lat: 37.5791, Lng: 126.9368}, true
	case "마포구":
		return sodam.Point{Lat: 37.5663, Lng: 126.9019}, true
	case "양천구":
		return sodam.Point{Lat: 37.5170, Lng: 126.8665}, true
	case "강서구":
		return sodam.Point{Lat: 37.5509, Lng: 126.8495}, true
	case "구로구":
		return sodam.Point{Lat: 37.4954, Lng: 126.8874}, true
	case "금천구":
		return sodam.Point{Lat: 37.4569, Lng: 126.8955}, true
	case "영등포구":
		return sodam.Point{Lat: 37.5264, Lng: 126.8962}, true
	case "동작구":
		return sodam.Point{Lat: 37.5124, Lng: 126.9393}, true
	case "관악구":
		return sodam.Point{Lat: 37.4784, Lng: 126.9516}, true
	case "서초구":
		return sodam.Point{Lat: 37.4837, Lng: 127.0324}, true
	case "강남구":
		return sodam.Point{Lat: 37.5172, Lng: 127.0473}, true
	case "송파구":
		return sodam.Point{Lat: 37.5145, Lng: 127.1059}, true
	case "강동구":
		return sodam.Point{Lat: 37.5301, Lng: 127.1238}, true
	// Neighbourhoods, stations and streets.
	case "강남":
		return sodam.Point{Lat: 37.4979, Lng: 127.0276}, true
	case "강남역":
		return sodam.Point{Lat: 37.4979, Lng: 127.0276}, true
	case "역삼":
		return sodam.Point{Lat: 37.5006, Lng: 127.0364}, true
	case "역삼역":
		return sodam.Point{Lat: 37.5006, Lng: 127.0364}, true
	case "선릉":
		return sodam.Point{Lat: 37.5045, Lng: 127.0490}, true
	case "삼성역":
		return sodam.Point{Lat: 37.5088, Lng: 127.0631}, true
	case "코엑스":
		return sodam.Point{Lat: 37.5115, Lng: 127.0595}, true
	case "신촌":
		return sodam.Point{Lat: 37.5551, Lng: 126.9368}, true
	case "홍대":
		return sodam.Point{Lat: 37.5572, Lng: 126.9245}, true
	case "홍대입구":
		return sodam.Point{Lat: 37.5572, Lng: 126.9245}, true
	case "합정":
		return sodam.Point{Lat: 37.5495, Lng: 126.9139}, true
	case "이태원":
		return sodam.Point{Lat: 37.5345, Lng: 126.9946}, true
	case "한남동":
		return sodam.Point{Lat: 37.5346, Lng: 127.0026}, true
	case "명동":
		return sodam.Point{Lat: 37.5636, Lng: 126.9827}, true
	case "종로":
		return sodam.Point{Lat: 37.5703, Lng: 126.9850}, true
	case "종각":
		return sodam.Point{Lat: 37.5702, Lng: 126.9831}, true
	case "인사동":
		return sodam.Point{Lat: 37.5740, Lng: 126.9850}, true
	case "광화문":
		return sodam.Point{Lat: 37.5714, Lng: 126.9768}, true
	case "경복궁":
		return sodam.Point{Lat: 37.5796, Lng: 126.9770}, true
	case "북촌":
		return sodam.Point{Lat: 37.5826, Lng: 126.9836}, true
	case "서촌":
		return sodam.Point{Lat: 37.5795, Lng: 126.9700}, true
	case "대학로":
		return sodam.Point{Lat: 37.5822, Lng: 127.0020}, true
	case "혜화":
		return sodam.Point{Lat: 37.5821, Lng: 127.0018}, true
	case "혜화역":
		return sodam.Point{Lat: 37.5821, Lng: 127.0018}, true
	case "성수":
		return sodam.Point{Lat: 37.5446, Lng: 127.0557}, true
	case "성수동":
		return sodam.Point{Lat: 37.5446, Lng: 127.0557}, true
	case "뚝섬":
		return sodam.Point{Lat: 37.5474, Lng: 127.0474}, true
	case "건대":
		return sodam.Point{Lat: 37.5404, Lng: 127.0692}, true
	case "건대입구":
		return sodam.Point{Lat: 37.5404, Lng: 127.0692}, true
	case "잠실":
		return sodam.Point{Lat: 37.5133, Lng: 127.1001}, true
	case "잠실역":
		return sodam.Point{Lat: 37.5133, Lng: 127.1001}, true
	case "롯데월드":
		return sodam.Point{Lat: 37.5111, Lng: 127.0980}, true
	case "잠실종합운동장":
		return sodam.Point{Lat: 37.5153, Lng: 127.0730}, true
	case "송파":
		return sodam.Point{Lat: 37.5145, Lng: 127.1059}, true
	case "여의도":
		return sodam.Point{Lat: 37.5219, Lng: 126.9245}, true
	case "신림":
		return sodam.Point{Lat: 37.4842, Lng: 126.9297}, true
	case "노원":
		return sodam.Point{Lat: 37.6551, Lng: 127.0613}, true
	case "수유":
		return sodam.Point{Lat: 37.6380, Lng: 127.0257}, true
	case "왕십리":
		return sodam.Point{Lat: 37.5612, Lng: 127.0371}, true
	case "압구정":
		return sodam.Point{Lat: 37.5270, Lng: 127.0284}, true
	case "신사":
		return sodam.Point{Lat: 37.5163, Lng: 127.0203}, true
	case "가로수길":
		return sodam.Point{Lat: 37.5209, Lng: 127.0230}, true
	case "서울대입구":
		return sodam.Point{Lat: 37.4812, Lng: 126.9527}, true
	case "서울대":
		return sodam.Point{Lat: 37.4599, Lng: 126.9519}, true
	case "사당":
		return sodam.Point{Lat: 37.4766, Lng: 126.9816}, true
	case "교대":
		return sodam.Point{Lat: 37.4934, Lng: 127.0142}, true
	case "고속터미널":
		return sodam.Point{Lat: 37.5049, Lng: 127.0049}, true
	case "서울역":
		return sodam.Point{Lat: 37.5547, Lng: 126.9706}, true
	case "용산":
		return sodam.Point{Lat: 37.5299, Lng: 126.9648}, true
	case "용산역":
		return sodam.Point{Lat: 37.5299, Lng: 126.9648}, true
	case "마포":
		return sodam.Point{Lat: 37.5395, Lng: 126.9459}, true
	case "동대문":
		return sodam.Point{Lat: 37.5670, Lng: 127.0090}, true
	case "ddp":
		return sodam.Point{Lat: 37.5665, Lng: 127.0092}, true
	case "동대문디자인플라자":
		return sodam.Point{Lat: 37.5665, Lng: 127.0092}, true
	case "청량리":
		return sodam.Point{Lat: 37.5801, Lng: 127.0470}, true
	case "목동":
		return sodam.Point{Lat: 37.5264, Lng: 126.8750}, true
	case "영등포":
		return sodam.Point{Lat: 37.5159, Lng: 126.9075}, true
	case "영등포역":
		return sodam.Point{Lat: 37.5159, Lng: 126.9075}, true
	case "신도림":
		return sodam.Point{Lat: 37.5088, Lng: 126.8912}, true
	case "구로디지털단지":
		return sodam.Point{Lat: 37.4853, Lng: 126.9015}, true
	case "구디":
		return sodam.Point{Lat: 37.4853, Lng: 126.9015}, true
	case "가산디지털단지":
		return sodam.Point{Lat: 37.4815, Lng: 126.8825}, true
	case "노량진":
		return sodam.Point{Lat: 37.5131, Lng: 126.9425}, true
	case "을지로":
		return sodam.Point{Lat: 37.5663, Lng: 126.9910}, true
	case "충무로":
		return sodam.Point{Lat: 37.5612, Lng: 126.9942}, true
	case "연남동":
		return sodam.Point{Lat: 37.5660, Lng: 126.9250}, true
	case "연남":
		return sodam.Point{Lat: 37.5660, Lng: 126.9250}, true
	case "망원":
		return sodam.Point{Lat: 37.5560, Lng: 126.9101}, true
	case "망원동":
		return sodam.Point{Lat: 37.5560, Lng: 126.9101}, true
	case "상암":
		return sodam.Point{Lat: 37.5790, Lng: 126.8892}, true
	// Halls, arenas and theatres.
	case "kspodome":
		return sodam.Point{Lat: 37.5196, Lng: 127.1273}, true
	case "케이스포돔":
		return sodam.Point{Lat: 37.5196, Lng: 127.1273}, true
	case "체조경기장":
		return sodam.Point{Lat: 37.5196, Lng: 127.1273}, true
	case "올림픽공원":
		return sodam.Point{Lat: 37.5207, Lng: 127.1214}, true
	case "올림픽홀":
		return sodam.Point{Lat: 37.5173, Lng: 127.1249}, true
	case "핸드볼경기장":
		return sodam.Point{Lat: 37.5172, Lng: 127.1245}, true
	case "고척스카이돔":
		return sodam.Point{Lat: 37.4982, Lng: 126.8671}, true
	case "고척돔":
		return sodam.Point{Lat: 37.4982, Lng: 126.8671}, true
	case "서울월드컵경기장":
		return sodam.Point{Lat: 37.5683, Lng: 126.8972}, true
	case "월드컵경기장":
		return sodam.Point{Lat: 37.5683, Lng: 126.8972}, true
	case "장충체육관":
		return sodam.Point{Lat: 37.5585, Lng: 127.0066}, true
	case "블루스퀘어":
		return sodam.Point{Lat: 37.5407, Lng: 127.0027}, true
	case "샤롯데씨어터":
		return sodam.Point{Lat: 37.5110, Lng: 127.0997}, true
	case "세종문화회관":
		return sodam.Point{Lat: 37.5725, Lng: 126.9759}, true
	case "예술의전당":
		return sodam.Point{Lat: 37.4786, Lng: 127.0119}, true
	case "충무아트센터":
		return sodam.Point{Lat: 37.5659, Lng: 127.0153}, true
	case "디큐브아트센터":
		return sodam.Point{Lat: 37.5088, Lng: 126.8893}, true
	case "국립극장":
		return sodam.Point{Lat: 37.5526, Lng: 127.0019}, true
	case "lg아트센터":
		return sodam.Point{Lat: 37.5703, Lng: 126.8360}, true
	case "예스24라이브홀":
		return sodam.Point{Lat: 37.5406, Lng: 127.0963}, true
	case "아르코예술극장":
		return sodam.Point{Lat: 37.5810, Lng: 127.0030}, true
	}
	return sodam.Point{}, false
}

// LookupPlace returns the approximate coordinates of a Seoul district or a
// well-known place named in chat: the 25 구 ("종로구", also without 구 for
// most), stations and neighbourhoods ("강남역", "홍대입구", "성수"), and
// concert halls and theatres ("KSPO DOME", "블루스퀘어"). It ignores
// spaces and case, a leading 서울, trailing particles and words of
// nearness ("강남역에서", "홍대 근처"), and a station's 역 or a district's
// 구 ("혜화" and "혜화역", "종로구" and "종로"). When the whole name is not
// known it tries each of its words, so "강남역 근처 치킨집" finds 강남역.
func LookupPlace(name string) (sodam.Point, bool) {
	if p, ok := lookupCompact(compact(name)); ok {
		return p, true
	}
	for _, w := range strings.Fields(normalizeText(name)) {
		if p, ok := lookupCompact(w); ok {
			return p, true
		}
	}
	return sodam.Point{}, false
}

// lookupCompact finds a compact name as it is or, failing that, after a
// leading city name ("서울 종로구" but not "서울역").
func lookupCompact(key string) (sodam.Point, bool) {
	if p, ok := lookupTrimmed(key); ok {
		return p, true
	}
	for _, pre := range [...]string{"서울특별시", "서울시", "서울"} {
		if rest, ok := strings.CutPrefix(key, pre); ok && rest != "" {
			return lookupTrimmed(rest)
		}
	}
	return sodam.Point{}, false
}

// lookupTrimmed finds a compact name, cutting off one at a time, the
// longest first, the particles and words of nearness that follow a place
// in chat ("에서", "근처", "쪽으로").
func lookupTrimmed(key string) (sodam.Point, bool) {
	suffixes := [...]string{
		"에서는", "으로는", "쪽으로", "근처에", "근처로", "근처의", "주변에", "부근에",
		"에서", "으로", "까지", "부터", "근처", "주변", "부근", "인근", "근방", "쪽에", "앞에",
		"에", "로", "쪽", "앞", "은", "는", "이", "가", "의", "도",
	}
	for key != "" {
		if p, ok := lookupVariant(key); ok {
			return p, true
		}
		cut := false
		for _, suf := range suffixes {
			if rest, ok := strings.CutSuffix(key, suf); ok && rest != "" {
				key, cut = rest, true
				break
			}
		}
		if !cut {
			break
		}
	}
	return sodam.Point{}, false
}

// lookupVariant finds key as it is, or with a station's 역 or a district's
// 구 added or taken off.
func lookupVariant(key string) (sodam.Point, bool) {
	if p, ok := place(key); ok {
		return p, true
	}
	for _, alt := range [...]string{strings.TrimSuffix(key, "역"), key + "역", key + "구"} {
		if alt == key || utf8.RuneCountInString(alt) < 2 || utf8.RuneCountInString(key) < 2 {
			continue
		}
		if p, ok := place(alt); ok {
			return p, true
		}
	}
	return sodam.Point{}, false
}
