package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/sodam-ai/sodam"
)

// MerchantRecords keeps the records of the merchant side in the store's
// database (migration 0003) and lists the store's orders, complaints,
// bookings and subscribers by channel. It implements merchant.Records.
type MerchantRecords struct {
	s *Store
}

// NewMerchantRecords returns the merchant side's records of s.
func NewMerchantRecords(s *Store) *MerchantRecords { return &MerchantRecords{s: s} }

var (
	stepRec = record[sodam.OrderStep]{table: "order_steps", prefix: "st-", seq: "order_step_ids", what: "주문 단계",
		id: func(s *sodam.OrderStep) *string { return &s.ID },
		cols: func(s *sodam.OrderStep) ([]string, []any) {
			return []string{"order_id", "at"}, []any{s.OrderID, s.At}
		}}
	inquiryRec = record[sodam.Inquiry]{table: "inquiries", prefix: "q-", seq: "inquiry_ids", what: "문의",
		id: func(q *sodam.Inquiry) *string { return &q.ID },
		cols: func(q *sodam.Inquiry) ([]string, []any) {
			return []string{"user_id", "channel_id", "created_at"}, []any{q.UserID, q.ChannelID, q.CreatedAt}
		}}
	broadcastRec = record[sodam.Broadcast]{table: "broadcasts", prefix: "bc-", seq: "broadcast_ids", what: "소식",
		id: func(b *sodam.Broadcast) *string { return &b.ID },
		cols: func(b *sodam.Broadcast) ([]string, []any) {
			return []string{"channel_id", "created_at"}, []any{b.ChannelID, b.CreatedAt}
		}}
)

// SaveAccount inserts or replaces the account of a.ChannelID.
func (r *MerchantRecords) SaveAccount(ctx context.Context, a *sodam.MerchantAccount) error {
	const op = "postgres.SaveAccount"
	if a.ChannelID == "" {
		return sodam.Errorf(sodam.EINVALID, "채널 id가 필요해요.")
	}
	doc, err := json.Marshal(a)
	if err != nil {
		return wrap(op, err)
	}
	_, err = r.s.pool.Exec(ctx, `INSERT INTO merchant_accounts (channel_id, key_hash, doc) VALUES ($1, $2, $3)
		ON CONFLICT (channel_id) DO UPDATE SET key_hash = EXCLUDED.key_hash, doc = EXCLUDED.doc`, a.ChannelID, a.KeyHash, doc)
	return wrap(op, err)
}

// Account returns a channel's account.
func (r *MerchantRecords) Account(ctx context.Context, channelID string) (*sodam.MerchantAccount, error) {
	const op = "postgres.Account"
	var (
		hash []byte
		doc  []byte
	)
	err := r.s.pool.QueryRow(ctx, `SELECT key_hash, doc FROM merchant_accounts WHERE channel_id = $1`, channelID).Scan(&hash, &doc)
	if err == pgx.ErrNoRows {
		return nil, notFound(op, "계정", channelID)
	}
	if err != nil {
		return nil, wrap(op, err)
	}
	a := new(sodam.MerchantAccount)
	if err := json.Unmarshal(doc, a); err != nil {
		return nil, wrap(op, err)
	}
	a.KeyHash = hash
	return a, nil
}

// OrdersByMerchant lists a merchant's orders other than drafts, oldest
// first.
func (r *MerchantRecords) OrdersByMerchant(ctx context.Context, merchantID string) ([]*sodam.Order, error) {
	vs, err := scanDocs[sodam.Order](ctx, r.s.pool, `SELECT doc FROM orders WHERE doc->>'merchant_id' = $1 AND status <> 'draft'
		ORDER BY created_at, id`, merchantID)
	return vs, wrap("postgres.OrdersByMerchant", err)
}

// ComplaintsByChannel lists the complaints routed to a channel, oldest
// first.
func (r *MerchantRecords) ComplaintsByChannel(ctx context.Context, channelID string) ([]*sodam.Complaint, error) {
	vs, err := scanDocs[sodam.Complaint](ctx, r.s.pool, `SELECT doc FROM complaints WHERE doc->>'merchant_id' = $1
		ORDER BY created_at, id`, channelID)
	return vs, wrap("postgres.ComplaintsByChannel", err)
}

// BookingsByEvent lists an event's bookings, oldest first.
func (r *MerchantRecords) BookingsByEvent(ctx context.Context, eventID string) ([]*sodam.Booking, error) {
	vs, err := scanDocs[sodam.Booking](ctx, r.s.pool, `SELECT doc FROM bookings WHERE doc->>'event_id' = $1
		ORDER BY created_at, id`, eventID)
	return vs, wrap("postgres.BookingsByEvent", err)
}

