package annotate

import (
	"strings"
	"unsafe"

	"github.com/detente/detente"
	"github.com/detente/detente/internal/lowercase"
	"github.com/detente/detente/nlp/ner"
)

// Entity conventions the knowledge base and the tagger cannot see from one
// phrase: what a name stands for in its article.

// sportsCues are words that mark a match report. One alone proves nothing
// ("goal", "match" and "coach" have other senses); several, with a score,
// do.
var sportsCues = map[string]bool{
	"goal": true, "goals": true, "scored": true, "scoring": true, "scores": true, "goalkeeper": true,
	"striker": true, "midfielder": true, "penalty": true, "referee": true, "equaliser": true,
	"equalizer": true, "equalise": true, "equalize": true, "equalising": true, "equalizing": true,
	"header": true, "match": true, "coach": true, "squad": true, "tournament": true, "semi-final": true,
	"quarter-final": true, "semifinal": true, "quarterfinal": true, "kick-off": true, "half-time": true,
	"halftime": true, "innings": true, "wicket": true, "wickets": true, "touchdown": true, "inning": true,
	"playoff": true, "playoffs": true, "championship": true, "captain": true, "substituted": true,
}

// sportsCueStarts[n] has bit c-'a' set when a sports cue of n bytes starts
// with the letter c: countMatchReport reads every word of an article, and
// most cannot be a cue by their length and first letter alone.
var sportsCueStarts = func() (m [16]uint32) {
	for w := range sportsCues {
		m[len(w)] |= 1 << (w[0] - 'a')
	}
	return m
}()

// maybeSportsCue is false for words that cannot be sports cues by their
// length and first letter (either case).
func maybeSportsCue(x string) bool {
	return x != "" && len(x) < len(sportsCueStarts) && sportsCueStarts[len(x)]>>(x[0]|0x20-'a')&1 != 0
}

// isScore says whether tokens at i read as a game's score: "3-0", "3 – 0",
// "1–2" with small numbers (a year range is not a score).
func isScore(w []string, i int) bool {
	if w[i] == "" || w[i][0] < '0' || w[i][0] > '9' {
		return false // both readings start with a digit
	}
	small := func(s string) bool {
		if s == "" || len(s) > 2 {
			return false
		}
		for _, r := range s {
			if r < '0' || r > '9' {
				return false
			}
		}
		return true
	}
	dash := func(s string) bool { return s == "-" || s == "–" || s == "—" }
	if i+2 < len(w) && small(w[i]) && dash(w[i+1]) && small(w[i+2]) {
		return true
	}
	for _, d := range [...]string{"-", "–"} {
		if a, b, ok := strings.Cut(w[i], d); ok && small(a) && small(b) {
			return true
		}
	}
	return false
}

// matchReport says whether the article reports sports matches: at least
// two scores and four cue words, or six cue words. It is worked out once
// per article.
func (d *document) matchReport() bool {
	if d.sports == 0 {
		d.sports = 1
		if d.countMatchReport() {
			d.sports = 2
		}
	}
	return d.sports == 2
}

func (d *document) countMatchReport() bool {
	scores, cues := 0, 0
	for _, w := range d.words {
		for i, x := range w {
			if x != "" && x[0]-'0' <= 9 && isScore(w, i) { // a score starts with a digit
				scores++
			}
			if maybeSportsCue(x) && inLower(sportsCues, x) {
				cues++
			}
		}
	}
	return scores >= 2 && cues >= 4 || cues >= 6 && scores >= 1
}

// placePrepositions before a country name keep it a place even in a match
// report ("played in Russia").
var placePrepositions = map[string]bool{"in": true, "at": true, "across": true, "near": true, "throughout": true, "around": true}

// markNationalTeams reads the countries a match report names as their
// national teams: "Sweden defeated South Korea 1-0" is a game between two
// organizations, not an act of one state on another. Plural demonyms after
// "the" ("putting the Belgians in the lead") are the team too.
func (d *document) markNationalTeams() {
	if !d.matchReport() {
		return
	}
	for _, m := range d.ms {
		if m.dropped {
			continue
		}
		w := d.words[m.sent]
		before := ""
		if m.start > 0 {
			before = strings.ToLower(w[m.start-1])
		}
		switch {
		case m.entry.Kind == KindCountry && !placePrepositions[before]:
		case m.entry.Kind == KindDemonym && before == "the" && strings.HasSuffix(w[m.end-1], "s"):
		default:
			continue
		}
		name := m.entry.CountryName
		if name == "" {
			name = d.surface(m)
		}
		m.entry = Entry{Kind: KindOrg, Type: detente.EntityOrg, Canonical: name + " national team", Country: m.entry.Country}
		m.source = "team"
	}
}

