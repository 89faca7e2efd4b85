// Package annotate is the annotation layer's conductor: it runs the text
// layer (package nlp), the knowledge base (kb), the statistical entity
// tagger (nlp/ner) and the time tagger (nlp/timex) over one article and
// combines what they find into entities with actor codes, acronyms, times
// and quotes.
//
// How an entity gets its actor code, in order of trust:
//  1. the knowledge base names it (a country, a capital, an IGO, a person
//     with a role dated to the article's publication day);
//  2. its description in the sentence: a country word, a sector word and a
//     name in a row ("Chinese President Xi Jinping" → CHNGOV; "his South
//     Korean counterpart Moon Jae-in" takes the counterpart's sector);
//  3. an earlier, fuller mention in the same article ("Xi" after
//     "Xi Jinping"), or the acronym's long form;
//  4. for a bare sector word ("lawmakers", "police"), the country of the
//     nearest actor before it in the sentence.
//
// Every entity says which of these found it in its Source field.
package annotate

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"github.com/detente/detente"
	"github.com/detente/detente/kb"
	"github.com/detente/detente/nlp"
	"github.com/detente/detente/nlp/ner"
	"github.com/detente/detente/nlp/timex"
)

// Annotator annotates articles. It is safe for concurrent use.
type Annotator struct {
	lex Lexicon
	ner *ner.Model
}

// New returns an annotator over a lexicon (usually the built-in knowledge
// base) and an entity model (usually ner.Default()). Either may be nil.
func New(lex Lexicon, model *ner.Model) *Annotator {
	return &Annotator{lex: lex, ner: model}
}

// Annotate finds sentences, entities, acronyms, times and quotes in an
// article's body. Text in a language other than English gets its
// sentences only: the dictionaries and models are English, and finding
// nothing is better than finding wrong things.
func (an *Annotator) Annotate(a *detente.Article) *detente.Annotations {
	if a == nil {
		return an.annotate("", "", "")
	}
	out := an.annotate(a.Body, a.Language, a.Published)
	if a.Language != "" && a.Language != "en" {
		return out
	}
	if a.Title != "" {
		t := an.annotate(a.Title, a.Language, a.Published)
		out.Title = &detente.TextAnnotations{Entities: t.Entities, Times: t.Times}
	}
	for _, c := range a.Captions {
		t := an.annotate(c.Text, a.Language, a.Published)
		ta := detente.TextAnnotations{Entities: t.Entities, Times: t.Times}
		if c.Credit != "" {
			for _, e := range an.annotate(c.Credit, a.Language, a.Published).Entities {
				if e.Actor != "" || e.Type == detente.EntityOrg {
					e := e
					ta.Credit = &e
					break
				}
			}
		}
		out.Captions = append(out.Captions, ta)
	}
	return out
}

// annotate annotates one text: an article's body, or its title or a caption.
func (an *Annotator) annotate(body, language, published string) *detente.Annotations {
	out := &detente.Annotations{
		Sentences: []detente.Span{}, Entities: []detente.Entity{}, Acronyms: []detente.Acronym{},
		Times: []detente.TimeExpr{}, Quotes: []detente.Quote{},
	}
	if body == "" {
		return out
	}
	t := nlp.Segment(body)
	out.Sentences = append(out.Sentences, t.Sentences...)
	// The coder segments the body the same way: it reuses this one. (A
	// title's or caption's is dropped with the rest of its Annotations.)
	out.Segmentation = t
	if language != "" && language != "en" {
		return out
	}
	date := ""
	if len(published) >= 10 {
		date = published[:10]
	}
	ts := timex.Find(body, published)
	doc := &document{an: an, text: t, date: date, timeExprs: ts}
	doc.findMentions()
	doc.markNationalTeams()
	doc.extendPeopleToHeads()
	doc.findHeadedNames()
	doc.joinNamesWithPlaces()
	doc.linkAcronyms()
	doc.linkNames()
	doc.linkOrgNames()
	doc.retypeByContext()
	doc.markPolityNames()
	doc.trimOfficeTitles()
	doc.markThings()
	doc.markEvents()
	doc.fillBareAgents()
	out.Entities = doc.entities()
	for _, d := range doc.acronyms {
		out.Acronyms = appendAcronym(out.Acronyms, d.Acronym())
	}
	if ts != nil {
		out.Times = ts
	}
	out.Quotes = doc.quotes(out.Entities)
	return out
}

