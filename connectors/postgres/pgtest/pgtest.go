// Package pgtest gives tests a PostgreSQL store of their own: a fresh
// schema on the test database, dropped when the test ends, so that tests
// run in parallel and leave nothing behind. The test command
// (scripts/test.sh) provisions the database; without one the tests fail,
// they never skip.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/sodam-ai/sodam/connectors/postgres"
)

// URL is the database the tests make their schemas in:
// SODAM_TEST_DATABASE_URL, else DATABASE_URL. Without either the test
// fails.
func URL(tb testing.TB) string {
	tb.Helper()
	for _, k := range []string{"SODAM_TEST_DATABASE_URL", "DATABASE_URL"} {
		if u := os.Getenv(k); u != "" {
			return u
		}
	}
	tb.Fatal("no PostgreSQL for the tests: set SODAM_TEST_DATABASE_URL (scripts/test.sh does)")
	return ""
}

// Schema names a new schema for the test and drops it, with everything in
// it, when the test ends. It returns the database URL and the schema.
func Schema(tb testing.TB, prefix string) (url, schema string) {
	tb.Helper()
	url = URL(tb)
	b := make([]byte, 6)
	rand.Read(b)
	schema = prefix + "_" + hex.EncodeToString(b)
	tb.Cleanup(func() {
		if err := postgres.DropSchema(context.Background(), url, schema); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return url, schema
}

// Open opens a store configured by cfg in a schema of its own (cfg.URL
// and cfg.Schema are set here) and closes it when the test ends, before
// the schema is dropped.
func Open(tb testing.TB, prefix string, cfg postgres.Config) *postgres.Store {
	tb.Helper()
	cfg.URL, cfg.Schema = Schema(tb, prefix)
	if cfg.MaxConns == 0 {
		cfg.MaxConns = 8
	}
	s, err := postgres.Open(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("open PostgreSQL: %v", err)
	}
	tb.Cleanup(s.Close) // cleanups run last first: closed, then dropped
	return s
}
