package nlu

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Korean writes numbers three ways, often mixed in one message: Arabic
// digits (15,000, 1.5), Sino-Korean numerals (일 이 삼 … with 십 백 천 and
// the myriads 만 억 조, so 2만5천 is 25,000) and native Korean numerals
// (하나 둘 셋 …, with the attributive forms 한 두 세 네 used before a
// counter, and the tens 열 스물 서른 … 아흔). The scanners here read one
// number starting at a position and report where it ends; whether a
// number found inside a message is really meant as one is decided by the
// extractor, which looks at what surrounds it.

// numForm says how a scanned number was written.
type numForm uint8

const (
	formArabic numForm = iota + 1 // has at least one Arabic digit
	formSino                      // Sino-Korean syllables only
	formNative                    // native Korean numerals
	formHalf                      // 반 (a half) before a counter
)

// numScan is one number read from a rune slice.
type numScan struct {
	val  float64
	end  int // exclusive
	form numForm
	// units reports a 십/백/천/만/억/조 in the number.
	units bool
	// digitEnd reports that the number ends in a Sino digit (일, 이 …),
	// which can also be the start of the next word; alt and altVal give
	// the number without that digit (alt is 0 when there is none).
	digitEnd bool
	alt      int
	altVal   float64
	// attributive reports a native numeral in a form used only before a
	// counter (한, 두, 세, 네, 열두, 스무), never on its own.
	attributive bool
	// sinoDigits reports at least one Sino-Korean digit syllable.
	sinoDigits bool
}

// ParseNumber reads s as one number written in any Korean form: digits
// (15000, 15,000, 1.5), digits or Sino-Korean numerals with the units
// 십 백 천 만 억 조 (2만5천, 1.5만, 삼만, 만오천) or native numerals (하나,
// 두, 열두, 스물다섯). Surrounding spaces are ignored. It reports false
// when s is not exactly one number.
func ParseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	rs := []rune(s)
	if n, ok := scanSinoArabic(rs, 0); ok && n.end == len(rs) {
		return n.val, true
	}
	if n, ok := scanNative(rs, 0); ok && n.end == len(rs) {
		return n.val, true
	}
	return 0, false
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// sinoDigit returns the value of a Sino-Korean digit syllable. 영 and 공
// (zero) are left out: as words they mean film and ball far more often.
func sinoDigit(r rune) (int, bool) {
	switch r {
	case '일':
		return 1, true
	case '이':
		return 2, true
	case '삼':
		return 3, true
	case '사':
		return 4, true
	case '오':
		return 5, true
	case '육':
		return 6, true
	case '칠':
		return 7, true
	case '팔':
		return 8, true
	case '구':
		return 9, true
	}
	return 0, false
}

// smallUnit returns the value of 십, 백 or 천.
func smallUnit(r rune) (float64, bool) {
	switch r {
	case '십':
		return 10, true
	case '백':
		return 100, true
	case '천':
		return 1000, true
	}
	return 0, false
}

// bigUnit returns the value of the myriads 만, 억 and 조.
func bigUnit(r rune) (float64, bool) {
	switch r {
	case '만':
		return 1e4, true
	case '억':
		return 1e8, true
	case '조':
		return 1e12, true
	}
	return 0, false
}

// scanArabic reads digits with optional thousands commas and an optional
// decimal part starting at i.
func scanArabic(rs []rune, i int) (val float64, end int, ok bool) {
	j := i
	var intPart float64
	for j < len(rs) && isDigit(rs[j]) {
		intPart = intPart*10 + float64(rs[j]-'0')
		j++
	}
	if j == i || j-i > 15 {
		// More than 15 digits is a code, not an amount (and would not
		// survive a float64).
		return 0, i, false
	}
	// Thousands separators: a comma followed by exactly three digits.
	// Only when the first group has at most three digits.
	if j-i <= 3 {
		for j+3 < len(rs) && rs[j] == ',' && isDigit(rs[j+1]) && isDigit(rs[j+2]) && isDigit(rs[j+3]) &&
			(j+4 >= len(rs) || !isDigit(rs[j+4])) {
			intPart = intPart*1000 + float64(rs[j+1]-'0')*100 + float64(rs[j+2]-'0')*10 + float64(rs[j+3]-'0')
			j += 4
		}
	}
	val = intPart
	if j+1 < len(rs) && rs[j] == '.' && isDigit(rs[j+1]) {
		scale := 0.1
		k := j + 1
		for k < len(rs) && isDigit(rs[k]) {
			val += float64(rs[k]-'0') * scale
			scale /= 10
			k++
		}
		j = k
	}
	return val, j, true
}

