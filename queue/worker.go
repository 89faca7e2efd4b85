package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/detente/detente"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Worker takes jobs from the queue, annotates and codes the originals and
// stores a batch of jobs per transaction, acknowledging each job after
// the commit.
type Worker struct {
	Queue *Queue
	Store detente.BatchPutter
	// Has looks an article up in Store (detente.Store.HasArticle).
	Has func(ctx context.Context, id string) (bool, error)
	// Annotate and Code are the pipeline's stages (see pipeline.Stages);
	// nil skips them.
	Annotate func(*detente.Article) *detente.Annotations
	Code     func(*detente.Article, *detente.Annotations) []detente.Event
	// Batch is how many jobs are fetched and stored per transaction.
	Batch int
	// Parallel is how many jobs of a batch are annotated at once
	// (default: all cores).
	Parallel int
	// IdleExit, when positive, ends Run once the queue has been empty
	// that long; zero runs until ctx is done.
	IdleExit time.Duration
	// Log, when set, is told of retries and dead letters.
	Log func(format string, args ...any)
	// OnBatch, when set, is called after each committed batch.
	OnBatch func(WorkerStats)

	// mu guards the stats, which the annotating and storing stages both
	// count into.
	mu sync.Mutex
}

// WorkerStats count what a worker did.
type WorkerStats struct {
	Stored        int `json:"stored"` // jobs acknowledged after storing
	New           int `json:"new"`
	Duplicate     int `json:"duplicate"`
	NearDuplicate int `json:"near_duplicate"`
	Existing      int `json:"existing"` // already stored: a redelivery or a rerun
	Waiting       int `json:"waiting"`  // copies put back until their original is stored
	Retried       int `json:"retried"`  // jobs put back after a store error
	DeadLettered  int `json:"dead_lettered"`
}

func (s *WorkerStats) count(st detente.PutStatus) {
	s.Stored++
	switch st {
	case detente.PutNew:
		s.New++
	case detente.PutExactCopy:
		s.Duplicate++
	case detente.PutNearCopy:
		s.NearDuplicate++
	case detente.PutExisting:
		s.Existing++
	}
}

func (s WorkerStats) String() string {
	return fmt.Sprintf("stored %d (new %d, duplicate %d, near-duplicate %d, already stored %d), waited %d, retried %d, dead-lettered %d",
		s.Stored, s.New, s.Duplicate, s.NearDuplicate, s.Existing, s.Waiting, s.Retried, s.DeadLettered)
}

// task is one fetched job on its way to the store.
type task struct {
	msg  jetstream.Msg
	job  Job
	item detente.PutItem
}

