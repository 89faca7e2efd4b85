package coder

import (
	"slices"
	"strings"
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/nlp"
)

// hasEvent says whether some event goes from a source starting with src to
// a target starting with tgt with a CAMEO code starting with code; "-"
// stands for no source or no target.
func hasEvent(evs []detente.Event, src, tgt, code string) bool {
	is := func(got, want string) bool {
		if want == "-" {
			return got == ""
		}
		return strings.HasPrefix(got, want)
	}
	for _, e := range evs {
		if is(e.Source, src) && is(e.Target, tgt) && strings.HasPrefix(e.CAMEO, code) {
			return true
		}
	}
	return false
}

// TestShallowSyntaxReadsNewsConstructions checks the shallow-syntax rules
// with the built-in knowledge: each sentence must yield the event (code
// "none": no event at all), and none of the listed wrong ones.
func TestShallowSyntaxReadsNewsConstructions(t *testing.T) {
	an, c := builtin(t)
	type ev struct{ src, tgt, code string }
	cases := []struct {
		name, text string
		want       ev
		not        []ev
	}{
		{"a past form after 'the/its + subject' is a verb, not a noun",
			"The United States and its allies condemned Russia.", ev{"USA", "RUS", "11"}, nil},
		{"a past form after 'the + actor' is the actor's verb",
			"The rebels attacked Russian troops.", ev{"RUS", "RUSMIL", "19"}, nil},
		{"a base form after 'a + name' is a noun the name modifies",
			"Yemen rejected a U.S. request to interrogate detainees.", ev{"YEM", "USA", "12"}, nil},
		{"an attack on a named place acts on its country",
			"Israeli tanks fired shells at targets in Jericho.", ev{"ISR", "PSE", "19"}, nil},
		{"a curfew imposed on a named place acts on its country",
			"French troops imposed a curfew in Abidjan.", ev{"FRA", "CIV", "17"}, nil},
		{"a particle past a prepositional phrase is a preposition, not the phrasal verb's",
			"North Korea fired a missile into the sea off its coast.", ev{"PRK", "-", "19"}, []ev{{"PRK", "", "11"}}},
		{"a particle after a short object is the phrasal verb's",
			"Iran called the talks off.", ev{"IRN", "-", "16"}, nil},
		{"a denied act is not reported as done", "Russia denied attacking Ukrainian civilians.", ev{"", "", "none"}, nil},
		{"an act in a denied clause is not reported as done",
			"The Kremlin denied that Russian forces had used chemical weapons.", ev{"", "", "none"}, nil},
		{"an act coordinated with a denial is reported",
			"Russia denied the report and attacked Ukrainian civilians.", ev{"RUS", "UKRCVL", "19"}, nil},
		{"a denial ends at a comma",
			"Iran denied involvement, although Iranian-backed rebels have attacked Saudi Arabia.", ev{"IRNREB", "SAU", "19"}, nil},
		{"a compound that meets or agrees in a capital acts on its own members, not on the host",
			"Colombia's government and the ELN rebels signed a ceasefire agreement in Havana.", ev{"COLGOV", "COLREB", "05"},
			[]ev{{"COLGOV", "CUB", ""}}},
		{"a meeting's place is no target", "Israel held talks in Jericho.", ev{"ISR", "-", "04"},
			[]ev{{"ISR", "PSE", ""}}},
		{"the place an attack came from is no target", "Israeli troops fired rockets from Jericho.", ev{"ISR", "-", "19"},
			[]ev{{"ISR", "PSE", ""}}},
		{"an actor before a verb form is the object of a verb that takes no clause",
			"The Sudanese army shelled rebel positions in Juba.", ev{"SDN", "SDNREB", "19"}, nil},
		{"a participle after a plain noun and the clause's verb modifies the noun",
			"Sudan's president shortened the nightly curfew imposed in Darfur.", ev{"SDN", "SDN", "08"},
			[]ev{{"SDN", "", "17"}}},
		{"a passive without 'by' has its subject as target and no source",
			"Two Russian diplomats were expelled.", ev{"-", "RUS", "17"}, nil},
		{"a base-form participle after 'been' is passive",
			"A US national has been put under investigation in Italy.", ev{"-", "USA", "09"}, []ev{{"USA", "ITA", ""}}},
		{"the 'by' actor may follow modifiers",
			"The former president has been accused of corruption by current Haitian government officials.", ev{"HTI", "HTI", "11"}, nil},
		{"a passive without 'by' yields to an event whose source is named",
			"Israel expelled two diplomats who were accused of spying for Russia.", ev{"ISR", "", "16"}, []ev{{"-", "", ""}}},
		{"'is set to' is an intent, not a passive", "Iran is set to host talks with Iraq.", ev{"IRN", "IRQ", "03"}, nil},
		{"a nationality word names an ethnic group's country",
			"Some 800,000 Iraqi Kurds sought refuge in Germany.", ev{"IRQKUR", "DEU", "02"}, []ev{{"KUR", "", ""}}},
		{"an ethnic group takes the one country its sentence names",
			"The Mozambique government accepted demands from Shona rebels.", ev{"MOZGOV", "MOZSNAREB", "08"}, nil},
		{"a religious group takes the country named after 'in'",
			"The British government outlawed a Protestant extremist group in Northern Ireland.", ev{"GBRGOV", "GBRCHR", "17"}, nil},
		{"a group in a sentence naming several countries keeps its own code",
			"Kurds protested in Germany and France.", ev{"KUR", "DEU", "14"}, nil},
		{"an agreement reached to act is an intent",
			"Israel and the Palestinians reached a consensus to exchange information.", ev{"ISR", "PSE", "0314"}, []ev{{"ISR", "PSE", "064"}}},
		{"a purpose infinitive inherits the intent of the verb that defers to it",
			"Norway is willing to send material to help defend Saudi Arabia.", ev{"NOR", "SAU", "033"}, []ev{{"NOR", "SAU", "070"}}},
		{"a possessor's event noun codes as its verb",
			"Russia's attack on Ukraine began at dawn.", ev{"RUS", "UKR", "19"}, nil},
		{"an event noun's 'by' actor is its source",
			"An attack by Israel on Gaza left ten dead.", ev{"ISR", "PSE", "19"}, nil},
		{"a nationality before an event noun is its source; a visit is hosted too",
			"Putin's visit to China was postponed.", ev{"RUS", "CHN", "042"}, nil},
		{"an event noun yields to a verb's event with a target",
			"Russia condemned Ukraine's attack on Crimea.", ev{"RUS", "UKR", "11"}, []ev{{"UKR", "", "19"}}},
		{"'the visit of X to Y' names the visitor after 'of'",
			"The visit of Putin to China was postponed.", ev{"RUS", "CHN", "042"}, nil},
		{"'the invasion of X' names the target after 'of'",
			"Iraq's invasion of Kuwait was condemned.", ev{"IRQ", "KWT", ""}, nil},
		{"a gerund after a noun modifier is a compound noun, not a verb",
			"Four children were killed in Israeli tank shelling in Gaza.", ev{"-", "", "19"}, []ev{{"---", "PSE", ""}}},
		{"a capitalized 'May' is a month, not an auxiliary",
			"Russia celebrated May Day with China.", ev{"RUS", "CHN", "05"}, nil},
		{"an actor in a condition is not the main verb's target",
			"Syria says it will not accept any more refugees if war starts in Iraq.", ev{"SYR", "-", "12"}, []ev{{"SYR", "IRQ", ""}}},
		{"a verb with no event of its own still codes through its patterns",
			"Japan gave aid to the Philippines.", ev{"JPN", "PHL", "07"}, nil},
		{"'left' alone is no meeting", "Russian troops left five Ukrainian soldiers dead.", ev{"", "", "none"}, nil},
		{"'found' is no cooperation", "Russian investigators found that Ukrainian officials lied.", ev{"", "", "none"}, nil},
		{"a sector word takes the country after 'near' (annotate/compose.go)",
			"Turkish troops shelled villages near Syria's border.", ev{"TURMIL", "SYRCVL", "19"}, []ev{{"", "TURCVL", ""}}},
		{"the addressee of 'told X that … must' is not who is obligated",
			"Obama told CNN that Iran must stop enrichment.", ev{"USA", "IRN", "10"}, []ev{{"USA", "MED", "10"}}},
		{"a possessive with two modifiers before a verb form makes it a noun",
			"Israel's nearly two-year delay angered Egypt.", ev{"", "", "none"}, nil},
		{"a possessed actor before a verb is still its subject",
			"Iran's supreme leader Khamenei attacked Israel.", ev{"IRN", "ISR", "19"}, nil},
		{"a title before a name the knowledge base does not know is its agent",
			"Opposition groups in Zimbabwe are demanding that President Mugabe abandon his policy.", ev{"ZWEOPP", "ZWEGOV", "10"}, nil},
		{"a passive statement without 'by' is no event", "Iran was said to be a threat to Israel.", ev{"", "", "none"}, nil},
		{"a passive without 'by' under a modal or negation is no event", "Iran should not be allowed to attend.", ev{"", "", "none"}, nil},
		{"a subject after 'no' did not undergo the act", "No American troops were injured.", ev{"", "", "none"}, nil},
		{"'cannot' negates", "A sitting president cannot be indicted by Congress.", ev{"", "", "none"}, nil},
		{"'won't' is future and negated", "Iran won't attend talks with Israel.", ev{"IRN", "ISR", "12"}, nil},
		{"troops a source sends are its own, not the target",
			"Israel sent ground troops into Gaza.", ev{"ISR", "PSE", "06"}, []ev{{"ISR", "ISRMIL", ""}}},
		{"aid to a sector of one's own country still has its target",
			"The government gave aid to farmers in Kenya.", ev{"KENGOV", "KENAGR", "07"}, nil},
		{"calling something a name is no telephone call", "Russia called Ukraine a terrorist state.", ev{"", "", "none"}, nil},
		{"a prepositional pattern's object is no date", "Putin called Erdogan on Tuesday.", ev{"RUS", "TUR", "041"},
			[]ev{{"RUS", "TUR", "02"}}},
		{"'called on X to' is still an appeal", "Russia called on Iran to stop.", ev{"RUS", "IRN", "02"}, nil},
		{"a titled stranger does not take the country of the other party",
			"President Kowalczyk threatened further action against Russia.", ev{"---GOV", "RUS", "13"}, []ev{{"RUSGOV", "", ""}}},
		{"a titled stranger takes the country where the act happens",
			"President Kowalczyk lifted the curfew imposed in Sudan.", ev{"SDNGOV", "SDN", "08"}, nil},
		{"'urged X to' is an appeal to X", "France urged Iran to attack Israel.", ev{"FRA", "IRN", "02"}, nil},
		{"the urged act is X's and only hypothetical", "Russia called on Iran to stop attacks on Israel.", ev{"IRN", "ISR", "087"},
			[]ev{{"RUS", "ISR", ""}}},
		{"a city after 'in' is where, not whom, when 'against X' follows",
			"Students marched in Tehran against the United States.", ev{"", "USA", "14"}, []ev{{"", "IRN", "14"}}},
		{"a country after 'in' is where the strikes were, not whom they hit",
			"Britain approved air strikes in Iraq against the Islamic State.", ev{"GBR", "IMG", ""}, []ev{{"GBR", "IRQ", ""}}},
		{"a name after force modifies the plural noun after it",
			"Egyptian jets attacked ISIS targets in Libya.", ev{"EGY", "IMG", "19"}, []ev{{"IMG", "", ""}}},
		{"a name after force modifies the plural noun after it, whatever the place",
			"Israeli aircraft struck Hamas targets in Gaza.", ev{"ISR", "PSEREB", "19"}, []ev{{"PSEREB", "", ""}}},
		{"a sector word after force is no name modifying a noun",
			"The United States launched military strikes against Iran.", ev{"USA", "IRN", "19"}, nil},
		{"after a reporting verb a name and an -s form are a clause",
			"Russia said Ukraine attacks civilians.", ev{"UKR", "UKRCVL", "19"}, nil},
		{"a sector word after 'foreign' does not take its context's country",
			"Beijing pressured foreign firms to share their technology.", ev{"CHN", "---BUS", "10"}, []ev{{"", "CHNBUS", ""}}},
		{"a foreign group is no national of the country acting on it",
			"Moscow expelled foreign journalists.", ev{"RUS", "---MED", "17"}, []ev{{"", "RUSMED", ""}}},
		{"without 'foreign' a sector word takes its context's country",
			"Moscow expelled journalists.", ev{"RUS", "RUSMED", "17"}, nil},
		{"in a headline an -ing word between an organization and a title is part of the title",
			"World Bank Managing Director John Smith Praises Kenya", ev{"IGO", "", "05"}, []ev{{"", "", "06"}}},
		{"in a headline an -ing word before its object stays a verb",
			"Merkel Meeting Putin In Berlin Today", ev{"DEU", "RUS", "04"}, nil},
		{"a vessel attacked does not fly its attacker's flag",
			"Houthi rebels attacked a freighter in the Red Sea.", ev{"YEMREB", "---BUS", "19"}, []ev{{"", "YEMBUS", ""}}},
		{"a vessel seized does not fly the seizer's flag",
			"Venezuela seized two tankers off its coast.", ev{"VEN", "---BUS", "17"}, []ev{{"", "VENBUS", ""}}},
		{"a vessel's named flag stays",
			"Venezuela seized two Greek tankers off its coast.", ev{"VEN", "GRCBUS", "17"}, nil},
		{"a place after 'in' with no 'against' stays the target",
			"Iraqi troops launched an offensive in Mosul.", ev{"IRQ", "IRQ", "19"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			evs := c.CodeSentence(tc.text, "2020-01-15", an)
			if tc.want.code == "none" {
				if len(evs) > 0 {
					t.Errorf("want no events in %q: %v", tc.text, summary(evs))
				}
				return
			}
			if !hasEvent(evs, tc.want.src, tc.want.tgt, tc.want.code) {
				t.Errorf("no %v event in %q: %v", tc.want, tc.text, summary(evs))
			}
			for _, n := range tc.not {
				if hasEvent(evs, n.src, n.tgt, n.code) {
					t.Errorf("unwanted %v event in %q: %v", n, tc.text, summary(evs))
				}
			}
		})
	}
}

