package assistant

import (
	"context"
	"fmt"
	"strings"

	"github.com/sodam-ai/sodam"
)

// Questions the catalog cannot answer (주차 돼요?, 공연 중 입장 가능해요?,
// 반려동물 데려가도 돼요?, 포장 할인 돼요?) are not guessed at: they go to
// the inquiry inbox of the store or event channel the conversation is
// about, with the conversation before them, and the channel's answer
// reaches the user's chat later. The catalog answers hours, delivery
// fee, minimum order, address and phone; those stay with merchantInfo.

// InquirySink forwards a user's question to a channel's inquiry inbox.
// The merchant side implements it (merchant.Service.Ask behind a small
// adapter).
type InquirySink interface {
	// Ask stores the question for the channel (a merchant id or an event
	// channel id) with history, the conversation before it, oldest first.
	// An unknown channel is ENOTFOUND; an empty or overlong question is
	// EINVALID. Each call is a new inquiry.
	Ask(ctx context.Context, userID, channelID, question string, history []string) error
}

// WithInquiries makes the assistant forward questions that the catalog
// does not answer to the channel they are about. Without it such
// questions get the store's catalog information, as before.
func WithInquiries(s InquirySink) Option { return func(a *Assistant) { a.inquiries = s } }

// InquiryDraft is a question to forward that waits for the user to say
// which store or event channel it is for.
type InquiryDraft struct {
	Question string `json:"question"`
	// EventFirst tells that the question is about an event (입장, 좌석)
	// rather than a store.
	EventFirst bool `json:"event_first,omitempty"`
}

// inquiryHistory is how many earlier exchanges go with a question.
const inquiryHistory = 3

// catalogWords name what the catalog answers about a store: its hours,
// delivery fee, minimum order, address and phone.
var catalogWords = []string{
	"몇시", "시까지", "시에", "영업", "열어", "열었", "문열", "여나", "여는", "닫", "마감", "오픈", "쉬어", "쉬는", "쉬나", "휴무", "24시간", "새벽",
	"라스트오더", "언제까지", "배달비", "배달팁", "배달료", "배송비", "최소", "이상시켜", "이상주문",
	"주소", "위치", "어디에있", "어디있", "전화", "번호", "연락처", "정보",
}

// questionCues mark a message that asks something (besides a question
// mark, which compact text loses).
var questionCues = []string{
	"돼", "되나", "될까", "되요", "됨", "가능", "있어", "있나", "있을까", "있는지", "하나요", "인가요", "나요", "까요", "해도", "괜찮",
	"걸려", "걸리",
}

// inquiryTopics are what a store or an event channel may be asked that
// the catalog knows nothing of. Outside merchant_info only a question
// about one of these is forwarded.
var inquiryTopics = []string{
	"주차", "입장", "반려", "애견", "포장", "단체", "유모차", "휠체어", "와이파이", "콘센트", "화장실",
	"흡연", "촬영", "사진", "녹음", "물품보관", "짐보관", "반입", "키즈", "어린이", "노키즈", "매장식사", "인터미션", "러닝타임",
	"현장할인", "학생할인", "군인할인", "경로할인", "장애인",
}

// eventWords mark a question about an event rather than a store.
var eventWords = []string{"공연", "입장", "관람", "좌석", "티켓", "굿즈", "촬영", "콘서트", "뮤지컬", "연극", "팬미팅", "인터미션", "러닝타임", "예매"}

// channelTurn answers the turn when it is about channels rather than the
// intent's own flow: a question to forward to a channel, or the user's
// channel news. It returns nil otherwise. A question waiting for its
// channel is taken up, or dropped, by this turn.
func (c *conv) channelTurn() *sodam.Response {
	if resp := c.inquiry(); resp != nil {
		return resp
	}
	return c.news()
}

// inquiry forwards the turn's question, or the one waiting for its
// channel, when it is one the catalog does not answer.
func (c *conv) inquiry() *sodam.Response {
	if c.a.inquiries == nil {
		c.st.Inquiry = nil
		return nil
	}
	if d := c.st.Inquiry; d != nil {
		c.st.Inquiry = nil
		if ch, name := c.namedChannel(d.EventFirst); ch != "" {
			return c.forward(ch, name, d.Question)
		}
	}
	if !c.isInquiry() {
		return nil
	}
	eventFirst := c.aboutEvent()
	ch, name := c.namedChannel(eventFirst)
	if ch == "" {
		ch, name = c.contextChannel(eventFirst)
	}
	if ch == "" {
		if _, _, cands := c.explicitMerchant(); cands != nil {
			// Several stores fit the name: the list lets 1번 pick one.
			resp := c.askMerchant(cands, nil, "어느 가게에 문의할까요?")
			c.st.Asking = nil
			c.st.Inquiry = &InquiryDraft{Question: c.r.Text, EventFirst: eventFirst}
			return resp
		}
		c.st.Inquiry = &InquiryDraft{Question: c.r.Text, EventFirst: eventFirst}
		what := "가게"
		if eventFirst {
			what = "공연"
		}
		return &sodam.Response{Text: fmt.Sprintf("어느 %s에 문의할까요? %s 이름을 말씀해 주시면 문의를 전달해 드릴게요.", what, what)}
	}
	return c.forward(ch, name, c.r.Text)
}

