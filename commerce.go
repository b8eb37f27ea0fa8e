package sodam

import "time"

// User is a person chatting with Sodam. Address and Lat/Lng are the
// default delivery address and the point "near me" is measured from.
type User struct {
	ID            string   `json:"id"`
	Name          string   `json:"name,omitempty"`
	Address       string   `json:"address,omitempty"`
	Lat           float64  `json:"lat,omitempty"`
	Lng           float64  `json:"lng,omitempty"`
	Phone         string   `json:"phone,omitempty"`
	Subscriptions []string `json:"subscriptions,omitempty"` // channel ids, sorted
}

// Subscribed reports whether u has added the channel.
func (u *User) Subscribed(channelID string) bool {
	for _, c := range u.Subscriptions {
		if c == channelID {
			return true
		}
	}
	return false
}

// OrderStatus is the state of an order. The contract's values are draft,
// placed, paid, cancelled and delivered; the merchant side may add steps
// between paid and delivered.
type OrderStatus string

const (
	OrderDraft     OrderStatus = "draft"     // a cart, not yet placed
	OrderPlaced    OrderStatus = "placed"    // confirmed by the user, awaiting payment
	OrderPaid      OrderStatus = "paid"      // paid, sent to the merchant
	OrderCancelled OrderStatus = "cancelled" // cancelled (and refunded if it was paid)
	OrderDelivered OrderStatus = "delivered" // delivered to the user
)

// OrderLine is one item of an order with its quantity and options, priced
// when it was added (UnitPrice) and repriced when the order is placed.
type OrderLine struct {
	MenuItemID string   `json:"menu_item_id"`
	Name       string   `json:"name"`
	Quantity   int      `json:"quantity"`
	Options    []string `json:"options"`
	UnitPrice  int64    `json:"unit_price"`
	LineTotal  int64    `json:"line_total"`
}

// Order is a cart (draft) or a placed order of one user at one merchant.
type Order struct {
	ID            string        `json:"id"`
	UserID        string        `json:"user_id"`
	MerchantID    string        `json:"merchant_id"`
	Status        OrderStatus   `json:"status"`
	Items         []OrderLine   `json:"items"`
	ItemsTotal    int64         `json:"items_total"`
	DeliveryFee   int64         `json:"delivery_fee"`
	Total         int64         `json:"total"`
	Address       string        `json:"address,omitempty"`
	PaymentMethod PaymentMethod `json:"payment_method,omitempty"`
	PaymentID     string        `json:"payment_id,omitempty"`
	CreatedAt     time.Time     `json:"created_at"`
	UpdatedAt     time.Time     `json:"updated_at"`
	PlacedAt      *time.Time    `json:"placed_at,omitempty"`
	PaidAt        *time.Time    `json:"paid_at,omitempty"`
	CancelledAt   *time.Time    `json:"cancelled_at,omitempty"`
}

// Reprice recomputes every line's unit price at t from the catalog items
// (keyed by id), and the order's items total and total with the merchant's
// delivery fee. It fails with EINVALID when an item or option is gone.
func (o *Order) Reprice(t time.Time, items map[string]*MenuItem, m *Merchant) error {
	var sum int64
	for k := range o.Items {
		l := &o.Items[k]
		it, ok := items[l.MenuItemID]
		if !ok {
			return Errorf(EINVALID, "메뉴 %s을(를) 더 이상 찾을 수 없어요.", l.Name)
		}
		p, err := it.UnitPrice(t, l.Options)
		if err != nil {
			return err
		}
		l.UnitPrice = p
		l.LineTotal = p * int64(l.Quantity)
		sum += l.LineTotal
	}
	o.ItemsTotal = sum
	o.DeliveryFee = m.DeliveryFee
	o.Total = sum + m.DeliveryFee
	return nil
}

// BookingStatus is the state of a booking.
type BookingStatus string

const (
	BookingHeld      BookingStatus = "held"      // seats set aside, awaiting confirmation and payment
	BookingPaid      BookingStatus = "paid"      // paid; the seats are the user's
	BookingCancelled BookingStatus = "cancelled" // released (and refunded if it was paid)
)

