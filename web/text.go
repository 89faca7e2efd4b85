package web

import (
	"fmt"
	"slices"
	"strings"

	"github.com/detente/detente"
)

// segment is a run of article text with one set of highlights. Templates
// print Text escaped; nothing here builds HTML.
type segment struct {
	Text string
	// Class lists the highlight kinds ("ent ent-gpe", "timex", "quote",
	// "evsent"); "" for plain text.
	Class string
	// Title is the hover text: canonical name and actor code, a time's
	// value, a quote's speaker.
	Title string
	// Anchor, when set, is the id of the event sentence that starts here.
	Anchor string
}

// paragraph is one paragraph of the body with the event mentions whose
// sentences start in it, grouped by sentence.
type paragraph struct {
	Segments  []segment
	Sentences []sentenceEvents
}

// sentenceEvents are the event mentions of one sentence.
type sentenceEvents struct {
	Anchor string
	Events []eventCard
}

// eventCard is one mention of an event in the article, shown beside its
// sentence.
type eventCard struct {
	Event   *detente.StoredEvent
	Mention detente.EventMention
	Anchor  string
	// Words the event was coded from.
	SourceWords, VerbWords, TargetWords string
}

// span is one highlight over [start, end) in code points.
type span struct {
	start, end int
	kind       int // order of precedence when spans overlap: lower wins the class
	class      string
	title      string
}

const (
	kindEntity = iota
	kindTime
	kindQuote
	kindSentence
)

func entityTitle(e detente.Entity) string {
	name := e.Canonical
	if name == "" {
		name = e.Text
	}
	parts := []string{name}
	if e.Actor != "" {
		parts = append(parts, "actor "+e.Actor)
	}
	if e.Country != "" && e.Country != e.Actor {
		parts = append(parts, "country "+e.Country)
	}
	if e.Type != "" {
		parts = append(parts, strings.ToLower(e.Type))
	}
	if e.Source != "" {
		parts = append(parts, "found by "+e.Source)
	}
	return strings.Join(parts, " · ")
}

func timeTitle(t detente.TimeExpr) string {
	v := t.Value
	if t.ValueEnd != "" {
		v += " … " + t.ValueEnd
	}
	if t.Unresolved {
		v += " (unresolved: no publication date)"
	}
	if t.Type != "" {
		v += " · " + strings.ToLower(t.Type)
	}
	return v
}

func quoteTitle(q detente.Quote) string {
	switch {
	case q.Speaker != "" && q.Actor != "":
		return "quote · " + q.Speaker + " (" + q.Actor + ")"
	case q.Speaker != "":
		return "quote · " + q.Speaker
	}
	return "quote"
}

// entityClass is a CSS class for an entity type: letters only, so no
// stored value can break out of the attribute's meaning.
func entityClass(typ string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(typ) {
		if r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "ent"
	}
	return "ent ent-" + b.String()
}

func sentenceAnchor(start int) string { return fmt.Sprintf("s%d", start) }

