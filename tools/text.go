package tools

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// won formats an amount as users read it: 18000 -> "18,000원".
func won(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	b.WriteString("원")
	return b.String()
}

// josa appends to word the particle that fits its last sound: withFinal
// after a final consonant (은, 이, 을, 과), else without (는, 가, 를, 와).
// Words not ending in Hangul are read as ending in a vowel.
func josa(word, withFinal, without string) string {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(word))
	if r >= 0xAC00 && r <= 0xD7A3 && (r-0xAC00)%28 != 0 {
		return word + withFinal
	}
	return word + without
}

// fold makes a key for loose matching: lower case, without spaces.
func fold(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

// matches reports whether query names one of the fields loosely: either
// contains the other once folded. Empty fields never match.
func matches(query string, fields ...string) bool {
	q := fold(query)
	if q == "" {
		return false
	}
	for _, f := range fields {
		k := fold(f)
		if k != "" && (strings.Contains(k, q) || strings.Contains(q, k)) {
			return true
		}
	}
	return false
}

// nameTier tells how well query names a record by its fields: 2 when
// every word of the query names one of them ("아이유 콘서트" for a concert
// by 아이유), 1 when only the whole query and one field contain each other
// ("교동치킨 후라이드" names the brand 교동치킨), 0 when it does not.
func nameTier(query string, fields ...string) int {
	words := strings.Fields(query)
	if len(words) == 0 {
		return 0
	}
	all := true
	for _, w := range words {
		if !matches(w, fields...) {
			all = false
			break
		}
	}
	switch {
	case all:
		return 2
	case matches(query, fields...):
		return 1
	}
	return 0
}

// hours writes a merchant's opening hours: "(15:00~02:00)".
func hours(opens, closes string) string {
	return "(" + opens + "~" + closes + ")"
}