func appendAcronym(as []detente.Acronym, a detente.Acronym) []detente.Acronym {
	for _, have := range as {
		if have == a {
			return as
		}
	}
	return append(as, a)
}

// mention is an entity mention while the article is being worked on:
// token positions within its sentence, plus what is known of it.
type mention struct {
	sent       int // sentence index
	start, end int // token indexes in the sentence, end exclusive
	entry      Entry
	source     string
	dropped    bool
	// agentPre holds the prefix agent codes of a sector word still looking
	// for its country ("NGO" of "MSF"): they go before it.
	agentPre string
}

// document is one article being annotated.
type document struct {
	an       *Annotator
	text     *nlp.Text
	date     string
	words    [][]string // token texts per sentence
	ms       []*mention // in text order
	acronyms []nlp.AcronymDef
	// countries counts the countries the article names, to choose between
	// places of the same name.
	countries map[string]int
	timeExprs []detente.TimeExpr
	// times marks, per sentence, the tokens inside a time expression.
	times [][]bool
	// composed holds the sector words composed into a description
	// ("Foreign Ministry" of "Chinese Foreign Ministry spokesman Geng
	// Shuang"): no longer mentions, but their words are taken.
	composed []*mention
	// held are the sentence's tagged institution names that lexicon
	// matches inside them kept out (see adoptInstitutions).
	held []ner.Span
	// sports caches matchReport: 0 not yet known, 1 no, 2 yes.
	sports int8
	// slab holds mentions not yet handed out (newMention), made slabSize
	// at a time (0: 32): fewer for a short text (a title, a caption).
	slab     []mention
	slabSize int
	// prefer is preferred(), once findMentions has counted the countries.
	prefer      []string
	preferKnown bool
	// liveBuf and runBuf are compose's scratch, reused sentence after
	// sentence.
	liveBuf []*mention
	runBuf  []descRun
}

// smallPlace is the population under which a town's name needs support —
// its country named in the article, or the tagger reading it as a place —
// before detente takes a word for it ("God" is not Göd in Hungary).
const smallPlace = 100000

// newMention returns a copy of m from the document's slab of mentions,
// which are many and live as long as the document.
func (d *document) newMention(m mention) *mention {
	if len(d.slab) == 0 {
		d.slab = make([]mention, cmp.Or(d.slabSize, 32))
	}
	p := &d.slab[0]
	d.slab = d.slab[1:]
	*p = m
	return p
}

// dropUnsupportedPlaces drops matches of small places that nothing else in
// the article supports.
func (d *document) dropUnsupportedPlaces(sent int, ms []*mention, spans []ner.Span) {
	for _, m := range ms {
		if m.entry.Kind != KindPlace || m.entry.Population >= smallPlace || m.dropped {
			continue
		}
		if d.countries[m.entry.Country] > 0 {
			continue
		}
		tagged := false
		for _, sp := range spans {
			if sp.Type == ner.TypePlace && sp.Start <= m.start && sp.End >= m.end {
				tagged = true
			}
		}
		if !tagged {
			m.dropped = true
		}
	}
}

// timeCoverage marks the tokens that lie inside a time expression. Both
// lists are in text order, so one pass over each does.
func (d *document) timeCoverage() [][]bool {
	cov := make([][]bool, len(d.text.Tokens))
	ts := d.timeExprs
	k := 0
	for i, toks := range d.text.Tokens {
		for j, t := range toks {
			for k < len(ts) && ts[k].End <= t.Start {
				k++
			}
			if k == len(ts) {
				return cov
			}
			if t.Start >= ts[k].Start && t.End <= ts[k].End {
				if cov[i] == nil {
					cov[i] = make([]bool, len(toks))
				}
				cov[i][j] = true
			}
		}
	}
	return cov
}

// isTimeSpan says whether every token of [start, end) is part of a time
// expression.
func (d *document) isTimeSpan(sent, start, end int) bool {
	if d.times == nil || d.times[sent] == nil {
		return false
	}
	for t := start; t < end; t++ {
		if !d.times[sent][t] {
			return false
		}
	}
	return true
}

func (d *document) tokenSpan(m *mention) (int, int) {
	toks := d.text.Tokens[m.sent]
	return toks[m.start].Start, toks[m.end-1].End
}

func (d *document) surface(m *mention) string {
	return d.text.TokenText(m.sent, m.start, m.end)
}

