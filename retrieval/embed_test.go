package retrieval

import (
	"context"
	"math"
	"slices"
	"testing"
)

func cosine(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

func TestHashEmbedderVectors(t *testing.T) {
	tests := []struct {
		name string
		dim  int
		text string
		zero bool
	}{
		{name: "korean", dim: 0, text: "교촌 허니콤보"},
		{name: "mixed", dim: 64, text: "KSPO DOME 아이유 콘서트"},
		{name: "one letter", dim: 128, text: "국"},
		{name: "empty", dim: 0, text: "", zero: true},
		{name: "spaces and punctuation only", dim: 0, text: "  !? ", zero: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := NewHashEmbedder(tc.dim)
			want := tc.dim
			if want == 0 {
				want = DefaultDim
			}
			if h.Dim() != want {
				t.Fatalf("Dim() = %d, want %d", h.Dim(), want)
			}
			v := h.EmbedOne(tc.text)
			if len(v) != want {
				t.Fatalf("len = %d, want %d", len(v), want)
			}
			norm := math.Sqrt(cosine(v, v))
			switch {
			case tc.zero && norm != 0:
				t.Errorf("norm = %v, want the zero vector", norm)
			case !tc.zero && math.Abs(norm-1) > 1e-5:
				t.Errorf("norm = %v, want 1", norm)
			}
			if again := NewHashEmbedder(tc.dim).EmbedOne(tc.text); !slices.Equal(v, again) {
				t.Errorf("a second embedding of %q differs", tc.text)
			}
		})
	}
}

func TestHashEmbedderEmbedBatch(t *testing.T) {
	h := NewHashEmbedder(0)
	texts := []string{"후라이드치킨", "짜장면", ""}
	got, err := h.Embed(context.Background(), texts)
	if err != nil {
		t.Fatalf("Embed: %v", err)
	}
	if len(got) != len(texts) {
		t.Fatalf("got %d vectors, want %d", len(got), len(texts))
	}
	for i, text := range texts {
		if !slices.Equal(got[i], h.EmbedOne(text)) {
			t.Errorf("vector %d (%q) differs from EmbedOne", i, text)
		}
	}
}

func TestHashEmbedderSimilarity(t *testing.T) {
	h := NewHashEmbedder(0)
	tests := []struct {
		name              string
		anchor, near, far string
	}{
		{"typo and spacing", "후라이드치킨", "후리이드 치킨", "짜장면"},
		{"spacing only", "교촌 허니콤보", "교촌허니콤보", "교동 후라이드"},
		{"one vowel", "김치찌개", "김치찌게", "된장국"},
		{"shared word", "아이유 콘서트", "아이유 팬미팅", "연극 고도를 기다리며"},
		{"latin case", "KSPO DOME", "kspo dome", "블루스퀘어"},
		{"partial name", "페퍼로니 피자", "페퍼로니", "양념치킨"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := h.EmbedOne(tc.anchor)
			near := cosine(a, h.EmbedOne(tc.near))
			far := cosine(a, h.EmbedOne(tc.far))
			if near <= far {
				t.Errorf("cos(%q, %q) = %.3f, not above cos(%q, %q) = %.3f", tc.anchor, tc.near, near, tc.anchor, tc.far, far)
			}
		})
	}
}

func TestDecomposeHangul(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []rune
	}{
		{"open syllable", "가", []rune{0x1100, 0x1161}},
		{"closed syllable", "각", []rune{0x1100, 0x1161, 0x11A8}},
		{"last syllable", "힣", []rune{0x1112, 0x1175, 0x11C2}},
		{"other runes kept", "a가1", []rune{'a', 0x1100, 0x1161, '1'}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := decomposeHangul([]rune(tc.in)); !slices.Equal(got, tc.want) {
				t.Errorf("decomposeHangul(%q) = %U, want %U", tc.in, got, tc.want)
			}
		})
	}
}
