package assistant

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/tools"
)

// ticket returns the booking being put together, starting one if needed.
func (c *conv) ticket() *TicketDraft {
	if c.st.Ticket == nil {
		c.st.Ticket = &TicketDraft{}
	}
	return c.st.Ticket
}

// mergeTicket takes what the message says about a booking into the draft.
// Naming another event starts the draft afresh.
func (c *conv) mergeTicket() {
	r := c.r
	d := c.ticket()
	if sh := c.st.Shown; sh != nil && sh.Kind == ShownEvents {
		if n := firstNonZero(r.Ordinal, ordinalOf(r.Compact)); n >= 1 && n <= len(sh.IDs) {
			if d.EventID != sh.IDs[n-1] {
				*d = TicketDraft{EventID: sh.IDs[n-1]}
			}
		}
	}
	if ids := uniqueSorted(r.EventIDs); len(ids) > 0 && !contains(ids, d.EventID) {
		*d = TicketDraft{}
		if len(ids) == 1 {
			d.EventID = ids[0]
		}
	} else if len(ids) == 0 && d.EventID != "" && (r.Performer != "" || r.Event != "") && !c.eventNamed(d.EventID) {
		*d = TicketDraft{}
	}
	if r.Datetime != nil {
		t := r.Datetime.In(sodam.Seoul)
		day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, sodam.Seoul)
		to := day.AddDate(0, 0, 1)
		if containsAny(r.Compact, "주말") {
			to = day.AddDate(0, 0, 2)
		}
		d.From, d.To = &day, &to
		d.SessionID = ""
		if t.Hour() != 0 || t.Minute() != 0 {
			at := t
			d.At = &at
		} else {
			d.At = nil
		}
	}
	if g := firstNonEmpty(r.SeatGrade, gradeOf(r.Compact)); g != "" {
		d.Grade = g
	}
	if r.TicketCount > 0 {
		d.Count = r.TicketCount
	}
}

// eventNamed reports whether the message names the event id.
func (c *conv) eventNamed(id string) bool { return c.nameMatches(ShownEvents, id) }

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// book starts or continues a booking with what the message says.
func (c *conv) book() *sodam.Response {
	c.mergeTicket()
	return c.continueBooking()
}

// searchEvents lists events that fit the message.
func (c *conv) searchEvents() *sodam.Response {
	c.mergeTicket()
	d := c.ticket()
	evs, err := c.findEvents(d)
	if err != nil {
		return c.fail(err)
	}
	if len(evs) == 0 {
		return &sodam.Response{Text: "찾으시는 공연이 없어요. 다른 날짜나 공연 이름으로 찾아볼까요?"}
	}
	if len(evs) == 1 {
		d.EventID = evs[0].Event.ID
	}
	return c.eventsReply(evs, "")
}

// findEvents searches events by the message and the draft's dates, the
// parser's links first.
func (c *conv) findEvents(d *TicketDraft) ([]tools.EventResult, error) {
	r := c.r
	in := tools.SearchEventsInput{Query: r.Event, Performer: r.Performer, Venue: r.Venue, Location: r.Location,
		From: d.From, To: d.To, Limit: 10}
	if isEventCategory(r.Category) {
		in.Category = r.Category
	}
	if in.Query == "" && in.Performer == "" && in.Venue == "" && in.Category == "" && len(r.EventIDs) == 0 && in.From == nil {
		in.Query = r.Text
	}
	out, err := c.a.tools.SearchEvents(c.ctx, c.user, in)
	if err != nil {
		return nil, err
	}
	evs := out.Events
	if ids := uniqueSorted(r.EventIDs); len(ids) > 0 {
		var linked []tools.EventResult
		for _, e := range evs {
			if contains(ids, e.Event.ID) {
				linked = append(linked, e)
			}
		}
		if len(linked) > 0 {
			evs = linked
		}
	}
	return evs, nil
}

