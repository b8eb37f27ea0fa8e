// Package memstore is the embedded, in-memory implementation of
// sodam.Store. It is the default store of the assistant and of the
// evaluations, where every scenario starts from a fresh store loaded with
// the catalog.
//
// Locking is fine-grained where contention matters: every order, booking,
// payment, complaint and session has its own mutex, so updates of one
// record are serialised without stopping the others, and seats move
// between a session and a booking under the session's lock, so a seat is
// never sold twice. The maps that index records have their own
// read-write locks, held only long enough to find or insert a record.
//
// Every record goes in and comes out as a deep copy: callers may change
// what they pass and what they get without touching the stored state.
//
// The fn callbacks of the Update methods run under the record's lock and
// must not call back into the store: a callback that does may deadlock.
package memstore

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/retrieval"
)

// Store is an in-memory sodam.Store. The zero value is not usable; call
// New.
type Store struct {
	clock sodam.Clock
	index *retrieval.Index // nil: no search

	catalog catalog

	usersMu sync.RWMutex
	users   map[string]*sodam.User

	orders     table[sodam.Order]
	bookings   table[sodam.Booking]
	payments   table[sodam.Payment]
	complaints table[sodam.Complaint]
	toolCalls  table[sodam.ToolCall]

	// held holds the bookings that may still be held: HoldSeats adds
	// them and ExpireHolds drops those it finds held no longer, so that
	// expiring looks at open holds rather than at every booking.
	heldMu sync.Mutex
	held   map[string]*record[sodam.Booking]

	// paymentKeys maps an IdempotencyKey to its payment's id; it is
	// guarded by payments.mu.
	paymentKeys map[string]string

	dialoguesMu sync.RWMutex
	dialogues   map[string][]byte
}

var _ sodam.Store = (*Store)(nil)

// New returns an empty store. index, when not nil, is kept up to date on
// every catalog upsert and serves Search; it should be empty and used by
// this store alone. clock stamps CreatedAt and UpdatedAt when a caller
// leaves them zero and is the time searches rank at; nil means
// sodam.WallClock.
func New(index *retrieval.Index, clock sodam.Clock) *Store {
	if clock == nil {
		clock = sodam.WallClock
	}
	return &Store{
		clock:       clock,
		index:       index,
		catalog:     newCatalog(),
		users:       make(map[string]*sodam.User),
		orders:      newTable[sodam.Order]("o", "주문"),
		bookings:    newTable[sodam.Booking]("b", "예매"),
		payments:    newTable[sodam.Payment]("p", "결제"),
		complaints:  newTable[sodam.Complaint]("c", "문의"),
		toolCalls:   newTable[sodam.ToolCall]("tc", "기록"),
		held:        make(map[string]*record[sodam.Booking]),
		paymentKeys: make(map[string]string),
		dialogues:   make(map[string][]byte),
	}
}

// record is one stored value with the mutex that serialises its updates.
type record[T any] struct {
	mu sync.Mutex
	v  *T
}

// table holds the records of one kind of user record, indexed by id and
// by user. mu guards the maps; each record's own mutex guards its value.
type table[T any] struct {
	prefix string // id prefix: "o" gives "o-000001"
	noun   string // Korean noun for messages: 주문, 예매, ...
	seq    atomic.Int64

	mu     sync.RWMutex
	byID   map[string]*record[T]
	byUser map[string][]*record[T]
}

func newTable[T any](prefix, noun string) table[T] {
	return table[T]{
		prefix: prefix,
		noun:   noun,
		byID:   make(map[string]*record[T]),
		byUser: make(map[string][]*record[T]),
	}
}

// nextID returns a fresh readable id. The caller holds t.mu for writing,
// so that the id can be checked against ids chosen by callers.
func (t *table[T]) nextID() string {
	for {
		id := fmt.Sprintf("%s-%06d", t.prefix, t.seq.Add(1))
		if _, ok := t.byID[id]; !ok {
			return id
		}
	}
}

