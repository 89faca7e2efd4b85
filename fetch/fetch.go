// Package fetch is detente's polite and careful HTTP client for crawling
// news sites: it honours robots.txt, limits its rate and concurrency per
// host, backs off when a host says it is overloaded, sends conditional
// requests, caps response sizes and refuses to reach private networks.
//
// One Client is meant to be shared by everything that crawls, since the
// per-host limits only hold within one Client.
package fetch

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/html/charset"
	"golang.org/x/time/rate"
)

// Errors a fetch fails with; test with errors.Is.
var (
	// ErrPrivate: the address is loopback, private, link-local or
	// otherwise not public, and Config.AllowPrivate is off.
	ErrPrivate = errors.New("refusing a non-public address")
	// ErrScheme: only http and https are fetched.
	ErrScheme = errors.New("only http and https URLs are fetched")
	// ErrTooLarge: the response is over Config.MaxBytes.
	ErrTooLarge = errors.New("response too large")
	// ErrRedirects: more than Config.MaxRedirects redirects (or a loop).
	ErrRedirects = errors.New("too many redirects")
	// ErrRobots: the site's robots.txt forbids the URL.
	ErrRobots = errors.New("forbidden by robots.txt")
)

// StatusError is a response with a status the caller cannot use.
type StatusError struct {
	URL  string
	Code int
	// RetryAfter is the server's Retry-After, zero when absent.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("%s: HTTP %d %s", e.URL, e.Code, http.StatusText(e.Code))
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return s
}

// BackoffError means the host asked to be left alone (429 or 503) and the
// Client has not asked it again: the request was not sent.
type BackoffError struct {
	Host  string
	Until time.Time
}

func (e *BackoffError) Error() string {
	return fmt.Sprintf("%s asked to wait until %s", e.Host, e.Until.UTC().Format(time.RFC3339))
}

// Temporary reports whether trying err's request again later may work:
// server errors, 408 and 429, host backoff, timeouts and network errors.
// Refusals (robots, private address, scheme, size, redirects) and other 4xx
// are permanent.
func Temporary(err error) bool {
	var se *StatusError
	var be *BackoffError
	switch {
	case err == nil:
		return false
	case errors.As(err, &be):
		return true
	case errors.As(err, &se):
		return se.Code == 408 || se.Code == 429 || se.Code >= 500
	case errors.Is(err, ErrPrivate), errors.Is(err, ErrScheme), errors.Is(err, ErrTooLarge),
		errors.Is(err, ErrRedirects), errors.Is(err, ErrRobots):
		return false
	}
	return true // timeouts, resets, refused connections, DNS failures
}

// RetryAfter is how long err says to wait before trying again: the
// server's Retry-After or the host's backoff; zero when it says nothing.
func RetryAfter(err error, now time.Time) time.Duration {
	var se *StatusError
	var be *BackoffError
	switch {
	case errors.As(err, &be):
		return max(be.Until.Sub(now), 0)
	case errors.As(err, &se):
		return se.RetryAfter
	}
	return 0
}

// Config tunes a Client. The zero value of each field but UserAgent picks
// the default in its comment.
type Config struct {
	// UserAgent is sent with every request; it should name detente and a
	// contact URL, e.g. "detente/0.6 (+https://example.org/contact)".
	UserAgent string
	// Agent is the product token robots.txt groups are matched against
	// (default "detente").
	Agent string
	// AllowPrivate lets the client reach loopback, private and link-local
	// addresses (tests, intranet feeds).
	AllowPrivate bool
	// Timeout bounds a whole request, body included (default 30s).
	Timeout time.Duration
	// MaxBytes caps a response body after decompression (default 16 MiB).
	MaxBytes int64
	// MaxRedirects caps redirects followed per request (default 5).
	MaxRedirects int
	// HostRate is requests per second to one host (default 1), lowered by
	// a robots.txt Crawl-delay; HostConcurrency is requests in flight to
	// one host at once (default 2).
	HostRate        float64
	HostConcurrency int
	// RobotsTTL is how long a robots.txt is trusted (default 24h).
	RobotsTTL time.Duration
	// Backoff is the first wait after a 429 or 503 without Retry-After;
	// it doubles with each one in a row, up to MaxBackoff (defaults 1m, 1h).
	Backoff, MaxBackoff time.Duration
	// Now is the clock (default time.Now); tests move it by hand.
	Now func() time.Time
}