func (c *conv) eventsReply(evs []tools.EventResult, lead string) *sodam.Response {
	ids := make([]string, len(evs))
	list := &sodam.ListCard{Title: "공연"}
	var cards []sodam.Card
	var qrs []sodam.QuickReply
	for i, e := range evs {
		ids[i] = e.Event.ID
		desc := e.Event.Venue
		if len(e.Sessions) > 0 {
			desc = KoreanTime(e.Sessions[0].StartsAt) + " · " + desc
			if len(e.Sessions) > 1 {
				desc += fmt.Sprintf(" 외 %d회", len(e.Sessions)-1)
			}
		}
		list.Items = append(list.Items, sodam.ListItem{Title: fmt.Sprintf("%d. %s", i+1, e.Event.Title),
			Description: desc, MessageText: fmt.Sprintf("%d번 예매할게요", i+1)})
		cards = append(cards, eventCard(e.Event, desc))
		if i < 5 {
			qrs = append(qrs, qr(fmt.Sprintf("%d번 예매", i+1), fmt.Sprintf("%d번 예매할게요", i+1)))
		}
	}
	c.st.Shown = &Shown{Kind: ShownEvents, IDs: ids}
	text := lead + fmt.Sprintf("공연 %d개를 찾았어요. 예매하실 공연을 골라 주세요.", len(evs))
	if len(evs) == 1 {
		text = lead + fmt.Sprintf("%s 공연이 있어요. 예매해 드릴까요?", evs[0].Event.Title)
		qrs = []sodam.QuickReply{qr("예매하기", "예매할게요")}
		c.st.Asking = &Question{Kind: AskEvent, Candidates: ids}
	} else {
		c.st.Asking = &Question{Kind: AskEvent, Candidates: ids}
	}
	return &sodam.Response{Text: text, List: list, Cards: cards, QuickReplies: qrs}
}

