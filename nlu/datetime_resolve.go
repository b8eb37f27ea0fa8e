package nlu

import "time"

// Resolution of parsed datetimes against the reference time, following
// contracts.md section 5: times resolve in the reference's zone; what the
// text does not pin down resolves to its next occurrence (a day that has
// begun but not ended counts as the next occurrence of itself); a bare
// hour from 1 to 12 takes the next of its two 12-hour readings; a date
// alone is 00:00 of that day with grain day.

// Grains.
const (
	grainMinute = "minute"
	grainHour   = "hour"
	grainDay    = "day"
	grainWeek   = "week"
	grainMonth  = "month"
	grainYear   = "year"
)

// dtValue is a resolved datetime: a point with a grain, or a span.
type dtValue struct {
	t        time.Time
	grain    string
	span     bool
	from, to time.Time
}

// start returns the first instant of v.
func (v dtValue) start() time.Time {
	if v.span {
		return v.from
	}
	return v.t
}

// end returns the exclusive end of v: a point of a day or coarser grain
// lasts its grain; a time of day is its own end, so that 2시부터 4시까지
// ends at 4:00.
func (v dtValue) end() time.Time {
	if v.span {
		return v.to
	}
	switch v.grain {
	case grainDay:
		return v.t.AddDate(0, 0, 1)
	case grainWeek:
		return v.t.AddDate(0, 0, 7)
	case grainMonth:
		return v.t.AddDate(0, 1, 0)
	case grainYear:
		return v.t.AddDate(1, 0, 0)
	}
	return v.t
}

func (v dtValue) entity() Entity {
	if v.span {
		return Entity{Dim: DimDatetime, Span: true, From: v.from, To: v.to}
	}
	return Entity{Dim: DimDatetime, Time: v.t, Grain: v.grain}
}

func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

func dayOf(y int, m time.Month, d int, loc *time.Location) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// resolve resolves d. Words relative to today (내일, 다음 주) count from
// now; dates that name a day of the calendar (24일, 금요일) and times of
// day take their next occurrence at or after after.
func resolve(d *dtExpr, now, after time.Time) (dtValue, bool) {
	loc := now.Location()
	after = after.In(loc)
	today := midnight(now)
	afterDay := midnight(after)
	var (
		day    time.Time
		hasDay bool
		v      dtValue
	)
	switch d.date {
	case dateNone:
	case dateRel:
		day, hasDay = today.AddDate(0, 0, d.rel), true
	case dateFixed:
		day, hasDay = midnight(d.fixed), true
	case dateWeek:
		monday := today.AddDate(0, 0, -((int(today.Weekday())+6)%7)+7*d.weekOff)
		switch {
		case d.weekend:
			return dtValue{span: true, from: monday.AddDate(0, 0, 5), to: monday.AddDate(0, 0, 7)}, true
		case d.weekday >= 0:
			day, hasDay = monday.AddDate(0, 0, (d.weekday+6)%7), true
		default:
			return dtValue{t: monday, grain: grainWeek}, true
		}
	case dateWeekday:
		diff := (d.weekday - int(afterDay.Weekday()) + 7) % 7
		day, hasDay = afterDay.AddDate(0, 0, diff+7*d.skip), true
	case dateMonthRel:
		first := dayOf(today.Year(), today.Month()+time.Month(d.monthOff), 1, loc)
		if d.day == 0 {
			return dtValue{t: first, grain: grainMonth}, true
		}
		if d.day > daysIn(first.Year(), int(first.Month())) {
			return dtValue{}, false
		}
		day, hasDay = first.AddDate(0, 0, d.day-1), true
	case dateYearRel:
		return dtValue{t: dayOf(today.Year()+d.yearOff, 1, 1, loc), grain: grainYear}, true
	case dateAbs, dateHoliday:
		var ok bool
		if day, v, ok = resolveCalendar(d, afterDay); !ok {
			return dtValue{}, false
		}
		if v.grain != "" {
			return v, true
		}
		hasDay = true
	}
	if !d.hasTime {
		if !hasDay {
			return dtValue{}, false
		}
		return dtValue{t: day, grain: grainDay}, true
	}
	return resolveTime(d, day, hasDay, after)
}

