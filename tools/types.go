package tools

import (
	"time"

	"github.com/sodam-ai/sodam"
)

// The inputs and outputs of every tool. Inputs are what a caller (the
// dialogue manager or an LLM) may set: the JSON Schema of each is derived
// from these structs, unknown fields are refused, and `required` marks the
// fields that must be present. The calling user is never an argument: it
// comes from the conversation.

// SearchMerchantsInput finds stores.
type SearchMerchantsInput struct {
	Query    string `json:"query,omitempty" jsonschema:"description=free text: a name, brand, dish or style (교촌, 매운 족발)"`
	Category string `json:"category,omitempty" jsonschema:"enum=치킨,enum=피자,enum=햄버거,enum=족발,enum=중식,enum=한식,enum=분식,enum=카페"`
	Location string `json:"location,omitempty" jsonschema:"description=a place the user names: 강남역, 종로구, 대학로"`
	NearMe   bool   `json:"near_me,omitempty" jsonschema:"description=order by distance from the user, nearest first"`
	Budget   int64  `json:"budget,omitempty" jsonschema:"minimum=0,description=only stores with an item at or under this price (KRW)"`
	OpenNow  bool   `json:"open_now,omitempty"`
	Limit    int    `json:"limit,omitempty" jsonschema:"minimum=1,maximum=20"`
}

// MerchantResult is one store found.
type MerchantResult struct {
	Merchant   *sodam.Merchant `json:"merchant"`
	OpenNow    bool            `json:"open_now"`
	DistanceKm float64         `json:"distance_km,omitempty"`
	Score      float64         `json:"score"`
}

// SearchMerchantsOutput lists stores: by distance when near_me, else by
// relevance then id.
type SearchMerchantsOutput struct {
	Merchants []MerchantResult `json:"merchants"`
}

// GetMenuInput shows a store's menu, or the items matching Query.
type GetMenuInput struct {
	MerchantID string `json:"merchant_id" jsonschema:"required"`
	Query      string `json:"query,omitempty"`
	MaxPrice   int64  `json:"max_price,omitempty" jsonschema:"minimum=0"`
}

// MenuItemView is a menu item with its price now.
type MenuItemView struct {
	Item       *sodam.MenuItem `json:"item"`
	Price      int64           `json:"price"` // after a discount in force, before options
	Discounted bool            `json:"discounted"`
	MerchantID string          `json:"merchant_id"`
}

// GetMenuOutput is a store's menu (items by id).
type GetMenuOutput struct {
	Merchant *sodam.Merchant `json:"merchant"`
	Items    []MenuItemView  `json:"items"`
}

// GetPromotionsInput lists discounts in force, of one store or all.
type GetPromotionsInput struct {
	MerchantID string `json:"merchant_id,omitempty"`
	Category   string `json:"category,omitempty"`
	Limit      int    `json:"limit,omitempty" jsonschema:"minimum=1,maximum=50"`
}

// Promotion is a discounted item.
type Promotion struct {
	Item     MenuItemView    `json:"item"`
	Merchant *sodam.Merchant `json:"merchant"`
}

// GetPromotionsOutput lists discounted items by id.
type GetPromotionsOutput struct {
	Promotions []Promotion `json:"promotions"`
}

// MerchantInfoInput asks about a store: hours, fees, minimum order.
type MerchantInfoInput struct {
	MerchantID string `json:"merchant_id" jsonschema:"required"`
}

// MerchantInfoOutput answers it.
type MerchantInfoOutput struct {
	Merchant *sodam.Merchant `json:"merchant"`
	OpenNow  bool            `json:"open_now"`
}

// CartAddInput adds an item to the user's cart. A cart holds one store's
// items: adding another store's item is a conflict unless Replace is set,
// which empties the cart first.
type CartAddInput struct {
	MenuItemID string   `json:"menu_item_id" jsonschema:"required"`
	Quantity   int      `json:"quantity,omitempty" jsonschema:"minimum=1,maximum=99,description=1 when unsaid"`
	Options    []string `json:"options,omitempty"`
	Replace    bool     `json:"replace,omitempty"`
}

