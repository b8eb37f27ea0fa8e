package tools

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/sodam-ai/sodam"
)

// Problem codes of a quote that cannot be placed.
const (
	ProblemEmpty    = "empty"
	ProblemClosed   = "closed"
	ProblemMinOrder = "min_order"
	ProblemSoldOut  = "sold_out"
)

// checkout tells whether o, priced at now, may be placed: the cart is not
// empty, every item is still sold, the store is open and the items reach
// the minimum order. It reprices o in place and returns a problem code and
// a Korean sentence, both empty when the order may be placed.
func checkout(o *sodam.Order, now time.Time, items map[string]*sodam.MenuItem, m *sodam.Merchant) (code, problem string) {
	if len(o.Items) == 0 {
		return ProblemEmpty, "장바구니가 비어 있어요."
	}
	for _, l := range o.Items {
		if it, ok := items[l.MenuItemID]; ok && it.SoldOut {
			return ProblemSoldOut, josa(it.Name, "은", "는") + " 지금 품절이에요."
		}
	}
	if err := o.Reprice(now, items, m); err != nil {
		return ProblemSoldOut, sodam.ErrorMessage(err)
	}
	if !m.OpenAt(now) {
		return ProblemClosed, "지금은 영업 시간이 아니에요. " + hours(m.Opens, m.Closes)
	}
	if o.ItemsTotal < m.MinOrder {
		return ProblemMinOrder, fmt.Sprintf("최소 주문 금액 %s보다 %s 모자라요.", won(m.MinOrder), won(m.MinOrder-o.ItemsTotal))
	}
	return "", ""
}

// QuoteOrder prices the cart for checkout and tells whether it can be
// placed now, and if not why, without changing anything.
func (t *Toolbox) QuoteOrder(ctx context.Context, userID string, in QuoteOrderInput) (*QuoteOrderOutput, error) {
	return run(ctx, t, userID, "quote_order", in, nil, t.quoteOrder)
}

