package web

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/detente/detente"
	"github.com/detente/detente/events/export"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// apiSearchResult is GET /api/search's answer.
type apiSearchResult struct {
	Query    string                `json:"query"`
	Total    int                   `json:"total"`
	Limit    int                   `json:"limit"`
	Offset   int                   `json:"offset"`
	Notice   string                `json:"notice,omitempty"`
	Hits     []detente.SearchHit   `json:"hits"`
	Entities []detente.EntityCount `json:"entities,omitempty"`
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	p, err := parseSearch(r.URL.Query(), searchPageSize)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.search(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := apiSearchResult{Query: p.Filter.Query, Total: res.Total, Limit: p.Filter.Limit, Offset: p.Filter.Offset,
		Notice: res.Notice, Hits: res.Hits}
	if get(r.URL.Query(), "facets") != "" {
		f := p.Filter
		f.Limit, f.Offset = 0, 0
		if out.Entities, err = s.archive.TopEntities(r.Context(), f, 20); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// storedEventJSON is a stored event as the API writes it, its fields
// named like the rest of the API's.
type storedEventJSON struct {
	detente.Event
	Seq       int64                 `json:"seq"`
	FirstSeen string                `json:"first_seen"`
	SourceURL string                `json:"source_url"`
	Reports   []detente.EventReport `json:"reports"`
}

// apiArticleResult is GET /api/articles/{id}'s answer.
type apiArticleResult struct {
	*articleData
	Events []storedEventJSON `json:"events"`
}

func (s *Server) apiArticle(w http.ResponseWriter, r *http.Request) {
	d, err := s.article(r.Context(), r.PathValue("id"), false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := apiArticleResult{articleData: d, Events: []storedEventJSON{}}
	for _, se := range d.Events {
		out.Events = append(out.Events, storedEventJSON{Event: se.Event, Seq: se.Seq, FirstSeen: se.FirstSeen,
			SourceURL: se.SourceURL, Reports: nonNil(se.Reports)})
	}
	writeJSON(w, http.StatusOK, out)
}

// apiEventsResult is GET /api/events's answer.
type apiEventsResult struct {
	Total  int             `json:"total"`
	Limit  int             `json:"limit"`
	Offset int             `json:"offset"`
	Events []detente.Event `json:"events"`
}

func (s *Server) apiEvents(w http.ResponseWriter, r *http.Request) {
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
	writeJSON(w, http.StatusOK, apiEventsResult{Total: total, Limit: f.Limit, Offset: f.Offset, Events: nonNil(evs)})
}

// apiTimeline is GET /api/dyads/{a}/{b}/timeline's answer.
type apiTimeline struct {
	A      string                  `json:"a"`
	B      string                  `json:"b"`
	Bucket string                  `json:"bucket"`
	From   string                  `json:"from,omitempty"`
	To     string                  `json:"to,omitempty"`
	Points []detente.TimelinePoint `json:"points"`
}

func (s *Server) apiDyadTimeline(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var t apiTimeline
	var err error
	if t.A, err = actorCode(r.PathValue("a")); err == nil {
		t.B, err = actorCode(r.PathValue("b"))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t.Bucket = get(q, "bucket")
	if t.Bucket == "" {
		t.Bucket = "week"
	}
	if !validBucket(t.Bucket) {
		s.fail(w, r, invalid("bucket %q is not day, week, month or year", t.Bucket))
		return
	}
	if t.From, err = dateValue(q, "from"); err == nil {
		t.To, err = dateValue(q, "to")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pts, err := s.archive.DyadTimeline(r.Context(), t.A, t.B, t.Bucket, t.From, t.To)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t.Points = nonNil(pts)
	writeJSON(w, http.StatusOK, t)
}

func (s *Server) apiActor(w http.ResponseWriter, r *http.Request) {
	code, err := actorCode(r.PathValue("code"))
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
	writeJSON(w, http.StatusOK, d)
}

// exportTypes are the content types of the export formats.
var exportTypes = map[string]string{
	"csv":            "text/csv; charset=utf-8",
	"jsonl":          "application/x-ndjson; charset=utf-8",
	"gdelt-events":   "text/tab-separated-values; charset=utf-8",
	"gdelt-mentions": "text/tab-separated-values; charset=utf-8",
}

var exportExt = map[string]string{"csv": "csv", "jsonl": "jsonl", "gdelt-events": "tsv", "gdelt-mentions": "tsv"}

// apiExport streams the events a filter matches. Without limit and
// offset it exports every match; with them, exactly that page.
func (s *Server) apiExport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	format := get(q, "format")
	if format == "" {
		format = "csv"
	}
	ctype, ok := exportTypes[format]
	if !ok {
		s.fail(w, r, invalid("format %q: want one of %s", format, strings.Join(export.Formats, ", ")))
		return
	}
	f, err := parseEvents(q, 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if get(q, "limit") == "" && get(q, "page") == "" {
		f.Limit = 0 // everything
	}
	// A typo in a filter would otherwise export the whole store: the
	// filter is checked by asking for its first event before any byte is
	// sent, so its error still gets a proper status.
	probe := f
	probe.Limit = 1
	if _, _, err := s.archive.Events(r.Context(), probe); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.ExportTimeout)
	defer cancel()
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="detente-events.`+exportExt[format]+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	n, err := export.Write(ctx, w, s.archive, format, f, export.Options{Header: get(q, "header") != ""})
	if err != nil {
		// The status is sent: the client sees a cut-off stream, the log
		// says why.
		s.log.Error("web: export stopped", "format", format, "written", n, "err", err)
	}
}

// apiPostArticles reads the request body with the readers (any format;
// ?format= to force one, ?name= for detection by extension) and ingests
// what it holds, answering with the run's summary.
func (s *Server) apiPostArticles(w http.ResponseWriter, r *http.Request) {
	if s.access(r) < accessWrite {
		s.denied(w, r, "a valid bearer token for ingest is required")
		return
	}
	if s.cfg.Ingest == nil {
		s.fail(w, r, &statusError{status: http.StatusServiceUnavailable, msg: "ingest is not enabled on this server"})
		return
	}
	q := r.URL.Query()
	opts, err := readOptions(get(q, "format"), get(q, "source"), get(q, "published"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := get(q, "name")
	if name == "" {
		name = nameForType(r.Header.Get("Content-Type"))
	}
	data, err := readBody(r.Body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := []upload{{Name: name, Data: data}}
	sum, err := s.runIngest(r.Context(), in, opts, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if sum.Read > 0 && sum.Read == sum.Failed {
		status = http.StatusUnprocessableEntity
	}
	writeJSON(w, status, sum)
}

// nameForType gives an upload with no name one that format detection
// reads by its extension.
func nameForType(ct string) string {
	ct = strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	switch {
	case ct == "text/html" || ct == "application/xhtml+xml":
		return "upload.html"
	case ct == "application/x-ndjson" || ct == "application/jsonl" || ct == "application/json":
		return "upload.jsonl"
	case slices.Contains([]string{"application/rss+xml", "application/atom+xml", "application/xml", "text/xml"}, ct):
		return "upload.xml"
	case ct == "application/warc":
		return "upload.warc"
	}
	return "upload.txt"
}