func summary(evs []detente.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Source+"→"+e.Target+" "+e.CAMEO)
	}
	return out
}

// TestAWordBeforeAnAuxiliaryIsNoVerb: "attacks" in "Rebel attacks have
// killed" heads the subject; only "killed" reports the event.
func TestAWordBeforeAnAuxiliaryIsNoVerb(t *testing.T) {
	an, c := builtin(t)
	text := "Rebel attacks have killed dozens of Iraqi soldiers."
	evs := c.CodeSentence(text, "2020-01-15", an)
	if len(evs) != 1 || len(evs[0].Mentions) != 1 {
		t.Fatalf("want one event with one mention, got %v", evs)
	}
	m := evs[0].Mentions[0]
	if got := text[m.VerbSpan.Start:m.VerbSpan.End]; got != "killed" {
		t.Errorf("verb %q, want killed", got)
	}
}

// TestATitleBeforeAnUnknownNameCodesItsAgent: "President X" with X unknown
// is ---GOV over the title and the name; a known name keeps its own code,
// and a lower-case word is no title.
func TestATitleBeforeAnUnknownNameCodesItsAgent(t *testing.T) {
	text := "Yesterday President Smith met General Jones and the general public."
	toks := nlp.Segment(text).Tokens[0]
	at := func(s string) int { return strings.Index(text, s) }
	ents := []detente.Entity{
		{Text: "Smith", Start: at("Smith"), End: at("Smith") + 5, Type: detente.EntityPerson},
		{Text: "Jones", Start: at("Jones"), End: at("Jones") + 5, Type: detente.EntityPerson},
		{Text: "public", Start: at("public"), End: at("public") + 6, Type: detente.EntityPerson},
	}
	got := titledPersons(toks, ents, detente.Span{Start: 0, End: len(text)})
	if len(got) != 2 || got[0].Actor != "---GOV" || got[0].Text != "President Smith" || got[1].Actor != "---MIL" {
		t.Fatalf("got %+v", got)
	}
	ents[0].Actor = "USAGOV"
	if got := titledPersons(toks, ents, detente.Span{Start: 0, End: len(text)}); len(got) != 1 || got[0].Text != "General Jones" {
		t.Errorf("a known name is titled again: %+v", got)
	}
}

