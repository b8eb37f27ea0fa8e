// Package retrieval finds catalog records for a chat query: merchants,
// menu items and events, by meaning (hashed character n-gram vectors), by
// keywords and by distance, fused by Reciprocal Rank Fusion. It also holds
// a small gazetteer of Seoul so that places named in chat ("강남역 근처")
// become points.
//
// The embedded store (connectors/memstore) serves sodam.Searcher from an
// Index; the Postgres store applies the same ranking in SQL.
package retrieval

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sodam-ai/sodam"
)

// Index is an in-memory search index over the catalog. It is safe for
// concurrent use.
type Index struct {
	emb Embedder

	mu        sync.RWMutex
	merchants map[string]*sodam.Merchant
	items     map[string]*sodam.MenuItem
	events    map[string]*sodam.Event
	sessions  map[string]*sodam.Session
	vecs      map[sodam.SearchKind]map[string][]float32
}

// NewIndex returns an empty index that embeds with e.
func NewIndex(e Embedder) *Index {
	return &Index{
		emb:       e,
		merchants: map[string]*sodam.Merchant{},
		items:     map[string]*sodam.MenuItem{},
		events:    map[string]*sodam.Event{},
		sessions:  map[string]*sodam.Session{},
		vecs: map[sodam.SearchKind]map[string][]float32{
			sodam.KindMerchant: {}, sodam.KindMenuItem: {}, sodam.KindEvent: {},
		},
	}
}

func (x *Index) embed(text string) []float32 {
	v, err := x.emb.Embed(context.Background(), []string{text})
	if err != nil || len(v) != 1 {
		return make([]float32, x.emb.Dim())
	}
	return v[0]
}

// PutMerchant adds or replaces a merchant.
func (x *Index) PutMerchant(m *sodam.Merchant) {
	c := *m
	x.mu.Lock()
	defer x.mu.Unlock()
	x.merchants[c.ID] = &c
	x.vecs[sodam.KindMerchant][c.ID] = x.embed(strings.Join([]string{c.Name, c.Brand, strings.Join(c.Aliases, " "), c.Category, c.Description}, " "))
	for _, it := range x.items {
		if it.MerchantID == c.ID {
			x.vecs[sodam.KindMenuItem][it.ID] = x.embed(it.Name + " " + c.Name)
		}
	}
}

// PutMenuItem adds or replaces a menu item.
func (x *Index) PutMenuItem(i *sodam.MenuItem) {
	c := *i
	x.mu.Lock()
	defer x.mu.Unlock()
	x.items[c.ID] = &c
	text := c.Name + " " + strings.Join(c.Aliases, " ")
	if m := x.merchants[c.MerchantID]; m != nil {
		text += " " + m.Name + " " + m.Brand + " " + m.Category
	}
	x.vecs[sodam.KindMenuItem][c.ID] = x.embed(text)
}

// PutEvent adds or replaces an event.
func (x *Index) PutEvent(e *sodam.Event) {
	c := *e
	x.mu.Lock()
	defer x.mu.Unlock()
	x.events[c.ID] = &c
	x.vecs[sodam.KindEvent][c.ID] = x.embed(strings.Join([]string{c.Title, c.Performer, c.Category, c.Venue}, " "))
}

// PutSession adds or replaces a session.
func (x *Index) PutSession(s *sodam.Session) {
	c := *s
	x.mu.Lock()
	defer x.mu.Unlock()
	x.sessions[c.ID] = &c
}

// Delete removes a record of the given kind; a missing id is ignored.
func (x *Index) Delete(kind sodam.SearchKind, id string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	delete(x.vecs[kind], id)
	switch kind {
	case sodam.KindMerchant:
		delete(x.merchants, id)
	case sodam.KindMenuItem:
		delete(x.items, id)
	case sodam.KindEvent:
		delete(x.events, id)
	}
}

// Len is the number of merchants, menu items and events indexed.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.merchants) + len(x.items) + len(x.events)
}

// Search returns the records matching q at time now, best first.
func (x *Index) Search(q sodam.SearchQuery, now time.Time) []sodam.SearchHit {
	x.mu.RLock()
	defer x.mu.RUnlock()
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	var qv []float32
	if q.Text != "" {
		qv = x.embed(q.Text)
	}
	var hits []sodam.SearchHit
	for id, v := range x.vecs[q.Kind] {
		h := sodam.SearchHit{Kind: q.Kind, ID: id}
		if qv != nil {
			var dot float32
			for d := range v {
				dot += v[d] * qv[d]
			}
			if dot < 0.2 {
				continue
			}
			h.Score = float64(dot)
		}
		hits = append(hits, h)
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].ID < hits[j].ID
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits
}
