package nlu

import (
	"math"
	"testing"
)

func TestJamo(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"open syllables", "후라이드", "ㅎㅜㄹㅏㅇㅣㄷㅡ"},
		{"final consonant", "치킨", "ㅊㅣㅋㅣㄴ"},
		{"compound vowel and cluster final", "닭왕", "ㄷㅏㄺㅇㅘㅇ"},
		{"other characters kept", "bbq 2마리!", "bbq 2ㅁㅏㄹㅣ!"},
		{"jamo kept", "ㅋㅋ", "ㅋㅋ"},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Jamo(tc.in); got != tc.want {
				t.Errorf("Jamo(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestJamoDistance(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want int
	}{
		{"equal", "후라이드", "후라이드", 0},
		{"one vowel typo", "후라이드", "후리이드", 1},
		{"one final typo", "주문", "주믄", 1},
		{"결제 as 결재", "결제", "결재", 1},
		{"missing final", "양념", "양녀", 1},
		{"whole syllable missing", "후라이드", "후라드", 2},
		{"against empty", "치킨", "", 5},
		{"both empty", "", "", 0},
		{"latin", "bbq", "bhc", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := JamoDistance(tc.a, tc.b); got != tc.want {
				t.Errorf("JamoDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
			}
			if got := JamoDistance(tc.b, tc.a); got != tc.want {
				t.Errorf("JamoDistance(%q, %q) = %d, want %d (symmetry)", tc.b, tc.a, got, tc.want)
			}
		})
	}
}

func TestSimilarity(t *testing.T) {
	tests := []struct {
		name   string
		a, b   string
		lo, hi float64
	}{
		{"equal", "교촌치킨", "교촌치킨", 1, 1},
		{"spacing and case ignored", "BBQ 치킨", "bbq치킨", 1, 1},
		{"one typo is close", "후라이드", "후리이드", 0.85, 0.9},
		{"unrelated is far", "후라이드", "콜라", 0, 0.3},
		{"both empty", "", "", 1, 1},
		{"one empty", "치킨", "", 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Similarity(tc.a, tc.b)
			if got < tc.lo || got > tc.hi || math.IsNaN(got) {
				t.Errorf("Similarity(%q, %q) = %.3f, want in [%.2f, %.2f]", tc.a, tc.b, got, tc.lo, tc.hi)
			}
		})
	}
}
