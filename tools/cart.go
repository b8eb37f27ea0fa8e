package tools

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/sodam-ai/sodam"
)

// maxQuantity is the most of one line a cart holds.
const maxQuantity = 99

// The cart is the user's one draft order, of one merchant. It is never
// cancelled: emptying it removes its lines and keeps the draft, so that a
// cart the user gave up never shows as a cancelled order.

// CartAdd adds an item to the user's cart, priced now. A line with the
// same item and options grows by the quantity. An item of another store is
// ECONFLICT unless Replace is set, which empties the cart first. A sold-out
// item is ECONFLICT; an option the item does not offer is EINVALID.
func (t *Toolbox) CartAdd(ctx context.Context, userID string, in CartAddInput) (*CartOutput, error) {
	return run(ctx, t, userID, "cart_add", in, nil, t.cartAdd)
}

func (t *Toolbox) cartAdd(ctx context.Context, userID string, in CartAddInput) (*CartOutput, error) {
	const op = "tools.CartAdd"
	qty := in.Quantity
	if qty == 0 {
		qty = 1
	}
	if qty < 1 || qty > maxQuantity {
		return nil, fail(sodam.EINVALID, op, fmt.Sprintf("수량은 1개부터 %d개까지 담을 수 있어요.", maxQuantity))
	}
	it, err := t.menuItem(ctx, op, in.MenuItemID)
	if err != nil {
		return nil, err
	}
	if it.SoldOut {
		return nil, fail(sodam.ECONFLICT, op, josa(it.Name, "은", "는")+" 지금 품절이에요.")
	}
	opts, err := canonicalOptions(it, in.Options)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	m, items, err := t.menu(ctx, op, it.MerchantID)
	if err != nil {
		return nil, err
	}
	now := t.now()

	defer t.lockUser(userID)()
	cart, err := t.cart(ctx, userID)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	if cart != nil && len(cart.Items) > 0 && cart.MerchantID != it.MerchantID && !in.Replace {
		other := cart.MerchantID
		if om, err := t.store.Merchant(ctx, cart.MerchantID); err == nil {
			other = om.Name
		}
		return nil, fail(sodam.ECONFLICT, op, fmt.Sprintf("장바구니에는 한 가게의 메뉴만 담을 수 있어요. 지금은 %s의 메뉴가 담겨 있어요. 장바구니를 비우고 담을까요?", other))
	}
	add := func(o *sodam.Order) error {
		if o.MerchantID != it.MerchantID {
			o.MerchantID = it.MerchantID
			o.Items = nil
		}
		merged := false
		for k := range o.Items {
			l := &o.Items[k]
			if l.MenuItemID == it.ID && slices.Equal(l.Options, opts) {
				if l.Quantity+qty > maxQuantity {
					return fail(sodam.EINVALID, op, fmt.Sprintf("한 메뉴는 %d개까지 담을 수 있어요.", maxQuantity))
				}
				l.Quantity += qty
				merged = true
				break
			}
		}
		if !merged {
			o.Items = append(o.Items, sodam.OrderLine{MenuItemID: it.ID, Name: it.Name, Quantity: qty, Options: opts})
		}
		o.UpdatedAt = now
		return o.Reprice(now, items, m)
	}
	return t.writeCart(ctx, op, userID, cart, now, add)
}

// writeCart applies fn to the user's cart: a new draft order when cart is
// nil, else the stored draft under its lock (a conflict if it was placed
// in the meantime).
func (t *Toolbox) writeCart(ctx context.Context, op, userID string, cart *sodam.Order, now time.Time, fn func(*sodam.Order) error) (*CartOutput, error) {
	if cart == nil {
		o := &sodam.Order{UserID: userID, Status: sodam.OrderDraft, CreatedAt: now}
		if err := fn(o); err != nil {
			return nil, sodam.WrapError(op, err)
		}
		if err := t.store.CreateOrder(ctx, o); err != nil {
			return nil, sodam.WrapError(op, err)
		}
		return &CartOutput{Cart: o}, nil
	}
	o, err := t.store.UpdateOrder(ctx, cart.ID, func(o *sodam.Order) error {
		if o.Status != sodam.OrderDraft {
			return fail(sodam.ECONFLICT, op, "장바구니가 방금 주문으로 바뀌었어요. 다시 시도해 주세요.")
		}
		return fn(o)
	})
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	return &CartOutput{Cart: o}, nil
}

// CartUpdate sets the quantity of a cart line found by item and current
// options (the item's only line when options are not given), and replaces
// its options when NewOptions is set. Quantity 0 removes the line. A line
// not in the cart is ENOTFOUND.
func (t *Toolbox) CartUpdate(ctx context.Context, userID string, in CartUpdateInput) (*CartOutput, error) {
	return run(ctx, t, userID, "cart_update", in, nil, t.cartUpdate)
}

