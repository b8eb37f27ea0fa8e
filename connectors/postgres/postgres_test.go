package postgres_test

import (
	"context"
	"fmt"
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

// TestCreatedIDs checks the ids that a create draws from its sequence in
// the insert itself: six digits at least, more once the sequence passes
// 999,999, and the same id in the document as in the row.
func TestCreatedIDs(t *testing.T) {
	st, pool := newSchemaStore(t)
	ctx := context.Background()
	if err := st.UpsertUser(ctx, &sodam.User{ID: "u-1"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		restart int64
		want    string
	}{
		{"first", 1, "c-000001"},
		{"six digits", 999_999, "c-999999"},
		{"seven digits", 1_000_000, "c-1000000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := pool.Exec(ctx, fmt.Sprintf(`ALTER SEQUENCE complaint_ids RESTART %d`, tc.restart)); err != nil {
				t.Fatal(err)
			}
			c := &sodam.Complaint{UserID: "u-1", Type: sodam.ComplaintLate, Text: "늦어요", Status: sodam.ComplaintOpen}
			if err := st.CreateComplaint(ctx, c); err != nil {
				t.Fatal(err)
			}
			if c.ID != tc.want {
				t.Errorf("id = %q, want %q", c.ID, tc.want)
			}
			got, err := st.Complaint(ctx, tc.want)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != tc.want || got.Text != "늦어요" || got.UserID != "u-1" {
				t.Errorf("stored %+v, want id %s, the text and the user", got, tc.want)
			}
		})
	}
}