// A title right after an organization the knowledge base codes makes the
// unknown name that organization's title holder, across a further
// capitalized title word; a place, a lower-case gap, an uncoded
// organization or one composed from sector words does not.
func TestATitleAfterAnOrganizationCodesItsHolder(t *testing.T) {
	for _, c := range []struct{ text, org, typ, code, source, want string }{
		{"World Bank Vice-President Anna Bjerde met officials.", "World Bank", detente.EntityOrg, "IGOUNODEVWBK", "kb", "IGOUNODEVWBK"},
		{"European Commission Vice President Maros Sefcovic spoke.", "European Commission", detente.EntityOrg, "IGOEUREEC", "kb", "IGOEUREEC"},
		{"World Bank said President Anna Bjerde met officials.", "World Bank", detente.EntityOrg, "IGOUNODEVWBK", "kb", "---GOV"},
		{"Paris President Anna Bjerde met officials.", "Paris", detente.EntityGPE, "FRA", "kb", "---GOV"},
		{"Acme Corp President Anna Bjerde met officials.", "Acme Corp", detente.EntityOrg, "", "model", "---GOV"},
		{"Mexican Deputy Health Minister Anna Bjerde spoke.", "Mexican Deputy", detente.EntityOrg, "MEXCOP", "description", "---GOV"},
	} {
		toks := nlp.Segment(c.text).Tokens[0]
		at := func(s string) int { return strings.Index(c.text, s) }
		name := "Anna Bjerde"
		if at(name) < 0 {
			name = "Maros Sefcovic"
		}
		ents := []detente.Entity{
			{Text: c.org, Start: at(c.org), End: at(c.org) + len(c.org), Type: c.typ, Actor: c.code, Source: c.source},
			{Text: name, Start: at(name), End: at(name) + len(name), Type: detente.EntityPerson},
		}
		got := titledPersons(toks, ents, detente.Span{Start: 0, End: len(c.text)})
		if len(got) != 1 || got[0].Actor != c.want {
			t.Errorf("%q: got %+v, want one titled person coded %s", c.text, got, c.want)
		}
	}
}

