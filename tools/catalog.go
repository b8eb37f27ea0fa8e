package tools

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/retrieval"
)

// locationRadiusKm bounds a search around a named place: stores farther
// than this from 강남역 are not "at 강남역".
const locationRadiusKm = 5

// SearchMerchants finds stores by text, category, place, nearness, budget
// and opening hours.
//
// Ordering follows contracts.md: stores found by nearness (near_me, or a
// location the gazetteer knows) are ordered by distance, nearest first;
// every other list is ordered by id, text searches included: the text
// decides which stores are listed (names, brands and aliases first, then
// the hybrid search for looser matches), the id decides their order, so
// that "두 번째" means the same store to the user and to the dialogue. Score
// still carries the relevance for callers that re-rank.
//
// A location the gazetteer does not know is searched as text. near_me
// without a stored position for the user is EINVALID.
func (t *Toolbox) SearchMerchants(ctx context.Context, userID string, in SearchMerchantsInput) (*SearchMerchantsOutput, error) {
	return run(ctx, t, userID, "search_merchants", in, nil, t.searchMerchants)
}

func (t *Toolbox) searchMerchants(ctx context.Context, userID string, in SearchMerchantsInput) (*SearchMerchantsOutput, error) {
	const op = "tools.SearchMerchants"
	if in.Budget < 0 {
		return nil, fail(sodam.EINVALID, op, "예산은 0원 이상이어야 해요.")
	}
	limit := clampLimit(in.Limit, 10, 20)
	now := t.now()

	text := in.Query
	var near *sodam.Point
	maxKm := 0.0
	if in.NearMe {
		u, err := t.user(ctx, userID)
		if err != nil {
			return nil, err
		}
		if u.Lat == 0 && u.Lng == 0 {
			return nil, fail(sodam.EINVALID, op, "위치 정보가 없어요. 동네나 역 이름을 알려 주시면 그 근처에서 찾아 드릴게요.")
		}
		near = &sodam.Point{Lat: u.Lat, Lng: u.Lng}
	} else if in.Location != "" {
		if p, ok := t.places(in.Location); ok {
			near, maxKm = &p, locationRadiusKm
		} else {
			text = joinText(text, in.Location)
		}
	}

	all, err := t.store.Merchants(ctx)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	var cheap map[string]bool
	if in.Budget > 0 {
		if cheap, err = t.merchantsWithItemUnder(ctx, in.Budget, now); err != nil {
			return nil, sodam.WrapError(op, err)
		}
	}
	var cands []MerchantResult
	for _, m := range all {
		open := m.OpenAt(now)
		switch {
		case in.Category != "" && m.Category != in.Category:
			continue
		case in.OpenNow && !open:
			continue
		case cheap != nil && !cheap[m.ID]:
			continue
		}
		cands = append(cands, MerchantResult{Merchant: m, OpenNow: open})
	}

	if text != "" {
		cands, err = t.matchMerchants(ctx, op, cands, text, in.Category)
		if err != nil {
			return nil, err
		}
	}

	if near != nil {
		kept := cands[:0]
		for _, r := range cands {
			r.DistanceKm = retrieval.DistanceKm(*near, sodam.Point{Lat: r.Merchant.Lat, Lng: r.Merchant.Lng})
			if maxKm > 0 && r.DistanceKm > maxKm {
				continue
			}
			kept = append(kept, r)
		}
		cands = kept
		slices.SortStableFunc(cands, func(a, b MerchantResult) int {
			if c := cmp.Compare(a.DistanceKm, b.DistanceKm); c != 0 {
				return c
			}
			return cmp.Compare(a.Merchant.ID, b.Merchant.ID)
		})
	} else {
		slices.SortFunc(cands, func(a, b MerchantResult) int { return cmp.Compare(a.Merchant.ID, b.Merchant.ID) })
	}
	if len(cands) > limit {
		cands = cands[:limit]
	}
	if cands == nil {
		cands = []MerchantResult{}
	}
	return &SearchMerchantsOutput{Merchants: cands}, nil
}

