package nlu

import "time"

// Parsing of datetime expressions: an optional date part (오늘, 다음 주
// 금요일, 12월 24일, 2026-12-24, 크리스마스 이브) followed by an optional
// time part (저녁 7시, 오후 2시 반, 7시 30분, 19:30, 정오), and spans
// joined by 부터/까지/에서/~. Resolution against the reference time is in
// datetime_resolve.go.

// Kinds of date part.
const (
	dateNone      = iota
	dateRel       // 오늘, 내일: rel days from today
	dateWeek      // 이번 주, 다음 주 (금요일), 주말: week offset, weekday or weekend
	dateWeekday   // 금요일, 이번 토요일: the next such day, skip weeks later
	dateMonthRel  // 이번 달, 다음 달 (5일)
	dateYearRel   // 올해, 내년
	dateAbs       // [year] [month] [day], zero when unsaid
	dateHoliday   // 크리스마스, 추석
	dateFixed     // a day given by the context of a span
	dateFixedSpan // a span given by the context
)

// dtExpr is one parsed, unresolved datetime expression.
type dtExpr struct {
	start, end int

	date     int
	rel      int
	weekOff  int
	weekday  int // 0 Sunday … 6 Saturday; -1 when unsaid
	weekend  bool
	skip     int // weeks after the next weekday (다음 토요일)
	monthOff int
	yearOff  int
	year     int
	month    int
	day      int
	holiday  string

	hasTime bool
	period  string // 오전, 저녁 …; "" when unsaid
	hour    int    // -1 when unsaid
	minute  int    // -1 when unsaid
	special string // 정오, 자정

	fixed time.Time // the day of a dateFixed part
}

// dayLevel reports a date part that names one day, after which a time
// may follow.
func (d *dtExpr) dayLevel() bool {
	switch d.date {
	case dateRel, dateWeekday, dateHoliday, dateFixed:
		return true
	case dateWeek:
		return d.weekday >= 0 && !d.weekend
	case dateMonthRel:
		return d.day > 0
	case dateAbs:
		return d.day > 0
	}
	return false
}

var dayWords = []struct {
	w   string
	rel int
}{
	{"내일모레", 2}, {"낼모레", 2}, {"그저께", -2}, {"오늘", 0}, {"금일", 0}, {"내일", 1},
	{"모레", 2}, {"글피", 3}, {"어제", -1}, {"그제", -2}, {"낼", 1},
}

var weekdayFull = []string{"일요일", "월요일", "화요일", "수요일", "목요일", "금요일", "토요일"}
var weekdayShort = []string{"일욜", "월욜", "화욜", "수욜", "목욜", "금욜", "토욜"}
var weekdayChar = []rune{'일', '월', '화', '수', '목', '금', '토'}

// periods are the parts of the day, with the span each names.
var periods = []struct {
	w        string
	from, to int // hours
}{
	{"오전", 0, 12}, {"오후", 12, 18}, {"아침", 6, 11}, {"저녁", 18, 22}, {"새벽", 0, 6},
	{"점심", 11, 14}, {"낮", 12, 17}, {"밤", 20, 24},
}

// holidays with a fixed solar date; 설날 and 추석 follow the lunar
// calendar and are looked up in lunarHolidays.
var holidays = []struct {
	w            string
	month, day   int
	canonical    string
	needBoundary bool
}{
	{"크리스마스 이브", 12, 24, "", false}, {"크리스마스이브", 12, 24, "", false},
	{"크리스마스", 12, 25, "", false}, {"성탄절", 12, 25, "", false},
	{"신정", 1, 1, "", true}, {"삼일절", 3, 1, "", false}, {"어린이날", 5, 5, "", false},
	{"어버이날", 5, 8, "", false}, {"현충일", 6, 6, "", false}, {"광복절", 8, 15, "", false},
	{"개천절", 10, 3, "", false}, {"한글날", 10, 9, "", false}, {"할로윈", 10, 31, "", false},
	{"핼러윈", 10, 31, "", false}, {"빼빼로데이", 11, 11, "", false},
	{"발렌타인데이", 2, 14, "", false}, {"밸런타인데이", 2, 14, "", false},
	{"화이트데이", 3, 14, "", false},
	{"설날", 0, 0, "설날", false}, {"추석", 0, 0, "추석", false},
}

