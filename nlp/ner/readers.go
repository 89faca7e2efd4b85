package ner

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MapType maps a gold set's entity label to the model's types, or "" for
// labels the model does not learn. It covers wikigold (PER, ORG, LOC,
// MISC), CrossNER politics (person, politician, organisation,
// politicalparty, country, location, election, event, misc), GUM (person,
// organization, place, event) and MEANTIME (PER, ORG, LOC, PRO).
func MapType(label string) string {
	switch strings.ToLower(label) {
	case "per", "person", "politician", "people":
		return TypePerson
	case "org", "organisation", "organization", "politicalparty":
		return TypeOrg
	case "loc", "location", "country", "place", "gpe":
		return TypePlace
	case "event", "election":
		return TypeEvent
	case "misc", "pro", "product":
		return TypeMisc
	}
	return ""
}

// ReadCoNLL reads a CoNLL-style file: one token per line with its label
// in the last whitespace-separated field, a blank line between sentences.
// Both IOB1 (wikigold) and IOB2 (CrossNER) labels are read, and types are
// mapped with mapType (nil: MapType); the result is IOB2.
func ReadCoNLL(r io.Reader, doc string, mapType func(string) string) ([]Sentence, error) {
	if mapType == nil {
		mapType = MapType
	}
	var out []Sentence
	var toks, labs []string
	flush := func() {
		if len(toks) > 0 {
			out = append(out, Sentence{Tokens: toks, Labels: relabel(labs, mapType), Doc: doc})
		}
		toks, labs = nil, nil
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			flush()
			continue
		}
		if f[0] == "-DOCSTART-" {
			flush()
			continue
		}
		if len(f) < 2 {
			return nil, fmt.Errorf("ner: %s line %d: want a token and a label", doc, line)
		}
		toks = append(toks, f[0])
		labs = append(labs, f[len(f)-1])
	}
	flush()
	return out, sc.Err()
}

// relabel reads labels as spans, maps their types and writes IOB2.
func relabel(labels []string, mapType func(string) string) []string {
	var spans []Span
	for _, s := range SpansFromLabels(labels) {
		if t := mapType(s.Type); t != "" {
			s.Type = t
			spans = append(spans, s)
		}
	}
	return LabelsFromSpans(len(labels), spans)
}

// GUMMention is one entity mention of a GUM sentence: tokens [Start, End).
type GUMMention struct {
	Start, End int
	Type       string // GUM entity type: person, place, organization, ...
	Identity   string // Wikipedia title when GUM links the entity, else ""
	Head       int    // token index of the mention's syntactic head
}

// GUMSentence is one sentence of a GUM CoNLL-U file.
type GUMSentence struct {
	Doc    string
	Tokens []string
	UPOS   []string
	// XPOS are the Penn Treebank tags. GUM gives every word of a name
	// NNP or NNPS there, while UPOS keeps a modifier's own category
	// ("United" in "United States" is VERB, "Civic" in "Civic Passion" ADJ).
	XPOS     []string
	Mentions []GUMMention
	// NoSpaceAfter marks the tokens the original text does not follow with
	// a space ("Cheuk" in "Cheuk-yan", "Scientology" in "Scientology's"),
	// so the text can be rebuilt as it was written.
	NoSpaceAfter []bool
}

