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
	"github.com/spf13/cobra"
)

func newServeCmd() *cobra.Command {
	var (
		kf            knowledgeFlags
		dbPath        string
		addr          string
		tokenFile     string
		readTokenFile string
		allowedHosts  []string
		corsOrigins   []string
		rateLimit     float64
		rateBurst     int
		rateLoopback  bool
		trustProxy    bool
		tlsCert       string
		tlsKey        string
		workers       int
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the web workbench and the JSON API over the store",
		Long: `Serves the analyst's workbench — search, articles with their entities and
events, the events explorer, dyad and actor timelines, ingest — and the JSON
API (docs/api.md) over the store.

Listening beyond loopback needs --token-file: a file holding the bearer token
that ingest requests (POST /api/articles and the ingest form) must carry.
--read-token-file makes reads need a token too (browsers log in at /login).
Each client is rate limited (--rate-limit, --rate-burst), loopback clients
only with --rate-limit-loopback. On loopback only loopback host names are
answered (against DNS rebinding); --allowed-host adds names. SECURITY.md
describes the threat model and every setting.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			token, err := readToken(tokenFile)
			if err != nil {
				return err
			}
			readTokenValue, err := readToken(readTokenFile)
			if err != nil {
				return fmt.Errorf("--read-token-file: %w", err)
			}
			if !isLoopback(addr) && token == "" {
				return fmt.Errorf("--addr %s listens beyond loopback: give --token-file so that only holders of the token can add articles", addr)
			}
			if readTokenValue != "" && token == "" {
				return errors.New("--read-token-file needs --token-file too: the ingest token (which also reads)")
			}
			if (tlsCert == "") != (tlsKey == "") {
				return errors.New("--tls-cert and --tls-key go together")
			}
			hosts := allowedHosts
			if len(hosts) == 0 && isLoopback(addr) && !trustProxy {
				hosts = loopbackHosts(addr)
			}
			db, err := openArchive(ctx, dbPath)
			if err != nil {
				return err
			}
			defer db.Close()

			log := slog.New(slog.NewTextHandler(os.Stderr, nil))
			reg := prometheus.NewRegistry()
			web.RegisterRuntime(reg)
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
			srv, err := web.New(web.Config{Archive: db, Ingest: ingest, Token: token, ReadToken: readTokenValue,
				AllowedHosts: hosts, CORSOrigins: corsOrigins, RateLimit: rateLimit, RateBurst: rateBurst,
				RateLimitLoopback: rateLoopback, TrustProxy: trustProxy, Logger: log, Registry: reg})
			if err != nil {
				return err
			}
			hs := web.HTTPServer(addr, srv, log)
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			scheme := "http"
			if tlsCert != "" {
				scheme = "https"
			}
			fmt.Fprintf(cmd.OutOrStdout(), "detente: serving %s on %s://%s/\n", dbPath, scheme, ln.Addr())
			errc := make(chan error, 1)
			go func() {
				if tlsCert != "" {
					errc <- hs.ServeTLS(ln, tlsCert, tlsKey)
					return
				}
				errc <- hs.Serve(ln)
			}()
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
	cmd.Flags().StringVar(&readTokenFile, "read-token-file", "", "file holding a token that reads then need (pages, API, metrics); the ingest token reads too")
	cmd.Flags().StringSliceVar(&allowedHosts, "allowed-host", nil, "host names the server answers for (default on loopback: localhost, 127.0.0.1, ::1; beyond: any)")
	cmd.Flags().StringSliceVar(&corsOrigins, "cors-origin", nil, "origins whose pages may read the GET API (e.g. https://dash.example.org); default none")
	cmd.Flags().Float64Var(&rateLimit, "rate-limit", 20, "requests per second each client may average (0: no limit)")
	cmd.Flags().IntVar(&rateBurst, "rate-burst", 60, "requests a client may make at once before the rate applies")
	cmd.Flags().BoolVar(&rateLoopback, "rate-limit-loopback", false, "rate limit loopback clients too")
	cmd.Flags().BoolVar(&trustProxy, "trust-proxy", false, "take the client address from X-Forwarded-For and TLS from X-Forwarded-Proto (only behind a proxy that sets them)")
	cmd.Flags().StringVar(&tlsCert, "tls-cert", "", "serve HTTPS with this certificate file (PEM; with --tls-key)")
	cmd.Flags().StringVar(&tlsKey, "tls-key", "", "the certificate's private key file (PEM)")
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

// loopbackHosts are the names a loopback server answers for by default:
// the loopback names and whatever host --addr names.
func loopbackHosts(addr string) []string {
	hosts := []string{"localhost", "127.0.0.1", "::1"}
	if h, _, err := net.SplitHostPort(addr); err == nil && h != "" {
		hosts = append(hosts, h)
	}
	return hosts
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
