package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/retrieval"
)

// The hybrid ranking is the embedded index's (retrieval.Index.Search):
// Reciprocal Rank Fusion with k = 60 of a vector ranking (cosine, floor
// 0.2), a keyword ranking and, when the query has a point, a distance
// ranking. Here the keyword ranking is pg_trgm's word similarity, and the
// candidate pools come from the HNSW and trigram indexes.
const (
	rrfK         = 60
	minCosine    = 0.2
	poolSize     = 100
	hnswEfSearch = 100
)

// candidate is one record in a search's candidate pool.
type candidate struct {
	id     string
	doc    []byte
	mdoc   []byte  // a menu item's merchant
	cosine float64 // -1 when not in the vector pool
	wsim   float64 // -1 when not scored (not in a pool that scores words)
	point  sodam.Point
	dist   float64
	// for filters
	merchant *sodam.Merchant
	item     *sodam.MenuItem
	event    *sodam.Event
}

// Search implements sodam.Searcher.
func (s *Store) Search(ctx context.Context, q sodam.SearchQuery) ([]sodam.SearchHit, error) {
	const op = "postgres.Search"
	if q.Limit <= 0 {
		q.Limit = 10
	}
	now := s.now()
	text := strings.ToLower(strings.TrimSpace(q.Text))
	var (
		cands map[string]*candidate
		err   error
	)
	if text == "" {
		cands, err = s.filtered(ctx, q)
	} else {
		cands, err = s.pooled(ctx, q, text)
	}
	if err != nil {
		return nil, wrap(op, err)
	}
	if err := decode(q.Kind, cands); err != nil {
		return nil, wrap(op, err)
	}
	list := make([]*candidate, 0, len(cands))
	for _, c := range cands {
		if s.admit(q, c, now) {
			list = append(list, c)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].id < list[j].id })

	var hits []sodam.SearchHit
	switch {
	case q.ByDistance && q.Near != nil:
		sort.SliceStable(list, func(i, j int) bool { return list[i].dist < list[j].dist })
		hits = hitsInOrder(q, list)
	case text == "" && q.Near != nil:
		sort.SliceStable(list, func(i, j int) bool { return list[i].dist < list[j].dist })
		hits = hitsInOrder(q, list)
	case text == "":
		hits = hitsInOrder(q, list)
	default:
		hits = fuse(q, list)
	}
	if len(hits) > q.Limit {
		hits = hits[:q.Limit]
	}
	return hits, nil
}

func hitsInOrder(q sodam.SearchQuery, list []*candidate) []sodam.SearchHit {
	hits := make([]sodam.SearchHit, len(list))
	for i, c := range list {
		hits[i] = sodam.SearchHit{Kind: q.Kind, ID: c.id, Score: 1 / float64(rrfK+i+1)}
		if q.Near != nil {
			hits[i].DistanceKm = c.dist
		}
	}
	return hits
}

// fuse ranks candidates by RRF over the vector, keyword and distance
// rankings; ties go to the smaller id.
func fuse(q sodam.SearchQuery, list []*candidate) []sodam.SearchHit {
	score := map[string]float64{}
	addRanking := func(in []*candidate, key func(*candidate) float64, keep func(*candidate) bool) {
		var r []*candidate
		for _, c := range in {
			if keep(c) {
				r = append(r, c)
			}
		}
		sort.SliceStable(r, func(i, j int) bool { return key(r[i]) > key(r[j]) })
		for i, c := range r {
			score[c.id] += 1 / float64(rrfK+i+1)
		}
	}
	if q.Mode != sodam.SearchKeyword {
		addRanking(list, func(c *candidate) float64 { return c.cosine }, func(c *candidate) bool { return c.cosine >= minCosine })
	}
	if q.Mode != sodam.SearchVector {
		addRanking(list, func(c *candidate) float64 { return c.wsim }, func(c *candidate) bool { return c.wsim >= minWordSim })
	}
	var relevant []*candidate
	for _, c := range list {
		if _, ok := score[c.id]; ok {
			relevant = append(relevant, c)
		}
	}
	if q.Near != nil {
		addRanking(relevant, func(c *candidate) float64 { return -c.dist }, func(*candidate) bool { return true })
	}
	sort.SliceStable(relevant, func(i, j int) bool {
		a, b := score[relevant[i].id], score[relevant[j].id]
		if a != b {
			return a > b
		}
		return relevant[i].id < relevant[j].id
	})
	hits := make([]sodam.SearchHit, len(relevant))
	for i, c := range relevant {
		hits[i] = sodam.SearchHit{Kind: q.Kind, ID: c.id, Score: score[c.id]}
		if q.Near != nil {
			hits[i].DistanceKm = c.dist
		}
	}
	return hits
}

