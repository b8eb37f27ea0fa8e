package nlu

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// isFoodWord reports whether a folded word is a food word.
func isFoodWord(w string) bool {
	for _, x := range foodWords {
		if x == w {
			return true
		}
	}
	return false
}

// anchor is a candidate item in the message: a linked menu item or a food
// word.
type anchor struct {
	span
	name     string
	ids      []string
	category bool // a food word that also names a category (치킨)
}

// items groups the menu items and food words of the message with the
// counts and options that follow them. An item followed by 빼, 말고 or
// 없이 is a removal; a count corrected with 말고 (세 마리 말고 두 마리)
// keeps the last.
func (f *filler) items() {
	t := f.t
	var anchors []anchor
	foods := t.findLex(foodLex, true)
	inFood := func(s span) bool {
		for _, m := range foods {
			if m.start <= s.start && s.end <= m.end && m.end-m.start > s.end-s.start {
				return true // 제로콜라 is not 콜라
			}
		}
		return false
	}
	for i := range f.links {
		l := &f.links[i]
		s := span{l.Start, l.End}
		if l.Kind != LinkMenuItem || s.end > len(t.rs) || !t.free(s) || isOptionWord(foldForm(l.Surface)) || inFood(s) {
			continue
		}
		a := anchor{span: s, name: linkName(l), ids: l.IDs, category: categoryFood[foldForm(l.Surface)]}
		if ws := f.wordPrefix(s); ws.start < s.start {
			// 주먹김밥 names another dish than 김밥.
			a = anchor{span: span{ws.start, s.end}, name: t.slice(span{ws.start, s.end})}
		}
		anchors = append(anchors, a)
	}
	// Spans are taken only by the anchors that become items, so that a
	// category word stays free for category.
	overlapsAnchor := func(s span) bool {
		for _, a := range anchors {
			if s.start < a.end && a.start < s.end {
				return true
			}
		}
		return false
	}
	known := append([]anchor(nil), anchors...)
	for _, m := range foods {
		if foodWordEnds(t.rs, m.end) {
			known = append(known, anchor{span: m.span, name: m.form})
		}
	}
	anchors = append(anchors, f.unknownItems(known, overlapsAnchor)...)
	var opts []lexMatch
	for _, o := range t.findLex(optionLex, false) {
		if !overlapsAnchor(o.span) {
			opts = append(opts, o)
			t.take(o.span)
		}
	}
	for _, m := range t.findLex(foodLex, true) {
		if overlapsAnchor(m.span) {
			continue
		}
		if !foodWordEnds(t.rs, m.end) {
			continue // 물어봐도 is not 물
		}
		anchors = append(anchors, anchor{span: m.span, name: t.slice(m.span), category: categoryFood[m.form]})
	}
	if len(anchors) == 0 {
		return
	}
	sort.Slice(anchors, func(a, b int) bool { return anchors[a].start < anchors[b].start })
	anchors = mergeCompounds(t, anchors)
	var counts []count
	for _, c := range t.counts() {
		if c.unit == "" || c.unit == "#" || !isTicketCounter(c.unit) || c.unit == "인" {
			counts = append(counts, c)
		}
	}
	ordering := orderIntents[f.intent]
	type group struct {
		a      anchor
		qty    int
		said   bool
		opts   []string
		remove bool
	}
	groups := make([]group, len(anchors))
	for i, a := range anchors {
		groups[i] = group{a: a, qty: 1}
	}
	// The region of anchor i runs to the start of anchor i+1.
	regionEnd := func(i int) int {
		if i+1 < len(anchors) {
			return anchors[i+1].start
		}
		return len(t.rs)
	}
	lastCount := make([]int, len(anchors))  // end of the count taken by each anchor
	firstCount := make([]int, len(anchors)) // start of the first count of each anchor
	for i := range anchors {
		lastCount[i], firstCount[i] = -1, -1
	}
	for _, c := range counts {
		gi := -1
		for i := range anchors {
			if c.start >= anchors[i].end && c.start < regionEnd(i) {
				gi = i
				break
			}
		}
		if gi < 0 {
			if c.end <= anchors[0].start {
				gi = 0 // 두 마리 후라이드로
			} else {
				continue
			}
		}
		if c.unit == "#" && !ordering {
			continue
		}
		g := &groups[gi]
		if g.said {
			// A second count for the same item replaces the first only
			// when the user corrects it (세 마리 말고 두 마리, 아니 두 마리).
			mid := t.between(lastCount[gi], c.start)
			if !strings.Contains(mid, "말고") && !strings.Contains(mid, "아니") && !strings.Contains(mid, "바꿔") && !strings.Contains(mid, "대신") {
				continue
			}
		}
		g.qty, g.said = c.n, true
		lastCount[gi] = c.end
		if firstCount[gi] < 0 {
			firstCount[gi] = c.start
		}
		t.take(c.span)
	}
	for _, o := range opts {
		gi := -1
		for i := range anchors {
			if o.end <= anchors[i].start {
				gi = i // an option before an item: 순살 후라이드
				break
			}
			if o.start >= anchors[i].end && o.start < regionEnd(i) {
				gi = i
				if lastCount[i] >= 0 && o.start >= lastCount[i] && i+1 < len(anchors) {
					gi = i + 1 // after the count: belongs to the next item
				}
				break
			}
		}
		if gi < 0 {
			continue
		}
		if !containsStr(groups[gi].opts, o.value) {
			groups[gi].opts = append(groups[gi].opts, o.value)
		}
	}
	for i, a := range anchors {
		// 곱빼기 (a large portion) is not 빼 (take out).
		region := strings.ReplaceAll(t.between(a.end, regionEnd(i)), "곱빼기", "")
		head := region // before the first count
		if firstCount[i] >= 0 {
			head = strings.ReplaceAll(t.between(a.end, firstCount[i]), "곱빼기", "")
		}
		switch {
		case strings.Contains(region, "빼"), strings.Contains(region, "없이"), strings.Contains(region, "제외"),
			strings.Contains(region, "취소"), strings.Contains(region, "안넣"), strings.Contains(region, "넣지마"),
			strings.Contains(region, "삭제"), strings.Contains(region, "지워"):
			groups[i].remove = true
		case strings.Contains(head, "말고"), strings.Contains(head, "대신"):
			// 콜라 말고 사이다: the first is refused; 세 마리 말고 두 마리
			// (after a count) corrects the count instead.
			groups[i].remove = true
		case i+1 < len(anchors) && (strings.HasPrefix(region, "을") || strings.HasPrefix(region, "를")) && swapTo(t.between(anchors[i+1].end, regionEnd(i+1))):
			// 후라이드를 양념으로 바꿔줘: the first is replaced.
			groups[i].remove = true
		}
	}
	var keep, removed []ItemSlot
	for _, g := range groups {
		if g.a.category && !g.said && !ordering {
			continue // a kind of store, not an item: 치킨 언제 와요, 근처 피자
		}
		opts := g.opts
		if opts == nil {
			opts = []string{}
		}
		it := ItemSlot{Name: cleanItemName(g.a.name), Quantity: g.qty, Options: opts, MenuItemIDs: g.a.ids, QuantitySaid: g.said}
		if it.Name == "" {
			continue
		}
		t.take(g.a.span)
		if g.remove {
			removed = append(removed, it)
		} else {
			keep = append(keep, it)
		}
	}
	f.remove = removed
	switch {
	case len(keep) > 0:
		f.slots.Items = keep
	case len(removed) > 0:
		// Only removals: the items the request is about.
		f.slots.Items = append([]ItemSlot(nil), removed...)
	}
}

