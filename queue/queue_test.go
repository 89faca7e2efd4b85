package queue

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/detente/detente"
	"github.com/detente/detente/dedup"
	"github.com/detente/detente/pipeline"
	"github.com/detente/detente/store/postgres"
	"github.com/detente/detente/store/sqlite"
	"github.com/nats-io/nats.go/jetstream"
)

func randomName() string {
	b := make([]byte, 5)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// testQueue opens a queue on DETENTE_TEST_NATS with streams of its own,
// deleted after the test.
func testQueue(t *testing.T, options string) *Queue {
	t.Helper()
	raw := os.Getenv("DETENTE_TEST_NATS")
	if raw == "" {
		t.Skip("DETENTE_TEST_NATS is not set (e.g. nats://127.0.0.1:4222); skipping NATS JetStream tests")
	}
	cfg, err := ParseURL(raw + "?stream=TEST_" + strings.ToUpper(randomName()) + "&" + options)
	if err != nil {
		t.Fatal(err)
	}
	q, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := q.DeleteStreams(context.Background()); err != nil {
			t.Errorf("delete streams: %v", err)
		}
		q.Close()
	})
	return q
}

// testStore opens a PostgreSQL store on DETENTE_TEST_POSTGRES in a schema
// of its own, dropped after the test.
func testStore(t *testing.T) *postgres.DB {
	t.Helper()
	raw := os.Getenv("DETENTE_TEST_POSTGRES")
	if raw == "" {
		t.Skip("DETENTE_TEST_POSTGRES is not set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable); skipping")
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	v := u.Query()
	v.Set("schema", "detente_test_"+randomName())
	u.RawQuery = v.Encode()
	db, err := postgres.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.DropSchema(context.Background())
		db.Close()
	})
	return db
}

func TestParseURL(t *testing.T) {
	c, err := ParseURL("nats://h:4222?stream=JOBS_1&ack_wait=5s&max_deliver=3&user=x")
	if err != nil {
		t.Fatal(err)
	}
	if c.Stream != "JOBS_1" || c.AckWait != 5*time.Second || c.MaxDeliver != 3 || c.URL != "nats://h:4222?user=x" {
		t.Errorf("ParseURL = %+v", c)
	}
	for _, bad := range []string{"http://h", "nats://h?stream=a.b", "nats://h?ack_wait=soon", "nats://h?max_deliver=0"} {
		if _, err := ParseURL(bad); detente.ErrorCode(err) != detente.EINVALID {
			t.Errorf("ParseURL(%q) = %v; want invalid", bad, err)
		}
	}
}

// words makes a text of n words of its own, numbered by seed.
func words(seed, n int) string {
	var w []string
	for i := range n {
		w = append(w, fmt.Sprintf("w%dn%d", seed, i))
	}
	return strings.Join(w, " ")
}

var pairs = [][2]string{{"CHN", "USA"}, {"RUS", "UKR"}, {"FRA", "DEU"}}

// corpus is a small news run with stories, exact copies and near copies
// coming after their originals, and events several articles report.
func corpus() []*detente.Article {
	var out []*detente.Article
	for i := range 30 {
		p := pairs[i%3]
		body := fmt.Sprintf("%s met %s in talks.\n%s", p[0], p[1], words(i, 40))
		out = append(out, &detente.Article{ID: fmt.Sprintf("s%02d", i), Source: fmt.Sprintf("Outlet %d", i%4),
			Title: fmt.Sprintf("Talks %d", i), Published: fmt.Sprintf("2024-03-%02d", 1+i%5), Body: body})
		if i%5 == 2 { // an exact copy
			out = append(out, &detente.Article{ID: fmt.Sprintf("s%02dx", i), Source: "Copier", Title: "Copy", Body: body})
		}
		if i%7 == 3 { // a near copy: a few more words
			out = append(out, &detente.Article{ID: fmt.Sprintf("s%02dn", i), Source: "Rewriter", Title: "Rewrite",
				Published: "2024-04-01", Body: body + " Officials added a line."})
		}
	}
	return out
}

