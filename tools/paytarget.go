package tools

import (
	"context"
	"fmt"

	"github.com/sodam-ai/sodam"
)

// payTarget is the record a payment is for.
type payTarget struct {
	key       string
	userID    string
	orderID   string
	bookingID string
	amount    int64
	itemName  string
	quantity  int
	method    sodam.PaymentMethod
	// finish marks the record paid by p. It succeeds when the record is
	// already paid by p, and is ECONFLICT when the record no longer takes
	// payment (cancelled, expired).
	finish func(ctx context.Context, p *sodam.Payment) error
	// output returns the answer with the record as it is now.
	output func(ctx context.Context, p *sodam.Payment) (*PayOutput, error)
}

// payable finds what the user means by "pay": their newest placed order
// or held booking, and asks which when there is one of each.
func (t *Toolbox) payable(ctx context.Context, op, userID string) (orderID, bookingID string, err error) {
	orders, err := t.store.OrdersByUser(ctx, userID)
	if err != nil {
		return "", "", sodam.WrapError(op, err)
	}
	if _, err := t.store.ExpireHolds(ctx, t.now()); err != nil {
		return "", "", sodam.WrapError(op, err)
	}
	bookings, err := t.store.BookingsByUser(ctx, userID)
	if err != nil {
		return "", "", sodam.WrapError(op, err)
	}
	for _, o := range orders {
		if o.Status == sodam.OrderPlaced {
			orderID = o.ID
		}
	}
	for _, b := range bookings {
		if b.Status == sodam.BookingHeld {
			bookingID = b.ID
		}
	}
	switch {
	case orderID != "" && bookingID != "":
		return "", "", fail(sodam.EINVALID, op, "결제할 주문과 예매가 모두 있어요. 어느 것을 결제할까요?")
	case orderID == "" && bookingID == "":
		return "", "", fail(sodam.ENOTFOUND, op, "결제할 주문이나 예매가 없어요.")
	}
	return orderID, bookingID, nil
}

// orderTarget prepares the payment of an order. An order already paid
// returns its payment as done.
func (t *Toolbox) orderTarget(ctx context.Context, op, userID, orderID string) (*payTarget, *PayOutput, error) {
	o, err := t.pickOrder(ctx, op, userID, orderID, "")
	if err != nil {
		return nil, nil, err
	}
	target := &payTarget{
		key:     orderKey(o.ID),
		userID:  userID,
		orderID: o.ID,
		amount:  o.Total,
		method:  o.PaymentMethod,
	}
	if target.method == "" {
		target.method = sodam.PayKakaoPay
	}
	target.itemName, target.quantity = orderItemName(o)
	if m, err := t.store.Merchant(ctx, o.MerchantID); err == nil {
		target.itemName = m.Name + " " + target.itemName
	}
	target.finish = func(ctx context.Context, p *sodam.Payment) error {
		now := t.now()
		_, err := t.store.UpdateOrder(ctx, o.ID, func(o *sodam.Order) error {
			switch {
			case (o.Status.InProgress() || o.Status == sodam.OrderDelivered) && o.PaymentID == p.ID:
				return nil
			case o.Status != sodam.OrderPlaced:
				return fail(sodam.ECONFLICT, op, "주문이 더 이상 결제할 수 있는 상태가 아니에요.")
			case o.Total != p.Amount:
				return fail(sodam.EINTERNAL, op, "")
			}
			o.Status = sodam.OrderPaid
			o.PaymentID = p.ID
			o.PaymentMethod = p.Method
			o.PaidAt = &now
			o.UpdatedAt = now
			return nil
		})
		return err
	}
	target.output = func(ctx context.Context, p *sodam.Payment) (*PayOutput, error) {
		o, err := t.store.Order(ctx, o.ID)
		if err != nil {
			return nil, sodam.WrapError(op, err)
		}
		return &PayOutput{Payment: p, Order: o}, nil
	}
	switch o.Status {
	case sodam.OrderPlaced:
		return target, nil, nil
	case sodam.OrderPaid, sodam.OrderAccepted, sodam.OrderCooking, sodam.OrderDelivering, sodam.OrderDelivered:
		p, err := t.paymentOf(ctx, op, userID, o.PaymentID, target.key)
		if err != nil {
			return nil, nil, err
		}
		done, err := target.output(ctx, p)
		return nil, done, err
	case sodam.OrderDraft:
		return nil, nil, fail(sodam.ECONFLICT, op, "아직 주문이 확정되지 않았어요. 금액을 확인하고 주문을 확정해 주세요.")
	default:
		return nil, nil, fail(sodam.ECONFLICT, op, "취소된 주문은 결제할 수 없어요.")
	}
}

func orderItemName(o *sodam.Order) (string, int) {
	n := 0
	for _, l := range o.Items {
		n += l.Quantity
	}
	switch len(o.Items) {
	case 0:
		return "주문", 1
	case 1:
		return o.Items[0].Name, n
	default:
		return fmt.Sprintf("%s 외 %d건", o.Items[0].Name, len(o.Items)-1), n
	}
}

