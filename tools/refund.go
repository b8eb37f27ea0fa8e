package tools

import (
	"context"

	"github.com/sodam-ai/sodam"
)

// refund gives back the payment (by id or key) of a paid record in full
// and marks it cancelled. A payment already refunded is returned as is.
func (t *Toolbox) refund(ctx context.Context, op, userID, paymentID, key string) (*sodam.Payment, error) {
	p, err := t.paymentOf(ctx, op, userID, paymentID, key)
	if err != nil {
		return nil, err
	}
	defer t.payLocks.lock(p.ID)()
	return t.refundPayment(ctx, op, p)
}

// refundPayment cancels an approved payment at the provider for its whole
// amount and marks it cancelled. The caller holds the payment's lock.
func (t *Toolbox) refundPayment(ctx context.Context, op string, p *sodam.Payment) (*sodam.Payment, error) {
	ctx = context.WithoutCancel(ctx)
	p, err := t.store.Payment(ctx, p.ID)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	switch p.Status {
	case sodam.PaymentCancelled:
		return p, nil
	case sodam.PaymentApproved:
	default:
		return nil, fail(sodam.ECONFLICT, op, "환불할 결제가 없어요.")
	}
	if _, err := t.pay.Cancel(ctx, sodam.PaymentCancelRequest{TID: p.TID, CancelAmount: p.Amount}); err != nil {
		return nil, providerErr(op, err, "환불을 처리하지 못했어요. 잠시 뒤에 다시 시도해 주세요.")
	}
	now := t.now()
	p, err = t.store.UpdatePayment(ctx, p.ID, func(p *sodam.Payment) error {
		p.Status = sodam.PaymentCancelled
		p.CancelledAt = &now
		return nil
	})
	if err != nil {
		t.log.Error("refunded at the provider but not recorded", "payment", p.ID, "err", err)
		return nil, sodam.WrapError(op, err)
	}
	return p, nil
}

// abandonPayment cancels a payment of key that waits for approval, when
// its order was cancelled before the user approved.
func (t *Toolbox) abandonPayment(ctx context.Context, userID, key string) {
	p, err := t.paymentOf(ctx, "tools.abandonPayment", userID, "", key)
	if err != nil {
		return
	}
	now := t.now()
	_, err = t.store.UpdatePayment(ctx, p.ID, func(p *sodam.Payment) error {
		if p.Status != sodam.PaymentReady || p.TID == "" {
			return errLostRace
		}
		p.Status = sodam.PaymentCancelled
		p.CancelledAt = &now
		return nil
	})
	if err == nil {
		t.redirects.Delete(p.ID)
	}
}

// providerErr keeps a provider's error code (EUNAVAILABLE for errors
// without one) and its user message when it has one, else msg.
func providerErr(op string, err error, msg string) error {
	code := sodam.ErrorCode(err)
	if code == sodam.EINTERNAL {
		code = sodam.EUNAVAILABLE
	}
	m := msg
	if e := sodam.ErrorMessage(err); code != sodam.EUNAVAILABLE && sodam.ErrorCode(err) != sodam.EINTERNAL && e != "" {
		m = e
	}
	return &sodam.Error{Code: code, Op: op, Message: m, Err: err}
}
