// Package timex finds time expressions in news text and normalizes them to
// TIMEX3-style values against the article's publication date.
//
// It is a hand-written scanner plus small parsers that only start at trigger
// tokens (month and weekday names, digits, "yesterday", "last", "ago"…), so
// it runs over whole bodies at hundreds of thousands of sentences a second.
// Under-specified dates follow news conventions: a bare weekday is the one
// of the publication week that has already happened ("said on Tuesday")
// unless a future cue ("will", "scheduled") is near; a month or day without
// a year is the nearest such date, again turned by tense cues. Without a
// publication date relative expressions keep TIMEX3's X placeholders
// ("XXXX-WXX-2", "XXXX-11-10") and are marked Unresolved, never guessed.
package timex

import (
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/detente/detente"
)

// Types of time expression (TIMEX3).
const (
	Date     = "DATE"
	Time     = "TIME"
	Duration = "DURATION"
	Set      = "SET"
)

// Find returns the time expressions in text, in order, with code point
// offsets. published is the publication date as "YYYY-MM-DD" or RFC 3339
// (its calendar date is used as written); "" or an unparsable value leaves
// relative expressions unresolved.
func Find(text string, published string) []detente.TimeExpr {
	ref, ok := ParseDate(published)
	buf := tokPool.Get().(*findBufs)
	f := finder{t: scanInto(buf.t[:0], text), ref: ref, hasRef: ok, out: buf.out[:0]}
	defer func() {
		// The tokens and matches stay with the pool, not their strings;
		// a very long text's buffers are left to the collector.
		clear(f.t)
		clear(f.out)
		if cap(f.t) <= maxPooledToks && cap(f.out) <= maxPooledMatches {
			buf.t, buf.out = f.t[:0], f.out[:0]
			tokPool.Put(buf)
		}
	}()
	f.run()
	out := make([]detente.TimeExpr, 0, len(f.out))
	for _, m := range f.out {
		first, last := &f.t[m.i], &f.t[m.j-1]
		// A token's text is a slice of text, so its byte offset is where
		// it starts in memory: no walk over the code points before it.
		bs := byteOffset(text, first.s)
		be := byteOffset(text, last.s) + len(last.s)
		out = append(out, detente.TimeExpr{
			Text: text[bs:be], Start: first.start, End: last.end,
			Value: m.val, ValueEnd: m.valEnd, Type: m.typ, Unresolved: m.unres,
		})
	}
	return out
}

// byteOffset is the byte offset in text of s, which the scanner cut from
// text.
func byteOffset(text, s string) int {
	return int(uintptr(unsafe.Pointer(unsafe.StringData(s))) - uintptr(unsafe.Pointer(unsafe.StringData(text))))
}

// findBufs are a Find call's token and match buffers.
type findBufs struct {
	t   []tok
	out []match
}

// tokPool keeps token and match buffers between calls: Find runs on every
// body and its tokens and matches do not outlive it.
var tokPool = sync.Pool{New: func() any { return &findBufs{t: make([]tok, 0, 2048), out: make([]match, 0, 32)} }}

// maxPooledToks and maxPooledMatches bound the buffers the pool keeps.
const (
	maxPooledToks    = 1 << 16
	maxPooledMatches = 1 << 10
)

