package annotate

import (
	"strings"
	"testing"

	"github.com/detente/detente"
)

// fakeLexicon knows a handful of phrases, enough to test how the annotator
// combines them, apart from the real knowledge base.
type fakeLexicon struct {
	phrases map[string]Entry // space-joined tokens → entry
	people  map[string]Entry
}

func (f fakeLexicon) Match(words []string, date string) []LexMatch {
	var out []LexMatch
	for i := 0; i < len(words); {
		best := 0
		var e Entry
		for n := 4; n >= 1; n-- {
			if i+n > len(words) {
				continue
			}
			if got, ok := f.phrases[strings.Join(words[i:i+n], " ")]; ok {
				best, e = n, got
				break
			}
		}
		if best == 0 {
			i++
			continue
		}
		out = append(out, LexMatch{Start: i, End: i + best, Entry: e})
		i += best
	}
	return out
}

func (f fakeLexicon) Person(name, date string) (Entry, bool) {
	e, ok := f.people[name]
	return e, ok
}

func (f fakeLexicon) Place(name string, prefer []string) (Entry, bool) { return Entry{}, false }

var lex = fakeLexicon{
	phrases: map[string]Entry{
		"China":            {Kind: KindCountry, Canonical: "China", Actor: "CHN", Country: "CHN", Prefix: "CHN", CountryName: "China"},
		"Chinese":          {Kind: KindDemonym, Canonical: "China", Actor: "CHN", Country: "CHN", Prefix: "CHN", CountryName: "China"},
		"Ruritania":        {Kind: KindCountry, Canonical: "Ruritania", Actor: "RUR", Country: "RUR", Prefix: "RUR", CountryName: "Ruritania"},
		"Ruritanian":       {Kind: KindDemonym, Canonical: "Ruritania", Actor: "RUR", Country: "RUR", Prefix: "RUR", CountryName: "Ruritania"},
		"Foreign Ministry": {Kind: KindAgent, Agent: "GOV"},
		"President":        {Kind: KindAgent, Agent: "GOV"},
		"lawmakers":        {Kind: KindAgent, Agent: "LEG"},
		"Anna Berg":        {Kind: KindPerson, Canonical: "Anna Berg"},
		"Li Wei":           {Kind: KindPerson, Canonical: "Li Wei"},
		"Karl Ost":         {Kind: KindPerson, Canonical: "Karl Ost"},
	},
}

func find(t *testing.T, ents []detente.Entity, text string) detente.Entity {
	t.Helper()
	for _, e := range ents {
		if e.Text == text {
			return e
		}
	}
	t.Fatalf("no entity %q in %+v", text, ents)
	return detente.Entity{}
}

func annotate(body string) *detente.Annotations {
	return New(lex, nil).Annotate(&detente.Article{Body: body, Language: "en", Published: "2020-05-01"})
}

func TestDescriptionGivesAPersonTheActorCode(t *testing.T) {
	ann := annotate("Chinese President Li Wei will meet his Ruritanian counterpart Anna Berg in May.")
	if e := find(t, ann.Entities, "Li Wei"); e.Actor != "CHNGOV" || e.Source != "description" {
		t.Errorf("Li Wei = %+v, want CHNGOV from the description", e)
	}
	if e := find(t, ann.Entities, "Anna Berg"); e.Actor != "RURGOV" {
		t.Errorf("Anna Berg = %+v, want RURGOV: a counterpart of a GOV actor", e)
	}
	if e := find(t, ann.Entities, "Chinese"); e.Actor != "CHN" || e.Type != detente.EntityNORP {
		t.Errorf("Chinese = %+v, want NORP CHN", e)
	}
}

func TestCountryAndSectorMakeAnOrganization(t *testing.T) {
	ann := annotate("Ruritania's Foreign Ministry said the talks went well.")
	e := find(t, ann.Entities, "Ruritania's Foreign Ministry")
	if e.Actor != "RURGOV" || e.Type != detente.EntityOrg || e.Canonical != "Ruritania Foreign Ministry" {
		t.Errorf("got %+v", e)
	}
}

func TestLaterShortNamesAreTheSamePerson(t *testing.T) {
	ann := annotate("Chinese President Li Wei arrived on Monday. Li said the visit was useful.")
	e := find(t, ann.Entities, "Li")
	if e.Canonical != "Li Wei" || e.Actor != "CHNGOV" || e.Source != "alias" {
		t.Errorf("Li = %+v, want the earlier Li Wei with CHNGOV", e)
	}
}

func TestBareSectorWordTakesTheCountryOfTheActorBeforeIt(t *testing.T) {
	ann := annotate("Ruritanian President Karl Ost told lawmakers the budget would pass.")
	if e := find(t, ann.Entities, "lawmakers"); e.Actor != "RURLEG" || e.Source != "context" {
		t.Errorf("lawmakers = %+v, want RURLEG from context", e)
	} else if e.Canonical != "Ruritania lawmakers" {
		t.Errorf("lawmakers canonical = %q", e.Canonical)
	}
}

