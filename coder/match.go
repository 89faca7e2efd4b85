package coder

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/detente/detente/coder/dict"
)

// verbHit is one verb candidate in a sentence.
type verbHit struct {
	head       int      // token of the head word
	start, end int      // tokens of the whole verb (multi-word verbs), end exclusive
	verb       *cverb   // the entry whose pattern matched (else the last)
	verbs      []*cverb // every entry of this form and span, file order
	noun       bool     // used as a noun ("an attack", "the talks")
	passive    bool
	// reduced: a participle modifying the actor before it ("diplomats
	// based in Geneva", "militiamen armed with machetes"): a passive whose
	// subject is that actor, not a verb of the clause.
	reduced bool
	lo, hi  int // clause limits, tokens
	subject int // actor index of the subject, -1 when none
	subjSet bool
}

// binding is what a pattern match found.
type binding struct {
	source, target int // actor indexes, -1 when the pattern has no such slot
	compound       int
	words          []int // tokens matched by literal elements
}

// findVerbs lists the verb candidates of a sentence: tokens whose form is
// in the index, outside actor mentions; a multi-word verb whose extra
// words stand around the head wins over the bare head word.
func (c *Coder) findVerbs(s *sentence) {
	titled := titleCase(s)
	if s.lx != c.lex {
		s.setWords(c.lex)
	}
	var bestBuf []*cverb // the best entries of one token, copied out
	// [runLo, runHi): a run of words without a boundary, as long as it
	// goes (runLo is 0 or follows a boundary, runHi is the end or a
	// boundary); none yet.
	runLo, runHi := -1, -1
	if s.buf != nil {
		s.verbs = region(&s.buf.verbs)
	}
	for i, w := range s.low {
		if !s.has(i, fVerb) || s.actorAt[i] >= 0 || s.dropped != nil && s.dropped[i] {
			continue // no verb form: its lexicon entry need not be read
		}
		cands := c.lex.infos[s.wi[i]].verbs
		if !titled && !c.Plain && nameWord(s, i) {
			continue // "the Senate Armed Services Committee": part of a name
		}
		if w == "according" && i+1 < len(s.low) && s.low[i+1] == "to" {
			continue // "according to": attribution, not an act
		}
		best := bestBuf[:0]
		bs, be := i, i+1
		for _, cv := range cands {
			st, en := i-len(cv.pre), i+1+len(cv.post)
			if st < 0 || en > len(s.low) || !slices.Equal(s.low[st:i], cv.pre) || !slices.Equal(s.low[i+1:en], cv.post) {
				continue
			}
			switch {
			case len(best) == 0 || en-st > be-bs:
				best, bs, be = append(best[:0], cv), st, en
			case en-st == be-bs:
				best = append(best, cv)
			}
		}
		bestBuf = best[:0]
		if len(best) == 0 {
			continue
		}
		if len(s.verbs) > 0 && s.verbs[len(s.verbs)-1].end > bs {
			continue // part of the previous multi-word verb
		}
		h := s.buf.hit()
		*h = verbHit{head: i, start: bs, end: be, verb: best[len(best)-1], verbs: s.buf.cverbs(best), subject: -1}
		h.noun = isNounUse(s, bs, h.verb) || (bs == i && lacksVerbEvidence(s, i, h.verb)) || s.appos[i] || beforeAuxiliary(s, be) ||
			titled && bs == i && be == i+1 && headlineModifier(s, i)
		h.passive = isPassive(s, bs, w, h.verb)
		// The clause: out from the verb to the nearest boundaries. The
		// boundary-free run around bs is found once for the hits in it.
		if bs < runLo || bs > runHi {
			runLo, runHi = boundaryRun(s, bs)
		}
		h.lo, h.hi = runLo, be
		if be >= runLo && be <= runHi {
			h.hi = runHi // be..runHi-1 are in the run
		} else {
			for h.hi < len(s.low) && !boundary(s.low[h.hi]) {
				h.hi++
			}
		}
		s.verbs = append(s.verbs, h)
	}
	if s.buf != nil {
		s.verbs = keep(&s.buf.verbs, s.verbs)
	}
	for vi, h := range s.verbs {
		if !h.noun && !h.passive && reducedRelative(s, vi) {
			h.passive, h.reduced = true, true
		}
	}
	s.verbAt = s.buf.boolList(len(s.low))
	s.used = s.buf.boolList(len(s.low))
	for _, h := range s.verbs {
		if !h.noun {
			for t := h.start; t < h.end; t++ {
				s.verbAt[t] = true
			}
		}
	}
}

