// Package web is detente's analyst workbench: server-rendered pages (search,
// article, events explorer, dyad and actor views, ingest) and a JSON API over
// any detente.Archive, served by `detente serve`.
//
// Pages are html/template with embedded assets and work without JavaScript.
// Every response carries a strict Content-Security-Policy (scripts only from
// the embedded app.js, no inline code), state-changing browser requests are
// checked for cross-origin forgery, request bodies and handler times are
// bounded, and errors reach clients as messages, never as internals.
package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/pipeline"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// IngestFunc runs the ingest pipeline over a stream of raw articles,
// reporting the running summary to progress (which may be nil).
type IngestFunc func(ctx context.Context, in <-chan pipeline.Input, progress func(pipeline.Summary)) (pipeline.Summary, error)

// Config is what a Server needs.
type Config struct {
	Archive detente.Archive
	// Ingest stores uploaded articles; nil disables the ingest page and
	// POST /api/articles (they answer 503).
	Ingest IngestFunc
	// Token, when set, is the bearer token that ingest requests must carry
	// (the ingest form asks for it). `detente serve` requires one when it
	// listens beyond loopback.
	Token string
	// Logger receives request errors; nil logs to slog's default.
	Logger *slog.Logger
	// Registry receives the server's metrics and is served at /metrics;
	// nil makes a fresh registry with the Go and process collectors.
	Registry *prometheus.Registry
	// Limits; zero values take the defaults below.
	MaxUploadBytes int64         // an ingest request's body
	HandlerTimeout time.Duration // a page's or an API answer's time
	ExportTimeout  time.Duration // a streamed export's time
}

// Defaults of the limits.
const (
	DefaultMaxUploadBytes = 32 << 20
	DefaultHandlerTimeout = 15 * time.Second
	DefaultExportTimeout  = 30 * time.Minute
	// maxQueryBytes bounds other requests' bodies: GETs carry none, and a
	// form post needs little.
	maxQueryBytes = 64 << 10
)

// Server serves the workbench. Create it with New.
type Server struct {
	cfg     Config
	archive detente.Archive
	log     *slog.Logger
	pages   *pages
	metrics *metrics
	jobs    *jobs
	handler http.Handler
	// ingestMu lets one ingest run at a time: the stores take one writer,
	// and two pipelines would only queue on it.
	ingestMu sync.Mutex
	sum      storeSummary
}

// New builds a server over cfg.Archive.
func New(cfg Config) (*Server, error) {
	if cfg.Archive == nil {
		return nil, errors.New("web: no archive")
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = DefaultMaxUploadBytes
	}
	if cfg.HandlerTimeout <= 0 {
		cfg.HandlerTimeout = DefaultHandlerTimeout
	}
	if cfg.ExportTimeout <= 0 {
		cfg.ExportTimeout = DefaultExportTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
		cfg.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	m, err := newMetrics(cfg.Registry)
	if err != nil {
		return nil, err
	}
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, archive: cfg.Archive, log: cfg.Logger, pages: p, metrics: m, jobs: newJobs(50)}
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP serves the workbench.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	// timed bounds a handler whose answer is small: it is buffered and
	// cut off with 503 when it takes too long.
	timed := func(h http.HandlerFunc) http.Handler {
		return http.TimeoutHandler(h, s.cfg.HandlerTimeout, "the request took too long\n")
	}
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", cacheForever(http.StripPrefix("/static/", http.FileServerFS(static))))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/search", http.StatusFound)
	})

	mux.Handle("GET /search", timed(s.searchPage))
	mux.Handle("GET /articles/{id}", timed(s.articlePage))
	mux.Handle("GET /events", timed(s.eventsPage))
	mux.Handle("GET /dyads/{a}/{b}", timed(s.dyadPage))
	mux.Handle("GET /dyads", timed(s.dyadPage))
	mux.Handle("GET /actors/{code}", timed(s.actorPage))
	mux.Handle("GET /actors", timed(s.actorPage))
	mux.Handle("GET /ingest", timed(s.ingestPage))
	mux.HandleFunc("POST /ingest", s.ingestPost) // reads an upload: bounded by size, not buffered
	mux.Handle("GET /ingest/jobs/{id}", timed(s.jobPage))

	mux.Handle("GET /api/search", timed(s.apiSearch))
	mux.Handle("GET /api/articles/{id}", timed(s.apiArticle))
	mux.Handle("GET /api/events", timed(s.apiEvents))
	mux.Handle("GET /api/dyads/{a}/{b}/timeline", timed(s.apiDyadTimeline))
	mux.Handle("GET /api/actors/{code}", timed(s.apiActor))
	mux.HandleFunc("GET /api/export", s.apiExport) // streams
	mux.HandleFunc("POST /api/articles", s.apiPostArticles)
	mux.Handle("GET /api/ingest/jobs/{id}", timed(s.apiJob))
	mux.Handle("GET /healthz", timed(s.healthz))
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.cfg.Registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, detente.Errorf(detente.ENOTFOUND, "no page at %s", r.URL.Path))
	})

	// Browsers send Sec-Fetch-Site or Origin with every form post: a
	// cross-origin one is refused. Clients like curl send neither and
	// pass; ingest still needs the bearer token when one is set.
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, &statusError{status: http.StatusForbidden, msg: "cross-origin request refused"})
	}))
	var h http.Handler = csrf.Handler(mux)
	h = s.limitBody(h)
	h = securityHeaders(h)
	h = s.metrics.instrument(h)
	h = s.recoverPanics(h)
	return h
}

