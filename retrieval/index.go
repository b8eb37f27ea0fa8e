// Package retrieval finds catalog records for a chat query: merchants,
// menu items and events, by meaning (hashed character n-gram vectors), by
// keywords (character bigrams) and by distance, fused by Reciprocal Rank
// Fusion. It also holds a small gazetteer of Seoul so that places named in
// chat ("강남역 근처") become points.
//
// The embedded store (connectors/memstore) serves sodam.Searcher from an
// Index; the Postgres store applies the same ranking in SQL, so the ranking
// is kept simple and is documented on Index.Search.
package retrieval

import (
	"context"
	"math"
	"sync"

	"github.com/sodam-ai/sodam"
)

// Index is an in-memory search index over the catalog: merchants, menu
// items and events, each kind in its own segment, plus the sessions of
// events. It is safe for concurrent use; searches run in parallel with
// each other and wait for writes.
//
// Vectors are stored column by column (in blocks of contiguous float32
// columns), so that a search multiplies only the dimensions in which the
// query vector is not zero, reading memory in order. A short query touches
// a fifth of the dimensions of a HashEmbedder vector.
type Index struct {
	emb  Embedder
	dim  int
	pool sync.Pool // *scratch

	mu        sync.RWMutex
	segs      [3]*segment // merchants, menu items, events
	merchants map[string]*merchantEntry
	byOrdinal []*merchantEntry // merchantEntry.ordinal -> entry
	sessions  map[string]map[string]*sodam.Session
}

// merchantEntry is what items know of their merchant. It exists as soon
// as a merchant or one of its items is put, and stays when the merchant is
// deleted (m is then nil), so that items keep a stable pointer.
type merchantEntry struct {
	id      string
	ordinal int              // index into per-search caches
	m       *sodam.Merchant  // nil when the merchant is not (or no longer) indexed
	shared  []string         // compact keyword fields its items inherit
	point   sodam.Point      // valid when m != nil
	items   map[string]int32 // item id -> slot in the item segment
}

// NewIndex returns an empty index that embeds with e.
//
// The Index methods take no context: an Embedder error while putting a
// record leaves that record with the zero vector (found by keywords and
// filters only), and one while searching ranks by keywords alone.
func NewIndex(e Embedder) *Index {
	x := &Index{
		emb:       e,
		dim:       e.Dim(),
		merchants: map[string]*merchantEntry{},
		sessions:  map[string]map[string]*sodam.Session{},
	}
	for k, kind := range [...]sodam.SearchKind{sodam.KindMerchant, sodam.KindMenuItem, sodam.KindEvent} {
		x.segs[k] = newSegment(kind, x.dim)
	}
	return x
}

// seg returns the segment of a kind, or nil for an unknown kind.
func (x *Index) seg(kind sodam.SearchKind) *segment {
	switch kind {
	case sodam.KindMerchant:
		return x.segs[0]
	case sodam.KindMenuItem:
		return x.segs[1]
	case sodam.KindEvent:
		return x.segs[2]
	}
	return nil
}

// embed returns the vector of text, or nil when the embedder fails.
func (x *Index) embed(text string) []float32 {
	if h, ok := x.emb.(*HashEmbedder); ok {
		return h.EmbedOne(text)
	}
	v, err := x.emb.Embed(context.Background(), []string{text})
	if err != nil || len(v) != 1 || len(v[0]) != x.dim {
		return nil
	}
	return v[0]
}

func (x *Index) merchantEntry(id string) *merchantEntry {
	me := x.merchants[id]
	if me == nil {
		me = &merchantEntry{id: id, ordinal: len(x.byOrdinal), items: map[string]int32{}}
		x.merchants[id] = me
		x.byOrdinal = append(x.byOrdinal, me)
	}
	return me
}

// PutMerchant adds m, or replaces the merchant of its id, and re-indexes
// the merchant's items, which carry its name, brand and category. The
// index keeps its own copy of m.
func (x *Index) PutMerchant(m *sodam.Merchant) {
	c := *m
	c.Aliases = append([]string(nil), m.Aliases...)
	x.mu.Lock()
	defer x.mu.Unlock()
	me := x.merchantEntry(c.ID)
	me.m = &c
	me.point = sodam.Point{Lat: c.Lat, Lng: c.Lng}
	fields, names := merchantKeywordFields(&c)
	me.shared = inheritedKeywordFields(&c)
	x.seg(sodam.KindMerchant).put(c.ID, merchantVectorText(&c), fields, names, nil, x.embed, func(s *slot) {
		s.merchant = me
		s.category = c.Category
	})
	items := x.seg(sodam.KindMenuItem)
	for _, sl := range me.items {
		x.putItemLocked(items.slots[sl].item, me)
	}
}

