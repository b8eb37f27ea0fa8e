package catalog

import (
	"context"
	"sort"
	"sync"

	"github.com/sodam-ai/sodam"
)

// fakeStore is a CatalogStore in maps. It checks references as the real
// stores do and counts writes, so tests can tell that a re-ingest wrote
// nothing.
type fakeStore struct {
	mu        sync.Mutex
	merchants map[string]sodam.Merchant
	items     map[string]sodam.MenuItem
	events    map[string]sodam.Event
	sessions  map[string]sodam.Session
	writes    int
	failWith  error // when set, every upsert returns it
}

var _ sodam.CatalogStore = (*fakeStore)(nil)

func newFakeStore() *fakeStore {
	return &fakeStore{
		merchants: map[string]sodam.Merchant{},
		items:     map[string]sodam.MenuItem{},
		events:    map[string]sodam.Event{},
		sessions:  map[string]sodam.Session{},
	}
}

func notFound(kind, id string) error {
	return sodam.Errorf(sodam.ENOTFOUND, "%s %s not found", kind, id)
}

func (s *fakeStore) UpsertMerchant(_ context.Context, m *sodam.Merchant) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failWith != nil {
		return s.failWith
	}
	s.writes++
	s.merchants[m.ID] = *m
	return nil
}

func (s *fakeStore) UpsertMenuItem(_ context.Context, i *sodam.MenuItem) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failWith != nil {
		return s.failWith
	}
	if _, ok := s.merchants[i.MerchantID]; !ok {
		return notFound("merchant", i.MerchantID)
	}
	s.writes++
	s.items[i.ID] = *i
	return nil
}

func (s *fakeStore) UpsertEvent(_ context.Context, e *sodam.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failWith != nil {
		return s.failWith
	}
	s.writes++
	s.events[e.ID] = *e
	return nil
}

func (s *fakeStore) UpsertSession(_ context.Context, ss *sodam.Session) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failWith != nil {
		return s.failWith
	}
	if _, ok := s.events[ss.EventID]; !ok {
		return notFound("event", ss.EventID)
	}
	s.writes++
	s.sessions[ss.ID] = *ss
	return nil
}

func (s *fakeStore) Merchant(_ context.Context, id string) (*sodam.Merchant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.merchants[id]
	if !ok {
		return nil, notFound("merchant", id)
	}
	return &m, nil
}

func (s *fakeStore) MenuItem(_ context.Context, id string) (*sodam.MenuItem, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.items[id]
	if !ok {
		return nil, notFound("menu_item", id)
	}
	return &i, nil
}

func (s *fakeStore) Event(_ context.Context, id string) (*sodam.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.events[id]
	if !ok {
		return nil, notFound("event", id)
	}
	return &e, nil
}

func (s *fakeStore) Session(_ context.Context, id string) (*sodam.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.sessions[id]
	if !ok {
		return nil, notFound("session", id)
	}
	return &ss, nil
}

func (s *fakeStore) Merchants(context.Context) ([]*sodam.Merchant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*sodam.Merchant
	for _, m := range s.merchants {
		out = append(out, &m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (s *fakeStore) MenuItems(_ context.Context, merchantID string) ([]*sodam.MenuItem, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*sodam.MenuItem
	for _, i := range s.items {
		if merchantID == "" || i.MerchantID == merchantID {
			out = append(out, &i)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (s *fakeStore) Events(context.Context) ([]*sodam.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*sodam.Event
	for _, e := range s.events {
		out = append(out, &e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (s *fakeStore) Sessions(_ context.Context, eventID string) ([]*sodam.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*sodam.Session
	for _, ss := range s.sessions {
		if ss.EventID == eventID {
			out = append(out, &ss)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].StartsAt.Equal(out[j].StartsAt) {
			return out[i].StartsAt.Before(out[j].StartsAt)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}