// matchMerchants keeps the candidates that text names, best first in
// this order: stores whose name, brand, aliases or category the text names
// (see nameTier); else stores selling an item the text names (a dish:
// 막국수, 허니콤보); else what the hybrid search finds among stores and
// items. Score is the tier of a named match or the search's score.
func (t *Toolbox) matchMerchants(ctx context.Context, op string, cands []MerchantResult, text, category string) ([]MerchantResult, error) {
	score := make(map[string]float64)
	best := 0
	keep := func(id string, tier int) {
		switch {
		case tier == 0 || tier < best:
			return
		case tier > best:
			best = tier
			clear(score)
		}
		score[id] = max(score[id], float64(tier))
	}
	for _, r := range cands {
		m := r.Merchant
		keep(m.ID, nameTier(text, append([]string{m.Name, m.Brand, m.Category}, m.Aliases...)...))
	}
	if len(score) == 0 {
		items, err := t.store.MenuItems(ctx, "")
		if err != nil {
			return nil, sodam.WrapError(op, err)
		}
		for _, it := range items {
			keep(it.MerchantID, nameTier(text, append([]string{it.Name}, it.Aliases...)...))
		}
	}
	if len(score) == 0 && t.search != nil {
		for _, q := range []sodam.SearchQuery{
			{Kind: sodam.KindMerchant, Text: text, Category: category, Limit: 50},
			{Kind: sodam.KindMenuItem, Text: text, Limit: 50},
		} {
			hits, err := t.search.Search(ctx, q)
			if err != nil {
				return nil, sodam.WrapError(op, err)
			}
			for _, h := range hits {
				id := h.ID
				if q.Kind == sodam.KindMenuItem {
					it, err := t.store.MenuItem(ctx, h.ID)
					if err != nil {
						continue
					}
					id = it.MerchantID
				}
				score[id] = max(score[id], h.Score)
			}
		}
	}
	var found []MerchantResult
	for _, r := range cands {
		if s, ok := score[r.Merchant.ID]; ok {
			r.Score = s
			found = append(found, r)
		}
	}
	return found, nil
}

// merchantsWithItemUnder returns the ids of merchants selling an item at or
// under budget now (before options).
func (t *Toolbox) merchantsWithItemUnder(ctx context.Context, budget int64, now time.Time) (map[string]bool, error) {
	items, err := t.store.MenuItems(ctx, "")
	if err != nil {
		return nil, err
	}
	ok := make(map[string]bool)
	for _, it := range items {
		if !it.SoldOut && it.BasePriceAt(now) <= budget {
			ok[it.MerchantID] = true
		}
	}
	return ok, nil
}

// GetMenu lists a store's items by id with their prices now, or the items
// matching Query, or those at or under MaxPrice.
func (t *Toolbox) GetMenu(ctx context.Context, userID string, in GetMenuInput) (*GetMenuOutput, error) {
	return run(ctx, t, userID, "get_menu", in, nil, t.getMenu)
}

func (t *Toolbox) getMenu(ctx context.Context, userID string, in GetMenuInput) (*GetMenuOutput, error) {
	const op = "tools.GetMenu"
	m, err := t.merchant(ctx, op, in.MerchantID)
	if err != nil {
		return nil, err
	}
	items, err := t.store.MenuItems(ctx, m.ID)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	if in.Query != "" {
		if items, err = t.matchItems(ctx, op, m.ID, items, in.Query); err != nil {
			return nil, err
		}
	}
	now := t.now()
	views := []MenuItemView{}
	for _, it := range items {
		v := view(it, now)
		if in.MaxPrice > 0 && v.Price > in.MaxPrice {
			continue
		}
		views = append(views, v)
	}
	slices.SortFunc(views, func(a, b MenuItemView) int { return cmp.Compare(a.Item.ID, b.Item.ID) })
	return &GetMenuOutput{Merchant: m, Items: views}, nil
}

