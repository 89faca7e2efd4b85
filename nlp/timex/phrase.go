package timex

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

func decodeRune(s string) (rune, int) { return utf8.DecodeRuneInString(s) }

// datePhrase parses a date with its modifiers: "early June", "mid-2011",
// "the end of last year", "the first half of 2009".
func (f *finder) datePhrase(i int) (match, bool) {
	lo := f.lo(i)
	switch lo {
	case "early", "late", "mid":
		j := i + 1
		if f.lo(j) == "-" && f.glued(i) {
			j++
		}
		if m, ok := f.core(j); ok && m.typ == Date && !strings.HasPrefix(m.val, "P") && !strings.HasSuffix(m.val, "_REF") {
			m.i = i
			return m, true
		}
	case "the", "end", "beginning", "start", "middle":
		j := i
		if lo == "the" {
			j++
		}
		half := 0
		switch f.lo(j) {
		case "end", "beginning", "start", "middle":
		case "first", "second":
			if f.lo(j+1) != "half" {
				return f.core(i)
			}
			half = 1
			if f.lo(j) == "second" {
				half = 2
			}
			j++
		default:
			return f.core(i)
		}
		if f.lo(j+1) != "of" {
			return f.core(i)
		}
		m, ok := f.core(j + 2)
		if !ok && f.lo(j+2) == "the" {
			// "the end of the year": the current one.
			switch f.lo(j + 3) {
			case "year", "month", "week", "day":
				m, ok = f.shifted(j+2, j+3, 0, "this")
			}
		}
		if ok && m.typ == Date && !strings.HasPrefix(m.val, "P") && !strings.HasSuffix(m.val, "_REF") {
			m.i = i
			if half > 0 && len(m.val) == 4 {
				m.val += "-H" + strconv.Itoa(half)
			}
			return m, true
		}
		return f.core(i)
	}
	return f.core(i)
}

// core parses a date or time of day without modifiers.
func (f *finder) core(i int) (match, bool) {
	if i+1 == f.coreAt1 {
		return f.coreM, f.coreOK
	}
	m, ok := f.coreAt(i)
	f.coreAt1, f.coreM, f.coreOK = i+1, m, ok
	return m, ok
}

func (f *finder) coreAt(i int) (match, bool) {
	if i >= len(f.t) {
		return match{}, false
	}
	t := f.t[i]
	if t.kind == kNum {
		if p, j, ok := f.numericDate(i); ok {
			return f.dateMatch(i, j, p), true
		}
		if p, e, j, ok := f.monthDate(i); ok {
			return f.rangeMatch(i, j, p, e), true
		}
		if m, ok := f.decade(i); ok {
			return m, true
		}
		if y, j, ok := f.plainYear(i); ok {
			// "2010-2015", "2010–15"
			if j+1 < len(f.t) && (f.t[j].s == "-" || f.t[j].s == "–") && f.glued(j-1) && f.glued(j) {
				if y2 := f.yearEnd(j+1, y); y2 > y {
					return match{i: i, j: j + 2, typ: Date, val: pdate{y: y}.String(), valEnd: pdate{y: y2}.String()}, true
				}
			}
			return match{i: i, j: j, typ: Date, val: pdate{y: y}.String()}, true
		}
		return match{}, false
	}
	if t.kind == kPunct {
		return f.decade(i)
	}
	if m, ok := f.weekdayPhrase(i); ok {
		return m, true
	}
	if p, e, j, ok := f.monthDate(i); ok {
		return f.rangeMatch(i, j, p, e), true
	}
	if t.lo == "the" {
		if m, ok := f.decade(i); ok {
			return m, true
		}
	}
	return f.relative(i)
}

// yearEnd reads the end of a year range: "2015" or "15" after "2010-".
func (f *finder) yearEnd(k, y int) int {
	if k >= len(f.t) || f.t[k].kind != kNum || !allDigits(f.t[k].s) {
		return 0
	}
	s := f.t[k].s
	n, _ := strconv.Atoi(s)
	switch len(s) {
	case 4:
		return n
	case 2:
		return y/100*100 + n
	}
	return 0
}

// rangeMatch resolves a date and the end of its range, the end taking the
// start's year and month when it lacks them.
func (f *finder) rangeMatch(i, j int, p, e pdate) match {
	if e.m == 0 {
		return f.dateMatch(i, j, p)
	}
	if p.y == 0 && e.y > 0 {
		p.y = e.y
	}
	m := f.dateMatch(i, j, p)
	if !m.unres {
		r, _ := f.resolveDate(p, i, j)
		if e.y == 0 {
			e.y = r.y
			if e.m == 0 {
				e.m = r.m
			}
			if e.less(r) {
				e.y++
			}
		}
	}
	m.valEnd = e.String()
	return m
}

