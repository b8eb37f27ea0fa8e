package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pgvector/pgvector-go"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/postgres"
	"github.com/sodam-ai/sodam/connectors/postgres/pgtest"
	"github.com/sodam-ai/sodam/retrieval"
)

// Word lists of the synthetic catalog: menu names are a taste, a topping
// and a dish, merchants a place and a dish, so that names repeat words the
// way a real catalog does and queries share words with many records.
var (
	synthTastes   = []string{"매콤한", "달콤한", "바삭한", "고소한", "얼큰한", "새콤한", "짭짤한", "담백한", "화끈한", "부드러운", "진한", "시원한", "쫄깃한", "촉촉한", "구운", "수제"}
	synthToppings = []string{"치즈", "마늘", "간장", "양념", "허니", "불고기", "새우", "베이컨", "감자", "고구마", "김치", "버섯", "햄", "대파", "청양", "로제", "크림", "카레", "차돌", "닭갈비", "떡", "순살", "오징어", "참치"}
	synthDishes   = []string{"치킨", "피자", "떡볶이", "버거", "짜장면", "짬뽕", "김밥", "라면", "국밥", "찌개", "덮밥", "볶음밥", "족발", "보쌈", "파스타", "우동", "돈까스", "만두", "샐러드", "라떼", "커피", "케이크", "빙수", "토스트"}
	synthPlaces   = []string{"혜화", "강남", "신촌", "홍대", "잠실", "성수", "여의도", "합정", "역삼", "종로", "을지로", "건대", "이태원", "망원", "연남", "서촌"}
	synthSizes    = []string{"", "", "", " 세트", " 1인분", " 라지", " 미니", " 곱빼기"}
)

// synthMerchantEvery is how many items each synthetic merchant sells.
const synthMerchantEvery = 100

// synthBatches returns n synthetic menu items and their merchants in
// batches of at most size records, the same for the same n and seed.
func synthBatches(n, size int) []*sodam.CatalogBatch {
	r := rand.New(rand.NewPCG(20261124, 1))
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	var out []*sodam.CatalogBatch
	b := &sodam.CatalogBatch{}
	for i := range n {
		if i%synthMerchantEvery == 0 {
			mi := i / synthMerchantEvery
			dish := pick(synthDishes)
			b.Merchants = append(b.Merchants, &sodam.Merchant{
				ID:       fmt.Sprintf("m-%06d", mi),
				Name:     fmt.Sprintf("%s %s %d호점", pick(synthPlaces), dish, mi),
				Category: dish,
				Lat:      37.45 + r.Float64()*0.15,
				Lng:      126.85 + r.Float64()*0.25,
				Opens:    "10:00",
				Closes:   "24:00",
			})
		}
		b.MenuItems = append(b.MenuItems, &sodam.MenuItem{
			ID:          fmt.Sprintf("i-%07d", i),
			MerchantID:  fmt.Sprintf("m-%06d", i/synthMerchantEvery),
			Name:        pick(synthTastes) + " " + pick(synthToppings) + " " + pick(synthDishes) + pick(synthSizes),
			Price:       int64(3000 + 100*r.IntN(300)),
			Description: pick(synthToppings) + "을 올린 " + pick(synthDishes),
		})
		if b.Len() >= size {
			out = append(out, b)
			b = &sodam.CatalogBatch{}
		}
	}
	if b.Len() > 0 {
		out = append(out, b)
	}
	return out
}

// synthQueries returns n query texts of the kind people type: a dish, a
// topping and a dish, a taste and a dish, or a whole name without spaces.
func synthQueries(n int) []string {
	r := rand.New(rand.NewPCG(7, 7))
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	out := make([]string, n)
	for i := range out {
		switch i % 4 {
		case 0:
			out[i] = pick(synthToppings) + " " + pick(synthDishes)
		case 1:
			out[i] = pick(synthTastes) + " " + pick(synthDishes)
		case 2:
			out[i] = pick(synthTastes) + pick(synthToppings) + pick(synthDishes)
		default:
			out[i] = pick(synthPlaces) + " " + pick(synthDishes)
		}
	}
	return out
}

