package coder

import (
	"cmp"
	"encoding/binary"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/detente/detente"
	"github.com/detente/detente/internal/lowercase"
	"github.com/detente/detente/nlp"
)

// member is one actor mention: its code and where it is.
type member struct {
	code string
	span detente.Span
	text string
	// borrowed: a sector word that took its country from an actor before
	// it ("Britain mobilized army reservists": GBRMIL).
	borrowed bool
	// country is the ISO 3166-1 alpha-3 code of the mention's country, ""
	// when it has none (an IGO, a sector word alone).
	country string
	// group: an ethnic or religious group with no country of its own
	// ("Kurds" KUR, "Shona rebels" SNAREB, "Protestant" CHRPRO).
	group bool
	// titled: a title before a name the knowledge base does not know
	// ("President Mugabe" ---GOV).
	titled bool
}

// actor is one actor slot filler in a sentence: a single mention or a
// compound ("China and South Korea"), over tokens [start, end).
type actor struct {
	start, end int
	members    []member
	// prepObj: the actor follows a preposition ("talks with Gondor"),
	// so it is rarely a subject.
	prepObj bool
	// anaphor: found by "both countries", "the two sides" etc.
	anaphor bool
	// norp: a nationality word ("Ukrainian"), which often modifies a noun.
	norp bool
}

func (a *actor) compound() bool { return len(a.members) > 1 }

// sentence is one sentence prepared for matching.
type sentence struct {
	index int
	span  detente.Span
	toks  []detente.Token
	low   []string
	// ids are the words' ids in the coder's pattern vocabulary (0 when no
	// pattern names the word), fl their word classes and wi their entries
	// in lx, all looked up once by prepare.
	ids []int32
	fl  []wordFlags
	wi  []int32
	lx  *lexicon
	// wordBuf is scratch for the words a pattern match binds.
	wordBuf []int
	actors  []actor
	// actorAt maps a token to the actor covering it, -1 when none.
	actorAt []int
	// rel marks tokens inside a relative clause (", which … ,").
	rel []bool
	// appos marks tokens inside an apposition (", a key ally ,").
	appos []bool
	// verbs found in the sentence, in order.
	verbs []*verbHit
	// verbAt marks the tokens of verbs used as verbs (not nouns).
	verbAt []bool
	// used marks tokens a matched pattern consumed.
	used []bool
	// dropped marks the words of a removed terminal comma clause (Plain
	// mode: PETRARCH-1's comma-clause elimination); nil when none.
	dropped []bool
	// lastComma is the last comma outside an actor (Plain mode), -1 when
	// none.
	lastComma int
	// attrib marks the words of an attribution (", police said", "according
	// to Pentagon sources"): who reports the event, not who takes part in
	// it; nil when none.
	attrib []bool
	// places are the named places with a country and no actor code ("in
	// Abidjan", "targets in Jericho"), outside actor mentions.
	places []place
	// buf is the article's per-token scratch (nil: allocate).
	buf *tokenBuf
}

// place is a named place that is no actor: a city, a region.
type place struct {
	start, end int
	m          member
}

// placeActors gives actors without a country of their own the country the
// sentence is about, as news reports of domestic politics leave it
// unsaid, but not to a sector word after "foreign":
//   - a sector word alone ("---OPP": "Islamic fundamentalists demand the
//     resignation of Algerian President …") takes the one country the
//     sentence names, when it names exactly one;
//   - an ethnic group ("ethnic Albanians demonstrated in Serbia") belongs to
//     the country it lives in: the country after "in" following it, else
//     the first other country the sentence names (SRBALB).
func (s *sentence) placeActors() {
	one, n := s.soleCountry(false)
	// A titled stranger ("President Bush has threatened action against
	// Russia") is no national of a country named only as the other party.
	oneT, nT := s.soleCountry(true)
	for ai := range s.actors {
		a := &s.actors[ai]
		for k := range a.members {
			m := &a.members[k]
			switch {
			case m.borrowed && a.start > 0 && s.low[a.start-1] == "foreign" && len(m.code) > 3:
				// "China pressures foreign companies": "foreign" says the
				// sector word is not of the country its context lends it.
				m.code, m.country, m.borrowed = "---"+m.code[3:], "", false
			case m.titled && strings.HasPrefix(m.code, "---"):
				if nT == 1 {
					m.code, m.country, m.borrowed = oneT+m.code[3:], oneT, true
				}
			case strings.HasPrefix(m.code, "---") && n == 1:
				m.code, m.country, m.borrowed = one+m.code[3:], one, true
			case s.ethnic(*a) && m.country != "" && len(m.code) == 3:
				// CAMEO writes an ethnic group as country + group ("TURKUR").
				if c := s.residence(ai, m.country); c != "" {
					m.code, m.country = c+m.code, c
				}
			case m.group:
				// An ethnic or religious group without a country lives in
				// the country named right after it ("in Northern
				// Ireland"), else in the one country the sentence names
				// ("Shona rebels" in a report on Mozambique: MOZSNAREB).
				c := s.placeAfterActor(ai)
				if c == "" && n == 1 {
					c = one
				}
				if c != "" {
					m.code, m.country, m.group = c+m.code, c, false
				}
			}
		}
	}
}

