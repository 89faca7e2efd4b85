package annotate

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/detente/detente"
	"github.com/detente/detente/nlp"
	"github.com/detente/detente/nlp/ner"
)

func entityTypes(ents []detente.Entity) map[string]string {
	out := map[string]string{}
	for _, e := range ents {
		out[e.Text] = e.Type
	}
	return out
}

func TestMatchReportCountriesAreTeams(t *testing.T) {
	an := New(lex, nil)
	report := "Ruritania beat China 2-0 in the match on Sunday. The coach praised the goalkeeper. " +
		"China scored late but the goal was ruled out. Ruritania won 3 – 1 in the return match in China."
	got := an.Annotate(&detente.Article{Body: report, Language: "en"}).Entities
	teams, places := 0, 0
	for _, e := range got {
		switch e.Type {
		case detente.EntityOrg:
			teams++
		case detente.EntityGPE:
			places++
			if e.Start != utf8.RuneCountInString(report[:strings.LastIndex(report, "China")]) {
				t.Errorf("%q at %d read as a place in a match report", e.Text, e.Start)
			}
		}
	}
	if teams != 4 || places != 1 {
		t.Errorf("teams %d, places %d, want 4 and 1 ('in China' stays a place): %+v", teams, places, got)
	}

	// The same countries outside a match report are countries.
	news := "Ruritania and China signed a trade deal on Sunday."
	for text, typ := range entityTypes(an.Annotate(&detente.Article{Body: news, Language: "en"}).Entities) {
		if typ != detente.EntityGPE && typ != "" {
			t.Errorf("%q is %s outside a match report", text, typ)
		}
	}
}

