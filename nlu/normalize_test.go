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