// findPlaces lists the sentence's named places that carry a country but no
// actor code and overlap no actor. Only cities, states and the like (GPE):
// a region's country ("Asia", a town in the Philippines) is too often a
// gazetteer homonym.
func (s *sentence) findPlaces(ents []detente.Entity) {
	ti := 0
	for i := range ents {
		e := &ents[i]
		if e.Actor != "" || e.Country == "" || e.Start < s.span.Start || e.End > s.span.End ||
			e.Type != detente.EntityGPE {
			continue
		}
		for ti > 0 && s.toks[ti-1].End > e.Start {
			ti-- // entities may come nested or out of order
		}
		for ti < len(s.toks) && s.toks[ti].End <= e.Start {
			ti++
		}
		en := ti
		for en < len(s.toks) && s.toks[en].Start < e.End {
			en++
		}
		if en == ti || slices.ContainsFunc(s.actorAt[ti:en], func(a int) bool { return a >= 0 }) {
			continue
		}
		s.places = append(s.places, place{ti, en, member{code: e.Country, country: e.Country, text: e.Text,
			span: detente.Span{Start: e.Start, End: e.End}}})
	}
}

// titleAgent is the sector the title word w names (see titleAgents), ""
// when none, and whether w is written in lower case. An ASCII word is
// lowered on the stack: capitalized, each title would cost a new string.
func titleAgent(w string) (agent string, lower bool) {
	var b [16]byte
	if low, ok := lowercase.ASCII(b[:0], w); ok {
		return titleAgents[string(low)], string(low) == w
	}
	low := strings.ToLower(w)
	return titleAgents[low], low == w
}

// titleAgents are titles written before a person's name and the sector
// they name (PETRARCH's agents: PRESIDENT [~GOV], GENERAL [~MIL] …).
var titleAgents = map[string]string{"president": "GOV", "vice-president": "GOV", "premier": "GOV",
	"minister": "GOV", "chancellor": "GOV", "king": "GOV", "queen": "GOV", "emir": "GOV", "sultan": "GOV",
	"governor": "GOV", "ambassador": "GOV", "secretary": "GOV", "general": "MIL", "gen.": "MIL",
	"colonel": "MIL", "col.": "MIL", "admiral": "MIL", "senator": "LEG", "sen.": "LEG", "judge": "JUD"}

// titledPersons makes an actor of a person the knowledge base does not
// know when a capitalized title stands right before the name: "President
// Mugabe" is ---GOV (the sentence's country may then complete it), as
// PETRARCH codes the title's agent when the name is unknown. The title and
// name become one mention.
func titledPersons(toks []detente.Token, ents []detente.Entity, span detente.Span) []detente.Entity {
	var out []detente.Entity
	for i := range ents {
		e := &ents[i]
		if e.Type != detente.EntityPerson || e.Actor != "" || e.Start < span.Start || e.End > span.End {
			continue
		}
		k := -1
		for i, t := range toks {
			if t.Start == e.Start {
				k = i
				break
			}
		}
		if k < 1 {
			continue
		}
		title := toks[k-1]
		agent, lower := titleAgent(title.Text)
		if agent == "" || lower {
			continue // a lower-case word is no title ("the general public")
		}
		covered := false
		for j := range ents {
			if x := &ents[j]; x.Actor != "" && x.Start < e.End && title.Start < x.End {
				covered = true // part of a mention the annotator coded
			}
		}
		if covered {
			continue
		}
		actor := "---" + agent
		if org := orgBeforeTitle(toks, ents, k-1); org != "" {
			actor = org
		}
		out = append(out, detente.Entity{Text: span2text(toks, k-1, e), Start: title.Start, End: e.End,
			Type: detente.EntityPerson, Actor: actor, Source: "title"})
	}
	return out
}

// orgBeforeTitle is the code of an organization the knowledge base names
// right before the title at token k (not a description the annotator
// composed from sector words, "Mexican Deputy"), across at most two more capitalized words of the
// title ("World Bank Vice President Anna Bjerde", "European Commission
// Executive Vice-President …"): the title holder is that organization's,
// as "World Bank President" is, and no country of the sentence may
// complete a bare ---GOV instead. "" when there is none.
func orgBeforeTitle(toks []detente.Token, ents []detente.Entity, k int) string {
	j := k - 1
	for skipped := 0; j >= 0 && skipped < 2; skipped++ {
		w := toks[j].Text
		if w == "" || w[0] < 'A' || w[0] > 'Z' || inEntity(ents, toks[j]) {
			break
		}
		j--
	}
	if j < 0 {
		return ""
	}
	for i := range ents {
		if x := &ents[i]; x.Type == detente.EntityOrg && x.Source == "kb" && x.Actor != "" && x.End == toks[j].End {
			return x.Actor
		}
	}
	return ""
}

// inEntity says whether token t lies inside one of ents.
func inEntity(ents []detente.Entity, t detente.Token) bool {
	for i := range ents {
		if x := &ents[i]; x.Start <= t.Start && t.End <= x.End {
			return true
		}
	}
	return false
}

// span2text is the text from token k to the end of entity e, as the tokens
// spell it.
func span2text(toks []detente.Token, k int, e *detente.Entity) string {
	var b strings.Builder
	for i := k; i < len(toks) && toks[i].End <= e.End; i++ {
		if i > k {
			b.WriteByte(' ')
		}
		b.WriteString(toks[i].Text)
	}
	return b.String()
}

// groupMention says whether mention e coded code is an ethnic or religious
// group: it has no country and is, or starts with, a nationality-type
// mention without a country ("Kurds", "Shona rebels", "Protestant
// extremists").
func groupMention(es []detente.Entity, e *detente.Entity, code string) bool {
	if e.Country != "" || strings.HasPrefix(code, "---") {
		return false
	}
	for i := range es {
		if g := &es[i]; g.Type == detente.EntityNORP && g.Country == "" && g.Actor != "" && g.Start >= e.Start && g.End <= e.End && strings.HasPrefix(code, g.Actor) {
			return true
		}
	}
	return false
}