// mergeCompounds joins a word and a following category food word that
// name one thing (페퍼로니 피자, 후라이드 치킨, 불고기 버거).
func mergeCompounds(t *text, as []anchor) []anchor {
	out := as[:0]
	for _, a := range as {
		if n := len(out); n > 0 && a.category && !out[n-1].category && strings.TrimSpace(string(t.rs[out[n-1].end:a.start])) == "" {
			prev := &out[n-1]
			prev.end = a.end
			prev.name = string(t.rs[prev.start:a.end])
			continue
		}
		out = append(out, a)
	}
	return out
}

// isOptionWord reports whether a folded word is an option (세트, 순살).
func isOptionWord(w string) bool {
	for _, o := range optionWords {
		if o.form == w {
			return true
		}
	}
	return false
}

// foodFollowers may follow a food word in the same word.
var foodFollowers = []string{
	"추가", "주세요", "줘", "시켜", "빼", "말고", "좀", "곱빼기", "큰", "작은", "순살", "세트", "하나", "둘", "셋", "넷",
	"한", "두", "세", "네", "다섯", "만", "도", "랑", "이랑", "하고", "은", "는", "이", "가", "을", "를", "로", "으로", "요", "이요",
	"와", "과", "에", "부터", "까지", "없이", "라지", "레귤러", "아이스", "핫", "맛", "집", "가게", "파는",
}

