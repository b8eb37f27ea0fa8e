package assistant

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/tools"
)

// explicitMerchant is the store this message names: by ordinal in the
// last list of stores, by a catalog link or by name. branches reports
// that a brand with several branches was named and one was chosen; cands
// is set when several brands fit and the user must choose.
func (c *conv) explicitMerchant() (id string, branches bool, cands []string) {
	r := c.r
	if sh := c.st.Shown; sh != nil && sh.Kind == ShownMerchants {
		if n := firstNonZero(r.Ordinal, ordinalOf(r.Compact)); n != 0 {
			if n == -1 {
				n = len(sh.IDs)
			}
			if n >= 1 && n <= len(sh.IDs) {
				return sh.IDs[n-1], false, nil
			}
		}
	}
	v := c.a.catalog(c.ctx)
	ids := r.MerchantIDs
	if len(ids) == 0 && r.Merchant != "" {
		ids = v.merchantsNamed(r.Merchant)
	}
	if len(ids) == 0 {
		ids = v.merchantsNamed(r.Compact)
	}
	if len(ids) == 0 {
		return "", false, nil
	}
	id, several := c.chooseBranch(ids)
	if id == "" {
		return "", false, uniqueSorted(ids)
	}
	return id, several, nil
}

// contextMerchant is the store the conversation is about: the cart's,
// else the last one looked at.
func (c *conv) contextMerchant() string {
	if c.st.Cart != nil && c.st.Cart.MerchantID != "" {
		return c.st.Cart.MerchantID
	}
	return c.st.MerchantID
}

func (c *conv) searchMerchants() *sodam.Response {
	r := c.r
	if r.Category == "" && r.Location == "" && !r.NearMe && r.Budget == 0 {
		// 교동치킨: a store named outright is shown at once.
		if id, _, _ := c.explicitMerchant(); id != "" {
			return c.menu()
		}
	}
	in := tools.SearchMerchantsInput{Location: r.Location, NearMe: r.NearMe, Budget: r.Budget, Limit: 5}
	if isFoodCategory(r.Category) {
		in.Category = r.Category
	}
	if r.Merchant != "" {
		in.Query = r.Merchant
	} else if len(r.Items) > 0 {
		in.Query = r.Items[0].Name
	}
	if in.Category == "" && in.Query == "" && in.Location == "" && !in.NearMe {
		in.NearMe = true
	}
	out, err := c.a.tools.SearchMerchants(c.ctx, c.user, in)
	if err != nil {
		return c.fail(err)
	}
	if len(out.Merchants) == 0 {
		return &sodam.Response{Text: "조건에 맞는 가게를 찾지 못했어요. 다른 메뉴나 지역으로 찾아볼까요?"}
	}
	ids := make([]string, len(out.Merchants))
	for i, m := range out.Merchants {
		ids[i] = m.Merchant.ID
	}
	c.st.Shown = &Shown{Kind: ShownMerchants, IDs: ids}
	if len(ids) == 1 {
		c.st.MerchantID = ids[0]
	}
	what := firstNonEmpty(in.Category, in.Query, "가게")
	text := fmt.Sprintf("%s %d곳을 찾았어요.", what, len(ids))
	if in.NearMe {
		text = fmt.Sprintf("가까운 %s %d곳이에요.", what, len(ids))
	}
	return &sodam.Response{
		Text:         text + " 번호나 가게 이름으로 골라 주세요.",
		List:         merchantList(out.Merchants),
		Cards:        merchantCards(out.Merchants),
		QuickReplies: numberedReplies(len(ids), "번 가게 메뉴 보여줘"),
	}
}

func (c *conv) menu() *sodam.Response {
	id, branches, cands := c.explicitMerchant()
	if cands != nil {
		return c.askMerchant(cands, nil, "어느 가게 메뉴를 보여드릴까요?")
	}
	if id == "" {
		id = c.contextMerchant()
	}
	if id == "" {
		if isFoodCategory(c.r.Category) || c.r.NearMe || c.r.Location != "" {
			return c.searchMerchants()
		}
		return &sodam.Response{Text: "어느 가게 메뉴를 보여드릴까요? 가게 이름이나 음식 종류를 말씀해 주세요.",
			QuickReplies: []sodam.QuickReply{qr("근처 치킨집", "근처 치킨집 찾아줘"), qr("근처 피자집", "근처 피자집 찾아줘")}}
	}
	in := tools.GetMenuInput{MerchantID: id, MaxPrice: c.r.Budget}
	out, err := c.a.tools.GetMenu(c.ctx, c.user, in)
	if err != nil {
		return c.fail(err)
	}
	c.st.MerchantID = id
	ids := make([]string, len(out.Items))
	for i, it := range out.Items {
		ids[i] = it.Item.ID
	}
	c.st.Shown = &Shown{Kind: ShownItems, IDs: ids}
	text := Josa(out.Merchant.Name, "은/는") + " 이런 메뉴가 있어요."
	if branches {
		text = out.Merchant.Name + "(가장 가까운 지점)의 메뉴예요."
	}
	if len(ids) == 0 {
		text = out.Merchant.Name + "에 조건에 맞는 메뉴가 없어요."
	}
	return &sodam.Response{Text: text + " 원하시는 메뉴와 수량을 말씀해 주세요.",
		List: itemList(out.Merchant.Name+" 메뉴", out.Items), Cards: itemCards(out.Items, nil)}
}