// headlineModifier says whether the -ing form at i in a title-case
// sentence stands between an actor and a capitalized word that is no
// actor: "IMF Managing Director Kristalina Georgieva", "NATO Meeting Ends"
// read as a title or a noun; a headline's verb after its subject is
// written -s or -ed ("IMF Lends"), and one before its object names it
// ("Trump Meeting Kim").
func headlineModifier(s *sentence, i int) bool {
	if i == 0 || i+1 >= len(s.low) || !strings.HasSuffix(s.low[i], "ing") {
		return false
	}
	if ai := s.actorAt[i-1]; ai < 0 || s.actors[ai].end != i {
		return false
	}
	return capitalized(s.toks[i+1].Text) && s.actorAt[i+1] < 0
}

// titleCase says whether most of the sentence's words are capitalized (a
// headline), so capitals say nothing about names.
func titleCase(s *sentence) bool {
	words, caps := 0, 0
	for _, t := range s.toks {
		if t.Text == "" {
			continue
		}
		if b := t.Text[0]; b < utf8.RuneSelf { // ASCII: the letters are a-z, A-Z
			if b|0x20 >= 'a' && b|0x20 <= 'z' {
				words++
				if b <= 'Z' {
					caps++
				}
			}
			continue
		}
		// The first rune, as []rune(t.Text)[0] would give it (an invalid
		// byte is utf8.RuneError either way), without converting the word.
		r, _ := utf8.DecodeRuneInString(t.Text)
		if !unicode.IsLetter(r) {
			continue
		}
		words++
		if unicode.IsUpper(r) {
			caps++
		}
	}
	return words > 0 && 2*caps > words
}

// boundaryRun is the longest run of words around position p without a
// boundary: from just after the last boundary before p (or 0) to the
// first boundary at or after p (or the end).
func boundaryRun(s *sentence, p int) (lo, hi int) {
	lo, hi = p, p
	for lo > 0 && !boundary(s.low[lo-1]) {
		lo--
	}
	for hi < len(s.low) && !boundary(s.low[hi]) {
		hi++
	}
	return lo, hi
}

// capitalized says whether w begins with an upper-case letter, any
// script's.
func capitalized(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// nameWord says whether token i is a capitalized word inside the sentence
// (not its first word, nor the first after a quote or colon): in running
// text a verb form written so is part of a name.
func nameWord(s *sentence, i int) bool {
	if i == 0 || s.toks[i].Text == "" {
		return false
	}
	if !capitalized(s.toks[i].Text) {
		return false
	}
	switch s.low[i-1] {
	case "\"", "“", "'", "‘", ":", "(", "-", "–", "—", "``":
		return false
	}
	return true
}

// reducedRelative says whether verb vi is a participle modifying the actor
// right before it: "X armed with", "X angered by", and after the clause's
// own verb "expelled two diplomats based in Geneva", "opened its borders to
// West Africans ordered out of Nigeria". After a reporting verb the actor
// starts a reported clause instead ("said Russia attacked in Chechnya").
func reducedRelative(s *sentence, vi int) bool {
	h := s.verbs[vi]
	w := s.low[h.head]
	if h.start != h.head || h.start == 0 || h.end >= len(s.low) || w == h.verb.lemma || strings.HasSuffix(w, "ing") || strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
		return false
	}
	// The modified noun phrase ends right before the participle: an actor,
	// or a plain noun after the clause's own verb ("shortened the nightly
	// curfew imposed in Sudan").
	npStart := -1
	if ai := s.actorAt[h.start-1]; ai >= 0 {
		if s.actors[ai].end != h.start {
			return false
		}
		npStart = s.actors[ai].start
	} else if !plainNoun(s, h.start-1) {
		return false
	}
	next := s.low[h.end]
	if next == "by" && npStart >= 0 {
		return true
	}
	if !s.has(h.end, fPrep) && next != "out" {
		return false
	}
	if npStart < 0 {
		npStart = h.start - 1
	}
	for k := vi - 1; k >= 0; k-- {
		v := s.verbs[k]
		if v.noun || v.end > npStart || v.head < h.lo {
			continue
		}
		if s.has(v.head, fReport) || s.has(v.head, fSubord) || strings.HasPrefix(v.verb.code, "01") {
			return false
		}
		for k, g := range s.low[v.end:npStart] {
			if s.has(v.end+k, fSubord) || g == "and" || g == "but" || g == "or" || g == "," || g == "which" || g == "who" {
				return false
			}
		}
		return true
	}
	return false
}