func TestSectorWordWithNoCountryInItsClauseStandsAlone(t *testing.T) {
	// PETRARCH's "---GOV": a sector with no country anywhere it could
	// come from; a comma ends the clause a country could come from.
	for _, body := range []string{"Police said lawmakers met.", "China met Ruritania, lawmakers said."} {
		ann := annotate(body)
		if e := find(t, ann.Entities, "lawmakers"); e.Actor != "---LEG" || e.Country != "" || IsName(e) {
			t.Errorf("%s: lawmakers = %+v, want ---LEG, no country, not a name", body, e)
		}
	}
}

func TestAcronymLinksShortAndLongForms(t *testing.T) {
	ann := annotate("The Joint Border Commission (JBC) met in China. Later the JBC issued a statement.")
	if len(ann.Acronyms) != 1 || ann.Acronyms[0] != (detente.Acronym{Short: "JBC", Long: "Joint Border Commission"}) {
		t.Fatalf("acronyms = %+v", ann.Acronyms)
	}
	n := 0
	for _, e := range ann.Entities {
		if e.Text == "JBC" && e.Canonical == "Joint Border Commission" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("want both JBC mentions linked to the long form, got %d in %+v", n, ann.Entities)
	}
}

func TestQuoteSpeakerResolvesToTheActor(t *testing.T) {
	ann := annotate(`"We agreed to work together," Ruritania's Foreign Ministry said.`)
	if len(ann.Quotes) != 1 {
		t.Fatalf("quotes = %+v", ann.Quotes)
	}
	if q := ann.Quotes[0]; q.Actor != "RURGOV" || q.Speaker != "Ruritania Foreign Ministry" {
		t.Errorf("quote = %+v, want speaker Ruritania Foreign Ministry, RURGOV", q)
	}
}

func TestOtherLanguagesGetSentencesOnly(t *testing.T) {
	ann := New(lex, nil).Annotate(&detente.Article{Body: "China y Ruritania firmaron un acuerdo. El presidente habló.", Language: "es"})
	if len(ann.Sentences) != 2 || len(ann.Entities) != 0 || len(ann.Times) != 0 {
		t.Errorf("got %+v, want two sentences and nothing else", ann)
	}
}

func TestEmptyAndOddBodiesDoNotPanic(t *testing.T) {
	for _, body := range []string{"", "\u200f\u200d", "\"", "(", "((A)", strings.Repeat("Ruritania ", 1000), "\xff\xfe"} {
		New(lex, nil).Annotate(&detente.Article{Body: body})
	}
}

func TestTitleAndCaptionsAreAnnotatedInTheirOwnText(t *testing.T) {
	a := &detente.Article{Title: "China and Ruritania agree", Body: "They met.", Language: "en",
		Captions: []detente.Caption{{Text: "Anna Berg arrives in China.", Credit: "Ruritania"}}}
	ann := New(lex, nil).Annotate(a)
	if ann.Title == nil || len(ann.Title.Entities) != 2 || ann.Title.Entities[1].Start != 10 {
		t.Fatalf("title annotations = %+v", ann.Title)
	}
	if len(ann.Captions) != 1 || find(t, ann.Captions[0].Entities, "China").Start != 21 {
		t.Fatalf("caption annotations = %+v", ann.Captions)
	}
	if c := ann.Captions[0].Credit; c == nil || c.Actor != "RUR" {
		t.Errorf("credit = %+v, want the credit's actor", c)
	}
}

func TestSmallPlacesNeedTheArticlesSupport(t *testing.T) {
	small := fakeLexicon{phrases: map[string]Entry{
		"Ruritania": {Kind: KindCountry, Canonical: "Ruritania", Actor: "RUR", Country: "RUR", Prefix: "RUR"},
		"Strelsau":  {Kind: KindPlace, Type: detente.EntityGPE, Canonical: "Strelsau", Country: "RUR", Population: 9000},
	}}
	ann := New(small, nil).Annotate(&detente.Article{Body: "Strelsau was quiet.", Language: "en"})
	if len(ann.Entities) != 0 {
		t.Errorf("a small town with nothing else of its country = %+v, want no entity", ann.Entities)
	}
	ann = New(small, nil).Annotate(&detente.Article{Body: "Ruritania held talks. Strelsau was quiet.", Language: "en"})
	if e := find(t, ann.Entities, "Strelsau"); e.Country != "RUR" {
		t.Errorf("Strelsau = %+v, want it kept when the article names its country", e)
	}
}

