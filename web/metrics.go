package web

import (
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the server's Prometheus series, labelled by route pattern
// (never by raw path, whose IDs would make the series unbounded).
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	ingested *prometheus.CounterVec
	// rateLimited counts requests refused with 429, authFailures those
	// refused for a missing or wrong token.
	rateLimited  prometheus.Counter
	authFailures prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "detente", Subsystem: "http",
			Name: "requests_total", Help: "HTTP requests by route pattern, method and status code."},
			[]string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: "detente", Subsystem: "http",
			Name: "request_duration_seconds", Help: "Time to answer HTTP requests, by route pattern.",
			Buckets: []float64{.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 15}},
			[]string{"route"}),
		ingested: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "detente", Subsystem: "web",
			Name: "ingested_articles_total", Help: "Articles read through the web ingest, by outcome."},
			[]string{"outcome"}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "detente", Subsystem: "http",
			Name: "rate_limited_total", Help: "Requests refused with 429 because their client exceeded its rate."}),
		authFailures: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "detente", Subsystem: "http",
			Name: "auth_failures_total", Help: "Requests refused for a missing or wrong token, and failed logins."}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration, m.ingested, m.rateLimited, m.authFailures} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (flushes of
// streamed exports).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *statusRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (m *metrics) instrument(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		// The mux records the pattern it matched on the request.
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		m.requests.WithLabelValues(route, r.Method, strconv.Itoa(rec.status)).Inc()
		m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

func (m *metrics) countIngest(new, dup, unchanged, failed int) {
	m.ingested.WithLabelValues("new").Add(float64(new))
	m.ingested.WithLabelValues("duplicate").Add(float64(dup))
	m.ingested.WithLabelValues("unchanged").Add(float64(unchanged))
	m.ingested.WithLabelValues("failed").Add(float64(failed))
}

// RegisterRuntime adds the Go runtime's and the process's series to reg:
// the Go collector's usual set, plus go_gc_heap_live_bytes, the heap
// still reachable at the last collection. Resident memory swings by half
// between collections and holds SQLite's page caches; the live heap is
// the series that shows a leak (scripts/soak.sh watches it).
func RegisterRuntime(reg prometheus.Registerer) {
	reg.MustRegister(
		collectors.NewGoCollector(collectors.WithGoCollectorRuntimeMetrics(
			collectors.GoRuntimeMetricsRule{Matcher: regexp.MustCompile(`^/gc/heap/live:bytes$`)})),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
}
