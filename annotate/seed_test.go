package annotate

import (
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/clean"
	"github.com/detente/detente/kb"
	"github.com/detente/detente/nlp/ner"

	"github.com/detente/detente/internal/shareddata"
)

var (
	builtinOnce sync.Once
	builtin     *Annotator
)

// builtinAnnotator is the annotator as detente ships it.
func builtinAnnotator() *Annotator {
	builtinOnce.Do(func() { builtin = New(NewKBLexicon(kb.Default()), ner.Default()) })
	return builtin
}

// seedArticle reads the reference article the way the page-text reader
// does, cleaned, or skips the test.
func seedArticle(t *testing.T) *detente.Article {
	t.Helper()
	raw, err := os.ReadFile(shareddata.Require(t, "seed", "cgtn-2017-beijing-seoul-thaad.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(raw), "\n", 3)
	return clean.Article(&detente.Article{Title: lines[0], Source: lines[1], Body: lines[2], Published: "2017-10-31"})
}

// TestSeedMatchesExpected checks the entity, time and quote tables of
// ../shared/seed/EXPECTED.md.
func TestSeedMatchesExpected(t *testing.T) {
	a := seedArticle(t)
	ann := builtinAnnotator().Annotate(a)

	type want struct{ text, actor, country string }
	has := func(ents []detente.Entity, w want) bool {
		for _, e := range ents {
			if e.Text == w.text && e.Actor == w.actor && (w.country == "" || e.Country == w.country) {
				return true
			}
		}
		return false
	}
	for _, w := range []want{
		{"China", "CHN", "CHN"}, {"Chinese", "CHN", "CHN"},
		{"South Korea", "KOR", "KOR"}, {"South Korean", "KOR", "KOR"}, {"Seoul", "KOR", "KOR"},
		{"US-led", "USA", "USA"}, {"US", "USA", "USA"}, {"Vietnam", "VNM", "VNM"},
		{"Chinese Foreign Ministry", "CHNGOV", "CHN"},
		{"South Korea's Foreign Ministry", "KORGOV", "KOR"},
		{"South Korean Foreign Ministry", "KORGOV", "KOR"},
		{"Kang Kyung-wha", "KORGOV", "KOR"},
		{"Xi Jinping", "CHNGOV", "CHN"},
		{"Moon Jae-in", "KORGOV", "KOR"},
		{"lawmakers", "KORLEG", "KOR"},
		{"US military", "USAMIL", "USA"},
		{"Seongju", "", "KOR"},
		{"Korean Peninsula", "", ""},
	} {
		if !has(ann.Entities, w) {
			t.Errorf("no entity %q with actor %q, country %q", w.text, w.actor, w.country)
		}
	}
	var apec, thaad bool
	for _, e := range ann.Entities {
		if e.Text == "APEC" && strings.HasPrefix(e.Actor, "IGO") && e.Canonical == "Asia-Pacific Economic Cooperation" {
			apec = true
		}
		if e.Text == "THAAD" && e.Type == detente.EntityWeapon {
			thaad = true
		}
		if e.Text == "Seongju" && (e.Lat == nil || *e.Lat < 35.8 || *e.Lat > 36.0 || *e.Lon < 128.1 || *e.Lon > 128.4) {
			t.Errorf("Seongju at %v,%v, want about 35.92 N 128.28 E", e.Lat, e.Lon)
		}
	}
	if !apec || !thaad {
		t.Errorf("APEC linked to its long form: %v; THAAD a weapon: %v", apec, thaad)
	}
	if ann.Title == nil || !has(ann.Title.Entities, want{"Beijing", "CHN", "CHN"}) || !has(ann.Title.Entities, want{"Seoul", "KOR", "KOR"}) {
		t.Errorf("title entities = %+v, want Beijing CHN and Seoul KOR", ann.Title)
	}
	if len(ann.Captions) != 1 || ann.Captions[0].Credit == nil || ann.Captions[0].Credit.Text != "Reuters" || ann.Captions[0].Credit.Actor != "MED" {
		t.Errorf("caption credit = %+v, want Reuters MED", ann.Captions)
	}

	acr := map[string]string{}
	for _, x := range ann.Acronyms {
		acr[x.Short] = x.Long
	}
	for short, long := range map[string]string{"THAAD": "Terminal High Altitude Area Defense", "MD": "missile defense", "APEC": "Asia-Pacific Economic Cooperation"} {
		if acr[short] != long {
			t.Errorf("acronym %s = %q, want %q", short, acr[short], long)
		}
	}

	times := map[string]string{}
	for _, x := range ann.Times {
		times[x.Text] = x.Value + "/" + x.ValueEnd
	}
	for _, c := range ann.Captions {
		for _, x := range c.Times {
			times[x.Text] = x.Value + "/" + x.ValueEnd
		}
	}
	for text, v := range map[string]string{"on Tuesday": "2017-10-31/", "On Monday": "2017-10-30/", "April 26, 2017": "2017-04-26/", "November 10-11": "2017-11-10/2017-11-11"} {
		if times[text] != v {
			t.Errorf("time %q = %q, want %q", text, times[text], v)
		}
	}

	if len(ann.Quotes) != 2 {
		t.Fatalf("quotes = %+v, want 2", ann.Quotes)
	}
	for _, q := range ann.Quotes {
		if q.Actor != "KORGOV" {
			t.Errorf("quote %q spoken by %q (%s), want the South Korean Foreign Ministry, KORGOV", q.Text, q.Speaker, q.Actor)
		}
	}
	if !strings.HasPrefix(ann.Quotes[1].Text, "Both sides shared the view") || ann.Quotes[0].Text != "expeditiously." {
		t.Errorf("quotes = %q, %q", ann.Quotes[0].Text, ann.Quotes[1].Text)
	}
}

func TestSeedWithoutDateLeavesRelativeTimesUnresolved(t *testing.T) {
	a := seedArticle(t)
	a.Published = ""
	ann := builtinAnnotator().Annotate(a)
	for _, x := range ann.Times {
		if x.Text == "on Tuesday" && !x.Unresolved {
			t.Errorf("on Tuesday resolved to %q without a publication date", x.Value)
		}
	}
	for _, e := range ann.Entities {
		if e.Text == "Moon Jae-in" && e.Actor != "KORGOV" {
			t.Errorf("without a date Moon Jae-in = %q; the description still says KORGOV", e.Actor)
		}
	}
}
