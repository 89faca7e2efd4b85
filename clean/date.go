package clean

import (
	"regexp"
	"strings"
	"time"

	"github.com/detente/detente"
)

// Date normalizes a publication date written in any common news format to
// "YYYY-MM-DD", or to an RFC 3339 timestamp in UTC when a time of day is
// known. It returns an EINVALID error when s is not a date it recognizes; it
// never guesses.
//
// Accepted: ISO dates and timestamps ("2017-10-31", "2017-10-31T08:00:00Z",
// "2017-10-31 08:00:00", with or without fractions and offsets), RFC 1123,
// RFC 822, RFC 850, ANSI C and Unix date formats, and written-out dates
// ("Oct 31, 2017", "Oct. 31, 2017", "October 31st, 2017", "31 October 2017",
// "Tuesday, October 31, 2017 at 8:00 a.m. EST"), optionally after a
// "Published:" or "Updated:" label.
//
// Zones: a numeric offset or a zone abbreviation with one fixed meaning
// (UTC, GMT, EST, CEST, JST, …) converts the time to UTC. A time with no zone
// at all is taken as UTC, the convention of feeds and database dumps. A time
// with an abbreviation we cannot pin down ("ET", "IST", …) keeps only its
// date as written, since converting it would be a guess.
func Date(s string) (string, error) {
	if isISODate(s) && s >= "1000" {
		if _, err := time.Parse("2006-01-02", s); err == nil {
			return s, nil
		}
	}
	in := s
	if len(s) > 100 {
		return "", detente.Errorf(detente.EINVALID, "not a date: %.40q…", in)
	}
	s, offset, zone := prepareDate(s)
	if s == "" {
		return "", detente.Errorf(detente.EINVALID, "not a date: %q", in)
	}
	for _, l := range dateLayouts {
		t, err := time.Parse(l.layout, s)
		if err != nil {
			continue
		}
		if t.Year() < 1000 {
			break // e.g. "0000-01-01": not a real publication date
		}
		if !l.clock || zone == zoneUnknown {
			return t.Format("2006-01-02"), nil
		}
		if zone == zoneNamed {
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(),
				time.FixedZone("", offset))
		}
		return t.UTC().Format(time.RFC3339), nil
	}
	return "", detente.Errorf(detente.EINVALID, "not a date: %q", in)
}

// Zone states of a date string after prepareDate.
const (
	zoneInString = iota // numeric offset or none: time.Parse handles it
	zoneNamed           // a known abbreviation was cut off; offset applies
	zoneUnknown         // an ambiguous or unknown abbreviation was cut off
)

// zoneOffsets are the abbreviations news sites use that mean one offset.
// Ambiguous ones (IST: India, Ireland, Israel; CST: US or China; ET) are
// deliberately absent and make the time of day unknown.
var zoneOffsets = map[string]int{
	"UTC": 0, "GMT": 0, "UT": 0, "Z": 0, "WET": 0,
	"BST": 1 * 3600, "CET": 1 * 3600, "WAT": 1 * 3600, "WEST": 1 * 3600,
	"CEST": 2 * 3600, "EET": 2 * 3600, "SAST": 2 * 3600, "CAT": 2 * 3600,
	"EEST": 3 * 3600, "MSK": 3 * 3600, "EAT": 3 * 3600,
	"PKT": 5 * 3600, "HKT": 8 * 3600, "SGT": 8 * 3600, "AWST": 8 * 3600,
	"JST": 9 * 3600, "KST": 9 * 3600, "AEST": 10 * 3600, "AEDT": 11 * 3600,
	"NZST": 12 * 3600, "NZDT": 13 * 3600,
	"EST": -5 * 3600, "EDT": -4 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
	"AKST": -9 * 3600, "AKDT": -8 * 3600, "HST": -10 * 3600,
}

