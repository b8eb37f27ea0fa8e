package assistant

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// reading is what the assistant takes from one message: the parser's
// intent and slots, completed by a few checks of its own for the short
// answers a dialogue lives on (네, 아니요, 2번, 두 장, 카드로).
type reading struct {
	Text       string // the message as typed
	Compact    string // lower-cased, without spaces
	Intent     string
	Confidence float64

	Items    []ItemWish
	Removals []ItemWish

	Merchant  string
	Category  string
	Location  string
	Address   string
	NearMe    bool
	Datetime  *time.Time
	Event     string
	Performer string
	Venue     string

	TicketCount   int
	SeatGrade     string
	Budget        int64
	ComplaintType string
	PaymentMethod string

	Ordinal    int
	Correction bool

	// IDs linked to the catalog by the parser.
	MerchantIDs []string
	EventIDs    []string
}

// Intents of contracts.md section 1.
const (
	intentGreet       = "greet"
	intentGoodbye     = "goodbye"
	intentThanks      = "thanks"
	intentHelp        = "help"
	intentAffirm      = "affirm"
	intentDeny        = "deny"
	intentSearch      = "search_merchant"
	intentMenu        = "browse_menu"
	intentPromotion   = "ask_promotion"
	intentInfo        = "merchant_info"
	intentAdd         = "add_to_order"
	intentModify      = "modify_order"
	intentCheckout    = "checkout"
	intentStatus      = "order_status"
	intentCancelOrder = "cancel_order"
	intentReorder     = "reorder"
	intentEvent       = "search_event"
	intentBook        = "book_ticket"
	intentCancelBook  = "cancel_booking"
	intentComplaint   = "file_complaint"
	intentSubscribe   = "subscribe_channel"
	intentOutOfScope  = "out_of_scope"
)

// compact lower-cases s and removes spaces and trailing punctuation.
func compact(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(r)
	}
	return strings.TrimRightFunc(b.String(), func(r rune) bool {
		return unicode.IsPunct(r) || unicode.IsSymbol(r) || r == 'ㅎ' || r == 'ㅋ' || r == '~'
	})
}

var affirmWords = []string{
	"네", "넹", "넵", "넴", "녜", "예", "응", "웅", "ㅇㅇ", "ㅇ", "ㅇㅋ", "오케이", "ok", "okay", "yes", "y",
	"좋아", "좋아요", "좋습니다", "그래", "그래요", "그래주세요", "맞아", "맞아요", "맞습니다", "콜",
	"네네", "네좋아요", "네그렇게해주세요", "그렇게해주세요", "그렇게해줘", "그걸로할게요", "그걸로할게",
	"그걸로해주세요", "그걸로", "확인", "진행", "진행해주세요", "진행해줘", "결제", "결제해", "결제해줘",
	"결제해주세요", "결제할게", "결제할게요", "결제하기", "예약해줘", "예매해줘", "예매해주세요", "예매할게요",
	"주문해줘", "주문해주세요", "주문할게요", "주문할게", "이대로", "이대로해줘", "이대로주문해줘",
	"이대로결제해줘", "네결제해주세요", "네결제해줘", "응결제해줘", "부탁해요", "부탁해", "부탁드려요",
	"추가해줘", "추가할게요", "추가해주세요", "네추가해주세요", "채널추가", "채널추가할게요",
}

var denyWords = []string{
	"아니", "아니요", "아니오", "아뇨", "아니야", "ㄴㄴ", "ㄴ", "노", "no", "n", "싫어", "싫어요",
	"됐어", "됐어요", "괜찮아요", "괜찮아", "안할래", "안할래요", "안할게요", "취소", "취소할게요",
	"그만", "그만할게요", "다음에", "다음에할게요", "나중에", "나중에할게요", "안해", "안해요", "아니요괜찮아요",
	"아니요됐어요", "아니에요",
}

// isAffirm reports whether the message says yes to what was asked.
func isAffirm(r *reading) bool {
	return r.Intent == intentAffirm || saysYes(r)
}

// saysYes reports whether the words of the message say yes, whatever the
// classifier made of it.
func saysYes(r *reading) bool {
	for _, w := range affirmWords {
		if r.Compact == w {
			return true
		}
	}
	c := r.Compact
	return strings.HasPrefix(c, "네") && len([]rune(c)) <= 6 && !strings.Contains(c, "아니") ||
		strings.HasPrefix(c, "응") && len([]rune(c)) <= 4
}