// continueBooking asks for what the booking still lacks, or holds the
// seats and asks to confirm the total.
func (c *conv) continueBooking() *sodam.Response {
	d := c.ticket()
	v := c.a.catalog(c.ctx)
	if d.EventID == "" {
		evs, err := c.findEvents(d)
		if err != nil {
			return c.fail(err)
		}
		switch len(evs) {
		case 0:
			c.st.Ticket = nil
			return &sodam.Response{Text: "예매하실 공연을 찾지 못했어요. 공연 이름이나 출연자를 말씀해 주세요."}
		case 1:
			d.EventID = evs[0].Event.ID
		default:
			return c.eventsReply(evs, "")
		}
	}
	ev := v.eventByID[d.EventID]
	sessions, err := c.a.tools.GetSessions(c.ctx, c.user, tools.GetSessionsInput{EventID: d.EventID, From: d.From, To: d.To})
	if err != nil {
		return c.fail(err)
	}
	if ev == nil {
		ev = sessions.Event
	}
	ss := sessions.Sessions
	if len(ss) == 0 && d.From != nil {
		all, err := c.a.tools.GetSessions(c.ctx, c.user, tools.GetSessionsInput{EventID: d.EventID})
		if err != nil {
			return c.fail(err)
		}
		d.From, d.To, d.At = nil, nil, nil
		if len(all.Sessions) == 0 {
			c.st.Ticket = nil
			return &sodam.Response{Text: ev.Title + "은(는) 예매할 수 있는 회차가 없어요."}
		}
		return c.askSession(ev, all.Sessions, "그 날짜에는 공연이 없어요. 예매할 수 있는 날짜는 이래요.\n")
	}
	if len(ss) == 0 {
		c.st.Ticket = nil
		return &sodam.Response{Text: fmt.Sprintf("%s 예매할 수 있는 회차가 없어요.", Josa(ev.Title, "은/는"))}
	}
	var sess *sodam.Session
	for _, s := range ss {
		if s.ID == d.SessionID {
			sess = s
		}
	}
	if sess == nil && d.At != nil {
		for _, s := range ss {
			if s.StartsAt.Equal(*d.At) {
				sess = s
			}
		}
	}
	if sess == nil && d.At == nil {
		// 오후 2시 said apart from the date: match the hour.
		var at []*sodam.Session
		for _, s := range ss {
			if hourSaid(c.r.Compact, s.StartsAt) {
				at = append(at, s)
			}
		}
		if len(at) == 1 {
			sess = at[0]
		}
	}
	if sess == nil && len(ss) == 1 {
		sess = ss[0]
	}
	if sess == nil {
		return c.askSession(ev, ss, "")
	}
	d.SessionID = sess.ID
	title := fmt.Sprintf("%s %s", ev.Title, KoreanTime(sess.StartsAt))
	if d.Grade == "" && len(sess.Seats) == 1 {
		for g := range sess.Seats {
			d.Grade = g
		}
	}
	if d.Grade == "" {
		return c.askGrade(sess, title+" 공연이에요. 어떤 좌석으로 할까요?")
	}
	grade, seat, ok := sess.Grade(d.Grade)
	if !ok {
		bad := d.Grade
		d.Grade = ""
		return c.askGrade(sess, fmt.Sprintf("%s은 없어요. 다른 좌석을 골라 주세요.", gradeLabel(bad)))
	}
	if d.Count > 0 && seat.Available < d.Count || seat.Available == 0 {
		d.Grade = ""
		msg := fmt.Sprintf("죄송해요, %s은 매진됐어요.", gradeLabel(grade))
		if seat.Available > 0 {
			msg = fmt.Sprintf("죄송해요, %s은 %d석만 남았어요.", gradeLabel(grade), seat.Available)
		}
		return c.askGrade(sess, msg+" 다른 좌석으로 할까요?")
	}
	if d.Count == 0 {
		c.st.Asking = &Question{Kind: AskCount}
		return &sodam.Response{Text: fmt.Sprintf("%s(%s)으로 몇 장 예매할까요?", gradeLabel(grade), Won(seat.Price)),
			QuickReplies: []sodam.QuickReply{qr("1장", "1장"), qr("2장", "2장"), qr("3장", "3장"), qr("4장", "4장")}}
	}
	if ev.SubscriberOnly && ev.ChannelID != "" && !c.subscribed(ev.ChannelID) {
		return c.askSubscribe(ev)
	}
	out, err := c.a.tools.BookTickets(c.ctx, c.user, tools.BookTicketsInput{SessionID: sess.ID, SeatGrade: grade, TicketCount: d.Count})
	if err != nil {
		switch sodam.ErrorCode(err) {
		case sodam.EUNAUTHORIZED:
			return c.askSubscribe(ev)
		case sodam.ECONFLICT:
			d.Grade = ""
			return c.askGrade(sess, sodam.ErrorMessage(err))
		}
		return c.fail(err)
	}
	b := out.Booking
	c.st.LastBookingID = b.ID
	method := firstNonEmpty(c.st.PaymentMethod, c.r.PaymentMethod, string(sodam.PayKakaoPay))
	c.st.Confirm = &Confirmation{Kind: ConfirmBooking, Amount: b.Total, BookingID: b.ID, Method: method}
	text := fmt.Sprintf("%s\n%s %d장, 총 %s이에요. 좌석을 잠시 잡아 두었어요. %s%s 결제할까요?",
		title, gradeLabel(grade), b.TicketCount, Won(b.Total), methodName(method), particle(methodName(method), "으로/로"))
	return &sodam.Response{Text: text, Cards: []sodam.Card{bookingCard(ev, sess, b)}, QuickReplies: yesNo()}
}

// subscribed reports whether the user has added the channel. Without
// Records it answers true, and the booking tool decides.
func (c *conv) subscribed(ch string) bool {
	u := c.userProfile()
	if u == nil {
		return c.a.records == nil
	}
	return u.Subscribed(ch)
}

func (c *conv) askSubscribe(ev *sodam.Event) *sodam.Response {
	c.st.Asking = &Question{Kind: AskSubscribe, ChannelID: ev.ChannelID}
	name := firstNonEmpty(ev.ChannelName, "공연사")
	return &sodam.Response{
		Text:         fmt.Sprintf("%s 공연은 %s 채널을 추가한 분만 예매할 수 있어요. 채널을 추가하고 이어서 예매할까요?", ev.Title, name),
		QuickReplies: []sodam.QuickReply{qr("채널 추가", "네"), qr("아니요", "아니요")},
	}
}

