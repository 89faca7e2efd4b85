package pipeline

import (
	"context"
	"fmt"

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
	// batches. A crash loses at most the batch in flight, which a rerun
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
func (g *Ingester) Run(ctx context.Context, in <-chan Input) (Summary, error) {
	var sum Summary
	batchSize := g.BatchSize
	if batchSize <= 0 {
		batchSize = 256
	}
	bp, _ := g.Store.(detente.BatchPutter)
	if bp == nil {
		batchSize = 1
	}
	// pending holds the batch not yet committed; session indexes it so that
	// copies within one batch are found before the store knows the original.
	var pending []detente.PutItem
	pendingIDs := map[string]bool{}
	session := dedup.NewIndex(g.Hasher)

	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		var sts []detente.PutStatus
		var err error
		if bp != nil {
			sts, err = bp.PutBatch(ctx, pending)
		}
		if bp == nil || detente.ErrorCode(err) == detente.EINVALID {
			// One bad article must not cost the batch: store one at a time
			// and report the one the store refuses.
			sts, err = nil, nil
			for _, it := range pending {
				st, err := putOne(ctx, g.Store, bp, it)
				if detente.ErrorCode(err) == detente.EINVALID {
					sum.Fail(it.Article.Origin, err)
					continue
				} else if err != nil {
					return fmt.Errorf("storing %s: %w", it.Article.ID, err)
				}
				sts = append(sts, st)
			}
		} else if err != nil {
			return fmt.Errorf("storing batch: %w", err)
		}
		for _, st := range sts {
			sum.Count(st)
		}
		pending = pending[:0]
		clear(pendingIDs)
		session = dedup.NewIndex(g.Hasher)
		return nil
	}

	for p := range PrepareAll(ctx, Stages{Hasher: g.Hasher, Annotate: g.Annotate, Code: g.Code, Stored: g.stored(ctx)}, in, g.Workers) {
		sum.Read++
		if p.Err != nil {
			sum.Fail(failureOrigin(p), p.Err)
		} else if p.Stored {
			sum.Unchanged++
		} else if err := g.add(ctx, p, session, &pending, pendingIDs, &sum); err != nil {
			return sum, err
		}
		if len(pending) >= batchSize {
			if err := flush(); err != nil {
				return sum, err
			}
		}
		if g.Progress != nil {
			g.Progress(sum)
		}
	}
	if err := flush(); err != nil {
		return sum, err
	}
	if g.Progress != nil {
		g.Progress(sum)
	}
	return sum, ctx.Err()
}

func (g *Ingester) add(ctx context.Context, p Prepared, session *dedup.Index, pending *[]detente.PutItem, pendingIDs map[string]bool, sum *Summary) error {
	a := p.Article
	if pendingIDs[a.ID] {
		sum.Unchanged++
		return nil
	}
	has, err := g.Store.HasArticle(ctx, a.ID)
	if err != nil {
		return err
	}
	if has {
		sum.Unchanged++
		return nil
	}
	dup, err := g.findDuplicate(ctx, a.ID, p.Fingerprint, session)
	if err != nil {
		return err
	}
	if dup == nil {
		session.Add(a.ID, p.Fingerprint)
	} else {
		a.DuplicateOf = dup.Of
	}
	pendingIDs[a.ID] = true
	*pending = append(*pending, detente.PutItem{Article: a, Fingerprint: p.Fingerprint, Duplicate: dup,
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
func (g *Ingester) findDuplicate(ctx context.Context, id string, fp detente.Fingerprint, session *dedup.Index) (*detente.Duplicate, error) {
	best := session.Check(id, fp)
	if best != nil && best.Kind == detente.CopyExact {
		return best, nil
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

// stored lets the parallel stage skip articles the store already has. A
// lookup error is not decided here: the article goes on, and the ordered
// stage asks again and reports the error.
func (g *Ingester) stored(ctx context.Context) func(id string) bool {
	return func(id string) bool {
		has, err := g.Store.HasArticle(ctx, id)
		return err == nil && has
	}
}
