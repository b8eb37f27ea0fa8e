package nlu

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// address finds a delivery address: words ending in a road or lot number
// (대학로 12, 테헤란로 152-3), with the district and city words before it.
func (f *filler) address() {
	rs := f.t.rs
	words := fieldsSpans(rs)
	for wi, w := range words {
		word := string(rs[w.start:w.end])
		numIdx := -1
		// A road word and a number, in this word (대학로12) or the next.
		road := !strings.HasSuffix(word, "으로") && (hasRoadSuffix(word) || hasRoadSuffix(StripParticle(word)))
		if road && wi+1 < len(words) && startsWithDigit(rs, words[wi+1].start) {
			numIdx = wi + 1
		} else if i := strings.IndexAny(word, "0123456789"); i > 0 && hasRoadSuffix(word[:i]) {
			numIdx = wi
		}
		if numIdx < 0 {
			continue
		}
		nw := rs[words[numIdx].start:words[numIdx].end]
		if rest := string(nw[numberWordEnd(nw):]); rest != "" && !isParticle(rest) && rest != "이에요" && rest != "이요" && rest != "로요" && rest != "으로요" {
			continue // 1장이요 is a count, not a house number
		}
		first := wi
		for first > 0 && isAddressWord(string(rs[words[first-1].start:words[first-1].end])) {
			first--
		}
		if first == wi && !f.t.has("주소") && !f.t.has("보내") && !f.t.has("배달") && !f.t.has("으로") {
			continue
		}
		last := words[numIdx]
		end := last.start + numberWordEnd(rs[last.start:last.end])
		// Building, unit: 101동 202호.
		next := numIdx + 1
		for next < len(words) && isUnitWord(string(rs[words[next].start:words[next].end])) {
			end = words[next].end
			next++
		}
		addr := strings.TrimSpace(string(rs[words[first].start:end]))
		if addr == "" {
			continue
		}
		f.slots.Address = trimTrailingParticle(addr)
		f.t.take(span{words[first].start, end})
		return
	}
}

// numberWordEnd returns how many runes of w make the end of an address:
// a road word, then the number (12, 152-3, 12번길 5, 100번지), without what
// follows (로 보내줘).
func numberWordEnd(w []rune) int {
	i := 0
	for i < len(w) && !(w[i] >= '0' && w[i] <= '9') {
		i++
	}
	for i < len(w) && (w[i] >= '0' && w[i] <= '9' || w[i] == '-') {
		i++
	}
	for _, suf := range []string{"번길", "번지", "호", "동"} {
		if hasRunesAt(w, i, suf) {
			i += utf8.RuneCountInString(suf)
			for i < len(w) && (w[i] >= '0' && w[i] <= '9' || w[i] == '-') {
				i++
			}
			break
		}
	}
	return i
}

// trimTrailingParticle removes 로, 으로, 에, 까지 after the final number of
// an address (대학로 12로 → 대학로 12).
func trimTrailingParticle(addr string) string {
	for _, p := range []string{"으로", "까지", "에서", "로", "에", "번지"} {
		if s, ok := strings.CutSuffix(addr, p); ok {
			last, _ := utf8.DecodeLastRuneInString(s)
			if last >= '0' && last <= '9' || last == '호' {
				if p == "번지" {
					return addr
				}
				return s
			}
		}
	}
	return addr
}

func hasRoadSuffix(w string) bool {
	w = strings.TrimSpace(w)
	if utf8.RuneCountInString(w) < 2 {
		return false
	}
	return strings.HasSuffix(w, "로") || strings.HasSuffix(w, "길") || strings.HasSuffix(w, "번길") || strings.HasSuffix(w, "동")
}

func startsWithDigit(rs []rune, i int) bool { return i < len(rs) && rs[i] >= '0' && rs[i] <= '9' }

// isAddressWord reports whether w is a city, district or neighbourhood
// word of an address (서울, 서울시, 종로구, 역삼동, 경기도, 성남시).
func isAddressWord(w string) bool {
	switch w {
	case "서울", "서울시", "서울특별시", "부산", "부산시", "인천", "대구", "대전", "광주", "울산", "세종", "경기", "경기도", "제주", "제주도":
		return true
	}
	if utf8.RuneCountInString(w) < 2 {
		return false
	}
	return strings.HasSuffix(w, "구") || strings.HasSuffix(w, "시") || strings.HasSuffix(w, "군") || strings.HasSuffix(w, "동") || strings.HasSuffix(w, "읍") || strings.HasSuffix(w, "면")
}

