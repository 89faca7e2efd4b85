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
	Doc      string
	Tokens   []string
	UPOS     []string
	Mentions []GUMMention
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
		if strings.ContainsAny(f[0], "-.") {
			continue
		}
		i := len(cur.Tokens)
		cur.Tokens = append(cur.Tokens, f[1])
		cur.UPOS = append(cur.UPOS, f[3])
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
	"actor": true, "actress": true, "singer": true, "artist": true, "author": true, "writer": true,
}

// NameSpans returns the sentence's named mentions as flat, non-overlapping
// name spans. GUM marks whole noun phrases ("the Afghan team", "U.S.
// President Donald Trump, who ..."), so a mention counts as named when it
// has a proper noun of its own (one that is not a title word and not
// inside a nested mention of another entity) and, with linkedOnly, when
// GUM links it to Wikipedia. The span is then trimmed to the name, as
// CoNLL and OntoNotes mark names: for people everything up to the last
// title word goes ("President [Donald Trump]"); leading lowercase words,
// determiners and, before a person's
// name, nested mentions of other entities go ("Afghan Ambassador to the
// United States [Hamdullah Mohib]"); and the name ends where its run of
// capitalized words (joined by "of", "the", "and", "de"...) ends, so a
// possessive "'s" or a relative clause is left out. Where named mentions
// nest, the outermost is kept, as flat NER does. Types are mapped with
// MapType; types it drops (time, abstract...) go.
func (s GUMSentence) NameSpans(linkedOnly bool) []Span {
	var spans []Span
	for k, m := range s.Mentions {
		typ := MapType(m.Type)
		if typ == "" || typ == TypeMisc || (linkedOnly && m.Identity == "") {
			continue
		}
		// Tokens covered by other entities' mentions nested in this one.
		nested := make([]bool, m.End-m.Start)
		for k2, o := range s.Mentions {
			if k2 != k && o.Identity != m.Identity || k2 != k && o.Identity == "" {
				if o.Start >= m.Start && o.End <= m.End && (o.Start > m.Start || o.End < m.End) {
					for i := o.Start; i < o.End; i++ {
						nested[i-m.Start] = true
					}
				}
			}
		}
		own := -1 // last proper noun of the mention's own
		for i := m.End - 1; i >= m.Start; i-- {
			if s.UPOS[i] == "PROPN" && !nested[i-m.Start] && !titles[strings.ToLower(s.Tokens[i])] {
				own = i
				break
			}
		}
		if own < 0 {
			continue
		}
		start := m.Start
		if typ == TypePerson {
			for i := own - 1; i >= m.Start; i-- {
				if titles[strings.ToLower(s.Tokens[i])] {
					start = i + 1
					break
				}
			}
		}
		for start < own && (!startsUpper(s.Tokens[start]) || typ == TypePerson && nested[start-m.Start]) {
			start++
		}
		end := start + 1
		for i := start + 1; i < m.End; i++ {
			if typ == TypePerson && i > own && nested[i-m.Start] {
				break // "[Wu Chi-wai] of the Democratic Party"
			}
			if startsUpper(s.Tokens[i]) {
				end = i + 1
				continue
			}
			if !connectors[strings.ToLower(s.Tokens[i])] {
				break
			}
		}
		if end <= own {
			end = own + 1
		}
		spans = append(spans, Span{Start: start, End: end, Type: typ})
	}
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

// connectors may join the capitalized words of one name.
var connectors = map[string]bool{
	"of": true, "the": true, "and": true, "&": true, "for": true, "de": true, "du": true,
	"van": true, "von": true, "der": true, "al": true, "bin": true, "la": true, "le": true,
	"-": true, "'": true,
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