func (c *conv) promotions() *sodam.Response {
	in := tools.GetPromotionsInput{Limit: 10}
	id, _, _ := c.explicitMerchant()
	if id == "" && c.mentionsHere() {
		id = c.contextMerchant()
	}
	in.MerchantID = id
	if isFoodCategory(c.r.Category) {
		in.Category = c.r.Category
	}
	out, err := c.a.tools.GetPromotions(c.ctx, c.user, in)
	if err != nil {
		return c.fail(err)
	}
	tail := ""
	if c.st.Cart != nil && len(c.st.Cart.Lines) > 0 {
		tail = "\n장바구니에 담아 둔 메뉴는 그대로 있어요. 이어서 주문하시려면 '주문할게요'라고 해 주세요."
		c.st.Asking = &Question{Kind: AskCheckout}
	}
	if len(out.Promotions) == 0 {
		return &sodam.Response{Text: "지금은 할인 중인 메뉴가 없어요." + tail}
	}
	views := make([]tools.MenuItemView, len(out.Promotions))
	names := map[string]string{}
	ids := make([]string, len(out.Promotions))
	for i, p := range out.Promotions {
		views[i] = p.Item
		ids[i] = p.Item.Item.ID
		if p.Merchant != nil {
			names[p.Item.Item.ID] = p.Merchant.Name
		}
	}
	c.st.Shown = &Shown{Kind: ShownItems, IDs: ids}
	return &sodam.Response{
		Text:  fmt.Sprintf("지금 할인 중인 메뉴 %d개예요.", len(views)) + tail,
		List:  itemList("오늘의 할인", views),
		Cards: itemCards(views, names),
	}
}

// mentionsHere reports whether the message points at the store being
// talked about (여기, 이 집, 거기).
func (c *conv) mentionsHere() bool {
	for _, w := range []string{"여기", "이집", "거기", "그집", "이가게", "그가게"} {
		if strings.Contains(c.r.Compact, w) {
			return true
		}
	}
	return c.st.Cart != nil
}

func (c *conv) merchantInfo() *sodam.Response {
	id, _, cands := c.explicitMerchant()
	if cands != nil {
		return c.askMerchant(cands, nil, "어느 가게가 궁금하세요?")
	}
	if id == "" {
		id = c.contextMerchant()
	}
	if id == "" {
		return &sodam.Response{Text: "어느 가게가 궁금하세요? 가게 이름을 말씀해 주세요."}
	}
	out, err := c.a.tools.MerchantInfo(c.ctx, c.user, tools.MerchantInfoInput{MerchantID: id})
	if err != nil {
		return c.fail(err)
	}
	m := out.Merchant
	c.st.MerchantID = m.ID
	open := "지금은 영업 시간이 아니에요."
	if out.OpenNow {
		open = "지금 주문할 수 있어요."
	}
	text := fmt.Sprintf("%s 영업시간은 %s~%s예요. %s\n배달비 %s, 최소 주문 금액 %s이에요.",
		m.Name, m.Opens, m.Closes, open, Won(m.DeliveryFee), Won(m.MinOrder))
	if m.Address != "" {
		text += "\n주소: " + m.Address
	}
	return &sodam.Response{Text: text, Cards: []sodam.Card{merchantCard(m, "")},
		QuickReplies: []sodam.QuickReply{qr("메뉴 보기", m.Name+" 메뉴 보여줘")}}
}

// askMerchant asks which of several stores, keeping the wished items.
func (c *conv) askMerchant(cands []string, items []ItemWish, text string) *sodam.Response {
	v := c.a.catalog(c.ctx)
	if len(cands) > 10 {
		cands = cands[:10]
	}
	c.st.Asking = &Question{Kind: AskMerchant, Candidates: cands, Items: items}
	c.st.Shown = &Shown{Kind: ShownMerchants, IDs: cands}
	list := &sodam.ListCard{Title: "가게를 골라 주세요"}
	var qrs []sodam.QuickReply
	for i, id := range cands {
		m := v.byID[id]
		if m == nil {
			continue
		}
		list.Items = append(list.Items, sodam.ListItem{Title: fmt.Sprintf("%d. %s", i+1, m.Name),
			Description: m.Address, MessageText: fmt.Sprintf("%d번", i+1)})
		qrs = append(qrs, qr(m.Name, m.Name))
	}
	return &sodam.Response{Text: text, List: list, QuickReplies: qrs}
}

