package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/dedup"
)

// memStore is a minimal in-memory detente.Store for testing the pipeline's
// logic apart from any database.
type memStore struct {
	mu       sync.Mutex                  // the pipeline reads from its workers while it writes
	articles map[string]*detente.Article // originals by ID
	copies   map[string]detente.Copy     // every stored ID
	exact    map[string]string           // exact hash → original ID
	bands    map[uint64][]string
	sigs     map[string][]uint32
	batches  int
	refuse   string // an article ID the store rejects as invalid
	// events holds the events stored with each new article (via PutBatch).
	events map[string][]detente.Event
}

func newMemStore() *memStore {
	return &memStore{articles: map[string]*detente.Article{}, copies: map[string]detente.Copy{},
		exact: map[string]string{}, bands: map[uint64][]string{}, sigs: map[string][]uint32{}}
}

func (m *memStore) PutArticle(ctx context.Context, a *detente.Article, fp detente.Fingerprint, dup *detente.Duplicate) (detente.PutStatus, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.put(a, fp, dup)
}

func (m *memStore) put(a *detente.Article, fp detente.Fingerprint, dup *detente.Duplicate) (detente.PutStatus, error) {
	if a.ID == m.refuse {
		return 0, detente.Errorf(detente.EINVALID, "article %s refused", a.ID)
	}
	if _, ok := m.copies[a.ID]; ok {
		return detente.PutExisting, nil
	}
	if dup != nil {
		m.copies[a.ID] = detente.Copy{ArticleID: a.ID, Source: a.Source, Kind: dup.Kind, Similarity: dup.Similarity}
		if dup.Kind == detente.CopyExact {
			return detente.PutExactCopy, nil
		}
		return detente.PutNearCopy, nil
	}
	m.articles[a.ID] = a
	m.copies[a.ID] = detente.Copy{ArticleID: a.ID, Source: a.Source, Kind: detente.CopyOriginal, Similarity: 1}
	m.exact[fp.Exact] = a.ID
	m.sigs[a.ID] = fp.Signature
	for _, b := range fp.Bands {
		m.bands[b] = append(m.bands[b], a.ID)
	}
	return detente.PutNew, nil
}

func (m *memStore) PutBatch(ctx context.Context, items []detente.PutItem) ([]detente.PutStatus, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.batches++
	for _, it := range items {
		if it.Article.ID == m.refuse {
			return nil, detente.Errorf(detente.EINVALID, "batch item %s refused", it.Article.ID)
		}
	}
	var sts []detente.PutStatus
	for _, it := range items {
		st, err := m.put(it.Article, it.Fingerprint, it.Duplicate)
		if err != nil {
			return nil, err
		}
		if st == detente.PutNew && it.Events != nil {
			if m.events == nil {
				m.events = map[string][]detente.Event{}
			}
			m.events[it.Article.ID] = it.Events
		}
		sts = append(sts, st)
	}
	return sts, nil
}

func (m *memStore) ExactMatch(ctx context.Context, exact string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.exact[exact], nil
}

func (m *memStore) NearCandidates(ctx context.Context, bands []uint64) ([]detente.Candidate, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	seen := map[string]bool{}
	var out []detente.Candidate
	for _, b := range bands {
		for _, id := range m.bands[b] {
			if !seen[id] {
				seen[id] = true
				out = append(out, detente.Candidate{ArticleID: id, Signature: m.sigs[id]})
			}
		}
	}
	return out, nil
}

func (m *memStore) HasArticle(ctx context.Context, id string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.copies[id]
	return ok, nil
}

func (m *memStore) Article(ctx context.Context, id string) (*detente.Story, error) {
	return nil, detente.Errorf(detente.ENOTFOUND, "not implemented")
}

func (m *memStore) Search(ctx context.Context, f detente.SearchFilter) ([]detente.SearchHit, int, error) {
	return nil, 0, nil
}

func (m *memStore) Close() error { return nil }