// Run works until ctx is done (or the queue stays empty for IdleExit) and
// returns what it did. Jobs it holds when ctx ends are not acknowledged
// and go to another worker after AckWait.
//
// Annotating and storing overlap: while one batch is being stored, the
// next is fetched and annotated, so the cores are not idle during a
// commit.
func (w *Worker) Run(ctx context.Context) (WorkerStats, error) {
	var st WorkerStats
	cons, err := w.Queue.jobs.Consumer(ctx, consumerName)
	if err != nil {
		return st, fmt.Errorf("queue: consumer: %w", err)
	}
	batch := w.Batch
	if batch <= 0 {
		batch = 16
	}
	type work struct {
		tasks []*task
		stop  func()
	}
	toStore := make(chan work, 1)
	stored := make(chan error, 1)
	go func() {
		defer close(stored)
		for b := range toStore {
			err := w.storeBatch(ctx, b.tasks, &st)
			b.stop()
			if err != nil {
				stored <- err
				for b := range toStore { // left to another worker after AckWait
					b.stop()
				}
				return
			}
			if w.OnBatch != nil {
				w.mu.Lock()
				snapshot := st
				w.mu.Unlock()
				w.OnBatch(snapshot)
			}
		}
	}()
	runErr := func() error {
		idleSince := time.Now()
		for ctx.Err() == nil {
			mb, err := cons.Fetch(batch, jetstream.FetchMaxWait(w.fetchWait()))
			if err != nil {
				if ctx.Err() != nil {
					break
				}
				w.logf("fetch: %v", err)
				time.Sleep(time.Second)
				continue
			}
			var msgs []jetstream.Msg
			for m := range mb.Messages() {
				msgs = append(msgs, m)
			}
			if len(msgs) == 0 {
				if w.IdleExit > 0 && time.Since(idleSince) >= w.IdleExit {
					if n, err := w.Queue.Pending(ctx); err == nil && n == 0 {
						break
					}
				}
				continue
			}
			idleSince = time.Now()
			tasks, stop := w.prepareBatch(ctx, msgs, &st)
			select {
			case toStore <- work{tasks, stop}:
			case err := <-stored:
				stop()
				return err
			}
		}
		return nil
	}()
	close(toStore)
	if err := <-stored; err != nil && runErr == nil {
		runErr = err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if runErr != nil && !errors.Is(runErr, context.Canceled) {
		return st, runErr
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		return st, nil
	}
	return st, ctx.Err()
}

func (w *Worker) logf(format string, args ...any) {
	if w.Log != nil {
		w.Log(format, args...)
	}
}

// prepareBatch decodes a fetched batch and annotates and codes its
// originals; stop ends the keep-alive that holds its jobs, to be called
// once they are stored.
func (w *Worker) prepareBatch(ctx context.Context, msgs []jetstream.Msg, st *WorkerStats) (tasks []*task, stop func()) {
	for _, m := range msgs {
		t := &task{msg: m}
		if err := json.Unmarshal(m.Data(), &t.job); err != nil || t.job.Article == nil || t.job.Article.ID == "" {
			w.deadLetter(ctx, t, fmt.Sprintf("not a job: %v", err), st)
			continue
		}
		t.job.Article.Origin = t.job.Origin
		if md, err := m.Metadata(); err == nil && int(md.NumDelivered) >= w.Queue.cfg.MaxDeliver && md.NumDelivered > 1 {
			// The last delivery: earlier ones failed or died (a text
			// that crashes the worker ends here too), so it is parked
			// rather than tried once more.
			w.deadLetter(ctx, t, "delivered "+strconv.Itoa(int(md.NumDelivered))+" times without being stored", st)
			continue
		}
		tasks = append(tasks, t)
	}
	// Keep the batch's jobs ours while the originals are annotated and
	// until they are stored.
	stop = w.keepAlive(tasks)
	return w.prepare(ctx, tasks, st), stop
}

// storeBatch stores a prepared batch and acknowledges its jobs.
func (w *Worker) storeBatch(ctx context.Context, tasks []*task, st *WorkerStats) error {
	if len(tasks) == 0 {
		return ctx.Err()
	}
	sort.Slice(tasks, func(i, j int) bool { return tasks[i].job.Seq < tasks[j].job.Seq })
	// A copy whose original is neither stored nor in this batch waits.
	inBatch := map[string]bool{}
	var ready []*task
	for _, t := range tasks {
		if d := t.item.Duplicate; d != nil && !inBatch[d.Of] {
			has, err := w.Has(ctx, d.Of)
			if err != nil {
				w.retry(t, err, st)
				continue
			}
			if !has {
				w.wait(t, st)
				continue
			}
		}
		inBatch[t.item.Article.ID] = true
		ready = append(ready, t)
	}
	if len(ready) == 0 {
		return nil
	}
	sts, err := w.put(ctx, ready)
	if err == nil {
		for i, t := range ready {
			w.ack(t, sts[i], st)
		}
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	// One job spoiled the batch, or the store failed: one at a time, so
	// each job gets its own outcome.
	for _, t := range ready {
		sts, err := w.put(ctx, []*task{t})
		switch {
		case err == nil:
			w.ack(t, sts[0], st)
		case ctx.Err() != nil:
			return ctx.Err()
		case detente.ErrorCode(err) == detente.EINVALID:
			if d := t.item.Duplicate; d != nil {
				if has, herr := w.Has(ctx, d.Of); herr == nil && !has {
					w.wait(t, st) // its original was in the batch that failed
					continue
				}
			}
			w.deadLetter(ctx, t, err.Error(), st)
		default:
			w.retry(t, err, st)
		}
	}
	return nil
}

// orderedPutter is a store that takes each article's input position, so
// that storing out of order still keeps each event's first report (see
// postgres.DB.PutBatchOrdered).
type orderedPutter interface {
	PutBatchOrdered(ctx context.Context, items []detente.PutItem, order []int64) ([]detente.PutStatus, error)
}

// put stores tasks in one transaction, with their input positions when
// the store takes them.
func (w *Worker) put(ctx context.Context, tasks []*task) ([]detente.PutStatus, error) {
	items := make([]detente.PutItem, len(tasks))
	order := make([]int64, len(tasks))
	for i, t := range tasks {
		items[i], order[i] = t.item, t.job.Seq
	}
	if op, ok := w.Store.(orderedPutter); ok {
		return op.PutBatchOrdered(ctx, items, order)
	}
	return w.Store.PutBatch(ctx, items)
}

// prepare annotates and codes the batch's originals in parallel. A job
// whose text crashes a stage is dead-lettered: it would crash again.
func (w *Worker) prepare(ctx context.Context, tasks []*task, st *WorkerStats) []*task {
	par := w.Parallel
	if par <= 0 {
		par = runtime.GOMAXPROCS(0)
	}
	failed := make([]string, len(tasks))
	var wg sync.WaitGroup
	sem := make(chan struct{}, par)
	for i, t := range tasks {
		t.item = detente.PutItem{Article: t.job.Article, Fingerprint: t.job.Fingerprint, Duplicate: t.job.Duplicate}
		if t.job.Duplicate != nil {
			continue // a copy's annotations and events are its original's
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			defer func() {
				if r := recover(); r != nil {
					failed[i] = fmt.Sprintf("internal error while processing this article: %v", r)
				}
			}()
			if w.Annotate != nil {
				t.item.Annotations = w.Annotate(t.item.Article)
			}
			if w.Code != nil {
				t.item.Events = w.Code(t.item.Article, t.item.Annotations)
				if t.item.Events == nil {
					t.item.Events = []detente.Event{}
				}
			}
			if t.item.Annotations != nil {
				// The tokens served the coder; a batch waiting for the
				// store need not hold them.
				t.item.Annotations.Segmentation = nil
			}
		}()
	}
	wg.Wait()
	var out []*task
	for i, t := range tasks {
		if failed[i] != "" {
			w.deadLetter(ctx, t, failed[i], st)
			continue
		}
		out = append(out, t)
	}
	return out
}

// fetchWait is how long a fetch waits to fill a batch: a job's AckWait
// runs from its delivery, not from the end of the fetch, so a fetch that
// waited long for the rest of its batch would leave little of it to the
// work before the first keep-alive (with a short AckWait, none: the job
// went to a second worker while the first still held it).
func (w *Worker) fetchWait() time.Duration {
	return min(max(w.Queue.cfg.AckWait/4, 100*time.Millisecond), time.Second)
}

// keepAlive tells the server that the jobs are being worked on, at once
// (they may have waited in the fetch) and then every AckWait/3, until
// stop is called. Jobs already acknowledged, put back or dead-lettered
// are skipped by the client (ErrMsgAlreadyAckd), so a copy put back with
// a delay keeps its delay.
func (w *Worker) keepAlive(tasks []*task) (stop func()) {
	touch := func() {
		for _, tk := range tasks {
			_ = tk.msg.InProgress()
		}
	}
	touch()
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(w.Queue.cfg.AckWait / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				touch()
			}
		}
	}()
	return func() { close(done) }
}

