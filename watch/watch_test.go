package watch

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/detente/detente/dedup"
	"github.com/detente/detente/fetch"
	"github.com/detente/detente/pipeline"
	"github.com/detente/detente/store/sqlite"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// fakeClock is moved by hand; After never fires (tests call Cycle).
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}
func (c *fakeClock) After(time.Duration) <-chan time.Time { return nil }
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// site is an httptest server of feeds and pages that counts requests.
type site struct {
	*httptest.Server
	mu     sync.Mutex
	hits   map[string]int
	routes map[string]http.HandlerFunc
}

func newSite(t *testing.T) *site {
	s := &site{hits: map[string]int{}, routes: map[string]http.HandlerFunc{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		h := s.routes[r.URL.Path]
		s.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *site) handle(path string, h http.HandlerFunc) {
	s.mu.Lock()
	s.routes[path] = h
	s.mu.Unlock()
}

func (s *site) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// page is an article page with enough text for the extractor; pages with
// different titles share no sentence, so none is a near copy of another.
func page(title string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<html><head><title>%s</title></head><body><article><h1>%s</h1>", title, title)
	words := strings.Fields(strings.ToLower(title))
	for i := range 4 {
		fmt.Fprintf(&b, "<p>")
		for j := range 30 {
			fmt.Fprintf(&b, "%s%d%s ", words[(i+j)%len(words)], i*31+j, words[j%len(words)])
		}
		fmt.Fprintf(&b, "officials said on Tuesday.</p>")
	}
	b.WriteString("</article></body></html>")
	return b.String()
}

func rss(s *site, paths ...string) string {
	urls := make([]string, len(paths))
	for i, p := range paths {
		urls[i] = s.URL + p
	}
	return rssOf(urls...)
}

func rssOf(urls ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test Wire</title><language>en</language>`)
	for i, u := range urls {
		fmt.Fprintf(&b, "<item><title>Story %d</title><link>%s</link><pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate></item>", i, u)
	}
	b.WriteString("</channel></rss>")
	return b.String()
}

// feedHandler serves body with an ETag and answers 304 to it.
func feedHandler(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"1"`)
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, body)
	}
}

func htmlHandler(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, body)
	}
}

type rig struct {
	db  *sqlite.DB
	w   *Watcher
	clk *fakeClock
	reg *prometheus.Registry
}

func newRig(t *testing.T, file string, cfg fetch.Config, feeds ...Feed) *rig {
	t.Helper()
	if file == "" {
		file = filepath.Join(t.TempDir(), "w.db")
	}
	db, err := sqlite.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &fakeClock{t: time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)}
	if !cfg.AllowPrivate && cfg.UserAgent == "" {
		cfg.AllowPrivate = true // httptest is on loopback
	}
	cfg.UserAgent = "detente/test (+https://example.org/contact)"
	cfg.HostRate = 1000
	cfg.Now = clk.Now
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	w := &Watcher{
		Feeds:    feeds,
		Interval: time.Minute,
		Fetch:    fetch.New(cfg),
		State:    db,
		Ingest:   &pipeline.Ingester{Store: db, Hasher: dedup.NewHasher(dedup.DefaultConfig()), Workers: 1},
		Metrics:  m,
		Clock:    clk,
	}
	return &rig{db: db, w: w, clk: clk, reg: reg}
}

func (r *rig) item(t *testing.T, url string) sqlite.WatchItem {
	t.Helper()
	it, ok, err := r.db.WatchItem(context.Background(), url)
	if err != nil || !ok {
		t.Fatalf("item %s not recorded: %v", url, err)
	}
	return it
}

