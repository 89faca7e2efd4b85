package pipeline

import (
	"context"

	"github.com/detente/detente"
	"github.com/detente/detente/dedup"
)

// Annotate runs the pipeline without a store: every article read is cleaned,
// identified, annotated (when st.Annotate is set) and checked against the
// articles before it in the same run, then passed to emit in input order
// with DuplicateOf set on copies. Failed
// articles go to the summary, not to emit. emit returning an error stops the
// run with that error.
func Annotate(ctx context.Context, st Stages, in <-chan Input, workers int, emit func(*detente.Article, *detente.Annotations, []detente.Event) error) (Summary, error) {
	var sum Summary
	seen := map[string]bool{}
	ix := dedup.NewIndex(st.Hasher)
	for p := range PrepareAll(ctx, st, in, workers) {
		sum.Read++
		if p.Err != nil {
			sum.Fail(failureOrigin(p), p.Err)
			continue
		}
		a := p.Article
		switch {
		case seen[a.ID]:
			sum.Unchanged++
		default:
			seen[a.ID] = true
			if dup := ix.Check(a.ID, p.Fingerprint); dup != nil {
				a.DuplicateOf = dup.Of
				sum.Count(kindStatus(dup.Kind))
			} else {
				ix.Add(a.ID, p.Fingerprint)
				sum.New++
			}
		}
		if err := emit(a, p.Annotations, p.Events); err != nil {
			return sum, err
		}
	}
	return sum, ctx.Err()
}

func kindStatus(kind string) detente.PutStatus {
	if kind == detente.CopyExact {
		return detente.PutExactCopy
	}
	return detente.PutNearCopy
}