// wireStory is a long enough text for shingle-based near-duplicate detection.
const wireStory = `Foreign ministers from twelve countries met in Geneva on Monday to discuss a ceasefire in the region, officials said.
The talks, which lasted more than six hours, ended with a joint statement calling for humanitarian corridors and the release of detained aid workers.
Diplomats said the delegations agreed to meet again next month and asked the United Nations to send observers to monitor the truce along the border.
The host government said the meeting was a first step and that much work remained before a lasting settlement could be reached.`

func feed(items ...Input) <-chan Input {
	ch := make(chan Input, len(items))
	for _, it := range items {
		ch <- it
	}
	close(ch)
	return ch
}

func art(id, source, title, body string) Input {
	return Input{Article: &detente.Article{ID: id, Source: source, Title: title, Body: body, Origin: "test#" + id}}
}

func newIngester(s detente.Store, batch int) *Ingester {
	cfg := dedup.DefaultConfig()
	return &Ingester{Store: s, Hasher: dedup.NewHasher(cfg), BatchSize: batch, Workers: 3}
}

func TestIngestStoresOriginalsAndRecordsCopies(t *testing.T) {
	for _, batch := range []int{1, 2, 256} {
		t.Run(fmt.Sprintf("batch %d", batch), func(t *testing.T) {
			s := newMemStore()
			near := strings.Replace(wireStory, "The host government said the meeting was a first step and that much work remained before a lasting settlement could be reached.", "", 1)
			sum, err := newIngester(s, batch).Run(context.Background(), feed(
				art("a", "Wire", "Ministers meet in Geneva", wireStory),
				art("b", "Paper", "Geneva talks end with statement", wireStory),
				art("c", "Daily", "Ceasefire talks", near+"\nRead more: other news"),
				art("d", "Wire", "Unrelated", "The central bank raised its main interest rate by a quarter point on Thursday, citing persistent inflation in services and wages across the economy."),
			))
			if err != nil {
				t.Fatal(err)
			}
			if sum.Read != 4 || sum.New != 2 || sum.Duplicate != 1 || sum.NearDuplicate != 1 || sum.Failed != 0 {
				t.Fatalf("summary = %+v", sum)
			}
			if len(s.articles) != 2 {
				t.Errorf("stored %d articles, want the 2 originals", len(s.articles))
			}
			if c := s.copies["c"]; c.Kind != detente.CopyNear {
				t.Errorf("c stored as %q, want a near copy", c.Kind)
			}
		})
	}
}

func TestIngestTwiceChangesNothing(t *testing.T) {
	s := newMemStore()
	items := func() <-chan Input {
		return feed(art("a", "Wire", "T", wireStory), art("b", "Paper", "T2", wireStory))
	}
	if _, err := newIngester(s, 256).Run(context.Background(), items()); err != nil {
		t.Fatal(err)
	}
	sum, err := newIngester(s, 256).Run(context.Background(), items())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Unchanged != 2 || sum.New != 0 || sum.Duplicate != 0 {
		t.Fatalf("second run summary = %+v, want everything unchanged", sum)
	}
}

func TestIngestCountsFailuresAndGoesOn(t *testing.T) {
	s := newMemStore()
	sum, err := newIngester(s, 256).Run(context.Background(), feed(
		Input{Err: errors.New("broken.jsonl:2: invalid character")},
		art("empty", "Wire", "Only junk", "Share\nCopied\n"),
		art("ok", "Wire", "Fine", wireStory),
	))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != 3 || sum.Failed != 2 || sum.New != 1 {
		t.Fatalf("summary = %+v", sum)
	}
	if !strings.Contains(sum.Failures[0].String(), "broken.jsonl:2") {
		t.Errorf("failure lost its origin: %v", sum.Failures[0])
	}
	if sum.Failures[1].Origin != "test#empty" {
		t.Errorf("failure origin = %q, want the article's origin", sum.Failures[1].Origin)
	}
}

