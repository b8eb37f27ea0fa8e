package nlu

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// Normalize puts a message into the canonical form that the rest of the
// package matches against, so that the same request typed on different
// keyboards and in different moods reads the same:
//
//   - invalid UTF-8 is replaced by U+FFFD;
//   - full-width Latin, digits and punctuation become half-width, and
//     half-width Hangul letters become the usual compatibility jamo;
//   - the text is put in NFKC form, except that compatibility jamo
//     (ㅋ, ㅇ, ㄱ ...) are left as they are, because NFKC would turn them
//     into conjoining jamo that then fuse into syllables (ㄱㅏ → 가);
//   - Latin letters are lower-cased;
//   - runs of the same character are capped: jamo at two (ㅋㅋㅋㅋ → ㅋㅋ),
//     punctuation and symbols at one (!!!! → !, ~~~ → ~), letters and
//     syllables at three; digits are never touched;
//   - emoji are set apart from words by spaces;
//   - runs of white space become one space, and the ends are trimmed.
//
// Hangul syllables are kept whole; Jamo decomposes them when needed.
func Normalize(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if !plain(s) {
		s = width.Fold.String(s)
		s = nfkcKeepJamo(s)
	}

	var b strings.Builder
	b.Grow(len(s))
	var (
		prev     rune = -1 // last rune written, -1 at a word boundary
		run      int       // how many times prev has been written in a row
		space    bool      // a space is pending
		inEmoji  bool      // the last thing written was part of an emoji
		wroteAny bool
	)
	for _, r := range s {
		if unicode.IsSpace(r) || r == 0 {
			space = wroteAny
			prev, run = -1, 0
			continue
		}
		if unicode.IsControl(r) || r == '\u200b' || r == '\ufeff' {
			continue
		}
		r = unicode.ToLower(r)
		emoji := isEmojiPart(r, inEmoji)
		if emoji != inEmoji && wroteAny {
			// Set emoji apart from the words around them.
			space = true
		}
		if r == prev && !space {
			if run >= repeatCap(r) {
				continue
			}
			run++
		} else {
			if space {
				b.WriteByte(' ')
				space = false
			}
			prev, run = r, 1
		}
		b.WriteRune(r)
		inEmoji = emoji
		wroteAny = true
	}
	return b.String()
}

// Compact removes every white-space character from s, so that texts can be
// compared regardless of spacing, which Korean users apply loosely
// (치킨 한마리 시켜줘, 치킨한마리시켜줘).
func Compact(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// plain reports whether s holds only characters that width folding and
// NFKC leave as they are: printable ASCII, white space, Hangul syllables and
// compatibility jamo. Most messages are plain, and skip both passes.
func plain(s string) bool {
	for _, r := range s {
		switch {
		case r >= 0x20 && r < 0x7f, r == '\t', r == '\n', r == '\r',
			isSyllable(r), isCompatJamo(r):
		default:
			return false
		}
	}
	return true
}

// nfkcKeepJamo applies NFKC to s except on runs of compatibility jamo.
func nfkcKeepJamo(s string) string {
	if !strings.ContainsFunc(s, isCompatJamo) {
		return norm.NFKC.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		i := strings.IndexFunc(s, isCompatJamo)
		if i < 0 {
			b.WriteString(norm.NFKC.String(s))
			break
		}
		b.WriteString(norm.NFKC.String(s[:i]))
		s = s[i:]
		j := strings.IndexFunc(s, func(r rune) bool { return !isCompatJamo(r) })
		if j < 0 {
			j = len(s)
		}
		b.WriteString(s[:j])
		s = s[j:]
	}
	return b.String()
}

// isCompatJamo reports whether r is a Hangul compatibility jamo (ㄱ-ㅣ),
// the letters Korean users type alone: ㅋㅋ, ㅇㅇ, ㄱㄱ, ㅠㅠ.
func isCompatJamo(r rune) bool { return r >= 0x3131 && r <= 0x318E }

// repeatCap is how many times in a row r may appear after normalisation.
func repeatCap(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return 1 << 30
	case isCompatJamo(r):
		return 2
	case unicode.IsLetter(r):
		return 3
	case unicode.IsDigit(r) || unicode.IsNumber(r):
		return 1 << 30
	}
	return 1
}

// isEmojiPart reports whether r is, or continues, an emoji: pictographs,
// dingbats and flags, and, after one of those, the joiners, variation
// selectors and skin-tone modifiers that belong to it.
func isEmojiPart(r rune, inEmoji bool) bool {
	switch {
	case r >= 0x1F000 && r <= 0x1FAFF, // pictographs, emoticons, flags, symbols
		r >= 0x2600 && r <= 0x27BF, // misc symbols and dingbats
		r >= 0x2B00 && r <= 0x2BFF, // arrows, stars
		r == 0x2764, r == 0x203C, r == 0x2049:
		return true
	case r == 0x200D || (r >= 0xFE00 && r <= 0xFE0F) || r == 0x20E3:
		return inEmoji
	}
	return false
}
