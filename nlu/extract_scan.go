package nlu

import (
	"slices"
	"strings"
	"time"
)

// How extraction works: every position of the text where an entity may
// begin is offered to the scanners of each dimension, which each propose
// at most one candidate starting there. The candidates are then chosen
// longest first, so that a datetime or an amount of money absorbs the
// numbers inside it and a quantity absorbs its number; between
// candidates of the same length the more specific dimension wins.
//
// Korean chat often leaves out spaces (치킨두마리, 내일저녁7시), so the
// scanners do not require a word boundary before a number when the word
// after it (a counter, 원, 시, 번째) makes the reading clear. A numeral
// that is also an everyday word (이 "this", 일 "work", 네 "yes", 세 in
// 세일) counts only with such context.

// Priorities between candidates of equal length.
const (
	prioNumber = iota + 1
	prioOrdinal
	prioDuration
	prioQuantity
	prioMoney
	prioDatetime
)

type candidate struct {
	e    Entity
	prio int
}

// extractor holds one run of Extract.
type extractor struct {
	rs    []rune
	ref   time.Time
	cands []candidate
}

func newExtractor(text string, ref time.Time) *extractor {
	return &extractor{rs: []rune(text), ref: ref, cands: make([]candidate, 0, 8)}
}

// pos caches the number readings at one position, shared by the scanners.
type pos struct {
	i        int
	sino     numScan // Arabic or Sino-Korean, with units
	sinoOK   bool
	native   numScan
	nativeOK bool
}

func (x *extractor) run() []Entity {
	if len(x.rs) == 0 {
		return nil
	}
	for i := range x.rs {
		if !x.mayStart(i) {
			continue
		}
		p := pos{i: i}
		p.sino, p.sinoOK = scanSinoArabic(x.rs, i)
		if p.sinoOK && p.sino.form == formArabic && !x.arabicLeftOK(i) {
			p.sinoOK = false
		}
		if isHangul(x.rs[i]) {
			p.native, p.nativeOK = scanNative(x.rs, i)
		}
		x.scanDatetime(p)
		x.scanDuration(p)
		x.scanMoney(p)
		x.scanQuantity(p)
		x.scanOrdinal(p)
		x.scanNumber(p)
	}
	return x.choose()
}

// mayStart reports whether an entity can begin at i.
func (x *extractor) mayStart(i int) bool {
	r := x.rs[i]
	switch {
	case isDigit(r):
		return true
	case isHangul(r):
		return startSyllables[r-0xAC00]
	case r == '₩' || r == '￦' || r == '$' || r == '€' || r == '£' || r == '¥':
		return true
	case r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z':
		return !isASCIILetter(x.at(i - 1))
	}
	return false
}

// add records a candidate entity covering runes [start, end).
func (x *extractor) add(prio, start, end int, e Entity) {
	if end <= start || end > len(x.rs) {
		return
	}
	e.Start, e.End = start, end
	x.cands = append(x.cands, candidate{e: e, prio: prio})
}

// choose keeps the longest, then most specific, candidates that do not
// overlap, in text order.
func (x *extractor) choose() []Entity {
	if len(x.cands) == 0 {
		return nil
	}
	c := x.cands
	slices.SortStableFunc(c, func(a, b candidate) int {
		la, lb := a.e.End-a.e.Start, b.e.End-b.e.Start
		if la != lb {
			return lb - la
		}
		if a.prio != b.prio {
			return b.prio - a.prio
		}
		return a.e.Start - b.e.Start
	})
	taken := make([]bool, len(x.rs))
	out := make([]Entity, 0, 4)
next:
	for _, k := range c {
		for j := k.e.Start; j < k.e.End; j++ {
			if taken[j] {
				continue next
			}
		}
		for j := k.e.Start; j < k.e.End; j++ {
			taken[j] = true
		}
		k.e.Text = string(x.rs[k.e.Start:k.e.End])
		out = append(out, k.e)
	}
	slices.SortFunc(out, func(a, b Entity) int { return a.Start - b.Start })
	return out
}

