// Package watch polls news feeds and sitemaps and runs each new item's
// page through detente's pipeline (extract, clean, dedup, annotate, code,
// store), for as long as it is left running.
//
// What it has seen and fetched lives in the store (see State), so a
// restart carries on where the last run stopped: an item goes pending →
// fetching → done, skipped, failed, or back to pending with a later
// attempt time. An item is marked fetching, with its attempt counted,
// before its page is requested, and done only after its article is
// stored; a run killed in between leaves it fetching, and the next run
// makes it pending again (State.ResetWatchItems), so at most the items in
// flight are fetched twice and none is lost. Storing an article already
// stored changes nothing, so the second time costs no duplicate.
package watch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/fetch"
	"github.com/detente/detente/ingest/extract"
	"github.com/detente/detente/pipeline"
	"github.com/detente/detente/store/sqlite"
)

// State is where the watcher keeps what it has seen; *sqlite.DB is one.
type State interface {
	WatchFeed(ctx context.Context, url string) (sqlite.WatchFeed, error)
	PutWatchFeed(ctx context.Context, f sqlite.WatchFeed) error
	AddWatchItems(ctx context.Context, items []sqlite.WatchItem, now time.Time) (int, error)
	ClaimWatchItems(ctx context.Context, now time.Time, limit int) ([]sqlite.WatchItem, error)
	UpdateWatchItem(ctx context.Context, it sqlite.WatchItem, now time.Time) error
	ResetWatchItems(ctx context.Context) (int, error)
	NextWatchAttempt(ctx context.Context) (time.Time, bool, error)
}

// Clock is the watcher's time; tests use one they move by hand.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Status counts what the watcher has done since it started.
type Status struct {
	FeedsPolled    int `json:"feeds_polled"`
	FeedsUnchanged int `json:"feeds_unchanged"` // 304
	FeedErrors     int `json:"feed_errors"`
	ItemsFound     int `json:"items_found"` // new in a feed
	ItemsNew       int `json:"items_new"`   // stored as new articles
	ItemsDuplicate int `json:"items_duplicate"`
	ItemsUnchanged int `json:"items_unchanged"` // already stored
	ItemsSkipped   int `json:"items_skipped"`   // robots.txt
	ItemsRetried   int `json:"items_retried"`
	ItemsFailed    int `json:"items_failed"`
}

func (s Status) String() string {
	return fmt.Sprintf("feeds polled %d (unchanged %d, errors %d) · items found %d: new %d, duplicate %d, unchanged %d, skipped %d, retried %d, failed %d",
		s.FeedsPolled, s.FeedsUnchanged, s.FeedErrors, s.ItemsFound, s.ItemsNew, s.ItemsDuplicate,
		s.ItemsUnchanged, s.ItemsSkipped, s.ItemsRetried, s.ItemsFailed)
}

// Watcher polls Feeds and ingests their items. Set the fields, then call
// Run (or Cycle, one round).
type Watcher struct {
	Feeds []Feed
	// Interval between polls of a feed without its own (default 10m).
	Interval time.Duration
	Fetch    *fetch.Client
	State    State
	// Ingest stores each page's article; it is called for one article at
	// a time.
	Ingest *pipeline.Ingester
	Log    *slog.Logger
	// Metrics, when set, counts polls, items and fetches.
	Metrics *Metrics
	Clock   Clock
	// Workers is how many feeds or pages are fetched at once (default 4);
	// per-host limits are the fetch.Client's.
	Workers int
	// MaxAttempts is how often an item is tried before it is given up
	// (default 5). RetryBase is the wait after the first failed attempt,
	// doubled after each (default 1m, at most 6h).
	MaxAttempts int
	RetryBase   time.Duration
	// Extract turns a page into an article (default extract.HTML).
	Extract func(r io.Reader, pageURL string) (*detente.Article, error)
	// OnStatus, when set, is called with the running counts after each
	// poll and item.
	OnStatus func(Status)

	mu       sync.Mutex
	status   Status
	ingestMu sync.Mutex
}

func (w *Watcher) init() {
	if w.Interval <= 0 {
		w.Interval = 10 * time.Minute
	}
	if w.Log == nil {
		w.Log = slog.New(slog.DiscardHandler)
	}
	if w.Clock == nil {
		w.Clock = realClock{}
	}
	if w.Workers <= 0 {
		w.Workers = 4
	}
	if w.MaxAttempts <= 0 {
		w.MaxAttempts = 5
	}
	if w.RetryBase <= 0 {
		w.RetryBase = time.Minute
	}
	if w.Extract == nil {
		w.Extract = extract.HTML
	}
}