// ReadGUM reads GUM's CoNLL-U with entity annotations in the MISC column:
// "Entity=(3-organization-new-sssss-cf1-5-coref-Afghan_Girls_Robotics_Team"
// opens mention 3 (fields GRP-etype-infstat-salience-centering-minspan-
// link-identity, the identity being the Wikipedia link), "3)" closes it and
// "(7-time-...)" is a one-token mention. Multiword-token and empty-node
// lines are skipped.
func ReadGUM(r io.Reader) ([]GUMSentence, error) {
	var out []GUMSentence
	doc := ""
	var cur GUMSentence
	var heads []int
	type open struct {
		id    string
		start int
		typ   string
		ident string
	}
	var stack []open
	mwt := [2]int{-1, -1} // token range of the current multiword token
	mwtNoSpace := false
	flush := func() {
		if len(cur.Tokens) > 0 {
			cur.Doc = doc
			for k := range cur.Mentions {
				cur.Mentions[k].Head = headOf(heads, cur.Mentions[k].Start, cur.Mentions[k].End)
			}
			out = append(out, cur)
		}
		cur = GUMSentence{}
		heads = nil
		mwt = [2]int{-1, -1}
		stack = stack[:0]
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			flush()
			continue
		}
		if strings.HasPrefix(line, "#") {
			if v, ok := strings.CutPrefix(line, "# newdoc id = "); ok {
				doc = strings.TrimSpace(v)
			}
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 10 {
			return nil, fmt.Errorf("ner: GUM %s: %d columns, want 10", doc, len(f))
		}
		if strings.Contains(f[0], ".") {
			continue // an empty node
		}
		if a, b, ok := strings.Cut(f[0], "-"); ok {
			// A multiword token ("Scientology's" = 4-5): its words are
			// written without spaces between them, and its SpaceAfter
			// belongs to its last word.
			first, err1 := strconv.Atoi(a)
			last, err2 := strconv.Atoi(b)
			if err1 == nil && err2 == nil && last >= first {
				mwt = [2]int{len(cur.Tokens), len(cur.Tokens) + last - first}
				mwtNoSpace = strings.Contains(f[9], "SpaceAfter=No")
			}
			continue
		}
		i := len(cur.Tokens)
		cur.Tokens = append(cur.Tokens, f[1])
		cur.UPOS = append(cur.UPOS, f[3])
		cur.XPOS = append(cur.XPOS, f[4])
		noSpace := strings.Contains(f[9], "SpaceAfter=No")
		if i >= mwt[0] && i <= mwt[1] {
			noSpace = i < mwt[1] || mwtNoSpace
		}
		cur.NoSpaceAfter = append(cur.NoSpaceAfter, noSpace)
		h, err := strconv.Atoi(f[6])
		if err != nil {
			h = 0
		}
		heads = append(heads, h-1) // 0-based; -1 is the root
		ent := ""
		for _, kv := range strings.Split(f[9], "|") {
			if v, ok := strings.CutPrefix(kv, "Entity="); ok {
				ent = v
			}
		}
		for p := 0; p < len(ent); {
			switch {
			case ent[p] == '(':
				q := p + 1
				for q < len(ent) && ent[q] != '(' && ent[q] != ')' {
					q++
				}
				parts := strings.SplitN(ent[p+1:q], "-", 8)
				o := open{id: parts[0], start: i}
				if len(parts) > 1 {
					o.typ = parts[1]
				}
				if len(parts) > 7 {
					o.ident = parts[7]
				}
				if q < len(ent) && ent[q] == ')' {
					cur.Mentions = append(cur.Mentions, GUMMention{Start: i, End: i + 1, Type: o.typ, Identity: o.ident})
					q++
				} else {
					stack = append(stack, o)
				}
				p = q
			case ent[p] >= '0' && ent[p] <= '9':
				q := p
				for q < len(ent) && ent[q] != ')' {
					q++
				}
				id := ent[p:q]
				for k := len(stack) - 1; k >= 0; k-- {
					if stack[k].id == id {
						o := stack[k]
						cur.Mentions = append(cur.Mentions, GUMMention{Start: o.start, End: i + 1, Type: o.typ, Identity: o.ident})
						stack = append(stack[:k], stack[k+1:]...)
						break
					}
				}
				p = q + 1
			default:
				p++
			}
		}
	}
	flush()
	return out, sc.Err()
}

// headOf returns the first token of [start, end) whose head lies outside.
func headOf(heads []int, start, end int) int {
	for i := start; i < end; i++ {
		if h := heads[i]; h < start || h >= end {
			return i
		}
	}
	return start
}