// TestOnlyCitiesAndStatesArePlacesActedOn: a GPE with a country is a
// place an act may be aimed at; a region (LOC) is not.
func TestOnlyCitiesAndStatesArePlacesActedOn(t *testing.T) {
	text := "Troops shelled Jericho and the Jordan Valley."
	toks := nlp.Segment(text).Tokens[0]
	at := func(s string) int { return strings.Index(text, s) }
	ents := []detente.Entity{
		{Text: "Jericho", Start: at("Jericho"), End: at("Jericho") + 7, Type: detente.EntityGPE, Country: "PSE"},
		{Text: "Jordan Valley", Start: at("Jordan"), End: at("Jordan") + 13, Type: detente.EntityLoc, Country: "JOR"},
	}
	s := prepare(0, detente.Span{Start: 0, End: len(text)}, toks, ents, nil, nil, false, nil)
	if len(s.places) != 1 || s.places[0].m.code != "PSE" {
		t.Errorf("places %+v", s.places)
	}
}

// TestAnUrgedActIsHypothetical: the act an actor is urged, asked or
// allowed to do keeps its code with the hypothetical mode.
func TestAnUrgedActIsHypothetical(t *testing.T) {
	an, c := builtin(t)
	for _, text := range []string{"France urged Iran to attack Israel.", "The US allowed Israel to attack Iran."} {
		found := false
		for _, e := range c.CodeSentence(text, "2020-01-15", an) {
			if e.Root == "19" {
				found = true
				if e.Mode != "hypothetical" {
					t.Errorf("%q: the attack has mode %q, want hypothetical", text, e.Mode)
				}
			}
		}
		if !found {
			t.Errorf("%q: no attack event", text)
		}
	}
}

