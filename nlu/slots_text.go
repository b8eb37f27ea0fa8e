package nlu

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// text is a message prepared for slot filling: its runes, and a compacted
// lower-case copy (no spaces) whose runes map back to them, so that words
// match regardless of spacing (큰 거 = 큰거).
type text struct {
	rs   []rune
	cs   string // compacted
	crs  []rune // runes of cs
	pos  []int  // rune index in rs of each rune of cs
	used []bool // runes of rs taken by a slot
}

func newText(s string) *text {
	t := &text{rs: []rune(s)}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range t.rs {
		if skipInKey(r) {
			continue
		}
		r = unicode.ToLower(r)
		t.crs = append(t.crs, r)
		t.pos = append(t.pos, i)
		b.WriteRune(r)
	}
	t.cs = b.String()
	t.used = make([]bool, len(t.rs))
	return t
}

// span is a range of runes of text.rs, end exclusive.
type span struct{ start, end int }

// find returns the spans of rs where form (compacted, lower case) occurs,
// in order, without overlaps.
func (t *text) find(form string) []span { return t.findRunes([]rune(form)) }

// findRunes is find for a form given as runes.
func (t *text) findRunes(f []rune) []span {
	if len(f) == 0 {
		return nil
	}
	var out []span
	for i := 0; i+len(f) <= len(t.crs); i++ {
		if t.crs[i] != f[0] {
			continue
		}
		ok := true
		for k := 1; k < len(f); k++ {
			if t.crs[i+k] != f[k] {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, span{t.pos[i], t.pos[i+len(f)-1] + 1})
			i += len(f) - 1
		}
	}
	return out
}

// has reports whether form occurs anywhere in the compacted text.
func (t *text) has(form string) bool { return strings.Contains(t.cs, form) }

func (t *text) free(s span) bool {
	for k := s.start; k < s.end; k++ {
		if t.used[k] {
			return false
		}
	}
	return true
}

func (t *text) take(s span) {
	for k := s.start; k < s.end; k++ {
		t.used[k] = true
	}
}

// wordStart reports whether s starts a word: at the start, or after a
// space or a character that is not a Hangul syllable or Latin letter.
func (t *text) wordStart(s span) bool {
	if s.start == 0 {
		return true
	}
	p := t.rs[s.start-1]
	return !(isSyllable(p) || unicode.IsLetter(p) || unicode.IsDigit(p))
}

// slice returns the runes of s as a string.
func (t *text) slice(s span) string { return string(t.rs[s.start:s.end]) }

// between returns the compacted text between rune indexes lo and hi of rs.
func (t *text) between(lo, hi int) string {
	var b strings.Builder
	for k := max(lo, 0); k < min(hi, len(t.rs)); k++ {
		if !unicode.IsSpace(t.rs[k]) {
			b.WriteRune(unicode.ToLower(t.rs[k]))
		}
	}
	return b.String()
}

// lexMatch is one occurrence of a lexicon entry.
type lexMatch struct {
	span
	form, value string
}

// lexicon is a word list prepared for findLex: forms without spaces and
// in lower case, longest first. Read-only once built.
type lexicon struct {
	entries []lexEntry
	runes   [][]rune
}

// compileLex prepares entries for findLex.
func compileLex(entries []lexEntry) *lexicon {
	lx := &lexicon{entries: make([]lexEntry, len(entries))}
	for i, e := range entries {
		lx.entries[i] = lexEntry{foldForm(e.form), e.value}
	}
	sort.SliceStable(lx.entries, func(a, b int) bool {
		return utf8.RuneCountInString(lx.entries[a].form) > utf8.RuneCountInString(lx.entries[b].form)
	})
	lx.runes = make([][]rune, len(lx.entries))
	for i, e := range lx.entries {
		lx.runes[i] = []rune(e.form)
	}
	return lx
}

