package memstore

import (
	"context"

	"github.com/sodam-ai/sodam"
)

// CreateOrder stores a new order, assigning an ID ("o-000001") when empty
// and CreatedAt and UpdatedAt from the clock when zero; o gets the id and
// times. An order without a user is EINVALID; an id in use is ECONFLICT.
func (s *Store) CreateOrder(ctx context.Context, o *sodam.Order) error {
	const op = "memstore.CreateOrder"
	if o.UserID == "" {
		return invalid(op, "주문에 사용자 id가 필요해요.")
	}
	now := s.clock.Now()
	c := cloneOrder(o)
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	_, err := s.orders.insert(op, o.ID, o.UserID, c, func(id string) { c.ID = id })
	if err != nil {
		return err
	}
	o.ID, o.CreatedAt, o.UpdatedAt = c.ID, c.CreatedAt, c.UpdatedAt
	return nil
}

// Order returns an order by id.
func (s *Store) Order(ctx context.Context, id string) (*sodam.Order, error) {
	return s.orders.read("memstore.Order", id, cloneOrder)
}

// UpdateOrder runs fn on a copy of the order under the order's own lock
// and stores the copy when fn succeeds; when fn fails nothing is written
// and its error is returned. fn must not call the store. Changing the id
// or the user is EINVALID.
func (s *Store) UpdateOrder(ctx context.Context, id string, fn func(*sodam.Order) error) (*sodam.Order, error) {
	const op = "memstore.UpdateOrder"
	return s.orders.update(op, id, cloneOrder, fn, func(old, new *sodam.Order) error {
		return keepIdentity(op, old.ID, new.ID, old.UserID, new.UserID)
	})
}

// OrdersByUser lists a user's orders, drafts included, oldest first
// (CreatedAt, then id).
func (s *Store) OrdersByUser(ctx context.Context, userID string) ([]*sodam.Order, error) {
	return s.orders.listUser(userID, cloneOrder, func(a, b *sodam.Order) int {
		return oldestFirst(a.CreatedAt, b.CreatedAt, a.ID, b.ID)
	}), nil
}
