package assistant

import (
	"fmt"
	"strings"

	"github.com/sodam-ai/sodam"
)

// respond decides what to do with the turn: first a confirmation waiting
// for a yes, then a question waiting for an answer, then the intent.
func (c *conv) respond() *sodam.Response {
	r := c.r
	var prefix string
	if cf := c.st.Confirm; cf != nil {
		c.st.Confirm = nil
		switch {
		case c.confirms(cf):
			return c.execute(cf)
		case isDeny(r):
			return c.decline(cf)
		case cf.Kind == ConfirmOrder && r.PaymentMethod != "" && r.PaymentMethod != cf.Method &&
			(r.Intent == intentCheckout || len(r.Items) == 0):
			// 카드로 할게요: the same order with another method, asked again.
			c.st.PaymentMethod = r.PaymentMethod
			return c.checkout()
		case cf.Kind == ConfirmBooking && r.PaymentMethod != "" && r.PaymentMethod != cf.Method &&
			r.SeatGrade == "" && r.TicketCount == 0:
			// 카드로 할게요: the same seats with another method, asked again.
			c.st.PaymentMethod = r.PaymentMethod
			cf.Method = r.PaymentMethod
			c.st.Confirm = cf
			m := methodName(cf.Method)
			return &sodam.Response{Text: fmt.Sprintf("네, %s%s 결제할게요. 총 %s을 결제할까요?", m, particle(m, "으로/로"), Won(cf.Amount)),
				QuickReplies: yesNo()}
		case cf.Kind == ConfirmBooking:
			// Anything else leaves the booking: its seats go back.
			prefix = c.release(cf.BookingID)
		}
	}
	if q := c.st.Asking; q != nil {
		c.st.Asking = nil
		if resp, ok := c.answer(q); ok {
			return withPrefix(prefix, resp)
		}
	}
	return withPrefix(prefix, c.byIntent())
}

// confirms reports whether the turn says yes to cf.
func (c *conv) confirms(cf *Confirmation) bool {
	r := c.r
	if isDeny(r) {
		return false
	}
	if isAffirm(r) {
		return true
	}
	if len(r.Items) > 0 || len(r.Removals) > 0 {
		return false
	}
	if r.PaymentMethod != "" && cf.Method != "" && r.PaymentMethod != cf.Method {
		return false // another method: asked again with it
	}
	switch cf.Kind {
	case ConfirmOrder:
		return r.Intent == intentCheckout && (r.PaymentMethod == "" || r.PaymentMethod == cf.Method)
	case ConfirmBooking:
		return (r.Intent == intentCheckout || r.Intent == intentBook) && r.SeatGrade == "" && r.TicketCount == 0
	case ConfirmCancelOrder:
		return r.Intent == intentCancelOrder
	case ConfirmCancelBooking:
		return r.Intent == intentCancelBook
	case ConfirmSubscribe:
		return r.Intent == intentSubscribe
	}
	return false
}

// execute carries out a confirmed action.
func (c *conv) execute(cf *Confirmation) *sodam.Response {
	switch cf.Kind {
	case ConfirmOrder:
		return c.placeOrder(cf)
	case ConfirmBooking:
		return c.payBooking(cf)
	case ConfirmCancelOrder:
		return c.cancelOrder(cf)
	case ConfirmCancelBooking:
		return c.cancelBooking(cf)
	case ConfirmSubscribe:
		return c.subscribe(cf.ChannelID)
	}
	return c.byIntent()
}

