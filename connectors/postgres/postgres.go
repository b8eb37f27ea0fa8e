// Package postgres is Sodam's production store: sodam.Store and
// sodam.Searcher on PostgreSQL with pgvector, through a pgx/v5 pool.
//
// Money and seats move inside transactions: a seat hold is one guarded
// UPDATE that cannot oversell, payments are unique by idempotency key, and
// every Update* method locks its row (SELECT ... FOR UPDATE) for the
// caller's function and writes what it leaves, all or nothing. Schema
// migrations are embedded and applied under an advisory lock, so several
// servers starting at once migrate once.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	pgxvec "github.com/pgvector/pgvector-go/pgx"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/retrieval"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLockKey is the advisory lock that serialises migrations.
const migrationLockKey = 0x50DA_4D16

// Store is a sodam.Store and sodam.Searcher on PostgreSQL.
type Store struct {
	pool        *pgxpool.Pool
	embed       retrieval.Embedder
	clock       sodam.Clock
	reembedding bool
}

var (
	_ sodam.Store    = (*Store)(nil)
	_ sodam.Searcher = (*Store)(nil)
)

// Config configures Open.
type Config struct {
	// URL is a PostgreSQL connection string (postgres://... or key=value).
	URL string
	// Schema, when set, is created if missing and put first on the
	// search_path of every connection: tests give each store its own.
	Schema string
	// Embedder computes the vectors of catalog records and queries; the
	// built-in hash embedder when nil.
	Embedder retrieval.Embedder
	// Clock stamps records; the wall clock when nil.
	Clock sodam.Clock
	// MaxConns bounds the pool: when 0, the URL's pool_max_conns, else
	// DefaultMaxConns (pgx's own default, 4 on a 2-core machine, starves
	// a server whose turns hold a conversation lock each).
	MaxConns int32
	// Reembedding opens a store whose vectors were made by another
	// embedder, to run Reembed; otherwise that is an EINVALID error.
	Reembedding bool
}

// DefaultMaxConns is the pool size when neither Config nor the URL sets
// one.
const DefaultMaxConns = 16

// MaxConns is the size of the store's connection pool.
func (s *Store) MaxConns() int { return int(s.pool.Config().MaxConns) }