// bareNameOK says whether the lone capitalized word at t, which is part of
// a person's name the article gave before, may stand for that person: it
// is no common word capitalized in a title ("Space Shuttle"), follows no
// article ("the Polaroid"), and is not one word of a longer name nothing
// matched ("Lee Cheuk-yan", "Shuttle Program").
func (d *document) bareNameOK(sent, t int, covered []bool) bool {
	if !d.loneNameOK(sent, t) {
		return false
	}
	w := d.words[sent]
	free := func(i int) bool {
		return i >= 0 && i < len(w) && !covered[i] && (isCapitalized(w[i]) || w[i] == "-" && i+1 < len(w) && isCapitalized(w[i+1]))
	}
	if free(t + 1) {
		return false
	}
	// A capitalized word before it is part of the same name, unless it
	// only opens the sentence ("Finally Atlantis", "Later Xi").
	return !free(t-1) || t-1 == 0 && ner.CapitalizationOf(w[0]) < 4
}

// loneNameOK says whether the word at t may be a person's name standing
// alone: it is no common word that titles capitalize, and no article
// comes before it.
func (d *document) loneNameOK(sent, t int) bool {
	w := d.words[sent]
	if b := ner.CapitalizationOf(w[t]); b > 0 && b < 4 {
		return false
	}
	if t > 0 {
		switch strings.ToLower(w[t-1]) {
		case "the", "a", "an":
			return false
		}
	}
	return true
}

// splitPersonOf cuts a tagged person at "of": "Gary Chan of DAB" is a
// person of an organization, two names.
func splitPersonOf(w []string, spans []ner.Span) []ner.Span {
	var out []ner.Span // nil until a span is cut: spans is returned as it is
	for i, sp := range spans {
		cut := -1
		if sp.Type == ner.TypePerson {
			for k := sp.Start + 1; k < sp.End-1; k++ {
				if w[k] == "of" {
					cut = k
					break
				}
			}
		}
		if cut < 0 {
			if out != nil {
				out = append(out, sp)
			}
			continue
		}
		if out == nil {
			out = append(make([]ner.Span, 0, len(spans)+1), spans[:i]...)
		}
		out = append(out, ner.Span{Start: sp.Start, End: cut, Type: ner.TypePerson},
			ner.Span{Start: cut + 1, End: sp.End, Type: ner.TypeOrg})
	}
	if out == nil {
		return spans
	}
	return out
}

// splitPossessive cuts a tagged name at a possessive "'s" whose owner news
// writes capitalized: "Mecca's Grand Mosque" is Mecca and its mosque, two
// names, as CoNLL and OntoNotes mark them. An owner that is a common word
// ("New People's Party", "Children's Hospital") is part of the name. The
// owner keeps the tagger's type for now; the knowledge base and the head
// rules type both parts later.
func splitPossessive(w []string, spans []ner.Span) []ner.Span {
	var out []ner.Span // nil until a span is cut: spans is returned as it is
	for i, sp := range spans {
		for sp.End-sp.Start >= 3 {
			cut := -1
			for k := sp.Start + 1; k < sp.End-1; k++ {
				if (w[k] == "'s" || w[k] == "’s") && isCapitalized(w[k+1]) {
					if b := ner.CapitalizationOf(w[k-1]); b == 0 || b >= 4 {
						cut = k
					}
					break
				}
			}
			if cut < 0 {
				break
			}
			if out == nil {
				out = append(make([]ner.Span, 0, len(spans)+1), spans[:i]...)
			}
			out = append(out, ner.Span{Start: sp.Start, End: cut, Type: sp.Type})
			sp.Start = cut + 1
		}
		if out != nil {
			out = append(out, sp)
		}
	}
	if out == nil {
		return spans
	}
	return out
}

// facilityHeads end the names of buildings and sites, which are places
// ("Kennedy Space Center", "Fisht Stadium", "Museum of Flight").
var facilityHeads = map[string]bool{
	"center": true, "centre": true, "stadium": true, "arena": true, "airport": true, "station": true,
	"base": true, "memorial": true, "hall": true, "museum": true, "planetarium": true, "mosque": true,
	"cathedral": true, "temple": true, "bridge": true, "square": true, "palace": true, "tower": true,
	"zoo": true, "complex": true, "dam": true, "prison": true, "monument": true, "shrine": true,
	"synagogue": true, "abbey": true, "castle": true, "pier": true, "harbour": true, "harbor": true,
}

