package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/detente/detente/annotate"
	"github.com/detente/detente/coder"
	"github.com/detente/detente/pipeline"
	"github.com/detente/detente/web"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"
)

func newServeCmd() *cobra.Command {
	var (
		kf        knowledgeFlags
		dbPath    string
		addr      string
		tokenFile string
		workers   int
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the web workbench and the JSON API over the store",
		Long: `Serves the analyst's workbench — search, articles with their entities and
events, the events explorer, dyad and actor timelines, ingest — and the JSON
API (docs/api.md) over the store.

Listening beyond loopback needs --token-file: a file holding the bearer token
that ingest requests (POST /api/articles and the ingest form) must carry.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			token, err := readToken(tokenFile)
			if err != nil {
				return err
			}
			if !isLoopback(addr) && token == "" {
				return fmt.Errorf("--addr %s listens beyond loopback: give --token-file so that only holders of the token can add articles", addr)
			}
			db, err := openArchive(ctx, dbPath)
			if err != nil {
				return err
			}
			defer db.Close()

			log := slog.New(slog.NewTextHandler(os.Stderr, nil))
			reg := prometheus.NewRegistry()
			reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
			// The knowledge base and models load at the first ingest, so
			// the server answers at once.
			var (
				once   sync.Once
				an     *annotate.Annotator
				cd     *coder.Coder
				kerr   error
				loaded = func() error { once.Do(func() { an, cd, kerr = kf.load() }); return kerr }
			)
			ingest := func(ctx context.Context, in <-chan pipeline.Input, progress func(pipeline.Summary)) (pipeline.Summary, error) {
				if err := loaded(); err != nil {
					for range in {
					}
					return pipeline.Summary{}, err
				}
				g := newIngester(db, an, cd, workers)
				g.Progress = progress
				return g.Run(ctx, in)
			}
			srv, err := web.New(web.Config{Archive: db, Ingest: ingest, Token: token, Logger: log, Registry: reg})
			if err != nil {
				return err
			}
			hs := &http.Server{
				Addr:              addr,
				Handler:           srv,
				ReadHeaderTimeout: 10 * time.Second,
				// Uploads get minutes; pages are bounded by the handlers'
				// own timeouts, and exports stream for as long as they need.
				ReadTimeout:    5 * time.Minute,
				IdleTimeout:    2 * time.Minute,
				MaxHeaderBytes: 64 << 10,
				ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "detente: serving %s on http://%s/\n", dbPath, ln.Addr())
			errc := make(chan error, 1)
			go func() { errc <- hs.Serve(ln) }()
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
			}
			shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := hs.Shutdown(shutdown); err != nil {
				return err
			}
			if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	kf.register(cmd)
	cmd.Flags().StringVar(&dbPath, "db", defaultDB(), "database file or URL (default ./detente.db or $DETENTE_DB)")
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	cmd.Flags().StringVar(&tokenFile, "token-file", "", "file holding the bearer token ingest requests must carry (required beyond loopback)")
	cmd.Flags().IntVar(&workers, "workers", 0, "parallel ingest workers (default: all cores)")
	return cmd
}

// readToken reads a token file: its first line, trimmed.
func readToken(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("--token-file: %w", err)
	}
	tok, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	tok = strings.TrimSpace(tok)
	if len(tok) < 16 {
		return "", fmt.Errorf("--token-file %s: the token must be at least 16 characters", path)
	}
	return tok, nil
}

// isLoopback says whether addr listens on loopback only.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