// Open connects, checks the connection and applies pending migrations.
// A database that cannot be reached is EUNAVAILABLE.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	const op = "postgres.Open"
	pcfg, err := pgxpool.ParseConfig(cfg.URL)
	if err != nil {
		return nil, &sodam.Error{Code: sodam.EINVALID, Op: op, Message: "데이터베이스 주소가 올바르지 않아요.", Err: err}
	}
	switch {
	case cfg.MaxConns > 0:
		pcfg.MaxConns = cfg.MaxConns
	case !strings.Contains(cfg.URL, "pool_max_conns"):
		pcfg.MaxConns = DefaultMaxConns
	}
	if cfg.Schema != "" {
		if err := createSchema(ctx, cfg.URL, cfg.Schema); err != nil {
			return nil, &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op, Err: err}
		}
		pcfg.ConnConfig.RuntimeParams["search_path"] = pgx.Identifier{cfg.Schema}.Sanitize() + ", public"
	}
	pcfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		// The vector type exists only after the first migration; register
		// it when it does.
		var ok bool
		if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'vector')`).Scan(&ok); err != nil {
			return err
		}
		if ok {
			return pgxvec.RegisterTypes(ctx, conn)
		}
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op, Message: "데이터베이스에 연결할 수 없어요.", Err: err}
	}
	s := &Store{pool: pool, embed: cfg.Embedder, clock: cfg.Clock, reembedding: cfg.Reembedding}
	if s.embed == nil {
		s.embed = retrieval.NewHashEmbedder(256)
	}
	if s.clock == nil {
		s.clock = sodam.WallClock
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op, Message: "데이터베이스에 연결할 수 없어요.", Err: err}
	}
	if err := s.Migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	// Connections opened before the vector type existed lack its codec.
	pool.Reset()
	return s, nil
}

func createSchema(ctx context.Context, url, schema string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	// Extensions live in public so that every schema sees their types.
	for _, q := range []string{
		`CREATE EXTENSION IF NOT EXISTS vector SCHEMA public`,
		`CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public`,
		`CREATE SCHEMA IF NOT EXISTS ` + pgx.Identifier{schema}.Sanitize(),
	} {
		if _, err := conn.Exec(ctx, q); err != nil && !isDuplicate(err) {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// DropSchema removes a schema made for a store and everything in it.
func DropSchema(ctx context.Context, url, schema string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{schema}.Sanitize()+` CASCADE`)
	return err
}

// Close closes the pool.
func (s *Store) Close() { s.pool.Close() }

// Ping reports whether the database answers; EUNAVAILABLE when not.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return &sodam.Error{Code: sodam.EUNAVAILABLE, Op: "postgres.Ping", Err: err}
	}
	return nil
}

// schemaLocked acquires a connection, takes the migration lock on it
// (changes to the schema and its indexes are made one server at a time),
// and runs fn; a database that cannot be reached is EUNAVAILABLE.
func (s *Store) schemaLocked(ctx context.Context, op string, fn func(*pgxpool.Conn) error) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op, Err: err}
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLockKey); err != nil {
		return &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op, Err: err}
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLockKey)
	return fn(conn)
}

// Migrate applies the embedded migrations not yet applied, in order, each
// in its own transaction, under an advisory lock held for the whole run.
func (s *Store) Migrate(ctx context.Context) error {
	return s.schemaLocked(ctx, "postgres.Migrate", func(conn *pgxpool.Conn) error { return s.migrate(ctx, conn) })
}

func (s *Store) migrate(ctx context.Context, conn *pgxpool.Conn) error {
	const op = "postgres.Migrate"

	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return &sodam.Error{Code: sodam.EINTERNAL, Op: op, Err: err}
	}
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return &sodam.Error{Code: sodam.EINTERNAL, Op: op, Err: err}
	}
	sort.Strings(names)
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return &sodam.Error{Code: sodam.EINTERNAL, Op: op, Err: fmt.Errorf("migration %s: no version", base)}
		}
		var done bool
		if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`, v).Scan(&done); err != nil {
			return &sodam.Error{Code: sodam.EINTERNAL, Op: op, Err: err}
		}
		if done {
			continue
		}
		sql, err := migrationFiles.ReadFile(name)
		if err != nil {
			return &sodam.Error{Code: sodam.EINTERNAL, Op: op, Err: err}
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, string(sql)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, v, base)
			return err
		})
		if err != nil {
			return &sodam.Error{Code: sodam.EINTERNAL, Op: op, Err: fmt.Errorf("migration %s: %w", base, err)}
		}
	}
	return s.ensureVectorIndexes(ctx, conn.Conn(), false)
}

