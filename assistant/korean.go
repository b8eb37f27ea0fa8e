package assistant

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/sodam-ai/sodam"
)

// Josa returns word followed by the particle of pair that fits its last
// sound. pair is one of 을/를, 이/가, 은/는, 과/와 and 으로/로 (in either
// order). The form after a final consonant is chosen when the word ends in
// one; 으로/로 takes 로 after ㄹ as well. Digits and Latin letters are read
// as Korean reads them (3 → 삼, 10 → 십, BBQ → 큐, KSPO DOME → 이), and
// closing brackets, quotes and punctuation at the end are skipped.
func Josa(word, pair string) string {
	return word + particle(word, pair)
}

// particle returns only the particle Josa would append.
func particle(word, pair string) string {
	withFinal, withoutFinal := splitPair(pair)
	final, known := lastFinal(word)
	if !known {
		// Unknown sound: the combined form reads well either way.
		return withFinal + "(" + withoutFinal + ")"
	}
	if withoutFinal == "로" {
		if final == 0 || final == finalRieul {
			return "로"
		}
		return "으로"
	}
	if final != 0 {
		return withFinal
	}
	return withoutFinal
}

// splitPair returns the form used after a final consonant and the form
// used after a vowel.
func splitPair(pair string) (string, string) {
	a, b, ok := strings.Cut(pair, "/")
	if !ok {
		a = pair
	}
	switch {
	case a == "을" || b == "을":
		return "을", "를"
	case a == "이" || b == "이":
		return "이", "가"
	case a == "은" || b == "은":
		return "은", "는"
	case a == "과" || b == "과":
		return "과", "와"
	case a == "으로" || b == "으로":
		return "으로", "로"
	}
	return a, b
}

// Final consonant indexes (jongseong) of a Hangul syllable.
const (
	finalRieul  = 8  // ㄹ
	finalMieum  = 16 // ㅁ
	finalNieun  = 4  // ㄴ
	finalGiyeok = 1  // ㄱ
	finalBieup  = 17 // ㅂ
	finalIeung  = 21 // ㅇ
)

// lastFinal returns the final consonant index of the last sound of word
// (0 for none) and whether that sound could be told.
func lastFinal(word string) (int, bool) {
	rs := []rune(strings.TrimSpace(word))
	i := len(rs) - 1
	for i >= 0 && !isSounded(rs[i]) {
		i--
	}
	if i < 0 {
		return 0, false
	}
	r := rs[i]
	switch {
	case r >= 0xAC00 && r <= 0xD7A3:
		return int(r-0xAC00) % 28, true
	case r >= '0' && r <= '9':
		j := i
		for j >= 0 && (rs[j] >= '0' && rs[j] <= '9' || rs[j] == ',') {
			j--
		}
		return digitsFinal(strings.ReplaceAll(string(rs[j+1:i+1]), ",", "")), true
	case r < 0x80 && unicode.IsLetter(r):
		return latinFinal(rs[:i+1]), true
	case r >= 0x3131 && r <= 0x314E:
		return 1, true // a bare consonant (ㅋ, ㅎ) sounds like a final
	case r >= 0x314F && r <= 0x3163:
		return 0, true
	}
	return 0, false
}

func isSounded(r rune) bool {
	return (r >= 0xAC00 && r <= 0xD7A3) || (r >= 0x3131 && r <= 0x3163) ||
		(r >= '0' && r <= '9') || (r < 0x80 && unicode.IsLetter(r))
}

// digitsFinal reads a run of digits the Sino-Korean way and returns the
// final consonant of its last syllable.
func digitsFinal(d string) int {
	d = strings.TrimLeft(d, "0")
	if d == "" {
		return finalIeung // 영
	}
	zeros := len(d) - len(strings.TrimRight(d, "0"))
	if zeros > 0 {
		switch {
		case zeros == 1:
			return finalBieup // 십
		case zeros == 2:
			return finalGiyeok // 백
		case zeros == 3:
			return finalNieun // 천
		case zeros < 8:
			return finalNieun // 만
		case zeros < 12:
			return finalGiyeok // 억
		}
		return 0 // 조
	}
	switch d[len(d)-1] {
	case '1', '7', '8': // 일, 칠, 팔
		return finalRieul
	case '3': // 삼
		return finalMieum
	case '6': // 육
		return finalGiyeok
	}
	return 0 // 이, 사, 오, 구
}

// latinFinal returns the final consonant of the last sound of a word in
// Latin letters: an all-capital word is spelled letter by letter (BBQ →
// 비비큐); a lower-case word ending in m, n, l or ng is read with that
// final, anything else without.
func latinFinal(rs []rune) int {
	j := len(rs) - 1
	for j >= 0 && rs[j] < 0x80 && unicode.IsLetter(rs[j]) {
		j--
	}
	w := string(rs[j+1:])
	if strings.ToUpper(w) == w || len(w) == 1 {
		switch unicode.ToUpper(rs[len(rs)-1]) {
		case 'L', 'R': // 엘, 알
			return finalRieul
		case 'M': // 엠
			return finalMieum
		case 'N': // 엔
			return finalNieun
		}
		return 0
	}
	lw := strings.ToLower(w)
	switch {
	case strings.HasSuffix(lw, "ng"):
		return finalIeung
	case strings.HasSuffix(lw, "m"):
		return finalMieum
	case strings.HasSuffix(lw, "n"):
		return finalNieun
	case strings.HasSuffix(lw, "l"):
		return finalRieul
	}
	return 0
}

// Won formats an amount of money as 18,000원.
func Won(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	b.WriteString("원")
	return b.String()
}

var weekdays = [...]string{"일", "월", "화", "수", "목", "금", "토"}

// KoreanTime formats t in Seoul time as 12월 24일(목) 오후 7시, adding the
// minutes when they are not zero (오후 7시 30분).
func KoreanTime(t time.Time) string {
	t = t.In(sodam.Seoul)
	return KoreanDate(t) + " " + koreanClock(t)
}

// KoreanDate formats the day of t in Seoul time as 12월 24일(목).
func KoreanDate(t time.Time) string {
	t = t.In(sodam.Seoul)
	return strconv.Itoa(int(t.Month())) + "월 " + strconv.Itoa(t.Day()) + "일(" + weekdays[t.Weekday()] + ")"
}

func koreanClock(t time.Time) string {
	h := t.Hour()
	half := "오전"
	if h >= 12 {
		half = "오후"
	}
	h12 := h % 12
	if h12 == 0 {
		h12 = 12
	}
	s := half + " " + strconv.Itoa(h12) + "시"
	if m := t.Minute(); m != 0 {
		s += " " + strconv.Itoa(m) + "분"
	}
	return s
}
