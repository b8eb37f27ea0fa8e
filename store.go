package sodam

import (
	"context"
	"time"
)

// The store interfaces below are implemented by connectors/memstore (the
// embedded default) and connectors/postgres, and both run the same
// conformance suite (connectors/storetest). Unless a method says
// otherwise: a missing record is ENOTFOUND; records are returned as copies
// the caller may change freely; lists are ordered by id.

// CatalogStore holds merchants, menu items, events and sessions.
type CatalogStore interface {
	// Upsert methods insert or replace a record by id. A menu item whose
	// merchant, or a session whose event, does not exist is ENOTFOUND.
	// Upserting the same record twice changes nothing.
	UpsertMerchant(ctx context.Context, m *Merchant) error
	UpsertMenuItem(ctx context.Context, i *MenuItem) error
	UpsertEvent(ctx context.Context, e *Event) error
	UpsertSession(ctx context.Context, s *Session) error

	Merchant(ctx context.Context, id string) (*Merchant, error)
	MenuItem(ctx context.Context, id string) (*MenuItem, error)
	Event(ctx context.Context, id string) (*Event, error)
	Session(ctx context.Context, id string) (*Session, error)

	// Merchants lists every merchant. MenuItems lists a merchant's items,
	// or every item when merchantID is "". Events lists every event.
	// Sessions lists an event's sessions by start time, then id.
	Merchants(ctx context.Context) ([]*Merchant, error)
	MenuItems(ctx context.Context, merchantID string) ([]*MenuItem, error)
	Events(ctx context.Context) ([]*Event, error)
	Sessions(ctx context.Context, eventID string) ([]*Session, error)
}

// UserStore holds users and their channel subscriptions.
type UserStore interface {
	// UpsertUser inserts or replaces a user.
	UpsertUser(ctx context.Context, u *User) error
	User(ctx context.Context, id string) (*User, error)
	// Subscribe adds a channel to the user's subscriptions (idempotent);
	// Unsubscribe removes it (idempotent). Both return the updated user.
	Subscribe(ctx context.Context, userID, channelID string) (*User, error)
	Unsubscribe(ctx context.Context, userID, channelID string) (*User, error)
}

// OrderStore holds carts and orders.
type OrderStore interface {
	// CreateOrder stores a new order, assigning an ID when empty.
	CreateOrder(ctx context.Context, o *Order) error
	Order(ctx context.Context, id string) (*Order, error)
	// UpdateOrder runs fn on the order under a lock held for the order
	// alone (a row lock in a transaction in Postgres) and stores what fn
	// leaves. When fn fails nothing is written and its error is returned.
	// Concurrent updates of one order are serialised.
	UpdateOrder(ctx context.Context, id string, fn func(*Order) error) (*Order, error)
	// OrdersByUser lists a user's orders, drafts included, oldest first.
	OrdersByUser(ctx context.Context, userID string) ([]*Order, error)
}

// BookingStore holds bookings and moves seats between sessions and
// bookings atomically: a seat is never sold twice.
type BookingStore interface {
	// HoldSeats takes b.TicketCount seats of b.SeatGrade from the session
	// and stores b (status held) in one step, assigning an ID when empty.
	// Too few seats left is ECONFLICT and changes nothing; an unknown
	// session or grade is ENOTFOUND.
	HoldSeats(ctx context.Context, b *Booking) error
	Booking(ctx context.Context, id string) (*Booking, error)
	// UpdateBooking runs fn under the booking's lock as UpdateOrder does.
	// fn must not change the session, grade, count or status cancelled:
	// cancelling goes through CancelBooking, which returns seats.
	UpdateBooking(ctx context.Context, id string, fn func(*Booking) error) (*Booking, error)
	// CancelBooking marks a held or paid booking cancelled and returns
	// its seats to the session in one step. A booking already cancelled is
	// ECONFLICT and returns no seats.
	CancelBooking(ctx context.Context, id string, at time.Time) (*Booking, error)
	// ExpireHolds cancels every held booking whose HeldUntil is at or
	// before now, returning their seats, and returns them.
	ExpireHolds(ctx context.Context, now time.Time) ([]*Booking, error)
	// BookingsByUser lists a user's bookings, oldest first.
	BookingsByUser(ctx context.Context, userID string) ([]*Booking, error)
}

// PaymentStore holds payments. IdempotencyKey is unique.
type PaymentStore interface {
	// CreatePayment stores p unless a payment with its IdempotencyKey
	// exists; it returns the stored payment and whether it was created by
	// this call. Of concurrent calls with one key exactly one creates.
	CreatePayment(ctx context.Context, p *Payment) (stored *Payment, created bool, err error)
	Payment(ctx context.Context, id string) (*Payment, error)
	// UpdatePayment runs fn under the payment's lock as UpdateOrder does.
	UpdatePayment(ctx context.Context, id string, fn func(*Payment) error) (*Payment, error)
	// PaymentsByUser lists a user's payments, oldest first. Payments lists
	// every payment with the given status ("" for all), oldest first, for
	// reconciliation.
	PaymentsByUser(ctx context.Context, userID string) ([]*Payment, error)
	Payments(ctx context.Context, status PaymentStatus) ([]*Payment, error)
}