// foodWordEnds reports whether a food word ending at rs[i] ends a word or
// is followed by a particle, a count or an order word (콜라도, 콜라두개,
// 콜라주세요), not by the rest of another word (물어봐도).
func foodWordEnds(rs []rune, i int) bool {
	if i >= len(rs) || !isSyllable(rs[i]) {
		return true
	}
	for _, w := range foodFollowers {
		if hasRunesAt(rs, i, w) {
			return true
		}
	}
	for _, c := range allCounters {
		if hasRunesAt(rs, i, c) {
			return true
		}
	}
	return false
}

// swapTo reports whether the text after an item makes it the new choice
// of a swap (양념으로 바꿔줘, 사이다로 변경).
func swapTo(after string) bool {
	for _, w := range []string{"로바꿔", "으로바꿔", "로변경", "으로변경", "로교체", "으로교체", "로해", "으로해"} {
		if strings.HasPrefix(after, w) {
			return true
		}
	}
	return false
}

// wordPrefix returns the span from the start of the word holding s to s,
// when those runes are a free plain prefix of one to three syllables that
// make one noun with s (주먹 + 김밥); otherwise it returns s.
func (f *filler) wordPrefix(s span) span {
	rs := f.t.rs
	i := s.start
	for i > 0 && isSyllable(rs[i-1]) {
		i--
	}
	n := s.start - i
	if n == 0 || n > 3 || !f.t.free(span{i, s.start}) {
		return s
	}
	switch rs[s.start-1] {
	case '랑', '고', '도', '와', '과', '에', '서', '는', '은', '를', '을', '이', '가', '로', '나':
		return s
	}
	for _, c := range f.t.counts() {
		if c.start < s.start && i < c.end {
			return s
		}
	}
	for _, r := range rs[i:s.start] {
		for _, w := range nativeNums {
			if strings.ContainsRune(w.w, r) && utf8.RuneCountInString(w.w) == 1 {
				return s
			}
		}
	}
	// The noun must end with the link: nothing but a particle may follow.
	j := s.end
	for j < len(rs) && isSyllable(rs[j]) {
		j++
	}
	if rest := string(rs[s.end:j]); rest != "" && !isParticle(rest) {
		return s
	}
	return span{i, s.end}
}