// isInquiry reports whether the turn asks a store or an event channel
// something the catalog does not answer.
func (c *conv) isInquiry() bool {
	r := c.r
	asks := strings.Contains(r.Text, "?") || containsAny(r.Compact, questionCues...)
	if !asks || len(r.Removals) > 0 || len([]rune(r.Compact)) < 4 {
		return false
	}
	switch r.Intent {
	case intentInfo:
		if r.PaymentMethod != "" {
			return false // how to pay is the service's to answer
		}
		return !containsAny(r.Compact, catalogWords...)
	case intentOutOfScope, intentPromotion, intentEvent, intentHelp:
		return containsAny(c.withoutEventNames(), inquiryTopics...)
	}
	return false
}

// withoutEventNames is the compact text without the titles of the events
// it names, whose words (연극 〈옥탑방 고양이〉) are no topic of a question.
func (c *conv) withoutEventNames() string {
	text := c.r.Compact
	v := c.a.catalog(c.ctx)
	for _, id := range c.r.EventIDs {
		if e := v.eventByID[id]; e != nil {
			title := fold(e.Title)
			if _, inner, ok := strings.Cut(title, "〈"); ok {
				inner, _, _ = strings.Cut(inner, "〉")
				text = strings.ReplaceAll(text, inner, "")
			}
			text = strings.ReplaceAll(text, title, "")
		}
	}
	return text
}

// aboutEvent reports whether the question is about an event.
func (c *conv) aboutEvent() bool {
	return c.r.Intent == intentEvent || c.r.Intent == intentBook || containsAny(c.r.Compact, eventWords...)
}

// namedChannel returns the channel the turn names: a store (one branch
// of a brand, the nearest), or the channel of a named event; the event's
// first when eventFirst. It returns "" when the turn names none.
func (c *conv) namedChannel(eventFirst bool) (id, name string) {
	merchant := func() (string, string) {
		if id, _, _ := c.explicitMerchant(); id != "" {
			return id, c.merchantName(id)
		}
		return "", ""
	}
	event := func() (string, string) {
		v := c.a.catalog(c.ctx)
		for _, eid := range c.r.EventIDs {
			if e := v.eventByID[eid]; e != nil && e.ChannelID != "" {
				return e.ChannelID, firstNonEmpty(e.ChannelName, e.Title)
			}
		}
		return "", ""
	}
	first, second := merchant, event
	if eventFirst {
		first, second = event, merchant
	}
	if id, name := first(); id != "" {
		return id, name
	}
	return second()
}

// contextChannel returns the channel the conversation is about: the
// store being ordered from or looked at, or the event being booked; the
// event's first when eventFirst.
func (c *conv) contextChannel(eventFirst bool) (id, name string) {
	merchant := func() (string, string) {
		if id := c.contextMerchant(); id != "" {
			return id, c.merchantName(id)
		}
		return "", ""
	}
	event := func() (string, string) {
		if c.st.Ticket == nil {
			return "", ""
		}
		if e := c.a.catalog(c.ctx).eventByID[c.st.Ticket.EventID]; e != nil && e.ChannelID != "" {
			return e.ChannelID, firstNonEmpty(e.ChannelName, e.Title)
		}
		return "", ""
	}
	first, second := merchant, event
	if eventFirst {
		first, second = event, merchant
	}
	if id, name := first(); id != "" {
		return id, name
	}
	return second()
}

// forward sends question to the channel's inquiry inbox with the
// conversation before it.
func (c *conv) forward(channelID, name, question string) *sodam.Response {
	if err := c.a.inquiries.Ask(c.ctx, c.user, channelID, question, c.inquiryHistory()); err != nil {
		if sodam.ErrorCode(err) == sodam.EINVALID {
			return &sodam.Response{Text: sodam.ErrorMessage(err)}
		}
		c.a.log.Error("assistant: forward an inquiry", "user", c.user, "channel", channelID, "err", err)
		return &sodam.Response{Text: "문의를 전달하지 못했어요. 잠시 뒤에 다시 말씀해 주세요."}
	}
	if c.a.catalog(c.ctx).byID[channelID] != nil {
		c.st.MerchantID = channelID
	}
	return &sodam.Response{Text: fmt.Sprintf("%s에 문의를 전달했어요. 답변이 오면 알려 드릴게요.", name)}
}

// inquiryHistory is the conversation before the turn, oldest first, as
// the channel reads it.
func (c *conv) inquiryHistory() []string {
	h := c.st.History
	if len(h) > inquiryHistory {
		h = h[len(h)-inquiryHistory:]
	}
	var out []string
	for _, x := range h {
		out = append(out, "고객: "+clip(x.User, 200))
		if x.Reply != "" {
			out = append(out, "소담: "+clip(firstLine(x.Reply), 200))
		}
	}
	return out
}

// clip shortens s to at most n characters, marking a cut with "…".
func clip(s string, n int) string {
	rs := []rune(strings.TrimSpace(s))
	if len(rs) <= n {
		return string(rs)
	}
	return string(rs[:n-1]) + "…"
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