// resolveCalendar resolves a date of the calendar (year, month, day; a
// holiday) to its next occurrence on or after the day afterDay. A date
// of month or year grain comes back as v.
func resolveCalendar(d *dtExpr, afterDay time.Time) (time.Time, dtValue, bool) {
	loc := afterDay.Location()
	y, m, dd := d.year, d.month, d.day
	if d.date == dateHoliday && d.holiday != "" {
		for _, h := range lunarHolidays[d.holiday] {
			t := dayOf(h[0], time.Month(h[1]), h[2], loc)
			if !t.Before(afterDay) {
				return t, dtValue{}, true
			}
		}
		return time.Time{}, dtValue{}, false
	}
	switch {
	case y > 0 && m > 0 && dd > 0:
		if !validDate(y, m, dd) {
			return time.Time{}, dtValue{}, false
		}
		return dayOf(y, time.Month(m), dd, loc), dtValue{}, true
	case y > 0 && m > 0:
		return time.Time{}, dtValue{t: dayOf(y, time.Month(m), 1, loc), grain: grainMonth}, true
	case y > 0 && dd == 0:
		return time.Time{}, dtValue{t: dayOf(y, 1, 1, loc), grain: grainYear}, true
	case m > 0 && dd > 0:
		for yy := afterDay.Year(); yy < afterDay.Year()+9; yy++ {
			if !validDate(yy, m, dd) {
				continue
			}
			if t := dayOf(yy, time.Month(m), dd, loc); !t.Before(afterDay) {
				return t, dtValue{}, true
			}
		}
	case m > 0:
		yy := afterDay.Year()
		if time.Month(m) < afterDay.Month() {
			yy++
		}
		return time.Time{}, dtValue{t: dayOf(yy, time.Month(m), 1, loc), grain: grainMonth}, true
	case dd > 0 && y == 0:
		first := dayOf(afterDay.Year(), afterDay.Month(), 1, loc)
		for k := 0; k < 13; k++ {
			mm := first.AddDate(0, k, 0)
			if dd > daysIn(mm.Year(), int(mm.Month())) {
				continue
			}
			if t := mm.AddDate(0, 0, dd-1); !t.Before(afterDay) {
				return t, dtValue{}, true
			}
		}
	}
	return time.Time{}, dtValue{}, false
}

// periodHour maps an hour said with a part of the day to 0..28 (a
// value past 23 falls on the next day: 밤 1시 is 1:00 after that night).
func periodHour(period string, h int) int {
	if h > 12 {
		return h
	}
	switch period {
	case "오전", "아침", "새벽":
		return h % 12
	case "오후":
		return h%12 + 12
	case "저녁":
		if h == 12 {
			return 24
		}
		return h + 12
	case "밤":
		switch {
		case h == 12:
			return 24
		case h <= 4:
			return h + 24
		}
		return h + 12
	case "낮":
		if h <= 6 {
			return h + 12
		}
		return h
	case "점심":
		if h <= 5 {
			return h + 12
		}
		return h
	}
	return h
}

