package pipeline

import (
	"context"
	"fmt"
	"sync"

	"github.com/detente/detente"
	"github.com/detente/detente/dedup"
)

// Ingester stores a stream of articles, dropping what is already stored and
// recording copies of stored stories as copies.
type Ingester struct {
	Store  detente.Store
	Hasher *dedup.Hasher
	// Annotate, when set, annotates each article before it is stored.
	Annotate func(*detente.Article) *detente.Annotations
	// Code, when set, codes each article's events (see Stages.Code); they
	// are stored with the article, in its transaction.
	Code func(*detente.Article, *detente.Annotations) []detente.Event
	// BatchSize articles are stored per transaction when the store supports
	// batches (512 when unset: each batch rewrites the index pages its
	// rows land on, so larger batches cost less an article as the store
	// grows). A crash loses at most the batch in flight, which a rerun
	// stores again.
	BatchSize int
	Workers   int
	// Progress, when set, is called after each article with the running
	// summary.
	Progress func(Summary)
}

// Run ingests everything from in and returns what it did. It returns an
// error only when the store fails; bad articles are counted as failures and
// the run goes on.
//
// Storing runs beside the parallel stages: while one batch is written (a
// single writer, in input order), the next is prepared and deduplicated
// and, once full, waits for the writer: two batches at most, so memory
// stays bounded and a slow disk holds the workers back instead of piling
// articles up; a writer slower than the workers still finds its next batch
// ready. Until a batch
// is committed, the batches after it find its articles in their own
// in-memory indexes rather than in the store.
func (g *Ingester) Run(ctx context.Context, in <-chan Input) (Summary, error) {
	batchSize := g.BatchSize
	if batchSize <= 0 {
		batchSize = 512
	}
	bp, _ := g.Store.(detente.BatchPutter)
	if bp == nil {
		batchSize = 1
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var mu sync.Mutex // guards sum, stored and storeErr
	var sum Summary
	var storeErr error
	stored := 0 // batches committed
	// progress runs on this goroutine only, so Progress is never called
	// concurrently.
	progress := func() {
		if g.Progress != nil {
			mu.Lock()
			s := sum
			mu.Unlock()
			g.Progress(s)
		}
	}

	// pending is the batch being filled; live are the batches not yet
	// committed, pending last, each with its own duplicate index.
	pending := g.newBatch(0)
	live := []*batch{pending}

	writes := make(chan *batch) // unbuffered: see above
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		for b := range writes {
			err := g.store(ctx, bp, b.items, &sum, &mu)
			mu.Lock()
			stored = b.n + 1
			if err != nil && storeErr == nil {
				storeErr = err
				cancel()
			}
			mu.Unlock()
		}
	}()
	send := func() {
		if len(pending.items) > 0 {
			select {
			case writes <- pending:
			case <-ctx.Done():
			}
			pending = g.newBatch(pending.n + 1)
			live = append(live, pending)
		}
	}
	// forget drops the batches the writer has committed.
	forget := func() {
		mu.Lock()
		done := stored
		mu.Unlock()
		for len(live) > 1 && live[0].n < done {
			live = live[1:]
		}
	}

	for p := range PrepareAll(ctx, Stages{Hasher: g.Hasher, Annotate: g.Annotate, Code: g.Code, Stored: g.stored(ctx)}, in, g.Workers) {
		mu.Lock()
		sum.Read++
		switch {
		case p.Err != nil:
			sum.Fail(failureOrigin(p), p.Err)
		case p.Stored:
			sum.Unchanged++
		}
		mu.Unlock()
		if p.Err == nil && !p.Stored {
			forget()
			if err := g.add(ctx, p, pending, live, &sum, &mu); err != nil {
				mu.Lock()
				if storeErr == nil {
					storeErr = err
				}
				mu.Unlock()
				cancel()
				break
			}
		}
		// Reported before a full batch waits for the writer, so a slow
		// store does not hold back the progress of what was read.
		progress()
		if len(pending.items) >= batchSize {
			send()
		}
	}
	send()
	close(writes)
	<-writerDone
	progress()
	mu.Lock()
	defer mu.Unlock()
	if storeErr != nil {
		return sum, storeErr
	}
	return sum, ctx.Err()
}

