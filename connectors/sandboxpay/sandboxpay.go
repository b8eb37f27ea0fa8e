// Package sandboxpay is the built-in payment provider: a KakaoPay-shaped
// gateway that charges nobody. The assistant uses it by default and in
// evaluations, where it approves as soon as the user confirms the amount
// in the conversation; with AutoApprove off, the user approves on a small
// web page instead (Handler), as with KakaoPay's hosted page. It keeps
// its books in a Ledger: in memory by default, or in the database that
// several servers share, so that they act as one gateway.
//
// It behaves like the real gateway where the service's correctness is at
// stake: an approval must carry the ready amount, the partner ids and the
// token; approving twice charges once; refunds never exceed the charge;
// and Lookup tells the truth after a timeout. Tests inject failures with
// Fault, FailNext and DeclineNext, slow answers with SetDelay, and read
// what was charged with Charges, ChargedAmount, Refunds and
// RefundedAmount.
package sandboxpay

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/sodam-ai/sodam"
)

// Name is the provider's name, as payments record it.
const Name = "sandbox"

// Operations, as Fault, FailNext and SetDelay name them.
const (
	OpReady   = "ready"
	OpApprove = "approve"
	OpCancel  = "cancel"
	OpLookup  = "lookup"
)

// Statuses of a payment at the provider, as KakaoPay names them.
const (
	StatusReady       = "READY"
	StatusSuccess     = "SUCCESS_PAYMENT"
	StatusCancel      = "CANCEL_PAYMENT"
	StatusPartCancel  = "PART_CANCEL_PAYMENT"
	StatusFailPayment = "FAIL_PAYMENT"
)

// Provider is the sandbox payment gateway. Set its fields before first
// use; its methods are safe for concurrent use.
type Provider struct {
	// BaseURL is where Handler is served; a ticket's RedirectURL is
	// BaseURL + "/pay/sandbox/" + TID.
	BaseURL string
	// AutoApprove makes Ready hand out the approval token at once
	// (PaymentTicket.AutoApproveToken), so the service approves when the
	// user confirms in chat. Off, the token comes only from the approval
	// page.
	AutoApprove bool
	// Clock stamps approvals and cancellations; nil is sodam.WallClock.
	Clock sodam.Clock
	// Fault, when set, is called at the start of every operation with its
	// name (OpReady, ...). An error it returns fails the operation before
	// it reaches the provider: nothing changes.
	Fault func(op string) error
	// Ledger keeps the payments; nil is a MemoryLedger of this provider's
	// own. Providers sharing a ledger are one gateway: a payment readied
	// through one is approved, cancelled and looked up through any. The
	// injected failures, declines and delays stay with each provider.
	Ledger Ledger

	mu       sync.Mutex
	ledger   Ledger // Ledger, or the memory ledger made for it
	prefix   string // 10 random digits, so that TIDs differ across providers
	seq      int64
	failNext map[string][]error
	declines int
	delays   map[string]time.Duration
}

var _ sodam.PaymentProvider = (*Provider)(nil)

// New returns a provider serving its approval page under baseURL, with
// AutoApprove on, keeping its payments in memory.
func New(baseURL string, clock sodam.Clock) *Provider {
	return &Provider{BaseURL: baseURL, AutoApprove: true, Clock: clock}
}

// NewWithLedger returns a provider like New's that keeps its payments in
// l, which other providers may share.
func NewWithLedger(baseURL string, clock sodam.Clock, l Ledger) *Provider {
	p := New(baseURL, clock)
	p.Ledger = l
	return p
}

// Name returns "sandbox".
func (p *Provider) Name() string { return Name }

// FailNext makes the next call of op fail with err before it reaches the
// provider. Calls queue up: each failure is used once.
func (p *Provider) FailNext(op string, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.failNext == nil {
		p.failNext = make(map[string][]error)
	}
	p.failNext[op] = append(p.failNext[op], err)
}