// Subscribers lists the users subscribed to a channel, by id.
func (r *MerchantRecords) Subscribers(ctx context.Context, channelID string) ([]string, error) {
	rows, err := r.s.pool.Query(ctx, `SELECT user_id FROM subscriptions WHERE channel_id = $1 ORDER BY user_id`, channelID)
	if err != nil {
		return nil, wrap("postgres.Subscribers", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, wrap("postgres.Subscribers", err)
}

// AddOrderStep appends a step, assigning an ID when empty.
func (r *MerchantRecords) AddOrderStep(ctx context.Context, s *sodam.OrderStep) error {
	if s.OrderID == "" {
		return sodam.Errorf(sodam.EINVALID, "주문 id가 필요해요.")
	}
	return stepRec.create(ctx, r.s, s)
}

// OrderSteps lists an order's steps, oldest first.
func (r *MerchantRecords) OrderSteps(ctx context.Context, orderID string) ([]*sodam.OrderStep, error) {
	vs, err := scanDocs[sodam.OrderStep](ctx, r.s.pool, `SELECT doc FROM order_steps WHERE order_id = $1 ORDER BY at, id`, orderID)
	return vs, wrap("postgres.OrderSteps", err)
}

// CreateInquiry stores a new inquiry, assigning an ID when empty.
func (r *MerchantRecords) CreateInquiry(ctx context.Context, q *sodam.Inquiry) error {
	if q.UserID == "" || q.ChannelID == "" {
		return sodam.Errorf(sodam.EINVALID, "문의에 사용자와 채널이 필요해요.")
	}
	if q.Status == "" {
		q.Status = sodam.InquiryOpen
	}
	if q.CreatedAt.IsZero() {
		q.CreatedAt = r.s.now()
	}
	return inquiryRec.create(ctx, r.s, q)
}

// Inquiry returns an inquiry by id.
func (r *MerchantRecords) Inquiry(ctx context.Context, id string) (*sodam.Inquiry, error) {
	return inquiryRec.get(ctx, r.s, id)
}

// UpdateInquiry runs fn on the inquiry under its row lock and stores what
// fn leaves. Changing the user or the channel is EINVALID.
func (r *MerchantRecords) UpdateInquiry(ctx context.Context, id string, fn func(*sodam.Inquiry) error) (*sodam.Inquiry, error) {
	var user, channel string
	return inquiryRec.update(ctx, r.s, id, func(q *sodam.Inquiry) error {
		user, channel = q.UserID, q.ChannelID
		if err := fn(q); err != nil {
			return err
		}
		if q.UserID != user || q.ChannelID != channel {
			return sodam.Errorf(sodam.EINVALID, "문의의 사용자와 채널은 바꿀 수 없어요.")
		}
		return nil
	})
}

// InquiriesByChannel lists a channel's inquiries, oldest first.
func (r *MerchantRecords) InquiriesByChannel(ctx context.Context, channelID string) ([]*sodam.Inquiry, error) {
	vs, err := scanDocs[sodam.Inquiry](ctx, r.s.pool, `SELECT doc FROM inquiries WHERE channel_id = $1 ORDER BY created_at, id`, channelID)
	return vs, wrap("postgres.InquiriesByChannel", err)
}

// CreateBroadcast stores a new broadcast, assigning an ID when empty.
func (r *MerchantRecords) CreateBroadcast(ctx context.Context, b *sodam.Broadcast) error {
	if b.ChannelID == "" {
		return sodam.Errorf(sodam.EINVALID, "채널 id가 필요해요.")
	}
	if b.CreatedAt.IsZero() {
		b.CreatedAt = r.s.now()
	}
	return broadcastRec.create(ctx, r.s, b)
}

// Broadcasts lists a channel's broadcasts, oldest first.
func (r *MerchantRecords) Broadcasts(ctx context.Context, channelID string) ([]*sodam.Broadcast, error) {
	vs, err := scanDocs[sodam.Broadcast](ctx, r.s.pool, `SELECT doc FROM broadcasts WHERE channel_id = $1 ORDER BY created_at, id`, channelID)
	return vs, wrap("postgres.Broadcasts", err)
}

// Enqueue appends notices to their users' outboxes in one statement,
// setting each Seq from the table's identity column.
func (r *MerchantRecords) Enqueue(ctx context.Context, ns []*sodam.Notice) error {
	const op = "postgres.Enqueue"
	if len(ns) == 0 {
		return nil
	}
	users := make([]string, len(ns))
	docs := make([]string, len(ns))
	for i, n := range ns {
		if n.UserID == "" {
			return sodam.Errorf(sodam.EINVALID, "알림에 사용자 id가 필요해요.")
		}
		b, err := json.Marshal(n)
		if err != nil {
			return wrap(op, err)
		}
		users[i], docs[i] = n.UserID, string(b)
	}
	// WITH ORDINALITY keeps the order given, so seqs follow it.
	rows, err := r.s.pool.Query(ctx, `INSERT INTO notices (user_id, doc)
		SELECT u, d::jsonb FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS x(u, d, i) ORDER BY i
		RETURNING seq`, users, docs)
	if err != nil {
		return wrap(op, err)
	}
	seqs, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return wrap(op, err)
	}
	if len(seqs) != len(ns) {
		return wrap(op, fmt.Errorf("inserted %d notices of %d", len(seqs), len(ns)))
	}
	// The identity values were drawn in the order of the rows inserted,
	// which is the order given; RETURNING promises no order, so sort.
	slices.Sort(seqs)
	for i, n := range ns {
		n.Seq = seqs[i]
	}
	return nil
}

// Pending lists a user's waiting notices by Seq.
func (r *MerchantRecords) Pending(ctx context.Context, userID string) ([]*sodam.Notice, error) {
	const op = "postgres.Pending"
	rows, err := r.s.pool.Query(ctx, `SELECT seq, doc FROM notices WHERE user_id = $1 ORDER BY seq`, userID)
	if err != nil {
		return nil, wrap(op, err)
	}
	defer rows.Close()
	var out []*sodam.Notice
	for rows.Next() {
		var (
			seq int64
			doc []byte
		)
		if err := rows.Scan(&seq, &doc); err != nil {
			return nil, wrap(op, err)
		}
		n := new(sodam.Notice)
		if err := json.Unmarshal(doc, n); err != nil {
			return nil, wrap(op, err)
		}
		n.Seq = seq
		out = append(out, n)
	}
	return out, wrap(op, rows.Err())
}

// Ack removes a user's notices with Seq at or below upTo.
func (r *MerchantRecords) Ack(ctx context.Context, userID string, upTo int64) error {
	_, err := r.s.pool.Exec(ctx, `DELETE FROM notices WHERE user_id = $1 AND seq <= $2`, userID, upTo)
	return wrap("postgres.Ack", err)
}
