package retrieval

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sodam-ai/sodam"
)

// Ranking constants. The Postgres store uses the same values.
const (
	// rrfK is the constant of Reciprocal Rank Fusion: a record ranked r
	// (from 1) in a ranking earns 1/(rrfK + r) from it.
	rrfK = 60
	// minDepth is the least number of records each ranking contributes
	// to the fusion; it is 4*Limit when that is more.
	minDepth = 100
	// minCosine is the vector relevance floor for a record that shares a
	// quarter of the query's bigrams, and strongCosine the floor for one
	// that shares fewer. A name typed with a typo or another spacing scores
	// 0.25 to 0.6 against its record's HashEmbedder vector, but with 256
	// buckets the hash collisions of unrelated texts reach 0.3 among 100k
	// records, so a vector match alone must be much stronger than that
	// (a model embedder's synonyms clear 0.5).
	minCosine    = 0.2
	strongCosine = 0.5
	// BM25 parameters of the keyword rank.
	bm25K1 = 1.2
	bm25B  = 0.75
	// defaultLimit is the number of hits when SearchQuery.Limit is 0.
	defaultLimit = 10
)

// Name-match classes of the keyword rank.
const (
	nameNone     = 0
	namePartial  = 1 // a name contains the query, or the query a name
	nameExact    = 2 // the query is a name or alias
	classWeight  = 1e6
	minNameRunes = 2
)

// Search returns the records of kind q.Kind that match q, best first, at
// most q.Limit of them (10 when 0). now is the time for prices (a
// discount ends at its DiscountUntil).
//
// Filters come first; a record must pass all that are set:
//   - Category: a merchant's or event's category, a menu item's
//     merchant's category, equal to it.
//   - MerchantID: a menu item's merchant (or a merchant's own id).
//   - MaxPrice: a menu item's base price at now (after its discount).
//   - OpenAt: the merchant (a menu item's merchant) is open then, by
//     sodam.Merchant.OpenAt.
//   - MaxKm with Near: the record is within MaxKm of Near. A menu item is
//     where its merchant is; an event is at its coordinates, else at its
//     venue or district when LookupPlace knows them. A record with no
//     place fails this filter.
//
// With no Text the records passing the filters are ordered by distance
// from Near when it is set (records with no place last), else by id; the
// hit in place r scores 1/(60+r).
//
// With Text, a record must also be relevant: its keyword coverage (the
// share of the query's bigrams found in its keyword fields) is at least
// one half, or its vector's cosine similarity to the query's is at least
// 0.2 and it holds at least a quarter of the query's bigrams (and at least
// one), or that cosine is at least 0.5. The relevant records are ranked up to three ways:
//   - vector: by cosine similarity, among those relevant by it;
//   - keyword: among those with coverage of at least one half, first by
//     name match (the query equals a name or alias; a name contains the
//     query or the query a name of two letters or more; neither), then by
//     BM25 (k1 1.2, b 0.75) over the padded character bigrams of the
//     compact (lower-cased, space-free) keyword fields;
//   - distance, when Near is set: nearest first, records with no place
//     last.
//
// Each ranking contributes its first max(100, 4*Limit) records, and a
// record's Score is the sum over the rankings of 1/(60 + its rank there)
// (Reciprocal Rank Fusion). Hits are ordered by Score. With
// ByDistance, the relevant records are instead ordered purely by
// distance, nearest first, then id, keeping their fused Score (0 for a
// record beyond the depth of every ranking). Equal scores are ordered by
// keyword rank (records outside it last), then id.
//
// DistanceKm is set when Near is. The keyword fields are: for a merchant
// its name, brand, aliases and category; for a menu item its name and
// aliases and its merchant's name, brand, aliases and category; for an
// event its title, performer, category and venue. The vector also covers
// descriptions, a merchant's district and an event's address.
func (x *Index) Search(q sodam.SearchQuery, now time.Time) []sodam.SearchHit {
	limit := q.Limit
	if limit <= 0 {
		limit = defaultLimit
	}
	qc := compact(q.Text)
	var qv []float32
	if qc != "" {
		qv = x.embed(q.Text) // outside the lock: a remote model may be slow
	}

	x.mu.RLock()
	defer x.mu.RUnlock()
	seg := x.seg(q.Kind)
	if seg == nil {
		return nil
	}
	sc := x.scratch(len(seg.slots), len(x.byOrdinal))
	defer x.pool.Put(sc)
	r := &run{x: x, seg: seg, q: q, now: now, sc: sc, limit: limit}
	r.filter()
	if qc == "" {
		return r.listAll()
	}
	return r.rank(qc, qv)
}

