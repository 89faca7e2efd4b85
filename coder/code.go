package coder

import (
	"cmp"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/detente/detente"
	"github.com/detente/detente/cameo"
	"github.com/detente/detente/coder/dict"
	"github.com/detente/detente/nlp"
)

// walkBody makes Code recover token byte offsets by walking the body, as
// it did before the segmentation handed them over (tests compare the two).
var walkBody = false

// codeSilent makes Code prepare and code the sentences silent says yield
// nothing, as it did before it skipped them (tests compare the two).
var codeSilent = false

// Code codes one annotated article: the events of each sentence, one per
// mention, merged within the article when source, target, code and date
// agree (one Event with several Mentions). A story the discards name, or a
// sentence they name, yields nothing.
func (c *Coder) Code(a *detente.Article, ann *detente.Annotations) []detente.Event {
	if a == nil || ann == nil || a.Body == "" {
		return nil
	}
	low, ascii, aligned := lowerText(a.Body)
	if c.discarded(low, true) {
		return nil
	}
	// The annotator's segmentation of this body, when the annotations
	// come straight from it, is the one nlp.Segment would make again.
	text, _ := ann.Segmentation.(*nlp.Text)
	if text == nil || text.Body != a.Body {
		text = nlp.Segment(a.Body)
	}
	pub := ""
	if len(a.Published) >= 10 {
		pub = a.Published[:10]
	}
	firstPara := firstParagraphEnd(a.Body)
	var events []detente.Event
	var byKey map[eventKey]int // made when the list grows long (see eventIndex)
	var lastCompound []member
	var lastSubject []member
	sentEnts := entitiesBySentence(ann.Entities, text.Sentences)
	n := 0
	for _, toks := range text.Tokens {
		n += len(toks)
	}
	buf := newTokenBuf(n, a.Body, low, ascii, aligned)
	if !walkBody {
		buf.seg = text
	}
	dates := sentenceDates(ann.Times, text.Sentences, pub)
	defer buf.release()
	for si, span := range text.Sentences {
		toks := text.Tokens[si]
		if len(toks) == 0 {
			continue
		}
		s := lowered(si, span, toks, buf)
		if !codeSilent && s.silent(sentEnts[si], lastCompound, len(lastSubject) > 0, c.Plain) {
			continue
		}
		s.build(sentEnts[si], &lastCompound, c.lex, c.Plain)
		if c.Plain {
			dropTerminalClause(s)
		} else {
			s.markAttribution()
		}
		var history []int
		if c.discardedWords(s.low, s.wi, s.fl, &history) {
			continue
		}
		c.findVerbs(s)
		var dated map[*verbHit]bool // made when a history phrase dates a verb
		for _, i := range history {
			if h := datedVerb(s, i); h != nil {
				if dated == nil {
					dated = map[*verbHit]bool{}
				}
				dated[h] = true
			}
		}
		date := dates[si]
		loc := sentenceLocation(s, sentEnts[si])
		raws := c.codeSentence(s, &lastSubject)
		for i := range raws {
			if dated[raws[i].verb] {
				continue // a past event the sentence refers to
			}
			e, ok := c.event(a, s, raws[i], date, loc, span.Start < firstPara)
			if !ok {
				continue
			}
			key := eventKey{e.Source, e.Target, e.CAMEO, e.Date}
			if k := eventIndex(events, &byKey, key); k >= 0 {
				events[k].Mentions = append(events[k].Mentions, e.Mentions...)
				events[k].NumMentions++
				continue
			}
			if byKey != nil {
				byKey[key] = len(events)
			}
			if events == nil {
				events = make([]detente.Event, 0, 8) // fewer copies of the large Event while growing
			}
			events = append(events, e)
		}
	}
	return events
}

// eventKey is what merges an article's events: source, target, code and
// date.
type eventKey struct{ source, target, code, date string }

// eventIndex is the index of the event with key k in events, or -1. An
// article has about 23 events, which a scan compares faster than a map
// hashes; past 32 the map *byKey is made and kept up by the caller.
func eventIndex(events []detente.Event, byKey *map[eventKey]int, k eventKey) int {
	if *byKey == nil && len(events) > 32 {
		*byKey = make(map[eventKey]int, 2*len(events))
		for i := range events {
			e := &events[i]
			(*byKey)[eventKey{e.Source, e.Target, e.CAMEO, e.Date}] = i
		}
	}
	if *byKey != nil {
		if i, ok := (*byKey)[k]; ok {
			return i
		}
		return -1
	}
	for i := range events {
		e := &events[i]
		if e.Source == k.source && e.Target == k.target && e.CAMEO == k.code && e.Date == k.date {
			return i
		}
	}
	return -1
}

// entitiesBySentence lists, for each sentence, the entities that touch its
// span (the ends count), in the article's order: all that the per-sentence
// steps look at, so each need not scan every entity of the article.
// Sentences come in order, as Segment makes them. A sentence whose
// entities stand together in ents (the usual case: the annotator lists
// them in text order) gets a subslice of ents, not a copy.
func entitiesBySentence(ents []detente.Entity, sents []detente.Span) [][]detente.Entity {
	out := make([][]detente.Entity, len(sents))
	if len(ents) == 0 {
		return out
	}
	each := func(fn func(si, ei int)) {
		for ei := range ents {
			e := &ents[ei]
			si, _ := slices.BinarySearchFunc(sents, e.Start, func(s detente.Span, p int) int { return cmp.Compare(s.End, p) })
			for ; si < len(sents) && sents[si].Start <= e.End; si++ {
				fn(si, ei)
			}
		}
	}
	// first[si] and n[si]: the first entity index and the count.
	first := make([]int, 2*len(sents))
	n := first[len(sents):]
	apart := false
	each(func(si, ei int) {
		if n[si] == 0 {
			first[si] = ei
		} else if first[si]+n[si] != ei {
			apart = true
		}
		n[si]++
	})
	for si := range sents {
		if n[si] > 0 {
			out[si] = ents[first[si] : first[si]+n[si] : first[si]+n[si]]
		}
	}
	if !apart {
		return out
	}
	// Some sentence's entities are interleaved with another's: copy all.
	for si := range out {
		out[si] = nil
	}
	each(func(si, ei int) { out[si] = append(out[si], ents[ei]) })
	return out
}

// PETRARCH-1's comma-clause limits (its config.ini, "based on TABARI"): a
// terminal comma-delimited clause of comma_emin..comma_emax words is
// removed before coding.
const terminalMin, terminalMax = 2, 8

// dropTerminalClause removes, as PETRARCH-1 does, the words after the
// sentence's last comma when they are 2 to 8 words long (", a senior
// official said on Saturday"): they are neither actors nor verbs. A longer
// closing clause (", the primary official news agency WFNA said on
// Thursday") stays and is coded. Commas inside a compound actor ("Mordor,
// the Shire and Bree") do not open a clause. Words are counted as
// PETRARCH counts them: tokens starting with a letter.
func dropTerminalClause(s *sentence) {
	last := -1
	for i, w := range s.low {
		if w == "," && s.actorAt[i] < 0 {
			last = i
		}
	}
	s.lastComma = last
	if last < 0 {
		return
	}
	n := 0
	for _, w := range s.low[last+1:] {
		if r := []rune(w); len(r) > 0 && unicode.IsLetter(r[0]) {
			n++
		}
	}
	if n < terminalMin || n > terminalMax {
		return
	}
	s.dropped = make([]bool, len(s.low))
	for i := last + 1; i < len(s.low); i++ {
		s.dropped[i] = true
		s.actorAt[i] = -1
	}
}

// closingClause: the event's verb and source stand in the clause after the
// sentence's last comma, a closing clause longer than PETRARCH-1 removes
// (", the primary official news agency WFNA said on Thursday"). PETRARCH-1
// codes that clause's event alongside the sentence's others, with "---"
// for its missing target.
func closingClause(s *sentence, r *raw) bool {
	return s.lastComma >= 0 && r.verb.head > s.lastComma && r.source.span.Start >= s.toks[s.lastComma].End
}

// anyRaw says whether is holds for one of the raws.
func anyRaw(out []raw, is func(r *raw) bool) bool {
	for i := range out {
		if is(&out[i]) {
			return true
		}
	}
	return false
}

// keepRaws keeps, in place and in order, the raws keep says to.
func keepRaws(out []raw, keep func(r *raw) bool) []raw {
	n := 0
	for i := range out {
		if keep(&out[i]) {
			if n != i {
				out[n] = out[i]
			}
			n++
		}
	}
	return out[:n]
}

// raw is an event found in a sentence before it becomes a detente.Event.
type raw struct {
	source, target member
	code           string
	verb           *verbHit
	pattern        *cpattern // nil for the bare verb
	negated        bool
	modality       cameo.Modality
	cues           []string
	negCues        []int  // tokens of the negation cues
	words          []int  // tokens the pattern's literal elements matched
	how            string // how source and target were found
	reverse        bool
	demand         bool // a statement turned demand by its "must" clause
}