// DeclineNext makes the provider refuse the next approval that would
// otherwise succeed: its payment ends in FAIL_PAYMENT and Approve returns
// ECONFLICT, as when a card is declined.
func (p *Provider) DeclineNext() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.declines++
}

// SetDelay makes every later call of op answer d late. The operation takes
// effect at the provider at once; only the answer waits. When the
// caller's context ends first the call returns EUNAVAILABLE although the
// operation was done, as a timeout on a real gateway leaves the outcome
// unknown to the caller: Lookup tells it. A zero d removes the delay.
func (p *Provider) SetDelay(op string, d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.delays == nil {
		p.delays = make(map[string]time.Duration)
	}
	p.delays[op] = d
}

// Totals counts the charges and refunds of every payment in the ledger,
// whichever provider sharing it made them.
func (p *Provider) Totals(ctx context.Context) (Totals, error) {
	t, err := p.books().Totals(ctx)
	if err != nil {
		return Totals{}, unavailable("sandboxpay.Totals", err)
	}
	return t, nil
}

// Charges is the number of approvals that charged, over the ledger; -1
// when the ledger cannot be read (Totals tells why).
func (p *Provider) Charges() int { return p.totals().Charges }

// ChargedAmount is the sum charged by approvals, before refunds, over the
// ledger; -1 when the ledger cannot be read.
func (p *Provider) ChargedAmount() int64 { return p.totals().Charged }

// Refunds is the number of cancellations that refunded, over the ledger;
// -1 when the ledger cannot be read.
func (p *Provider) Refunds() int { return p.totals().Refunds }

// RefundedAmount is the sum refunded by cancellations, over the ledger;
// -1 when the ledger cannot be read.
func (p *Provider) RefundedAmount() int64 { return p.totals().Refunded }

// totals is Totals for the counters, which have no error to return: a
// ledger that cannot be read counts -1, a figure no check takes for a
// real one.
func (p *Provider) totals() Totals {
	t, err := p.Totals(context.Background())
	if err != nil {
		return Totals{Charges: -1, Charged: -1, Refunds: -1, Refunded: -1}
	}
	return t
}

// books returns the ledger, making the memory one on first use.
func (p *Provider) books() Ledger {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ledger == nil {
		p.ledger = p.Ledger
		if p.ledger == nil {
			p.ledger = NewMemoryLedger()
		}
	}
	return p.ledger
}

// Ready registers a payment and returns its ticket. It needs the partner
// order and user ids and a positive amount (EINVALID otherwise). Ready
// again for a partner order whose payment is still ready, with the same
// user and amount, returns the same ticket; for one already paid it is
// ECONFLICT.
func (p *Provider) Ready(ctx context.Context, r sodam.PaymentReadyRequest) (*sodam.PaymentTicket, error) {
	const op = "sandboxpay.Ready"
	if err := p.begin(ctx, op, OpReady); err != nil {
		return nil, err
	}
	switch {
	case r.PartnerOrderID == "" || r.PartnerUserID == "":
		return nil, errorf(sodam.EINVALID, op, "결제할 주문과 사용자를 알 수 없어요.")
	case r.TotalAmount <= 0:
		return nil, errorf(sodam.EINVALID, op, "결제 금액은 0원보다 커야 해요.")
	case r.TaxFreeAmount < 0 || r.TaxFreeAmount > r.TotalAmount:
		return nil, errorf(sodam.EINVALID, op, "비과세 금액이 올바르지 않아요.")
	}

	var ticket *sodam.PaymentTicket
	err := p.update(ctx, op, r.PartnerOrderID, func(pays []*Record) (*Record, error) {
		for _, old := range pays {
			switch {
			case old.Approval != nil:
				return nil, errorf(sodam.ECONFLICT, op, "이미 결제된 주문이에요.")
			case old.Status == StatusReady && old.Request.PartnerUserID == r.PartnerUserID && old.Request.TotalAmount == r.TotalAmount:
				ticket = p.ticketOf(old)
				return nil, nil
			}
		}
		tid := p.newID("T")
		url := strings.TrimRight(p.BaseURL, "/") + "/pay/sandbox/" + tid
		pay := &Record{
			Ticket:  sodam.PaymentTicket{TID: tid, RedirectURL: url, MobileURL: url, CreatedAt: p.now()},
			Request: r,
			Token:   randomToken(),
			Status:  StatusReady,
		}
		ticket = p.ticketOf(pay)
		return pay, nil
	})
	if err != nil {
		return nil, err
	}
	if err := p.wait(ctx, op, OpReady); err != nil {
		return nil, err
	}
	return ticket, nil
}