// scratch holds the per-slot buffers of one search, reused across
// searches.
type scratch struct {
	pass    []bool
	dist    []float64 // by slot, when Near is set
	vec     []float32 // cosine by slot
	kw      []float32 // BM25 by slot
	matched []uint8   // query bigrams found, by slot
	inName  []uint8   // query bigrams found in a name, by slot
	touched []int32   // slots with matched > 0
	cands   []int32   // slots passing the filters
	mOpen   []int8    // by merchant ordinal: 0 unknown, 1 open, 2 closed
	mDist   []float64 // by merchant ordinal; NaN unknown
	nz      []int     // dimensions where the query vector is not zero
}

func (x *Index) scratch(n, m int) *scratch {
	sc, _ := x.pool.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	sc.pass = grow(sc.pass, n)
	sc.dist = grow(sc.dist, n)
	sc.vec = grow(sc.vec, n)
	sc.kw = grow(sc.kw, n)
	sc.matched = grow(sc.matched, n)
	sc.inName = grow(sc.inName, n)
	sc.mOpen = grow(sc.mOpen, m)
	sc.mDist = grow(sc.mDist, m)
	clear(sc.mOpen)
	for i := range sc.mDist {
		sc.mDist[i] = math.NaN()
	}
	sc.touched = sc.touched[:0]
	sc.cands = sc.cands[:0]
	sc.nz = sc.nz[:0]
	return sc
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// run is one search in progress.
type run struct {
	x     *Index
	seg   *segment
	q     sodam.SearchQuery
	now   time.Time
	sc    *scratch
	limit int
}

// filter fills sc.pass, sc.cands and, with Near, sc.dist.
func (r *run) filter() {
	sc := r.sc
	for i := range r.seg.slots {
		s := &r.seg.slots[i]
		ok, d := r.admit(s)
		sc.pass[i] = ok
		if ok {
			sc.cands = append(sc.cands, int32(i))
			sc.dist[i] = d
		}
	}
}

// admit applies the filters of the query to s and returns its distance
// from Near (+Inf when it has no place, 0 without Near).
func (r *run) admit(s *slot) (bool, float64) {
	if !s.live {
		return false, 0
	}
	q := r.q
	var me *merchantEntry
	switch r.seg.kind {
	case sodam.KindMerchant:
		me = s.merchant
		if q.Category != "" && s.category != q.Category {
			return false, 0
		}
		if q.MerchantID != "" && s.id != q.MerchantID {
			return false, 0
		}
	case sodam.KindMenuItem:
		me = s.merchant
		if q.MerchantID != "" && me.id != q.MerchantID {
			return false, 0
		}
		if q.Category != "" && (me.m == nil || me.m.Category != q.Category) {
			return false, 0
		}
		if q.MaxPrice > 0 && s.item.BasePriceAt(r.now) > q.MaxPrice {
			return false, 0
		}
	case sodam.KindEvent:
		if q.Category != "" && s.category != q.Category {
			return false, 0
		}
	}
	if q.OpenAt != nil && me != nil && !r.open(me) {
		return false, 0
	}
	if q.Near == nil {
		return true, 0
	}
	d := math.Inf(1)
	switch {
	case me != nil:
		d = r.merchantDist(me)
	case s.located:
		d = DistanceKm(*q.Near, s.point)
	}
	if q.MaxKm > 0 && !(d <= q.MaxKm) {
		return false, 0
	}
	return true, d
}

// open reports whether the merchant is open at q.OpenAt, once per search.
func (r *run) open(me *merchantEntry) bool {
	c := &r.sc.mOpen[me.ordinal]
	if *c == 0 {
		*c = 2
		if me.m != nil && me.m.OpenAt(*r.q.OpenAt) {
			*c = 1
		}
	}
	return *c == 1
}

// merchantDist is the merchant's distance from q.Near, once per search.
func (r *run) merchantDist(me *merchantEntry) float64 {
	c := &r.sc.mDist[me.ordinal]
	if math.IsNaN(*c) {
		*c = math.Inf(1)
		if me.m != nil {
			*c = DistanceKm(*r.q.Near, me.point)
		}
	}
	return *c
}

// ranked is a slot with its sort key in one ranking; higher is better.
type ranked struct {
	slot int32
	key  float64
}

// topK keeps the k best of the slots offered to it: highest key, then
// lowest id. The worst kept is at the root of a binary heap.
type topK struct {
	seg  *segment
	k    int
	heap []ranked
}

func newTopK(seg *segment, k int) *topK {
	return &topK{seg: seg, k: k, heap: make([]ranked, 0, min(k, 1024))}
}

// better reports whether a ranks before b.
func (t *topK) better(a, b ranked) bool {
	if a.key != b.key {
		return a.key > b.key
	}
	return t.seg.slots[a.slot].id < t.seg.slots[b.slot].id
}

func (t *topK) offer(slot int32, key float64) {
	e := ranked{slot, key}
	h := t.heap
	if len(h) < t.k {
		h = append(h, e)
		for i := len(h) - 1; i > 0; {
			p := (i - 1) / 2
			if !t.better(h[p], h[i]) {
				break
			}
			h[p], h[i] = h[i], h[p]
			i = p
		}
		t.heap = h
		return
	}
	if !t.better(e, h[0]) {
		return
	}
	h[0] = e
	for i := 0; ; {
		w, l, rr := i, 2*i+1, 2*i+2
		if l < len(h) && t.better(h[w], h[l]) {
			w = l
		}
		if rr < len(h) && t.better(h[w], h[rr]) {
			w = rr
		}
		if w == i {
			break
		}
		h[i], h[w] = h[w], h[i]
		i = w
	}
}

// sorted returns the kept slots best first.
func (t *topK) sorted() []ranked {
	out := slices.Clone(t.heap)
	slices.SortFunc(out, func(a, b ranked) int {
		if t.better(a, b) {
			return -1
		}
		if t.better(b, a) {
			return 1
		}
		return 0
	})
	return out
}

// listAll orders the records passing the filters by distance or by id.
func (r *run) listAll() []sodam.SearchHit {
	t := newTopK(r.seg, r.limit)
	for _, sl := range r.sc.cands {
		// By id alone all keys are equal and the id decides.
		var key float64
		if r.q.Near != nil {
			key = -r.sc.dist[sl]
		}
		t.offer(sl, key)
	}
	best := t.sorted()
	hits := make([]sodam.SearchHit, len(best))
	for i, b := range best {
		hits[i] = r.hit(b.slot, 1/float64(rrfK+i+1))
	}
	return hits
}

func (r *run) hit(sl int32, score float64) sodam.SearchHit {
	h := sodam.SearchHit{Kind: r.seg.kind, ID: r.seg.slots[sl].id, Score: score}
	if r.q.Near != nil && !math.IsInf(r.sc.dist[sl], 1) {
		h.DistanceKm = r.sc.dist[sl]
	}
	return h
}

// rank runs the text search described on Search.
func (r *run) rank(qc string, qv []float32) []sodam.SearchHit {
	sc, seg := r.sc, r.seg
	depth := max(minDepth, 4*r.limit)
	grams := queryGrams(qc)
	r.keywordScores(grams)
	haveVec := qv != nil && r.vectorScores(qv)

	vecTop := newTopK(seg, depth)
	kwTop := newTopK(seg, depth)
	var distTop *topK
	if r.q.Near != nil {
		k := depth
		if r.q.ByDistance {
			k = max(depth, r.limit)
		}
		distTop = newTopK(seg, k)
	}
	need := (len(grams) + 1) / 2        // coverage of at least one half
	quarter := max(1, (len(grams)+3)/4) // and of a quarter
	oneLetter := utf8.RuneCountInString(qc) == 1
	useVec, useKw := r.q.Mode != sodam.SearchKeyword, r.q.Mode != sodam.SearchVector
	for _, sl := range sc.cands {
		relevant := false
		// Alone, the vector ranking cannot lean on keyword coverage to
		// tell a real match from a hash collision.
		vecOK := sc.vec[sl] >= strongCosine || sc.vec[sl] >= minCosine && (int(sc.matched[sl]) >= quarter || !useKw)
		if useVec && haveVec && vecOK {
			relevant = true
			vecTop.offer(sl, float64(sc.vec[sl]))
		}
		if useKw && int(sc.matched[sl]) >= need && sc.matched[sl] > 0 {
			relevant = true
			class := nameNone
			// A name that contains the query, or that the query
			// contains, shares a bigram with it unless the query is
			// one letter long.
			if sc.inName[sl] > 0 || oneLetter {
				class = r.nameClass(sl, qc)
			}
			kwTop.offer(sl, float64(class)*classWeight+float64(sc.kw[sl]))
		}
		if relevant && distTop != nil {
			distTop.offer(sl, -sc.dist[sl])
		}
	}
	for _, sl := range sc.touched {
		sc.kw[sl], sc.matched[sl], sc.inName[sl] = 0, 0, 0
	}

	fused := map[int32]float64{}
	kwRank := map[int32]int{}
	lists := [][]ranked{kwTop.sorted(), vecTop.sorted()}
	if distTop != nil {
		d := distTop.sorted()
		lists = append(lists, d[:min(len(d), depth)])
	}
	for li, l := range lists {
		for i, e := range l {
			fused[e.slot] += 1 / float64(rrfK+i+1)
			if li == 0 {
				kwRank[e.slot] = i + 1
			}
		}
	}
	// Ties go to the better keyword rank (a record outside it ranks after
	// every record in it), then to the lower id.
	kwOf := func(sl int32) int {
		if r, ok := kwRank[sl]; ok {
			return r
		}
		return math.MaxInt
	}

	var order []ranked
	if r.q.ByDistance && distTop != nil {
		order = distTop.sorted()
	} else {
		order = make([]ranked, 0, len(fused))
		for sl, s := range fused {
			order = append(order, ranked{sl, s})
		}
		slices.SortFunc(order, func(a, b ranked) int {
			if c := cmp.Compare(b.key, a.key); c != 0 {
				return c
			}
			if c := cmp.Compare(kwOf(a.slot), kwOf(b.slot)); c != 0 {
				return c
			}
			return cmp.Compare(seg.slots[a.slot].id, seg.slots[b.slot].id)
		})
	}
	order = order[:min(len(order), r.limit)]
	hits := make([]sodam.SearchHit, len(order))
	for i, e := range order {
		hits[i] = r.hit(e.slot, fused[e.slot])
	}
	return hits
}

// keywordScores adds the BM25 score of each query bigram to the slots
// passing the filters and counts the bigrams each one holds.
func (r *run) keywordScores(grams []gram) {
	sc, seg := r.sc, r.seg
	n := float64(len(seg.byID))
	avg := seg.avgLen()
	for _, g := range grams {
		pl := seg.postings[g]
		if pl == nil || pl.df == 0 {
			continue
		}
		df := float64(pl.df)
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		for _, e := range pl.entries {
			if !sc.pass[e.slot] {
				continue
			}
			s := &seg.slots[e.slot]
			if s.gen != e.gen {
				continue
			}
			tf := float64(e.tf)
			norm := tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*float64(s.length)/avg))
			if sc.matched[e.slot] == 0 {
				sc.touched = append(sc.touched, e.slot)
			}
			sc.kw[e.slot] += float32(idf * norm)
			if sc.matched[e.slot] < math.MaxUint8 {
				sc.matched[e.slot]++
				if e.inName {
					sc.inName[e.slot]++
				}
			}
		}
	}
}