// sqlFilter returns the table and the SQL filter of the query's kind.
func sqlFilter(q sodam.SearchQuery, args *[]any) (table, where string, err error) {
	var conds []string
	add := func(cond string, v any) {
		*args = append(*args, v)
		conds = append(conds, fmt.Sprintf(cond, len(*args)))
	}
	switch q.Kind {
	case sodam.KindMerchant:
		table = "merchants"
		if q.Category != "" {
			add("t.category = $%d", q.Category)
		}
	case sodam.KindMenuItem:
		table = "menu_items"
		if q.MerchantID != "" {
			add("t.merchant_id = $%d", q.MerchantID)
		}
		if q.Category != "" {
			add("t.merchant_id IN (SELECT id FROM merchants WHERE category = $%d)", q.Category)
		}
	case sodam.KindEvent:
		table = "events"
		if q.Category != "" {
			add("t.category = $%d", q.Category)
		}
	default:
		return "", "", sodam.Errorf(sodam.EINVALID, "search: unknown kind %q", q.Kind)
	}
	where = "TRUE"
	if len(conds) > 0 {
		where = strings.Join(conds, " AND ")
	}
	return table, where, nil
}

// filtered reads every record passing the SQL filters (a query without
// text lists records, by distance or by id).
func (s *Store) filtered(ctx context.Context, q sodam.SearchQuery) (map[string]*candidate, error) {
	var args []any
	table, where, err := sqlFilter(q, &args)
	if err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT t.id, `+docColumns(q, table)+`, -1::float8, -1::float8 FROM `+table+` t WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows)
}

// docColumns is the select list of a candidate's documents, the
// record's own and, for a menu item, its merchant's (read in the same
// query), for the filters that SQL does not apply (admit): price,
// opening hours and distance. A query without them ranks on ids and
// scores alone, so it reads no document (NULL, NULL): over a large
// catalog that is a few hundred documents and merchant lookups less per
// search.
func docColumns(q sodam.SearchQuery, table string) string {
	switch {
	case q.MaxPrice <= 0 && q.OpenAt == nil && q.Near == nil:
		return `NULL::jsonb, NULL::jsonb`
	case table == "menu_items":
		return `t.doc, (SELECT m.doc FROM merchants m WHERE m.id = t.merchant_id)`
	}
	return `t.doc, NULL::jsonb`
}

// pooled gathers the candidate pool of a text query: the nearest vectors
// through the HNSW index and the best trigram matches through the GIN
// index, each filtered in SQL. The two pools are read at once, on two
// connections; each read is one round trip (its settings travel in the
// same pipeline, one implicit transaction, so they last for that query
// only). The vector pool also carries each record's word similarity, so
// a record found by its vector that matches the words weakly still
// counts in the keyword ranking (the keyword pool holds the strong
// matches of a large catalog; see keywordPool).
func (s *Store) pooled(ctx context.Context, q sodam.SearchQuery, text string) (map[string]*candidate, error) {
	var args []any
	table, where, err := sqlFilter(q, &args)
	if err != nil {
		return nil, err
	}
	compact := retrieval.CompactQuery(text)
	docs := docColumns(q, table)
	var (
		vc, kc     map[string]*candidate
		verr, kerr error
		wg         sync.WaitGroup
	)
	if q.Mode != sodam.SearchKeyword {
		wg.Go(func() { vc, verr = s.vectorPool(ctx, table, where, docs, args, text, compact) })
	}
	if q.Mode != sodam.SearchVector {
		wg.Go(func() {
			kc, kerr = s.keywordPool(ctx, table, where, docs, args, compact, q.Mode == sodam.SearchKeyword)
		})
	}
	wg.Wait()
	if err := errors.Join(verr, kerr); err != nil {
		return nil, err
	}
	if q.Mode == sodam.SearchVector {
		for _, c := range vc {
			c.wsim = -1
		}
	}
	cands := vc
	if cands == nil {
		cands = make(map[string]*candidate, len(kc))
	}
	for id, c := range kc {
		if have, ok := cands[id]; ok {
			have.wsim = c.wsim
			continue
		}
		cands[id] = c
	}
	return cands, nil
}