func TestWeekdaysAreTimesNotEntities(t *testing.T) {
	ann := builtinAnnotator().Annotate(&detente.Article{Body: "Officials met on Monday in Geneva. Monday was tense.", Language: "en", Published: "2020-05-06"})
	for _, e := range ann.Entities {
		if e.Text == "Monday" {
			t.Errorf("Monday tagged as an entity: %+v", e)
		}
	}
}

func TestIsNameTellsNamesFromComposedDescriptions(t *testing.T) {
	tests := []struct {
		name string
		e    detente.Entity
		want bool
	}{
		{"a tagged name", detente.Entity{Text: "Civic Passion", Type: detente.EntityOrg, Source: "model"}, true},
		{"a person whose code came from a description", detente.Entity{Text: "Moon Jae-in", Type: detente.EntityPerson, Source: "description"}, true},
		{"a capitalized institution composed from a description", detente.Entity{Text: "Indonesian Navy", Type: detente.EntityOrg, Source: "description"}, true},
		{"a common-noun description", detente.Entity{Text: "Indonesian military", Type: detente.EntityOrg, Source: "description"}, false},
		{"an office, not an institution", detente.Entity{Text: "Malaysia 's Prime Minister", Type: detente.EntityOrg, Source: "description"}, false},
		{"a sector word given a country by its context", detente.Entity{Text: "police", Type: detente.EntityOrg, Source: "context"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsName(tc.e); got != tc.want {
				t.Errorf("IsName(%q) = %v, want %v", tc.e.Text, got, tc.want)
			}
		})
	}
}

func TestAnAliasWithATitleInFrontIsTrimmedToTheName(t *testing.T) {
	tests := []struct {
		words     []string
		canonical string
		want      int
	}{
		{[]string{"US", "President", "Barack", "Obama"}, "Barack Obama", 2},
		{[]string{"President", "Obama"}, "Barack Obama", 1},
		{[]string{"Barack", "Obama"}, "Barack Obama", 0},
		{[]string{"White", "House", "spokesman"}, "White House", 0},
		{[]string{"ANSF"}, "Afghan National Security Forces", 0},
	}
	for _, tc := range tests {
		if got := nameStart(tc.words, tc.canonical); got != tc.want {
			t.Errorf("nameStart(%v, %q) = %d, want %d", tc.words, tc.canonical, got, tc.want)
		}
	}
}

func TestAPlaceInsideALongerCapitalizedNameIsNotAPlace(t *testing.T) {
	an := New(lex, nil)
	tests := []struct {
		body      string
		wantChina bool
	}{
		{"He flew to China on Monday.", true},
		{"He read it in the China Daily yesterday.", false},
		{"China said it would reply.", true},
		{"She met Anna Berg and China agreed.", true},
	}
	for _, tc := range tests {
		got := false
		for _, e := range an.Annotate(&detente.Article{Body: tc.body, Language: "en"}).Entities {
			if e.Text == "China" {
				got = true
			}
		}
		if got != tc.wantChina {
			t.Errorf("%q: China found = %v, want %v", tc.body, got, tc.wantChina)
		}
	}
}

func TestDescriptionsReadModifiersAndTitleHolders(t *testing.T) {
	l := fakeLexicon{phrases: map[string]Entry{}, people: lex.people}
	for k, v := range lex.phrases {
		l.phrases[k] = v
	}
	// A name the dictionaries file under another country's code, as
	// PETRARCH's actor files do for leaders ("+NAME" under the country).
	l.phrases["Ostrava"] = Entry{Kind: KindCountry, Canonical: "Ostrava", Actor: "OST", Country: "OST", Prefix: "OST", CountryName: "Ostrava"}
	l.phrases["minister"] = Entry{Kind: KindAgent, Agent: "GOV"}
	cases := []struct {
		name, body, mention, actor string
	}{
		{"modifiers between a possessive and its noun stay in the description",
			"Ruritania's new and popular Foreign Ministry said the talks went well.", "Ruritania's new and popular Foreign Ministry", "RURGOV"},
		{"a name filed as another country's after a title is the title holder",
			"Ruritania's minister Ostrava said the talks went well.", "Ruritania's minister Ostrava", "RURGOV"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ann := New(l, nil).Annotate(&detente.Article{Body: tc.body, Language: "en", Published: "2020-05-01"})
			if e := find(t, ann.Entities, tc.mention); e.Actor != tc.actor {
				t.Errorf("got %+v, want %s", e, tc.actor)
			}
		})
	}
	// A preposition ends the modifiers: two phrases, not one.
	ann := New(l, nil).Annotate(&detente.Article{Body: "Ruritania's decision on lawmakers was criticized.", Language: "en", Published: "2020-05-01"})
	for _, e := range ann.Entities {
		if strings.HasPrefix(e.Text, "Ruritania's decision") {
			t.Errorf("a preposition joined a description: %+v", e)
		}
	}
}
