package tools

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sodam-ai/sodam"
)

// SearchEvents finds events by text, performer, category, venue, place and
// a window of dates, each with its sessions that start after now (and in
// the window when one is given). With a window, events without such a
// session are left out. Events are ordered by id, as contracts.md wants
// every list not found by nearness; Score tells the relevance.
func (t *Toolbox) SearchEvents(ctx context.Context, userID string, in SearchEventsInput) (*SearchEventsOutput, error) {
	return run(ctx, t, userID, "search_events", in, nil, t.searchEvents)
}

func (t *Toolbox) searchEvents(ctx context.Context, userID string, in SearchEventsInput) (*SearchEventsOutput, error) {
	const op = "tools.SearchEvents"
	if in.From != nil && in.To != nil && !in.To.After(*in.From) {
		return nil, fail(sodam.EINVALID, op, "기간의 끝이 시작보다 뒤여야 해요.")
	}
	now := t.now()
	if _, err := t.store.ExpireHolds(ctx, now); err != nil {
		return nil, sodam.WrapError(op, err)
	}
	events, err := t.store.Events(ctx)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	events = slices.DeleteFunc(events, func(e *sodam.Event) bool {
		switch {
		case in.Category != "" && e.Category != in.Category:
			return true
		case in.Performer != "" && !matches(in.Performer, e.Performer, e.Title):
			return true
		case in.Venue != "" && !matches(in.Venue, e.Venue):
			return true
		case in.Location != "" && !matches(in.Location, e.Venue, e.Address, e.Title):
			return true
		}
		return false
	})
	score := make(map[string]float64, len(events))
	for _, e := range events {
		score[e.ID] = 1
	}
	if in.Query != "" {
		if score, err = t.matchEvents(ctx, op, events, in.Query, in.Category); err != nil {
			return nil, err
		}
	}
	window := in.From != nil || in.To != nil
	out := []EventResult{}
	for _, e := range events {
		s, ok := score[e.ID]
		if !ok {
			continue
		}
		sessions, err := t.sessionsIn(ctx, op, e.ID, now, in.From, in.To)
		if err != nil {
			return nil, err
		}
		if window && len(sessions) == 0 {
			continue
		}
		out = append(out, EventResult{Event: e, Sessions: sessions, Score: s})
	}
	slices.SortFunc(out, func(a, b EventResult) int { return cmp.Compare(a.Event.ID, b.Event.ID) })
	if limit := clampLimit(in.Limit, 10, 20); len(out) > limit {
		out = out[:limit]
	}
	return &SearchEventsOutput{Events: out}, nil
}

// matchEvents scores the events that query names best by title,
// performer, category, venue or channel (see nameTier), or when none is
// named, those the hybrid search finds.
func (t *Toolbox) matchEvents(ctx context.Context, op string, events []*sodam.Event, query, category string) (map[string]float64, error) {
	score := make(map[string]float64)
	best := 0
	for _, e := range events {
		tier := nameTier(query, e.Title, e.Performer, e.Category, e.Venue, e.ChannelName)
		if tier == 0 || tier < best {
			continue
		}
		if tier > best {
			best, score = tier, make(map[string]float64)
		}
		score[e.ID] = float64(tier)
	}
	if len(score) > 0 || t.search == nil {
		return score, nil
	}
	hits, err := t.search.Search(ctx, sodam.SearchQuery{Kind: sodam.KindEvent, Text: query, Category: category, Limit: 50})
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	for _, h := range hits {
		score[h.ID] = h.Score
	}
	return score, nil
}

// sessionsIn lists an event's sessions that start after now, at or after
// from and before to, by start time.
func (t *Toolbox) sessionsIn(ctx context.Context, op, eventID string, now time.Time, from, to *time.Time) ([]*sodam.Session, error) {
	all, err := t.store.Sessions(ctx, eventID)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	out := []*sodam.Session{}
	for _, s := range all {
		switch {
		case !s.StartsAt.After(now):
		case from != nil && s.StartsAt.Before(*from):
		case to != nil && !s.StartsAt.Before(*to):
		default:
			out = append(out, s)
		}
	}
	return out, nil
}

