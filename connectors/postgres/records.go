package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sodam-ai/sodam"
)

// UpsertUser implements sodam.UserStore. Subscriptions are kept in their
// own table; the ones on u replace the stored ones.
func (s *Store) UpsertUser(ctx context.Context, u *sodam.User) error {
	const op = "postgres.UpsertUser"
	if u.ID == "" {
		return sodam.Errorf(sodam.EINVALID, "user: id is required")
	}
	doc := *u
	doc.Subscriptions = nil
	b, _ := json.Marshal(doc)
	return wrap(op, pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO users (id, doc) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc`, u.ID, b); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM subscriptions WHERE user_id = $1`, u.ID); err != nil {
			return err
		}
		for _, c := range u.Subscriptions {
			if _, err := tx.Exec(ctx, `INSERT INTO subscriptions (user_id, channel_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, u.ID, c); err != nil {
				return err
			}
		}
		return nil
	}))
}

// User implements sodam.UserStore.
func (s *Store) User(ctx context.Context, id string) (*sodam.User, error) {
	return s.user(ctx, s.pool, id)
}

// user reads a user and its subscriptions in one statement (one round
// trip and one snapshot; a turn reads its user more than once).
func (s *Store) user(ctx context.Context, q querier, id string) (*sodam.User, error) {
	const op = "postgres.User"
	var (
		doc  []byte
		subs []string
	)
	err := q.QueryRow(ctx, `SELECT doc, ARRAY(SELECT channel_id FROM subscriptions WHERE user_id = $1 ORDER BY channel_id)
		FROM users WHERE id = $1`, id).Scan(&doc, &subs)
	if err == pgx.ErrNoRows {
		return nil, notFound(op, "사용자", id)
	}
	if err != nil {
		return nil, wrap(op, err)
	}
	u := new(sodam.User)
	if err := json.Unmarshal(doc, u); err != nil {
		return nil, wrap(op, err)
	}
	if len(subs) > 0 {
		u.Subscriptions = subs
	}
	return u, nil
}

// Subscribe implements sodam.UserStore.
func (s *Store) Subscribe(ctx context.Context, userID, channelID string) (*sodam.User, error) {
	return s.subscription(ctx, "postgres.Subscribe", userID,
		`INSERT INTO subscriptions (user_id, channel_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, channelID)
}

// Unsubscribe implements sodam.UserStore.
func (s *Store) Unsubscribe(ctx context.Context, userID, channelID string) (*sodam.User, error) {
	return s.subscription(ctx, "postgres.Unsubscribe", userID,
		`DELETE FROM subscriptions WHERE user_id = $1 AND channel_id = $2`, channelID)
}

func (s *Store) subscription(ctx context.Context, op, userID, sql, channelID string) (*sodam.User, error) {
	var u *sodam.User
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if u, err = s.user(ctx, tx, userID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, sql, userID, channelID); err != nil {
			return err
		}
		u, err = s.user(ctx, tx, userID)
		return err
	})
	if err != nil {
		return nil, wrap(op, err)
	}
	return u, nil
}

// record describes how one kind of user record is kept: its table, id
// prefix and sequence, and the columns pulled out of its document.
type record[T any] struct {
	table, prefix, seq, what string
	id                       func(*T) *string
	// cols returns the extra column names and values beside id and doc.
	cols func(*T) ([]string, []any)
}