// codeSentence finds the raw events of one prepared sentence.
//
// The list is the article's scratch (when s has some): it holds until the
// next sentence is coded.
func (c *Coder) codeSentence(s *sentence, lastSubject *[]member) []raw {
	var out []raw
	if s.buf != nil {
		out = s.buf.raws[:0]
		defer func() { s.buf.raws = out[:0] }()
	}
	// deferred[vi]: verb vi is a modality verb ("offered", "refused",
	// "plans") governing the next one through "to" without a pattern of
	// its own that covers it: the governed verb carries the event, with the
	// modality verb as its cue ("offered to negotiate" → 036).
	deferred := s.buf.boolList(len(s.verbs))
	// inherited[vi]: the negation and modality of the verb that deferred to
	// verb vi ("is willing to send material to help": the help is intended).
	var inherited []*groupCues
	if s.buf != nil {
		s.buf.inherited = fit(s.buf.inherited, len(s.verbs))
		inherited = s.buf.inherited
	} else {
		inherited = make([]*groupCues, len(s.verbs))
	}
	var howBuf []byte // scratch for the explanations of sources and targets
	if s.buf != nil {
		howBuf = s.buf.how
		defer func() { s.buf.how = howBuf }()
	}
	forced := -1 // the last verb coded as force (CAMEO 18 to 20)
	for vi, h := range s.verbs {
		demanded := false
		// "agreed to restore ties": the governing verb carries the event
		// when its pattern covers the governed verb; a verb governed by a
		// previous dictionary verb is skipped unless that one deferred.
		if vi > 0 && governs(s, s.verbs[vi-1], h) && !deferred[vi-1] {
			continue
		}
		if s.used[h.head] {
			continue // part of an earlier verb's pattern ("provide humanitarian aid")
		}
		b, pat, cv := c.choose(s, h)
		h.verb = cv
		code, rev := h.verb.code, h.verb.rev
		if pat != nil {
			code, rev = pat.p.Code, pat.p.ReverseCode
			for _, w := range b.words {
				s.used[w] = true
			}
		}
		if vi > 0 && forced == vi-1 && forcedObjectNoun(s, vi) {
			continue
		}
		if !c.Plain && vi+1 < len(s.verbs) && governs(s, h, s.verbs[vi+1]) && (s.has(h.head, fCue) || code == dict.NullCode) && !contains(b.words, s.verbs[vi+1].head) && c.codes(s, s.verbs[vi+1]) {
			deferred[vi] = true
			for _, w := range b.words {
				s.used[w] = false
			}
			g := &groupCues{}
			g.negated, g.modality, g.cues, g.negToks = verbGroup(s, h)
			if in := inherited[vi]; in != nil {
				g.merge(in)
			}
			inherited[vi+1] = g
			continue
		}
		if code == dict.NullCode || (code == "" && rev == "") {
			// A reporting verb the dictionary leaves uncoded ("concluded
			// that the US must allocate") still carries a demand.
			if c.Plain || !s.has(h.head, fDemand) || b.target >= 0 || mustClause(s, h) < 0 {
				continue
			}
		}
		if h.noun && (pat == nil || !pat.compound) {
			continue
		}
		if rootIn(code, "18", "20") {
			forced = vi
		}
		// "said Sudan must return the helicopter", "demanded that Hamas
		// renounce": a statement or demand whose reported clause tells an
		// actor what it must do is a demand (CAMEO 10) on that actor.
		if !c.Plain && b.target < 0 && (strings.HasPrefix(code, "01") || strings.HasPrefix(code, "10") || s.has(h.head, fDemand)) {
			if ti := mustClause(s, h); ti >= 0 {
				if !strings.HasPrefix(code, "10") {
					code, rev = "100", ""
				}
				b.target = ti
				demanded = true
			}
		}
		neg, mod, cues, negToks := verbGroup(s, h)
		if !c.Plain && !neg && deniedBy(s, vi) {
			// "denied attacking civilians", "denied supplying drones": the
			// act is not reported as done, nor is its denial a refusal of
			// it (a negated act may read as its opposite).
			continue
		}
		if in := inherited[vi]; in != nil {
			g := &groupCues{neg, mod, cues, negToks}
			g.merge(in)
			neg, mod, cues, negToks = g.negated, g.modality, g.cues, g.negToks
		}
		// "announced a suspension of air links": the announced act's code.
		if !c.Plain && !demanded && pat == nil && strings.HasPrefix(code, "01") {
			if nc, noun := c.announcedAct(s, h); nc != "" {
				code, rev = nc, ""
				cues = append(cues, "announces \""+noun+"\"")
			}
		}
		// Governed verb: "agreed to restore" — the infinitive's own code
		// when it is finer intent than the governing verb's.
		if vi+1 < len(s.verbs) && governs(s, h, s.verbs[vi+1]) {
			cues = append(cues, "governs \""+s.low[s.verbs[vi+1].head]+"\"")
		}
		// Source and target.
		var srcs, tgts []member
		how := ""
		switch {
		case pat != nil && pat.compound && b.compound >= 0:
			srcs = s.actors[b.compound].members
			how = "compound actor \"" + actorText(s, b.compound) + "\" from the pattern's %both slot: each member acts on the others"
			// A one-way code with a target after the verb: the compound
			// acts on it member by member (PETRARCH-1 makes events
			// symmetric only for "A:B" codes): "Gondor and Osgiliath have
			// postponed their meeting after X" is each of them on X.
			if rev == "" {
				ti := b.target
				if ti < 0 {
					ti = firstAfter(s, h, b.compound, b.words, code)
				}
				if ti >= 0 && ti != b.compound {
					tgts = s.actors[ti].members
					how = "compound actor \"" + actorText(s, b.compound) + "\" from the pattern's %both slot, one-way code: each member acts on " + quoteMembers(tgts) + " (the first actor after the verb)"
				}
			}
		default:
			si, ti := b.source, b.target
			sHow, tHow := "pattern $source slot", "pattern +target slot"
			if h.passive {
				if si < 0 {
					si = byActor(s, h)
					sHow = "the \"by\" actor of the passive verb"
				}
				if ti < 0 {
					ti = c.subject(s, vi)
					tHow = "the subject of the passive verb"
				}
			}
			if si < 0 && !h.passive {
				si = c.subject(s, vi)
				sHow = "the subject before the verb"
				if si >= 0 && s.actors[si].anaphor {
					sHow = "the subject before the verb (\"" + actorText(s, si) + "\" refers to the last compound actor)"
				}
			}
			if ti < 0 {
				ti = firstAfter(s, h, si, b.words, code)
				tHow = "the first actor after the verb"
				if ti >= 0 && si >= 0 && s.actors[si].compound() && mutualRoot(code) && locative(s, ti) {
					// "Colombia's government and the ELN rebels signed a
					// ceasefire in Havana", "Trump and Kim met in Hanoi":
					// where the compound met or agreed, not with whom; its
					// members act on each other.
					ti = -1
				}
			}
			if si >= 0 {
				srcs = s.actors[si].members
			} else if !h.passive && len(*lastSubject) > 0 && pronounSubject(s, h) {
				srcs = *lastSubject
				sHow = "a pronoun for the previous sentence's subject"
			}
			// "no American troops have been injured", "no country has
			// recognized it": a subject denied by "no" did not act or
			// undergo the act.
			subj := si
			if h.passive {
				subj = ti
			}
			if subj >= 0 && s.actors[subj].start > 0 && s.low[s.actors[subj].start-1] == "no" && !neg {
				neg = true
				cues = append(cues, "no")
				negToks = append(negToks, s.actors[subj].start-1)
			}
			agentless := false
			if len(srcs) == 0 && h.passive && !h.reduced && !c.Plain && ti >= 0 && tHow == "the subject of the passive verb" &&
				!neg && mod == cameo.Asserted && agentlessAct(code) {
				// "Y was attacked": who acted is unsaid; the event has a
				// target and no source, as GDELT records such events.
				// Only acts done to the subject count, asserted: not "was
				// said to be", "is allocated", "should not be allowed".
				srcs, agentless, rev = []member{{}}, true, ""
				sHow = "unnamed: a passive without \"by\""
			}
			if ti < 0 && threatens(code, cues) {
				// "threatened to strike unless Israel rescinded …": the
				// threat is aimed at whoever must meet the condition.
				if ci := conditionActor(s, h); ci >= 0 && ci != si {
					ti = ci
					tHow = "the subject of the threat's condition"
				}
			}
			if ti >= 0 {
				tgts = s.actors[ti].members
				if t := flaglessVessels(tgts, srcs, code); t != nil {
					tgts = t
					tHow += "; a vessel seized or attacked does not fly its attacker's flag"
				}
			} else if len(srcs) > 0 && placeAct(code) {
				// "fired shells at targets in Jericho", "will extend the
				// curfew in Abidjan": an act on a place acts on its country.
				if pl := placeAfter(s, h); pl != nil && !slices.ContainsFunc(srcs, func(m member) bool { return m.code == pl.m.code }) {
					tgts = []member{pl.m}
					tHow = "the place acted on, coded as its country"
				}
			}
			if len(srcs) == 0 {
				continue
			}
			if len(srcs) == 1 && len(tgts) == 1 && srcs[0].code == tgts[0].code {
				continue
			}
			// Written into howBuf, one string made at the end.
			hb := howBuf[:0]
			if agentless {
				hb = append(hb, "no source ("...)
			} else {
				hb = appendMembers(append(hb, "source "...), srcs)
				hb = append(hb, " ("...)
			}
			hb = append(append(hb, sHow...), ')')
			if len(tgts) > 0 {
				hb = appendMembers(append(hb, ", target "...), tgts)
				hb = append(append(append(hb, " ("...), tHow...), ')')
			}
			if si >= 0 && ti < 0 && s.actors[si].compound() {
				hb = append(hb, "; compound source with no target: symmetric, each member acts on the others"...)
			}
			how, howBuf = string(hb), hb
			if si >= 0 && !s.actors[si].prepObj {
				*lastSubject = srcs
			}
		}
		add := func(src, tgt member, code string, reverse bool) {
			if code == "" || code == dict.NullCode || src.code == tgt.code {
				return
			}
			r := raw{source: src, target: tgt, code: code, verb: h, pattern: pat, negated: neg, modality: mod, cues: cues, negCues: negToks, words: b.words, how: how, reverse: reverse}
			if demanded {
				r.how += "; the reported clause says what the target must do: a demand (CAMEO 10)"
				r.demand = true
			}
			out = append(out, r)
		}
		pairs := func(fn func(src, tgt member)) {
			if len(tgts) == 0 && len(srcs) == 1 {
				// No target: an event of the source alone (PETRARCH's "---").
				fn(srcs[0], member{})
				return
			}
			if len(tgts) == 0 {
				// symmetric: compound members on each other
				for i, x := range srcs {
					for j, y := range srcs {
						if i != j {
							fn(x, y)
						}
					}
				}
				return
			}
			for _, x := range srcs {
				for _, y := range tgts {
					fn(x, y)
				}
			}
		}
		pairs(func(x, y member) {
			add(x, y, code, false)
			if rev != "" && len(tgts) > 0 {
				add(y, x, rev, true)
			}
		})
	}
	// A verb that an event's pattern matched as one of its literal words
	// ("indicated should *" coding "acted") is part of that pattern, not
	// an event of its own, whichever verb came first.
	// The raws are large: these passes read them in place and keepRaws
	// moves only those kept.
	consumed := map[int]bool{}
	for i := range out {
		r := &out[i]
		for _, w := range r.words {
			if w != r.verb.head {
				consumed[w] = true
			}
		}
	}
	if len(consumed) > 0 {
		out = keepRaws(out, func(r *raw) bool { return !consumed[r.verb.head] })
	}
	out = append(out, nounEvents(s)...)
	if !c.Plain && !anyRaw(out, func(r *raw) bool { return r.source.code != "" && r.target.code != "" }) {
		out = append(out, c.nominalEvents(s)...)
	}
	// A bare statement ("said", "told") frames the sentence's real event:
	// it stands only when nothing else in the sentence is coded.
	if !c.Plain && anyRaw(out, func(r *raw) bool { return !bareStatement(r) }) {
		out = keepRaws(out, func(r *raw) bool { return !bareStatement(r) })
	}
	// An event with no source (a passive without "by") stands only when
	// no event of the sentence names who acted.
	if anyRaw(out, func(r *raw) bool { return r.source.code != "" }) {
		out = keepRaws(out, func(r *raw) bool { return r.source.code != "" })
	}
	// An event without a target stands only when the sentence has no
	// event with one: PETRARCH codes "---" targets as a last resort.
	if anyRaw(out, func(r *raw) bool { return r.target.code != "" }) {
		out = keepRaws(out, func(r *raw) bool { return r.target.code != "" || c.Plain && closingClause(s, r) })
	}
	return out
}

