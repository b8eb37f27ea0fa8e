// Package sandboxpay is the built-in payment provider: a KakaoPay-shaped
// gateway that keeps its books in memory and charges nobody. The
// assistant uses it by default and in evaluations, where it approves as
// soon as the user confirms the amount in the conversation; with
// AutoApprove off, the user approves on a small web page instead
// (Handler), as with KakaoPay's hosted page.
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

	mu       sync.Mutex
	prefix   string // 10 random digits, so that TIDs differ across providers
	seq      int64
	payments map[string]*payment // by TID
	byOrder  map[string][]string // PartnerOrderID -> TIDs, oldest first
	failNext map[string][]error
	declines int
	delays   map[string]time.Duration

	charges, refunds  int
	charged, refunded int64
}

var _ sodam.PaymentProvider = (*Provider)(nil)

// payment is one TID in the provider's books.
type payment struct {
	ticket    sodam.PaymentTicket
	req       sodam.PaymentReadyRequest
	token     string
	status    string
	approval  *sodam.PaymentApproval
	cancelled int64
}

// New returns a provider serving its approval page under baseURL, with
// AutoApprove on.
func New(baseURL string, clock sodam.Clock) *Provider {
	return &Provider{BaseURL: baseURL, AutoApprove: true, Clock: clock}
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

// Charges is the number of approvals that charged.
func (p *Provider) Charges() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.charges
}

// ChargedAmount is the sum charged by approvals, before refunds.
func (p *Provider) ChargedAmount() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.charged
}

// Refunds is the number of cancellations that refunded.
func (p *Provider) Refunds() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refunds
}

// RefundedAmount is the sum refunded by cancellations.
func (p *Provider) RefundedAmount() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refunded
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

	p.mu.Lock()
	ticket, err := p.readyLocked(op, r)
	delay := p.delays[OpReady]
	p.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if err := wait(ctx, op, delay); err != nil {
		return nil, err
	}
	return ticket, nil
}

func (p *Provider) readyLocked(op string, r sodam.PaymentReadyRequest) (*sodam.PaymentTicket, error) {
	if p.payments == nil {
		p.payments = make(map[string]*payment)
		p.byOrder = make(map[string][]string)
	}
	for _, tid := range p.byOrder[r.PartnerOrderID] {
		old := p.payments[tid]
		switch {
		case old.approval != nil:
			return nil, errorf(sodam.ECONFLICT, op, "이미 결제된 주문이에요.")
		case old.status == StatusReady && old.req.PartnerUserID == r.PartnerUserID && old.req.TotalAmount == r.TotalAmount:
			return p.ticketOf(old), nil
		}
	}
	tid := p.newID("T")
	url := strings.TrimRight(p.BaseURL, "/") + "/pay/sandbox/" + tid
	pay := &payment{
		ticket: sodam.PaymentTicket{TID: tid, RedirectURL: url, MobileURL: url, CreatedAt: p.now()},
		req:    r,
		token:  randomToken(),
		status: StatusReady,
	}
	p.payments[tid] = pay
	p.byOrder[r.PartnerOrderID] = append(p.byOrder[r.PartnerOrderID], tid)
	return p.ticketOf(pay), nil
}

