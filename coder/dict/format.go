package dict

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// This file reads and writes detente's own verb dictionary format,
// documented in docs/dictionary.md. In short:
//
//	synset CURRENCY = money | monies | dollar | dollars
//	class MEET
//	verb 040 meet (meets met meeting)
//	verb 036 hold [talks]            ← head word in [...] when not first
//	036       * (with +target)
//	042:043   * (to +target)        ← forward:reverse codes
//	discard story word: world cup
//	transform a (a b ATTACK) SAY = a b 015

// ReadFile reads a dictionary in detente's format.
func ReadFile(path string) (*Dictionary, []ParseError, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	d, errs := Read(f, filepath.Base(path))
	return d, errs, nil
}

// Read reads detente's verb dictionary format. Malformed lines are reported
// with file:line and skipped.
func Read(r io.Reader, name string) (*Dictionary, []ParseError) {
	d := &Dictionary{Synsets: map[string][]string{}}
	var errs []ParseError
	line := 0
	fail := func(reason, text string) {
		errs = append(errs, ParseError{File: name, Line: line, Reason: reason, Text: strings.TrimSpace(text)})
	}
	type pendingSyn struct {
		names []string
		pat   Pattern
		line  int
		text  string
	}
	var pending []pendingSyn
	var classVerbs []Verb
	var classPats []Pattern
	class := ""
	type patRef struct {
		group int
		idx   int
	}
	// Patterns using synsets are checked once the whole file is read, so a
	// synset may be defined after its use; keep their group to drop them.
	groups := [][]Pattern{}
	var groupVerbs [][]Verb
	var refs []patRef
	flushGroup := func() {
		if class == "" && len(classVerbs) == 0 && len(classPats) == 0 {
			return
		}
		groups = append(groups, classPats)
		groupVerbs = append(groupVerbs, classVerbs)
		classVerbs, classPats = nil, nil
	}

	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line++
		raw := sc.Text()
		text := stripHash(raw)
		if text == "" {
			continue
		}
		key, rest, _ := strings.Cut(text, " ")
		if k, r, ok := strings.Cut(key, ":"); ok && k == "discard" {
			key, rest = k, ":"+r+" "+rest // "discard: phrase" has no options
		}
		rest = strings.TrimSpace(rest)
		switch key {
		case "synset":
			n, members, ok := strings.Cut(rest, "=")
			n = strings.ToUpper(strings.TrimPrefix(strings.TrimSpace(n), "&"))
			if !ok || n == "" || strings.ContainsAny(n, " \t") {
				fail("synset line is 'synset NAME = phrase | phrase'", raw)
				continue
			}
			var list []string
			for _, m := range strings.Split(members, "|") {
				if m = strings.ToLower(strings.Join(strings.Fields(m), " ")); m != "" {
					list = append(list, m)
				}
			}
			if len(list) == 0 {
				fail("synset without members", raw)
				continue
			}
			d.Synsets[n] = appendNew(d.Synsets[n], list...)
		case "class":
			flushGroup()
			if rest == "" || strings.ContainsAny(rest, " \t") {
				fail("class line is 'class NAME'", raw)
				class = ""
				continue
			}
			class = rest
		case "verb":
			if class == "" {
				fail("verb outside a class", raw)
				continue
			}
			v, err := parseVerbLine(rest)
			if err != "" {
				fail(err, raw)
				continue
			}
			v.Class = class
			v.Source = name + ":" + itoa(line)
			classVerbs = append(classVerbs, v)
		case "discard":
			spec, phrase, ok := strings.Cut(rest, ":")
			phrase = strings.ToLower(strings.Join(strings.Fields(phrase), " "))
			if !ok || phrase == "" {
				fail("discard line is 'discard [story] [word]: phrase'", raw)
				continue
			}
			dc := Discard{Text: phrase, Source: name + ":" + itoa(line)}
			good := true
			for _, f := range strings.Fields(spec) {
				switch f {
				case "story":
					dc.Story = true
				case "word":
					dc.WholeWord = true
				default:
					good = false
				}
			}
			if !good {
				fail("discard options are 'story' and 'word'", raw)
				continue
			}
			d.Discards = append(d.Discards, dc)
		case "transform":
			left, right, ok := strings.Cut(rest, "=")
			if !ok || strings.TrimSpace(left) == "" || strings.TrimSpace(right) == "" {
				fail("transform line is 'transform pattern = result'", raw)
				continue
			}
			d.Transformations = append(d.Transformations, Transformation{
				Pattern: strings.Join(strings.Fields(left), " "), Result: strings.Join(strings.Fields(right), " "), Source: name + ":" + itoa(line)})
		default:
			if class == "" {
				fail("pattern outside a class", raw)
				continue
			}
			code, rev := splitCode(key)
			if !validCode(code, rev) {
				fail("pattern line starts with its code (e.g. 036, 042:043, :173, ---)", raw)
				continue
			}
			elems, syns, err := parsePatternElements(toPetrarchSyntax(rest))
			if err != "" {
				fail(err, raw)
				continue
			}
			p := Pattern{Elements: elems, Code: code, ReverseCode: rev, Source: name + ":" + itoa(line)}
			if len(syns) > 0 {
				pending = append(pending, pendingSyn{names: syns, pat: p, line: line, text: raw})
				refs = append(refs, patRef{group: len(groups), idx: len(classPats)})
			}
			classPats = append(classPats, p)
		}
	}
	if err := sc.Err(); err != nil {
		fail("read error", err.Error())
	}
	flushGroup()
	// Drop patterns naming undefined synsets.
	drop := map[patRef]bool{}
	for i, ps := range pending {
		for _, s := range ps.names {
			if _, ok := d.Synsets[s]; !ok {
				errs = append(errs, ParseError{File: name, Line: ps.line, Reason: "undefined synset &" + s + "; pattern skipped", Text: strings.TrimSpace(ps.text)})
				drop[refs[i]] = true
				break
			}
		}
	}
	for g, pats := range groups {
		kept := pats
		if len(drop) > 0 {
			kept = nil
			for i, p := range pats {
				if !drop[patRef{g, i}] {
					kept = append(kept, p)
				}
			}
		}
		for _, v := range groupVerbs[g] {
			v.Patterns = kept
			d.Verbs = append(d.Verbs, v)
		}
	}
	return d, errs
}