// vectorPool reads the poolSize records nearest to the query's vector,
// with their cosine similarity and the word similarity of their search
// text to compact.
//
// hnswEfSearch 100: over 100,000 menu items the index finds 0.998 of the
// exact 10 nearest at 100 (BenchmarkSearch100k; TestLargeCatalog checks
// 0.95 at 20,000 items); it is the pool size, so one scan fills the
// pool. Filters applied after an HNSW scan can starve it; the iterative
// scan keeps reading the graph until enough rows pass them.
func (s *Store) vectorPool(ctx context.Context, table, where, docs string, args []any, text, compact string) (map[string]*candidate, error) {
	vs, err := s.embed.Embed(ctx, []string{text})
	if err != nil {
		return nil, err
	}
	dim := s.embed.Dim()
	vargs := append(append([]any{}, args...), pgvector.NewVector(vs[0]), compact)
	n := len(vargs) - 1
	return s.poolQuery(ctx, []string{
		fmt.Sprintf(`SELECT set_config('hnsw.ef_search', '%d', true), set_config('hnsw.iterative_scan', 'relaxed_order', true)`, hnswEfSearch),
	}, fmt.Sprintf(`SELECT t.id, %s, 1 - (t.embedding::vector(%d) <=> $%d::vector(%d)) AS cosine, word_similarity($%d, t.search_text)
		FROM %s t WHERE %s ORDER BY t.embedding::vector(%d) <=> $%d::vector(%d) LIMIT %d`,
		docs, dim, n, dim, n+1, table, where, dim, n, dim, poolSize), vargs)
}

// strongWordSim, midWordSim and minWordSim are the tiers of word
// similarity, strongest first, down to which keywordPool reads matches
// through the trigram index, and minStrongPool how many matches make a
// pool without the next tier.
//
// A short Korean query shares syllable trigrams with thousands of records
// of a large catalog (치킨 is in every chicken dish), and checking each
// candidate the index gives is nearly all of a keyword search's time
// (about 5 µs a record: PostgreSQL computes the word similarity of the
// record's text). So each tier takes at most poolSize of the matches,
// the first the index gives: the strongest tier has few matches, so its
// pool is exact; the middle one counts only when the strongest gave
// fewer than minStrongPool, as in a small catalog or for a misspelt
// name. The weak matches (minWordSim up to midWordSim) are scored among
// the records the vector pool found (vectorPool): with the hash
// embedder these are the records sharing the most character grams with
// the query, where the weak keyword matches that matter are. Only a
// keyword-only search, which has no vector pool, reads them through the
// index.
const (
	strongWordSim = 0.7
	midWordSim    = 0.5
	minWordSim    = 0.3
	minStrongPool = 20
)

// keywordPool reads the records whose search text matches the query's
// words best (pg_trgm word similarity, through the trigram index), tier
// by tier, down to the weak tier when weak is set.
//
// The middle tier is read first: when it is not capped it holds every
// match of the strong tier too, and the strong tier is taken from it
// instead of being checked again (the trigram index gives the same
// candidates to both, and checking them is the cost). Only a capped
// middle tier, a query matching more than poolSize records, is followed
// by a read of the strong tier itself.
func (s *Store) keywordPool(ctx context.Context, table, where, docs string, args []any, compact string, weak bool) (map[string]*candidate, error) {
	kargs := append(append([]any{}, args...), compact)
	n := len(kargs)
	query := fmt.Sprintf(`SELECT t.id, %s, -1::float8, t.ws FROM (
		SELECT t.*, word_similarity($%d, t.search_text) AS ws
		FROM %s t WHERE %s AND $%d <%% t.search_text LIMIT %d) t`, docs, n, table, where, n, poolSize)
	// With a LIMIT and a cheap-looking operator, the planner takes a
	// sequential scan for a broad query (it expects poolSize matches in
	// the first pages) and then checks thousands of rows that the
	// trigram index would have skipped: 6-7 ms instead of 1.5-2 ms over
	// 100,000 items. The setting is local to the query's transaction.
	at := func(threshold float64) (map[string]*candidate, error) {
		return s.poolQuery(ctx, []string{fmt.Sprintf(`SELECT set_config('pg_trgm.word_similarity_threshold', '%g', true), set_config('enable_seqscan', 'off', true)`, threshold)}, query, kargs)
	}
	mid, err := at(midWordSim)
	if err != nil {
		return nil, err
	}
	var strong map[string]*candidate
	if len(mid) >= poolSize {
		if strong, err = at(strongWordSim); err != nil {
			return nil, err
		}
	} else {
		strong = make(map[string]*candidate, len(mid))
		for id, c := range mid {
			if c.wsim >= strongWordSim {
				strong[id] = c
			}
		}
	}
	pool := strong
	add := func(tier map[string]*candidate) {
		for id, c := range tier {
			if _, ok := pool[id]; !ok {
				pool[id] = c
			}
		}
	}
	if len(pool) >= minStrongPool {
		return pool, nil
	}
	add(mid)
	if len(pool) >= minStrongPool || !weak {
		return pool, nil
	}
	low, err := at(minWordSim)
	if err != nil {
		return nil, err
	}
	add(low)
	return pool, nil
}