// GetSessions lists an event's sessions that start in the future (and in
// the window when given), by start time.
func (t *Toolbox) GetSessions(ctx context.Context, userID string, in GetSessionsInput) (*GetSessionsOutput, error) {
	return run(ctx, t, userID, "get_sessions", in, nil, t.getSessions)
}

func (t *Toolbox) getSessions(ctx context.Context, userID string, in GetSessionsInput) (*GetSessionsOutput, error) {
	const op = "tools.GetSessions"
	e, err := t.event(ctx, op, in.EventID)
	if err != nil {
		return nil, err
	}
	now := t.now()
	if _, err := t.store.ExpireHolds(ctx, now); err != nil {
		return nil, sodam.WrapError(op, err)
	}
	sessions, err := t.sessionsIn(ctx, op, e.ID, now, in.From, in.To)
	if err != nil {
		return nil, err
	}
	return &GetSessionsOutput{Event: e, Sessions: sessions}, nil
}

// BookTickets holds seats of one grade of a session for the user until
// now plus the hold time; Pay buys them, CancelBooking releases them. The
// session must start after now, the grade must exist (R석, r and R are
// one grade), and a subscriber-only event needs the user subscribed to its
// channel (ECONFLICT offering to add it). Too few seats left is ECONFLICT
// and holds nothing. A held booking of the user for the same session is
// released once the new one is held, so that changing one's mind does not
// keep seats twice; its seats count towards the new hold.
func (t *Toolbox) BookTickets(ctx context.Context, userID string, in BookTicketsInput) (*BookingOutput, error) {
	return run(ctx, t, userID, "book_tickets", in, nil, t.bookTickets)
}

func (t *Toolbox) bookTickets(ctx context.Context, userID string, in BookTicketsInput) (*BookingOutput, error) {
	const op = "tools.BookTickets"
	if in.TicketCount < 1 || in.TicketCount > 10 {
		return nil, fail(sodam.EINVALID, op, "한 번에 1장부터 10장까지 예매할 수 있어요.")
	}
	now := t.now()
	if _, err := t.store.ExpireHolds(ctx, now); err != nil {
		return nil, sodam.WrapError(op, err)
	}
	s, err := t.session(ctx, op, in.SessionID)
	if err != nil {
		return nil, err
	}
	if !s.StartsAt.After(now) {
		return nil, fail(sodam.ECONFLICT, op, "이미 시작했거나 끝난 공연이에요. 다른 회차를 골라 주세요.")
	}
	grade, seat, ok := s.Grade(in.SeatGrade)
	if !ok {
		return nil, fail(sodam.EINVALID, op, fmt.Sprintf("이 공연에는 %s석이 없어요. %s 중에서 골라 주세요.", sodam.NormalizeGrade(in.SeatGrade), gradeList(s)))
	}
	e, err := t.event(ctx, op, s.EventID)
	if err != nil {
		return nil, err
	}
	if e.SubscriberOnly {
		u, err := t.user(ctx, userID)
		if err != nil {
			return nil, err
		}
		if !u.Subscribed(e.ChannelID) {
			name := e.ChannelName
			if name == "" {
				name = e.ChannelID
			}
			return nil, fail(sodam.ECONFLICT, op, fmt.Sprintf("이 공연은 %s 채널을 추가한 분만 예매할 수 있어요. 채널을 추가할까요?", name))
		}
	}

	defer t.lockUser(userID)()
	mine, err := t.store.BookingsByUser(ctx, userID)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	var older []*sodam.Booking
	for _, b := range mine {
		if b.Status == sodam.BookingHeld && b.SessionID == s.ID {
			older = append(older, b)
		}
	}
	b := &sodam.Booking{
		UserID:      userID,
		EventID:     e.ID,
		SessionID:   s.ID,
		SeatGrade:   grade,
		TicketCount: in.TicketCount,
		UnitPrice:   seat.Price,
		Total:       seat.Price * int64(in.TicketCount),
		Status:      sodam.BookingHeld,
		HeldUntil:   now.Add(t.holdTTL),
		CreatedAt:   now,
		UpdatedAt:   now,
	}
	// Hold the new seats first and release the older hold after, so that
	// a user who asks for more than is left keeps what they held. Only
	// when the older hold's own seats are needed is it released first,
	// and put back if the new hold still fails.
	err = t.store.HoldSeats(ctx, b)
	if sodam.IsCode(err, sodam.ECONFLICT) && len(older) > 0 {
		if err = t.release(ctx, older, now); err != nil {
			return nil, sodam.WrapError(op, err)
		}
		if err = t.store.HoldSeats(ctx, b); err != nil {
			t.restore(ctx, older)
		}
		older = nil
	}
	if err != nil {
		if sodam.IsCode(err, sodam.ECONFLICT) {
			return nil, &sodam.Error{Code: sodam.ECONFLICT, Op: op, Message: t.seatsLeftMessage(ctx, s.ID, grade), Err: err}
		}
		return nil, notFound(op, err, "공연 회차나 좌석 등급을 찾을 수 없어요.")
	}
	if err := t.release(ctx, older, now); err != nil {
		return nil, sodam.WrapError(op, err)
	}
	if s2, err := t.store.Session(ctx, s.ID); err == nil {
		s = s2
	}
	return &BookingOutput{Booking: b, Event: e, Session: s}, nil
}

