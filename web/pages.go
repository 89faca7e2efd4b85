package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/cameo"
)

// pages holds one parsed template set per page, each the layout plus the
// page's own file.
type pages struct {
	byName map[string]*template.Template
}

var funcs = template.FuncMap{
	"cameoName": func(code string) string {
		if c, ok := cameo.Lookup(code); ok {
			return c.Name
		}
		return ""
	},
	"quadName": quadName,
	"gold":     func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) },
	"pct":      func(f float64) string { return strconv.FormatFloat(f*100, 'f', 0, 64) + "%" },
	"num":      formatInt,
	"snippet":  splitSnippet,
	"host": func(raw string) string {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return raw
		}
		return u.Host
	},
	"actorURL": func(code string) string { return "/actors/" + url.PathEscape(code) },
	"dyadURL": func(a, b string) string {
		if a == "" || b == "" {
			return ""
		}
		return "/dyads/" + url.PathEscape(a) + "/" + url.PathEscape(b)
	},
	"articleURL": func(id string) string { return "/articles/" + url.PathEscape(id) },
	"eventSentenceURL": func(m detente.EventMention) string {
		return "/articles/" + url.PathEscape(m.ArticleID) + "#" + sentenceAnchor(m.Sentence.Start)
	},
	"entClass": entityClass,
	"add":      func(a, b int) int { return a + b },
	"sub":      func(a, b float64) float64 { return a - b },
	"first": func(ms []detente.EventMention) *detente.EventMention {
		if len(ms) == 0 {
			return nil
		}
		return &ms[0]
	},
	"upper": strings.ToUpper,
	// count writes "1 story" or "3 stories".
	"count": func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return formatInt(n) + " " + many
	},
	"list4":   func() []int { return []int{1, 2, 3, 4} },
	"buckets": func() []string { return []string{"day", "week", "month", "year"} },
}

