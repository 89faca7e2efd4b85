package fetch

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// clock is a hand-moved clock for backoff and robots expiry.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newTestClient(cfg Config) (*Client, *clock) {
	c := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	cfg.AllowPrivate = true // httptest listens on loopback
	cfg.HostRate = 1000
	cfg.Now = c.now
	if cfg.UserAgent == "" {
		cfg.UserAgent = "detente/test (+https://example.org/contact)"
	}
	return New(cfg), c
}

func TestConditionalGetReturnsNotModifiedWhenTheValidatorsMatch(t *testing.T) {
	var uas []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		uas = append(uas, r.UserAgent())
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Sun, 01 Mar 2026 11:00:00 GMT")
		io.WriteString(w, "<rss/>")
	}))
	defer srv.Close()
	c, _ := newTestClient(Config{})
	ctx := context.Background()
	r, err := c.Get(ctx, Request{URL: srv.URL + "/feed"})
	if err != nil || string(r.Body) != "<rss/>" || r.ETag != `"v1"` || r.LastModified == "" {
		t.Fatalf("first Get = %+v, %v", r, err)
	}
	r, err = c.Get(ctx, Request{URL: srv.URL + "/feed", ETag: r.ETag, LastModified: r.LastModified})
	if err != nil || !r.NotModified || r.Status != 304 || len(r.Body) != 0 {
		t.Fatalf("conditional Get = %+v, %v; want 304 not modified", r, err)
	}
	for _, ua := range uas {
		if !strings.Contains(ua, "detente") || !strings.Contains(ua, "https://example.org/contact") {
			t.Errorf("User-Agent %q does not name detente and the contact URL", ua)
		}
	}
}

func TestRobotsTxtForbiddenPathsAreNotFetched(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			io.WriteString(w, "User-agent: *\nDisallow: /private/\n")
			return
		}
		hits.Add(1)
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	c, _ := newTestClient(Config{})
	_, err := c.Get(context.Background(), Request{URL: srv.URL + "/private/page"})
	if !errors.Is(err, ErrRobots) || Temporary(err) {
		t.Fatalf("Get forbidden path: err = %v; want permanent ErrRobots", err)
	}
	if _, err := c.Get(context.Background(), Request{URL: srv.URL + "/public"}); err != nil {
		t.Fatalf("Get allowed path: %v", err)
	}
	if hits.Load() != 1 {
		t.Errorf("server saw %d page requests, want 1 (the allowed one)", hits.Load())
	}
}

func TestARedirectLoopStopsAtTheLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	}))
	defer srv.Close()
	c, _ := newTestClient(Config{MaxRedirects: 3})
	_, err := c.Get(context.Background(), Request{URL: srv.URL + "/loop"})
	if !errors.Is(err, ErrRedirects) || Temporary(err) {
		t.Fatalf("err = %v; want permanent ErrRedirects", err)
	}
}

func TestABodyOverTheCapIsRefusedWithoutReadingItAll(t *testing.T) {
	const size = 50 << 20
	var sent atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		chunk := bytes.Repeat([]byte("<p>news</p>"), 10000)
		for n := 0; n < size; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			sent.Add(int64(len(chunk)))
		}
	}))
	defer srv.Close()
	c, _ := newTestClient(Config{MaxBytes: 1 << 20})
	_, err := c.Get(context.Background(), Request{URL: srv.URL + "/huge"})
	if !errors.Is(err, ErrTooLarge) || Temporary(err) {
		t.Fatalf("err = %v; want permanent ErrTooLarge", err)
	}
}