// decline answers a no to cf: nothing is charged; a hold is released.
func (c *conv) decline(cf *Confirmation) *sodam.Response {
	switch cf.Kind {
	case ConfirmOrder:
		return &sodam.Response{
			Text:         "알겠어요, 주문하지 않을게요. 장바구니는 그대로 두었으니 필요하시면 말씀해 주세요.",
			QuickReplies: []sodam.QuickReply{qr("장바구니 보기", "장바구니 보여줘"), qr("메뉴 더 보기", "메뉴 보여줘")},
		}
	case ConfirmBooking:
		text := c.release(cf.BookingID)
		if text == "" {
			text = "알겠어요, 예매하지 않을게요."
		}
		return &sodam.Response{Text: strings.TrimSpace(text) + " 다른 날짜나 좌석이 필요하시면 말씀해 주세요."}
	case ConfirmCancelOrder:
		return &sodam.Response{Text: "알겠어요, 주문은 그대로 둘게요."}
	case ConfirmCancelBooking:
		return &sodam.Response{Text: "알겠어요, 예매는 그대로 둘게요."}
	case ConfirmSubscribe:
		c.st.Ticket = nil
		return &sodam.Response{Text: "알겠어요, 채널은 추가하지 않을게요."}
	}
	return &sodam.Response{Text: "알겠어요."}
}

// answer takes the turn as the answer to q. It reports false when the
// turn is not an answer, so that it is handled as a new request.
func (c *conv) answer(q *Question) (*sodam.Response, bool) {
	r := c.r
	switch q.Kind {
	case AskCheckout:
		switch {
		case r.Correction && (leadingCountIn(r.Compact) > 0 || len(r.Items) > 0):
			return c.modify(), true
		case isAffirm(r) && len(r.Items) == 0:
			return c.checkout(), true
		case isDeny(r):
			return &sodam.Response{Text: "네, 더 담으실 메뉴가 있으면 말씀해 주세요. 다 고르시면 '주문할게요'라고 해 주세요."}, true
		}
	case AskReplace:
		switch {
		case isAffirm(r):
			return c.addResolved(q.Items, true), true
		case isDeny(r):
			return &sodam.Response{Text: "알겠어요, 장바구니는 그대로 둘게요."}, true
		}
	case AskMerchant:
		if id := c.pick(q.Candidates, ShownMerchants); id != "" {
			return c.addItems(q.Items, id), true
		}
	case AskItem:
		if id := c.pick(q.Candidates, ShownItems); id != "" {
			w := q.Items[0]
			w.MenuItemID = id
			if len(r.Items) == 1 && r.Items[0].Quantity > 1 {
				w.Quantity = r.Items[0].Quantity
			}
			items := append([]ItemWish{w}, q.Items[1:]...)
			return c.addItems(items, c.merchantOfItem(id)), true
		}
	case AskEvent:
		if id := c.pick(q.Candidates, ShownEvents); id != "" {
			c.ticket().EventID = id
			c.mergeTicket()
			return c.continueBooking(), true
		}
	case AskSession:
		if id := c.pickSession(q.Candidates); id != "" {
			c.ticket().SessionID = id
			c.mergeTicket()
			return c.continueBooking(), true
		}
	case AskGrade:
		if g := firstNonEmpty(r.SeatGrade, gradeOf(r.Compact)); g != "" {
			c.mergeTicket()
			c.ticket().Grade = g
			return c.continueBooking(), true
		}
		if isDeny(r) {
			c.st.Ticket = nil
			return &sodam.Response{Text: "알겠어요, 예매는 하지 않을게요."}, true
		}
	case AskCount:
		n := r.TicketCount
		if n == 0 {
			n = leadingCount(r.Compact)
		}
		if n > 0 {
			c.mergeTicket()
			c.ticket().Count = n
			return c.continueBooking(), true
		}
		if isDeny(r) {
			c.st.Ticket = nil
			return &sodam.Response{Text: "알겠어요, 예매는 하지 않을게요."}, true
		}
	case AskSubscribe:
		switch {
		case isAffirm(r) || r.Intent == intentSubscribe:
			resp := c.subscribe(q.ChannelID)
			if c.st.Ticket == nil {
				return resp, true
			}
			next := c.continueBooking()
			next.Text = resp.Text + "\n" + next.Text
			return next, true
		case isDeny(r):
			c.st.Ticket = nil
			return &sodam.Response{Text: "알겠어요. 이 공연은 채널을 추가한 분만 예매할 수 있어서 예매는 하지 않았어요."}, true
		}
	}
	return nil, false
}