func (c *Config) defaults() {
	if c.Agent == "" {
		c.Agent = "detente"
	}
	if c.UserAgent == "" {
		c.UserAgent = c.Agent
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = 16 << 20
	}
	if c.MaxRedirects <= 0 {
		c.MaxRedirects = 5
	}
	if c.HostRate <= 0 {
		c.HostRate = 1
	}
	if c.HostConcurrency <= 0 {
		c.HostConcurrency = 2
	}
	if c.RobotsTTL <= 0 {
		c.RobotsTTL = 24 * time.Hour
	}
	if c.Backoff <= 0 {
		c.Backoff = time.Minute
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = time.Hour
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Client fetches pages. It is safe for concurrent use.
type Client struct {
	cfg   Config
	http  *http.Client
	mu    sync.Mutex
	hosts map[string]*host
}

// host is what the Client knows of one host (host:port).
type host struct {
	lim      *rate.Limiter
	sem      chan struct{}
	mu       sync.Mutex // guards the fields below
	until    time.Time  // backoff: no requests before
	overload int        // 429/503 answers in a row
	robots   *Robots
	robotsAt time.Time // when robots expires
	robotsMu sync.Mutex
}

// New makes a Client.
func New(cfg Config) *Client {
	cfg.defaults()
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if !cfg.AllowPrivate {
		dialer.Control = refusePrivate
	}
	tr := &http.Transport{
		// No proxy: the address check must see the real destination.
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: cfg.Timeout,
		MaxIdleConnsPerHost:   cfg.HostConcurrency,
		IdleConnTimeout:       90 * time.Second,
		// Encodings are negotiated and decoded here, so that deflate is
		// accepted too and the size cap applies to decoded bytes.
		DisableCompression: true,
	}
	c := &Client{cfg: cfg, hosts: map[string]*host{}}
	c.http = &http.Client{Transport: tr, Timeout: cfg.Timeout, CheckRedirect: c.checkRedirect}
	return c
}

// checkRedirect follows at most MaxRedirects redirects, only to http and
// https URLs robots.txt allows, and drops credentials when the redirect
// leaves the host the request started at (Go strips them for other
// domains; this also covers another port on the same name).
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > c.cfg.MaxRedirects {
		return fmt.Errorf("%w (%d) from %s", ErrRedirects, c.cfg.MaxRedirects, via[0].URL)
	}
	if err := checkURL(req.URL); err != nil {
		return err
	}
	if !strings.EqualFold(req.URL.Host, via[0].URL.Host) {
		req.Header.Del("Authorization")
		req.Header.Del("Proxy-Authorization")
		req.Header.Del("Cookie")
	}
	if req.URL.User != nil && !strings.EqualFold(req.URL.Host, via[0].URL.Host) {
		req.URL.User = nil
	}
	r, err := c.robots(req.Context(), req.URL)
	if err != nil {
		return err
	}
	if !r.Allowed(req.URL.RequestURI()) {
		return fmt.Errorf("%w: %s", ErrRobots, req.URL)
	}
	return nil
}

func checkURL(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w: %s", ErrScheme, u.Redacted())
	}
	if u.Host == "" {
		return fmt.Errorf("%w: %s has no host", ErrScheme, u.Redacted())
	}
	return nil
}

func (c *Client) host(u *url.URL) *host {
	key := strings.ToLower(u.Host)
	c.mu.Lock()
	defer c.mu.Unlock()
	h := c.hosts[key]
	if h == nil {
		h = &host{lim: rate.NewLimiter(rate.Limit(c.cfg.HostRate), 1), sem: make(chan struct{}, c.cfg.HostConcurrency)}
		c.hosts[key] = h
	}
	return h
}

// Request is one GET. ETag and LastModified, from an earlier Response,
// make it conditional.
type Request struct {
	URL          string
	ETag         string
	LastModified string
	// Accept is the Accept header (default: HTML, XML and anything).
	Accept string
	// Header is sent as well (e.g. Authorization for a private feed; it
	// never follows a redirect to another host).
	Header http.Header
}