// weekdayPhrase parses "on Tuesday", "last Friday", "Friday morning",
// "Tuesday, October 31". The preposition "on" is kept in the span for bare
// weekdays ("on Tuesday"), as the seed's expected table writes them.
func (f *finder) weekdayPhrase(i int) (match, bool) {
	j := i
	on := false
	if f.lo(j) == "on" {
		on = true
		j++
	}
	dir := 0
	switch f.lo(j) {
	case "last", "past", "previous":
		dir = -1
		j++
	case "next", "coming":
		dir = 1
		j++
	case "this":
		dir = 2
		j++
	}
	if j >= len(f.t) || !f.capital(j) {
		return match{}, false
	}
	wd, ok := weekdays[trimPoss(f.t[j].lo)]
	if !ok {
		// "on Mondays" recurs.
		if w, ok2 := weekdays[strings.TrimSuffix(f.t[j].lo, "s")]; ok2 && len(f.t[j].lo) > 6 && dir == 0 {
			return match{i: i, j: j + 1, typ: Set, val: "XXXX-WXX-" + strconv.Itoa(w)}, true
		}
		return match{}, false
	}
	if len(f.t[j].lo) <= 4 {
		// Abbreviated weekdays ("Sat", "Sun") only before a date.
		k := j + 1
		if f.lo(k) == "." {
			k++
		}
		if f.lo(k) == "," {
			k++
		}
		if p, e, k2, ok := f.monthDate(k); ok && p.d > 0 {
			return f.rangeMatch(j, k2, p, e), true
		}
		return match{}, false
	}
	if !on && dir == 0 && namedDayWords[f.lo(i-1)] && f.capital(i-1) {
		return match{}, false // "Black Monday", "Super Tuesday" name a day of their own
	}
	start := j
	if dir != 0 || !on {
		start = i
		if on {
			start = i + 1
		}
	}
	if on && dir == 0 {
		start = i
	}
	j++
	// "Tuesday, October 31[, 2017]": the explicit date wins.
	k := j
	if f.lo(k) == "," {
		k++
	}
	if dir == 0 {
		if p, e, k2, ok := f.monthDate(k); ok && p.d > 0 {
			begin := start
			if on {
				begin = i + 1
			}
			return f.rangeMatch(begin, k2, p, e), true
		}
	}
	m := match{i: start, j: j, typ: Date}
	if pod, ok := partsOfDay[f.lo(j)]; ok {
		m.j = j + 1
		m.typ = Time
		m.clock = "T" + pod
	}
	if !f.hasRef {
		m.val = "XXXX-WXX-" + strconv.Itoa(wd)
		m.unres = true
		if m.clock != "" {
			m.val += m.clock
		}
		return m, true
	}
	refWD := int(f.ref.Weekday())
	if refWD == 0 {
		refWD = 7
	}
	var delta int
	switch dir {
	case -1:
		delta = wd - refWD
		if delta >= 0 {
			delta -= 7
		}
	case 1:
		delta = wd - refWD
		if delta <= 0 {
			delta += 7
		}
	case 2:
		delta = wd - refWD
	default:
		// News convention: the most recent such day (today included),
		// unless the sentence speaks of the future.
		delta = wd - refWD
		if f.tense(start, m.j) == 1 {
			if delta < 0 {
				delta += 7
			}
		} else if delta > 0 {
			delta -= 7
		}
	}
	d := f.ref.AddDate(0, 0, delta)
	m.day, m.hasDay = d, true
	m.val = dayOf(d).String() + m.clock
	return m, true
}