// matchItems keeps the items that query names (name or alias), or when
// none does, those the search finds among the merchant's items.
func (t *Toolbox) matchItems(ctx context.Context, op, merchantID string, items []*sodam.MenuItem, query string) ([]*sodam.MenuItem, error) {
	var named []*sodam.MenuItem
	for _, it := range items {
		if matches(query, append([]string{it.Name}, it.Aliases...)...) {
			named = append(named, it)
		}
	}
	if len(named) > 0 || t.search == nil {
		return named, nil
	}
	hits, err := t.search.Search(ctx, sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: query, MerchantID: merchantID, Limit: 20})
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	found := make(map[string]bool, len(hits))
	for _, h := range hits {
		found[h.ID] = true
	}
	return slices.DeleteFunc(items, func(it *sodam.MenuItem) bool { return !found[it.ID] }), nil
}

func view(it *sodam.MenuItem, now time.Time) MenuItemView {
	return MenuItemView{Item: it, Price: it.BasePriceAt(now), Discounted: it.DiscountActive(now), MerchantID: it.MerchantID}
}

// GetPromotions lists the items with a discount in force now, by id, of
// one store, of one category, or of all.
func (t *Toolbox) GetPromotions(ctx context.Context, userID string, in GetPromotionsInput) (*GetPromotionsOutput, error) {
	return run(ctx, t, userID, "get_promotions", in, nil, t.getPromotions)
}

func (t *Toolbox) getPromotions(ctx context.Context, userID string, in GetPromotionsInput) (*GetPromotionsOutput, error) {
	const op = "tools.GetPromotions"
	if in.MerchantID != "" {
		if _, err := t.merchant(ctx, op, in.MerchantID); err != nil {
			return nil, err
		}
	}
	merchants, err := t.store.Merchants(ctx)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	byID := make(map[string]*sodam.Merchant, len(merchants))
	for _, m := range merchants {
		byID[m.ID] = m
	}
	items, err := t.store.MenuItems(ctx, in.MerchantID)
	if err != nil {
		return nil, sodam.WrapError(op, err)
	}
	now := t.now()
	out := []Promotion{}
	for _, it := range items {
		m := byID[it.MerchantID]
		if m == nil || !it.DiscountActive(now) || it.SoldOut {
			continue
		}
		if in.Category != "" && m.Category != in.Category {
			continue
		}
		out = append(out, Promotion{Item: view(it, now), Merchant: m})
	}
	slices.SortFunc(out, func(a, b Promotion) int { return cmp.Compare(a.Item.Item.ID, b.Item.Item.ID) })
	if limit := clampLimit(in.Limit, 20, 50); len(out) > limit {
		out = out[:limit]
	}
	return &GetPromotionsOutput{Promotions: out}, nil
}

// MerchantInfo tells a store's hours, fees and minimum order, and whether
// it is open now.
func (t *Toolbox) MerchantInfo(ctx context.Context, userID string, in MerchantInfoInput) (*MerchantInfoOutput, error) {
	return run(ctx, t, userID, "merchant_info", in, nil, t.merchantInfo)
}

func (t *Toolbox) merchantInfo(ctx context.Context, userID string, in MerchantInfoInput) (*MerchantInfoOutput, error) {
	m, err := t.merchant(ctx, "tools.MerchantInfo", in.MerchantID)
	if err != nil {
		return nil, err
	}
	return &MerchantInfoOutput{Merchant: m, OpenNow: m.OpenAt(t.now())}, nil
}

// merchant loads a merchant, with a message for the user when it is gone.
func (t *Toolbox) merchant(ctx context.Context, op, id string) (*sodam.Merchant, error) {
	if id == "" {
		return nil, fail(sodam.EINVALID, op, "어느 가게인지 알려 주세요.")
	}
	m, err := t.store.Merchant(ctx, id)
	if err != nil {
		return nil, notFound(op, err, "가게를 찾을 수 없어요.")
	}
	return m, nil
}

// clampLimit returns n, or def when n is not positive, at most max.
func clampLimit(n, def, max int) int {
	if n <= 0 {
		return def
	}
	return min(n, max)
}

func joinText(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}
