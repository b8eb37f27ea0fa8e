package nlu

import (
	"math"
	"strings"
	"time"
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
