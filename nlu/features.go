package nlu

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// The intent classifier sees a message as a bag of hashed sparse features.
// Each kind of feature hashes into its own namespace so that the character
// bigram 취소 and the word 취소 are different features.
const (
	nsChar   = 1 + iota // character n-grams of the normalised text, with and without spaces
	nsJamo              // jamo n-grams of the text without spaces
	nsWord              // words with particles stripped
	nsBigram            // pairs of adjacent words
	nsEnding            // the request ending, if any
	nsLast              // the last word and the last syllables
	nsFlag              // coarse shape of the message
)

// maxFeatureRunes bounds the text the classifier reads; a message longer
// than this is judged by its beginning, which keeps the cost of a 10,000
// character paste bounded.
const maxFeatureRunes = 400

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// hashStart begins a feature hash in namespace ns.
func hashStart(ns int) uint64 {
	h := uint64(fnvOffset)
	h ^= uint64(ns)
	h *= fnvPrime
	return h
}

// hashRune mixes r into h.
func hashRune(h uint64, r rune) uint64 {
	h ^= uint64(r)
	h *= fnvPrime
	// A second round spreads the high bits of Hangul code points.
	h ^= h >> 29
	return h
}

// hashString mixes s into h.
func hashString(h uint64, s string) uint64 {
	for _, r := range s {
		h = hashRune(h, r)
	}
	return h
}

// featurizer turns messages into feature hashes, reusing its buffers.
// The zero value is ready to use; it is not safe for concurrent use.
type featurizer struct {
	runes   []rune   // the normalised text padded with a space each side
	compact []rune   // the same without spaces
	joined  []bool   // per rune of compact: a space came before it
	jamo    []rune   // compact as jamo
	words   []string // the words, particles stripped
	feats   []uint64
}

// The jamo n-grams read.
const (
	jamoLo = 2
	jamoHi = 4
)

// features returns the feature hashes of text, which is normalised first
// and has its branch words folded into the store name (foldBranches).
// The slice is reused by the next call.
func (f *featurizer) features(text string) []uint64 {
	norm := Normalize(text)
	if strings.ContainsRune(norm, utf8.RuneError) {
		// Bytes that were not text say nothing about the request.
		norm = Normalize(strings.ReplaceAll(norm, string(utf8.RuneError), " "))
	}
	// A store's branch says which store, not what is asked of it.
	norm = foldBranches(norm)
	if utf8.RuneCountInString(norm) > maxFeatureRunes {
		norm = string([]rune(norm)[:maxFeatureRunes])
	}
	f.feats = f.feats[:0]
	if norm == "" {
		return f.feats
	}

	// Character 1-4-grams with the text padded by spaces, so that the start
	// and the end of the message are features of their own.
	f.runes = append(f.runes[:0], ' ')
	for _, r := range norm {
		f.runes = append(f.runes, r)
	}
	f.runes = append(f.runes, ' ')
	f.ngrams(nsChar, f.runes, 1, 4)

	// The n-grams that span a space once the spaces are removed, in the
	// same namespace: 치킨 한마리 then also yields 킨한 and 치킨한마, the
	// n-grams of 치킨한마리, so that spacing matters little.
	f.compact = f.compact[:0]
	f.joined = f.joined[:0]
	space := false
	for _, r := range f.runes[1 : len(f.runes)-1] {
		if r == ' ' {
			space = true
			continue
		}
		f.compact = append(f.compact, r)
		f.joined = append(f.joined, space)
		space = false
	}
	f.spanning(nsChar, 4)

	// Jamo n-grams absorb typos that change one letter of a syllable
	// (후리이드, 주믄, 결재).
	f.jamo = append(f.jamo[:0], '^')
	for _, r := range f.compact {
		f.jamo = appendJamo(f.jamo, r)
	}
	f.jamo = append(f.jamo, '$')
	f.ngrams(nsJamo, f.jamo, jamoLo, jamoHi)

	// Words and word pairs, particles stripped.
	f.words = appendTokens(f.words[:0], norm)
	prev := "^"
	for _, w := range f.words {
		f.feats = append(f.feats, hashString(hashStart(nsWord), w))
		f.feats = append(f.feats, hashString(hashRune(hashString(hashStart(nsBigram), prev), ' '), w))
		prev = w
	}
	if len(f.words) > 0 {
		f.feats = append(f.feats, hashString(hashRune(hashString(hashStart(nsBigram), prev), ' '), "$"))
		f.feats = append(f.feats, hashString(hashStart(nsLast), prev))
	}

	// The request ending and the two syllables right before it.
	stem, ending := requestEnding(norm)
	f.feats = append(f.feats, hashString(hashStart(nsEnding), ending))
	if ending != "" {
		stem = strings.ReplaceAll(stem, " ", "")
		if n := utf8.RuneCountInString(stem); n > 2 {
			_, i := utf8.DecodeLastRuneInString(stem)
			_, k := utf8.DecodeLastRuneInString(stem[:len(stem)-i])
			stem = stem[len(stem)-i-k:]
		}
		if stem != "" {
			f.feats = append(f.feats, hashString(hashRune(hashString(hashRune(hashStart(nsEnding), '+'), stem), '|'), ending))
		}
	}

	// Shape: a question, a very short message, only jamo, only emoji.
	f.feats = f.shape(f.feats, norm)
	return f.feats
}

