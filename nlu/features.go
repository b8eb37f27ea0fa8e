package nlu

import (
	"unicode/utf8"
)

// The intent classifier sees a message as a bag of hashed sparse features.
// Each kind of feature hashes into its own namespace so that the character
// bigram 취소 and the word 취소 are different features.
const (
	nsChar    = 1 + iota // character n-grams of the normalised text, spaces kept
	nsCompact            // character n-grams of the text without spaces
	nsJamo               // jamo n-grams of the text without spaces
	nsWord               // words with particles stripped
	nsBigram             // pairs of adjacent words
	nsEnding             // the request ending, if any
	nsLast               // the last word and the last syllables
	nsFlag               // coarse shape of the message
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
	runes []rune
	jamo  []rune
	feats []uint64
}

// features returns the feature hashes of text, which is normalised first.
// The slice is reused by the next call.
func (f *featurizer) features(text string) []uint64 {
	norm := Normalize(text)
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

	// The same without spaces, for texts typed without spacing; 1-grams
	// would repeat those above.
	compact := f.runes[:0:0]
	compact = append(compact, '^')
	for _, r := range f.runes {
		if r != ' ' {
			compact = append(compact, r)
		}
	}
	compact = append(compact, '$')
	f.ngrams(nsCompact, compact, 2, 4)

	// Jamo n-grams absorb typos that change one letter of a syllable
	// (후리이드, 주믄, 결재).
	f.jamo = f.jamo[:0]
	for _, r := range compact {
		f.jamo = appendJamo(f.jamo, r)
	}
	f.ngrams(nsJamo, f.jamo, 2, 4)

	// Words and word pairs, particles stripped.
	words := Tokens(norm)
	prev := "^"
	for _, w := range words {
		f.feats = append(f.feats, hashString(hashStart(nsWord), w))
		f.feats = append(f.feats, hashString(hashRune(hashString(hashStart(nsBigram), prev), ' '), w))
		prev = w
	}
	if len(words) > 0 {
		f.feats = append(f.feats, hashString(hashRune(hashString(hashStart(nsBigram), prev), ' '), "$"))
		f.feats = append(f.feats, hashString(hashStart(nsLast), words[len(words)-1]))
	}

	// The request ending and what comes right before it.
	stem, ending := RequestEnding(norm)
	f.feats = append(f.feats, hashString(hashStart(nsEnding), ending))
	if ending != "" {
		sr := []rune(Compact(stem))
		if n := len(sr); n > 0 {
			f.feats = append(f.feats, hashString(hashRune(hashStart(nsEnding), '+'), string(sr[max(0, n-2):])+"|"+ending))
		}
	}

	// Shape: a question, a very short message, only jamo, only emoji.
	f.feats = append(f.feats, f.shape(norm)...)
	return f.feats
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

// shape returns coarse features of the whole message.
func (f *featurizer) shape(norm string) []uint64 {
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
	var out [6]uint64
	k := 0
	flag := func(name string) {
		out[k] = hashString(hashStart(nsFlag), name)
		k++
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
	return out[:k]
}
