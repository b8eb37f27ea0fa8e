package memstore

import (
	"cmp"
	"context"
	"slices"
	"sync"

	"github.com/sodam-ai/sodam"
)

// catalog holds merchants, menu items, events and sessions. mu guards the
// maps and the merchant, item and event values; a session's seats are
// guarded by the session record's own mutex, so that holding seats on one
// session does not wait for another.
type catalog struct {
	mu              sync.RWMutex
	merchants       map[string]*sodam.Merchant
	items           map[string]*sodam.MenuItem
	itemsByMerchant map[string]map[string]struct{}
	events          map[string]*sodam.Event
	sessions        map[string]*record[sodam.Session]
	sessionsByEvent map[string]map[string]struct{}
	// published is, per session and grade, the seats the catalog last
	// said were for sale. The seats taken since (held or sold here) are
	// published minus what is left, so a catalog update can keep them
	// taken: re-ingesting never sells a seat twice.
	published map[string]map[string]int
}

func newCatalog() catalog {
	return catalog{
		merchants:       make(map[string]*sodam.Merchant),
		items:           make(map[string]*sodam.MenuItem),
		itemsByMerchant: make(map[string]map[string]struct{}),
		events:          make(map[string]*sodam.Event),
		sessions:        make(map[string]*record[sodam.Session]),
		published:       make(map[string]map[string]int),
		sessionsByEvent: make(map[string]map[string]struct{}),
	}
}

// moveIndex moves id from the set of oldKey to the set of newKey.
func moveIndex(idx map[string]map[string]struct{}, id, oldKey, newKey string) {
	if oldKey == newKey {
		if _, ok := idx[newKey][id]; ok {
			return
		}
	} else if set := idx[oldKey]; set != nil {
		delete(set, id)
		if len(set) == 0 {
			delete(idx, oldKey)
		}
	}
	set := idx[newKey]
	if set == nil {
		set = make(map[string]struct{})
		idx[newKey] = set
	}
	set[id] = struct{}{}
}

// UpsertMerchant inserts or replaces a merchant. An invalid merchant is
// EINVALID.
func (s *Store) UpsertMerchant(ctx context.Context, m *sodam.Merchant) error {
	const op = "memstore.UpsertMerchant"
	if err := m.Validate(); err != nil {
		return wrapOp(op, err)
	}
	c := &s.catalog
	c.mu.Lock()
	defer c.mu.Unlock()
	c.merchants[m.ID] = cloneMerchant(m)
	s.indexMerchant(m)
	return nil
}

// UpsertMenuItem inserts or replaces a menu item. An invalid item is
// EINVALID; an item of an unknown merchant is ENOTFOUND.
func (s *Store) UpsertMenuItem(ctx context.Context, i *sodam.MenuItem) error {
	const op = "memstore.UpsertMenuItem"
	if err := i.Validate(); err != nil {
		return wrapOp(op, err)
	}
	c := &s.catalog
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.merchants[i.MerchantID]; !ok {
		return notFound(op, "가게", i.MerchantID)
	}
	var oldMerchant string
	if old, ok := c.items[i.ID]; ok {
		oldMerchant = old.MerchantID
	}
	c.items[i.ID] = cloneMenuItem(i)
	moveIndex(c.itemsByMerchant, i.ID, oldMerchant, i.MerchantID)
	s.indexMenuItem(i)
	return nil
}

// UpsertEvent inserts or replaces an event. An invalid event is EINVALID.
func (s *Store) UpsertEvent(ctx context.Context, e *sodam.Event) error {
	const op = "memstore.UpsertEvent"
	if err := e.Validate(); err != nil {
		return wrapOp(op, err)
	}
	c := &s.catalog
	c.mu.Lock()
	defer c.mu.Unlock()
	c.events[e.ID] = cloneEvent(e)
	s.indexEvent(e)
	return nil
}

// UpsertSession inserts or replaces a session, seat inventory included:
// the seats it lists become the seats left. An invalid session is
// EINVALID; a session of an unknown event is ENOTFOUND.
func (s *Store) UpsertSession(ctx context.Context, sess *sodam.Session) error {
	const op = "memstore.UpsertSession"
	if err := sess.Validate(); err != nil {
		return wrapOp(op, err)
	}
	c := &s.catalog
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.events[sess.EventID]; !ok {
		return notFound(op, "공연", sess.EventID)
	}
	v := cloneSession(sess)
	pub := make(map[string]int, len(sess.Seats))
	for g, seat := range sess.Seats {
		pub[g] = seat.Available
	}
	r, ok := c.sessions[sess.ID]
	if !ok {
		c.sessions[sess.ID] = &record[sodam.Session]{v: v}
		c.published[sess.ID] = pub
		moveIndex(c.sessionsByEvent, sess.ID, "", sess.EventID)
		s.indexSession(sess)
		return nil
	}
	r.mu.Lock()
	oldEvent := r.v.EventID
	for g, seat := range v.Seats {
		if cur, ok := r.v.Seats[g]; ok {
			taken := c.published[sess.ID][g] - cur.Available
			seat.Available = max(0, seat.Available-taken)
			v.Seats[g] = seat
		}
	}
	r.v = v
	r.mu.Unlock()
	c.published[sess.ID] = pub
	moveIndex(c.sessionsByEvent, sess.ID, oldEvent, sess.EventID)
	s.indexSession(sess)
	return nil
}