// CartUpdateInput sets the quantity (and optionally the options) of a line
// of the cart, found by item and current options. Quantity 0 removes it.
type CartUpdateInput struct {
	MenuItemID string   `json:"menu_item_id" jsonschema:"required"`
	Options    []string `json:"options,omitempty" jsonschema:"description=the line's current options"`
	Quantity   int      `json:"quantity" jsonschema:"required,minimum=0,maximum=99"`
	NewOptions []string `json:"new_options,omitempty" jsonschema:"description=replace the line's options"`
}

// CartRemoveInput removes the lines of an item from the cart (all lines of
// the item when Options is empty).
type CartRemoveInput struct {
	MenuItemID string   `json:"menu_item_id" jsonschema:"required"`
	Options    []string `json:"options,omitempty"`
}

// GetCartInput shows the cart.
type GetCartInput struct{}

// CartOutput is the cart after the call, priced now; nil when empty.
type CartOutput struct {
	Cart *sodam.Order `json:"cart"`
}

// QuoteOrderInput prices the cart for checkout without changing anything:
// the total, and why it cannot be placed now if it cannot (closed, under
// the minimum order).
type QuoteOrderInput struct {
	Address string `json:"address,omitempty"`
}

// QuoteOrderOutput is the quote. Problem is a Korean sentence, empty when
// the order can be placed.
type QuoteOrderOutput struct {
	Cart        *sodam.Order    `json:"cart"`
	Merchant    *sodam.Merchant `json:"merchant"`
	Address     string          `json:"address"`
	CanPlace    bool            `json:"can_place"`
	Problem     string          `json:"problem,omitempty"`
	ProblemCode string          `json:"problem_code,omitempty"` // closed, min_order, empty, sold_out
}

// PlaceOrderInput places the cart as an order (status placed) once the
// user confirmed its total. ExpectedTotal, when set, must equal the total
// now, or the call is a conflict and nothing changes.
type PlaceOrderInput struct {
	Address       string `json:"address,omitempty"`
	PaymentMethod string `json:"payment_method,omitempty" jsonschema:"enum=kakaopay,enum=card"`
	ExpectedTotal int64  `json:"expected_total,omitempty" jsonschema:"minimum=0"`
}

// OrderOutput is an order after a call.
type OrderOutput struct {
	Order    *sodam.Order    `json:"order"`
	Merchant *sodam.Merchant `json:"merchant,omitempty"`
}

// PayInput pays a placed order or a held booking (one of the two). The
// amount charged is always the record's total; a retry never charges twice.
type PayInput struct {
	OrderID   string `json:"order_id,omitempty"`
	BookingID string `json:"booking_id,omitempty"`
	Method    string `json:"method,omitempty" jsonschema:"enum=kakaopay,enum=card,description=kakaopay when unsaid"`
}

// PayOutput is the payment and the record it paid. When the provider needs
// the user to approve on its page, the payment is ready and RedirectURL
// tells where.
type PayOutput struct {
	Payment     *sodam.Payment `json:"payment"`
	Order       *sodam.Order   `json:"order,omitempty"`
	Booking     *sodam.Booking `json:"booking,omitempty"`
	RedirectURL string         `json:"redirect_url,omitempty"`
}

// OrderStatusInput asks where an order is; the latest placed order when
// OrderID is empty.
type OrderStatusInput struct {
	OrderID string `json:"order_id,omitempty"`
}

// CancelOrderInput cancels an order (the latest cancellable one when
// OrderID is empty); a paid order is refunded.
type CancelOrderInput struct {
	OrderID string `json:"order_id,omitempty"`
}

// CancelOutput is the cancelled record and its refund, if any.
type CancelOutput struct {
	Order   *sodam.Order   `json:"order,omitempty"`
	Booking *sodam.Booking `json:"booking,omitempty"`
	Refund  *sodam.Payment `json:"refund,omitempty"`
}

// ReorderInput fills the cart with a past order's items at today's prices
// (the latest paid or delivered order when OrderID is empty).
type ReorderInput struct {
	OrderID string `json:"order_id,omitempty"`
}

