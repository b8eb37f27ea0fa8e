package tools

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sodam-ai/sodam"
)

// Payments are idempotent by record: the payment of order o-1 has the
// idempotency key "order:o-1", that of booking b-1 "booking:b-1", and
// PaymentStore.CreatePayment lets exactly one caller create it. Only that
// caller talks to the provider; every other Pay of the same record waits
// for its outcome and returns the same payment. A failed payment may be
// retried: one retrier atomically turns it back into a new attempt. The
// amount is always the record's total, never the caller's.
//
// A payment in status ready without a provider TID is an attempt in
// progress (the creator is between CreatePayment and the provider's
// answer); with a TID it waits for the user's approval at the provider.

// orderKey and bookingKey are the idempotency keys of a record's payment.
func orderKey(id string) string   { return "order:" + id }
func bookingKey(id string) string { return "booking:" + id }

// Provider statuses (KakaoPay's) that settle an unknown outcome.
const (
	providerSuccess = "SUCCESS_PAYMENT"
	providerFail    = "FAIL_PAYMENT"
	providerQuit    = "QUIT_PAYMENT"
	providerCancel  = "CANCEL_PAYMENT"
)

// Pay pays a placed order or a held booking. With neither named it pays
// the user's newest placed order or held booking (EINVALID when the user
// has one of each waiting). The amount is the record's
// total. When the provider approves on the user's confirmation in chat (the
// sandbox), the payment is approved and the record paid at once; otherwise
// the payment is ready and RedirectURL tells where the user approves it.
// Paying again returns the same payment and never charges twice; a payment
// still in progress after a short wait is ECONFLICT. A provider failure
// marks the payment failed and leaves the record unpaid, for a later Pay to
// retry.
func (t *Toolbox) Pay(ctx context.Context, userID string, in PayInput) (*PayOutput, error) {
	return run(ctx, t, userID, "pay", in, nil, t.payTool)
}

func (t *Toolbox) payTool(ctx context.Context, userID string, in PayInput) (*PayOutput, error) {
	const op = "tools.Pay"
	var method sodam.PaymentMethod
	if in.Method != "" {
		m, err := paymentMethod(op, in.Method)
		if err != nil {
			return nil, err
		}
		method = m
	}
	if in.OrderID != "" && in.BookingID != "" {
		return nil, fail(sodam.EINVALID, op, "주문과 예매는 따로 결제해 주세요.")
	}
	if in.OrderID == "" && in.BookingID == "" {
		var err error
		if in.OrderID, in.BookingID, err = t.payable(ctx, op, userID); err != nil {
			return nil, err
		}
	}
	var (
		target *payTarget
		done   *PayOutput
		err    error
	)
	if in.BookingID != "" {
		target, done, err = t.bookingTarget(ctx, op, userID, in.BookingID)
	} else {
		target, done, err = t.orderTarget(ctx, op, userID, in.OrderID)
	}
	if err != nil || done != nil {
		return done, err
	}
	if method != "" {
		target.method = method
	}
	return t.payFor(ctx, op, target)
}

