package dict

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ReadPetrarchFile reads a PETRARCH-1 or PETRARCH-2 verb dictionary file.
func ReadPetrarchFile(path string) (*Dictionary, []ParseError, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	d, errs := ReadPetrarch(f, filepath.Base(path))
	return d, errs, nil
}

// ReadPetrarch reads a verb dictionary in the PETRARCH layouts (TABARI's
// heirs): synsets ("&NAME" then "+phrase" lines), verb blocks
// ("--- NAME [code] ---"), verb lines ("SAY {SAYS SAID SAYING} [010]",
// multi-word "+CORDON_OFF", "WIRE_+TAP"), patterns ("- $ * (TO +) [042:043]")
// and PETRARCH-2 transformations ("~ a (a b ATTACK) SAY = a b 015"). Both
// pattern syntaxes are understood: PETRARCH-1's flat words with "_"
// connectors and PETRARCH-2's "{noun phrase}" and "(prepositional phrase)".
// Comments are "#", ";" and "<!-- -->". Each malformed line is reported with
// its line number and skipped; name labels the positions.
func ReadPetrarch(r io.Reader, name string) (*Dictionary, []ParseError) {
	p := &p1reader{name: name, d: &Dictionary{Synsets: map[string][]string{}}, rawSyn: map[string][]string{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	inXML := false
	for sc.Scan() {
		p.line++
		text := sc.Text()
		text, inXML = stripXMLComment(text, inXML)
		p.handle(text)
	}
	if err := sc.Err(); err != nil {
		p.fail("read error", err.Error())
	}
	p.finish()
	return p.d, p.errs
}

// stripXMLComment removes <!-- --> comments, which may span lines.
func stripXMLComment(s string, in bool) (string, bool) {
	var b strings.Builder
	for {
		if in {
			i := strings.Index(s, "-->")
			if i < 0 {
				return b.String(), true
			}
			s = s[i+3:]
			in = false
			continue
		}
		i := strings.Index(s, "<!--")
		if i < 0 {
			b.WriteString(s)
			return b.String(), false
		}
		b.WriteString(s[:i])
		s = s[i+4:]
		in = true
	}
}

// stripComment cuts a "#" or ";" comment (";" is the old KEDS/TABARI rule);
// inside [...] they are part of a code ("[###]" was TABARI's discard code).
func stripComment(s string) string {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			if depth > 0 {
				depth--
			}
		case '#', ';':
			if depth == 0 {
				return strings.TrimSpace(s[:i])
			}
		}
	}
	return strings.TrimSpace(s)
}

type p1reader struct {
	name string
	line int
	d    *Dictionary
	errs []ParseError

	mode     int // 0 none, 1 synset, 2 block
	synName  string
	synNoPl  bool
	rawSyn   map[string][]string
	synOrder []string

	block     *p1block
	blocks    []*p1block
	pending   []pendingPattern
	blockSeen map[string]int
}

type p1block struct {
	name     string
	code     string
	verbs    []Verb
	explicit map[string]bool // lemma phrase → forms were listed
	patterns []Pattern
}

type pendingPattern struct {
	block *p1block
	pat   Pattern
	syns  []string
	text  string
	line  int
}

func (p *p1reader) fail(reason, text string) {
	p.errs = append(p.errs, ParseError{File: p.name, Line: p.line, Reason: reason, Text: strings.TrimSpace(text)})
}

func (p *p1reader) where() string { return p.name + ":" + itoa(p.line) }

func (p *p1reader) handle(raw string) {
	trimmed := strings.TrimSpace(raw)
	if trimmed == "" {
		if p.mode == 1 {
			p.mode = 2
			if p.block == nil {
				p.mode = 0
			}
		}
		return
	}
	switch {
	case strings.HasPrefix(trimmed, "---"):
		p.header(trimmed)
	case strings.HasPrefix(trimmed, "#"), strings.HasPrefix(trimmed, ";"):
	case strings.HasPrefix(trimmed, "&"):
		p.synsetHeader(trimmed)
	case strings.HasPrefix(trimmed, "+") && p.mode == 1:
		p.synsetMember(trimmed)
	case strings.HasPrefix(trimmed, "~"):
		p.transformation(trimmed)
	case strings.HasPrefix(trimmed, "-"):
		if p.block == nil {
			p.fail("pattern outside a verb block", trimmed)
			return
		}
		p.mode = 2
		p.pattern(trimmed)
	default:
		if p.block == nil {
			p.fail("verb outside a verb block", trimmed)
			return
		}
		p.mode = 2
		p.verbLine(trimmed)
	}
}