// add puts the items of the message into the cart.
func (c *conv) add() *sodam.Response {
	r := c.r
	v := c.a.catalog(c.ctx)
	wishes := append([]ItemWish(nil), r.Items...)
	mID, branches, cands := c.explicitMerchant()
	if len(wishes) == 0 {
		if sh := c.st.Shown; sh != nil && sh.Kind == ShownItems {
			if n := firstNonZero(r.Ordinal, ordinalOf(r.Compact)); n != 0 {
				if n == -1 {
					n = len(sh.IDs)
				}
				if n >= 1 && n <= len(sh.IDs) {
					wishes = []ItemWish{{MenuItemID: sh.IDs[n-1], Quantity: max(1, r.TicketCount)}}
				}
			}
		}
	}
	if len(wishes) == 0 {
		m := firstNonEmpty(mID, c.contextMerchant())
		for _, it := range v.itemsInText(m, r.Compact) {
			wishes = append(wishes, ItemWish{MenuItemID: it.ID, Name: it.Name, Quantity: 1})
		}
	}
	if mID == "" && cands == nil && len(wishes) > 0 {
		// The store follows from the first item when one brand sells it.
		if m, several, ok := c.inferMerchant(&wishes[0]); ok {
			mID, branches = m, several
		}
	}
	if m := firstNonEmpty(mID, c.contextMerchant()); m != "" {
		if tw := v.textWishes(m, r.Compact); len(tw) > 0 && len(tw) >= len(wishes) {
			wishes = tw
		}
	}
	if len(wishes) == 0 {
		if cands != nil {
			return c.askMerchant(cands, nil, "어느 가게에서 주문할까요?")
		}
		if mID != "" {
			resp := c.menu()
			resp.Text = "어떤 메뉴를 담을까요? " + resp.Text
			return resp
		}
		return &sodam.Response{Text: "어떤 메뉴를 주문할까요? 가게와 메뉴를 말씀해 주세요. 예: \"교촌 허니콤보 한 마리\""}
	}
	if cands != nil {
		// Several brands fit the name: keep only those that sell the items.
		var sell []string
		for _, id := range cands {
			if len(v.findItems(id, wishes[0].Name)) > 0 || wishes[0].MenuItemID != "" && v.itemByID[wishes[0].MenuItemID].MerchantID == id {
				sell = append(sell, id)
			}
		}
		if len(sell) == 0 {
			sell = cands
		}
		id, several := c.chooseBranch(sell)
		if id == "" {
			return c.askMerchant(sell, wishes, "어느 가게에서 주문할까요?")
		}
		mID, branches = id, several
	}
	resp := c.addItems(wishes, mID)
	if branches && mID != "" && c.st.Asking != nil && c.st.Asking.Kind == AskCheckout {
		resp.Text = c.merchantName(mID) + "에서 주문할게요. " + resp.Text
	}
	return resp
}

// inferMerchant finds the store of an item named without one: the only
// brand selling it, at the branch nearest the user.
func (c *conv) inferMerchant(w *ItemWish) (id string, several, ok bool) {
	found := c.candidates(w, "")
	var ms []string
	for _, it := range found {
		ms = append(ms, it.MerchantID)
	}
	if len(ms) == 0 {
		return "", false, false
	}
	id, several = c.chooseBranch(ms)
	return id, several, id != ""
}

// addItems resolves the wished items at merchant mID ("" infers it from
// the items) and adds them.
func (c *conv) addItems(wishes []ItemWish, mID string) *sodam.Response {
	v := c.a.catalog(c.ctx)
	explicit := mID != ""
	var note string
	for i := range wishes {
		w := &wishes[i]
		if w.MenuItemID != "" {
			if mID == "" {
				mID = c.merchantOfItem(w.MenuItemID)
			}
			continue
		}
		m := mID
		if m == "" {
			m = c.contextMerchant()
		}
		var found []*sodam.MenuItem
		if m != "" {
			found = c.candidates(w, m)
		}
		if len(found) == 0 && !explicit {
			found = c.candidates(w, "")
			byMerchant := map[string]bool{}
			var ms []string
			for _, it := range found {
				if !byMerchant[it.MerchantID] {
					byMerchant[it.MerchantID] = true
					ms = append(ms, it.MerchantID)
				}
			}
			if len(ms) > 1 && c.st.Shown != nil && c.st.Shown.Kind == ShownMerchants {
				// Among the stores just shown, the one that sells it.
				var shown []string
				for _, id := range ms {
					if contains(c.st.Shown.IDs, id) {
						shown = append(shown, id)
					}
				}
				if len(shown) == 1 {
					ms = shown
					found = c.candidates(w, shown[0])
				}
			}
			if len(ms) > 1 {
				id, several := c.chooseBranch(ms)
				if id == "" {
					return c.askMerchant(uniqueSorted(ms), wishes, fmt.Sprintf("%s 파는 가게가 여러 곳이에요. 어느 가게에서 주문할까요?", Josa(w.Name, "을/를")))
				}
				if several {
					note = c.merchantName(id) + "에서 주문할게요. "
				}
				found = c.candidates(w, id)
			}
			if len(found) > 0 {
				m = found[0].MerchantID
			}
		}
		if len(found) == 0 {
			where := ""
			if m != "" {
				where = c.merchantName(m) + "에서 "
			}
			return &sodam.Response{Text: fmt.Sprintf("%s'%s' 메뉴를 찾지 못했어요. 메뉴 이름을 다시 말씀해 주시겠어요?", where, w.Name),
				QuickReplies: []sodam.QuickReply{qr("메뉴 보기", "메뉴 보여줘")}}
		}
		if len(found) > 1 {
			ids := make([]string, len(found))
			for k, it := range found {
				ids[k] = it.ID
			}
			sort.Strings(ids)
			rest := append([]ItemWish{*w}, wishes[i+1:]...)
			c.st.Asking = &Question{Kind: AskItem, Candidates: ids, Items: rest}
			c.st.Shown = &Shown{Kind: ShownItems, IDs: ids}
			c.st.MerchantID = m
			list := &sodam.ListCard{Title: "어떤 메뉴인가요?"}
			var qrs []sodam.QuickReply
			for k, id := range ids {
				it := v.itemByID[id]
				list.Items = append(list.Items, sodam.ListItem{Title: fmt.Sprintf("%d. %s", k+1, it.Name),
					Description: Won(it.BasePriceAt(c.now)), MessageText: fmt.Sprintf("%d번", k+1)})
				qrs = append(qrs, qr(it.Name, it.Name))
			}
			return &sodam.Response{Text: fmt.Sprintf("'%s'에 맞는 메뉴가 여러 개예요. 어떤 걸로 드릴까요?", w.Name), List: list, QuickReplies: qrs}
		}
		w.MenuItemID = found[0].ID
		if mID == "" {
			mID = found[0].MerchantID
		}
	}
	resp := c.addResolved(wishes, false)
	resp.Text = note + resp.Text
	return resp
}