// plainNoun says whether token i can end a noun phrase that is no actor:
// a lower-case content word that is no function word, pronoun, adverb or
// verb form found in the sentence.
func plainNoun(s *sentence, i int) bool {
	w := s.low[i]
	if s.toks[i].Text != w || isPunct(w) || s.has(i, fDet|fPrep|fAux|fSubjPron) ||
		strings.HasSuffix(w, "ly") || w == "that" || w == "which" || w == "who" || w == "and" || w == "or" || w == "but" {
		return false
	}
	for _, v := range s.verbs {
		if v.start <= i && i < v.end && !v.noun {
			return false
		}
	}
	return true
}

// possessedNoun says whether word i ends a possessed noun phrase with two
// or three modifiers after the possessive: "Trump's nearly two-year delay",
// "their long overdue visit" (one modifier is isNounUse's own rule).
func possessedNoun(s *sentence, i int) bool {
	n := 0
	for k := i - 1; k >= 0 && n <= 3; k-- {
		w := s.low[k]
		switch {
		case w == "'s" || w == "'" || w == "’s" || w == "its" || w == "their" || w == "his" || w == "her" || w == "our":
			return n >= 2
		case isPunct(w) || s.has(k, fAux|fPrep|fDet) || s.actorAt[k] >= 0 || w == "and" || w == "or":
			return false
		}
		n++
	}
	return false
}

// finiteAux are auxiliaries that open a verb group: a word right before
// one is the head of its subject ("US attacks have killed", "the talks
// were held"), never a verb.
var finiteAux = map[string]bool{"has": true, "have": true, "had": true, "is": true, "are": true, "was": true,
	"were": true, "will": true, "would": true, "could": true, "can": true, "may": true, "might": true,
	"should": true, "must": true, "shall": true}

// beforeAuxiliary says whether the token after a verb candidate ending
// at end is such an auxiliary.
func beforeAuxiliary(s *sentence, end int) bool {
	// Capitalized, "May" is a month ("celebrate May Day").
	return end < len(s.low) && s.has(end, fFiniteAux) && s.toks[end].Text == s.low[end]
}