// placeAfterActor is the country of the actor right after actor ai's "in"
// or "of" [the], "" when none.
func (s *sentence) placeAfterActor(ai int) string {
	a := &s.actors[ai]
	q := a.end + 1
	if q >= len(s.low) || s.low[a.end] != "in" && s.low[a.end] != "of" {
		return ""
	}
	if s.low[q] == "the" && q+1 < len(s.low) {
		q++
	}
	if bi := s.actorAt[q]; bi >= 0 {
		for _, m := range s.actors[bi].members {
			if m.country != "" {
				return m.country
			}
		}
	}
	return ""
}

// counterpartPreps introduce the other party of an act ("against Russia",
// "a welcome to South African leader X").
var counterpartPreps = map[string]bool{"to": true, "against": true, "with": true, "toward": true, "towards": true, "on": true, "at": true}

// soleCountry is the country the sentence's actors name when they name
// just one (n counts the distinct countries met, approximately); with
// skipCounterparts, actors after a counterpart preposition do not count.
func (s *sentence) soleCountry(skipCounterparts bool) (one string, n int) {
	for _, a := range s.actors {
		if s.ethnic(a) {
			continue
		}
		if skipCounterparts {
			q := a.start - 1
			if q > 0 && s.has(q, fDet) {
				q--
			}
			if q >= 0 && s.has(q, fCounterpart) {
				continue
			}
		}
		for _, m := range a.members {
			if m.country != "" && !strings.HasPrefix(m.code, "---") && m.country != one {
				one, n = m.country, n+1
			}
		}
	}
	return one, n
}

// ethnic: the actor is a people named with "ethnic" before it.
func (s *sentence) ethnic(a actor) bool {
	return a.start > 0 && s.low[a.start-1] == "ethnic"
}

// residence is the country an ethnic group of country own lives in: the
// actor after "in" right after it, else the first other country named.
func (s *sentence) residence(ai int, own string) string {
	a := &s.actors[ai]
	if a.end+1 < len(s.low) && s.low[a.end] == "in" {
		if bi := s.actorAt[a.end+1]; bi >= 0 {
			for _, m := range s.actors[bi].members {
				if m.country != "" && m.country != own {
					return m.country
				}
			}
		}
	}
	for bi, b := range s.actors {
		if bi == ai || s.ethnic(b) {
			continue
		}
		for _, m := range b.members {
			if m.country != "" && m.country != own && !strings.HasPrefix(m.code, "---") {
				return m.country
			}
		}
	}
	return ""
}

// reportingWords name who reports an event in an attribution clause.
var reportingWords = map[string]bool{"said": true, "says": true, "say": true, "reported": true, "reports": true,
	"told": true, "added": true, "adds": true, "stated": true, "announced": true, "quoted": true, "wrote": true,
	"claimed": true, "confirmed": true}

// markAttribution marks attribution clauses: a comma segment that ends the
// sentence (or is closed by a comma) and holds a reporting verb within its
// first ten words (", the UN refugee agency reported", ", witnesses said,"),
// and "according to" with its source. Their actors report the event; the
// main clause's verbs take no source or target from them.
func (s *sentence) markAttribution() {
	n := len(s.low)
	mark := func(a, b int) {
		if s.attrib == nil {
			s.attrib = make([]bool, n)
		}
		for i := a; i < b; i++ {
			s.attrib[i] = true
		}
	}
	for c := 0; c < n; c++ {
		if s.low[c] != "," || s.actorAt[c] >= 0 {
			continue
		}
		e := c + 1
		for e < n && s.low[e] != "," && !boundary(s.low[e]) {
			e++
		}
		rep := -1
		for k := c + 1; k < e && k <= c+10; k++ {
			if s.has(k, fReport) {
				rep = k
				break
			}
		}
		if rep < 0 || rep == c+1 {
			continue // ", said X" or no reporting verb
		}
		closed := e == n || boundary(s.low[e]) || e < n && s.low[e] == "," && e-rep <= 4
		if closed {
			mark(c, e)
		}
	}
	for i := 0; i+1 < n; i++ {
		if s.low[i] != "according" || s.low[i+1] != "to" {
			continue
		}
		e := i + 2
		for e < n && e < i+8 && s.low[e] != "," && !boundary(s.low[e]) {
			if ai := s.actorAt[e]; ai >= 0 {
				e = s.actors[ai].end
				break
			}
			e++
		}
		if i == 0 && e < n && s.low[e] != "," {
			// "According to reports the UK is pushing …": the source is
			// the first noun phrase only.
			e = i + 2
			for e < n && e < i+4 && s.actorAt[e] < 0 && !isPunct(s.low[e]) {
				e++
			}
		}
		mark(i, e)
	}
}

// prepositions that head a prepositional phrase.
var prepositions = map[string]bool{"in": true, "on": true, "at": true, "with": true, "to": true, "from": true,
	"by": true, "against": true, "of": true, "for": true, "into": true, "over": true, "between": true,
	"about": true, "toward": true, "towards": true, "near": true, "among": true, "through": true, "across": true,
	"within": true, "upon": true, "after": true, "before": true, "during": true, "under": true, "via": true}

// anaphors that stand for the last compound actor ("both countries").
var anaphors = [][]string{
	{"both", "countries"}, {"the", "two", "countries"}, {"both", "sides"}, {"the", "two", "sides"},
	{"both", "governments"}, {"the", "two", "governments"}, {"both", "nations"}, {"the", "two", "nations"},
	{"the", "two", "neighbors"}, {"the", "two", "neighbours"}, {"both", "leaders"}, {"the", "two", "leaders"},
	{"the", "two", "sides'"}, {"the", "two", "presidents"},
}