// TestACapitalizedWordInRunningTextIsNoVerb: "Armed" in "the House Armed
// Services panel" is part of a name; in a headline capitals say nothing.
func TestACapitalizedWordInRunningTextIsNoVerb(t *testing.T) {
	_, c := builtin(t)
	verbs := func(text string) []string {
		toks := nlp.Segment(text).Tokens[0]
		s := prepare(0, detente.Span{Start: 0, End: len(text)}, toks, nil, nil, c.lex, false, nil)
		c.findVerbs(s)
		var out []string
		for _, h := range s.verbs {
			out = append(out, s.low[h.head])
		}
		return out
	}
	if got := verbs("Lawmakers on the House Armed Services panel criticized the plan."); slices.Contains(got, "armed") || !slices.Contains(got, "criticized") {
		t.Errorf("verbs %v", got)
	}
	if got := verbs("Rebels Attacked The Capital"); !slices.Contains(got, "attacked") {
		t.Errorf("headline verbs %v", got)
	}
}

// titleAgent reads a title word as titleAgents[strings.ToLower(w)] and
// w == strings.ToLower(w) do, for every title in every case and words
// that are none.
func TestTitleAgentLowersAsToLower(t *testing.T) {
	words := []string{"", "x", "The", "Président", "\u212Aing", "İmam", "Verylongtitlewordoverthelimit", "Minister-President", "GEN.", "gen"}
	for w := range titleAgents {
		words = append(words, w, strings.ToUpper(w), strings.ToUpper(w[:1])+w[1:])
	}
	for _, w := range words {
		low := strings.ToLower(w)
		if agent, lower := titleAgent(w); agent != titleAgents[low] || lower != (w == low) {
			t.Errorf("titleAgent(%q) = %q, %v; want %q, %v", w, agent, lower, titleAgents[low], w == low)
		}
	}
}
