package annotate

import (
	"sort"

	"github.com/detente/detente"
)

// locate finds the sentence and token range that exactly cover the code
// point span [start, end).
func (d *document) locate(start, end int) (sent, ts, te int, ok bool) {
	sents := d.text.Sentences
	sent = sort.Search(len(sents), func(i int) bool { return sents[i].End > start })
	if sent == len(sents) || sents[sent].Start > start {
		return 0, 0, 0, false
	}
	toks := d.text.Tokens[sent]
	ts = sort.Search(len(toks), func(i int) bool { return toks[i].Start >= start })
	te = sort.Search(len(toks), func(i int) bool { return toks[i].End > end })
	if ts >= len(toks) || toks[ts].Start != start || te == 0 || toks[te-1].End != end {
		return 0, 0, 0, false
	}
	return sent, ts, te, true
}

// mentionAt returns the mention covering exactly these tokens, if any.
func (d *document) mentionAt(sent, ts, te int) *mention {
	for _, m := range d.ms {
		if m.sent == sent && m.start == ts && m.end == te && !m.dropped {
			return m
		}
	}
	return nil
}

// linkAcronyms pairs each defined acronym with its long form: whichever of
// the two the knowledge base or the tagger recognized lends its entry to
// the other, and later bare uses of the short form get it too
// ("Terminal High Altitude Area Defense (THAAD)", then "THAAD").
func (d *document) linkAcronyms() {
	d.acronyms = d.text.Acronyms()
	known := map[string]Entry{}
	for _, def := range d.acronyms {
		ss, sts, ste, okS := d.locate(def.ShortSpan.Start, def.ShortSpan.End)
		ls, lts, lte, okL := d.locate(def.LongSpan.Start, def.LongSpan.End)
		if !okS || !okL {
			continue
		}
		short, long := d.mentionAt(ss, sts, ste), d.mentionAt(ls, lts, lte)
		var e Entry
		switch {
		case short != nil && short.source == "model" && long != nil:
			// The tagger's guess at a lone acronym yields to what its long
			// form is ("Kennedy Space Center (KSC)": a place).
			e = long.entry
			short.entry, short.source = e, "acronym"
		case short != nil:
			e = short.entry
		case long != nil:
			e = long.entry
		default:
			e = Entry{Kind: KindOther, Canonical: def.Long}
		}
		if e.Canonical == "" || e.Canonical == def.Short {
			e.Canonical = def.Long
		}
		if short == nil {
			d.replaceOverlapping(ss, sts, ste)
			d.ms = append(d.ms, &mention{sent: ss, start: sts, end: ste, entry: e, source: "acronym"})
		}
		if long == nil {
			d.replaceOverlapping(ls, lts, lte)
			d.ms = append(d.ms, &mention{sent: ls, start: lts, end: lte, entry: e, source: "acronym"})
		}
		known[def.Short] = e
	}
	if len(known) == 0 {
		return
	}
	d.sortMentions()
	cov := d.coverage()
	for sent, w := range d.words {
		for t, tok := range w {
			if e, ok := known[tok]; ok && !cov[sent][t] {
				d.ms = append(d.ms, &mention{sent: sent, start: t, end: t + 1, entry: e, source: "acronym"})
			}
		}
	}
	// The tagger's guesses at later bare uses yield too.
	for _, m := range d.ms {
		if m.source == "model" && m.end-m.start == 1 {
			if e, ok := known[d.words[m.sent][m.start]]; ok {
				m.entry, m.source = e, "acronym"
			}
		}
	}
	d.sortMentions()
}

// replaceOverlapping drops mentions that lie inside the tokens [ts, te)
// of a sentence, where a whole acronym definition now stands, unless they
// are actors (a country inside "Asia-Pacific Economic Cooperation" is not,
// but the whole is one entity).
func (d *document) replaceOverlapping(sent, ts, te int) {
	for _, m := range d.ms {
		if m.sent == sent && m.start >= ts && m.end <= te && !(m.start == ts && m.end == te) {
			if m.entry.Kind == KindPerson {
				continue
			}
			m.dropped = true
		}
	}
}

// entityType falls back to a type from the kind when an entry has none.
func entityType(e Entry) string {
	if e.Type != "" {
		return e.Type
	}
	switch e.Kind {
	case KindCountry, KindCapital, KindPlace:
		return detente.EntityGPE
	case KindDemonym:
		return detente.EntityNORP
	case KindSeat, KindIGO, KindAgent, KindGroup, KindOrg:
		return detente.EntityOrg
	case KindPerson:
		return detente.EntityPerson
	case KindWeapon:
		return detente.EntityWeapon
	case KindRegion:
		return detente.EntityLoc
	case KindEvent:
		return detente.EntityEvent
	}
	return ""
}