func (p *p1reader) header(s string) {
	// "--- NAME [code] ---"; some old blocks end in "###" instead.
	body := strings.TrimSpace(strings.TrimRight(stripComment(strings.TrimLeft(s, "-")), "- "))
	fields := strings.Fields(body)
	if len(fields) == 0 {
		p.fail("verb block header without a name", s)
		return
	}
	b := &p1block{name: strings.Trim(fields[0], "_"), code: NullCode, explicit: map[string]bool{}}
	if i := strings.IndexByte(body, '['); i >= 0 {
		j := strings.IndexByte(body[i:], ']')
		if j < 0 {
			p.fail("unclosed [code] in block header", s)
		} else if c := strings.TrimSpace(body[i+1 : i+j]); c != "" {
			b.code = c
		}
	}
	p.block = b
	p.blocks = append(p.blocks, b)
	p.mode = 2
}

func (p *p1reader) synsetHeader(s string) {
	f := strings.Fields(stripComment(s))
	if len(f) != 1 || len(f[0]) < 2 {
		p.fail("synset name must be one word after &", s)
		p.mode = 0
		return
	}
	name := strings.ToUpper(f[0][1:])
	p.synNoPl = strings.HasSuffix(name, "_")
	name = strings.TrimRight(name, "_")
	p.synName = name
	if _, dup := p.rawSyn[name]; !dup {
		p.synOrder = append(p.synOrder, name)
		p.rawSyn[name] = nil
	}
	p.mode = 1
}

func (p *p1reader) synsetMember(s string) {
	body := stripComment(s[1:])
	if body == "" {
		p.fail("empty synset member", s)
		return
	}
	noPl := p.synNoPl || strings.HasSuffix(body, "_")
	phrase := strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(body, "_", " ")), " "))
	if strings.HasPrefix(phrase, "&") {
		// Nested synset (TABARI allowed it): resolved in finish.
		p.rawSyn[p.synName] = appendNew(p.rawSyn[p.synName], strings.ToUpper(phrase))
		return
	}
	if strings.ContainsAny(phrase, "$+%^*{}()") {
		p.fail("synset phrases hold words only", s)
		return
	}
	members := []string{phrase}
	if !noPl {
		if pl := Plural(phrase); pl != phrase {
			members = append(members, pl)
		}
	}
	p.rawSyn[p.synName] = appendNew(p.rawSyn[p.synName], members...)
}

func (p *p1reader) transformation(s string) {
	body := stripComment(s[1:])
	left, right, ok := strings.Cut(body, "=")
	if !ok || strings.TrimSpace(left) == "" || strings.TrimSpace(right) == "" {
		p.fail("transformation needs 'pattern = result'", s)
		return
	}
	p.d.Transformations = append(p.d.Transformations, Transformation{
		Pattern: strings.Join(strings.Fields(left), " "), Result: strings.Join(strings.Fields(right), " "), Source: p.where()})
}

// verbLine reads "SAY {SAYS SAID SAYING} [010]  # note".
func (p *p1reader) verbLine(s string) {
	body := stripComment(s)
	if body == "" {
		return
	}
	code := ""
	if i := strings.IndexByte(body, '['); i >= 0 {
		j := strings.IndexByte(body[i:], ']')
		if j < 0 {
			p.fail("unclosed [code] on verb line", s)
			return
		}
		code = strings.TrimSpace(body[i+1 : i+j])
		body = body[:i] + " " + body[i+j+1:]
	}
	var forms []string
	hasForms := false
	if i := strings.IndexByte(body, '{'); i >= 0 {
		j := strings.IndexByte(body, '}')
		if j < i {
			p.fail("unclosed {forms} on verb line", s)
			return
		}
		hasForms = true
		forms = strings.Fields(body[i+1 : j])
		body = body[:i] + " " + body[j+1:]
	} else if strings.ContainsAny(body, "}()") {
		p.fail("verb forms must be in {...}", s)
		return
	}
	words := strings.Fields(body)
	if len(words) == 0 {
		p.fail("verb line without a verb", s)
		return
	}
	// TABARI-era files sometimes spell a multi-word verb with spaces
	// ("LASH OUT"); read it as "LASH_OUT".
	pre, head, post, ok := splitMultiWord(strings.Join(words, "_"))
	if !ok {
		p.fail("multi-word verb must mark its verb with + at its first or last word", s)
		return
	}
	if code == "" {
		code = p.block.code
	}
	var all []string
	if hasForms {
		all = []string{head}
		for _, f := range forms {
			_, fh, _, ok := splitMultiWord(f)
			if !ok {
				p.fail("bad verb form", f)
				continue
			}
			all = appendNew(all, fh)
		}
	} else {
		all = Inflect(head)
	}
	fwd, rev := splitCode(code)
	v := Verb{Lemma: head, Pre: pre, Post: post, Forms: all, Code: fwd, ReverseCode: rev, Class: p.block.name, Source: p.where()}
	key := v.Phrase()
	for i := range p.block.verbs {
		old := &p.block.verbs[i]
		if old.Phrase() != key {
			continue
		}
		// The same verb listed twice: irregular forms win over regular ones.
		switch {
		case hasForms && !p.block.explicit[key]:
			old.Forms = all
		case hasForms:
			old.Forms = appendNew(old.Forms, all...)
		}
		if code != p.block.code {
			old.Code, old.ReverseCode = fwd, rev
		}
		p.block.explicit[key] = p.block.explicit[key] || hasForms
		return
	}
	p.block.explicit[key] = hasForms
	p.block.verbs = append(p.block.verbs, v)
}

