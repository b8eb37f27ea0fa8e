package nlu

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sodam-ai/sodam"
)

// Kinds of catalog links.
const (
	LinkMerchant  = "merchant"
	LinkBrand     = "brand"
	LinkMenuItem  = "menu_item"
	LinkEvent     = "event"
	LinkPerformer = "performer"
	LinkVenue     = "venue"
)

// kindRank orders kinds when one surface form names several: the more
// specific record wins.
var kindRank = map[string]int{
	LinkEvent: 0, LinkMerchant: 1, LinkBrand: 2, LinkPerformer: 3, LinkVenue: 4, LinkMenuItem: 5,
}

// Link is a span of a text that names a catalog record. Start and End
// count Unicode code points of the text given to Catalog.Link, End
// exclusive. Surface is the span as written, Matched the catalog's form it
// was matched to. ID is the best record and IDs every record the form names
// (every branch of a brand, every menu item called 후라이드), sorted.
// Score is 1 for an exact match (ignoring spaces and case) and lower for a
// fuzzy one.
type Link struct {
	Kind    string   `json:"kind"`
	ID      string   `json:"id"`
	IDs     []string `json:"ids,omitempty"`
	Surface string   `json:"surface"`
	Matched string   `json:"matched"`
	Start   int      `json:"start"`
	End     int      `json:"end"`
	Score   float64  `json:"score"`
}

// form is one surface form of the catalog: a name, brand, alias, title,
// performer or venue, under one kind.
type form struct {
	text  string   // as the catalog writes it
	key   string   // lower-cased, without spaces
	kind  string   // LinkMerchant ...
	ids   []string // sorted, unique
	jamo  []rune   // jamo of key
	ascii bool     // key starts or ends with a Latin letter or digit
	rare  int      // distinct trigrams of jamo that are not too common
	runes int      // length of key in runes
	fuzzy bool     // may be matched fuzzily: long enough, Hangul only
}

// Catalog indexes the names of merchants, menu items and events so that
// spans of a message can be linked to them, exactly (ignoring spaces and
// case) or fuzzily (a small jamo edit distance). It is read-only after
// NewCatalog and safe for concurrent use.
//
// Exact forms are found through a map keyed by the compacted form, trying
// every start in the message, longest first. Fuzzy candidates come from an
// index of jamo trigrams, so a message is compared with the few forms that
// share enough trigrams with it, never with the whole catalog.
type Catalog struct {
	merchants map[string]*sodam.Merchant
	items     map[string]*sodam.MenuItem
	events    map[string]*sodam.Event

	forms  []form
	exact  map[string][]int32 // key -> forms (one per kind)
	starts map[string]bool    // the first two runes of every key
	maxLen int                // longest key, in runes
	grams  map[uint64][]int32 // jamo trigram -> forms with it
}

// stopForms are short forms of names that are everyday words as well
// (네네 is "yes, yes"); the full name still links.
var stopForms = map[string]bool{"네네": true, "처갓집양념": true}

// maxPosting is the posting length above which a trigram is too common to
// select fuzzy candidates.
const maxPosting = 4000