func TestNewItemsAreStoredAndAnUnchangedFeedFetchesNothing(t *testing.T) {
	ctx := context.Background()
	s := newSite(t)
	s.handle("/feed", feedHandler(rss(s, "/a", "/b")))
	s.handle("/a", htmlHandler(page("Talks resume in Geneva")))
	s.handle("/b", htmlHandler(page("Border crossings reopen")))
	file := filepath.Join(t.TempDir(), "w.db")
	r := newRig(t, file, fetch.Config{}, Feed{URL: s.URL + "/feed", Source: "Wire"})
	if err := r.w.Cycle(ctx); err != nil {
		t.Fatal(err)
	}
	st := r.w.Status()
	if st.ItemsFound != 2 || st.ItemsNew != 2 {
		t.Fatalf("first cycle: %v; want 2 found, 2 new", st)
	}
	it := r.item(t, s.URL+"/a")
	story, err := r.db.Article(ctx, it.ArticleID)
	if err != nil || story.Original.Source != "Wire" || !strings.Contains(story.Original.Body, "officials said on Tuesday") {
		t.Fatalf("stored article = %+v, %v", story, err)
	}
	if got := counter(t, r.w.Metrics.Items.WithLabelValues("new")); got != 2 {
		t.Errorf("items_total{result=new} = %v, want 2", got)
	}

	// Next poll: the feed answers 304 and no page is fetched again.
	r.clk.advance(2 * time.Minute)
	if err := r.w.Cycle(ctx); err != nil {
		t.Fatal(err)
	}
	if st := r.w.Status(); st.FeedsUnchanged != 1 {
		t.Errorf("second cycle: %v; want the feed unchanged", st)
	}
	if got := counter(t, r.w.Metrics.Polls.WithLabelValues("not_modified")); got != 1 {
		t.Errorf("feed_polls_total{result=not_modified} = %v, want 1", got)
	}

	// A restart (new store handle and watcher) remembers the validators
	// and the items: nothing is fetched or stored again.
	r.db.Close()
	r2 := newRig(t, file, fetch.Config{}, Feed{URL: s.URL + "/feed"})
	r2.clk.advance(10 * time.Minute)
	if err := r2.w.Cycle(ctx); err != nil {
		t.Fatal(err)
	}
	if st := r2.w.Status(); st.FeedsUnchanged != 1 || st.ItemsNew+st.ItemsUnchanged != 0 {
		t.Errorf("after restart: %v; want the feed unchanged and no items", st)
	}
	if s.count("/a") != 1 || s.count("/b") != 1 {
		t.Errorf("pages fetched %d and %d times, want once each", s.count("/a"), s.count("/b"))
	}
}

