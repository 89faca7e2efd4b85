package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/dedup"
	"github.com/detente/detente/fetch"
	"github.com/detente/detente/pipeline"
	"github.com/detente/detente/store/sqlite"
	"github.com/detente/detente/watch"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// defaultContact is sent in the User-Agent when --user-agent-contact is
// not given; operators should name their own.
const defaultContact = "https://github.com/detente/detente"

func newWatchCmd() *cobra.Command {
	var (
		kf           knowledgeFlags
		feedsFile    string
		dbPath       string
		interval     time.Duration
		allowPrivate bool
		logFormat    string
		contact      string
		workers      int
		metricsAddr  string
	)
	cmd := &cobra.Command{
		Use:   "watch --feeds FILE",
		Short: "Poll news feeds and sitemaps and ingest new articles until stopped",
		Long: `Polls every feed or sitemap in the feed list (one URL per line, optionally
with name=, interval=, source=, language=; or an OPML file), fetches each new
item's page and extracts, cleans, deduplicates, annotates, codes and stores it,
until interrupted. What was seen and fetched is kept in the database, so a
restart carries on where the last run stopped. See docs/watch.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if feedsFile == "" {
				return detente.Errorf(detente.EINVALID, "--feeds FILE is required")
			}
			f, err := os.Open(feedsFile)
			if err != nil {
				return err
			}
			feeds, err := watch.ParseFeedList(f)
			f.Close()
			if err != nil {
				return detente.Errorf(detente.EINVALID, "%s: %v", feedsFile, err)
			}
			if len(feeds) == 0 {
				return detente.Errorf(detente.EINVALID, "%s lists no feeds", feedsFile)
			}
			if interval <= 0 {
				return detente.Errorf(detente.EINVALID, "--interval %s: want a positive duration like 10m", interval)
			}
			status := newStatusLine(os.Stderr)
			log, err := newLogger(status, logFormat)
			if err != nil {
				return err
			}
			if contact == "" {
				contact = os.Getenv("DETENTE_CONTACT")
			}
			if contact == "" {
				contact = defaultContact
				log.Warn("no --user-agent-contact given; sites will see the project's URL instead of yours")
			}
			sqlite.ReservePageCache()
			db, err := sqlite.Open(dbPath)
			if err != nil {
				return err
			}
			defer db.Close()
			if db.ReadOnly() {
				return detente.Errorf(detente.EINVALID, "database %s is read-only: watch cannot store what it fetches", dbPath)
			}
			an, cd, err := kf.load()
			if err != nil {
				return err
			}
			reg := prometheus.NewRegistry()
			metrics, err := watch.NewMetrics(reg)
			if err != nil {
				return err
			}
			if metricsAddr != "" {
				_, stop, err := serveMetrics(metricsAddr, reg, log)
				if err != nil {
					return err
				}
				defer stop()
			}
			w := &watch.Watcher{
				Feeds:    feeds,
				Interval: interval,
				Fetch: fetch.New(fetch.Config{
					UserAgent:    fmt.Sprintf("detente/1 (+%s)", contact),
					AllowPrivate: allowPrivate,
				}),
				State: db,
				Ingest: &pipeline.Ingester{Store: db, Hasher: dedup.NewHasher(dedup.DefaultConfig()),
					Annotate: an.Annotate, Code: cd.Code, BatchSize: 1, Workers: 1},
				Log:     log,
				Metrics: metrics,
				Workers: workers,
			}
			if status.tty {
				w.OnStatus = status.set
			}
			if interval < time.Minute {
				log.Warn("an --interval under a minute is impolite to most sites", "interval", interval.String())
			}
			log.Info("watching", "feeds", len(feeds), "interval", interval.String(), "db", dbPath)
			err = w.Run(cmd.Context())
			status.done()
			fmt.Fprintln(cmd.ErrOrStderr(), w.Status())
			return err
		},
	}
	kf.register(cmd)
	cmd.Flags().StringVar(&feedsFile, "feeds", "", "feed list: one URL per line with options, or OPML")
	cmd.Flags().StringVar(&dbPath, "db", defaultDB(), "database file (default ./detente.db or $DETENTE_DB)")
	cmd.Flags().DurationVar(&interval, "interval", 10*time.Minute, "default time between polls of a feed")
	cmd.Flags().BoolVar(&allowPrivate, "allow-private", false, "allow loopback, private and link-local addresses")
	cmd.Flags().StringVar(&logFormat, "log-format", "text", "log format: text or json")
	cmd.Flags().StringVar(&metricsAddr, "metrics-addr", "", "serve Prometheus metrics at http://ADDR/metrics (e.g. 127.0.0.1:9464; off when empty)")
	cmd.Flags().StringVar(&contact, "user-agent-contact", "", "contact URL sent in the User-Agent (or $DETENTE_CONTACT)")
	cmd.Flags().IntVar(&workers, "workers", 4, "feeds or pages fetched at once (per-host limits still apply)")
	return cmd
}

func newLogger(w io.Writer, format string) (*slog.Logger, error) {
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	case "text", "":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	}
	return nil, detente.Errorf(detente.EINVALID, "--log-format %q: want text or json", format)
}

// statusLine keeps one live line of counts at the bottom of a terminal;
// log lines written through it clear the line first, and the line is
// redrawn after them. Off a terminal it passes logs through untouched.
type statusLine struct {
	mu   sync.Mutex
	out  io.Writer
	tty  bool
	line string
}

func newStatusLine(f *os.File) *statusLine {
	return &statusLine{out: f, tty: term.IsTerminal(int(f.Fd()))}
}

func (s *statusLine) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.tty {
		return s.out.Write(p)
	}
	fmt.Fprint(s.out, "\r\033[K")
	n, err := s.out.Write(p)
	fmt.Fprint(s.out, s.line)
	return n, err
}

func (s *statusLine) set(st watch.Status) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.line = st.String()
	fmt.Fprint(s.out, "\r\033[K"+s.line)
}

func (s *statusLine) done() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tty && s.line != "" {
		fmt.Fprint(s.out, "\r\033[K")
	}
	s.line = ""
}

// serveMetrics serves reg's metrics at http://addr/metrics in the
// background until the returned stop is called, and returns the address
// it listens on. Only the metrics are served: nothing else of the store is
// reachable from this listener.
func serveMetrics(addr string, reg *prometheus.Registry, log *slog.Logger) (string, func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, detente.Errorf(detente.EINVALID, "--metrics-addr %s: %v", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server stopped", "err", err)
		}
	}()
	log.Info("serving metrics", "url", "http://"+ln.Addr().String()+"/metrics")
	return ln.Addr().String(), func() { srv.Close() }, nil
}
