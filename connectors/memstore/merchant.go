package memstore

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/sodam-ai/sodam"
)

// MerchantRecords keeps the records of the merchant side (accounts, order
// steps, inquiries, broadcasts and the users' outboxes) in memory, and
// lists the store's orders, complaints, bookings and subscribers by
// channel. It implements merchant.Records over a Store. The merchant
// side is far from the hot path of chatting, so one mutex guards its
// records; the listings by channel scan the store's tables.
type MerchantRecords struct {
	s *Store

	mu         sync.Mutex
	accounts   map[string]*sodam.MerchantAccount
	steps      map[string][]*sodam.OrderStep // by order
	stepSeq    int64
	inquiries  map[string]*sodam.Inquiry
	byChannel  map[string][]string // inquiry ids by channel
	inqSeq     int64
	broadcasts map[string][]*sodam.Broadcast // by channel
	bcSeq      int64
	outbox     map[string][]*sodam.Notice // by user, by Seq
	seq        map[string]int64           // last Seq by user
}

// NewMerchantRecords returns the merchant side's records over s.
func NewMerchantRecords(s *Store) *MerchantRecords {
	return &MerchantRecords{
		s:          s,
		accounts:   make(map[string]*sodam.MerchantAccount),
		steps:      make(map[string][]*sodam.OrderStep),
		inquiries:  make(map[string]*sodam.Inquiry),
		byChannel:  make(map[string][]string),
		broadcasts: make(map[string][]*sodam.Broadcast),
		outbox:     make(map[string][]*sodam.Notice),
		seq:        make(map[string]int64),
	}
}

func cloneAccount(a *sodam.MerchantAccount) *sodam.MerchantAccount {
	c := *a
	c.KeyHash = slices.Clone(a.KeyHash)
	if a.CommissionBP != nil {
		bp := *a.CommissionBP
		c.CommissionBP = &bp
	}
	c.KeyIssuedAt = cloneTime(a.KeyIssuedAt)
	return &c
}

func cloneInquiry(q *sodam.Inquiry) *sodam.Inquiry {
	c := *q
	c.Context = slices.Clone(q.Context)
	c.AnsweredAt = cloneTime(q.AnsweredAt)
	return &c
}

func clonePtr[T any](v *T) *T { c := *v; return &c }

// SaveAccount inserts or replaces the account of a.ChannelID.
func (r *MerchantRecords) SaveAccount(ctx context.Context, a *sodam.MerchantAccount) error {
	if a.ChannelID == "" {
		return invalid("memstore.SaveAccount", "채널 id가 필요해요.")
	}
	r.mu.Lock()
	r.accounts[a.ChannelID] = cloneAccount(a)
	r.mu.Unlock()
	return nil
}

// Account returns a channel's account.
func (r *MerchantRecords) Account(ctx context.Context, channelID string) (*sodam.MerchantAccount, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	a, ok := r.accounts[channelID]
	if !ok {
		return nil, notFound("memstore.Account", "계정", channelID)
	}
	return cloneAccount(a), nil
}

// OrdersByMerchant lists a merchant's orders other than drafts, oldest
// first.
func (r *MerchantRecords) OrdersByMerchant(ctx context.Context, merchantID string) ([]*sodam.Order, error) {
	return r.s.orders.all(cloneOrder, func(o *sodam.Order) bool {
		return o.MerchantID == merchantID && o.Status != sodam.OrderDraft
	}, func(a, b *sodam.Order) int { return oldestFirst(a.CreatedAt, b.CreatedAt, a.ID, b.ID) }), nil
}

// ComplaintsByChannel lists the complaints routed to a channel, oldest
// first.
func (r *MerchantRecords) ComplaintsByChannel(ctx context.Context, channelID string) ([]*sodam.Complaint, error) {
	return r.s.complaints.all(cloneComplaint, func(c *sodam.Complaint) bool { return c.MerchantID == channelID },
		func(a, b *sodam.Complaint) int { return oldestFirst(a.CreatedAt, b.CreatedAt, a.ID, b.ID) }), nil
}

// BookingsByEvent lists an event's bookings, oldest first.
func (r *MerchantRecords) BookingsByEvent(ctx context.Context, eventID string) ([]*sodam.Booking, error) {
	return r.s.bookings.all(cloneBooking, func(b *sodam.Booking) bool { return b.EventID == eventID },
		func(a, b *sodam.Booking) int { return oldestFirst(a.CreatedAt, b.CreatedAt, a.ID, b.ID) }), nil
}

// Subscribers lists the users subscribed to a channel, by id.
func (r *MerchantRecords) Subscribers(ctx context.Context, channelID string) ([]string, error) {
	r.s.usersMu.RLock()
	var out []string
	for id, u := range r.s.users {
		if _, ok := slices.BinarySearch(u.Subscriptions, channelID); ok {
			out = append(out, id)
		}
	}
	r.s.usersMu.RUnlock()
	slices.Sort(out)
	return out, nil
}

// AddOrderStep appends a step, assigning an ID ("st-000001") when empty.
func (r *MerchantRecords) AddOrderStep(ctx context.Context, s *sodam.OrderStep) error {
	if s.OrderID == "" {
		return invalid("memstore.AddOrderStep", "주문 id가 필요해요.")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if s.ID == "" {
		r.stepSeq++
		s.ID = fmt.Sprintf("st-%06d", r.stepSeq)
	}
	r.steps[s.OrderID] = append(r.steps[s.OrderID], clonePtr(s))
	return nil
}

// OrderSteps lists an order's steps, oldest first.
func (r *MerchantRecords) OrderSteps(ctx context.Context, orderID string) ([]*sodam.OrderStep, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*sodam.OrderStep, 0, len(r.steps[orderID]))
	for _, s := range r.steps[orderID] {
		out = append(out, clonePtr(s))
	}
	return out, nil
}

