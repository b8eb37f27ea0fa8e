package tools

import (
	"context"
	"slices"

	"github.com/sodam-ai/sodam"
)

// The merchant side changes orders that users change too (a user cancels
// while the store accepts). These methods run its changes under the same
// per-user lock as the user's own calls, so that the two never interleave
// between a refund and the status change that goes with it.

// UpdateOrderAsMerchant runs fn on the order under its user's lock and the
// store's lock of the order, and stores what fn leaves. An unknown order
// is ENOTFOUND; fn's error is returned as is and changes nothing.
func (t *Toolbox) UpdateOrderAsMerchant(ctx context.Context, orderID string, fn func(*sodam.Order) error) (*sodam.Order, error) {
	const op = "tools.UpdateOrderAsMerchant"
	o, err := t.store.Order(ctx, orderID)
	if err != nil {
		return nil, notFound(op, err, "주문을 찾을 수 없어요.")
	}
	defer t.lockUser(o.UserID)()
	o, err = t.store.UpdateOrder(ctx, orderID, fn)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	return o, nil
}

// RefundOrder cancels an order on the merchant's side (a rejection) and
// refunds its payment in full, exactly once: the order must be in one of
// the statuses from (paid when none is given). The refund goes through
// the same path as a user's cancellation; when it fails nothing changes
// and the call may be retried, and a retry after a refund that was
// recorded but not followed by the status change finds the payment
// already cancelled and only completes the status change. An order in
// another status is ECONFLICT.
func (t *Toolbox) RefundOrder(ctx context.Context, orderID string, from ...sodam.OrderStatus) (*CancelOutput, error) {
	const op = "tools.RefundOrder"
	if len(from) == 0 {
		from = []sodam.OrderStatus{sodam.OrderPaid}
	}
	o, err := t.store.Order(ctx, orderID)
	if err != nil {
		return nil, notFound(op, err, "주문을 찾을 수 없어요.")
	}
	defer t.lockUser(o.UserID)()
	if o, err = t.store.Order(ctx, orderID); err != nil {
		return nil, sodam.WrapError(op, err)
	}
	if !slices.Contains(from, o.Status) {
		return nil, fail(sodam.ECONFLICT, op, "지금 상태("+o.Status.Korean()+")에서는 거절할 수 없는 주문이에요.")
	}
	refund, err := t.refund(ctx, op, o.UserID, o.PaymentID, orderKey(o.ID))
	if err != nil {
		return nil, err
	}
	now := t.now()
	o, err = t.store.UpdateOrder(ctx, orderID, func(o *sodam.Order) error {
		if !slices.Contains(from, o.Status) {
			return fail(sodam.ECONFLICT, op, "주문 상태가 방금 바뀌었어요. 다시 확인해 주세요.")
		}
		o.Status = sodam.OrderCancelled
		o.CancelledAt = &now
		o.UpdatedAt = now
		return nil
	})
	if err != nil {
		t.log.Error("order refunded but not cancelled", "order", orderID, "payment", refund.ID, "err", err)
		return nil, sodam.WrapError(op, err)
	}
	return &CancelOutput{Order: o, Refund: refund}, nil
}
