package assistant

import (
	"context"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/sodam-ai/sodam"
)

// catalogView is the catalog as the dialogue looks names up in it, loaded
// once from Records.
type catalogView struct {
	merchants []*sodam.Merchant
	byID      map[string]*sodam.Merchant
	items     map[string][]*sodam.MenuItem // by merchant id, by item id
	itemByID  map[string]*sodam.MenuItem
	events    []*sodam.Event
	eventByID map[string]*sodam.Event
}

type catalogCache struct {
	mu   sync.Mutex
	view *catalogView
}

// ReloadCatalog drops the catalog the assistant looked names up in, so
// that the next turn sees records ingested since.
func (a *Assistant) ReloadCatalog() {
	a.cat.mu.Lock()
	a.cat.view = nil
	a.cat.mu.Unlock()
}

// Preload reads the catalog the assistant looks names up in, so that the
// first turn does not pay for it.
func (a *Assistant) Preload(ctx context.Context) { a.catalog(ctx) }

// catalog returns the catalog view, loading it when needed. It is empty
// without Records.
func (a *Assistant) catalog(ctx context.Context) *catalogView {
	a.cat.mu.Lock()
	defer a.cat.mu.Unlock()
	if a.cat.view != nil {
		return a.cat.view
	}
	v := &catalogView{byID: map[string]*sodam.Merchant{}, items: map[string][]*sodam.MenuItem{},
		itemByID: map[string]*sodam.MenuItem{}, eventByID: map[string]*sodam.Event{}}
	if a.records == nil {
		return v
	}
	ms, err := a.records.Merchants(ctx)
	if err != nil {
		a.log.Warn("assistant: load merchants", "err", err)
		return v
	}
	items, err := a.records.MenuItems(ctx, "")
	if err != nil {
		a.log.Warn("assistant: load menu items", "err", err)
		return v
	}
	evs, err := a.records.Events(ctx)
	if err != nil {
		a.log.Warn("assistant: load events", "err", err)
		return v
	}
	v.merchants = ms
	for _, m := range ms {
		v.byID[m.ID] = m
	}
	for _, it := range items {
		v.items[it.MerchantID] = append(v.items[it.MerchantID], it)
		v.itemByID[it.ID] = it
	}
	v.events = evs
	for _, e := range evs {
		v.eventByID[e.ID] = e
	}
	a.cat.view = v
	return v
}

// fold lower-cases s and removes its spaces.
func fold(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), "")) }

// itemScore tells how well name names it: 3 exactly (name or alias), 2
// when one contains the other, 0 not at all.
func itemScore(it *sodam.MenuItem, name string) int {
	n := fold(name)
	if n == "" {
		return 0
	}
	best := 0
	for _, form := range append([]string{it.Name}, it.Aliases...) {
		f := fold(form)
		switch {
		case f == n:
			return 3
		case len([]rune(f)) >= 2 && strings.Contains(n, f), len([]rune(n)) >= 2 && strings.Contains(f, n):
			best = 2
		}
	}
	return best
}

// findItems returns the items of merchantID (every merchant's when empty)
// that name best fits.
func (v *catalogView) findItems(merchantID, name string) []*sodam.MenuItem {
	var pool []*sodam.MenuItem
	if merchantID != "" {
		pool = v.items[merchantID]
	} else {
		for _, m := range v.merchants {
			pool = append(pool, v.items[m.ID]...)
		}
	}
	best, out := 0, []*sodam.MenuItem(nil)
	for _, it := range pool {
		s := itemScore(it, name)
		switch {
		case s == 0 || s < best:
		case s > best:
			best, out = s, []*sodam.MenuItem{it}
		default:
			out = append(out, it)
		}
	}
	return out
}