// SearchEventsInput finds events.
type SearchEventsInput struct {
	Query     string     `json:"query,omitempty"`
	Performer string     `json:"performer,omitempty"`
	Category  string     `json:"category,omitempty" jsonschema:"enum=콘서트,enum=연극,enum=뮤지컬,enum=팬미팅"`
	Venue     string     `json:"venue,omitempty"`
	Location  string     `json:"location,omitempty"`
	From      *time.Time `json:"from,omitempty" jsonschema:"description=sessions starting at or after"`
	To        *time.Time `json:"to,omitempty" jsonschema:"description=sessions starting before"`
	Limit     int        `json:"limit,omitempty" jsonschema:"minimum=1,maximum=20"`
}

// EventResult is one event found with its future sessions in the window.
type EventResult struct {
	Event    *sodam.Event     `json:"event"`
	Sessions []*sodam.Session `json:"sessions"`
	Score    float64          `json:"score"`
}

// SearchEventsOutput lists events by relevance, then id.
type SearchEventsOutput struct {
	Events []EventResult `json:"events"`
}

// GetSessionsInput lists an event's sessions that start in the future (and
// in the window when given).
type GetSessionsInput struct {
	EventID string     `json:"event_id" jsonschema:"required"`
	From    *time.Time `json:"from,omitempty"`
	To      *time.Time `json:"to,omitempty"`
}

// GetSessionsOutput lists them by start time.
type GetSessionsOutput struct {
	Event    *sodam.Event     `json:"event"`
	Sessions []*sodam.Session `json:"sessions"`
}

// BookTicketsInput holds seats for the user. The hold lasts a few minutes;
// pay confirms it, cancel_booking releases it.
type BookTicketsInput struct {
	SessionID   string `json:"session_id" jsonschema:"required"`
	SeatGrade   string `json:"seat_grade" jsonschema:"required,description=VIP, R, S, A, B, 스탠딩 or 전석"`
	TicketCount int    `json:"ticket_count" jsonschema:"required,minimum=1,maximum=10"`
}

// BookingOutput is a booking after a call.
type BookingOutput struct {
	Booking *sodam.Booking `json:"booking"`
	Event   *sodam.Event   `json:"event,omitempty"`
	Session *sodam.Session `json:"session,omitempty"`
}

// CancelBookingInput cancels a booking (the latest held or paid one when
// BookingID is empty): seats go back, a paid booking is refunded.
type CancelBookingInput struct {
	BookingID string `json:"booking_id,omitempty"`
}

// FileComplaintInput files a complaint about an order or booking (the
// user's latest when neither is given).
type FileComplaintInput struct {
	Type      string `json:"type" jsonschema:"required,enum=cold,enum=late,enum=wrong_item,enum=missing_item,enum=taste,enum=quality,enum=rude,enum=other"`
	Text      string `json:"text,omitempty"`
	OrderID   string `json:"order_id,omitempty"`
	BookingID string `json:"booking_id,omitempty"`
}

// ComplaintOutput is the complaint filed and what it is about.
type ComplaintOutput struct {
	Complaint *sodam.Complaint `json:"complaint"`
	Order     *sodam.Order     `json:"order,omitempty"`
	Booking   *sodam.Booking   `json:"booking,omitempty"`
}

// SubscribeChannelInput adds (or with Unsubscribe, removes) a channel: a
// merchant's id or an event's channel_id.
type SubscribeChannelInput struct {
	ChannelID   string `json:"channel_id" jsonschema:"required"`
	Unsubscribe bool   `json:"unsubscribe,omitempty"`
}

// SubscribeChannelOutput is the user's subscriptions after the call.
type SubscribeChannelOutput struct {
	ChannelID     string   `json:"channel_id"`
	ChannelName   string   `json:"channel_name"`
	Subscriptions []string `json:"subscriptions"`
}

// PastOrdersInput lists the user's placed orders, newest first.
type PastOrdersInput struct {
	Limit int `json:"limit,omitempty" jsonschema:"minimum=1,maximum=50"`
}

// PastOrdersOutput lists them.
type PastOrdersOutput struct {
	Orders []*sodam.Order `json:"orders"`
}