// agentlessAct says whether a passive without "by" codes an act done to
// its subject: investigated (09), criticized or accused (11), rejected
// (12), threatened (13), sanctioned (16), arrested or expelled (17),
// assaulted (18), attacked (19, 20), released or returned (084).
func agentlessAct(code string) bool {
	if len(code) < 2 {
		return false
	}
	switch code[:2] {
	case "09", "11", "12", "13", "16", "17", "18", "19", "20":
		return true
	}
	return strings.HasPrefix(code, "084")
}

// placeAct says whether a code acts on a place when no actor is named:
// military posture (15), coercion (17: curfews, raids), violence (18-20),
// easing of curfews and emergency rule (081). CAMEO codes a place by the
// country it lies in, as PETRARCH's dictionaries code cities.
func placeAct(code string) bool {
	if len(code) < 2 {
		return false
	}
	switch code[:2] {
	case "15", "17", "18", "19", "20":
		return true
	}
	return strings.HasPrefix(code, "081")
}

// placeAfter is the first named place after the verb in its clause, not
// the origin ("from Gaza"), not in an attribution, a relative clause or
// another comma segment or subordinate clause; nil when none.
func placeAfter(s *sentence, h *verbHit) *place {
	k := 0
	for j := h.end; j < h.hi; j++ {
		w := s.low[j]
		if w == "," || s.has(j, fSubord) || s.attrib != nil && s.attrib[j] && !s.attrib[h.head] {
			return nil
		}
		if s.rel[j] && !s.rel[h.start] {
			continue
		}
		for k < len(s.places) && s.places[k].start < j {
			k++
		}
		if k < len(s.places) && s.places[k].start == j {
			if j > 0 && s.low[j-1] == "from" {
				continue
			}
			return &s.places[k]
		}
	}
	return nil
}

// groupCues are a verb group's negation and modality cues.
type groupCues struct {
	negated  bool
	modality cameo.Modality
	cues     []string
	negToks  []int
}

// merge adds the cues of the verb that governs this one through a chain of
// infinitives: its negation holds, its modality when this verb has none.
func (g *groupCues) merge(gov *groupCues) {
	if gov.negated && !g.negated {
		g.negated = true
		g.negToks = append(g.negToks, gov.negToks...)
	}
	if g.modality == cameo.Asserted {
		g.modality = gov.modality
	}
	for _, c := range gov.cues {
		if !slices.Contains(g.cues, c) {
			g.cues = append(g.cues, c)
		}
	}
}

// bareStatement: an 01 code from a verb with no pattern ("said").
func bareStatement(r *raw) bool {
	return r.pattern == nil && !r.demand && strings.HasPrefix(r.code, "01")
}

// meetingNouns are nouns that report a meeting when they name the two
// sides: "talks between the two countries" (CAMEO 046 negotiation, 040
// consultation). Each side acts on the other.
var meetingNouns = map[string]string{"talks": "046", "negotiations": "046", "discussions": "046",
	"meeting": "040", "meetings": "040", "summit": "040", "consultations": "040"}

// nounEvents codes "NOUN between A and B" where NOUN names a meeting.
func nounEvents(s *sentence) []raw {
	var out []raw
	for i := 0; i+2 < len(s.low); i++ {
		if !s.has(i, fMeeting) || s.low[i+1] != "between" {
			continue
		}
		code, ok := meetingNouns[s.low[i]]
		if !ok {
			continue
		}
		q := i + 2
		if s.has(q, fDet) && q+1 < len(s.low) {
			q++
		}
		ai := s.actorAt[q]
		if ai < 0 || !s.actors[ai].compound() {
			continue
		}
		h := &verbHit{head: i, start: i, end: i + 1, noun: true, subject: ai}
		ms := s.actors[ai].members
		how := "the meeting noun \"" + s.low[i] + " between\" with compound actor \"" + actorText(s, ai) + "\": each member acts on the others (detente's meeting-noun rule, docs/coding.md)"
		for x := range ms {
			for y := range ms {
				if x != y && ms[x].code != ms[y].code {
					out = append(out, raw{source: ms[x], target: ms[y], code: code, verb: h, how: how})
				}
			}
		}
	}
	return out
}

// choose finds the verb entry and pattern that code hit h: every entry of
// the verb form competes; the most specific matching pattern wins, and
// without one the last entry's bare code (the hand-written supplement
// overrides the generated file). It changes nothing in s.
func (c *Coder) choose(s *sentence, h *verbHit) (binding, *cpattern, *cverb) {
	b := binding{source: -1, target: -1, compound: -1}
	var pat *cpattern
	// Without a pattern, the last entry that codes the bare verb: a
	// supplement entry with "---" adds patterns, it does not unsay the
	// generated verb's own code.
	cv := h.verbs[len(h.verbs)-1]
	for k := len(h.verbs) - 1; k >= 0; k-- {
		if c := h.verbs[k].code; c != dict.NullCode && c != "" {
			cv = h.verbs[k]
			break
		}
	}
	// A verb the supplement (a later file) codes itself sets its family:
	// patterns of the earlier, generated file that code another root are
	// PETRARCH-2 noise for this verb ("demanded … community" → 027).
	supRoot := uint32(0) // rootKey of the two bytes; 0: none
	if first := h.verbs[0].file; cv.file != first && len(cv.code) >= 2 && cv.code != dict.NullCode {
		supRoot = rootKey(cv.code[:2])
	}
	// What the clause holds before and after the verb, where a pattern's
	// elements are matched.
	var sig clauseSig
	c.addSide(&sig, sideBefore, s.ids[h.lo:h.start])
	c.addSide(&sig, sideAfter, s.ids[h.end:h.hi])
	// Later files first: on equal weight the supplement's pattern wins.
	for k := len(h.verbs) - 1; k >= 0; k-- {
		v := h.verbs[k]
		gen := supRoot != 0 && v.file == h.verbs[0].file
		for i := range v.gates {
			g := &v.gates[i]
			if pat != nil && int(g.weight) <= pat.weight {
				break
			}
			if gen && g.root != supRoot {
				continue // strings.HasPrefix(code, supRoot) is false
			}
			p := &v.patterns[i]
			if !sig.admits(g, p) {
				continue // a word the pattern needs is not in the clause
			}
			if bb, ok := c.match(s, h, p); ok {
				b, pat, cv = bb, p, v
				break
			}
		}
	}
	return b, pat, cv
}

// sourceFile is the file part of a "file:line" source.
func sourceFile(src string) string {
	if i := strings.LastIndexByte(src, ':'); i >= 0 {
		return src[:i]
	}
	return src
}

// codes says whether hit h, used as a verb, would code an event.
func (c *Coder) codes(s *sentence, h *verbHit) bool {
	if h.noun {
		return false
	}
	_, pat, cv := c.choose(s, h)
	code, rev := cv.code, cv.rev
	if pat != nil {
		code, rev = pat.p.Code, pat.p.ReverseCode
	}
	return code != dict.NullCode && (code != "" || rev != "")
}

// demandVerbs report what someone must do even when the dictionary codes
// them otherwise.
var demandVerbs = map[string]bool{"declared": true, "declares": true, "concluded": true, "insisted": true,
	"insists": true, "demanded": true, "demands": true, "warned": true, "warns": true, "stressed": true,
	"reminded": true, "ruled": true, "argued": true}

// actNouns name an act by the verb whose code they carry when a statement
// announces them ("announced a suspension of …" codes the suspension).
var actNouns = map[string]string{"suspension": "suspend", "withdrawal": "withdraw", "closure": "close",
	"expulsion": "expel", "boycott": "boycott", "ban": "ban", "embargo": "embargo", "freeze": "freeze",
	"halt": "halt", "cutoff": "cut", "severance": "sever", "resumption": "resume", "release": "release",
	"pullout": "pull", "blockade": "blockade", "ceasefire": "ceasefire", "recognition": "recognize"}

// announcedAct: a statement verb followed by "a/the … NOUN" where NOUN
// names an act: the act's own code, "" when none.
func (c *Coder) announcedAct(s *sentence, h *verbHit) (string, string) {
	for j := h.end; j < h.hi && j <= h.end+3; j++ {
		w := s.low[j]
		if lemma, ok := actNouns[w]; ok && j > h.end && s.has(j-1, fDet) {
			vs := c.lex.info(lemma).verbs
			if len(vs) == 0 {
				return "", ""
			}
			// The noun's object follows "of": match the verb's patterns there.
			n := &verbHit{head: j, start: j, end: j + 1, verbs: vs, lo: h.lo, hi: h.hi, subject: -1, subjSet: true}
			if n.end < h.hi && s.low[n.end] == "of" {
				n.end++
			}
			_, pat, cv := c.choose(s, n)
			code := cv.code
			if pat != nil {
				code = pat.p.Code
			}
			if code == "" || code == dict.NullCode || strings.HasPrefix(code, "01") {
				return "", ""
			}
			return code, w
		}
		if !s.has(j, fDet) && !strings.HasSuffix(w, "ly") && !strings.HasSuffix(w, "day") {
			if j > h.end && !s.has(j-1, fDet) {
				return "", ""
			}
		}
	}
	return "", ""
}