// NewCatalog indexes the given records. Records are kept by pointer and
// must not change afterwards.
func NewCatalog(merchants []*sodam.Merchant, items []*sodam.MenuItem, events []*sodam.Event) *Catalog {
	c := &Catalog{
		merchants: make(map[string]*sodam.Merchant, len(merchants)),
		items:     make(map[string]*sodam.MenuItem, len(items)),
		events:    make(map[string]*sodam.Event, len(events)),
		exact:     make(map[string][]int32),
		starts:    make(map[string]bool),
		grams:     make(map[uint64][]int32),
	}
	byKindKey := map[string]int32{}
	add := func(text, kind, id string) {
		text = strings.TrimSpace(text)
		key := foldForm(text)
		if utf8.RuneCountInString(key) < 2 || kind == LinkEvent && isCategoryWord(key) {
			return
		}
		k := kind + "\x00" + key
		if i, ok := byKindKey[k]; ok {
			f := &c.forms[i]
			if !slices.Contains(f.ids, id) {
				f.ids = append(f.ids, id)
			}
			return
		}
		i := int32(len(c.forms))
		byKindKey[k] = i
		first, _ := utf8.DecodeRuneInString(key)
		last, _ := utf8.DecodeLastRuneInString(key)
		c.forms = append(c.forms, form{
			text: text, key: key, kind: kind, ids: []string{id},
			jamo:  jamoRunes(nil, key),
			ascii: isASCIIWord(first) || isASCIIWord(last),
			runes: utf8.RuneCountInString(key),
			fuzzy: maxEdits(utf8.RuneCountInString(key)) > 0 && allHangul(key),
		})
		c.exact[key] = append(c.exact[key], i)
		_, w1 := utf8.DecodeRuneInString(key)
		_, w2 := utf8.DecodeRuneInString(key[w1:])
		c.starts[key[:w1+w2]] = true
		c.maxLen = max(c.maxLen, utf8.RuneCountInString(key))
	}
	for _, m := range merchants {
		if m == nil {
			continue
		}
		c.merchants[m.ID] = m
		add(m.Name, LinkMerchant, m.ID)
		for _, a := range m.Aliases {
			add(a, LinkMerchant, m.ID)
		}
		brand := m.Brand
		if brand == "" {
			brand = withoutBranch(m.Name)
		}
		if brand != "" {
			add(brand, LinkBrand, m.ID)
			if s := withoutCategory(brand); s != "" && !stopForms[s] {
				add(s, LinkBrand, m.ID)
			}
		}
		if s := withoutBranch(m.Name); s != "" && s != brand {
			add(s, LinkBrand, m.ID)
		}
	}
	for _, it := range items {
		if it == nil {
			continue
		}
		c.items[it.ID] = it
		add(it.Name, LinkMenuItem, it.ID)
		for _, a := range it.Aliases {
			add(a, LinkMenuItem, it.ID)
		}
	}
	for _, e := range events {
		if e == nil {
			continue
		}
		c.events[e.ID] = e
		add(e.Title, LinkEvent, e.ID)
		for _, t := range titleForms(e.Title) {
			add(t, LinkEvent, e.ID)
		}
		if e.Performer != "" {
			add(e.Performer, LinkPerformer, e.ID)
			for _, p := range splitNames(e.Performer) {
				add(p, LinkPerformer, e.ID)
			}
		}
		if e.Venue != "" {
			add(e.Venue, LinkVenue, e.ID)
			for _, v := range titleForms(e.Venue) {
				add(v, LinkVenue, e.ID)
			}
		}
	}
	for i := range c.forms {
		f := &c.forms[i]
		sort.Strings(f.ids)
		if !f.fuzzy {
			continue // too short, or with digits or Latin letters that must match exactly
		}
		seen := map[uint64]bool{}
		for _, g := range trigrams(f.jamo) {
			if !seen[g] {
				seen[g] = true
				c.grams[g] = append(c.grams[g], int32(i))
			}
		}
	}
	for i := range c.forms {
		f := &c.forms[i]
		if !f.fuzzy {
			continue
		}
		seen := map[uint64]bool{}
		for _, g := range trigrams(f.jamo) {
			if !seen[g] && len(c.grams[g]) <= maxPosting {
				f.rare++
			}
			seen[g] = true
		}
	}
	return c
}

// Merchant returns the merchant with the given id.
func (c *Catalog) Merchant(id string) (*sodam.Merchant, bool) {
	if c == nil {
		return nil, false
	}
	m, ok := c.merchants[id]
	return m, ok
}

// MenuItem returns the menu item with the given id.
func (c *Catalog) MenuItem(id string) (*sodam.MenuItem, bool) {
	if c == nil {
		return nil, false
	}
	i, ok := c.items[id]
	return i, ok
}

// Event returns the event with the given id.
func (c *Catalog) Event(id string) (*sodam.Event, bool) {
	if c == nil {
		return nil, false
	}
	e, ok := c.events[id]
	return e, ok
}

// Link finds the spans of text that name catalog records, longest match
// first and without overlaps, ordered by Start. Exact matches ignore spaces
// and case (허니 콤보 = 허니콤보); words left unmatched are compared fuzzily
// on their jamo, so 후리이드 still links to 후라이드. A nil Catalog links
// nothing.
func (c *Catalog) Link(text string) []Link {
	if c == nil || len(c.forms) == 0 || text == "" {
		return nil
	}
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	orig := []rune(text)
	// The compacted, lower-cased text, with for each of its runes the
	// index of the rune in orig and its byte offset.
	var cb strings.Builder
	cb.Grow(len(text))
	pos := make([]int, 0, len(orig))
	offs := make([]int, 0, len(orig)+1)
	for i, r := range orig {
		if skipInKey(r) {
			continue
		}
		offs = append(offs, cb.Len())
		pos = append(pos, i)
		cb.WriteRune(unicode.ToLower(r))
	}
	offs = append(offs, cb.Len())
	cs := cb.String()
	n := len(pos)

	type cand struct {
		lo, hi int // compact rune span
		form   int32
		score  float64
	}
	var cands []cand
	for i := 0; i+2 <= n; i++ {
		if !c.starts[cs[offs[i]:offs[i+2]]] {
			continue // no key starts with these two runes
		}
		for l := min(c.maxLen, n-i); l >= 2; l-- {
			fs, ok := c.exact[cs[offs[i]:offs[i+l]]]
			if !ok {
				continue
			}
			best := c.bestForm(fs)
			if c.forms[best].ascii && !asciiBounded(orig, pos[i], pos[i+l-1]+1) {
				continue
			}
			cands = append(cands, cand{i, i + l, best, 1})
			break
		}
	}
	sort.SliceStable(cands, func(a, b int) bool {
		la, lb := cands[a].hi-cands[a].lo, cands[b].hi-cands[b].lo
		if la != lb {
			return la > lb
		}
		return cands[a].lo < cands[b].lo
	})
	covered := make([]bool, len(orig))
	var links []Link
	take := func(start, end int, f int32, score float64) {
		for k := start; k < end; k++ {
			if covered[k] {
				return
			}
		}
		for k := start; k < end; k++ {
			covered[k] = true
		}
		fm := &c.forms[f]
		links = append(links, Link{
			Kind: fm.kind, ID: fm.ids[0], IDs: fm.ids,
			Surface: string(orig[start:end]), Matched: fm.text,
			Start: start, End: end, Score: score,
		})
	}
	for _, cd := range cands {
		take(pos[cd.lo], pos[cd.hi-1]+1, cd.form, cd.score)
	}
	c.fuzzy(orig, covered, take)
	sort.Slice(links, func(a, b int) bool { return links[a].Start < links[b].Start })
	return links
}

