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
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/detente/detente"
	"github.com/detente/detente/pipeline"
	"github.com/prometheus/client_golang/prometheus"
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
	// (the ingest form asks for it, or a session from the login form).
	// `detente serve` requires one when it listens beyond loopback.
	Token string
	// ReadToken, when set, makes reads need a token too: this one or
	// Token. Browsers log in with either at /login. It needs Token.
	ReadToken string
	// AllowedHosts, when set, are the only host names (the Host header
	// without its port) served; others get 421. A server on loopback
	// without a token lists its loopback names here, so a web page whose
	// name was re-pointed at 127.0.0.1 (DNS rebinding) cannot use it.
	AllowedHosts []string
	// CORSOrigins may read the GET API from their pages (bearer tokens
	// only, never cookies). Empty: no cross-origin reads (the default).
	CORSOrigins []string
	// RateLimit is the requests per second each client may make on
	// average, RateBurst how many at once; 0 turns limiting off. Clients
	// on loopback are not limited unless RateLimitLoopback.
	RateLimit         float64
	RateBurst         int
	RateLimitLoopback bool
	// TrustProxy takes the client address (for rate limits and logs) from
	// the last X-Forwarded-For entry, and TLS from X-Forwarded-Proto. Set
	// it only behind a proxy that sets them.
	TrustProxy bool
	// Logger receives request errors; nil logs to slog's default.
	Logger *slog.Logger
	// Registry receives the server's metrics and is served at /metrics;
	// nil makes a fresh registry with RegisterRuntime's collectors.
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
	actors   actorCache
	limiter  *limiter // nil: no rate limit
}

// New builds a server over cfg.Archive.
func New(cfg Config) (*Server, error) {
	if cfg.Archive == nil {
		return nil, errors.New("web: no archive")
	}
	if cfg.ReadToken != "" && cfg.Token == "" {
		return nil, errors.New("web: a read token needs a write token too (reads would be closed, writes open)")
	}
	if cfg.ReadToken != "" && cfg.ReadToken == cfg.Token {
		return nil, errors.New("web: the read token is the write token: give only the write token, or a different read token")
	}
	if cfg.RateLimit < 0 || cfg.RateBurst < 0 {
		return nil, errors.New("web: negative rate limit")
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
		RegisterRuntime(cfg.Registry)
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
	if cfg.RateLimit > 0 {
		s.limiter = newLimiter(cfg.RateLimit, cfg.RateBurst, maxRateClients)
	}
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP serves the workbench.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// route is one entry of the server's routes: a method and pattern, its
// handler, and whether it needs no read access (health checks, assets and
// the login form itself).
type route struct {
	pattern string
	h       http.Handler
	public  bool
}

func (s *Server) routeTable() []route {
	// timed bounds a handler whose answer is small: it is buffered and
	// cut off with 503 when it takes too long.
	timed := func(h http.HandlerFunc) http.Handler {
		return http.TimeoutHandler(h, s.cfg.HandlerTimeout, "the request took too long\n")
	}
	static, _ := fs.Sub(staticFS, "static")
	return []route{
		{pattern: "GET /static/", h: s.noListing(cacheForever(http.StripPrefix("/static/", http.FileServerFS(static)))), public: true},
		{pattern: "GET /{$}", h: http.RedirectHandler("/search", http.StatusFound)},
		{pattern: "GET /login", h: timed(s.loginPage), public: true},
		{pattern: "POST /login", h: http.HandlerFunc(s.loginPost), public: true},
		{pattern: "POST /logout", h: http.HandlerFunc(s.logoutPost), public: true},

		{pattern: "GET /search", h: timed(s.searchPage)},
		{pattern: "GET /articles/{id}", h: timed(s.articlePage)},
		{pattern: "GET /events", h: timed(s.eventsPage)},
		{pattern: "GET /dyads/{a}/{b}", h: timed(s.dyadPage)},
		{pattern: "GET /dyads", h: timed(s.dyadPage)},
		{pattern: "GET /actors/{code}", h: timed(s.actorPage)},
		{pattern: "GET /actors", h: timed(s.actorPage)},
		{pattern: "GET /ingest", h: timed(s.ingestPage)},
		{pattern: "POST /ingest", h: http.HandlerFunc(s.ingestPost)}, // reads an upload: bounded by size, not buffered
		{pattern: "GET /ingest/jobs/{id}", h: timed(s.jobPage)},

		{pattern: "GET /api/search", h: timed(s.apiSearch)},
		{pattern: "GET /api/articles/{id}", h: timed(s.apiArticle)},
		{pattern: "GET /api/events", h: timed(s.apiEvents)},
		{pattern: "GET /api/dyads/{a}/{b}/timeline", h: timed(s.apiDyadTimeline)},
		{pattern: "GET /api/actors/{code}", h: timed(s.apiActor)},
		{pattern: "GET /api/export", h: http.HandlerFunc(s.apiExport)}, // streams
		{pattern: "POST /api/articles", h: http.HandlerFunc(s.apiPostArticles)},
		{pattern: "GET /api/ingest/jobs/{id}", h: timed(s.apiJob)},
		{pattern: "GET /healthz", h: timed(s.healthz), public: true},
		{pattern: "GET /metrics", h: promhttp.HandlerFor(s.cfg.Registry, promhttp.HandlerOpts{})},
		{pattern: "/", h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.fail(w, r, detente.Errorf(detente.ENOTFOUND, "no page at %s", r.URL.Path))
		})},
	}
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routeTable() {
		h := rt.h
		if !rt.public {
			// Writes check their own (stronger) access: the ingest form
			// may carry its token in the body.
			h = s.needRead(h)
		}
		mux.Handle(rt.pattern, h)
	}

	// Browsers send Sec-Fetch-Site or Origin with every form post: a
	// cross-origin one is refused. Clients like curl send neither and
	// pass; ingest still needs the bearer token when one is set.
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, &statusError{status: http.StatusForbidden, msg: "cross-origin request refused"})
	}))
	var h http.Handler = csrf.Handler(mux)
	h = s.limitBody(h)
	h = s.cors(h)
	h = s.checkRequest(h)
	h = s.rateLimit(h)
	h = s.securityHeaders(h)
	h = s.metrics.instrument(h)
	h = s.recoverPanics(h)
	return h
}