// titles are words that precede a person's name without being part of it
// (the OntoNotes and CoNLL convention: "President [Donald Trump]").
var titles = map[string]bool{
	"president": true, "vice": true, "prime": true, "minister": true, "secretary": true,
	"senator": true, "sen.": true, "rep.": true, "representative": true, "congressman": true,
	"congresswoman": true, "governor": true, "gov.": true, "mayor": true, "king": true,
	"queen": true, "prince": true, "princess": true, "general": true, "gen.": true, "dr.": true,
	"dr": true, "mr.": true, "mr": true, "mrs.": true, "mrs": true, "ms.": true, "ms": true,
	"chancellor": true, "chairman": true, "chairwoman": true, "ceo": true, "director": true,
	"judge": true, "justice": true, "pope": true, "sir": true, "lord": true, "lady": true,
	"professor": true, "prof.": true, "captain": true, "capt.": true, "col.": true, "colonel": true,
	"lt.": true, "sgt.": true, "sergeant": true, "officer": true, "spokesman": true,
	"spokeswoman": true, "leader": true, "commander": true, "ambassador": true, "emperor": true,
	"sheikh": true, "chief": true, "founder": true,
	"detective": true, "inspector": true, "bishop": true, "cardinal": true, "rev.": true,
	"reverend": true,
	"premier":  true, "deputy": true, "attorney": true,
	"administrator": true, "mp": true, "mep": true, "councillor": true, "councilor": true,
	"coach": true, "manager": true, "striker": true, "midfielder": true, "goalkeeper": true,
	"actor": true, "actress": true, "singer": true, "artist": true, "author": true, "writer": true,
}

// NameSpans returns the sentence's named mentions as flat, non-overlapping
// name spans, the way CoNLL and OntoNotes mark names. GUM marks whole noun
// phrases ("the US State Department", "localist group Civic Passion",
// "U.S. President Donald Trump, who ..."); the name inside one is read by
// one rule, the same for every document:
//
//   - a mention is named when its syntactic head is a proper noun (Penn
//     tag NNP or NNPS, which GUM gives every word of a name, where UPOS
//     keeps a modifier's own category: "United" in "United States" is a
//     VERB) and, with linkedOnly, when GUM links it to Wikipedia; when
//     the head is a common noun with a name attached ("Facebook creator
//     Mark Zuckerberg"), the name's last word stands for the head: the
//     mention's last proper noun that is neither a title nor part of a
//     nested mention of another entity;
//   - its name is the maximal run of proper nouns around the head, inside
//     the mention, where a run may pass through a name particle ("of",
//     "the", "and", "&", "for", "de"...: "Church of Scientology") or a
//     hyphen written without spaces ("Lee Cheuk-yan") that has proper
//     nouns on both sides; a possessive "'s" ends it;
//   - a person's name starts after the last title word before the head
//     ("President [Donald Trump]") and after any nested mention of another
//     entity before the head ("Afghan Ambassador to the United States
//     [Hamdullah Mohib]");
//   - where named mentions overlap, the outermost (longest) is kept, as
//     flat NER does.
//
// Types are mapped with MapType; types it drops (time, abstract...) and
// MISC go.
func (s GUMSentence) NameSpans(linkedOnly bool) []Span {
	return flatten(s.nameSpans(linkedOnly, nil))
}

// gumMiscTypes are GUM's entity types whose named mentions are names of
// things, not of people, places or organizations: vehicles, products,
// works, laws, publications ("Space Shuttle Atlantis", "Internet
// Explorer", "Clean Air Act", "Nature Climate Change").
var gumMiscTypes = map[string]bool{"object": true, "abstract": true, "substance": true}

// MiscSpans returns the sentence's named mentions of things (objects,
// abstractions, substances: gumMiscTypes) as MISC spans, by the same
// name rule as NameSpans, leaving out any that overlaps one of
// NameSpans's names: those stay as they are scored.
func (s GUMSentence) MiscSpans() []Span {
	names := s.NameSpans(false)
	var out []Span
	for _, sp := range flatten(s.nameSpans(false, gumMiscTypes)) {
		ok := true
		for _, n := range names {
			if sp.Start < n.End && n.Start < sp.End {
				ok = false
			}
		}
		if ok {
			out = append(out, sp)
		}
	}
	return out
}

