package web

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/detente/detente"
	"github.com/detente/detente/cameo"
)

// Page sizes.
const (
	searchPageSize = 20
	eventsPageSize = 50
	maxPageSize    = 500
	// maxOffset keeps deep paging (which costs the store a scan of
	// everything before the page) within reason.
	maxOffset = 100_000
)

var (
	dateParam = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)
	// An actor code, a prefix of codes ending in "*", or "*" alone (any
	// actor, as the other side of a dyad).
	actorParam = regexp.MustCompile(`^(?:[A-Z0-9-]{1,24}\*?|\*)$`)
	countryISO = regexp.MustCompile(`^[A-Z]{3}$`)
	rootParam  = regexp.MustCompile(`^\d{2}$`)
	codeParam  = regexp.MustCompile(`^\d{2,4}\*?$`)
)

func invalid(format string, args ...any) error {
	return detente.Errorf(detente.EINVALID, format, args...)
}

// maxParamBytes bounds a query value; longer ones are cut (on a
// character boundary, so the value stays UTF-8).
const maxParamBytes = 500

// get returns a trimmed query value, at most maxParamBytes of it, with
// control characters as spaces: no parameter means one, and a NUL inside
// a search word cuts SQLite's FTS5 string short (an "unterminated
// string" error from the store).
func get(v url.Values, key string) string {
	s := v.Get(key)
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		s = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return ' '
			}
			return r
		}, s)
	}
	s = strings.TrimSpace(s)
	if len(s) > maxParamBytes {
		cut := maxParamBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return s
}

func dateValue(v url.Values, key string) (string, error) {
	d := get(v, key)
	if d != "" && !dateParam.MatchString(d) {
		return "", invalid("%s %q is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", key, d)
	}
	return d, nil
}

func actorValue(v url.Values, key string) (string, error) {
	a := strings.ToUpper(get(v, key))
	if a != "" && !actorParam.MatchString(a) {
		return "", invalid("%s %q is not a CAMEO actor code (letters, digits, '-', optionally ending in '*')", key, a)
	}
	return a, nil
}

// actorCode validates an actor code from a path.
func actorCode(s string) (string, error) {
	a := strings.ToUpper(strings.TrimSpace(s))
	if !actorParam.MatchString(a) {
		return "", invalid("%q is not a CAMEO actor code (letters, digits, '-', optionally ending in '*')", s)
	}
	return a, nil
}

// paging reads limit and offset (API) or page (pages).
func paging(v url.Values, size int) (limit, offset int, err error) {
	limit = size
	if s := get(v, "limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit < 1 || limit > maxPageSize {
			return 0, 0, invalid("limit %q is not a number from 1 to %d", s, maxPageSize)
		}
	}
	if s := get(v, "offset"); s != "" {
		if offset, err = strconv.Atoi(s); err != nil || offset < 0 {
			return 0, 0, invalid("offset %q is not a number ≥ 0", s)
		}
	}
	if s := get(v, "page"); s != "" {
		p, err := strconv.Atoi(s)
		if err != nil || p < 1 {
			return 0, 0, invalid("page %q is not a number ≥ 1", s)
		}
		offset = (p - 1) * limit
	}
	if offset > maxOffset {
		return 0, 0, invalid("offset %d is beyond %d: narrow the search instead", offset, maxOffset)
	}
	return limit, offset, nil
}

// searchParams is a search as the URL holds it.
type searchParams struct {
	Filter detente.SearchFilter
	Root   string // CAMEO root: articles with an event of it
}

func parseSearch(v url.Values, pageSize int) (searchParams, error) {
	var p searchParams
	var err error
	f := &p.Filter
	f.Query = get(v, "q")
	f.Source = get(v, "source")
	f.Entity = get(v, "entity")
	if f.From, err = dateValue(v, "from"); err != nil {
		return p, err
	}
	if f.To, err = dateValue(v, "to"); err != nil {
		return p, err
	}
	f.Country = strings.ToUpper(get(v, "country"))
	if f.Country != "" && !countryISO.MatchString(f.Country) {
		return p, invalid("country %q is not an ISO 3166-1 alpha-3 code", f.Country)
	}
	p.Root = get(v, "root")
	if p.Root != "" && !rootParam.MatchString(p.Root) {
		return p, invalid("root %q is not a two-digit CAMEO root", p.Root)
	}
	if f.Limit, f.Offset, err = paging(v, pageSize); err != nil {
		return p, err
	}
	return p, nil
}

