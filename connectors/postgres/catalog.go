package postgres

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/retrieval"
)

func (s *Store) vector(ctx context.Context, text string) (pgvector.Vector, error) {
	vs, err := s.embed.Embed(ctx, []string{text})
	if err != nil {
		return pgvector.Vector{}, err
	}
	return pgvector.NewVector(vs[0]), nil
}

// UpsertMerchant implements sodam.CatalogStore. The merchant's items are
// re-embedded too, since they carry its name.
func (s *Store) UpsertMerchant(ctx context.Context, m *sodam.Merchant) error {
	const op = "postgres.UpsertMerchant"
	if err := m.Validate(); err != nil {
		return err
	}
	doc, _ := json.Marshal(m)
	tx0 := retrieval.MerchantTexts(m)
	text := tx0.Keyword
	vec, err := s.vector(ctx, tx0.Vector)
	if err != nil {
		return wrap(op, err)
	}
	return wrap(op, pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var old []byte
		err := tx.QueryRow(ctx, `SELECT doc FROM merchants WHERE id = $1 FOR UPDATE`, m.ID).Scan(&old)
		if err == nil && jsonEqual(old, doc) {
			return nil // unchanged
		}
		if err != nil && err != pgx.ErrNoRows {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO merchants (id, doc, category, lat, lng, search_text, embedding)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc, category = EXCLUDED.category, lat = EXCLUDED.lat,
			  lng = EXCLUDED.lng, search_text = EXCLUDED.search_text, embedding = EXCLUDED.embedding`,
			m.ID, doc, m.Category, m.Lat, m.Lng, text, vec); err != nil {
			return err
		}
		if old == nil {
			return nil
		}
		items, err := scanDocs[sodam.MenuItem](ctx, tx, `SELECT doc FROM menu_items WHERE merchant_id = $1`, m.ID)
		if err != nil {
			return err
		}
		for _, it := range items {
			t := retrieval.ItemTexts(it, m)
			v, err := s.vector(ctx, t.Vector)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE menu_items SET search_text = $2, embedding = $3 WHERE id = $1`, it.ID, t.Keyword, v); err != nil {
				return err
			}
		}
		return nil
	}))
}

// UpsertMenuItem implements sodam.CatalogStore.
func (s *Store) UpsertMenuItem(ctx context.Context, i *sodam.MenuItem) error {
	const op = "postgres.UpsertMenuItem"
	if err := i.Validate(); err != nil {
		return err
	}
	m, err := s.Merchant(ctx, i.MerchantID)
	if err != nil {
		return err
	}
	doc, _ := json.Marshal(i)
	t := retrieval.ItemTexts(i, m)
	text := t.Keyword
	vec, err := s.vector(ctx, t.Vector)
	if err != nil {
		return wrap(op, err)
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO menu_items (id, merchant_id, doc, search_text, embedding)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id) DO UPDATE SET merchant_id = EXCLUDED.merchant_id, doc = EXCLUDED.doc,
		  search_text = EXCLUDED.search_text, embedding = EXCLUDED.embedding
		WHERE menu_items.doc IS DISTINCT FROM EXCLUDED.doc`,
		i.ID, i.MerchantID, doc, text, vec)
	return wrap(op, err)
}

// UpsertEvent implements sodam.CatalogStore.
func (s *Store) UpsertEvent(ctx context.Context, e *sodam.Event) error {
	const op = "postgres.UpsertEvent"
	if err := e.Validate(); err != nil {
		return err
	}
	doc, _ := json.Marshal(e)
	t := retrieval.EventTexts(e)
	text := t.Keyword
	vec, err := s.vector(ctx, t.Vector)
	if err != nil {
		return wrap(op, err)
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO events (id, doc, category, search_text, embedding)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc, category = EXCLUDED.category,
		  search_text = EXCLUDED.search_text, embedding = EXCLUDED.embedding
		WHERE events.doc IS DISTINCT FROM EXCLUDED.doc`,
		e.ID, doc, e.Category, text, vec)
	return wrap(op, err)
}

// UpsertSession implements sodam.CatalogStore. It replaces the session's
// seat grades with those given.
func (s *Store) UpsertSession(ctx context.Context, ss *sodam.Session) error {
	const op = "postgres.UpsertSession"
	if err := ss.Validate(); err != nil {
		return err
	}
	return wrap(op, pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		return upsertSessionTx(ctx, tx, ss)
	}))
}

// Merchant implements sodam.CatalogStore.
func (s *Store) Merchant(ctx context.Context, id string) (*sodam.Merchant, error) {
	return getDoc[sodam.Merchant](ctx, s.pool, "postgres.Merchant", "가게", id, `SELECT doc FROM merchants WHERE id = $1`)
}

