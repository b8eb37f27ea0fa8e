package sodam

import "context"

// Response is what the assistant answers to one turn: text plus the richer
// parts a channel may show. The websocket channel sends it as is; the
// Kakao skill endpoint maps it to simpleText, cards, carousels and quick
// replies within the platform's limits; a terminal draws it as text.
type Response struct {
	Text         string       `json:"text"`
	Cards        []Card       `json:"cards,omitempty"` // shown as a carousel when more than one
	List         *ListCard    `json:"list,omitempty"`  // a numbered list (search results, cart)
	QuickReplies []QuickReply `json:"quick_replies,omitempty"`
	Payment      *PaymentLink `json:"payment,omitempty"` // a payment button
	// Intent and Confidence tell what the assistant understood, for logs
	// and evaluations; channels do not show them.
	Intent     string  `json:"intent,omitempty"`
	Confidence float64 `json:"confidence,omitempty"`
}

// CardKind tells what a card shows.
type CardKind string

const (
	CardMerchant CardKind = "merchant"
	CardMenuItem CardKind = "menu_item"
	CardEvent    CardKind = "event"
	CardOrder    CardKind = "order"
	CardBooking  CardKind = "booking"
)

// Card is one record shown as a card.
type Card struct {
	Kind        CardKind `json:"kind"`
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Price       int64    `json:"price,omitempty"`      // what the user pays now
	BasePrice   int64    `json:"base_price,omitempty"` // before a discount, when one applies
	DiscountPct int      `json:"discount_percent,omitempty"`
	ImageURL    string   `json:"image_url,omitempty"`
	Buttons     []Button `json:"buttons,omitempty"`
}

// ButtonAction is what pressing a button does.
type ButtonAction string

const (
	ActionMessage ButtonAction = "message" // sends MessageText as the user's message
	ActionWebLink ButtonAction = "webLink" // opens URL
	ActionPhone   ButtonAction = "phone"   // calls Phone
)

// Button is a button on a card or list.
type Button struct {
	Label       string       `json:"label"`
	Action      ButtonAction `json:"action"`
	MessageText string       `json:"message_text,omitempty"`
	URL         string       `json:"url,omitempty"`
	Phone       string       `json:"phone,omitempty"`
}

// ListCard is a titled, numbered list.
type ListCard struct {
	Title   string     `json:"title"`
	Items   []ListItem `json:"items"`
	Buttons []Button   `json:"buttons,omitempty"`
}

// ListItem is one row of a list card.
type ListItem struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	ImageURL    string `json:"image_url,omitempty"`
	MessageText string `json:"message_text,omitempty"` // sent when the row is chosen
}

// QuickReply is a chip that sends MessageText when tapped.
type QuickReply struct {
	Label       string `json:"label"`
	MessageText string `json:"message_text"`
}

// PaymentLink is a payment waiting for the user's approval at the provider.
type PaymentLink struct {
	PaymentID string `json:"payment_id"`
	Amount    int64  `json:"amount"`
	Label     string `json:"label"`
	URL       string `json:"url"`
}

// Turn is one message from a user to the assistant.
type Turn struct {
	UserID string `json:"user_id"`
	Text   string `json:"text"`
	// MessageID, when set, makes the turn idempotent: the same id from the
	// same user gets the same response and repeats no action.
	MessageID string `json:"message_id,omitempty"`
	// Channel names where the turn came from: ws, kakao, http, cli, eval.
	Channel string `json:"channel,omitempty"`
}

// Assistant answers turns. Turns of one user are handled one at a time.
type Assistant interface {
	Respond(ctx context.Context, t Turn) (*Response, error)
}