func TestNameHeadType(t *testing.T) {
	for name, want := range map[string]string{
		"Kennedy Space Center":                  detente.EntityLoc,
		"Museum of Flight":                      detente.EntityLoc,
		"Fisht Stadium":                         detente.EntityLoc,
		"Center for Strategic Studies":          detente.EntityOrg,
		"Pew Research Center":                   detente.EntityOrg,
		"Andy Warhol Foundation":                detente.EntityOrg,
		"University of Texas":                   detente.EntityOrg,
		"Democratic Party":                      detente.EntityOrg,
		"Xi Jinping":                            "",
		"Seoul":                                 "",
		"the space center":                      "",
		"Andy Warhol Foundation for the Visual": detente.EntityOrg,
		"Seleucid Empire":                       detente.EntityGPE,
		"Kingdom of Castile":                    detente.EntityGPE,
	} {
		if got := nameHeadType(strings.Fields(name)); got != want {
			t.Errorf("nameHeadType(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestSplitPersonOf(t *testing.T) {
	w := strings.Fields("candidates were Gary Chan of DAB and Anna Berg")
	got := splitPersonOf(w, []ner.Span{{Start: 2, End: 6, Type: ner.TypePerson}, {Start: 7, End: 9, Type: ner.TypePerson}})
	want := []ner.Span{{Start: 2, End: 4, Type: ner.TypePerson}, {Start: 5, End: 6, Type: ner.TypeOrg}, {Start: 7, End: 9, Type: ner.TypePerson}}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestBareNameNeedsAPersonsWord(t *testing.T) {
	an := New(lex, nil)
	text := "Anna Berg spoke on Monday. Later Berg left. The Berg camera was sold. Berg Hansen arrived."
	var aliases []string
	for _, e := range an.Annotate(&detente.Article{Body: text, Language: "en"}).Entities {
		if e.Source == "alias" {
			aliases = append(aliases, e.Text+"@"+strconv.Itoa(e.Start))
		}
	}
	want := []string{"Berg@33"}
	if !slices.Equal(aliases, want) {
		t.Errorf("aliases %v, want %v (not after 'the', not inside another name)", aliases, want)
	}
}

func TestCountryJoinsTheOrganizationAfterIt(t *testing.T) {
	l := fakeLexicon{phrases: map[string]Entry{
		"Ruritania":           lex.phrases["Ruritania"],
		"State Department":    {Kind: KindOrg, Type: detente.EntityOrg, Canonical: "State Department", Actor: "RURGOV"},
		"Strelsau":            {Kind: KindPlace, Type: detente.EntityGPE, Canonical: "Strelsau", Population: 500000},
		"University of Zenda": {Kind: KindOrg, Type: detente.EntityOrg, Canonical: "University of Zenda"},
	}}
	an := New(l, nil)
	text := "The Ruritania State Department said the University of Zenda Strelsau would reopen in Ruritania."
	got := entityTypes(an.Annotate(&detente.Article{Body: text, Language: "en"}).Entities)
	for name, typ := range map[string]string{
		"Ruritania State Department":   detente.EntityOrg,
		"University of Zenda Strelsau": detente.EntityOrg,
		"Ruritania":                    detente.EntityGPE,
	} {
		if got[name] != typ {
			t.Errorf("%q: %q, want %q (all: %v)", name, got[name], typ, got)
		}
	}
}

func TestOfficesAndPartiesAsNames(t *testing.T) {
	for _, c := range []struct {
		e    detente.Entity
		want bool
	}{
		{detente.Entity{Text: "President", Type: detente.EntityOrg, Source: "kb", Canonical: "President of the United States"}, false},
		{detente.Entity{Text: "Secretary of State", Type: detente.EntityOrg, Source: "kb", Canonical: "Us Secretary of State"}, false},
		{detente.Entity{Text: "State Department", Type: detente.EntityOrg, Source: "kb", Canonical: "State Department"}, true},
		{detente.Entity{Text: "Democratic Party", Type: detente.EntityOrg, Source: "agent"}, true},
		{detente.Entity{Text: "Police", Type: detente.EntityOrg, Source: "agent"}, false},
		{detente.Entity{Text: "Governor of Washington", Type: detente.EntityOrg, Source: "description"}, false},
	} {
		if got := IsName(c.e); got != c.want {
			t.Errorf("IsName(%q from %s) = %v, want %v", c.e.Text, c.e.Source, got, c.want)
		}
	}
}

func TestNamesFoundByTheirHeads(t *testing.T) {
	an := New(lex, nil)
	text := "She studied at Zenda University and the Museum of Flight before Anna Berg Foundation staff hired her. The Museum reopened."
	got := entityTypes(an.Annotate(&detente.Article{Body: text, Language: "en"}).Entities)
	want := map[string]string{
		"Zenda University":     detente.EntityOrg,
		"Museum of Flight":     detente.EntityLoc,
		"Anna Berg Foundation": detente.EntityOrg,
	}
	for name, typ := range want {
		if got[name] != typ {
			t.Errorf("%q: %q, want %q", name, got[name], typ)
		}
	}
	if len(got) != len(want) {
		t.Errorf("entities %v, want only %v ('The Museum' opening a sentence names nothing)", got, want)
	}
}

func TestInitials(t *testing.T) {
	for w, want := range map[string]bool{"K.C.": true, "J.": true, "AS": true, "US.": false, "Kc.": false, "A": false, "ABC": false} {
		if got := initials(w); got != want {
			t.Errorf("initials(%q) = %v, want %v", w, got, want)
		}
	}
}

func TestAcronymsTakeTheirLongFormsType(t *testing.T) {
	text := "The crew landed at the Kennedy Space Center (KSC) in Florida on Monday. Later, KSC employees cheered."
	var long string
	var shorts []string
	for _, e := range builtinAnnotator().Annotate(&detente.Article{Body: text, Language: "en"}).Entities {
		switch e.Text {
		case "Kennedy Space Center":
			long = e.Type
		case "KSC":
			shorts = append(shorts, e.Type)
		}
	}
	if long != detente.EntityLoc || len(shorts) != 2 || shorts[0] != long || shorts[1] != long {
		t.Errorf("Kennedy Space Center %q, KSC %v: want a place, both", long, shorts)
	}
}

func TestRetypeByContext(t *testing.T) {
	text := "Anna Berg of Zorkia spoke. Zorkia said no. Zorkia agreed. Later Zorkia left."
	d := &document{text: nlp.Segment(text)}
	for _, toks := range d.text.Tokens {
		w := make([]string, len(toks))
		for j, tk := range toks {
			w[j] = tk.Text
		}
		d.words = append(d.words, w)
	}
	person := Entry{Kind: KindPerson, Type: detente.EntityPerson}
	org := Entry{Kind: KindOrg, Type: detente.EntityOrg}
	d.ms = []*mention{
		{sent: 0, start: 0, end: 2, entry: lex.phrases["Anna Berg"], source: "kb"},
		{sent: 0, start: 3, end: 4, entry: person, source: "model"}, // "of Zorkia": an organization
		{sent: 1, start: 0, end: 1, entry: person, source: "model"},
		{sent: 2, start: 0, end: 1, entry: org, source: "model"},
		{sent: 3, start: 1, end: 2, entry: org, source: "model"},
	}
	d.retypeByContext()
	for i, m := range d.ms[1:] {
		if got := entityType(m.entry); got != detente.EntityOrg {
			t.Errorf("mention %d (%q): %s, want ORG", i+1, d.surface(m), got)
		}
	}
}

// placeLexicon knows one place.
type placeLexicon struct{ fakeLexicon }

func (placeLexicon) Place(name string, prefer []string) (Entry, bool) {
	if name == "Zenda" {
		return Entry{Kind: KindPlace, Type: detente.EntityGPE, Canonical: "Zenda"}, true
	}
	return Entry{}, false
}

func TestPlacesByForm(t *testing.T) {
	d := &document{an: New(placeLexicon{lex}, nil)}
	for _, c := range []struct {
		words string
		typ   string
	}{
		{"State of Zenda", ner.TypePlace},
		{"Zenda North East", ner.TypePlace},
		{"State of Mind", ner.TypeOrg},
		{"Zenda Holdings", ner.TypeOrg},
	} {
		w := strings.Fields(c.words)
		d.words = [][]string{w}
		if got := d.placeByForm(0, ner.Span{Start: 0, End: len(w), Type: ner.TypeOrg}); got.Type != c.typ {
			t.Errorf("%q: %s, want %s", c.words, got.Type, c.typ)
		}
	}
}

func TestSplitPossessive(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []ner.Span
	}{
		// A capitalized owner is a name of its own.
		{"pilgrims at Mecca 's Grand Mosque", []ner.Span{{Start: 2, End: 3, Type: "GPE"}, {Start: 4, End: 6, Type: "GPE"}}},
		// A common word before "'s" belongs to the name.
		{"Eunice Yung of New People 's Party", []ner.Span{{Start: 3, End: 7, Type: "GPE"}}},
	} {
		w := strings.Fields(tc.text)
		in := []ner.Span{tc.want[0]}
		in[0].End = tc.want[len(tc.want)-1].End
		if got := splitPossessive(w, in); !slices.Equal(got, tc.want) {
			t.Errorf("%q: got %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestOrganizationShortForms(t *testing.T) {
	an := builtinAnnotator()
	body := "A former member says the Church of Scientology held her on a ship for years. " +
		"The Church denied the claim. Her lawyer wrote to the Church on Monday."
	ents := an.Annotate(&detente.Article{Body: body, Language: "en"}).Entities
	var orgs []string
	for _, e := range ents {
		if e.Type == detente.EntityOrg && IsName(e) {
			orgs = append(orgs, e.Text)
		}
	}
	// The institution is one name, its religion inside it; its head alone
	// later is the same organization.
	want := []string{"Church of Scientology", "Church", "Church"}
	if !slices.Equal(orgs, want) {
		t.Errorf("organizations %q, want %q (entities %+v)", orgs, want, ents)
	}
}

func TestInstitutionNameOverDescription(t *testing.T) {
	an := builtinAnnotator()
	body := "He left the Croatian Peasant Party in 2019 and joined the Greek Ministry of Culture."
	var names []string
	for _, e := range an.Annotate(&detente.Article{Body: body, Language: "en"}).Entities {
		if IsName(e) {
			names = append(names, e.Text)
		}
	}
	// The description the annotator composes from a nationality and a
	// sector word grows to the institution's whole name.
	want := []string{"Croatian Peasant Party", "Greek Ministry of Culture"}
	if !slices.Equal(names, want) {
		t.Errorf("names %q, want %q", names, want)
	}
}

func TestInstitutionNameOverItsParts(t *testing.T) {
	an := builtinAnnotator()
	body := "The Christian Democratic Union of Germany won the vote, and some 800,000 Iraqi Kurds sought refuge in Germany."
	var names []string
	kurds := false
	for _, e := range an.Annotate(&detente.Article{Body: body, Language: "en"}).Entities {
		if IsName(e) {
			names = append(names, e.Text)
		}
		kurds = kurds || e.Text == "Kurds" && e.Actor != ""
	}
	// The party is one name, not a religion and a country; a people named
	// by nationality stays what the knowledge base says ("Iraqi" "Kurds",
	// which the coder reads as IRQKUR).
	if len(names) == 0 || names[0] != "Christian Democratic Union of Germany" {
		t.Errorf("names %q, want the party's whole name first", names)
	}
	if !kurds {
		t.Errorf("'Kurds' lost its actor code")
	}
}

func TestPlaceNameOverItsParts(t *testing.T) {
	an := builtinAnnotator()
	body := "He wanted Quebec to join the United States of America."
	ents := an.Annotate(&detente.Article{Body: body, Language: "en"}).Entities
	got := find(t, ents, "United States of America")
	// One place, still the country its parts name.
	if got.Country != "USA" || got.Actor != "USA" {
		t.Errorf("entities %+v: want 'United States of America' as the USA", ents)
	}
}

func TestPersonNameOverKnownSurname(t *testing.T) {
	an := builtinAnnotator()
	body := "Chavez was succeeded by Nicolás Maduro, initially as acting president."
	ents := an.Annotate(&detente.Article{Body: body, Language: "en"}).Entities
	got := find(t, ents, "Nicolás Maduro")
	// The whole name, and still the person the knowledge base knows.
	if got.Type != detente.EntityPerson || got.Actor == "" {
		t.Errorf("entities %+v: want 'Nicolás Maduro' as the known person", ents)
	}
}

func TestPolityNamesArePlaces(t *testing.T) {
	an := builtinAnnotator()
	cases := []struct {
		text, name string
		want       string
	}{
		{"The governor said the State of Texas would sue the federal government on Monday.", "State of Texas", detente.EntityGPE},
		{"The University of Texas said on Monday it would raise tuition.", "University of Texas", detente.EntityOrg},
	}
	for _, c := range cases {
		got := an.Annotate(&detente.Article{Body: c.text, Language: "en"}).Entities
		found := false
		for _, e := range got {
			if e.Text == c.name {
				found = true
				place := c.want == detente.EntityGPE && e.Type == detente.EntityLoc // a state may be read as a region
				if e.Type != c.want && !place {
					t.Errorf("%q: %q is %v, want %v", c.text, c.name, e.Type, c.want)
				}
			}
		}
		if !found {
			t.Errorf("%q: no entity %q: %+v", c.text, c.name, got)
		}
	}
}

func TestOfficeTitlesLeavePeoplesNames(t *testing.T) {
	d := &document{words: [][]string{{"even", "Administrator", "Bolden", "said", "so"}}}
	d.ms = []*mention{{sent: 0, start: 1, end: 3, entry: Entry{Kind: KindPerson, Type: detente.EntityPerson, Canonical: "Administrator Bolden"}, source: "model"}}
	d.trimOfficeTitles()
	if m := d.ms[0]; m.start != 2 || m.end != 3 || m.entry.Canonical != "Bolden" {
		t.Errorf("got [%d,%d) %q, want [2,3) Bolden", m.start, m.end, m.entry.Canonical)
	}
	// A lone title is left alone: nothing follows it.
	d.ms = []*mention{{sent: 0, start: 1, end: 2, entry: Entry{Kind: KindPerson, Type: detente.EntityPerson}, source: "model"}}
	d.trimOfficeTitles()
	if m := d.ms[0]; m.start != 1 {
		t.Errorf("lone title trimmed to [%d,%d)", m.start, m.end)
	}
}

func TestMaybeSportsCueKeepsEveryCue(t *testing.T) {
	for w := range sportsCues {
		for _, x := range []string{w, strings.ToUpper(w), strings.ToUpper(w[:1]) + w[1:]} {
			if !maybeSportsCue(x) {
				t.Errorf("maybeSportsCue(%q) = false", x)
			}
		}
	}
	for _, x := range []string{"", "a", "the", "said", "Goa", "@oal", "Zzzz"} {
		if maybeSportsCue(x) {
			t.Errorf("maybeSportsCue(%q) = true", x)
		}
	}
}

// Spans with nothing to cut come back as they are, without a copy.
func TestSplitsKeepUncutSpans(t *testing.T) {
	w := strings.Fields("Xi Jinping met Moon Jae-in in Beijing 's Great Hall")
	spans := []ner.Span{{Start: 0, End: 2, Type: ner.TypePerson}, {Start: 3, End: 5, Type: ner.TypePerson}, {Start: 6, End: 7, Type: "GPE"}}
	if n := testing.AllocsPerRun(100, func() {
		splitPersonOf(w, splitPossessive(w, spans))
	}); n != 0 {
		t.Errorf("%v allocations, want 0", n)
	}
	if got := splitPersonOf(w, splitPossessive(w, spans)); !slices.Equal(got, spans) {
		t.Errorf("got %v, want %v", got, spans)
	}
	// A cut after an uncut span keeps it first.
	cut := append(spans[:2:2], ner.Span{Start: 6, End: 10, Type: "GPE"})
	want := append(spans[:2:2], ner.Span{Start: 6, End: 7, Type: "GPE"}, ner.Span{Start: 8, End: 10, Type: "GPE"})
	if got := splitPossessive(w, cut); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestLowerWordIsToLower holds lowerWord to strings.ToLower (ASCII, other
// scripts, invalid UTF-8, words longer than its buffer) and checks that
// nameHeadType, which looks its heads up through it, no longer allocates.
func TestLowerWordIsToLower(t *testing.T) {
	words := []string{"", "a", "Center", "CENTRE", "center", "Ministry.", "Ünited", "ÉCOLE", "İstanbul",
		"Foundation", strings.Repeat("Ab", 16), strings.Repeat("Ab", 17), "x\x80y", "A-B'C"}
	for c := 0; c < 256; c++ {
		words = append(words, string([]byte{byte(c)}), "Q"+string([]byte{byte(c)})+"z")
	}
	for _, w := range words {
		var buf [32]byte
		if got, want := lowerWord(&buf, w), strings.ToLower(w); got != want {
			t.Errorf("lowerWord(%q) = %q, want %q", w, got, want)
		}
	}
	// The heads are looked up lower-cased on the stack.
	org := []string{"Peterson", "Institute", "for", "International", "Economics"}
	loc := []string{"Bagram", "AIR", "BASE"}
	var a, b string
	allocs := testing.AllocsPerRun(100, func() { a, b = nameHeadType(org), nameHeadType(loc) })
	if a != detente.EntityOrg || b != detente.EntityLoc {
		t.Errorf("nameHeadType: %q, %q", a, b)
	}
	if allocs != 0 {
		t.Errorf("nameHeadType allocates %v times", allocs)
	}
}