// Booking is seats of one grade of one session held or bought by a user.
type Booking struct {
	ID          string        `json:"id"`
	UserID      string        `json:"user_id"`
	EventID     string        `json:"event_id"`
	SessionID   string        `json:"session_id"`
	SeatGrade   string        `json:"seat_grade"`
	TicketCount int           `json:"ticket_count"`
	UnitPrice   int64         `json:"unit_price"`
	Total       int64         `json:"total"`
	Status      BookingStatus `json:"status"`
	HeldUntil   time.Time     `json:"held_until"`
	PaymentID   string        `json:"payment_id,omitempty"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
}

// PaymentMethod is how a user pays.
type PaymentMethod string

const (
	PayKakaoPay PaymentMethod = "kakaopay"
	PayCard     PaymentMethod = "card"
)

// PaymentStatus is the state of a payment.
type PaymentStatus string

const (
	PaymentReady     PaymentStatus = "ready"     // the provider is ready; awaiting approval
	PaymentApproved  PaymentStatus = "approved"  // charged
	PaymentCancelled PaymentStatus = "cancelled" // refunded or abandoned
	PaymentFailed    PaymentStatus = "failed"    // the provider refused or failed
)

// Payment is one charge for one order or one booking. IdempotencyKey is
// unique across payments: a retried pay finds the same payment and never
// charges twice.
type Payment struct {
	ID             string        `json:"id"`
	UserID         string        `json:"user_id"`
	OrderID        string        `json:"order_id,omitempty"`
	BookingID      string        `json:"booking_id,omitempty"`
	Method         PaymentMethod `json:"method"`
	Amount         int64         `json:"amount"`
	Status         PaymentStatus `json:"status"`
	IdempotencyKey string        `json:"idempotency_key"`
	TID            string        `json:"tid,omitempty"` // the provider's transaction id
	Provider       string        `json:"provider,omitempty"`
	FailureReason  string        `json:"failure_reason,omitempty"`
	CreatedAt      time.Time     `json:"created_at"`
	ApprovedAt     *time.Time    `json:"approved_at,omitempty"`
	CancelledAt    *time.Time    `json:"cancelled_at,omitempty"`
}

// ComplaintType is the kind of problem a complaint reports.
type ComplaintType string

const (
	ComplaintCold        ComplaintType = "cold"
	ComplaintLate        ComplaintType = "late"
	ComplaintWrongItem   ComplaintType = "wrong_item"
	ComplaintMissingItem ComplaintType = "missing_item"
	ComplaintTaste       ComplaintType = "taste"
	ComplaintQuality     ComplaintType = "quality"
	ComplaintRude        ComplaintType = "rude"
	ComplaintOther       ComplaintType = "other"
)

// ComplaintTypes lists every complaint type.
var ComplaintTypes = []ComplaintType{ComplaintCold, ComplaintLate, ComplaintWrongItem,
	ComplaintMissingItem, ComplaintTaste, ComplaintQuality, ComplaintRude, ComplaintOther}

// ComplaintStatus is the state of a complaint.
type ComplaintStatus string

const (
	ComplaintOpen     ComplaintStatus = "open"
	ComplaintResolved ComplaintStatus = "resolved"
)

// Complaint is a user's report about an order or a booking, routed to the
// merchant (or the event's channel) it concerns.
type Complaint struct {
	ID         string          `json:"id"`
	UserID     string          `json:"user_id"`
	OrderID    string          `json:"order_id,omitempty"`
	BookingID  string          `json:"booking_id,omitempty"`
	MerchantID string          `json:"merchant_id,omitempty"` // or the event's channel id for a booking
	Type       ComplaintType   `json:"type"`
	Text       string          `json:"text"`
	Status     ComplaintStatus `json:"status"`
	Reply      string          `json:"reply,omitempty"`
	CreatedAt  time.Time       `json:"created_at"`
}

// ToolCall is the audit record of one tool call: who called which tool
// with which arguments, and what came of it.
type ToolCall struct {
	ID       string        `json:"id"`
	UserID   string        `json:"user_id"`
	Tool     string        `json:"tool"`
	Args     []byte        `json:"args"`   // the JSON arguments as received
	Result   []byte        `json:"result"` // the JSON result, or null on error
	Error    string        `json:"error,omitempty"`
	Duration time.Duration `json:"duration"`
	At       time.Time     `json:"at"`
}