// isNounUse: a determiner, a possessive or an adjective-like word right
// before the word makes it a noun ("an attack", "their talks").
func isNounUse(s *sentence, i int, v *cverb) bool {
	if i == 0 {
		return false
	}
	p := s.low[i-1]
	if ai := s.actorAt[i-1]; ai >= 0 && s.actors[ai].end == i {
		a := &s.actors[ai]
		if a.norp && !strings.HasSuffix(s.low[i-1], "s") {
			return true // "Ukrainian positions"; "Albanians demonstrated" is a people acting
		}
		if a.start > 0 {
			if b := s.low[a.start-1]; strings.HasSuffix(b, "-") {
				return true // "an anti- Gondor parade": the actor modifies a noun
			}
		}
	}
	if s.has(i-1, fDet) || (s.has(i-1, fPrep) && p != "to") || p == "'s" || p == "level" || p == "high-level" || p == "of" || p == "new" || p == "further" || p == "recent" || p == "upcoming" || p == "bilateral" {
		return true
	}
	if w := s.low[i]; strings.HasSuffix(w, "ing") && i+1 < len(s.low) && s.low[i+1] == "that" {
		return false // "a declaration demanding that …": a reduced relative clause
	}
	if w := s.low[i]; (strings.HasSuffix(w, "ing") || v != nil && w == v.lemma) && i >= 2 && s.actorAt[i-1] < 0 && plainNoun(s, i-1) {
		// "in Israeli tank shelling", "a car bombing", "like climate
		// change": a gerund or base form after a noun modifier that
		// follows a determiner, a preposition or a nationality is a
		// compound noun.
		if ai := s.actorAt[i-2]; s.has(i-2, fDet|fPrep) || ai >= 0 && s.actors[ai].norp {
			return true
		}
	}
	if i >= 2 && s.has(i-2, fDet) && !s.has(i-1, fAux) && !strings.HasSuffix(p, "ly") && !subjectBefore(s, i, v) {
		return true
	}
	if possessedNoun(s, i) && !subjectBefore(s, i, v) {
		return true
	}
	if w := s.low[i]; i >= 2 && s.has(i-2, fPrep) && s.low[i-2] != "to" && s.actorAt[i-1] < 0 && !isPunct(p) &&
		!s.has(i-1, fAux) && !strings.HasSuffix(p, "ly") && !strings.HasSuffix(p, "s") && strings.HasSuffix(w, "s") {
		// "a suspension of air links", "in peace talks": a plural noun
		// after its modifier, at the head of a prepositional phrase.
		return true
	}
	return false
}

// subjectBefore: the word before verb form i, itself after a determiner,
// is the verb's subject rather than a modifier of a noun. Before a past
// form that is an actor or a plural noun ("the army shelled", "its allies
// demanded", "the protesters stormed"); before a base form only a plural
// lower-case actor ("the rebels control"), since a name modifies the noun
// after it ("a U.S. request", "the UN resolution").
func subjectBefore(s *sentence, i int, v *cverb) bool {
	p, w := s.low[i-1], s.low[i]
	if v == nil || strings.HasSuffix(w, "ing") || strings.HasSuffix(w, "s") {
		return false
	}
	plural := strings.HasSuffix(p, "s") && !strings.HasSuffix(p, "ss") && !strings.HasSuffix(p, "'s")
	actor := false
	if ai := s.actorAt[i-1]; ai >= 0 && s.actors[ai].end == i && !s.actors[ai].norp {
		actor = true
	}
	if w == v.lemma {
		return actor && plural && s.toks[i-1].Text == p
	}
	return actor || plural
}

// nounish are verbs whose base and -s forms news uses mostly as nouns,
// adverbs or particles ("is back on track", "the peace accord", "accepted
// demands", "sent arms"). Those forms count as verbs only with syntactic
// evidence before them: see lacksVerbEvidence.
var nounish = map[string]bool{"back": true, "face": true, "measure": true, "march": true, "deal": true,
	"accord": true, "arm": true, "trade": true, "control": true, "ally": true, "issue": true, "demand": true,
	"head": true, "plan": true, "bid": true, "call": true, "protest": true, "attack": true, "talk": true,
	"visit": true, "strike": true, "aid": true, "support": true, "fire": true, "force": true, "order": true,
	"report": true, "claim": true, "need": true, "release": true, "step": true, "move": true, "term": true,
	"charge": true, "host": true, "table": true, "share": true, "fund": true, "pressure": true, "press": true,
	"mark": true, "open": true, "close": true, "end": true, "ban": true, "cut": true, "aim": true, "hope": true,
	"threat": true, "warn": true, "vote": true, "offer": true, "concern": true, "dispute": true, "block": true,
	"question": true, "welcome": true, "object": true, "refuse": true, "respect": true, "return": true,
	"rally": true, "raid": true, "shell": true, "blast": true, "fight": true, "guard": true, "police": true,
	"land": true, "house": true, "exercise": true, "state": true, "air": true, "field": true, "post": true,
	"plant": true, "train": true, "power": true, "stage": true, "view": true, "work": true, "arrest": true}