// PutMenuItem adds i, or replaces the item of its id. Its merchant may be
// put before or after it. The index keeps its own copy of i.
func (x *Index) PutMenuItem(i *sodam.MenuItem) {
	c := *i
	c.Aliases = append([]string(nil), i.Aliases...)
	x.mu.Lock()
	defer x.mu.Unlock()
	items := x.seg(sodam.KindMenuItem)
	if sl, ok := items.byID[c.ID]; ok {
		if old := items.slots[sl].merchant; old != nil && old.id != c.MerchantID {
			delete(old.items, c.ID)
		}
	}
	x.putItemLocked(&c, x.merchantEntry(c.MerchantID))
}

func (x *Index) putItemLocked(i *sodam.MenuItem, me *merchantEntry) {
	fields, names := itemKeywordFields(i)
	sl := x.seg(sodam.KindMenuItem).put(i.ID, itemVectorText(i, me.m), fields, names, me.shared, x.embed, func(s *slot) {
		s.merchant = me
		s.item = i
	})
	me.items[i.ID] = sl
}

// PutEvent adds e, or replaces the event of its id. An event without
// coordinates is placed at its venue, or else at the district of its
// address, when the gazetteer knows them. The index keeps its own copy.
func (x *Index) PutEvent(e *sodam.Event) {
	c := *e
	x.mu.Lock()
	defer x.mu.Unlock()
	fields, names := eventKeywordFields(&c)
	x.seg(sodam.KindEvent).put(c.ID, eventVectorText(&c), fields, names, nil, x.embed, func(s *slot) {
		s.category = c.Category
		s.event = &c
		switch {
		case c.Lat != 0 || c.Lng != 0:
			s.point, s.located = sodam.Point{Lat: c.Lat, Lng: c.Lng}, true
		default:
			s.point, s.located = LookupPlace(c.Venue)
			if !s.located {
				s.point, s.located = LookupPlace(district(c.Address))
			}
		}
	})
}

// PutSession adds s, or replaces the session of its id, under its event.
// Sessions are not searched themselves; they are kept so that event search
// can be narrowed by date.
func (x *Index) PutSession(s *sodam.Session) {
	c := *s
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, byID := range x.sessions {
		delete(byID, c.ID) // the session may have moved to another event
	}
	byID := x.sessions[c.EventID]
	if byID == nil {
		byID = map[string]*sodam.Session{}
		x.sessions[c.EventID] = byID
	}
	byID[c.ID] = &c
}

// Delete removes the record of the given kind and id; a missing record is
// ignored. Deleting a merchant keeps its items, which lose its identity
// (name, category, place and hours) until it is put again; deleting an
// event keeps its sessions.
func (x *Index) Delete(kind sodam.SearchKind, id string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	seg := x.seg(kind)
	if seg == nil {
		return
	}
	sl, ok := seg.byID[id]
	if !ok {
		return
	}
	switch kind {
	case sodam.KindMerchant:
		me := x.merchants[id]
		me.m, me.shared = nil, nil
		seg.remove(sl)
		items := x.seg(sodam.KindMenuItem)
		for _, isl := range me.items {
			x.putItemLocked(items.slots[isl].item, me)
		}
	case sodam.KindMenuItem:
		delete(seg.slots[sl].merchant.items, id)
		seg.remove(sl)
	default:
		seg.remove(sl)
	}
}

// Len is the number of merchants, menu items and events in the index.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	n := 0
	for _, s := range x.segs {
		n += len(s.byID)
	}
	return n
}

// segment holds the records of one kind in slots. A slot is reused after
// its record is deleted; its generation tells live postings from stale
// ones, which are dropped in bulk once they pile up.
type segment struct {
	kind sodam.SearchKind
	dim  int

	byID  map[string]int32
	slots []slot
	free  []int32
	// blocks hold the vectors of blockSize slots each, column by column:
	// dimension d of slot sl is blocks[sl/blockSize][d*blockSize +
	// sl%blockSize]. Fixed blocks grow without copying and waste at most
	// one block.
	blocks [][]float32

	postings map[gram]*posting
	stale    int     // posting entries of replaced or deleted records
	entries  int     // posting entries in all
	gramSum  float64 // total bigram count of live records, for avgdl
}

// slot is one record of a segment.
type slot struct {
	id       string
	gen      uint32
	live     bool
	textHash uint64   // of the vector text; an unchanged text is not embedded again
	fields   []string // compact keyword fields of the record itself
	names    int      // fields[:names] are the record's names and aliases
	shared   []string // compact keyword fields inherited from a merchant, one copy for all its items
	length   int      // bigrams in fields and shared, for BM25

	category string         // merchants and events
	merchant *merchantEntry // merchants (itself) and items (theirs)
	item     *sodam.MenuItem
	event    *sodam.Event
	point    sodam.Point // events
	located  bool
}