// relative parses expressions anchored on the publication date:
// "yesterday", "today", "now", "last week", "next month", "this year",
// "earlier this month", "the previous year", "the fourth quarter", "spring".
func (f *finder) relative(i int) (match, bool) {
	lo := trimPoss(f.lo(i))
	switch lo {
	case "yesterday", "today", "tomorrow", "tonight":
		off := map[string]int{"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0}[lo]
		m := match{i: i, j: i + 1, typ: Date}
		if lo == "tonight" {
			m.typ, m.clock = Time, "TNI"
		} else if pod, ok := partsOfDay[f.lo(i+1)]; ok {
			m.j, m.typ, m.clock = i+2, Time, "T"+pod
		}
		return f.dayOffset(m, off), true
	case "now", "currently", "current":
		if lo == "current" && (f.lo(i+1) == "account" || f.lo(i+1) == "accounts") {
			return match{}, false
		}
		return match{i: i, j: i + 1, typ: Date, val: "PRESENT_REF"}, true
	case "recently":
		return match{i: i, j: i + 1, typ: Date, val: "PAST_REF"}, true
	case "recent":
		if u, ok := units[f.lo(i+1)]; ok && strings.HasSuffix(f.lo(i+1), "s") && !u.time {
			return match{i: i, j: i + 2, typ: Duration, val: durValue(-1, u)}, true
		}
		return match{i: i, j: i + 1, typ: Date, val: "PAST_REF"}, true
	case "earlier", "later":
		if m, ok := f.relative(i + 1); ok && (f.lo(i+1) == "this" || f.lo(i+1) == "last" || f.lo(i+1) == "next") {
			m.i = i
			return m, true
		}
		if lo == "later" && f.lo(i+1) == "today" {
			return f.relative(i + 1)
		}
		return match{}, false
	case "this", "last", "next", "coming", "past", "previous", "following":
		dir := map[string]int{"this": 0, "last": -1, "next": 1, "coming": 1, "past": -1, "previous": -1, "following": 1}[lo]
		return f.shifted(i, i+1, dir, lo)
	case "the":
		nx := f.lo(i + 1)
		switch nx {
		case "future":
			return match{i: i, j: i + 2, typ: Date, val: "FUTURE_REF"}, true
		case "past":
			if _, ok := units[f.lo(i+2)]; !ok {
				if _, ok := numberWords[f.lo(i+2)]; !ok && f.lo(i+2) != "few" && f.lo(i+2) != "several" && (i+2 >= len(f.t) || f.t[i+2].kind != kNum) {
					return match{i: i, j: i + 2, typ: Date, val: "PAST_REF"}, true
				}
			}
			// "the past year" is a duration.
			if u, ok := units[f.lo(i+2)]; ok && !strings.HasSuffix(f.lo(i+2), "s") {
				return match{i: i, j: i + 3, typ: Duration, val: durValue(1, u)}, true
			}
		case "last", "previous", "following", "next", "coming", "same":
			if nx == "same" {
				return match{}, false
			}
			if nx == "next" || nx == "coming" {
				if u, ok := units[f.lo(i+2)]; ok && !strings.HasSuffix(f.lo(i+2), "s") && u.gran != gQuarter {
					return match{i: i, j: i + 3, typ: Duration, val: durValue(1, u)}, true
				}
			}
			dir := 1
			if nx == "last" || nx == "previous" {
				dir = -1
			}
			if m, ok := f.shifted(i, i+2, dir, nx); ok {
				return m, true
			}
		case "first", "second", "third", "fourth", "final":
			return f.quarter(i)
		case "weekend":
			return f.weekend(i, i+2, 0), true
		case "day":
			// "shares rose 3% on the day": the day of the report.
			switch f.lo(i - 1) {
			case "on", "for", "during":
				switch f.lo(i + 2) {
				case "before", "after", "of", "when", "that", "in", "he", "she", "they", "it":
					return match{}, false
				}
				return f.dayOffset(match{i: i, j: i + 2, typ: Date}, 0), true
			}
		}
		if _, ok := seasons[nx]; ok {
			return f.season(i, i+1, 0)
		}
		return match{}, false
	case "first", "second", "third", "fourth", "final":
		return f.quarter(i)
	case "q":
		// "Q3 2009"
		if i+1 < len(f.t) && f.glued(i) && f.t[i+1].kind == kNum && len(f.t[i+1].s) == 1 && f.t[i+1].s[0] >= '1' && f.t[i+1].s[0] <= '4' {
			q := int(f.t[i+1].s[0] - '0')
			return f.quarterOf(i, i+2, q, false)
		}
		return match{}, false
	}
	if _, ok := seasons[lo]; ok {
		if lo == "fall" && !f.capital(i) {
			if y, _ := f.yearAt(i + 1); y == 0 {
				return match{}, false
			}
		}
		return f.season(i, i, 0)
	}
	return match{}, false
}

// dayOffset resolves a day off the publication date.
func (f *finder) dayOffset(m match, off int) match {
	if !f.hasRef {
		m.val, m.unres = "XXXX-XX-XX"+m.clock, true
		return m
	}
	d := f.ref.AddDate(0, 0, off)
	m.day, m.hasDay = d, true
	m.val = dayOf(d).String() + m.clock
	return m
}

// shifted resolves "<this|last|next…> <unit|month|weekday|season>" whose
// unit word is at token j.
func (f *finder) shifted(i, j, dir int, word string) (match, bool) {
	nx := trimPoss(f.lo(j))
	if nx == "" {
		return match{}, false
	}
	if _, ok := weekdays[nx]; ok && len(nx) > 4 {
		return f.weekdayPhrase(i)
	}
	if mo, ok := months[nx]; ok && f.capital(j) {
		m := match{i: i, j: j + 1, typ: Date}
		if !f.hasRef {
			m.val, m.unres = pdate{m: mo}.String(), true
			return m, true
		}
		y := f.ref.Year()
		rm := int(f.ref.Month())
		switch {
		case dir < 0 && mo >= rm:
			y--
		case dir > 0 && mo <= rm:
			y++
		}
		m.val = pdate{y: y, m: mo}.String()
		return m, true
	}
	if _, ok := seasons[nx]; ok {
		return f.season(i, j, dir)
	}
	if pod, ok := partsOfDay[nx]; ok && (word == "this" || word == "last") {
		off := 0
		if word == "last" {
			if nx != "night" {
				return match{}, false
			}
			off = -1
		}
		m := match{i: i, j: j + 1, typ: Time, clock: "T" + pod}
		return f.dayOffset(m, off), true
	}
	if nx == "weekend" {
		return f.weekend(i, j+1, dir), true
	}
	u, ok := units[nx]
	if ok && f.capital(j) && !strings.HasPrefix(f.t[j].s, strings.ToUpper(nx)) {
		return match{}, false // "This Week", a title
	}
	if !ok || strings.HasSuffix(nx, "s") || u.time {
		// "the past three years" is a duration.
		if word == "past" || word == "last" || word == "next" || word == "coming" || word == "previous" || word == "first" {
			return f.durationFrom(i, j, false)
		}
		return match{}, false
	}
	if word == "past" && f.lo(i) != "the" {
		// "past year" alone ("over past year") reads as a duration too.
		return match{i: i, j: j + 1, typ: Duration, val: durValue(1, u)}, true
	}
	m := match{i: i, j: j + 1, typ: Date}
	if u.gran == gQuarter {
		if f.lo(j+1) == "of" {
			return match{}, false
		}
		return f.quarterShift(i, j+1, dir)
	}
	if u.plain == "decade" || u.plain == "century" {
		if dir != 0 {
			return match{i: i, j: j + 1, typ: Duration, val: durValue(1, u)}, true
		}
	}
	if !f.hasRef {
		m.unres = true
		switch u.gran {
		case gYear:
			m.val = "XXXX"
		case gMonth:
			m.val = "XXXX-XX"
		case gWeek:
			m.val = "XXXX-WXX"
		case gDay:
			m.val = "XXXX-XX-XX"
		}
		return m, true
	}
	switch u.plain {
	case "year":
		m.val = yearValue(f.ref.AddDate(dir, 0, 0))
	case "month":
		m.val = monthValue(time.Date(f.ref.Year(), f.ref.Month()+time.Month(dir), 1, 0, 0, 0, 0, time.UTC))
	case "week":
		m.val = weekValue(f.ref.AddDate(0, 0, 7*dir))
	case "day":
		d := f.ref.AddDate(0, 0, dir)
		m.val, m.day, m.hasDay = dayOf(d).String(), d, true
	case "decade":
		m.val = strconv.Itoa(f.ref.Year() / 10)
	case "century":
		m.val = strconv.Itoa(f.ref.Year() / 100)
	default:
		return match{}, false
	}
	return m, true
}

func (f *finder) weekend(i, j, dir int) match {
	m := match{i: i, j: j, typ: Date}
	if !f.hasRef {
		m.val, m.unres = "XXXX-WXX-WE", true
		return m
	}
	d := f.ref.AddDate(0, 0, 7*dir)
	if dir == 0 && f.ref.Weekday() >= time.Monday && f.ref.Weekday() <= time.Wednesday && f.tense(i, j) != 1 {
		d = f.ref.AddDate(0, 0, -7) // early in the week "the weekend" has passed
	}
	m.val = weekValue(d) + "-WE"
	return m
}

// season parses "[this|last|next] spring [2009]" with the season word at j.
func (f *finder) season(i, j, dir int) (match, bool) {
	code := seasons[f.lo(j)]
	m := match{i: i, j: j + 1, typ: Date}
	k := j + 1
	if f.lo(k) == "of" {
		k++
	}
	if y, k2 := f.yearAt(k); y > 0 {
		m.j, m.val = k2, strconv.Itoa(y)+"-"+code
		return m, true
	}
	if !f.hasRef {
		m.val, m.unres = "XXXX-"+code, true
		return m, true
	}
	m.val = strconv.Itoa(f.ref.Year()+dir) + "-" + code
	return m, true
}

// quarter parses "[the] first quarter [of 2009|of this year|of last year]".
func (f *finder) quarter(i int) (match, bool) {
	j := i
	if f.lo(j) == "the" {
		j++
	}
	q, ok := ordinals[f.lo(j)]
	if !ok {
		return match{}, false
	}
	k := j + 1
	if f.lo(k) == "-" {
		k++
	}
	if f.lo(k) != "quarter" {
		if f.lo(j) == "first" || f.lo(j) == "second" {
			if f.lo(k) == "half" {
				return match{}, false
			}
		}
		return match{}, false
	}
	k++
	last := f.lo(j) == "final" || f.lo(j) == "last"
	return f.quarterOf(i, k, q, last)
}

// quarterOf finishes a quarter at token k with an optional "of <year>".
func (f *finder) quarterOf(i, k, q int, last bool) (match, bool) {
	m := match{i: i, j: k, typ: Date}
	qs := "-Q" + strconv.Itoa(q)
	kk := k
	if f.lo(kk) == "of" {
		kk++
	}
	if y, k2 := f.yearAt(kk); y > 0 {
		m.j, m.val = k2, strconv.Itoa(y)+qs
		return m, true
	}
	if kk > k {
		switch f.lo(kk) {
		case "this", "last", "next", "the":
			n := kk + 1
			if f.lo(kk) == "the" {
				if f.lo(n) != "year" {
					m.j = k
					break
				}
				n = kk
			}
			if f.lo(n+1) == "year" || f.lo(n) == "year" {
				dir := map[string]int{"this": 0, "last": -1, "next": 1, "the": 0}[f.lo(kk)]
				end := n + 1
				if f.lo(n) != "year" {
					end = n + 2
				}
				if f.lo(kk) == "the" {
					end = kk + 2
				}
				m.j = end
				if !f.hasRef {
					m.val, m.unres = "XXXX"+qs, true
					return m, true
				}
				m.val = strconv.Itoa(f.ref.Year()+dir) + qs
				return m, true
			}
		}
	}
	if !f.hasRef {
		m.val, m.unres = "XXXX"+qs, true
		return m, true
	}
	// A quarter named without a year is the latest one that has begun
	// (reports speak of the quarter just closed) unless the future is
	// spoken of.
	rq := (int(f.ref.Month())-1)/3 + 1
	y := f.ref.Year()
	if last {
		return f.quarterShift(i, k, -1)
	}
	// The nearest quarter of that number; a tie (two quarters either way)
	// goes to the past unless the future is spoken of.
	ahead := q - rq
	if ahead > 2 || ahead == 2 && f.tense(i, k) != 1 {
		y--
	} else if ahead < -2 {
		y++
	}
	m.val = strconv.Itoa(y) + qs
	return m, true
}

// quarterShift resolves "last quarter", "next quarter", "this quarter".
func (f *finder) quarterShift(i, j, dir int) (match, bool) {
	m := match{i: i, j: j, typ: Date}
	if !f.hasRef {
		m.val, m.unres = "XXXX-QX", true
		return m, true
	}
	q := (int(f.ref.Month())-1)/3 + dir
	y := f.ref.Year()
	for q < 0 {
		q += 4
		y--
	}
	for q > 3 {
		q -= 4
		y++
	}
	m.val = strconv.Itoa(y) + "-Q" + strconv.Itoa(q+1)
	return m, true
}

// rangePhrase parses "from March 3 to 5", "between 2010 and 2015",
// "March 3 to May 5, 2017".
func (f *finder) rangePhrase(i int) (match, bool) {
	lo := f.lo(i)
	j := i
	var conn []string
	switch lo {
	case "from":
		j++
		conn = []string{"to", "until", "through", "till", "-", "–"}
	case "between":
		j++
		conn = []string{"and", "-", "–"}
	default:
		conn = []string{"to", "through"}
	}
	a, ok := f.core(j)
	if !ok || a.typ != Date || a.valEnd != "" || strings.HasSuffix(a.val, "_REF") {
		return match{}, false
	}
	c := f.lo(a.j)
	okc := false
	for _, x := range conn {
		if c == x {
			okc = true
		}
	}
	if !okc {
		return match{}, false
	}
	k := a.j + 1
	// The end: a full date, or a bare day / year that borrows the rest.
	if b, ok := f.core(k); ok && b.typ == Date && b.valEnd == "" && !b.unres && len(b.val) == len(a.val) && !strings.HasSuffix(b.val, "_REF") {
		if lo != "from" && lo != "between" && !isAbsolute(f, j, a.j) && !isAbsolute(f, k, b.j) {
			return match{}, false
		}
		if b.val > a.val || a.unres {
			return match{i: i, j: b.j, typ: Date, val: a.val, valEnd: b.val, unres: a.unres, day: a.day, hasDay: a.hasDay}, true
		}
	}
	if lo != "from" && lo != "between" {
		return match{}, false
	}
	if len(a.val) == 10 {
		if d, k2 := f.dayAt(k); d > 0 {
			end := a.val[:8] + string(appendInt(nil, d, 2))
			if end > a.val {
				y, k3 := f.yearAfterComma(k2)
				if y > 0 && a.unres {
					// "from March 3 to 5, 2017": the year belongs to both.
					a.val = strconv.Itoa(y) + a.val[4:]
					end = strconv.Itoa(y) + end[4:]
					a.unres = false
					k2 = k3
				}
				return match{i: i, j: k2, typ: Date, val: a.val, valEnd: end, unres: a.unres, day: a.day, hasDay: a.hasDay}, true
			}
		}
	}
	if len(a.val) == 4 {
		if y := f.yearEnd(k, atoi(a.val)); y > atoi(a.val) {
			return match{i: i, j: k + 1, typ: Date, val: a.val, valEnd: strconv.Itoa(y)}, true
		}
	}
	return match{}, false
}

// isAbsolute says the tokens [i, j) carry a year or a month name, so "to"
// between two of them is a range and not "from 2 to 3 million".
func isAbsolute(f *finder, i, j int) bool {
	for k := i; k < j; k++ {
		if _, ok := months[f.t[k].lo]; ok {
			return true
		}
	}
	return false
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// ---- durations and sets ---------------------------------------------------

func durValue(n float64, u unit) string {
	var b strings.Builder
	b.WriteByte('P')
	if u.time {
		b.WriteByte('T')
	}
	if n < 0 {
		b.WriteByte('X')
	} else {
		b.WriteString(strconv.FormatFloat(n*u.mult, 'f', -1, 64))
	}
	b.WriteString(u.code)
	return b.String()
}

// duration parses "three years", "12-year", "nearly five months", "the past
// decade", "the next four years", "two weeks ago" (a date), "in three days"
// (a date when the future is spoken of), "$5 billion a year" (a set).
func (f *finder) duration(i int) (match, bool) {
	j := i
	lo := f.lo(j)
	if lo == "the" {
		switch f.lo(j + 1) {
		case "past", "last", "next", "coming", "previous", "first", "following":
			return f.durationFrom(i, j+2, false)
		}
		return match{}, false
	}
	if lo == "in" || lo == "for" {
		if f.lo(i+1) == "recent" {
			m, ok := f.relative(i + 1)
			return m, ok && m.typ == Duration
		}
		if lo == "for" {
			// "for years", "for decades"
			if u, ok := units[f.lo(i+1)]; ok && strings.HasSuffix(f.lo(i+1), "s") && !u.time {
				return match{i: i + 1, j: i + 2, typ: Duration, val: durValue(-1, u)}, true
			}
			return match{}, false
		}
		if u, ok := units[f.lo(i+1)]; ok && lo == "in" && strings.HasSuffix(f.lo(i+1), "s") && !u.time && u.gran != gQuarter {
			switch f.lo(i + 2) {
			case "of", "to", "ahead", "past", "gone":
			default:
				// "the highest level in years"
				return match{i: i + 1, j: i + 2, typ: Duration, val: durValue(-1, u)}, true
			}
		}
		m, ok := f.durationFrom(i+1, i+1, true)
		if !ok || m.typ != Duration || f.lo(m.j) == "of" || strings.HasPrefix(m.val, "PT") || strings.Contains(m.val, "X") || f.tense(i, m.j) != 1 {
			return match{}, false
		}
		// "in three days" when the future is spoken of: a date.
		return f.agoDate(m, 1), true
	}
	if lo == "past" || lo == "last" || lo == "next" || lo == "coming" {
		// "over past three years"
		if m, ok := f.durationFrom(i, i+1, false); ok {
			return m, true
		}
		return match{}, false
	}
	return f.durationFrom(i, i, true)
}

// durationFrom parses a quantity and a unit starting at j, the span starting
// at i. plain allows hedges ("nearly") and a following "ago".
func (f *finder) durationFrom(i, j int, plain bool) (match, bool) {
	if plain && durationMods[f.lo(j)] {
		j++
	}
	if plain && (f.lo(j) == "more" || f.lo(j) == "less") && f.lo(j+1) == "than" {
		j += 2
	}
	if plain && f.lo(j) == "at" && (f.lo(j+1) == "least" || f.lo(j+1) == "most") {
		j += 2
	}
	if j >= len(f.t) {
		return match{}, false
	}
	n := 0.0
	k := j
	t := f.t[k]
	switch {
	case t.kind == kNum && allDigits(strings.ReplaceAll(strings.ReplaceAll(t.s, ",", ""), ".", "")):
		v, err := strconv.ParseFloat(strings.ReplaceAll(t.s, ",", ""), 64)
		if err != nil {
			return match{}, false
		}
		n = v
		k++
	case vagueNumbers[t.lo]:
		n = -1
		k++
		if t.lo == "couple" && f.lo(k) == "of" {
			k++
		}
	case t.lo == "a" || t.lo == "an":
		if vagueNumbers[f.lo(k+1)] {
			n = -1
			k += 2
			if f.lo(k) == "of" {
				k++
			}
		} else {
			n = 1
			k++
		}
	default:
		v, ok := numberWords[t.lo]
		if !ok {
			return match{}, false
		}
		n = v
		k++
		// "twenty-five", "two and a half"
		if f.lo(k) == "-" {
			if v2, ok := numberWords[f.lo(k+1)]; ok && v2 < 10 && v >= 20 {
				n += v2
				k += 2
			}
		}
		if f.lo(k) == "and" && f.lo(k+1) == "a" && f.lo(k+2) == "half" {
			n += 0.5
			k += 3
		}
	}
	// Adjectival "12-year", "fifty-year".
	hyphen := false
	if f.lo(k) == "-" && f.glued(k-1) {
		hyphen = true
		k++
	}
	if !hyphen {
		switch f.lo(k) {
		case "straight", "consecutive", "successive", "full", "more", "additional", "further", "long":
			if _, ok := units[f.lo(k+1)]; ok {
				k++
			}
		}
	}
	ul := f.lo(k)
	u, ok := units[ul]
	if !ok {
		return match{}, false
	}
	if u.gran == gQuarter && !hyphen && (n == 1 || f.t[j].lo == "a") {
		return match{}, false // "a quarter" of something
	}
	if ul == "second" && (t.lo == "a" || t.lo == "an") {
		return match{}, false // "a second time"
	}
	if hyphen && strings.HasSuffix(ul, "s") {
		return match{}, false
	}
	if hyphen && f.lo(k+1) == "-" && f.lo(k+2) == "old" {
		return match{}, false // "55-year-old" is an age
	}
	if t.lo == "a" || t.lo == "an" {
		if strings.HasSuffix(ul, "s") {
			return match{}, false
		}
		// "$5 billion a year", "twice a week": per unit.
		if j > 0 && (f.t[j-1].kind == kNum || f.t[j-1].lo == "once" || f.t[j-1].lo == "twice" || f.t[j-1].lo == "times" ||
			f.t[j-1].lo == "million" || f.t[j-1].lo == "billion" || f.t[j-1].lo == "percent" || f.t[j-1].lo == "%") {
			return match{i: j, j: k + 1, typ: Set, val: durValue(1, u)}, true
		}
	}
	m := match{i: i, j: k + 1, typ: Duration, val: durValue(n, u)}
	if plain && !hyphen && f.lo(k+1) == "ago" && n != 0 {
		m.j = k + 2
		return f.agoDate(m, -1), true
	}
	return m, true
}

// agoDate turns a duration match into the date that far from the
// publication date, at the unit's granularity ("two weeks ago" → a week).
func (f *finder) agoDate(m match, sign int) match {
	// Parse the amount back out of the value: P2W, P10Y, PT3H.
	v := strings.TrimPrefix(m.val, "P")
	isTime := strings.HasPrefix(v, "T")
	v = strings.TrimPrefix(v, "T")
	code := v[len(v)-1:]
	amount, err := strconv.ParseFloat(v[:len(v)-1], 64)
	m.typ = Date
	if err != nil || amount != float64(int(amount)) {
		m.val, m.unres = "PAST_REF", false
		if sign > 0 {
			m.val = "FUTURE_REF"
		}
		return m
	}
	n := int(amount) * sign
	if !f.hasRef {
		m.unres = true
		switch {
		case isTime:
			m.val = "XXXX-XX-XX"
		case code == "Y":
			m.val = "XXXX"
		case code == "M":
			m.val = "XXXX-XX"
		case code == "W":
			m.val = "XXXX-WXX"
		default:
			m.val = "XXXX-XX-XX"
		}
		return m
	}
	switch {
	case isTime:
		m.val = dayOf(f.ref).String()
	case code == "Y":
		m.val = yearValue(f.ref.AddDate(n, 0, 0))
	case code == "M":
		m.val = monthValue(time.Date(f.ref.Year(), f.ref.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC))
	case code == "W":
		m.val = weekValue(f.ref.AddDate(0, 0, 7*n))
	default:
		d := f.ref.AddDate(0, 0, n)
		m.val, m.day, m.hasDay = dayOf(d).String(), d, true
	}
	return m
}

// set parses recurrences: "every week", "each year", "weekly", "annual",
// "per day".
func (f *finder) set(i int) (match, bool) {
	lo := f.lo(i)
	if v, ok := setWords[lo]; ok {
		if f.capital(i) && i > 0 && f.t[i-1].sent == f.t[i].sent && f.t[i-1].kind == kWord {
			return match{}, false // "The Daily Beast" is a name
		}
		return match{i: i, j: i + 1, typ: Set, val: v}, true
	}
	if lo == "every" || lo == "each" || lo == "per" {
		nx := f.lo(i + 1)
		if u, ok := units[nx]; ok && !strings.HasSuffix(nx, "s") {
			return match{i: i, j: i + 2, typ: Set, val: durValue(1, u)}, true
		}
		if wd, ok := weekdays[nx]; ok && len(nx) > 4 && f.capital(i+1) {
			return match{i: i, j: i + 2, typ: Set, val: "XXXX-WXX-" + strconv.Itoa(wd)}, true
		}
		if pod, ok := partsOfDay[nx]; ok {
			return match{i: i, j: i + 2, typ: Set, val: "XXXX-XX-XXT" + pod}, true
		}
		if lo == "every" {
			if m, ok := f.durationFrom(i+1, i+1, false); ok && m.typ == Duration {
				m.i, m.typ = i, Set
				return m, true
			}
		}
	}
	return match{}, false
}

// ---- times of day -----------------------------------------------------------

// clockTime parses "3 p.m.", "3pm", "6:40 p.m.", "18:00 UTC", "noon".
func (f *finder) clockTime(i int) (match, bool) {
	t := f.t[i]
	h, mi := -1, 0
	k := i
	switch {
	case t.lo == "noon" || t.lo == "midday":
		h, k = 12, i+1
	case t.lo == "midnight":
		h, k = 0, i+1
	case t.kind == kNum:
		s := t.lo
		suffix := ""
		if strings.HasSuffix(s, "am") || strings.HasSuffix(s, "pm") {
			suffix = s[len(s)-2:]
			s = s[:len(s)-2]
		}
		if !allDigits(s) || len(s) > 2 {
			return match{}, false
		}
		h = atoi(s)
		k = i + 1
		if suffix == "" && k+1 < len(f.t) && f.t[k].s == ":" && f.glued(i) && f.glued(k) {
			ms := f.t[k+1].lo
			if strings.HasSuffix(ms, "am") || strings.HasSuffix(ms, "pm") {
				suffix = ms[len(ms)-2:]
				ms = ms[:len(ms)-2]
			}
			if len(ms) != 2 || !allDigits(ms) {
				return match{}, false
			}
			mi = atoi(ms)
			k += 2
			if k < len(f.t) && f.t[k].s == ":" && f.glued(k-1) {
				return match{}, false // 1:02:03 is a duration or a score
			}
		}
		if suffix == "" {
			suffix, k = f.meridiem(k)
		}
		switch suffix {
		case "pm":
			if h < 12 {
				h += 12
			}
		case "am":
			if h == 12 {
				h = 0
			}
		case "":
			if k == i+1 {
				return match{}, false // a bare number is no time
			}
		}
		if suffix != "" && (h > 24 || atoi(s) > 12 || atoi(s) == 0) {
			return match{}, false
		}
		if h > 23 || mi > 59 {
			return match{}, false
		}
	default:
		return match{}, false
	}
	zone := ""
	switch f.lo(k) {
	case "utc", "gmt", "z":
		zone = "Z"
		k++
	case "et", "est", "edt", "pt", "pst", "pdt", "ct", "cst", "cdt", "bst", "cet", "cest", "jst", "kst":
		k++
	case "local":
		if f.lo(k+1) == "time" {
			k += 2
		}
	}
	m := match{i: i, j: k, typ: Time, clock: "T" + string(appendInt(nil, h, 2)) + ":" + string(appendInt(nil, mi, 2)) + zone}
	return m, true
}

// meridiem reads "a.m."/"p.m."/"am"/"pm" at k.
func (f *finder) meridiem(k int) (string, int) {
	lo := f.lo(k)
	if lo == "am" || lo == "pm" {
		if f.t[k].s == "AM" || f.t[k].s == "PM" || f.t[k].s == "am" || f.t[k].s == "pm" {
			return lo, k + 1
		}
	}
	if (lo == "a" || lo == "p") && f.lo(k+1) == "." && f.lo(k+2) == "m" && f.glued(k) && f.glued(k+1) {
		n := k + 3
		if f.lo(n) == "." && f.glued(k+2) {
			n++
		}
		return lo + "m", n
	}
	return "", k
}

// anchorClocks gives each time of day its date: a dated expression in the
// same sentence (the nearest), else the publication date.
func (f *finder) anchorClocks() {
	for x := range f.out {
		m := &f.out[x]
		if m.clock == "" || m.val != "" {
			continue
		}
		sent := f.t[m.i].sent
		best, bestDist := -1, 1<<30
		for y := range f.out {
			o := &f.out[y]
			if !o.hasDay || f.t[o.i].sent != sent {
				continue
			}
			d := o.i - m.i
			if d < 0 {
				d = -d
			}
			if d < bestDist {
				best, bestDist = y, d
			}
		}
		switch {
		case best >= 0:
			m.val = dayOf(f.out[best].day).String() + m.clock
		case f.hasRef:
			m.val = dayOf(f.ref).String() + m.clock
		default:
			m.val, m.unres = "XXXX-XX-XX"+m.clock, true
		}
	}
}

// trimPoss drops a possessive "'s" ("Monday's", "this year's").
func trimPoss(lo string) string {
	if strings.HasSuffix(lo, "'s") {
		return lo[:len(lo)-2]
	}
	if strings.HasSuffix(lo, "’s") {
		return lo[:len(lo)-len("’s")]
	}
	return lo
}

// namedDayWords make a weekday the name of a particular day.
var namedDayWords = map[string]bool{"black": true, "super": true, "bloody": true, "good": true, "ash": true,
	"easter": true, "cyber": true, "palm": true, "holy": true, "maundy": true, "shrove": true, "blue": true}
