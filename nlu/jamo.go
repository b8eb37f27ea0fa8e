package nlu

import (
	"strings"
	"unicode/utf8"
)

// Hangul syllables are composed arithmetically from an initial consonant,
// a vowel and an optional final consonant (Unicode 3.12).
const (
	syllableBase  = 0xAC00
	syllableLast  = 0xD7A3
	jungCount     = 21
	jongCount     = 28
	jungJongCount = jungCount * jongCount
)

// The compatibility jamo of each position, in Unicode order.
var (
	choCompat  = []rune("ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ")
	jungCompat = []rune("ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ")
	jongCompat = []rune("\x00ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")
)

// isSyllable reports whether r is a precomposed Hangul syllable.
func isSyllable(r rune) bool { return r >= syllableBase && r <= syllableLast }

// hasFinal reports whether the syllable r ends in a consonant (받침).
func hasFinal(r rune) bool { return isSyllable(r) && (r-syllableBase)%jongCount != 0 }

// finalIs reports whether the syllable r ends in the consonant f, given as
// a compatibility jamo (ㄹ).
func finalIs(r, f rune) bool {
	return isSyllable(r) && jongCompat[(r-syllableBase)%jongCount] == f
}

// appendJamo appends the compatibility jamo of r to dst: two or three for a
// syllable, r itself for anything else.
func appendJamo(dst []rune, r rune) []rune {
	if !isSyllable(r) {
		return append(dst, r)
	}
	i := r - syllableBase
	dst = append(dst, choCompat[i/jungJongCount], jungCompat[i%jungJongCount/jongCount])
	if f := i % jongCount; f != 0 {
		dst = append(dst, jongCompat[f])
	}
	return dst
}

// Jamo decomposes the Hangul syllables of s into compatibility jamo
// (후라이드 → ㅎㅜㄹㅏㅇㅣㄷㅡ) and keeps every other character. Compound
// vowels and final clusters (ㅘ, ㄳ) stay one letter each, as they are
// typed with one key press on the usual phone keyboards.
func Jamo(s string) string {
	return string(jamoRunes(nil, s))
}

// jamoRunes appends the decomposition of s to dst.
func jamoRunes(dst []rune, s string) []rune {
	for _, r := range s {
		dst = appendJamo(dst, r)
	}
	return dst
}

// JamoDistance is the Levenshtein distance between the jamo sequences of a
// and b: one wrong, missing or extra letter counts one, so 후라이드 and
// 후리이드 are at distance 1 while they differ in a whole syllable.
func JamoDistance(a, b string) int {
	ra := jamoRunes(make([]rune, 0, 3*utf8.RuneCountInString(a)), a)
	rb := jamoRunes(make([]rune, 0, 3*utf8.RuneCountInString(b)), b)
	return levenshtein(ra, rb)
}

// Similarity is 1 - JamoDistance(a, b) / the longer jamo length, in [0, 1]:
// 1 for equal texts, 0 for texts with nothing in place in common. Spaces
// and case are ignored.
func Similarity(a, b string) float64 {
	a, b = strings.ToLower(Compact(a)), strings.ToLower(Compact(b))
	ra := jamoRunes(nil, a)
	rb := jamoRunes(nil, b)
	n := max(len(ra), len(rb))
	if n == 0 {
		return 1
	}
	return 1 - float64(levenshtein(ra, rb))/float64(n)
}

// levenshtein counts the insertions, deletions and substitutions that turn
// a into b, in O(len(a)·len(b)) time and O(len(b)) space.
func levenshtein(a, b []rune) int {
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(b) == 0 {
		return len(a)
	}
	row := make([]int, len(b)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			next := min(row[j]+1, row[j-1]+1, diag+cost)
			diag = row[j]
			row[j] = next
		}
	}
	return row[len(b)]
}
