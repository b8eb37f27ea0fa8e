package memstore

import (
	"context"

	"github.com/sodam-ai/sodam"
)

// CreatePayment stores p unless a payment with its IdempotencyKey exists,
// and returns the stored payment and whether this call created it. Of
// concurrent calls with one key exactly one creates; the others get its
// payment. It assigns an ID ("p-000001") when empty and CreatedAt from
// the clock when zero. A payment without a user or an idempotency key is
// EINVALID; a new payment whose id is in use is ECONFLICT.
func (s *Store) CreatePayment(ctx context.Context, p *sodam.Payment) (*sodam.Payment, bool, error) {
	const op = "memstore.CreatePayment"
	switch {
	case p.UserID == "":
		return nil, false, invalid(op, "결제에 사용자 id가 필요해요.")
	case p.IdempotencyKey == "":
		return nil, false, invalid(op, "결제에 중복 방지 키가 필요해요.")
	}
	c := clonePayment(p)
	if c.CreatedAt.IsZero() {
		c.CreatedAt = s.clock.Now()
	}

	t := &s.payments
	t.mu.Lock()
	if id, ok := s.paymentKeys[p.IdempotencyKey]; ok {
		r := t.byID[id]
		t.mu.Unlock()
		r.mu.Lock()
		defer r.mu.Unlock()
		return clonePayment(r.v), false, nil
	}
	if c.ID == "" {
		c.ID = t.nextID()
	} else if _, ok := t.byID[c.ID]; ok {
		t.mu.Unlock()
		return nil, false, &sodam.Error{Code: sodam.ECONFLICT, Op: op, Message: "같은 번호의 결제가 이미 있어요: " + c.ID}
	}
	r := &record[sodam.Payment]{v: c}
	t.byID[c.ID] = r
	t.byUser[c.UserID] = append(t.byUser[c.UserID], r)
	s.paymentKeys[c.IdempotencyKey] = c.ID
	t.mu.Unlock()
	return clonePayment(c), true, nil
}

// Payment returns a payment by id.
func (s *Store) Payment(ctx context.Context, id string) (*sodam.Payment, error) {
	return s.payments.read("memstore.Payment", id, clonePayment)
}

// UpdatePayment runs fn on a copy of the payment under the payment's own
// lock and stores the copy when fn succeeds; when fn fails nothing is
// written. fn must not call the store. Changing the id, user or
// idempotency key is EINVALID.
func (s *Store) UpdatePayment(ctx context.Context, id string, fn func(*sodam.Payment) error) (*sodam.Payment, error) {
	const op = "memstore.UpdatePayment"
	return s.payments.update(op, id, clonePayment, fn, func(old, new *sodam.Payment) error {
		if err := keepIdentity(op, old.ID, new.ID, old.UserID, new.UserID); err != nil {
			return err
		}
		if old.IdempotencyKey != new.IdempotencyKey {
			return invalid(op, "결제의 중복 방지 키는 바꿀 수 없어요.")
		}
		return nil
	})
}

// PaymentsByUser lists a user's payments, oldest first (CreatedAt, then
// id).
func (s *Store) PaymentsByUser(ctx context.Context, userID string) ([]*sodam.Payment, error) {
	return s.payments.listUser(userID, clonePayment, paymentOldestFirst), nil
}

// Payments lists every payment with the given status, or every payment
// when status is "", oldest first. It scans all payments: it serves
// reconciliation, not the chat.
func (s *Store) Payments(ctx context.Context, status sodam.PaymentStatus) ([]*sodam.Payment, error) {
	return s.payments.all(clonePayment, func(p *sodam.Payment) bool {
		return status == "" || p.Status == status
	}, paymentOldestFirst), nil
}

func paymentOldestFirst(a, b *sodam.Payment) int {
	return oldestFirst(a.CreatedAt, b.CreatedAt, a.ID, b.ID)
}