var (
	orderRec = record[sodam.Order]{table: "orders", prefix: "o-", seq: "order_ids", what: "주문",
		id: func(o *sodam.Order) *string { return &o.ID },
		cols: func(o *sodam.Order) ([]string, []any) {
			return []string{"user_id", "status", "created_at"}, []any{o.UserID, string(o.Status), o.CreatedAt}
		}}
	paymentRec = record[sodam.Payment]{table: "payments", prefix: "p-", seq: "payment_ids", what: "결제",
		id: func(p *sodam.Payment) *string { return &p.ID },
		cols: func(p *sodam.Payment) ([]string, []any) {
			return []string{"user_id", "idempotency_key", "status", "created_at"}, []any{p.UserID, p.IdempotencyKey, string(p.Status), p.CreatedAt}
		}}
	complaintRec = record[sodam.Complaint]{table: "complaints", prefix: "c-", seq: "complaint_ids", what: "불편 접수",
		id: func(c *sodam.Complaint) *string { return &c.ID },
		cols: func(c *sodam.Complaint) ([]string, []any) {
			return []string{"user_id", "created_at"}, []any{c.UserID, c.CreatedAt}
		}}
	toolCallRec = record[sodam.ToolCall]{table: "tool_calls", prefix: "tc-", seq: "tool_call_ids", what: "도구 호출",
		id: func(c *sodam.ToolCall) *string { return &c.ID },
		cols: func(c *sodam.ToolCall) ([]string, []any) {
			return []string{"user_id", "at"}, []any{c.UserID, c.At}
		}}
	bookingRec = record[sodam.Booking]{table: "bookings", prefix: "b-", seq: "booking_ids", what: "예매",
		id: func(b *sodam.Booking) *string { return &b.ID },
		cols: func(b *sodam.Booking) ([]string, []any) {
			return []string{"user_id", "session_id", "grade", "count", "status", "held_until", "created_at"},
				[]any{b.UserID, b.SessionID, b.SeatGrade, b.TicketCount, string(b.Status), b.HeldUntil, b.CreatedAt}
		}}
)

// nextID returns a new id of the record's kind.
func (r record[T]) nextID(ctx context.Context, q querier) (string, error) {
	var n int64
	if err := q.QueryRow(ctx, `SELECT nextval('`+r.seq+`')`).Scan(&n); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%06d", r.prefix, n), nil
}

// insertSQL returns the insert of v: its id, document and columns. With
// drawID the statement draws the id from the record's sequence (as nextID
// makes it: the prefix and at least six digits), writes it into the
// document too and returns it, so that a new record takes one round trip.
func (r record[T]) insertSQL(v *T, drawID bool) (string, []any) {
	names, vals := r.cols(v)
	doc, _ := json.Marshal(v)
	args := []any{doc}
	params := `i.id, jsonb_set($1::jsonb, '{id}', to_jsonb(i.id))`
	if !drawID {
		args = append(args, *r.id(v))
		params = `$2, $1`
	}
	cols := `id, doc`
	for i, n := range names {
		args = append(args, vals[i])
		cols += ", " + n
		params += fmt.Sprintf(", $%d", len(args))
	}
	if !drawID {
		return `INSERT INTO ` + r.table + ` (` + cols + `) VALUES (` + params + `)`, args
	}
	return `WITH n AS (SELECT nextval('` + r.seq + `')::text AS v),
		i AS (SELECT '` + r.prefix + `' || lpad(v, greatest(6, length(v)), '0') AS id FROM n)
		INSERT INTO ` + r.table + ` (` + cols + `) SELECT ` + params + ` FROM i RETURNING id`, args
}

func (r record[T]) updateSQL(v *T) (string, []any) {
	names, vals := r.cols(v)
	doc, _ := json.Marshal(v)
	sql := `UPDATE ` + r.table + ` SET doc = $2`
	args := []any{*r.id(v), doc}
	for i, n := range names {
		sql += fmt.Sprintf(", %s = $%d", n, i+3)
		args = append(args, vals[i])
	}
	return sql + ` WHERE id = $1`, args
}

// create inserts v in its own statement; a new record's id is drawn by
// that statement (insertSQL), not in a round trip of its own (a turn
// creates a tool call record).
func (r record[T]) create(ctx context.Context, s *Store, v *T) error {
	op := "postgres.create " + r.table
	if *r.id(v) != "" {
		sql, args := r.insertSQL(v, false)
		_, err := s.pool.Exec(ctx, sql, args...)
		return wrap(op, err)
	}
	sql, args := r.insertSQL(v, true)
	var id string
	if err := s.pool.QueryRow(ctx, sql, args...).Scan(&id); err != nil {
		return wrap(op, err)
	}
	*r.id(v) = id
	return nil
}