// anaphorStartSet and anaphorSecondSet are the first and second words of
// the anaphors (all have two or more); the lexicon marks them
// (fAnaphorStart, fAnaphorSecond), so prepare tries the anaphors only
// where such words stand together: "the" alone is common.
var anaphorStartSet, anaphorSecondSet = func() (first, second map[string]bool) {
	first, second = map[string]bool{}, map[string]bool{}
	for _, a := range anaphors {
		first[a[0]], second[a[1]] = true, true
	}
	return first, second
}()

// tokenBuf is one article's per-token scratch (lower-case words, actor
// indexes, word ids and classes, the marks of relative clauses,
// appositions, verbs, used words and deferring verbs), carved up sentence
// by sentence: a few lists an article rather than seven a sentence, and
// those kept from article to article (tokenBufs). Each piece is handed out
// once per article and cleared before, so it is as fresh (zero) as a new
// make.
type tokenBuf struct {
	low     []string
	actorAt []int
	ids     []int32
	flags   []wordFlags
	bools   []bool
	// body and lowBody are the article's body and its lower-case form when
	// the two align byte for byte (no rune changes its encoded length when
	// lower-cased, no invalid UTF-8): a token's lower-case form is then the
	// same bytes of lowBody, no new string. lowBody is "" otherwise.
	body, lowBody string
	ascii         bool
	b, r          int // the byte and rune offsets the walk through body is at
	// seg is the body's segmentation when the tokens come from it: their
	// byte offsets are then known without the walk.
	seg *nlp.Text
	// hits and verbLists hold the article's verb candidates and their
	// entry lists (findVerbs), a chunk at a time, instead of one
	// allocation each.
	hits      []verbHit
	verbLists []*cverb
	// verbs, actors and members are where sentences grow their lists of
	// verb hits, actors and actor members (see region); sents holds the
	// sentences themselves. es and ms are prepare's per-sentence lists,
	// reused from sentence to sentence.
	verbs   []*verbHit
	actors  []actor
	members []member
	sents   []sentence
	es      []detente.Entity
	ms      []mspan
	// raws are codeSentence's list of a sentence's events, inherited its
	// per-verb cues; wordBuf is match's scratch (see sentence.wordBuf).
	raws      []raw
	inherited []*groupCues
	wordBuf   []int
	how       []byte // codeSentence's explanation scratch
	expl      []byte // event's ID and explanation scratch
	// mentions is the chunk the article's events take their first
	// mention from: a new one each article, since the events outlive Code.
	mentions []detente.EventMention
	// all keeps the whole per-token lists while the fields above are
	// carved from them, so a pooled tokenBuf can hand them out again.
	all tokenLists
}

// tokenLists are a tokenBuf's per-token lists.
type tokenLists struct {
	low       []string
	actorAt   []int
	ids       []int32
	flags     []wordFlags
	bools     []bool
	verbs     []*verbHit
	actors    []actor
	members   []member
	verbLists []*cverb
}

// tokenBufs keeps tokenBufs between articles: their lists are cleared and
// handed out again instead of allocated per article.
var tokenBufs sync.Pool

// fit returns l[:n] cleared, or a new list when l is shorter.
func fit[T any](l []T, n int) []T {
	if cap(l) < n {
		return make([]T, n)
	}
	l = l[:n]
	clear(l)
	return l
}

// region returns the unused rest of *pool as an empty slice to append to;
// keep then hands back what the append did not take. Appending past the
// rest leaves the pool for fresh memory, as append does.
func region[T any](pool *[]T) []T { return (*pool)[:0:len(*pool)] }

// keep takes the first len(used) elements of *pool (when used grew there)
// and returns used with its capacity capped, so no later append to it
// runs into what the pool hands out next.
func keep[T any](pool *[]T, used []T) []T {
	n := len(used)
	if n > 0 && cap(*pool) > 0 && n <= len(*pool) && &used[0] == &(*pool)[0] {
		*pool = (*pool)[n:]
	}
	return used[:n:n]
}

// sentence returns a new zero sentence from the article's chunk.
func (b *tokenBuf) sentence() *sentence {
	if b == nil {
		return &sentence{}
	}
	return grow(&b.sents, 16)
}

// newTokenBuf returns scratch for n tokens in all, in a body whose
// lower-case form is low, as lowerText gives it with ascii and aligned.
//
// The caller hands it back with release when no list it gave out is used
// any more (none outlives Code).
func newTokenBuf(n int, body, low string, ascii, aligned bool) *tokenBuf {
	b, _ := tokenBufs.Get().(*tokenBuf)
	if b == nil {
		b = &tokenBuf{}
	}
	a := &b.all
	m := n/4 + 8
	a.low, a.actorAt, a.ids, a.flags, a.bools = fit(a.low, n), fit(a.actorAt, n), fit(a.ids, 2*n), fit(a.flags, n), fit(a.bools, 5*n)
	a.verbs, a.actors, a.members = fit(a.verbs, m), fit(a.actors, m), fit(a.members, m)
	a.verbLists = fit(a.verbLists, 64)
	b.low, b.actorAt, b.ids, b.flags, b.bools = a.low, a.actorAt, a.ids, a.flags, a.bools
	b.verbs, b.actors, b.members, b.verbLists = a.verbs, a.actors, a.members, a.verbLists
	clear(b.hits)
	clear(b.sents)
	b.hits, b.sents = b.hits[:0], b.sents[:0]
	b.es, b.ms = b.es[:0], b.ms[:0]
	b.mentions = nil // the last article's events hold it
	clear(b.raws[:cap(b.raws)])
	b.raws = b.raws[:0]
	b.body, b.lowBody, b.ascii, b.b, b.r, b.seg = "", "", false, 0, 0, nil
	if aligned {
		b.body, b.lowBody, b.ascii = body, low, ascii
	}
	return b
}