// lunarHolidays gives 설날 and 추석 (the main day) by year.
var lunarHolidays = map[string][][3]int{
	"설날": {{2024, 2, 10}, {2025, 1, 29}, {2026, 2, 17}, {2027, 2, 7}, {2028, 1, 27}, {2029, 2, 13}, {2030, 2, 3}},
	"추석": {{2024, 9, 17}, {2025, 10, 6}, {2026, 9, 25}, {2027, 9, 15}, {2028, 10, 3}, {2029, 9, 22}, {2030, 9, 12}},
}

// Syllables that may follow a date or time word without a space.
const (
	timeNext    = particleNext + "엔께경즈넘전후다간낮밤저새아오점"
	hourNext    = "에반부까쯤경정이전후도요엔께즈만가는은을로되넘지다"
	weekdayNext = "에요까부쯤저오아밤점낮새은도이날엔로"
)

// parseDatetime reads one datetime expression at i without spans.
func (x *extractor) parseDatetime(i int) (dtExpr, bool) {
	d := dtExpr{start: i, weekday: -1, hour: -1, minute: -1}
	if e, ok := x.parseDate(i, &d); ok {
		d.end = e
		if d.dayLevel() {
			x.absorbWeekday(&d)
			k := x.space1(d.end)
			if e2, ok := x.parseTime(k, &d, true); ok {
				d.end = e2
			}
		}
		return d, true
	}
	if e, ok := x.parseTime(i, &d, false); ok {
		d.end = e
		return d, true
	}
	return d, false
}

// absorbWeekday takes a weekday written after a date (12월 24일 목요일,
// 24일(목)) into the date's text.
func (x *extractor) absorbWeekday(d *dtExpr) {
	if d.date != dateAbs && d.date != dateHoliday && d.date != dateMonthRel {
		return
	}
	k := x.space1(d.end)
	if d.date == dateAbs {
		for _, h := range holidays {
			if h.month == d.month && h.day == d.day && x.has(k, h.w) {
				d.end = k + len([]rune(h.w))
				k = x.space1(d.end)
				break
			}
		}
	}
	if x.at(k) == '(' {
		for w := range 7 {
			if e, ok := x.hasFold(k+1, weekdayFull[w]); ok && x.at(e) == ')' {
				d.end = e + 1
				return
			}
			if x.at(k+1) == weekdayChar[w] && x.at(k+2) == ')' {
				d.end = k + 3
				return
			}
		}
		return
	}
	for w := range 7 {
		if _, e, ok := x.word(k, weekdayFull[w], weekdayShort[w]); ok {
			d.end = e
			return
		}
	}
}

// parseDate reads a date part at i into d and returns its end.
func (x *extractor) parseDate(i int, d *dtExpr) (int, bool) {
	// Relative days.
	for _, w := range dayWords {
		if !x.has(i, w.w) {
			continue
		}
		e := i + len([]rune(w.w))
		if w.w == "낼" && !x.followOK(e, "은도저오아밤점새낮모 ") {
			continue
		}
		if !x.followOK(e, timeNext+"모") {
			continue
		}
		d.date, d.rel = dateRel, w.rel
		return e, true
	}
	// Numeric dates: 2026-12-24, 2026.12.24, 2026/12/24, 12/24.
	if e, ok := x.parseNumericDate(i, d); ok {
		return e, true
	}
	// Weeks, months and years relative to now.
	if e, ok := x.parseRelative(i, d); ok {
		return e, true
	}
	// Weekdays alone: 금요일, 토욜.
	if e, ok := x.parseWeekdayWord(i, d, false); ok {
		d.date = dateWeekday
		return e, true
	}
	// 주말 alone: this week's weekend.
	if x.has(i, "주말") && x.leftFree(i) {
		d.date, d.weekOff, d.weekend = dateWeek, 0, true
		return i + 2, true
	}
	// Holidays.
	for _, h := range holidays {
		if !x.has(i, h.w) {
			continue
		}
		if h.needBoundary && (!x.leftFree(i) || !x.followOK(i+len([]rune(h.w)), particleNext)) {
			continue
		}
		d.date, d.month, d.day, d.holiday = dateHoliday, h.month, h.day, h.canonical
		return i + len([]rune(h.w)), true
	}
	// [N년] [N월] [N일].
	return x.parseYMD(i, d)
}

