package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// scratchDatabase creates an empty database for one test and drops it
// afterwards, returning its URL. It fails without a test PostgreSQL.
func scratchDatabase(t *testing.T) string {
	t.Helper()
	base := os.Getenv("SODAM_TEST_DATABASE_URL")
	if base == "" {
		base = os.Getenv("DATABASE_URL")
	}
	if base == "" {
		t.Fatal("no PostgreSQL for the tests: set SODAM_TEST_DATABASE_URL (scripts/test.sh does)")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 5)
	rand.Read(b)
	name := "sodam_cmd_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		conn.Close(context.Background())
	})
	u, err := url.Parse(base)
	if err != nil || u.Scheme == "" {
		t.Fatalf("SODAM_TEST_DATABASE_URL must be a postgres:// URL: %q", base)
	}
	u.Path = "/" + name
	return u.String()
}

func TestMigrate(t *testing.T) {
	dbURL := scratchDatabase(t)
	for range 2 { // the second run finds nothing to do
		var out, errb bytes.Buffer
		err := run(context.Background(), []string{"migrate", "--database-url", dbURL}, func(string) string { return "" }, nil, &out, &errb)
		if err != nil {
			t.Fatalf("migrate: %v (%s)", err, errb.String())
		}
	}
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n < 2 {
		t.Errorf("%d migrations recorded, want at least 2", n)
	}
}

func TestMigrateErrors(t *testing.T) {
	getenv := func(string) string { return "" }
	err := run(context.Background(), []string{"migrate"}, getenv, nil, &bytes.Buffer{}, &bytes.Buffer{})
	if !errors.Is(err, errUsage) {
		t.Errorf("no database: err = %v, want a usage error", err)
	}
	err = run(context.Background(), []string{"migrate", "--database-url", "postgres://postgres@127.0.0.1:1/none?connect_timeout=2"}, getenv, nil, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || errors.Is(err, errUsage) || !strings.Contains(err.Error(), "unavailable") {
		t.Errorf("unreachable database: err = %v, want unavailable", err)
	}
}