// release hands b back for another article.
func (b *tokenBuf) release() {
	if b != nil {
		b.mentions = nil // the events' now
		tokenBufs.Put(b)
	}
}

// strs, ints, int32s and boolList return the next n elements of a list,
// capacity capped so an append cannot run into the next sentence's; fresh
// ones when the scratch is nil or used up.
func (b *tokenBuf) strs(n int) []string {
	if b == nil {
		return make([]string, n)
	}
	return carve(&b.low, n)
}

func (b *tokenBuf) ints(n int) []int {
	if b == nil {
		return make([]int, n)
	}
	return carve(&b.actorAt, n)
}

func (b *tokenBuf) int32s(n int) []int32 {
	if b == nil {
		return make([]int32, n)
	}
	return carve(&b.ids, n)
}

func (b *tokenBuf) flagList(n int) []wordFlags {
	if b == nil {
		return make([]wordFlags, n)
	}
	return carve(&b.flags, n)
}

func (b *tokenBuf) boolList(n int) []bool {
	if b == nil {
		return make([]bool, n)
	}
	return carve(&b.bools, n)
}

// hit returns a new zero verbHit, from the article's chunk.
func (b *tokenBuf) hit() *verbHit {
	if b == nil {
		return &verbHit{}
	}
	return grow(&b.hits, 32)
}

// mention returns a list of the one mention m, capacity capped (a second
// mention of the event appends to a new list), from the article's chunk.
func (b *tokenBuf) mention(m detente.EventMention) []detente.EventMention {
	if b == nil {
		return []detente.EventMention{m}
	}
	if len(b.mentions) == cap(b.mentions) {
		// Chunks of 16: an article has about 23 events, and what a chunk
		// leaves unused stays allocated as long as the events.
		b.mentions = make([]detente.EventMention, 0, 16)
	}
	b.mentions = append(b.mentions, m)
	return b.mentions[len(b.mentions)-1 : len(b.mentions) : len(b.mentions)]
}

// grow returns the next element of an article's chunk. A full chunk stays
// with the values handed out from it; the next is twice as big (least
// elements at first), and the last one is kept for the next article.
func grow[T any](chunk *[]T, least int) *T {
	if len(*chunk) == cap(*chunk) {
		*chunk = make([]T, 0, max(least, 2*cap(*chunk)))
	}
	*chunk = (*chunk)[:len(*chunk)+1]
	return &(*chunk)[len(*chunk)-1]
}

// cverbs returns a copy of vs (not empty), capacity capped, from the
// article's chunk.
func (b *tokenBuf) cverbs(vs []*cverb) []*cverb {
	if b == nil {
		return slices.Clone(vs)
	}
	if len(b.verbLists) < len(vs) {
		b.verbLists = make([]*cverb, max(64, len(vs)))
		if len(vs) <= 64 {
			b.all.verbLists = b.verbLists // the pool's chunk from now on
		}
	}
	out := carve(&b.verbLists, len(vs))
	copy(out, vs)
	return out
}

// carve cuts the next n elements off *pool, or makes them when it holds
// fewer.
func carve[T any](pool *[]T, n int) []T {
	if len(*pool) < n {
		return make([]T, n)
	}
	out := (*pool)[:n:n]
	*pool = (*pool)[n:]
	return out
}

// lower returns strings.ToLower(t.Text): the token's bytes in the
// lower-case body when it is there. Tokens come in text order, so the walk
// from rune to byte offsets goes over the body once.
func (b *tokenBuf) lower(t detente.Token) string {
	if b == nil || b.lowBody == "" {
		return strings.ToLower(t.Text)
	}
	bs := t.Start
	if !b.ascii {
		if t.Start < b.r {
			return strings.ToLower(t.Text)
		}
		for b.r < t.Start && b.b < len(b.body) {
			_, size := utf8.DecodeRuneInString(b.body[b.b:])
			b.b += size
			b.r++
		}
		bs = b.b
	}
	if be := bs + len(t.Text); bs >= 0 && be <= len(b.body) && b.body[bs:be] == t.Text {
		return b.lowBody[bs:be]
	}
	return strings.ToLower(t.Text)
}

// lowerAt is lower for token k of sentence sent of b.seg, whose byte
// offset the segmentation knows: no walk through a body that is not
// ASCII.
func (b *tokenBuf) lowerAt(sent, k int, t detente.Token) string {
	if b != nil && b.seg != nil && b.lowBody != "" && !b.ascii {
		bs := b.seg.TokenByte(sent, k)
		if be := bs + len(t.Text); bs >= 0 && be <= len(b.body) && b.body[bs:be] == t.Text {
			return b.lowBody[bs:be]
		}
	}
	return b.lower(t)
}

// setWords looks the sentence's words up in lx.
func (s *sentence) setWords(lx *lexicon) {
	n := len(s.low)
	if s.lx == nil {
		s.ids, s.wi, s.fl = s.buf.int32s(n), s.buf.int32s(n), s.buf.flagList(n)
	}
	s.lx = lx
	for i, w := range s.low {
		e := lx.find(w)
		s.wi[i], s.ids[i], s.fl[i] = e.info, e.id, e.flags
	}
}