// resolveTime resolves the time part of d on day, or on the next day at
// or after after when the text names no day.
func resolveTime(d *dtExpr, day time.Time, hasDay bool, after time.Time) (dtValue, bool) {
	loc := after.Location()
	base := day
	if !hasDay {
		base = midnight(after)
	}
	at := func(b time.Time, h, m int) time.Time {
		return time.Date(b.Year(), b.Month(), b.Day(), h, m, 0, 0, loc)
	}
	switch d.special {
	case "정오":
		t := at(base, 12, 0)
		if !hasDay && t.Before(after) {
			t = t.AddDate(0, 0, 1)
		}
		return dtValue{t: t, grain: grainHour}, true
	case "자정":
		t := at(base, 24, 0)
		if !hasDay && !midnight(after).Equal(after) {
			t = at(midnight(after), 24, 0)
		}
		return dtValue{t: t, grain: grainHour}, true
	}
	if d.hour < 0 {
		// A part of the day alone: its span.
		for _, p := range periods {
			if p.w != d.period {
				continue
			}
			from, to := at(base, p.from, 0), at(base, p.to, 0)
			if !hasDay && !to.After(after) {
				from, to = from.AddDate(0, 0, 1), to.AddDate(0, 0, 1)
			}
			return dtValue{span: true, from: from, to: to}, true
		}
		return dtValue{}, false
	}
	minute, grain := 0, grainHour
	if d.minute >= 0 {
		minute, grain = d.minute, grainMinute
	}
	var readings [2]int
	n := 1
	switch {
	case d.period != "":
		readings[0] = periodHour(d.period, d.hour)
	case d.hour >= 1 && d.hour <= 12:
		readings[0], readings[1], n = d.hour%12, d.hour%12+12, 2
	default:
		readings[0] = d.hour
	}
	if hasDay {
		var last time.Time
		for _, h := range readings[:n] {
			t := at(day, h, minute)
			if !t.Before(after) {
				return dtValue{t: t, grain: grain}, true
			}
			last = t
		}
		return dtValue{t: last, grain: grain}, true
	}
	for off := 0; off < 3; off++ {
		for _, h := range readings[:n] {
			if t := at(base.AddDate(0, 0, off), h, minute); !t.Before(after) {
				return dtValue{t: t, grain: grain}, true
			}
		}
	}
	return dtValue{}, false
}

// scanDatetime proposes at p a datetime, or a span of two joined by
// 부터/까지/에서/~ (오후 2시부터 4시까지, 24일부터 26일까지, 24~26일).
func (x *extractor) scanDatetime(p pos) {
	i := p.i
	a, ok := x.parseDatetime(i)
	if !ok {
		x.scanNumericRange(p)
		return
	}
	va, ok := resolve(&a, x.ref, x.ref)
	if !ok {
		return
	}
	x.add(prioDatetime, i, a.end, va.entity())
	x.spanFrom(i, a, va)
}

// spanFrom extends a resolved start a into a span when a connector and a
// second datetime follow.
func (x *extractor) spanFrom(i int, a dtExpr, va dtValue) {
	k := x.space1(a.end)
	conn, k2, ok := x.word(k, "부터", "에서", "~", "∼", "〜", "-", "–")
	if !ok {
		return
	}
	if conn == "-" && k != a.end {
		return
	}
	k2 = x.space1(k2)
	b, ok := x.parseDatetime(k2)
	if !ok {
		return
	}
	x.finishSpan(i, a, va, b, conn)
}

// finishSpan resolves the end b of a span starting with a and adds it.
func (x *extractor) finishSpan(i int, a dtExpr, va dtValue, b dtExpr, conn string) {
	end := b.end
	m := x.space1(b.end)
	if x.has(m, "까지") {
		end = m + 2
	} else if conn == "에서" {
		return
	}
	from := va.start()
	anchor := from
	switch b.date {
	case dateRel, dateWeek, dateMonthRel, dateYearRel:
		anchor = x.ref
	}
	vb, ok := resolve(&b, x.ref, anchor)
	if !ok {
		return
	}
	to := vb.end()
	if !to.After(from) {
		return
	}
	x.add(prioDatetime, i, end, Entity{Dim: DimDatetime, Span: true, From: from, To: to})
}

// scanNumericRange reads 24~26일 and 2~4시: a bare number whose unit
// comes from the end of the range.
func (x *extractor) scanNumericRange(p pos) {
	i := p.i
	if !isDigit(x.at(i)) || !x.arabicLeftOK(i) {
		return
	}
	n, e := x.digits(i, 2)
	if e == i {
		return
	}
	k := x.space1(e)
	conn, k2, ok := x.word(k, "부터", "~", "∼", "〜", "-")
	if !ok {
		return
	}
	b, ok := x.parseDatetime(x.space1(k2))
	if !ok {
		return
	}
	a := b
	a.start, a.end = i, e
	switch {
	case b.date == dateAbs && b.day > 0 && !b.hasTime:
		a.day = n
	case b.date == dateNone && b.hour >= 0 && b.minute < 0 && b.special == "":
		a.hour = n
	default:
		return
	}
	va, ok := resolve(&a, x.ref, x.ref)
	if !ok {
		return
	}
	x.finishSpan(i, a, va, b, conn)
}
