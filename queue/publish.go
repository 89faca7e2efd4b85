package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/detente/detente"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Publisher is the store a publishing ingest writes to: it answers the
// pipeline's dedup questions from what it published this run and from
// the stored archive (when given), and "stores" each article by
// publishing its job. Run through pipeline.Ingester without Annotate and
// Code, it makes exactly the decisions a single process would, in input
// order; the statuses it returns are those decisions (what the workers
// will store).
//
// It is safe for concurrent use, though the pipeline calls it from one
// goroutine.
type Publisher struct {
	q *Queue
	// Stored, when set, is the archive the workers write to, consulted
	// read-only for stories stored before this run.
	Stored detente.Store

	mu  sync.Mutex
	seq int64
	// What this run published: every ID, originals' exact hashes first,
	// copies' exact hashes, each copy's kind and similarity, and
	// originals' signatures by band key, as a store keeps them.
	ids        map[string]bool
	exact      map[string]string
	exactCopy  map[string]string
	copyOf     map[string]detente.Duplicate
	bands      map[uint64][]int
	signatures []detente.Candidate
	// Deduplicated counts jobs JetStream dropped as already published
	// within its duplicate window (a rerun).
	Deduplicated int
}

// NewPublisher returns a publisher to q; stored may be nil.
func NewPublisher(q *Queue, stored detente.Store) *Publisher {
	// Job positions continue from the clock, in microseconds, so a later
	// run's articles come after an earlier run's (no run publishes an
	// article a microsecond).
	return &Publisher{q: q, Stored: stored, seq: time.Now().UnixMicro(), ids: map[string]bool{}, exact: map[string]string{},
		exactCopy: map[string]string{}, copyOf: map[string]detente.Duplicate{}, bands: map[uint64][]int{}}
}

var _ detente.BatchPutter = (*Publisher)(nil)
var _ detente.Store = (*Publisher)(nil)

// HasArticle reports whether this run published the ID or the archive
// holds it.
func (p *Publisher) HasArticle(ctx context.Context, id string) (bool, error) {
	p.mu.Lock()
	has := p.ids[id]
	p.mu.Unlock()
	if has || p.Stored == nil {
		return has, nil
	}
	return p.Stored.HasArticle(ctx, id)
}