// Status returns the counts so far.
func (w *Watcher) Status() Status {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.status
}

func (w *Watcher) count(f func(*Status)) {
	w.mu.Lock()
	f(&w.status)
	s := w.status
	w.mu.Unlock()
	if w.OnStatus != nil {
		w.OnStatus(s)
	}
}

// Run resumes items a previous run left in flight, then polls and ingests
// until ctx is done, sleeping until the next feed or retry is due. It
// returns nil when stopped by ctx; fetches in flight are abandoned (their
// items stay pending) and an article being stored is finished.
func (w *Watcher) Run(ctx context.Context) error {
	w.init()
	n, err := w.State.ResetWatchItems(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		w.Log.Info("resuming items left in flight", "items", n)
	}
	for {
		if err := w.Cycle(ctx); err != nil && ctx.Err() == nil {
			return err
		}
		if ctx.Err() != nil {
			return nil
		}
		wait := w.untilNext(ctx)
		w.Log.Debug("sleeping", "for", wait.String())
		select {
		case <-ctx.Done():
			return nil
		case <-w.Clock.After(wait):
		}
	}
}

// untilNext is how long until a feed poll or an item retry is due: at
// least a second (so a broken clock cannot spin), at most Interval.
func (w *Watcher) untilNext(ctx context.Context) time.Duration {
	now := w.Clock.Now()
	next := now.Add(w.Interval)
	for _, f := range w.Feeds {
		st, err := w.State.WatchFeed(ctx, f.URL)
		if err == nil && st.NextPoll.Before(next) {
			next = st.NextPoll
		}
	}
	if t, ok, err := w.State.NextWatchAttempt(ctx); err == nil && ok && t.Before(next) {
		next = t
	}
	return max(next.Sub(now), time.Second)
}

// Cycle polls every feed that is due, then fetches and ingests every item
// that is due, and returns. It fails only when the state store does.
func (w *Watcher) Cycle(ctx context.Context) error {
	w.init()
	if err := w.pollDue(ctx); err != nil {
		return err
	}
	return w.drain(ctx)
}

func (w *Watcher) pollDue(ctx context.Context) error {
	w.init()
	var (
		wg       sync.WaitGroup
		sem      = make(chan struct{}, w.Workers)
		errMu    sync.Mutex
		firstErr error
	)
	for _, f := range w.Feeds {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := w.pollIfDue(ctx, f, 0); err != nil {
				errMu.Lock()
				firstErr = cmpErr(firstErr, err)
				errMu.Unlock()
			}
		}()
	}
	wg.Wait()
	return firstErr
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// maxSitemaps caps the sitemaps followed from one sitemap index.
const maxSitemaps = 50