func (c *conv) askSession(ev *sodam.Event, ss []*sodam.Session, lead string) *sodam.Response {
	ids := make([]string, len(ss))
	list := &sodam.ListCard{Title: ev.Title + " 회차"}
	var qrs []sodam.QuickReply
	for i, s := range ss {
		ids[i] = s.ID
		label := KoreanTime(s.StartsAt)
		list.Items = append(list.Items, sodam.ListItem{Title: fmt.Sprintf("%d. %s", i+1, label),
			Description: seatSummary(s), MessageText: fmt.Sprintf("%d번", i+1)})
		if i < 10 {
			qrs = append(qrs, qr(label, fmt.Sprintf("%d번", i+1)))
		}
	}
	c.st.Shown = &Shown{Kind: ShownSessions, IDs: ids}
	c.st.Asking = &Question{Kind: AskSession, Candidates: ids}
	return &sodam.Response{Text: lead + "언제 공연으로 예매할까요?", List: list, QuickReplies: qrs}
}

func (c *conv) askGrade(s *sodam.Session, lead string) *sodam.Response {
	grades := make([]string, 0, len(s.Seats))
	for g := range s.Seats {
		grades = append(grades, g)
	}
	sort.Slice(grades, func(i, j int) bool {
		if s.Seats[grades[i]].Price != s.Seats[grades[j]].Price {
			return s.Seats[grades[i]].Price > s.Seats[grades[j]].Price
		}
		return grades[i] < grades[j]
	})
	list := &sodam.ListCard{Title: "좌석"}
	var qrs []sodam.QuickReply
	for _, g := range grades {
		seat := s.Seats[g]
		left := fmt.Sprintf("%d석 남음", seat.Available)
		if seat.Available == 0 {
			left = "매진"
		}
		list.Items = append(list.Items, sodam.ListItem{Title: gradeLabel(g) + " " + Won(seat.Price), Description: left, MessageText: gradeLabel(g)})
		if seat.Available > 0 {
			qrs = append(qrs, qr(gradeLabel(g), gradeLabel(g)))
		}
	}
	c.st.Asking = &Question{Kind: AskGrade}
	return &sodam.Response{Text: lead, List: list, QuickReplies: qrs}
}

// pickSession chooses a session by ordinal, by date and time, or by time.
func (c *conv) pickSession(cands []string) string {
	if id := c.pick(cands, ShownSessions); id != "" {
		return id
	}
	r := c.r
	if r.Datetime == nil {
		return ""
	}
	t := r.Datetime.In(sodam.Seoul)
	var sameDay []string
	for _, id := range cands {
		s, err := c.a.records.Session(c.ctx, id)
		if err != nil {
			continue
		}
		st := s.StartsAt.In(sodam.Seoul)
		if st.Equal(t) {
			return id
		}
		if st.Year() == t.Year() && st.YearDay() == t.YearDay() {
			sameDay = append(sameDay, id)
		}
	}
	if len(sameDay) == 1 {
		return sameDay[0]
	}
	return ""
}

func (c *conv) payBooking(cf *Confirmation) *sodam.Response {
	pay, err := c.a.tools.Pay(c.ctx, c.user, tools.PayInput{BookingID: cf.BookingID, Method: cf.Method})
	if err != nil {
		return c.fail(err)
	}
	c.st.Ticket = nil
	what := "예매"
	var cards []sodam.Card
	if b := pay.Booking; b != nil {
		if ev := c.a.catalog(c.ctx).eventByID[b.EventID]; ev != nil {
			what = ev.Title + " 예매"
			if s, err := c.sessionOf(b.SessionID); err == nil {
				cards = []sodam.Card{bookingCard(ev, s, b)}
			}
		}
	}
	return c.paidReply(pay, what, cards)
}

func (c *conv) sessionOf(id string) (*sodam.Session, error) {
	if c.a.records == nil {
		return nil, fmt.Errorf("no records")
	}
	return c.a.records.Session(c.ctx, id)
}

// release cancels a held booking the user walked away from, returning its
// seats, and says so.
func (c *conv) release(bookingID string) string {
	if bookingID == "" {
		return ""
	}
	if _, err := c.a.tools.CancelBooking(c.ctx, c.user, tools.CancelBookingInput{BookingID: bookingID}); err != nil {
		c.a.log.Warn("assistant: release hold", "user", c.user, "booking", bookingID, "err", err)
		return ""
	}
	return "잡아 두었던 좌석은 취소했어요."
}

