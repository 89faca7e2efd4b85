package annotate

import (
	"strings"

	"github.com/detente/detente"
)

// quotes resolves each quotation's speaker to the entity its words name:
// the entity inside the speaker's phrase that is an actor (the widest, so
// "South Korean Foreign Ministry" wins over "South Korean"), or for a
// pronoun the last person named before the quote.
func (d *document) quotes(ents []detente.Entity) []detente.Quote {
	qs := d.text.Quotes()
	out := make([]detente.Quote, 0, len(qs))
	for _, q := range qs {
		dq := detente.Quote{Text: q.Text, Start: q.Span.Start, End: q.Span.End, Speaker: q.SpeakerText}
		if q.Speaker.End > q.Speaker.Start {
			if q.Pronoun {
				if e := lastPersonBefore(ents, q.Speaker.Start); e != nil {
					dq.Speaker, dq.Actor = e.Canonical, e.Actor
				}
			} else if e := widestActorIn(ents, q.Speaker); e != nil {
				dq.Actor = e.Actor
				if e.Start == q.Speaker.Start && e.End == q.Speaker.End || e.Type == detente.EntityPerson {
					dq.Speaker = e.Canonical
				}
			}
		}
		dq.Speaker = strings.TrimSpace(dq.Speaker)
		out = append(out, dq)
	}
	return out
}

func widestActorIn(ents []detente.Entity, s detente.Span) *detente.Entity {
	var best *detente.Entity
	for i := range ents {
		e := &ents[i]
		if e.Start < s.Start || e.End > s.End || e.Actor == "" {
			continue
		}
		if best == nil || e.End-e.Start > best.End-best.Start {
			best = e
		}
	}
	return best
}

func lastPersonBefore(ents []detente.Entity, at int) *detente.Entity {
	var best *detente.Entity
	for i := range ents {
		e := &ents[i]
		if e.Start >= at {
			break
		}
		if e.Type == detente.EntityPerson {
			best = e
		}
	}
	return best
}
