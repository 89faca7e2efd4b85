// Package events holds detente's rules for merging event reports into
// GDELT 2.0-style events, shared by the stores and by anything that merges
// events in memory (Merger).
//
// An event is identified by its key: source actor, target actor, CAMEO
// code and date. Every sentence that reports the same key — in one
// article, in another outlet's article, or in a copy of the story — is a
// mention of the same event, and the event counts them:
//
//   - NumMentions: its mentions (one per reporting sentence per article ID);
//   - NumArticles: distinct article IDs among them (a story's copies count:
//     each is an article some outlet published);
//   - NumSources: distinct outlets among them, compared without ASCII case;
//     an article whose outlet is unknown counts as a source of its own.
//
// What the key leaves out (mode, negation, location) is kept from the
// first report; a later report only fills a location the first lacked.
package events

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/detente/detente"
	"github.com/detente/detente/cameo"
)

// Key is what makes two reports the same event.
func Key(e *detente.Event) string {
	return e.Source + "\x00" + e.Target + "\x00" + e.CAMEO + "\x00" + e.Date
}

// ID is an event's stable ID: a hash of its key, so the same event gets
// the same ID in every store and every run.
func ID(e *detente.Event) string {
	h := sha256.Sum256([]byte("event\x00" + Key(e)))
	return "e" + hex.EncodeToString(h[:])[:20]
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// Normalize checks an event for storing and fills what its CAMEO code
// determines: actor codes are trimmed and upper-cased, Base, Root, Quad and
// Goldstein are taken from the CAMEO table (so they can never disagree with
// the code), PLOVER from the CAMEO→PLOVER table when the coder left it
// empty, and ID from the key. It fails for an unknown code, a date that is
// not YYYY-MM-DD, or a location off the globe.
func Normalize(e *detente.Event) error {
	e.Source = strings.ToUpper(strings.TrimSpace(e.Source))
	e.Target = strings.ToUpper(strings.TrimSpace(e.Target))
	e.CAMEO = strings.TrimSpace(e.CAMEO)
	c, ok := cameo.Lookup(e.CAMEO)
	if !ok {
		return fmt.Errorf("event %s→%s: %q is not a CAMEO code", e.Source, e.Target, e.CAMEO)
	}
	e.Base, e.Root, e.Quad, e.Goldstein = c.Base, c.Root, c.Quad, c.Goldstein
	if e.PLOVER == "" {
		if p, ok := cameo.PLOVER(c.Code); ok {
			e.PLOVER = p.Type
		}
	}
	e.Date = strings.TrimSpace(e.Date)
	if len(e.Date) > 10 && dateRE.MatchString(e.Date[:10]) {
		e.Date = e.Date[:10] // an RFC 3339 timestamp: its day
	}
	if e.Date != "" && !dateRE.MatchString(e.Date) {
		return fmt.Errorf("event %s %s→%s: date %q is not YYYY-MM-DD", e.CAMEO, e.Source, e.Target, e.Date)
	}
	if l := e.Location; l != nil {
		if math.IsNaN(l.Lat) || l.Lat < -90 || l.Lat > 90 || math.IsNaN(l.Lon) || l.Lon < -180 || l.Lon > 180 {
			return fmt.Errorf("event %s %s→%s: location %q at (%v, %v) is off the globe", e.CAMEO, e.Source, e.Target, l.Name, l.Lat, l.Lon)
		}
	}
	e.ID = ID(e)
	return nil
}

// SourceKey is what NumSources counts distinct: the outlet without ASCII
// case, or the article itself when its outlet is unknown.
func SourceKey(outlet, articleID string) string {
	if o := strings.TrimSpace(outlet); o != "" {
		return "o:" + asciiLower(o)
	}
	return "a:" + articleID
}

// Merger merges the events of many articles in memory with the store's
// rules, for runs that code without a store. The zero value is ready.
type Merger struct {
	byKey map[string]*merged
	order []*merged
}

type merged struct {
	ev       detente.Event
	mentions map[mentionKey]bool
	articles map[string]bool
	sources  map[string]bool
}

// mentionKey identifies a mention within an event: reporting the same
// sentence of the same article twice adds nothing.
type mentionKey struct {
	article        string
	sentence, verb detente.Span
}

// Add merges one article's events; outlet is the article's outlet. Events
// that fail Normalize are returned as errors and left out.
func (m *Merger) Add(outlet string, evs []detente.Event) []error {
	if m.byKey == nil {
		m.byKey = map[string]*merged{}
	}
	var errs []error
	for _, e := range evs {
		e.Mentions = append([]detente.EventMention(nil), e.Mentions...)
		if err := Normalize(&e); err != nil {
			errs = append(errs, err)
			continue
		}
		k := Key(&e)
		g := m.byKey[k]
		if g == nil {
			g = &merged{ev: e, mentions: map[mentionKey]bool{}, articles: map[string]bool{}, sources: map[string]bool{}}
			g.ev.Mentions = nil
			m.byKey[k] = g
			m.order = append(m.order, g)
		} else if g.ev.Location == nil && e.Location != nil {
			g.ev.Location = e.Location
		}
		for _, mn := range e.Mentions {
			mk := mentionKey{mn.ArticleID, mn.Sentence, mn.VerbSpan}
			if g.mentions[mk] {
				continue
			}
			g.mentions[mk] = true
			g.articles[mn.ArticleID] = true
			g.sources[SourceKey(outlet, mn.ArticleID)] = true
			g.ev.Mentions = append(g.ev.Mentions, mn)
		}
	}
	return errs
}

// AddCopy records that article copyID, from outlet, is a copy of the
// story whose original is originalID: every event the original reports
// gains a mention of the copy at the same offsets (a copy's text is the
// original's, so are its events).
func (m *Merger) AddCopy(originalID, copyID, outlet string) {
	for _, g := range m.order {
		for _, mn := range g.ev.Mentions {
			if mn.ArticleID != originalID {
				continue
			}
			c := mn
			c.ArticleID = copyID
			mk := mentionKey{c.ArticleID, c.Sentence, c.VerbSpan}
			if g.mentions[mk] {
				continue
			}
			g.mentions[mk] = true
			g.articles[copyID] = true
			g.sources[SourceKey(outlet, copyID)] = true
			g.ev.Mentions = append(g.ev.Mentions, c)
		}
	}
}

// Events returns the merged events in the order first reported, with
// their counts.
func (m *Merger) Events() []detente.Event {
	out := make([]detente.Event, len(m.order))
	for i, g := range m.order {
		e := g.ev
		e.Mentions = append([]detente.EventMention{}, g.ev.Mentions...)
		e.NumMentions, e.NumArticles, e.NumSources = len(g.mentions), len(g.articles), len(g.sources)
		out[i] = e
	}
	return out
}

// asciiLower lower-cases ASCII letters only, as SQLite's lower() and
// NOCASE do, so the store and Merger count the same sources.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
