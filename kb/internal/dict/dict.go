// Package dict reads the TABARI/PETRARCH dictionary formats: actor files
// (a phrase, "+" synonyms, tab-indented dated codes such as
// "[KORGOV 170510-220509]") and agent files ("LAWMAKER [~LEG]" with plural
// rules and "!MINIST!" substitution sets). Both the knowledge-base generator
// and the runtime loaders use it, so a user's own dictionary is read exactly
// as the built-in one was.
package dict

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Role is one code an actor holds, optionally limited to a date range.
// From and To are YYYYMMDD integers, inclusive; 0 means open.
type Role struct {
	Code string
	From int
	To   int
}

// Contains reports whether the role applies on day (YYYYMMDD).
func (r Role) Contains(day int) bool {
	return (r.From == 0 || day >= r.From) && (r.To == 0 || day <= r.To)
}

// Dated reports whether the role carries any date limit.
func (r Role) Dated() bool { return r.From != 0 || r.To != 0 }

// Actor is one record of an actor dictionary.
type Actor struct {
	// Names are the primary phrase and its synonyms, with the dictionary's
	// underscores turned into spaces and trailing underscores dropped.
	Names []string
	// Default is the undated code ("" when none), used when no dated role
	// applies.
	Default string
	// Roles are the dated codes in file order (the first that applies wins,
	// as in PETRARCH).
	Roles []Role
	// Comment is the text after ';' or '#' on the primary line (the
	// dictionaries note provenance there, e.g. "CountryInfo.txt").
	Comment string
	// Line is the 1-based line of the primary phrase.
	Line int
}

// Codes returns every code the record mentions, default first.
func (a *Actor) Codes() []string {
	var out []string
	if a.Default != "" {
		out = append(out, a.Default)
	}
	for _, r := range a.Roles {
		out = append(out, r.Code)
	}
	return out
}

// HasDates reports whether any role is date-limited.
func (a *Actor) HasDates() bool {
	for _, r := range a.Roles {
		if r.Dated() {
			return true
		}
	}
	return false
}

// ParseError is a problem on one line; parsing goes on past it.
type ParseError struct {
	Line int
	Msg  string
}

func (e ParseError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// decodeLine returns the line as UTF-8: the Phoenix country file mixes
// encodings, so bytes that are not valid UTF-8 are read as Latin-1.
func decodeLine(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	for _, c := range b {
		sb.WriteRune(rune(c))
	}
	return sb.String()
}

// stripComment removes '#', ';' and one-line '<!-- -->' comments and
// returns the remaining text and the comment.
func stripComment(s string) (text, comment string) {
	for {
		i := strings.Index(s, "<!--")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], "-->")
		if j < 0 {
			comment = s[i+4:]
			s = s[:i]
			break
		}
		s = s[:i] + s[i+j+3:]
	}
	cut := len(s)
	if i := strings.IndexByte(s, '#'); i >= 0 && i < cut {
		cut = i
	}
	if i := strings.IndexByte(s, ';'); i >= 0 && i < cut {
		cut = i
	}
	if cut < len(s) {
		comment = strings.TrimSpace(s[cut+1:])
		s = s[:cut]
	}
	return s, comment
}

// phrase turns a dictionary phrase ("MOON_JAE_IN_") into words joined by
// single spaces ("MOON JAE IN").
func phrase(s string) string {
	s = strings.ReplaceAll(s, "_", " ")
	return strings.Join(strings.Fields(s), " ")
}

// ParseDate reads a TABARI date: YYMMDD (years 00-30 are 20YY, as KEDS and
// TABARI do) or YYYYMMDD. A few typos in the Phoenix files (7, 9 and 10
// digits) are read the way their neighbours show they were meant.
func ParseDate(s string) (int, error) {
	s = strings.TrimSpace(s)
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("bad date %q", s)
		}
	}
	var y, m, d int
	switch len(s) {
	case 6, 7:
		yy, _ := strconv.Atoi(s[0:2])
		m, _ = strconv.Atoi(s[2:4])
		d, _ = strconv.Atoi(s[4:6])
		if yy <= 30 {
			y = 2000 + yy
		} else {
			y = 1900 + yy
		}
	case 8, 9, 10:
		if len(s) == 10 { // "1920030320": a stray century before YYYYMMDD
			s = s[2:]
		}
		y, _ = strconv.Atoi(s[0:4])
		m, _ = strconv.Atoi(s[4:6])
		d, _ = strconv.Atoi(s[6:8])
	default:
		return 0, fmt.Errorf("bad date %q", s)
	}
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, fmt.Errorf("bad date %q", s)
	}
	return y*10000 + m*100 + d, nil
}