func (t *Toolbox) quoteOrder(ctx context.Context, userID string, in QuoteOrderInput) (*QuoteOrderOutput, error) {
	const op = "tools.QuoteOrder"
	u, err := t.user(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := &QuoteOrderOutput{Address: in.Address}
	if out.Address == "" {
		out.Address = u.Address
	}
	cart, err := t.cart(ctx, userID)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	if cart == nil || len(cart.Items) == 0 {
		out.ProblemCode, out.Problem = ProblemEmpty, "장바구니가 비어 있어요."
		return out, nil
	}
	m, items, err := t.menu(ctx, op, cart.MerchantID)
	if err != nil {
		return nil, err
	}
	out.Merchant = m
	now := t.now()
	out.ProblemCode, out.Problem = checkout(cart, now, items, m)
	if out.ProblemCode == ProblemSoldOut {
		// Show the cart at the prices that could still be computed.
		_ = repriceLoosely(cart, now, items, m)
	}
	out.Cart = cart
	out.CanPlace = out.ProblemCode == ""
	return out, nil
}

// PlaceOrder places the cart as an order once the user confirmed its
// total: repriced now, with the address (the user's by default) and the
// payment method (kakaopay by default), in status placed. A closed store,
// a total under the minimum order, a sold-out item or an ExpectedTotal
// that differs from the total now is ECONFLICT and changes nothing.
func (t *Toolbox) PlaceOrder(ctx context.Context, userID string, in PlaceOrderInput) (*OrderOutput, error) {
	return run(ctx, t, userID, "place_order", in, nil, t.placeOrder)
}

func (t *Toolbox) placeOrder(ctx context.Context, userID string, in PlaceOrderInput) (*OrderOutput, error) {
	const op = "tools.PlaceOrder"
	method, err := paymentMethod(op, in.PaymentMethod)
	if err != nil {
		return nil, err
	}
	if in.ExpectedTotal < 0 {
		return nil, fail(sodam.EINVALID, op, "금액이 올바르지 않아요.")
	}
	u, err := t.user(ctx, userID)
	if err != nil {
		return nil, err
	}
	address := in.Address
	if address == "" {
		address = u.Address
	}

	defer t.lockUser(userID)()
	cart, err := t.cart(ctx, userID)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	if cart == nil || len(cart.Items) == 0 {
		return nil, fail(sodam.ECONFLICT, op, "장바구니가 비어 있어요. 먼저 메뉴를 담아 주세요.")
	}
	m, items, err := t.menu(ctx, op, cart.MerchantID)
	if err != nil {
		return nil, err
	}
	now := t.now()
	o, err := t.store.UpdateOrder(ctx, cart.ID, func(o *sodam.Order) error {
		if o.Status != sodam.OrderDraft {
			return fail(sodam.ECONFLICT, op, "이미 주문된 장바구니예요.")
		}
		if _, problem := checkout(o, now, items, m); problem != "" {
			return fail(sodam.ECONFLICT, op, problem)
		}
		if in.ExpectedTotal > 0 && in.ExpectedTotal != o.Total {
			return fail(sodam.ECONFLICT, op, fmt.Sprintf("금액이 바뀌었어요. 지금 금액은 %s이에요. 이 금액으로 주문할까요?", won(o.Total)))
		}
		o.Status = sodam.OrderPlaced
		o.Address = address
		o.PaymentMethod = method
		o.PlacedAt = &now
		o.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	return &OrderOutput{Order: o, Merchant: m}, nil
}

// paymentMethod reads a method name; "" is kakaopay.
func paymentMethod(op, s string) (sodam.PaymentMethod, error) {
	switch sodam.PaymentMethod(s) {
	case "":
		return sodam.PayKakaoPay, nil
	case sodam.PayKakaoPay, sodam.PayCard:
		return sodam.PaymentMethod(s), nil
	}
	return "", fail(sodam.EINVALID, op, "결제 수단은 카카오페이나 카드 중에서 골라 주세요.")
}

// OrderStatus tells where an order is: the one named, or the user's latest
// placed order.
func (t *Toolbox) OrderStatus(ctx context.Context, userID string, in OrderStatusInput) (*OrderOutput, error) {
	return run(ctx, t, userID, "order_status", in, nil, t.orderStatus)
}

func (t *Toolbox) orderStatus(ctx context.Context, userID string, in OrderStatusInput) (*OrderOutput, error) {
	const op = "tools.OrderStatus"
	o, err := t.pickOrder(ctx, op, userID, in.OrderID, "주문 내역이 없어요.",
		sodam.OrderPlaced, sodam.OrderPaid, sodam.OrderAccepted, sodam.OrderCooking, sodam.OrderDelivering,
		sodam.OrderDelivered, sodam.OrderCancelled)
	if err != nil {
		return nil, err
	}
	out := &OrderOutput{Order: o}
	if m, err := t.store.Merchant(ctx, o.MerchantID); err == nil {
		out.Merchant = m
	}
	return out, nil
}

// pickOrder returns the user's order id, or when id is "" the user's
// newest order in one of the statuses (ENOTFOUND with none when there is
// none). Another user's order is ENOTFOUND.
func (t *Toolbox) pickOrder(ctx context.Context, op, userID, id, none string, statuses ...sodam.OrderStatus) (*sodam.Order, error) {
	if id != "" {
		o, err := t.store.Order(ctx, id)
		if err != nil {
			return nil, notFound(op, err, "주문을 찾을 수 없어요.")
		}
		if o.UserID != userID {
			return nil, fail(sodam.ENOTFOUND, op, "주문을 찾을 수 없어요.")
		}
		return o, nil
	}
	orders, err := t.store.OrdersByUser(ctx, userID)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	orders = slices.DeleteFunc(orders, func(o *sodam.Order) bool { return !slices.Contains(statuses, o.Status) })
	if len(orders) == 0 {
		return nil, fail(sodam.ENOTFOUND, op, none)
	}
	sortNewestFirst(orders)
	return orders[0], nil
}

// CancelOrder cancels an order: the one named, or the user's latest order
// not yet delivered, or else the cart. A cart is emptied; a placed order
// is cancelled (a payment waiting for approval is abandoned); a paid order
// the store has not started cooking (paid or accepted) is refunded in full
// and cancelled. An order being cooked or delivered, a delivered and a
// cancelled order are ECONFLICT.
func (t *Toolbox) CancelOrder(ctx context.Context, userID string, in CancelOrderInput) (*CancelOutput, error) {
	return run(ctx, t, userID, "cancel_order", in, nil, t.cancelOrder)
}

func (t *Toolbox) cancelOrder(ctx context.Context, userID string, in CancelOrderInput) (*CancelOutput, error) {
	const op = "tools.CancelOrder"
	defer t.lockUser(userID)()
	o, err := t.pickOrder(ctx, op, userID, in.OrderID, "취소할 주문이 없어요.",
		sodam.OrderPlaced, sodam.OrderPaid, sodam.OrderAccepted, sodam.OrderCooking, sodam.OrderDelivering)
	if sodam.IsCode(err, sodam.ENOTFOUND) && in.OrderID == "" {
		if cart, cerr := t.cart(ctx, userID); cerr == nil && cart != nil && len(cart.Items) > 0 {
			o, err = cart, nil
		}
	}
	if err != nil {
		return nil, err
	}
	now := t.now()
	switch o.Status {
	case sodam.OrderDraft:
		o, err = t.store.UpdateOrder(ctx, o.ID, func(o *sodam.Order) error {
			if o.Status != sodam.OrderDraft {
				return fail(sodam.ECONFLICT, op, "장바구니가 방금 주문으로 바뀌었어요. 다시 시도해 주세요.")
			}
			o.Items = nil
			o.ItemsTotal, o.DeliveryFee, o.Total = 0, 0, 0
			o.UpdatedAt = now
			return nil
		})
		if err != nil {
			return nil, sodam.WrapError(op, err)
		}
		return &CancelOutput{Order: o}, nil
	case sodam.OrderPlaced:
		o, err = t.store.UpdateOrder(ctx, o.ID, func(o *sodam.Order) error {
			if o.Status != sodam.OrderPlaced {
				return fail(sodam.ECONFLICT, op, "주문 상태가 방금 바뀌었어요. 다시 확인해 주세요.")
			}
			o.Status = sodam.OrderCancelled
			o.CancelledAt = &now
			o.UpdatedAt = now
			return nil
		})
		if err != nil {
			return nil, sodam.WrapError(op, err)
		}
		t.abandonPayment(ctx, userID, orderKey(o.ID))
		return &CancelOutput{Order: o}, nil
	case sodam.OrderPaid, sodam.OrderAccepted:
		seen := o.Status
		refund, err := t.refund(ctx, op, userID, o.PaymentID, orderKey(o.ID))
		if err != nil {
			return nil, err
		}
		// The money is back: the order must be cancelled even if the
		// caller hangs up now.
		o, err = t.store.UpdateOrder(context.WithoutCancel(ctx), o.ID, func(o *sodam.Order) error {
			if o.Status != seen {
				return fail(sodam.ECONFLICT, op, "주문 상태가 방금 바뀌었어요. 다시 확인해 주세요.")
			}
			o.Status = sodam.OrderCancelled
			o.CancelledAt = &now
			o.UpdatedAt = now
			return nil
		})
		if err != nil {
			t.log.Error("order refunded but not cancelled", "order", refund.OrderID, "payment", refund.ID, "err", err)
			return nil, sodam.WrapError(op, err)
		}
		return &CancelOutput{Order: o, Refund: refund}, nil
	case sodam.OrderCooking, sodam.OrderDelivering:
		return nil, fail(sodam.ECONFLICT, op, "가게에서 이미 "+o.Status.Korean()+"이라 취소할 수 없어요. 문제가 있다면 불편 사항으로 접수해 드릴게요.")
	case sodam.OrderDelivered:
		return nil, fail(sodam.ECONFLICT, op, "이미 배달된 주문은 취소할 수 없어요. 문제가 있었다면 불편 사항으로 접수해 드릴게요.")
	default:
		return nil, fail(sodam.ECONFLICT, op, "이미 취소된 주문이에요.")
	}
}

// Reorder fills the cart with a past order's items and options at today's
// prices: the order named, or the user's latest paid one (delivered or
// not). It replaces what the cart held. An item no longer sold is
// ECONFLICT.
func (t *Toolbox) Reorder(ctx context.Context, userID string, in ReorderInput) (*CartOutput, error) {
	return run(ctx, t, userID, "reorder", in, nil, t.reorder)
}

func (t *Toolbox) reorder(ctx context.Context, userID string, in ReorderInput) (*CartOutput, error) {
	const op = "tools.Reorder"
	past, err := t.pickOrder(ctx, op, userID, in.OrderID, "다시 주문할 지난 주문이 없어요.",
		sodam.OrderPaid, sodam.OrderAccepted, sodam.OrderCooking, sodam.OrderDelivering, sodam.OrderDelivered)
	if err != nil {
		return nil, err
	}
	if past.Status == sodam.OrderDraft || len(past.Items) == 0 {
		return nil, fail(sodam.ECONFLICT, op, "다시 주문할 메뉴가 없는 주문이에요.")
	}
	m, items, err := t.menu(ctx, op, past.MerchantID)
	if err != nil {
		return nil, err
	}
	lines := make([]sodam.OrderLine, 0, len(past.Items))
	for _, l := range past.Items {
		it, ok := items[l.MenuItemID]
		if !ok || it.SoldOut {
			return nil, fail(sodam.ECONFLICT, op, josa(l.Name, "은", "는")+" 지금 주문할 수 없어요.")
		}
		opts, err := canonicalOptions(it, l.Options)
		if err != nil {
			return nil, sodam.WrapError(op, err)
		}
		lines = append(lines, sodam.OrderLine{MenuItemID: it.ID, Name: it.Name, Quantity: l.Quantity, Options: opts})
	}
	now := t.now()
	fill := func(o *sodam.Order) error {
		o.MerchantID = m.ID
		o.Items = slices.Clone(lines)
		o.UpdatedAt = now
		return o.Reprice(now, items, m)
	}

	defer t.lockUser(userID)()
	cart, err := t.cart(ctx, userID)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	return t.writeCart(ctx, op, userID, cart, now, fill)
}

// PastOrders lists the user's orders other than the cart (placed, paid,
// delivered and cancelled), newest first.
func (t *Toolbox) PastOrders(ctx context.Context, userID string, in PastOrdersInput) (*PastOrdersOutput, error) {
	return run(ctx, t, userID, "past_orders", in, nil, t.pastOrders)
}

func (t *Toolbox) pastOrders(ctx context.Context, userID string, in PastOrdersInput) (*PastOrdersOutput, error) {
	orders, err := t.store.OrdersByUser(ctx, userID)
	if err != nil {
		return nil, sodam.WrapError("tools.PastOrders", err)
	}
	orders = slices.DeleteFunc(orders, func(o *sodam.Order) bool { return o.Status == sodam.OrderDraft })
	sortNewestFirst(orders)
	if limit := clampLimit(in.Limit, 10, 50); len(orders) > limit {
		orders = orders[:limit]
	}
	if orders == nil {
		orders = []*sodam.Order{}
	}
	return &PastOrdersOutput{Orders: orders}, nil
}