// release cancels held bookings, returning their seats. A booking that is
// no longer held (expired meanwhile) is skipped.
func (t *Toolbox) release(ctx context.Context, held []*sodam.Booking, now time.Time) error {
	for _, b := range held {
		if _, err := t.store.CancelBooking(ctx, b.ID, now); err != nil && !sodam.IsCode(err, sodam.ECONFLICT) {
			return err
		}
	}
	return nil
}

// restore holds again the seats of bookings released for a hold that then
// failed, as new bookings with the same seats and hold time. It is best
// effort: seats taken by someone else in between are gone.
func (t *Toolbox) restore(ctx context.Context, released []*sodam.Booking) {
	for _, old := range released {
		b := *old
		b.ID, b.PaymentID = "", ""
		b.Status = sodam.BookingHeld
		if err := t.store.HoldSeats(ctx, &b); err != nil {
			t.log.Warn("could not restore a released hold", "booking", old.ID, "err", err)
		}
	}
}

// seatsLeftMessage tells how many seats of a grade are left after a hold
// failed for want of them.
func (t *Toolbox) seatsLeftMessage(ctx context.Context, sessionID, grade string) string {
	s, err := t.store.Session(ctx, sessionID)
	if err != nil {
		return grade + "석이 부족해요."
	}
	_, seat, _ := s.Grade(grade)
	if seat.Available == 0 {
		return grade + "석은 매진됐어요. 다른 좌석이나 회차를 골라 주세요."
	}
	return fmt.Sprintf("%s석이 %d장밖에 남지 않았어요.", grade, seat.Available)
}

// gradeList writes a session's grades by price, dearest first: "VIP석, R석".
func gradeList(s *sodam.Session) string {
	grades := make([]string, 0, len(s.Seats))
	for g := range s.Seats {
		grades = append(grades, g)
	}
	sort.Slice(grades, func(i, j int) bool {
		a, b := s.Seats[grades[i]], s.Seats[grades[j]]
		if a.Price != b.Price {
			return a.Price > b.Price
		}
		return grades[i] < grades[j]
	})
	for k, g := range grades {
		grades[k] = g + "석"
	}
	return strings.Join(grades, ", ")
}

