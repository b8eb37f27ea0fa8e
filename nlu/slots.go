package nlu

import (
	"math"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Slots are the slots of contracts.md section 1. A slot the message does
// not fill is left at its zero value and omitted from JSON.
type Slots struct {
	Items         []ItemSlot `json:"items,omitempty"`
	Merchant      string     `json:"merchant,omitempty"`
	Category      string     `json:"category,omitempty"`
	Location      string     `json:"location,omitempty"`
	Address       string     `json:"address,omitempty"`
	NearMe        bool       `json:"near_me,omitempty"`
	Datetime      string     `json:"datetime,omitempty"` // RFC 3339
	Event         string     `json:"event,omitempty"`
	Performer     string     `json:"performer,omitempty"`
	Venue         string     `json:"venue,omitempty"`
	TicketCount   int        `json:"ticket_count,omitempty"`
	SeatGrade     string     `json:"seat_grade,omitempty"`
	Budget        int64      `json:"budget,omitempty"`
	ComplaintType string     `json:"complaint_type,omitempty"`
	PaymentMethod string     `json:"payment_method,omitempty"`

	// Time is Datetime as a time; zero when Datetime is empty.
	Time time.Time `json:"-"`
}

// ItemSlot is one item of an order as the user says it. Options is never
// nil, so that it is written as [] in JSON. MenuItemIDs lists the catalog
// items the name links to, when it does.
type ItemSlot struct {
	Name        string   `json:"name"`
	Quantity    int      `json:"quantity"`
	Options     []string `json:"options"`
	MenuItemIDs []string `json:"-"`
	// QuantitySaid reports whether the user said the quantity (두 마리)
	// rather than it defaulting to 1.
	QuantitySaid bool `json:"-"`
}

// Complaint types of contracts.md section 1.
const (
	ComplaintCold        = "cold"
	ComplaintLate        = "late"
	ComplaintWrongItem   = "wrong_item"
	ComplaintMissingItem = "missing_item"
	ComplaintTaste       = "taste"
	ComplaintQuality     = "quality"
	ComplaintRude        = "rude"
	ComplaintOther       = "other"
)

// Payment methods of contracts.md section 1.
const (
	PayKakaoPay = "kakaopay"
	PayCard     = "card"
)

// orderIntents are the intents in which a food word names an item to
// order rather than a kind of store.
var orderIntents = map[string]bool{
	IntentAddToOrder: true, IntentModifyOrder: true, IntentReorder: true, IntentCheckout: true,
}

// noFoodCategory lists the intents in which a food word is never the
// category slot: the user is talking about an order, not looking for a
// store.
var noFoodCategory = map[string]bool{
	IntentFileComplaint: true, IntentOrderStatus: true, IntentCancelOrder: true,
	IntentModifyOrder: true, IntentCheckout: true, IntentReorder: true, IntentAddToOrder: true,
	IntentGreet: true, IntentGoodbye: true, IntentThanks: true, IntentAffirm: true, IntentDeny: true,
	IntentCancelBooking: true, IntentBookTicket: true,
}

// nearIntents are the intents in which "near" words ask for stores or
// events near the user.
var nearIntents = map[string]bool{
	IntentSearchMerchant: true, IntentSearchEvent: true, IntentAskPromotion: true,
	IntentBrowseMenu: true, IntentMerchantInfo: true, IntentOutOfScope: true, IntentAddToOrder: true,
}

// ticketIntents are the intents in which 2명, 2인 count tickets.
var ticketIntents = map[string]bool{
	IntentBookTicket: true, IntentSearchEvent: true, IntentCancelBooking: true,
}

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

// filler fills the slots of one message.
type filler struct {
	t      *text
	cat    *Catalog // may be nil
	ref    time.Time
	intent string
	ents   []Entity
	links  []Link
	slots  Slots
	remove []ItemSlot
}

// fillSlots fills the slots of norm, a normalised message, from its
// entities and catalog links, given its intent. It returns the slots and
// the items the user removes or refuses.
func fillSlots(norm, intent string, ents []Entity, links []Link, cat *Catalog, ref time.Time) (Slots, []ItemSlot) {
	f := &filler{t: newText(norm), intent: intent, ents: ents, links: links, cat: cat, ref: ref}
	f.address()
	f.datetime()
	f.catalogLinks()
	f.payment()
	f.seatAndTickets()
	f.budget()
	f.items()
	f.category()
	f.location()
	f.nearMe()
	f.complaint()
	return f.slots, f.remove
}

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
			if f.slots.Performer != "" || !f.eventContext() && f.intent != IntentOutOfScope {
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
	if f.slots.Performer == "" && f.slots.Event == "" && f.eventContext() {
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

// eventContext reports whether the message is about events.
func (f *filler) eventContext() bool {
	switch f.intent {
	case IntentSearchEvent, IntentBookTicket, IntentCancelBooking, IntentSubscribeChannel:
		return true
	}
	return f.ticketContext()
}

// isFoodWord reports whether a folded word is a food word.
func isFoodWord(w string) bool {
	for _, x := range foodWords {
		if x == w {
			return true
		}
	}
	return false
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

// datetime takes the first date or time the extractor found.
func (f *filler) datetime() {
	for _, e := range f.ents {
		if e.Dim != DimDatetime {
			continue
		}
		t := e.Time
		if e.Span {
			t = e.From
		}
		if t.IsZero() || e.Grain == "week" || e.Grain == "month" || e.Grain == "year" {
			continue
		}
		if e.Grain == "day" && !e.Span && sameDay(t, f.ref) {
			// 오늘 alone says nothing the reference time does not.
			continue
		}
		f.slots.Time = t
		f.slots.Datetime = t.Format(time.RFC3339)
		f.t.take(clampSpan(span{e.Start, e.End}, len(f.t.rs)))
		return
	}
}

func sameDay(a, b time.Time) bool {
	if b.IsZero() {
		return false
	}
	b = b.In(a.Location())
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

func clampSpan(s span, n int) span {
	s.start = min(max(s.start, 0), n)
	s.end = min(max(s.end, s.start), n)
	return s
}

// payment finds the payment method.
func (f *filler) payment() {
	if m := f.t.findLex(payLex, false); len(m) > 0 {
		f.slots.PaymentMethod = m[0].value
		for _, x := range m {
			f.t.take(x.span)
		}
	}
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

// budgetAfter are the words after an amount that make it a limit.
var budgetAfter = []string{"이하", "이내", "까지", "안으로", "안쪽", "아래", "미만", "밑으로", "밑", "선에서", "선으로", "정도", "내로", "내외", "안넘", "넘지", "안에서", "언더", "짜리", "대로", "대", "쯤", "예산", "으로", "로"}

// budgetBefore are the words before an amount that make it a limit.
var budgetBefore = []string{"예산", "최대", "한도", "최고"}

// budget finds a price limit: an amount followed by 이하, 이내, 까지 …, or
// after 예산, 최대. X원대 (만원대) is read as under the next step (20,000).
func (f *filler) budget() {
	for _, e := range f.ents {
		if e.Dim != DimMoney || e.Num <= 0 || (e.Unit != "" && e.Unit != "KRW") {
			continue
		}
		s := clampSpan(span{e.Start, e.End}, len(f.t.rs))
		after := f.t.between(s.end, s.end+6)
		before := f.t.between(s.start-4, s.start)
		isLimit := false
		bandUp := false
		for _, w := range budgetAfter {
			if strings.HasPrefix(after, w) {
				if w == "로" || w == "으로" {
					// 2만원으로 … only when a store or menu is sought.
					if f.intent != IntentSearchMerchant && f.intent != IntentBrowseMenu && f.intent != IntentAskPromotion {
						continue
					}
				}
				isLimit = true
				bandUp = w == "대" || w == "대로"
				break
			}
		}
		for _, w := range budgetBefore {
			isLimit = isLimit || strings.Contains(before, w)
		}
		if !isLimit {
			continue
		}
		v := int64(math.Round(e.Num))
		if bandUp {
			step := int64(1)
			for step*10 <= v {
				step *= 10
			}
			v += step
		}
		f.slots.Budget = v
		f.t.take(s)
		return
	}
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

// trimPunct removes punctuation and symbols around a word.
func trimPunct(w string) string {
	return strings.TrimFunc(w, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) })
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

// category finds the kind of store or event the user names.
func (f *filler) category() {
	for _, m := range f.t.findLex(categoryLex, false) {
		if f.slots.Category != "" {
			return
		}
		if !isEventCategory(m.value) && noFoodCategory[f.intent] {
			continue
		}
		f.slots.Category = m.value
		f.t.take(m.span)
		return
	}
}

// placeSuffixes may follow a place name in the same word.
var placeSuffixes = []string{
	"역", "근처", "쪽", "부근", "주변", "점", "맛집", "앞", "인근", "사거리", "입구", "근방", "에서", "까지", "에", "으로", "이랑", "랑", "은", "는", "이", "가", "도", "의", "동네", "에있는", "있는", "치킨", "피자", "족발", "중국집", "카페", "술집", "가는", "배달", "일대", "권",
}

// location finds the first place of the gazetteer named in the message.
func (f *filler) location() {
	for _, m := range f.t.findLex(placeLex, true) {
		rest := f.t.rs[m.end:]
		if len(rest) > 0 && isSyllable(rest[0]) {
			ok := false
			for _, suf := range placeSuffixes {
				if hasRunesAt(rest, 0, suf) {
					ok = true
					break
				}
			}
			if !ok {
				continue
			}
		}
		f.slots.Location = m.value
		f.t.take(m.span)
		return
	}
}

// nearMe sets near_me when the user asks for what is near them.
func (f *filler) nearMe() {
	if !nearIntents[f.intent] {
		return
	}
	for _, w := range selfNearWords {
		if f.t.has(w) {
			f.slots.NearMe = true
			return
		}
	}
	if f.slots.Location != "" {
		return // near a named place, not near the user
	}
	for _, w := range nearWords {
		if f.t.has(w) {
			f.slots.NearMe = true
			return
		}
	}
}

// complaint classifies a complaint by its words; other when none fits.
func (f *filler) complaint() {
	if f.intent != IntentFileComplaint {
		return
	}
	f.slots.ComplaintType = complaintType(f.t.cs)
}

// complaintOrder lists the complaint types by priority: a hair in cold
// food is a quality complaint first.
var complaintOrder = []string{ComplaintQuality, ComplaintRude, ComplaintWrongItem, "late_now", ComplaintCold, ComplaintTaste, "late_strong", ComplaintMissingItem, ComplaintLate}

// lateNow are words saying the order has still not come (안 와요, 한 시간째):
// lateness, even when the food will be cold by then.
var lateNow = []string{"안와", "안오", "안옴", "시간째", "분째"}

// lateStrong are words that make a complaint about lateness even when
// something "did not come" (아직 안 왔어요).
var lateStrong = []string{"아직", "시간째", "분째", "시간이나", "분이나", "시간넘", "분넘", "지연", "늦", "언제", "한참", "느려", "오래걸", "감감", "기다렸", "기다리"}

// complaintType maps a compacted complaint to its type.
func complaintType(cs string) string {
	// X 시켰는데 Y 왔어요: the wrong thing came; … 한 마리만 왔어요: less.
	if i := strings.Index(cs, "시켰는데"); i >= 0 && strings.Contains(cs[i:], "왔") {
		if strings.Contains(cs[i:], "만왔") || strings.Contains(cs[i:], "빠") || strings.Contains(cs[i:], "안왔") {
			return ComplaintMissingItem
		}
		if !strings.Contains(cs, "늦") && !strings.Contains(cs, "식") {
			return ComplaintWrongItem
		}
	}
	for _, w := range []string{"늦어서", "늦게와서", "오래걸려서", "늦게오는바람에"} {
		if strings.Contains(cs, w) {
			return ComplaintLate
		}
	}
	if i := strings.Index(cs, "맛"); i >= 0 {
		after := cs[i:]
		for _, w := range []string{"없", "이상", "별로", "구려", "최악", "변했"} {
			if strings.Contains(after, w) && !strings.Contains(cs, "머리카락") && !strings.Contains(cs, "이물질") {
				return ComplaintTaste
			}
		}
	}
	for _, typ := range complaintOrder {
		if typ == "late_now" {
			for _, w := range lateNow {
				if strings.Contains(cs, w) {
					return ComplaintLate
				}
			}
			continue
		}
		if typ == "late_strong" {
			for _, w := range lateStrong {
				if strings.Contains(cs, w) {
					return ComplaintLate
				}
			}
			continue
		}
		for _, e := range complaintWords {
			if e.value == typ && strings.Contains(cs, e.form) {
				return typ
			}
		}
	}
	return ComplaintOther
}

// ordinal finds a reference to a numbered list: 첫 번째, 2번, 셋째.
func ordinal(norm string, ents []Entity) int {
	for _, e := range ents {
		if e.Dim == DimOrdinal && e.Num >= 1 && e.Num < 100 {
			return int(e.Num)
		}
	}
	rs := []rune(norm)
	for i := 0; i < len(rs); i++ {
		if rs[i] < '0' || rs[i] > '9' || i > 0 && rs[i-1] >= '0' && rs[i-1] <= '9' {
			continue
		}
		n, j := 0, i
		for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' && n < 1000 {
			n = n*10 + int(rs[j]-'0')
			j++
		}
		k := j
		for k < len(rs) && rs[k] == ' ' {
			k++
		}
		if hasRunesAt(rs, k, "번") && !hasRunesAt(rs, k, "번길") && !hasRunesAt(rs, k, "번지") && n >= 1 && n < 100 {
			return n
		}
	}
	folded := foldForm(norm)
	for _, w := range []struct {
		w string
		n int
	}{{"첫번째", 1}, {"첫째", 1}, {"두번째", 2}, {"둘째", 2}, {"세번째", 3}, {"셋째", 3}, {"네번째", 4}, {"넷째", 4}, {"다섯번째", 5}, {"맨처음", 1}, {"첫번", 1}} {
		if strings.Contains(folded, w.w) {
			return w.n
		}
	}
	return 0
}

// isCorrection reports whether the message corrects what came before.
func isCorrection(cs string) bool {
	for _, w := range []string{"말고", "아니고", "아니아니", "정정", "잘못말", "바꿔", "변경", "대신", "아니그거"} {
		if strings.Contains(cs, w) {
			return true
		}
	}
	return strings.HasPrefix(cs, "아니") && !strings.HasPrefix(cs, "아니요") && len(cs) > len("아니")+3
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