func TestGzipAndDeflateBodiesAreDecoded(t *testing.T) {
	var gz, zl bytes.Buffer
	w := gzip.NewWriter(&gz)
	io.WriteString(w, "gzipped page")
	w.Close()
	z := zlib.NewWriter(&zl)
	io.WriteString(z, "deflated page")
	z.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/gz":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz.Bytes())
		case "/deflate":
			w.Header().Set("Content-Encoding", "deflate")
			w.Write(zl.Bytes())
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c, _ := newTestClient(Config{})
	for path, want := range map[string]string{"/gz": "gzipped page", "/deflate": "deflated page"} {
		r, err := c.Get(context.Background(), Request{URL: srv.URL + path})
		if err != nil || string(r.Body) != want {
			t.Errorf("Get %s = %q, %v; want %q", path, r.Body, err, want)
		}
	}
}

func TestTooManyRequestsWithRetryAfterBacksTheHostOff(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		hits.Add(1)
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c, clk := newTestClient(Config{})
	_, err := c.Get(context.Background(), Request{URL: srv.URL + "/a"})
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 429 || se.RetryAfter != 120*time.Second || !Temporary(err) {
		t.Fatalf("err = %v; want temporary 429 retrying after 120s", err)
	}
	// Another page on the same host is not requested during the backoff.
	_, err = c.Get(context.Background(), Request{URL: srv.URL + "/b"})
	var be *BackoffError
	if !errors.As(err, &be) || RetryAfter(err, clk.t) != 120*time.Second {
		t.Fatalf("during backoff err = %v; want BackoffError for 120s", err)
	}
	if hits.Load() != 1 {
		t.Errorf("server saw %d requests, want 1", hits.Load())
	}
	clk.t = clk.t.Add(121 * time.Second)
	c.Get(context.Background(), Request{URL: srv.URL + "/b"})
	if hits.Load() != 2 {
		t.Errorf("after the backoff the server saw %d requests, want 2", hits.Load())
	}
}

func TestAPageThatHangsTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c, _ := newTestClient(Config{Timeout: 100 * time.Millisecond})
	_, err := c.Get(context.Background(), Request{URL: srv.URL + "/slow"})
	if err == nil || !Temporary(err) {
		t.Fatalf("err = %v; want a temporary timeout", err)
	}
}

func TestPrivateAddressesAreRefusedUnlessAllowed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "secret") }))
	defer srv.Close()
	c := New(Config{UserAgent: "detente/test"})
	_, err := c.Get(context.Background(), Request{URL: srv.URL + "/"})
	if !errors.Is(err, ErrPrivate) || Temporary(err) {
		t.Fatalf("err = %v; want permanent ErrPrivate", err)
	}
	for _, u := range []string{"file:///etc/passwd", "ftp://example.org/x", "gopher://x/"} {
		if _, err := c.Get(context.Background(), Request{URL: u}); !errors.Is(err, ErrScheme) {
			t.Errorf("Get %s: err = %v; want ErrScheme", u, err)
		}
	}
}

func TestCredentialsDoNotFollowARedirectToAnotherHost(t *testing.T) {
	var leaked atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		leaked.Store(r.Header.Get("Authorization") + r.Header.Get("Cookie"))
		io.WriteString(w, "landed")
	}))
	defer other.Close()
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		http.Redirect(w, r, other.URL+"/page", http.StatusFound)
	}))
	defer first.Close()
	c, _ := newTestClient(Config{})
	h := http.Header{"Authorization": {"Bearer secret"}, "Cookie": {"session=1"}}
	r, err := c.Get(context.Background(), Request{URL: first.URL + "/start", Header: h})
	if err != nil || string(r.Body) != "landed" {
		t.Fatalf("Get = %v, %v", r, err)
	}
	if got := leaked.Load(); got != "" {
		t.Errorf("the other host received credentials %q", got)
	}
}

func TestCharsetDeclaredByThePageIsDecoded(t *testing.T) {
	page := []byte("<html><head><meta charset=\"iso-8859-1\"></head><body>caf\xe9</body></html>")
	got, _ := io.ReadAll(UTF8(page, "text/html"))
	if !strings.Contains(string(got), "café") {
		t.Errorf("UTF8 = %q; want café", got)
	}
}
