package sodam

import (
	"context"
	"crypto/rand"
	"strings"
	"time"
)

// EventKind names a state change that other servers may need to hear
// of. Its first dot-separated part is the stream the event travels on
// (Stream): order, booking, payment, complaint or broadcast.
type EventKind string

// Event kinds.
const (
	EventOrderChanged     EventKind = "order.changed"     // an order was created or changed status
	EventBookingChanged   EventKind = "booking.changed"   // a booking was created or changed status
	EventPaymentChanged   EventKind = "payment.changed"   // a payment was created or changed status
	EventPaymentApproved  EventKind = "payment.approved"  // a payment was approved on its page (the user's chats are told)
	EventComplaintChanged EventKind = "complaint.changed" // a complaint was filed or answered
	EventInquiryAnswered  EventKind = "complaint.inquiry" // a channel answered a forwarded question
	EventBroadcastPosted  EventKind = "broadcast.posted"  // a channel posted to its subscribers
)

// EventStreams returns the streams events travel on, one per first part
// of an EventKind.
func EventStreams() []string {
	return []string{"order", "booking", "payment", "complaint", "broadcast"}
}

// Stream is the stream an event of kind k travels on: the part of k
// before its first dot.
func (k EventKind) Stream() string {
	s, _, _ := strings.Cut(string(k), ".")
	return s
}

// BusEvent is a state change as it travels between servers. ID is unique:
// a bus drops a second publish of the same ID where it can, and handlers
// are written so that applying an event twice changes nothing.
//
// Notices are what users are to be told because of the change. They are
// already kept in their users' outboxes (Seq set) when the event is
// published, so a user who is not connected anywhere gets them on the
// next connection; the server that holds a user's connection delivers
// them at once.
type BusEvent struct {
	ID          string    `json:"id"`
	Kind        EventKind `json:"kind"`
	Origin      string    `json:"origin,omitempty"` // the server that published it
	UserID      string    `json:"user_id,omitempty"`
	OrderID     string    `json:"order_id,omitempty"`
	BookingID   string    `json:"booking_id,omitempty"`
	PaymentID   string    `json:"payment_id,omitempty"`
	ComplaintID string    `json:"complaint_id,omitempty"`
	ChannelID   string    `json:"channel_id,omitempty"`
	Status      string    `json:"status,omitempty"`
	Amount      int64     `json:"amount,omitempty"`
	Notices     []*Notice `json:"notices,omitempty"`
	At          time.Time `json:"at"`
}

// OrderKey names the events a bus applies in the order they were
// published: those of one user (UserID), else of one channel
// (ChannelID: a broadcast's chunks), else all the keyless events of a
// stream. Events of different keys may be applied at the same time.
// What a user is told stays in order whatever the keys, because the
// merchant side delivers a user's notices in their outbox Seq order,
// and every delivery sends what still waits before it.
func (e *BusEvent) OrderKey() string {
	switch {
	case e.UserID != "":
		return "user:" + e.UserID
	case e.ChannelID != "":
		return "channel:" + e.ChannelID
	}
	return ""
}

// EventHandler applies one event. An error asks the bus to deliver the
// event again later.
type EventHandler func(ctx context.Context, e *BusEvent) error

// EventBus carries events to every server, the one that published them
// included, at least once and, within a stream, in order per OrderKey:
// a handler may be called for events of different keys at the same time.
type EventBus interface {
	// Publish hands e to the bus. It returns once e will reach every
	// server's handlers (a durable bus may first keep e in an outbox
	// while its broker is unreachable); an error means e was not kept.
	Publish(ctx context.Context, e *BusEvent) error
	// Subscribe calls h for every event published from now on (a
	// durable bus: also those published since this server last
	// acknowledged one) until ctx ends.
	Subscribe(ctx context.Context, h EventHandler) error
}

// NewEventID returns a new random event id.
func NewEventID() string { return "ev-" + rand.Text() }