func TestPrepareAllKeepsInputOrder(t *testing.T) {
	var items []Input
	for i := range 500 {
		items = append(items, art(fmt.Sprint(i), "S", "T", fmt.Sprintf("Article number %d says something about %d things.", i, i*7)))
	}
	h := dedup.NewHasher(dedup.DefaultConfig())
	i := 0
	for p := range PrepareAll(context.Background(), Stages{Hasher: h}, feed(items...), 4) {
		if p.Article.ID != fmt.Sprint(i) {
			t.Fatalf("item %d came out as %s", i, p.Article.ID)
		}
		i++
	}
	if i != 500 {
		t.Fatalf("got %d items, want 500", i)
	}
}

func TestAnnotateMarksCopiesOfEarlierArticles(t *testing.T) {
	var out []*detente.Article
	h := dedup.NewHasher(dedup.DefaultConfig())
	sum, err := Annotate(context.Background(), Stages{Hasher: h}, feed(
		art("a", "Wire", "T", wireStory),
		art("b", "Paper", "T2", wireStory),
	), 2, func(a *detente.Article, _ *detente.Annotations, _ []detente.Event) error {
		out = append(out, a)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[0].DuplicateOf != "" || out[1].DuplicateOf != "a" {
		t.Fatalf("duplicate_of = %q, %q; want \"\", \"a\"", out[0].DuplicateOf, out[1].DuplicateOf)
	}
	if sum.New != 1 || sum.Duplicate != 1 {
		t.Errorf("summary = %+v", sum)
	}
}

func TestIngestStoresTheRestOfABatchTheStoreRefuses(t *testing.T) {
	s := newMemStore()
	s.refuse = "bad"
	sum, err := newIngester(s, 256).Run(context.Background(), feed(
		art("a", "Wire", "T", wireStory),
		art("bad", "Wire", "Bad", "The central bank raised its main interest rate by a quarter point on Thursday."),
		art("c", "Wire", "Other", "Floods closed schools in three provinces after a week of heavy rain, the ministry said on Friday."),
	))
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 2 || sum.Failed != 1 || sum.Failures[0].Origin != "test#bad" {
		t.Fatalf("summary = %+v, want 2 new and the refused article reported", sum)
	}
}

func TestPrepareTurnsAPanicIntoThisArticlesFailure(t *testing.T) {
	st := Stages{Hasher: dedup.NewHasher(dedup.DefaultConfig()), Annotate: func(a *detente.Article) *detente.Annotations {
		if a.ID == "boom" {
			panic("index out of range")
		}
		return &detente.Annotations{}
	}}
	var got []Prepared
	for p := range PrepareAll(context.Background(), st, feed(art("boom", "S", "T", wireStory), art("ok", "S", "T", wireStory)), 2) {
		got = append(got, p)
	}
	if len(got) != 2 || got[0].Err == nil || !strings.Contains(got[0].Err.Error(), "index out of range") {
		t.Fatalf("the panicking article did not fail with its reason: %+v", got)
	}
	if got[1].Err != nil || got[1].Annotations == nil {
		t.Fatalf("the next article was not annotated: %+v", got[1])
	}
}

func TestARerunDoesNotAnnotateStoredArticlesAgain(t *testing.T) {
	s := newMemStore()
	var mu sync.Mutex
	calls := 0
	g := newIngester(s, 256)
	g.Annotate = func(a *detente.Article) *detente.Annotations {
		mu.Lock()
		calls++
		mu.Unlock()
		return &detente.Annotations{}
	}
	items := func() <-chan Input { return feed(art("a", "Wire", "T", wireStory), art("b", "Paper", "T2", wireStory)) }
	if _, err := g.Run(context.Background(), items()); err != nil {
		t.Fatal(err)
	}
	first := calls
	sum, err := g.Run(context.Background(), items())
	if err != nil {
		t.Fatal(err)
	}
	if calls != first || sum.Unchanged != 2 {
		t.Errorf("rerun annotated %d more articles (unchanged %d); want none, both unchanged", calls-first, sum.Unchanged)
	}
}

// slowStore holds its first batch until release is closed, as a slow disk
// would, so later batches are deduplicated before it is committed.
type slowStore struct {
	*memStore
	release chan struct{}
	once    sync.Once
}

func (s *slowStore) PutBatch(ctx context.Context, items []detente.PutItem) ([]detente.PutStatus, error) {
	first := false
	s.once.Do(func() { first = true })
	if first {
		<-s.release
	}
	return s.memStore.PutBatch(ctx, items)
}

func TestCopiesOfAnUncommittedBatchAreFound(t *testing.T) {
	s := &slowStore{memStore: newMemStore(), release: make(chan struct{})}
	g := newIngester(s, 1)
	g.Progress = func(sum Summary) {
		// Once the copy is deduplicated, let the first batch commit.
		if sum.Read == 2 {
			select {
			case <-s.release:
			default:
				close(s.release)
			}
		}
	}
	sum, err := g.Run(context.Background(), feed(
		art("a", "Wire", "Ministers meet in Geneva", wireStory),
		art("b", "Paper", "Geneva talks end with statement", wireStory),
		art("d", "Wire", "Unrelated", "The central bank raised its main interest rate by a quarter point on Thursday, citing persistent inflation in services and wages across the economy."),
	))
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 2 || sum.Duplicate != 1 {
		t.Fatalf("summary = %+v, want b stored as a copy of a while a's batch was still being written", sum)
	}
	if c := s.copies["b"]; c.Kind != detente.CopyExact {
		t.Errorf("b stored as %q, want an exact copy", c.Kind)
	}
}

// countingStore counts HasArticle calls and can pretend, once per ID,
// that an article is not stored yet (as when another process stores it
// between the parallel stage's check and the batch), or fail every lookup.
type countingStore struct {
	*memStore
	mu      sync.Mutex
	calls   int
	late    map[string]bool // IDs answered "not stored" the first time
	lookErr error
}

func (s *countingStore) HasArticle(ctx context.Context, id string) (bool, error) {
	s.mu.Lock()
	s.calls++
	late := s.late[id]
	delete(s.late, id)
	s.mu.Unlock()
	if s.lookErr != nil {
		return false, s.lookErr
	}
	if late {
		return false, nil
	}
	return s.memStore.HasArticle(ctx, id)
}

func TestIngestAsksTheStoreOncePerNewArticle(t *testing.T) {
	s := &countingStore{memStore: newMemStore()}
	sum, err := newIngester(s, 256).Run(context.Background(), feed(
		art("a", "Wire", "Ministers meet in Geneva", wireStory),
		art("d", "Wire", "Unrelated", "The central bank raised its main interest rate by a quarter point on Thursday, citing persistent inflation in services and wages across the economy."),
	))
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 2 || s.calls != 2 {
		t.Errorf("new %d with %d HasArticle calls, want 2 new with one call each", sum.New, s.calls)
	}
}

func TestAnArticleStoredAfterTheCheckIsStoredOnce(t *testing.T) {
	s := &countingStore{memStore: newMemStore(), late: map[string]bool{}}
	a := art("a", "Wire", "Ministers meet in Geneva", wireStory)
	if _, err := newIngester(s, 256).Run(context.Background(), feed(a)); err != nil {
		t.Fatal(err)
	}
	s.late[a.Article.ID] = true // "another process" stored it after the check
	a2 := art("a", "Wire", "Ministers meet in Geneva", wireStory)
	sum, err := newIngester(s, 256).Run(context.Background(), feed(a2))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Unchanged != 1 || sum.New != 0 || sum.Duplicate != 0 || len(s.articles) != 1 {
		t.Errorf("summary = %+v with %d stored, want it unchanged and stored once", sum, len(s.articles))
	}
}

func TestALookupErrorIsReportedNotTakenForNew(t *testing.T) {
	s := &countingStore{memStore: newMemStore(), lookErr: errors.New("disk I/O error")}
	_, err := newIngester(s, 256).Run(context.Background(), feed(art("a", "Wire", "T", wireStory)))
	if err == nil || !strings.Contains(err.Error(), "disk I/O error") {
		t.Fatalf("err = %v, want the lookup's error", err)
	}
	if len(s.articles) != 0 {
		t.Errorf("stored %d articles despite the failed lookup", len(s.articles))
	}
}