// subjunctiveVerbs take "that ACTOR VERB" as a demand ("demanded that
// Hamas renounce", "demanding that the government provide").
var subjunctiveVerbs = map[string]bool{"demanded": true, "demand": true, "demands": true, "demanding": true,
	"insisted": true, "insist": true, "insists": true, "insisting": true}

// mustWords open an obligation in a reported clause.
var mustWords = map[string]bool{"must": true, "should": true}

// mustClause finds "[that] ACTOR … must" (or "ACTOR should", "ACTOR has
// to") after a reporting verb and returns the actor, -1 when none; also
// "demanded that ACTOR VERB" (the subjunctive: "that Hamas renounce").
func mustClause(s *sentence, h *verbHit) int {
	j := h.end
	for pass := 0; pass < 2; pass++ {
		from := j
		for j < h.hi && j < from+6 && s.actorAt[j] < 0 {
			w := s.low[j]
			if w != "that" && w != "on" && w != "," && !s.has(j, fDet) && !strings.HasSuffix(w, "day") && w != "today" && w != "yesterday" && !strings.HasSuffix(w, "ly") {
				return -1
			}
			j++
		}
		if j >= h.hi || s.actorAt[j] < 0 {
			return -1
		}
		// "told CNN that a target must …": the addressee is not who is
		// obligated; the reported clause's subject is.
		if e := s.actors[s.actorAt[j]].end; pass == 0 && j == h.end && e < h.hi && s.low[e] == "that" {
			j = e + 1
			continue
		}
		break
	}
	ai := s.actorAt[j]
	subj := false
	for k := h.end; k < j; k++ {
		subj = subj || s.low[k] == "that" && s.has(h.head, fSubjunctive)
	}
	for k := s.actors[ai].end; k < h.hi && k <= s.actors[ai].end+4; k++ {
		w := s.low[k]
		if s.has(k, fMust) || (w == "has" || w == "have" || w == "need" || w == "needs") && k+1 < h.hi && s.low[k+1] == "to" {
			return ai
		}
		if subj && s.verbAt[k] {
			return ai
		}
		if isPunct(w) || s.verbAt[k] {
			break
		}
	}
	return -1
}

// cueVerbs are the modality verbs whose infinitive carries the event:
// intent ("offered to", "plans to"), refusal ("refused to"), threat
// ("threatened to"), continuation ("continued to"); verbGroup reads them
// as cues of the governed verb.
var cueVerbs = func() map[string]bool {
	m := map[string]bool{"continue": true, "continues": true, "continued": true, "try": true, "tried": true,
		"tries": true, "attempt": true, "attempted": true, "attempts": true, "begin": true, "began": true, "begins": true,
		"start": true, "started": true, "starts": true, "swore": true, "sworn": true, "vowed": true, "committed": true,
		"moved": true, "move": true, "moves": true, "resolved": true, "decide": true, "decided": true, "decides": true}
	for w := range intentVerbs {
		m[w] = true
	}
	for w := range refuseVerbs {
		m[w] = true
	}
	return m
}()

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// governs says whether verb a governs verb b as "a to b" ("agreed to
// restore", "promised to provide").
func governs(s *sentence, a, b *verbHit) bool {
	if a.noun || b.start < a.end+1 || b.start > a.end+2 {
		return false
	}
	if b.start == a.end+2 && s.actorAt[a.end] >= 0 {
		return false // "urged Iran to attack": the infinitive has its own subject
	}
	return s.low[b.start-1] == "to"
}

// deniedBy says whether verb vi is the act the verb right before it
// denies: a gerund or a clause after "deny" in the same clause, within ten
// words ("denied attacking", "denied having attacked", "denied that Russian
// forces had used"), not a verb coordinated with the denial ("denied the
// report and attacked").
func deniedBy(s *sentence, vi int) bool {
	if vi == 0 {
		return false
	}
	d, h := s.verbs[vi-1], s.verbs[vi]
	if d.noun || d.verb == nil || d.verb.lemma != "deny" || h.start-d.end > 10 {
		return false
	}
	for t := d.end; t < h.start; t++ {
		if boundary(s.low[t]) || s.verbAt[t] || endsDenial(s, t) {
			return false
		}
	}
	if h.start > d.end {
		switch s.low[h.start-1] {
		case "and", "or", "then":
			return false
		}
	}
	return true
}

// endsDenial says whether token t ends what a denial denies: a comma,
// "but" or a subordinator other than the "that" a denied clause opens with
// ("denied involvement, although rebels it backs have launched attacks").
func endsDenial(s *sentence, t int) bool {
	w := s.low[t]
	return w == "," || w == "but" || s.has(t, fSubord) && w != "that"
}

// unrealizedControl are verbs whose object is asked, told, allowed or
// wanted to act: "urged Iran to attack Israel" reports no attack.
var unrealizedControl = map[string]bool{"want": true, "urge": true, "ask": true, "call": true, "press": true,
	"pressure": true, "push": true, "encourage": true, "invite": true, "allow": true, "permit": true,
	"authorize": true, "order": true, "demand": true, "tell": true, "advise": true, "warn": true,
	"request": true, "appeal": true, "expect": true, "instruct": true, "challenge": true, "persuade": true}

// controlCue says whether the infinitive at token j ("to") follows "VERB
// ACTOR" with VERB an unrealized-control verb, and returns the cue.
func controlCue(s *sentence, j int) (string, bool) {
	if j < 1 {
		return "", false
	}
	ai := s.actorAt[j-1]
	if ai < 0 || s.actors[ai].end != j {
		return "", false
	}
	k := s.actors[ai].start
	if k > 0 && s.has(k-1, fDet) {
		k--
	}
	if k > 0 && s.low[k-1] == "on" {
		k-- // "called on X to"
	}
	for _, v := range s.verbs {
		if v.end == k && !v.noun && len(v.verbs) > 0 && unrealizedControl[v.verbs[len(v.verbs)-1].lemma] {
			return s.low[v.head] + " " + s.low[j-1] + " to", true
		}
	}
	return "", false
}

// nounEvent: a noun use still codes when it names a meeting between
// actors: "talks between the two countries", "meeting with Gondor".
func nounEvent(s *sentence, h *verbHit) bool {
	if h.end < len(s.low) && (s.low[h.end] == "between" || s.low[h.end] == "with") {
		q := h.end + 1
		if q < len(s.low) && s.has(q, fDet) {
			q++
		}
		return q < len(s.low) && s.actorAt[q] >= 0
	}
	return false
}

// subject finds the subject actor of verb hit vi.
func (c *Coder) subject(s *sentence, vi int) int {
	h := s.verbs[vi]
	if h.subjSet {
		return h.subject
	}
	h.subjSet = true
	start := groupStart(s, h)
	// "called on Iran to stop attacks": the controlled infinitive's subject
	// is the actor asked, even after a preposition.
	if start > 0 && s.low[start] == "to" {
		if _, ok := controlCue(s, start); ok {
			h.subject = s.actorAt[start-1]
			return h.subject
		}
	}
	// Relative clause: the antecedent before ", which".
	if s.rel[h.start] {
		j := h.start
		for j > 0 && s.rel[j-1] {
			j--
		}
		if j >= 2 && s.low[j-1] == "," && s.actorAt[j-2] >= 0 {
			h.subject = s.actorAt[j-2]
			return h.subject
		}
	}
	// Coordinated verb phrase: "… and promised aid": the previous verb's subject.
	if start > 0 && (s.low[start-1] == "and" || s.low[start-1] == "but" || s.low[start-1] == "or") && vi > 0 {
		// The previous verb of the clause, not a participle modifying
		// an object ("opened its borders to Africans ordered out of
		// Nigeria, but was refusing").
		k := vi - 1
		for k > 0 && (s.verbs[k].reduced || s.verbs[k].noun) {
			k--
		}
		h.subject = c.subject(s, k)
		return h.subject
	}
	// "the noun talks between X and Y": the compound after "between".
	if h.noun && h.end < len(s.low) && s.low[h.end] == "between" {
		q := h.end + 1
		if q < len(s.low) && s.has(q, fDet) {
			q++
		}
		if q < len(s.low) && s.actorAt[q] >= 0 {
			h.subject = s.actorAt[q]
			return h.subject
		}
	}
	// "X announced that they are willing to forgive Y", "X was quoted as
	// saying he would host": a pronoun opening a reported clause is the
	// reporter.
	if k := reportedPronoun(s, vi); k >= 0 {
		h.subject = c.subject(s, k)
		return h.subject
	}
	fallback := -1
	for j := start - 1; j >= h.lo; j-- {
		if s.rel[j] && !s.rel[h.start] {
			continue
		}
		ai := s.actorAt[j]
		if ai < 0 {
			// A subordinate clause ("after crowds burned", "agree that
			// disputes should be resolved") has its own subject: the
			// words after the subordinator. An actor among them ("after
			// Calenardhon crowds") is it; otherwise the subject is no
			// actor, and the main clause's does not reach in. Right
			// after the subordinator ("after meeting") the verb shares
			// the main subject.
			if s.has(j, fSubord) && j < start-1 && !(s.low[j] == "that" && j+1 < len(s.low) && s.verbAt[j+1]) {
				h.subject = fallback
				return fallback
			}
			continue
		}
		a := &s.actors[ai]
		j = a.start
		if !a.prepObj {
			h.subject = ai
			return ai
		}
		if fallback < 0 {
			fallback = ai
		}
	}
	h.subject = fallback
	return fallback
}

// subjectPronouns stand for an actor named before.
var subjectPronouns = map[string]bool{"he": true, "she": true, "they": true, "it": true, "we": true}