// parseEvents reads an event filter from the URL. a and b name a dyad.
func parseEvents(v url.Values, pageSize int) (detente.EventFilter, error) {
	var f detente.EventFilter
	var err error
	if f.Source, err = actorValue(v, "source"); err != nil {
		return f, err
	}
	if f.Target, err = actorValue(v, "target"); err != nil {
		return f, err
	}
	if f.Between[0], err = actorValue(v, "a"); err != nil {
		return f, err
	}
	if f.Between[1], err = actorValue(v, "b"); err != nil {
		return f, err
	}
	if (f.Between[0] == "") != (f.Between[1] == "") {
		return f, invalid("a dyad needs both actors a and b")
	}
	f.Code = get(v, "code")
	if f.Code != "" {
		if !codeParam.MatchString(f.Code) || (!strings.HasSuffix(f.Code, "*") && !cameo.Valid(f.Code)) {
			return f, invalid("code %q is not a CAMEO event code (e.g. 036, or 03* for a root)", f.Code)
		}
	}
	f.Root = get(v, "root")
	if f.Root != "" && !rootParam.MatchString(f.Root) {
		return f, invalid("root %q is not a two-digit CAMEO root", f.Root)
	}
	if p := get(v, "plover"); p != "" {
		n, ok := cameo.NormalizePloverType(strings.ToUpper(p))
		if !ok {
			return f, invalid("plover %q is not a PLOVER event type", p)
		}
		f.PLOVER = n
	}
	if q := get(v, "quad"); q != "" {
		if f.Quad, err = strconv.Atoi(q); err != nil || f.Quad < 1 || f.Quad > 4 {
			return f, invalid("quad %q is not a quad class 1 … 4", q)
		}
	}
	if f.From, err = dateValue(v, "from"); err != nil {
		return f, err
	}
	if f.To, err = dateValue(v, "to"); err != nil {
		return f, err
	}
	f.Country = strings.ToUpper(get(v, "country"))
	if f.Country != "" && !countryISO.MatchString(f.Country) {
		return f, invalid("country %q is not an ISO 3166-1 alpha-3 code", f.Country)
	}
	f.Sort = get(v, "sort")
	if f.Sort != "" {
		if _, ok := sortKeys[strings.TrimPrefix(f.Sort, "-")]; !ok {
			return f, invalid("sort %q: want date, mentions, goldstein or first_seen, with - for descending", f.Sort)
		}
	}
	if f.Limit, f.Offset, err = paging(v, pageSize); err != nil {
		return f, err
	}
	return f, nil
}

var sortKeys = map[string]bool{"date": true, "mentions": true, "goldstein": true, "first_seen": true}

// eventValues is an event filter as URL values: the inverse of parseEvents
// (paging left out).
func eventValues(f detente.EventFilter) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("source", f.Source)
	set("target", f.Target)
	set("a", f.Between[0])
	set("b", f.Between[1])
	set("code", f.Code)
	set("root", f.Root)
	set("plover", f.PLOVER)
	if f.Quad != 0 {
		v.Set("quad", strconv.Itoa(f.Quad))
	}
	set("from", f.From)
	set("to", f.To)
	set("country", f.Country)
	set("sort", f.Sort)
	return v
}

func searchValues(p searchParams) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("q", p.Filter.Query)
	set("source", p.Filter.Source)
	set("from", p.Filter.From)
	set("to", p.Filter.To)
	set("country", p.Filter.Country)
	set("entity", p.Filter.Entity)
	set("root", p.Root)
	return v
}

// with returns a copy of v with key set to val ("" removes it).
func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			out.Del(kv[i])
		} else {
			out.Set(kv[i], kv[i+1])
		}
	}
	return out
}