// pick chooses one of the candidates by what the turn says: an ordinal
// (첫 번째, 2번), a name, or a yes when there is one candidate.
func (c *conv) pick(cands []string, kind string) string {
	r := c.r
	if n := firstNonZero(r.Ordinal, ordinalOf(r.Compact)); n != 0 {
		if n == -1 {
			n = len(cands)
		}
		if n >= 1 && n <= len(cands) {
			return cands[n-1]
		}
	}
	if len(cands) == 1 && isAffirm(r) {
		return cands[0]
	}
	// A bare number answers a numbered list.
	if n := leadingCount(r.Compact); n >= 1 && n <= len(cands) && len([]rune(r.Compact)) <= 3 {
		return cands[n-1]
	}
	for _, id := range cands {
		if c.nameMatches(kind, id) {
			return id
		}
	}
	return ""
}

// byIntent handles the turn as a new request.
func (c *conv) byIntent() *sodam.Response {
	r := c.r
	if resp := c.channelTurn(); resp != nil {
		return resp
	}
	if resp := c.byReference(); resp != nil {
		return resp
	}
	switch r.Intent {
	case intentDeny, intentAffirm, intentOutOfScope, intentGreet, intentThanks:
		// Items named outright are an order whatever the classifier says
		// (스벅 아아 3잔).
		if len(r.Items) > 0 && !saysYes(r) && !saysNo(r) {
			return c.add()
		}
	case intentReorder:
		// 도미노 포테이토 라지 한 판: items without 늘, 지난번, 다시 … are a
		// new order.
		if len(r.Items) > 0 && !containsAny(r.Compact, "늘", "지난", "저번", "똑같", "다시", "또", "먹던", "시키던", "그대로") {
			return c.add()
		}
	case intentComplaint:
		if r.ComplaintType == "" && complaintTypeOf(r.Compact) == "other" && len(r.Items) > 0 && c.wantsOrder() {
			return c.add()
		}
	}
	switch r.Intent {
	case intentGreet:
		return c.greet()
	case intentGoodbye:
		return &sodam.Response{Text: "이용해 주셔서 고마워요. 좋은 하루 보내세요!"}
	case intentThanks:
		return &sodam.Response{Text: "천만에요! 더 필요한 게 있으면 언제든 말씀해 주세요."}
	case intentHelp:
		return c.help()
	case intentAffirm, intentDeny:
		return c.idleAnswer()
	case intentSearch:
		if len(r.Items) > 0 && c.wantsOrder() {
			return c.add()
		}
		return c.searchMerchants()
	case intentMenu:
		return c.menu()
	case intentPromotion:
		return c.promotions()
	case intentInfo:
		return c.merchantInfo()
	case intentAdd:
		if r.Correction {
			return c.modify()
		}
		return c.add()
	case intentModify:
		return c.modify()
	case intentCheckout:
		if len(r.Items) > 0 {
			if resp := c.add(); c.st.Asking == nil || c.st.Asking.Kind != AskCheckout {
				return resp
			}
		}
		return c.checkout()
	case intentStatus:
		return c.orderStatus()
	case intentCancelOrder:
		return c.askCancelOrder()
	case intentReorder:
		return c.reorder()
	case intentEvent:
		if c.wantsBooking() {
			return c.book()
		}
		return c.searchEvents()
	case intentBook:
		return c.book()
	case intentCancelBook:
		return c.askCancelBooking()
	case intentComplaint:
		return c.complain()
	case intentSubscribe:
		return c.subscribeRequest()
	}
	return c.outOfScope()
}

