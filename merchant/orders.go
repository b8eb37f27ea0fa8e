package merchant

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/tools"
)

// OrderView is an order as its store sees it, with its steps.
type OrderView struct {
	*sodam.Order
	StatusText string             `json:"status_text"`
	Steps      []*sodam.OrderStep `json:"steps"`
}

// InboxFilter picks orders of the inbox.
type InboxFilter struct {
	// Statuses to list; none lists the orders in progress (paid,
	// accepted, cooking, delivering). Drafts and placed orders (not yet
	// paid) are never the store's business and never listed.
	Statuses []sodam.OrderStatus
}

// Inbox lists the store's orders, newest first.
func (s *Service) Inbox(ctx context.Context, acct *sodam.MerchantAccount, f InboxFilter) ([]*OrderView, error) {
	const op = "merchant.Inbox"
	if err := needStore(op, acct); err != nil {
		return nil, err
	}
	orders, err := s.recs.OrdersByMerchant(ctx, acct.ChannelID)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	out := []*OrderView{}
	for i := len(orders) - 1; i >= 0; i-- {
		o := orders[i]
		if o.Status == sodam.OrderDraft || o.Status == sodam.OrderPlaced {
			continue
		}
		if len(f.Statuses) == 0 && !o.Status.InProgress() || len(f.Statuses) > 0 && !slices.Contains(f.Statuses, o.Status) {
			continue
		}
		out = append(out, &OrderView{Order: o, StatusText: o.Status.Korean()})
	}
	return out, nil
}

// Order returns one of the store's orders with its steps. Another
// store's order is ENOTFOUND.
func (s *Service) Order(ctx context.Context, acct *sodam.MerchantAccount, orderID string) (*OrderView, error) {
	const op = "merchant.Order"
	o, err := s.ownOrder(ctx, op, acct, orderID)
	if err != nil {
		return nil, err
	}
	steps, err := s.recs.OrderSteps(ctx, o.ID)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	if steps == nil {
		steps = []*sodam.OrderStep{}
	}
	return &OrderView{Order: o, StatusText: o.Status.Korean(), Steps: steps}, nil
}

func (s *Service) ownOrder(ctx context.Context, op string, acct *sodam.MerchantAccount, orderID string) (*sodam.Order, error) {
	if err := needStore(op, acct); err != nil {
		return nil, err
	}
	o, err := s.store.Order(ctx, orderID)
	if err != nil {
		return nil, notFound(op, err, "주문을 찾을 수 없어요.")
	}
	if o.MerchantID != acct.ChannelID || o.Status == sodam.OrderDraft || o.Status == sodam.OrderPlaced {
		return nil, fail(sodam.ENOTFOUND, op, "주문을 찾을 수 없어요.")
	}
	return o, nil
}

// needStore refuses accounts that are not a store's.
func needStore(op string, acct *sodam.MerchantAccount) error {
	if acct == nil {
		return fail(sodam.EUNAUTHORIZED, op, "로그인이 필요해요.")
	}
	if acct.Kind != sodam.ChannelMerchant {
		return fail(sodam.ENOTFOUND, op, "가게 계정에서만 쓸 수 있는 기능이에요.")
	}
	return nil
}

// customerText is what the customer is told when their order reaches a
// status.
func customerText(name string, to sodam.OrderStatus, reason string) string {
	switch to {
	case sodam.OrderAccepted:
		return name + "에서 주문을 접수했어요. 곧 조리를 시작할 거예요."
	case sodam.OrderCooking:
		return name + "에서 주문하신 음식을 조리하고 있어요."
	case sodam.OrderDelivering:
		return name + " 주문이 배달을 시작했어요. 조금만 기다려 주세요."
	case sodam.OrderDelivered:
		return name + " 주문이 배달 완료됐어요. 맛있게 드세요!"
	case sodam.OrderCancelled:
		return fmt.Sprintf("죄송해요, %s에서 주문을 받을 수 없대요. (사유: %s) 결제하신 금액은 모두 환불돼요.", name, reason)
	}
	return name + " 주문 상태가 " + to.Korean() + "(으)로 바뀌었어요."
}

