package timex

import (
	"bufio"
	"encoding/json"
	"math/rand"
	"os"
	"reflect"
	"testing"

	"github.com/detente/detente/internal/shareddata"
)

// corpusTexts is every body and title of the shared corpora with its
// publication date.
func corpusTexts(t testing.TB) [][2]string {
	var out [][2]string
	for _, name := range []string{"allsides-intl-5720.jsonl", "wikinews-2019-2020.jsonl"} {
		fh, err := os.Open(shareddata.Require(t, "corpora", name))
		if err != nil {
			t.Skip(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			var a struct{ Title, Body, Published string }
			if json.Unmarshal(sc.Bytes(), &a) == nil {
				out = append(out, [2]string{a.Body, a.Published}, [2]string{a.Title, a.Published})
			}
		}
		fh.Close()
	}
	return out
}

// deadEndHolds checks that no parser matches at a token funcWordDeadEnd
// turns away, and returns how many it turned away.
func deadEndHolds(t *testing.T, text, published string) int {
	ref, ok := ParseDate(published)
	f := finder{t: scan(text), ref: ref, hasRef: ok}
	n := 0
	for i := range f.t {
		if f.t[i].kind != kWord || !isTrigger(f.t[i].lo) || !f.funcWordDeadEnd(i) {
			continue
		}
		n++
		if m, ok := f.parse(i); ok {
			t.Fatalf("%q (published %q): a match %v at token %d %q that funcWordDeadEnd turns away", text, published, m, i, f.t[i].s)
		}
	}
	return n
}

func TestFuncWordDeadEndsMatchNothingOnTheCorpora(t *testing.T) {
	skipped := 0
	for _, x := range corpusTexts(t) {
		skipped += deadEndHolds(t, x[0], x[1])
		skipped += deadEndHolds(t, x[0], "")
	}
	t.Logf("%d parser attempts turned away", skipped)
}

func TestFuncWordDeadEndsMatchNothingOnRandomText(t *testing.T) {
	words := []string{"the", "The", "a", "A", "an", "in", "In", "on", "On", "for", "For", "of", "year", "years",
		"Year", "week", "day", "days", "few", "several", "three", "3", "1990s", "'", "90s", "-", "past", "last",
		"next", "this", "Tuesday", "Tuesdays", "Sat", "June", "May", "Jan", ".", ",", "26", "2017", "end", "first",
		"half", "quarter", "second", "will", "said", "ago", "recent", "spring", "weekend", "future", "more",
		"than", "at", "least", "nearly", "straight", "full", "Black", "to", "and", "from", "between", "p", "m",
		"pm", "5", ":", "30", "hours", "a.m.", "couple", "day", "before", "same", "about", "over", "some",
		"just", "Only", "months", "decades", "most", "less", "ten", "twenty", "half", "dozen"}
	rng := rand.New(rand.NewSource(8))
	for n := 0; n < 300000; n++ {
		s := ""
		for k := 2 + rng.Intn(8); k > 0; k-- {
			if s != "" && rng.Intn(5) > 0 {
				s += " "
			}
			s += words[rng.Intn(len(words))]
		}
		deadEndHolds(t, s, "2019-05-15")
		deadEndHolds(t, s, "")
	}
}

func TestFuncWordsStillStartTheirExpressions(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"in the 1990s", "the 1990s"}, {"in the '90s", "the '90s"}, {"the 26th of April", "the 26th of April"},
		{"the end of last year", "the end of last year"}, {"the past three years", "the past three years"},
		{"the future", "the future"}, {"the weekend", "the weekend"}, {"the first quarter", "the first quarter"},
		{"for years", "years"}, {"in recent years", "recent years"}, {"a few years", "few years"}, {"a year ago", "a year ago"}, {"an hour-long", "an hour"},
		{"a full year", "a full year"}, {"a 12-year-old", ""}, {"on Tuesday", "on Tuesday"},
		{"on last Friday", "last Friday"}, {"in three days he will go", "three days"},
		{"for the past decade", "the past decade"}, {"on the day", "the day"}, {"the summer", "the summer"},
		{"about three years", "about three years"}, {"over a year", "over a year"}, {"in a year", "a year"},
		{"just more than two weeks ago", "just more than two weeks ago"}, {"some 20 days", "some 20 days"},
	} {
		got := Find(c.text, "2019-05-15")
		s := ""
		if len(got) > 0 {
			s = got[0].Text
		}
		if s != c.want {
			t.Errorf("Find(%q) first = %q, want %q", c.text, s, c.want)
		}
	}
}

// findOld is Find's finder without the function-word dead ends.
func findOld(text, published string) []match {
	ref, ok := ParseDate(published)
	f := finder{t: scan(text), ref: ref, hasRef: ok}
	for i := 0; i < len(f.t); {
		t := &f.t[i]
		var m match
		ok := false
		switch {
		case t.kind == kPunct:
			if (t.s == "'" || t.s == "’") && i+1 < len(f.t) && f.t[i+1].kind == kNum && f.glued(i) {
				m, ok = f.decade(i)
			}
		case t.kind == kWord && !isTrigger(t.lo):
		default:
			m, ok = f.parse(i)
		}
		if ok && m.j > i {
			f.out = append(f.out, m)
			i = m.j
			continue
		}
		i++
	}
	f.anchorClocks()
	return f.out
}

func findNew(text, published string) []match {
	ref, ok := ParseDate(published)
	f := finder{t: scan(text), ref: ref, hasRef: ok}
	f.run()
	return f.out
}

func TestFindSameWithoutDeadEnds(t *testing.T) {
	for _, x := range corpusTexts(t) {
		for _, p := range []string{x[1], ""} {
			if a, b := findOld(x[0], p), findNew(x[0], p); !reflect.DeepEqual(a, b) {
				t.Fatalf("%q: matches differ", x[0][:min(len(x[0]), 80)])
			}
		}
	}
}

// BenchmarkFindDeadEnds runs the finder without (old) and with (new) its
// dead-end cut over the same 200 corpus texts; compare with benchstat.
func BenchmarkFindDeadEnds(b *testing.B) {
	texts := corpusTexts(b)
	texts = texts[:min(len(texts), 200)]
	for _, v := range []struct {
		name string
		find func(string, string) []match
	}{{"old", findOld}, {"new", findNew}} {
		b.Run(v.name, func(b *testing.B) {
			for b.Loop() {
				for _, x := range texts {
					v.find(x[0], x[1])
				}
			}
		})
	}
}
