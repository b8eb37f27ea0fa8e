package ws

import (
	"time"

	"github.com/sodam-ai/sodam"
)

// Frame types, the "type" field of every frame.
const (
	TypeHello            = "hello"             // client: open or resume a session
	TypeWelcome          = "welcome"           // server: the session is open
	TypeUserMessage      = "user_message"      // client: a message from the user
	TypeAssistantMessage = "assistant_message" // server: the reply to a user_message
	TypeTyping           = "typing"            // server: the assistant is (no longer) writing
	TypeAssistantDelta   = "assistant_delta"   // server: a piece of a reply being streamed
	TypeEvent            = "event"             // server: something happened (payment, order)
	TypeError            = "error"             // server: a frame or a turn failed
)

// Event names of event frames.
const (
	EventPaymentApproved  = "payment_approved"
	EventPaymentCancelled = "payment_cancelled"
	EventOrderStatus      = "order_status"
	// Events of the merchant side: a store's reply to a complaint, a
	// channel's answer to a question forwarded from the chat, and a
	// channel's broadcast to its subscribers (with ChannelID and
	// ChannelName set).
	EventComplaintReply   = "complaint_reply"
	EventInquiryAnswer    = "inquiry_answer"
	EventChannelBroadcast = "channel_broadcast"
)

// Error codes of error frames besides the application codes of the sodam
// package (invalid, not_found, conflict, unauthorized, unavailable,
// internal), which report a failed turn.
const (
	CodeBadFrame      = "bad_frame"      // not JSON, not text, or missing fields
	CodeUnknownType   = "unknown_type"   // a "type" the server does not know
	CodeTooLong       = "too_long"       // the text is longer than the limit
	CodeRateLimited   = "rate_limited"   // too many frames; the frame was dropped
	CodeHelloRequired = "hello_required" // a user_message before hello
	CodeBusy          = "busy"           // too many messages waiting for replies
	CodeShuttingDown  = "shutting_down"  // the server is stopping; reconnect
)

// Close codes the server uses besides the standard ones (1000 normal,
// 1001 going away at shutdown, 1009 a frame over the read limit).
const (
	ClosePolicy     = 1008 // an invalid session token, no hello in time, or a flood of frames
	CloseSlowReader = 1013 // the client did not read its frames; the send queue overflowed
)

// Hello opens a session. Token is the token of an earlier welcome to
// resume that user's session; empty starts a new user. Profile, when set,
// is stored for a user the store does not know yet (the delivery address
// and the point "near me" is measured from).
type Hello struct {
	Type    string   `json:"type"`
	Token   string   `json:"token,omitempty"`
	Profile *Profile `json:"profile,omitempty"`
}

// Profile is what a client tells about a new user.
type Profile struct {
	Name    string  `json:"name,omitempty"`
	Address string  `json:"address,omitempty"`
	Lat     float64 `json:"lat,omitempty"`
	Lng     float64 `json:"lng,omitempty"`
}

// Welcome answers hello. Token is a renewed session token for the next
// hello; Resumed tells whether an existing session was resumed.
type Welcome struct {
	Type      string    `json:"type"`
	UserID    string    `json:"user_id"`
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	Resumed   bool      `json:"resumed"`
}

// UserMessage is one message from the user. ClientMsgID is chosen by the
// client and unique per message: sending the same id again (after a
// reconnect, say) gets the same reply and repeats no action.
type UserMessage struct {
	Type        string `json:"type"`
	ClientMsgID string `json:"client_msg_id"`
	Text        string `json:"text"`
}

// AssistantMessage is the reply to the user_message whose client_msg_id
// is ReplyTo. Replayed is set when it is a copy of an earlier reply.
type AssistantMessage struct {
	Type     string          `json:"type"`
	ReplyTo  string          `json:"reply_to"`
	Response *sodam.Response `json:"response"`
	Replayed bool            `json:"replayed,omitempty"`
}

// Typing tells whether the assistant is writing a reply.
type Typing struct {
	Type string `json:"type"`
	On   bool   `json:"on"`
}

// Event is pushed by the server when something happens outside the
// conversation: a payment approved on the provider's page, an order's
// status changed by the store, a reply or a broadcast from a channel.
// Text is a Korean sentence a client may show as is. ChannelID and
// ChannelName name the channel an event comes from (a store or an event
// channel), when it comes from one. Seq numbers the merchant side's
// notices of one user: the server sends a Seq to a user's connections at
// most once, and a client that reconnects to another server and sees a
// Seq it already showed may drop it.
type Event struct {
	Type        string    `json:"type"`
	Event       string    `json:"event"`
	Seq         int64     `json:"seq,omitempty"`
	PaymentID   string    `json:"payment_id,omitempty"`
	OrderID     string    `json:"order_id,omitempty"`
	BookingID   string    `json:"booking_id,omitempty"`
	Status      string    `json:"status,omitempty"`
	Amount      int64     `json:"amount,omitempty"`
	ChannelID   string    `json:"channel_id,omitempty"`
	ChannelName string    `json:"channel_name,omitempty"`
	Text        string    `json:"text,omitempty"`
	At          time.Time `json:"at"`
}

// Error reports a frame or a turn that failed. ReplyTo is the
// client_msg_id of the user_message it answers, when there is one.
// Message is a polite Korean sentence safe to show.
type Error struct {
	Type    string `json:"type"`
	Code    string `json:"code"`
	Message string `json:"message"`
	ReplyTo string `json:"reply_to,omitempty"`
}

// AssistantDelta is a piece of the reply to ReplyTo, sent as the assistant
// writes it. The assistant_message that follows carries the whole reply
// and is the answer of record; a client may show the pieces meanwhile.
type AssistantDelta struct {
	Type    string `json:"type"`
	ReplyTo string `json:"reply_to"`
	Text    string `json:"text"`
}