// Response is a fetched (or unchanged) resource.
type Response struct {
	// URL is where the body came from, after redirects.
	URL string
	// Status is the HTTP status: 200-299 or 304.
	Status int
	// NotModified: the conditional request matched; Body is empty.
	NotModified bool
	// Body is decoded from any Content-Encoding, not from its charset.
	Body        []byte
	ContentType string
	// Validators for the next conditional request.
	ETag, LastModified string
}

// Get fetches req.URL politely: robots.txt, host backoff, the host's
// concurrency cap and rate limit, in that order, then the request.
func (c *Client) Get(ctx context.Context, req Request) (*Response, error) {
	u, err := url.Parse(req.URL)
	if err != nil {
		return nil, fmt.Errorf("bad URL %q: %w", req.URL, err)
	}
	if err := checkURL(u); err != nil {
		return nil, err
	}
	r, err := c.robots(ctx, u)
	if err != nil {
		return nil, err
	}
	if !r.Allowed(u.RequestURI()) {
		return nil, fmt.Errorf("%w: %s", ErrRobots, u.Redacted())
	}
	h := c.host(u)
	if err := h.backoff(c.cfg.Now(), u.Host); err != nil {
		return nil, err
	}
	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-h.sem }()
	if err := h.lim.Wait(ctx); err != nil {
		return nil, err
	}
	return c.do(ctx, h, u, req)
}

func (h *host) backoff(now time.Time, name string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if now.Before(h.until) {
		return &BackoffError{Host: name, Until: h.until}
	}
	return nil
}

func (c *Client) do(ctx context.Context, h *host, u *url.URL, req Request) (*Response, error) {
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	for k, vs := range req.Header {
		for _, v := range vs {
			hr.Header.Add(k, v)
		}
	}
	hr.Header.Set("User-Agent", c.cfg.UserAgent)
	accept := req.Accept
	if accept == "" {
		accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	}
	hr.Header.Set("Accept", accept)
	hr.Header.Set("Accept-Encoding", "gzip, deflate")
	if req.ETag != "" {
		hr.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hr.Header.Set("If-Modified-Since", req.LastModified)
	}
	resp, err := c.http.Do(hr)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	now := c.cfg.Now()
	out := &Response{URL: resp.Request.URL.String(), Status: resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type"), ETag: resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified")}
	switch code := resp.StatusCode; {
	case code == http.StatusNotModified:
		h.ok()
		out.NotModified = true
		return out, nil
	case code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable:
		ra := retryAfter(resp.Header.Get("Retry-After"), now)
		h.overloaded(now, ra, c.cfg.Backoff, c.cfg.MaxBackoff)
		return nil, &StatusError{URL: u.Redacted(), Code: code, RetryAfter: ra}
	case code < 200 || code > 299:
		return nil, &StatusError{URL: u.Redacted(), Code: code, RetryAfter: retryAfter(resp.Header.Get("Retry-After"), now)}
	}
	h.ok()
	if resp.ContentLength > c.cfg.MaxBytes {
		return nil, fmt.Errorf("%w: %s is %d bytes, over %d", ErrTooLarge, u.Redacted(), resp.ContentLength, c.cfg.MaxBytes)
	}
	body, err := decode(resp.Body, resp.Header.Get("Content-Encoding"))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", u.Redacted(), err)
	}
	data, err := io.ReadAll(io.LimitReader(body, c.cfg.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", u.Redacted(), err)
	}
	if int64(len(data)) > c.cfg.MaxBytes {
		return nil, fmt.Errorf("%w: %s is over %d bytes", ErrTooLarge, u.Redacted(), c.cfg.MaxBytes)
	}
	out.Body = data
	return out, nil
}

// overloaded starts a backoff after a 429 or 503: the server's Retry-After
// when it gave one, else base doubled for each such answer in a row.
func (h *host) overloaded(now time.Time, ra, base, most time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.overload++
	wait := ra
	if wait <= 0 {
		wait = base << min(h.overload-1, 16)
	}
	h.until = now.Add(min(wait, most))
}