// reportedPronoun finds the reporting verb whose subject a pronoun subject
// of verb vi stands for: the pronoun opens the verb's clause (auxiliaries,
// adverbs and intent words such as "willing to" between) right after
// "that" or the reporting verb itself, and that verb reports (a statement
// code or a reporting word). It returns the reporting verb's index, -1
// when there is none.
func reportedPronoun(s *sentence, vi int) int {
	h := s.verbs[vi]
	j := h.start - 1
	for j > h.lo && (s.has(j, fAux) || s.has(j, fIntent) || strings.HasSuffix(s.low[j], "ly")) && s.actorAt[j] < 0 {
		j--
	}
	if j <= h.lo || !s.has(j, fSubjPron) {
		return -1
	}
	p := j - 1
	if s.low[p] == "that" && p > h.lo {
		p--
	}
	for p > h.lo && s.actorAt[p] < 0 && (strings.HasSuffix(s.low[p], "day") || s.low[p] == "today" || s.low[p] == "yesterday") {
		p-- // "announced yesterday that they …"
	}
	for k := vi - 1; k >= 0; k-- {
		v := s.verbs[k]
		if v.noun || v.end-1 != p {
			continue
		}
		if s.has(v.head, fReport) || s.has(v.head, fDemand) || s.low[v.head] == "saying" || v.verb != nil && strings.HasPrefix(v.verb.code, "01") ||
			len(v.verbs) > 0 && strings.HasPrefix(v.verbs[len(v.verbs)-1].code, "01") {
			return k
		}
		return -1
	}
	return -1
}

// subordinators open a subordinate clause with its own subject.
var subordinators = map[string]bool{"that": true, "after": true, "before": true, "when": true, "while": true,
	"because": true, "although": true, "though": true, "since": true, "until": true, "whereas": true,
	"if": true, "unless": true, "where": true, "as": true}

// byActor finds "by X" after a passive verb; up to two modifiers may stand
// between ("by current Haitian government officials").
func byActor(s *sentence, h *verbHit) int {
	for j := h.end; j < h.hi-1; j++ {
		if s.low[j] == "by" {
			q := j + 1
			if s.has(q, fDet) && q+1 < h.hi {
				q++
			}
			for k := q; k < h.hi && k <= q+2; k++ {
				if ai := s.actorAt[k]; ai >= 0 {
					return ai
				}
				if isPunct(s.low[k]) || s.verbAt[k] || s.has(k, fPrep) || s.low[k] == "and" {
					break
				}
			}
		}
	}
	return -1
}

// firstAfter finds the first actor after the verb in its clause, other than
// the source and the passive's "by" actor. An actor made only of the
// pattern's own words ("continue military aid") and the source's own
// forces ("offered its troops to X", "mobilized army reservists against
// X") are not acted on: the next actor is.
func firstAfter(s *sentence, h *verbHit, src int, words []int, code string) int {
	for j := h.end; j < h.hi; j++ {
		if s.rel[j] && !s.rel[h.start] {
			continue
		}
		if s.low[j] == "said" || s.low[j] == "says" || s.attrib != nil && s.attrib[j] && !s.attrib[h.head] {
			break // the attribution names who reports, not who is acted on
		}
		if s.has(j, fCondition) && j > h.end {
			break // "will not accept refugees if war starts in Iraq": another clause's actor
		}
		ai := s.actorAt[j]
		if ai < 0 || ai == src {
			continue
		}
		a := &s.actors[ai]
		if h.passive && j > 0 && s.low[j-1] == "by" {
			j = a.end - 1
			continue
		}
		if patternWords(a, words) || ownActor(s, ai, src, code) || placeBeforeAgainst(s, ai, h.hi) {
			j = a.end - 1
			continue
		}
		if takesClause(s, h, code) && startsClause(s, a.end) {
			// "said both countries agreed": the subject of a reported
			// clause, not the reporting verb's object.
			return -1
		}
		return ai
	}
	return -1
}

// mutualRoot says whether code is an intent, consultation, diplomatic or
// material cooperation (CAMEO roots 03 to 06): the acts a compound subject
// does with its own members.
func mutualRoot(code string) bool { return rootIn(code, "03", "06") }

// rootIn says whether code's CAMEO root, its first two digits, lies
// between lo and hi ("14", "20").
func rootIn(code, lo, hi string) bool {
	return len(code) >= 2 && code[:2] >= lo && code[:2] <= hi
}

// locative says whether actor ai follows "in" or "at": a place named as
// where something happened ("in Havana", "at the United Nations").
func locative(s *sentence, ai int) bool {
	st := s.actors[ai].start
	if st > 0 && s.has(st-1, fDet) {
		st--
	}
	return st > 0 && (s.low[st-1] == "in" || s.low[st-1] == "at")
}

// forcedObjectNoun says whether verb vi, an -s form right after a named
// actor that is the object of the force (CAMEO 18 to 20) coded by verb
// vi-1, is a plural noun that actor modifies: "struck Hezbollah targets",
// "bombed Taliban positions" — force is done to a side's targets,
// positions and bases, and an object starts no clause of its own.
func forcedObjectNoun(s *sentence, vi int) bool {
	h, prev := s.verbs[vi], s.verbs[vi-1]
	w := s.low[h.head]
	if h.start != h.head || h.end != h.head+1 || !strings.HasSuffix(w, "s") || strings.HasSuffix(w, "ss") {
		return false
	}
	ai := s.actorAt[h.head-1]
	if ai < 0 || s.actors[ai].end != h.head || s.actors[ai].start != prev.end || s.actors[ai].compound() {
		return false
	}
	// A name, not a sector word ("launched military strikes").
	return capitalized(s.toks[s.actors[ai].start].Text)
}

// flaglessVessels is tgts with the vessels that borrowed a source's
// country made countryless, when code is material conflict (CAMEO 14 to
// 20); nil when there are none. The ships a state seizes or attacks are
// mostly other flags' ("Iran seized an oil tanker in the Gulf"): the
// attacker's country says nothing of the vessel's, and its own ships
// would be "its tankers".
func flaglessVessels(tgts, srcs []member, code string) []member {
	if !rootIn(code, "14", "20") {
		return nil
	}
	var out []member
	for k, m := range tgts {
		if !m.borrowed || len(m.code) < 3 || !vessel(m.text) ||
			!slices.ContainsFunc(srcs, func(sm member) bool { return country(sm.code) == m.country }) {
			continue
		}
		if out == nil {
			out = slices.Clone(tgts)
		}
		out[k].code, out[k].country, out[k].borrowed = "---"+m.code[3:], "", false
	}
	return out
}

// vessel says whether a mention's last word names a ship.
func vessel(text string) bool {
	w := strings.ToLower(text[strings.LastIndexByte(text, ' ')+1:])
	switch strings.TrimSuffix(w, "s") {
	case "tanker", "freighter", "ship", "vessel", "trawler", "supertanker":
		return true
	}
	return false
}

// placeBeforeAgainst says whether actor ai is a country or city after "in"
// with an actor after "against" at most two words on, before hi:
// "protested in Brussels against EU policies", "authorized airstrikes in
// Syria against the Islamic State" name where the act was and, after
// "against", whom it opposed.
func placeBeforeAgainst(s *sentence, ai, hi int) bool {
	a := &s.actors[ai]
	if a.start == 0 || s.low[a.start-1] != "in" {
		return false
	}
	for _, m := range a.members {
		if m.code != m.country {
			return false
		}
	}
	for k := a.end; k < hi && k <= a.end+2; k++ {
		if isPunct(s.low[k]) || s.verbAt[k] {
			return false
		}
		if s.low[k] != "against" {
			continue
		}
		for q := k + 1; q < hi && q <= k+3; q++ {
			if s.actorAt[q] >= 0 {
				return true
			}
			if isPunct(s.low[q]) || s.verbAt[q] || s.has(q, fPrep) {
				return false
			}
		}
		return false
	}
	return false
}

// conditionWords open a condition or concession whose actors are not the
// main verb's objects.
var conditionWords = map[string]bool{"if": true, "unless": true, "although": true, "though": true, "whereas": true}

// patternWords: every token of actor a is a literal word of the matched
// pattern ("military" in "continue military aid").
func patternWords(a *actor, words []int) bool {
	for t := a.start; t < a.end; t++ {
		if !contains(words, t) {
			return false
		}
	}
	return len(words) > 0
}

// ownActor says whether actor ai belongs to the source: after a possessive
// pronoun ("its troops", "their forces") or, for a military posture (CAMEO
// 15), a sector word that took the source's country ("Britain mobilized
// army reservists").
func ownActor(s *sentence, ai, src int, code string) bool {
	a := &s.actors[ai]
	same := func() bool {
		for _, m := range a.members {
			if strings.HasPrefix(m.code, "---") {
				continue
			}
			if src < 0 {
				return false
			}
			ok := false
			for _, sm := range s.actors[src].members {
				if country(sm.code) == country(m.code) {
					ok = true
				}
			}
			if !ok {
				return false
			}
		}
		return true
	}
	if a.start > 0 {
		switch s.low[a.start-1] {
		case "its", "their", "his", "her", "own":
			return same()
		}
	}
	if strings.HasPrefix(code, "15") || strings.HasPrefix(code, "06") || strings.HasPrefix(code, "07") {
		// A military posture on one's own sector words, or armed forces
		// sent, given or lent: "Israel sent ground troops into Gaza" is
		// not cooperation with Israel's own troops.
		for _, m := range a.members {
			if !m.borrowed || !strings.HasPrefix(code, "15") && !forces(m.code) {
				return false
			}
		}
		return same()
	}
	return false
}

// forces says whether an actor code names armed or police forces.
func forces(code string) bool {
	if len(code) < 6 {
		return false
	}
	for _, a := range []string{"MIL", "COP", "SPY", "UAF"} {
		if strings.Contains(code[3:], a) {
			return true
		}
	}
	return false
}

// country is the first three letters of an actor code.
func country(code string) string {
	if len(code) > 3 {
		return code[:3]
	}
	return code
}

// clauseVerbs take a reported clause without "that" ("believes Iran
// wants", "warned Israel would pay") besides the statement and reporting
// verbs.
var clauseVerbs = map[string]bool{"believe": true, "think": true, "hope": true, "fear": true, "expect": true,
	"warn": true, "deny": true, "admit": true, "suggest": true, "agree": true, "acknowledge": true,
	"predict": true, "know": true, "accuse": true, "allege": true, "charge": true, "insist": true, "argue": true,
	"reply": true, "respond": true, "state": true, "note": true, "add": true, "signal": true, "indicate": true}

// takesClause says whether the verb may report a clause whose subject
// follows it ("said both countries agreed"); other verbs take the actor
// after them as their object even when a verb form follows it ("shelled
// rebel positions").
func takesClause(s *sentence, h *verbHit, code string) bool {
	return strings.HasPrefix(code, "01") || s.has(h.head, fReport|fDemand|fSubjunctive) ||
		h.verb != nil && clauseVerbs[h.verb.lemma]
}