// candidates returns the items of merchant m ("" for any) that w may
// mean: the parser's links first, then names.
func (c *conv) candidates(w *ItemWish, m string) []*sodam.MenuItem {
	v := c.a.catalog(c.ctx)
	var out []*sodam.MenuItem
	for _, id := range w.Candidates {
		if it := v.itemByID[id]; it != nil && (m == "" || it.MerchantID == m) {
			out = append(out, it)
		}
	}
	if len(out) > 0 {
		// Prefer exact names among the links.
		var exact []*sodam.MenuItem
		for _, it := range out {
			if itemScore(it, w.Name) == 3 {
				exact = append(exact, it)
			}
		}
		if len(exact) > 0 {
			out = exact
		}
		return out
	}
	return v.findItems(m, w.Name)
}

// addResolved adds items whose MenuItemID is known; replace empties a
// cart of another store first.
func (c *conv) addResolved(wishes []ItemWish, replace bool) *sodam.Response {
	var out *tools.CartOutput
	var added []string
	for i, w := range wishes {
		res, err := c.a.tools.CartAdd(c.ctx, c.user, tools.CartAddInput{
			MenuItemID: w.MenuItemID, Quantity: max(1, w.Quantity), Options: w.Options, Replace: replace && i == 0,
		})
		if err != nil {
			if sodam.IsCode(err, sodam.ECONFLICT) && !replace && c.st.Cart != nil {
				c.st.Asking = &Question{Kind: AskReplace, Items: wishes[i:]}
				return &sodam.Response{
					Text: fmt.Sprintf("장바구니에 %s 메뉴가 담겨 있어요. 장바구니를 비우고 %s 메뉴를 담을까요?",
						c.merchantName(c.st.Cart.MerchantID), c.merchantName(c.merchantOfItem(w.MenuItemID))),
					QuickReplies: yesNo(),
				}
			}
			if out != nil {
				c.noteCart(out.Cart)
			}
			return c.fail(err)
		}
		out = res
		it := c.a.catalog(c.ctx).itemByID[w.MenuItemID]
		name := w.Name
		if it != nil {
			name = it.Name
		}
		if len(w.Options) > 0 {
			name += "(" + strings.Join(w.Options, ", ") + ")"
		}
		added = append(added, fmt.Sprintf("%s %d개", name, max(1, w.Quantity)))
	}
	if out == nil || out.Cart == nil {
		return &sodam.Response{Text: "장바구니가 비어 있어요."}
	}
	c.noteCart(out.Cart)
	c.st.Asking = &Question{Kind: AskCheckout}
	return c.cartReply(out.Cart, Josa(strings.Join(added, ", "), "을/를")+" 장바구니에 담았어요.")
}

// noteCart remembers the cart as shown.
func (c *conv) noteCart(o *sodam.Order) {
	if o == nil || len(o.Items) == 0 {
		c.st.Cart = nil
		return
	}
	s := &CartSummary{OrderID: o.ID, MerchantID: o.MerchantID, ItemsTotal: o.ItemsTotal, Total: o.Total}
	for _, l := range o.Items {
		s.Lines = append(s.Lines, CartLine{MenuItemID: l.MenuItemID, Name: l.Name, Quantity: l.Quantity,
			Options: l.Options, LineTotal: l.LineTotal})
	}
	c.st.Cart = s
	c.st.MerchantID = o.MerchantID
}

// cartReply shows the cart and asks whether to order it.
func (c *conv) cartReply(o *sodam.Order, lead string) *sodam.Response {
	text := lead + fmt.Sprintf("\n지금까지 %s이에요(배달비 포함 %s). 이대로 주문할까요?", Won(o.ItemsTotal), Won(o.Total))
	return &sodam.Response{
		Text:         text,
		List:         cartList(c.merchantName(o.MerchantID), o),
		QuickReplies: []sodam.QuickReply{qr("주문하기", "주문할게요"), qr("메뉴 더 보기", "메뉴 보여줘"), qr("할인 메뉴", "할인하는 메뉴 있어?")},
	}
}