// unknownItems finds dishes that neither the catalog nor the food words
// know: a free word that ends like a dish (징거버거, 전복죽), or, in an
// order, a free word right before a count of food (펩시 하나, 치킨마요
// 다섯 개).
func (f *filler) unknownItems(known []anchor, overlaps func(span) bool) []anchor {
	t := f.t
	all := t.counts()
	var counts []count
	if orderIntents[f.intent] {
		counts = all
	}
	inCount := func(s span) bool {
		for _, c := range all {
			if s.start < c.end && c.start < s.end {
				return true
			}
		}
		return false
	}
	var out []anchor
	for _, w := range fieldsSpans(t.rs) {
		if !t.free(w) || overlaps(w) || inCount(w) {
			continue
		}
		word := string(t.rs[w.start:w.end])
		stem := StripParticle(trimPunct(word))
		if whole := trimPunct(word); whole != stem && hasFoodHead(whole) {
			stem = whole // 치킨마요 is not 치킨마 + 요
		}
		if utf8.RuneCountInString(stem) < 2 || notItems[stem] || !isNameLike(stem) && !hasFoodHead(stem) ||
			isOptionWord(foldForm(stem)) || isFoodWord(stem) {
			continue
		}
		s := span{w.start, w.start + utf8.RuneCountInString(stem)}
		if !strings.HasPrefix(word, stem) || !t.free(s) {
			continue
		}
		dish := hasFoodHead(stem)
		if !dish && !endsLikeAdverbial(word) {
			for _, c := range counts {
				gap := strings.TrimSpace(string(t.rs[min(s.end, c.start):c.start]))
				if c.start >= s.end && gap == "" && c.unit != "#" && !isTicketCounter(c.unit) && !knownSince(known, all, s.start) {
					dish = true
					break
				}
			}
		}
		if dish && !isPlaceOrCategory(stem) {
			out = append(out, anchor{span: s, name: stem})
		}
	}
	return out
}

// knownSince reports whether a known item lies between the last count
// before i and i: the count after i then belongs to it (아메리카노 아이스
// 톨 사이즈 두 잔).
func knownSince(known []anchor, counts []count, i int) bool {
	from := 0
	for _, c := range counts {
		if c.end <= i {
			from = max(from, c.end)
		}
	}
	for _, a := range known {
		if a.start >= from && a.end <= i {
			return true
		}
	}
	return false
}

// endsLikeAdverbial reports whether a word ends in a particle that makes
// it something else than the thing counted (중에, 그중에는, 둘이서).
func endsLikeAdverbial(w string) bool {
	for _, p := range []string{"에", "에서", "는", "은", "이서", "서", "중", "까지", "부터"} {
		if strings.HasSuffix(w, p) {
			return true
		}
	}
	return false
}

// hasFoodHead reports whether w ends like a dish name and is longer
// than the ending (징거버거, not 버거).
func hasFoodHead(w string) bool {
	for _, r := range w {
		if !isSyllable(r) && !(r < utf8.RuneSelf && unicode.IsLetter(r)) {
			return false
		}
	}
	for _, h := range foodHeads {
		if strings.HasSuffix(w, h) && utf8.RuneCountInString(w) > utf8.RuneCountInString(h) {
			return true
		}
	}
	return false
}

// isNameLike reports whether w could be a dish name: Hangul or Latin
// letters only, not a verb form.
func isNameLike(w string) bool {
	for _, r := range w {
		if !isSyllable(r) && !(r < utf8.RuneSelf && unicode.IsLetter(r)) {
			return false
		}
	}
	for _, e := range []string{"해줘", "주세요", "할게", "할래", "시켜", "줘", "요", "다", "고", "서", "니", "어", "아", "는", "은", "던", "한"} {
		if strings.HasSuffix(w, e) {
			return false
		}
	}
	return true
}

// isPlaceOrCategory reports whether w is a place or a category word.
func isPlaceOrCategory(w string) bool {
	for _, p := range places {
		if p == w {
			return true
		}
	}
	for _, c := range categoryWords {
		if c.form == w {
			return true
		}
	}
	return false
}

// cleanItemName trims particles and spaces from an item name.
func cleanItemName(s string) string {
	s = strings.TrimSpace(s)
	if st := StripParticle(s); st != "" && !hasFoodHead(foldForm(s)) {
		s = st
	}
	return s
}

func containsStr(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
