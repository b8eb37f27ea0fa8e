package sodam

import "time"

// Order statuses of the merchant side, between paid and delivered. A paid
// order is accepted (or rejected, which cancels and refunds it), then
// moves one step at a time: accepted, cooking (조리중), delivering
// (배달중), delivered (배달완료).
const (
	OrderAccepted   OrderStatus = "accepted"   // the store took the order
	OrderCooking    OrderStatus = "cooking"    // being prepared (조리중)
	OrderDelivering OrderStatus = "delivering" // on its way (배달중)
)

// NextOrderStep returns the status that follows s on the merchant side
// (paid → accepted → cooking → delivering → delivered), and false when s
// has no next step.
func NextOrderStep(s OrderStatus) (OrderStatus, bool) {
	switch s {
	case OrderPaid:
		return OrderAccepted, true
	case OrderAccepted:
		return OrderCooking, true
	case OrderCooking:
		return OrderDelivering, true
	case OrderDelivering:
		return OrderDelivered, true
	}
	return "", false
}

// InProgress reports whether an order in status s is paid and not yet
// delivered or cancelled: the store is working on it.
func (s OrderStatus) InProgress() bool {
	switch s {
	case OrderPaid, OrderAccepted, OrderCooking, OrderDelivering:
		return true
	}
	return false
}

// Korean is how the status is named to users and merchants.
func (s OrderStatus) Korean() string {
	switch s {
	case OrderDraft:
		return "장바구니"
	case OrderPlaced:
		return "결제 대기"
	case OrderPaid:
		return "접수 대기"
	case OrderAccepted:
		return "주문 접수"
	case OrderCooking:
		return "조리중"
	case OrderDelivering:
		return "배달중"
	case OrderDelivered:
		return "배달완료"
	case OrderCancelled:
		return "취소"
	}
	return string(s)
}

// ChannelKind tells whether a channel is a store or an event channel
// (an agency or an artist). Both share one id space: a merchant's channel
// id is its merchant id; an event's is its ChannelID.
type ChannelKind string

const (
	ChannelMerchant ChannelKind = "merchant"
	ChannelEvents   ChannelKind = "events"
)

// MerchantAccount is the account of a channel owner on the merchant side:
// a store, or the owner of an event channel. The API key is never kept:
// KeyHash is the SHA-256 of it, compared in constant time.
type MerchantAccount struct {
	ChannelID string      `json:"channel_id"`
	Kind      ChannelKind `json:"kind"`
	Name      string      `json:"name"`
	KeyHash   []byte      `json:"-"`
	// CommissionBP is the platform's commission in basis points
	// (1000 = 10%); nil takes the platform default.
	CommissionBP *int       `json:"commission_bp,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	KeyIssuedAt  *time.Time `json:"key_issued_at,omitempty"`
}

// OrderStep is one change of an order's status made on the merchant side
// (or the refund of a rejection), kept as the order's history.
type OrderStep struct {
	ID         string      `json:"id"`
	OrderID    string      `json:"order_id"`
	MerchantID string      `json:"merchant_id"`
	From       OrderStatus `json:"from"`
	To         OrderStatus `json:"to"`
	Reason     string      `json:"reason,omitempty"` // why it was rejected
	At         time.Time   `json:"at"`
}

// InquiryStatus is the state of an inquiry.
type InquiryStatus string

const (
	InquiryOpen     InquiryStatus = "open"
	InquiryAnswered InquiryStatus = "answered"
)

// Inquiry is a user's question that the catalog does not answer (주차 돼요?,
// 공연 중 입장 가능해요?), forwarded to the channel it is about with the
// recent conversation, instead of a guess.
type Inquiry struct {
	ID         string        `json:"id"`
	UserID     string        `json:"user_id"`
	ChannelID  string        `json:"channel_id"`
	Question   string        `json:"question"`
	Context    []string      `json:"context,omitempty"` // the conversation before it, oldest first
	Status     InquiryStatus `json:"status"`
	Answer     string        `json:"answer,omitempty"`
	CreatedAt  time.Time     `json:"created_at"`
	AnsweredAt *time.Time    `json:"answered_at,omitempty"`
}

// Broadcast is a message a channel posted to its subscribers.
type Broadcast struct {
	ID        string    `json:"id"`
	ChannelID string    `json:"channel_id"`
	Text      string    `json:"text"`
	Audience  int       `json:"audience"` // subscribers when it was posted
	CreatedAt time.Time `json:"created_at"`
}

// NoticeKind tells what a notice is about.
type NoticeKind string

const (
	NoticeOrderStatus    NoticeKind = "order_status"
	NoticeComplaintReply NoticeKind = "complaint_reply"
	NoticeInquiryAnswer  NoticeKind = "inquiry_answer"
	NoticeBroadcast      NoticeKind = "channel_broadcast"
)

// Notice is something the merchant side tells a user in the chat: a
// status change, a reply, an answer, a broadcast. A notice for a user who
// is not connected waits in the user's outbox, in order, until the next
// connection. Seq orders a user's notices and is set by the store.
type Notice struct {
	Seq         int64      `json:"seq"`
	UserID      string     `json:"user_id"`
	Kind        NoticeKind `json:"kind"`
	ChannelID   string     `json:"channel_id,omitempty"`
	OrderID     string     `json:"order_id,omitempty"`
	Status      string     `json:"status,omitempty"`
	ComplaintID string     `json:"complaint_id,omitempty"`
	InquiryID   string     `json:"inquiry_id,omitempty"`
	BroadcastID string     `json:"broadcast_id,omitempty"`
	Text        string     `json:"text"`
	At          time.Time  `json:"at"`
}