// startsClause says whether a verb group begins at token j: the actor
// before it is a subject.
func startsClause(s *sentence, j int) bool {
	for _, h := range s.verbs {
		if h.start >= j && !h.noun {
			g := groupStart(s, h)
			if g > j || h.reduced {
				return false
			}
			// "allowed X to participate", "X following the talks": an
			// infinitive or a bare participle has no subject of its own;
			// the actor is the verb's object.
			if s.low[g] == "to" || g == h.start && strings.HasSuffix(s.low[h.head], "ing") {
				return false
			}
			return true
		}
	}
	return false
}

// pronounSubject: the verb's clause starts with a pronoun subject.
func pronounSubject(s *sentence, h *verbHit) bool {
	st := groupStart(s, h)
	if st == 0 {
		return false
	}
	switch s.low[st-1] {
	case "it", "he", "she", "they":
		return true
	}
	return false
}

// auxWords may stand in a verb group between the subject and the verb.
var auxWords = map[string]bool{"will": true, "would": true, "shall": true, "should": true, "can": true, "could": true,
	"may": true, "might": true, "must": true, "not": true, "n't": true, "never": true, "has": true, "have": true,
	"had": true, "is": true, "are": true, "was": true, "were": true, "be": true, "been": true, "being": true,
	"do": true, "does": true, "did": true, "to": true, "also": true, "again": true, "already": true, "'ll": true,
	"'d": true, "'s": false, "no": true, "longer": true, "about": true, "just": true, "still": true, "jointly": true,
	"reportedly": true, "allegedly": true, "formally": true, "officially": true, "once": true, "yet": true,
	"cannot": true, "wo": true, "ca": true}

// groupStart is the first token of the verb group (auxiliaries, negation,
// adverbs before the verb).
func groupStart(s *sentence, h *verbHit) int {
	j := h.start
	for j > h.lo {
		p := s.low[j-1]
		if s.has(j-1, fAux) || (strings.HasSuffix(p, "ly") && s.actorAt[j-1] < 0) {
			j--
			continue
		}
		break
	}
	return j
}

var intentVerbs = map[string]bool{"plan": true, "plans": true, "planned": true, "planning": true, "intend": true,
	"intends": true, "intended": true, "aim": true, "aims": true, "want": true, "wants": true, "wanted": true,
	"seek": true, "seeks": true, "sought": true, "vow": true, "vowed": true, "vows": true, "pledge": true,
	"pledged": true, "promise": true, "promised": true, "hope": true, "hopes": true, "hoped": true, "expect": true,
	"expects": true, "expected": true, "prepare": true, "prepares": true, "prepared": true, "offer": true,
	"offered": true, "threaten": true, "threatened": true, "threatens": true,
	"agree": true, "agreed": true, "agrees": true, "ready": true, "willing": true, "set": true, "likely": true,
	"going": true, "poised": true, "committed": true, "determined": true, "eager": true, "keen": true,
	"resolved": true}

var refuseVerbs = map[string]bool{"refuse": true, "refused": true, "refuses": true, "decline": true, "declined": true,
	"declines": true, "fail": true, "failed": true, "fails": true, "reject": true, "rejected": true, "unwilling": true}

// agreementNouns name an agreement that, once reached, commits to an act.
var agreementNouns = map[string]bool{"agreement": true, "consensus": true, "deal": true, "understanding": true, "accord": true}

// reachedBefore says whether a form of "reach" stands within three words
// (no punctuation) before token i: "reached a broad consensus".
func reachedBefore(s *sentence, i, lo int) bool {
	for k := i - 1; k >= lo && k >= i-3; k-- {
		switch s.low[k] {
		case "reach", "reached", "reaches", "reaching":
			return true
		}
		if isPunct(s.low[k]) {
			return false
		}
	}
	return false
}

// verbGroup reads negation and modality cues before the verb: "will not",
// "plans to", "could", "if".
func verbGroup(s *sentence, h *verbHit) (negated bool, m cameo.Modality, cues []string, negToks []int) {
	m = cameo.Asserted
	set := func(nm cameo.Modality, cue string) {
		if m == cameo.Asserted || nm == cameo.Conditional {
			m = nm
		}
		cues = append(cues, cue)
	}
	j := h.start - 1
	for ; j >= h.lo && j >= h.start-8; j-- {
		w := s.low[j]
		switch {
		case w == "not" || w == "n't" || w == "never":
			negated = true
			cues = append(cues, w)
			negToks = append(negToks, j)
		case w == "no" && j+1 < len(s.low) && s.low[j+1] == "longer":
			negated = true
			cues = append(cues, "no longer")
			negToks = append(negToks, j)
		case w == "cannot":
			negated = true
			negToks = append(negToks, j)
			set(cameo.Hypothetical, w)
		case w == "will" || w == "shall" || w == "'ll" || w == "wo" && j+1 < len(s.low) && s.low[j+1] == "n't":
			set(cameo.Future, w)
		case w == "would" || w == "'d":
			set(cameo.Future, w)
		case w == "could" || w == "may" || w == "might" || w == "can" || w == "should" || w == "must" || w == "ca" && j+1 < len(s.low) && s.low[j+1] == "n't":
			set(cameo.Hypothetical, w)
		case w == "to":
			if cue, ok := controlCue(s, j); ok {
				// "urged Iran to attack", "allowed Israel to attack": the
				// act is asked for or permitted, not done. It keeps its code
				// (PLOVER codes the urged act) with the hypothetical mode.
				set(cameo.Hypothetical, cue)
				j = -1
				break
			}
			if j > 0 {
				p := s.low[j-1]
				if j > 1 && !s.has(j-1, fRefuse|fIntent) {
					// "threatened today to hold a strike", "agreed in
					// principle on Saturday to provide": up to five words
					// (no punctuation, actor or verb) between.
					for k := j - 2; k >= h.lo && k >= j-6; k-- {
						if isPunct(s.low[k+1]) || s.actorAt[k+1] >= 0 || s.verbAt[k+1] {
							break
						}
						if s.has(k, fRefuse) || s.has(k, fIntent) {
							j = k + 1
							p = s.low[k]
							break
						}
					}
				}
				switch {
				case agreementNouns[p] && reachedBefore(s, j-1, h.lo):
					// "reached a consensus to exchange information": an
					// agreement reached to act is an intent, as "agreed to".
					set(cameo.Intent, "reached "+p+" to")
					j = -1
				case refuseVerbs[p]:
					negated = true
					cues = append(cues, p+" to")
					negToks = append(negToks, j-1)
					j--
				case intentVerbs[p]:
					set(cameo.Intent, p+" to")
					j--
				case beForms[p] || p == "about":
					set(cameo.Future, p+" to")
					j--
				}
			}
		case s.has(j, fAux) || strings.HasSuffix(w, "ly"):
		default:
			j = -1 // end of the verb group
		}
		if j < 0 {
			break
		}
	}
	// "if" / "unless" earlier in the clause: conditional.
	for k := h.start - 1; k >= h.lo; k-- {
		if s.low[k] == "if" || s.low[k] == "unless" {
			set(cameo.Conditional, s.low[k])
			break
		}
	}
	// "may halt its efforts if …", "will boycott … unless …": a modal act
	// with its condition after it is conditional too.
	if m == cameo.Future || m == cameo.Hypothetical {
		for k := h.end; k < h.hi && k < len(s.low); k++ {
			if s.low[k] == "if" || s.low[k] == "unless" {
				set(cameo.Conditional, s.low[k])
				break
			}
		}
	}
	return negated, m, cues, negToks
}

// event turns a raw event into a detente.Event with one mention.
func (c *Coder) event(a *detente.Article, s *sentence, r raw, date string, loc *detente.Location, root bool) (detente.Event, bool) {
	code := r.code
	var res cameo.Resolution
	rule := ""
	if c.Plain {
		// The dictionary's own patterns may spell out the negation
		// ("&NEGATVAUXVRB * over efforts"): then the code stands.
		if r.negated && !consumed(r.negCues, r.words) {
			return detente.Event{}, false
		}
		r.negated = false
		res.Code = code
		res.Plover, _ = cameo.PLOVER(code)
		res.Mode = res.Plover.Mode
	} else {
		var ok bool
		res, ok = cameo.Resolve(code, r.negated, r.modality)
		if t, yes := conditionalThreat(code, r.negated, r.cues); yes {
			// CAMEO 13: "will/may do harm unless/if …" threatens that harm.
			res, ok = cameo.Resolve(t, false, cameo.Asserted)
			res.Rule = "CAMEO 13 (threaten): a conflictual act promised on a condition is a threat"
			if m := r.modality.Mode(); m != "" {
				res.Mode = m // the threat holds on its condition
			}
		}
		if !ok && r.negated && refusal(r.cues) {
			// "declined to resign": an act with no opposite, refused, is a
			// refusal (CAMEO 12; refusing to yield is 124).
			rc := "120"
			if strings.HasPrefix(code, "08") {
				rc = "124"
			}
			res, ok = cameo.Resolve(rc, false, cameo.Asserted)
			res.Rule = "CAMEO 12: refusing an act with no opposite code is a rejection"
		}
		if !ok {
			return detente.Event{}, false
		}
		rule = res.Rule
		if t, ok := threatCode(res.Code, r.cues); ok {
			res.Code, rule = t, "CAMEO 13 (threaten): a threatened conflictual act is a threat of its kind"
			res.Plover, _ = cameo.PLOVER(t)
			res.Mode = res.Plover.Mode
		}
	}
	cd, ok := cameo.Lookup(res.Code)
	if !ok {
		// A code outside CAMEO (test dictionaries use such): keep its digits.
		cd = cameo.Code{Code: res.Code, Base: prefix(res.Code, 3), Root: prefix(res.Code, 2)}
	}
	h := r.verb
	if h.verb == nil {
		return c.nounEvent(a, s, r, res, date, loc, root)
	}
	verbSpan := detente.Span{Start: s.toks[h.start].Start, End: s.toks[h.end-1].End}
	// The ID and the explanation are written into one scratch buffer and
	// made one string, which both slice: one allocation where the ID, the
	// quoted verb and the explanation's builder took four.
	var scratch []byte
	if s.buf != nil {
		scratch = s.buf.expl
	}
	expl := appendEventID(scratch[:0], a.ID, s.index, r.source.code, r.target.code, res.Code)
	expl = append(expl, "verb "...)
	if h.end-h.start == 1 {
		expl = strconv.AppendQuote(expl, s.low[h.start])
	} else {
		expl = strconv.AppendQuote(expl, strings.Join(s.low[h.start:h.end], " "))
	}
	if r.pattern != nil {
		expl = append(expl, " ("...)
		expl = append(expl, h.verb.phrase...)
		expl = append(expl, ") matched pattern "...)
		expl = append(expl, r.pattern.expl...)
	} else {
		expl = append(expl, ' ')
		expl = append(expl, h.verb.bare...)
	}
	if r.reverse {
		expl = append(expl, "; reverse event (target acts on source)"...)
	}
	expl = append(expl, "; "...)
	expl = append(expl, r.how...)
	if h.passive {
		expl = append(expl, "; passive voice"...)
	}
	if len(r.cues) > 0 {
		expl = append(expl, "; cues: "...)
		for i, cue := range r.cues {
			if i > 0 {
				expl = append(expl, ", "...)
			}
			expl = append(expl, cue...)
		}
	}
	if res.Code != code {
		expl = fmt.Appendf(expl, "; %s → %s by rule %s", code, res.Code, rule)
	}
	if s.buf != nil {
		s.buf.expl = expl
	}
	idExpl := string(expl)
	conf := confidence(s, r)
	e := detente.Event{
		ID: idExpl[:eventIDLen], Source: r.source.code, Target: r.target.code,
		CAMEO: res.Code, Base: cd.Base, Root: cd.Root, Quad: cd.Quad, Goldstein: cd.Goldstein,
		PLOVER: res.Plover.Type, Mode: res.Mode, Negated: r.negated, Date: date, Location: loc,
		Mentions: s.buf.mention(detente.EventMention{
			ArticleID: a.ID, Sentence: s.span, SourceSpan: r.source.span, TargetSpan: r.target.span, VerbSpan: verbSpan,
			RootEvent: root, Confidence: conf, Explanation: idExpl[eventIDLen:],
		}),
		NumMentions: 1, NumSources: 1, NumArticles: 1,
	}
	return e, true
}