// modify changes quantities, options or removes lines of the cart.
func (c *conv) modify() *sodam.Response {
	r := c.r
	cart, err := c.a.tools.GetCart(c.ctx, c.user, tools.GetCartInput{})
	if err != nil {
		return c.fail(err)
	}
	if cart.Cart == nil || len(cart.Cart.Items) == 0 {
		if len(r.Items) > 0 {
			return c.add()
		}
		return &sodam.Response{Text: "장바구니가 비어 있어요. 어떤 메뉴를 담을까요?"}
	}
	removals := r.Removals
	items := r.Items
	removing := containsAny(r.Compact, "빼", "삭제", "없애", "취소", "제외", "빼고")
	if len(removals) == 0 && removing && !r.Correction {
		removals, items = items, nil
		if len(removals) == 0 {
			// 콜라 빼줘 with nothing parsed: find lines named in the text.
			for _, l := range cart.Cart.Items {
				if it := c.a.catalog(c.ctx).itemByID[l.MenuItemID]; it != nil && c.nameMatches(ShownItems, it.ID) {
					removals = append(removals, ItemWish{Name: l.Name, MenuItemID: l.MenuItemID})
				}
			}
		}
	}
	out := cart
	var did []string
	for _, w := range removals {
		l := c.matchLine(cart.Cart, w)
		if l == nil {
			return c.cartReply(cart.Cart, fmt.Sprintf("장바구니에 %s 없어요.", Josa(w.Name, "이/가")))
		}
		out, err = c.a.tools.CartRemove(c.ctx, c.user, tools.CartRemoveInput{MenuItemID: l.MenuItemID})
		if err != nil {
			return c.fail(err)
		}
		did = append(did, Josa(l.Name, "을/를")+" 뺐어요.")
	}
	if len(items) == 0 && len(removals) == 0 {
		items = c.bareChange(cart.Cart)
	}
	for _, w := range items {
		l := c.matchLine(cart.Cart, w)
		if l == nil && w.Name == "" && w.MenuItemID == "" {
			l = &cart.Cart.Items[len(cart.Cart.Items)-1]
		}
		if l == nil {
			// Not in the cart: add it.
			resp := c.addItems([]ItemWish{w}, cart.Cart.MerchantID)
			if c.st.Asking == nil || c.st.Asking.Kind != AskCheckout {
				return resp
			}
			g, err := c.a.tools.GetCart(c.ctx, c.user, tools.GetCartInput{})
			if err == nil {
				out = g
			}
			did = append(did, strings.SplitN(resp.Text, "\n", 2)[0])
			continue
		}
		qty := l.Quantity
		if w.Quantity > 0 {
			qty = w.Quantity
		}
		in := tools.CartUpdateInput{MenuItemID: l.MenuItemID, Options: l.Options, Quantity: qty}
		if len(w.Options) > 0 {
			in.NewOptions = w.Options
		}
		out, err = c.a.tools.CartUpdate(c.ctx, c.user, in)
		if err != nil {
			return c.fail(err)
		}
		desc := fmt.Sprintf("%s %d개로", l.Name, qty)
		if len(w.Options) > 0 {
			desc = fmt.Sprintf("%s(%s) %d개로", l.Name, strings.Join(w.Options, ", "), qty)
		}
		did = append(did, desc+" 바꿨어요.")
	}
	if len(did) == 0 {
		return c.cartReply(cart.Cart, "어떻게 바꿀까요? 메뉴와 수량을 말씀해 주세요.")
	}
	if out == nil || out.Cart == nil || len(out.Cart.Items) == 0 {
		c.st.Cart = nil
		return &sodam.Response{Text: strings.Join(did, " ") + " 장바구니가 비었어요. 다른 메뉴를 담으시겠어요?"}
	}
	c.noteCart(out.Cart)
	c.st.Asking = &Question{Kind: AskCheckout}
	return c.cartReply(out.Cart, strings.Join(did, " "))
}

// bareChange reads a change that names no item: a count (두 마리로, 세
// 마리 말고 두 마리) or an option of the last line (순살로 바꿔줘), both
// meant for the last line of the cart.
func (c *conv) bareChange(o *sodam.Order) []ItemWish {
	text := c.r.Compact
	if _, after, ok := strings.Cut(text, "말고"); ok {
		text = after
	}
	l := o.Items[len(o.Items)-1]
	w := ItemWish{MenuItemID: l.MenuItemID, Name: l.Name, Quantity: leadingCountIn(text)}
	if it := c.a.catalog(c.ctx).itemByID[l.MenuItemID]; it != nil {
		w.Options = optionsIn(it, text, "")
	}
	if w.Quantity == 0 && len(w.Options) == 0 {
		return nil
	}
	return []ItemWish{w}
}

// matchLine finds the cart line w names.
func (c *conv) matchLine(o *sodam.Order, w ItemWish) *sodam.OrderLine {
	v := c.a.catalog(c.ctx)
	var hit *sodam.OrderLine
	for k := range o.Items {
		l := &o.Items[k]
		switch {
		case w.MenuItemID != "" && l.MenuItemID == w.MenuItemID:
			return l
		case w.Name == "":
		case fold(l.Name) == fold(w.Name):
			return l
		case hit == nil:
			if it := v.itemByID[l.MenuItemID]; it != nil && itemScore(it, w.Name) > 0 {
				hit = l
			}
			for _, id := range w.Candidates {
				if id == l.MenuItemID {
					hit = l
				}
			}
		}
	}
	return hit
}