// polityHeads end the names of states, historical or not ("Seleucid
// Empire", "Kingdom of Castile", "Czech Republic"), which are places.
var polityHeads = map[string]bool{
	"empire": true, "kingdom": true, "duchy": true, "caliphate": true, "sultanate": true, "emirate": true,
	"principality": true, "republic": true, "khanate": true,
}

// orgHeads end the names of organizations ("Andy Warhol Foundation",
// "Democratic Party", "University of Texas").
var orgHeads = map[string]bool{
	"university": true, "college": true, "institute": true, "foundation": true, "party": true,
	"council": true, "committee": true, "commission": true, "association": true, "society": true,
	"company": true, "corporation": true, "corp": true, "inc": true, "ltd": true, "bank": true,
	"agency": true, "department": true, "ministry": true, "church": true, "program": true,
	"programme": true, "fund": true, "league": true, "federation": true,
	"organization": true, "organisation": true, "board": true, "authority": true, "bureau": true,
	"academy": true, "administration": true, "coalition": true, "alliance": true, "trust": true,
	"institution": true, "school": true, "group": true, "network": true, "airlines": true, "airways": true,
	// newspapers and magazines
	"times": true, "post": true, "daily": true, "herald": true, "journal": true, "gazette": true,
	"tribune": true, "magazine": true, "telegraph": true, "chronicle": true, "press": true,
}

// nameHeadType returns the entity type a name's head word gives it: LOC
// for a facility, ORG for an organization, "" when the head says nothing.
// The head is the last word, or the word before "of" ("Museum of
// Flight"); a centre "for" something is an organization ("Center for
// Strategic Studies"), as is a research or policy centre.
func nameHeadType(w []string) string {
	if len(w) < 2 {
		return ""
	}
	head, before, particle := len(w)-1, "", ""
	for k := 1; k < len(w)-1; k++ {
		if w[k] == "of" || w[k] == "for" {
			head, particle = k-1, w[k]
			break
		}
	}
	if !isCapitalized(w[head]) {
		return ""
	}
	var bb, hb [32]byte
	if head > 0 {
		before = lowerWord(&bb, w[head-1])
	}
	h := lowerWord(&hb, strings.TrimSuffix(w[head], "."))
	switch {
	case (h == "center" || h == "centre") && (particle == "for" || before == "research" || before == "policy" || before == "studies"):
		return detente.EntityOrg
	case facilityHeads[h]:
		return detente.EntityLoc
	case polityHeads[h]:
		return detente.EntityGPE
	case orgHeads[h]:
		return detente.EntityOrg
	}
	return ""
}

// extendToHead extends a tagged name over the capitalized words right
// after it when they end in a facility or organization head: the tagger
// often stops at the person a place is named after ("[Kennedy] Space
// Center", "[Andy Warhol] Foundation"). At most three words are added.
func (d *document) extendToHead(sent int, sp ner.Span) ner.Span {
	w := d.words[sent]
	// "Museum of [Flight]", "University of [Southern Indiana]": the head
	// and its "of" before the tagged words are the name's.
	if sp.Start >= 2 && w[sp.Start-1] == "of" && isCapitalized(w[sp.Start-2]) {
		if h := strings.ToLower(w[sp.Start-2]); facilityHeads[h] || orgHeads[h] {
			sp.Start -= 2
			for sp.Start > 0 && isCapitalized(w[sp.Start-1]) && !(sp.Start-1 == 0 && ner.CapitalizationOf(w[0]) < 4) {
				sp.Start--
			}
		}
	}
	best := sp.End
	for e := sp.End; e < len(w) && e < sp.End+3; e++ {
		if !isCapitalized(w[e]) || d.isTimeSpan(sent, e, e+1) {
			break
		}
		var hb [32]byte
		h := lowerWord(&hb, w[e])
		if facilityHeads[h] || orgHeads[h] {
			best = e + 1
		}
	}
	sp.End = best
	return d.extendOverComplement(sent, sp)
}

