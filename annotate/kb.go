package annotate

import (
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/detente/detente"
	"github.com/detente/detente/kb"
)

// KBLexicon is the knowledge base as the annotator's Lexicon.
type KBLexicon struct {
	KB *kb.KB

	mu        sync.Mutex
	countries map[string][2]string // ISO3 → CAMEO country code, name
}

// NewKBLexicon wraps a knowledge base.
func NewKBLexicon(k *kb.KB) *KBLexicon { return &KBLexicon{KB: k, countries: map[string][2]string{}} }

// Match implements Lexicon. Words joined by underscores ("Dol_Amroth", the
// dictionaries' own way to write a phrase) are looked up as the phrase,
// whether the tokenizer kept the underscore inside the word or split it
// off; a match must begin and end on the sentence's word boundaries. A
// lower-case "the" before a capitalized word is read as a name's own
// article ("the Shire", "the Gambia"), which the dictionaries write
// capitalized.
func (l *KBLexicon) Match(words []string, date string) []LexMatch {
	out, _, _ := l.matchKB(words, parseDay(date), nil)
	return out
}

// rewrites says whether Match rewrites words before the knowledge base
// sees them (underscores, a name's lower-case article).
func (l *KBLexicon) rewrites(words []string) bool {
	for i, w := range words {
		if w == "the" && i+1 < len(words) && isCapitalized(words[i+1]) {
			return true
		}
		if strings.IndexByte(w, '_') >= 0 && (w == "_" || strings.Contains(strings.Trim(w, "_"), "_")) {
			return true
		}
	}
	return false
}

// underscores says whether a word of words holds an underscore (or is
// empty, which Match would drop).
func underscores(words []string) bool {
	for _, w := range words {
		if w == "" || strings.IndexByte(w, '_') >= 0 {
			return true
		}
	}
	return false
}

// matchKB is Match that also returns the knowledge base's own matches of
// words as given, so the tagger's gazetteer can reuse them instead of
// matching again; ok is false when it did not make them (it had to split
// words at underscores). The matches are appended to buf[:0] when they
// are the knowledge base's of words (a caller done with the last
// sentence's may hand their slice back).
//
// day is the article's date (parseDay), read once by the caller.
func (l *KBLexicon) matchKB(words []string, day time.Time, buf []LexMatch) (out []LexMatch, raw []kb.Match, ok bool) {
	if !l.rewrites(words) {
		raw := l.KB.Match(words)
		return l.fromKB(buf, words, day, raw), raw, true
	}
	if !underscores(words) {
		// Only a lower-case "the" before a capitalized word is rewritten,
		// word for word: the knowledge base matches both readings (looking
		// the words up once, as they differ only in case), and the tagger
		// gets the one of the words as given.
		var partsBuf [64]string
		parts := partsBuf[:0]
		if len(words) > len(partsBuf) {
			parts = make([]string, 0, len(words))
		}
		parts = parts[:len(words)]
		for i, w := range words {
			if w == "the" && i+1 < len(words) && isCapitalized(words[i+1]) {
				w = "The"
			}
			parts[i] = w
		}
		raw, ms := l.KB.MatchBoth(words, parts)
		out = l.fromKB(buf, parts, day, ms)
		for k := range out {
			if m := &out[k]; words[m.Start] == "the" && m.End-m.Start > 1 {
				m.Start++ // the article stays outside the mention: "the Shire" is Shire
			}
		}
		return out, raw, true
	}
	var parts []string
	// startOf and endOf map a part index to its word's index at word
	// starts, and a part's exclusive end to its word's end; -1 elsewhere.
	startOf := make([]int, 0, len(words)+1)
	endOf := make([]int, 1, len(words)+1)
	endOf[0] = -1
	for i, w := range words {
		if w == "_" && i > 0 && i+1 < len(words) {
			continue // "Dol _ Amroth"
		}
		for len(startOf) <= len(parts) {
			startOf = append(startOf, -1)
		}
		startOf[len(parts)] = i
		ps := []string{w}
		if t := strings.Trim(w, "_"); t != "" && strings.Contains(t, "_") {
			ps = strings.Split(t, "_")
		}
		for _, p := range ps {
			if p == "the" && i+1 < len(words) && isCapitalized(words[i+1]) {
				p = "The"
			}
			if p != "" {
				parts = append(parts, p)
			}
		}
		for len(endOf) <= len(parts) {
			endOf = append(endOf, -1)
		}
		endOf[len(parts)] = i + 1
	}
	at := func(s []int, i int) int {
		if i < len(s) {
			return s[i]
		}
		return -1
	}
	for _, m := range l.match(parts, day) {
		st, en := at(startOf, m.Start), at(endOf, m.End)
		if st >= 0 && en >= 0 {
			if words[st] == "the" && en-st > 1 {
				st++ // the article stays outside the mention: "the Shire" is Shire
			}
			m.Start, m.End = st, en
			out = append(out, m)
		}
	}
	return out, nil, false
}