// itemsInText returns the items of merchantID whose name or alias appears
// in the compact text, longest names first, without overlaps.
func (v *catalogView) itemsInText(merchantID, text string) []*sodam.MenuItem {
	type hit struct {
		it   *sodam.MenuItem
		form string
	}
	var hits []hit
	for _, it := range v.items[merchantID] {
		for _, form := range append([]string{it.Name}, it.Aliases...) {
			f := fold(form)
			if len([]rune(f)) >= 2 && strings.Contains(text, f) {
				hits = append(hits, hit{it, f})
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return len(hits[i].form) > len(hits[j].form) })
	var out []*sodam.MenuItem
	seen := map[string]bool{}
	for _, h := range hits {
		if seen[h.it.ID] || !strings.Contains(text, h.form) {
			continue
		}
		seen[h.it.ID] = true
		text = strings.Replace(text, h.form, " ", 1)
		out = append(out, h.it)
	}
	return out
}

// merchantsNamed returns the merchants whose name, brand or alias the
// compact text contains (or that contain it), by id.
func (v *catalogView) merchantsNamed(text string) []string {
	text = fold(text)
	if text == "" {
		return nil
	}
	var exact, loose []string
	for _, m := range v.merchants {
		forms := append([]string{m.Name, m.Brand, withoutBranch(m.Name)}, m.Aliases...)
		hit := false
		for _, form := range forms {
			f := fold(form)
			if len([]rune(f)) < 2 {
				continue
			}
			if strings.Contains(text, f) {
				hit = true
				exact = append(exact, m.ID)
				break
			}
		}
		if !hit {
			for _, form := range forms {
				f := fold(form)
				if len([]rune(text)) >= 2 && len([]rune(f)) >= 2 && strings.HasPrefix(f, text) {
					loose = append(loose, m.ID)
					break
				}
			}
		}
	}
	if len(exact) > 0 {
		return exact
	}
	if len(loose) == 0 {
		for nick, brand := range nicknames {
			if strings.Contains(text, nick) {
				return v.merchantsNamed(brand)
			}
		}
	}
	return loose
}

// nicknames are what people call some brands in chat.
var nicknames = map[string]string{
	"스벅": "스타벅스", "메가커피": "메가MGC커피", "맥날": "맥도날드", "맘터": "맘스터치",
	"롯리": "롯데리아", "버킹": "버거킹", "도미노": "도미노피자", "비비큐": "BBQ", "비에이치씨": "bhc",
	"처갓집": "처갓집양념치킨", "홍반": "홍콩반점0410",
}

// withoutBranch drops a trailing branch word: 교동치킨 혜화점 → 교동치킨.
func withoutBranch(name string) string {
	f := strings.Fields(name)
	if len(f) > 1 && strings.HasSuffix(f[len(f)-1], "점") {
		return strings.Join(f[:len(f)-1], " ")
	}
	return name
}

// brandOf is the brand of m, its name without the branch when it has none.
func brandOf(m *sodam.Merchant) string {
	if m.Brand != "" {
		return fold(m.Brand)
	}
	return fold(withoutBranch(m.Name))
}

// distanceKm is the great-circle distance between two points.
func distanceKm(lat1, lng1, lat2, lng2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat := (lat2 - lat1) * rad
	dlng := (lng2 - lng1) * rad
	h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlng/2)*math.Sin(dlng/2)
	return 2 * r * math.Asin(math.Sqrt(h))
}

// user returns the user's profile, or nil when it cannot be read.
func (c *conv) userProfile() *sodam.User {
	if c.a.records == nil {
		return nil
	}
	u, err := c.a.records.User(c.ctx, c.user)
	if err != nil {
		return nil
	}
	return u
}

// chooseBranch picks one merchant of ids. ids of one brand are branches:
// the one nearest the user wins, else the lowest id; several reports
// whether there was a choice to make. ids of different brands give "",
// and the caller asks.
func (c *conv) chooseBranch(ids []string) (id string, several bool) {
	ids = uniqueSorted(ids)
	if len(ids) == 0 {
		return "", false
	}
	if len(ids) == 1 {
		return ids[0], false
	}
	v := c.a.catalog(c.ctx)
	brand := ""
	for _, id := range ids {
		m := v.byID[id]
		if m == nil {
			continue
		}
		if brand == "" {
			brand = brandOf(m)
		} else if brandOf(m) != brand {
			return "", true
		}
	}
	best := ids[0]
	if u := c.userProfile(); u != nil && (u.Lat != 0 || u.Lng != 0) {
		bestD := math.Inf(1)
		for _, id := range ids {
			m := v.byID[id]
			if m == nil {
				continue
			}
			if d := distanceKm(u.Lat, u.Lng, m.Lat, m.Lng); d < bestD {
				best, bestD = id, d
			}
		}
	}
	return best, true
}

func uniqueSorted(ids []string) []string {
	out := append([]string(nil), ids...)
	sort.Strings(out)
	j := 0
	for i, id := range out {
		if i == 0 || id != out[j-1] {
			out[j] = id
			j++
		}
	}
	return out[:j]
}

// nameMatches reports whether the turn names the record id of kind.
func (c *conv) nameMatches(kind, id string) bool {
	v := c.a.catalog(c.ctx)
	text := c.r.Compact
	var forms []string
	switch kind {
	case ShownMerchants:
		if m := v.byID[id]; m != nil {
			forms = append([]string{m.Name, withoutBranch(m.Name), m.Brand}, m.Aliases...)
			for _, mid := range c.r.MerchantIDs {
				if mid == id {
					return true
				}
			}
		}
	case ShownItems:
		if it := v.itemByID[id]; it != nil {
			forms = append([]string{it.Name}, it.Aliases...)
		}
	case ShownEvents:
		if e := v.eventByID[id]; e != nil {
			forms = []string{e.Title, e.Performer}
		}
	}
	for _, f := range forms {
		if f := fold(f); len([]rune(f)) >= 2 && strings.Contains(text, f) {
			return true
		}
	}
	return false
}

func (c *conv) merchantOfItem(id string) string {
	if it := c.a.catalog(c.ctx).itemByID[id]; it != nil {
		return it.MerchantID
	}
	return ""
}

func (c *conv) merchantName(id string) string {
	if m := c.a.catalog(c.ctx).byID[id]; m != nil {
		return m.Name
	}
	return "가게"
}