func (t *Toolbox) cartUpdate(ctx context.Context, userID string, in CartUpdateInput) (*CartOutput, error) {
	const op = "tools.CartUpdate"
	if in.Quantity < 0 || in.Quantity > maxQuantity {
		return nil, fail(sodam.EINVALID, op, fmt.Sprintf("수량은 0개부터 %d개까지 정할 수 있어요.", maxQuantity))
	}
	return t.editCart(ctx, op, userID, in.MenuItemID, func(o *sodam.Order, it *sodam.MenuItem) error {
		k, err := findLine(o, it, in.Options, op)
		if err != nil {
			return err
		}
		if in.Quantity == 0 {
			o.Items = slices.Delete(o.Items, k, k+1)
			return nil
		}
		l := &o.Items[k]
		l.Quantity = in.Quantity
		if in.NewOptions != nil {
			opts, err := canonicalOptions(it, in.NewOptions)
			if err != nil {
				return err
			}
			l.Options = opts
			// The new options may make the line equal to another: merge.
			for j := range o.Items {
				if j != k && o.Items[j].MenuItemID == l.MenuItemID && slices.Equal(o.Items[j].Options, opts) {
					o.Items[j].Quantity += l.Quantity
					if o.Items[j].Quantity > maxQuantity {
						return fail(sodam.EINVALID, op, fmt.Sprintf("한 메뉴는 %d개까지 담을 수 있어요.", maxQuantity))
					}
					o.Items = slices.Delete(o.Items, k, k+1)
					break
				}
			}
		}
		return nil
	})
}

// CartRemove removes the lines of an item from the cart: the line with
// the given options, or every line of the item when none are given.
func (t *Toolbox) CartRemove(ctx context.Context, userID string, in CartRemoveInput) (*CartOutput, error) {
	return run(ctx, t, userID, "cart_remove", in, nil, t.cartRemove)
}

func (t *Toolbox) cartRemove(ctx context.Context, userID string, in CartRemoveInput) (*CartOutput, error) {
	const op = "tools.CartRemove"
	return t.editCart(ctx, op, userID, in.MenuItemID, func(o *sodam.Order, it *sodam.MenuItem) error {
		if len(in.Options) > 0 {
			k, err := findLine(o, it, in.Options, op)
			if err != nil {
				return err
			}
			o.Items = slices.Delete(o.Items, k, k+1)
			return nil
		}
		n := len(o.Items)
		o.Items = slices.DeleteFunc(o.Items, func(l sodam.OrderLine) bool { return l.MenuItemID == it.ID })
		if len(o.Items) == n {
			return fail(sodam.ENOTFOUND, op, josa(it.Name, "은", "는")+" 장바구니에 없어요.")
		}
		return nil
	})
}

// editCart runs edit on the user's cart under its lock and reprices it.
func (t *Toolbox) editCart(ctx context.Context, op, userID, itemID string, edit func(*sodam.Order, *sodam.MenuItem) error) (*CartOutput, error) {
	defer t.lockUser(userID)()
	cart, err := t.cart(ctx, userID)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	if cart == nil || len(cart.Items) == 0 {
		return nil, fail(sodam.ENOTFOUND, op, "장바구니가 비어 있어요.")
	}
	it, err := t.store.MenuItem(ctx, itemID)
	if err != nil {
		// An item gone from the catalog can still be edited out of a cart.
		if !sodam.IsCode(err, sodam.ENOTFOUND) {
			return nil, sodam.WrapError(op, err)
		}
		it = &sodam.MenuItem{ID: itemID, Name: lineName(cart, itemID)}
	}
	m, items, err := t.menu(ctx, op, cart.MerchantID)
	if err != nil {
		return nil, err
	}
	now := t.now()
	o, err := t.store.UpdateOrder(ctx, cart.ID, func(o *sodam.Order) error {
		if o.Status != sodam.OrderDraft {
			return fail(sodam.ECONFLICT, op, "장바구니가 방금 주문으로 바뀌었어요. 다시 시도해 주세요.")
		}
		if err := edit(o, it); err != nil {
			return err
		}
		o.UpdatedAt = now
		return repriceLoosely(o, now, items, m)
	})
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	return cartOutput(o), nil
}

// GetCart shows the user's cart priced now; Cart is nil when it is empty.
func (t *Toolbox) GetCart(ctx context.Context, userID string, in GetCartInput) (*CartOutput, error) {
	return run(ctx, t, userID, "get_cart", in, nil, t.getCart)
}

func (t *Toolbox) getCart(ctx context.Context, userID string, _ GetCartInput) (*CartOutput, error) {
	const op = "tools.GetCart"
	cart, err := t.cart(ctx, userID)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	if cart == nil || len(cart.Items) == 0 {
		return &CartOutput{}, nil
	}
	m, items, err := t.menu(ctx, op, cart.MerchantID)
	if err != nil {
		return nil, err
	}
	if err := repriceLoosely(cart, t.now(), items, m); err != nil {
		return nil, sodam.WrapError(op, err)
	}
	return &CartOutput{Cart: cart}, nil
}

// cart returns the user's draft order, or nil when there is none. Should
// a race have left two, the newest is the cart.
func (t *Toolbox) cart(ctx context.Context, userID string) (*sodam.Order, error) {
	orders, err := t.store.OrdersByUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	for _, o := range slices.Backward(orders) {
		if o.Status == sodam.OrderDraft {
			return o, nil
		}
	}
	return nil, nil
}