func (l *KBLexicon) match(words []string, day time.Time) []LexMatch {
	return l.fromKB(nil, words, day, l.KB.Match(words))
}

// fromKB converts the knowledge base's matches of words into lexicon
// matches, appended to buf[:0].
func (l *KBLexicon) fromKB(buf []LexMatch, words []string, t time.Time, ms []kb.Match) []LexMatch {
	if len(ms) == 0 {
		return nil
	}
	out := buf[:0]
	if cap(out) == 0 {
		out = make([]LexMatch, 0, len(ms))
	}
	for _, m := range ms {
		if m.Kind == kb.KindPerson || m.Kind == kb.KindOrg {
			if j := nameStart(words[m.Start:m.End], m.Entry.Canonical); j > 0 {
				// "US President Barack Obama" is an alias of Barack Obama;
				// the name is "Barack Obama" and the words before it are
				// read again on their own ("US", "President").
				for _, p := range l.match(words[m.Start:m.Start+j], t) {
					p.Start += m.Start
					p.End += m.Start
					out = append(out, p)
				}
				m.Start += j
			}
		}
		e := l.entry(m.Entry, m.Kind, m.CodeAt(t))
		if m.End-m.Start > 1 && (words[m.Start] == "the" || words[m.Start] == "The") && !strings.HasPrefix(e.Canonical, "The ") {
			// "the US", "the Kremlin": the article is not part of the name.
			m.Start++
		}
		if m.Canonical != "" {
			e.Canonical = m.Canonical
		}
		if m.HasCoord && e.Lat == nil {
			ll := &[2]float64{m.Lat, m.Lon} // one allocation for both
			e.Lat, e.Lon = &ll[0], &ll[1]
		}
		out = append(out, LexMatch{Start: m.Start, End: m.End, Entry: e})
	}
	return out
}

// Person implements Lexicon.
func (l *KBLexicon) Person(name, date string) (Entry, bool) {
	e := l.KB.Person(name)
	if e == nil {
		return Entry{}, false
	}
	return l.entry(e, e.Kind, e.RoleAt(parseDay(date))), true
}

// Place implements Lexicon.
func (l *KBLexicon) Place(name string, prefer []string) (Entry, bool) {
	e := l.KB.Place(name, prefer)
	if e == nil {
		return Entry{}, false
	}
	return l.entry(e, e.Kind, e.Code), true
}