// Compiled word lists.
var (
	categoryLex  = compileLex(categoryWords)
	foodLex      = compileLex(foodEntries())
	optionLex    = compileLex(optionWords)
	seatLex      = compileLex(seatWords)
	payLex       = compileLex(payWords)
	brandLex     = compileLex(brandWords)
	performerLex = compileLex(performerWords)
	venueLex     = compileLex(venueWords)
	eventLex     = compileLex(eventWords)
	placeLex     = compileLex(placeEntries())
)

// findLex returns the non-overlapping, free occurrences of the lexicon's
// forms, longest first, ordered by position.
func (t *text) findLex(lx *lexicon, needStart bool) []lexMatch {
	var taken []bool
	var out []lexMatch
	for i, e := range lx.entries {
		if !strings.Contains(t.cs, e.form) {
			continue
		}
		if taken == nil {
			taken = make([]bool, len(t.rs))
		}
		for _, s := range t.findRunes(lx.runes[i]) {
			if !t.free(s) || (needStart && !t.wordStart(s)) {
				continue
			}
			clash := false
			for k := s.start; k < s.end; k++ {
				clash = clash || taken[k]
			}
			if clash {
				continue
			}
			for k := s.start; k < s.end; k++ {
				taken[k] = true
			}
			out = append(out, lexMatch{s, e.form, e.value})
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].start < out[b].start })
	return out
}

// count is a number with its counter: 두 마리, 2장, 하나.
type count struct {
	span
	n    int
	unit string
}

// nativeNums are the native Korean numerals that count things, longest
// first. 석 and 넉 are the forms before 장 and 잔.
var nativeNums = []struct {
	w string
	n int
}{
	{"스물다섯", 25}, {"스물네", 24}, {"스물세", 23}, {"스물두", 22}, {"스물한", 21},
	{"열다섯", 15}, {"열여섯", 16}, {"열일곱", 17}, {"열여덟", 18}, {"열아홉", 19},
	{"열하나", 11}, {"열둘", 12}, {"열셋", 13}, {"열넷", 14}, {"열한", 11}, {"열두", 12}, {"열세", 13}, {"열네", 14},
	{"다섯", 5}, {"여섯", 6}, {"일곱", 7}, {"여덟", 8}, {"아홉", 9}, {"스무", 20}, {"스물", 20},
	{"하나", 1}, {"둘", 2}, {"셋", 3}, {"넷", 4},
	{"한", 1}, {"두", 2}, {"세", 3}, {"네", 4}, {"석", 3}, {"넉", 4}, {"열", 10},
}

// allCounters lists every counter, longest first.
var allCounters = func() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range append(append([]string{}, foodCounters...), ticketCounters...) {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		return utf8.RuneCountInString(out[a]) > utf8.RuneCountInString(out[b])
	})
	return out
}()

// isTicketCounter reports whether u counts tickets or people.
func isTicketCounter(u string) bool {
	for _, c := range ticketCounters {
		if c == u {
			return true
		}
	}
	return false
}