// Merchant returns a merchant by id.
func (s *Store) Merchant(ctx context.Context, id string) (*sodam.Merchant, error) {
	c := &s.catalog
	c.mu.RLock()
	defer c.mu.RUnlock()
	m, ok := c.merchants[id]
	if !ok {
		return nil, notFound("memstore.Merchant", "가게", id)
	}
	return cloneMerchant(m), nil
}

// MenuItem returns a menu item by id.
func (s *Store) MenuItem(ctx context.Context, id string) (*sodam.MenuItem, error) {
	c := &s.catalog
	c.mu.RLock()
	defer c.mu.RUnlock()
	i, ok := c.items[id]
	if !ok {
		return nil, notFound("memstore.MenuItem", "메뉴", id)
	}
	return cloneMenuItem(i), nil
}

// Event returns an event by id.
func (s *Store) Event(ctx context.Context, id string) (*sodam.Event, error) {
	c := &s.catalog
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.events[id]
	if !ok {
		return nil, notFound("memstore.Event", "공연", id)
	}
	return cloneEvent(e), nil
}

// Session returns a session by id, with the seats left now.
func (s *Store) Session(ctx context.Context, id string) (*sodam.Session, error) {
	r, err := s.sessionRecord("memstore.Session", id)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return cloneSession(r.v), nil
}

func (s *Store) sessionRecord(op, id string) (*record[sodam.Session], error) {
	c := &s.catalog
	c.mu.RLock()
	r, ok := c.sessions[id]
	c.mu.RUnlock()
	if !ok {
		return nil, notFound(op, "회차", id)
	}
	return r, nil
}

// Merchants lists every merchant by id.
func (s *Store) Merchants(ctx context.Context) ([]*sodam.Merchant, error) {
	c := &s.catalog
	c.mu.RLock()
	out := make([]*sodam.Merchant, 0, len(c.merchants))
	for _, m := range c.merchants {
		out = append(out, cloneMerchant(m))
	}
	c.mu.RUnlock()
	slices.SortFunc(out, func(a, b *sodam.Merchant) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// MenuItems lists a merchant's menu items by id, or every item when
// merchantID is "". An unknown merchant has no items.
func (s *Store) MenuItems(ctx context.Context, merchantID string) ([]*sodam.MenuItem, error) {
	c := &s.catalog
	c.mu.RLock()
	var out []*sodam.MenuItem
	if merchantID == "" {
		out = make([]*sodam.MenuItem, 0, len(c.items))
		for _, i := range c.items {
			out = append(out, cloneMenuItem(i))
		}
	} else {
		ids := c.itemsByMerchant[merchantID]
		out = make([]*sodam.MenuItem, 0, len(ids))
		for id := range ids {
			out = append(out, cloneMenuItem(c.items[id]))
		}
	}
	c.mu.RUnlock()
	slices.SortFunc(out, func(a, b *sodam.MenuItem) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// Events lists every event by id.
func (s *Store) Events(ctx context.Context) ([]*sodam.Event, error) {
	c := &s.catalog
	c.mu.RLock()
	out := make([]*sodam.Event, 0, len(c.events))
	for _, e := range c.events {
		out = append(out, cloneEvent(e))
	}
	c.mu.RUnlock()
	slices.SortFunc(out, func(a, b *sodam.Event) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// Sessions lists an event's sessions by start time, then id. An unknown
// event has no sessions.
func (s *Store) Sessions(ctx context.Context, eventID string) ([]*sodam.Session, error) {
	c := &s.catalog
	c.mu.RLock()
	recs := make([]*record[sodam.Session], 0, len(c.sessionsByEvent[eventID]))
	for id := range c.sessionsByEvent[eventID] {
		recs = append(recs, c.sessions[id])
	}
	c.mu.RUnlock()
	return collect(recs, cloneSession, func(a, b *sodam.Session) int {
		return oldestFirst(a.StartsAt, b.StartsAt, a.ID, b.ID)
	}), nil
}
