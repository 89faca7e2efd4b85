package web

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/detente/detente"
)

// searchResult is one page of a search with what the page shows beside it.
type searchResult struct {
	Hits  []detente.SearchHit `json:"hits"`
	Total int                 `json:"total"`
	// Notice says when the total is a lower bound (an event-root filter
	// over a large store).
	Notice string `json:"notice,omitempty"`
}

// totalLimitNotice says what a total of detente.SearchTotalLimit+1 means.
var totalLimitNotice = "More than " + formatInt(detente.SearchTotalLimit) + " articles match; they are counted up to " +
	formatInt(detente.SearchTotalLimit) + ", and every page can be read."

// rootScanLimit bounds how many events an event-root search filter reads
// to find the articles that report them.
const rootScanLimit = 20_000

// rootCandidates bounds how many ranked hits an event-root filter checks.
const rootCandidates = 1000

var errEnough = errors.New("enough")

// search runs a search. The stores' search has no event filter, so an
// event root is applied here: the articles reporting events of that root
// (within the dates and country) are collected from the events, and the
// ranked hits are kept when they are among them.
func (s *Server) search(ctx context.Context, p searchParams) (*searchResult, error) {
	if p.Root == "" {
		hits, total, err := s.archive.Search(ctx, p.Filter)
		if err != nil {
			return nil, err
		}
		res := &searchResult{Hits: nonNil(hits), Total: total}
		if total > detente.SearchTotalLimit {
			res.Notice = totalLimitNotice
		}
		return res, nil
	}
	reporting := map[string]bool{}
	ef := detente.EventFilter{Root: p.Root, From: p.Filter.From, To: p.Filter.To, Country: p.Filter.Country,
		Limit: rootScanLimit}
	scanned := 0
	err := s.archive.EachEvent(ctx, ef, true, func(se *detente.StoredEvent) error {
		scanned++
		for _, m := range se.Reports {
			reporting[m.ArticleID] = true
		}
		for _, m := range se.Mentions {
			reporting[m.ArticleID] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	f := p.Filter
	f.Limit, f.Offset = rootCandidates, 0
	hits, total, err := s.archive.Search(ctx, f)
	if err != nil {
		return nil, err
	}
	var kept []detente.SearchHit
	for _, h := range hits {
		if reporting[h.ArticleID] {
			kept = append(kept, h)
		}
	}
	res := &searchResult{Total: len(kept)}
	if total > len(hits) || scanned >= rootScanLimit {
		res.Notice = "With an event-root filter, only the best 1,000 matches and the 20,000 newest events of that root are looked at; narrow the search to see all."
	}
	lo := min(p.Filter.Offset, len(kept))
	hi := min(lo+p.Filter.Limit, len(kept))
	res.Hits = nonNil(kept[lo:hi])
	return res, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// articleData is an article with everything the article page and API show.
type articleData struct {
	Story       *detente.Story         `json:"story"`
	Annotations *detente.Annotations   `json:"annotations"`
	Events      []*detente.StoredEvent `json:"-"`
}

// article reads an article, its annotations and its events; with own,
// each event carries only this article's mentions (the page's need), else
// every report of it (the API's).
func (s *Server) article(ctx context.Context, id string, own bool) (*articleData, error) {
	st, err := s.archive.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &articleData{Story: st}
	ann, err := s.archive.Annotations(ctx, st.ID)
	if err != nil && detente.ErrorCode(err) != detente.ENOTFOUND {
		return nil, err
	}
	d.Annotations = ann
	if own {
		d.Events, err = detente.ArticleOwnEvents(ctx, s.archive, st.ID)
	} else {
		d.Events, err = detente.ArticleEvents(ctx, s.archive, st.ID)
	}
	if err != nil {
		return nil, err
	}
	d.Events = nonNil(d.Events)
	return d, nil
}

// mentionsIn returns an event's mentions in one article, in text order.
func mentionsIn(se *detente.StoredEvent, articleID string) []detente.EventMention {
	var out []detente.EventMention
	for _, r := range se.Reports {
		if r.ArticleID == articleID {
			out = append(out, r.EventMention)
		}
	}
	if len(out) == 0 {
		for _, m := range se.Mentions {
			if m.ArticleID == articleID {
				out = append(out, m)
			}
		}
	}
	slices.SortFunc(out, func(a, b detente.EventMention) int { return a.Sentence.Start - b.Sentence.Start })
	return out
}

// actorData is the actor page's and API's view of an actor.
type actorData struct {
	Summary  *detente.ActorSummary   `json:"summary"`
	Names    []detente.EntityCount   `json:"names"`
	Timeline []detente.TimelinePoint `json:"timeline"`
	Bucket   string                  `json:"bucket"`
}

// actorCacheSize bounds how many actors' pages are kept.
const actorCacheSize = 256

// actorCache keeps the actor page's data: an actor's summary and timeline
// count every one of its events (hundreds of thousands for a country on a
// large store, most of a second), and they change only with ingest. Kept
// data older than summaryTTL is served while it is read again behind the
// request, as the store's counts are; an ingest clears it.
type actorCache struct {
	mu sync.Mutex
	m  map[string]*actorEntry
}

type actorEntry struct {
	at         time.Time
	data       *actorData
	refreshing bool
}

// actor returns an actor's page data, from the cache when it has it.
func (s *Server) actor(ctx context.Context, code, bucket string) (*actorData, error) {
	key := code + " " + bucket
	c := &s.actors
	c.mu.Lock()
	if e := c.m[key]; e != nil {
		if time.Since(e.at) >= summaryTTL && !e.refreshing {
			e.refreshing = true
			go s.refreshActor(key, code, bucket, e)
		}
		c.mu.Unlock()
		return e.data, nil
	}
	c.mu.Unlock()
	d, err := s.readActor(ctx, code, bucket)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*actorEntry{}
	}
	if len(c.m) >= actorCacheSize {
		for k := range c.m { // any one: a full cache is rare and loses little
			delete(c.m, k)
			break
		}
	}
	c.m[key] = &actorEntry{at: time.Now(), data: d}
	return d, nil
}

// refreshActor reads an actor's data again for the cache; on an error the
// old data stays and a later request tries again.
func (s *Server) refreshActor(key, code, bucket string, old *actorEntry) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d, err := s.readActor(ctx, code, bucket)
	c := &s.actors
	c.mu.Lock()
	defer c.mu.Unlock()
	old.refreshing = false
	if err == nil && c.m[key] == old { // not cleared by an ingest meanwhile
		c.m[key] = &actorEntry{at: time.Now(), data: d}
	}
}

// forgetActors drops the kept actor data after an ingest.
func (s *Server) forgetActors() {
	s.actors.mu.Lock()
	s.actors.m = nil
	s.actors.mu.Unlock()
}

func (s *Server) readActor(ctx context.Context, code, bucket string) (*actorData, error) {
	sum, err := s.archive.ActorSummary(ctx, code)
	if err != nil {
		return nil, err
	}
	d := &actorData{Summary: sum, Names: []detente.EntityCount{}, Timeline: []detente.TimelinePoint{}}
	if bucket == "" {
		bucket = autoBucket(sum.First, sum.Last)
	}
	d.Bucket = bucket
	if sum.Events > 0 {
		// "*" as the other actor: all of this actor's events.
		if d.Timeline, err = s.archive.DyadTimeline(ctx, code, "*", bucket, "", ""); err != nil {
			return nil, err
		}
	}
	// The names it is mentioned by: entities whose actor code is it.
	if !strings.HasSuffix(code, "*") {
		ents, err := s.archive.TopEntities(ctx, detente.SearchFilter{Entity: code}, 40)
		if err != nil {
			return nil, err
		}
		for _, e := range ents {
			if e.Actor == code {
				d.Names = append(d.Names, e)
			}
		}
	}
	return d, nil
}

// autoBucket picks a bucket that gives a readable number of points for
// the span between two dates.
func autoBucket(first, last string) string {
	a, errA := time.Parse("2006-01-02", first)
	b, errB := time.Parse("2006-01-02", last)
	if errA != nil || errB != nil {
		return "month"
	}
	switch days := b.Sub(a).Hours() / 24; {
	case days <= 45:
		return "day"
	case days <= 400:
		return "week"
	case days <= 365*8:
		return "month"
	}
	return "year"
}

// bucketRange is the dates a timeline bucket covers, as an EventFilter's
// From and To.
func bucketRange(bucket, key string) (from, to string, err error) {
	switch bucket {
	case "day", "month", "year":
		if !dateParam.MatchString(key) {
			return "", "", invalid("%q is not a %s", key, bucket)
		}
		return key, key, nil
	case "week":
		t, err := time.Parse("2006-01-02", key)
		if err != nil {
			return "", "", invalid("%q is not the Monday of a week", key)
		}
		return key, t.AddDate(0, 0, 6).Format("2006-01-02"), nil
	}
	return "", "", invalid("bucket %q is not day, week, month or year", bucket)
}

func validBucket(b string) bool { return b == "day" || b == "week" || b == "month" || b == "year" }

// summaryTTL is how long the store's counts and outlets are reused
// before they are read again: they change only with ingest, which clears
// them, or when another process writes to the store.
const summaryTTL = 30 * time.Second

// storeSummary caches Stats and Sources, which count the whole store.
type storeSummary struct {
	mu         sync.Mutex
	at         time.Time
	stats      detente.Stats
	outlets    []detente.Outlet
	refreshing bool
}

// summary returns the store's counts and outlets. Only the first request
// (and the first after an ingest) waits for them; when they are older
// than summaryTTL, the request gets them as they were while they are read
// again behind it, so no page pays for counting a large store.
func (s *Server) summary(ctx context.Context) (detente.Stats, []detente.Outlet, error) {
	c := &s.sum
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() {
		if time.Since(c.at) >= summaryTTL && !c.refreshing {
			c.refreshing = true
			go s.refreshSummary()
		}
		return c.stats, c.outlets, nil
	}
	st, outlets, err := s.readSummary(ctx)
	if err != nil {
		return st, nil, err
	}
	c.stats, c.outlets, c.at = st, outlets, time.Now()
	return st, outlets, nil
}

func (s *Server) readSummary(ctx context.Context) (detente.Stats, []detente.Outlet, error) {
	st, err := s.archive.Stats(ctx)
	if err != nil {
		return st, nil, err
	}
	outlets, err := s.archive.Sources(ctx)
	return st, outlets, err
}

// refreshSummary reads the counts again for the cache; on an error the
// old ones stay and the next request tries again.
func (s *Server) refreshSummary() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, outlets, err := s.readSummary(ctx)
	c := &s.sum
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refreshing = false
	if err == nil && !c.at.IsZero() { // an ingest in between cleared it: its reader fills it
		c.stats, c.outlets, c.at = st, outlets, time.Now()
	}
}

// forgetSummary drops the cached counts and actor data after an ingest.
func (s *Server) forgetSummary() {
	s.sum.mu.Lock()
	s.sum.at = time.Time{}
	s.sum.mu.Unlock()
	s.forgetActors()
}
