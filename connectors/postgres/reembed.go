package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/retrieval"
)

// reembedPage is how many records Reembed rewrites per transaction.
const reembedPage = 2000

// Reembed recomputes the search texts and vectors of every merchant, menu
// item and event with the store's embedder, page by page, and rebuilds the
// vector indexes for its dimension (dropping those of another). Run it
// when the embedder changes (assistant ingest --reembed). progress, when
// set, is called after each page with the records done so far and the
// total.
func (s *Store) Reembed(ctx context.Context, progress func(done, total int)) error {
	const op = "postgres.Reembed"
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM merchants) + (SELECT count(*) FROM menu_items) + (SELECT count(*) FROM events)`).Scan(&total); err != nil {
		return wrap(op, err)
	}
	// Old indexes are dropped first: a vector of another dimension cannot
	// be cast to the old index's type.
	if err := s.dropVectorIndexes(ctx); err != nil {
		return wrap(op, err)
	}
	done := 0
	step := func(n int) {
		done += n
		if progress != nil {
			progress(done, total)
		}
	}
	merchants, err := s.Merchants(ctx)
	if err != nil {
		return err
	}
	byID := make(map[string]*sodam.Merchant, len(merchants))
	for _, m := range merchants {
		byID[m.ID] = m
	}
	if err := s.rewrite(ctx, "merchants", len(merchants), func(k int) (string, retrieval.Texts) {
		return merchants[k].ID, retrieval.MerchantTexts(merchants[k])
	}); err != nil {
		return wrap(op, err)
	}
	step(len(merchants))
	after := ""
	for {
		items, err := scanDocs[sodam.MenuItem](ctx, s.pool, `SELECT doc FROM menu_items WHERE id > $1 ORDER BY id LIMIT $2`, after, reembedPage)
		if err != nil {
			return wrap(op, err)
		}
		if len(items) == 0 {
			break
		}
		if err := s.rewrite(ctx, "menu_items", len(items), func(k int) (string, retrieval.Texts) {
			return items[k].ID, retrieval.ItemTexts(items[k], byID[items[k].MerchantID])
		}); err != nil {
			return wrap(op, err)
		}
		step(len(items))
		after = items[len(items)-1].ID
	}
	events, err := s.Events(ctx)
	if err != nil {
		return err
	}
	if err := s.rewrite(ctx, "events", len(events), func(k int) (string, retrieval.Texts) {
		return events[k].ID, retrieval.EventTexts(events[k])
	}); err != nil {
		return wrap(op, err)
	}
	step(len(events))
	// A server still running with the old embedder may have written a
	// record while the pages above were rewritten: sweep until every
	// vector has the new dimension.
	if err := s.sweepStale(ctx, byID); err != nil {
		return wrap(op, err)
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return wrap(op, err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SET maintenance_work_mem = '256MB'`); err != nil {
		return wrap(op, err)
	}
	return s.ensureVectorIndexes(ctx, conn.Conn(), true)
}

// sweepStale rewrites the records whose vectors do not have the
// embedder's dimension, a few passes at most; records that keep coming
// back mean another writer still uses the old embedder, an EUNAVAILABLE
// error.
func (s *Store) sweepStale(ctx context.Context, merchants map[string]*sodam.Merchant) error {
	dim := s.embed.Dim()
	for pass := 0; pass < 5; pass++ {
		left := 0
		for _, table := range []string{"merchants", "menu_items", "events"} {
			q := `SELECT doc FROM ` + table + ` WHERE vector_dims(embedding) <> $1 ORDER BY id LIMIT $2`
			var err error
			n := 0
			switch table {
			case "merchants":
				var ms []*sodam.Merchant
				if ms, err = scanDocs[sodam.Merchant](ctx, s.pool, q, dim, reembedPage); err == nil {
					for _, m := range ms {
						merchants[m.ID] = m
					}
					n, err = len(ms), s.rewrite(ctx, table, len(ms), func(k int) (string, retrieval.Texts) {
						return ms[k].ID, retrieval.MerchantTexts(ms[k])
					})
				}
			case "menu_items":
				var is []*sodam.MenuItem
				if is, err = scanDocs[sodam.MenuItem](ctx, s.pool, q, dim, reembedPage); err == nil {
					for _, i := range is {
						if merchants[i.MerchantID] == nil {
							if m, err := s.Merchant(ctx, i.MerchantID); err == nil {
								merchants[m.ID] = m
							}
						}
					}
					n, err = len(is), s.rewrite(ctx, table, len(is), func(k int) (string, retrieval.Texts) {
						return is[k].ID, retrieval.ItemTexts(is[k], merchants[is[k].MerchantID])
					})
				}
			case "events":
				var es []*sodam.Event
				if es, err = scanDocs[sodam.Event](ctx, s.pool, q, dim, reembedPage); err == nil {
					n, err = len(es), s.rewrite(ctx, table, len(es), func(k int) (string, retrieval.Texts) {
						return es[k].ID, retrieval.EventTexts(es[k])
					})
				}
			}
			if err != nil {
				return err
			}
			left += n
		}
		if left == 0 {
			return nil
		}
	}
	return &sodam.Error{Code: sodam.EUNAVAILABLE, Op: "postgres.Reembed",
		Message: "records with vectors of the old embedder keep being written: stop the servers that still use it, then reembed again"}
}

// rewrite sets search_text and embedding of n records of table, whose ids
// and texts at(k) gives, through a staging table in one transaction.
func (s *Store) rewrite(ctx context.Context, table string, n int, at func(k int) (string, retrieval.Texts)) error {
	if n == 0 {
		return nil
	}
	ids := make([]string, n)
	keys := make([]string, n)
	vtexts := make([]string, n)
	for k := range n {
		var t retrieval.Texts
		ids[k], t = at(k)
		keys[k], vtexts[k] = t.Keyword, t.Vector
	}
	vecs, err := s.embedParallel(ctx, vtexts)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		stage := "reembed_" + table
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE `+stage+` (id text PRIMARY KEY, search_text text, embedding vector) ON COMMIT DROP`); err != nil {
			return err
		}
		rows := make([][]any, n)
		for k := range n {
			rows[k] = []any{ids[k], keys[k], vecs[k]}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{stage}, []string{"id", "search_text", "embedding"}, pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE `+table+` t SET search_text = r.search_text, embedding = r.embedding FROM `+stage+` r WHERE t.id = r.id`)
		return err
	})
}

// dropVectorIndexes drops every HNSW index of the catalog tables.
func (s *Store) dropVectorIndexes(ctx context.Context) error {
	rows, err := s.pool.Query(ctx, `SELECT indexname FROM pg_indexes
		WHERE schemaname = current_schema() AND indexname ~ '^(merchants|menu_items|events)_hnsw_[0-9]+$'`)
	if err != nil {
		return err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, n := range names {
		if _, err := s.pool.Exec(ctx, fmt.Sprintf(`DROP INDEX IF EXISTS %s`, pgx.Identifier{n}.Sanitize())); err != nil {
			return err
		}
	}
	return nil
}