// bookingTarget prepares the payment of a held booking. A booking already
// paid returns its payment as done; an expired hold is ECONFLICT.
func (t *Toolbox) bookingTarget(ctx context.Context, op, userID, bookingID string) (*payTarget, *PayOutput, error) {
	if _, err := t.store.ExpireHolds(ctx, t.now()); err != nil {
		return nil, nil, sodam.WrapError(op, err)
	}
	b, err := t.userBooking(ctx, op, userID, bookingID)
	if err != nil {
		return nil, nil, err
	}
	target := &payTarget{
		key:       bookingKey(b.ID),
		userID:    userID,
		bookingID: b.ID,
		amount:    b.Total,
		method:    sodam.PayKakaoPay,
		itemName:  b.SeatGrade + "석",
		quantity:  b.TicketCount,
	}
	if e, err := t.store.Event(ctx, b.EventID); err == nil {
		target.itemName = e.Title + " " + target.itemName
	}
	expired := fail(sodam.ECONFLICT, op, "좌석을 잡아 두는 시간이 지나 좌석이 풀렸어요. 다시 예매해 주세요.")
	target.finish = func(ctx context.Context, p *sodam.Payment) error {
		now := t.now()
		_, err := t.store.UpdateBooking(ctx, b.ID, func(b *sodam.Booking) error {
			switch {
			case b.Status == sodam.BookingPaid && b.PaymentID == p.ID:
				return nil
			case b.Status != sodam.BookingHeld || !b.HeldUntil.After(now):
				return expired
			case b.Total != p.Amount:
				return fail(sodam.EINTERNAL, op, "")
			}
			b.Status = sodam.BookingPaid
			b.PaymentID = p.ID
			b.UpdatedAt = now
			return nil
		})
		return err
	}
	target.output = func(ctx context.Context, p *sodam.Payment) (*PayOutput, error) {
		b, err := t.store.Booking(ctx, b.ID)
		if err != nil {
			return nil, sodam.WrapError(op, err)
		}
		return &PayOutput{Payment: p, Booking: b}, nil
	}
	switch {
	case b.Status == sodam.BookingPaid:
		p, err := t.paymentOf(ctx, op, userID, b.PaymentID, target.key)
		if err != nil {
			return nil, nil, err
		}
		done, err := target.output(ctx, p)
		return nil, done, err
	case b.Status == sodam.BookingCancelled:
		return nil, nil, fail(sodam.ECONFLICT, op, "취소되었거나 시간이 지나 풀린 예매예요. 다시 예매해 주세요.")
	case !b.HeldUntil.After(t.now()):
		return nil, nil, expired
	}
	return target, nil, nil
}

// bookingTargetAny is bookingTarget for a payment that may already have
// paid the booking.
func (t *Toolbox) bookingTargetAny(ctx context.Context, op string, p *sodam.Payment) (*payTarget, *PayOutput, error) {
	target, _, err := t.bookingTarget(ctx, op, p.UserID, p.BookingID)
	if target != nil || err != nil {
		return target, nil, err
	}
	target, err = t.doneTarget(ctx, op, p)
	return target, nil, err
}

// doneTarget is the target of a payment whose record is already paid: its
// finish accepts the record as it is.
func (t *Toolbox) doneTarget(ctx context.Context, op string, p *sodam.Payment) (*payTarget, error) {
	return &payTarget{
		key: p.IdempotencyKey, userID: p.UserID, orderID: p.OrderID, bookingID: p.BookingID, amount: p.Amount, method: p.Method,
		finish: func(context.Context, *sodam.Payment) error { return nil },
		output: func(ctx context.Context, p *sodam.Payment) (*PayOutput, error) {
			out := &PayOutput{Payment: p}
			if p.OrderID != "" {
				o, err := t.store.Order(ctx, p.OrderID)
				if err != nil {
					return nil, sodam.WrapError(op, err)
				}
				out.Order = o
			}
			if p.BookingID != "" {
				b, err := t.store.Booking(ctx, p.BookingID)
				if err != nil {
					return nil, sodam.WrapError(op, err)
				}
				out.Booking = b
			}
			return out, nil
		},
	}, nil
}

// paymentOf returns a payment by id, or by idempotency key among the
// user's payments when the id is not known.
func (t *Toolbox) paymentOf(ctx context.Context, op, userID, id, key string) (*sodam.Payment, error) {
	if id != "" {
		p, err := t.store.Payment(ctx, id)
		if err != nil {
			return nil, sodam.WrapError(op, err)
		}
		return p, nil
	}
	ps, err := t.store.PaymentsByUser(ctx, userID)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	for _, p := range ps {
		if p.IdempotencyKey == key {
			return p, nil
		}
	}
	return nil, fail(sodam.ENOTFOUND, op, "결제 내역을 찾을 수 없어요.")
}
