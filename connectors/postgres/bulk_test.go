package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/catalog"
	"github.com/sodam-ai/sodam/connectors/postgres"
)

var _ catalog.BulkLoader = (*postgres.Store)(nil)

// vectorIndexes lists the HNSW indexes of the store's schema.
func vectorIndexes(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT indexname FROM pg_indexes
		WHERE schemaname = current_schema() AND indexdef LIKE '%USING hnsw%' ORDER BY indexname`)
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// TestBulkLoad ingests a file large against the catalog: its vector
// indexes are dropped for the load and built once at its end, and the
// loaded records are found by vector search. A small ingest, or one
// less than twice the catalog, leaves the indexes as they are.
func TestBulkLoad(t *testing.T) {
	st, pool := newSchemaStore(t)
	ctx := context.Background()
	want := vectorIndexes(t, pool)
	if len(want) != 3 {
		t.Fatalf("a new store has vector indexes %v, want three", want)
	}

	// Small: nothing is dropped.
	if end, err := st.BeginBulk(ctx, 100); err != nil || end != nil {
		t.Fatalf("a small ingest is a bulk load (%v)", err)
	}
	if got := vectorIndexes(t, pool); len(got) != 3 {
		t.Errorf("a small ingest dropped indexes: %v left", got)
	}

	var src strings.Builder
	const merchants, perMerchant = 300, 100
	for m := range merchants {
		fmt.Fprintf(&src, `{"kind":"merchant","id":"m-%d","name":"역삼 김밥 %d호점","category":"분식","lat":37.5,"lng":127.03,"opens":"10:00","closes":"22:00"}`+"\n", m, m)
		for i := range perMerchant {
			fmt.Fprintf(&src, `{"kind":"menu_item","id":"i-%d-%d","merchant_id":"m-%d","name":"참치김밥 %d","price":4500,"description":"참치와 마요네즈를 듬뿍 넣은 김밥"}`+"\n", m, i, m, i)
		}
	}
	in := &catalog.Ingester{Store: st, Total: int64(src.Len()), OnError: func(le *catalog.LineError) { t.Errorf("line %v", le) }}
	sum, err := in.Ingest(ctx, strings.NewReader(src.String()), catalog.FormatJSONL)
	if err != nil {
		t.Fatal(err)
	}
	if got := sum.Total().Ingested; got != merchants*(perMerchant+1) {
		t.Errorf("ingested %d, want %d", got, merchants*(perMerchant+1))
	}
	if sum.IndexBuild <= 0 {
		t.Errorf("no index build in the summary: the ingest of %d records was not a bulk load", merchants*(perMerchant+1))
	}
	if got := vectorIndexes(t, pool); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("vector indexes after the bulk load %v, want %v", got, want)
	}
	hits, err := st.Search(ctx, sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: "참치김밥 7", Mode: sodam.SearchVector})
	if err != nil || len(hits) == 0 {
		t.Fatalf("vector search after the bulk load: %v, %v", hits, err)
	}

	// Less than twice what the catalog now holds (a reload): nothing is
	// dropped.
	if end, err := st.BeginBulk(ctx, 2*merchants*(perMerchant+1)-1); err != nil || end != nil {
		t.Fatalf("an ingest smaller than the catalog is a bulk load (%v)", err)
	}
	if got := vectorIndexes(t, pool); len(got) != 3 {
		t.Errorf("an ingest smaller than the catalog dropped indexes: %v left", got)
	}
}
