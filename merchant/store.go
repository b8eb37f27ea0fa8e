package merchant

import (
	"context"

	"github.com/sodam-ai/sodam"
)

// The records below are kept besides sodam.Store. connectors/memstore and
// connectors/postgres implement them (MerchantRecords in each). As in
// sodam.Store: a missing record is ENOTFOUND, records are returned as
// copies, and lists are oldest first unless a method says otherwise.

// Accounts keeps the accounts of channel owners.
type Accounts interface {
	// SaveAccount inserts or replaces the account of a.ChannelID.
	SaveAccount(ctx context.Context, a *sodam.MerchantAccount) error
	// Account returns the account of a channel.
	Account(ctx context.Context, channelID string) (*sodam.MerchantAccount, error)
}

// Ledger lists the records that belong to one channel.
type Ledger interface {
	// OrdersByMerchant lists a merchant's orders other than drafts,
	// oldest first (by creation, then id).
	OrdersByMerchant(ctx context.Context, merchantID string) ([]*sodam.Order, error)
	// ComplaintsByChannel lists the complaints routed to a channel
	// (Complaint.MerchantID), oldest first.
	ComplaintsByChannel(ctx context.Context, channelID string) ([]*sodam.Complaint, error)
	// BookingsByEvent lists an event's bookings, oldest first.
	BookingsByEvent(ctx context.Context, eventID string) ([]*sodam.Booking, error)
	// Subscribers lists the ids of the users subscribed to a channel,
	// by id.
	Subscribers(ctx context.Context, channelID string) ([]string, error)
}

// History keeps the steps orders went through on the merchant side.
type History interface {
	// AddOrderStep appends a step, assigning an ID when empty.
	AddOrderStep(ctx context.Context, s *sodam.OrderStep) error
	// OrderSteps lists an order's steps, oldest first.
	OrderSteps(ctx context.Context, orderID string) ([]*sodam.OrderStep, error)
}

// Inquiries keeps the questions forwarded to channels.
type Inquiries interface {
	// CreateInquiry stores a new inquiry, assigning an ID when empty.
	CreateInquiry(ctx context.Context, q *sodam.Inquiry) error
	// UpdateInquiry runs fn on the inquiry under its lock and stores what
	// fn leaves; fn's error changes nothing and is returned.
	UpdateInquiry(ctx context.Context, id string, fn func(*sodam.Inquiry) error) (*sodam.Inquiry, error)
	// InquiriesByChannel lists a channel's inquiries, oldest first.
	InquiriesByChannel(ctx context.Context, channelID string) ([]*sodam.Inquiry, error)
	Inquiry(ctx context.Context, id string) (*sodam.Inquiry, error)
}

// Broadcasts keeps what channels posted.
type Broadcasts interface {
	// CreateBroadcast stores a new broadcast, assigning an ID when empty.
	CreateBroadcast(ctx context.Context, b *sodam.Broadcast) error
	// Broadcasts lists a channel's broadcasts, oldest first.
	Broadcasts(ctx context.Context, channelID string) ([]*sodam.Broadcast, error)
}

// Outbox keeps, per user, the notices that could not be delivered because
// the user was not connected.
type Outbox interface {
	// Enqueue appends the notices to their users' outboxes in the order
	// given, setting each one's Seq (increasing per user).
	Enqueue(ctx context.Context, ns []*sodam.Notice) error
	// Pending lists a user's waiting notices by Seq.
	Pending(ctx context.Context, userID string) ([]*sodam.Notice, error)
	// Ack removes a user's notices with Seq at or below upTo. Acking
	// again changes nothing.
	Ack(ctx context.Context, userID string, upTo int64) error
}

// Records is everything the merchant side keeps besides sodam.Store.
type Records interface {
	Accounts
	Ledger
	History
	Inquiries
	Broadcasts
	Outbox
}