// findMentions runs the lexicon and the tagger over every sentence and
// combines them; then it composes descriptions ("Chinese President Xi
// Jinping") into actor codes.
func (d *document) findMentions() {
	d.words = make([][]string, len(d.text.Tokens))
	// The lexicon's mentions of every sentence, in one list: sentence i's
	// end at lexEnd[i].
	var lexical []*mention
	lexEnd := make([]int, len(d.text.Tokens))
	d.countries = map[string]int{}
	// The tagger's gazetteer matches each sentence against the knowledge
	// base too; when it is the lexicon's, its matches are kept and reused.
	kbLex, _ := d.an.lex.(*KBLexicon)
	if kbLex != nil && (d.an.ner == nil || d.an.ner.KB() != kbLex.KB) {
		kbLex = nil
	}
	raw := make([][]kb.Match, len(d.text.Tokens))
	reuse := make([]bool, len(d.text.Tokens))
	n := 0
	for _, toks := range d.text.Tokens {
		n += len(toks)
	}
	d.slabSize = min(max(n/4, 4), 32)
	flat := make([]string, n) // one array for every sentence's words
	var lexBuf []LexMatch
	day := parseDay(d.date) // the date people's roles are read at
	for i, toks := range d.text.Tokens {
		w := flat[:len(toks):len(toks)]
		flat = flat[len(toks):]
		for j, t := range toks {
			w[j] = t.Text
		}
		d.words[i] = w
		if d.an.lex != nil {
			var found []LexMatch
			if kbLex != nil {
				found, raw[i], reuse[i] = kbLex.matchKB(w, day, lexBuf)
			} else {
				found = d.an.lex.Match(w, d.date)
			}
			for _, e := range found {
				m := d.newMention(mention{sent: i, start: e.Start, end: e.End, entry: e.Entry, source: "kb"})
				lexical = append(lexical, m)
				if e.Entry.Country != "" && (e.Entry.Kind == KindCountry || e.Entry.Kind == KindDemonym) {
					d.countries[e.Entry.Country]++
				}
			}
			if kbLex != nil && cap(found) > cap(lexBuf) {
				lexBuf = found[:0] // copied into mentions: the next sentence's may go there
			}
		}
		lexEnd[i] = len(lexical)
	}
	prefer := d.preferred()
	// The article's countries are all counted: later calls reuse the list.
	d.prefer, d.preferKnown = prefer, true
	d.times = d.timeCoverage()
	var spanBuf []ner.Span
	// A sentence's mentions gather in msBuf, reused sentence after
	// sentence: what outlives the sentence are the mentions, in d.ms.
	var msBuf []*mention
	for i := range d.text.Tokens {
		from := 0
		if i > 0 {
			from = lexEnd[i-1]
		}
		ms := append(msBuf[:0], lexical[from:lexEnd[i]]...)
		if len(prefer) > 0 && d.an.lex != nil {
			// Now that the article's countries are known, choose again
			// between places of the same name.
			for _, m := range ms {
				if m.entry.Kind == KindPlace {
					if e, ok := d.an.lex.Place(m.entry.Canonical, prefer); ok && e.Kind == KindPlace {
						m.entry = e
					}
				}
			}
		}
		var spans []ner.Span
		if d.an.ner != nil && len(d.words[i]) > 0 {
			if reuse[i] {
				// The last sentence's spans are done with: their slice
				// takes this one's.
				spans = d.an.ner.AppendSpansWithMatches(spanBuf[:0], d.words[i], raw[i])
				spanBuf = spans
			} else {
				spans = d.an.ner.Spans(d.words[i])
			}
		}
		d.dropUnsupportedPlaces(i, ms, spans)
		if len(spans) > 0 {
			ms = d.mergeModel(i, ms, spans)
		}
		d.dropPlacesInNames(i, ms)
		slices.SortFunc(ms, byStart)
		d.compose(i, ms)
		if len(d.held) > 0 {
			ms = d.adoptInstitutions(i, ms)
			slices.SortStableFunc(ms, byStart)
		}
		d.held = d.held[:0]
		for _, m := range ms {
			if !m.dropped {
				d.ms = append(d.ms, m)
			} else if m.entry.Kind == KindAgent {
				d.composed = append(d.composed, m)
			}
		}
		msBuf = ms
	}
}

// byStart orders mentions by their first token.
func byStart(a, b *mention) int { return cmp.Compare(a.start, b.start) }