// parseRestriction reads the inside of one "[...]": "CODE", "CODE <date",
// "CODE >date", "CODE date-date" or "CODE date" (read as "from date").
func parseRestriction(s string) (Role, bool, error) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return Role{}, false, fmt.Errorf("empty code")
	}
	r := Role{Code: f[0]}
	if r.Code == "---" {
		r.Code = ""
	}
	if len(f) == 1 {
		return r, false, nil
	}
	spec := strings.Join(f[1:], "")
	var err error
	switch {
	case strings.HasPrefix(spec, "<"):
		r.To, err = ParseDate(spec[1:])
	case strings.HasPrefix(spec, ">"):
		r.From, err = ParseDate(spec[1:])
	case strings.Contains(spec, "-"):
		a, b, _ := strings.Cut(spec, "-")
		if a != "" {
			r.From, err = ParseDate(a)
		}
		if err == nil && b != "" { // "date-" is open-ended
			r.To, err = ParseDate(b)
		}
	default:
		r.From, err = ParseDate(spec)
	}
	return r, true, err
}

// brackets returns the contents of each "[...]" in s and the text before
// the first one.
func brackets(s string) (head string, groups []string) {
	i := strings.IndexByte(s, '[')
	if i < 0 {
		return s, nil
	}
	head = s[:i]
	rest := s[i:]
	for {
		i := strings.IndexByte(rest, '[')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], ']')
		if j < 0 {
			groups = append(groups, rest[i+1:])
			break
		}
		groups = append(groups, rest[i+1:i+j])
		rest = rest[i+j+1:]
	}
	return head, groups
}

// ParseActors reads an actor dictionary. Consecutive primary phrases with
// no code of their own share the codes that follow them (the Phoenix files
// list "THE_UNITED_NATIONS_", "UN_", "U.N._" and then "[IGOUNO]"). Bad
// restrictions are reported and skipped; only a read error stops parsing.
func ParseActors(r io.Reader) ([]Actor, []ParseError, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var (
		out  []Actor
		errs []ParseError
		cur  *Actor
		n    int
	)
	addRestrictions := func(groups []string, line int) {
		for _, g := range groups {
			role, dated, err := parseRestriction(g)
			if err != nil {
				errs = append(errs, ParseError{line, err.Error()})
				continue
			}
			if !dated { // "[CODE]" alone is the default, wherever it stands
				if cur.Default == "" {
					cur.Default = role.Code
				}
				continue
			}
			if role.Code == "" {
				continue
			}
			cur.Roles = append(cur.Roles, role)
		}
	}
	for sc.Scan() {
		n++
		raw := decodeLine(sc.Bytes())
		text, comment := stripComment(raw)
		if strings.TrimSpace(text) == "" {
			continue
		}
		indented := text[0] == ' ' || text[0] == '\t'
		t := strings.TrimSpace(text)
		switch {
		case indented && strings.HasPrefix(t, "["):
			if cur == nil {
				errs = append(errs, ParseError{n, "code before any phrase"})
				continue
			}
			_, groups := brackets(t)
			addRestrictions(groups, n)
		case strings.HasPrefix(t, "+"):
			if cur == nil {
				errs = append(errs, ParseError{n, "synonym before any phrase"})
				continue
			}
			head, groups := brackets(t[1:])
			if p := phrase(head); p != "" {
				cur.Names = append(cur.Names, p)
			}
			addRestrictions(groups, n)
		default:
			head, groups := brackets(t)
			p := phrase(head)
			if p == "" {
				errs = append(errs, ParseError{n, "no phrase"})
				continue
			}
			if cur != nil && cur.Default == "" && len(cur.Roles) == 0 {
				// The previous phrase had no code: it is a synonym of this one.
				cur.Names = append(cur.Names, p)
			} else {
				out = append(out, Actor{Line: n})
				cur = &out[len(out)-1]
				cur.Names = []string{p}
				cur.Comment = comment
			}
			addRestrictions(groups, n)
		}
	}
	if cur != nil && cur.Default == "" && len(cur.Roles) == 0 {
		out = out[:len(out)-1] // a trailing phrase with no code codes nothing
	}
	return out, errs, sc.Err()
}