// extendOverComplement extends a name ending in an organization or
// facility head over its complement, "for"/"of"/"on" and capitalized
// words ("Andy Warhol Foundation for the Visual Arts", "Council on
// American-Islamic Relations", "Museum of Flight"), which the tagger often
// reads as a second name.
func (d *document) extendOverComplement(sent int, sp ner.Span) ner.Span {
	w := d.words[sent]
	// The word after the name first: it is seldom one of these three, and
	// the head's look-ups cost more.
	if sp.End+1 >= len(w) {
		return sp
	}
	next := w[sp.End]
	if next != "for" && next != "of" && next != "on" {
		return sp
	}
	var hb [32]byte
	h := lowerWord(&hb, w[sp.End-1])
	if !orgHeads[h] && (next == "on" || !facilityHeads[h]) {
		return sp // "Council on Foreign Relations", not "Center on Monday"
	}
	e := sp.End + 1
	if w[e] == "the" {
		e++
	}
	end := sp.End
	for e < len(w) && e < sp.End+8 {
		switch {
		case isCapitalized(w[e]) && !d.isTimeSpan(sent, e, e+1):
			end = e + 1
		case (w[e] == "and" || w[e] == "&" || w[e] == "-") && e+1 < len(w) && isCapitalized(w[e+1]):
		default:
			e = len(w)
			continue
		}
		e++
	}
	sp.End = end
	return sp
}

// retypeByHead gives a tagged name the type its head word says, when the
// tagger's type is another name type.
func retypeByHead(w []string, sp ner.Span) ner.Span {
	switch sp.Type {
	case ner.TypePerson, ner.TypeOrg, ner.TypePlace:
	default:
		return sp
	}
	switch nameHeadType(w[sp.Start:sp.End]) {
	case detente.EntityLoc, detente.EntityGPE:
		sp.Type = ner.TypePlace
	case detente.EntityOrg:
		sp.Type = ner.TypeOrg
	}
	return sp
}

// namedInstitution says whether a sector phrase is an institution's name:
// two or more capitalized words ending in an organization's head ("the
// Democratic Party", "the Foreign Ministry"), not a bare sector word.
func namedInstitution(text string) bool {
	f := strings.Fields(text)
	if len(f) < 2 {
		return false
	}
	for _, x := range f {
		if !isCapitalized(x) {
			return false
		}
	}
	h := strings.ToLower(f[len(f)-1])
	return orgHeads[h] || h == "parties"
}

// roleOf says whether words read "<role> of <place>" ("Governor of
// Washington"): an office, not an institution.
func roleOf(f []string) bool {
	for k := 1; k < len(f); k++ {
		if f[k] == "of" {
			return roles[strings.ToLower(f[k-1])]
		}
	}
	return false
}

// isOffice says whether a knowledge-base organization is an office a
// person holds, matched by its title ("President" of "US President",
// "Secretary of State"): it carries the office's actor code but names no
// one.
func isOffice(e detente.Entity) bool {
	return e.Source == "kb" && e.Type == detente.EntityOrg && officeName(e.Canonical)
}

// officeName says whether a knowledge-base organization's canonical name
// is an office's ("President of the United States", "Us Secretary of
// State").
func officeName(canonical string) bool {
	// The words are read one by one (nextField) and lowered on the stack.
	var b1, b2 [32]byte
	f, k := nextField(canonical, 0)
	for {
		next, k2 := nextField(canonical, k)
		if next == "" {
			break
		}
		switch lowerWord(&b1, f) {
		case "us", "u.s.", "american", "united", "states":
			f, k = next, k2
			continue
		}
		break
	}
	if f == "" {
		return false
	}
	first := lowerWord(&b1, f)
	if roles[first] {
		return true
	}
	second, _ := nextField(canonical, k)
	return first == "vice" && second != "" && roles[lowerWord(&b2, second)]
}

// joinNamesWithPlaces makes one name of a country and the organization
// named right after it ("the [US] [State Department]", "the [U.S.]
// [Environmental Protection Agency]"), and of a university and the campus
// town right after it ("[University of Texas] [Arlington]", "[UNC]
// [Greensboro]"): news writes these as one name. The organization keeps its
// own entry and actor code.
func (d *document) joinNamesWithPlaces() {
	for i := 0; i+1 < len(d.ms); i++ {
		a := d.ms[i]
		if a.dropped {
			continue
		}
		// The next mention after a, past those nested in it (the country
		// inside "University of Texas").
		j := i + 1
		for j < len(d.ms) && d.ms[j].sent == a.sent && (d.ms[j].dropped || d.ms[j].start < a.end) {
			j++
		}
		if j == len(d.ms) {
			continue
		}
		b := d.ms[j]
		if b.sent != a.sent || a.end != b.start {
			continue
		}
		switch {
		case a.entry.Kind == KindCountry && a.source == "kb" && orgName(b) && isCapitalized(d.words[b.sent][b.start]):
			b.start = a.start
			a.dropped = true
		case orgName(a) && campusHead(d.words[a.sent][a.start:a.end]) && isTown(b):
			a.end = b.end
			b.dropped = true
		}
	}
}