// securityHeaders sets the headers every answer carries. The policy allows
// scripts, styles and images from this server only, and no framing.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Cross-Origin-Resource-Policy", "same-origin")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		h.ServeHTTP(w, r)
	})
}

func cacheForever(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// limitBody bounds every request body: ingest requests to the upload
// limit, everything else to a little.
func (s *Server) limitBody(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(maxQueryBytes)
		if r.Method == http.MethodPost && (r.URL.Path == "/ingest" || r.URL.Path == "/api/articles") {
			limit = s.cfg.MaxUploadBytes
		}
		if r.ContentLength > limit {
			s.fail(w, r, &statusError{status: http.StatusRequestEntityTooLarge,
				msg: fmt.Sprintf("request body too large (at most %d bytes)", limit)})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		h.ServeHTTP(w, r)
	})
}

// recoverPanics turns a handler's panic into a 500 with a generic message;
// the stack goes to the log only.
func (s *Server) recoverPanics(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("web: panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// statusError is an error with an HTTP status and a message for the client.
type statusError struct {
	status int
	msg    string
}

func (e *statusError) Error() string { return e.msg }

// errorStatus maps an error to its status and client message; internal
// errors get a generic message.
func errorStatus(err error) (int, string) {
	var se *statusError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &se):
		return se.status, se.msg
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("request body too large (at most %d bytes)", mbe.Limit)
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "the request took too long"
	case errors.Is(err, context.Canceled):
		return 499, "request canceled"
	}
	switch detente.ErrorCode(err) {
	case detente.EINVALID:
		return http.StatusBadRequest, detente.ErrorMessage(err)
	case detente.ENOTFOUND:
		return http.StatusNotFound, detente.ErrorMessage(err)
	case detente.ECONFLICT:
		return http.StatusConflict, detente.ErrorMessage(err)
	}
	return http.StatusInternalServerError, "internal error"
}

// fail answers with an error: JSON for the API, a page otherwise.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := errorStatus(err)
	if status >= 500 && status != http.StatusServiceUnavailable {
		s.log.Error("web: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == "/healthz" {
		writeJSON(w, status, map[string]string{"error": msg})
		return
	}
	s.render(w, r, status, "error", errorView{Status: status, StatusText: http.StatusText(status), Message: msg})
}

// authorized says whether an ingest request carries the token, when one
// is set. Hashing both sides first makes the comparison constant-time
// whatever the lengths.
func (s *Server) authorized(presented string) bool {
	if s.cfg.Token == "" {
		return true
	}
	want := sha256.Sum256([]byte(s.cfg.Token))
	got := sha256.Sum256([]byte(presented))
	return subtle.ConstantTimeCompare(want[:], got[:]) == 1
}

// bearer returns the token of an "Authorization: Bearer …" header.
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	// A lookup proves the store answers; it costs one index probe.
	if _, err := s.archive.HasArticle(r.Context(), "healthz"); err != nil {
		s.log.Error("web: health check", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