// Agent is one expanded agent phrase: "FOREIGN MINISTRIES" with code
// "GOV". Prefix is set for codes written "IGO~", which go before the
// actor's country code instead of after it.
type Agent struct {
	Phrase string
	Code   string
	Prefix bool
	Line   int
}

// plural forms a regular English plural the way PETRARCH does: +IES after a
// consonant and Y, +ES after SS (and S, X, CH, SH), otherwise +S.
func plural(w string) string {
	u := strings.ToUpper(w)
	switch {
	case strings.HasSuffix(u, "Y") && len(u) > 1 && !strings.ContainsRune("AEIOU", rune(u[len(u)-2])):
		return w[:len(w)-1] + "IES"
	case strings.HasSuffix(u, "S"), strings.HasSuffix(u, "X"), strings.HasSuffix(u, "CH"), strings.HasSuffix(u, "SH"):
		return w + "ES"
	case strings.HasSuffix(u, "MAN"):
		return w[:len(w)-3] + "MEN"
	}
	return w + "S"
}

// ParseAgents reads an agent dictionary and expands it: substitution sets,
// explicit plurals in {...}, and regular plurals unless {} or a trailing
// underscore forbids them.
func ParseAgents(r io.Reader) ([]Agent, []ParseError, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	subs := map[string][]string{}
	var (
		out  []Agent
		errs []ParseError
		n    int
	)
	for sc.Scan() {
		n++
		text, _ := stripComment(decodeLine(sc.Bytes()))
		t := strings.TrimSpace(text)
		if t == "" {
			continue
		}
		if strings.HasPrefix(t, "!") && strings.Contains(t, "=") && !strings.Contains(t, "[") {
			name, list, _ := strings.Cut(t, "=")
			var items []string
			for _, it := range strings.Split(list, ",") {
				if it = strings.TrimSpace(it); it != "" {
					items = append(items, it)
				}
			}
			subs[strings.TrimSpace(name)] = items
			continue
		}
		head, groups := brackets(t)
		if len(groups) == 0 {
			errs = append(errs, ParseError{n, "no agent code"})
			continue
		}
		code := strings.TrimSpace(groups[0])
		prefix := false
		switch {
		case strings.HasPrefix(code, "~"):
			code = code[1:]
		case strings.HasSuffix(code, "~"):
			code, prefix = code[:len(code)-1], true
		default:
			errs = append(errs, ParseError{n, fmt.Sprintf("agent code %q has no ~", code)})
			continue
		}
		var plurals []string
		explicit := false
		if i := strings.IndexByte(head, '{'); i >= 0 {
			explicit = true
			j := strings.IndexByte(head[i:], '}')
			inner := head[i+1:]
			if j >= 0 {
				inner = head[i+1 : i+j]
			}
			for _, p := range strings.Fields(inner) {
				plurals = append(plurals, p)
			}
			head = head[:i]
		}
		base := strings.TrimSpace(head)
		noPlural := explicit || strings.HasSuffix(base, "_")
		// Expand substitution markers: every element replaces the marker,
		// with no plural formed from it.
		forms := []string{base}
		substituted := false
		for name, items := range subs {
			if !strings.Contains(base, name) {
				continue
			}
			substituted = true
			var next []string
			for _, f := range forms {
				for _, it := range items {
					next = append(next, strings.ReplaceAll(f, name, it))
				}
			}
			forms = next
		}
		add := func(p string) {
			if p = phrase(p); p != "" {
				out = append(out, Agent{Phrase: p, Code: code, Prefix: prefix, Line: n})
			}
		}
		for _, f := range forms {
			add(f)
			if !noPlural && !substituted {
				p := phrase(f)
				words := strings.Split(p, " ")
				words[len(words)-1] = plural(words[len(words)-1])
				add(strings.Join(words, " "))
			}
		}
		for _, p := range plurals {
			add(p)
		}
	}
	return out, errs, sc.Err()
}