// nameSpans returns the named mentions of the types MapType keeps, or,
// with misc, of GUM's types in misc as MISC, before the overlaps are
// resolved.
func (s GUMSentence) nameSpans(linkedOnly bool, misc map[string]bool) []Span {
	var spans []Span
	propn := func(i int) bool { return i < len(s.XPOS) && (s.XPOS[i] == "NNP" || s.XPOS[i] == "NNPS") }
	for k, m := range s.Mentions {
		typ := MapType(m.Type)
		if misc != nil {
			typ = ""
			if misc[strings.ToLower(m.Type)] {
				typ = TypeMisc
			}
		}
		if typ == "" || typ == TypeMisc && misc == nil || (linkedOnly && m.Identity == "") {
			continue
		}
		h := m.Head
		if h < m.Start || h >= m.End {
			continue
		}
		if !propn(h) {
			// "Facebook creator Mark Zuckerberg": UD heads the phrase on
			// the noun and attaches the name to it; the name is then the
			// mention's last proper noun of its own (not a title, not in
			// a nested mention of another entity).
			h = -1
			for i := m.End - 1; i >= m.Start; i-- {
				if propn(i) && !s.inOther(k, i) && !titles[strings.ToLower(s.Tokens[i])] {
					h = i
					break
				}
			}
			if h < 0 {
				continue
			}
		}
		// joiner says whether token i may stand inside a name between
		// proper nouns: a particle, or a hyphen written without spaces.
		joiner := func(i int) bool {
			if s.Tokens[i] == "-" {
				return i > m.Start && s.noSpace(i-1) && s.noSpace(i)
			}
			if typ == TypePerson {
				return personParticles[s.Tokens[i]]
			}
			return nameParticles[s.Tokens[i]] || personParticles[s.Tokens[i]]
		}
		start, end := h, h+1
		for {
			i := start - 1
			for i >= m.Start && i > start-3 && !propn(i) && joiner(i) {
				i--
			}
			if i < m.Start || !propn(i) {
				break
			}
			start = i
		}
		for {
			i := end
			for i < m.End && i < end+2 && !propn(i) && joiner(i) {
				i++
			}
			if i >= m.End || !propn(i) {
				break
			}
			end = i + 1
		}
		if typ == TypePerson {
			// Titles and other entities before the last word of the name
			// go: "US President [Barack Obama]", "NASA Administrator
			// [Charles Bolden]". A run of titles alone names no one.
			cut := start
			for i := start; i < end; i++ {
				if titles[strings.ToLower(s.Tokens[i])] || s.inOther(k, i) && i < h {
					cut = i + 1
				}
			}
			if cut >= end {
				continue
			}
			start = cut
			for start < end && !propn(start) {
				start++ // a particle left at the edge by the cut
			}
			if start >= end {
				continue
			}
		}
		spans = append(spans, Span{Start: start, End: end, Type: typ})
	}
	return spans
}

// flatten keeps the outermost of overlapping spans, in text order.
func flatten(spans []Span) []Span {
	// Keep the outermost of nested spans; longer first, then by start.
	sort.SliceStable(spans, func(a, b int) bool {
		la, lb := spans[a].End-spans[a].Start, spans[b].End-spans[b].Start
		if la != lb {
			return la > lb
		}
		return spans[a].Start < spans[b].Start
	})
	var kept []Span
	for _, sp := range spans {
		ok := true
		for _, k := range kept {
			if sp.Start < k.End && k.Start < sp.End {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, sp)
		}
	}
	sort.Slice(kept, func(a, b int) bool { return kept[a].Start < kept[b].Start })
	return kept
}

// noSpace says whether token i is written without a space after it.
func (s GUMSentence) noSpace(i int) bool { return i < len(s.NoSpaceAfter) && s.NoSpaceAfter[i] }

// inOther says whether token i lies in a mention, nested in mention k, of
// another entity.
func (s GUMSentence) inOther(k, i int) bool {
	m := s.Mentions[k]
	for k2, o := range s.Mentions {
		if k2 == k || (o.Identity != "" && o.Identity == m.Identity) {
			continue
		}
		if o.Start >= m.Start && o.End <= m.End && (o.End-o.Start) < (m.End-m.Start) && i >= o.Start && i < o.End {
			return true
		}
	}
	return false
}

// nameParticles may join the proper nouns of an organization's or a
// place's name ("Church of Scientology", "Bosnia and Herzegovina",
// "Procter & Gamble"), up to two in a row ("Bank of the West").
var nameParticles = map[string]bool{
	"of": true, "the": true, "and": true, "&": true, "for": true, "on": true,
}

// personParticles may join the words of a person's name ("Ludwig van
// Beethoven"); "of" may not: "[Wu Chi-wai] of the Democratic Party".
var personParticles = map[string]bool{
	"de": true, "du": true, "des": true, "van": true, "von": true, "der": true, "den": true,
	"al": true, "bin": true, "ibn": true, "la": true, "le": true, "y": true, "da": true, "di": true,
}