func (h *host) ok() {
	h.mu.Lock()
	h.overload = 0
	h.mu.Unlock()
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}

// decode undoes a Content-Encoding. "deflate" is meant to be zlib-wrapped
// but some servers send raw deflate; both are read.
func decode(r io.Reader, enc string) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(enc)) {
	case "", "identity":
		return r, nil
	case "gzip", "x-gzip":
		return gzip.NewReader(r)
	case "deflate":
		br := newPeekReader(r)
		if zr, err := zlib.NewReader(br); err == nil {
			return zr, nil
		}
		return flate.NewReader(br.rewound()), nil
	}
	return nil, fmt.Errorf("unsupported Content-Encoding %q", enc)
}

// peekReader remembers the first bytes read so a failed zlib header check
// can start over as raw deflate.
type peekReader struct {
	r   io.Reader
	buf bytes.Buffer
}

func newPeekReader(r io.Reader) *peekReader { return &peekReader{r: r} }

func (p *peekReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.buf.Write(b[:n])
	return n, err
}

func (p *peekReader) ReadByte() (byte, error) {
	var b [1]byte
	_, err := io.ReadFull(p, b[:])
	return b[0], err
}

func (p *peekReader) rewound() io.Reader { return io.MultiReader(bytes.NewReader(p.buf.Bytes()), p.r) }

// robots returns the robots.txt rules for u's host, fetching them when
// unknown or expired. A 4xx means no rules; a server error or network
// failure means everything is off limits until a retry a few minutes on
// (RFC 9309 §2.3.1.3–4).
func (c *Client) robots(ctx context.Context, u *url.URL) (*Robots, error) {
	h := c.host(u)
	h.robotsMu.Lock()
	defer h.robotsMu.Unlock()
	now := c.cfg.Now()
	if h.robots != nil && now.Before(h.robotsAt) {
		return h.robots, nil
	}
	ru := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
	r, ttl, err := c.fetchRobots(ctx, ru)
	if err != nil {
		return nil, err
	}
	h.robots, h.robotsAt = r, now.Add(ttl)
	if r.CrawlDelay > 0 {
		if lim := rate.Every(r.CrawlDelay); lim < rate.Limit(c.cfg.HostRate) {
			h.lim.SetLimit(lim)
		}
	}
	return r, nil
}

func (c *Client) fetchRobots(ctx context.Context, ru *url.URL) (*Robots, time.Duration, error) {
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, ru.String(), nil)
	if err != nil {
		return nil, 0, err
	}
	hr.Header.Set("User-Agent", c.cfg.UserAgent)
	// robots.txt is fetched with a client that follows redirects without
	// consulting robots.txt again (that would recurse).
	plain := *c.http
	plain.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > c.cfg.MaxRedirects {
			return ErrRedirects
		}
		return checkURL(req.URL)
	}
	resp, err := plain.Do(hr)
	if err != nil {
		if ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		if errors.Is(err, ErrPrivate) || errors.Is(err, ErrScheme) {
			return nil, 0, err
		}
		if errors.Is(err, ErrRedirects) {
			// Too many redirects: "unavailable", like a 4xx (§2.3.1.2).
			return AllowAll, c.cfg.RobotsTTL, nil
		}
		return disallowAll, 5 * time.Minute, nil
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode >= 500:
		return disallowAll, 5 * time.Minute, nil
	case resp.StatusCode >= 400:
		return AllowAll, c.cfg.RobotsTTL, nil
	case resp.StatusCode >= 300:
		return AllowAll, c.cfg.RobotsTTL, nil // redirect limit hit: treat as unavailable
	}
	// RFC 9309 asks crawlers to read at least 500 KiB.
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 512<<10))
	return ParseRobots(data, c.cfg.Agent), c.cfg.RobotsTTL, nil
}

// UTF8 returns body as UTF-8, decoded from the charset the Content-Type
// names or, failing that, the one an HTML page declares or looks like.
func UTF8(body []byte, contentType string) io.Reader {
	r, err := charset.NewReader(bytes.NewReader(body), contentType)
	if err != nil {
		return bytes.NewReader(body)
	}
	return r
}