// ParseDate reads a publication date: "YYYY-MM-DD", RFC 3339, or the date
// part of any string that starts with "YYYY-MM-DD".
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 10 {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02", s[:10])
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// match is one expression found, over tokens [i, j).
type match struct {
	i, j        int
	val, valEnd string
	typ         string
	unres       bool
	day         time.Time // its calendar day when it has one, for anchoring times
	hasDay      bool
	// A time of day without its own date is anchored after all matches are
	// known: to a dated expression in the same sentence, else the
	// publication date.
	clock string // "T15:00", "TMO"
}

type finder struct {
	t      []tok
	ref    time.Time
	hasRef bool
	out    []match
	// The last core call's answer: rangePhrase and datePhrase both read
	// the core expression at the token at tries, and core depends on the
	// tokens and the reference date alone.
	coreAt1 int // the token index plus one; 0: none yet
	coreM   match
	coreOK  bool
}

func (f *finder) lo(i int) string {
	if i < 0 || i >= len(f.t) {
		return ""
	}
	return f.t[i].lo
}

// glued says tokens i and i+1 touch (no space between).
func (f *finder) glued(i int) bool {
	return i >= 0 && i+1 < len(f.t) && !f.t[i].spaceAfter && f.t[i].sent == f.t[i+1].sent
}

func (f *finder) capital(i int) bool {
	if i < 0 || i >= len(f.t) || f.t[i].s == "" {
		return false
	}
	c := f.t[i].s[0]
	return c >= 'A' && c <= 'Z'
}

func (f *finder) run() {
	for i := 0; i < len(f.t); {
		if f.mayStart(i) {
			if m, ok := f.at(i); ok && m.j > i {
				f.out = append(f.out, m)
				i = m.j
				continue
			}
		}
		i++
	}
	f.anchorClocks()
}

// mayStart says whether an expression may start at token i: a number, a
// trigger word whose next token does not rule every parser out, or an
// apostrophe before a number ("'90s"). It is at's test, asked first so
// the tokens nothing can start at (most) cost no match.
func (f *finder) mayStart(i int) bool {
	t := &f.t[i]
	switch t.kind {
	case kPunct:
		return (t.s == "'" || t.s == "’") && i+1 < len(f.t) && f.t[i+1].kind == kNum && f.glued(i)
	case kWord:
		return isTrigger(t.lo) && !f.funcWordDeadEnd(i)
	}
	return true
}

// at tries every parser that can start at token i and keeps the longest.
func (f *finder) at(i int) (match, bool) {
	t := &f.t[i]
	if t.kind == kPunct {
		if (t.s == "'" || t.s == "’") && i+1 < len(f.t) && f.t[i+1].kind == kNum && f.glued(i) {
			return f.decade(i)
		}
		return match{}, false
	}
	if t.kind == kWord && (!isTrigger(t.lo) || f.funcWordDeadEnd(i)) {
		return match{}, false
	}
	return f.parse(i)
}

// parse tries every parser at token i and keeps the longest match.
func (f *finder) parse(i int) (match, bool) {
	var best match
	found := false
	try := func(m match, ok bool) {
		if ok && (!found || m.j > best.j) {
			best, found = m, true
		}
	}
	try(f.rangePhrase(i))
	try(f.datePhrase(i))
	try(f.duration(i))
	try(f.clockTime(i))
	try(f.set(i))
	return best, found
}

// funcWordDeadEnd says no parser can match at token i, a function word
// ("the", "a", "an", "in", "on", "for", a hedge) whose next token is none
// a match starting there would need. These words start most parser attempts and
// few matches, so the next token is checked before the parsers run. What
// each parser needs, read from the parsers:
//
//   - "the": decade and day-first monthDate a number (or an apostrophe,
//     "the '90s") next; relative, datePhrase and duration one of theNext;
//     weekdayPhrase, clockTime and set nothing starting with "the".
//   - "a", "an": only durationFrom, a unit next or a vague number, a
//     hyphen or a modifier before it ("a few years", "a full year").
//   - "in": only duration: a number, a spelled number, a hedge, "recent"
//     or a plural unit next; after "in a", what "a" needs.
//   - "for": only duration: "recent" or a unit next.
//   - "on": only weekdayPhrase: a capitalised word (the weekday) or a
//     direction word ("on last Friday") next.
//   - the hedges of durationMods ("about", "over", "just"…): only
//     durationFrom, a number, a spelled or vague number, "more/less than"
//     or "at least/most" next.
//   - "years", "months", "weeks", "decades": nothing; no parser starts
//     with a plural unit.
//
// rangePhrase and datePhrase at these words come down to core at the same
// token, which is weekdayPhrase, monthDate, decade and relative. Words with
// a possessive ("the's") are not looked at.
func (f *finder) funcWordDeadEnd(i int) bool {
	var next *wordSet
	num := false // a number next may start a match
	switch f.t[i].lo {
	case "the":
		next, num = &theNext, true
	case "a", "an":
		next = &aNext
	case "in":
		if a := f.lo(i + 1); a == "a" || a == "an" {
			// Only durationFrom at the article: what "a" needs.
			return !aNext.has(f.lo(i + 2))
		}
		next, num = &inNext, true
	case "for":
		next = &forNext
	case "on":
		if f.capital(i + 1) {
			return false
		}
		next = &onNext
	case "nearly", "almost", "about", "over", "around", "roughly", "approximately", "some", "barely", "just", "only":
		next, num = &hedgeNext, true
	case "years", "months", "weeks", "decades":
		return true
	default:
		return false
	}
	if i+1 >= len(f.t) {
		return true
	}
	n := &f.t[i+1]
	if num && n.kind == kNum {
		return false
	}
	return !next.has(n.lo)
}

// The next words after a function word that may start a match there; see
// funcWordDeadEnd.
var (
	theNext = nextSet(setOf("'", "’", "future", "past", "last", "previous", "following", "next", "coming",
		"first", "second", "third", "fourth", "final", "weekend", "day", "end", "beginning", "start", "middle"),
		keys(seasons))
	aNext = nextSet(setOf("-", "straight", "consecutive", "successive", "full", "more", "additional", "further", "long"),
		keys(vagueNumbers), keys(units))
	inNext    = nextSet(setOf("recent", "more", "less", "at"), keys(units), keys(durationMods), keys(vagueNumbers), keys(numberWords))
	forNext   = nextSet(setOf("recent"), keys(units))
	onNext    = newWordSet(setOf("last", "past", "previous", "next", "coming", "this"))
	hedgeNext = nextSet(setOf("more", "less", "at"), keys(vagueNumbers), keys(numberWords))
)

// nextSet is union's words as a wordSet.
func nextSet(m map[string]bool, lists ...[]string) wordSet { return newWordSet(union(m, lists...)) }

func union(m map[string]bool, lists ...[]string) map[string]bool {
	for _, l := range lists {
		for _, w := range l {
			m[w] = true
		}
	}
	return m
}

// isTrigger is the pre-filter: words that can start an expression. It is
// called for every word of every body, so the word lists it consults are
// joined into one set (triggers) looked up once.
func isTrigger(lo string) bool {
	if triggerSet.has(lo) {
		return true
	}
	// "today's", "Monday’s": the bare word's trigger.
	if t := strings.TrimSuffix(strings.TrimSuffix(lo, "'s"), "’s"); t != lo {
		return triggerWords[t]
	}
	return false
}

// triggerWords start an expression without naming a time themselves.
var triggerWords = setOf("on", "the", "this", "last", "next", "past", "coming", "previous", "following", "earlier", "later",
	"early", "late", "mid", "end", "beginning", "start", "middle", "yesterday", "today", "tomorrow",
	"tonight", "now", "currently", "recently", "recent", "current", "every", "each", "per", "from",
	"between", "noon", "midnight", "q", "first", "second", "third", "fourth", "final", "several",
	"few", "many", "nearly", "almost", "about", "over", "around", "roughly", "approximately", "some",
	"barely", "just", "only", "in", "for", "a", "an", "mondays", "tuesdays", "wednesdays", "thursdays",
	"fridays", "saturdays", "sundays", "decades", "years", "months", "weeks")

// triggers are triggerWords and every month, weekday, number, set and
// season word.
var triggers = func() map[string]bool {
	t := map[string]bool{}
	for w := range triggerWords {
		t[w] = true
	}
	for _, ws := range [][]string{keys(months), keys(monthAbbrevs), keys(weekdays), keys(numberWords), keys(setWords), keys(seasons)} {
		for _, w := range ws {
			t[w] = true
		}
	}
	return t
}()

// triggerSet is triggers as a wordSet, which isTrigger asks of every
// word of every body.
var triggerSet = newWordSet(triggers)

// wordSet is a set of words in an open-addressing table of the words
// themselves, hashed from their bytes without a seed: a look-up reads one
// slot of a small table (usually) where a map reads its control word,
// slot and key.
type wordSet struct {
	slots []string // "" is an empty slot
	mask  uint64
}

func newWordSet(words map[string]bool) wordSet {
	size := 16
	for size < 4*len(words) {
		size *= 2
	}
	ws := wordSet{slots: make([]string, size), mask: uint64(size - 1)}
	for w, ok := range words {
		if !ok || w == "" {
			continue
		}
		i := wordHash(w) & ws.mask
		for ws.slots[i] != "" {
			i = (i + 1) & ws.mask
		}
		ws.slots[i] = w
	}
	return ws
}

// has says whether w is in the set.
func (ws *wordSet) has(w string) bool {
	if w == "" {
		return false
	}
	for i := wordHash(w) & ws.mask; ; i = (i + 1) & ws.mask {
		s := ws.slots[i]
		if s == w {
			return true
		}
		if s == "" {
			return false
		}
	}
}

// wordHash hashes a word from its length and three of its bytes (the
// first, the middle and the last): enough to spread the few words of a
// wordSet, and cheaper than reading them all.
func wordHash(w string) uint64 {
	n := len(w)
	k := uint64(w[0]) | uint64(w[n/2])<<8 | uint64(w[n-1])<<16 | uint64(n)<<24
	h := k * 0x9E3779B97F4A7C15
	return h ^ h>>32
}

func setOf(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// ---- dates -------------------------------------------------------------

// pdate is a partial calendar date; zero fields are unknown.
type pdate struct {
	y, m, d int
	// rel is a year relative to the publication date ("October of next
	// year"), used when hasRel is set.
	rel    int
	hasRel bool
}

func (p pdate) less(q pdate) bool {
	if p.y != q.y {
		return p.y < q.y
	}
	if p.m != q.m {
		return p.m < q.m
	}
	return p.d < q.d
}

// monthAt reads a month name at i: full names must be capitalised (so
// "may" the verb and "march" the verb stay out); abbreviations need a
// number after them, checked by the caller. It returns the month, the index
// after it, and whether it was an abbreviation.
func (f *finder) monthAt(i int) (int, int, bool) {
	if i >= len(f.t) || f.t[i].kind != kWord || !f.capital(i) {
		return 0, i, false
	}
	if m, ok := months[f.t[i].lo]; ok {
		return m, i + 1, false
	}
	if m, ok := monthAbbrevs[f.t[i].lo]; ok {
		j := i + 1
		if j < len(f.t) && f.t[j].s == "." && f.glued(i) {
			j++
		}
		return m, j, true
	}
	return 0, i, false
}

// dayAt reads a day of the month ("26", "26th", "1st") at i.
func (f *finder) dayAt(i int) (int, int) {
	if i >= len(f.t) || f.t[i].kind != kNum {
		return 0, i
	}
	s := f.t[i].lo
	n := 0
	k := 0
	for k < len(s) && s[k] >= '0' && s[k] <= '9' {
		n = n*10 + int(s[k]-'0')
		k++
	}
	if k == 0 || k > 2 || n < 1 || n > 31 {
		return 0, i
	}
	if suf := s[k:]; suf != "" && suf != "st" && suf != "nd" && suf != "rd" && suf != "th" {
		return 0, i
	}
	// "5:30" is a time and "5.5" a number, not a day.
	if i+1 < len(f.t) && f.glued(i) && (f.t[i+1].s == ":" || f.t[i+1].s == "%") {
		return 0, i
	}
	return n, i + 1
}

// yearAt reads a four-digit year at i (1000–2999).
func (f *finder) yearAt(i int) (int, int) {
	if i >= len(f.t) || f.t[i].kind != kNum || len(f.t[i].s) != 4 {
		return 0, i
	}
	n, err := strconv.Atoi(f.t[i].s)
	if err != nil || n < 1000 || n > 2999 {
		return 0, i
	}
	if i+1 < len(f.t) && f.glued(i) && (f.t[i+1].s == "%" || f.t[i+1].s == ":") {
		return 0, i
	}
	return n, i + 1
}

// monthDate parses "April 26, 2017", "April 26", "26 April 2017", "the 26th
// of April", "April 2017", "April" and the day ranges "November 10-11" and
// "10-11 November". It returns the start date, the end date for a range
// (zero when none), and the index after.
func (f *finder) monthDate(i int) (pdate, pdate, int, bool) {
	var p, e pdate
	if m, j, abbr := f.monthAt(i); m > 0 {
		p.m = m
		// Month Day[-Day][,] [Year]
		if d, k := f.dayAt(j); d > 0 && d <= daysIn(m) {
			p.d = d
			j = k
			if d2, k2 := f.dayRangeEnd(j); d2 > d {
				e = pdate{m: m, d: d2}
				j = k2
			}
			if y, k := f.yearAfterComma(j); y > 0 {
				p.y = y
				if e.m > 0 {
					e.y = y
				}
				j = k
			} else if rel, k, ok := f.relYear(j); ok {
				p.rel, p.hasRel, j = rel, true, k
			}
			return p, e, j, true
		}
		// Month [of|,] Year
		k := j
		if f.lo(k) == "of" || f.lo(k) == "," {
			k++
		}
		if y, k2 := f.yearAt(k); y > 0 {
			p.y = y
			return p, e, k2, true
		}
		if rel, k2, ok := f.relYear(j); ok {
			p.rel, p.hasRel = rel, true
			return p, e, k2, true
		}
		if abbr {
			return p, e, j, false
		}
		if m == 5 || m == 3 {
			// "May" and "March" alone are months only after a preposition or
			// modifier ("in May", "last March"), not "May I" or "March on".
			switch f.lo(i - 1) {
			case "in", "since", "until", "by", "of", "early", "late", "mid", "-", "last", "next", "this",
				"from", "to", "through", "between", "and", "during", "before", "after", "till", "on":
			default:
				return p, e, j, false
			}
		}
		return p, e, j, true
	}
	// Day-first: "26 April 2017", "26th of April", "10-11 November".
	j := i
	if f.lo(j) == "the" {
		j++
	}
	if d, k := f.dayAt(j); d > 0 {
		var d2 int
		if x, k2 := f.dayRangeEnd(k); x > d {
			d2, k = x, k2
		}
		if f.lo(k) == "of" {
			k++
		}
		if m, k3, _ := f.monthAt(k); m > 0 && d <= daysIn(m) {
			if j > i && f.lo(k-1) != "of" {
				return p, e, i, false // "the 26 April" is not a phrase
			}
			p = pdate{m: m, d: d}
			if d2 > 0 {
				e = pdate{m: m, d: d2}
			}
			if y, k4 := f.yearAfterComma(k3); y > 0 {
				p.y = y
				if e.m > 0 {
					e.y = y
				}
				k3 = k4
			}
			return p, e, k3, true
		}
	}
	return p, e, i, false
}

// relYear reads "[of] next year", "[of] last year", "[of] this year" after
// a month or day.
func (f *finder) relYear(j int) (int, int, bool) {
	k := j
	if f.lo(k) == "of" || f.lo(k) == "," {
		k++
	}
	if f.lo(k+1) != "year" {
		return 0, j, false
	}
	switch f.lo(k) {
	case "next":
		return 1, k + 2, true
	case "last":
		return -1, k + 2, true
	case "this":
		return 0, k + 2, true
	}
	return 0, j, false
}

// dayRangeEnd reads "-11" or "–11" after a day.
func (f *finder) dayRangeEnd(j int) (int, int) {
	if j < len(f.t) && (f.t[j].s == "-" || f.t[j].s == "–" || f.t[j].s == "—") {
		if d, k := f.dayAt(j + 1); d > 0 {
			return d, k
		}
	}
	return 0, j
}

// yearAfterComma reads an optional comma and a year.
func (f *finder) yearAfterComma(j int) (int, int) {
	k := j
	if f.lo(k) == "," {
		k++
	}
	if y, k2 := f.yearAt(k); y > 0 {
		return y, k2
	}
	return 0, j
}

func daysIn(m int) int {
	switch m {
	case 2:
		return 29
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// numericDate parses "2017-04-26", "2017/04/26" and "7/8/07" (month first,
// as English news writes it, unless the first number cannot be a month).
func (f *finder) numericDate(i int) (pdate, int, bool) {
	if i+4 >= len(f.t) || f.t[i].kind != kNum {
		return pdate{}, i, false
	}
	sep := f.t[i+1].s
	if (sep != "-" && sep != "/") || f.t[i+3].s != sep || !f.glued(i) || !f.glued(i+1) || !f.glued(i+2) || !f.glued(i+3) {
		return pdate{}, i, false
	}
	a, b, c := f.t[i].s, f.t[i+2].s, f.t[i+4].s
	ai, e1 := strconv.Atoi(a)
	bi, e2 := strconv.Atoi(b)
	ci, e3 := strconv.Atoi(c)
	if e1 != nil || e2 != nil || e3 != nil {
		return pdate{}, i, false
	}
	var p pdate
	switch {
	case len(a) == 4 && len(b) <= 2 && len(c) <= 2:
		p = pdate{y: ai, m: bi, d: ci}
	case sep == "/" && len(a) <= 2 && len(b) <= 2 && (len(c) == 4 || len(c) == 2):
		y := ci
		if len(c) == 2 {
			y = twoDigitYear(ci, f.ref, f.hasRef)
		}
		if ai > 12 {
			ai, bi = bi, ai
		}
		p = pdate{y: y, m: ai, d: bi}
	default:
		return pdate{}, i, false
	}
	if p.m < 1 || p.m > 12 || p.d < 1 || p.d > daysIn(p.m) {
		return pdate{}, i, false
	}
	return p, i + 5, true
}

func twoDigitYear(n int, ref time.Time, hasRef bool) int {
	base := 2000
	cur := 30
	if hasRef {
		cur = ref.Year()%100 + 10
	}
	if n > cur {
		base = 1900
	}
	return base + n
}

// plainYear accepts a bare four-digit year where it reads as one: years
// 1900–2099 unless a plural noun counts them ("2000 troops"), other years
// only after a preposition ("in 1066").
func (f *finder) plainYear(i int) (int, int, bool) {
	y, j := f.yearAt(i)
	if y == 0 {
		return 0, i, false
	}
	prev := f.lo(i - 1)
	if prev == "$" || prev == "£" || prev == "€" || prev == "#" || prev == "no" || prev == "number" {
		return 0, i, false
	}
	if i > 1 && f.glued(i-1) && (prev == "," || prev == "." || prev == "-" || prev == "/") && f.t[i-2].kind == kNum {
		return 0, i, false
	}
	afterPrep := false
	switch prev {
	case "in", "since", "of", "by", "until", "till", "from", "to", "between", "and", "before", "after",
		"during", "year", "early", "late", "mid", "circa", "the", "around", "through", "fiscal", "for":
		afterPrep = true
	}
	if y < 1900 || y > 2099 {
		if !afterPrep || prev == "the" || prev == "and" || prev == "to" || prev == "for" {
			return 0, i, false
		}
	}
	if j < len(f.t) {
		nx := f.t[j]
		if nx.kind == kWord && !afterPrep && len(nx.lo) > 3 && nx.lo[len(nx.lo)-1] == 's' && nx.s[0] >= 'a' && nx.s[0] <= 'z' {
			switch nx.lo {
			case "was", "has", "is", "as", "its", "this", "thus", "unless", "whereas", "elections", "olympics":
			default:
				return 0, i, false
			}
		}
		if nx.lo == "percent" || nx.lo == "per" || nx.lo == "%" {
			return 0, i, false
		}
		if nx.kind == kNum && !nx.spaceAfter {
			return 0, i, false
		}
	}
	return y, j, true
}

// decade parses "1990s", "the 1990s", "'90s", "90s".
func (f *finder) decade(i int) (match, bool) {
	j := i
	if f.lo(j) == "the" {
		j++
	}
	if f.lo(j) == "'" || f.lo(j) == "’" {
		j++
	}
	if j >= len(f.t) || f.t[j].kind != kNum {
		return match{}, false
	}
	s := f.t[j].lo
	var v string
	switch {
	case len(s) == 5 && s[4] == 's' && allDigits(s[:4]) && s[3] == '0':
		v = s[:3]
	case len(s) == 6 && strings.HasSuffix(s, "'s") && allDigits(s[:4]) && s[3] == '0':
		v = s[:3]
	case len(s) == 2 && allDigits(s) && j > i && (f.lo(j-1) == "'" || f.lo(j-1) == "’") && f.lo(j+1) != "s":
		// "'82": a year.
		return match{i: i, j: j + 1, val: strconv.Itoa(twoDigitYear(atoi(s), f.ref, f.hasRef)), typ: Date}, true
	case len(s) == 3 && s[2] == 's' && allDigits(s[:2]) && s[1] == '0':
		n := int(s[0] - '0')
		if f.hasRef && n*10 <= f.ref.Year()%100 {
			v = "20" + s[:1]
		} else {
			v = "19" + s[:1]
		}
	default:
		return match{}, false
	}
	return match{i: i, j: j + 1, val: v, typ: Date}, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ---- resolution ----------------------------------------------------------

// tense looks around tokens [i, j) in the same sentence for a cue that the
// expression points to the future (+1) or the past (-1); 0 when none.
// The nearest cue before the expression wins; then the nearest after.
func (f *finder) tense(i, j int) int {
	sent := -1
	if i < len(f.t) {
		sent = f.t[i].sent
	}
	for k := i - 1; k >= 0 && k >= i-14 && f.t[k].sent == sent; k-- {
		if c := cue(f.t[k].lo); c != 0 {
			return c
		}
	}
	for k := j; k < len(f.t) && k < j+8 && f.t[k].sent == sent; k++ {
		if c := cue(f.t[k].lo); c != 0 {
			return c
		}
	}
	return 0
}

func cue(lo string) int {
	if futureCues[lo] {
		return 1
	}
	if pastCues[lo] {
		return -1
	}
	// Regular past tense verbs ("announced", "agreed").
	if len(lo) > 4 && strings.HasSuffix(lo, "ed") && lo[0] >= 'a' && lo[0] <= 'z' {
		switch lo {
		case "need", "needed", "indeed", "speed", "proceed", "exceed", "succeed", "based", "related",
			"united", "limited", "advanced", "concerned", "armed", "called", "alleged", "so-called",
			"detailed", "estimated", "reported":
			return 0
		}
		return -1
	}
	return 0
}

// resolveDate fills a partial date's missing year (and month) from the
// publication date: the nearest such date, turned by the tense around
// tokens [i, j). ok is false when there is no publication date to use.
func (f *finder) resolveDate(p pdate, i, j int) (pdate, bool) {
	if p.y > 0 {
		return p, true
	}
	if !f.hasRef {
		return p, false
	}
	if p.hasRel {
		p.y, p.hasRel = f.ref.Year()+p.rel, false
		return p, true
	}
	ry, rm, rd := f.ref.Year(), int(f.ref.Month()), f.ref.Day()
	r := pdate{y: ry, m: rm, d: rd}
	if p.d == 0 {
		r.d = 0
	}
	cand := pdate{y: ry, m: p.m, d: p.d}
	// Nearest within six months.
	diff := (p.m - rm)
	if diff > 6 {
		cand.y--
	} else if diff < -6 {
		cand.y++
	}
	switch f.tense(i, j) {
	case 1:
		if cand.less(r) && monthsBetween(cand, r) >= 1 {
			cand.y++
		}
	case -1:
		if r.less(cand) && monthsBetween(r, cand) >= 1 {
			cand.y--
		}
	}
	return cand, true
}

// monthsBetween is the whole months from a to b (a before b).
func monthsBetween(a, b pdate) int {
	n := (b.y-a.y)*12 + b.m - a.m
	if a.d > 0 && b.d > 0 && b.d < a.d {
		n--
	}
	return n
}

func (p pdate) String() string {
	var b []byte
	if p.y > 0 {
		b = appendInt(b, p.y, 4)
	} else {
		b = append(b, "XXXX"...)
	}
	if p.m > 0 {
		b = append(b, '-')
		b = appendInt(b, p.m, 2)
		if p.d > 0 {
			b = append(b, '-')
			b = appendInt(b, p.d, 2)
		}
	}
	return string(b)
}

func appendInt(b []byte, n, width int) []byte {
	s := strconv.Itoa(n)
	for k := len(s); k < width; k++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

func dayOf(t time.Time) pdate { return pdate{y: t.Year(), m: int(t.Month()), d: t.Day()} }

func (p pdate) time() time.Time {
	return time.Date(p.y, time.Month(p.m), p.d, 0, 0, 0, 0, time.UTC)
}

func weekValue(t time.Time) string {
	y, w := t.ISOWeek()
	b := appendInt(nil, y, 4)
	b = append(b, "-W"...)
	return string(appendInt(b, w, 2))
}

func monthValue(t time.Time) string { return pdate{y: t.Year(), m: int(t.Month())}.String() }

func yearValue(t time.Time) string { return pdate{y: t.Year()}.String() }

// dateMatch builds a DATE match for a resolved or unresolved partial date.
func (f *finder) dateMatch(i, j int, p pdate) match {
	r, ok := f.resolveDate(p, i, j)
	m := match{i: i, j: j, typ: Date, val: r.String(), unres: !ok}
	if ok && r.d > 0 {
		m.day, m.hasDay = r.time(), true
	}
	return m
}
