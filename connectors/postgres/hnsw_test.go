package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/evals"
	"github.com/sodam-ai/sodam/retrieval"
)

// pgHybridRecallFloor is the least hybrid recall@5 of the Postgres store
// on the retrieval test set (evals/testdata/search_queries.jsonl):
// measured 0.914, held a little below so that losing a query or two is
// noticed.
const pgHybridRecallFloor = 0.90

// TestSearchQuality loads the evaluation catalog into a schema of its own
// and checks that the hybrid ranking beats vectors alone and keywords
// alone, as the embedded store's does (evals.TestSearchQuality).
func TestSearchQuality(t *testing.T) {
	ref := time.Date(2026, 11, 24, 18, 0, 0, 0, sodam.Seoul)
	st := newStore(t, sodam.ClockFunc(func() time.Time { return ref }))
	ctx := context.Background()
	if err := evals.LoadCatalog(ctx, st, evals.EvalCatalog()); err != nil {
		t.Fatal(err)
	}
	rep := evals.EvalSearch(ctx, st, evals.SearchQueries())
	var table strings.Builder
	if err := rep.WriteTable(&table, 20); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + table.String())
	if err := rep.CheckHybrid(pgHybridRecallFloor); err != nil {
		t.Error(err)
	}
}

// TestLargeCatalog loads 20,000 synthetic menu items and checks what
// BenchmarkSearch100k measures at 100,000: that the HNSW index finds at
// least 95% of the exact 10 nearest menu items over 200 queries at the
// ef_search Store.Search uses, and that a keyword search finds the
// strongest word matches although the query shares syllables with
// thousands of weaker ones.
func TestLargeCatalog(t *testing.T) {
	const n = 20_000
	st, pool := newSchemaStore(t)
	loadSynthetic(t, st, pool, n)
	queries := synthQueries(200)

	t.Run("hnsw recall", func(t *testing.T) {
		recall := hnswRecall(t, pool, queries, 10)
		t.Logf("HNSW recall@10 at %d items, ef_search %d: %.4f", n, efSearch, recall)
		if recall < 0.95 {
			t.Errorf("HNSW recall@10 %.4f, want at least 0.95", recall)
		}
	})

	t.Run("strongest keyword match", func(t *testing.T) {
		ctx := context.Background()
		broad := 0
		for _, q := range queries[:60] {
			compact := retrieval.CompactQuery(strings.ToLower(q))
			// The best word similarity in the whole table, and how many
			// records match at all (sequential scan, no index).
			var best float64
			var matches int
			err := pool.QueryRow(ctx, `SELECT coalesce(max(ws), 0), count(*) FILTER (WHERE ws >= 0.3) FROM
				(SELECT word_similarity($1, search_text)::float8 AS ws FROM menu_items) s`, compact).Scan(&best, &matches)
			if err != nil {
				t.Fatal(err)
			}
			if best < 0.5 {
				continue // no strong match to find
			}
			if matches > 1000 {
				broad++
			}
			hits, err := st.Search(ctx, sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: q, Mode: sodam.SearchKeyword, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) == 0 {
				t.Errorf("%q: no keyword hit, want one of word similarity %.3f", q, best)
				continue
			}
			var got float64
			if err := pool.QueryRow(ctx, `SELECT word_similarity($1, search_text)::float8 FROM menu_items WHERE id = $2`, compact, hits[0].ID).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got < best-1e-6 {
				t.Errorf("%q: first keyword hit %s has word similarity %.3f, the best in the catalog is %.3f (%d records match)", q, hits[0].ID, got, best, matches)
			}
		}
		if broad == 0 {
			t.Fatal("no query matched more than 1,000 records: the test checks nothing broad")
		}
		t.Logf("%d queries matched more than 1,000 records", broad)
	})
}