// CreateInquiry stores a new inquiry, assigning an ID ("q-000001") when
// empty; an id in use is ECONFLICT.
func (r *MerchantRecords) CreateInquiry(ctx context.Context, q *sodam.Inquiry) error {
	const op = "memstore.CreateInquiry"
	if q.UserID == "" || q.ChannelID == "" {
		return invalid(op, "문의에 사용자와 채널이 필요해요.")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if q.ID == "" {
		for {
			r.inqSeq++
			q.ID = fmt.Sprintf("q-%06d", r.inqSeq)
			if _, ok := r.inquiries[q.ID]; !ok {
				break
			}
		}
	} else if _, ok := r.inquiries[q.ID]; ok {
		return &sodam.Error{Code: sodam.ECONFLICT, Op: op, Message: "같은 번호의 문의가 이미 있어요: " + q.ID}
	}
	if q.Status == "" {
		q.Status = sodam.InquiryOpen
	}
	if q.CreatedAt.IsZero() {
		q.CreatedAt = r.s.clock.Now()
	}
	r.inquiries[q.ID] = cloneInquiry(q)
	r.byChannel[q.ChannelID] = append(r.byChannel[q.ChannelID], q.ID)
	return nil
}

// Inquiry returns an inquiry by id.
func (r *MerchantRecords) Inquiry(ctx context.Context, id string) (*sodam.Inquiry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	q, ok := r.inquiries[id]
	if !ok {
		return nil, notFound("memstore.Inquiry", "문의", id)
	}
	return cloneInquiry(q), nil
}

// UpdateInquiry runs fn on a copy of the inquiry and stores it when fn
// succeeds. fn must not call the records. Changing the id, the user or
// the channel is EINVALID.
func (r *MerchantRecords) UpdateInquiry(ctx context.Context, id string, fn func(*sodam.Inquiry) error) (*sodam.Inquiry, error) {
	const op = "memstore.UpdateInquiry"
	r.mu.Lock()
	defer r.mu.Unlock()
	q, ok := r.inquiries[id]
	if !ok {
		return nil, notFound(op, "문의", id)
	}
	c := cloneInquiry(q)
	if err := fn(c); err != nil {
		return nil, err
	}
	if c.ID != q.ID || c.UserID != q.UserID || c.ChannelID != q.ChannelID {
		return nil, invalid(op, "문의의 번호, 사용자, 채널은 바꿀 수 없어요.")
	}
	r.inquiries[id] = cloneInquiry(c)
	return c, nil
}

// InquiriesByChannel lists a channel's inquiries, oldest first.
func (r *MerchantRecords) InquiriesByChannel(ctx context.Context, channelID string) ([]*sodam.Inquiry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*sodam.Inquiry, 0, len(r.byChannel[channelID]))
	for _, id := range r.byChannel[channelID] {
		out = append(out, cloneInquiry(r.inquiries[id]))
	}
	return out, nil
}

// CreateBroadcast stores a new broadcast, assigning an ID ("bc-000001")
// when empty.
func (r *MerchantRecords) CreateBroadcast(ctx context.Context, b *sodam.Broadcast) error {
	if b.ChannelID == "" {
		return invalid("memstore.CreateBroadcast", "채널 id가 필요해요.")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if b.ID == "" {
		r.bcSeq++
		b.ID = fmt.Sprintf("bc-%06d", r.bcSeq)
	}
	if b.CreatedAt.IsZero() {
		b.CreatedAt = r.s.clock.Now()
	}
	r.broadcasts[b.ChannelID] = append(r.broadcasts[b.ChannelID], clonePtr(b))
	return nil
}

// Broadcasts lists a channel's broadcasts, oldest first.
func (r *MerchantRecords) Broadcasts(ctx context.Context, channelID string) ([]*sodam.Broadcast, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*sodam.Broadcast, 0, len(r.broadcasts[channelID]))
	for _, b := range r.broadcasts[channelID] {
		out = append(out, clonePtr(b))
	}
	return out, nil
}

// Enqueue appends notices to their users' outboxes, setting each Seq.
func (r *MerchantRecords) Enqueue(ctx context.Context, ns []*sodam.Notice) error {
	for _, n := range ns {
		if n.UserID == "" {
			return invalid("memstore.Enqueue", "알림에 사용자 id가 필요해요.")
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range ns {
		r.seq[n.UserID]++
		n.Seq = r.seq[n.UserID]
		r.outbox[n.UserID] = append(r.outbox[n.UserID], clonePtr(n))
	}
	return nil
}

// Pending lists a user's waiting notices by Seq.
func (r *MerchantRecords) Pending(ctx context.Context, userID string) ([]*sodam.Notice, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*sodam.Notice, 0, len(r.outbox[userID]))
	for _, n := range r.outbox[userID] {
		out = append(out, clonePtr(n))
	}
	return out, nil
}

// Ack removes a user's notices with Seq at or below upTo.
func (r *MerchantRecords) Ack(ctx context.Context, userID string, upTo int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	box := r.outbox[userID]
	i, _ := slices.BinarySearchFunc(box, upTo+1, func(n *sodam.Notice, seq int64) int { return int(n.Seq - seq) })
	if i == len(box) {
		delete(r.outbox, userID)
		return nil
	}
	r.outbox[userID] = slices.Clone(box[i:])
	return nil
}
