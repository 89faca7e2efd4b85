package annotate

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/detente/detente"
	"github.com/detente/detente/nlp/ner"
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

// agentCode is one agent code a sector word contributes to a description.
// Prefix codes go before the country ("[NGO~]" in PETRARCH's agents
// files), the others after it ("[~GOV]").
type agentCode struct {
	code   string
	prefix bool
}

// attachWords link a sector word to the actor it belongs to: "soldiers
// from Gondor", "lawmakers in Fornost", "the government of Gondor",
// "villages near Macedonia's border".
var attachWords = map[string]bool{"from": true, "in": true, "of": true, "near": true}

// runGap says whether a word may stand between the parts of one
// description: the possessive ("Gondor's main opposition group") and
// "former" ("Arnor former security officials").
func runGap(w string) bool {
	// strings.ToLower(w) is "'s", "’s" or "former", read in place: no
	// other rune lowers to these letters.
	switch len(w) {
	case 2:
		return w[0] == '\'' && w[1]|0x20 == 's'
	case 4:
		return w[:3] == "’" && w[3]|0x20 == 's'
	case 6:
		return w[0]|0x20 == 'f' && w[1]|0x20 == 'o' && w[2]|0x20 == 'r' && w[3]|0x20 == 'm' && w[4]|0x20 == 'e' && w[5]|0x20 == 'r'
	}
	return false
}

// conjunctions may join modifiers but never end them.
var conjunctions = map[string]bool{"and": true, "or": true, "&": true}

// notModifiers are lower-case words that end a noun phrase's modifiers:
// prepositions, determiners, pronouns, subordinators, auxiliaries.
var notModifiers = map[string]bool{"of": true, "in": true, "on": true, "at": true, "to": true, "for": true,
	"with": true, "by": true, "from": true, "about": true, "against": true, "over": true, "after": true,
	"before": true, "into": true, "the": true, "a": true, "an": true, "this": true, "that": true, "these": true,
	"those": true, "who": true, "which": true, "whose": true, "is": true, "are": true, "was": true, "were": true,
	"has": true, "have": true, "had": true, "will": true, "would": true, "said": true, "says": true, "not": true,
	"it": true, "its": true, "their": true, "his": true, "her": true, "he": true, "she": true, "they": true}

// modifierWord says whether a word may modify a possessed noun between
// "X's" and it: a lower-case word of letters (or hyphens) that is no
// function word.
func modifierWord(x string) bool {
	if x == "" || notModifiers[x] {
		return false
	}
	for _, r := range x {
		if !unicode.IsLower(r) && r != '-' {
			return false
		}
	}
	return true
}

// nameModifier: a capitalized word no mention covers may modify a
// possessed noun too ("Nicaragua's Sandinista government").
func nameModifier(x string) bool {
	if len(x) < 2 || !unicode.IsUpper(rune(x[0])) {
		return false
	}
	for _, r := range x[1:] {
		if !unicode.IsLower(r) && r != '-' {
			return false
		}
	}
	return true
}

// namedActor says whether a mention is an actor with its own code that a
// description may build on (a person, an organization, an IGO…).
func namedActor(m *mention) bool {
	switch m.entry.Kind {
	case KindPerson:
		return true
	case KindOrg, KindIGO, KindSeat, KindGroup:
		return m.entry.Actor != "" // a name the tagger found has no code to build on
	case KindCountry, KindDemonym, KindCapital:
		return !countryish(m) && m.entry.Actor != ""
	}
	return false
}

// attachable says whether a mention can be the actor a sector word belongs
// to after "from/in/of": a country, a capital, or a named organization.
func attachable(m *mention) bool {
	if m.dropped {
		return false
	}
	if countryish(m) {
		return m.entry.Kind != KindDemonym
	}
	switch m.entry.Kind {
	case KindOrg, KindIGO, KindSeat, KindGroup:
		return m.entry.Actor != ""
	}
	return false
}

// baseCode is the code a description builds on: a country word's country,
// else the actor's own code.
func baseCode(m *mention) string {
	if countryish(m) {
		return m.entry.Prefix
	}
	return m.entry.Actor
}