// menu loads a merchant and its items keyed by id, for repricing.
func (t *Toolbox) menu(ctx context.Context, op, merchantID string) (*sodam.Merchant, map[string]*sodam.MenuItem, error) {
	m, err := t.merchant(ctx, op, merchantID)
	if err != nil {
		return nil, nil, err
	}
	list, err := t.store.MenuItems(ctx, merchantID)
	if err != nil {
		return nil, nil, sodam.WrapError(op, err)
	}
	items := make(map[string]*sodam.MenuItem, len(list))
	for _, it := range list {
		items[it.ID] = it
	}
	return m, items, nil
}

// menuItem loads an item, with a message for the user when it is gone.
func (t *Toolbox) menuItem(ctx context.Context, op, id string) (*sodam.MenuItem, error) {
	if id == "" {
		return nil, fail(sodam.EINVALID, op, "어떤 메뉴인지 알려 주세요.")
	}
	it, err := t.store.MenuItem(ctx, id)
	if err != nil {
		return nil, notFound(op, err, "메뉴를 찾을 수 없어요.")
	}
	return it, nil
}

// canonicalOptions checks that it offers every option and returns their
// names as the item spells them, once each, in the item's order, so that
// equal choices make equal lines. No options is an empty list, not nil.
func canonicalOptions(it *sodam.MenuItem, names []string) ([]string, error) {
	chosen := make(map[string]bool, len(names))
	for _, n := range names {
		o, ok := it.Option(n)
		if !ok {
			return nil, fail(sodam.EINVALID, "tools.options", fmt.Sprintf("%s에는 '%s' 옵션이 없어요.", it.Name, n))
		}
		chosen[o.Name] = true
	}
	out := []string{}
	for _, o := range it.Options {
		if chosen[o.Name] {
			out = append(out, o.Name)
			delete(chosen, o.Name)
		}
	}
	return out, nil
}

// findLine finds the cart line of it with the given options, or the
// item's only line when options is nil.
func findLine(o *sodam.Order, it *sodam.MenuItem, options []string, op string) (int, error) {
	var idx []int
	for k, l := range o.Items {
		if l.MenuItemID == it.ID {
			idx = append(idx, k)
		}
	}
	if len(idx) == 0 {
		return 0, fail(sodam.ENOTFOUND, op, josa(it.Name, "은", "는")+" 장바구니에 없어요.")
	}
	if options == nil {
		if len(idx) > 1 {
			return 0, fail(sodam.EINVALID, op, josa(it.Name, "이", "가")+" 옵션별로 여러 줄 담겨 있어요. 어떤 옵션인지 알려 주세요.")
		}
		return idx[0], nil
	}
	want, err := canonicalOptions(it, options)
	if err != nil {
		// The item may have lost the option since; compare as written.
		want = options
	}
	for _, k := range idx {
		if slices.Equal(o.Items[k].Options, want) {
			return k, nil
		}
	}
	return 0, fail(sodam.ENOTFOUND, op, "그 옵션의 "+josa(it.Name, "은", "는")+" 장바구니에 없어요.")
}

// repriceLoosely reprices a cart at now, keeping the stored price of a
// line whose item or option has left the catalog (placing the order will
// refuse it). An empty cart costs nothing, delivery included.
func repriceLoosely(o *sodam.Order, now time.Time, items map[string]*sodam.MenuItem, m *sodam.Merchant) error {
	if len(o.Items) == 0 {
		o.ItemsTotal, o.DeliveryFee, o.Total = 0, 0, 0
		return nil
	}
	var sum int64
	for k := range o.Items {
		l := &o.Items[k]
		if it, ok := items[l.MenuItemID]; ok {
			if p, err := it.UnitPrice(now, l.Options); err == nil {
				l.UnitPrice = p
			}
		}
		l.LineTotal = l.UnitPrice * int64(l.Quantity)
		sum += l.LineTotal
	}
	o.ItemsTotal = sum
	o.DeliveryFee = m.DeliveryFee
	o.Total = sum + m.DeliveryFee
	return nil
}

func lineName(o *sodam.Order, itemID string) string {
	for _, l := range o.Items {
		if l.MenuItemID == itemID {
			return l.Name
		}
	}
	return "그 메뉴"
}

func cartOutput(o *sodam.Order) *CartOutput {
	if o == nil || len(o.Items) == 0 {
		return &CartOutput{}
	}
	return &CartOutput{Cart: o}
}

// sortNewestFirst orders a store's list of orders (oldest first) by the
// time they were placed (created for drafts), newest first; orders of the
// same time keep the store's order reversed, so the later one comes first.
func sortNewestFirst(orders []*sodam.Order) {
	slices.Reverse(orders)
	slices.SortStableFunc(orders, func(a, b *sodam.Order) int { return orderTime(b).Compare(orderTime(a)) })
}

func orderTime(o *sodam.Order) time.Time {
	if o.PlacedAt != nil {
		return *o.PlacedAt
	}
	return o.CreatedAt
}