// parseWeekdayWord reads a weekday name at i; single syllables (금, 토)
// only when short is set, that is after a week (다음 주 금).
func (x *extractor) parseWeekdayWord(i int, d *dtExpr, short bool) (int, bool) {
	for w := range 7 {
		if _, e, ok := x.word(i, weekdayFull[w], weekdayShort[w]); ok {
			d.weekday = w
			return e, true
		}
	}
	if short {
		for w, c := range weekdayChar {
			if x.at(i) == c && x.followOK(i+1, weekdayNext) && !x.has(i, "일주") {
				d.weekday = w
				return i + 1, true
			}
		}
	}
	return i, false
}

// relPrefixes place a week, month or weekday relative to now.
var relPrefixes = []struct {
	w   string
	off int
}{
	{"다다음", 2}, {"다음", 1}, {"이번", 0}, {"지난", -1}, {"저번", -1}, {"담", 1}, {"오는", 0}, {"돌아오는", 0},
}

// yearWords name a year relative to now.
var yearWords = []string{"올해", "내년", "작년", "내후년", "금년"}

// parseRelative reads 이번 주, 다음 주 금요일, 다다음주, 지난주, 이번 주말,
// 이번 토요일, 다음 토요일, 이번 달, 다음 달 5일, 올해, 내년.
func (x *extractor) parseRelative(i int, d *dtExpr) (int, bool) {
	if !x.leftFree(i) {
		return i, false
	}
	for _, p := range relPrefixes {
		if !x.has(i, p.w) {
			continue
		}
		j := i + len([]rune(p.w))
		k := x.space1(j)
		switch {
		case x.has(k, "주말"):
			if p.w == "오는" || p.w == "돌아오는" {
				p.off = 0
			}
			d.date, d.weekOff, d.weekend = dateWeek, p.off, true
			return k + 2, true
		case x.has(k, "주") && x.followOK(k+1, timeNext+"월화수목금토일말"):
			d.date, d.weekOff = dateWeek, p.off
			e := k + 1
			m := x.space1(e)
			if x.has(m, "주말") {
				d.weekend = true
				return m + 2, true
			}
			if e2, ok := x.parseWeekdayWord(m, d, true); ok {
				return e2, true
			}
			return e, true
		case x.has(k, "달") && x.followOK(k+1, timeNext+"말초"):
			if p.w == "오는" || p.w == "돌아오는" {
				return i, false
			}
			d.date, d.monthOff = dateMonthRel, p.off
			e := k + 1
			m := x.space1(e)
			if n, e2, ok := x.dayNumber(m, true); ok {
				d.day = n
				return e2, true
			}
			return e, true
		}
		// 이번 토요일, 다음 토요일, 오는 금요일.
		if e, ok := x.parseWeekdayWord(k, d, false); ok {
			if p.off < 0 {
				return i, false
			}
			d.date = dateWeekday
			if p.w == "다음" || p.w == "담" {
				d.skip = 1
			}
			if p.w == "다다음" {
				d.skip = 2
			}
			return e, true
		}
	}
	if w, e, ok := x.word(i, yearWords...); ok && x.followOK(e, timeNext) {
		d.date = dateYearRel
		switch w {
		case "내년":
			d.yearOff = 1
		case "작년":
			d.yearOff = -1
		case "내후년":
			d.yearOff = 2
		}
		// 내년 3월 (5일): the month and day within that year.
		k := x.space1(e)
		var sub dtExpr
		if e2, ok := x.parseYMD(k, &sub); ok && sub.year == 0 && sub.month > 0 {
			d.date, d.month, d.day = dateAbs, sub.month, sub.day
			d.year = x.ref.Year() + d.yearOff
			return e2, true
		}
		return e, true
	}
	return i, false
}