// withAgents composes an actor code the way PETRARCH does: prefix agents
// before the base, each one added in front of the last ("human rights
// activists" HGM then SGM → SGMHGM…), suffix agents after it in text order;
// a three-letter part the code already has is not added again ("White
// House security officials" stays USAGOV).
func withAgents(base string, codes []agentCode) string {
	has := func(code, part string) bool {
		for i := 0; i+3 <= len(code); i += 3 {
			if code[i:i+3] == part {
				return true
			}
		}
		return false
	}
	out := base
	for _, c := range codes {
		for i := 0; i+3 <= len(c.code); i += 3 {
			part := c.code[i : i+3]
			if has(out, part) {
				continue
			}
			if c.prefix {
				out = part + out
			} else {
				out += part
			}
		}
	}
	return out
}

// compose reads descriptions in one sentence. A description is a run of
// adjacent mentions — sector words (agents), at most one country word and
// at most one named actor, a person ending it — joined directly, by "'s"
// or by "former". Its actor code is the named actor's or the country's
// code with the agents' codes around it (see withAgents); "former" turns
// the sector codes into ELI. A run of sector words with no country takes
// the actors after "from", "in" or "of" ("lawmakers in Fornost and
// Gondor" → FORLEG/GONLEG), and so does every run of sector words
// coordinated with it ("lawmakers and officials in …"). A person with a
// dated role keeps it: the words before the name are its title. A
// description without a person is an organization ("South Korea's Foreign
// Ministry" → KORGOV) spanning the whole run.
func (d *document) compose(sent int, ms []*mention) {
	w := d.words[sent]
	// live and runs are the document's, reused sentence after sentence
	// (nothing keeps them): a run is a value in runs, not an allocation.
	live := d.liveBuf[:0]
	for _, m := range ms {
		if m.dropped {
			continue
		}
		if n := len(live); n > 0 && m.start < live[n-1].end {
			continue // nested in the previous mention
		}
		live = append(live, m)
	}
	var lastPersonAgent string
	runs := d.runBuf[:0]
	defer func() {
		clear(live)
		clear(runs)
		d.liveBuf, d.runBuf = live[:0], runs[:0]
	}()
	for i := 0; i < len(live); {
		m := live[i]
		if m.entry.Kind == KindPerson && len(m.entry.Actor) >= 6 {
			lastPersonAgent = m.entry.Actor[3:6]
		}
		if !countryish(m) && m.entry.Kind != KindAgent && !namedActor(m) {
			i++
			continue
		}
		runs = append(runs, descRun{start: m.start})
		r := &runs[len(runs)-1]
		if m.start > 0 && strings.EqualFold(w[m.start-1], "former") {
			r.former = true
		}
		j := d.extendRun(r, live, i, w, lastPersonAgent)
		for _, a := range r.agents {
			r.codes = d.appendAgentCodes(r.codes, sent, a)
		}
		if r.virtual != "" {
			r.codes = append(r.codes, agentCode{code: r.virtual})
		}
		i = j
	}
	// Sector words with no country of their own take the actors after
	// "from/in/of", and so do those coordinated before them.
	for ri := range runs {
		r := &runs[ri]
		if !r.bare() {
			continue
		}
		if r.start > 0 && ownerWords[strings.ToLower(w[r.start-1])] {
			// "Israel strengthened its forces in Lebanon": the forces are
			// the possessor's; "in Lebanon" says where they are.
			continue
		}
		if p := possessor(live, r.start, w); p != nil {
			// "President Bouteflika's government": the person's country.
			r.bases = []*mention{p}
			continue
		}
		bases, end := d.attached(sent, live, r.end)
		if len(bases) == 0 {
			continue
		}
		r.bases, r.end = bases, end
		for k := ri - 1; k >= 0; k-- {
			q := &runs[k]
			if !q.bare() || q.bases != nil || !coordinated(w[q.end:runs[k+1].start]) {
				break
			}
			q.bases = bases
		}
	}
	for ri := range runs {
		r := &runs[ri]
		if len(r.codes) == 0 {
			continue // an actor alone: it stands as it is
		}
		codes := r.codes
		if r.former {
			var kept []agentCode
			for _, c := range codes {
				if c.prefix {
					kept = append(kept, c)
				}
			}
			codes = append(kept, agentCode{code: "ELI"})
		}
		p := r.named
		if p != nil && p.entry.Kind == KindPerson {
			for _, a := range r.agents {
				a.dropped = true // the title before the name
			}
			if len(p.entry.Actor) > 3 {
				// A dated role says who the person is.
				lastPersonAgent = p.entry.Actor[3:6]
				continue
			}
			base, iso, cname := p.entry.Actor, p.entry.Country, p.entry.CountryName
			if base == "" && r.country != nil {
				base, iso, cname = r.country.entry.Prefix, r.country.entry.Country, r.country.entry.CountryName
			}
			if base == "" {
				base, iso, cname = p.entry.Prefix, p.entry.Country, p.entry.CountryName
			}
			if base == "" {
				continue
			}
			p.entry.Actor = withAgents(base, codes)
			p.entry.Country, p.entry.Prefix = iso, base[:min(3, len(base))]
			if cname != "" {
				p.entry.CountryName = cname
			}
			p.source = "description"
			if len(p.entry.Actor) >= 6 {
				lastPersonAgent = p.entry.Actor[3:6]
			}
			continue
		}
		if len(r.agents) == 0 {
			continue
		}
		head := r.agents[len(r.agents)-1]
		for _, a := range r.agents[:len(r.agents)-1] {
			a.dropped = true
		}
		bases := r.bases
		switch {
		case p != nil:
			bases = []*mention{p}
		case r.country != nil:
			bases = []*mention{r.country}
		}
		from := r.agents[0].start
		head.start = r.start
		if len(bases) == 0 {
			// fillBareAgents looks for its country.
			var pre, post []agentCode
			for _, c := range codes {
				if c.prefix {
					pre = append(pre, c)
				} else {
					post = append(post, c)
				}
			}
			head.entry.Agent = withAgents("", post)
			head.agentPre = withAgents("", pre)
			continue
		}
		d.describe(head, from, r.end, bases, codes)
	}
}