// Advance moves one of the store's orders to status to, which must be
// the next step after its status now (paid → accepted → cooking →
// delivering → delivered); any other move is ECONFLICT and changes
// nothing. The customer is told at once.
func (s *Service) Advance(ctx context.Context, acct *sodam.MerchantAccount, orderID string, to sodam.OrderStatus) (*OrderView, error) {
	const op = "merchant.Advance"
	switch to {
	case sodam.OrderAccepted, sodam.OrderCooking, sodam.OrderDelivering, sodam.OrderDelivered:
	default:
		return nil, fail(sodam.EINVALID, op, fmt.Sprintf("'%s'(은)는 바꿀 수 있는 주문 상태가 아니에요. accepted, cooking, delivering, delivered 중 하나예요.", to))
	}
	o, err := s.ownOrder(ctx, op, acct, orderID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var from sodam.OrderStatus
	tctx, told := s.tellStep(ctx, acct, o.ID, to, "")
	o, err = s.orders.UpdateOrderAsMerchant(tctx, o.ID, func(o *sodam.Order) error {
		next, ok := sodam.NextOrderStep(o.Status)
		if !ok || next != to {
			if !ok {
				return fail(sodam.ECONFLICT, op, fmt.Sprintf("%s 상태인 주문은 더 진행할 수 없어요.", o.Status.Korean()))
			}
			return fail(sodam.ECONFLICT, op, fmt.Sprintf("지금은 %s 상태예요. 다음 단계는 %s예요.", o.Status.Korean(), next.Korean()))
		}
		from = o.Status
		o.Status = to
		o.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	return s.afterStep(ctx, acct, o, from, to, "", *told)
}

// Accept accepts a paid order: Advance to accepted.
func (s *Service) Accept(ctx context.Context, acct *sodam.MerchantAccount, orderID string) (*OrderView, error) {
	return s.Advance(ctx, acct, orderID, sodam.OrderAccepted)
}

// Reject turns down a paid or accepted order (one not yet cooking) with
// a reason the customer is told: the payment is refunded in full at once,
// exactly once, and the order cancelled. A reason is required (EINVALID);
// an order in another status is ECONFLICT; a refund the provider refuses
// or cannot make now changes nothing and may be retried.
func (s *Service) Reject(ctx context.Context, acct *sodam.MerchantAccount, orderID, reason string) (*OrderView, error) {
	const op = "merchant.Reject"
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 200 {
		return nil, fail(sodam.EINVALID, op, "거절 사유를 200자 안으로 적어 주세요.")
	}
	o, err := s.ownOrder(ctx, op, acct, orderID)
	if err != nil {
		return nil, err
	}
	from := o.Status
	tctx, told := s.tellStep(ctx, acct, o.ID, sodam.OrderCancelled, reason)
	out, err := s.orders.RefundOrder(tctx, o.ID, sodam.OrderPaid, sodam.OrderAccepted)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	return s.afterStep(ctx, acct, out.Order, from, sodam.OrderCancelled, reason, *told)
}

// tellStep returns a context under which the event the order store
// publishes for order orderID reaching status to (tools.WithNotices)
// carries the customer's notice of it, so that one event tells every
// server of the change; *told reports whether it did. Without a bus the
// service delivers in process, and afterStep tells the customer.
func (s *Service) tellStep(ctx context.Context, acct *sodam.MerchantAccount, orderID string, to sodam.OrderStatus, reason string) (context.Context, *bool) {
	told := new(bool)
	if s.events == nil {
		return ctx, told
	}
	return tools.WithNotices(ctx, func(ctx context.Context, e *sodam.BusEvent) []*sodam.Notice {
		if *told || e.Kind != sodam.EventOrderChanged || e.OrderID != orderID || e.Status != string(to) {
			return nil
		}
		*told = true
		n := s.keepNotice(ctx, acct, orderID, e.UserID, e.ChannelID, to, reason)
		if n == nil {
			return nil
		}
		return []*sodam.Notice{n}
	}), told
}

// keepNotice keeps the customer's notice of an order step in their
// outbox and returns it, or nil when it could not be kept (logged: the
// step has happened).
func (s *Service) keepNotice(ctx context.Context, acct *sodam.MerchantAccount, orderID, userID, merchantID string, to sodam.OrderStatus, reason string) *sodam.Notice {
	n := &sodam.Notice{UserID: userID, Kind: sodam.NoticeOrderStatus, ChannelID: merchantID,
		OrderID: orderID, Status: string(to), Text: customerText(acct.Name, to, reason), At: s.now()}
	if err := s.recs.Enqueue(context.WithoutCancel(ctx), []*sodam.Notice{n}); err != nil {
		s.log.Error("keep a notice", "user", userID, "kind", n.Kind, "err", err)
		return nil
	}
	return n
}

// afterStep tells the customer of a step, unless the order store's
// event already did (told), then records the step (after the notice is
// on its way: the customer need not wait for it) and returns the order
// as it is now.
func (s *Service) afterStep(ctx context.Context, acct *sodam.MerchantAccount, o *sodam.Order, from, to sodam.OrderStatus, reason string, told bool) (*OrderView, error) {
	ctx = context.WithoutCancel(ctx)
	if !told {
		if n := s.keepNotice(ctx, acct, o.ID, o.UserID, o.MerchantID, to, reason); n != nil {
			s.publish(ctx, &sodam.BusEvent{Kind: sodam.EventOrderChanged, UserID: o.UserID, OrderID: o.ID,
				ChannelID: o.MerchantID, Status: string(to), Amount: o.Total, At: n.At, Notices: []*sodam.Notice{n}})
		}
	}
	step := &sodam.OrderStep{OrderID: o.ID, MerchantID: o.MerchantID, From: from, To: to, Reason: reason, At: s.now()}
	if err := s.recs.AddOrderStep(ctx, step); err != nil {
		s.log.Error("record an order step", "order", o.ID, "to", to, "err", err)
	}
	return s.Order(ctx, acct, o.ID)
}
