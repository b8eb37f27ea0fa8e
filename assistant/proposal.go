package assistant

import (
	"context"
	"fmt"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/tools"
)

// Proposal is an action that another planner (a language model) wants
// done on the user's behalf and that needs the user's yes: placing and
// paying the cart, holding and buying seats, cancelling, adding a channel.
// The assistant does not carry it out. Propose prices it with the tools,
// stores it as the pending Confirmation exactly as the dialogue's own
// flows do, and asks; only the user's affirmation in the next turn, read by
// the dialogue, runs it. A proposal therefore can never spend more, or do
// anything else, than what the user saw and agreed to.
type Proposal struct {
	// Kind is one of the Confirm* kinds.
	Kind string `json:"kind"`
	// Method and Address apply to ConfirmOrder and ConfirmBooking; empty
	// means the conversation's choice, then kakaopay and the user's
	// address.
	Method  string `json:"method,omitempty"`
	Address string `json:"address,omitempty"`
	// SessionID, SeatGrade and TicketCount name seats for a new booking
	// (ConfirmBooking without BookingID): the seats are held, as the
	// dialogue does before asking, and the hold is released on a no.
	SessionID   string `json:"session_id,omitempty"`
	SeatGrade   string `json:"seat_grade,omitempty"`
	TicketCount int    `json:"ticket_count,omitempty"`
	// BookingID names a held booking to pay (ConfirmBooking) or a booking
	// to cancel (ConfirmCancelBooking; the latest when empty).
	BookingID string `json:"booking_id,omitempty"`
	// OrderID names the order to cancel (ConfirmCancelOrder; the latest
	// cancellable one when empty).
	OrderID string `json:"order_id,omitempty"`
	// ChannelID names the channel to add (ConfirmSubscribe).
	ChannelID string `json:"channel_id,omitempty"`
}

// Propose answers turn t with the confirmation question for p and leaves
// p pending, as if the dialogue had reached it itself: the amount is the
// one the tools compute now (the quoted cart total, the seat price times
// the count, the paid amount to refund), never one the proposer states.
// The turn is recorded in the history and, when it has a MessageID, in the
// reply cache. A proposal that cannot go ahead (an empty cart, a closed
// store, sold-out seats) is answered with the reason and leaves nothing
// pending. Errors: EINVALID for an unknown kind or missing fields (nothing
// is recorded); errors of the dialogue store.
func (a *Assistant) Propose(ctx context.Context, t sodam.Turn, p Proposal) (*sodam.Response, error) {
	const op = "assistant.Propose"
	if t.UserID == "" {
		return nil, &sodam.Error{Code: sodam.EINVALID, Op: op, Message: "사용자를 알 수 없어요."}
	}
	switch p.Kind {
	case ConfirmOrder, ConfirmCancelOrder, ConfirmCancelBooking:
	case ConfirmBooking:
		if p.BookingID == "" && (p.SessionID == "" || p.SeatGrade == "" || p.TicketCount <= 0) {
			return nil, &sodam.Error{Code: sodam.EINVALID, Op: op, Message: "예매할 회차, 좌석 등급, 매수가 필요해요."}
		}
	case ConfirmSubscribe:
		if p.ChannelID == "" {
			return nil, &sodam.Error{Code: sodam.EINVALID, Op: op, Message: "추가할 채널이 필요해요."}
		}
	default:
		return nil, &sodam.Error{Code: sodam.EINVALID, Op: op, Message: "확인할 수 없는 요청이에요.", Err: fmt.Errorf("unknown proposal kind %q", p.Kind)}
	}
	unlock := a.lockUser(t.UserID)
	defer unlock()
	st, err := loadState(ctx, a.states, a.stateCache, t.UserID)
	if err != nil {
		return nil, err
	}
	if r, ok := st.cached(t.MessageID); ok {
		return r, nil
	}
	now := a.clock.Now()
	// The reading carries only what the proposal says: the user's text is
	// not read again, so that nothing in it widens the proposal.
	rd := &reading{Text: t.Text, PaymentMethod: p.Method, Address: p.Address}
	c := &conv{a: a, ctx: ctx, st: st, user: t.UserID, r: rd, now: now}
	var prefix string
	if cf := st.Confirm; cf != nil {
		// A newer proposal replaces the pending one; held seats go back.
		st.Confirm = nil
		if cf.Kind == ConfirmBooking {
			prefix = c.release(cf.BookingID)
		}
	}
	st.Asking = nil
	resp, intent := c.propose(p)
	resp = withPrefix(prefix, resp)
	resp.Intent, resp.Confidence = intent, 1
	st.remember(t, resp, now)
	if err := saveState(ctx, a.states, a.stateCache, st); err != nil {
		return nil, err
	}
	return resp, nil
}