// has says whether word i is of one of the classes f.
func (s *sentence) has(i int, f wordFlags) bool { return s.fl[i]&f != 0 }

// prepare builds the sentence: lower-case words, actor mentions (outer
// mentions win over nested ones), compounds, relative clauses. Its words
// are looked up in lx (nil: the word classes only).
//
// Unless plain (PETRARCH-1's conventions), a sector word used as an
// adjective ("an official protest") is no actor.
func prepare(index int, span detente.Span, toks []detente.Token, ents []detente.Entity, lastCompound *[]member, lx *lexicon, plain bool, buf *tokenBuf) *sentence {
	s := lowered(index, span, toks, buf)
	s.build(ents, lastCompound, lx, plain)
	return s
}

// lowered starts preparing sentence index: its tokens and their
// lower-case words.
func lowered(index int, span detente.Span, toks []detente.Token, buf *tokenBuf) *sentence {
	s := buf.sentence()
	*s = sentence{lastComma: -1, index: index, span: span, toks: toks, low: buf.strs(len(toks)), actorAt: buf.ints(len(toks)), rel: buf.boolList(len(toks)), buf: buf}
	for i, t := range toks {
		s.low[i] = buf.lowerAt(index, i, t)
		s.actorAt[i] = -1
	}
	return s
}

// silent says whether the sentence, its words lowered, can yield no
// event, whatever its verbs. Every event needs an actor of the sentence
// or a pronoun subject standing for the previous subject ("it", "he",
// "she", "they"; subject says whether there is one), and this one has
// neither: no entity with an actor code, nor,
// unless plain, a person a title makes one of ("President X"), nor a
// word an anaphor of the last compound needs ("both countries", "the two
// sides"). Preparing such a sentence changes none of the article's state
// either (the last compound and subject come from actors), so Code skips
// it.
func (s *sentence) silent(ents []detente.Entity, lastCompound []member, subject, plain bool) bool {
	persons := false
	for i := range ents {
		e := &ents[i]
		if e.Start >= s.span.Start && e.End <= s.span.End {
			if e.Actor != "" {
				return false
			}
			persons = persons || e.Type == detente.EntityPerson
		}
	}
	if persons && !plain && len(titledPersons(s.toks, ents, s.span)) > 0 {
		return false
	}
	anaphors := len(lastCompound) > 1
	for _, w := range s.low {
		switch w {
		case "it", "he", "she", "they":
			if subject {
				return false
			}
		case "both", "two":
			if anaphors {
				return false
			}
		}
	}
	return true
}