// refusal: a negation cue that is a refusal verb ("declined to").
func refusal(cues []string) bool {
	for _, c := range cues {
		if strings.HasSuffix(c, " to") && refuseVerbs[strings.TrimSuffix(c, " to")] {
			return true
		}
	}
	return false
}

// threatRoots maps the root of a threatened conflictual act to CAMEO's 13
// code for threatening it (CAMEO manual, 13 THREATEN): a strike or
// protest 133, sanctions 131, repression 137, force 138.
var threatRoots = map[string]string{"10": "130", "11": "130", "12": "130", "14": "133", "15": "138", "16": "131",
	"17": "137", "18": "138", "19": "138", "20": "138"}

// threatCode: an act under "threatened to" / "threatens to" that the
// modality rules left outside 13 becomes the matching threat.
func threatCode(code string, cues []string) (string, bool) {
	threat := false
	for _, c := range cues {
		if strings.HasPrefix(c, "threat") {
			threat = true
		}
	}
	if !threat || len(code) < 2 {
		return "", false
	}
	switch {
	case code == "163":
		return "1312", true
	case code == "161" || code == "164":
		return "1313", true
	}
	t, ok := threatRoots[code[:2]]
	return t, ok
}

// threatens says whether an event coded code with these cues is a threat:
// a 13 code, an act under "threatened to", or a conflictual act under a
// modal with an if/unless condition.
func threatens(code string, cues []string) bool {
	if strings.HasPrefix(code, "13") {
		return true
	}
	if _, ok := threatCode(code, cues); ok {
		return true
	}
	_, ok := conditionalThreat(code, false, cues)
	return ok
}

// conditionActor is the actor right after "unless"/"if" (a determiner may
// stand between) following the verb in its clause, -1 when none.
func conditionActor(s *sentence, h *verbHit) int {
	for k := h.end; k+1 < h.hi; k++ {
		if s.low[k] != "unless" && s.low[k] != "if" {
			continue
		}
		q := k + 1
		if s.has(q, fDet) && q+1 < h.hi {
			q++
		}
		return s.actorAt[q]
	}
	return -1
}

// conditionalThreat: a conflictual act (CAMEO 12-20) under a modal and an
// "if"/"unless" condition is a threat of that act (CAMEO manual, 13:
// "threaten … unless demands are met").
func conditionalThreat(code string, negated bool, cues []string) (string, bool) {
	if negated || len(code) < 2 || code[:2] < "12" || code[:2] > "20" || code[:2] == "13" {
		return "", false
	}
	cond, modal := false, false
	for _, c := range cues {
		switch c {
		case "if", "unless":
			cond = true
		case "will", "would", "may", "might", "could", "shall", "'ll":
			modal = true
		}
	}
	if !cond || !modal {
		return "", false
	}
	return threatCode(code, []string{"threat"})
}

// nounEvent builds the event of a meeting noun.
func (c *Coder) nounEvent(a *detente.Article, s *sentence, r raw, res cameo.Resolution, date string, loc *detente.Location, root bool) (detente.Event, bool) {
	cd, _ := cameo.Lookup(res.Code)
	h := r.verb
	return detente.Event{
		ID: eventID(a.ID, s.index, r.source.code, r.target.code, res.Code), Source: r.source.code, Target: r.target.code,
		CAMEO: res.Code, Base: cd.Base, Root: cd.Root, Quad: cd.Quad, Goldstein: cd.Goldstein,
		PLOVER: res.Plover.Type, Mode: res.Mode, Date: date, Location: loc,
		Mentions: []detente.EventMention{{
			ArticleID: a.ID, Sentence: s.span, SourceSpan: r.source.span, TargetSpan: r.target.span,
			VerbSpan: detente.Span{Start: s.toks[h.start].Start, End: s.toks[h.end-1].End}, RootEvent: root, Confidence: 0.6,
			Explanation: fmt.Sprintf("%s [%s]", r.how, res.Code),
		}},
		NumMentions: 1, NumSources: 1, NumArticles: 1,
	}, true
}

// confidence is a heuristic in (0, 1]: a specific pattern with slots is
// surer than a bare verb; noun uses, passives, anaphors, long distances
// between the words and modal cues lower it.
func confidence(s *sentence, r raw) float64 {
	c := 0.6
	if r.pattern != nil {
		c = 0.75
		if r.pattern.hasSource || r.pattern.hasTarget || r.pattern.compound {
			c = 0.85
		}
	}
	if r.verb.noun {
		c -= 0.1
	}
	if r.demand {
		c = 0.85
	}
	if strings.HasPrefix(r.code, "01") {
		// A bare statement ("said", "told") is usually the frame of the
		// sentence's real event, not the event itself.
		c -= 0.25
	}
	if strings.HasPrefix(r.code, "02") {
		// An appeal ("calling for") most often states the purpose of the
		// sentence's act (a protest, a riot), and PLOVER types no appeal.
		c -= 0.15
	}
	if r.verb.passive {
		c -= 0.05
	}
	if r.source.code == "" {
		c -= 0.2 // who acted is unsaid
	}
	if h := r.verb; h.start > 0 && s.low[h.start-1] == "," && strings.HasSuffix(s.low[h.head], "ing") {
		// A gerund clause after a comma ("rioted, setting fire to …")
		// tells how the main event went; the main verb is the event.
		c -= 0.2
	}
	if len(s.toks) > 40 {
		c -= 0.1
	}
	if r.modality == cameo.Conditional || r.modality == cameo.Hypothetical {
		c -= 0.1
	}
	if c < 0.1 {
		c = 0.1
	}
	return float64(int(c*100+0.5)) / 100
}

