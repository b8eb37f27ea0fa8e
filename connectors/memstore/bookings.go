package memstore

import (
	"context"
	"fmt"
	"time"

	"github.com/sodam-ai/sodam"
)

// HoldSeats takes b.TicketCount seats of grade b.SeatGrade (matched
// exactly) from session b.SessionID and stores b as held, in one step
// under the session's lock. It assigns an ID ("b-000001") when empty and
// CreatedAt and UpdatedAt from the clock when zero, and writes them and
// the status back to b. Too few seats left is ECONFLICT and changes
// nothing; an unknown session or grade is ENOTFOUND; a missing user, or a
// count below one, is EINVALID.
func (s *Store) HoldSeats(ctx context.Context, b *sodam.Booking) error {
	const op = "memstore.HoldSeats"
	switch {
	case b.UserID == "":
		return invalid(op, "예매에 사용자 id가 필요해요.")
	case b.TicketCount < 1:
		return invalid(op, "예매할 좌석 수는 1석 이상이어야 해요.")
	}
	r, err := s.sessionRecord(op, b.SessionID)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	c := cloneBooking(b)
	c.Status = sodam.BookingHeld
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	seat, ok := r.v.Seats[b.SeatGrade]
	if !ok {
		return notFound(op, "좌석 등급", b.SeatGrade)
	}
	if seat.Available < b.TicketCount {
		return &sodam.Error{Code: sodam.ECONFLICT, Op: op,
			Message: fmt.Sprintf("%s석이 %d석밖에 남지 않았어요.", b.SeatGrade, seat.Available)}
	}
	br, err := s.bookings.insert(op, b.ID, b.UserID, c, func(id string) { c.ID = id })
	if err != nil {
		return err
	}
	seat.Available -= b.TicketCount
	r.v.Seats[b.SeatGrade] = seat
	s.heldMu.Lock()
	s.held[c.ID] = br
	s.heldMu.Unlock()
	b.ID, b.Status, b.CreatedAt, b.UpdatedAt = c.ID, c.Status, c.CreatedAt, c.UpdatedAt
	return nil
}

// Booking returns a booking by id.
func (s *Store) Booking(ctx context.Context, id string) (*sodam.Booking, error) {
	return s.bookings.read("memstore.Booking", id, cloneBooking)
}

// UpdateBooking runs fn on a copy of the booking under the booking's own
// lock and stores the copy when fn succeeds; when fn fails nothing is
// written. fn must not call the store. Changing the id, user, session,
// grade or ticket count, moving the status to or from cancelled or back
// to held, or to a status that does not exist, is EINVALID: seats move only through HoldSeats and
// CancelBooking.
func (s *Store) UpdateBooking(ctx context.Context, id string, fn func(*sodam.Booking) error) (*sodam.Booking, error) {
	const op = "memstore.UpdateBooking"
	return s.bookings.update(op, id, cloneBooking, fn, func(old, new *sodam.Booking) error {
		if err := keepIdentity(op, old.ID, new.ID, old.UserID, new.UserID); err != nil {
			return err
		}
		if old.SessionID != new.SessionID || old.SeatGrade != new.SeatGrade || old.TicketCount != new.TicketCount {
			return invalid(op, "예매의 회차, 좌석 등급, 매수는 바꿀 수 없어요.")
		}
		if old.Status != new.Status && (old.Status == sodam.BookingCancelled || new.Status == sodam.BookingCancelled) {
			return invalid(op, "예매 취소는 예매 취소 기능으로만 할 수 있어요.")
		}
		switch new.Status {
		case sodam.BookingHeld, sodam.BookingPaid, sodam.BookingCancelled:
		default:
			return invalid(op, "알 수 없는 예매 상태예요: %q", new.Status)
		}
		if old.Status != new.Status && new.Status == sodam.BookingHeld {
			return invalid(op, "결제된 예매를 다시 대기 상태로 돌릴 수 없어요.")
		}
		return nil
	})
}

// CancelBooking marks a held or paid booking cancelled at at (the clock's
// time when zero) and returns its seats to the session, in one step. A
// booking already cancelled is ECONFLICT and returns no seats.
func (s *Store) CancelBooking(ctx context.Context, id string, at time.Time) (*sodam.Booking, error) {
	const op = "memstore.CancelBooking"
	r, err := s.bookings.get(op, id)
	if err != nil {
		return nil, err
	}
	if at.IsZero() {
		at = s.clock.Now()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.v.Status == sodam.BookingCancelled {
		return nil, &sodam.Error{Code: sodam.ECONFLICT, Op: op, Message: "이미 취소된 예매예요."}
	}
	s.cancelLocked(r, at)
	return cloneBooking(r.v), nil
}

// ExpireHolds cancels every held booking whose HeldUntil is at or before
// now, returns their seats, and returns them oldest first.
func (s *Store) ExpireHolds(ctx context.Context, now time.Time) ([]*sodam.Booking, error) {
	s.heldMu.Lock()
	recs := make([]*record[sodam.Booking], 0, len(s.held))
	for _, r := range s.held {
		recs = append(recs, r)
	}
	s.heldMu.Unlock()

	var expired []*record[sodam.Booking]
	var gone []string
	for _, r := range recs {
		r.mu.Lock()
		switch {
		case r.v.Status != sodam.BookingHeld:
			gone = append(gone, r.v.ID)
		case !r.v.HeldUntil.After(now):
			s.cancelLocked(r, now)
			expired = append(expired, r)
			gone = append(gone, r.v.ID)
		}
		r.mu.Unlock()
	}
	// A booking never returns to held (UpdateBooking refuses it), so
	// dropping one here cannot lose a hold.
	s.heldMu.Lock()
	for _, id := range gone {
		delete(s.held, id)
	}
	s.heldMu.Unlock()
	return collect(expired, cloneBooking, func(a, b *sodam.Booking) int {
		return oldestFirst(a.CreatedAt, b.CreatedAt, a.ID, b.ID)
	}), nil
}

// cancelLocked cancels the booking of r, whose lock the caller holds, and
// returns its seats to its session. Locks are always taken booking first,
// then session, then the held index.
func (s *Store) cancelLocked(r *record[sodam.Booking], at time.Time) {
	b := cloneBooking(r.v)
	if sr, err := s.sessionRecord("", b.SessionID); err == nil {
		sr.mu.Lock()
		if seat, ok := sr.v.Seats[b.SeatGrade]; ok {
			seat.Available += b.TicketCount
			sr.v.Seats[b.SeatGrade] = seat
		}
		sr.mu.Unlock()
	}
	b.Status = sodam.BookingCancelled
	b.UpdatedAt = at
	r.v = b
	s.heldMu.Lock()
	delete(s.held, b.ID)
	s.heldMu.Unlock()
}

// BookingsByUser lists a user's bookings, oldest first (CreatedAt, then
// id).
func (s *Store) BookingsByUser(ctx context.Context, userID string) ([]*sodam.Booking, error) {
	return s.bookings.listUser(userID, cloneBooking, func(a, b *sodam.Booking) int {
		return oldestFirst(a.CreatedAt, b.CreatedAt, a.ID, b.ID)
	}), nil
}