// propose reaches the confirmation question of p through the dialogue's
// own steps and returns it with the intent it stands for.
func (c *conv) propose(p Proposal) (*sodam.Response, string) {
	switch p.Kind {
	case ConfirmOrder:
		if p.Method != "" {
			c.st.PaymentMethod = p.Method
		}
		return c.checkout(), intentCheckout
	case ConfirmBooking:
		if p.Method != "" {
			c.st.PaymentMethod = p.Method
		}
		if p.BookingID != "" {
			return c.proposeHeldBooking(p.BookingID, p.Method), intentBook
		}
		sess, err := c.sessionFor(p.SessionID)
		if err != nil {
			return c.fail(err), intentBook
		}
		c.st.Ticket = &TicketDraft{EventID: sess.EventID, SessionID: sess.ID, Grade: p.SeatGrade, Count: p.TicketCount}
		return c.continueBooking(), intentBook
	case ConfirmCancelOrder:
		return c.proposeCancelOrder(p.OrderID), intentCancelOrder
	case ConfirmCancelBooking:
		if p.BookingID == "" {
			return c.askCancelBooking(), intentCancelBook
		}
		return c.proposeCancelBooking(p.BookingID), intentCancelBook
	case ConfirmSubscribe:
		return c.proposeSubscribe(p.ChannelID), intentSubscribe
	}
	return c.outOfScope(), intentOutOfScope
}

// sessionFor finds a session through the records or, without them,
// through the event search of the tools.
func (c *conv) sessionFor(id string) (*sodam.Session, error) {
	if c.a.records != nil {
		s, err := c.a.records.Session(c.ctx, id)
		if sodam.IsCode(err, sodam.ENOTFOUND) {
			return nil, &sodam.Error{Code: sodam.ENOTFOUND, Op: "assistant.Propose", Message: "그 회차를 찾지 못했어요.", Err: err}
		}
		return s, err
	}
	return nil, &sodam.Error{Code: sodam.EUNAVAILABLE, Op: "assistant.Propose", Message: "회차를 확인할 수 없어요."}
}

// proposeHeldBooking asks to pay a booking the user holds.
func (c *conv) proposeHeldBooking(id, method string) *sodam.Response {
	b, ok := c.userBooking(id)
	if !ok || b.Status != sodam.BookingHeld {
		return &sodam.Response{Text: "결제할 수 있는 예매를 찾지 못했어요."}
	}
	method = firstNonEmpty(method, c.st.PaymentMethod, string(sodam.PayKakaoPay))
	c.st.LastBookingID = b.ID
	c.st.Confirm = &Confirmation{Kind: ConfirmBooking, Amount: b.Total, BookingID: b.ID, Method: method}
	title := "공연"
	if ev := c.a.catalog(c.ctx).eventByID[b.EventID]; ev != nil {
		title = ev.Title
	}
	m := methodName(method)
	return &sodam.Response{Text: fmt.Sprintf("%s %s %d장, 총 %s이에요. %s%s 결제할까요?",
		title, gradeLabel(b.SeatGrade), b.TicketCount, Won(b.Total), m, particle(m, "으로/로")),
		QuickReplies: yesNo()}
}

// proposeCancelOrder asks to cancel the named order, or the latest
// cancellable one.
func (c *conv) proposeCancelOrder(id string) *sodam.Response {
	if id == "" {
		return c.askCancelOrder()
	}
	out, err := c.a.tools.OrderStatus(c.ctx, c.user, tools.OrderStatusInput{OrderID: id})
	if err != nil {
		if sodam.IsCode(err, sodam.ENOTFOUND) {
			return &sodam.Response{Text: "취소할 주문을 찾지 못했어요."}
		}
		return c.fail(err)
	}
	o := out.Order
	if o.Status != sodam.OrderPlaced && !o.Status.InProgress() {
		return &sodam.Response{Text: "그 주문은 취소할 수 없어요."}
	}
	return c.confirmCancelOrder(o)
}

