package assistant

import (
	"sort"
	"strings"

	"github.com/sodam-ai/sodam"
)

// textWishes reads the items of merchant m named in the compact text, with
// the count and options said after each: "족발대자로하나" → 족발 ×1 (대),
// "싸이버거세트로두개" → 싸이버거 ×2 (세트). The store's own names are
// removed first so that 대학로할매족발 does not read as 족발. It is the
// dialogue's check on the parser once the store is known.
func (v *catalogView) textWishes(m, text string) []ItemWish {
	if mm := v.byID[m]; mm != nil {
		for _, form := range append([]string{mm.Name, mm.Brand, withoutBranch(mm.Name)}, mm.Aliases...) {
			if f := fold(form); len([]rune(f)) >= 2 {
				text = strings.ReplaceAll(text, f, " ")
			}
		}
	}
	type mention struct {
		start, end int // byte offsets in text
		it         *sodam.MenuItem
	}
	var all []mention
	for _, it := range v.items[m] {
		for _, form := range append([]string{it.Name}, it.Aliases...) {
			f := fold(form)
			if len([]rune(f)) < 2 {
				continue
			}
			for off := 0; ; {
				i := strings.Index(text[off:], f)
				if i < 0 {
					break
				}
				all = append(all, mention{off + i, off + i + len(f), it})
				off += i + len(f)
			}
		}
	}
	// Longest first, without overlaps, then in text order.
	sort.SliceStable(all, func(i, j int) bool {
		li, lj := all[i].end-all[i].start, all[j].end-all[j].start
		if li != lj {
			return li > lj
		}
		return all[i].start < all[j].start
	})
	var ms []mention
	for _, c := range all {
		ok := true
		for _, t := range ms {
			if c.start < t.end && t.start < c.end {
				ok = false
				break
			}
		}
		if ok {
			ms = append(ms, c)
		}
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].start < ms[j].start })
	var out []ItemWish
	for k, mt := range ms {
		end := len(text)
		if k+1 < len(ms) {
			end = ms[k+1].start
		}
		seg := text[mt.end:end]
		before := ""
		if k == 0 {
			before = text[:mt.start]
		}
		w := ItemWish{Name: mt.it.Name, MenuItemID: mt.it.ID, Quantity: 1}
		if n := leadingCountIn(seg); n > 0 {
			w.Quantity = n
		}
		w.Options = optionsIn(mt.it, seg, before)
		// The same item said twice (후라이드 하나 더): add up.
		merged := false
		for i := range out {
			if out[i].MenuItemID == w.MenuItemID && sameOptions(out[i].Options, w.Options) {
				out[i].Quantity += w.Quantity
				merged = true
			}
		}
		if !merged {
			out = append(out, w)
		}
	}
	return out
}

// optionsIn returns the options of it named in seg (after the item) or,
// failing that, in before. A one-letter option (대, 중, 소, 특) counts only
// when a size word follows it (대자, 대짜리, 대로, 대 사이즈) or it ends the
// segment.
func optionsIn(it *sodam.MenuItem, seg, before string) []string {
	find := func(s string) []string {
		var out []string
		for _, o := range it.Options {
			f := fold(o.Name)
			i := strings.Index(s, f)
			if i < 0 {
				continue
			}
			if len([]rune(f)) == 1 {
				rest := s[i+len(f):]
				if !(rest == "" || strings.HasPrefix(rest, "자") || strings.HasPrefix(rest, "짜리") ||
					strings.HasPrefix(rest, "로") || strings.HasPrefix(rest, "사이즈") || strings.HasPrefix(rest, "으로")) {
					continue
				}
			}
			out = append(out, o.Name)
		}
		return out
	}
	if out := find(seg); len(out) > 0 {
		return out
	}
	return find(before)
}

func sameOptions(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
