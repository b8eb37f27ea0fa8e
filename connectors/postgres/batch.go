package postgres

import (
	"context"
	"encoding/json"
	"runtime"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/retrieval"
)

var _ sodam.CatalogBatcher = (*Store)(nil)

// UpsertBatch implements sodam.CatalogBatcher for bulk ingestion: the
// vectors are computed in parallel, the rows are copied (COPY) into
// temporary tables and merged into the catalog with one INSERT ... ON
// CONFLICT per table, all in one transaction. Rows whose document did not
// change are left alone, so re-ingesting a file writes nothing.
func (s *Store) UpsertBatch(ctx context.Context, b *sodam.CatalogBatch) error {
	const op = "postgres.UpsertBatch"
	for _, m := range b.Merchants {
		if err := m.Validate(); err != nil {
			return err
		}
	}
	for _, i := range b.MenuItems {
		if err := i.Validate(); err != nil {
			return err
		}
	}
	for _, e := range b.Events {
		if err := e.Validate(); err != nil {
			return err
		}
	}
	for _, ss := range b.Sessions {
		if err := ss.Validate(); err != nil {
			return err
		}
	}
	// Items need their merchant's identity in their text.
	merchants := make(map[string]*sodam.Merchant, len(b.Merchants))
	for _, m := range b.Merchants {
		merchants[m.ID] = m
	}
	var missing []string
	for _, i := range b.MenuItems {
		if _, ok := merchants[i.MerchantID]; !ok {
			missing = append(missing, i.MerchantID)
			merchants[i.MerchantID] = nil
		}
	}
	if len(missing) > 0 {
		ms, err := scanDocs[sodam.Merchant](ctx, s.pool, `SELECT doc FROM merchants WHERE id = ANY($1)`, missing)
		if err != nil {
			return wrap(op, err)
		}
		for _, m := range ms {
			merchants[m.ID] = m
		}
	}
	for _, i := range b.MenuItems {
		if merchants[i.MerchantID] == nil {
			return notFound(op, "가게", i.MerchantID)
		}
	}

	n := len(b.Merchants) + len(b.MenuItems) + len(b.Events)
	texts, vtexts := make([]string, 0, n), make([]string, 0, n)
	add := func(t retrieval.Texts) {
		texts = append(texts, t.Keyword)
		vtexts = append(vtexts, t.Vector)
	}
	for _, m := range b.Merchants {
		add(retrieval.MerchantTexts(m))
	}
	for _, i := range b.MenuItems {
		add(retrieval.ItemTexts(i, merchants[i.MerchantID]))
	}
	for _, e := range b.Events {
		add(retrieval.EventTexts(e))
	}
	vecs, err := s.embedParallel(ctx, vtexts)
	if err != nil {
		return wrap(op, err)
	}

	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// A bulk load that is lost in a crash is simply run again (it is
		// idempotent), so it need not wait for the WAL flush.
		if _, err := tx.Exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
			return err
		}
		k := 0
		if len(b.Merchants) > 0 {
			rows := make([][]any, len(b.Merchants))
			for j, m := range b.Merchants {
				doc, _ := json.Marshal(m)
				rows[j] = []any{m.ID, doc, m.Category, m.Lat, m.Lng, texts[k], vecs[k]}
				k++
			}
			if err := merge(ctx, tx, "merchants", []string{"id", "doc", "category", "lat", "lng", "search_text", "embedding"}, rows); err != nil {
				return err
			}
		}
		itemRows := make([][]any, len(b.MenuItems))
		for j, i := range b.MenuItems {
			doc, _ := json.Marshal(i)
			itemRows[j] = []any{i.ID, i.MerchantID, doc, texts[k], vecs[k]}
			k++
		}
		if len(b.Events) > 0 {
			rows := make([][]any, len(b.Events))
			for j, e := range b.Events {
				doc, _ := json.Marshal(e)
				rows[j] = []any{e.ID, doc, e.Category, texts[k], vecs[k]}
				k++
			}
			if err := merge(ctx, tx, "events", []string{"id", "doc", "category", "search_text", "embedding"}, rows); err != nil {
				return err
			}
		}
		if len(itemRows) > 0 {
			if err := merge(ctx, tx, "menu_items", []string{"id", "merchant_id", "doc", "search_text", "embedding"}, itemRows); err != nil {
				return err
			}
		}
		// Sessions are a handful of statements each: pipeline them all in
		// one round trip.
		var pb pgx.Batch
		for _, ss := range b.Sessions {
			queueSession(&pb, ss)
		}
		return tx.SendBatch(ctx, &pb).Close()
	})
	return wrap(op, err)
}