// layoutBody splits the body into paragraphs of highlighted segments, with
// each event mention placed at the paragraph its sentence starts in.
func layoutBody(body string, ann *detente.Annotations, events []*detente.StoredEvent, articleID string) []paragraph {
	rs := []rune(body)
	n := len(rs)
	var spans []span
	clip := func(s, e int) (int, int, bool) {
		s, e = max(s, 0), min(e, n)
		return s, e, s < e
	}
	if ann != nil {
		for _, e := range ann.Entities {
			if s, en, ok := clip(e.Start, e.End); ok {
				spans = append(spans, span{s, en, kindEntity, entityClass(e.Type), entityTitle(e)})
			}
		}
		for _, t := range ann.Times {
			if s, en, ok := clip(t.Start, t.End); ok {
				spans = append(spans, span{s, en, kindTime, "timex", timeTitle(t)})
			}
		}
		for _, q := range ann.Quotes {
			if s, en, ok := clip(q.Start, q.End); ok {
				spans = append(spans, span{s, en, kindQuote, "quote", quoteTitle(q)})
			}
		}
	}
	var cards []eventCard
	anchors := map[int]string{}
	for _, se := range events {
		for _, m := range mentionsIn(se, articleID) {
			s, e, ok := clip(m.Sentence.Start, m.Sentence.End)
			if !ok {
				continue
			}
			a := sentenceAnchor(s)
			if _, dup := anchors[s]; !dup {
				anchors[s] = a
				spans = append(spans, span{s, e, kindSentence, "evsent", ""})
			}
			cards = append(cards, eventCard{Event: se, Mention: m, Anchor: a,
				SourceWords: spanText(rs, m.SourceSpan), VerbWords: spanText(rs, m.VerbSpan), TargetWords: spanText(rs, m.TargetSpan)})
		}
	}
	slices.SortStableFunc(cards, func(a, b eventCard) int { return a.Mention.Sentence.Start - b.Mention.Sentence.Start })

	// Paragraph bounds: the body's lines.
	var paras []paragraph
	start := 0
	for i := 0; i <= n; i++ {
		if i < n && rs[i] != '\n' {
			continue
		}
		if i > start {
			p := paragraph{Segments: segments(rs, start, i, spans, anchors)}
			for _, c := range cards {
				if c.Mention.Sentence.Start < start || c.Mention.Sentence.Start >= i {
					continue
				}
				if n := len(p.Sentences); n > 0 && p.Sentences[n-1].Anchor == c.Anchor {
					p.Sentences[n-1].Events = append(p.Sentences[n-1].Events, c)
				} else {
					p.Sentences = append(p.Sentences, sentenceEvents{Anchor: c.Anchor, Events: []eventCard{c}})
				}
			}
			paras = append(paras, p)
		}
		start = i + 1
	}
	return paras
}

func spanText(rs []rune, s detente.Span) string {
	if s.Start < 0 || s.End > len(rs) || s.Start >= s.End {
		return ""
	}
	return string(rs[s.Start:s.End])
}

// segments cuts [from, to) at every highlight boundary; each piece takes
// the classes and titles of the spans over it.
func segments(rs []rune, from, to int, spans []span, anchors map[int]string) []segment {
	cuts := []int{from, to}
	for _, s := range spans {
		if s.end > from && s.start < to {
			cuts = append(cuts, max(s.start, from), min(s.end, to))
		}
	}
	for pos := range anchors {
		if pos > from && pos < to {
			cuts = append(cuts, pos)
		}
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	var out []segment
	for i := 0; i+1 < len(cuts); i++ {
		a, b := cuts[i], cuts[i+1]
		var seg segment
		seg.Text = string(rs[a:b])
		seg.Anchor = anchors[a]
		var classes, titles []string
		best := -1
		for _, s := range spans {
			if s.start <= a && s.end >= b {
				if s.kind == kindEntity && best == kindEntity {
					continue // one entity per piece: the first in text order
				}
				if best < 0 || s.kind < best {
					best = s.kind
				}
				classes = append(classes, s.class)
				if s.title != "" {
					titles = append(titles, s.title)
				}
			}
		}
		seg.Class = strings.Join(classes, " ")
		seg.Title = strings.Join(titles, "\n")
		out = append(out, seg)
	}
	return out
}

// snippetPart is a piece of a search snippet, marked when it matched.
type snippetPart struct {
	Text string
	Mark bool
}

// splitSnippet reads the store's snippet, whose matches are wrapped in
// [ and ], into parts the template marks. A bracket with no partner is
// text.
func splitSnippet(s string) []snippetPart {
	var out []snippetPart
	for s != "" {
		i := strings.IndexByte(s, '[')
		if i < 0 {
			out = append(out, snippetPart{Text: s})
			break
		}
		j := strings.IndexByte(s[i+1:], ']')
		if j < 0 {
			out = append(out, snippetPart{Text: s})
			break
		}
		if i > 0 {
			out = append(out, snippetPart{Text: s[:i]})
		}
		out = append(out, snippetPart{Text: s[i+1 : i+1+j], Mark: true})
		s = s[i+1+j+1:]
	}
	return out
}
