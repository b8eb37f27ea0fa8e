package nlu

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"only spaces", " \t\n ", ""},
		{"trim and collapse", "  치킨   한 마리\t\t시켜줘  ", "치킨 한 마리 시켜줘"},
		{"full-width latin and digits", "ＢＢＱ　２마리", "bbq 2마리"},
		{"full-width punctuation", "주문할게요！？", "주문할게요!?"},
		{"lowercase latin", "KFC Domino's", "kfc domino's"},
		{"laughter capped at two", "ㅋㅋㅋㅋㅋㅋ 웃기네", "ㅋㅋ 웃기네"},
		{"crying capped at two", "ㅠㅠㅠㅠ", "ㅠㅠ"},
		{"exclamation capped at one", "빨리요!!!!", "빨리요!"},
		{"tilde capped at one", "고마워~~~", "고마워~"},
		{"question capped at one", "언제 와???", "언제 와?"},
		{"jamo not composed", "ㄱㄱ ㅇㅋ", "ㄱㄱ ㅇㅋ"},
		{"jamo next to vowel jamo stays", "ㄱㅏ", "ㄱㅏ"},
		{"syllables intact", "후라이드 치킨", "후라이드 치킨"},
		{"syllable runs capped at three", "네네네네네", "네네네"},
		{"digits never capped", "10000원", "10000원"},
		{"emoji set apart", "치킨🍗시켜줘", "치킨 🍗 시켜줘"},
		{"repeated emoji capped", "좋아요👍👍👍", "좋아요 👍"},
		{"emoji with variation selector", "❤️고마워", "❤️ 고마워"},
		{"invalid utf-8 replaced", "치킨\xff\xfe줘", "치킨\ufffd줘"},
		{"conjoining jamo composed", "\u1100\u1161", "가"},
		{"half-width hangul letter", "\uffa1\uffa1", "ㄱㄱ"},
		{"zero width space dropped", "치\u200b킨", "치킨"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Normalize(tc.in); got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestNormalizeIdempotent(t *testing.T) {
	for _, in := range []string{"ＢＢＱ 황금올리브!!! ㅋㅋㅋ🍗🍗", "  치킨\xff한마리 ~~~", "ㄱㅏ나다"} {
		once := Normalize(in)
		if twice := Normalize(once); twice != once {
			t.Errorf("Normalize not idempotent on %q: %q then %q", in, once, twice)
		}
	}
}

func TestCompact(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"spaces", "치킨 한 마리 시켜줘", "치킨한마리시켜줘"},
		{"tabs and newlines", "a\tb\nc", "abc"},
		{"none", "치킨", "치킨"},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Compact(tc.in); got != tc.want {
				t.Errorf("Compact(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestFoldBranches(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"branch and particle", "김밥천국 역삼점에서 참치김밥 4개 주문할게요", "김밥천국에서 참치김밥 4개 주문할게요"},
		{"branch without particle", "김밥천국 역삼점 주문 취소해 주세요", "김밥천국 주문 취소해 주세요"},
		{"station branch", "교촌치킨 강남역점 배달비 얼마야", "교촌치킨 배달비 얼마야"},
		{"branch of a listed place", "김밥천국 홍대입구점이요", "김밥천국이요"},
		{"place and latin letters", "스타벅스 여의도ifc점 몇 시까지 해", "스타벅스 몇 시까지 해"},
		{"head store", "맘스터치 본점에서 싸이버거 하나", "맘스터치에서 싸이버거 하나"},
		{"unlisted road", "이디야 봉은사로점 주문할게", "이디야 주문할게"},
		{"glued to the brand", "김밥천국역삼점에서 참치김밥", "김밥천국에서 참치김밥"},
		{"punctuation kept", "교촌 강남점, 허니콤보 하나", "교촌, 허니콤보 하나"},
		{"two branches", "교촌 강남점 말고 교촌 신촌점", "교촌 말고 교촌"},
		{"branch first is kept", "역삼점 주문 취소할게요", "역삼점 주문 취소할게요"},
		{"convenience store", "근처 편의점 어디야", "근처 편의점 어디야"},
		{"rating", "치킨집 평점 높은 곳", "치킨집 평점 높은 곳"},
		{"chinese restaurant name", "근처 홍콩반점 찾아줘", "근처 홍콩반점 찾아줘"},
		{"restaurant word", "역삼 음식점 추천해줘", "역삼 음식점 추천해줘"},
		{"specialty store", "강남 치킨 전문점 찾아줘", "강남 치킨 전문점 찾아줘"},
		{"gradually", "배달이 점점 늦어져요", "배달이 점점 늦어져요"},
		{"a score", "맛은 1점이에요", "맛은 1점이에요"},
		{"no 점", "교촌 허니콤보 두 마리", "교촌 허니콤보 두 마리"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := foldBranches(Normalize(tc.in)); got != tc.want {
				t.Errorf("foldBranches(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
