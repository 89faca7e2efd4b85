package timex

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/detente/detente"

	"github.com/detente/detente/internal/shareddata"
)

// want is one expected expression: its text, value, range end and type.
type want struct {
	text, value, end, typ string
}

type findCase struct {
	name, text, published string
	want                  []want
}

func runCases(t *testing.T, cases []findCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Find(c.text, c.published)
			if len(got) != len(c.want) {
				t.Fatalf("Find(%q) = %s, want %d expressions", c.text, show(got), len(c.want))
			}
			for i, w := range c.want {
				g := got[i]
				if g.Text != w.text || g.Value != w.value || g.ValueEnd != w.end || (w.typ != "" && g.Type != w.typ) {
					t.Errorf("expression %d = %q %s…%s %s, want %q %s…%s %s", i, g.Text, g.Value, g.ValueEnd, g.Type, w.text, w.value, w.end, w.typ)
				}
				if c.published != "" && g.Unresolved {
					t.Errorf("expression %q is unresolved although a publication date was given", g.Text)
				}
				checkOffsets(t, c.text, g)
			}
		})
	}
}

func show(xs []detente.TimeExpr) string {
	var b strings.Builder
	for _, x := range xs {
		b.WriteString("[" + x.Text + "=" + x.Value + "]")
	}
	return b.String()
}

func checkOffsets(t *testing.T, text string, e detente.TimeExpr) {
	t.Helper()
	rs := []rune(text)
	if e.Start < 0 || e.End > len(rs) || e.Start >= e.End {
		t.Fatalf("offsets %d..%d outside the %d code points", e.Start, e.End, len(rs))
	}
	if string(rs[e.Start:e.End]) != e.Text {
		t.Errorf("text %q differs from the code points %d..%d %q", e.Text, e.Start, e.End, string(rs[e.Start:e.End]))
	}
}

const seedPublished = "2017-10-31" // a Tuesday

func TestSeedExpressionsResolveAsExpected(t *testing.T) {
	runCases(t, []findCase{
		{"the ministry said on Tuesday is the publication day", "the Chinese Foreign Ministry said on Tuesday, following high level talks.", seedPublished,
			[]want{{"on Tuesday", "2017-10-31", "", Date}}},
		{"On Monday at a sentence start is the day before", "On Monday, Kang Kyung-wha told lawmakers Seoul will not mull any more deployment.", seedPublished,
			[]want{{"On Monday", "2017-10-30", "", Date}}},
		{"a full date is absolute", "A vehicle arrives in Seongju, April 26, 2017. /Reuters Photo", seedPublished,
			[]want{{"April 26, 2017", "2017-04-26", "", Date}}},
		{"a day range without a year is the coming one", "Xi Jinping will meet Moon Jae-in in Vietnam on November 10-11.", seedPublished,
			[]want{{"November 10-11", "2017-11-10", "2017-11-11", Date}}},
	})
}

func TestAbsoluteDatesKeepTheirWrittenValue(t *testing.T) {
	runCases(t, []findCase{
		{"day first", "The treaty was signed on 26 April 2017 in Geneva.", seedPublished, []want{{"26 April 2017", "2017-04-26", "", Date}}},
		{"ISO dates", "The filing is dated 2017-04-26.", seedPublished, []want{{"2017-04-26", "2017-04-26", "", Date}}},
		{"month and year", "Talks broke down in April 2017.", seedPublished, []want{{"April 2017", "2017-04", "", Date}}},
		{"a bare year", "The agreement dates from 1994.", seedPublished, []want{{"1994", "1994", "", Date}}},
		{"decades", "Tensions date back to the 1990s.", seedPublished, []want{{"the 1990s", "199", "", Date}}},
		{"abbreviated months with a day", "The vote is set for Sept. 5, 2018.", seedPublished, []want{{"Sept. 5, 2018", "2018-09-05", "", Date}}},
		{"ordinal days", "It opened on June 1st.", "2009-06-04", []want{{"June 1st", "2009-06-01", "", Date}}},
		{"a weekday before a date gives way to the date", "It happened on Friday, January 4, 2019.", "2019-01-05", []want{{"Friday, January 4, 2019", "2019-01-04", "", Date}}},
		{"US numeric dates", "The memo was dated 7/8/07.", "2007-07-09", []want{{"7/8/07", "2007-07-08", "", Date}}},
		{"an apostrophe year", "It was the crash of '82.", "2008-10-27", []want{{"'82", "1982", "", Date}}},
		{"quarters of a year", "Profits rose in the first quarter of 2009.", "2009-05-07", []want{{"the first quarter of 2009", "2009-Q1", "", Date}}},
		{"seasons with a year", "Sales begin in autumn 2004.", "2008-10-27", []want{{"autumn 2004", "2004-FA", "", Date}}},
	})
}