// orgName says whether a mention is an organization's name (not a sector
// word or a description the annotator composed).
func orgName(m *mention) bool {
	if entityType(m.entry) != detente.EntityOrg || m.entry.Kind == KindAgent && m.source != "description" {
		return false
	}
	if m.source == "kb" && officeName(m.entry.Canonical) {
		return false
	}
	switch m.source {
	case "kb", "model", "description", "acronym", "pattern":
		return true
	}
	return false
}

// campusHead says whether a name is a university's ("University of
// Texas") or an acronym that may be one ("UNC").
func campusHead(w []string) bool {
	switch nameHead(w) {
	case "university", "college":
		return true
	}
	if len(w) != 1 || len(w[0]) < 2 || len(w[0]) > 5 {
		return false
	}
	for _, r := range w[0] {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// isTown says whether a mention is a town or city.
func isTown(m *mention) bool {
	switch m.entry.Kind {
	case KindPlace, KindCapital:
		return true
	}
	return false
}

// nameHead returns a name's head word, lower-cased: the last word, or the
// word before "of"/"for".
func nameHead(w []string) string {
	head := len(w) - 1
	for k := 1; k < len(w)-1; k++ {
		if w[k] == "of" || w[k] == "for" {
			head = k - 1
			break
		}
	}
	return strings.ToLower(w[head])
}

// extendPeopleToHeads makes a person's name followed by capitalized words
// ending in a facility or organization head into that facility or
// organization: "[Chiang Kai Shek] Memorial Hall", "[Andy Warhol]
// Foundation". The knowledge base knows the person, not what is named
// after them.
func (d *document) extendPeopleToHeads() {
	for _, m := range d.ms {
		if m.dropped || m.entry.Kind != KindPerson || m.source != "kb" {
			continue
		}
		sp := d.extendToHead(m.sent, ner.Span{Start: m.start, End: m.end, Type: ner.TypePerson})
		if sp.End == m.end {
			continue
		}
		for _, o := range d.ms {
			if o != m && o.sent == m.sent && o.start >= m.end && o.start < sp.End {
				o.dropped = true
			}
		}
		sp = retypeByHead(d.words[m.sent], sp)
		m.start, m.end = sp.Start, sp.End
		m.entry = d.modelEntry(m.sent, sp)
		m.source = "model"
	}
}

// findHeadedNames adds the institution and facility names that neither the
// knowledge base nor the tagger found but whose form gives them away: two
// or more capitalized words, possibly joined by "of", "for", "the", "and"
// or "&", ending in an organization or facility head ("Duke University",
// "University of Southern Indiana", "Skidmore College").
func (d *document) findHeadedNames() {
	cov := make([][]bool, len(d.words))
	n := 0
	for _, w := range d.words {
		n += len(w)
	}
	all := make([]bool, n) // one array for every sentence's marks
	for i, w := range d.words {
		cov[i] = all[:len(w):len(w)]
		all = all[len(w):]
	}
	// A bare sector word ("University", "College") does not stand in the
	// way of the name it is the head of.
	// A sector word the annotator composed into a description ("Chinese
	// Foreign Ministry spokesman Geng Shuang") is dropped but taken.
	for _, ms := range [2][]*mention{d.composed, d.ms} {
		for _, m := range ms {
			if m.dropped && m.entry.Kind == KindAgent || !m.dropped && !bareAgent(m) {
				for t := m.start; t < m.end; t++ {
					cov[m.sent][t] = true
				}
			}
		}
	}
	added := false
	for sent, w := range d.words {
		for t := 0; t < len(w); {
			if cov[sent][t] || !isCapitalized(w[t]) || d.isTimeSpan(sent, t, t+1) {
				t++
				continue
			}
			start, end := t, t+1
			for e := t + 1; e < len(w) && !cov[sent][e]; e++ {
				if isCapitalized(w[e]) && !d.isTimeSpan(sent, e, e+1) {
					end = e + 1
					continue
				}
				if !nameJoiners[w[e]] || e+1 >= len(w) || cov[sent][e+1] {
					break
				}
				if (w[e] == "and" || w[e] == "&") && nameHeadType(w[t:end]) != "" {
					break // "Duke University and Skidmore College" are two
				}
			}
			t = end
			// A sentence's first word is the name's only if it is mostly
			// capitalized in news ("The Museum" is not).
			if start == 0 && ner.CapitalizationOf(w[0]) < 4 {
				start++
				for start < end && !isCapitalized(w[start]) {
					start++
				}
			}
			// The run may end in a complement; the name ends at its last
			// head ("Duke University" of "Duke University Press" is fine
			// either way, both are headed).
			if end-start < 2 || nameHeadType(w[start:end]) == "" {
				continue
			}
			// A sector phrase alone ("Foreign Ministry", "Legislative
			// Council") stays what the knowledge base says it is; the
			// name must add words of its own ("Duke University").
			var inside []*mention
			whole := false
			for _, m := range d.ms {
				if m.sent == sent && !m.dropped && bareAgent(m) && m.start >= start && m.end <= end {
					inside = append(inside, m)
					whole = whole || m.start == start && m.end == end
				}
			}
			if whole {
				continue
			}
			for _, m := range inside {
				m.dropped = true
			}
			sp := retypeByHead(w, ner.Span{Start: start, End: end, Type: ner.TypeOrg})
			d.ms = append(d.ms, &mention{sent: sent, start: start, end: end, entry: d.modelEntry(sent, sp), source: "pattern"})
			added = true
		}
	}
	if added {
		d.sortMentions()
	}
}

// nameJoiners may stand between the capitalized words of one name.
var nameJoiners = map[string]bool{"of": true, "for": true, "the": true, "and": true, "&": true}

// bareAgent says whether a mention is a sector word standing alone.
func bareAgent(m *mention) bool {
	return m.source == "kb" && m.entry.Kind == KindAgent || m.source == "agent"
}

// personByFirstName retypes a tagged organization or place of two or
// three capitalized words that opens with a first name the knowledge base
// knows and has no organization or facility head ("Mark Zuckerberg",
// "Priscilla Leung") as a person: the tagger's type for rare names is a
// guess, and a first name is better evidence.
func (d *document) personByFirstName(sent int, sp ner.Span) ner.Span {
	if d.an == nil || d.an.ner == nil || sp.Type != ner.TypeOrg && sp.Type != ner.TypePlace || sp.End-sp.Start < 2 || sp.End-sp.Start > 3 {
		return sp
	}
	w := d.words[sent][sp.Start:sp.End]
	if !d.an.ner.FirstName(w[0]) || nameHeadType(w) != "" {
		return sp
	}
	for _, x := range w {
		if !isCapitalized(x) || !hasLower(x) {
			return sp
		}
	}
	if d.an.lex != nil {
		for k := 2; k <= len(w); k++ {
			if _, ok := d.an.lex.Place(strings.Join(w[:k], " "), nil); ok {
				return sp // "Hong Kong Island"
			}
		}
	}
	sp.Type = ner.TypePerson
	return sp
}

// firstNameOnly says whether a lexicon match is a one-word person at the
// start of a longer tagged person ("[Albert] Jaquier"): the dictionaries'
// one-name people (kings, popes) are not everyone with that first name.
func firstNameOnly(m *mention, sp ner.Span) bool {
	return m.entry.Kind == KindPerson && sp.Type == ner.TypePerson && m.end-m.start == 1 && m.start == sp.Start
}

// extendPersonLeft takes into a tagged person the first name or initials
// the tagger left before it ("Bonnie [Dunbar]", "K.C. [Maurer]"), when
// nothing else covers that word.
func (d *document) extendPersonLeft(sent int, sp ner.Span, lex []*mention) ner.Span {
	if sp.Type != ner.TypePerson || d.an == nil || d.an.ner == nil {
		return sp
	}
	w := d.words[sent]
	for sp.Start > 0 {
		t := sp.Start - 1
		x := w[t]
		if !d.an.ner.FirstName(x) && !initials(x) {
			break
		}
		for _, m := range lex {
			if !m.dropped && m.start <= t && t < m.end {
				return sp
			}
		}
		sp.Start = t
	}
	return sp
}

// initials says whether w is a person's initials: "K.C.", "J.", "AS" (two
// capitals).
func initials(w string) bool {
	if len(w) == 2 && w[0] >= 'A' && w[0] <= 'Z' && w[1] >= 'A' && w[1] <= 'Z' {
		return true
	}
	if len(w) < 2 || len(w) > 6 || w[len(w)-1] != '.' {
		return false
	}
	for i, r := range w {
		if i%2 == 0 && (r < 'A' || r > 'Z') || i%2 == 1 && r != '.' {
			return false
		}
	}
	return true
}

// crosses says whether a lexicon match crosses the span's edges.
func crosses(lex []*mention, sp ner.Span) bool {
	for _, m := range lex {
		if !m.dropped && m.start < sp.End && sp.Start < m.end && (m.start < sp.Start || m.end > sp.End) {
			return true
		}
	}
	return false
}

// retypeByContext corrects the tagger's type of a name from what the
// article says around it:
//   - a name after "<person> of" is the person's organization, not
//     another person ("Nathan Law of [Demosisto]");
//   - the same name tagged with different types in one article takes the
//     type most of its mentions have ("Korea" a person once and a team
//     twice is a team three times).
func (d *document) retypeByContext() {
	var prev *mention
	for _, m := range d.ms {
		if m.dropped {
			continue
		}
		if m.source == "model" && m.entry.Kind == KindPerson && prev != nil && prev.sent == m.sent &&
			prev.entry.Kind == KindPerson && m.start >= 1 && prev.end == m.start-1 && d.words[m.sent][m.start-1] == "of" {
			m.entry = Entry{Kind: KindOrg, Type: detente.EntityOrg, Canonical: m.entry.Canonical}
		}
		prev = m
	}
	// votes per name for a person, an organization, a place.
	voteTypes := [3]string{detente.EntityPerson, detente.EntityOrg, detente.EntityGPE}
	votes := make(map[string][3]int, len(d.ms))
	for _, m := range d.ms {
		if m.dropped {
			continue
		}
		k := 0
		switch entityType(m.entry) {
		case detente.EntityPerson:
		case detente.EntityOrg:
			k = 1
		case detente.EntityGPE, detente.EntityLoc:
			k = 2 // both places: no vote between them
		default:
			continue
		}
		name := d.surface(m)
		w := 1
		if m.source != "model" {
			w = 2 // the dictionaries and the rules know better than the tagger
		}
		v := votes[name]
		v[k] += w
		votes[name] = v
	}
	for _, m := range d.ms {
		if m.dropped || m.source != "model" {
			continue
		}
		v := votes[d.surface(m)]
		types := 0
		for _, n := range v {
			if n > 0 {
				types++
			}
		}
		if types < 2 {
			continue
		}
		best, bestN, tie := "", 0, false
		for k, t := range voteTypes {
			switch {
			case v[k] > bestN:
				best, bestN, tie = t, v[k], false
			case v[k] == bestN && bestN > 0:
				tie = true
			}
		}
		cur := entityType(m.entry)
		if cur == detente.EntityLoc {
			cur = detente.EntityGPE
		}
		if tie || best == cur {
			continue
		}
		switch best {
		case detente.EntityPerson:
			m.entry = Entry{Kind: KindPerson, Type: detente.EntityPerson, Canonical: m.entry.Canonical}
		case detente.EntityOrg:
			m.entry = Entry{Kind: KindOrg, Type: detente.EntityOrg, Canonical: m.entry.Canonical}
		case detente.EntityGPE:
			m.entry = Entry{Kind: KindPlace, Type: detente.EntityLoc, Canonical: m.entry.Canonical}
		}
	}
}

// personLike says whether words can be a person's name: two to five words,
// no organization or facility head ("Osama bin Laden" can, "Taliban"
// cannot).
func personLike(w []string) bool {
	return len(w) >= 2 && len(w) <= 5 && nameHeadType(w) == ""
}

// compass words name a part of a place ("Kowloon East", "Leeds North
// West").
var compass = map[string]bool{"North": true, "South": true, "East": true, "West": true, "Central": true,
	"Northeast": true, "Northwest": true, "Southeast": true, "Southwest": true}

// placeByForm retypes a tagged organization or person that is a place by
// its form: "State of Texas", "City of London" (a state word and "of" before
// a known place), "Kowloon East" (a known place and compass words).
func (d *document) placeByForm(sent int, sp ner.Span) ner.Span {
	if d.an == nil || d.an.lex == nil || sp.Type != ner.TypeOrg && sp.Type != ner.TypePerson || sp.End-sp.Start < 2 {
		return sp
	}
	w := d.words[sent][sp.Start:sp.End]
	known := func(x []string) bool {
		_, ok := d.an.lex.Place(strings.Join(x, " "), nil)
		return ok
	}
	switch {
	case len(w) >= 3 && w[1] == "of" && (w[0] == "State" || w[0] == "City" || w[0] == "Province") && known(w[2:]):
		sp.Type = ner.TypePlace
	case compass[w[len(w)-1]]:
		k := len(w) - 1
		for k > 0 && compass[w[k-1]] {
			k--
		}
		if k > 0 && known(w[:k]) {
			sp.Type = ner.TypePlace
		}
	}
	return sp
}

// polityWords open the formal names of states and provinces: "the State
// of Texas", "the Republic of Korea", "the Province of Ontario".
var polityWords = map[string]bool{
	"state": true, "commonwealth": true, "province": true, "republic": true, "kingdom": true,
	"principality": true, "emirate": true, "sultanate": true, "territory": true,
}

// markPolityNames reads a formal polity name the tagger took for an
// organization ("the State of Texas") as the place it names when the
// words after "of" are a place the lexicon knows. An organization whose
// name only contains a place ("the University of Texas") keeps its type.
func (d *document) markPolityNames() {
	if d.an.lex == nil {
		return // nothing to look the place up in
	}
	for _, m := range d.ms {
		if m.dropped || entityType(m.entry) != detente.EntityOrg || m.entry.Kind == KindAgent || m.end-m.start < 3 {
			continue
		}
		w := d.words[m.sent]
		if !isCapitalized(w[m.start]) || !inLower(polityWords, w[m.start]) || w[m.start+1] != "of" {
			continue
		}
		rest := w[m.start+2 : m.end]
		e, ok := d.an.lex.Place(strings.Join(rest, " "), d.preferred())
		if !ok {
			for _, x := range d.an.lex.Match(rest, d.date) {
				if x.Start == 0 && x.End == len(rest) {
					e, ok = x.Entry, true
				}
			}
		}
		if !ok {
			continue
		}
		switch e.Kind {
		case KindCountry, KindPlace, KindRegion:
		default:
			continue
		}
		e.Type = detente.EntityGPE
		m.entry = e
		m.source = "polity"
	}
}

// officeTitles are capitalized words before a person's name that are no
// part of it ("Administrator [Charles Bolden]", "Coach [Jurgen Klopp]"):
// offices and forms of address, not ranks of nobility ("Queen Elizabeth").
var officeTitles = map[string]bool{
	"president": true, "vice": true, "prime": true, "minister": true, "secretary": true,
	"senator": true, "sen.": true, "rep.": true, "representative": true, "congressman": true,
	"congresswoman": true, "governor": true, "gov.": true, "mayor": true, "chancellor": true,
	"chairman": true, "chairwoman": true, "ceo": true, "director": true, "judge": true,
	"professor": true, "prof.": true, "spokesman": true, "spokeswoman": true, "commander": true,
	"ambassador": true, "administrator": true, "deputy": true, "premier": true, "coach": true,
	"manager": true, "mr.": true, "mrs.": true, "ms.": true, "dr.": true, "councillor": true,
	"councilor": true, "mp": true, "mep": true,
}

// trimOfficeTitles takes the office titles off the front of the people's
// names the tagger found: news and the CoNLL convention name the person
// without the office.
func (d *document) trimOfficeTitles() {
	for _, m := range d.ms {
		if m.dropped || m.source != "model" || entityType(m.entry) != detente.EntityPerson {
			continue
		}
		w := d.words[m.sent]
		trimmed := false
		for m.end-m.start >= 2 && inLower(officeTitles, w[m.start]) && isCapitalized(w[m.start+1]) {
			m.start++
			trimmed = true
		}
		if trimmed && strings.Contains(m.entry.Canonical, " ") {
			if i := strings.Index(m.entry.Canonical, w[m.start]); i > 0 {
				m.entry.Canonical = m.entry.Canonical[i:]
			}
		}
	}
}

// lowerWord is strings.ToLower(w), lowered into buf when w is ASCII and
// fits, so a word looked up in a table of heads costs no allocation. The
// result may share buf: it must not outlive it.
func lowerWord(buf *[32]byte, w string) string {
	if len(w) <= len(buf) {
		if b, ok := lowercase.ASCII(buf[:0], w); ok {
			return unsafe.String(unsafe.SliceData(b), len(b))
		}
	}
	return strings.ToLower(w)
}