func (p *Provider) ticketOf(pay *Record) *sodam.PaymentTicket {
	t := pay.Ticket
	if p.AutoApprove {
		t.AutoApproveToken = pay.Token
	}
	return &t
}

// Approve charges a ready payment. The TID must exist (ENOTFOUND), the
// partner ids must be those of Ready (EINVALID), the token that of the
// payment (EUNAUTHORIZED) and TotalAmount the ready amount (EINVALID);
// none of these charges anything. Approving an approved payment again
// returns its approval without charging twice; approving a cancelled or
// failed one, or a second payment of a partner order already paid, is
// ECONFLICT.
func (p *Provider) Approve(ctx context.Context, r sodam.PaymentApproveRequest) (*sodam.PaymentApproval, error) {
	const op = "sandboxpay.Approve"
	if err := p.begin(ctx, op, OpApprove); err != nil {
		return nil, err
	}
	found, err := p.get(ctx, op, r.TID)
	if err != nil {
		return nil, err
	}
	var (
		approval *sodam.PaymentApproval
		declined bool // a decline was used, and is given back if nothing is stored
	)
	err = p.update(ctx, op, found.Request.PartnerOrderID, func(pays []*Record) (*Record, error) {
		pay := payment(pays, r.TID)
		switch {
		case pay == nil:
			return nil, errorf(sodam.ENOTFOUND, op, "결제 정보를 찾을 수 없어요.")
		case r.PartnerOrderID != pay.Request.PartnerOrderID || r.PartnerUserID != pay.Request.PartnerUserID:
			return nil, errorf(sodam.EINVALID, op, "결제 요청 정보가 일치하지 않아요.")
		case r.PGToken != pay.Token:
			return nil, errorf(sodam.EUNAUTHORIZED, op, "결제 승인 정보가 올바르지 않아요.")
		case r.TotalAmount != pay.Request.TotalAmount:
			return nil, errorf(sodam.EINVALID, op, "결제 금액이 준비된 금액과 달라요.")
		}
		switch pay.Status {
		case StatusSuccess:
			a := *pay.Approval
			approval = &a
			return nil, nil
		case StatusCancel, StatusPartCancel:
			return nil, errorf(sodam.ECONFLICT, op, "이미 취소된 결제예요.")
		case StatusFailPayment:
			return nil, errorf(sodam.ECONFLICT, op, "결제가 거절됐어요.")
		}
		for _, other := range pays {
			if other.Approval != nil {
				return nil, errorf(sodam.ECONFLICT, op, "이미 결제된 주문이에요.")
			}
		}
		if declined = p.takeDecline(); declined {
			pay.Status = StatusFailPayment
			return nil, nil
		}
		method := "MONEY"
		if pay.Request.Method == sodam.PayCard {
			method = "CARD"
		}
		pay.Approval = &sodam.PaymentApproval{
			AID: p.newID("A"), TID: r.TID, Amount: pay.Request.TotalAmount,
			MethodType: method, ApprovedAt: p.now(),
		}
		pay.Status = StatusSuccess
		a := *pay.Approval
		approval = &a
		return nil, nil
	})
	switch {
	case err != nil && declined:
		p.mu.Lock()
		p.declines++
		p.mu.Unlock()
		return nil, err
	case err != nil:
		return nil, err
	case declined:
		return nil, errorf(sodam.ECONFLICT, op, "결제가 거절됐어요. 다른 결제 수단으로 다시 시도해 주세요.")
	}
	if err := p.wait(ctx, op, OpApprove); err != nil {
		return nil, err
	}
	return approval, nil
}