// descRun is one description being read: its parts in text order.
type descRun struct {
	agents     []*mention // sector words, in text order
	country    *mention
	named      *mention
	codes      []agentCode
	former     bool
	virtual    string     // the sector "counterpart" takes
	bases      []*mention // actors attached by "from/in/of"
	start, end int
}

// bare says whether the run is sector words alone, with no country or
// actor of its own.
func (r *descRun) bare() bool { return len(r.agents) > 0 && r.country == nil && r.named == nil }

// extendRun reads the description starting at live[i] into r and returns
// the index of the first mention after it.
func (d *document) extendRun(r *descRun, live []*mention, i int, w []string, lastPersonAgent string) int {
	j := i
	for ; j < len(live); j++ {
		p := live[j]
		if j > i {
			if r.named != nil && r.named.entry.Kind == KindPerson {
				break // a name ends its description
			}
			gapOK := true
			possessive := false
			for t := live[j-1].end; t < p.start; t++ {
				switch {
				case runGap(w[t]):
					possessive = possessive || w[t] == "'s" || w[t] == "’s"
					if strings.EqualFold(w[t], "former") {
						r.former = true
					}
				case possessive && (modifierWord(w[t]) || nameModifier(w[t])) && t-live[j-1].end <= 4 && !(t == p.start-1 && conjunctions[w[t]]):
					// "Ithilen's awful and cool minister": after a
					// possessive, the possessed noun's modifiers.
				default:
					gapOK = false
				}
			}
			if !gapOK {
				break
			}
		}
		// After a sector word only a name (its title: "President
		// Romendacil") or the run's own country goes on: "told lawmakers
		// Seoul will…" are two phrases.
		suffixed := false
		for _, a := range r.agents {
			suffixed = suffixed || !a.entry.AgentPrefix
		}
		switch {
		case p.entry.Kind == KindAgent:
			r.agents = append(r.agents, p)
		case suffixed && p.entry.Kind != KindPerson && !(countryish(p) && r.country != nil):
			return max(j, i+1)
		case countryish(p) && r.named == nil && r.country == nil:
			r.country = p
		case countryish(p) && r.named == nil && suffixed && p.start == live[j-1].end && p.entry.Kind != KindDemonym && p.end < len(w) && !runGap(w[p.end]) && live[j-1].entry.Kind == KindAgent:
			// "Ithilen minister Calimehtar", a name the dictionaries file
			// as another country's: the title holder of the run's country
			// (PETRARCH codes a phrase by its first actor).
		case countryish(p) && r.named == nil && r.country.entry.Prefix == p.entry.Prefix:
			// "Bree President Romendacil", where the name is filed as the
			// country's own.
		case (namedActor(p) || p.entry.Kind == KindPerson) && r.named == nil:
			r.named = p
		default:
			return max(j, i+1)
		}
		r.end = p.end
		// "his South Korean counterpart Moon Jae-in"
		if countryish(p) && len(r.agents) == 0 && r.named == nil && j+1 < len(live) {
			next := p.end
			if next < len(w) && (w[next] == "'s" || w[next] == "’s") {
				next++
			}
			q := live[j+1]
			if next < len(w) && counterparts[strings.ToLower(w[next])] && q.start == next+1 && q.entry.Kind == KindPerson {
				r.virtual = lastPersonAgent
				if r.virtual == "" {
					r.virtual = "GOV"
				}
				r.named = q
				r.end = q.end
				return j + 2
			}
		}
	}
	return max(j, i+1)
}