func startsUpper(tok string) bool {
	r, _ := utf8.DecodeRuneInString(tok)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// GUMTraining returns GUM sentences as training sentences with their named
// mentions (see NameSpans) as labels.
func GUMTraining(sents []GUMSentence, linkedOnly bool) []Sentence {
	out := make([]Sentence, 0, len(sents))
	for _, s := range sents {
		out = append(out, Sentence{Tokens: s.Tokens, Labels: LabelsFromSpans(len(s.Tokens), s.NameSpans(linkedOnly)), Doc: s.Doc})
	}
	return out
}

// GUMTrainingMisc is GUMTraining with the names of things (MiscSpans)
// labelled MISC instead of O.
func GUMTrainingMisc(sents []GUMSentence, linkedOnly bool) []Sentence {
	out := make([]Sentence, 0, len(sents))
	for _, s := range sents {
		spans := append(s.NameSpans(linkedOnly), s.MiscSpans()...)
		out = append(out, Sentence{Tokens: s.Tokens, Labels: LabelsFromSpans(len(s.Tokens), spans), Doc: s.Doc})
	}
	return out
}

// meantimeDoc is the part of a MEANTIME NAF/XML document the reader uses.
type meantimeDoc struct {
	Name   string `xml:"doc_name,attr"`
	Tokens []struct {
		ID       string `xml:"t_id,attr"`
		Sentence string `xml:"sentence,attr"`
		Text     string `xml:",chardata"`
	} `xml:"token"`
	Mentions []struct {
		ID      string `xml:"m_id,attr"`
		Syntax  string `xml:"syntactic_type,attr"`
		Anchors []struct {
			ID string `xml:"t_id,attr"`
		} `xml:"token_anchor"`
	} `xml:"Markables>ENTITY_MENTION"`
	Entities []struct {
		ID   string `xml:"m_id,attr"`
		Type string `xml:"ent_type,attr"`
	} `xml:"Markables>ENTITY"`
	Refers []struct {
		Sources []struct {
			ID string `xml:"m_id,attr"`
		} `xml:"source"`
		Target struct {
			ID string `xml:"m_id,attr"`
		} `xml:"target"`
	} `xml:"Relations>REFERS_TO"`
}

// ReadMEANTIME reads one MEANTIME document. Entity mentions get their type
// from the entity they refer to (REFERS_TO); only proper-name mentions
// (syntactic_type NAM) become labels, since the model tags names.
func ReadMEANTIME(r io.Reader) ([]Sentence, error) {
	var d meantimeDoc
	if err := xml.NewDecoder(r).Decode(&d); err != nil {
		return nil, fmt.Errorf("ner: MEANTIME: %w", err)
	}
	entType := map[string]string{}
	for _, e := range d.Entities {
		entType[e.ID] = e.Type
	}
	mentionType := map[string]string{}
	for _, rel := range d.Refers {
		if t, ok := entType[rel.Target.ID]; ok {
			for _, s := range rel.Sources {
				mentionType[s.ID] = t
			}
		}
	}
	type pos struct{ sent, tok int }
	where := map[string]pos{}
	var out []Sentence
	lastSent := ""
	for _, t := range d.Tokens {
		if t.Sentence != lastSent || len(out) == 0 {
			out = append(out, Sentence{Doc: d.Name})
			lastSent = t.Sentence
		}
		s := &out[len(out)-1]
		where[t.ID] = pos{len(out) - 1, len(s.Tokens)}
		s.Tokens = append(s.Tokens, strings.TrimSpace(t.Text))
	}
	spans := make([][]Span, len(out))
	for _, m := range d.Mentions {
		typ := MapType(mentionType[m.ID])
		if m.Syntax != "NAM" || typ == "" || len(m.Anchors) == 0 {
			continue
		}
		first, ok1 := where[m.Anchors[0].ID]
		last, ok2 := where[m.Anchors[len(m.Anchors)-1].ID]
		if !ok1 || !ok2 || first.sent != last.sent || last.tok < first.tok {
			continue
		}
		spans[first.sent] = append(spans[first.sent], Span{Start: first.tok, End: last.tok + 1, Type: typ})
	}
	for i := range out {
		sort.SliceStable(spans[i], func(a, b int) bool {
			return spans[i][a].End-spans[i][a].Start > spans[i][b].End-spans[i][b].Start
		})
		out[i].Labels = LabelsFromSpans(len(out[i].Tokens), spans[i])
	}
	return out, nil
}
