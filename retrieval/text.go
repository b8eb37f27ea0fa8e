package retrieval

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/sodam-ai/sodam"
)

// This file decides what text of each record is searched: the longer
// "vector text" that is embedded, and the shorter keyword fields (the
// record's names and labels) whose character bigrams feed the keyword rank.
// Descriptions and addresses are left out of the keyword fields: they make
// the postings large and match too loosely; the vector covers them.

// merchantVectorText is what a merchant is embedded from: name, brand,
// aliases, category, district of its address, description.
func merchantVectorText(m *sodam.Merchant) string {
	return joinNonEmpty(m.Name, m.Brand, strings.Join(m.Aliases, " "), m.Category, district(m.Address), m.Description)
}

// itemVectorText is what a menu item is embedded from: its name, aliases
// and description, and the name, brand and category of its merchant (m may
// be nil), so that "교촌 허니콤보" finds 교촌치킨's 허니콤보.
func itemVectorText(i *sodam.MenuItem, m *sodam.Merchant) string {
	t := joinNonEmpty(i.Name, strings.Join(i.Aliases, " "), i.Description)
	if m != nil {
		t = joinNonEmpty(t, m.Name, m.Brand, m.Category)
	}
	return t
}

// eventVectorText is what an event is embedded from: title, performer,
// category, venue, address, description.
func eventVectorText(e *sodam.Event) string {
	return joinNonEmpty(e.Title, e.Performer, e.Category, e.Venue, e.Address, e.Description)
}

// The keyword field functions return the keyword fields of a record and
// how many of them, from the start, are its names (for the name-match
// classes). A menu item's merchant adds inheritedKeywordFields.
func merchantKeywordFields(m *sodam.Merchant) (fields []string, names int) {
	fields = append(fields, m.Name, m.Brand)
	fields = append(fields, m.Aliases...)
	names = len(fields)
	return append(fields, m.Category), names
}

func itemKeywordFields(i *sodam.MenuItem) (fields []string, names int) {
	fields = append(fields, i.Name)
	fields = append(fields, i.Aliases...)
	return fields, len(fields)
}

// inheritedKeywordFields are the compact keyword fields a merchant lends
// its menu items: name, brand, category and aliases.
func inheritedKeywordFields(m *sodam.Merchant) []string {
	fields, _ := compactFields(append([]string{m.Name, m.Brand, m.Category}, m.Aliases...), 0)
	return fields
}

func eventKeywordFields(e *sodam.Event) (fields []string, names int) {
	return []string{e.Title, e.Performer, e.Category, e.Venue}, 2
}

// compactFields folds each field with compact and drops the empty ones,
// keeping the count of names in front.
func compactFields(fields []string, names int) ([]string, int) {
	out := fields[:0]
	n := 0
	for i, f := range fields {
		c := compact(f)
		if c == "" {
			continue
		}
		out = append(out, c)
		if i < names {
			n++
		}
	}
	return slices.Clip(out), n
}

// compact folds s for keyword matching: lower case, letters and digits
// only, no spaces ("교촌 허니콤보!" -> "교촌허니콤보").
func compact(s string) string {
	return strings.ReplaceAll(normalizeText(s), " ", "")
}

// Word-boundary markers padded around each compact field, so that a field
// yields the bigrams ^a, ab, ..., z$ and a one-letter query still has
// bigrams (된장국 ends in "국$").
const (
	markStart = 0x02
	markEnd   = 0x03
)

// gram is a character bigram packed as two runes.
type gram uint64

func makeGram(a, b rune) gram { return gram(uint64(a)<<32 | uint64(uint32(b))) }

// appendGrams appends the padded bigrams of the compact string c.
func appendGrams(dst []gram, c string) []gram {
	if c == "" {
		return dst
	}
	prev := rune(markStart)
	for _, r := range c {
		dst = append(dst, makeGram(prev, r))
		prev = r
	}
	return append(dst, makeGram(prev, markEnd))
}

// gramCount is a bigram, how often it occurs in a record and whether it
// occurs in one of the record's names.
type gramCount struct {
	g      gram
	tf     int
	inName bool
}

// countGrams returns the distinct bigrams of a record's compact keyword
// fields (fields[:names] being its names) and inherited fields, with their
// counts, and the total number of bigrams (the record's length for BM25).
func countGrams(fields []string, names int, shared []string) ([]gramCount, int) {
	var all []gram
	for _, f := range fields[:names] {
		all = appendGrams(all, f)
	}
	nameGrams := slices.Clone(all)
	slices.Sort(nameGrams)
	for _, f := range fields[names:] {
		all = appendGrams(all, f)
	}
	for _, f := range shared {
		all = appendGrams(all, f)
	}
	slices.Sort(all)
	var out []gramCount
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j] == all[i] {
			j++
		}
		_, inName := slices.BinarySearch(nameGrams, all[i])
		out = append(out, gramCount{g: all[i], tf: j - i, inName: inName})
		i = j
	}
	return out, len(all)
}

// queryGrams returns the distinct padded bigrams of the compact query.
func queryGrams(c string) []gram {
	gs := appendGrams(nil, c)
	slices.Sort(gs)
	return slices.Compact(gs)
}

// district returns the 구 of a Seoul address ("서울 종로구 대학로 100" ->
// "종로구"), or "".
func district(addr string) string {
	for _, f := range strings.Fields(addr) {
		if utf8.RuneCountInString(f) >= 2 && strings.HasSuffix(f, "구") {
			return f
		}
	}
	return ""
}

func joinNonEmpty(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}