// payFor creates or finds the payment of target and drives it to an
// outcome, charging at most once.
func (t *Toolbox) payFor(ctx context.Context, op string, target *payTarget) (*PayOutput, error) {
	now := t.now()
	p, created, err := t.store.CreatePayment(ctx, &sodam.Payment{
		UserID:         target.userID,
		OrderID:        target.orderID,
		BookingID:      target.bookingID,
		Method:         target.method,
		Amount:         target.amount,
		Status:         sodam.PaymentReady,
		IdempotencyKey: target.key,
		Provider:       t.pay.Name(),
		CreatedAt:      now,
	})
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	if created {
		return t.charge(ctx, op, target, p)
	}

	deadline := time.Now().Add(t.payWait)
	for {
		switch {
		case p.Status == sodam.PaymentApproved:
			if err := target.finish(ctx, p); err != nil {
				return nil, sodam.WrapError(op, err)
			}
			return target.output(ctx, p)
		case p.Status == sodam.PaymentCancelled:
			return nil, fail(sodam.ECONFLICT, op, "이미 취소된 결제예요.")
		case p.Status == sodam.PaymentFailed:
			// Retry: exactly one caller turns the failed payment into a
			// new attempt; the others wait for it.
			seen := p.CreatedAt
			retry, err := t.store.UpdatePayment(ctx, p.ID, func(p *sodam.Payment) error {
				if p.Status != sodam.PaymentFailed || !p.CreatedAt.Equal(seen) {
					return errLostRace
				}
				resetAttempt(p, target, t.now())
				return nil
			})
			if err == nil {
				return t.charge(ctx, op, target, retry)
			}
			if !errors.Is(err, errLostRace) {
				return nil, sodam.WrapError(op, err)
			}
		case p.TID != "":
			// Waiting for the user's approval at the provider, or for
			// another caller's approval to finish.
			if url, ok := t.redirects.Load(p.ID); ok {
				out, err := target.output(ctx, p)
				if err != nil {
					return nil, err
				}
				out.RedirectURL = url.(string)
				return out, nil
			}
			if err := pause(ctx, deadline); err != nil {
				// Still unsettled (a restart, or an approval whose
				// outcome was lost): ask the provider once, under the
				// payment's lock so as not to race an approval still
				// being recorded.
				unlock := t.payLocks.lock(p.ID)
				out, err, settled := t.settle(context.WithoutCancel(ctx), op, target, p)
				unlock()
				if settled {
					return out, err
				}
				return nil, fail(sodam.ECONFLICT, op, "결제가 진행 중이에요. 잠시 뒤에 확인해 주세요.")
			}
		case now.Sub(p.CreatedAt) > t.payStale:
			// An attempt that never reached the provider: take it over.
			seen := p.CreatedAt
			retry, err := t.store.UpdatePayment(ctx, p.ID, func(p *sodam.Payment) error {
				if p.Status != sodam.PaymentReady || p.TID != "" || !p.CreatedAt.Equal(seen) {
					return errLostRace
				}
				resetAttempt(p, target, t.now())
				return nil
			})
			if err == nil {
				return t.charge(ctx, op, target, retry)
			}
			if !errors.Is(err, errLostRace) {
				return nil, sodam.WrapError(op, err)
			}
		default:
			// Another caller is talking to the provider: wait for it.
			if err := pause(ctx, deadline); err != nil {
				return nil, fail(sodam.ECONFLICT, op, "결제가 진행 중이에요. 잠시 뒤에 확인해 주세요.")
			}
		}
		if p, err = t.store.Payment(ctx, p.ID); err != nil {
			return nil, sodam.WrapError(op, err)
		}
	}
}