// scanSinoArabic reads the longest number at i made of Arabic digits,
// Sino-Korean digits and the units 십 백 천 만 억 조, such as 15,000,
// 1.5만, 2만5천, 2만 5천, 3만5000, 삼만, 이십오, 만오천. After a myriad
// one space may separate the next group when that group has a unit
// (2만 5천). Two digits in a row end the number (이십오일: 25, then 일).
func scanSinoArabic(rs []rune, i int) (numScan, bool) {
	var (
		total, block, cur float64
		hasCur            bool
		arabic, units     bool
		lastSmall         = 1e4 // units in a block decrease: 천 then 백 then 십
		lastBig           = 1e16
		needUnit          bool // a group after a space must carry a unit
		best              numScan
		found             bool
		prevEnd           int
		prevVal           float64
		lastWasSinoDigit  bool
		sinoDigits        bool
	)
	record := func(end int) {
		v := total + block
		if hasCur {
			v += cur
		}
		if found {
			prevEnd, prevVal = best.end, best.val
		}
		best = numScan{val: roundNum(v), end: end, units: units, digitEnd: lastWasSinoDigit, sinoDigits: sinoDigits}
		if lastWasSinoDigit && found {
			best.alt, best.altVal = prevEnd, prevVal
		}
		found = true
	}
	j := i
	for j < len(rs) {
		r := rs[j]
		switch {
		case isDigit(r):
			if hasCur {
				goto done
			}
			v, e, _ := scanArabic(rs, j)
			cur, hasCur, arabic = v, true, true
			lastWasSinoDigit = false
			j = e
			if !needUnit {
				record(j)
			}
			continue
		case r == ' ':
			// Only "…만 5천": a space right after a myriad, followed by a group.
			if j == i || needUnit || hasCur || block != 0 || total == 0 || j+1 >= len(rs) {
				goto done
			}
			if _, ok := sinoDigit(rs[j+1]); !ok && !isDigit(rs[j+1]) {
				goto done
			}
			needUnit = true
			j++
			continue
		}
		if d, ok := sinoDigit(r); ok {
			if hasCur {
				goto done
			}
			cur, hasCur = float64(d), true
			lastWasSinoDigit, sinoDigits = true, true
			j++
			if !needUnit {
				record(j)
			}
			continue
		}
		if u, ok := smallUnit(r); ok {
			if u >= lastSmall {
				goto done
			}
			m := 1.0
			if hasCur {
				m = cur
			}
			block += m * u
			hasCur, units, needUnit, lastWasSinoDigit = false, true, false, false
			lastSmall = u
			j++
			record(j)
			continue
		}
		if u, ok := bigUnit(r); ok {
			if u >= lastBig {
				goto done
			}
			b := block
			if hasCur {
				b += cur
			}
			if b == 0 {
				b = 1
			}
			total += b * u
			block, hasCur, units, needUnit, lastWasSinoDigit = 0, false, true, false, false
			lastSmall, lastBig = 1e4, u
			j++
			record(j)
			continue
		}
		break
	}
done:
	if !found {
		return numScan{}, false
	}
	if arabic {
		best.form = formArabic
	} else {
		best.form = formSino
	}
	return best, true
}

type nativeWord struct {
	word string
	val  float64
	attr bool // attributive form, used before a counter
}

// Native tens; 스무 is the attributive of 스물 and takes no units.
var nativeTens = []nativeWord{
	{"스물", 20, false}, {"스무", 20, true}, {"서른", 30, false}, {"마흔", 40, false},
	{"예순", 60, false}, {"일흔", 70, false}, {"여든", 80, false}, {"아흔", 90, false},
	{"열", 10, false}, {"쉰", 50, false},
}