// code is a stand-in coder: "X met Y" is X consulting Y (CAMEO 036) on the
// publication date; a body containing "PANIC" crashes it.
func code(a *detente.Article, _ *detente.Annotations) []detente.Event {
	if strings.Contains(a.Body, "PANIC") {
		panic("coder crashed")
	}
	first, _, _ := strings.Cut(a.Body, "\n")
	f := strings.Fields(first)
	if len(f) < 3 || f[1] != "met" {
		return nil
	}
	n := utf8.RuneCountInString(first)
	return []detente.Event{{Source: f[0], Target: f[2], CAMEO: "036", Date: a.Published,
		Mentions: []detente.EventMention{{ArticleID: a.ID, Sentence: detente.Span{Start: 0, End: n},
			VerbSpan: detente.Span{Start: len(f[0]) + 1, End: len(f[0]) + 4}, Confidence: 0.5}}}}
}

func inputs(arts []*detente.Article) <-chan pipeline.Input {
	ch := make(chan pipeline.Input, len(arts))
	for _, a := range arts {
		c := *a
		ch <- pipeline.Input{Article: &c}
	}
	close(ch)
	return ch
}

// crashing is a store whose first PutBatch kills its worker before
// anything is stored, as kill -9 would between fetching and committing.
type crashing struct {
	detente.BatchPutter
	kill    context.CancelFunc
	crashed bool
}

func (c *crashing) PutBatch(ctx context.Context, items []detente.PutItem) ([]detente.PutStatus, error) {
	if !c.crashed {
		c.crashed = true
		c.kill()
		return nil, context.Canceled
	}
	return c.BatchPutter.PutBatch(ctx, items)
}

