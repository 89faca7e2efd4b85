package annotate

import (
	"sort"
	"strings"
	"unicode"

	"github.com/detente/detente"
)

// countryish says whether a mention can describe the country of what
// follows it ("Chinese President", "South Korea's Foreign Ministry").
func countryish(m *mention) bool {
	switch m.entry.Kind {
	case KindCountry, KindDemonym, KindCapital:
		return m.entry.Prefix != ""
	}
	return false
}

// counterparts are role nouns that take their sector from the person they
// are counterparts of.
var counterparts = map[string]bool{"counterpart": true, "counterparts": true}

// compose reads descriptions in one sentence: a country word, then a sector
// word or "counterpart", then maybe a name. The name gets the actor code the
// description gives; a description without a name is an organization
// ("South Korea's Foreign Ministry" → KORGOV).
func (d *document) compose(sent int, ms []*mention) {
	w := d.words[sent]
	var lastPersonAgent string
	for i := 0; i < len(ms); i++ {
		m := ms[i]
		if m.dropped {
			continue
		}
		if m.entry.Kind == KindPerson && m.entry.Actor != "" && len(m.entry.Actor) >= 6 {
			lastPersonAgent = m.entry.Actor[3:6]
		}
		if !countryish(m) && m.entry.Kind != KindAgent {
			continue
		}
		// Find the chain: [country ['s]] [agent | counterpart] [person].
		var country *mention
		j := i
		if countryish(m) {
			country = m
			j = i + 1
		}
		next := m.end
		if country != nil && next < len(w) && w[next] == "'s" {
			next++
		}
		var agent *mention
		agentCode := ""
		end := next
		if j < len(ms) && !ms[j].dropped && ms[j].entry.Kind == KindAgent && ms[j].start == next {
			agent = ms[j]
			agentCode = agent.entry.Agent
			end = agent.end
			j++
		} else if country != nil && next < len(w) && counterparts[strings.ToLower(w[next])] {
			agentCode = lastPersonAgent
			if agentCode == "" {
				agentCode = "GOV"
			}
			end = next + 1
		}
		if agentCode == "" {
			continue // a country word alone: it stands as it is
		}
		var person *mention
		if j < len(ms) && !ms[j].dropped && ms[j].start == end && ms[j].entry.Kind == KindPerson {
			person = ms[j]
		}
		cc, iso := "", ""
		if country != nil {
			cc, iso = country.entry.Prefix, country.entry.Country
		}
		switch {
		case person != nil:
			if person.entry.Actor == "" {
				// No dated role in the knowledge base: the description says who
				// the person is for this article.
				cname := ""
				if country != nil {
					cname = country.entry.CountryName
				}
				if cc == "" {
					cc, iso, cname = person.entry.Prefix, person.entry.Country, person.entry.CountryName
				}
				if cc != "" {
					person.entry.CountryName = cname
					person.entry.Actor = cc + agentCode
					person.entry.Country = iso
					person.entry.Prefix = cc
					person.source = "description"
				}
			}
			if person.entry.Actor != "" && len(person.entry.Actor) >= 6 {
				lastPersonAgent = person.entry.Actor[3:6]
			}
			if agent != nil {
				agent.dropped = true // the sector word is the person's title here
			}
			i = j
		case agent != nil && country != nil:
			name := country.entry.CountryName
			if name == "" {
				name = country.entry.Canonical
			}
			if name == "" {
				name = country.entry.Country
			}
			agent.start = country.start
			agent.entry.Actor = cc + agentCode
			agent.entry.Country = iso
			agent.entry.Prefix = cc
			agent.entry.Type = detente.EntityOrg
			agent.entry.Canonical = name + " " + strings.Join(w[next:agent.end], " ")
			agent.source = "description"
			i = j - 1
		}
	}
}

// linkNames gives later short mentions of a person ("Xi") the entry of the
// earlier full mention ("Chinese President Xi Jinping"), including bare
// tokens the tagger missed.
func (d *document) linkNames() {
	type person struct {
		entry Entry
		at    int // order of first mention
	}
	parts := map[string]*person{}
	var added []*mention
	covered := d.coverage()
	order := 0
	byStart := d.mentionsBySentence()
	for sent, toks := range d.words {
		ms := byStart[sent]
		k := 0
		for t := 0; t < len(toks); t++ {
			for k < len(ms) && ms[k].start < t {
				k++
			}
			if k < len(ms) && ms[k].start == t {
				m := ms[k]
				if m.entry.Kind == KindPerson {
					names := strings.Fields(m.entry.Canonical)
					if len(names) > 1 {
						for _, n := range names {
							if _, ok := parts[n]; !ok && len(n) > 1 {
								order++
								parts[n] = &person{entry: m.entry, at: order}
							}
						}
					} else if p, ok := parts[m.entry.Canonical]; ok && m.end-m.start == 1 {
						m.entry = p.entry
						m.source = "alias"
					}
				} else if m.source == "model" && m.end-m.start == 1 {
					// The tagger's guess at a lone surname ("Pelosi" as a place)
					// yields to the person the article already named.
					if p, ok := parts[toks[t]]; ok {
						m.entry = p.entry
						m.source = "alias"
					}
				}
				continue
			}
			if covered[sent][t] {
				continue
			}
			if p, ok := parts[toks[t]]; ok && isCapitalized(toks[t]) {
				added = append(added, &mention{sent: sent, start: t, end: t + 1, entry: p.entry, source: "alias"})
			}
		}
	}
	d.ms = append(d.ms, added...)
	d.sortMentions()
}