// proposeCancelBooking asks to cancel the named booking.
func (c *conv) proposeCancelBooking(id string) *sodam.Response {
	b, ok := c.userBooking(id)
	if !ok || (b.Status != sodam.BookingHeld && b.Status != sodam.BookingPaid) {
		return &sodam.Response{Text: "취소할 수 있는 예매를 찾지 못했어요."}
	}
	title := "공연"
	if ev := c.a.catalog(c.ctx).eventByID[b.EventID]; ev != nil {
		title = ev.Title
	}
	c.st.Confirm = &Confirmation{Kind: ConfirmCancelBooking, Amount: b.Total, BookingID: b.ID}
	refund := ""
	if b.Status == sodam.BookingPaid {
		refund = fmt.Sprintf(" 결제하신 %s은 환불돼요.", Won(b.Total))
	}
	return &sodam.Response{Text: fmt.Sprintf("%s %s %d장 예매를 취소할까요?%s", title, gradeLabel(b.SeatGrade), b.TicketCount, refund),
		QuickReplies: yesNo()}
}

// proposeSubscribe asks to add a channel.
func (c *conv) proposeSubscribe(ch string) *sodam.Response {
	name := ch
	if m := c.a.catalog(c.ctx).byID[ch]; m != nil {
		name = m.Name
	} else {
		for _, e := range c.a.catalog(c.ctx).eventByID {
			if e.ChannelID == ch && e.ChannelName != "" {
				name = e.ChannelName
				break
			}
		}
	}
	c.st.Confirm = &Confirmation{Kind: ConfirmSubscribe, ChannelID: ch}
	return &sodam.Response{Text: fmt.Sprintf("%s 채널을 추가할까요?", name), QuickReplies: yesNo()}
}

// userBooking finds one of the user's bookings by id.
func (c *conv) userBooking(id string) (*sodam.Booking, bool) {
	if c.a.records == nil {
		return nil, false
	}
	bs, err := c.a.records.BookingsByUser(c.ctx, c.user)
	if err != nil {
		c.a.log.Warn("assistant: bookings of user", "user", c.user, "err", err)
		return nil, false
	}
	for _, b := range bs {
		if b.ID == id {
			return b, true
		}
	}
	return nil, false
}

// Snapshot returns a copy of what the assistant remembers about the user:
// the cart as last shown, the list last shown, a question or confirmation
// waiting for the answer, the recent history. A planner reads it to know
// whether the next turn belongs to the dialogue (something is pending) and
// to give a model the context of the conversation.
func (a *Assistant) Snapshot(ctx context.Context, userID string) (*State, error) {
	unlock := a.lockUser(userID)
	defer unlock()
	return loadState(ctx, a.states, a.stateCache, userID)
}

// Pending reports whether the dialogue waits for the user's answer: a
// confirmation of an amount or an answer to a question.
func (s *State) Pending() bool { return s != nil && (s.Confirm != nil || s.Asking != nil) }

// Cached returns the response already given to the turn with messageID.
func (s *State) Cached(messageID string) (*sodam.Response, bool) { return s.cached(messageID) }

// Record records turn t answered elsewhere with r: it is added to the
// history and the reply cache, the cart summary is refreshed from the
// store (the other planner may have changed the cart), and any question or
// confirmation still pending is dropped, as the dialogue drops one that the
// next turn does not answer (held seats go back).
func (a *Assistant) Record(ctx context.Context, t sodam.Turn, r *sodam.Response) error {
	if t.UserID == "" {
		return &sodam.Error{Code: sodam.EINVALID, Op: "assistant.Record", Message: "사용자를 알 수 없어요."}
	}
	unlock := a.lockUser(t.UserID)
	defer unlock()
	st, err := loadState(ctx, a.states, a.stateCache, t.UserID)
	if err != nil {
		return err
	}
	now := a.clock.Now()
	c := &conv{a: a, ctx: ctx, st: st, user: t.UserID, r: &reading{Text: t.Text}, now: now}
	if cf := st.Confirm; cf != nil && cf.Kind == ConfirmBooking {
		c.release(cf.BookingID)
	}
	st.Confirm, st.Asking = nil, nil
	if out, err := a.tools.GetCart(ctx, t.UserID, tools.GetCartInput{}); err == nil {
		c.noteCart(out.Cart)
	}
	st.remember(t, r, now)
	return saveState(ctx, a.states, a.stateCache, st)
}