// ExactMatch prefers what was stored before the run (it came first), then
// this run's originals, then its copies, as a store orders them.
func (p *Publisher) ExactMatch(ctx context.Context, exact string) (string, error) {
	if exact == "" {
		return "", nil
	}
	if p.Stored != nil {
		id, err := p.Stored.ExactMatch(ctx, exact)
		if err != nil || id != "" {
			return id, err
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if id, ok := p.exact[exact]; ok {
		return id, nil
	}
	return p.exactCopy[exact], nil
}

// NearCandidates returns the archive's candidates and this run's
// originals sharing a band key, those sharing the most first.
func (p *Publisher) NearCandidates(ctx context.Context, bands []uint64) ([]detente.Candidate, error) {
	var out []detente.Candidate
	if p.Stored != nil {
		var err error
		if out, err = p.Stored.NearCandidates(ctx, bands); err != nil {
			return nil, err
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	shared := map[int]int{}
	seen := map[uint64]bool{}
	for _, b := range bands {
		if seen[b] {
			continue
		}
		seen[b] = true
		for _, i := range p.bands[b] {
			shared[i]++
		}
	}
	idx := make([]int, 0, len(shared))
	for i := range shared {
		idx = append(idx, i)
	}
	sort.Slice(idx, func(a, b int) bool {
		if shared[idx[a]] != shared[idx[b]] {
			return shared[idx[a]] > shared[idx[b]]
		}
		return idx[a] < idx[b]
	})
	for _, i := range idx {
		out = append(out, p.signatures[i])
	}
	return out, nil
}

// PutArticle publishes one article's job.
func (p *Publisher) PutArticle(ctx context.Context, a *detente.Article, fp detente.Fingerprint, dup *detente.Duplicate) (detente.PutStatus, error) {
	st, err := p.PutBatch(ctx, []detente.PutItem{{Article: a, Fingerprint: fp, Duplicate: dup}})
	if err != nil {
		return 0, err
	}
	return st[0], nil
}

// PutBatch publishes the items' jobs and waits until JetStream has them
// all on disk, so a batch the pipeline counts is never lost. Annotations
// and events are not sent: the workers make them.
func (p *Publisher) PutBatch(ctx context.Context, items []detente.PutItem) ([]detente.PutStatus, error) {
	out := make([]detente.PutStatus, len(items))
	var futures []jetstream.PubAckFuture
	for i, it := range items {
		a := it.Article
		if a == nil || a.ID == "" {
			return nil, detente.Errorf(detente.EINVALID, "batch item %d: no article ID", i)
		}
		p.mu.Lock()
		if p.ids[a.ID] {
			p.mu.Unlock()
			out[i] = detente.PutExisting
			continue
		}
		p.seq++
		job := Job{Seq: p.seq, Origin: a.Origin, Article: a, Fingerprint: it.Fingerprint, Duplicate: it.Duplicate}
		out[i] = p.record(a.ID, it.Fingerprint, it.Duplicate)
		p.mu.Unlock()
		body, err := json.Marshal(job)
		if err != nil {
			return nil, fmt.Errorf("queue: encode %s: %w", a.ID, err)
		}
		m := nats.NewMsg(p.q.cfg.JobSubject())
		m.Data = body
		f, err := p.q.js.PublishMsgAsync(m, jetstream.WithMsgID(a.ID))
		if err != nil {
			return nil, fmt.Errorf("queue: publish %s: %w", a.ID, err)
		}
		futures = append(futures, f)
	}
	for _, f := range futures {
		select {
		case ack := <-f.Ok():
			if ack.Duplicate {
				p.mu.Lock()
				p.Deduplicated++
				p.mu.Unlock()
			}
		case err := <-f.Err():
			return nil, fmt.Errorf("queue: publish: %w", err)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return out, nil
}

// record remembers a published article for later dedup questions and
// returns the status a store will give it; p.mu is held.
func (p *Publisher) record(id string, fp detente.Fingerprint, dup *detente.Duplicate) detente.PutStatus {
	p.ids[id] = true
	if dup == nil {
		if _, ok := p.exact[fp.Exact]; !ok && fp.Exact != "" {
			p.exact[fp.Exact] = id
		}
		if len(fp.Signature) > 0 {
			i := len(p.signatures)
			p.signatures = append(p.signatures, detente.Candidate{ArticleID: id, Signature: fp.Signature})
			for _, b := range fp.Bands {
				p.bands[b] = append(p.bands[b], i)
			}
		}
		return detente.PutNew
	}
	if _, ok := p.exactCopy[fp.Exact]; !ok && fp.Exact != "" {
		p.exactCopy[fp.Exact] = id
	}
	d := *dup
	if of, ok := p.copyOf[dup.Of]; ok {
		d.Of = of.Of // a copy of a copy belongs to the same story
		if dup.Kind == detente.CopyExact && of.Kind == detente.CopyNear {
			d.Kind, d.Similarity = detente.CopyNear, of.Similarity
		}
	}
	p.copyOf[id] = d
	if d.Kind == detente.CopyNear {
		return detente.PutNearCopy
	}
	return detente.PutExactCopy
}

// Search is not offered: a publisher stores nothing it could search.
func (p *Publisher) Search(context.Context, detente.SearchFilter) ([]detente.SearchHit, int, error) {
	return nil, 0, detente.Errorf(detente.EINVALID, "a queue publisher cannot search; search the store the workers write to")
}

// Article is not offered either.
func (p *Publisher) Article(context.Context, string) (*detente.Story, error) {
	return nil, detente.Errorf(detente.EINVALID, "a queue publisher stores no articles; read the store the workers write to")
}

// Close does nothing: the queue belongs to whoever opened it.
func (p *Publisher) Close() error { return nil }