// merge copies rows into a temporary copy of table and upserts them.
func merge(ctx context.Context, tx pgx.Tx, table string, cols []string, rows [][]any) error {
	stage := "stage_" + table
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE IF NOT EXISTS `+stage+` (LIKE `+table+`) ON COMMIT DROP`); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `TRUNCATE `+stage); err != nil {
		return err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{stage}, cols, pgx.CopyFromRows(rows)); err != nil {
		return err
	}
	set := ""
	for _, c := range cols[1:] {
		if set != "" {
			set += ", "
		}
		set += c + " = EXCLUDED." + c
	}
	list := ""
	for _, c := range cols {
		if list != "" {
			list += ", "
		}
		list += c
	}
	// DISTINCT ON keeps the last of duplicate ids in one batch.
	_, err := tx.Exec(ctx, `INSERT INTO `+table+` (`+list+`)
		SELECT DISTINCT ON (id) `+list+` FROM `+stage+` ORDER BY id
		ON CONFLICT (id) DO UPDATE SET `+set+` WHERE `+table+`.doc IS DISTINCT FROM EXCLUDED.doc`)
	return err
}

// upsertSessionTx writes a session and its seat grades. The catalog's
// available counts are the seats for sale; seats held or sold here stay
// taken (available = catalog's - active bookings), so re-ingesting a
// catalog never sells a seat twice. The seat rows are locked first, so a
// hold in flight either is counted or waits and then sees the new count.
func upsertSessionTx(ctx context.Context, tx pgx.Tx, ss *sodam.Session) error {
	var pb pgx.Batch
	queueSession(&pb, ss)
	return tx.SendBatch(ctx, &pb).Close()
}

// queueSession queues the statements that write a session and its seat
// grades. The catalog's available counts are the seats for sale; seats
// held or sold here stay taken (available = catalog's - active bookings),
// so re-ingesting a catalog never sells a seat twice. The seat rows are
// locked first, so a hold in flight either is counted or waits and then
// sees the new count.
func queueSession(pb *pgx.Batch, ss *sodam.Session) {
	pb.Queue(`INSERT INTO sessions (id, event_id, starts_at) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET event_id = EXCLUDED.event_id, starts_at = EXCLUDED.starts_at
		WHERE (sessions.event_id, sessions.starts_at) IS DISTINCT FROM (EXCLUDED.event_id, EXCLUDED.starts_at)`,
		ss.ID, ss.EventID, ss.StartsAt)
	pb.Queue(`SELECT 1 FROM seats WHERE session_id = $1 FOR UPDATE`, ss.ID)
	grades := make([]string, 0, len(ss.Seats))
	for g, seat := range ss.Seats {
		grades = append(grades, g)
		pb.Queue(`INSERT INTO seats (session_id, grade, price, available)
			VALUES ($1, $2, $3, GREATEST(0, $4 - (SELECT COALESCE(sum(count), 0) FROM bookings
				WHERE session_id = $1 AND grade = $2 AND status IN ('held', 'paid'))))
			ON CONFLICT (session_id, grade) DO UPDATE SET price = EXCLUDED.price, available = EXCLUDED.available
			WHERE (seats.price, seats.available) IS DISTINCT FROM (EXCLUDED.price, EXCLUDED.available)`,
			ss.ID, g, seat.Price, seat.Available)
	}
	pb.Queue(`DELETE FROM seats WHERE session_id = $1 AND NOT (grade = ANY($2))`, ss.ID, grades)
}

// embedParallel embeds texts on every core, in chunks.
func (s *Store) embedParallel(ctx context.Context, texts []string) ([]pgvector.Vector, error) {
	out := make([]pgvector.Vector, len(texts))
	const chunk = 64
	workers := runtime.GOMAXPROCS(0)
	next := make(chan int)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for start := range next {
				end := min(start+chunk, len(texts))
				vs, err := s.embed.Embed(ctx, texts[start:end])
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					continue
				}
				for j, v := range vs {
					out[start+j] = pgvector.NewVector(v)
				}
			}
		}()
	}
	for start := 0; start < len(texts); start += chunk {
		next <- start
	}
	close(next)
	wg.Wait()
	return out, firstErr
}