// entry converts a knowledge-base entry, with the code it holds on the
// article's date.
func (l *KBLexicon) entry(e *kb.Entry, kind kb.Kind, code string) Entry {
	out := Entry{Canonical: e.Canonical, Country: e.Country, Population: e.Population}
	if e.HasCoord {
		ll := &[2]float64{e.Lat, e.Lon} // one allocation for both
		out.Lat, out.Lon = &ll[0], &ll[1]
	}
	switch kind {
	case kb.KindCountry:
		out.Kind, out.Type, out.Actor = KindCountry, detente.EntityGPE, code
	case kb.KindDemonym:
		out.Kind, out.Type, out.Actor = KindDemonym, detente.EntityNORP, code
	case kb.KindCapital:
		out.Kind, out.Type, out.Actor = KindCapital, detente.EntityGPE, code
	case kb.KindSeat:
		out.Kind, out.Type, out.Actor = KindSeat, detente.EntityOrg, code
	case kb.KindIGO:
		out.Kind, out.Type, out.Actor = KindIGO, detente.EntityOrg, code
	case kb.KindOrg:
		out.Kind, out.Type, out.Actor = KindOrg, detente.EntityOrg, code
	case kb.KindPerson:
		out.Kind, out.Type, out.Actor = KindPerson, detente.EntityPerson, code
	case kb.KindGroup:
		out.Kind, out.Type, out.Actor = KindGroup, detente.EntityOrg, code
	case kb.KindEthnic:
		out.Kind, out.Type, out.Actor = KindGroup, detente.EntityNORP, code
	case kb.KindWeapon:
		out.Kind, out.Type = KindWeapon, detente.EntityWeapon
	case kb.KindRegion:
		out.Kind, out.Type = KindRegion, detente.EntityLoc
	case kb.KindPlace:
		out.Kind, out.Type = KindPlace, detente.EntityGPE
	case kb.KindAgent:
		out.Kind, out.Agent, out.AgentPrefix = KindAgent, code, e.AgentPrefix
		out.Canonical = ""
	}
	if out.Kind == KindPerson && out.Country == "" && len(code) >= 3 {
		out.Country = l.iso3(code[:3])
	}
	out.Prefix, out.CountryName = l.country(out)
	return out
}

// country returns the CAMEO country code descriptions build on (the code
// of a country word itself, else the CAMEO code of the entry's country) and
// the country's name.
func (l *KBLexicon) country(e Entry) (prefix, name string) {
	if e.Country == "" {
		return "", ""
	}
	l.mu.Lock()
	c, ok := l.countries[e.Country]
	if !ok {
		c = [2]string{e.Country, ""}
		if k := l.KB.Country(e.Country); k != nil {
			if k.CAMEO != "" {
				c[0] = k.CAMEO
			}
			c[1] = k.Canonical
		}
		l.countries[e.Country] = c
	}
	l.mu.Unlock()
	prefix, name = c[0], c[1]
	switch e.Kind {
	case KindCountry, KindDemonym, KindCapital:
		if e.Actor != "" {
			prefix = e.Actor
		}
	}
	return prefix, name
}

// iso3 returns the ISO3 code of a CAMEO country code, or "".
func (l *KBLexicon) iso3(cameo string) string {
	if c := l.KB.Country(cameo); c != nil && c.Kind == kb.KindCountry {
		return c.Country
	}
	return ""
}

func parseDay(date string) time.Time {
	if len(date) < 10 {
		return time.Time{}
	}
	t, err := time.Parse("2006-01-02", strings.TrimSpace(date[:10]))
	if err != nil {
		return time.Time{}
	}
	return t
}

// nameStart returns the index of the first matched word that belongs to
// the entry's canonical name when every word before it is capitalized and
// not part of the name (a title or a country before the name), else 0.
func nameStart(words []string, canonical string) int {
	inName := func(w string) bool {
		for f := range strings.FieldsSeq(canonical) {
			if lowerEqual(f, w) {
				return true
			}
		}
		return false
	}
	for j, w := range words {
		if inName(w) {
			if j > 0 && j < len(words) {
				return j
			}
			return 0
		}
		if !isCapitalized(w) {
			return 0
		}
	}
	return 0
}

// lowerEqual says whether strings.ToLower(a) == strings.ToLower(b),
// comparing plain ASCII in place rather than lowering copies.
func lowerEqual(a, b string) bool {
	ascii := true
	for i := 0; i < len(a); i++ {
		if a[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	for i := 0; ascii && i < len(b); i++ {
		if b[i] >= utf8.RuneSelf {
			ascii = false
		}
	}
	if !ascii {
		return strings.ToLower(a) == strings.ToLower(b)
	}
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		if y >= 'A' && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