// bestForm picks among forms sharing a key the one of the most specific
// kind.
func (c *Catalog) bestForm(fs []int32) int32 {
	best := fs[0]
	for _, f := range fs[1:] {
		if kindRank[c.forms[f].kind] < kindRank[c.forms[best].kind] {
			best = f
		}
	}
	return best
}

// skipInKey reports whether r is left out of matching keys: spaces,
// punctuation and symbols (맘마미아! = 맘마미아, Domino's = dominos).
func skipInKey(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// foldForm lower-cases s and removes its spaces, punctuation and symbols.
func foldForm(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if skipInKey(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// allHangul reports whether s is made of Hangul syllables only.
func allHangul(s string) bool {
	for _, r := range s {
		if !isSyllable(r) {
			return false
		}
	}
	return s != ""
}

// isParticle reports whether s is one of the particles StripParticle
// knows, or a polite 요.
func isParticle(s string) bool {
	for _, p := range particles {
		if p.text == s {
			return true
		}
	}
	return false
}

// isCategoryWord reports whether key is only a category word (뮤지컬,
// 연극): such a form would link every record of the kind.
func isCategoryWord(key string) bool {
	for _, c := range categoryWords {
		if c.form == key {
			return true
		}
	}
	return false
}

// isASCIIWord reports whether r is a Latin letter or a digit.
func isASCIIWord(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// asciiBounded reports whether orig[start:end] does not continue a Latin
// word on either side (bbq in "bbqueen" is not BBQ).
func asciiBounded(orig []rune, start, end int) bool {
	if start > 0 && isASCIIWord(orig[start]) && isASCIIWord(orig[start-1]) {
		return false
	}
	if end < len(orig) && isASCIIWord(orig[end-1]) && isASCIIWord(orig[end]) {
		return false
	}
	return true
}

// withoutBranch drops a trailing branch word from a store name:
// 교동치킨 혜화점 → 교동치킨. It returns "" when there is none.
func withoutBranch(name string) string {
	fs := strings.Fields(name)
	if len(fs) < 2 {
		return ""
	}
	last := fs[len(fs)-1]
	if strings.HasSuffix(last, "점") || strings.HasSuffix(last, "지점") || strings.HasSuffix(last, "본점") {
		return strings.Join(fs[:len(fs)-1], " ")
	}
	return ""
}

// withoutCategory drops a trailing category word from a brand:
// 교촌치킨 → 교촌, 도미노피자 → 도미노. It returns "" when there is none or
// too little would be left.
func withoutCategory(brand string) string {
	for _, w := range []string{"치킨", "피자", "버거", "족발", "보쌈", "커피", "김밥", "반점", "분식"} {
		if s, ok := strings.CutSuffix(brand, w); ok {
			s = strings.TrimSpace(s)
			if utf8.RuneCountInString(s) >= 2 {
				return s
			}
		}
	}
	return ""
}

// titleForms returns shorter forms of an event title or venue: without its
// bracketed parts, and each bracketed part (아이유 콘서트 〈HEREH〉 →
// 아이유 콘서트, HEREH).
func titleForms(title string) []string {
	var out, inner []string
	var outer strings.Builder
	depth := 0
	var cur strings.Builder
	for _, r := range title {
		switch r {
		case '〈', '<', '(', '[', '《', '「', '『', '（', '“', '"':
			if depth == 0 {
				cur.Reset()
			}
			depth++
			continue
		case '〉', '>', ')', ']', '》', '」', '』', '）', '”':
			if depth > 0 {
				depth--
				if depth == 0 {
					inner = append(inner, cur.String())
				}
			}
			continue
		}
		if depth > 0 {
			cur.WriteRune(r)
		} else {
			outer.WriteRune(r)
		}
	}
	if o := strings.Join(strings.Fields(outer.String()), " "); o != "" && o != title {
		out = append(out, o)
	}
	for _, s := range inner {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// splitNames splits a performer list (아이유, 김범수 / 박효신) into names.
func splitNames(s string) []string {
	fs := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '/' || r == '&' || r == '·' })
	if len(fs) < 2 {
		return nil
	}
	for i := range fs {
		fs[i] = strings.TrimSpace(fs[i])
	}
	return fs
}