func TestABrokenFeedIsCountedAndTheOthersGoOn(t *testing.T) {
	s := newSite(t)
	s.handle("/broken", htmlHandler("<rss><channel><item><title>unterminated"))
	s.handle("/down", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", 500) })
	s.handle("/feed", feedHandler(rss(s, "/a")))
	s.handle("/a", htmlHandler(page("Talks resume")))
	r := newRig(t, "", fetch.Config{}, Feed{URL: s.URL + "/broken"}, Feed{URL: s.URL + "/down"}, Feed{URL: s.URL + "/feed"})
	if err := r.w.Cycle(context.Background()); err != nil {
		t.Fatal(err)
	}
	st := r.w.Status()
	if st.FeedErrors != 2 || st.ItemsNew != 1 {
		t.Fatalf("status %v; want 2 feed errors and the good feed's item stored", st)
	}
	f, _ := r.db.WatchFeed(context.Background(), s.URL+"/down")
	if f.Failures != 1 || f.LastStatus != 500 || !f.NextPoll.After(r.clk.Now()) {
		t.Errorf("failed feed state %+v; want one failure, status 500, a later poll", f)
	}
}

func TestItemPagesThatFailAreRetriedSkippedOrGivenUp(t *testing.T) {
	const huge = 50 << 20
	s := newSite(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	s.handle("/robots.txt", htmlHandler("User-agent: *\nDisallow: /private/\n"))
	busy := newSite(t) // another host: its backoff must not hold the others
	s.handle("/feed", feedHandler(rssOf(s.URL+"/private/x", s.URL+"/slow", s.URL+"/loop", s.URL+"/huge", busy.URL+"/busy")))
	s.handle("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	s.handle("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	s.handle("/huge", func(w http.ResponseWriter, r *http.Request) {
		chunk := []byte(strings.Repeat("<p>filler</p>", 5000))
		for n := 0; n < huge; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	busy.handle("/busy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	r := newRig(t, "", fetch.Config{Timeout: 200 * time.Millisecond, MaxBytes: 2 << 20}, Feed{URL: s.URL + "/feed"})
	if err := r.w.Cycle(context.Background()); err != nil {
		t.Fatal(err)
	}
	now := r.clk.Now()
	tests := []struct {
		url, state, outcome string
	}{
		{s.URL + "/private/x", sqlite.ItemSkipped, "robots"},
		{s.URL + "/slow", sqlite.ItemPending, ""},
		{s.URL + "/loop", sqlite.ItemFailed, "failed"},
		{s.URL + "/huge", sqlite.ItemFailed, "failed"},
		{busy.URL + "/busy", sqlite.ItemPending, ""},
	}
	for _, tt := range tests {
		it := r.item(t, tt.url)
		if it.State != tt.state || it.Outcome != tt.outcome {
			t.Errorf("%s: state %s outcome %q (%s); want %s %q", tt.url, it.State, it.Outcome, it.LastError, tt.state, tt.outcome)
		}
		if tt.state == sqlite.ItemPending && (it.Attempts != 1 || !it.NextAttempt.After(now)) {
			t.Errorf("%s: attempts %d next %v; want one attempt and a later retry", tt.url, it.Attempts, it.NextAttempt)
		}
	}
	if it := r.item(t, busy.URL+"/busy"); it.NextAttempt.Before(now.Add(time.Hour)) {
		t.Errorf("429 retry at %v; want no sooner than Retry-After (1h)", it.NextAttempt)
	}
	if s.count("/private/x") != 0 {
		t.Error("a page robots.txt forbids was requested")
	}
	// A retry before it is due fetches nothing.
	before := busy.count("/busy")
	r.w.Cycle(context.Background())
	if busy.count("/busy") != before {
		t.Error("the 429 page was fetched again before its retry time")
	}
}

func TestPrivateAddressesAreRefusedWithoutAllowPrivate(t *testing.T) {
	s := newSite(t)
	s.handle("/feed", feedHandler(rss(s, "/a")))
	r := newRig(t, "", fetch.Config{UserAgent: "strict"}, Feed{URL: s.URL + "/feed"})
	if err := r.w.Cycle(context.Background()); err != nil {
		t.Fatal(err)
	}
	f, _ := r.db.WatchFeed(context.Background(), s.URL+"/feed")
	if st := r.w.Status(); st.FeedErrors != 1 || !strings.Contains(f.LastError, "non-public") {
		t.Errorf("status %v, feed error %q; want the loopback feed refused", st, f.LastError)
	}
	if s.count("/feed") != 0 || s.count("/robots.txt") != 0 {
		t.Error("the loopback server was contacted")
	}
}

func TestItemsLeftInFlightByAKilledWatcherAreFetchedOnRestart(t *testing.T) {
	ctx := context.Background()
	s := newSite(t)
	s.handle("/feed", feedHandler(rss(s, "/a")))
	s.handle("/a", htmlHandler(page("Talks resume")))
	file := filepath.Join(t.TempDir(), "w.db")
	r := newRig(t, file, fetch.Config{}, Feed{URL: s.URL + "/feed"})
	if err := r.w.pollDue(ctx); err != nil {
		t.Fatal(err)
	}
	// The watcher claims the item and is killed before finishing it.
	if got, err := r.db.ClaimWatchItems(ctx, r.clk.Now(), 10); err != nil || len(got) != 1 {
		t.Fatalf("claim = %v, %v", got, err)
	}
	r.db.Close()

	r2 := newRig(t, file, fetch.Config{}, Feed{URL: s.URL + "/feed"})
	if n, err := r2.db.ResetWatchItems(ctx); err != nil || n != 1 {
		t.Fatalf("ResetWatchItems = %d, %v; want 1", n, err)
	}
	if err := r2.w.Cycle(ctx); err != nil {
		t.Fatal(err)
	}
	it := r2.item(t, s.URL+"/a")
	if it.State != sqlite.ItemDone || it.Outcome != "new" || it.Attempts != 2 {
		t.Errorf("item %+v; want done, new, on its second attempt", it)
	}
}

func TestStoppingAbandonsAFetchWithoutCountingIt(t *testing.T) {
	s := newSite(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.handle("/feed", feedHandler(rss(s, "/hang")))
	s.handle("/hang", func(w http.ResponseWriter, r *http.Request) {
		cancel() // the watcher is told to stop while this page is in flight
		<-r.Context().Done()
	})
	r := newRig(t, "", fetch.Config{}, Feed{URL: s.URL + "/feed"})
	if err := r.w.Cycle(ctx); err != nil {
		t.Fatal(err)
	}
	it := r.item(t, s.URL+"/hang")
	if it.State != sqlite.ItemPending || it.Attempts != 0 || !it.NextAttempt.IsZero() {
		t.Errorf("item %+v; want pending, due now, no attempt counted", it)
	}
}

func counter(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}
