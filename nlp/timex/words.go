package timex

// Word tables. Keys are lower case.

var months = map[string]int{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
	"july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}

// monthAbbrevs only count when a day or year follows ("Jan. 5", "Sept 2009"),
// since "Jan" or "Mar" alone is more often a name.
var monthAbbrevs = map[string]int{
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
	"sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

// weekdays maps names to ISO weekday numbers (Monday 1 … Sunday 7).
var weekdays = map[string]int{
	"monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
	"mon": 1, "tue": 2, "tues": 2, "wed": 3, "thu": 4, "thur": 4, "thurs": 4, "fri": 5, "sat": 6, "sun": 7,
}

// numberWords are the spelled numbers that quantify durations.
var numberWords = map[string]float64{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
	"fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
	"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
	"hundred": 100, "a": 1, "an": 1, "single": 1, "half": 0.5, "dozen": 12,
}

// vagueNumbers quantify without a number: "several years" is PXY.
var vagueNumbers = map[string]bool{"several": true, "few": true, "many": true, "some": true, "numerous": true, "couple": true}

// unit is a calendar unit of durations and relative dates.
type unit struct {
	code  string // ISO 8601 designator: Y, M, W, D, H (time), MIN (time M), S
	mult  float64
	time  bool // after the T in ISO 8601 durations
	gran  int  // granularity for "ago": gYear, gMonth, gWeek, gDay
	plain string
}

const (
	gYear = iota
	gQuarter
	gMonth
	gWeek
	gDay
	gTime
)

var units = map[string]unit{
	"year": {"Y", 1, false, gYear, "year"}, "years": {"Y", 1, false, gYear, "year"},
	"month": {"M", 1, false, gMonth, "month"}, "months": {"M", 1, false, gMonth, "month"},
	"week": {"W", 1, false, gWeek, "week"}, "weeks": {"W", 1, false, gWeek, "week"},
	"day": {"D", 1, false, gDay, "day"}, "days": {"D", 1, false, gDay, "day"},
	"decade": {"Y", 10, false, gYear, "decade"}, "decades": {"Y", 10, false, gYear, "decade"},
	"century": {"Y", 100, false, gYear, "century"}, "centuries": {"Y", 100, false, gYear, "century"},
	"hour": {"H", 1, true, gTime, "hour"}, "hours": {"H", 1, true, gTime, "hour"},
	"minute": {"M", 1, true, gTime, "minute"}, "minutes": {"M", 1, true, gTime, "minute"},
	"second": {"S", 1, true, gTime, "second"}, "seconds": {"S", 1, true, gTime, "second"},
	"quarter": {"M", 3, false, gQuarter, "quarter"}, "quarters": {"M", 3, false, gQuarter, "quarter"},
}

// setWords are adjectives and adverbs of recurrence.
var setWords = map[string]string{
	"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "yearly": "P1Y", "annual": "P1Y",
	"annually": "P1Y", "quarterly": "P3M", "hourly": "PT1H", "nightly": "P1D", "biannual": "P6M",
	"biennial": "P2Y",
}

// partsOfDay are TIMEX3's part-of-day codes.
var partsOfDay = map[string]string{"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}

var seasons = map[string]string{"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}

var ordinals = map[string]int{"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}

// durationMods are the hedges TimeML keeps inside a duration's span.
var durationMods = map[string]bool{
	"nearly": true, "almost": true, "about": true, "over": true, "around": true, "roughly": true,
	"approximately": true, "some": true, "barely": true, "just": true, "only": true,
}

// futureCues and pastCues are the words that tell which way an
// under-specified date ("on Friday", "in June") points.
var futureCues = map[string]bool{
	"will": true, "ll": true, "shall": true, "upcoming": true, "scheduled": true, "expected": true,
	"due": true, "plans": true, "planned": true, "plan": true, "planning": true, "intends": true,
	"next": true, "coming": true, "forthcoming": true, "slated": true, "until": true,
	"aims": true, "hopes": true, "tomorrow": true, "later": true, "going": true, "won't": true,
}

var pastCues = map[string]bool{
	"was": true, "were": true, "had": true, "did": true, "said": true, "told": true, "ago": true,
	"last": true, "earlier": true, "since": true, "took": true, "came": true, "began": true,
	"met": true, "made": true, "went": true, "saw": true, "gave": true, "held": true, "left": true,
	"won": true, "lost": true, "fell": true, "rose": true, "sold": true, "paid": true, "hit": true,
	"yesterday": true, "wasn't": true, "weren't": true, "didn't": true, "hadn't": true,
}