// checkout quotes the cart and asks to confirm its exact total.
func (c *conv) checkout() *sodam.Response {
	r := c.r
	if r.PaymentMethod != "" {
		c.st.PaymentMethod = r.PaymentMethod
	}
	if r.Address != "" {
		c.st.Address = r.Address
	}
	q, err := c.a.tools.QuoteOrder(c.ctx, c.user, tools.QuoteOrderInput{Address: c.st.Address})
	if err != nil {
		if sodam.IsCode(err, sodam.ENOTFOUND) {
			return &sodam.Response{Text: "장바구니가 비어 있어요. 어떤 메뉴를 주문할까요?"}
		}
		return c.fail(err)
	}
	if q.Cart == nil || len(q.Cart.Items) == 0 {
		c.st.Cart = nil
		return &sodam.Response{Text: "장바구니가 비어 있어요. 어떤 메뉴를 주문할까요?"}
	}
	c.noteCart(q.Cart)
	name := c.merchantName(q.Cart.MerchantID)
	if q.Merchant != nil {
		name = q.Merchant.Name
	}
	if !q.CanPlace {
		return &sodam.Response{
			Text: firstNonEmpty(q.Problem, "지금은 이 주문을 넣을 수 없어요.") + " 주문은 넣지 않았어요.",
			List: cartList(name, q.Cart),
		}
	}
	if q.Address == "" {
		return &sodam.Response{Text: "배달받으실 주소를 알려 주세요. 예: \"서울 종로구 대학로 12로 배달해줘\""}
	}
	method := firstNonEmpty(c.st.PaymentMethod, string(sodam.PayKakaoPay))
	c.st.Confirm = &Confirmation{Kind: ConfirmOrder, Amount: q.Cart.Total, OrderID: q.Cart.ID,
		MerchantID: q.Cart.MerchantID, Method: method, Address: q.Address, CartKey: cartKey(q.Cart)}
	var b strings.Builder
	fmt.Fprintf(&b, "%s 주문을 확인해 주세요.\n", name)
	for _, l := range q.Cart.Items {
		fmt.Fprintf(&b, "• %s %d개 %s\n", lineName(l), l.Quantity, Won(l.LineTotal))
	}
	fmt.Fprintf(&b, "배달비 %s\n배달 주소: %s\n총 %s을 %s%s 결제할까요?", Won(q.Cart.DeliveryFee), q.Address,
		Won(q.Cart.Total), methodName(method), particle(methodName(method), "으로/로"))
	return &sodam.Response{Text: b.String(), List: cartList(name, q.Cart),
		QuickReplies: []sodam.QuickReply{qr("네", "네"), qr("아니요", "아니요")}}
}

// placeOrder places the confirmed order at the confirmed total and pays.
func (c *conv) placeOrder(cf *Confirmation) *sodam.Response {
	out, err := c.a.tools.PlaceOrder(c.ctx, c.user, tools.PlaceOrderInput{
		Address: cf.Address, PaymentMethod: cf.Method, ExpectedTotal: cf.Amount})
	if err != nil {
		if sodam.IsCode(err, sodam.ECONFLICT) {
			resp := c.checkout()
			resp.Text = sodam.ErrorMessage(err) + "\n" + resp.Text
			return resp
		}
		return c.fail(err)
	}
	o := out.Order
	c.st.LastOrderID = o.ID
	c.st.Cart = nil
	name := c.merchantName(o.MerchantID)
	pay, err := c.a.tools.Pay(c.ctx, c.user, tools.PayInput{OrderID: o.ID, Method: cf.Method})
	if err != nil {
		return &sodam.Response{Text: "주문은 접수됐지만 결제하지 못했어요. " + sodam.ErrorMessage(err)}
	}
	if pay.Order != nil {
		o = pay.Order
	}
	return c.paidReply(pay, fmt.Sprintf("%s 주문", name), []sodam.Card{orderCard(o, name)})
}

// paidReply tells how a payment went.
func (c *conv) paidReply(pay *tools.PayOutput, what string, cards []sodam.Card) *sodam.Response {
	p := pay.Payment
	switch p.Status {
	case sodam.PaymentApproved:
		return &sodam.Response{Text: fmt.Sprintf("%s 결제가 완료됐어요! %s %s 결제했어요.", what, methodName(string(p.Method)), Won(p.Amount)),
			Cards: cards}
	case sodam.PaymentReady:
		return &sodam.Response{Text: fmt.Sprintf("%s 결제를 준비했어요. 아래 버튼을 눌러 %s 결제를 완료해 주세요.", what, Won(p.Amount)),
			Cards: cards, Payment: &sodam.PaymentLink{PaymentID: p.ID, Amount: p.Amount,
				Label: methodName(string(p.Method)) + "로 결제하기", URL: pay.RedirectURL}}
	}
	return &sodam.Response{Text: fmt.Sprintf("%s 결제가 되지 않았어요. %s", what, firstNonEmpty(p.FailureReason, "잠시 뒤 다시 시도해 주세요."))}
}

func (c *conv) orderStatus() *sodam.Response {
	out, err := c.a.tools.OrderStatus(c.ctx, c.user, tools.OrderStatusInput{})
	if err != nil {
		if sodam.IsCode(err, sodam.ENOTFOUND) {
			return &sodam.Response{Text: "아직 주문하신 내역이 없어요."}
		}
		return c.fail(err)
	}
	o := out.Order
	name := c.merchantName(o.MerchantID)
	var s string
	switch o.Status {
	case sodam.OrderPlaced:
		s = "주문이 접수됐고 결제를 기다리고 있어요."
	case sodam.OrderPaid:
		s = "결제가 끝나서 가게에서 준비하고 있어요. 곧 출발할 거예요."
	case sodam.OrderDelivered:
		s = "배달이 완료됐어요."
	case sodam.OrderCancelled:
		s = "취소된 주문이에요."
	default:
		s = merchantStepText(o.Status)
	}
	return &sodam.Response{Text: fmt.Sprintf("%s 주문(%s) %s", name, Won(o.Total), s), Cards: []sodam.Card{orderCard(o, name)}}
}

