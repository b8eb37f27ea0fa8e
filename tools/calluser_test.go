package tools_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/memstore"
	"github.com/sodam-ai/sodam/retrieval"
	"github.com/sodam-ai/sodam/tools"
)

// countingStore counts the user reads of the store it wraps.
type countingStore struct {
	*memstore.Store
	userReads atomic.Int64
}

func (s *countingStore) User(ctx context.Context, id string) (*sodam.User, error) {
	s.userReads.Add(1)
	return s.Store.User(ctx, id)
}

// TestToolReadsItsUserOnce checks that a tool reading its user (for the
// address of a quote) uses the user its call frame read, and that a new
// user is created and then served the same way.
func TestToolReadsItsUserOnce(t *testing.T) {
	clock := &testClock{t: refTime}
	mem := memstore.New(retrieval.NewIndex(retrieval.NewHashEmbedder(64)), clock)
	st := &countingStore{Store: mem}
	e := loadEnv(t, st, mem, clock, nil)
	ctx := context.Background()
	if _, err := e.tb.CartAdd(ctx, "u-1", tools.CartAddInput{MenuItemID: "i-001", Quantity: 1}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, user  string
		wantAddress string
		wantReads   int64
	}{
		{"known user", "u-1", "서울 종로구 대학로 12", 1},
		// Not found, not found again under the lock, then created.
		{"new user", "u-new", "", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := st.userReads.Load()
			q, err := e.tb.QuoteOrder(ctx, tc.user, tools.QuoteOrderInput{})
			if err != nil && tc.user == "u-1" {
				t.Fatal(err)
			}
			if got := st.userReads.Load() - before; got != tc.wantReads {
				t.Errorf("the quote read the user %d times, want %d", got, tc.wantReads)
			}
			if q != nil && q.Address != tc.wantAddress {
				t.Errorf("quote address %q, want %q", q.Address, tc.wantAddress)
			}
		})
	}
}