// Three workers, one of which dies holding a batch and is started again,
// store exactly what one process stores into SQLite: the same articles in
// the same stories, the same events with the same mentions.
func TestWorkersWithACrashEqualOneProcess(t *testing.T) {
	q := testQueue(t, "ack_wait=2s")
	db := testStore(t)
	h := dedup.NewHasher(dedup.DefaultConfig())
	db.SetNearCheck(h.IsNear)
	// A bound on the whole test: a worker that never finds the queue
	// drained fails the test instead of hanging it.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	arts := corpus()

	ref, err := sqlite.Open(filepath.Join(t.TempDir(), "ref.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	refSum, err := (&pipeline.Ingester{Store: ref, Hasher: h, Code: code}).Run(ctx, inputs(arts))
	if err != nil {
		t.Fatal(err)
	}

	pub := NewPublisher(q, db)
	pubSum, err := (&pipeline.Ingester{Store: pub, Hasher: h, BatchSize: 7}).Run(ctx, inputs(arts))
	if err != nil {
		t.Fatal(err)
	}
	if pubSum.New != refSum.New || pubSum.Duplicate != refSum.Duplicate || pubSum.NearDuplicate != refSum.NearDuplicate {
		t.Errorf("publisher decided %v; one process %v", pubSum, refSum)
	}

	worker := func(store detente.BatchPutter) *Worker {
		return &Worker{Queue: q, Store: store, Has: db.HasArticle, Code: code, Batch: 4, Parallel: 2, IdleExit: 4 * time.Second}
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var total WorkerStats
	run := func(w *Worker, ctx context.Context) {
		defer wg.Done()
		st, err := w.Run(ctx)
		if err != nil && ctx.Err() == nil {
			t.Errorf("worker: %v", err)
		}
		mu.Lock()
		total.Stored += st.Stored
		total.New += st.New
		total.Duplicate += st.Duplicate
		total.NearDuplicate += st.NearDuplicate
		total.Existing += st.Existing
		total.DeadLettered += st.DeadLettered
		mu.Unlock()
	}
	// The doomed worker starts alone, so it surely takes jobs and dies
	// holding them (started beside the others, it could find the queue
	// emptied by them and never crash); the others start as it dies,
	// while its second batch may still be in its hands.
	doomedCtx, kill := context.WithCancel(ctx)
	doomed := &crashing{BatchPutter: db, kill: kill}
	wg.Add(1)
	go run(worker(doomed), doomedCtx)
	<-doomedCtx.Done()
	if ctx.Err() != nil {
		t.Fatal("the doomed worker never stored a batch")
	}
	wg.Add(3)
	go run(worker(db), ctx)
	go run(worker(db), ctx)
	go run(worker(db), ctx) // started again
	wg.Wait()
	if ctx.Err() != nil {
		t.Fatalf("workers did not drain the queue in time: %v", ctx.Err())
	}

	// Delivery is at least once: a job can reach a second worker while
	// the first still stores it (a keep-alive or an ack late on a loaded
	// machine), and the second finds it stored. Those are the already
	// stored; every other outcome is one per article, as one process's.
	if total.DeadLettered != 0 || total.Stored-total.Existing != len(arts) || total.New != refSum.New ||
		total.Duplicate != refSum.Duplicate || total.NearDuplicate != refSum.NearDuplicate {
		t.Errorf("workers: %v; want all %d articles stored once (one process: %v), none dead", total, len(arts), refSum)
	}
	if total.Existing > 0 {
		t.Logf("%d jobs were delivered again while another worker held them", total.Existing)
	}
	if n, err := q.Pending(ctx); err != nil || n != 0 {
		t.Errorf("pending jobs = %d, %v; want none", n, err)
	}
	compareStores(t, ref, db, arts)
}

// compareStores checks that two stores hold the same articles, stories
// and events.
func compareStores(t *testing.T, want, got detente.Archive, arts []*detente.Article) {
	t.Helper()
	ctx := context.Background()
	ws, _ := want.Stats(ctx)
	gs, _ := got.Stats(ctx)
	if ws != gs {
		t.Errorf("stats = %+v; one process %+v", gs, ws)
	}
	story := func(db detente.Archive, id string) []string {
		s, err := db.Article(ctx, id)
		if err != nil {
			return []string{err.Error()}
		}
		out := []string{"story " + s.ID}
		for _, c := range s.Copies {
			out = append(out, fmt.Sprintf("%s %s %.4f", c.ArticleID, c.Kind, c.Similarity))
		}
		sort.Strings(out[1:])
		return out
	}
	for _, a := range arts {
		if w, g := story(want, a.ID), story(got, a.ID); !reflect.DeepEqual(w, g) {
			t.Errorf("article %s: %v; one process %v", a.ID, g, w)
		}
	}
	if w, g := eventDump(t, want), eventDump(t, got); !reflect.DeepEqual(w, g) {
		t.Errorf("events differ:\n got %v\nwant %v", g, w)
	}
}

// eventDump is every event with its counts and its mentions, in an order
// of their own (workers store in no fixed order).
func eventDump(t *testing.T, db detente.Archive) map[string]string {
	out := map[string]string{}
	err := db.EachEvent(context.Background(), detente.EventFilter{}, true, func(se *detente.StoredEvent) error {
		var ms []string
		for _, r := range se.Reports {
			ms = append(ms, fmt.Sprintf("%s@%s[%d,%d)v[%d,%d)", r.ArticleID, r.Outlet, r.Sentence.Start, r.Sentence.End, r.VerbSpan.Start, r.VerbSpan.End))
		}
		sort.Strings(ms)
		e := se.Event
		out[e.ID] = fmt.Sprintf("%s>%s %s %s mode=%q neg=%v loc=%v n=%d/%d/%d %v", e.Source, e.Target, e.CAMEO, e.Date,
			e.Mode, e.Negated, e.Location, e.NumMentions, e.NumArticles, e.NumSources, ms)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Jobs that cannot succeed are dead-lettered with their reasons and leave
// the work queue; the rest are stored.
func TestDeadLetters(t *testing.T) {
	q := testQueue(t, "ack_wait=2s&max_deliver=3")
	db := testStore(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	h := dedup.NewHasher(dedup.DefaultConfig())
	good := &detente.Article{ID: "good", Source: "Wire", Published: "2024-03-01", Body: "CHN met USA in talks.\n" + words(1, 30)}
	crash := &detente.Article{ID: "crash", Source: "Wire", Published: "2024-03-01", Body: "PANIC in the newsroom.\n" + words(2, 30)}
	orphan := &detente.Article{ID: "orphan", Source: "Wire", Body: words(3, 30)}
	pub := NewPublisher(q, nil)
	if _, err := pub.PutBatch(ctx, []detente.PutItem{
		{Article: good, Fingerprint: h.Fingerprint(good.Body)},
		{Article: crash, Fingerprint: h.Fingerprint(crash.Body)},
		{Article: orphan, Fingerprint: h.Fingerprint(orphan.Body), Duplicate: &detente.Duplicate{Of: "never-stored", Kind: detente.CopyExact}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := q.js.Publish(ctx, q.cfg.JobSubject(), []byte("{not json")); err != nil {
		t.Fatal(err)
	}
	// Publishing a job again within the duplicate window adds nothing.
	if _, err := pub.PutBatch(ctx, []detente.PutItem{{Article: good, Fingerprint: h.Fingerprint(good.Body)}}); err != nil {
		t.Fatal(err)
	}
	w := &Worker{Queue: q, Store: db, Has: db.HasArticle, Code: code, Batch: 8, IdleExit: 2 * time.Second}
	st, err := w.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.New != 1 || st.DeadLettered != 3 || st.Waiting < 1 {
		t.Errorf("worker: %+v; want 1 stored, 3 dead-lettered, the orphan waiting first", st)
	}
	dead, err := q.DeadLetters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(dead) != 3 || !strings.Contains(dead["crash"], "coder crashed") || !deliveredAtLeast(dead["orphan"], 3) ||
		!strings.Contains(dead[""], "not a job") {
		t.Errorf("dead letters = %q", dead)
	}
	if n, err := q.Pending(ctx); err != nil || n != 0 {
		t.Errorf("pending = %d, %v; want none", n, err)
	}
	if has, _ := db.HasArticle(ctx, "good"); !has {
		t.Errorf("the good job was not stored")
	}
}

// A job whose workers die on every delivery up to its last is still
// dead-lettered, not stranded in the stream (a server-side delivery limit
// would stop delivering it with no one left to park it).
func TestJobOfDeadWorkersIsDeadLettered(t *testing.T) {
	q := testQueue(t, "ack_wait=2s&max_deliver=2")
	db := testStore(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	h := dedup.NewHasher(dedup.DefaultConfig())
	a := &detente.Article{ID: "unlucky", Source: "Wire", Published: "2024-03-01", Body: "CHN met USA in talks.\n" + words(4, 30)}
	if _, err := NewPublisher(q, nil).PutBatch(ctx, []detente.PutItem{{Article: a, Fingerprint: h.Fingerprint(a.Body)}}); err != nil {
		t.Fatal(err)
	}
	cons, err := q.jobs.Consumer(ctx, consumerName)
	if err != nil {
		t.Fatal(err)
	}
	// Two workers take the job and die without a word: its deliveries
	// run out.
	for i := range 2 {
		var got int
		for deadline := time.Now().Add(20 * time.Second); got == 0 && time.Now().Before(deadline); {
			mb, err := cons.Fetch(1, jetstream.FetchMaxWait(time.Second))
			if err != nil {
				t.Fatal(err)
			}
			for range mb.Messages() {
				got++
			}
		}
		if got != 1 {
			t.Fatalf("delivery %d: got %d jobs", i+1, got)
		}
	}
	w := &Worker{Queue: q, Store: db, Has: db.HasArticle, Code: code, Batch: 4, IdleExit: 2 * time.Second}
	st, err := w.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dead, err := q.DeadLetters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.DeadLettered != 1 || !deliveredAtLeast(dead["unlucky"], 3) {
		t.Errorf("worker: %+v, dead letters %q; want the job dead-lettered on its third delivery", st, dead)
	}
	if n, err := q.Pending(ctx); err != nil || n != 0 {
		t.Errorf("pending = %d, %v; want none", n, err)
	}
}

// deliveredAtLeast reports whether a dead letter's reason says the job
// was delivered n or more times. More than n happens when a delivery is
// lost on its way (a pull that expired as the server sent it): the
// server counts it, the worker never sees it, and the job comes back
// after AckWait as the next delivery.
func deliveredAtLeast(reason string, n int) bool {
	var got int
	_, err := fmt.Sscanf(reason, "delivered %d times", &got)
	return err == nil && got >= n
}

// A fetch leaves most of a job's AckWait to the work, and never waits
// more than a second for a batch to fill.
func TestFetchWait(t *testing.T) {
	for _, c := range []struct{ ackWait, want time.Duration }{
		{2 * time.Second, 500 * time.Millisecond},
		{DefaultAckWait, time.Second},
		{200 * time.Millisecond, 100 * time.Millisecond},
	} {
		w := &Worker{Queue: &Queue{cfg: Config{AckWait: c.ackWait}}}
		if got := w.fetchWait(); got != c.want {
			t.Errorf("AckWait %v: fetch waits %v; want %v", c.ackWait, got, c.want)
		}
	}
}