// CancelBooking cancels a booking: the one named, or the user's latest
// held or paid one. A held booking's seats go back; a paid booking is
// refunded in full, cancelled and its seats go back. A booking already
// cancelled is ECONFLICT.
func (t *Toolbox) CancelBooking(ctx context.Context, userID string, in CancelBookingInput) (*CancelOutput, error) {
	return run(ctx, t, userID, "cancel_booking", in, nil, t.cancelBooking)
}

func (t *Toolbox) cancelBooking(ctx context.Context, userID string, in CancelBookingInput) (*CancelOutput, error) {
	const op = "tools.CancelBooking"
	now := t.now()
	if _, err := t.store.ExpireHolds(ctx, now); err != nil {
		return nil, sodam.WrapError(op, err)
	}
	defer t.lockUser(userID)()
	var b *sodam.Booking
	if in.BookingID != "" {
		var err error
		if b, err = t.userBooking(ctx, op, userID, in.BookingID); err != nil {
			return nil, err
		}
	} else {
		mine, err := t.store.BookingsByUser(ctx, userID)
		if err != nil {
			return nil, sodam.WrapError(op, err)
		}
		for _, x := range mine {
			if x.Status == sodam.BookingHeld || x.Status == sodam.BookingPaid {
				b = x // oldest first: the last one is the latest
			}
		}
		if b == nil {
			return nil, fail(sodam.ENOTFOUND, op, "취소할 예매가 없어요.")
		}
	}
	var refund *sodam.Payment
	switch b.Status {
	case sodam.BookingCancelled:
		return nil, fail(sodam.ECONFLICT, op, "이미 취소된 예매예요.")
	case sodam.BookingPaid:
		var err error
		if refund, err = t.refund(ctx, op, userID, b.PaymentID, bookingKey(b.ID)); err != nil {
			return nil, err
		}
	}
	// After a refund the booking must be cancelled even if the caller
	// hangs up now.
	cancelled, err := t.store.CancelBooking(context.WithoutCancel(ctx), b.ID, now)
	if err != nil {
		if refund != nil {
			t.log.Error("booking refunded but not cancelled", "booking", b.ID, "err", err)
		}
		if sodam.IsCode(err, sodam.ECONFLICT) {
			return nil, &sodam.Error{Code: sodam.ECONFLICT, Op: op, Message: "이미 취소된 예매예요.", Err: err}
		}
		return nil, sodam.WrapError(op, err)
	}
	if refund == nil {
		t.abandonPayment(ctx, userID, bookingKey(b.ID))
	}
	return &CancelOutput{Booking: cancelled, Refund: refund}, nil
}

// userBooking loads the user's booking; another user's is ENOTFOUND.
func (t *Toolbox) userBooking(ctx context.Context, op, userID, id string) (*sodam.Booking, error) {
	b, err := t.store.Booking(ctx, id)
	if err != nil {
		return nil, notFound(op, err, "예매를 찾을 수 없어요.")
	}
	if b.UserID != userID {
		return nil, fail(sodam.ENOTFOUND, op, "예매를 찾을 수 없어요.")
	}
	return b, nil
}

func (t *Toolbox) event(ctx context.Context, op, id string) (*sodam.Event, error) {
	if id == "" {
		return nil, fail(sodam.EINVALID, op, "어떤 공연인지 알려 주세요.")
	}
	e, err := t.store.Event(ctx, id)
	if err != nil {
		return nil, notFound(op, err, "공연을 찾을 수 없어요.")
	}
	return e, nil
}

func (t *Toolbox) session(ctx context.Context, op, id string) (*sodam.Session, error) {
	if id == "" {
		return nil, fail(sodam.EINVALID, op, "어느 회차인지 알려 주세요.")
	}
	s, err := t.store.Session(ctx, id)
	if err != nil {
		return nil, notFound(op, err, "공연 회차를 찾을 수 없어요.")
	}
	return s, nil
}
