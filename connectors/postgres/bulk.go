package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Bulk loads: inserting into an HNSW index row by row costs several
// times what building it once does (101,000 catalog records: 1 m 42 s
// of batched inserts against 4 s of rows and 10 s of index build). An ingest
// large against the catalog it goes into (minBulkRecords, and at least
// twice the records the catalog holds: a first load, or one that more
// than doubles the catalog) has the vector indexes dropped first and
// built once at its end. A reload of a catalog's own records is not one:
// the records it leaves unchanged cost no index insert, and a changed
// one costs less than building the whole index again.
const (
	minBulkRecords = 20_000
	// bulkBuildMemory is the maintenance_work_mem of the build: an index
	// whose graph fits in it is built in memory.
	bulkBuildMemory = "512MB"
)

// BeginBulk implements catalog.BulkLoader. When an ingest of about
// records records is large (see minBulkRecords) it drops the catalog's
// vector indexes and returns the function that builds them again, which
// the caller must call however the ingest ends; otherwise end is nil. Searches while the indexes are missing are exact, slower
// scans; a server that opens the store meanwhile builds them itself
// (Migrate), and so does the next Open when end was never called.
func (s *Store) BeginBulk(ctx context.Context, records int) (end func(context.Context) error, err error) {
	const op = "postgres.BeginBulk"
	if records < minBulkRecords {
		return nil, nil
	}
	var stored int
	if err := s.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM merchants) + (SELECT count(*) FROM menu_items) + (SELECT count(*) FROM events)`).Scan(&stored); err != nil {
		return nil, wrap(op, err)
	}
	if records < 2*stored {
		return nil, nil
	}
	if err := s.dropVectorIndexes(ctx); err != nil {
		return nil, wrap(op, err)
	}
	return s.endBulk, nil
}

// endBulk builds the vector indexes that BeginBulk dropped and refreshes
// the planner's statistics, under the migration lock (a server starting
// meanwhile would build them too).
func (s *Store) endBulk(ctx context.Context) error {
	const op = "postgres.endBulk"
	return s.schemaLocked(ctx, op, func(conn *pgxpool.Conn) error { return s.buildIndexes(ctx, op, conn) })
}

func (s *Store) buildIndexes(ctx context.Context, op string, conn *pgxpool.Conn) error {
	if _, err := conn.Exec(ctx, fmt.Sprintf(`SET maintenance_work_mem = '%s'`, bulkBuildMemory)); err != nil {
		return wrap(op, err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `RESET maintenance_work_mem`)
	if err := s.ensureVectorIndexes(ctx, conn.Conn(), false); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, `ANALYZE merchants, menu_items, events`); err != nil {
		return wrap(op, err)
	}
	return nil
}