// parseNumericDate reads 2026-12-24, 2026.12.24, 2026/12/24 and 12/24.
func (x *extractor) parseNumericDate(i int, d *dtExpr) (int, bool) {
	if !isDigit(x.at(i)) || !x.arabicLeftOK(i) {
		return i, false
	}
	a, e1 := x.digits(i, 4)
	sep := x.at(e1)
	if sep != '-' && sep != '.' && sep != '/' {
		return i, false
	}
	b, e2 := x.digits(e1+1, 2)
	if e2 == e1+1 {
		return i, false
	}
	if e1-i == 4 {
		if x.at(e2) != sep {
			return i, false
		}
		c, e3 := x.digits(e2+1, 2)
		if e3 == e2+1 || isDigit(x.at(e3)) || !validDate(a, b, c) {
			return i, false
		}
		d.date, d.year, d.month, d.day = dateAbs, a, b, c
		if sep == '.' && x.at(e3) == '.' {
			e3++
		}
		return e3, true
	}
	// M/D only with a slash, so that 1.5 stays a number.
	if sep != '/' || e1-i > 2 || isDigit(x.at(e2)) || x.at(e2) == '/' || !validDate(2000, a, b) {
		return i, false
	}
	d.date, d.month, d.day = dateAbs, a, b
	return e2, true
}

// digits reads up to max ASCII digits at i; more digits make no match.
func (x *extractor) digits(i, max int) (int, int) {
	v, j := 0, i
	for j < len(x.rs) && isDigit(x.rs[j]) {
		if j-i == max {
			return 0, i
		}
		v = v*10 + int(x.rs[j]-'0')
		j++
	}
	return v, j
}

func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= daysIn(y, m)
}

// daysIn returns the number of days of month m of year y.
func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// parseYMD reads [N년] [N월] [N일] at i: 2026년 12월 24일, 12월 24일,
// 십이월 이십오일, 12월, 24일, 삼일.
func (x *extractor) parseYMD(i int, d *dtExpr) (int, bool) {
	j, found := i, false
	if y, e, ok := x.yearNumber(j); ok {
		d.year, j, found = y, e, true
	}
	sinoMonth := false
	if m, e, ok := x.monthNumber(x.spaceIf(j, found)); ok {
		sinoMonth = !isDigit(x.at(x.spaceIf(j, found)))
		d.month, j, found = m, e, true
	}
	if n, e, ok := x.dayNumber(x.spaceIf(j, found), d.month > 0); ok {
		d.day, j, found = n, e, true
	}
	if !found {
		return i, false
	}
	// 이월 상품 (carried-over stock), 오일 (oil): a bare Sino-Korean
	// month needs its day, and a bare Sino-Korean day a unit (이십오일).
	if sinoMonth && d.day == 0 && d.year == 0 && d.month != 6 && d.month != 10 {
		return i, false
	}
	if d.month == 0 && d.year == 0 && !isDigit(x.at(i)) && j-i < 3 {
		return i, false
	}
	d.date = dateAbs
	return j, true
}

// spaceIf skips a gap only after a part already read.
func (x *extractor) spaceIf(j int, after bool) int {
	if after {
		return x.space1(j)
	}
	return j
}

// yearNumber reads 2026년 or 26년.
func (x *extractor) yearNumber(i int) (int, int, bool) {
	if !isDigit(x.at(i)) || !x.arabicLeftOK(i) {
		return 0, i, false
	}
	v, e := x.digits(i, 4)
	if x.at(e) != '년' || !x.followOK(e+1, timeNext) {
		return 0, i, false
	}
	switch e - i {
	case 4:
		if v < 1900 || v > 2200 {
			return 0, i, false
		}
	case 2:
		v += 2000
	default:
		return 0, i, false
	}
	return v, e + 1, true
}