// pause waits a little before a payment is looked at again. It fails
// when the deadline has passed or the caller hung up.
func pause(ctx context.Context, deadline time.Time) error {
	if !time.Now().Before(deadline) {
		return errors.New("tools: waited long enough")
	}
	timer := time.NewTimer(5 * time.Millisecond)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// errLostRace tells an UpdatePayment callback's caller that another caller
// changed the payment first.
var errLostRace = errors.New("tools: payment changed by another attempt")

// resetAttempt turns p into a new attempt at the record's amount. Its
// CreatedAt becomes the attempt's start: racing takers-over compare it to
// tell whether someone else began an attempt first.
func resetAttempt(p *sodam.Payment, target *payTarget, now time.Time) {
	p.Status = sodam.PaymentReady
	p.TID = ""
	p.FailureReason = ""
	p.Amount = target.amount
	p.Method = target.method
	p.CreatedAt = now
	p.ApprovedAt = nil
	p.CancelledAt = nil
}

// charge asks the provider for a payment this caller owns (it created the
// payment or won the retry) and approves it at once when the provider
// gives an approval token.
func (t *Toolbox) charge(ctx context.Context, op string, target *payTarget, p *sodam.Payment) (*PayOutput, error) {
	// The provider calls take the caller's context (a caller that hangs up
	// leaves an outcome that Lookup settles); what is written after them
	// must not be cut short: a charged payment has to reach the store.
	keep := context.WithoutCancel(ctx)
	req := sodam.PaymentReadyRequest{
		PartnerOrderID: target.key,
		PartnerUserID:  target.userID,
		ItemName:       target.itemName,
		Quantity:       max(target.quantity, 1),
		TotalAmount:    p.Amount,
		Method:         p.Method,
	}
	if t.callbacks != nil {
		req.ApprovalURL, req.CancelURL, req.FailURL = t.callbacks(p.ID)
	}
	ticket, err := t.pay.Ready(ctx, req)
	if err != nil {
		t.markFailed(keep, p.ID, "ready: "+err.Error())
		return nil, providerErr(op, err, "결제를 준비하지 못했어요. 잠시 뒤에 다시 시도해 주세요.")
	}
	p, err = t.store.UpdatePayment(keep, p.ID, func(p *sodam.Payment) error {
		p.TID = ticket.TID
		return nil
	})
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	if ticket.AutoApproveToken == "" {
		url := ticket.RedirectURL
		if url == "" {
			url = ticket.MobileURL
		}
		t.redirects.Store(p.ID, url)
		out, err := target.output(keep, p)
		if err != nil {
			return nil, err
		}
		out.RedirectURL = url
		return out, nil
	}
	defer t.payLocks.lock(p.ID)()
	return t.approve(ctx, op, target, p, ticket.AutoApproveToken, false)
}

// approve charges a ready payment with the approval token, marks it
// approved and the record paid. The caller holds the payment's lock. When
// the record no longer takes payment (cancelled meanwhile), the charge is
// refunded at once. fromPage tells that the token came from the user's
// return from the provider's page: a token the provider refuses then
// leaves the payment waiting rather than failed.
func (t *Toolbox) approve(ctx context.Context, op string, target *payTarget, p *sodam.Payment, pgToken string, fromPage bool) (*PayOutput, error) {
	keep := context.WithoutCancel(ctx)
	appr, err := t.pay.Approve(ctx, sodam.PaymentApproveRequest{
		TID:            p.TID,
		PartnerOrderID: target.key,
		PartnerUserID:  target.userID,
		PGToken:        pgToken,
		TotalAmount:    p.Amount,
	})
	if err != nil {
		if sodam.IsCode(err, sodam.EUNAVAILABLE) || sodam.IsCode(err, sodam.EINTERNAL) {
			// The outcome is unknown: ask the provider, never retry blindly.
			if out, serr, settled := t.settle(keep, op, target, p); settled {
				return out, serr
			}
			return nil, providerErr(op, err, "결제 결과를 확인하고 있어요. 잠시 뒤에 다시 확인해 주세요.")
		}
		if fromPage && sodam.IsCode(err, sodam.EUNAUTHORIZED) {
			// A forged or stale link: the payment still waits for the
			// user's real approval.
			return nil, providerErr(op, err, "결제 승인 정보가 올바르지 않아요.")
		}
		t.markFailed(keep, p.ID, "approve: "+err.Error())
		return nil, providerErr(op, err, "결제가 승인되지 않았어요. 다시 시도해 주세요.")
	}
	return t.approved(keep, op, target, p, appr.TID, appr.Amount, appr.ApprovedAt)
}

// approved records a charge the provider confirmed.
func (t *Toolbox) approved(ctx context.Context, op string, target *payTarget, p *sodam.Payment, tid string, amount int64, at time.Time) (*PayOutput, error) {
	if tid == "" {
		tid = p.TID
	}
	if amount != p.Amount {
		t.log.Error("provider approved a different amount", "payment", p.ID, "want", p.Amount, "got", amount)
		if _, err := t.pay.Cancel(ctx, sodam.PaymentCancelRequest{TID: tid, CancelAmount: amount}); err != nil {
			t.log.Error("refund of a wrong amount failed", "payment", p.ID, "err", err)
		}
		t.markFailed(ctx, p.ID, fmt.Sprintf("approved amount %d, want %d", amount, p.Amount))
		return nil, fail(sodam.EINTERNAL, op, "")
	}
	if at.IsZero() {
		at = t.now()
	}
	p, err := t.store.UpdatePayment(ctx, p.ID, func(p *sodam.Payment) error {
		if p.Status == sodam.PaymentCancelled {
			// Refunded meanwhile: never turn a refund back into a charge.
			return fail(sodam.ECONFLICT, op, "이미 취소된 결제예요.")
		}
		p.Status = sodam.PaymentApproved
		p.TID = tid
		p.ApprovedAt = &at
		p.FailureReason = ""
		return nil
	})
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	t.redirects.Delete(p.ID)
	if err := target.finish(ctx, p); err != nil {
		if !sodam.IsCode(err, sodam.ECONFLICT) {
			return nil, sodam.WrapError(op, err)
		}
		// The record was cancelled or expired while the user paid: give
		// the money back.
		if _, rerr := t.refundPayment(ctx, op, p); rerr != nil {
			t.log.Error("refund after a lost record failed", "payment", p.ID, "err", rerr)
			return nil, rerr
		}
		return nil, fail(sodam.ECONFLICT, op, sodam.ErrorMessage(err)+" 결제한 금액은 바로 환불했어요.")
	}
	return target.output(ctx, p)
}

// settle looks up a payment whose outcome is unknown at the provider and
// records what it says. settled is false when the provider cannot tell yet.
func (t *Toolbox) settle(ctx context.Context, op string, target *payTarget, p *sodam.Payment) (out *PayOutput, err error, settled bool) {
	got, lerr := t.pay.Lookup(ctx, p.TID)
	if lerr != nil {
		return nil, nil, false
	}
	switch got.Status {
	case providerSuccess:
		out, err := t.approved(ctx, op, target, p, got.TID, got.Amount, time.Time{})
		return out, err, true
	case providerFail, providerQuit, providerCancel:
		t.markFailed(ctx, p.ID, "provider status "+got.Status)
		return nil, fail(sodam.ECONFLICT, op, "결제가 승인되지 않았어요. 다시 시도해 주세요."), true
	}
	return nil, nil, false
}

// markFailed records a failed attempt; a later Pay may retry it.
func (t *Toolbox) markFailed(ctx context.Context, paymentID, reason string) {
	_, err := t.store.UpdatePayment(context.WithoutCancel(ctx), paymentID, func(p *sodam.Payment) error {
		if p.Status == sodam.PaymentApproved || p.Status == sodam.PaymentCancelled {
			return errLostRace
		}
		p.Status = sodam.PaymentFailed
		p.FailureReason = reason
		return nil
	})
	if err != nil && !errors.Is(err, errLostRace) {
		t.log.Error("mark payment failed", "payment", paymentID, "err", err)
	}
}

// CompletePayment approves a ready payment with the pg_token the
// provider's approval page returned (the redirect flow), then marks the
// order or booking paid. It is idempotent: a payment already approved
// returns it again without charging.
func (t *Toolbox) CompletePayment(ctx context.Context, paymentID, pgToken string) (*PayOutput, error) {
	const op = "tools.CompletePayment"
	p, err := t.store.Payment(ctx, paymentID)
	if err != nil {
		return nil, notFound(op, err, "결제를 찾을 수 없어요.")
	}
	in := struct {
		PaymentID string `json:"payment_id"`
	}{paymentID}
	return run(ctx, t, p.UserID, "complete_payment", in, nil, func(ctx context.Context, userID string, _ struct {
		PaymentID string `json:"payment_id"`
	}) (*PayOutput, error) {
		return t.completePayment(ctx, op, p, pgToken)
	})
}

func (t *Toolbox) completePayment(ctx context.Context, op string, p *sodam.Payment, pgToken string) (*PayOutput, error) {
	ctx = context.WithoutCancel(ctx)
	var target *payTarget
	var err error
	if p.BookingID != "" {
		target, _, err = t.bookingTargetAny(ctx, op, p)
	} else {
		target, _, err = t.orderTarget(ctx, op, p.UserID, p.OrderID)
		if target == nil && err == nil {
			target, err = t.doneTarget(ctx, op, p)
		}
	}
	if err != nil {
		return nil, err
	}
	defer t.payLocks.lock(p.ID)()
	if p, err = t.store.Payment(ctx, p.ID); err != nil {
		return nil, sodam.WrapError(op, err)
	}
	switch {
	case p.Status == sodam.PaymentApproved:
		if err := target.finish(ctx, p); err != nil {
			return nil, sodam.WrapError(op, err)
		}
		return target.output(ctx, p)
	case p.Status == sodam.PaymentReady && p.TID != "":
		return t.approve(ctx, op, target, p, pgToken, true)
	case p.Status == sodam.PaymentReady:
		return nil, fail(sodam.ECONFLICT, op, "결제가 진행 중이에요. 잠시 뒤에 확인해 주세요.")
	default:
		return nil, fail(sodam.ECONFLICT, op, "이미 끝났거나 취소된 결제예요.")
	}
}