// appendAgentCodes appends the codes of a sector-word mention: its own and
// those of the agent phrases starting inside it ("main opposition group"
// is MOP, and "opposition group" inside it OPP: PETRARCH stacks both).
func (d *document) appendAgentCodes(out []agentCode, sent int, a *mention) []agentCode {
	out = append(out, agentCode{code: a.entry.Agent, prefix: a.entry.AgentPrefix})
	if a.end-a.start < 2 || d.an.lex == nil {
		return out
	}
	w := d.words[sent]
	for s := a.start + 1; s < a.end; s++ {
		for _, m := range d.an.lex.Match(w[s:a.end], d.date) {
			if m.Start == 0 && m.Entry.Kind == KindAgent && m.Entry.Agent != "" {
				out = append(out, agentCode{code: m.Entry.Agent, prefix: m.Entry.AgentPrefix})
			}
		}
	}
	return out
}

// attached returns the actors after "from/in/of [the]" at token end — one,
// or each of a coordination ("in Fornost and Gondor") — and where they end.
func (d *document) attached(sent int, live []*mention, end int) ([]*mention, int) {
	w := d.words[sent]
	t := end
	if t >= len(w) || !attachWords[strings.ToLower(w[t])] {
		return nil, end
	}
	t++
	if t < len(w) && strings.EqualFold(w[t], "the") {
		t++
	}
	ofWord := strings.EqualFold(w[end], "of")
	var out []*mention
	for k, m := range live {
		if m.start < t {
			continue
		}
		if ofWord && len(out) == 0 && m.start == t && m.entry.Kind == KindAgent && k+1 < len(live) && live[k+1].start == m.end {
			// "the government of President Gbagbo": the title before the
			// name; the person's country is the government's.
			if p := live[k+1]; p.entry.Kind == KindPerson && len(p.entry.Actor) >= 3 && !strings.HasPrefix(p.entry.Actor, "---") {
				return []*mention{p}, p.end
			}
		}
		if ofWord && len(out) == 0 && m.start == t && m.entry.Kind == KindPerson && len(m.entry.Actor) >= 3 && !strings.HasPrefix(m.entry.Actor, "---") {
			return []*mention{m}, m.end
		}
		if m.start != t || !attachable(m) {
			break
		}
		out = append(out, m)
		end = m.end
		// ", B", " and B", ", and B"
		t = m.end
		n := 0
		for t < len(w) && n < 2 && (w[t] == "," || strings.EqualFold(w[t], "and")) {
			t++
			n++
		}
		if t < len(w) && strings.EqualFold(w[t], "the") {
			t++
		}
		if n == 0 {
			break
		}
	}
	return out, end
}

// ownerWords are possessive pronouns: a sector word after one belongs to
// the possessor, not to a place after it.
var ownerWords = map[string]bool{"its": true, "their": true, "his": true, "her": true}