// monthNumber reads 12월, 십이월, 유월, 시월.
func (x *extractor) monthNumber(i int) (int, int, bool) {
	if w, e, ok := x.word(i, "유월", "시월"); ok && x.leftFree(i) && x.followOK(e, timeNext+"말초중") {
		if w == "유월" {
			return 6, e, true
		}
		return 10, e, true
	}
	var v float64
	var e int
	switch {
	case isDigit(x.at(i)):
		if !x.arabicLeftOK(i) {
			return 0, i, false
		}
		n, e1 := x.digits(i, 2)
		if e1 == i {
			return 0, i, false
		}
		v, e = float64(n), e1
	default:
		n, ok := scanSinoArabic(x.rs, i)
		if !ok || n.form != formSino || !x.leftFree(i) {
			return 0, i, false
		}
		v, e = n.val, n.end
	}
	if x.at(e) != '월' || v < 1 || v > 12 || v != float64(int(v)) {
		return 0, i, false
	}
	if !x.followOK(e+1, timeNext+"말초중") || x.has(e+1, "요일") {
		return 0, i, false
	}
	return int(v), e + 1, true
}

// dayNumber reads 24일, 이십오일 and, after a month, 삼십일 as the 30th.
// A Sino day alone needs a word boundary before it (내일 is not 1일).
// A day followed by a word of duration (3일간, 3일 동안) is not a date.
func (x *extractor) dayNumber(i int, afterMonth bool) (int, int, bool) {
	var v float64
	var e int
	switch {
	case isDigit(x.at(i)):
		if !x.arabicLeftOK(i) {
			return 0, i, false
		}
		n, e1 := x.digits(i, 2)
		if e1 == i {
			return 0, i, false
		}
		v, e = float64(n), e1
	default:
		n, ok := scanSinoArabic(x.rs, i)
		if !ok || n.form != formSino || (!afterMonth && !x.leftFree(i)) {
			return 0, i, false
		}
		v, e = n.val, n.end
		if x.at(e) != '일' && n.digitEnd && x.at(e-1) == '일' && n.alt > i {
			v, e = n.altVal, n.alt
		}
	}
	if x.at(e) != '일' || v < 1 || v > 31 || v != float64(int(v)) {
		return 0, i, false
	}
	e++
	if !x.followOK(e, timeNext) || x.durationCue(e) {
		return 0, i, false
	}
	return int(v), e, true
}

// durationCue reports that what follows a count of days makes it a
// length of time (3일간, 3일 동안, 3일 내내, 3일 만에) or a distance from
// now (3일 후), so not a day of the month.
func (x *extractor) durationCue(e int) bool {
	if x.at(e) == '간' || x.at(e) == '째' {
		return true
	}
	k := x.space1(e)
	_, _, ok := x.word(k, "동안", "내내", "이내", "안에", "만에", "걸", "정도", "후", "뒤", "전", "이후", "이전", "있다가", "지나")
	return ok
}

// parseTime reads a time part at i into d: [period] [hour 시 [반|M분|정각]],
// HH:MM, 정오, 자정, or a period alone. afterDate allows a period alone
// without a following particle (내일 저녁).
func (x *extractor) parseTime(i int, d *dtExpr, afterDate bool) (int, bool) {
	j := i
	periodEnd := -1
	for _, p := range periods {
		if !x.has(i, p.w) {
			continue
		}
		if !afterDate && !x.leftFree(i) {
			break
		}
		e := i + len([]rune(p.w))
		if x.at(e) == '때' {
			e++
		}
		d.period, periodEnd, j = p.w, e, e
		break
	}
	k := j
	if periodEnd >= 0 {
		k = x.space1(j)
	}
	if w, e, ok := x.word(k, "정오", "자정"); ok && (periodEnd >= 0 || x.leftFree(k) || afterDate) {
		d.hasTime, d.special = true, w
		return e, true
	}
	if h, m, e, ok := x.clock(k); ok {
		d.hasTime, d.hour, d.minute = true, h, m
		return e, true
	}
	if h, e, ok := x.hourNumber(k); ok {
		d.hasTime, d.hour = true, h
		return x.minutesAfter(e, d), true
	}
	if periodEnd >= 0 {
		_, _, cue := x.word(periodEnd, "에", "쯤", "부터", "까지", "엔", "시간")
		if x.has(periodEnd, "시간") {
			cue = false
		}
		if x.at(periodEnd-1) == '때' {
			cue = true
		}
		if afterDate || cue {
			d.hasTime = true
			return periodEnd, true
		}
		d.period = ""
	}
	return i, false
}