func (c *conv) askCancelBooking() *sodam.Response {
	var target *sodam.Booking
	if c.a.records != nil {
		bs, err := c.a.records.BookingsByUser(c.ctx, c.user)
		if err != nil {
			return c.fail(err)
		}
		for i := len(bs) - 1; i >= 0; i-- {
			if bs[i].Status == sodam.BookingPaid || bs[i].Status == sodam.BookingHeld {
				if ids := c.r.EventIDs; len(ids) > 0 && !contains(ids, bs[i].EventID) {
					continue
				}
				target = bs[i]
				break
			}
		}
	}
	if target == nil {
		return &sodam.Response{Text: "취소할 수 있는 예매가 없어요."}
	}
	title := "공연"
	if ev := c.a.catalog(c.ctx).eventByID[target.EventID]; ev != nil {
		title = ev.Title
	}
	when := ""
	if s, err := c.sessionOf(target.SessionID); err == nil {
		when = " " + KoreanTime(s.StartsAt)
	}
	c.st.Confirm = &Confirmation{Kind: ConfirmCancelBooking, Amount: target.Total, BookingID: target.ID}
	refund := ""
	if target.Status == sodam.BookingPaid {
		refund = fmt.Sprintf(" 결제하신 %s은 환불돼요.", Won(target.Total))
	}
	return &sodam.Response{Text: fmt.Sprintf("%s%s %s %d장 예매를 취소할까요?%s", title, when, gradeLabel(target.SeatGrade), target.TicketCount, refund),
		QuickReplies: yesNo()}
}

func (c *conv) cancelBooking(cf *Confirmation) *sodam.Response {
	out, err := c.a.tools.CancelBooking(c.ctx, c.user, tools.CancelBookingInput{BookingID: cf.BookingID})
	if err != nil {
		return c.fail(err)
	}
	text := "예매를 취소했어요."
	if out.Refund != nil {
		text += fmt.Sprintf(" 결제하신 %s은 환불 처리했어요.", Won(out.Refund.Amount))
	}
	return &sodam.Response{Text: text}
}

func seatSummary(s *sodam.Session) string {
	grades := make([]string, 0, len(s.Seats))
	for g := range s.Seats {
		grades = append(grades, g)
	}
	sort.Slice(grades, func(i, j int) bool { return s.Seats[grades[i]].Price > s.Seats[grades[j]].Price })
	out := ""
	for i, g := range grades {
		if i > 0 {
			out += " · "
		}
		out += gradeLabel(g) + " " + Won(s.Seats[g].Price)
	}
	return out
}

// gradeLabel names a seat grade as people say it: R석, VIP석, 전석, 스탠딩.
func gradeLabel(g string) string {
	if g == "전석" || g == "스탠딩" || strings.HasSuffix(g, "석") {
		return g
	}
	return g + "석"
}

// hourSaid reports whether the compact text names the hour of t: 7시,
// 저녁 7시, 오후 7시 반, 19시, 7시 30분.
func hourSaid(text string, t time.Time) bool {
	t = t.In(sodam.Seoul)
	h, m := t.Hour(), t.Minute()
	h12 := h % 12
	if h12 == 0 {
		h12 = 12
	}
	forms := []string{fmt.Sprintf("%d시", h)}
	if h >= 12 {
		forms = append(forms, fmt.Sprintf("오후%d시", h12), fmt.Sprintf("저녁%d시", h12), fmt.Sprintf("밤%d시", h12), fmt.Sprintf("낮%d시", h12))
	} else {
		forms = append(forms, fmt.Sprintf("오전%d시", h12), fmt.Sprintf("아침%d시", h12))
	}
	for _, f := range forms {
		i := strings.Index(text, f)
		if i < 0 || (i > 0 && isDigitRune(rune(text[i-1]))) {
			continue
		}
		rest := text[i+len(f):]
		j := 0
		for j < len(rest) && isDigitRune(rune(rest[j])) {
			j++
		}
		saysMinutes := strings.HasPrefix(rest, "반") || j > 0 && strings.HasPrefix(rest[j:], "분")
		switch {
		case m == 0:
			if !saysMinutes {
				return true
			}
		case m == 30 && strings.HasPrefix(rest, "반"):
			return true
		case strings.HasPrefix(rest, fmt.Sprintf("%d분", m)):
			return true
		}
	}
	return false
}
