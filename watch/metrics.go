package watch

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the watcher's Prometheus counters. Register them in the
// registry the web server exposes at /metrics; a nil *Metrics counts
// nothing.
type Metrics struct {
	// Polls counts feed polls by result: ok, not_modified, error.
	Polls *prometheus.CounterVec
	// Items counts items by what became of them: found (new in a feed),
	// new, duplicate, unchanged (already stored), skipped (robots.txt),
	// retry, failed.
	Items *prometheus.CounterVec
	// Fetches counts HTTP fetches by kind (feed, page) and status code
	// ("error" when there was no response).
	Fetches *prometheus.CounterVec
	// Bytes counts response bytes read, after decompression.
	Bytes prometheus.Counter
}

// NewMetrics makes the counters and registers them with reg (which may be
// nil to leave them unregistered). Registering twice in one registry
// fails, so make one Metrics per registry.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		Polls: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "detente", Subsystem: "watch",
			Name: "feed_polls_total", Help: "Feed and sitemap polls by result (ok, not_modified, error)."}, []string{"result"}),
		Items: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "detente", Subsystem: "watch",
			Name: "items_total", Help: "Feed items by outcome (found, new, duplicate, unchanged, skipped, retry, failed)."}, []string{"result"}),
		Fetches: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "detente", Subsystem: "watch",
			Name: "fetches_total", Help: "HTTP fetches by kind (feed, page) and status code."}, []string{"kind", "code"}),
		Bytes: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "detente", Subsystem: "watch",
			Name: "fetched_bytes_total", Help: "Response bytes read, after decompression."}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.Polls, m.Items, m.Fetches, m.Bytes} {
			if err := reg.Register(c); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}

func (m *Metrics) poll(result string) {
	if m != nil {
		m.Polls.WithLabelValues(result).Inc()
	}
}

func (m *Metrics) item(result string, n int) {
	if m != nil && n > 0 {
		m.Items.WithLabelValues(result).Add(float64(n))
	}
}

func (m *Metrics) fetched(kind, code string, bytes int) {
	if m != nil {
		m.Fetches.WithLabelValues(kind, code).Inc()
		m.Bytes.Add(float64(bytes))
	}
}