// ComplaintStore holds complaints.
type ComplaintStore interface {
	// CreateComplaint stores a new complaint, assigning an ID when empty.
	CreateComplaint(ctx context.Context, c *Complaint) error
	Complaint(ctx context.Context, id string) (*Complaint, error)
	UpdateComplaint(ctx context.Context, id string, fn func(*Complaint) error) (*Complaint, error)
	// ComplaintsByUser lists a user's complaints, oldest first.
	ComplaintsByUser(ctx context.Context, userID string) ([]*Complaint, error)
}

// AuditLog records every tool call.
type AuditLog interface {
	RecordToolCall(ctx context.Context, c *ToolCall) error
	// ToolCalls lists a user's tool calls, oldest first.
	ToolCalls(ctx context.Context, userID string) ([]*ToolCall, error)
}

// DialogueStore persists each user's dialogue state as an opaque JSON
// document so that a restart or a reconnect resumes the conversation.
type DialogueStore interface {
	// SaveDialogue replaces the user's state.
	SaveDialogue(ctx context.Context, userID string, state []byte) error
	// LoadDialogue returns the user's state; none is ENOTFOUND.
	LoadDialogue(ctx context.Context, userID string) ([]byte, error)
}

// Store is everything the service keeps.
type Store interface {
	CatalogStore
	UserStore
	OrderStore
	BookingStore
	PaymentStore
	ComplaintStore
	AuditLog
	DialogueStore
}

// SearchKind is what a search looks for.
type SearchKind string

const (
	KindMerchant SearchKind = "merchant"
	KindMenuItem SearchKind = "menu_item"
	KindEvent    SearchKind = "event"
)

// Point is a place on earth.
type Point struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

// SearchQuery asks for catalog records of one kind. Text is matched by
// meaning (vectors) and by keywords; the other fields filter. Near, when
// set, adds distance to the ranking; ByDistance orders purely by distance
// (nearest first), as "near me" lists are.
type SearchQuery struct {
	Kind       SearchKind `json:"kind"`
	Text       string     `json:"text,omitempty"`
	Category   string     `json:"category,omitempty"`
	MerchantID string     `json:"merchant_id,omitempty"` // menu items of one merchant
	Near       *Point     `json:"near,omitempty"`
	MaxKm      float64    `json:"max_km,omitempty"`
	ByDistance bool       `json:"by_distance,omitempty"`
	MaxPrice   int64      `json:"max_price,omitempty"` // menu items at or under this price
	OpenAt     *time.Time `json:"open_at,omitempty"`   // merchants open at this time
	Limit      int        `json:"limit,omitempty"`     // 10 when 0
	// Mode picks the rankings a text query fuses: both (the default),
	// or one alone, to measure what each contributes.
	Mode SearchMode `json:"mode,omitempty"`
}

// SearchMode selects the rankings of a text search.
type SearchMode string

const (
	SearchHybrid  SearchMode = ""        // vectors and keywords, fused
	SearchVector  SearchMode = "vector"  // vectors alone
	SearchKeyword SearchMode = "keyword" // keywords alone
)

// SearchHit is one result: the record's kind and id, its fused score
// (higher is better) and, when the query had a point, its distance.
type SearchHit struct {
	Kind       SearchKind `json:"kind"`
	ID         string     `json:"id"`
	Score      float64    `json:"score"`
	DistanceKm float64    `json:"distance_km,omitempty"`
}

// Searcher finds catalog records. The embedded store uses the in-memory
// index of retrieval/; the Postgres store runs the same hybrid ranking in
// SQL.
type Searcher interface {
	Search(ctx context.Context, q SearchQuery) ([]SearchHit, error)
}

// CatalogBatch is a batch of catalog records written together.
type CatalogBatch struct {
	Merchants []*Merchant
	MenuItems []*MenuItem
	Events    []*Event
	Sessions  []*Session
}

// Len is the number of records in b.
func (b *CatalogBatch) Len() int {
	return len(b.Merchants) + len(b.MenuItems) + len(b.Events) + len(b.Sessions)
}

// CatalogBatcher is implemented by stores that write many catalog records
// faster at once than one by one (bulk ingestion). UpsertBatch upserts the
// merchants and events first, then the items and sessions, so a batch may
// hold records that refer to each other; it is all or nothing.
type CatalogBatcher interface {
	UpsertBatch(ctx context.Context, b *CatalogBatch) error
}