// pollIfDue polls f when its next poll is due; depth counts sitemap
// index levels, followed one deep.
func (w *Watcher) pollIfDue(ctx context.Context, f Feed, depth int) error {
	st, err := w.State.WatchFeed(ctx, f.URL)
	if err != nil {
		return err
	}
	now := w.Clock.Now()
	if now.Before(st.NextPoll) {
		return nil
	}
	interval := f.Interval
	if interval <= 0 {
		interval = w.Interval
	}
	name := f.Name
	if name == "" {
		name = f.URL
	}
	log := w.Log.With("feed", name)
	resp, err := w.Fetch.Get(ctx, fetch.Request{URL: f.URL, ETag: st.ETag, LastModified: st.LastModified,
		Accept: "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"})
	now = w.Clock.Now()
	st.LastPolled = now
	var list listing
	if err == nil && !resp.NotModified {
		w.Metrics.fetched("feed", strconv.Itoa(resp.Status), len(resp.Body))
		list, err = parseListing(resp.Body, resp.URL)
	} else if err != nil {
		w.Metrics.fetched("feed", errCode(err), 0)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopping: leave the feed due
		}
		st.Failures++
		st.LastError = err.Error()
		st.LastStatus = statusOf(err)
		wait := max(fetch.RetryAfter(err, now), min(interval<<min(st.Failures-1, 6), 6*time.Hour))
		if errors.Is(err, fetch.ErrRobots) || errors.Is(err, fetch.ErrPrivate) || errors.Is(err, fetch.ErrScheme) {
			wait = max(interval, wait) // a refusal will not change soon
		}
		st.NextPoll = now.Add(wait)
		log.Warn("feed poll failed", "err", err, "failures", st.Failures, "next_poll", st.NextPoll.Format(time.RFC3339))
		w.Metrics.poll("error")
		w.count(func(s *Status) { s.FeedsPolled++; s.FeedErrors++ })
		return w.State.PutWatchFeed(ctx, st)
	}
	st.Failures, st.LastError, st.LastStatus = 0, "", resp.Status
	st.NextPoll = now.Add(interval)
	if resp.NotModified {
		log.Debug("feed unchanged")
		w.Metrics.poll("not_modified")
		w.count(func(s *Status) { s.FeedsPolled++; s.FeedsUnchanged++ })
		return w.State.PutWatchFeed(ctx, st)
	}
	items := make([]sqlite.WatchItem, 0, len(list.items))
	for _, li := range list.items {
		it := sqlite.WatchItem{URL: li.URL, FeedURL: f.URL, Title: li.Title, Published: li.Published,
			Source: li.Source, Language: li.Language}
		if f.Source != "" {
			it.Source = f.Source
		}
		if f.Language != "" {
			it.Language = f.Language
		}
		items = append(items, it)
	}
	added, err := w.State.AddWatchItems(ctx, items, now)
	if err != nil {
		return err
	}
	// Validators are kept only once the items are safely recorded, so a
	// crash before this point polls the feed in full again.
	st.ETag, st.LastModified = resp.ETag, resp.LastModified
	if err := w.State.PutWatchFeed(ctx, st); err != nil {
		return err
	}
	log.Info("feed polled", "items", len(items), "new", added, "sitemaps", len(list.sitemaps))
	w.Metrics.poll("ok")
	w.Metrics.item("found", added)
	w.count(func(s *Status) { s.FeedsPolled++; s.ItemsFound += added })
	if depth == 0 {
		for i, sm := range list.sitemaps {
			if i == maxSitemaps || ctx.Err() != nil {
				break
			}
			child := f
			child.URL, child.Name = sm, name+" › "+sm
			if err := w.pollIfDue(ctx, child, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// drain fetches and ingests due items until none is due or ctx is done.
func (w *Watcher) drain(ctx context.Context) error {
	for ctx.Err() == nil {
		items, err := w.State.ClaimWatchItems(ctx, w.Clock.Now(), w.Workers*2)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if len(items) == 0 {
			return nil
		}
		var (
			wg       sync.WaitGroup
			sem      = make(chan struct{}, w.Workers)
			errMu    sync.Mutex
			firstErr error
		)
		for _, it := range items {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				if err := w.item(ctx, it); err != nil {
					errMu.Lock()
					firstErr = cmpErr(firstErr, err)
					errMu.Unlock()
				}
			}()
		}
		wg.Wait()
		if firstErr != nil {
			return firstErr
		}
	}
	return nil
}

// item fetches one claimed item's page and ingests it, then records the
// outcome. Its state write uses a context that outlives ctx so that a
// stopping watcher still leaves every item in a true state.
func (w *Watcher) item(ctx context.Context, it sqlite.WatchItem) error {
	keep := context.WithoutCancel(ctx)
	log := w.Log.With("url", it.URL, "attempt", it.Attempts)
	resp, err := w.Fetch.Get(ctx, fetch.Request{URL: it.URL})
	if err != nil && ctx.Err() != nil {
		// Abandoned, not failed: back to pending, this attempt uncounted.
		it.State, it.Attempts, it.NextAttempt = sqlite.ItemPending, it.Attempts-1, time.Time{}
		return w.State.UpdateWatchItem(keep, it, w.Clock.Now())
	}
	if err != nil {
		w.Metrics.fetched("page", errCode(err), 0)
		return w.fail(keep, log, it, err)
	}
	w.Metrics.fetched("page", strconv.Itoa(resp.Status), len(resp.Body))
	a, err := w.Extract(fetch.UTF8(resp.Body, resp.ContentType), resp.URL)
	if err != nil {
		return w.fail(keep, log, it, fmt.Errorf("extracting %s: %w", resp.URL, err))
	}
	w.fill(a, it)
	w.ingestMu.Lock()
	sum, err := w.Ingest.Run(keep, one(a))
	w.ingestMu.Unlock()
	if err != nil {
		// The store failed: not the item's fault; try it again later.
		log.Error("storing failed", "err", err)
		return w.retry(keep, log, it, err)
	}
	it.ArticleID, it.LastError = a.ID, ""
	it.State = sqlite.ItemDone
	switch {
	case sum.Failed > 0:
		reason := "not ingested"
		if len(sum.Failures) > 0 {
			reason = sum.Failures[0].Reason
		}
		return w.fail(keep, log, it, errors.New(reason))
	case sum.New > 0:
		it.Outcome = "new"
		w.count(func(s *Status) { s.ItemsNew++ })
	case sum.Duplicate+sum.NearDuplicate > 0:
		it.Outcome = "duplicate"
		w.count(func(s *Status) { s.ItemsDuplicate++ })
	default:
		it.Outcome = "unchanged"
		w.count(func(s *Status) { s.ItemsUnchanged++ })
	}
	w.Metrics.item(it.Outcome, 1)
	log.Info("item stored", "outcome", it.Outcome, "article", it.ArticleID, "title", a.Title)
	return w.State.UpdateWatchItem(keep, it, w.Clock.Now())
}

// fill completes the page's article from the feed, and gives it its ID
// from its URL so the watch state can name it.
func (w *Watcher) fill(a *detente.Article, it sqlite.WatchItem) {
	if a.URL == "" {
		a.URL = it.URL
	}
	if a.Title == "" {
		a.Title = it.Title
	}
	if a.Published == "" {
		a.Published = it.Published
	}
	if it.Source != "" && (a.Source == "" || w.feedSets(it.FeedURL, func(f Feed) bool { return f.Source != "" })) {
		a.Source = it.Source
	}
	if a.Language == "" {
		a.Language = it.Language
	}
	a.Crawled = w.Clock.Now().UTC().Format(time.RFC3339)
	a.Origin = it.URL
	a.ID = detente.ArticleID(a)
}

// feedSets reports whether the listed feed at url has an option set.
func (w *Watcher) feedSets(url string, set func(Feed) bool) bool {
	for _, f := range w.Feeds {
		if f.URL == url {
			return set(f)
		}
	}
	return false
}

// fail records an item's failed attempt: skipped when robots.txt forbids
// it, retried later when the failure may pass, failed otherwise.
func (w *Watcher) fail(ctx context.Context, log *slog.Logger, it sqlite.WatchItem, err error) error {
	it.LastError = err.Error()
	switch {
	case errors.Is(err, fetch.ErrRobots):
		it.State, it.Outcome = sqlite.ItemSkipped, "robots"
		log.Info("item skipped: robots.txt forbids it")
		w.Metrics.item("skipped", 1)
		w.count(func(s *Status) { s.ItemsSkipped++ })
		return w.State.UpdateWatchItem(ctx, it, w.Clock.Now())
	case fetch.Temporary(err):
		return w.retry(ctx, log, it, err)
	}
	it.State, it.Outcome = sqlite.ItemFailed, "failed"
	log.Warn("item failed", "err", err)
	w.Metrics.item("failed", 1)
	w.count(func(s *Status) { s.ItemsFailed++ })
	return w.State.UpdateWatchItem(ctx, it, w.Clock.Now())
}

// retry puts an item back to pending with a later attempt time, or gives
// it up after MaxAttempts. A host's backoff does not count as an attempt:
// the request was never sent.
func (w *Watcher) retry(ctx context.Context, log *slog.Logger, it sqlite.WatchItem, err error) error {
	now := w.Clock.Now()
	it.LastError = err.Error()
	var be *fetch.BackoffError
	if errors.As(err, &be) {
		it.State, it.Attempts, it.NextAttempt = sqlite.ItemPending, it.Attempts-1, be.Until
		log.Debug("host backing off", "until", be.Until.Format(time.RFC3339))
		return w.State.UpdateWatchItem(ctx, it, now)
	}
	if it.Attempts >= w.MaxAttempts {
		it.State, it.Outcome = sqlite.ItemFailed, "gave up"
		log.Warn("item failed; giving up", "err", err, "attempts", it.Attempts)
		w.Metrics.item("failed", 1)
		w.count(func(s *Status) { s.ItemsFailed++ })
		return w.State.UpdateWatchItem(ctx, it, now)
	}
	wait := min(w.RetryBase<<min(it.Attempts-1, 16), 6*time.Hour)
	wait = max(wait, fetch.RetryAfter(err, now))
	it.State, it.NextAttempt = sqlite.ItemPending, now.Add(wait)
	log.Info("item will be retried", "err", err, "next_attempt", it.NextAttempt.Format(time.RFC3339))
	w.Metrics.item("retry", 1)
	w.count(func(s *Status) { s.ItemsRetried++ })
	return w.State.UpdateWatchItem(ctx, it, now)
}

func one(a *detente.Article) <-chan pipeline.Input {
	ch := make(chan pipeline.Input, 1)
	ch <- pipeline.Input{Article: a}
	close(ch)
	return ch
}

// errCode is the metrics label of a failed fetch: its HTTP status when it
// had one.
func errCode(err error) string {
	if c := statusOf(err); c != 0 {
		return strconv.Itoa(c)
	}
	return "error"
}

func statusOf(err error) int {
	var se *fetch.StatusError
	if errors.As(err, &se) {
		return se.Code
	}
	return 0
}