// isUnitWord reports whether w is a building or unit number (101동, 202호).
func isUnitWord(w string) bool {
	w = trimTrailingParticle(w)
	if !strings.HasSuffix(w, "동") && !strings.HasSuffix(w, "호") && !strings.HasSuffix(w, "층") {
		return false
	}
	s := strings.TrimRight(w, "동호층")
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// catalogLinks fills merchant, event, performer and venue from the links.
// Menu item links are left to items.
func (f *filler) catalogLinks() {
	for i := range f.links {
		l := &f.links[i]
		s := span{l.Start, l.End}
		if s.end > len(f.t.rs) || !f.t.free(s) {
			continue
		}
		name := linkName(l)
		if l.Kind != LinkMenuItem && isFoodWord(foldForm(name)) && !f.eventContext() {
			continue // 라면 the play, in 라면 하나 주세요
		}
		switch l.Kind {
		case LinkMerchant, LinkBrand:
			if f.slots.Merchant != "" || placeAndKind(foldForm(name)) {
				continue
			}
			// A category word glued to the brand belongs to it (교촌치킨).
			for _, c := range []string{"치킨", "피자", "버거", "족발", "보쌈", "커피", "반점", "떡볶이", "김밥"} {
				if hasRunesAt(f.t.rs, s.end, c) && !strings.HasSuffix(name, c) {
					s.end += utf8.RuneCountInString(c)
					name += c
					break
				}
			}
			f.slots.Merchant = name
		case LinkEvent:
			f.eventLink(l, name)
			continue
		case LinkPerformer:
			if f.slots.Performer != "" || foodIntents[f.intent] && !f.eventContext() {
				continue
			}
			f.slots.Performer = name
		case LinkVenue:
			if f.slots.Venue != "" {
				continue
			}
			f.slots.Venue = name
		default:
			continue
		}
		f.t.take(s)
	}
	// Names the catalog does not hold: well-known brands, performers and
	// venues.
	if f.slots.Merchant == "" {
		f.slots.Merchant = f.lexName(brandLex)
	}
	if f.slots.Event == "" && f.eventContext() {
		f.slots.Event = f.lexName(eventLex)
	}
	if f.slots.Performer == "" && f.slots.Event == "" && (!foodIntents[f.intent] || f.eventContext()) {
		f.slots.Performer = f.lexName(performerLex)
	}
	if f.slots.Performer == "" && f.slots.Event == "" {
		f.slots.Performer = f.performerBeforeKind()
	}
	if f.slots.Venue == "" {
		f.slots.Venue = f.lexName(venueLex)
	}
}

// performerBeforeKind takes an unknown name right before a concert or fan
// meeting word as the performer (스트레이키즈 콘서트, 태연 콘).
func (f *filler) performerBeforeKind() string {
	words := fieldsSpans(f.t.rs)
	for i := 1; i < len(words); i++ {
		next := foldForm(string(f.t.rs[words[i].start:words[i].end]))
		kind := false
		for _, k := range []string{"콘서트", "콘", "팬미팅", "팬미", "단독공연", "내한", "콘써트"} {
			if next == k || strings.HasPrefix(next, k) && isParticle(strings.TrimPrefix(next, k)) {
				kind = true
				break
			}
		}
		if !kind {
			continue
		}
		w := words[i-1]
		name := StripParticle(trimPunct(string(f.t.rs[w.start:w.end])))
		s := span{w.start, w.start + utf8.RuneCountInString(name)}
		if utf8.RuneCountInString(name) < 2 || !f.t.free(s) || notItems[name] || !isNameLike(name) || isPlaceOrCategory(name) {
			continue
		}
		if strings.HasSuffix(name, "요일") {
			continue
		}
		switch name {
		case "연말", "단독", "크리스마스", "이번", "다음", "주말", "오늘", "내일", "모레", "첫", "마지막", "앵콜", "여름", "겨울", "봄", "가을", "신년":
			continue
		}
		f.t.take(s)
		return name
	}
	return ""
}

// lexName returns the first free occurrence of an entry, as written, and
// takes it; Latin names must stand apart from other Latin letters.
func (f *filler) lexName(lx *lexicon) string {
	for _, m := range f.t.findLex(lx, false) {
		if !asciiBounded(f.t.rs, m.start, m.end) {
			continue
		}
		f.t.take(m.span)
		return f.t.slice(m.span)
	}
	return ""
}

// eventLink fills event and performer from a linked event title. A title
// said as just its performer and kind (아이유 콘서트) names the performer,
// not the event; the category word is left for category.
func (f *filler) eventLink(l *Link, name string) {
	s := span{l.Start, l.End}
	rest := foldForm(name)
	if e, ok := f.cat.Event(l.ID); ok && e.Performer != "" {
		for _, p := range append([]string{e.Performer}, splitNames(e.Performer)...) {
			fp := foldForm(p)
			if fp == "" || !strings.Contains(rest, fp) {
				continue
			}
			rest = strings.Replace(rest, fp, "", 1)
			if f.slots.Performer == "" {
				for _, m := range f.t.find(fp) {
					if m.start >= s.start && m.end <= s.end {
						f.slots.Performer = f.t.slice(m)
						f.t.take(m)
						break
					}
				}
			}
			break
		}
	}
	for _, c := range categoryWords {
		rest = strings.Replace(rest, c.form, "", 1)
	}
	if utf8.RuneCountInString(rest) >= 2 && f.slots.Event == "" {
		f.slots.Event = name
		for k := s.start; k < s.end; k++ {
			f.t.used[k] = true
		}
		// The category word inside a title still names the kind.
		for _, c := range categoryWords {
			for _, m := range f.t.find(c.form) {
				if m.start >= s.start && m.end <= s.end && f.slots.Category == "" && isEventCategory(c.value) {
					f.slots.Category = c.value
				}
			}
		}
	}
}

func isEventCategory(c string) bool {
	return c == "콘서트" || c == "연극" || c == "뮤지컬" || c == "팬미팅"
}

// foodIntents are the intents about food orders, where a singer's name is
// more likely part of a dish (싸이버거).
var foodIntents = map[string]bool{
	IntentAddToOrder: true, IntentModifyOrder: true, IntentCheckout: true, IntentReorder: true,
	IntentOrderStatus: true, IntentCancelOrder: true, IntentBrowseMenu: true,
}

// eventContext reports whether the message is about events.
func (f *filler) eventContext() bool {
	switch f.intent {
	case IntentSearchEvent, IntentBookTicket, IntentCancelBooking, IntentSubscribeChannel:
		return true
	}
	return f.ticketContext()
}

// placeAndKind reports whether a folded store name is only a place and a
// kind of food (역삼 백반, 합정 족발): a user saying it is looking for such
// stores, not naming one.
func placeAndKind(w string) bool {
	for _, p := range places {
		rest, ok := strings.CutPrefix(w, p)
		if !ok {
			continue
		}
		rest = strings.TrimSuffix(rest, "집")
		if rest == "" {
			return false
		}
		if isFoodWord(rest) {
			return true
		}
		for _, c := range categoryWords {
			if c.form == rest {
				return true
			}
		}
	}
	return false
}

// linkName is the name a link gives a slot: the user's words without a
// trailing particle for an exact match, the catalog's for a fuzzy one.
func linkName(l *Link) string {
	if l.Score < 1 || foldForm(l.Surface) == foldForm(l.Matched) {
		return l.Matched // the catalog's spelling: BBQ for bbq
	}
	return strings.TrimSpace(l.Surface)
}

// seatAndTickets finds the seat grade and the number of tickets.
func (f *filler) seatAndTickets() {
	if m := f.t.findLex(seatLex, false); len(m) > 0 {
		for _, x := range m {
			// Latin grades must stand apart from Latin words (vips, bs).
			if r := x.form[0]; r < utf8.RuneSelf && !latinBounded(f.t.rs, x.start, x.end) {
				continue
			}
			if x.form == "비석" && !f.ticketContext() {
				continue
			}
			f.slots.SeatGrade = x.value
			f.t.take(x.span)
			break
		}
	}
	tickety := f.ticketContext()
	for _, c := range f.t.counts() {
		switch c.unit {
		case "장", "매", "티켓":
		case "":
			if f.intent != IntentBookTicket || f.slots.SeatGrade == "" && !f.t.has("표") && !f.t.has("티켓") {
				continue
			}
		case "명", "인", "석", "좌석", "자리":
			if !tickety {
				continue
			}
		default:
			continue
		}
		if c.n <= 0 || c.n > 100 {
			continue
		}
		f.slots.TicketCount = c.n
		f.t.take(c.span)
		// A correction (세 장 말고 두 장) keeps the last count.
		if !f.t.has("말고") && !f.t.has("아니") {
			break
		}
	}
	if f.slots.SeatGrade == "" && f.slots.TicketCount > 0 {
		// A bare Latin grade next to a ticket count: R 두 장, s로 2매.
		for _, w := range fieldsSpans(f.t.rs) {
			word := strings.ToLower(string(f.t.rs[w.start:w.end]))
			word = strings.TrimSuffix(strings.TrimSuffix(word, "으로"), "로")
			switch word {
			case "r", "s", "a", "b":
				f.slots.SeatGrade = strings.ToUpper(word)
				f.t.take(w)
				return
			}
		}
	}
}

// latinBounded reports whether rs[start:end] has no Latin letter on
// either side (vip3매 is VIP; vips is not).
func latinBounded(rs []rune, start, end int) bool {
	isLatin := func(r rune) bool { return r < utf8.RuneSelf && unicode.IsLetter(r) }
	return (start == 0 || !isLatin(rs[start-1])) && (end >= len(rs) || !isLatin(rs[end]))
}

// ticketContext reports whether the message is about tickets.
func (f *filler) ticketContext() bool {
	if ticketIntents[f.intent] || f.slots.SeatGrade != "" || f.slots.Event != "" || f.slots.Performer != "" {
		return true
	}
	for _, w := range []string{"예매", "티켓", "좌석", "자리", "표", "공연", "콘서트", "뮤지컬", "연극", "팬미"} {
		if f.t.has(w) {
			return true
		}
	}
	return false
}
