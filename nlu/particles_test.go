package nlu

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStripParticle(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"치킨을", "치킨"},
		{"피자는", "피자"},
		{"피자를", "피자"},
		{"강남역에서", "강남역"},
		{"교촌으로", "교촌"},
		{"피자로", "피자"},
		{"서울로", "서울"},
		{"아이유랑", "아이유"},
		{"임영웅이랑", "임영웅"},
		{"콜라도", "콜라"},
		{"양념만", "양념"},
		{"치즈가", "치즈"},
		{"족발이", "족발"},
		{"대학로까지", "대학로"},
		{"내일부터", "내일"},
		{"사장님께", "사장님"},
		{"가게한테", "가게"},
		{"콜라요", "콜라"},
		{"치킨이요", "치킨"},
		{"bbq에서", "bbq"},
		{"bhc로", "bhc"},
		{"사이다", "사이다"},
		{"오징어", "오징어"},
		{"콜라", "콜라"},
		{"포도", "포도"},
		{"떡볶이", "떡볶이"},
		{"바나나", "바나나"},
		{"제주도", "제주도"},
		{"주세요", "주세요"},
		{"아니요", "아니요"},
		{"라면", "라면"},
		{"치킨", "치킨"},
		{"을", "을"},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := StripParticle(tc.in); got != tc.want {
				t.Errorf("StripParticle(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"particles stripped", "교촌에서 치킨을 시켜줘", []string{"교촌", "치킨", "시켜줘"}},
		{"punctuation dropped", "콜라도 추가!!", []string{"콜라", "추가"}},
		{"numbers kept whole", "15,000원 이하 1.5리터", []string{"15,000원", "이하", "1.5리터"}},
		{"emoji own word", "좋아요👍", []string{"좋아요", "👍"}},
		{"latin lowered", "BBQ로 주문", []string{"bbq", "주문"}},
		{"empty", "  ", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Tokens(tc.in)); diff != "" {
				t.Errorf("Tokens(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestRequestEnding(t *testing.T) {
	tests := []struct {
		in, stem, ending string
	}{
		{"주문 취소해줘", "주문 취소", "해줘"},
		{"취소해주세요", "취소", "해주세요"},
		{"예매해줄래?", "예매", "해줄래"},
		{"이걸로 할게", "이걸로", "할게"},
		{"이걸로 할게요~", "이걸로", "할게요"},
		{"이걸로 할께", "이걸로", "할께"},
		{"치킨ㄱㄱ", "치킨", "ㄱㄱ"},
		{"ㄱㄱ", "", "ㄱㄱ"},
		{"치킨 고고", "치킨", "고고"},
		{"주문ㄱ", "주문", "ㄱ"},
		{"치킨한마리시켜줘", "치킨한마리", "시켜줘"},
		{"피자 시켜", "피자", "시켜"},
		{"콜라 줘", "콜라", "줘"},
		{"메뉴판 주세요 ㅎㅎ", "메뉴판", "주세요"},
		{"빨리 부탁해요!!", "빨리", "부탁해요"},
		{"콜라요", "콜라", "요"},
		{"아니요", "아니요", ""},
		{"네", "네", ""},
		{"내일 날씨 어때?", "내일 날씨 어때", ""},
		{"", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			stem, ending := RequestEnding(tc.in)
			if stem != tc.stem || ending != tc.ending {
				t.Errorf("RequestEnding(%q) = %q, %q; want %q, %q", tc.in, stem, ending, tc.stem, tc.ending)
			}
			if got, want := IsRequestEnding(tc.in), tc.ending != ""; got != want {
				t.Errorf("IsRequestEnding(%q) = %v, want %v", tc.in, got, want)
			}
		})
	}
}
