package nlu

import "unicode"

// fuzzy links the words of orig that no exact link covers, and pairs of
// short neighbouring words, to the form with the smallest jamo distance
// when it is small enough for the form's length.
func (c *Catalog) fuzzy(orig []rune, covered []bool, take func(start, end int, f int32, score float64)) {
	type word struct{ lo, hi int }
	var words []word
	for i := 0; i < len(orig); {
		if unicode.IsSpace(orig[i]) {
			i++
			continue
		}
		j := i
		for j < len(orig) && !unicode.IsSpace(orig[j]) {
			j++
		}
		words = append(words, word{i, j})
		i = j
	}
	free := func(lo, hi int) bool {
		for k := lo; k < hi; k++ {
			if covered[k] {
				return false
			}
		}
		return true
	}
	counts := map[int32]int{}
	var jam []rune
	var jpos []int // rune index in orig of each jamo
	try := func(lo, hi int) bool {
		jam, jpos = jam[:0], jpos[:0]
		letters := 0
		for k := lo; k < hi; k++ {
			r := orig[k]
			if unicode.IsSpace(r) {
				continue
			}
			if !isSyllable(r) {
				return false // only Hangul words are matched fuzzily
			}
			letters++
			before := len(jam)
			jam = appendJamo(jam, unicode.ToLower(r))
			for range len(jam) - before {
				jpos = append(jpos, k)
			}
		}
		if letters < 3 || len(jam) < 6 {
			return false
		}
		clear(counts)
		for _, g := range trigrams(jam) {
			ps := c.grams[g]
			if len(ps) > maxPosting {
				continue
			}
			for _, f := range ps {
				counts[f]++
			}
		}
		bestF, bestD, bestJ := int32(-1), 1<<30, 0
		for f, cnt := range counts {
			fm := &c.forms[f]
			maxd := maxEdits(fm.runes)
			if cnt < max(1, fm.rare-3*maxd) {
				continue
			}
			d, j := prefixDistance(fm.jamo, jam)
			if d > maxd || j == 0 {
				continue
			}
			// The match must end at a syllable's end, and what follows
			// in the word may only be a particle (후리이드를).
			if j < len(jpos) && jpos[j] == jpos[j-1] {
				continue
			}
			if rest := string(orig[jpos[j-1]+1 : hi]); rest != "" && !isParticle(rest) {
				continue
			}
			if d < bestD || d == bestD && len(fm.jamo) > len(c.forms[bestF].jamo) {
				bestF, bestD, bestJ = f, d, j
			}
		}
		if bestF < 0 || bestD == 0 {
			// A distance of 0 is an exact match the map would have found
			// unless a boundary rule refused it; leave it.
			return false
		}
		fm := &c.forms[bestF]
		end := jpos[bestJ-1] + 1
		take(lo, end, bestF, 1-float64(bestD)/float64(len(fm.jamo)))
		return true
	}
	for i, w := range words {
		if !free(w.lo, w.hi) {
			continue
		}
		if i+1 < len(words) {
			nx := words[i+1]
			if free(nx.lo, nx.hi) && (w.hi-w.lo)+(nx.hi-nx.lo) <= 8 && try(w.lo, nx.hi) {
				continue
			}
		}
		try(w.lo, w.hi)
	}
}

// maxEdits is the jamo distance allowed for a form of n syllables (or
// letters): none up to three, so that short everyday words (상담, 족발 시)
// are not taken for short names (사이다, 족발 소); one up to six; two
// beyond.
func maxEdits(n int) int {
	switch {
	case n < 4:
		return 0
	case n < 7:
		return 1
	default:
		return 2
	}
}

// prefixDistance is the smallest edit distance between key and a prefix of
// s, and the length of that prefix (the shortest among equals), so that a
// particle or counter after a name costs nothing.
func prefixDistance(key, s []rune) (dist, end int) {
	// row[j] = distance between key[:i] and s[:j].
	row := make([]int, len(s)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(key); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(s); j++ {
			cost := 1
			if key[i-1] == s[j-1] {
				cost = 0
			}
			next := min(row[j]+1, row[j-1]+1, diag+cost)
			diag = row[j]
			row[j] = next
		}
	}
	dist, end = row[0], 0
	for j := 1; j <= len(s); j++ {
		if row[j] < dist {
			dist, end = row[j], j
		}
	}
	return dist, end
}

// trigrams returns the overlapping trigrams of rs.
func trigrams(rs []rune) []uint64 {
	if len(rs) < 3 {
		return nil
	}
	out := make([]uint64, 0, len(rs)-2)
	for i := 0; i+3 <= len(rs); i++ {
		out = append(out, uint64(rs[i])<<42|uint64(rs[i+1])<<21|uint64(rs[i+2]))
	}
	return out
}