// isDeny reports whether the message says no to what was asked.
func isDeny(r *reading) bool {
	return r.Intent == intentDeny || saysNo(r)
}

// saysNo reports whether the words of the message say no, whatever the
// classifier made of it.
func saysNo(r *reading) bool {
	for _, w := range denyWords {
		if r.Compact == w {
			return true
		}
	}
	return strings.HasPrefix(r.Compact, "아니") && len([]rune(r.Compact)) <= 8
}

var nativeCounts = []struct {
	word       string
	n          int
	standalone bool // a number by itself, without a counter
}{
	{"열두", 12, false}, {"열한", 11, false}, {"열", 10, false}, {"아홉", 9, true}, {"여덟", 8, true},
	{"일곱", 7, true}, {"여섯", 6, true}, {"다섯", 5, true}, {"넷", 4, true}, {"네", 4, false},
	{"셋", 3, true}, {"세", 3, false}, {"둘", 2, true}, {"두", 2, false}, {"하나", 1, true}, {"한", 1, false},
}

// leadingCount reads a count at the start of a compact text: "2", "2장",
// "두 장", "세명", "한 마리", "하나", "둘". Native numbers that only
// count with a counter (한, 두, 세, 네) need one, so that 네 (yes) and
// 세트 are not read as numbers.
func leadingCount(c string) int {
	i := 0
	for i < len(c) && c[i] >= '0' && c[i] <= '9' {
		i++
	}
	if i > 0 {
		n, err := strconv.Atoi(c[:i])
		if err == nil {
			return n
		}
	}
	for _, w := range nativeCounts {
		if !strings.HasPrefix(c, w.word) {
			continue
		}
		rest := strings.TrimPrefix(c, w.word)
		for _, unit := range counters {
			if strings.HasPrefix(rest, unit) {
				return w.n
			}
		}
		if w.standalone {
			return w.n
		}
	}
	return 0
}

var counters = []string{"장", "매", "명", "개", "마리", "판", "잔", "병", "인분", "세트", "석", "그릇", "줄", "캔", "접시", "봉지", "통"}

var ordinalWords = []struct {
	word string
	n    int
}{
	{"첫번째", 1}, {"첫째", 1}, {"처음", 1}, {"맨위", 1}, {"두번째", 2}, {"둘째", 2}, {"세번째", 3}, {"셋째", 3},
	{"네번째", 4}, {"넷째", 4}, {"다섯번째", 5}, {"다섯째", 5}, {"여섯번째", 6}, {"일곱번째", 7},
	{"여덟번째", 8}, {"아홉번째", 9}, {"열번째", 10},
}

// ordinalOf finds an ordinal reference in a compact message: 첫 번째,
// 두번째 거, 2번, 3번째. It returns 0 when there is none and -1 for 마지막.
func ordinalOf(c string) int {
	for _, w := range ordinalWords {
		if strings.Contains(c, w.word) {
			return w.n
		}
	}
	if strings.Contains(c, "마지막") || strings.Contains(c, "맨아래") {
		return -1
	}
	// A number followed by 번: 2번, 2번째, 2번거.
	for i := 0; i < len(c); i++ {
		if c[i] < '0' || c[i] > '9' {
			continue
		}
		j := i
		for j < len(c) && c[j] >= '0' && c[j] <= '9' {
			j++
		}
		if strings.HasPrefix(c[j:], "번") && (i == 0 || c[i-1] < '0' || c[i-1] > '9') {
			n, _ := strconv.Atoi(c[i:j])
			return n
		}
		i = j
	}
	return 0
}

// paymentMethodOf finds a payment method named in a compact message.
func paymentMethodOf(c string) string {
	switch {
	case strings.Contains(c, "카카오페이"), strings.Contains(c, "카페이"), strings.Contains(c, "kakaopay"),
		strings.Contains(c, "카카오"):
		return "kakaopay"
	case strings.Contains(c, "카드"), strings.Contains(c, "card"), strings.Contains(c, "신용"):
		return "card"
	}
	return ""
}

// gradeOf finds a seat grade named in a compact message.
func gradeOf(c string) string {
	c = strings.ToLower(c)
	switch {
	case strings.Contains(c, "vip"):
		return "VIP"
	case strings.Contains(c, "스탠딩"):
		return "스탠딩"
	case strings.Contains(c, "전석"):
		return "전석"
	}
	for _, g := range []string{"r", "s", "a", "b"} {
		if strings.Contains(c, g+"석") || c == g {
			return strings.ToUpper(g)
		}
	}
	return ""
}