// possessor is the person whose possessive stands right before token t
// ("Bouteflika's government"), when the person has a country; nil when
// none.
func possessor(live []*mention, t int, w []string) *mention {
	if t < 1 || w[t-1] != "'s" && w[t-1] != "’s" {
		return nil
	}
	for _, m := range live {
		if m.end == t-1 && m.entry.Kind == KindPerson && len(m.entry.Actor) >= 3 && !strings.HasPrefix(m.entry.Actor, "---") && !m.dropped {
			return m
		}
	}
	return nil
}

// coordinated says whether the words between two descriptions join them
// ("and", ",", ", and").
func coordinated(between []string) bool {
	if len(between) == 0 || len(between) > 2 {
		return false
	}
	for _, x := range between {
		if x != "," && !strings.EqualFold(x, "and") {
			return false
		}
	}
	return true
}

// describe makes a sector-word mention the organization its description
// names: span to end, code the base actors' with the agent codes (several
// base actors: one code each, joined by "/").
func (d *document) describe(head *mention, from, end int, bases []*mention, codes []agentCode) {
	w := d.words[head.sent]
	var out []string
	for _, b := range bases {
		c := withAgents(baseCode(b), codes)
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	first := bases[0]
	name := first.entry.CountryName
	if name == "" || !countryish(first) {
		name = first.entry.Canonical
	}
	if name == "" {
		name = first.entry.Country
	}
	head.end = max(head.end, end)
	head.entry.Actor = strings.Join(out, "/")
	head.entry.Country = first.entry.Country
	head.entry.Prefix = baseCode(first)[:min(3, len(baseCode(first)))]
	head.entry.Type = detente.EntityOrg
	head.entry.Canonical = strings.TrimSpace(name + " " + strings.Join(agentWords(w, from, head.end), " "))
	head.source = "description"
}

// agentWords are the sector words of a description ("Foreign Ministry" in
// "Ruritania's Foreign Ministry"), for its canonical name.
func agentWords(w []string, from, to int) []string {
	end := to
	for t := from; t < to; t++ {
		if attachWords[strings.ToLower(w[t])] {
			end = t
			break
		}
	}
	if from >= end {
		return nil
	}
	return w[from:end]
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
	d.walkTokens(func(sent, t int, m *mention) {
		toks := d.words[sent]
		if m != nil {
			if m.entry.Kind == KindPerson {
				if c := m.entry.Canonical; severalFields(c) {
					for n, k := nextField(c, 0); n != ""; n, k = nextField(c, k) {
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
				if p, ok := parts[toks[t]]; ok && d.loneNameOK(sent, t) {
					m.entry = p.entry
					m.source = "alias"
				}
			}
			return
		}
		if covered[sent][t] || !isCapitalized(toks[t]) {
			return
		}
		if p, ok := parts[toks[t]]; ok && d.bareNameOK(sent, t, covered[sent]) {
			added = append(added, &mention{sent: sent, start: t, end: t + 1, entry: p.entry, source: "alias"})
		}
	})
	d.ms = append(d.ms, added...)
	d.sortMentions()
}

// severalFields says whether strings.Fields(s) has more than one field.
func severalFields(s string) bool {
	_, k := nextField(s, 0)
	n, _ := nextField(s, k)
	return n != ""
}

// nextField is the first field of s[i:] as strings.Fields splits s, and
// the offset after it; "" at the end. Read in a loop it is Fields without
// the slice.
func nextField(s string, i int) (string, int) {
	for i < len(s) {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		if !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	j := i
	for j < len(s) {
		r, n := rune(s[j]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[j:])
		}
		if unicode.IsSpace(r) {
			break
		}
		j += n
	}
	return s[i:j], j
}

// walkTokens visits the article's tokens in reading order, each with the
// mention that starts at it (nil where none does): the order in which the
// alias passes learn a full name before they meet its short forms.
func (d *document) walkTokens(visit func(sent, t int, m *mention)) {
	byStart := d.mentionsBySentence()
	for sent, toks := range d.words {
		ms := byStart[sent]
		k := 0
		for t := range toks {
			for k < len(ms) && ms[k].start < t {
				k++
			}
			if k < len(ms) && ms[k].start == t {
				visit(sent, t, ms[k])
				continue
			}
			visit(sent, t, nil)
		}
	}
}

// linkOrgNames finds the short forms of an organization the article named
// in full: its head alone ("the Church" after "Church of Scientology",
// "the University" after "University of Sheffield") and the one word of
// its complement the knowledge base does not know ("Scientology"). Only
// free words count: capitalized, not part of a longer run of capitals,
// and not a sentence's first word unless news writes it capitalized.
func (d *document) linkOrgNames() {
	short := map[string]Entry{}
	var added []*mention
	covered := d.coverage()
	d.walkTokens(func(sent, t int, m *mention) {
		if m != nil {
			if !m.dropped && orgName(m) && m.end-m.start >= 2 {
				d.orgShortForms(m, covered[sent], short)
			}
			return
		}
		w := d.words[sent]
		if covered[sent][t] || !isCapitalized(w[t]) {
			return // freeWord needs a capital
		}
		e, ok := short[w[t]]
		if !ok || !d.freeWord(sent, t, covered[sent]) {
			return
		}
		added = append(added, &mention{sent: sent, start: t, end: t + 1, entry: e, source: "alias"})
	})
	if len(added) > 0 {
		d.ms = append(d.ms, added...)
		d.sortMentions()
	}
}

// orgShortForms records the short forms of the organization name m.
func (d *document) orgShortForms(m *mention, covered []bool, short map[string]Entry) {
	w := d.words[m.sent][m.start:m.end]
	head := len(w) - 1
	of := -1
	for k := 1; k < len(w)-1; k++ {
		if w[k] == "of" || w[k] == "for" {
			head, of = k-1, k
			break
		}
	}
	if h := w[head]; orgHeads[strings.ToLower(h)] && isCapitalized(h) {
		if _, ok := short[h]; !ok {
			short[h] = m.entry
		}
	}
	if of >= 0 && of+2 == len(w) {
		c := w[of+1]
		if b := ner.CapitalizationOf(c); isCapitalized(c) && (b == 0 || b >= 4) && d.an.lex != nil {
			if _, known := d.an.lex.Place(c, nil); !known {
				if _, ok := short[c]; !ok {
					short[c] = m.entry
				}
			}
		}
	}
}

// freeWord says whether the capitalized word at t stands alone: no
// capitalized word next to it that no mention covers, and, opening the
// sentence, a word news writes capitalized.
func (d *document) freeWord(sent, t int, covered []bool) bool {
	w := d.words[sent]
	if !isCapitalized(w[t]) {
		return false
	}
	capFree := func(i int) bool { return i >= 0 && i < len(w) && !covered[i] && isCapitalized(w[i]) }
	if capFree(t+1) || t > 0 && capFree(t-1) && !(t == 1 && ner.CapitalizationOf(w[0]) < 4) {
		return false // part of a longer name, unless that word only opens the sentence ("The Church")
	}
	if t == 0 {
		b := ner.CapitalizationOf(w[0])
		return b == 0 || b >= 4
	}
	return true
}

// contextWindow is how many tokens back a bare sector word looks for the
// actor whose country it takes.
const contextWindow = 12

// fillBareAgents gives a sector word without a country ("told lawmakers")
// the country of the nearest actor before it in its clause; with none,
// the sector stands alone as PETRARCH codes it ("a senior official said"
// → ---GOV).
func (d *document) fillBareAgents() {
	for i, m := range d.ms {
		if m.entry.Kind != KindAgent || m.entry.Actor != "" {
			continue
		}
		w := d.words[m.sent]
		if m.end < len(w) && isCapitalized(w[m.start]) && isCapitalized(w[m.end]) {
			// "President Trump", "Minister Zinichev": a title before a name
			// the lexicon did not know; it says nothing on its own.
			m.dropped = true
			continue
		}
		if n := m.end; n+1 < len(w) && isCapitalized(w[m.start]) && (w[n] == "of" || w[n] == "for") &&
			(isCapitalized(w[n+1]) || w[n+1] == "the" && n+2 < len(w) && isCapitalized(w[n+2])) {
			// "University of Arkansas", "Ministry of Magic": the first word
			// of a name the lexicon did not know.
			m.dropped = true
			continue
		}
		m.entry.Type = detente.EntityOrg
		if m.entry.Canonical == "" {
			m.entry.Canonical = strings.ToLower(d.surface(m))
		}
		found := false
		for j := i - 1; j >= 0 && d.ms[j].sent == m.sent && m.start-d.ms[j].end <= contextWindow; j-- {
			p := d.ms[j]
			if p.dropped || p.end > m.start || clauseBreak(w[p.end:m.start]) {
				break
			}
			if p.entry.Prefix != "" && p.entry.Actor != "" && p.entry.Kind != KindPlace && p.entry.Kind != KindRegion && p.entry.Kind != KindWeapon {
				m.entry.Country = p.entry.Country
				m.entry.Prefix = p.entry.Prefix
				if p.entry.CountryName != "" {
					m.entry.Canonical = p.entry.CountryName + " " + m.entry.Canonical
				}
				m.entry.Actor = m.agentPre + p.entry.Prefix + m.entry.Agent
				m.source = "context"
				found = true
				break
			}
		}
		if !found {
			if m.agentPre != "" {
				m.entry.Actor = m.agentPre + m.entry.Agent
			} else {
				m.entry.Actor = "---" + m.entry.Agent
			}
			m.source = "agent"
		}
	}
}

// clauseBreak says whether punctuation between two words ends the clause
// a sector word could take its country from.
func clauseBreak(between []string) bool {
	for _, x := range between {
		switch x {
		case ",", ";", ":", "(", ")", "--", "—", "–":
			return true
		}
	}
	return false
}

// isCapitalized says whether s starts with a capital letter: an upper- or
// title-case letter of any script, as the tagger's own features read it, so
// that "Éric", "Šefčovič" and "İlham" start names as "Eric" does.
func isCapitalized(s string) bool {
	if s == "" {
		return false
	}
	if c := s[0]; c < utf8.RuneSelf {
		return 'A' <= c && c <= 'Z'
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsTitle(r)
}

// coverage marks the tokens inside a mention, per sentence.
func (d *document) coverage() [][]bool {
	cov := make([][]bool, len(d.words))
	n := 0
	for _, w := range d.words {
		n += len(w)
	}
	all := make([]bool, n) // one array for every sentence's marks
	for i, w := range d.words {
		cov[i] = all[:len(w):len(w)]
		all = all[len(w):]
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
	// Each sentence's share of one array, in d.ms's order: sized first,
	// so filling it allocates nothing more.
	n := make([]int, len(d.words))
	for _, m := range d.ms {
		n[m.sent]++
	}
	all := make([]*mention, len(d.ms))
	off := 0
	for sent, c := range n {
		if c > 0 {
			out[sent] = all[off : off : off+c]
			off += c
		}
	}
	for _, m := range d.ms {
		out[m.sent] = append(out[m.sent], m)
	}
	return out
}

func (d *document) sortMentions() {
	slices.SortStableFunc(d.ms, func(x, y *mention) int {
		if x.sent != y.sent {
			return cmp.Compare(x.sent, y.sent)
		}
		if x.start != y.start {
			return cmp.Compare(x.start, y.start)
		}
		return cmp.Compare(y.end, x.end)
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
			continue // a title before a name
		}
		s, e := d.tokenSpan(m)
		typ := entityType(m.entry)
		out = append(out, detente.Entity{
			Text: d.text.TokenText(m.sent, m.start, m.end), Start: s, End: e, Type: typ,
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
	if e.Source == "agent" {
		// A sector word alone ("Police said") names no one; a capitalized
		// institution does ("the Democratic Party").
		return namedInstitution(e.Text)
	}
	if isOffice(e) {
		return false // "US President", "the Secretary of State"
	}
	if (e.Source == "description" || e.Source == "context") && e.Type != detente.EntityPerson {
		// A capitalized institution is named ("the Indonesian Navy", "the
		// US State Department"); a role ("Malaysia's Prime Minister") or a
		// common noun ("Indonesian military") is not.
		f := strings.Fields(e.Text)
		if len(f) < 2 || strings.Contains(e.Text, "'s") || strings.Contains(e.Text, "’s") || !isCapitalized(f[0]) {
			return false
		}
		for _, x := range f {
			if x == "in" || x == "from" {
				return false // "Muslims from Myanmar", "women in Australia"
			}
		}
		last := f[len(f)-1]
		if !isCapitalized(last) || roles[strings.ToLower(last)] || roleOf(f) {
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
