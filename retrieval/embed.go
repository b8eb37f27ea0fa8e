package retrieval

import (
	"context"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Embedder turns texts into vectors for similarity search.
//
// Embed returns one vector of length Dim for each text, in order. Vectors
// are L2-normalised, so the dot product of two vectors is their cosine
// similarity; a text with no features (empty or only spaces) yields the
// zero vector. Embed fails only when the underlying model does (a network
// or quota error of a remote model); it must be safe for concurrent use.
type Embedder interface {
	Dim() int
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// DefaultDim is the vector length of a HashEmbedder made with dim <= 0.
const DefaultDim = 256

// HashEmbedder is a deterministic, dependency-free Embedder for Korean
// catalog text. It needs no model download, so the embedded store works
// offline and tests are reproducible.
//
// A text is lower-cased and its runs of white space collapsed. Its features
// are the character 1-, 2- and 3-grams of that text and the 2- and 3-grams
// of its space-free form (so "후라이드 치킨" and "후라이드치킨" share most
// features), plus the 2- and 3-grams of its Hangul jamo (so a one-vowel
// typo such as 후리이드 still shares most of its features with 후라이드).
// Each feature is hashed with 64-bit FNV-1a into one of Dim buckets with a
// sign taken from the hash (signed hashing keeps collisions from adding up
// to a false similarity), weighted sublinearly by its count (1 + ln tf)
// and by its kind, and the vector is L2-normalised.
type HashEmbedder struct {
	dim  int
	pool sync.Pool // *features
}

// NewHashEmbedder returns a HashEmbedder of dim dimensions (DefaultDim when
// dim <= 0).
func NewHashEmbedder(dim int) *HashEmbedder {
	if dim <= 0 {
		dim = DefaultDim
	}
	return &HashEmbedder{dim: dim}
}

// Dim returns the vector length.
func (h *HashEmbedder) Dim() int { return h.dim }

// Embed embeds each text with EmbedOne. It never fails.
func (h *HashEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = h.EmbedOne(t)
	}
	return out, nil
}

// Feature kinds, hashed as a leading byte so that equal grams of different
// kinds land in different buckets, with their weights. Unigrams say little
// on their own; jamo grams back up the character grams for typos.
const (
	featChar = 'c'
	featJamo = 'j'

	weightUni  = 0.5
	weightChar = 1.0
	weightJamo = 0.5
)

// EmbedOne returns the L2-normalised vector of text.
func (h *HashEmbedder) EmbedOne(text string) []float32 {
	v := make([]float32, h.dim)
	f, _ := h.pool.Get().(*features)
	if f == nil {
		f = &features{}
	}
	f.collect(text)
	f.addTo(v)
	h.pool.Put(f)
	normalize(v)
	return v
}

// features gathers the hashed grams of one text before they are counted,
// one list per weight. The buffers are reused across texts.
type features struct {
	uni, char, jamo []uint64
	runes, compact  []rune
	jamoRunes       []rune
	buf             []byte
}

func (f *features) collect(text string) {
	f.uni, f.char, f.jamo = f.uni[:0], f.char[:0], f.jamo[:0]
	spaced := normalizeText(text)
	if spaced == "" {
		return
	}
	f.runes = append(f.runes[:0], []rune(spaced)...)
	f.compact = f.compact[:0]
	for _, r := range f.runes {
		if r != ' ' {
			f.compact = append(f.compact, r)
		}
	}
	f.uni = f.grams(f.uni, featChar, f.runes, 1)
	f.char = f.grams(f.char, featChar, f.runes, 2)
	f.char = f.grams(f.char, featChar, f.runes, 3)
	if len(f.compact) != len(f.runes) {
		f.char = f.grams(f.char, featChar, f.compact, 2)
		f.char = f.grams(f.char, featChar, f.compact, 3)
	}
	f.jamoRunes = decomposeHangulTo(f.jamoRunes[:0], f.compact)
	if len(f.jamoRunes) != len(f.compact) {
		f.jamo = f.grams(f.jamo, featJamo, f.jamoRunes, 2)
		f.jamo = f.grams(f.jamo, featJamo, f.jamoRunes, 3)
	}
}

// grams appends the hashes of the n-grams of rs to dst. A text shorter
// than n adds nothing.
func (f *features) grams(dst []uint64, kind byte, rs []rune, n int) []uint64 {
	for i := 0; i+n <= len(rs); i++ {
		b := append(f.buf[:0], kind)
		for _, r := range rs[i : i+n] {
			b = utf8.AppendRune(b, r)
		}
		f.buf = b
		dst = append(dst, fnv1a(b))
	}
	return dst
}

// addTo counts equal features of each list and adds sign * weight *
// (1 + ln tf) to their buckets of v.
func (f *features) addTo(v []float32) {
	add(v, f.uni, weightUni)
	add(v, f.char, weightChar)
	add(v, f.jamo, weightJamo)
}

func add(v []float32, hashes []uint64, weight float32) {
	slices.Sort(hashes)
	dim := uint64(len(v))
	for i := 0; i < len(hashes); {
		j := i + 1
		for j < len(hashes) && hashes[j] == hashes[i] {
			j++
		}
		hv := hashes[i]
		w := weight
		if j-i > 1 {
			w *= float32(1 + math.Log(float64(j-i)))
		}
		if hv>>63 == 1 {
			w = -w
		}
		v[(hv&(1<<63-1))%dim] += w
		i = j
	}
}

func normalize(v []float32) {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if s == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(s))
	for i := range v {
		v[i] *= inv
	}
}

// normalizeText lower-cases s, turns punctuation into spaces and collapses
// runs of spaces, so that "교촌 허니콤보!" and "교촌  허니콤보" embed alike.
func normalizeText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // drop leading spaces
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		case !space:
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}

// Hangul syllable composition constants (Unicode 3.12): a syllable is
// 0xAC00 + (lead*21 + vowel)*28 + tail.
const (
	hangulBase  = 0xAC00
	hangulLast  = 0xD7A3
	hangulLeads = 0x1100
	hangulVowel = 0x1161
	hangulTails = 0x11A7
	vowelCount  = 21
	tailCount   = 28
)

// decomposeHangul spells each precomposed Hangul syllable of rs as its
// conjoining jamo (lead, vowel and, when present, tail); other runes are
// kept as they are.
func decomposeHangul(rs []rune) []rune {
	return decomposeHangulTo(make([]rune, 0, len(rs)*3), rs)
}

// decomposeHangulTo appends the decomposition of rs to out.
func decomposeHangulTo(out []rune, rs []rune) []rune {
	for _, r := range rs {
		if r < hangulBase || r > hangulLast {
			out = append(out, r)
			continue
		}
		s := r - hangulBase
		out = append(out, hangulLeads+s/(vowelCount*tailCount), hangulVowel+s%(vowelCount*tailCount)/tailCount)
		if t := s % tailCount; t != 0 {
			out = append(out, hangulTails+t)
		}
	}
	return out
}

// fnv1a is the 64-bit FNV-1a hash of b, written out so that hashing a
// gram allocates nothing.
func fnv1a(b []byte) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	for _, c := range b {
		h ^= uint64(c)
		h *= prime
	}
	return h
}