func stripHash(s string) string {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

func validCode(code, rev string) bool {
	if code == "" && rev == "" {
		return false
	}
	for _, c := range []string{code, rev} {
		for _, r := range c {
			// Codes are usually digits or "---"; old dictionaries also hold
			// marks such as "075A", "080!" and "+++", kept as written.
			if r <= ' ' || strings.ContainsRune("()[]{}*&$%^|_", r) {
				return false
			}
		}
	}
	return true
}

// slotWords are the readable slot names and the PETRARCH symbols they stand for.
var slotWords = map[string]string{
	"$source": "$", "+target": "+", "%both": "%", "^np": "^",
	"$SOURCE": "$", "+TARGET": "+", "%BOTH": "%", "^NP": "^",
}

// toPetrarchSyntax maps detente's readable pattern spelling onto the symbol
// syntax the shared element parser reads: slot words become $ + % ^, and
// [a | b] choices become {a | b}.
func toPetrarchSyntax(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '[':
			b.WriteString(" { ")
		case ']':
			b.WriteString(" } ")
		case '(', ')', '{', '}':
			b.WriteByte(' ')
			b.WriteRune(r)
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	f := strings.Fields(b.String())
	for i, t := range f {
		parts := strings.Split(t, "_")
		for j, p := range parts {
			if sym, ok := slotWords[p]; ok {
				parts[j] = sym
			}
		}
		f[i] = strings.Join(parts, "_")
	}
	return strings.Join(f, " ")
}

// parseVerbLine reads "040 meet (meets met meeting)" or "036 hold [talks]".
func parseVerbLine(s string) (Verb, string) {
	code, rest, _ := strings.Cut(s, " ")
	c, rev := splitCode(code)
	if !validCode(c, rev) {
		return Verb{}, "verb line is 'verb CODE words (forms)'"
	}
	var forms []string
	hasForms := false
	if i := strings.IndexByte(rest, '('); i >= 0 {
		j := strings.IndexByte(rest, ')')
		if j < i || strings.TrimSpace(rest[j+1:]) != "" {
			return Verb{}, "verb forms go in (...) at the end"
		}
		hasForms = true
		forms = strings.Fields(strings.ToLower(rest[i+1 : j]))
		rest = rest[:i]
	}
	words := strings.Fields(strings.ToLower(rest))
	if len(words) == 0 {
		return Verb{}, "verb line without a verb"
	}
	at := 0
	marks := 0
	for i, w := range words {
		if strings.HasPrefix(w, "[") && strings.HasSuffix(w, "]") {
			at = i
			marks++
			words[i] = w[1 : len(w)-1]
		}
	}
	if marks > 1 {
		return Verb{}, "only one [head] word per verb"
	}
	for _, w := range words {
		if w == "" || strings.ContainsAny(w, "[]{}()$+%^*&_") {
			return Verb{}, "verb words are plain words"
		}
	}
	v := Verb{Lemma: words[at], Pre: append([]string(nil), words[:at]...), Post: append([]string(nil), words[at+1:]...), Code: c, ReverseCode: rev}
	if hasForms {
		v.Forms = appendNew([]string{v.Lemma}, forms...)
	} else {
		v.Forms = Inflect(v.Lemma)
	}
	if len(v.Pre) == 0 {
		v.Pre = nil
	}
	if len(v.Post) == 0 {
		v.Post = nil
	}
	return v, ""
}

// Write writes d in detente's format: synsets, then each class with its
// verbs and patterns, then transformations and discards. header lines are
// written first as comments.
func Write(w io.Writer, d *Dictionary, header ...string) error {
	bw := bufio.NewWriter(w)
	for _, h := range header {
		fmt.Fprintf(bw, "# %s\n", h)
	}
	if len(header) > 0 {
		bw.WriteString("\n")
	}
	if len(d.Synsets) > 0 {
		names := make([]string, 0, len(d.Synsets))
		for n := range d.Synsets {
			names = append(names, n)
		}
		sort.Strings(names)
		bw.WriteString("# ---- synonym sets ----\n")
		for _, n := range names {
			fmt.Fprintf(bw, "synset %s = %s\n", n, strings.Join(d.Synsets[n], " | "))
		}
		bw.WriteString("\n")
	}
	for i := 0; i < len(d.Verbs); {
		j := i + 1
		for j < len(d.Verbs) && sameGroup(d.Verbs[i], d.Verbs[j]) {
			j++
		}
		fmt.Fprintf(bw, "class %s\n", d.Verbs[i].Class)
		for _, v := range d.Verbs[i:j] {
			bw.WriteString("verb " + formatVerb(v) + "\n")
		}
		for _, p := range d.Verbs[i].Patterns {
			code := joinCode(p.Code, p.ReverseCode)
			fmt.Fprintf(bw, "%-9s %s\n", code, FormatElements(p.Elements))
		}
		bw.WriteString("\n")
		i = j
	}
	for _, t := range d.Transformations {
		fmt.Fprintf(bw, "transform %s = %s\n", t.Pattern, t.Result)
	}
	if len(d.Transformations) > 0 {
		bw.WriteString("\n")
	}
	for _, dc := range d.Discards {
		spec := "discard"
		if dc.Story {
			spec += " story"
		}
		if dc.WholeWord {
			spec += " word"
		}
		fmt.Fprintf(bw, "%s: %s\n", spec, dc.Text)
	}
	return bw.Flush()
}

// sameGroup says two neighbouring verbs share a class block: same class
// name and the very same pattern slice.
func sameGroup(a, b Verb) bool {
	if a.Class != b.Class || len(a.Patterns) != len(b.Patterns) {
		return false
	}
	return len(a.Patterns) == 0 || &a.Patterns[0] == &b.Patterns[0]
}

func formatVerb(v Verb) string {
	var parts []string
	parts = append(parts, v.Pre...)
	if len(v.Pre) > 0 {
		parts = append(parts, "["+v.Lemma+"]")
	} else {
		parts = append(parts, v.Lemma)
	}
	parts = append(parts, v.Post...)
	s := joinCode(v.Code, v.ReverseCode) + " " + strings.Join(parts, " ")
	if !slices.Equal(v.Forms, Inflect(v.Lemma)) {
		rest := v.Forms
		if len(rest) > 0 && rest[0] == v.Lemma {
			rest = rest[1:]
		}
		s += " (" + strings.Join(rest, " ") + ")"
	}
	return s
}

// FormatElements writes pattern elements in detente's readable spelling,
// e.g. "* (with +target)"; explanations use it too.
func FormatElements(els []Element) string {
	var b strings.Builder
	for i, e := range els {
		if i > 0 {
			if e.Joined {
				b.WriteByte('_')
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(formatElement(e))
	}
	return b.String()
}

func formatElement(e Element) string {
	switch e.Kind {
	case Word:
		return e.Text
	case Synset:
		return "&" + e.Text
	case SourceSlot:
		return "$source"
	case TargetSlot:
		return "+target"
	case CompoundSlot:
		return "%both"
	case Skip:
		return "^np"
	case VerbSlot:
		return "*"
	case NounPhrase:
		return "{" + FormatElements(e.Elems) + "}"
	case Prep:
		if len(e.Elems) == 0 {
			return "(" + e.Text + ")"
		}
		sep := " "
		if e.Elems[0].Joined {
			sep = "_"
		}
		return "(" + e.Text + sep + FormatElements(e.Elems) + ")"
	case Choice:
		return "[" + strings.Join(e.Alternatives, " | ") + "]"
	}
	return "?"
}
