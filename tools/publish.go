package tools

import (
	"context"
	"log/slog"
	"time"

	"github.com/sodam-ai/sodam"
)

// Publisher hands events to the bus that carries them to every server;
// sodam.EventBus implements it.
type Publisher interface {
	Publish(ctx context.Context, e *sodam.BusEvent) error
}

// WithEvents publishes an event on p for every order, booking, payment
// and complaint that is created or changes status, once the store has
// kept the change, whatever made it: a tool call, the merchant side or
// reconciliation. A failure to publish is logged and changes nothing: the
// change has happened and the store is the record of it.
//
// Like WithObserver it wraps the store, so give it after WithLogger.
func WithEvents(p Publisher) Option {
	return func(t *Toolbox) {
		if p != nil && t.store != nil {
			t.store = eventStore{Store: t.store, pub: p, log: t.log, clock: t.clock}
		}
	}
}

// NoticesFunc returns the notices that the event e, about to be
// published for a change the store has kept, is to carry, already kept
// in their users' outboxes (Seq set); none for a change it does not
// tell of.
type NoticesFunc func(ctx context.Context, e *sodam.BusEvent) []*sodam.Notice

type noticesKey struct{}

// WithNotices returns a context under which the store wrapped by
// WithEvents hands every event it is about to publish to fn, and
// publishes the notices fn returns on that event. A caller that tells
// users of a change it makes through the toolbox (the merchant side's
// order steps) thus publishes no event of its own: every server hears
// one event per change, with its notices, instead of one from the store
// and one from the caller. fn runs on the calling goroutine once the
// store has kept the change, under the toolbox's lock on the user, so
// the notices are kept in the order of the user's changes. Without
// WithEvents fn is never called, and the caller publishes itself.
func WithNotices(ctx context.Context, fn NoticesFunc) context.Context {
	return context.WithValue(ctx, noticesKey{}, fn)
}

// eventStore is a store that publishes the changes of status it keeps.
type eventStore struct {
	sodam.Store
	pub   Publisher
	log   *slog.Logger
	clock sodam.Clock
}

func (s eventStore) publish(ctx context.Context, e *sodam.BusEvent) {
	e.ID = sodam.NewEventID()
	e.At = s.clock.Now().In(sodam.Seoul) // New sets a clock before options run
	if fn, ok := ctx.Value(noticesKey{}).(NoticesFunc); ok && fn != nil {
		e.Notices = fn(ctx, e)
	}
	if err := s.pub.Publish(context.WithoutCancel(ctx), e); err != nil {
		s.log.Error("publish an event", "kind", e.Kind, "err", err)
	}
}

func orderEvent(o *sodam.Order) *sodam.BusEvent {
	return &sodam.BusEvent{Kind: sodam.EventOrderChanged, UserID: o.UserID, OrderID: o.ID, ChannelID: o.MerchantID,
		Status: string(o.Status), Amount: o.Total}
}

func bookingEvent(b *sodam.Booking) *sodam.BusEvent {
	return &sodam.BusEvent{Kind: sodam.EventBookingChanged, UserID: b.UserID, BookingID: b.ID, Status: string(b.Status), Amount: b.Total}
}

func paymentEvent(p *sodam.Payment) *sodam.BusEvent {
	return &sodam.BusEvent{Kind: sodam.EventPaymentChanged, UserID: p.UserID, PaymentID: p.ID, OrderID: p.OrderID,
		BookingID: p.BookingID, Status: string(p.Status), Amount: p.Amount}
}

func complaintEvent(c *sodam.Complaint) *sodam.BusEvent {
	return &sodam.BusEvent{Kind: sodam.EventComplaintChanged, UserID: c.UserID, ComplaintID: c.ID, OrderID: c.OrderID,
		ChannelID: c.MerchantID, Status: string(c.Status)}
}

// A cart (draft) is not news: orders are published once placed.
func (s eventStore) CreateOrder(ctx context.Context, o *sodam.Order) error {
	if err := s.Store.CreateOrder(ctx, o); err != nil {
		return err
	}
	if o.Status != sodam.OrderDraft {
		s.publish(ctx, orderEvent(o))
	}
	return nil
}

func (s eventStore) UpdateOrder(ctx context.Context, id string, fn func(*sodam.Order) error) (*sodam.Order, error) {
	var before sodam.OrderStatus
	o, err := s.Store.UpdateOrder(ctx, id, func(o *sodam.Order) error {
		before = o.Status
		return fn(o)
	})
	if err == nil && o.Status != before {
		s.publish(ctx, orderEvent(o))
	}
	return o, err
}

func (s eventStore) HoldSeats(ctx context.Context, b *sodam.Booking) error {
	if err := s.Store.HoldSeats(ctx, b); err != nil {
		return err
	}
	s.publish(ctx, bookingEvent(b))
	return nil
}

func (s eventStore) UpdateBooking(ctx context.Context, id string, fn func(*sodam.Booking) error) (*sodam.Booking, error) {
	var before sodam.BookingStatus
	b, err := s.Store.UpdateBooking(ctx, id, func(b *sodam.Booking) error {
		before = b.Status
		return fn(b)
	})
	if err == nil && b.Status != before {
		s.publish(ctx, bookingEvent(b))
	}
	return b, err
}

func (s eventStore) CancelBooking(ctx context.Context, id string, at time.Time) (*sodam.Booking, error) {
	b, err := s.Store.CancelBooking(ctx, id, at)
	if err == nil {
		s.publish(ctx, bookingEvent(b))
	}
	return b, err
}

func (s eventStore) ExpireHolds(ctx context.Context, now time.Time) ([]*sodam.Booking, error) {
	bs, err := s.Store.ExpireHolds(ctx, now)
	for _, b := range bs {
		s.publish(ctx, bookingEvent(b))
	}
	return bs, err
}

func (s eventStore) CreatePayment(ctx context.Context, p *sodam.Payment) (*sodam.Payment, bool, error) {
	stored, created, err := s.Store.CreatePayment(ctx, p)
	if err == nil && created {
		s.publish(ctx, paymentEvent(stored))
	}
	return stored, created, err
}

func (s eventStore) UpdatePayment(ctx context.Context, id string, fn func(*sodam.Payment) error) (*sodam.Payment, error) {
	var before sodam.PaymentStatus
	p, err := s.Store.UpdatePayment(ctx, id, func(p *sodam.Payment) error {
		before = p.Status
		return fn(p)
	})
	if err == nil && p.Status != before {
		s.publish(ctx, paymentEvent(p))
	}
	return p, err
}

func (s eventStore) CreateComplaint(ctx context.Context, c *sodam.Complaint) error {
	if err := s.Store.CreateComplaint(ctx, c); err != nil {
		return err
	}
	s.publish(ctx, complaintEvent(c))
	return nil
}

func (s eventStore) UpdateComplaint(ctx context.Context, id string, fn func(*sodam.Complaint) error) (*sodam.Complaint, error) {
	var before sodam.ComplaintStatus
	c, err := s.Store.UpdateComplaint(ctx, id, func(c *sodam.Complaint) error {
		before = c.Status
		return fn(c)
	})
	if err == nil && c.Status != before {
		s.publish(ctx, complaintEvent(c))
	}
	return c, err
}