// posting lists the slots whose keyword fields hold one bigram.
type posting struct {
	entries []postEntry
	df      int // live records with the bigram
}

type postEntry struct {
	slot   int32
	gen    uint32
	tf     uint16
	inName bool // the bigram occurs in one of the record's names
}

func newSegment(kind sodam.SearchKind, dim int) *segment {
	return &segment{
		kind:     kind,
		dim:      dim,
		byID:     map[string]int32{},
		postings: map[gram]*posting{},
	}
}

// put stores a record under id, reusing its slot when it exists, and
// returns the slot. shared are compact keyword fields inherited from a
// merchant; set fills the kind's own fields of the fresh slot.
func (s *segment) put(id, text string, fields []string, names int, shared []string, embed func(string) []float32, set func(*slot)) int32 {
	fields, names = compactFields(fields, names)
	h := fnv1a([]byte(text))
	sl, ok := s.byID[id]
	reembed := true
	switch {
	case ok:
		old := &s.slots[sl]
		reembed = old.textHash != h
		s.unpost(sl)
		*old = slot{id: id, gen: old.gen + 1}
	case len(s.free) > 0:
		sl = s.free[len(s.free)-1]
		s.free = s.free[:len(s.free)-1]
		s.slots[sl] = slot{id: id, gen: s.slots[sl].gen + 1}
	default:
		sl = int32(len(s.slots))
		s.slots = append(s.slots, slot{id: id})
		if int(sl)/blockSize == len(s.blocks) {
			s.blocks = append(s.blocks, make([]float32, s.dim*blockSize))
		}
	}
	s.byID[id] = sl
	p := &s.slots[sl]
	p.live, p.textHash, p.fields, p.names, p.shared = true, h, fields, names, shared
	set(p)
	if reembed {
		v := embed(text)
		s.setVector(sl, v)
	}
	s.post(sl)
	return sl
}

// blockSize is the number of slots of a vector block.
const blockSize = 4096

// setVector stores v (the zero vector when nil) as slot sl's.
func (s *segment) setVector(sl int32, v []float32) {
	b, off := s.blocks[sl/blockSize], int(sl%blockSize)
	for d := range s.dim {
		var f float32
		if v != nil {
			f = v[d]
		}
		b[d*blockSize+off] = f
	}
}

// remove deletes the record in slot sl.
func (s *segment) remove(sl int32) {
	p := &s.slots[sl]
	s.unpost(sl)
	delete(s.byID, p.id)
	*p = slot{gen: p.gen + 1}
	s.setVector(sl, nil)
	s.free = append(s.free, sl)
}

// post adds the bigrams of slot sl to the postings.
func (s *segment) post(sl int32) {
	p := &s.slots[sl]
	counts, n := countGrams(p.fields, p.names, p.shared)
	p.length = n
	s.gramSum += float64(n)
	for _, c := range counts {
		pl := s.postings[c.g]
		if pl == nil {
			pl = &posting{}
			s.postings[c.g] = pl
		}
		pl.entries = append(pl.entries, postEntry{slot: sl, gen: p.gen, tf: uint16(min(c.tf, math.MaxUint16)), inName: c.inName})
		pl.df++
		s.entries++
	}
}

// unpost marks the postings of the live record in slot sl stale, and
// compacts the postings when more than half of the entries are stale.
func (s *segment) unpost(sl int32) {
	p := &s.slots[sl]
	if !p.live {
		return
	}
	counts, n := countGrams(p.fields, p.names, p.shared)
	s.gramSum -= float64(n)
	for _, c := range counts {
		s.postings[c.g].df--
	}
	s.stale += len(counts)
	p.live = false
	if s.stale > 1024 && s.stale*2 > s.entries {
		s.compact()
	}
}

// compact drops stale posting entries.
func (s *segment) compact() {
	for g, pl := range s.postings {
		keep := pl.entries[:0]
		for _, e := range pl.entries {
			if t := &s.slots[e.slot]; t.live && t.gen == e.gen {
				keep = append(keep, e)
			}
		}
		if len(keep) == 0 {
			delete(s.postings, g)
			continue
		}
		pl.entries = keep
	}
	s.entries -= s.stale
	s.stale = 0
}

// avgLen is the mean bigram count of the live records (at least 1).
func (s *segment) avgLen() float64 {
	if len(s.byID) == 0 {
		return 1
	}
	return math.Max(1, s.gramSum/float64(len(s.byID)))
}