// trailingFunctionWords never end a name; the tagger sometimes takes one
// along ("the population of Gondor of the Prince" tagged "Gondor of").
var trailingFunctionWords = map[string]bool{"of": true, "the": true, "and": true, "in": true, "for": true,
	"at": true, "on": true, "to": true, "from": true, "with": true, "by": true, "a": true, "an": true, "'s": true, "’s": true}

// mergeModel adds the tagger's spans that the lexicon did not cover. A
// tagged name that strictly contains lexicon matches of places or
// nationalities ("Bank of China", "Jordan Peterson", "Hong Kong Island",
// "Taipei City Lantern Festival") replaces them: the name is the entity,
// the country word only a part of it.
func (d *document) mergeModel(sent int, lex []*mention, spans []ner.Span) []*mention {
	for _, sp := range splitPersonOf(d.words[sent], splitPossessive(d.words[sent], spans)) {
		// A name starts with a capital: "235 Democrats" is Democrats.
		for sp.Start < sp.End && !isCapitalized(d.words[sent][sp.Start]) {
			sp.Start++
		}
		// Nor does it end in a function word: "Gondor of" is Gondor.
		for sp.End > sp.Start && trailingFunctionWords[d.words[sent][sp.End-1]] {
			sp.End--
		}
		// Nor does it open with a modifier: "NATO-member [Norway]",
		// "Iranian-backed [Hezbollah]"; or, at the sentence's start, with a
		// word news writes in lower case before a name the knowledge base
		// knows ("Embattled [Venezuela]").
		if sp.End-sp.Start > 1 && hyphenatedModifier(d.words[sent][sp.Start]) {
			sp.Start++
		}
		if sp.Start == 0 && sp.End > 1 && mostlyLower(d.words[sent][0]) && matchedExactly(lex, 1, sp.End) {
			sp.Start = 1
		}
		if sp.Start == sp.End {
			continue
		}
		sp = d.personByFirstName(sent, retypeByHead(d.words[sent], d.extendToHead(sent, sp)))
		sp = d.placeByForm(sent, d.extendPersonLeft(sent, sp, lex))
		if d.isTimeSpan(sent, sp.Start, sp.End) {
			continue // "Monday", "March": a date, whatever the tagger thought
		}
		if sp.Type == ner.TypeEvent {
			// An event holds the places it names ("the 2016 United States
			// presidential election"): both are kept, nested.
			if !crosses(lex, sp) {
				lex = append(lex, d.newMention(mention{sent: sent, start: sp.Start, end: sp.End, entry: d.modelEntry(sent, sp), source: "model"}))
			}
			continue
		}
		covered := false
		var inside []*mention
		for _, m := range lex {
			if m.dropped || m.end <= sp.Start || m.start >= sp.End {
				continue
			}
			if m.start == sp.Start && m.end == sp.End && sp.Type == ner.TypePerson && (m.entry.Kind == KindOrg || m.entry.Kind == KindGroup) && personLike(d.words[sent][sp.Start:sp.End]) {
				// The dictionaries file some people without dated roles as
				// organizations ("Barack Obama"); the tagger read a person.
				m.entry.Kind, m.entry.Type = KindPerson, detente.EntityPerson
			}
			if m.start >= sp.Start && m.end <= sp.End && (m.end-m.start) < (sp.End-sp.Start) &&
				(replaceable(m.entry.Kind) || firstNameOnly(m, sp) || groupInInstitution(m, sp, d.words[sent])) &&
				nameLike(d.words[sent], sp.Start, sp.End, m.start, m.end) {
				inside = append(inside, m)
				continue
			}
			covered = true
		}
		// Two names joined by lower-case words ("Gondor of the Prince of
		// Dol Amroth") are two names, not one the tagger may swallow.
		slices.SortFunc(inside, byStart)
		for k := 1; k < len(inside) && !covered; k++ {
			for t := inside[k-1].end; t < inside[k].start; t++ {
				if !isCapitalized(d.words[sent][t]) {
					covered = true
				}
			}
		}
		if covered {
			if sp.Type == ner.TypeOrg || sp.Type == ner.TypePlace || sp.Type == ner.TypePerson {
				d.held = append(d.held, sp)
			}
			continue
		}
		for _, m := range inside {
			m.dropped = true
		}
		e := d.modelEntry(sent, sp)
		lex = append(lex, d.newMention(mention{sent: sent, start: sp.Start, end: sp.End, entry: e, source: "model"}))
	}
	return lex
}