func TestCountsAndPricesAreNotYears(t *testing.T) {
	runCases(t, []findCase{
		{"a count of troops", "The army sent 2000 troops to the border.", seedPublished, nil},
		{"a price", "It costs $2017 a unit.", seedPublished, nil},
		{"a thousands number", "Some 2,017 people attended.", seedPublished, nil},
		{"the modal may", "Officials may meet again.", seedPublished, nil},
		{"a march", "Protesters will march on Sunday.", seedPublished, []want{{"on Sunday", "2017-11-05", "", Date}}},
		{"a named day", "Markets fell on Black Monday.", seedPublished, nil},
	})
}

func TestRangesCarryTheirEnd(t *testing.T) {
	runCases(t, []findCase{
		{"from one day to another", "The fair runs from March 3 to 5.", "2018-02-20", []want{{"from March 3 to 5", "2018-03-03", "2018-03-05", Date}}},
		{"between two years", "Output doubled between 2010 and 2015.", seedPublished, []want{{"between 2010 and 2015", "2010", "2015", Date}}},
		{"a dashed year range", "The 2010-2015 plan failed.", seedPublished, []want{{"2010-2015", "2010", "2015", Date}}},
		{"a day range with a year", "The summit is on November 10-11, 2017.", "", []want{{"November 10-11, 2017", "2017-11-10", "2017-11-11", Date}}},
		{"a range across months", "Voting runs from March 30 to April 2, 2018.", seedPublished, []want{{"from March 30 to April 2, 2018", "2018-03-30", "2018-04-02", Date}}},
	})
}

func TestRelativeDatesFollowThePublicationDate(t *testing.T) {
	runCases(t, []findCase{
		{"a weekday in the past", "The minister said on Friday that talks failed.", seedPublished, []want{{"on Friday", "2017-10-27", "", Date}}},
		{"a weekday with a future cue", "The minister will visit Seoul on Friday.", seedPublished, []want{{"on Friday", "2017-11-03", "", Date}}},
		{"next weekday", "They meet again next Tuesday.", seedPublished, []want{{"next Tuesday", "2017-11-07", "", Date}}},
		{"last weekday", "He arrived last Wednesday.", seedPublished, []want{{"last Wednesday", "2017-10-25", "", Date}}},
		{"last week", "Talks stalled last week.", seedPublished, []want{{"last week", "2017-W43", "", Date}}},
		{"next month", "Elections are due next month.", seedPublished, []want{{"next month", "2017-11", "", Date}}},
		{"yesterday", "Troops withdrew yesterday.", seedPublished, []want{{"yesterday", "2017-10-30", "", Date}}},
		{"today", "The court rules today.", seedPublished, []want{{"today", "2017-10-31", "", Date}}},
		{"tonight", "The president speaks tonight.", seedPublished, []want{{"tonight", "2017-10-31TNI", "", Time}}},
		{"this year", "Growth slowed this year.", seedPublished, []want{{"this year", "2017", "", Date}}},
		{"last year", "Exports fell last year.", seedPublished, []want{{"last year", "2016", "", Date}}},
		{"weeks ago", "The rebels attacked two weeks ago.", seedPublished, []want{{"two weeks ago", "2017-W42", "", Date}}},
		{"days ago", "He resigned three days ago.", seedPublished, []want{{"three days ago", "2017-10-28", "", Date}}},
		{"earlier this month", "Earlier this month the ministry protested.", seedPublished, []want{{"Earlier this month", "2017-10", "", Date}}},
		{"in some days", "The envoy will arrive in three days.", seedPublished, []want{{"three days", "2017-11-03", "", Date}}},
		{"a month without a year, a few months back", "Sales peaked in June.", seedPublished, []want{{"June", "2017-06", "", Date}}},
		{"a month without a year across new year", "Talks are planned for January.", seedPublished, []want{{"January", "2018-01", "", Date}}},
		{"a month of next year", "Licences lapse after October of next year.", "2009-05-15", []want{{"October of next year", "2010-10", "", Date}}},
		{"a quarter just closed", "Profits fell in the fourth quarter.", "2007-01-18", []want{{"the fourth quarter", "2006-Q4", "", Date}}},
		{"the end of the year", "Troops leave by the end of the year.", seedPublished, []want{{"the end of the year", "2017", "", Date}}},
		{"present and past references", "Prices are now lower than recently.", seedPublished, []want{{"now", "PRESENT_REF", "", Date}, {"recently", "PAST_REF", "", Date}}},
	})
}