// consumed says whether every negation cue token was matched by the pattern.
func consumed(cues, words []int) bool {
	if len(cues) == 0 {
		return false
	}
	for _, c := range cues {
		found := false
		for _, w := range words {
			if w == c {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func prefix(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func codeString(code, rev string) string {
	if rev == "" {
		return code
	}
	return code + ":" + rev
}

// eventID is a stable hash of the article, sentence, actors and code.
func eventID(article string, sent int, src, tgt, code string) string {
	var buf [eventIDLen]byte
	return string(appendEventID(buf[:0], article, sent, src, tgt, code))
}

// eventIDLen is the length of an event ID: 8 bytes of SHA-1 in hex.
const eventIDLen = 16

// appendEventID appends eventID(article, sent, src, tgt, code) to b.
func appendEventID(b []byte, article string, sent int, src, tgt, code string) []byte {
	var buf [128]byte
	k := append(buf[:0], article...)
	k = append(k, '|')
	k = strconv.AppendInt(k, int64(sent), 10)
	for _, f := range []string{src, tgt, code} {
		k = append(k, '|')
		k = append(k, f...)
	}
	h := sha1.Sum(k)
	return hex.AppendEncode(b, h[:8])
}

func actorText(s *sentence, ai int) string {
	a := s.actors[ai]
	return strings.Join(wordsOf(s.toks[a.start:a.end]), " ")
}

// appendMembers appends quoteMembers(ms) to b.
func appendMembers(b []byte, ms []member) []byte {
	for i, m := range ms {
		if i > 0 {
			b = append(b, " + "...)
		}
		b = strconv.AppendQuote(append(append(b, m.code...), ' '), m.text)
	}
	return b
}

func quoteMembers(ms []member) string { return string(appendMembers(nil, ms)) }

// sentenceDate is the first resolved date expression in the sentence
// (a range's start), else the publication date.
func sentenceDate(ts []detente.TimeExpr, span detente.Span, pub string) string {
	for _, t := range ts {
		if t.Start >= span.Start && t.End <= span.End && !t.Unresolved && isDay(t.Value) {
			return t.Value[:10]
		}
	}
	return pub
}

// sentenceDates is sentenceDate for every sentence at once: each time
// expression is placed in the sentences that hold it by binary search
// rather than every sentence reading every expression. Sentences in text
// order (starts and ends not decreasing) are expected; others are dated
// one by one.
func sentenceDates(ts []detente.TimeExpr, sents []detente.Span, pub string) []string {
	out := make([]string, len(sents))
	for i := 1; i < len(sents); i++ {
		if sents[i].Start < sents[i-1].Start || sents[i].End < sents[i-1].End {
			for si, sp := range sents {
				out[si] = sentenceDate(ts, sp, pub)
			}
			return out
		}
	}
	for _, t := range ts {
		if t.Unresolved || !isDay(t.Value) {
			continue
		}
		// The sentences starting at or before t (a prefix) that end at
		// or after it (a suffix of that prefix, the ends being in order).
		k := sort.Search(len(sents), func(i int) bool { return sents[i].Start > t.Start })
		j := sort.Search(k, func(i int) bool { return sents[i].End >= t.End })
		for si := j; si < k; si++ {
			if out[si] == "" { // the first expression in ts order wins
				out[si] = t.Value[:10]
			}
		}
	}
	for si := range out {
		if out[si] == "" {
			out[si] = pub
		}
	}
	return out
}

// isDay says whether v starts with a whole calendar day, YYYY-MM-DD: a
// TIMEX3 placeholder such as "XXXX-XX-XX" or "2017-W44" is no event date.
func isDay(v string) bool {
	if len(v) < 10 || v[4] != '-' || v[7] != '-' {
		return false
	}
	for _, i := range []int{0, 1, 2, 3, 5, 6, 8, 9} {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}

// sentenceLocation is the last place with coordinates named in the
// sentence after "in", "at" or "near" ("in Vietnam on November 10-11").
func sentenceLocation(s *sentence, es []detente.Entity) *detente.Location {
	var loc *detente.Location
	ti := 0
	for i := range es {
		e := &es[i]
		if e.Start < s.span.Start || e.End > s.span.End || e.Lat == nil || e.Lon == nil {
			continue
		}
		if e.Type != detente.EntityGPE && e.Type != detente.EntityLoc {
			continue
		}
		for ti < len(s.toks) && s.toks[ti].Start < e.Start {
			ti++
		}
		if ti == 0 || ti >= len(s.toks) || s.toks[ti].Start != e.Start {
			continue
		}
		p := s.low[ti-1]
		if ti >= 2 && p == "the" {
			p = s.low[ti-2]
		}
		if (p == "in" || p == "at" || p == "near" || p == "outside") && !strings.Contains(e.Text, "-") {
			loc = &detente.Location{Name: e.Canonical, Country: e.Country, Lat: *e.Lat, Lon: *e.Lon}
		}
	}
	return loc
}

// firstParagraphEnd is the code-point offset where the lead paragraph ends.
func firstParagraphEnd(body string) int {
	n := 0
	started := false
	for _, r := range body {
		if r == '\n' && started {
			return n
		}
		if r != '\n' && r != ' ' {
			started = true
		}
		n++
	}
	return n
}

// discarded says whether text (lower case) contains a discard phrase of
// the given level, starting at a word boundary (and ending at one when
// the phrase says so).
func (c *Coder) discarded(low string, story bool) bool {
	if story {
		return c.storyDiscarded(low)
	}
	for i := range c.discards {
		if d := &c.discards[i]; !d.Story && discardAt(low, d) {
			return true
		}
	}
	return false
}

// discardAt says whether low contains d at a word boundary.
func discardAt(low string, d *dict.Discard) bool {
	for i := 0; ; {
		k := strings.Index(low[i:], d.Text)
		if k < 0 {
			return false
		}
		k += i
		end := k + len(d.Text)
		if (k == 0 || !isWordByte(low[k-1])) && (!d.WholeWord || end == len(low) || !isWordByte(low[end])) {
			return true
		}
		i = k + 1
	}
}

// storyDiscarded is discarded for the story level: every place a phrase
// may start (the body's start, and after each byte that is no word byte)
// is looked up by its first four bytes. Those places are found eight
// bytes at a time (nonWordBytes): about one byte in six is no word byte.
func (c *Coder) storyDiscarded(low string) bool {
	for _, d := range c.shortStory {
		if discardAt(low, d) {
			return true
		}
	}
	if len(c.storyLists) <= 1 || len(low) < 4 {
		return false
	}
	if c.storyAt4(low, 0) {
		return true
	}
	i := 0
	for ; i+8 <= len(low); i += 8 {
		for m := nonWordBytes(le64(low, i)); m != 0; m &= m - 1 {
			if k := i + bits.TrailingZeros64(m)>>3 + 1; k+4 <= len(low) && c.storyAt4(low, k) {
				return true
			}
		}
	}
	for ; i+5 <= len(low); i++ {
		if !wordBytes[low[i]] && c.storyAt4(low, i+1) {
			return true
		}
	}
	return false
}

// storyAt4 says whether a story-level discard of four bytes or more
// starts at byte k of low (k+4 <= len(low)).
func (c *Coder) storyAt4(low string, k int) bool {
	q := quadBit(le32(low, k))
	if c.storyQuads[q>>6]>>(q&63)&1 == 0 {
		return false
	}
	for _, d := range c.storyLists[c.storyAt[pair(low, k)]] {
		end := k + len(d.Text)
		if strings.HasPrefix(low[k:], d.Text) && (!d.WholeWord || end == len(low) || !isWordByte(low[end])) {
			return true
		}
	}
	return false
}

// nonWordBytes marks, with its top bit, each of the eight bytes of w that
// is no word byte (see wordBytes): neither a-z, 0-9 nor part of a
// multi-byte rune. Each test adds to the low seven bits a number that
// carries into the top bit from the range's first byte on, and no sum
// carries into the next byte.
func nonWordBytes(w uint64) uint64 {
	x := w &^ hiBits
	lower := (x + 0x1f1f1f1f1f1f1f1f) &^ (x + 0x0505050505050505) // 'a' (0x61) to 'z' (0x7a)
	digit := (x + 0x5050505050505050) &^ (x + 0x4646464646464646) // '0' (0x30) to '9' (0x39)
	return ^(lower | digit | w) & hiBits
}

// sentenceDiscarded checks the sentence-level discards token by token: a
// discard starts at a token, and its last word may be a stem unless the
// discard must end at a word boundary.
//
// History discards (a year, "months ago") are Phoenix's guard against
// coding past events; they date one verb, not the sentence: the verb
// before them in their comma segment, else the next verb. Their token
// indexes are collected in history (when not nil) instead of discarding.
func (c *Coder) sentenceDiscarded(low []string, history *[]int) bool {
	return c.discardedWords(low, nil, nil, history)
}

// discardedWords is sentenceDiscarded given, when not nil, the words'
// lexicon entries and classes: a word of the lexicon that starts no
// discard (no fDiscard) need not be looked at.
func (c *Coder) discardedWords(low []string, wi []int32, fl []wordFlags, history *[]int) bool {
	for i, w := range low {
		if wi != nil && wi[i] != 0 && fl[i]&fDiscard == 0 {
			continue
		}
		var x uint64
		for k := 1; k <= 4 && k <= len(w); k++ {
			x |= uint64(w[k-1]) << (8 * (k - 1))
			if !c.sentKeys.has(x | uint64(k)<<32) {
				continue
			}
			for _, sd := range c.sentDiscards[w[:k]] {
				end := i + sd.words
				if end > len(low) {
					continue
				}
				prefix, exact := joinedPrefix(low[i:end], sd.d.Text)
				if !prefix {
					continue
				}
				if !sd.d.WholeWord || exact {
					if history != nil && (isHistory(sd.d.Text) || afterTemporalPrep(low, i)) {
						*history = append(*history, i)
						continue
					}
					return true
				}
			}
		}
	}
	return false
}

// joinedPrefix says whether strings.Join(ws, " ") starts with p, and
// whether it is exactly p, without joining.
func joinedPrefix(ws []string, p string) (prefix, exact bool) {
	n, total := 0, 0 // bytes of p matched; bytes of the joined words
	for k, w := range ws {
		if k > 0 {
			if n < len(p) {
				if p[n] != ' ' {
					return false, false
				}
				n++
			}
			total++
		}
		total += len(w)
		if n < len(p) {
			m := min(len(w), len(p)-n)
			if w[:m] != p[n:n+m] {
				return false, false
			}
			n += m
		}
	}
	return n == len(p), total == len(p)
}

// isHistory: a discard that dates (a year, "weeks ago", "years later").
func isHistory(t string) bool {
	return t != "" && t[0] >= '0' && t[0] <= '9' || strings.HasSuffix(t, " ago") || strings.HasSuffix(t, " later")
}

// temporalPreps head a phrase that dates ("during World War Two", "since
// the Cold War"): a discard inside one dates a verb like a year does.
var temporalPreps = map[string]bool{"during": true, "since": true, "after": true, "before": true, "until": true, "in": true}

// afterTemporalPrep says whether the discard at token i follows a temporal
// preposition, maybe with "the" between.
func afterTemporalPrep(low []string, i int) bool {
	if i > 0 && low[i-1] == "the" {
		i--
	}
	return i > 0 && temporalPreps[low[i-1]]
}

// datedVerb is the verb a history phrase at token i dates: the last verb
// before it in its comma segment, else the first verb after it. A
// participle or gerund between them ("suspected … of blowing up a plane
// in 1988") opens a clause of its own, the one the phrase dates, so the
// main verb stays present-day.
func datedVerb(s *sentence, i int) *verbHit {
	var before, after *verbHit
	for _, h := range s.verbs {
		if h.noun {
			continue
		}
		if h.end <= i {
			sep := false
			for k := h.end; k < i; k++ {
				if s.low[k] == "," || boundary(s.low[k]) || s.actorAt[k] < 0 && participle(s.low[k]) {
					sep = true
				}
			}
			if !sep {
				before = h
			}
		} else if after == nil && h.start > i {
			after = h
		}
	}
	if before != nil {
		return before
	}
	return after
}

// participle: a word shaped like an -ed or -ing verb form.
func participle(w string) bool {
	return len(w) > 4 && (strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ing"))
}

func isWordByte(b byte) bool { return wordBytes[b] }

// wordBytes marks the bytes of lower-case words: a-z, 0-9 and those of
// multi-byte runes; a table, since the story check asks for every byte.
var wordBytes = func() (t [256]bool) {
	for b := range t {
		t[b] = b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b >= 0x80
	}
	return t
}()