// Native units, longer words first. 석/넉 and 서/너 are the old forms
// of three and four that survive before a few counters (석 잔, 서 말).
var nativeUnits = []nativeWord{
	{"하나", 1, false}, {"다섯", 5, false}, {"여섯", 6, false}, {"일곱", 7, false},
	{"여덟", 8, false}, {"아홉", 9, false},
	{"둘", 2, false}, {"셋", 3, false}, {"넷", 4, false},
	{"한", 1, true}, {"두", 2, true}, {"세", 3, true}, {"네", 4, true},
}

// oldNativeUnits are 석, 넉 (three, four before 잔, 달, 장) and 서, 너
// (before 말, 되, 돈); they never follow a ten.
var oldNativeUnits = []nativeWord{
	{"석", 3, true}, {"넉", 4, true}, {"서", 3, true}, {"너", 4, true},
}

// hasPrefixAt reports whether the runes at i spell w. The first rune of
// w is read with a fast path for the three-byte UTF-8 of Hangul, which
// rejects most words at once.
func hasPrefixAt(rs []rune, i int, w string) bool {
	if i < 0 || i >= len(rs) || len(w) == 0 {
		return false
	}
	var r0 rune
	n := 1
	switch b := w[0]; {
	case b < utf8.RuneSelf:
		r0 = rune(b)
	case b&0xF0 == 0xE0 && len(w) >= 3:
		r0, n = rune(b&0x0F)<<12|rune(w[1]&0x3F)<<6|rune(w[2]&0x3F), 3
	default:
		r0, n = utf8.DecodeRuneInString(w)
	}
	if rs[i] != r0 {
		return false
	}
	i++
	for _, r := range w[n:] {
		if i >= len(rs) || rs[i] != r {
			return false
		}
		i++
	}
	return true
}

// matchWord returns the end of the first word of ws found at i.
func matchWord(rs []rune, i int, ws []nativeWord) (nativeWord, int, bool) {
	for _, w := range ws {
		if hasPrefixAt(rs, i, w.word) {
			return w, i + len([]rune(w.word)), true
		}
	}
	return nativeWord{}, i, false
}

// scanNative reads a native Korean numeral at i: a ten, a unit, or a ten
// followed by a unit (열두, 스물다섯, 서른셋).
func scanNative(rs []rune, i int) (numScan, bool) {
	if i >= len(rs) || !isNativeStart(rs[i]) {
		return numScan{}, false
	}
	n := numScan{form: formNative}
	j := i
	if t, e, ok := matchWord(rs, j, nativeTens); ok {
		n.val, n.attributive, j = t.val, t.attr, e
		n.end = j
		if t.attr {
			return n, true
		}
		if u, e2, ok := matchWord(rs, j, nativeUnits); ok {
			n.val += u.val
			n.attributive = u.attr
			n.end = e2
		}
		return n, true
	}
	if u, e, ok := matchWord(rs, j, nativeUnits); ok {
		n.val, n.attributive, n.end = u.val, u.attr, e
		return n, true
	}
	if u, e, ok := matchWord(rs, j, oldNativeUnits); ok {
		n.val, n.attributive, n.end = u.val, u.attr, e
		return n, true
	}
	return numScan{}, false
}

// isHangul reports a precomposed Hangul syllable.
func isHangul(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }

// isWordRune reports a rune that continues a word: letters and digits of
// any script.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// roundNum removes the binary noise of decimal arithmetic (1.2만 is
// 12000, not 12000.000000000002).
func roundNum(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// isNativeStart reports the first syllables of the native numerals, so
// that most positions are rejected without trying every word.
func isNativeStart(r rune) bool {
	switch r {
	case '스', '서', '마', '예', '일', '여', '아', '열', '쉰', '하', '다', '둘', '셋', '넷',
		'한', '두', '세', '네', '석', '넉', '너':
		return true
	}
	return false
}