// at returns the rune at i, or 0 outside the text.
func (x *extractor) at(i int) rune {
	if i < 0 || i >= len(x.rs) {
		return 0
	}
	return x.rs[i]
}

// has reports whether the text at i starts with w.
func (x *extractor) has(i int, w string) bool { return hasPrefixAt(x.rs, i, w) }

// word returns the end of the first of ws found at i, longer words
// listed first by the caller.
func (x *extractor) word(i int, ws ...string) (string, int, bool) {
	for _, w := range ws {
		if hasPrefixAt(x.rs, i, w) {
			return w, i + len([]rune(w)), true
		}
	}
	return "", i, false
}

// skipSpace skips spaces and tabs from i.
func (x *extractor) skipSpace(i int) int {
	for i < len(x.rs) && isSpace(x.rs[i]) {
		i++
	}
	return i
}

// space1 skips at most one run of up to two spaces, the gap allowed
// between the parts of one entity.
func (x *extractor) space1(i int) int {
	j := i
	for j < len(x.rs) && j-i < 2 && isSpace(x.rs[j]) {
		j++
	}
	return j
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\u3000' || r == '\u00a0' }

func isASCIILetter(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' }

// leftFree reports that the word starting at i does not continue a
// Hangul word before it.
func (x *extractor) leftFree(i int) bool { return !isHangul(x.at(i - 1)) }

// arabicLeftOK reports that digits at i start a number rather than
// continue a code or another number (A4, mp3, 1.5, 3,000, 010-).
func (x *extractor) arabicLeftOK(i int) bool {
	p := x.at(i - 1)
	switch {
	case isDigit(p), isASCIILetter(p), p == '_':
		return false
	case p == '.' || p == ',' || p == '-' || p == ':' || p == '/':
		return !isDigit(x.at(i - 2))
	}
	return true
}

// Sets of syllables that may follow a word without a space and still
// leave it a word of its own.
const (
	// particles and copula endings after a number or a noun
	particleNext = "이가을를은는도만요씩로으랑하와과에의쯤정까부밖뿐짜나야어입였"
	// also verbs that follow an amount in run-together chat
	// (두개주세요, 2매예매, 한판추가)
	amountNext = particleNext + "주시예추포배빼넣되남있없필미넘안내결보해했할합함갖사드더그짜씩당"
)

// followOK reports that the word ending at i is not the start of a
// longer word: the next rune is not Hangul, or is one of set.
func (x *extractor) followOK(i int, set string) bool {
	r := x.at(i)
	return !isHangul(r) || strings.ContainsRune(set, r)
}

// startSyllables marks the Hangul syllables that can begin an entity:
// the first syllable of every numeral, unit, date and time word. Most
// syllables of a message begin nothing, and skipping them keeps
// extraction fast.
var startSyllables = buildStartSyllables()

func buildStartSyllables() *[11172]bool {
	var set [11172]bool
	mark := func(w string) {
		for _, r := range w {
			if isHangul(r) {
				set[r-0xAC00] = true
			}
			return
		}
	}
	for _, w := range []string{
		"일이삼사오육칠팔구십백천만억조", // Sino-Korean digits and units, one a syllable
		"첫제정자주말유시반",       // 첫 번째, 제3, 정오, 자정, 주말, 유월, 시월, 반 마리
	} {
		for _, r := range w {
			mark(string(r))
		}
	}
	for _, t := range [][]nativeWord{nativeTens, nativeUnits, oldNativeUnits} {
		for _, w := range t {
			mark(w.word)
		}
	}
	for _, w := range dayWords {
		mark(w.w)
	}
	for _, w := range relPrefixes {
		mark(w.w)
	}
	for _, w := range yearWords {
		mark(w)
	}
	for _, w := range weekdayFull {
		mark(w)
	}
	for _, w := range periods {
		mark(w.w)
	}
	for _, w := range holidays {
		mark(w.w)
	}
	for _, w := range dayCounts {
		mark(w.w)
	}
	return &set
}