// vectorScores fills sc.vec with the cosine of each candidate's vector
// and qv. It reports false when qv is the zero vector.
func (r *run) vectorScores(qv []float32) bool {
	sc, seg := r.sc, r.seg
	for d, f := range qv {
		if f != 0 {
			sc.nz = append(sc.nz, d)
		}
	}
	if len(sc.nz) == 0 {
		return false
	}
	n := len(seg.slots)
	if len(sc.cands)*8 < n {
		// Few candidates: gather their dimensions one by one.
		for _, sl := range sc.cands {
			var dot float32
			for _, d := range sc.nz {
				dot += qv[d] * seg.blocks[sl/blockSize][d*blockSize+int(sl%blockSize)]
			}
			sc.vec[sl] = dot
		}
		return true
	}
	// Many: stream the columns of the query's dimensions.
	vec := sc.vec[:n]
	clear(vec)
	for bi, b := range seg.blocks {
		lo := bi * blockSize
		part := vec[lo:min(n, lo+blockSize)]
		for _, d := range sc.nz {
			axpy(part, b[d*blockSize:], qv[d])
		}
	}
	return true
}

// axpy adds a*x to y, four at a time.
func axpy(y, x []float32, a float32) {
	x = x[:len(y)]
	i := 0
	for ; i+4 <= len(y); i += 4 {
		y[i] += a * x[i]
		y[i+1] += a * x[i+1]
		y[i+2] += a * x[i+2]
		y[i+3] += a * x[i+3]
	}
	for ; i < len(y); i++ {
		y[i] += a * x[i]
	}
}

// nameClass is the name-match class of slot sl for the compact query qc.
func (r *run) nameClass(sl int32, qc string) int {
	s := &r.seg.slots[sl]
	class := nameNone
	for _, name := range s.fields[:s.names] {
		switch {
		case name == qc:
			return nameExact
		case len(name) >= len(qc) && strings.Contains(name, qc),
			utf8.RuneCountInString(name) >= minNameRunes && strings.Contains(qc, name):
			class = namePartial
		}
	}
	return class
}