// clock reads 19:30 or 7:05.
func (x *extractor) clock(i int) (int, int, int, bool) {
	if !isDigit(x.at(i)) || !x.arabicLeftOK(i) {
		return 0, 0, 0, false
	}
	h, e := x.digits(i, 2)
	if e == i || x.at(e) != ':' {
		return 0, 0, 0, false
	}
	m, e2 := x.digits(e+1, 2)
	if e2-e != 3 || h > 24 || m > 59 || isDigit(x.at(e2)) {
		return 0, 0, 0, false
	}
	return h, m, e2, true
}

// hourNumber reads the hour before 시 and the 시: 7시, 열두시, 세 시,
// 십이시. It refuses 시간 (hours of duration) and words such as 시키다,
// 시작, 시장 that begin with 시.
func (x *extractor) hourNumber(i int) (int, int, bool) {
	var v float64
	var e int
	switch {
	case isDigit(x.at(i)):
		if !x.arabicLeftOK(i) {
			return 0, i, false
		}
		n, e1 := x.digits(i, 2)
		if e1 == i {
			return 0, i, false
		}
		v, e = float64(n), e1
	default:
		if n, ok := scanNative(x.rs, i); ok && n.val <= 12 && !(n.end-i == 1 && (x.at(i) == '석' || x.at(i) == '넉' || x.at(i) == '서' || x.at(i) == '너')) && x.has(x.space1(n.end), "시") {
			v, e = n.val, n.end
			break
		}
		n, ok := scanSinoArabic(x.rs, i)
		if !ok || n.form != formSino || !n.units || !x.leftFree(i) {
			return 0, i, false
		}
		v, e = n.val, n.end
	}
	k := x.space1(e)
	if x.at(k) != '시' || v > 24 || v != float64(int(v)) {
		return 0, i, false
	}
	if x.has(k, "시간") {
		return 0, i, false
	}
	k++
	// Minutes or 반 may follow; otherwise the next syllable must not
	// continue a word.
	if isHangul(x.at(k)) && !containsRune(hourNext, x.at(k)) {
		if _, ok := x.minuteNumber(k); !ok {
			return 0, i, false
		}
	}
	return int(v), k, true
}

func containsRune(s string, r rune) bool {
	for _, c := range s {
		if c == r {
			return true
		}
	}
	return false
}

// minutesAfter reads 반, N분 or 정각 after an hour.
func (x *extractor) minutesAfter(e int, d *dtExpr) int {
	k := x.space1(e)
	if x.has(k, "반") && !x.has(k, "반찬") && !x.has(k, "반값") {
		d.minute = 30
		return k + 1
	}
	if x.has(k, "정각") {
		return k + 2
	}
	if m, e2, ok := x.minuteNumberEnd(k); ok {
		d.minute = m
		return e2
	}
	return e
}

// minuteNumber reports a minute count with its 분 at i.
func (x *extractor) minuteNumber(i int) (int, bool) {
	m, _, ok := x.minuteNumberEnd(i)
	return m, ok
}

func (x *extractor) minuteNumberEnd(i int) (int, int, bool) {
	var v float64
	var e int
	switch {
	case isDigit(x.at(i)):
		n, e1 := x.digits(i, 2)
		if e1 == i {
			return 0, i, false
		}
		v, e = float64(n), e1
	default:
		n, ok := scanSinoArabic(x.rs, i)
		if !ok || n.form != formSino {
			return 0, i, false
		}
		v, e = n.val, n.end
	}
	k := x.space1(e)
	if x.at(k) != '분' || v > 59 || v != float64(int(v)) {
		return 0, i, false
	}
	return int(v), k + 1, true
}
