package nlu

import "time"

// Durations (2시간, 30분, 1시간 반, 사흘) and times relative to now made
// of them (3일 후, 2시간 뒤, 30분 전).

// durUnit is one unit of a duration with its length and calendar step.
type durUnit struct {
	word    string
	seconds float64
	rank    int // units of a compound duration go down in rank
	// needCue units (일, 년) are a date unless a word of duration or
	// of relative time follows: 3일 is the 3rd, 3일간 three days.
	needCue bool
	// native units follow a native numeral: 두 시간, 한 달, 두 주.
	native bool
	// sino units also take a bare Sino-Korean digit: 오분, 삼개월.
	sino bool
	// years, months, days step the calendar; the rest the clock.
	years, months, days int
}

var (
	unitDay    = durUnit{word: "일", seconds: 86400, rank: 5, needCue: true, sino: true, days: 1}
	unitMinute = durUnit{word: "분", seconds: 60, rank: 3, sino: true}
)

// durUnits, longer words first.
var durUnits = []durUnit{
	{word: "시간", seconds: 3600, rank: 4, native: true, sino: true},
	{word: "개월", seconds: 30 * 86400, rank: 7, native: true, sino: true, months: 1},
	{word: "주일", seconds: 7 * 86400, rank: 6, sino: true, days: 7},
	unitMinute,
	{word: "초", seconds: 1, rank: 2, sino: true},
	unitDay,
	{word: "주", seconds: 7 * 86400, rank: 6, native: true, days: 7},
	{word: "달", seconds: 30 * 86400, rank: 7, native: true, months: 1},
	{word: "년", seconds: 365 * 86400, rank: 8, needCue: true, sino: true, years: 1},
}

// dayCounts are the native words for a number of days.
var dayCounts = []struct {
	w    string
	days int
}{
	{"일주일", 7}, {"하루", 1}, {"이틀", 2}, {"사흘", 3}, {"나흘", 4}, {"닷새", 5},
	{"엿새", 6}, {"이레", 7}, {"열흘", 10}, {"보름", 15},
}

// durAcc accumulates a duration as calendar and clock parts.
type durAcc struct {
	seconds             float64
	years, months, days int
	clock               time.Duration
	clockUnits          bool // hours, minutes or seconds said
	seconded            bool // seconds said
}

func (a *durAcc) addUnit(u durUnit, n float64) {
	a.seconds += n * u.seconds
	whole := n == float64(int(n))
	switch {
	case u.years > 0 && whole:
		a.years += int(n)
	case u.months > 0 && whole:
		a.months += int(n)
	case u.days > 0 && whole:
		a.days += int(n) * u.days
	default:
		a.clock += time.Duration(n * u.seconds * float64(time.Second))
		a.clockUnits = true
		if u.seconds == 1 {
			a.seconded = true
		}
	}
}

// scanDuration proposes at p a duration, or the time it points to when
// 후, 뒤, 전 … follows.
func (x *extractor) scanDuration(p pos) {
	var acc durAcc
	i, j := p.i, p.i
	lastRank, parts := 99, 0
	needCue := false
	for {
		k := j
		if parts > 0 {
			k = x.space1(j)
		}
		if w, e, ok := x.dayCountAt(k, parts == 0); ok && lastRank > unitDay.rank {
			acc.addUnit(unitDay, float64(w))
			j, lastRank, parts = e, unitDay.rank, parts+1
			needCue = false
			continue
		}
		n, u, e, ok := x.durationPart(k, parts == 0, p)
		if !ok || u.rank >= lastRank {
			break
		}
		acc.addUnit(u, n)
		j, lastRank, parts = e, u.rank, parts+1
		needCue = u.needCue
		if u.word == "시간" {
			m := x.space1(j)
			if x.has(m, "반") && x.followOK(m+1, timeNext) {
				acc.addUnit(unitMinute, 30)
				j, lastRank = m+1, unitMinute.rank
			}
		}
	}
	if parts == 0 {
		return
	}
	// A time relative to now?
	k := x.space1(j)
	if w, e, ok := x.word(k, "있다가", "지나서", "이후", "이전", "후", "뒤", "전"); ok && x.followOK(e, particleNext+"엔") {
		sign := 1
		if w == "전" || w == "이전" {
			sign = -1
		}
		x.add(prioDatetime, i, e, x.relative(acc, sign).entity())
		return
	}
	if needCue && !x.durationCue(j) {
		return
	}
	x.add(prioDuration, i, j, Entity{Dim: DimDuration, Seconds: acc.seconds, Dur: time.Duration(acc.seconds * float64(time.Second))})
}

// dayCountAt reads 하루, 이틀 … 보름, 일주일.
func (x *extractor) dayCountAt(i int, first bool) (int, int, bool) {
	if first && !x.leftFree(i) {
		return 0, i, false
	}
	for _, d := range dayCounts {
		if x.has(i, d.w) {
			e := i + len([]rune(d.w))
			if !x.followOK(e, timeNext+"만") {
				return 0, i, false
			}
			return d.days, e, true
		}
	}
	return 0, i, false
}

// durationPart reads one number with its unit at i.
func (x *extractor) durationPart(i int, first bool, p pos) (float64, durUnit, int, bool) {
	var cands [2]numScan
	nc := 0
	if first {
		if p.sinoOK {
			cands[nc] = p.sino
			nc++
		}
		if p.nativeOK {
			cands[nc] = p.native
			nc++
		}
	} else {
		if n, ok := scanSinoArabic(x.rs, i); ok && (n.form != formArabic || x.arabicLeftOK(i)) {
			cands[nc] = n
			nc++
		}
		if n, ok := scanNative(x.rs, i); ok {
			cands[nc] = n
			nc++
		}
	}
	for _, n := range cands[:nc] {
		k := x.space1(n.end)
		for _, u := range durUnits {
			if !x.has(k, u.word) {
				continue
			}
			e := k + len([]rune(u.word))
			if !x.durNumberFits(i, n, u) || !x.followOK(e, timeNext+"반동내째뒤걸지있안") {
				break
			}
			if u.word == "일" && x.has(e, "요일") || u.word == "주" && x.has(k, "주말") {
				break
			}
			if u.needCue && n.val >= 100 {
				break
			}
			return n.val, u, e, true
		}
	}
	return 0, durUnit{}, i, false
}

// durNumberFits reports whether the number n at i may count unit u.
func (x *extractor) durNumberFits(i int, n numScan, u durUnit) bool {
	switch n.form {
	case formNative:
		if !u.native {
			return false
		}
		switch x.at(i) {
		case '서', '너':
			return false
		case '석', '넉':
			return n.end-i > 1 || u.word == "달"
		}
		// 네 시간 at the start of a reply is usually "yes, the time …".
		if x.at(i) == '네' && n.end-i == 1 && u.word == "시간" && i == 0 {
			return false
		}
		return true
	case formSino:
		if !x.leftFree(i) {
			return false
		}
		return n.units || u.sino
	}
	return true
}

// relative returns the time acc after (sign 1) or before (sign -1) the
// reference time: to the minute when the clock was said, else the day.
func (x *extractor) relative(acc durAcc, sign int) dtValue {
	t := x.ref.AddDate(sign*acc.years, sign*acc.months, sign*acc.days)
	if !acc.clockUnits {
		return dtValue{t: midnight(t), grain: grainDay}
	}
	t = t.Add(time.Duration(sign) * acc.clock)
	if acc.seconded {
		return dtValue{t: t.Truncate(time.Second), grain: "second"}
	}
	return dtValue{t: time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, t.Location()), grain: grainMinute}
}