// takeDecline uses up one DeclineNext, if any is left.
func (p *Provider) takeDecline() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.declines == 0 {
		return false
	}
	p.declines--
	return true
}

// Cancel refunds CancelAmount of an approved payment: all of it, or part,
// possibly in several calls. It is ECONFLICT for a payment not approved
// or already refunded in full, EINVALID for an amount that is not
// positive or exceeds what is left to refund. CancelledAmount in the
// answer is the total refunded so far.
func (p *Provider) Cancel(ctx context.Context, r sodam.PaymentCancelRequest) (*sodam.PaymentCancellation, error) {
	const op = "sandboxpay.Cancel"
	if err := p.begin(ctx, op, OpCancel); err != nil {
		return nil, err
	}
	found, err := p.get(ctx, op, r.TID)
	if err != nil {
		return nil, err
	}
	var c *sodam.PaymentCancellation
	err = p.update(ctx, op, found.Request.PartnerOrderID, func(pays []*Record) (*Record, error) {
		pay := payment(pays, r.TID)
		if pay == nil {
			return nil, errorf(sodam.ENOTFOUND, op, "결제 정보를 찾을 수 없어요.")
		}
		switch pay.Status {
		case StatusSuccess, StatusPartCancel:
		case StatusCancel:
			return nil, errorf(sodam.ECONFLICT, op, "이미 취소된 결제예요.")
		default:
			return nil, errorf(sodam.ECONFLICT, op, "승인되지 않은 결제는 취소할 수 없어요.")
		}
		left := pay.Request.TotalAmount - pay.Cancelled
		if r.CancelAmount <= 0 || r.CancelAmount > left {
			return nil, errorf(sodam.EINVALID, op, "취소할 수 있는 금액은 %s이에요.", won(left))
		}
		pay.Cancelled += r.CancelAmount
		pay.Refunds++
		pay.CancelledAt = p.now()
		pay.Status = StatusPartCancel
		if pay.Cancelled == pay.Request.TotalAmount {
			pay.Status = StatusCancel
		}
		c = &sodam.PaymentCancellation{
			TID: r.TID, CancelledAmount: pay.Cancelled, Status: pay.Status, CancelledAt: pay.CancelledAt,
		}
		return nil, nil
	})
	if err != nil {
		return nil, err
	}
	if err := p.wait(ctx, op, OpCancel); err != nil {
		return nil, err
	}
	return c, nil
}

// Lookup returns a payment as the provider knows it; an unknown TID is
// ENOTFOUND.
func (p *Provider) Lookup(ctx context.Context, tid string) (*sodam.ProviderPayment, error) {
	const op = "sandboxpay.Lookup"
	if err := p.begin(ctx, op, OpLookup); err != nil {
		return nil, err
	}
	pay, err := p.get(ctx, op, tid)
	if err != nil {
		return nil, err
	}
	out := &sodam.ProviderPayment{
		TID: tid, PartnerOrderID: pay.Request.PartnerOrderID, Status: pay.Status,
		Amount: pay.Request.TotalAmount, CancelledAmount: pay.Cancelled,
	}
	if err := p.wait(ctx, op, OpLookup); err != nil {
		return nil, err
	}
	return out, nil
}