func (r record[T]) get(ctx context.Context, s *Store, id string) (*T, error) {
	return getDoc[T](ctx, s.pool, "postgres.get "+r.table, r.what, id, `SELECT doc FROM `+r.table+` WHERE id = $1`)
}

// update locks the row, runs fn on its document and writes what fn left,
// in one transaction; when fn fails nothing is written. The transaction
// takes two round trips: BEGIN travels with the locking read, and the
// write with COMMIT (a turn updates two or three records, and four round
// trips each were a tenth of a turn's statements).
func (r record[T]) update(ctx context.Context, s *Store, id string, fn func(*T) error) (*T, error) {
	op := "postgres.update " + r.table
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, wrap(op, err)
	}
	// A connection released inside a transaction (an error on the way) is
	// closed by the pool, which ends the transaction; rolling back first
	// keeps the connection.
	defer func() {
		if conn.Conn().PgConn().TxStatus() != 'I' {
			conn.Exec(context.WithoutCancel(ctx), `ROLLBACK`)
		}
		conn.Release()
	}()
	b := &pgx.Batch{}
	b.Queue(`BEGIN`)
	b.Queue(`SELECT doc FROM `+r.table+` WHERE id = $1 FOR UPDATE`, id)
	br := conn.SendBatch(ctx, b)
	var doc []byte
	_, err = br.Exec()
	if err == nil {
		err = br.QueryRow().Scan(&doc)
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err == pgx.ErrNoRows {
		return nil, notFound(op, r.what, id)
	}
	if err != nil {
		return nil, wrap(op, err)
	}
	v := new(T)
	if err := json.Unmarshal(doc, v); err != nil {
		return nil, wrap(op, err)
	}
	if err := fn(v); err != nil {
		return nil, wrap(op, err)
	}
	*r.id(v) = id // the id is not the function's to change
	sql, args := r.updateSQL(v)
	b = &pgx.Batch{}
	b.Queue(sql, args...)
	b.Queue(`COMMIT`)
	if err := conn.SendBatch(ctx, b).Close(); err != nil {
		return nil, wrap(op, err)
	}
	return v, nil
}

func (r record[T]) byUser(ctx context.Context, s *Store, userID, orderCol string) ([]*T, error) {
	vs, err := scanDocs[T](ctx, s.pool, `SELECT doc FROM `+r.table+` WHERE user_id = $1 ORDER BY `+orderCol+`, id`, userID)
	return vs, wrap("postgres.byUser "+r.table, err)
}

// CreateOrder implements sodam.OrderStore.
func (s *Store) CreateOrder(ctx context.Context, o *sodam.Order) error {
	if o.CreatedAt.IsZero() {
		o.CreatedAt = s.now()
	}
	if o.UpdatedAt.IsZero() {
		o.UpdatedAt = o.CreatedAt
	}
	return orderRec.create(ctx, s, o)
}

// Order implements sodam.OrderStore.
func (s *Store) Order(ctx context.Context, id string) (*sodam.Order, error) {
	return orderRec.get(ctx, s, id)
}

// UpdateOrder implements sodam.OrderStore.
func (s *Store) UpdateOrder(ctx context.Context, id string, fn func(*sodam.Order) error) (*sodam.Order, error) {
	return orderRec.update(ctx, s, id, fn)
}

// OrdersByUser implements sodam.OrderStore.
func (s *Store) OrdersByUser(ctx context.Context, userID string) ([]*sodam.Order, error) {
	return orderRec.byUser(ctx, s, userID, "created_at")
}

