package assistant

import (
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
)

func TestJosa(t *testing.T) {
	tests := []struct {
		name, word, pair, want string
	}{
		{"final consonant object", "치킨", "을/를", "치킨을"},
		{"vowel object", "피자", "을/를", "피자를"},
		{"reversed pair", "피자", "를/을", "피자를"},
		{"subject after final", "교동치킨", "이/가", "교동치킨이"},
		{"subject after vowel", "아이유", "이/가", "아이유가"},
		{"topic", "주문", "은/는", "주문은"},
		{"topic vowel", "예매", "은/는", "예매는"},
		{"and after final", "콜라", "과/와", "콜라와"},
		{"and after consonant", "떡볶이", "과/와", "떡볶이와"},
		{"and with final", "치킨", "과/와", "치킨과"},
		{"ro after rieul", "서울", "으로/로", "서울로"},
		{"ro after vowel", "카드", "으로/로", "카드로"},
		{"euro after final", "대학로 12번지 집", "으로/로", "대학로 12번지 집으로"},
		{"euro after nieun", "현관", "으로/로", "현관으로"},
		{"digit three", "3", "이/가", "3이"},
		{"digit two", "2", "이/가", "2가"},
		{"digit one ro", "1", "으로/로", "1로"},
		{"digit six ro", "6", "으로/로", "6으로"},
		{"ten", "10", "을/를", "10을"},
		{"hundred", "100", "을/를", "100을"},
		{"thousand", "1000", "이/가", "1000이"},
		{"money with commas", "18,000", "이/가", "18,000이"},
		{"won", "18,000원", "이/가", "18,000원이"},
		{"acronym BBQ", "BBQ", "이/가", "BBQ가"},
		{"acronym ending in L", "KFC L", "을/를", "KFC L을"},
		{"acronym ending in M", "KBS M", "으로/로", "KBS M으로"},
		{"brand in brackets", "아이유 콘서트 〈HEREH〉", "을/를", "아이유 콘서트 〈HEREH〉를"},
		{"trailing punctuation", "후라이드!", "을/를", "후라이드!를"},
		{"lower-case word ending in m", "dream", "을/를", "dream을"},
		{"grade R", "R석", "으로/로", "R석으로"},
		{"grade VIP", "VIP", "이/가", "VIP가"},
		{"unknown sound", "♥", "을/를", "♥을(를)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Josa(tc.word, tc.pair); got != tc.want {
				t.Errorf("Josa(%q, %q) = %q, want %q", tc.word, tc.pair, got, tc.want)
			}
		})
	}
}

func TestWon(t *testing.T) {
	tests := []struct {
		name string
		n    int64
		want string
	}{
		{"zero", 0, "0원"},
		{"hundreds", 900, "900원"},
		{"thousands", 18000, "18,000원"},
		{"exact", 16060, "16,060원"},
		{"millions", 1234567, "1,234,567원"},
		{"negative", -3000, "-3,000원"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Won(tc.n); got != tc.want {
				t.Errorf("Won(%d) = %q, want %q", tc.n, got, tc.want)
			}
		})
	}
}

func TestKoreanTime(t *testing.T) {
	tests := []struct {
		name string
		t    time.Time
		want string
	}{
		{"evening", time.Date(2026, 12, 24, 19, 0, 0, 0, sodam.Seoul), "12월 24일(목) 오후 7시"},
		{"minutes", time.Date(2026, 12, 24, 19, 30, 0, 0, sodam.Seoul), "12월 24일(목) 오후 7시 30분"},
		{"morning", time.Date(2026, 11, 28, 9, 5, 0, 0, sodam.Seoul), "11월 28일(토) 오전 9시 5분"},
		{"noon", time.Date(2026, 11, 29, 12, 0, 0, 0, sodam.Seoul), "11월 29일(일) 오후 12시"},
		{"midnight", time.Date(2026, 11, 30, 0, 0, 0, 0, sodam.Seoul), "11월 30일(월) 오전 12시"},
		{"utc input shown in seoul", time.Date(2026, 12, 24, 10, 0, 0, 0, time.UTC), "12월 24일(목) 오후 7시"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := KoreanTime(tc.t); got != tc.want {
				t.Errorf("KoreanTime(%v) = %q, want %q", tc.t, got, tc.want)
			}
		})
	}
}