// get reads payment tid from the ledger. An unknown TID is ENOTFOUND; a
// ledger that fails is a provider that cannot be reached, EUNAVAILABLE.
func (p *Provider) get(ctx context.Context, op, tid string) (*Record, error) {
	rec, err := p.books().Get(ctx, tid)
	switch {
	case sodam.ErrorCode(err) == sodam.ENOTFOUND:
		return nil, &sodam.Error{Code: sodam.ENOTFOUND, Op: op, Message: "결제 정보를 찾을 수 없어요.", Err: err}
	case err != nil:
		return nil, unavailable(op, err)
	}
	return rec, nil
}

// update runs fn on the payments of an order in the ledger. fn's own
// errors come back as they are; a ledger that fails is EUNAVAILABLE, and
// then whether the change was stored is unknown, as after a timeout on a
// real gateway: Lookup tells.
func (p *Provider) update(ctx context.Context, op, orderID string, fn func(pays []*Record) (*Record, error)) error {
	var fnErr error
	err := p.books().Update(ctx, orderID, func(pays []*Record) (*Record, error) {
		added, err := fn(pays)
		fnErr = err
		return added, err
	})
	switch {
	case err == nil:
		return nil
	case fnErr != nil:
		return fnErr
	}
	return unavailable(op, err)
}

// payment returns the payment tid of pays, or nil.
func payment(pays []*Record, tid string) *Record {
	for _, pay := range pays {
		if pay.TID() == tid {
			return pay
		}
	}
	return nil
}

// begin checks the context and the injected failures of an operation.
func (p *Provider) begin(ctx context.Context, op, name string) error {
	if err := ctx.Err(); err != nil {
		return &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op, Message: "결제 요청 시간이 지났어요.", Err: err}
	}
	if p.Fault != nil {
		if err := p.Fault(name); err != nil {
			return wrap(op, err)
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if q := p.failNext[name]; len(q) > 0 {
		err := q[0]
		p.failNext[name] = q[1:]
		return wrap(op, err)
	}
	return nil
}

// wait holds the answer of operation name back for its delay
// (SetDelay), or until ctx ends.
func (p *Provider) wait(ctx context.Context, op, name string) error {
	p.mu.Lock()
	d := p.delays[name]
	p.mu.Unlock()
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op,
			Message: "결제 응답이 늦어지고 있어요. 결제 여부를 확인한 뒤 알려 드릴게요.", Err: ctx.Err()}
	}
}

// newID returns prefix and 19 digits: 10 fixed for the provider, then a
// sequence.
func (p *Provider) newID(prefix string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.prefix == "" {
		var b [8]byte
		rand.Read(b[:])
		var n uint64
		for _, c := range b {
			n = n<<8 | uint64(c)
		}
		p.prefix = fmt.Sprintf("%010d", n%10_000_000_000)
	}
	p.seq++
	return fmt.Sprintf("%s%s%09d", prefix, p.prefix, p.seq)
}

func (p *Provider) now() time.Time {
	if p.Clock == nil {
		return sodam.WallClock.Now()
	}
	return p.Clock.Now()
}

func randomToken() string {
	var b [10]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func errorf(code, op, format string, args ...any) error {
	return &sodam.Error{Code: code, Op: op, Message: fmt.Sprintf(format, args...)}
}

// unavailable is the error of a ledger that failed: to the caller, a
// provider that could not be reached.
func unavailable(op string, err error) error {
	return &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op,
		Message: "결제 서비스에 연결하지 못했어요. 잠시 뒤에 다시 시도해 주세요.", Err: err}
}

// wrap names op on an injected error. An *sodam.Error keeps its code and
// message; any other error is a failure to reach the provider,
// EUNAVAILABLE.
func wrap(op string, err error) error {
	var e *sodam.Error
	if errors.As(err, &e) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op,
		Message: "결제 서비스에 연결하지 못했어요. 잠시 뒤에 다시 시도해 주세요.", Err: err}
}

// won formats an amount as 18,000원.
func won(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for k, c := range s {
		if k > 0 && (len(s)-k)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String() + "원"
	}
	return b.String() + "원"
}