// adoptInstitutions gives an institution's whole name, as the tagger read
// it, to the description composed from its first words: "Croatian
// Peasant" (a nationality and a sector word) of "the Croatian Peasant
// Party", "Social Democratic" of "Social Democratic Party of Croatia". The
// description keeps its actor code; the lexicon's other matches inside
// the name (the country of "… of Croatia") are parts of it.
func (d *document) adoptInstitutions(sent int, ms []*mention) []*mention {
	w := d.words[sent]
	for _, sp := range d.held {
		if !nameLike(w, sp.Start, sp.End, sp.Start, sp.Start) {
			continue
		}
		var desc *mention
		var inside []*mention
		ok := true
		for _, m := range ms {
			if m.dropped || m.end <= sp.Start || m.start >= sp.End {
				continue
			}
			if m.start < sp.Start || m.end > sp.End || m.entry.Kind == KindPerson && sp.Type != ner.TypePerson {
				ok = false
				break
			}
			if m.start == sp.Start && m.source == "description" {
				desc = m
			} else {
				inside = append(inside, m)
			}
		}
		if !ok {
			continue
		}
		if sp.Type == ner.TypePerson || len(inside) == 1 && (inside[0].entry.Kind == KindOrg || inside[0].entry.Kind == KindIGO) && sp.Type == ner.TypeOrg {
			// The knowledge base knows the end of the name: "Nicolás
			// [Maduro]", "Quebec [Liberal Party]". The entry and its actor
			// code stay; the name is the tagger's.
			if desc == nil && len(inside) == 1 && inside[0].end == sp.End && inside[0].start > sp.Start &&
				(sp.Type == ner.TypePerson) == (inside[0].entry.Kind == KindPerson) {
				inside[0].start = sp.Start
			}
			continue
		}
		if desc == nil {
			// No description: the name stands for itself when what the
			// lexicon found in it are only its parts — a country, a
			// nationality, a religion, a sector word ("Christian
			// Democratic Union of Germany", "Concerned Women for
			// America").
			if len(inside) == 0 {
				continue
			}
			for _, m := range inside {
				if m.end-m.start >= sp.End-sp.Start {
					ok = false // the lexicon's reading of the same words stands
				}
				if m.end == sp.End && (m.entry.Kind == KindGroup || m.entry.Kind == KindDemonym) {
					ok = false // "Iraqi Kurds", "West Africans": people, not an institution
				}
				switch m.entry.Kind {
				case KindCountry, KindCapital, KindPlace, KindRegion:
				case KindDemonym, KindGroup, KindAgent:
					ok = ok && sp.Type == ner.TypeOrg
				default:
					ok = false
				}
			}
			if !ok {
				continue
			}
			e := d.modelEntry(sent, sp)
			if sp.Type == ner.TypePlace && e.Country == "" {
				// A place the gazetteer does not know by its whole name
				// ("United States of America") is the one country its
				// parts name, or is left to them.
				for _, m := range inside {
					if m.entry.Country == "" || m.entry.Country != inside[0].entry.Country {
						ok = false
					}
				}
				if !ok {
					continue
				}
				e = inside[0].entry
			}
			for _, m := range inside {
				m.dropped = true
			}
			ms = append(ms, &mention{sent: sent, start: sp.Start, end: sp.End, entry: e, source: "model"})
			continue
		}
		if sp.Type != ner.TypeOrg || desc.end == sp.End || nameHeadType(w[sp.Start:sp.End]) != detente.EntityOrg {
			continue
		}
		for _, m := range inside {
			m.dropped = true
		}
		desc.end = sp.End
		desc.entry.Canonical = strings.Join(w[sp.Start:sp.End], " ")
	}
	return ms
}