// build is the rest of prepare, for a sentence lowered.
func (s *sentence) build(ents []detente.Entity, lastCompound *[]member, lx *lexicon, plain bool) {
	span, toks, buf := s.span, s.toks, s.buf
	if lx == nil {
		lx = baseLexicon()
	}
	s.setWords(lx)
	// Entities within the sentence that are actors, outer first.
	inside := func(e *detente.Entity) bool { return e.Actor != "" && e.Start >= span.Start && e.End <= span.End }
	n := 0
	for i := range ents {
		if inside(&ents[i]) {
			n++
		}
	}
	var es []detente.Entity
	if buf != nil {
		es = buf.es[:0]
	}
	if n > 0 {
		if cap(es) < n {
			es = make([]detente.Entity, 0, n)
		}
		for i := range ents {
			if inside(&ents[i]) {
				es = append(es, ents[i])
			}
		}
	}
	if !plain {
		es = append(es, titledPersons(toks, ents, span)...)
	}
	slices.SortStableFunc(es, func(a, b detente.Entity) int {
		if a.Start != b.Start {
			return cmp.Compare(a.Start, b.Start)
		}
		return cmp.Compare(b.End, a.End)
	})
	var ms []mspan
	if buf != nil && cap(buf.ms) >= len(es) {
		ms = buf.ms[:0]
	} else {
		ms = make([]mspan, 0, len(es))
	}
	ti := 0
	for i := range es {
		e := &es[i]
		if len(ms) > 0 && toks[ms[len(ms)-1].e-1].End > e.Start {
			continue // nested in (or overlapping) the previous, longer mention
		}
		for ti < len(toks) && toks[ti].End <= e.Start {
			ti++
		}
		st := ti
		en := st
		for en < len(toks) && toks[en].Start < e.End {
			en++
		}
		if en == st {
			continue
		}
		if !plain && adjectiveAgent(s, st, en) {
			continue
		}
		// A code with "/" names several actors at once (PETRARCH's
		// "THE_SHIRE [FRO/BIL/SAM]"): one member each.
		for codes := e.Actor; codes != ""; {
			code, rest, _ := strings.Cut(codes, "/")
			if code != "" {
				ms = append(ms, mspan{st, en, member{code: code, span: detente.Span{Start: e.Start, End: e.End}, text: e.Text, borrowed: e.Source == "context", country: e.Country, titled: e.Source == "title",
					group: !plain && groupMention(es, e, code)}, e.Type == detente.EntityNORP})
			}
			codes = rest
		}
	}
	// A nationality word describing the next actor ("his South Korean
	// counterpart Moon Jae-in") is part of that actor's description.
	// Before an ethnic or religious group it names the group's country, as
	// CAMEO writes "Iraqi Kurds": IRQKUR.
	kept := ms[:0]
	for k, m := range ms {
		if m.norp && k+1 < len(ms) && ms[k+1].s-m.e <= 3 && ms[k+1].s >= m.e && noPunct(s.low[m.e:ms[k+1].s]) {
			if n := &ms[k+1].m; n.group && m.m.country != "" && ms[k+1].s == m.e {
				n.code, n.country, n.group = m.m.country+n.code, m.m.country, false
				continue
			}
			if strings.HasPrefix(ms[k+1].m.code, m.m.code) {
				continue
			}
		}
		kept = append(kept, m)
	}
	ms = kept
	// Anaphors for the last compound, which may stand earlier in this
	// sentence ("China and South Korea … talks between the two countries").
	for k := 0; k+1 < len(ms) && lastCompound != nil; k++ {
		if ms[k+1].s >= ms[k].e && isConjunction(s.low[ms[k].e:ms[k+1].s], s.fl[ms[k].e:ms[k+1].s]) && ms[k].m.code != ms[k+1].m.code {
			*lastCompound = []member{ms[k].m, ms[k+1].m}
		}
	}
	if lastCompound != nil && len(*lastCompound) > 1 {
		for i := 0; i < len(toks); i++ {
			if !s.has(i, fAnaphorStart) || i+1 == len(toks) || !s.has(i+1, fAnaphorSecond) {
				continue // the usual words: no anaphor to try
			}
			for _, a := range anaphors {
				if i+len(a) <= len(toks) && slices.Equal(s.low[i:i+len(a)], a) && !coveredBy(ms, i, i+len(a)) {
					sp := detente.Span{Start: toks[i].Start, End: toks[i+len(a)-1].End}
					for _, m := range *lastCompound {
						mm := m
						mm.span, mm.text = sp, strings.Join(wordsOf(toks[i:i+len(a)]), " ")
						ms = append(ms, mspan{i, i + len(a), mm, false})
					}
					break
				}
			}
		}
		slices.SortStableFunc(ms, func(a, b mspan) int { return cmp.Compare(a.s, b.s) })
	}
	// Group into actors: same token range → one actor (anaphor members);
	// "A and B", "A, B and C" → compound.
	if buf != nil {
		s.actors = region(&buf.actors)
	}
	for k := 0; k < len(ms); {
		a := actor{start: ms[k].s, end: ms[k].e, norp: ms[k].norp}
		if buf != nil {
			a.members = region(&buf.members)
		}
		a.members = append(a.members, ms[k].m)
		j := k + 1
		for j < len(ms) && ms[j].s == a.start {
			a.members = append(a.members, ms[j].m)
			a.anaphor = a.anaphor || ms[j].m.span == ms[k].m.span && isAnaphorText(ms[j].m.text)
			j++
		}
		// A list joins by commas and ends with "and": "A, B and C". Members
		// after the last "and" were appositions, not part of it.
		type step struct{ j, end, members int }
		var last step
		last = step{j, a.end, len(a.members)}
		for j < len(ms) {
			if ms[j].s < a.end {
				break
			}
			gap := s.low[a.end:ms[j].s]
			if !isConjunction(gap, s.fl[a.end:ms[j].s]) {
				break
			}
			withAnd := false
			for _, w := range gap {
				if w == "and" || w == "&" || w == "nor" {
					withAnd = true
				}
			}
			a.end = ms[j].e
			a.members = appendMember(a.members, ms[j].m)
			a.norp = false
			j++
			for j < len(ms) && ms[j].s == ms[j-1].s {
				a.members = appendMember(a.members, ms[j].m)
				j++
			}
			if withAnd {
				last = step{j, a.end, len(a.members)}
				break
			}
		}
		j, a.end, a.members = last.j, last.end, a.members[:last.members]
		if buf != nil {
			a.members = keep(&buf.members, a.members)
		}
		if a.start > 0 && s.has(a.start-1, fPrep) {
			a.prepObj = true
		} else if a.start > 1 && s.has(a.start-2, fPrep) && s.has(a.start-1, fDet) {
			a.prepObj = true
		}
		s.actors = append(s.actors, a)
		for t := a.start; t < a.end; t++ {
			s.actorAt[t] = len(s.actors) - 1
		}
		if a.compound() && !a.anaphor && lastCompound != nil {
			*lastCompound = append([]member(nil), a.members...)
		}
		k = j
	}
	if buf != nil {
		s.actors = keep(&buf.actors, s.actors)
		buf.es, buf.ms = es[:0], ms[:0]
	}
	if !plain {
		s.placeActors()
		s.findPlaces(ents)
	}
	// Appositions: "Pakistan, a key U.S. ally in the war on terror, has
	// refused": ", a/an/the … ," right after an actor describes it; like a
	// relative clause it is skipped when looking for subjects and objects,
	// and its words are nouns, not verbs.
	s.appos = buf.boolList(len(toks))
	for _, a := range s.actors {
		i := a.end
		if i+1 >= len(toks) || s.low[i] != "," || (s.low[i+1] != "a" && s.low[i+1] != "an" && s.low[i+1] != "the") {
			continue
		}
		j := i + 1
		for j < len(toks) && j < i+14 && s.low[j] != "," && !boundary(s.low[j]) && s.low[j] != "which" && s.low[j] != "who" {
			j++
		}
		if j < len(toks) && s.low[j] == "," {
			for k := i + 1; k < j; k++ {
				s.rel[k] = true
				s.appos[k] = true
			}
		}
	}
	// Relative clauses: ", which/who … ," (or to the end of the clause).
	for i := 1; i < len(toks); i++ {
		if s.low[i-1] == "," && (s.low[i] == "which" || s.low[i] == "who" || s.low[i] == "whose" || s.low[i] == "whom") {
			j := i
			for j < len(toks) && s.low[j] != "," && s.low[j] != ";" {
				s.rel[j] = true
				j++
			}
		}
	}
}

