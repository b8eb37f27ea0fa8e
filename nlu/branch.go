package nlu

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Store branches are named by a place and 점 after the brand: 김밥천국
// 역삼점, 교촌치킨 강남역점, 스타벅스 여의도IFC점, 맘스터치 본점. The branch
// says which store, never what the user wants of it, and the classifier has
// seen few of them, so their n-grams are mostly unknown or learnt from one
// unrelated message (홍콩반점에서 … 취소). foldBranches makes the branch
// part of the name before it for the classifier: 김밥천국 역삼점에서 is read
// as 김밥천국에서.

// placeSet holds the gazetteer places, folded, for prefix look-ups.
var placeSet = func() map[string]bool {
	m := make(map[string]bool, len(places))
	for _, p := range places {
		m[foldForm(p)] = true
	}
	return m
}()

// startsWithPlace reports whether s begins with a gazetteer place:
// 강남역, 홍대입구, 여의도ifc, 강남r.
func startsWithPlace(s string) bool {
	n := 0
	for i := range s {
		if n >= 2 && placeSet[s[:i]] {
			return true
		}
		n++
	}
	return n >= 2 && placeSet[s]
}

// isBranchPlace reports whether s, what comes before 점 in a word, names
// a branch: a place of the gazetteer and whatever follows it (강남역,
// 여의도ifc), an unlisted station or road (선정릉역, 봉은사로), or 본 (본점).
func isBranchPlace(s string) bool {
	if s == "본" || startsWithPlace(s) {
		return true
	}
	if utf8.RuneCountInString(s) < 3 || !allHangul(s) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	return last == '역' || last == '로' || last == '길'
}

// branchStem returns the branch name that word (particles stripped)
// ends with, and the name glued before it: 역삼점 → ("", "역삼점"),
// 김밥천국역삼점 → ("김밥천국", "역삼점"). ok is false when word is not a
// branch: 편의점, 평점, 홍콩반점, 음식점.
func branchStem(word string) (name, branch string, ok bool) {
	place, found := strings.CutSuffix(word, "점")
	if !found || place == "" {
		return "", "", false
	}
	if isBranchPlace(place) {
		return "", word, true
	}
	// Glued to the name: only a listed place, after two runes of name at
	// least, marks where the name ends.
	n := 0
	for i := range place {
		if n >= 2 && startsWithPlace(place[i:]) {
			return place[:i], word[i:], true
		}
		n++
	}
	return "", "", false
}

// foldBranches returns the normalised text norm with every branch word
// that follows a name folded into that name, keeping its particle and
// punctuation: 김밥천국 역삼점에서 → 김밥천국에서, 교촌 강남역점 주문 →
// 교촌 주문, 김밥천국역삼점에서 → 김밥천국에서. A branch word that begins
// the message is kept (역삼점 주문 취소할게요): no name comes before it.
func foldBranches(norm string) string {
	if !strings.Contains(norm, "점") {
		return norm
	}
	words := strings.Split(norm, " ")
	changed := false
	out := words[:0:0]
	for i, w := range words {
		// The word's letters, then any punctuation or emoji after them.
		end := len(w)
		for end > 0 {
			r, size := utf8.DecodeLastRuneInString(w[:end])
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				break
			}
			end -= size
		}
		core := w[:end]
		stem := StripParticle(core)
		name, _, ok := branchStem(stem)
		if !ok || name == "" && (i == 0 || len(out) == 0) {
			out = append(out, w)
			continue
		}
		changed = true
		rest := core[len(stem):] + w[end:]
		if name != "" {
			out = append(out, name+rest)
			continue
		}
		out[len(out)-1] += rest
	}
	if !changed {
		return norm
	}
	return strings.Join(out, " ")
}