// askCancelOrder asks to cancel the user's latest order in progress (of
// the store the message names, when it names one).
func (c *conv) askCancelOrder() *sodam.Response {
	past, err := c.a.tools.PastOrders(c.ctx, c.user, tools.PastOrdersInput{Limit: 20})
	if err != nil {
		return c.fail(err)
	}
	mID, _, _ := c.explicitMerchant()
	var target *sodam.Order
	for _, o := range past.Orders {
		if o.Status != sodam.OrderPlaced && !o.Status.InProgress() {
			continue
		}
		if mID != "" && brandOf(c.a.catalog(c.ctx).byID[o.MerchantID]) != brandOf(c.a.catalog(c.ctx).byID[mID]) {
			continue
		}
		target = o
		break
	}
	if target == nil {
		if c.st.Cart != nil {
			return &sodam.Response{Text: "아직 주문이 들어가지 않았어요. 장바구니에만 담겨 있으니 결제하지 않으시면 주문되지 않아요."}
		}
		return &sodam.Response{Text: "취소할 수 있는 주문이 없어요."}
	}
	return c.confirmCancelOrder(target)
}

// confirmCancelOrder asks to cancel o, telling what is refunded. An order
// the store has started cooking or sent out cannot be cancelled: the
// tools refuse it, changing nothing, and the user is told why.
func (c *conv) confirmCancelOrder(o *sodam.Order) *sodam.Response {
	name := c.merchantName(o.MerchantID)
	if o.Status == sodam.OrderCooking || o.Status == sodam.OrderDelivering {
		// Statuses only move forward and the tools refuse both of these
		// under the order's lock, so this call changes nothing: it gives
		// the user the tools' reason.
		out, err := c.a.tools.CancelOrder(c.ctx, c.user, tools.CancelOrderInput{OrderID: o.ID})
		if err == nil {
			return c.cancelled(out)
		}
		resp := c.fail(err)
		resp.Cards = []sodam.Card{orderCard(o, name)}
		resp.QuickReplies = []sodam.QuickReply{qr("불편 사항 접수", "주문에 문제가 있어요"), qr("주문 상태", "주문 어디쯤 왔어?")}
		return resp
	}
	c.st.Confirm = &Confirmation{Kind: ConfirmCancelOrder, Amount: o.Total, OrderID: o.ID, MerchantID: o.MerchantID}
	refund := ""
	switch o.Status {
	case sodam.OrderPaid:
		refund = fmt.Sprintf(" 결제하신 %s은 환불돼요.", Won(o.Total))
	case sodam.OrderAccepted:
		refund = fmt.Sprintf(" 가게에서 접수했지만 아직 조리 전이라 취소할 수 있어요. 결제하신 %s은 환불돼요.", Won(o.Total))
	}
	return &sodam.Response{Text: fmt.Sprintf("%s 주문(%s, %s)을 취소할까요?%s", name, orderSummary(o), Won(o.Total), refund),
		Cards: []sodam.Card{orderCard(o, name)}, QuickReplies: yesNo()}
}

func (c *conv) cancelOrder(cf *Confirmation) *sodam.Response {
	out, err := c.a.tools.CancelOrder(c.ctx, c.user, tools.CancelOrderInput{OrderID: cf.OrderID})
	if err != nil {
		return c.fail(err)
	}
	return c.cancelled(out)
}

// cancelled tells the user an order was cancelled and what was refunded.
func (c *conv) cancelled(out *tools.CancelOutput) *sodam.Response {
	text := c.merchantName(out.Order.MerchantID) + " 주문을 취소했어요."
	if out.Refund != nil {
		text += fmt.Sprintf(" 결제하신 %s은 환불 처리했어요.", Won(out.Refund.Amount))
	}
	return &sodam.Response{Text: text}
}

func (c *conv) reorder() *sodam.Response {
	out, err := c.a.tools.Reorder(c.ctx, c.user, tools.ReorderInput{})
	if err != nil {
		if sodam.IsCode(err, sodam.ENOTFOUND) {
			return &sodam.Response{Text: "이전에 주문하신 내역이 없어요. 어떤 메뉴를 주문할까요?"}
		}
		return c.fail(err)
	}
	c.noteCart(out.Cart)
	resp := c.checkout()
	if out.Cart != nil {
		resp.Text = "지난번 주문을 그대로 담았어요.\n" + resp.Text
	}
	return resp
}

var complaintWords = []struct {
	typ   string
	words []string
}{
	{"cold", []string{"식어", "식었", "식은", "차가", "미지근", "차갑"}},
	{"late", []string{"늦", "안와", "안오", "안 와", "오래걸", "언제와", "아직도"}},
	{"wrong_item", []string{"잘못", "다른메뉴", "다른게", "바뀌", "엉뚱", "주문한거랑"}},
	{"missing_item", []string{"빠졌", "빠져", "누락", "안왔", "없어요", "덜왔", "안들어"}},
	{"taste", []string{"맛없", "짜요", "짜서", "싱거", "맛이이상", "너무짜", "달아"}},
	{"quality", []string{"상했", "이물질", "머리카락", "덜익", "탔", "눅눅", "불었"}},
	{"rude", []string{"불친절", "무례", "반말", "싸가지", "태도"}},
}

func complaintTypeOf(c string) string {
	for _, cw := range complaintWords {
		for _, w := range cw.words {
			if strings.Contains(c, strings.ReplaceAll(w, " ", "")) {
				return cw.typ
			}
		}
	}
	return "other"
}

var complaintNames = map[string]string{
	"cold": "음식이 식어서 온 문제", "late": "배달 지연", "wrong_item": "다른 메뉴가 온 문제",
	"missing_item": "빠진 메뉴", "taste": "맛 문제", "quality": "음식 상태 문제", "rude": "불친절한 응대", "other": "불편 사항",
}