// CreatePayment implements sodam.PaymentStore: the unique idempotency key
// decides, in the database, which of concurrent callers creates.
func (s *Store) CreatePayment(ctx context.Context, p *sodam.Payment) (*sodam.Payment, bool, error) {
	const op = "postgres.CreatePayment"
	if p.IdempotencyKey == "" {
		return nil, false, sodam.Errorf(sodam.EINVALID, "payment: idempotency_key is required")
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = s.now()
	}
	cp := *p
	if cp.ID == "" {
		id, err := paymentRec.nextID(ctx, s.pool)
		if err != nil {
			return nil, false, wrap(op, err)
		}
		cp.ID = id
	}
	sql, args := paymentRec.insertSQL(&cp, false)
	tag, err := s.pool.Exec(ctx, sql+` ON CONFLICT (idempotency_key) DO NOTHING`, args...)
	if err != nil {
		return nil, false, wrap(op, err)
	}
	if tag.RowsAffected() == 1 {
		*p = cp
		return &cp, true, nil
	}
	var existing *sodam.Payment
	existing, err = getDoc[sodam.Payment](ctx, s.pool, op, "결제", p.IdempotencyKey, `SELECT doc FROM payments WHERE idempotency_key = $1`)
	if err != nil {
		return nil, false, err
	}
	return existing, false, nil
}

// Payment implements sodam.PaymentStore.
func (s *Store) Payment(ctx context.Context, id string) (*sodam.Payment, error) {
	return paymentRec.get(ctx, s, id)
}

// UpdatePayment implements sodam.PaymentStore.
func (s *Store) UpdatePayment(ctx context.Context, id string, fn func(*sodam.Payment) error) (*sodam.Payment, error) {
	var key string
	return paymentRec.update(ctx, s, id, func(p *sodam.Payment) error {
		key = p.IdempotencyKey
		if err := fn(p); err != nil {
			return err
		}
		p.IdempotencyKey = key // the key is what makes the payment unique; it never changes
		return nil
	})
}

// PaymentsByUser implements sodam.PaymentStore.
func (s *Store) PaymentsByUser(ctx context.Context, userID string) ([]*sodam.Payment, error) {
	return paymentRec.byUser(ctx, s, userID, "created_at")
}

// Payments implements sodam.PaymentStore.
func (s *Store) Payments(ctx context.Context, status sodam.PaymentStatus) ([]*sodam.Payment, error) {
	var (
		ps  []*sodam.Payment
		err error
	)
	if status == "" {
		ps, err = scanDocs[sodam.Payment](ctx, s.pool, `SELECT doc FROM payments ORDER BY created_at, id`)
	} else {
		ps, err = scanDocs[sodam.Payment](ctx, s.pool, `SELECT doc FROM payments WHERE status = $1 ORDER BY created_at, id`, string(status))
	}
	return ps, wrap("postgres.Payments", err)
}

// CreateComplaint implements sodam.ComplaintStore.
func (s *Store) CreateComplaint(ctx context.Context, c *sodam.Complaint) error {
	if c.CreatedAt.IsZero() {
		c.CreatedAt = s.now()
	}
	return complaintRec.create(ctx, s, c)
}

// Complaint implements sodam.ComplaintStore.
func (s *Store) Complaint(ctx context.Context, id string) (*sodam.Complaint, error) {
	return complaintRec.get(ctx, s, id)
}

// UpdateComplaint implements sodam.ComplaintStore.
func (s *Store) UpdateComplaint(ctx context.Context, id string, fn func(*sodam.Complaint) error) (*sodam.Complaint, error) {
	return complaintRec.update(ctx, s, id, fn)
}

// ComplaintsByUser implements sodam.ComplaintStore.
func (s *Store) ComplaintsByUser(ctx context.Context, userID string) ([]*sodam.Complaint, error) {
	return complaintRec.byUser(ctx, s, userID, "created_at")
}

// RecordToolCall implements sodam.AuditLog.
func (s *Store) RecordToolCall(ctx context.Context, c *sodam.ToolCall) error {
	if c.At.IsZero() {
		c.At = s.now()
	}
	return toolCallRec.create(ctx, s, c)
}

