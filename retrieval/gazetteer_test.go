package retrieval

import (
	"math"
	"testing"

	"github.com/sodam-ai/sodam"
)

func TestLookupPlace(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		same  string // the name of the same point, when found
		found bool
	}{
		{"station", "강남역", "강남역", true},
		{"station with particle", "강남역에서", "강남역", true},
		{"nearness word", "홍대 근처", "홍대입구", true},
		{"nearness word and particle", "잠실 쪽으로", "잠실역", true},
		{"district", "종로구", "종로구", true},
		{"district in an address form", "서울 종로구", "종로구", true},
		{"district without 구", "강서", "강서구", true},
		{"station without 역", "혜화", "혜화역", true},
		{"place ending in a particle letter", "을지로", "을지로", true},
		{"place ending in a particle letter with particle", "을지로에서", "을지로", true},
		{"city prefix kept when part of the name", "서울역", "서울역", true},
		{"서울대입구", "서울대입구역 근처", "서울대입구", true},
		{"hall in latin letters", "KSPO DOME", "케이스포돔", true},
		{"hall in lower case with particle", "kspo dome에서", "KSPO DOME", true},
		{"theatre", "샤롯데씨어터", "샤롯데씨어터", true},
		{"words of a longer phrase", "강남역 근처 치킨집", "강남역", true},
		{"unknown", "부산 해운대", "", false},
		{"empty", "", "", false},
		{"a particle alone", "에서", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := LookupPlace(tc.in)
			if ok != tc.found {
				t.Fatalf("LookupPlace(%q) found = %v, want %v", tc.in, ok, tc.found)
			}
			if !ok {
				return
			}
			want, _ := place(compact(tc.same))
			if p != want {
				t.Errorf("LookupPlace(%q) = %v, want %v (%s)", tc.in, p, want, tc.same)
			}
		})
	}
}

func TestGazetteerCoverage(t *testing.T) {
	districts := []string{"종로구", "중구", "용산구", "성동구", "광진구", "동대문구", "중랑구", "성북구", "강북구", "도봉구",
		"노원구", "은평구", "서대문구", "마포구", "양천구", "강서구", "구로구", "금천구", "영등포구", "동작구",
		"관악구", "서초구", "강남구", "송파구", "강동구"}
	placesNamed := []string{"강남역", "역삼역", "신촌", "홍대", "홍대입구", "합정", "이태원", "명동", "종로", "광화문",
		"대학로", "혜화역", "성수", "건대", "건대입구", "잠실", "잠실역", "송파", "여의도", "신림", "노원", "수유",
		"왕십리", "압구정", "신사", "가로수길", "서울대입구", "사당", "교대", "서울역", "용산", "마포", "동대문",
		"청량리", "목동", "영등포", "구로디지털단지", "을지로", "충무로", "연남동", "망원", "KSPO DOME", "올림픽공원",
		"고척스카이돔", "블루스퀘어", "샤롯데씨어터", "세종문화회관", "예술의전당", "충무아트센터", "디큐브아트센터"}
	// Seoul lies within these bounds.
	inSeoul := func(p sodam.Point) bool { return p.Lat > 37.41 && p.Lat < 37.72 && p.Lng > 126.76 && p.Lng < 127.19 }
	for _, group := range [][]string{districts, placesNamed} {
		for _, name := range group {
			p, ok := LookupPlace(name)
			if !ok {
				t.Errorf("LookupPlace(%q) not found", name)
				continue
			}
			if !inSeoul(p) {
				t.Errorf("LookupPlace(%q) = %v, outside Seoul", name, p)
			}
		}
	}
	// A few distances a Seoul resident would know.
	for _, tc := range []struct {
		a, b     string
		min, max float64
	}{
		{"강남역", "역삼역", 0.5, 1.2},
		{"서울역", "강남역", 7, 10},
		{"홍대입구", "합정", 0.5, 1.5},
		{"잠실역", "KSPO DOME", 2, 3.5},
		{"종로구", "강남구", 7, 10},
	} {
		a, _ := LookupPlace(tc.a)
		b, _ := LookupPlace(tc.b)
		if d := DistanceKm(a, b); d < tc.min || d > tc.max {
			t.Errorf("%s to %s = %.2f km, want %.1f to %.1f", tc.a, tc.b, d, tc.min, tc.max)
		}
	}
}

func TestDistanceKm(t *testing.T) {
	tests := []struct {
		name string
		a, b sodam.Point
		want float64
	}{
		{"same point", sodam.Point{Lat: 37.5, Lng: 127}, sodam.Point{Lat: 37.5, Lng: 127}, 0},
		{"one degree of latitude", sodam.Point{Lat: 37, Lng: 127}, sodam.Point{Lat: 38, Lng: 127}, 111.195},
		{"one degree of longitude at the equator", sodam.Point{Lat: 0, Lng: 0}, sodam.Point{Lat: 0, Lng: 1}, 111.195},
		{"antipodes", sodam.Point{Lat: 0, Lng: 0}, sodam.Point{Lat: 0, Lng: 180}, math.Pi * earthRadiusKm},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := DistanceKm(tc.a, tc.b); math.Abs(got-tc.want) > 0.01 {
				t.Errorf("DistanceKm = %.4f, want %.4f", got, tc.want)
			}
			if got, back := DistanceKm(tc.a, tc.b), DistanceKm(tc.b, tc.a); got != back {
				t.Errorf("not symmetric: %v and %v", got, back)
			}
		})
	}
}