// loadSynthetic writes n synthetic menu items (and their merchants) to st
// in batches of 5,000. Inserting into an HNSW index row by row costs far
// more than building it once, so the menu items' vector index is dropped
// first and built again afterwards from its own definition, as a bulk
// load into a new database would do; the index is the same (same m and
// ef_construction), only built faster.
func loadSynthetic(tb testing.TB, st *postgres.Store, pool *pgxpool.Pool, n int) {
	tb.Helper()
	ctx := context.Background()
	start := time.Now()
	var name, def string
	err := pool.QueryRow(ctx, `SELECT indexname, indexdef FROM pg_indexes
		WHERE schemaname = current_schema() AND tablename = 'menu_items' AND indexdef LIKE '%USING hnsw%'`).Scan(&name, &def)
	if err != nil {
		tb.Fatalf("find the HNSW index: %v", err)
	}
	if _, err := pool.Exec(ctx, `DROP INDEX `+pgx.Identifier{name}.Sanitize()); err != nil {
		tb.Fatal(err)
	}
	for _, b := range synthBatches(n, 5000) {
		if err := st.UpsertBatch(ctx, b); err != nil {
			tb.Fatalf("upsert batch: %v", err)
		}
	}
	loaded := time.Since(start)
	conn, err := pool.Acquire(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Release()
	for _, q := range []string{`SET maintenance_work_mem = '256MB'`, def, `ANALYZE menu_items`} {
		if _, err := conn.Exec(ctx, q); err != nil {
			tb.Fatalf("%s: %v", q, err)
		}
	}
	tb.Logf("loaded %d items in %v, built %s in %v", n, loaded.Round(time.Millisecond), name, (time.Since(start) - loaded).Round(time.Millisecond))
}

// BenchmarkSearch100k measures hybrid Search over 100,000 menu items: the
// latency of one search (p50 and p99, target p99 <= 10 ms) and, once, the
// HNSW index's recall@10 against exact search over the same vectors.
func BenchmarkSearch100k(b *testing.B) {
	const n = 100_000
	st, pool := newSchemaStore(b)
	loadSynthetic(b, st, pool, n)
	ctx := context.Background()
	queries := synthQueries(200)
	rs := hnswRecalls(b, pool, queries, 10, efSearch, 200, 400)
	b.Logf("HNSW recall@10 at ef_search %d, 200, 400: %.4f", efSearch, rs)
	recall := rs[0]
	// Warm the caches once so that the first searches measure the index,
	// not the disk.
	for _, q := range queries {
		if _, err := st.Search(ctx, sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: q}); err != nil {
			b.Fatal(err)
		}
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		hits, err := st.Search(ctx, sodam.SearchQuery{Kind: sodam.KindMenuItem, Text: queries[i%len(queries)]})
		lat = append(lat, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		if len(hits) == 0 {
			b.Fatalf("%q: no hits", queries[i%len(queries)])
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[min(len(lat)-1, len(lat)*99/100)]), "p99-ms")
	b.ReportMetric(recall, "hnsw-recall@10")
}

// newSchemaStore is newStore that also opens a pool of plain
// connections on the store's schema, for queries the store does not offer
// (exact search, plans).
func newSchemaStore(tb testing.TB) (*postgres.Store, *pgxpool.Pool) {
	tb.Helper()
	url, schema := pgtest.Schema(tb, "test")
	st, err := postgres.Open(context.Background(), postgres.Config{URL: url, Schema: schema, MaxConns: 8})
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(st.Close)
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		tb.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema + ",public"
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pool.Close)
	return st, pool
}

// efSearch is the hnsw.ef_search that Store.Search sets for its vector
// candidate pool (connectors/postgres/search.go).
const efSearch = 100

// neighbour is a menu item and its cosine distance from a query.
type neighbour struct {
	ID   string
	Dist float64
}

// nearest returns the k menu items nearest to v by cosine distance,
// through the HNSW index at ef_search ef or, with exact, by a sequential
// scan (index scans off), together with the query plan.
func nearest(ctx context.Context, pool *pgxpool.Pool, v []float32, k, ef int, exact bool) (ns []neighbour, plan string, err error) {
	dim := len(v)
	q := fmt.Sprintf(`SELECT id, embedding::vector(%d) <=> $1::vector(%d) FROM menu_items ORDER BY embedding::vector(%d) <=> $1::vector(%d) LIMIT %d`, dim, dim, dim, dim, k)
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		set := fmt.Sprintf(`SET LOCAL hnsw.ef_search = %d`, ef)
		if exact {
			set = `SET LOCAL enable_indexscan = off`
		}
		if _, err := tx.Exec(ctx, set); err != nil {
			return err
		}
		vec := pgvector.NewVector(v)
		var lines []string
		rows, err := tx.Query(ctx, "EXPLAIN "+q, vec)
		if err != nil {
			return err
		}
		lines, err = pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		plan = strings.Join(lines, "\n")
		rows, err = tx.Query(ctx, q, vec)
		if err != nil {
			return err
		}
		ns, err = pgx.CollectRows(rows, pgx.RowToStructByPos[neighbour])
		return err
	})
	return ns, plan, err
}

// hnswRecall is the mean share of the exact k nearest menu items that the
// HNSW index returns, over the query texts. A returned item as near as
// the exact k-th counts as found: synthetic names repeat, and of records
// at one distance either may be among the k. It fails tb when the index
// is not used, or is used by the exact search.
func hnswRecall(tb testing.TB, pool *pgxpool.Pool, queries []string, k int) float64 {
	tb.Helper()
	return hnswRecalls(tb, pool, queries, k, efSearch)[0]
}

// hnswRecalls is hnswRecall at each of the given ef_search values.
func hnswRecalls(tb testing.TB, pool *pgxpool.Pool, queries []string, k int, efs ...int) []float64 {
	tb.Helper()
	ctx := context.Background()
	emb := retrieval.NewHashEmbedder(0)
	sums := make([]float64, len(efs))
	for _, q := range queries {
		v := emb.EmbedOne(strings.ToLower(q))
		exact, plan, err := nearest(ctx, pool, v, k, 0, true)
		if err != nil {
			tb.Fatal(err)
		}
		if strings.Contains(plan, "hnsw") {
			tb.Fatalf("exact search uses the index:\n%s", plan)
		}
		if len(exact) == 0 {
			tb.Fatalf("%q: no exact neighbours", q)
		}
		for i, ef := range efs {
			approx, plan, err := nearest(ctx, pool, v, k, ef, false)
			if err != nil {
				tb.Fatal(err)
			}
			if !strings.Contains(plan, "hnsw") {
				tb.Fatalf("HNSW search does not use the index:\n%s", plan)
			}
			// The k-th exact distance, with room for rounding.
			limit := exact[len(exact)-1].Dist + 1e-6
			found := 0
			for _, n := range approx {
				if n.Dist <= limit {
					found++
				}
			}
			found = min(found, len(exact))
			sums[i] += float64(found) / float64(len(exact))
		}
	}
	for i := range sums {
		sums[i] /= float64(len(queries))
	}
	return sums
}