// ToolCalls implements sodam.AuditLog.
func (s *Store) ToolCalls(ctx context.Context, userID string) ([]*sodam.ToolCall, error) {
	return toolCallRec.byUser(ctx, s, userID, "at")
}

// SaveDialogue implements sodam.DialogueStore.
func (s *Store) SaveDialogue(ctx context.Context, userID string, state []byte) error {
	if !json.Valid(state) {
		return sodam.Errorf(sodam.EINVALID, "dialogue state is not JSON")
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO dialogues (user_id, state, updated_at) VALUES ($1, $2, now())
		ON CONFLICT (user_id) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`, userID, state)
	return wrap("postgres.SaveDialogue", err)
}

// LoadDialogue implements sodam.DialogueStore.
func (s *Store) LoadDialogue(ctx context.Context, userID string) ([]byte, error) {
	var state []byte
	err := s.pool.QueryRow(ctx, `SELECT state FROM dialogues WHERE user_id = $1`, userID).Scan(&state)
	if err == pgx.ErrNoRows {
		return nil, notFound("postgres.LoadDialogue", "대화", userID)
	}
	return state, wrap("postgres.LoadDialogue", err)
}

// HoldSeats implements sodam.BookingStore: the guarded UPDATE takes the
// seats only while enough are left, so concurrent holds never oversell.
func (s *Store) HoldSeats(ctx context.Context, b *sodam.Booking) error {
	const op = "postgres.HoldSeats"
	if b.TicketCount <= 0 {
		return sodam.Errorf(sodam.EINVALID, "ticket_count must be positive")
	}
	now := s.now()
	cp := *b
	if cp.CreatedAt.IsZero() {
		cp.CreatedAt = now
	}
	if cp.UpdatedAt.IsZero() {
		cp.UpdatedAt = cp.CreatedAt
	}
	cp.Status = sodam.BookingHeld
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// Find the stored grade name (R석 and R are one grade).
		ss, err := s.sessionsTx(ctx, tx, cp.SessionID)
		if err != nil {
			return err
		}
		grade, seat, ok := ss.Grade(cp.SeatGrade)
		if !ok {
			return &sodam.Error{Code: sodam.ENOTFOUND, Op: op, Message: fmt.Sprintf("%s 좌석 등급이 없어요.", cp.SeatGrade)}
		}
		cp.SeatGrade = grade
		if cp.UnitPrice == 0 {
			cp.UnitPrice = seat.Price
			cp.Total = seat.Price * int64(cp.TicketCount)
		}
		if cp.EventID == "" {
			cp.EventID = ss.EventID
		}
		tag, err := tx.Exec(ctx, `UPDATE seats SET available = available - $3 WHERE session_id = $1 AND grade = $2 AND available >= $3`,
			cp.SessionID, grade, cp.TicketCount)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return &sodam.Error{Code: sodam.ECONFLICT, Op: op, Message: fmt.Sprintf("%s석이 %d장밖에 남지 않았어요.", grade, seat.Available)}
		}
		if cp.ID == "" {
			if cp.ID, err = bookingRec.nextID(ctx, tx); err != nil {
				return err
			}
		}
		sql, args := bookingRec.insertSQL(&cp, false)
		_, err = tx.Exec(ctx, sql, args...)
		return err
	})
	if err != nil {
		return wrap(op, err)
	}
	*b = cp
	return nil
}

func (s *Store) sessionsTx(ctx context.Context, tx pgx.Tx, id string) (*sodam.Session, error) {
	rows, err := tx.Query(ctx, `SELECT s.event_id, s.starts_at, st.grade, st.price, st.available
		FROM sessions s JOIN seats st ON st.session_id = s.id WHERE s.id = $1 ORDER BY st.grade`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ss := &sodam.Session{ID: id, Seats: map[string]sodam.Seat{}}
	for rows.Next() {
		var (
			g    string
			seat sodam.Seat
		)
		if err := rows.Scan(&ss.EventID, &ss.StartsAt, &g, &seat.Price, &seat.Available); err != nil {
			return nil, err
		}
		ss.Seats[g] = seat
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ss.Seats) == 0 {
		return nil, notFound("postgres.HoldSeats", "회차", id)
	}
	return ss, nil
}

// Booking implements sodam.BookingStore.
func (s *Store) Booking(ctx context.Context, id string) (*sodam.Booking, error) {
	return bookingRec.get(ctx, s, id)
}

// UpdateBooking implements sodam.BookingStore. The seats of a booking are
// not fn's to change; a cancellation goes through CancelBooking.
func (s *Store) UpdateBooking(ctx context.Context, id string, fn func(*sodam.Booking) error) (*sodam.Booking, error) {
	return bookingRec.update(ctx, s, id, func(b *sodam.Booking) error {
		before := *b
		if err := fn(b); err != nil {
			return err
		}
		if b.SessionID != before.SessionID || b.SeatGrade != before.SeatGrade || b.TicketCount != before.TicketCount ||
			(b.Status == sodam.BookingCancelled) != (before.Status == sodam.BookingCancelled) {
			return sodam.Errorf(sodam.EINVALID, "UpdateBooking cannot change seats or cancel; use CancelBooking")
		}
		return nil
	})
}

// CancelBooking implements sodam.BookingStore.
func (s *Store) CancelBooking(ctx context.Context, id string, at time.Time) (*sodam.Booking, error) {
	const op = "postgres.CancelBooking"
	var out *sodam.Booking
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		b, err := getDoc[sodam.Booking](ctx, tx, op, "예매", id, `SELECT doc FROM bookings WHERE id = $1 FOR UPDATE`)
		if err != nil {
			return err
		}
		if err := cancelLocked(ctx, tx, b, at); err != nil {
			return err
		}
		out = b
		return nil
	})
	if err != nil {
		return nil, wrap(op, err)
	}
	return out, nil
}

// cancelLocked cancels a booking whose row the transaction holds and
// returns its seats.
func cancelLocked(ctx context.Context, tx pgx.Tx, b *sodam.Booking, at time.Time) error {
	if b.Status == sodam.BookingCancelled {
		return &sodam.Error{Code: sodam.ECONFLICT, Op: "postgres.CancelBooking", Message: "이미 취소된 예매예요."}
	}
	if _, err := tx.Exec(ctx, `UPDATE seats SET available = available + $3 WHERE session_id = $1 AND grade = $2`,
		b.SessionID, b.SeatGrade, b.TicketCount); err != nil {
		return err
	}
	b.Status = sodam.BookingCancelled
	b.UpdatedAt = at
	sql, args := bookingRec.updateSQL(b)
	_, err := tx.Exec(ctx, sql, args...)
	return err
}

// ExpireHolds implements sodam.BookingStore. SKIP LOCKED lets several
// servers sweep at once without waiting on each other or cancelling twice.
func (s *Store) ExpireHolds(ctx context.Context, now time.Time) ([]*sodam.Booking, error) {
	const op = "postgres.ExpireHolds"
	var out []*sodam.Booking
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		out = nil
		bs, err := scanDocs[sodam.Booking](ctx, tx, `SELECT doc FROM bookings WHERE status = 'held' AND held_until <= $1
			ORDER BY id FOR UPDATE SKIP LOCKED`, now)
		if err != nil {
			return err
		}
		for _, b := range bs {
			if err := cancelLocked(ctx, tx, b, now); err != nil {
				return err
			}
			out = append(out, b)
		}
		return nil
	})
	if err != nil {
		return nil, wrap(op, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// BookingsByUser implements sodam.BookingStore.
func (s *Store) BookingsByUser(ctx context.Context, userID string) ([]*sodam.Booking, error) {
	return bookingRec.byUser(ctx, s, userID, "created_at")
}