func (w *Worker) ack(t *task, s detente.PutStatus, st *WorkerStats) {
	// A lost ack only means a redelivery, which finds the article stored.
	if err := t.msg.Ack(); err != nil {
		w.logf("ack %s: %v", t.job.Article.ID, err)
	}
	w.mu.Lock()
	st.count(s)
	w.mu.Unlock()
}

// backoff is the delay before the n-th redelivery: 1 s doubling to 30 s.
func backoff(delivered uint64) time.Duration {
	d := time.Second << min(delivered, 5)
	return min(d, 30*time.Second)
}

func delivered(m jetstream.Msg) uint64 {
	if md, err := m.Metadata(); err == nil {
		return md.NumDelivered
	}
	return 1
}

// wait puts a copy back until its original is stored.
func (w *Worker) wait(t *task, st *WorkerStats) {
	w.mu.Lock()
	st.Waiting++
	w.mu.Unlock()
	_ = t.msg.NakWithDelay(backoff(delivered(t.msg) - 1))
}

// retry puts a job back after a failure that may pass (the store down).
func (w *Worker) retry(t *task, err error, st *WorkerStats) {
	w.mu.Lock()
	st.Retried++
	w.mu.Unlock()
	w.logf("job %s (%s) will be retried: %v", t.job.Article.ID, t.job.Origin, err)
	_ = t.msg.NakWithDelay(backoff(delivered(t.msg)))
}

// deadLetter publishes a job with its reason to the dead-letter subject
// and, once the server has it, removes it from the work queue. If the
// dead letter cannot be published the job stays, to be redelivered.
func (w *Worker) deadLetter(ctx context.Context, t *task, reason string, st *WorkerStats) {
	m := nats.NewMsg(w.Queue.cfg.DeadSubject())
	m.Data = t.msg.Data()
	id := ""
	if t.job.Article != nil {
		id = t.job.Article.ID
	}
	m.Header.Set(HeaderArticle, id)
	m.Header.Set(HeaderReason, reason)
	m.Header.Set(HeaderAttempts, strconv.FormatUint(delivered(t.msg), 10))
	if _, err := w.Queue.js.PublishMsg(ctx, m); err != nil {
		w.logf("dead-letter %s: %v", id, err)
		_ = t.msg.NakWithDelay(backoff(delivered(t.msg)))
		return
	}
	w.mu.Lock()
	st.DeadLettered++
	w.mu.Unlock()
	w.logf("job %s (%s) dead-lettered: %s", id, t.job.Origin, reason)
	_ = t.msg.Term()
}