// MenuItem implements sodam.CatalogStore.
func (s *Store) MenuItem(ctx context.Context, id string) (*sodam.MenuItem, error) {
	return getDoc[sodam.MenuItem](ctx, s.pool, "postgres.MenuItem", "메뉴", id, `SELECT doc FROM menu_items WHERE id = $1`)
}

// Event implements sodam.CatalogStore.
func (s *Store) Event(ctx context.Context, id string) (*sodam.Event, error) {
	return getDoc[sodam.Event](ctx, s.pool, "postgres.Event", "공연", id, `SELECT doc FROM events WHERE id = $1`)
}

// Session implements sodam.CatalogStore.
func (s *Store) Session(ctx context.Context, id string) (*sodam.Session, error) {
	ss, err := s.sessions(ctx, `WHERE s.id = $1`, id)
	if err != nil {
		return nil, wrap("postgres.Session", err)
	}
	if len(ss) == 0 {
		return nil, notFound("postgres.Session", "회차", id)
	}
	return ss[0], nil
}

// Merchants implements sodam.CatalogStore.
func (s *Store) Merchants(ctx context.Context) ([]*sodam.Merchant, error) {
	ms, err := scanDocs[sodam.Merchant](ctx, s.pool, `SELECT doc FROM merchants ORDER BY id`)
	return ms, wrap("postgres.Merchants", err)
}

// MenuItems implements sodam.CatalogStore.
func (s *Store) MenuItems(ctx context.Context, merchantID string) ([]*sodam.MenuItem, error) {
	var (
		items []*sodam.MenuItem
		err   error
	)
	if merchantID == "" {
		items, err = scanDocs[sodam.MenuItem](ctx, s.pool, `SELECT doc FROM menu_items ORDER BY id`)
	} else {
		items, err = scanDocs[sodam.MenuItem](ctx, s.pool, `SELECT doc FROM menu_items WHERE merchant_id = $1 ORDER BY id`, merchantID)
	}
	return items, wrap("postgres.MenuItems", err)
}

// Events implements sodam.CatalogStore.
func (s *Store) Events(ctx context.Context) ([]*sodam.Event, error) {
	es, err := scanDocs[sodam.Event](ctx, s.pool, `SELECT doc FROM events ORDER BY id`)
	return es, wrap("postgres.Events", err)
}

// Sessions implements sodam.CatalogStore.
func (s *Store) Sessions(ctx context.Context, eventID string) ([]*sodam.Session, error) {
	ss, err := s.sessions(ctx, `WHERE s.event_id = $1`, eventID)
	return ss, wrap("postgres.Sessions", err)
}

// sessions reads sessions with their seats, ordered by start then id.
func (s *Store) sessions(ctx context.Context, where string, arg any) ([]*sodam.Session, error) {
	rows, err := s.pool.Query(ctx, `SELECT s.id, s.event_id, s.starts_at, st.grade, st.price, st.available
		FROM sessions s LEFT JOIN seats st ON st.session_id = s.id `+where+` ORDER BY s.starts_at, s.id, st.grade`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*sodam.Session
	for rows.Next() {
		var (
			id, eventID string
			ss          sodam.Session
			grade       *string
			price       *int64
			avail       *int
		)
		if err := rows.Scan(&id, &eventID, &ss.StartsAt, &grade, &price, &avail); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].ID != id {
			ss.ID, ss.EventID = id, eventID
			ss.StartsAt = ss.StartsAt.In(sodam.Seoul)
			ss.Seats = map[string]sodam.Seat{}
			out = append(out, &ss)
		}
		if grade != nil {
			out[len(out)-1].Seats[*grade] = sodam.Seat{Price: *price, Available: *avail}
		}
	}
	return out, rows.Err()
}

// querier is what pgxpool.Pool, pgx.Conn and pgx.Tx share.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func getDoc[T any](ctx context.Context, q querier, op, what, id, sql string) (*T, error) {
	var doc []byte
	if err := q.QueryRow(ctx, sql, id).Scan(&doc); err != nil {
		if err == pgx.ErrNoRows {
			return nil, notFound(op, what, id)
		}
		return nil, wrap(op, err)
	}
	v := new(T)
	if err := json.Unmarshal(doc, v); err != nil {
		return nil, wrap(op, err)
	}
	return v, nil
}

func scanDocs[T any](ctx context.Context, q querier, sql string, args ...any) ([]*T, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		v := new(T)
		if err := json.Unmarshal(doc, v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return string(xa) == string(ya)
}
