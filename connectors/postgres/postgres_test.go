package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/postgres"
	"github.com/sodam-ai/sodam/connectors/storetest"
)

// testURL is the database the tests make their schemas in. The test
// command (scripts/test.sh) provisions one; without it the tests fail,
// they do not skip.
func testURL(t testing.TB) string {
	t.Helper()
	for _, k := range []string{"SODAM_TEST_DATABASE_URL", "DATABASE_URL"} {
		if u := os.Getenv(k); u != "" {
			return u
		}
	}
	t.Fatal("no PostgreSQL for the tests: set SODAM_TEST_DATABASE_URL (scripts/test.sh does)")
	return ""
}

// newStore opens a store in a schema of its own, dropped when the test
// ends, so that tests run in parallel and leave nothing behind.
func newStore(t testing.TB, clock sodam.Clock) *postgres.Store {
	t.Helper()
	url := testURL(t)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	ctx := context.Background()
	s, err := postgres.Open(ctx, postgres.Config{URL: url, Schema: schema, Clock: clock, MaxConns: 8})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		s.Close()
		if err := postgres.DropSchema(context.Background(), url, schema); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) sodam.Store { return newStore(t, nil) })
}

func TestSearchConformance(t *testing.T) {
	storetest.RunSearch(t, func(t *testing.T) storetest.SearchStore { return newStore(t, nil) })
}