// lacksVerbEvidence: a base or -s form of a nounish verb, or any base or
// -s form right after a form of "be" ("China is back on track"), is a
// verb only after its subject actor, a pronoun, an auxiliary, "to", an
// adverb in -ly or a coordinating "and" after a verb.
func lacksVerbEvidence(s *sentence, i int, v *cverb) bool {
	w := s.low[i]
	base := w == v.lemma
	third := !base && strings.HasSuffix(w, "s") && strings.TrimSuffix(strings.TrimSuffix(w, "s"), "e") != "" && (w == v.lemma+"s" || w == v.lemma+"es" || strings.HasSuffix(v.lemma, "y") && w == v.lemma[:len(v.lemma)-1]+"ies")
	if !base && !third {
		return false
	}
	if i > 0 && s.has(i-1, fBe) && s.low[i-1] != "get" && s.low[i-1] != "got" && s.low[i-1] != "gets" {
		// "is back", "are arms": a participle would be passive, the base
		// form after "be" is a verb only for verbs whose participle is the
		// base form ("was hit", "were put").
		return v.edForm
	}
	if !v.nounish {
		return false
	}
	if i == 0 {
		return false
	}
	p := s.low[i-1]
	if ai := s.actorAt[i-1]; ai >= 0 && (!s.actors[ai].norp || strings.HasSuffix(p, "s")) {
		return false
	}
	switch p {
	case "he", "she", "it", "they", "we", "i", "you", "who", "which", "that", "to", "and", "but", "or", "also":
		return false
	}
	if s.has(i-1, fAux) || strings.HasSuffix(p, "ly") {
		return false
	}
	return true
}

var beForms = map[string]bool{"is": true, "are": true, "was": true, "were": true, "be": true, "been": true, "being": true, "get": true, "got": true, "gets": true, "'s": false}

// statives are participles that, before "to", state the subject's own
// stance rather than something done to it ("is opposed to", "is committed
// to"), so the subject is the source.
var statives = map[string]bool{"opposed": true, "committed": true, "dedicated": true, "devoted": true,
	"determined": true, "prepared": true, "resolved": true}

// isPassive: a past participle after a form of "be" ("was shot").
func isPassive(s *sentence, i int, w string, v *cverb) bool {
	if w == v.lemma && (v.edForm || i+1 < len(s.low) && s.low[i+1] == "to") {
		// A base form is a participle only for verbs without an -ed form
		// ("was put", "were hit"; "is set to" is an intent, not a passive).
		return false
	}
	if strings.HasSuffix(w, "ing") || (strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss")) {
		return false
	}
	if s.has(i, fStative) && i+1 < len(s.low) && s.low[i+1] == "to" {
		return false // "Israel is opposed to …": a stance of the subject's own
	}
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		p := s.low[j]
		if s.has(j, fBe) {
			return true
		}
		if p == "not" || p == "n't" || p == "never" || strings.HasSuffix(p, "ly") || p == "also" || p == "reportedly" {
			continue
		}
		return false
	}
	return false
}

// hasEdForm says whether the verb has a regular past form.
func hasEdForm(v *dict.Verb) bool {
	for _, f := range v.Forms {
		if strings.HasSuffix(f, "ed") {
			return true
		}
	}
	return false
}

