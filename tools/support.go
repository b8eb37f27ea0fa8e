package tools

import (
	"cmp"
	"context"
	"slices"

	"github.com/sodam-ai/sodam"
)

// FileComplaint files a complaint, status open, about the order or booking
// named (which must be the user's) or else about the user's latest one:
// the newest placed, paid or delivered order or paid booking, except that
// a complaint only food can cause (cold, late, taste, wrong or missing
// item) is about the latest order even when a booking came after it. The
// complaint is routed to the order's merchant or the event's channel (the
// event itself when it has none).
func (t *Toolbox) FileComplaint(ctx context.Context, userID string, in FileComplaintInput) (*ComplaintOutput, error) {
	return run(ctx, t, userID, "file_complaint", in, nil, t.fileComplaint)
}

func (t *Toolbox) fileComplaint(ctx context.Context, userID string, in FileComplaintInput) (*ComplaintOutput, error) {
	const op = "tools.FileComplaint"
	typ := sodam.ComplaintType(in.Type)
	if !slices.Contains(sodam.ComplaintTypes, typ) {
		return nil, fail(sodam.EINVALID, op, "어떤 불편이었는지 알려 주세요.")
	}
	if in.OrderID != "" && in.BookingID != "" {
		return nil, fail(sodam.EINVALID, op, "주문과 예매 중 하나에 대해 접수해 주세요.")
	}
	var (
		o   *sodam.Order
		b   *sodam.Booking
		err error
	)
	switch {
	case in.OrderID != "":
		if o, err = t.pickOrder(ctx, op, userID, in.OrderID, ""); err != nil {
			return nil, err
		}
		if o.Status == sodam.OrderDraft {
			return nil, fail(sodam.ECONFLICT, op, "아직 주문하지 않은 장바구니예요.")
		}
	case in.BookingID != "":
		if b, err = t.userBooking(ctx, op, userID, in.BookingID); err != nil {
			return nil, err
		}
	default:
		if o, b, err = t.latest(ctx, op, userID, typ); err != nil {
			return nil, err
		}
	}
	c := &sodam.Complaint{
		UserID:    userID,
		Type:      typ,
		Text:      in.Text,
		Status:    sodam.ComplaintOpen,
		CreatedAt: t.now(),
	}
	if o != nil {
		c.OrderID, c.MerchantID = o.ID, o.MerchantID
	} else {
		c.BookingID, c.MerchantID = b.ID, b.EventID
		if e, err := t.store.Event(ctx, b.EventID); err == nil && e.ChannelID != "" {
			c.MerchantID = e.ChannelID
		}
	}
	if err := t.store.CreateComplaint(ctx, c); err != nil {
		return nil, sodam.WrapError(op, err)
	}
	return &ComplaintOutput{Complaint: c, Order: o, Booking: b}, nil
}

// aboutFood reports whether a complaint of type typ can only be about an
// order.
func aboutFood(typ sodam.ComplaintType) bool {
	switch typ {
	case sodam.ComplaintCold, sodam.ComplaintLate, sodam.ComplaintTaste, sodam.ComplaintWrongItem, sodam.ComplaintMissingItem:
		return true
	}
	return false
}

// latest returns the user's newest order (placed, paid or delivered) or
// paid booking, exactly one of the two.
func (t *Toolbox) latest(ctx context.Context, op, userID string, typ sodam.ComplaintType) (*sodam.Order, *sodam.Booking, error) {
	orders, err := t.store.OrdersByUser(ctx, userID)
	if err != nil {
		return nil, nil, sodam.WrapError(op, err)
	}
	orders = slices.DeleteFunc(orders, func(o *sodam.Order) bool {
		return o.Status != sodam.OrderPlaced && !o.Status.InProgress() && o.Status != sodam.OrderDelivered
	})
	sortNewestFirst(orders)
	bookings, err := t.store.BookingsByUser(ctx, userID)
	if err != nil {
		return nil, nil, sodam.WrapError(op, err)
	}
	var b *sodam.Booking
	for _, x := range bookings {
		if x.Status == sodam.BookingPaid && (b == nil || !x.CreatedAt.Before(b.CreatedAt)) {
			b = x
		}
	}
	switch {
	case len(orders) == 0 && b == nil:
		return nil, nil, fail(sodam.ENOTFOUND, op, "불편 사항을 접수할 주문이나 예매를 찾지 못했어요.")
	case b == nil:
		return orders[0], nil, nil
	case len(orders) == 0:
		return nil, b, nil
	}
	o := orders[0]
	// A complaint about food is about the latest order even when a booking
	// came after it.
	if orderTime(o).After(b.CreatedAt) || aboutFood(typ) {
		return o, nil, nil
	}
	return nil, b, nil
}

// SubscribeChannel adds a channel to the user's subscriptions, or removes
// it with Unsubscribe; both are idempotent. The channel is a merchant's id
// or an event's channel_id (a channel's name is accepted too); any other
// is ENOTFOUND.
func (t *Toolbox) SubscribeChannel(ctx context.Context, userID string, in SubscribeChannelInput) (*SubscribeChannelOutput, error) {
	return run(ctx, t, userID, "subscribe_channel", in, nil, t.subscribeChannel)
}

func (t *Toolbox) subscribeChannel(ctx context.Context, userID string, in SubscribeChannelInput) (*SubscribeChannelOutput, error) {
	const op = "tools.SubscribeChannel"
	id, name, err := t.channel(ctx, op, in.ChannelID)
	if err != nil {
		return nil, err
	}
	var u *sodam.User
	if in.Unsubscribe {
		u, err = t.store.Unsubscribe(ctx, userID, id)
	} else {
		u, err = t.store.Subscribe(ctx, userID, id)
	}
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	subs := u.Subscriptions
	if subs == nil {
		subs = []string{}
	}
	return &SubscribeChannelOutput{ChannelID: id, ChannelName: name, Subscriptions: subs}, nil
}

// channel resolves a channel id (or name) to its id and name.
func (t *Toolbox) channel(ctx context.Context, op, ref string) (id, name string, err error) {
	if ref == "" {
		return "", "", fail(sodam.EINVALID, op, "어떤 채널인지 알려 주세요.")
	}
	if m, err := t.store.Merchant(ctx, ref); err == nil {
		return m.ID, m.Name, nil
	} else if !sodam.IsCode(err, sodam.ENOTFOUND) {
		return "", "", sodam.WrapError(op, err)
	}
	events, err := t.store.Events(ctx)
	if err != nil {
		return "", "", sodam.WrapError(op, err)
	}
	for _, e := range events {
		if e.ChannelID != "" && e.ChannelID == ref {
			return e.ChannelID, cmp.Or(e.ChannelName, e.ChannelID), nil
		}
	}
	for _, e := range events {
		if e.ChannelID != "" && e.ChannelName != "" && fold(e.ChannelName) == fold(ref) {
			return e.ChannelID, e.ChannelName, nil
		}
	}
	merchants, err := t.store.Merchants(ctx)
	if err != nil {
		return "", "", sodam.WrapError(op, err)
	}
	for _, m := range merchants {
		if fold(m.Name) == fold(ref) {
			return m.ID, m.Name, nil
		}
	}
	return "", "", fail(sodam.ENOTFOUND, op, "그런 채널을 찾을 수 없어요.")
}
