package sandboxpay

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/sodam-ai/sodam"
)

// Ledger keeps the sandbox's payments: the books of the provider. The
// default, a MemoryLedger, lives in one process; servers that share a
// database share one ledger kept there (connectors/postgres), so that a
// payment readied through one server is approved, refunded and looked up
// through any other, as with a real gateway.
//
// The unit of locking is the partner order, not the payment: whether a
// payment may be charged depends on the other payments of its order (an
// order is paid once), so the order's payments are read and changed
// together.
type Ledger interface {
	// Get returns payment tid as last stored. An unknown tid is an
	// error with code sodam.ENOTFOUND.
	Get(ctx context.Context, tid string) (*Record, error)
	// Update runs fn with the payments of partner order orderID, oldest
	// first (none for a new order), holding the order's lock: calls for
	// one order, through any provider sharing the ledger, run one at a
	// time, so that two servers approving or refunding at once never
	// charge or refund twice. fn may change the records it is given and
	// return a new payment of the order to add, or nil. When fn returns
	// nil the changes and the new payment are stored together; when it
	// returns an error nothing is, and Update returns that error as it
	// is. fn runs once and must not keep the records.
	Update(ctx context.Context, orderID string, fn func(payments []*Record) (*Record, error)) error
	// Totals counts the charges and refunds of every payment in the
	// ledger.
	Totals(ctx context.Context) (Totals, error)
}

// Record is one payment (one TID) in a ledger.
type Record struct {
	// Ticket is what Ready answered, without the auto-approval token;
	// Ticket.TID is the payment's key.
	Ticket sodam.PaymentTicket
	// Request is the Ready request. Request.PartnerOrderID is the order
	// the payment belongs to.
	Request sodam.PaymentReadyRequest
	// Token is the pg_token an approval must carry.
	Token string
	// Status is READY, SUCCESS_PAYMENT, CANCEL_PAYMENT,
	// PART_CANCEL_PAYMENT or FAIL_PAYMENT.
	Status string
	// Approval is the approval that charged the payment; nil until then.
	Approval *sodam.PaymentApproval
	// Cancelled is the sum refunded so far; Refunds counts the
	// cancellations that refunded it, the last at CancelledAt.
	Cancelled   int64
	Refunds     int
	CancelledAt time.Time
}

// TID returns the payment's transaction id.
func (r *Record) TID() string { return r.Ticket.TID }

// Clone returns a copy of r that shares nothing with it.
func (r *Record) Clone() *Record {
	c := *r
	if r.Approval != nil {
		a := *r.Approval
		c.Approval = &a
	}
	return &c
}

// Totals is what the payments of a ledger charged and refunded.
type Totals struct {
	Charges  int   // approvals that charged
	Charged  int64 // the sum they charged, refunds not deducted
	Refunds  int   // cancellations that refunded
	Refunded int64 // the sum they refunded
}

// Add counts rec in t.
func (t *Totals) Add(rec *Record) {
	if rec.Approval != nil {
		t.Charges++
		t.Charged += rec.Approval.Amount
	}
	t.Refunds += rec.Refunds
	t.Refunded += rec.Cancelled
}

// MemoryLedger is a Ledger in this process's memory, the default. It is
// safe for concurrent use; providers of one process may share it.
type MemoryLedger struct {
	mu       sync.Mutex
	payments map[string]*Record  // by TID
	byOrder  map[string][]string // partner order -> TIDs, oldest first
}

var _ Ledger = (*MemoryLedger)(nil)

// NewMemoryLedger returns an empty ledger in memory.
func NewMemoryLedger() *MemoryLedger {
	return &MemoryLedger{payments: make(map[string]*Record), byOrder: make(map[string][]string)}
}

// Get returns a copy of payment tid.
func (l *MemoryLedger) Get(ctx context.Context, tid string) (*Record, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	rec, ok := l.payments[tid]
	if !ok {
		return nil, &sodam.Error{Code: sodam.ENOTFOUND, Op: "sandboxpay.MemoryLedger.Get", Message: "결제 정보를 찾을 수 없어요."}
	}
	return rec.Clone(), nil
}

// Update runs fn on copies of the order's payments with the ledger
// locked and keeps the copies when fn succeeds.
func (l *MemoryLedger) Update(ctx context.Context, orderID string, fn func(payments []*Record) (*Record, error)) error {
	const op = "sandboxpay.MemoryLedger.Update"
	l.mu.Lock()
	defer l.mu.Unlock()
	tids := l.byOrder[orderID]
	pays := make([]*Record, len(tids))
	for k, tid := range tids {
		pays[k] = l.payments[tid].Clone()
	}
	added, err := fn(pays)
	if err != nil {
		return err
	}
	if added != nil {
		switch _, dup := l.payments[added.TID()]; {
		case added.TID() == "" || added.Request.PartnerOrderID != orderID:
			return &sodam.Error{Code: sodam.EINVALID, Op: op, Err: fmt.Errorf("new payment %q is not of order %q", added.TID(), orderID)}
		case dup:
			return &sodam.Error{Code: sodam.ECONFLICT, Op: op, Err: fmt.Errorf("payment %s is already kept", added.TID())}
		}
	}
	for k, tid := range tids {
		l.payments[tid] = pays[k].Clone()
	}
	if added != nil {
		l.payments[added.TID()] = added.Clone()
		l.byOrder[orderID] = append(l.byOrder[orderID], added.TID())
	}
	return nil
}

// Totals counts over every payment kept.
func (l *MemoryLedger) Totals(ctx context.Context) (Totals, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var t Totals
	for _, rec := range l.payments {
		t.Add(rec)
	}
	return t, nil
}