func (p *Provider) ticketOf(pay *payment) *sodam.PaymentTicket {
	t := pay.ticket
	if p.AutoApprove {
		t.AutoApproveToken = pay.token
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
	p.mu.Lock()
	a, err := p.approveLocked(op, r)
	delay := p.delays[OpApprove]
	p.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if err := wait(ctx, op, delay); err != nil {
		return nil, err
	}
	return a, nil
}

func (p *Provider) approveLocked(op string, r sodam.PaymentApproveRequest) (*sodam.PaymentApproval, error) {
	pay, ok := p.payments[r.TID]
	switch {
	case !ok:
		return nil, errorf(sodam.ENOTFOUND, op, "결제 정보를 찾을 수 없어요.")
	case r.PartnerOrderID != pay.req.PartnerOrderID || r.PartnerUserID != pay.req.PartnerUserID:
		return nil, errorf(sodam.EINVALID, op, "결제 요청 정보가 일치하지 않아요.")
	case r.PGToken != pay.token:
		return nil, errorf(sodam.EUNAUTHORIZED, op, "결제 승인 정보가 올바르지 않아요.")
	case r.TotalAmount != pay.req.TotalAmount:
		return nil, errorf(sodam.EINVALID, op, "결제 금액이 준비된 금액과 달라요.")
	}
	switch pay.status {
	case StatusSuccess:
		a := *pay.approval
		return &a, nil
	case StatusCancel, StatusPartCancel:
		return nil, errorf(sodam.ECONFLICT, op, "이미 취소된 결제예요.")
	case StatusFailPayment:
		return nil, errorf(sodam.ECONFLICT, op, "결제가 거절됐어요.")
	}
	for _, tid := range p.byOrder[pay.req.PartnerOrderID] {
		if p.payments[tid].approval != nil {
			return nil, errorf(sodam.ECONFLICT, op, "이미 결제된 주문이에요.")
		}
	}
	if p.declines > 0 {
		p.declines--
		pay.status = StatusFailPayment
		return nil, errorf(sodam.ECONFLICT, op, "결제가 거절됐어요. 다른 결제 수단으로 다시 시도해 주세요.")
	}
	method := "MONEY"
	if pay.req.Method == sodam.PayCard {
		method = "CARD"
	}
	pay.approval = &sodam.PaymentApproval{
		AID: p.newID("A"), TID: r.TID, Amount: pay.req.TotalAmount,
		MethodType: method, ApprovedAt: p.now(),
	}
	pay.status = StatusSuccess
	p.charges++
	p.charged += pay.req.TotalAmount
	a := *pay.approval
	return &a, nil
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
	p.mu.Lock()
	c, err := p.cancelLocked(op, r)
	delay := p.delays[OpCancel]
	p.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if err := wait(ctx, op, delay); err != nil {
		return nil, err
	}
	return c, nil
}

func (p *Provider) cancelLocked(op string, r sodam.PaymentCancelRequest) (*sodam.PaymentCancellation, error) {
	pay, ok := p.payments[r.TID]
	if !ok {
		return nil, errorf(sodam.ENOTFOUND, op, "결제 정보를 찾을 수 없어요.")
	}
	switch pay.status {
	case StatusSuccess, StatusPartCancel:
	case StatusCancel:
		return nil, errorf(sodam.ECONFLICT, op, "이미 취소된 결제예요.")
	default:
		return nil, errorf(sodam.ECONFLICT, op, "승인되지 않은 결제는 취소할 수 없어요.")
	}
	left := pay.req.TotalAmount - pay.cancelled
	if r.CancelAmount <= 0 || r.CancelAmount > left {
		return nil, errorf(sodam.EINVALID, op, "취소할 수 있는 금액은 %s이에요.", won(left))
	}
	pay.cancelled += r.CancelAmount
	pay.status = StatusPartCancel
	if pay.cancelled == pay.req.TotalAmount {
		pay.status = StatusCancel
	}
	p.refunds++
	p.refunded += r.CancelAmount
	return &sodam.PaymentCancellation{
		TID: r.TID, CancelledAmount: pay.cancelled, Status: pay.status, CancelledAt: p.now(),
	}, nil
}

// Lookup returns a payment as the provider knows it; an unknown TID is
// ENOTFOUND.
func (p *Provider) Lookup(ctx context.Context, tid string) (*sodam.ProviderPayment, error) {
	const op = "sandboxpay.Lookup"
	if err := p.begin(ctx, op, OpLookup); err != nil {
		return nil, err
	}
	p.mu.Lock()
	pay, ok := p.payments[tid]
	var out *sodam.ProviderPayment
	if ok {
		out = &sodam.ProviderPayment{
			TID: tid, PartnerOrderID: pay.req.PartnerOrderID, Status: pay.status,
			Amount: pay.req.TotalAmount, CancelledAmount: pay.cancelled,
		}
	}
	delay := p.delays[OpLookup]
	p.mu.Unlock()
	if !ok {
		return nil, errorf(sodam.ENOTFOUND, op, "결제 정보를 찾을 수 없어요.")
	}
	if err := wait(ctx, op, delay); err != nil {
		return nil, err
	}
	return out, nil
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

// wait holds an answer back for d, or until ctx ends.
func wait(ctx context.Context, op string, d time.Duration) error {
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
// sequence. The caller holds p.mu.
func (p *Provider) newID(prefix string) string {
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