func TestTimesOfDayTakeTheirDay(t *testing.T) {
	runCases(t, []findCase{
		{"afternoon clock time", "The vote opens at 3 p.m.", seedPublished, []want{{"3 p.m.", "2017-10-31T15:00", "", Time}}},
		{"UTC time on a named day", "The rocket launched on Monday at 16:15 UTC.", seedPublished, []want{{"on Monday", "2017-10-30", "", Date}, {"16:15 UTC", "2017-10-30T16:15Z", "", Time}}},
		{"a weekday part of day", "Police moved in Friday morning.", seedPublished, []want{{"Friday morning", "2017-10-27TMO", "", Time}}},
		{"compact clock", "Polls close at 8pm.", seedPublished, []want{{"8pm", "2017-10-31T20:00", "", Time}}},
	})
}

func TestDurationsAndSets(t *testing.T) {
	runCases(t, []findCase{
		{"years", "The war lasted three years.", seedPublished, []want{{"three years", "P3Y", "", Duration}}},
		{"hedged months", "The siege lasted nearly five months.", seedPublished, []want{{"nearly five months", "P5M", "", Duration}}},
		{"a halved number", "He served almost two and a half years.", seedPublished, []want{{"almost two and a half years", "P2.5Y", "", Duration}}},
		{"an adjectival duration", "They signed a 12-year deal.", seedPublished, []want{{"12-year", "P12Y", "", Duration}}},
		{"the past decade", "Trade grew over the past decade.", seedPublished, []want{{"the past decade", "P10Y", "", Duration}}},
		{"the next years", "Spending rises over the next four years.", seedPublished, []want{{"the next four years", "P4Y", "", Duration}}},
		{"hours", "Talks ran for 12 hours.", seedPublished, []want{{"12 hours", "PT12H", "", Duration}}},
		{"every week", "Envoys meet every week.", seedPublished, []want{{"every week", "P1W", "", Set}}},
		{"a yearly amount", "Aid is worth $5 billion a year.", seedPublished, []want{{"a year", "P1Y", "", Set}}},
		{"weekly", "A weekly briefing is held.", seedPublished, []want{{"weekly", "P1W", "", Set}}},
	})
}

func TestWithoutAPublicationDateRelativeExpressionsStayUnresolved(t *testing.T) {
	cases := []struct{ text, expr, value string }{
		{"The ministry said on Tuesday it agreed.", "on Tuesday", "XXXX-WXX-2"},
		{"They meet on November 10-11.", "November 10-11", "XXXX-11-10"},
		{"Troops withdrew yesterday.", "yesterday", "XXXX-XX-XX"},
		{"Talks stalled last week.", "last week", "XXXX-WXX"},
		{"Elections are due next month.", "next month", "XXXX-XX"},
		{"Exports fell last year.", "last year", "XXXX"},
		{"The vote opens at 3 p.m.", "3 p.m.", "XXXX-XX-XXT15:00"},
		{"Sales peaked in June.", "June", "XXXX-06"},
	}
	for _, c := range cases {
		got := Find(c.text, "")
		if len(got) != 1 || got[0].Text != c.expr || got[0].Value != c.value || !got[0].Unresolved {
			t.Errorf("Find(%q, \"\") = %+v, want %q = %s marked unresolved", c.text, got, c.expr, c.value)
		}
	}
	// Absolute dates and durations need no publication date.
	for _, text := range []string{"It was signed on April 26, 2017.", "The war lasted three years."} {
		got := Find(text, "")
		if len(got) != 1 || got[0].Unresolved {
			t.Errorf("Find(%q, \"\") = %+v, want one resolved expression", text, got)
		}
	}
}

func TestPublicationDatesAreReadInTheirCommonForms(t *testing.T) {
	for in, ok := range map[string]bool{"2017-10-31": true, "2017-10-31T08:00:00+09:00": true, "": false, "31 Oct 2017": false} {
		d, got := ParseDate(in)
		if got != ok || (ok && d.Format("2006-01-02") != "2017-10-31") {
			t.Errorf("ParseDate(%q) = %v, %v; want ok=%v", in, d, got, ok)
		}
	}
}

func TestOffsetsCountCodePointsNotBytes(t *testing.T) {
	text := "Über 東京: talks resumed on Monday — and 26 April 2017 too."
	got := Find(text, seedPublished)
	if len(got) != 2 {
		t.Fatalf("Find = %s, want two expressions", show(got))
	}
	for _, e := range got {
		checkOffsets(t, text, e)
	}
}

// cutCodePoints is text from code point start to end, an invalid byte
// counting as one code point, as the scanner counts them.
func cutCodePoints(text string, start, end int) string {
	bs, cp := -1, 0
	for i := 0; i <= len(text); {
		if cp == start && bs < 0 {
			bs = i
		}
		if cp == end || i == len(text) {
			return text[max(bs, 0):i]
		}
		_, n := utf8.DecodeRuneInString(text[i:])
		i += n
		cp++
	}
	return ""
}

