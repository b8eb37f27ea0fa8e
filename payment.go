package sodam

import (
	"context"
	"time"
)

// PaymentProvider is a payment gateway shaped like KakaoPay's online single
// payment: Ready registers a payment and returns where the user approves
// it; Approve charges it with the token the approval returned; Cancel
// refunds it; Lookup tells its state at the provider. connectors/sandboxpay
// is the built-in default; connectors/kakaopay talks to KakaoPay.
//
// PartnerOrderID is the idempotency key at the provider: the service uses
// the payment's IdempotencyKey. An Approve whose outcome is unknown (a
// timeout) must be settled by Lookup, never by a blind retry.
type PaymentProvider interface {
	Name() string
	Ready(ctx context.Context, r PaymentReadyRequest) (*PaymentTicket, error)
	Approve(ctx context.Context, r PaymentApproveRequest) (*PaymentApproval, error)
	Cancel(ctx context.Context, r PaymentCancelRequest) (*PaymentCancellation, error)
	Lookup(ctx context.Context, tid string) (*ProviderPayment, error)
}

// PaymentReadyRequest registers a payment (KakaoPay "ready").
type PaymentReadyRequest struct {
	PartnerOrderID string
	PartnerUserID  string
	ItemName       string
	Quantity       int
	TotalAmount    int64
	TaxFreeAmount  int64
	Method         PaymentMethod
	ApprovalURL    string
	CancelURL      string
	FailURL        string
}

// PaymentTicket is the provider's answer to Ready. RedirectURL is the page
// where the user approves. AutoApproveToken is set only by providers that
// approve on the user's confirmation in chat (the sandbox): the service
// then approves at once with it.
type PaymentTicket struct {
	TID              string
	RedirectURL      string
	MobileURL        string
	AutoApproveToken string
	CreatedAt        time.Time
}

// PaymentApproveRequest charges a ready payment (KakaoPay "approve").
type PaymentApproveRequest struct {
	TID            string
	PartnerOrderID string
	PartnerUserID  string
	PGToken        string
	TotalAmount    int64
}

// PaymentApproval is the provider's answer to Approve.
type PaymentApproval struct {
	AID        string
	TID        string
	Amount     int64
	MethodType string // CARD or MONEY
	ApprovedAt time.Time
}

// PaymentCancelRequest refunds (part of) an approved payment.
type PaymentCancelRequest struct {
	TID           string
	CancelAmount  int64
	TaxFreeAmount int64
}

// PaymentCancellation is the provider's answer to Cancel.
type PaymentCancellation struct {
	TID             string
	CancelledAmount int64
	Status          string
	CancelledAt     time.Time
}

// ProviderPayment is a payment as the provider knows it. Status uses
// KakaoPay's values: READY, SUCCESS_PAYMENT, CANCEL_PAYMENT,
// PART_CANCEL_PAYMENT, FAIL_PAYMENT, QUIT_PAYMENT and the pending ones.
type ProviderPayment struct {
	TID             string
	PartnerOrderID  string
	Status          string
	Amount          int64
	CancelledAmount int64
}