// adjectives are sector words news uses mostly as adjectives: before a
// noun that is no actor ("an official protest", "a new military
// offensive", "military aid") they name nobody.
var adjectives = map[string]bool{"military": true, "official": true}

// adjectiveAgent says whether the one-word mention [st, en) is such an
// adjective: a lower-case noun follows it (a word that is no verb form,
// or one news uses mostly as a noun: "protest", "aid").
func adjectiveAgent(s *sentence, st, en int) bool {
	low := s.low
	if en != st+1 || !adjectives[low[st]] || en >= len(low) {
		return false
	}
	next := low[en]
	if isPunct(next) || s.has(en, fPrep|fAux) || next == "and" || next == "or" || next == "who" || next == "which" || next == "that" {
		return false
	}
	return !s.has(en, fVerb) || s.has(en, fNounish)
}

func appendMember(ms []member, m member) []member {
	for _, x := range ms {
		if x.code == m.code {
			return ms
		}
	}
	return append(ms, m)
}

// mspan is an actor mention over tokens [s, e).
type mspan struct {
	s, e int
	m    member
	norp bool
}

func noPunct(ws []string) bool {
	for _, w := range ws {
		if isPunct(w) {
			return false
		}
	}
	return true
}

func coveredBy(ms []mspan, a, b int) bool {
	for _, m := range ms {
		if m.s < b && m.e > a {
			return true
		}
	}
	return false
}

// isConjunction says whether the words between two actors join them into
// a compound: "and", ",", ", and", optionally followed by a determiner and
// up to two modifiers ("Mordor, the Shire", "Fornost, and good Gondor").
func isConjunction(gap []string, fl []wordFlags) bool {
	i := 0
	switch {
	case len(gap) >= 2 && gap[0] == "," && gap[1] == "and":
		i = 2
	case len(gap) >= 1 && (gap[0] == "and" || gap[0] == "," || gap[0] == "&" || gap[0] == "nor"):
		i = 1
	default:
		return false
	}
	rest := gap[i:]
	if len(rest) > 3 {
		return false
	}
	for k, w := range rest {
		if isPunct(w) || fl[i+k]&(fPrep|fAux|fVerb) != 0 || w == "and" || w == "which" || w == "who" || w == "that" {
			return false
		}
	}
	return true
}

func isAnaphorText(t string) bool {
	low := strings.ToLower(t)
	for _, a := range anaphors {
		if low == strings.Join(a, " ") {
			return true
		}
	}
	return false
}

// determiners are the words the fDet class holds.
var determiners = map[string]bool{"the": true, "a": true, "an": true, "its": true, "their": true, "his": true,
	"her": true, "this": true, "that": true, "these": true, "those": true, "our": true, "my": true, "your": true}

func wordsOf(ts []detente.Token) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Text
	}
	return out
}

func isPunct(w string) bool {
	if w == "" {
		return true
	}
	c := w[0]
	return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80)
}

// boundary says whether a token ends a clause for matching purposes.
func boundary(w string) bool {
	if len(w) != 1 {
		return false
	}
	switch w[0] {
	case ';', ':', '.', '?', '!':
		return true
	}
	return false
}

// lowerText is strings.ToLower(s), faster on news text: ASCII bytes are
// lowered in a loop of their own and only other runes go through
// unicode.ToLower (strings.ToLower maps every rune of a text with any
// non-ASCII byte through a function). Invalid bytes become U+FFFD, as
// there. In the same pass it says whether s is all ASCII and whether low
// has every rune's bytes where s has them (no rune changes its encoded
// length, no invalid byte), so tokens can be lowered by slicing low.
// hiBits are the top bits of eight bytes.
const hiBits = 0x8080808080808080

// upperASCII marks the capitals A-Z among eight ASCII bytes (top bits
// clear) with each one's top bit: a byte from 'A' (0x41) up overflows into
// bit 7 when 0x3f is added, one from '[' (0x5b) up when 0x25 is; no sum
// carries into the next byte. w|upperASCII(w)>>2 lowers them (bit 5 is
// the case bit).
func upperASCII(w uint64) uint64 {
	return (w + 0x3f3f3f3f3f3f3f3f) &^ (w + 0x2525252525252525) & hiBits
}

func lowerText(s string) (low string, ascii, aligned bool) {
	ascii = true
	i := 0
	for i < len(s) {
		// Eight ASCII bytes at a time while none is upper case.
		for i+8 <= len(s) {
			if w := le64(s, i); w&hiBits != 0 || upperASCII(w) != 0 {
				break
			}
			i += 8
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				break
			}
			i++
			continue
		}
		ascii = false
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || unicode.ToLower(r) != r {
			break
		}
		i += size
	}
	if i == len(s) {
		return s, ascii, true // nothing to change
	}
	aligned = true
	b := make([]byte, i, len(s)+utf8.UTFMax)
	copy(b, s[:i])
	for i < len(s) {
		// Eight ASCII bytes at a time, their capitals lowered together.
		for i+8 <= len(s) {
			w := le64(s, i)
			if w&hiBits != 0 {
				break
			}
			b = binary.LittleEndian.AppendUint64(b, w|upperASCII(w)>>2)
			i += 8
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		ascii = false
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			aligned = false
		}
		n := len(b)
		b = utf8.AppendRune(b, unicode.ToLower(r))
		if len(b)-n != size {
			aligned = false
		}
		i += size
	}
	return unsafe.String(unsafe.SliceData(b), len(b)), ascii, aligned
}