// ensureVectorIndexes builds the HNSW indexes for the embedder's
// dimension and records it, dropping those of an older dimension.
func (s *Store) ensureVectorIndexes(ctx context.Context, conn *pgx.Conn, reembedded bool) error {
	dim := s.embed.Dim()
	name := embedderName(s.embed)
	var (
		oldName string
		oldDim  int
	)
	err := conn.QueryRow(ctx, `SELECT embedder, dim FROM search_config`).Scan(&oldName, &oldDim)
	if err != nil && err != pgx.ErrNoRows {
		return &sodam.Error{Code: sodam.EINTERNAL, Op: "postgres.ensureVectorIndexes", Err: err}
	}
	if err == nil && !reembedded && (oldName != name || oldDim != dim) {
		if s.reembedding {
			return nil // Reembed builds the indexes when it is done
		}
		return &sodam.Error{Code: sodam.EINVALID, Op: "postgres.ensureVectorIndexes",
			Message: fmt.Sprintf("the catalog's vectors were made by %s (%d dimensions), not %s (%d): run `assistant ingest --reembed`", oldName, oldDim, name, dim)}
	}
	// After Reembed the index is built CONCURRENTLY. A plain build also
	// reads row versions that are dead but may still be seen by an older
	// snapshot (of any transaction in the database), and casting such a
	// version's old-dimension vector to the new dimension fails the
	// build; a concurrent build reads only the rows of its snapshot, and
	// waits for older transactions before the index is used.
	concurrently := ""
	if reembedded {
		concurrently = "CONCURRENTLY "
	}
	for _, table := range []string{"merchants", "menu_items", "events"} {
		index := fmt.Sprintf("%s_hnsw_%d", table, dim)
		q := fmt.Sprintf(`CREATE INDEX %sIF NOT EXISTS %s ON %s USING hnsw ((embedding::vector(%d)) vector_cosine_ops) WITH (m = 16, ef_construction = 32)`,
			concurrently, index, table, dim)
		if _, err := conn.Exec(ctx, q); err != nil {
			if reembedded {
				// A failed concurrent build leaves an invalid index
				// that IF NOT EXISTS would keep: drop it.
				conn.Exec(context.WithoutCancel(ctx), `DROP INDEX IF EXISTS `+index)
			}
			return &sodam.Error{Code: sodam.EINTERNAL, Op: "postgres.ensureVectorIndexes", Err: err}
		}
	}
	_, err = conn.Exec(ctx, `INSERT INTO search_config (embedder, dim) VALUES ($1, $2)
		ON CONFLICT (singleton) DO UPDATE SET embedder = EXCLUDED.embedder, dim = EXCLUDED.dim`, name, dim)
	if err != nil {
		return &sodam.Error{Code: sodam.EINTERNAL, Op: "postgres.ensureVectorIndexes", Err: err}
	}
	return nil
}

// embedderName names an embedder in search_config: its type and, when it
// has one, its model.
func embedderName(e retrieval.Embedder) string {
	if n, ok := e.(interface{ Name() string }); ok {
		return n.Name()
	}
	return fmt.Sprintf("%T", e)
}

// wrap turns a database error into an application error for op.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var se *sodam.Error
	if errors.As(err, &se) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return &sodam.Error{Code: sodam.ENOTFOUND, Op: op, Message: "찾을 수 없어요.", Err: err}
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op, Message: "요청 시간이 초과됐어요.", Err: err}
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "23503":
			return &sodam.Error{Code: sodam.ENOTFOUND, Op: op, Message: "참조하는 기록을 찾을 수 없어요.", Err: err}
		case pgErr.Code == "23505":
			return &sodam.Error{Code: sodam.ECONFLICT, Op: op, Err: err}
		case pgErr.Code == "23514":
			return &sodam.Error{Code: sodam.ECONFLICT, Op: op, Err: err}
		case strings.HasPrefix(pgErr.Code, "08"), strings.HasPrefix(pgErr.Code, "57"):
			return &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op, Err: err}
		}
		return &sodam.Error{Code: sodam.EINTERNAL, Op: op, Err: err}
	}
	if pgconn.SafeToRetry(err) || pgconn.Timeout(err) {
		return &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op, Err: err}
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return &sodam.Error{Code: sodam.EUNAVAILABLE, Op: op, Err: err}
	}
	return &sodam.Error{Code: sodam.EINTERNAL, Op: op, Err: err}
}

func isDuplicate(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "23505" || pgErr.Code == "42710" || pgErr.Code == "42P06")
}

func notFound(op, what, id string) error {
	return &sodam.Error{Code: sodam.ENOTFOUND, Op: op, Message: fmt.Sprintf("%s(%s)을(를) 찾을 수 없어요.", what, id)}
}

func (s *Store) now() time.Time { return s.clock.Now() }