func (c *conv) complain() *sodam.Response {
	typ := firstNonEmpty(c.r.ComplaintType, complaintTypeOf(c.r.Compact))
	out, err := c.a.tools.FileComplaint(c.ctx, c.user, tools.FileComplaintInput{Type: typ, Text: c.r.Text})
	if err != nil {
		if sodam.IsCode(err, sodam.ENOTFOUND) {
			return &sodam.Response{Text: "불편을 드려 죄송해요. 그런데 문의를 남길 주문이나 예매 내역을 찾지 못했어요."}
		}
		return c.fail(err)
	}
	to := "가게"
	switch {
	case out.Order != nil:
		to = c.merchantName(out.Order.MerchantID)
	case out.Booking != nil:
		if e := c.a.catalog(c.ctx).eventByID[out.Booking.EventID]; e != nil {
			to = firstNonEmpty(e.ChannelName, e.Title)
		}
	}
	return &sodam.Response{Text: fmt.Sprintf("불편을 드려 정말 죄송해요. %s 내용을 %s에 전달했어요. 확인하는 대로 안내해 드릴게요.",
		complaintNames[typ], to)}
}

// subscribeRequest adds the channel the message or the conversation is
// about.
func (c *conv) subscribeRequest() *sodam.Response {
	ch := ""
	if id, _, _ := c.explicitMerchant(); id != "" {
		ch = id
	}
	if ch == "" {
		for _, id := range c.r.EventIDs {
			if e := c.a.catalog(c.ctx).eventByID[id]; e != nil && e.ChannelID != "" {
				ch = e.ChannelID
				break
			}
		}
	}
	if ch == "" && c.st.Ticket != nil {
		if e := c.a.catalog(c.ctx).eventByID[c.st.Ticket.EventID]; e != nil {
			ch = e.ChannelID
		}
	}
	if ch == "" {
		ch = c.contextMerchant()
	}
	if ch == "" {
		return &sodam.Response{Text: "어느 채널을 추가할까요? 가게나 공연 이름을 말씀해 주세요."}
	}
	unsub := containsAny(c.r.Compact, "삭제", "해제", "취소", "빼", "차단")
	out, err := c.a.tools.SubscribeChannel(c.ctx, c.user, tools.SubscribeChannelInput{ChannelID: ch, Unsubscribe: unsub})
	if err != nil {
		return c.fail(err)
	}
	if unsub {
		return &sodam.Response{Text: firstNonEmpty(out.ChannelName, "채널") + " 채널을 삭제했어요."}
	}
	resp := &sodam.Response{Text: firstNonEmpty(out.ChannelName, "채널") + " 채널을 추가했어요. 소식과 혜택을 받아 보실 수 있어요."}
	if c.st.Ticket != nil && c.st.Ticket.EventID != "" {
		next := c.continueBooking()
		next.Text = resp.Text + "\n" + next.Text
		return next
	}
	return resp
}

// subscribe adds a channel the user agreed to add.
func (c *conv) subscribe(ch string) *sodam.Response {
	out, err := c.a.tools.SubscribeChannel(c.ctx, c.user, tools.SubscribeChannelInput{ChannelID: ch})
	if err != nil {
		return c.fail(err)
	}
	return &sodam.Response{Text: firstNonEmpty(out.ChannelName, "채널") + " 채널을 추가했어요."}
}

// fail answers a tool error with its Korean message.
func (c *conv) fail(err error) *sodam.Response {
	if sodam.ErrorCode(err) == sodam.EINTERNAL || sodam.ErrorCode(err) == sodam.EUNAVAILABLE {
		c.a.log.Error("assistant: tool call failed", "user", c.user, "err", err)
	}
	return &sodam.Response{Text: sodam.ErrorMessage(err)}
}

func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// leadingCountIn finds a count with a counter anywhere in a compact text:
// "두마리로바꿔줘" → 2.
func leadingCountIn(c string) int {
	rs := []rune(c)
	for i := range rs {
		if n := leadingCount(string(rs[i:])); n > 0 {
			if i == 0 || !isDigitRune(rs[i-1]) {
				return n
			}
		}
	}
	return 0
}

func isDigitRune(r rune) bool { return r >= '0' && r <= '9' }

func isFoodCategory(c string) bool {
	for _, f := range sodam.FoodCategories {
		if f == c {
			return true
		}
	}
	return false
}

func isEventCategory(c string) bool {
	for _, f := range sodam.EventCategories {
		if f == c {
			return true
		}
	}
	return false
}

// cartKey fingerprints a cart's lines and total.
func cartKey(o *sodam.Order) string {
	var b strings.Builder
	for _, l := range o.Items {
		fmt.Fprintf(&b, "%s*%d[%s];", l.MenuItemID, l.Quantity, strings.Join(l.Options, ","))
	}
	fmt.Fprintf(&b, "=%d", o.Total)
	return b.String()
}

func methodName(m string) string {
	if m == string(sodam.PayCard) {
		return "카드"
	}
	return "카카오페이"
}

func lineName(l sodam.OrderLine) string {
	if len(l.Options) > 0 {
		return l.Name + "(" + strings.Join(l.Options, ", ") + ")"
	}
	return l.Name
}

func orderSummary(o *sodam.Order) string {
	var parts []string
	for _, l := range o.Items {
		parts = append(parts, fmt.Sprintf("%s %d개", lineName(l), l.Quantity))
	}
	return strings.Join(parts, ", ")
}