// byReference answers a bare pick from the last list (1번, 두 번째 거)
// that came with no other request: a store shows its menu, an item goes
// into the cart, an event or session moves the booking on.
func (c *conv) byReference() *sodam.Response {
	r, sh := c.r, c.st.Shown
	if sh == nil || len(r.Items) > 0 || len([]rune(r.Compact)) > 12 {
		return nil
	}
	switch r.Intent {
	case intentOutOfScope, intentAffirm, intentMenu, intentSearch, intentAdd, intentEvent, intentBook:
	default:
		return nil
	}
	n := firstNonZero(r.Ordinal, ordinalOf(r.Compact))
	if n == 0 && len([]rune(r.Compact)) <= 3 {
		n = leadingCount(r.Compact)
	}
	if n == -1 {
		n = len(sh.IDs)
	}
	if n < 1 || n > len(sh.IDs) {
		return nil
	}
	id := sh.IDs[n-1]
	switch sh.Kind {
	case ShownMerchants:
		if r.Intent == intentAdd || r.Intent == intentSearch {
			return nil
		}
		c.st.MerchantID = id
		c.r.MerchantIDs = []string{id}
		return c.menu()
	case ShownItems:
		q := max(1, leadingCountIn(strings.TrimPrefix(r.Compact, fmt.Sprint(n))))
		return c.addItems([]ItemWish{{MenuItemID: id, Quantity: q}}, c.merchantOfItem(id))
	case ShownEvents:
		c.st.Ticket = &TicketDraft{EventID: id}
		c.mergeTicket()
		return c.continueBooking()
	case ShownSessions:
		c.ticket().SessionID = id
		return c.continueBooking()
	}
	return nil
}

// wantsOrder reports whether the message asks to order, not only to find.
func (c *conv) wantsOrder() bool {
	for _, w := range []string{"시켜", "주문", "담아", "주세요", "줘", "추가"} {
		if strings.Contains(c.r.Compact, w) {
			return true
		}
	}
	return false
}

// wantsBooking reports whether the message asks to book, not only to find.
func (c *conv) wantsBooking() bool {
	return strings.Contains(c.r.Compact, "예매") || strings.Contains(c.r.Compact, "예약") ||
		c.r.TicketCount > 0 || c.r.SeatGrade != ""
}

func (c *conv) greet() *sodam.Response {
	return &sodam.Response{
		Text: "안녕하세요! 소담이에요. 음식 주문, 할인 메뉴 찾기, 공연 예매를 도와드려요. 무엇을 도와드릴까요?",
		QuickReplies: []sodam.QuickReply{qr("근처 맛집", "근처 치킨집 찾아줘"), qr("오늘의 할인", "오늘 할인하는 메뉴 있어?"),
			qr("공연 예매", "이번 주말 공연 뭐 있어?")},
	}
}

func (c *conv) help() *sodam.Response {
	return &sodam.Response{
		Text: "이런 걸 할 수 있어요.\n" +
			"• 가게 찾기: \"근처 치킨집 찾아줘\"\n" +
			"• 주문하기: \"교촌 허니콤보 한 마리 시켜줘\"\n" +
			"• 할인 메뉴: \"오늘 할인하는 메뉴 있어?\"\n" +
			"• 공연 예매: \"아이유 콘서트 R석 두 장 예매해줘\"\n" +
			"• 주문 확인·취소, 다시 주문하기, 불편 사항 접수도 도와드려요.",
		QuickReplies: []sodam.QuickReply{qr("근처 맛집", "근처 맛집 찾아줘"), qr("공연 예매", "공연 뭐 있어?")},
	}
}

func (c *conv) outOfScope() *sodam.Response {
	return &sodam.Response{
		Text:         "죄송해요, 그건 제가 도와드리기 어려워요. 음식 주문이나 공연 예매라면 도와드릴 수 있어요.",
		QuickReplies: []sodam.QuickReply{qr("도움말", "뭐 할 수 있어?")},
	}
}

// idleAnswer answers a yes or a no that nothing was waiting for.
func (c *conv) idleAnswer() *sodam.Response {
	if isDeny(c.r) {
		return &sodam.Response{Text: "알겠어요. 필요한 게 있으면 언제든 말씀해 주세요."}
	}
	return &sodam.Response{Text: "네! 무엇을 도와드릴까요?", QuickReplies: c.greet().QuickReplies}
}

func withPrefix(prefix string, r *sodam.Response) *sodam.Response {
	if prefix != "" {
		r.Text = strings.TrimSpace(prefix) + "\n" + r.Text
	}
	return r
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func firstNonZero(n ...int) int {
	for _, v := range n {
		if v != 0 {
			return v
		}
	}
	return 0
}