// hyphenatedModifier says whether w is a capitalized word joined to a
// lower-case one ("NATO-member", "U.S.-led", "Kremlin-backed"): an
// adjective, not a name's first word.
func hyphenatedModifier(w string) bool {
	i := strings.LastIndexByte(w, '-')
	if i <= 0 || i == len(w)-1 || !isCapitalized(w) {
		return false
	}
	for _, r := range w[i+1:] {
		if !unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// mostlyLower says whether the news corpora write w in lower case when it
// does not open a sentence ("Evil", "Neighbouring", "Former").
func mostlyLower(w string) bool {
	b := ner.CapitalizationOf(w)
	return b > 0 && b <= 2
}

// matchedExactly says whether a lexicon match spans exactly [start, end).
func matchedExactly(lex []*mention, start, end int) bool {
	for _, m := range lex {
		if !m.dropped && m.start == start && m.end == end {
			return true
		}
	}
	return false
}

// dropPlacesInNames drops a place or country the lexicon matched inside a
// longer name nothing else accounts for: a capitalized word right before
// it (not the sentence's first word) or right after it that no other
// mention covers and that is not a date ("Valeska [Paris]", "[Irving]
// Independent School District", "Environment [Canada]", "[China]
// Daily"). The name is something else; the place is only a part of it.
func (d *document) dropPlacesInNames(sent int, ms []*mention) {
	w := d.words[sent]
	free := func(t int) bool {
		if t < 0 || t >= len(w) || !isCapitalized(w[t]) || !hasLower(w[t]) && len(w[t]) < 2 {
			return false
		}
		if d.isTimeSpan(sent, t, t+1) {
			return false
		}
		for _, o := range ms {
			if !o.dropped && o.start <= t && t < o.end {
				return false
			}
		}
		return true
	}
	for _, m := range ms {
		if m.dropped || m.source != "kb" {
			continue
		}
		switch m.entry.Kind {
		case KindCountry, KindCapital, KindPlace, KindRegion:
		default:
			continue
		}
		if m.start >= 2 && free(m.start-1) || free(m.end) {
			m.dropped = true
		}
	}
}

// hasLower says whether s has a lowercase letter.
func hasLower(s string) bool {
	for _, r := range s {
		if unicode.IsLower(r) {
			return true
		}
	}
	return false
}

// nameLike says whether the tokens of [start, end) outside [in, inEnd) read
// as parts of a name (capitalized words and name particles), so a tagged
// "Bank of China" may swallow "China" but "South Korea acknowledges" may
// not swallow "South Korea".
func nameLike(w []string, start, end, in, inEnd int) bool {
	for i := start; i < end; i++ {
		if i >= in && i < inEnd {
			continue
		}
		if !isCapitalized(w[i]) && !nameParticles[w[i]] {
			return false
		}
	}
	return true
}

var nameParticles = map[string]bool{"of": true, "the": true, "and": true, "for": true, "de": true, "'s": true, "&": true, "-": true}

// groupInInstitution says whether a lexicon match is a group (a religion,
// a people) named inside an institution's name the tagger found, one
// with an organization's head: "Church of [Scientology]", "[Muslim]
// Student Association". The institution is the entity.
func groupInInstitution(m *mention, sp ner.Span, w []string) bool {
	return m.entry.Kind == KindGroup && sp.Type == ner.TypeOrg && nameHeadType(w[sp.Start:sp.End]) == detente.EntityOrg
}

// replaceable says whether a lexicon match may be swallowed by a longer
// name the tagger found.
func replaceable(k Kind) bool {
	switch k {
	case KindCountry, KindDemonym, KindCapital, KindPlace, KindRegion:
		return true
	}
	return false
}

// modelEntry turns a tagger span into an entry, looking places up in the
// gazetteer.
func (d *document) modelEntry(sent int, sp ner.Span) Entry {
	name := strings.Join(d.words[sent][sp.Start:sp.End], " ")
	name = strings.ReplaceAll(name, " 's", "'s")
	switch sp.Type {
	case ner.TypePerson:
		if d.an.lex != nil {
			if e, ok := d.an.lex.Person(name, d.date); ok {
				return e
			}
		}
		return Entry{Kind: KindPerson, Type: detente.EntityPerson, Canonical: name}
	case ner.TypeOrg:
		return Entry{Kind: KindOrg, Type: detente.EntityOrg, Canonical: name}
	case ner.TypePlace:
		if d.an.lex != nil {
			if e, ok := d.an.lex.Place(name, d.preferred()); ok {
				return e
			}
		}
		return Entry{Kind: KindPlace, Type: detente.EntityLoc, Canonical: name}
	case ner.TypeEvent:
		return Entry{Kind: KindEvent, Type: detente.EntityEvent, Canonical: name}
	}
	return Entry{Kind: KindOther, Type: detente.EntityUnknown, Canonical: name}
}

// preferred lists the article's countries, most named first.
func (d *document) preferred() []string {
	if d.preferKnown {
		return d.prefer
	}
	cs := make([]string, 0, len(d.countries))
	for c := range d.countries {
		cs = append(cs, c)
	}
	slices.SortFunc(cs, func(a, b string) int {
		if d.countries[a] != d.countries[b] {
			return cmp.Compare(d.countries[b], d.countries[a])
		}
		return strings.Compare(a, b)
	})
	return cs
}