// securityHeaders sets the headers every answer carries. The policy allows
// scripts, styles and images from this server only, and no framing.
func (s *Server) securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", contentSecurityPolicy)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Cross-Origin-Resource-Policy", "same-origin")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if s.secure(r) {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy: nothing by default, then scripts, styles, images
// and fetches from this server only; no plugins, framing, <base> or
// form posts elsewhere.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// checkRequest refuses what no handler should see: a Host not served
// (DNS rebinding), and paths or query strings that are not UTF-8 (every
// store and template expects text).
func (s *Server) checkRequest(h http.Handler) http.Handler {
	allowed := map[string]bool{}
	for _, a := range s.cfg.AllowedHosts {
		allowed[strings.ToLower(strings.Trim(a, "[]"))] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(allowed) > 0 {
			host := r.Host
			if hp, _, err := net.SplitHostPort(host); err == nil {
				host = hp
			}
			if !allowed[strings.ToLower(strings.Trim(host, "[]"))] {
				s.fail(w, r, &statusError{status: http.StatusMisdirectedRequest, msg: "this server does not answer for that host name"})
				return
			}
		}
		if !utf8.ValidString(r.URL.Path) || !utf8.ValidString(r.URL.RawQuery) || !validQuery(r.URL.RawQuery) {
			s.fail(w, r, invalid("the address is not valid UTF-8"))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// validQuery says whether a query string's decoded keys and values are all
// UTF-8 (%ff decodes to a lone byte).
func validQuery(raw string) bool {
	if !strings.Contains(raw, "%") {
		return true
	}
	v, _ := url.ParseQuery(raw)
	for k, vs := range v {
		if !utf8.ValidString(k) {
			return false
		}
		for _, x := range vs {
			if !utf8.ValidString(x) {
				return false
			}
		}
	}
	return true
}

// cors answers cross-origin reads of the GET API from the configured
// origins; everything else gets no Access-Control header, so browsers
// keep other sites' pages from reading the answers.
func (s *Server) cors(h http.Handler) http.Handler {
	if len(s.cfg.CORSOrigins) == 0 {
		return h
	}
	allowed := map[string]bool{}
	for _, o := range s.cfg.CORSOrigins {
		allowed[strings.TrimRight(o, "/")] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			h.ServeHTTP(w, r)
			return
		}
		w.Header().Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		if origin == "" || !allowed[origin] {
			h.ServeHTTP(w, r)
			return
		}
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			if r.Header.Get("Access-Control-Request-Method") != http.MethodGet {
				w.WriteHeader(http.StatusNoContent) // no allow: the browser refuses
				return
			}
			hd := w.Header()
			hd.Set("Access-Control-Allow-Origin", origin)
			hd.Set("Access-Control-Allow-Methods", "GET")
			hd.Set("Access-Control-Allow-Headers", "Authorization")
			hd.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if r.Method == http.MethodGet {
			w.Header().Set("Access-Control-Allow-Origin", origin)
		}
		h.ServeHTTP(w, r)
	})
}

// noListing answers 404 for a directory: the assets are served, not listed.
func (s *Server) noListing(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			s.fail(w, r, detente.Errorf(detente.ENOTFOUND, "no page at %s", r.URL.Path))
			return
		}
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

// guard runs fn, turning a panic into an error (the stack goes to the
// log): for work a handler runs in goroutines of its own, which
// recoverPanics cannot reach.
func (s *Server) guard(fn func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("web: panic", "panic", v, "stack", string(debug.Stack()))
			err = errors.New("web: panic in a handler's goroutine")
		}
	}()
	return fn()
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

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	// A lookup proves the store answers; it costs one index probe.
	if _, err := s.archive.HasArticle(r.Context(), "healthz"); err != nil {
		s.log.Error("web: health check", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// Connection limits of HTTPServer.
const (
	// ReadHeaderTimeout cuts off a client that sends its headers slowly
	// (slowloris): it holds a connection for at most this long unheard.
	ReadHeaderTimeout = 10 * time.Second
	// ReadTimeout bounds reading a whole request, upload included.
	ReadTimeout = 5 * time.Minute
	// IdleTimeout closes kept-alive connections that stay quiet.
	IdleTimeout = 2 * time.Minute
	// MaxHeaderBytes bounds a request's headers (431 beyond).
	MaxHeaderBytes = 64 << 10
)

// HTTPServer is an http.Server for h with the connection limits above.
// It sets no WriteTimeout: exports stream for as long as ExportTimeout
// allows, and pages are bounded by HandlerTimeout.
func HTTPServer(addr string, h http.Handler, log *slog.Logger) *http.Server {
	if log == nil {
		log = slog.Default()
	}
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}