// match tries a pattern at a verb hit.
func (c *Coder) match(s *sentence, h *verbHit, p *cpattern) (binding, bool) {
	b := binding{source: -1, target: -1, compound: -1}
	// The words bound while trying share one buffer: a failed attempt's
	// words are overwritten by the next, and only a match copies them out.
	if s.wordBuf == nil {
		if s.buf != nil && s.buf.wordBuf != nil {
			s.wordBuf = s.buf.wordBuf
		} else {
			s.wordBuf = make([]int, 0, 32)
		}
	}
	b.words = s.wordBuf[:0]
	// After the verb.
	b2, ok := c.seqFwd(s, p.after, 0, h.end, h.hi, true, b)
	if !ok {
		return binding{source: -1, target: -1, compound: -1}, false
	}
	// Before the verb, right to left.
	r, ok := c.seqBwd(s, p.before, len(p.before)-1, h.start, h.lo, p.verbJoined, b2)
	if cap(r.words) > cap(s.wordBuf) {
		s.wordBuf = r.words[:0] // keep the larger buffer
	}
	if s.buf != nil {
		s.buf.wordBuf = s.wordBuf // for the article's next sentences
	}
	if !ok {
		return binding{source: -1, target: -1, compound: -1}, false
	}
	r.words = append([]int(nil), r.words...)
	return r, true
}

// seqFwd matches els[k:] starting at pos; joinedNext says whether els[k]
// must start exactly at pos (when its Joined flag is set).
func (c *Coder) seqFwd(s *sentence, els []celem, k, pos, hi int, first bool, b binding) (binding, bool) {
	if k == len(els) {
		return b, true
	}
	e := &els[k]
	for p := pos; p < hi; p++ {
		if p > pos && (e.joined || boundary(s.low[p-1]) || s.verbAt[p-1]) {
			break // gaps after the verb stay inside its phrase
		}
		if e.particle && k == len(els)-1 && p > pos && (p-pos > maxParticleGap || prepIn(s, pos, p)) {
			// A pattern's last word, a particle, comes right after the
			// verb or after its short object ("fired off a letter", "called
			// the talks off", "threw masses of people out of work"); past
			// a longer gap or a prepositional phrase it is a preposition of
			// its own ("fired a missile into the sea off its coast"). A
			// particle the pattern goes on from ("bring … back on track")
			// is anchored by what follows it.
			break
		}
		nb := b
		end, ok := c.elemFwd(s, e, p, hi, &nb)
		if !ok {
			continue
		}
		if r, ok := c.seqFwd(s, els, k+1, end, hi, false, nb); ok {
			return r, true
		}
	}
	return b, false
}

// seqBwd matches els[:k+1] ending at end (exclusive), right to left;
// joined says els[k] must end exactly at end.
func (c *Coder) seqBwd(s *sentence, els []celem, k, end, lo int, joined bool, b binding) (binding, bool) {
	if k < 0 {
		return b, true
	}
	e := &els[k]
	for en := end; en > lo; en-- {
		if en < end && (joined || boundary(s.low[en])) {
			break
		}
		if s.rel[en-1] && !s.rel[end-1] {
			continue
		}
		for st := en - 1; st >= lo && st >= en-8; st-- {
			nb := b
			got, ok := c.elemFwd(s, e, st, en, &nb)
			if !ok || got != en {
				continue
			}
			if r, ok := c.seqBwd(s, els, k-1, st, lo, e.joined, nb); ok {
				return r, true
			}
			break
		}
	}
	return b, false
}