var (
	dateLabel   = regexp.MustCompile(`(?i)^(?:published|updated|posted|first published|last updated)(?: on)?\s*:?\s*`)
	ordinal     = regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)\b`)
	monthDot    = regexp.MustCompile(`\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.`)
	meridiem    = regexp.MustCompile(`(?i)\s*\b([ap])\.?m\.?(\s|$)`)
	atWord      = regexp.MustCompile(`(?i),?\s+at\s+(\d)`)
	trailZone   = regexp.MustCompile(`\s*\(?\b([A-Z]{1,5})\)?$`)
	zoneBefore  = regexp.MustCompile(`\d(\s([A-Z]{2,5})\s(\d{4}))$`) // Unix date: "… 08:00:00 EST 2017"
	numericZone = regexp.MustCompile(`(?:GMT|UTC)([+-]\d{2}:?\d{2})$`)
)

// prepareDate rewrites the spellings time.Parse cannot read and cuts off a
// zone abbreviation, reporting its offset (in seconds) and what kind it was.
func prepareDate(s string) (string, int, int) {
	s = Text(s)
	s = dateLabel.ReplaceAllString(s, "")
	s = ordinal.ReplaceAllString(s, "$1")
	s = monthDot.ReplaceAllString(s, "$1")
	s = strings.ReplaceAll(s, "Sept ", "Sep ")
	s = meridiem.ReplaceAllStringFunc(s, func(m string) string {
		m = strings.ToUpper(strings.TrimSpace(m))
		suffix := " PM"
		if m[0] == 'A' {
			suffix = " AM"
		}
		return suffix + " "
	})
	s = strings.TrimSpace(s)
	s = atWord.ReplaceAllString(s, " $1")
	s = numericZone.ReplaceAllString(s, "$1")
	if m := zoneBefore.FindStringSubmatch(s); m != nil {
		s = s[:len(s)-len(m[1])] + " " + m[3] + " " + m[2]
	}
	zone := zoneInString
	offset := 0
	if m := trailZone.FindStringSubmatchIndex(s); m != nil {
		abbr := s[m[2]:m[3]]
		if strings.HasSuffix(s, "Z") && strings.Contains(s, "T") && abbr == "Z" {
			return s, 0, zoneInString // RFC 3339 "Z"
		}
		if abbr != "AM" && abbr != "PM" {
			if off, ok := zoneOffsets[abbr]; ok {
				zone, offset = zoneNamed, off
			} else {
				zone = zoneUnknown
			}
			s = strings.TrimSpace(s[:m[0]])
			s = strings.TrimSuffix(s, ",")
		}
	}
	return s, offset, zone
}

// dateLayout is one layout Date tries; clock says whether it has a time.
type dateLayout struct {
	layout string
	clock  bool
}

// dateLayouts is every date part combined with every time and offset part,
// plus the fixed formats of the standard library. ISO comes first: it is the
// most common and the cheapest to reject.
var dateLayouts = func() []dateLayout {
	var ls []dateLayout
	add := func(l string, clock bool) { ls = append(ls, dateLayout{l, clock}) }
	offsets := []string{"", "Z07:00", " Z07:00", " -0700", "-0700", " -07:00"}
	for _, d := range []string{"2006-01-02", "2006/01/02"} {
		add(d, false)
		for _, sep := range []string{"T", " "} {
			for _, c := range []string{"15:04:05.999999999", "15:04:05", "15:04"} {
				for _, o := range offsets {
					add(d+sep+c, true)
					ls[len(ls)-1].layout += o
				}
			}
		}
	}
	dates := []string{
		"Jan 2, 2006", "January 2, 2006", "Jan 2 2006", "January 2 2006",
		"2 Jan 2006", "2 January 2006", "2 Jan, 2006", "2 January, 2006",
		"Mon, Jan 2, 2006", "Monday, January 2, 2006", "Mon Jan 2, 2006", "Monday January 2, 2006",
		"Mon, 2 Jan 2006", "Monday, 2 January 2006", "Mon 2 Jan 2006", "Monday 2 January 2006",
	}
	clocks := []string{"15:04:05", "15:04", "3:04:05 PM", "3:04 PM", "3 PM"}
	for _, d := range dates {
		add(d, false)
		for _, c := range clocks {
			for _, o := range offsets {
				if o == "Z07:00" || o == "-0700" {
					continue
				}
				add(d+" "+c+o, true)
			}
			add(d+", "+c, true)
		}
	}
	for _, l := range []string{time.ANSIC, time.RFC850, "Mon Jan _2 15:04:05 2006 -0700", "Monday, 02-Jan-06 15:04:05",
		"02 Jan 06 15:04 -0700", "02 Jan 06 15:04", "Mon, 02 Jan 06 15:04:05 -0700"} {
		add(l, true)
	}
	return ls
}()

// isISODate reports the shape "2017-10-31", the common case, which skips the
// search through layouts.
func isISODate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i != 4 && i != 7 && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}