// store writes one batch and counts what became of each article.
func (g *Ingester) store(ctx context.Context, bp detente.BatchPutter, items []detente.PutItem, sum *Summary, mu *sync.Mutex) error {
	var sts []detente.PutStatus
	var err error
	if bp != nil {
		sts, err = bp.PutBatch(ctx, items)
	}
	if bp == nil || detente.ErrorCode(err) == detente.EINVALID {
		// One bad article must not cost the batch: store one at a time
		// and report the one the store refuses.
		sts, err = nil, nil
		for _, it := range items {
			st, err := putOne(ctx, g.Store, bp, it)
			if detente.ErrorCode(err) == detente.EINVALID {
				mu.Lock()
				sum.Fail(it.Article.Origin, err)
				mu.Unlock()
				continue
			} else if err != nil {
				return fmt.Errorf("storing %s: %w", it.Article.ID, err)
			}
			sts = append(sts, st)
		}
	} else if err != nil {
		return fmt.Errorf("storing batch: %w", err)
	}
	mu.Lock()
	for _, st := range sts {
		sum.Count(st)
	}
	mu.Unlock()
	return nil
}

// batch is a batch of articles on its way to the store.
type batch struct {
	n     int // sequence number
	items []detente.PutItem
	ids   map[string]bool
	index *dedup.Index // its originals, for finding copies of them
}

func (g *Ingester) newBatch(n int) *batch {
	return &batch{n: n, ids: map[string]bool{}, index: dedup.NewIndex(g.Hasher)}
}

// add deduplicates a prepared article against the uncommitted batches and
// the store, and adds it to the pending batch (the last of live).
func (g *Ingester) add(ctx context.Context, p Prepared, pending *batch, live []*batch, sum *Summary, mu *sync.Mutex) error {
	a := p.Article
	for _, b := range live {
		if b.ids[a.ID] {
			mu.Lock()
			sum.Unchanged++
			mu.Unlock()
			return nil
		}
	}
	// The parallel stage has usually asked the store already (p.unstored);
	// asking again per article cost a query each. An article another
	// process stores in between is still stored once: the store's batch
	// finds its ID and reports it as already stored.
	if !p.unstored {
		has, err := g.Store.HasArticle(ctx, a.ID)
		if err != nil {
			return err
		}
		if has {
			mu.Lock()
			sum.Unchanged++
			mu.Unlock()
			return nil
		}
	}
	dup, err := g.findDuplicate(ctx, a.ID, p.Fingerprint, live)
	if err != nil {
		return err
	}
	if dup == nil {
		pending.index.Add(a.ID, p.Fingerprint)
	} else {
		a.DuplicateOf = dup.Of
	}
	pending.ids[a.ID] = true
	pending.items = append(pending.items, detente.PutItem{Article: a, Fingerprint: p.Fingerprint, Duplicate: dup,
		Annotations: p.Annotations, Events: p.Events})
	return nil
}

// putOne stores one item, as a batch of one when the store takes batches
// so that its annotations and events are stored with it.
func putOne(ctx context.Context, s detente.Store, bp detente.BatchPutter, it detente.PutItem) (detente.PutStatus, error) {
	if bp == nil {
		return s.PutArticle(ctx, it.Article, it.Fingerprint, it.Duplicate)
	}
	sts, err := bp.PutBatch(ctx, []detente.PutItem{it})
	if err != nil {
		return 0, err
	}
	return sts[0], nil
}

// findDuplicate looks for the story an article copies: an exact copy first,
// in this batch or the store, then the most similar near copy.
func (g *Ingester) findDuplicate(ctx context.Context, id string, fp detente.Fingerprint, live []*batch) (*detente.Duplicate, error) {
	var best *detente.Duplicate
	for _, b := range live {
		d := b.index.Check(id, fp)
		if d != nil && d.Kind == detente.CopyExact {
			return d, nil
		}
		if d != nil && (best == nil || d.Similarity > best.Similarity) {
			best = d
		}
	}
	of, err := g.Store.ExactMatch(ctx, fp.Exact)
	if err != nil {
		return nil, err
	}
	if of != "" {
		return &detente.Duplicate{Of: of, Kind: detente.CopyExact, Similarity: 1}, nil
	}
	if len(fp.Bands) == 0 {
		return best, nil
	}
	cands, err := g.Store.NearCandidates(ctx, fp.Bands)
	if err != nil {
		return nil, err
	}
	if fromStore := g.Hasher.Best(fp.Signature, cands); fromStore != nil && (best == nil || fromStore.Similarity > best.Similarity) {
		best = fromStore
	}
	return best, nil
}

// stored lets the parallel stage skip articles the store already has.
func (g *Ingester) stored(ctx context.Context) func(id string) (bool, error) {
	return func(id string) (bool, error) { return g.Store.HasArticle(ctx, id) }
}