// splitMultiWord reads "+CORDON_OFF", "WIRE_+TAP", "RE_+ARREST" or "SAY"
// into lower-case words before the verb, the verb, and words after it. An
// unmarked multi-word phrase ("CLEAR_UP") takes its first word as the verb.
func splitMultiWord(s string) (pre []string, head string, post []string, ok bool) {
	s = strings.ToLower(strings.Trim(s, "_"))
	parts := strings.Split(s, "_")
	at := 0
	marks := 0
	for i, w := range parts {
		if strings.HasPrefix(w, "+") {
			at = i
			marks++
			parts[i] = w[1:]
		}
	}
	if marks > 1 {
		return nil, "", nil, false
	}
	for _, w := range parts {
		if w == "" || strings.ContainsAny(w, "+&$%^*[]{}()") {
			return nil, "", nil, false
		}
	}
	return append([]string(nil), parts[:at]...), parts[at], append([]string(nil), parts[at+1:]...), true
}

// pattern reads "- $ * (TO +) [042:043]  # note".
func (p *p1reader) pattern(s string) {
	body := s[1:]
	if strings.HasPrefix(strings.TrimSpace(body), "-") {
		p.fail("unexpected line starting with --", s)
		return
	}
	body = stripComment(body)
	i := strings.LastIndexByte(body, '[')
	if i < 0 || !strings.HasSuffix(body, "]") {
		p.fail("pattern without a [code] at its end", s)
		return
	}
	codeText := strings.TrimSpace(body[i+1 : len(body)-1])
	if codeText == "" {
		p.fail("empty [code]", s)
		return
	}
	code, rev := splitCode(codeText)
	elems, syns, err := parsePatternElements(body[:i])
	if err != "" {
		p.fail(err, s)
		return
	}
	p.pending = append(p.pending, pendingPattern{block: p.block, pat: Pattern{Elements: elems, Code: code, ReverseCode: rev, Source: p.where()}, syns: syns, text: s, line: p.line})
}

// finish resolves synsets, drops patterns that use undefined ones, and
// hands each block's patterns to its verbs.
func (p *p1reader) finish() {
	for _, name := range p.synOrder {
		members, err := flattenSynset(name, p.rawSyn, map[string]bool{})
		if err != "" {
			p.errs = append(p.errs, ParseError{File: p.name, Reason: err, Text: "&" + name})
		}
		p.d.Synsets[name] = members
	}
	for _, pp := range p.pending {
		ok := true
		for _, s := range pp.syns {
			if _, def := p.d.Synsets[s]; !def {
				p.errs = append(p.errs, ParseError{File: p.name, Line: pp.line, Reason: "undefined synset &" + s + "; pattern skipped", Text: strings.TrimSpace(pp.text)})
				ok = false
				break
			}
		}
		if ok {
			pp.block.patterns = append(pp.block.patterns, pp.pat)
		}
	}
	for _, b := range p.blocks {
		for _, v := range b.verbs {
			v.Patterns = b.patterns
			p.d.Verbs = append(p.d.Verbs, v)
		}
	}
}

func flattenSynset(name string, raw map[string][]string, visiting map[string]bool) ([]string, string) {
	if visiting[name] {
		return nil, "synset contains itself"
	}
	visiting[name] = true
	defer delete(visiting, name)
	var out []string
	var problem string
	for _, m := range raw[name] {
		if strings.HasPrefix(m, "&") {
			inner := strings.TrimRight(m[1:], "_")
			if _, ok := raw[inner]; !ok {
				problem = "nested synset &" + inner + " is undefined"
				continue
			}
			sub, err := flattenSynset(inner, raw, visiting)
			if err != "" {
				problem = err
			}
			out = appendNew(out, sub...)
			continue
		}
		out = appendNew(out, m)
	}
	return out, problem
}