func TestTextIsCutAtItsOffsetsInInvalidUTF8(t *testing.T) {
	text := "\xff\xfeÜber \xe6\x9d 東京 \xc3: talks on Monday\x80 — and 26 April 2017\xff too, at 3 p.m."
	got := Find(text, seedPublished)
	if len(got) != 3 {
		t.Fatalf("Find = %s, want three expressions", show(got))
	}
	for _, e := range got {
		if want := cutCodePoints(text, e.Start, e.End); e.Text != want {
			t.Errorf("text %q, want %q: the bytes of code points %d..%d", e.Text, want, e.Start, e.End)
		}
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"the Chinese Foreign Ministry said on Tuesday", "November 10-11", "from March 3 to 5, 2017",
		"3 p.m. UTC", "'82", "the 1990s", "2017-04-26", "7/8/07", "two and a half years ago", "Q3 2009",
		"the end of", "from", "between 2010 and", "\u200bMonday\u200d", "12:", "May", "the first half of 2009", ",2017", "-1999", "\xffMonday \xe6 May 3",
	} {
		f.Add(s, "2017-10-31")
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, text, published string) {
		n := utf8.RuneCountInString(text)
		prev := -1
		for _, e := range Find(text, published) {
			if e.Start < 0 || e.End > n || e.Start >= e.End || e.Start < prev {
				t.Fatalf("bad offsets %d..%d (text has %d code points, previous end %d)", e.Start, e.End, n, prev)
			}
			if utf8.ValidString(text) && string([]rune(text)[e.Start:e.End]) != e.Text {
				t.Fatalf("text %q does not match its offsets", e.Text)
			}
			if want := cutCodePoints(text, e.Start, e.End); e.Text != want {
				t.Fatalf("text %q, want %q: the bytes of code points %d..%d", e.Text, want, e.Start, e.End)
			}
			if e.Value == "" {
				t.Fatalf("expression %q has no value", e.Text)
			}
			prev = e.End
		}
	})
}

// sharedCorpus finds a corpus file in the shared data folder, or skips.
func sharedCorpus(b *testing.B, name string) string {
	b.Helper()
	return shareddata.Require(b, "corpora", name)
}

type article struct {
	Published string `json:"published"`
	Body      string `json:"body"`
}

func loadArticles(b *testing.B, name string, max int) ([]article, int) {
	fh, err := os.Open(sharedCorpus(b, name))
	if err != nil {
		b.Skip(err)
	}
	defer fh.Close()
	var arts []article
	sents := 0
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() && len(arts) < max {
		var a article
		if json.Unmarshal(sc.Bytes(), &a) == nil {
			arts = append(arts, a)
			sents += roughSentences(a.Body)
		}
	}
	return arts, sents
}

// roughSentences counts sentence ends (". ", "? ", "! ", line breaks) to
// express speed in sentences.
func roughSentences(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n':
			n++
		case '.', '?', '!':
			if i+1 == len(s) || s[i+1] == ' ' {
				n++
			}
		}
	}
	return n
}

func benchCorpus(b *testing.B, name string) {
	arts, sents := loadArticles(b, name, 2000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, a := range arts {
			Find(a.Body, a.Published)
		}
	}
	b.ReportMetric(float64(sents)*float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
}

func BenchmarkFindAllSides(b *testing.B) { benchCorpus(b, "allsides-intl-5720.jsonl") }

func BenchmarkFindWikinews(b *testing.B) { benchCorpus(b, "wikinews-2019-2020.jsonl") }

func TestIsTriggerJoinsTheWordLists(t *testing.T) {
	for w, want := range map[string]bool{
		"march": true, "sept": true, "thurs": true, "twelve": true, "weekly": true, "fall": true, "yesterday": true,
		"today's": true, "tomorrow’s": true, "monday’s": false, "week's": false, "march's": false, "said": false, "talks": false, "": false,
	} {
		if got := isTrigger(w); got != want {
			t.Errorf("isTrigger(%q) = %v, want %v", w, got, want)
		}
	}
}

func TestWordSetIsTheMap(t *testing.T) {
	words := []string{"", "a", "the", "saidx", "januaryy", "september", "septembers", "approximately", "approximatelz"}
	for w := range triggers {
		words = append(words, w, w+"s", w[:len(w)-1], strings.ToUpper(w), "x"+w)
	}
	for _, w := range words {
		if got, want := triggerSet.has(w), triggers[w]; got != want {
			t.Errorf("triggerSet.has(%q) = %v, the map says %v", w, got, want)
		}
	}
}
