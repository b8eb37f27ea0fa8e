package postgres_test

import (
	"testing"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/postgres"
	"github.com/sodam-ai/sodam/connectors/postgres/pgtest"
	"github.com/sodam-ai/sodam/connectors/storetest"
)

// testURL is the database the tests make their schemas in.
func testURL(t testing.TB) string { return pgtest.URL(t) }

// newStore opens a store in a schema of its own, dropped when the test
// ends, so that tests run in parallel and leave nothing behind.
func newStore(t testing.TB, clock sodam.Clock) *postgres.Store {
	t.Helper()
	return pgtest.Open(t, "test", postgres.Config{Clock: clock})
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) sodam.Store { return newStore(t, nil) })
}

func TestSearchConformance(t *testing.T) {
	storetest.RunSearch(t, func(t *testing.T) storetest.SearchStore { return newStore(t, nil) })
}