// formatInt writes 12345 as "12,345".
func formatInt(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func parsePages() (*pages, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts.html")
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" || name == "parts" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, f)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", f, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

// view is what every page's template gets.
type view struct {
	Title string
	Nav   string // the navigation entry to mark current
	D     any
	// Auth says the server has tokens (the navigation offers log in or
	// out); LoggedIn that this browser has a session.
	Auth, LoggedIn bool
}

// render executes a page into a buffer first, so a template error becomes
// a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	t := s.pages.byName[name]
	var buf bytes.Buffer
	v := view{D: data, Auth: s.cfg.Token != ""}
	if c, err := r.Cookie(sessionCookie); v.Auth && err == nil {
		v.LoggedIn = s.verifySession(c.Value, time.Now()) != accessNone
	}
	switch d := data.(type) {
	case titled:
		v.Title, v.Nav = d.pageTitle()
	case errorView:
		v.Title = fmt.Sprintf("%d %s", d.Status, d.StatusText)
	}
	if t == nil {
		s.log.Error("web: no template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		s.log.Error("web: render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

type titled interface{ pageTitle() (title, nav string) }

type errorView struct {
	Status     int
	StatusText string
	Message    string
}

// --- search ---

type searchView struct {
	P        searchParams
	Res      *searchResult
	Outlets  []detente.Outlet
	Entities []detente.EntityCount
	Places   []detente.EntityCount
	Roots    []cameo.Code
	Stats    detente.Stats
	Page     int
	Pages    int
	PrevURL  string
	NextURL  string
	// Remove lists the active filters, each with the link that drops it.
	Remove []filterChip
	// FacetNote says what the entity facets counted when it was not every
	// match: a store's facets count the best detente.FacetMatches.
	FacetNote string
	// MoreThan is detente.SearchTotalLimit when more matched than it
	// counts (the total is then one more), else 0.
	MoreThan int
	values   url.Values
}

type filterChip struct{ Label, URL string }

func (v searchView) pageTitle() (string, string) {
	if v.P.Filter.Query != "" {
		return v.P.Filter.Query + " — search", "search"
	}
	return "Search", "search"
}

// FacetURL links the current search with one more filter set.
func (v searchView) FacetURL(key, val string) string {
	return "/search?" + with(v.values, key, val).Encode()
}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	p, err := parseSearch(r.URL.Query(), searchPageSize)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	v := searchView{P: p, Roots: cameo.Roots(), values: searchValues(p)}
	// The hits, the two entity facets and the store's summary are
	// independent queries: run them at once, so the page waits for the
	// slowest rather than for their sum.
	facet := p.Filter
	facet.Limit, facet.Offset = 0, 0
	var places []detente.EntityCount
	var outlets []detente.Outlet
	var wg sync.WaitGroup
	errs := make([]error, 4)
	// A panic in these goroutines would pass the server's recovery and
	// end the process: guard turns it into an error.
	wg.Go(func() { errs[0] = s.guard(func() (err error) { v.Res, err = s.search(ctx, p); return }) })
	wg.Go(func() {
		errs[1] = s.guard(func() (err error) {
			v.Entities, err = s.archive.TopEntities(ctx, facet, 12, detente.EntityPerson, detente.EntityOrg)
			return
		})
	})
	wg.Go(func() {
		errs[2] = s.guard(func() (err error) { places, err = s.archive.TopEntities(ctx, facet, 24, detente.EntityGPE); return })
	})
	wg.Go(func() { errs[3] = s.guard(func() (err error) { v.Stats, outlets, err = s.summary(ctx); return }) })
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	v.Outlets = outlets[:min(len(outlets), 12)]
	// Countries: one entry per country code, in the order of its most
	// mentioned place.
	seen := map[string]bool{}
	for _, e := range places {
		if e.Country != "" && !seen[e.Country] && len(v.Places) < 12 {
			seen[e.Country] = true
			v.Places = append(v.Places, e)
		}
	}
	if v.Res.Total > detente.FacetMatches || v.Res.Notice != "" {
		v.FacetNote = "Counted in the best " + formatInt(detente.FacetMatches) + " matches."
		if p.Filter.Query == "" {
			v.FacetNote = "Counted in the " + formatInt(detente.FacetMatches) + " newest matches."
		}
	}
	if v.Res.Total > detente.SearchTotalLimit {
		v.MoreThan = detente.SearchTotalLimit
	}
	v.Page = p.Filter.Offset/p.Filter.Limit + 1
	v.Pages = (v.Res.Total + p.Filter.Limit - 1) / p.Filter.Limit
	if v.Page > 1 {
		v.PrevURL = "/search?" + with(v.values, "page", strconv.Itoa(v.Page-1)).Encode()
	}
	// Past a counted total, a full page may have more after it.
	if v.Page < v.Pages || v.MoreThan > 0 && len(v.Res.Hits) == p.Filter.Limit {
		v.NextURL = "/search?" + with(v.values, "page", strconv.Itoa(v.Page+1)).Encode()
	}
	for _, k := range []struct{ key, label string }{{"source", "outlet"}, {"from", "from"}, {"to", "to"},
		{"country", "country"}, {"entity", "entity"}, {"root", "event root"}} {
		if val := v.values.Get(k.key); val != "" {
			v.Remove = append(v.Remove, filterChip{Label: k.label + ": " + val, URL: "/search?" + with(v.values, k.key, "").Encode()})
		}
	}
	s.render(w, r, http.StatusOK, "search", v)
}

// --- article ---

type articleView struct {
	*articleData
	Paragraphs []paragraph
	Mentions   int
	Others     []detente.Copy
}

func (v articleView) pageTitle() (string, string) {
	t := v.Story.Original.Title
	if t == "" {
		t = "Article " + v.Story.ID
	}
	return t, ""
}

func (s *Server) articlePage(w http.ResponseWriter, r *http.Request) {
	d, err := s.article(r.Context(), r.PathValue("id"), true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := articleView{articleData: d}
	v.Paragraphs = layoutBody(d.Story.Original.Body, d.Annotations, d.Events, d.Story.ID)
	for _, p := range v.Paragraphs {
		for _, se := range p.Sentences {
			v.Mentions += len(se.Events)
		}
	}
	for _, c := range d.Story.Copies {
		if c.ArticleID != d.Story.ID {
			v.Others = append(v.Others, c)
		}
	}
	s.render(w, r, http.StatusOK, "article", v)
}

// --- events explorer ---

type eventsView struct {
	F        detente.EventFilter
	Events   []detente.Event
	Total    int
	Page     int
	Pages    int
	PrevURL  string
	NextURL  string
	Roots    []cameo.Code
	Plovers  []cameo.PloverType
	Download map[string]string // format → URL of exactly this page
	values   url.Values
}

func (v eventsView) pageTitle() (string, string) { return "Events", "events" }

// SortURL links the table sorted by key: descending first, then flipping.
func (v eventsView) SortURL(key string) string {
	next := "-" + key
	if v.F.Sort == next || (v.F.Sort == "" && key == "date") {
		next = key
	}
	return "/events?" + with(v.values, "sort", next, "page", "").Encode()
}

// SortState is the aria-sort value of a column.
func (v eventsView) SortState(key string) string {
	s := v.F.Sort
	if s == "" {
		s = "-date"
	}
	switch s {
	case key:
		return "ascending"
	case "-" + key:
		return "descending"
	}
	return "none"
}

func (s *Server) eventsPage(w http.ResponseWriter, r *http.Request) {
	f, err := parseEvents(r.URL.Query(), eventsPageSize)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	evs, total, err := s.archive.Events(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := eventsView{F: f, Events: evs, Total: total, Roots: cameo.Roots(), Plovers: cameo.PloverTypes(), values: eventValues(f)}
	v.Page = f.Offset/f.Limit + 1
	v.Pages = (total + f.Limit - 1) / f.Limit
	if v.Page > 1 {
		v.PrevURL = "/events?" + with(v.values, "page", strconv.Itoa(v.Page-1)).Encode()
	}
	if v.Page < v.Pages {
		v.NextURL = "/events?" + with(v.values, "page", strconv.Itoa(v.Page+1)).Encode()
	}
	// The downloads carry the page's own limit and offset: exactly the
	// rows shown.
	page := with(v.values, "limit", strconv.Itoa(f.Limit), "offset", strconv.Itoa(f.Offset))
	v.Download = map[string]string{
		"csv":   "/api/export?" + with(page, "format", "csv").Encode(),
		"jsonl": "/api/export?" + with(page, "format", "jsonl").Encode(),
		"json":  "/api/events?" + page.Encode(),
	}
	s.render(w, r, http.StatusOK, "events", v)
}

// --- dyad ---

type dyadView struct {
	A, B       string // as entered
	QA, QB     string // as queried: with "*" unless exact
	Exact      bool
	Bucket     string
	From, To   string
	At         string // the selected bucket
	Chart      *chart
	Points     []detente.TimelinePoint
	Events     []detente.Event
	Total      int
	EventsURL  string
	ClearAtURL string
}

func (v dyadView) pageTitle() (string, string) {
	if v.A == "" {
		return "Dyad", "dyad"
	}
	return v.A + " – " + v.B, "dyad"
}

func (s *Server) dyadPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	a, b := r.PathValue("a"), r.PathValue("b")
	if a == "" && b == "" {
		// The form on the page sends a and b as query values.
		if get(q, "a") != "" && get(q, "b") != "" {
			ca, errA := actorCode(get(q, "a"))
			cb, errB := actorCode(get(q, "b"))
			if errA != nil || errB != nil {
				s.fail(w, r, invalid("%q and %q must both be CAMEO actor codes", get(q, "a"), get(q, "b")))
				return
			}
			http.Redirect(w, r, "/dyads/"+url.PathEscape(ca)+"/"+url.PathEscape(cb)+"?"+with(q, "a", "", "b", "").Encode(), http.StatusFound)
			return
		}
		s.render(w, r, http.StatusOK, "dyad", dyadView{Bucket: "week"})
		return
	}
	v, err := s.dyad(r, a, b)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "dyad", v)
}

func (s *Server) dyad(r *http.Request, a, b string) (*dyadView, error) {
	q := r.URL.Query()
	var err error
	v := &dyadView{}
	if v.A, err = actorCode(a); err != nil {
		return nil, err
	}
	if v.B, err = actorCode(b); err != nil {
		return nil, err
	}
	v.Exact = get(q, "exact") != ""
	v.QA, v.QB = v.A, v.B
	if !v.Exact {
		// A dyad of countries is read with their sub-actors (CHN covers
		// CHNGOV, CHNMIL…), as analysts compare countries.
		if !strings.HasSuffix(v.QA, "*") {
			v.QA += "*"
		}
		if !strings.HasSuffix(v.QB, "*") {
			v.QB += "*"
		}
	}
	v.Bucket = get(q, "bucket")
	if v.Bucket == "" {
		v.Bucket = "week"
	}
	if !validBucket(v.Bucket) {
		return nil, invalid("bucket %q is not day, week, month or year", v.Bucket)
	}
	if v.From, err = dateValue(q, "from"); err != nil {
		return nil, err
	}
	if v.To, err = dateValue(q, "to"); err != nil {
		return nil, err
	}
	ctx := r.Context()
	if v.Points, err = s.archive.DyadTimeline(ctx, v.QA, v.QB, v.Bucket, v.From, v.To); err != nil {
		return nil, err
	}
	base := url.Values{}
	for _, k := range []string{"bucket", "from", "to", "exact"} {
		if val := get(q, k); val != "" {
			base.Set(k, val)
		}
	}
	self := "/dyads/" + url.PathEscape(v.A) + "/" + url.PathEscape(v.B)
	v.ClearAtURL = self + "?" + base.Encode()
	v.At = get(q, "at")
	f := detente.EventFilter{Between: [2]string{v.QA, v.QB}, From: v.From, To: v.To, Limit: 100}
	if v.At != "" {
		if f.From, f.To, err = bucketRange(v.Bucket, v.At); err != nil {
			return nil, err
		}
	}
	v.Chart = newChart(v.Points, fmt.Sprintf("Events between %s and %s per %s", v.A, v.B, v.Bucket),
		func(bucket string) string { return self + "?" + with(base, "at", bucket).Encode() + "#events" }, v.At)
	if v.Events, v.Total, err = s.archive.Events(ctx, f); err != nil {
		return nil, err
	}
	v.EventsURL = "/events?" + eventValues(f).Encode()
	return v, nil
}

// --- actor ---

type actorView struct {
	Code  string
	Data  *actorData
	Chart *chart
}

func (v actorView) pageTitle() (string, string) {
	if v.Code == "" {
		return "Actor", "actor"
	}
	return "Actor " + v.Code, "actor"
}

func (s *Server) actorPage(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if code == "" {
		if c := get(r.URL.Query(), "code"); c != "" {
			cc, err := actorCode(c)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			http.Redirect(w, r, "/actors/"+url.PathEscape(cc), http.StatusFound)
			return
		}
		s.render(w, r, http.StatusOK, "actor", actorView{})
		return
	}
	code, err := actorCode(code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	bucket := get(r.URL.Query(), "bucket")
	if bucket != "" && !validBucket(bucket) {
		s.fail(w, r, invalid("bucket %q is not day, week, month or year", bucket))
		return
	}
	d, err := s.actor(r.Context(), code, bucket)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := actorView{Code: code, Data: d}
	v.Chart = newChart(d.Timeline, "Events of "+code+" per "+d.Bucket, func(b string) string {
		// "*" as the other side of the dyad: every event of the actor.
		from, to, _ := bucketRange(d.Bucket, b)
		return "/events?" + url.Values{"a": {code}, "b": {"*"}, "from": {from}, "to": {to}}.Encode()
	}, "")
	s.render(w, r, http.StatusOK, "actor", v)
}