// tokenizePattern splits pattern text into tokens, brackets and "|" apart,
// keeping "_" inside tokens for the element reader.
func tokenizePattern(s string) []string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '(', ')', '{', '}', '|':
			b.WriteByte(' ')
			b.WriteRune(r)
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return strings.Fields(b.String())
}

// parsePatternElements reads the pattern body (without its code) into
// elements and returns the synsets it names. The error is "" when well formed.
func parsePatternElements(s string) ([]Element, []string, string) {
	toks := tokenizePattern(s)
	var syns []string
	pos := 0
	var parse func(stop string) ([]Element, string)
	parse = func(stop string) ([]Element, string) {
		var out []Element
		for pos < len(toks) {
			t := toks[pos]
			pos++
			switch t {
			case stop:
				return out, ""
			case ")", "}":
				return nil, "unbalanced " + t
			case "|":
				return nil, "| outside {…}"
			case "(":
				if stop != "" {
					return nil, "nested (…)"
				}
				inner, err := parse(")")
				if err != "" {
					return nil, err
				}
				if len(inner) == 0 || inner[0].Kind != Word {
					return nil, "(…) must start with a preposition"
				}
				out = append(out, Element{Kind: Prep, Text: inner[0].Text, Elems: inner[1:]})
			case "{":
				// TABARI disjunction "{A | B}" or PETRARCH-2 noun phrase "{A B}".
				depth, bar := 0, false
				for k := pos; k < len(toks); k++ {
					if toks[k] == "{" {
						depth++
					}
					if toks[k] == "}" {
						if depth == 0 {
							break
						}
						depth--
					}
					if toks[k] == "|" && depth == 0 {
						bar = true
					}
				}
				if bar {
					var alts []string
					var cur []string
					for pos < len(toks) && toks[pos] != "}" {
						if toks[pos] == "|" {
							alts = append(alts, strings.Join(cur, " "))
							cur = nil
						} else {
							cur = append(cur, strings.ToLower(strings.ReplaceAll(toks[pos], "_", " ")))
						}
						pos++
					}
					if pos >= len(toks) {
						return nil, "unclosed {"
					}
					pos++
					alts = append(alts, strings.Join(cur, " "))
					out = append(out, Element{Kind: Choice, Alternatives: alts})
					continue
				}
				inner, err := parse("}")
				if err != "" {
					return nil, err
				}
				if len(inner) == 0 {
					return nil, "empty {…}"
				}
				out = append(out, Element{Kind: NounPhrase, Elems: inner})
			default:
				els, err := atomElements(t, &syns)
				if err != "" {
					return nil, err
				}
				out = append(out, els...)
			}
		}
		if stop != "" {
			return nil, "unclosed " + map[string]string{")": "(", "}": "{"}[stop]
		}
		return out, ""
	}
	elems, err := parse("")
	if err != "" {
		return nil, nil, err
	}
	if n := countVerb(elems); n != 1 {
		if n == 0 {
			return nil, nil, "pattern has no * (verb position)"
		}
		return nil, nil, "pattern has more than one *"
	}
	return elems, syns, ""
}

func countVerb(els []Element) int {
	n := 0
	for _, e := range els {
		if e.Kind == VerbSlot {
			n++
		}
		n += countVerb(e.Elems)
	}
	return n
}

// atomElements splits a token on "_" connectors into joined elements.
func atomElements(t string, syns *[]string) ([]Element, string) {
	parts := strings.Split(t, "_")
	var out []Element
	for i, part := range parts {
		if part == "" {
			continue // "RE_" is an open match, "_" alone a stray connector
		}
		e, err := atom(part, syns)
		if err != "" {
			return nil, err
		}
		e.Joined = i > 0 && len(out) > 0
		out = append(out, e)
	}
	return out, ""
}

func atom(t string, syns *[]string) (Element, string) {
	switch t {
	case "*", "**":
		return Element{Kind: VerbSlot}, ""
	case "$":
		return Element{Kind: SourceSlot}, ""
	case "+":
		return Element{Kind: TargetSlot}, ""
	case "%":
		return Element{Kind: CompoundSlot}, ""
	case "^":
		return Element{Kind: Skip}, ""
	}
	if strings.HasPrefix(t, "&") {
		name := strings.TrimRight(strings.ToUpper(t[1:]), "_")
		if name == "" {
			return Element{}, "empty synset name"
		}
		*syns = append(*syns, name)
		return Element{Kind: Synset, Text: name}, ""
	}
	if strings.ContainsAny(t, "$+%^*&[]") {
		return Element{}, "bad token " + t
	}
	return Element{Kind: Word, Text: strings.ToLower(t)}, ""
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