// spanning appends the hashes of the n-grams of f.compact, up to n runes,
// that cross a removed space.
func (f *featurizer) spanning(ns, hi int) {
	base := hashStart(ns)
	rs := f.compact
	for i := range rs {
		h := hashRune(base, rs[i])
		for n := 2; n <= hi && i+n <= len(rs); n++ {
			h = hashRune(h, rs[i+n-1])
			if slices.Contains(f.joined[i+1:i+n], true) {
				f.feats = append(f.feats, h^uint64(n))
			}
		}
	}
}

// ngrams appends the hashes of the n-grams of rs for n in [lo, hi].
func (f *featurizer) ngrams(ns int, rs []rune, lo, hi int) {
	base := hashStart(ns)
	for i := range rs {
		h := base
		for n := 1; n <= hi && i+n <= len(rs); n++ {
			h = hashRune(h, rs[i+n-1])
			if n >= lo {
				f.feats = append(f.feats, h^uint64(n))
			}
		}
	}
}

// shape appends coarse features of the whole message to dst.
func (f *featurizer) shape(dst []uint64, norm string) []uint64 {
	var (
		n, syll, jamo, latin, digit, emoji int
		question                           bool
	)
	for _, r := range norm {
		n++
		switch {
		case isSyllable(r):
			syll++
		case isCompatJamo(r):
			jamo++
		case r < 0x80 && (r|0x20 >= 'a' && r|0x20 <= 'z'):
			latin++
		case r >= '0' && r <= '9':
			digit++
		case isEmojiPart(r, true):
			emoji++
		case r == '?':
			question = true
		}
	}
	flag := func(name string) {
		dst = append(dst, hashString(hashStart(nsFlag), name))
	}
	switch {
	case syll == 0 && jamo > 0:
		flag("only-jamo")
	case syll == 0 && latin == 0 && digit == 0:
		flag("no-letters")
	case syll == 0:
		flag("no-hangul")
	}
	switch {
	case syll <= 2:
		flag("len<=2")
	case syll <= 5:
		flag("len<=5")
	case syll > 20:
		flag("len>20")
	}
	if question {
		flag("question")
	}
	if digit > 0 {
		flag("digit")
	}
	return dst
}

// featureTable maps feature hashes to weight rows by open addressing with
// linear probing: at the size of a trained model it answers several times
// faster than a Go map, and Classify looks up a few hundred features a
// message. It is read-only once built.
type featureTable struct {
	keys []uint64 // 0 marks an empty slot; a hash of 0 is stored as 1
	rows []int32
	mask uint64
}

// newFeatureTable builds a table of index at a load factor under one half.
func newFeatureTable(index map[uint64]int32) featureTable {
	size := 16
	for size < 2*len(index) {
		size <<= 1
	}
	t := featureTable{keys: make([]uint64, size), rows: make([]int32, size), mask: uint64(size - 1)}
	for h, r := range index {
		h = max(h, 1)
		i := mix(h) & t.mask
		for t.keys[i] != 0 {
			i = (i + 1) & t.mask
		}
		t.keys[i], t.rows[i] = h, r
	}
	return t
}

// lookup returns the row of feature h.
func (t *featureTable) lookup(h uint64) (int32, bool) {
	if len(t.keys) == 0 {
		return 0, false
	}
	h = max(h, 1)
	for i := mix(h) & t.mask; ; i = (i + 1) & t.mask {
		switch t.keys[i] {
		case h:
			return t.rows[i], true
		case 0:
			return 0, false
		}
	}
}

// mix spreads the bits of a hash over the low bits used as a slot.
func mix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}