// insert stores v under id (assigning one when id is ""), indexed by
// userID, and returns its record. An id in use is ECONFLICT. assign is
// called with the final id before v is published.
func (t *table[T]) insert(op, id, userID string, v *T, assign func(id string)) (*record[T], error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if id == "" {
		id = t.nextID()
	} else if _, ok := t.byID[id]; ok {
		return nil, &sodam.Error{Code: sodam.ECONFLICT, Op: op, Message: fmt.Sprintf("같은 번호의 %s이(가) 이미 있어요: %s", t.noun, id)}
	}
	assign(id)
	r := &record[T]{v: v}
	t.byID[id] = r
	t.byUser[userID] = append(t.byUser[userID], r)
	return r, nil
}

// get returns the record of id or ENOTFOUND.
func (t *table[T]) get(op, id string) (*record[T], error) {
	t.mu.RLock()
	r, ok := t.byID[id]
	t.mu.RUnlock()
	if !ok {
		return nil, notFound(op, t.noun, id)
	}
	return r, nil
}

// read returns a copy of the value of id.
func (t *table[T]) read(op, id string, clone func(*T) *T) (*T, error) {
	r, err := t.get(op, id)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return clone(r.v), nil
}

// update runs fn on a copy of id's value under the record's lock and
// stores the copy when fn and check succeed. check compares the old and
// new values for changes the store does not allow.
func (t *table[T]) update(op, id string, clone func(*T) *T, fn func(*T) error, check func(old, new *T) error) (*T, error) {
	r, err := t.get(op, id)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	c := clone(r.v)
	if err := fn(c); err != nil {
		return nil, err
	}
	if err := check(r.v, c); err != nil {
		return nil, err
	}
	// fn may have kept c: store a copy of it and hand c back.
	r.v = clone(c)
	return c, nil
}

// listUser returns copies of the user's records, ordered by less.
func (t *table[T]) listUser(userID string, clone func(*T) *T, less func(a, b *T) int) []*T {
	t.mu.RLock()
	recs := slices.Clone(t.byUser[userID])
	t.mu.RUnlock()
	return collect(recs, clone, less)
}

// all returns copies of every record that keep accepts, ordered by less.
func (t *table[T]) all(clone func(*T) *T, keep func(*T) bool, less func(a, b *T) int) []*T {
	t.mu.RLock()
	recs := make([]*record[T], 0, len(t.byID))
	for _, r := range t.byID {
		recs = append(recs, r)
	}
	t.mu.RUnlock()
	out := collect(recs, clone, less)
	return slices.DeleteFunc(out, func(v *T) bool { return !keep(v) })
}

func collect[T any](recs []*record[T], clone func(*T) *T, less func(a, b *T) int) []*T {
	out := make([]*T, 0, len(recs))
	for _, r := range recs {
		r.mu.Lock()
		out = append(out, clone(r.v))
		r.mu.Unlock()
	}
	slices.SortFunc(out, less)
	return out
}

// oldestFirst orders records by creation time, then id.
func oldestFirst(at1, at2 time.Time, id1, id2 string) int {
	if c := at1.Compare(at2); c != 0 {
		return c
	}
	return cmp.Compare(id1, id2)
}

func notFound(op, noun, id string) error {
	return &sodam.Error{Code: sodam.ENOTFOUND, Op: op, Message: fmt.Sprintf("%s을(를) 찾을 수 없어요: %s", noun, id)}
}

func invalid(op, format string, args ...any) error {
	return &sodam.Error{Code: sodam.EINVALID, Op: op, Message: fmt.Sprintf(format, args...)}
}

// wrapOp adds op to an error from a Validate method.
func wrapOp(op string, err error) error {
	if e, ok := err.(*sodam.Error); ok && e.Op == "" {
		c := *e
		c.Op = op
		return &c
	}
	return err
}

// keepIdentity refuses an update that changes the fields the store
// indexes by.
func keepIdentity(op, oldID, newID, oldUser, newUser string) error {
	if oldID != newID || oldUser != newUser {
		return invalid(op, "id와 사용자는 바꿀 수 없어요.")
	}
	return nil
}