// elemFwd matches one element starting at token p (not beyond hi) and
// returns where it ends.
func (c *Coder) elemFwd(s *sentence, e *celem, p, hi int, b *binding) (int, bool) {
	if p >= hi {
		return p, false
	}
	switch e.kind {
	case dict.Word:
		if s.ids[p] == e.id && s.actorAt[p] < 0 {
			b.words = append(b.words, p)
			return p + 1, true
		}
	case dict.Synset:
		return c.phrases(s, c.synsetAt(e.syn, s.ids[p]), p, hi, b)
	case dict.Choice:
		for _, alt := range e.alts {
			if end, ok := c.phrase(s, alt, p, hi, b); ok {
				return end, true
			}
		}
	case dict.SourceSlot, dict.TargetSlot, dict.CompoundSlot:
		q := p
		if s.has(q, fDet) && q+1 < hi {
			q++
		}
		ai := s.actorAt[q]
		if ai < 0 || s.actors[ai].start != q || s.actors[ai].end > hi {
			return p, false
		}
		switch e.kind {
		case dict.SourceSlot:
			b.source = ai
		case dict.TargetSlot:
			b.target = ai
		default:
			if !s.actors[ai].compound() {
				return p, false
			}
			b.compound = ai
		}
		return s.actors[ai].end, true
	case dict.Skip:
		if isPunct(s.low[p]) || s.has(p, fPrep) {
			return p, false // a noun phrase starts with neither
		}
		// "^" skips a noun phrase: a determiner never stands alone, so
		// "warned at the Gondor of X" skips "the Gondor" and X is the target.
		q := p
		if s.has(q, fDet) && q+1 < hi && !isPunct(s.low[q+1]) {
			q++
		}
		end := q + 1
		if ai := s.actorAt[q]; ai >= 0 {
			end = s.actors[ai].end
		}
		return end, true
	case dict.NounPhrase:
		return c.group(s, e.elems, p, hi, 3, b)
	case dict.Prep:
		if s.ids[p] != e.id {
			return p, false
		}
		b.words = append(b.words, p)
		if len(e.elems) == 0 {
			// Any object but a date: "called on Tuesday" is no "call on".
			return p + 1, p+1 < hi && !s.has(p+1, fDate)
		}
		return c.group(s, e.elems, p+1, hi, 4, b)
	}
	return p, false
}

// particles are the words phrasal verbs take ("fire off", "call off",
// "step up", "pull out"), and maxParticleGap the longest object that may
// stand between such a verb and its particle.
var particles = map[string]bool{"off": true, "up": true, "out": true, "down": true, "away": true, "back": true}

const maxParticleGap = 5

// prepIn says whether a preposition other than a noun phrase's own "of"
// stands in tokens [from, to).
func prepIn(s *sentence, from, to int) bool {
	for t := from; t < to; t++ {
		if s.has(t, fPrep) && s.low[t] != "of" {
			return true
		}
	}
	return false
}

// dateWords head a time phrase, not a prepositional object a pattern
// means ("on Tuesday", "in March", "on behalf of").
var dateWords = map[string]bool{"monday": true, "tuesday": true, "wednesday": true, "thursday": true,
	"friday": true, "saturday": true, "sunday": true, "january": true, "february": true, "march": true,
	"april": true, "june": true, "july": true, "august": true, "september": true, "october": true,
	"november": true, "december": true, "behalf": true, "weekend": true}

// group matches elements in order from p with at most gap words between
// them (inside a noun phrase or a prepositional object), never across
// punctuation.
func (c *Coder) group(s *sentence, els []celem, p, hi, gap int, b *binding) (int, bool) {
	pos := p
	for i := range els {
		e := &els[i]
		found := false
		for q := pos; q < hi && q <= pos+gap; q++ {
			if q > pos && (isPunct(s.low[q-1]) || (i == 0 && e.joined)) {
				break
			}
			if end, ok := c.elemFwd(s, e, q, hi, b); ok {
				pos, found = end, true
				break
			}
		}
		if !found {
			return p, false
		}
	}
	return pos, true
}

// phrases matches the longest of the word sequences at p.
func (c *Coder) phrases(s *sentence, ps [][]int32, p, hi int, b *binding) (int, bool) {
	best := -1
	for _, ph := range ps {
		if len(ph) == 0 || p+len(ph) > hi {
			continue
		}
		if slices.Equal(s.ids[p:p+len(ph)], ph) && p+len(ph) > best {
			best = p + len(ph)
		}
	}
	if best < 0 {
		return p, false
	}
	return c.take(p, best, b)
}

// phrase matches one word sequence at p.
func (c *Coder) phrase(s *sentence, ph []int32, p, hi int, b *binding) (int, bool) {
	if len(ph) == 0 || p+len(ph) > hi || !slices.Equal(s.ids[p:p+len(ph)], ph) {
		return p, false
	}
	return c.take(p, p+len(ph), b)
}

// take binds the words p..end-1 of a matched phrase.
func (c *Coder) take(p, end int, b *binding) (int, bool) {
	for q := p; q < end; q++ {
		b.words = append(b.words, q)
	}
	return end, true
}