// contextWindow is how many tokens back a bare sector word looks for the
// actor whose country it takes.
const contextWindow = 12

// fillBareAgents gives a sector word without a country ("told lawmakers")
// the country of the nearest actor before it in its sentence.
func (d *document) fillBareAgents() {
	for i, m := range d.ms {
		if m.entry.Kind != KindAgent || m.entry.Actor != "" {
			continue
		}
		if w := d.words[m.sent]; m.end < len(w) && isCapitalized(w[m.start]) && isCapitalized(w[m.end]) {
			// "President Trump", "Minister Zinichev": a title before a name
			// the lexicon did not know; it says nothing on its own.
			m.dropped = true
			continue
		}
		m.entry.Type = detente.EntityOrg
		if m.entry.Canonical == "" {
			m.entry.Canonical = strings.ToLower(d.surface(m))
		}
		for j := i - 1; j >= 0 && d.ms[j].sent == m.sent && m.start-d.ms[j].end <= contextWindow; j-- {
			p := d.ms[j]
			if p.entry.Prefix != "" && p.entry.Actor != "" && p.entry.Kind != KindPlace && p.entry.Kind != KindRegion && p.entry.Kind != KindWeapon {
				m.entry.Country = p.entry.Country
				m.entry.Prefix = p.entry.Prefix
				if p.entry.CountryName != "" {
					m.entry.Canonical = p.entry.CountryName + " " + m.entry.Canonical
				}
				m.entry.Actor = p.entry.Prefix + m.entry.Agent
				m.source = "context"
				break
			}
		}
	}
}

func isCapitalized(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	return c >= 'A' && c <= 'Z' || c >= 0x80 && strings.ToUpper(s[:1]) == s[:1]
}

// coverage marks the tokens inside a mention, per sentence.
func (d *document) coverage() [][]bool {
	cov := make([][]bool, len(d.words))
	for i, w := range d.words {
		cov[i] = make([]bool, len(w))
	}
	for _, m := range d.ms {
		for t := m.start; t < m.end && t < len(cov[m.sent]); t++ {
			cov[m.sent][t] = true
		}
	}
	return cov
}

func (d *document) mentionsBySentence() [][]*mention {
	out := make([][]*mention, len(d.words))
	for _, m := range d.ms {
		out[m.sent] = append(out[m.sent], m)
	}
	return out
}

func (d *document) sortMentions() {
	sort.SliceStable(d.ms, func(a, b int) bool {
		x, y := d.ms[a], d.ms[b]
		if x.sent != y.sent {
			return x.sent < y.sent
		}
		if x.start != y.start {
			return x.start < y.start
		}
		return x.end > y.end
	})
}

// entities turns the mentions into the output's entities, in text order.
func (d *document) entities() []detente.Entity {
	d.sortMentions()
	out := make([]detente.Entity, 0, len(d.ms))
	for _, m := range d.ms {
		if m.dropped {
			continue
		}
		if m.entry.Kind == KindAgent && m.entry.Actor == "" {
			// A sector word with no country anywhere near ("a website",
			// "police") names no one in particular.
			continue
		}
		s, e := d.tokenSpan(m)
		typ := entityType(m.entry)
		out = append(out, detente.Entity{
			Text: d.text.Span(detente.Span{Start: s, End: e}), Start: s, End: e, Type: typ,
			Canonical: m.entry.Canonical, Actor: m.entry.Actor, Country: m.entry.Country,
			Lat: m.entry.Lat, Lon: m.entry.Lon, Source: m.source,
		})
	}
	return out
}

// IsName reports whether an entity is a name, what named-entity
// recognition marks, rather than an actor description the annotator
// composed from a country and a sector word ("Indonesian military",
// "Malaysia's Prime Minister") or gave a country from its context ("told
// lawmakers"). Such descriptions carry actor codes for event coding but
// name no one; a person keeps its name whatever gave it its code.
func IsName(e detente.Entity) bool {
	if (e.Source == "description" || e.Source == "context") && e.Type != detente.EntityPerson {
		// A capitalized institution is named ("the Indonesian Navy", "the
		// US State Department"); a role ("Malaysia's Prime Minister") or a
		// common noun ("Indonesian military") is not.
		f := strings.Fields(e.Text)
		if len(f) < 2 || strings.Contains(e.Text, "'s") || strings.Contains(e.Text, "’s") {
			return false
		}
		last := f[len(f)-1]
		if !isCapitalized(last) || roles[strings.ToLower(last)] {
			return false
		}
	}
	for _, r := range e.Text {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// roles are sector words that name a person's office, not an institution.
var roles = map[string]bool{
	"president": true, "minister": true, "senator": true, "ambassador": true, "secretary": true,
	"spokesman": true, "spokeswoman": true, "spokesperson": true, "governor": true, "mayor": true,
	"chancellor": true, "premier": true, "king": true, "queen": true, "prince": true, "general": true,
	"official": true, "officials": true, "leader": true, "leaders": true, "chief": true, "commander": true,
	"envoy": true, "representative": true, "lawmaker": true, "lawmakers": true, "mp": true, "judge": true,
}