// counts finds the counted numbers of t: a numeral (digits or a native
// numeral) followed, with or without a space, by a counter; or a native
// numeral that stands alone as a word (콜라 하나, 둘이요).
func (t *text) counts() []count {
	rs := t.rs
	var out []count
	for i := 0; i < len(rs); i++ {
		if t.used[i] {
			continue
		}
		n, end := 0, -1
		standalone := false
		if rs[i] >= '0' && rs[i] <= '9' {
			if i > 0 && (rs[i-1] >= '0' && rs[i-1] <= '9' || rs[i-1] == '.' || rs[i-1] == ',') {
				continue
			}
			j := i
			for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
				n = n*10 + int(rs[j]-'0')
				j++
				if n > 1_000_000 {
					break
				}
			}
			end = j
		} else if isSyllable(rs[i]) {
			for _, w := range nativeNums {
				if hasRunesAt(rs, i, w.w) {
					n, end = w.n, i+utf8.RuneCountInString(w.w)
					standalone = w.n <= 4 && utf8.RuneCountInString(w.w) >= 1 &&
						(w.w == "하나" || w.w == "둘" || w.w == "셋" || w.w == "넷")
					break
				}
			}
		}
		if end < 0 || n <= 0 {
			continue
		}
		j := end
		for j < len(rs) && rs[j] == ' ' {
			j++
		}
		unit := ""
		for _, c := range allCounters {
			if hasRunesAt(rs, j, c) {
				unit = c
				break
			}
		}
		if unit != "" {
			ue := j + utf8.RuneCountInString(unit)
			// 장소, 개월, 명동, 인분 is handled by order; refuse a counter
			// glued to a word that continues it.
			if (unit == "장" || unit == "명" || unit == "판" || unit == "통" || unit == "줄") && ue < len(rs) && blockedAfterCounter(rs, ue) {
				continue
			}
			if isSyllable(rs[i]) && !t.wordStart(span{i, i + 1}) && !gluedCountOK(rs, i) {
				continue
			}
			if unit == "인" && ue < len(rs) && rs[ue] == '분' {
				unit = "인분"
				ue++
			}
			out = append(out, count{span{i, ue}, n, unit})
			i = ue - 1
			continue
		}
		if standalone && t.wordStart(span{i, i + 1}) && (end == len(rs) || !isSyllable(rs[end]) || isParticleStart(rs, end)) {
			out = append(out, count{span{i, end}, n, ""})
			i = end - 1
			continue
		}
		if !isSyllable(rs[i]) && (end == len(rs) || rs[end] == ' ' || isParticleStart(rs, end)) && t.wordStart(span{i, i + 1}) {
			// A bare number: a count only next to words that order
			// (콜라 2, 2 주세요); kept as unit "#".
			if n > 0 && n < 100 {
				out = append(out, count{span{i, end}, n, "#"})
			}
			i = end - 1
		}
	}
	return out
}

// blockedAfterCounter reports whether the syllable at rs[i] continues a
// word that merely starts like a counter (장소, 명동, 판교, 통닭).
func blockedAfterCounter(rs []rune, i int) bool {
	switch rs[i] {
	case '소', '동', '교', '닭', '면', '단', '품', '점', '르', '화', '사':
		return true
	}
	return false
}

// gluedCountOK reports whether a native numeral glued to the word before
// it (후라이드한마리, 콜라두개) may start a count.
func gluedCountOK(rs []rune, i int) bool {
	return i > 0 && (isSyllable(rs[i-1]) || rs[i-1] < utf8.RuneSelf && unicode.IsLetter(rs[i-1]))
}

// isParticleStart reports whether the runes at i begin a particle or a
// request ending (하나요, 하나만, 둘이요, 두 개로).
func isParticleStart(rs []rune, i int) bool {
	for _, p := range []string{"요", "만", "로", "으로", "이요", "씩", "도", "이랑", "랑", "하고", "주세요", "줘", "더", "만요", "이", "은", "는", "를", "을", "에"} {
		if hasRunesAt(rs, i, p) {
			return true
		}
	}
	return false
}

func hasRunesAt(rs []rune, i int, w string) bool {
	for _, r := range w {
		if i >= len(rs) || rs[i] != r {
			return false
		}
		i++
	}
	return true
}

func fieldsSpans(rs []rune) []span {
	var out []span
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && !unicode.IsSpace(rs[j]) {
			j++
		}
		out = append(out, span{i, j})
		i = j
	}
	return out
}

// trimPunct removes punctuation and symbols around a word.
func trimPunct(w string) string {
	return strings.TrimFunc(w, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) })
}

// foodEntries returns foodWords as lexicon entries.
func foodEntries() []lexEntry {
	out := make([]lexEntry, len(foodWords))
	for i, w := range foodWords {
		out[i] = lexEntry{w, w}
	}
	return out
}

// placeEntries returns places as lexicon entries.
func placeEntries() []lexEntry {
	out := make([]lexEntry, len(places))
	for i, w := range places {
		out[i] = lexEntry{w, w}
	}
	return out
}
