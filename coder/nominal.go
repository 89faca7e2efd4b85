package coder

import (
	"slices"

	"github.com/detente/detente/coder/dict"
)

// eventNoun is a noun that names an act: the verb whose bare code it
// carries and the prepositions that introduce whom the act is on.
type eventNoun struct {
	lemma string
	preps []string
}

// eventNouns name acts news reports as noun phrases: "Russia's attack on
// Ukraine", "Israeli air strikes on Gaza", "the visit of Putin to China",
// "an attack by Israel on Gaza". Each codes as its verb does bare (the
// dictionary's own code for the lemma), so the dictionary stays the one
// place codes are written.
var eventNouns = map[string]eventNoun{
	"attack": {"attack", []string{"on", "against"}}, "attacks": {"attack", []string{"on", "against"}},
	"assault": {"attack", []string{"on", "against"}}, "assaults": {"attack", []string{"on", "against"}},
	"offensive": {"attack", []string{"on", "against"}},
	"airstrike": {"bomb", []string{"on", "against"}}, "airstrikes": {"bomb", []string{"on", "against"}},
	"bombing": {"bomb", []string{"of", "on"}}, "bombardment": {"bombard", []string{"of", "on"}},
	"shelling": {"shell", []string{"of", "on"}}, "invasion": {"invade", []string{"of"}},
	"occupation": {"occupy", []string{"of"}}, "blockade": {"blockade", []string{"of", "on", "against"}},
	"visit": {"visit", []string{"to"}}, "visits": {"visit", []string{"to"}},
	"sanctions": {"sanction", []string{"on", "against"}},
	"criticism": {"criticize", []string{"of"}}, "condemnation": {"condemn", []string{"of"}},
	"recognition": {"recognize", []string{"of"}}, "expulsion": {"expel", []string{"of"}},
	"threats": {"threaten", []string{"against", "to"}}, "accusations": {"accuse", []string{"against"}},
}

// strikeHeads make "strike(s)" an air or missile strike, not a labour one.
var strikeHeads = map[string]bool{"air": true, "missile": true, "drone": true, "rocket": true}

// nominalEvents codes acts named by a noun with both sides named:
//   - source: a possessor ("Russia's attack"), an actor modifying the noun
//     ("Israeli air strikes", "a U.S. drone attack": up to two words
//     between), or "by X" right after it ("an attack by Israel on Gaza");
//   - target: the actor after the noun's preposition ("on Ukraine", "to
//     China"), "the" may stand between.
//
// Like PETRARCH, the coder codes verbs first: these events stand only when
// no verb of the sentence codes an event with a target.
func (c *Coder) nominalEvents(s *sentence) []raw {
	var out []raw
	for i, w := range s.low {
		if !s.has(i, fEventNoun) && w != "strike" && w != "strikes" {
			continue // the usual word: no event noun
		}
		en, ok := eventNouns[w]
		if !ok && (w == "strike" || w == "strikes") && i > 0 && s.has(i-1, fStrikeHead) {
			en, ok = eventNoun{"bomb", []string{"on", "against"}}, true
		}
		if !ok || s.actorAt[i] >= 0 || s.verbAt[i] || s.attrib != nil && s.attrib[i] {
			continue
		}
		code, rev := c.bareCode(en.lemma)
		if code == "" {
			continue
		}
		src, how := nominalSource(s, i)
		j := i + 1
		if src < 0 && j+1 < len(s.low) && (s.low[j] == "by" || s.low[j] == "of") {
			// "an attack by Israel on Gaza"; "the visit of Putin to
			// China", where "of" names the doer only when the target's
			// preposition follows.
			q := j + 1
			if s.has(q, fDet) && q+1 < len(s.low) {
				q++
			}
			if ai := s.actorAt[q]; ai >= 0 {
				e := s.actors[ai].end
				if s.low[j] == "by" || e < len(s.low) && s.low[e] != "of" && slices.Contains(en.preps, s.low[e]) {
					src, how, j = ai, "the \""+s.low[j]+"\" actor", e
				}
			}
		}
		if src < 0 || j+1 >= len(s.low) || !slices.Contains(en.preps, s.low[j]) {
			continue
		}
		q := j + 1
		if s.has(q, fDet) && q+1 < len(s.low) {
			q++
		}
		tgt := s.actorAt[q]
		if tgt < 0 || tgt == src {
			continue
		}
		h := &verbHit{head: i, start: i, end: i + 1, noun: true, subject: src, subjSet: true}
		expl := "the event noun \"" + w + "\" (coded as the verb \"" + en.lemma + "\") with source " + quoteMembers(s.actors[src].members) +
			" (" + how + ") and target " + quoteMembers(s.actors[tgt].members) + " (after \"" + s.low[j] + "\"): no verb of the sentence codes an event with a target"
		for _, x := range s.actors[src].members {
			for _, y := range s.actors[tgt].members {
				if x.code == y.code {
					continue
				}
				out = append(out, raw{source: x, target: y, code: code, verb: h, how: expl})
				if rev != "" {
					out = append(out, raw{source: y, target: x, code: rev, verb: h, how: expl + "; reverse event", reverse: true})
				}
			}
		}
	}
	return out
}

// nominalSource finds the actor naming who does the act of event noun i:
// its possessor ("Russia's attack", "the US' aid") or an actor modifying it
// with at most two words between ("Israeli air strikes").
func nominalSource(s *sentence, i int) (int, string) {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		w := s.low[k]
		if w == "'s" || w == "'" {
			if k > 0 && s.actorAt[k-1] >= 0 {
				return s.actorAt[k-1], "its possessor"
			}
			return -1, ""
		}
		if ai := s.actorAt[k]; ai >= 0 {
			if s.actors[ai].end == k+1 {
				return ai, "the actor modifying it"
			}
			return -1, ""
		}
		if isPunct(w) || s.has(k, fDet|fPrep|fAux) || s.verbAt[k] || w == "and" || w == "or" {
			return -1, ""
		}
	}
	return -1, ""
}

// bareCode is the dictionary's own code for a verb lemma (the last entry
// that codes it bare, as choose takes it), "" when none.
func (c *Coder) bareCode(lemma string) (string, string) {
	vs := c.lex.info(lemma).verbs
	for k := len(vs) - 1; k >= 0; k-- {
		v := vs[k].v
		if len(v.Pre)+len(v.Post) == 0 && v.Lemma == lemma && v.Code != "" && v.Code != dict.NullCode {
			return v.Code, v.ReverseCode
		}
	}
	return "", ""
}