// poolQuery runs the settings and then query in one pipeline, which
// PostgreSQL runs as one implicit transaction: settings made local to it
// hold for the query and end with it.
func (s *Store) poolQuery(ctx context.Context, settings []string, query string, args []any) (map[string]*candidate, error) {
	b := &pgx.Batch{}
	for _, q := range settings {
		b.Queue(q)
	}
	b.Queue(query, args...)
	br := s.pool.SendBatch(ctx, b)
	defer br.Close()
	for range settings {
		if _, err := br.Exec(); err != nil {
			return nil, err
		}
	}
	rows, err := br.Query()
	if err != nil {
		return nil, err
	}
	return collect(rows)
}

// collect reads candidates from rows of id, doc, merchant doc (or NULL),
// cosine and word similarity (-1 where the query has none).
func collect(rows pgx.Rows) (map[string]*candidate, error) {
	defer rows.Close()
	out := map[string]*candidate{}
	for rows.Next() {
		c := &candidate{}
		if err := rows.Scan(&c.id, &c.doc, &c.mdoc, &c.cosine, &c.wsim); err != nil {
			return nil, err
		}
		out[c.id] = c
	}
	return out, rows.Err()
}

// decode decodes the candidates' documents and, for items, their
// merchants', each merchant once; a search that needs none read none
// (docColumns).
func decode(kind sodam.SearchKind, cands map[string]*candidate) error {
	merchants := map[string]*sodam.Merchant{}
	for _, c := range cands {
		if c.doc == nil {
			continue
		}
		switch kind {
		case sodam.KindMerchant:
			c.merchant = new(sodam.Merchant)
			if err := json.Unmarshal(c.doc, c.merchant); err != nil {
				return err
			}
		case sodam.KindMenuItem:
			c.item = new(sodam.MenuItem)
			if err := json.Unmarshal(c.doc, c.item); err != nil {
				return err
			}
			m, ok := merchants[c.item.MerchantID]
			if !ok && c.mdoc != nil {
				m = new(sodam.Merchant)
				if err := json.Unmarshal(c.mdoc, m); err != nil {
					return err
				}
				merchants[c.item.MerchantID] = m
			}
			c.merchant = m
		case sodam.KindEvent:
			c.event = new(sodam.Event)
			if err := json.Unmarshal(c.doc, c.event); err != nil {
				return err
			}
		}
	}
	return nil
}

// admit applies the filters SQL did not, and computes the distance.
func (s *Store) admit(q sodam.SearchQuery, c *candidate, now time.Time) bool {
	if c.item != nil {
		if q.MaxPrice > 0 && c.item.BasePriceAt(now) > q.MaxPrice {
			return false
		}
	}
	if q.OpenAt != nil && c.merchant != nil && !c.merchant.OpenAt(*q.OpenAt) {
		return false
	}
	if q.Near != nil {
		switch {
		case c.merchant != nil:
			c.point = sodam.Point{Lat: c.merchant.Lat, Lng: c.merchant.Lng}
		case c.event != nil && (c.event.Lat != 0 || c.event.Lng != 0):
			c.point = sodam.Point{Lat: c.event.Lat, Lng: c.event.Lng}
		default:
			return q.MaxKm == 0 && !q.ByDistance
		}
		c.dist = retrieval.DistanceKm(*q.Near, c.point)
		if q.MaxKm > 0 && c.dist > q.MaxKm {
			return false
		}
	}
	return true
}
