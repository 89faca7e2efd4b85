// Package pipeline runs detente's stages in order — read, clean, fingerprint,
// dedup, store — over a stream of raw articles. Cleaning and fingerprinting
// are pure and run in parallel; dedup and storing run in input order so the
// first copy of a story read is always its original, whatever the
// parallelism.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/detente/detente"
	"github.com/detente/detente/clean"
	"github.com/detente/detente/dedup"
)

// Stages are the per-article stages that run in parallel.
type Stages struct {
	Hasher *dedup.Hasher
	// Annotate, when set, finds sentences, entities, times and quotes.
	Annotate func(*detente.Article) *detente.Annotations
	// Code, when set, codes the article's events from its text and
	// annotations (nil when Annotate is not set), after Annotate.
	Code func(*detente.Article, *detente.Annotations) []detente.Event
	// Stored, when set, says whether an article ID is already stored; such
	// an article is neither fingerprinted, annotated nor coded again, so a
	// rerun over the same input costs little more than reading it. An
	// error decides nothing: the article goes on, and the ordered stage
	// asks the store again and reports it.
	Stored func(id string) (bool, error)
}

// Prepared is an article after the parallel stages: cleaned, identified,
// fingerprinted and maybe annotated, or failed with Err.
type Prepared struct {
	Article     *detente.Article
	Fingerprint detente.Fingerprint
	Annotations *detente.Annotations
	// Events are nil when Stages.Code is not set, and never nil (maybe
	// empty) when it is.
	Events []detente.Event
	// Stored is set when Stages.Stored knew the article: only its cleaned
	// metadata and ID are there.
	Stored bool
	Err    error
	// unstored is set when Stages.Stored was asked and said no, so the
	// ordered stage need not ask the store again (the store itself still
	// refuses to store an ID twice; see Ingester.add).
	unstored bool
}

// Prepare cleans a raw article, gives it its stable ID, fingerprints,
// annotates and codes it. An article with no text left after cleaning is an error:
// there is nothing to store or code. A panic in a stage fails this article
// only, with the reason, so one pathological text cannot stop a batch.
func Prepare(st Stages, raw *detente.Article) Prepared {
	return prepareGroup(st, []Input{{Article: raw}})[0]
}

// groupSize is how many articles a worker prepares together, stage by
// stage, when that many are waiting.
const groupSize = 16

// prepareGroup prepares several articles as Prepare does each, one stage
// over all of them before the next: every article cleaned and
// fingerprinted, then every one annotated, then every one coded. Article
// by article, each stage found its tables (the language profiles, the name
// dictionary, the tagger's weights, the coder's lexicon) pushed out of the
// CPU's caches by the stages before it.
func prepareGroup(st Stages, ins []Input) []Prepared {
	ps := make([]Prepared, len(ins))
	live := make([]bool, len(ins))
	for i, in := range ins {
		if in.Err != nil {
			ps[i] = Prepared{Article: in.Article, Err: in.Err}
			continue
		}
		live[i] = guard(&ps[i], in.Article, func(p *Prepared) bool { return st.first(p, in.Article) })
	}
	if st.Annotate != nil {
		for i := range ps {
			if live[i] {
				live[i] = guard(&ps[i], ins[i].Article, func(p *Prepared) bool {
					p.Annotations = st.Annotate(p.Article)
					return true
				})
			}
		}
	}
	if st.Code != nil {
		for i := range ps {
			if live[i] {
				live[i] = guard(&ps[i], ins[i].Article, func(p *Prepared) bool {
					if p.Events = st.Code(p.Article, p.Annotations); p.Events == nil {
						p.Events = []detente.Event{}
					}
					return true
				})
			}
		}
	}
	for i := range ps {
		if live[i] && ps[i].Annotations != nil {
			// The body's segmentation was for the coder; a batch waiting for
			// the store need not hold every article's tokens.
			ps[i].Annotations.Segmentation = nil
		}
	}
	return ps
}

// first cleans raw into p, identifies and fingerprints it, and says
// whether the later stages should see it.
func (st Stages) first(p *Prepared, raw *detente.Article) bool {
	a := clean.Article(raw)
	if strings.TrimSpace(a.Body) == "" {
		*p = Prepared{Article: a, Err: errors.New("no article text after cleaning")}
		return false
	}
	a.ID = detente.ArticleID(a)
	unstored := false
	if st.Stored != nil {
		has, err := st.Stored(a.ID)
		if err == nil && has {
			*p = Prepared{Article: a, Stored: true}
			return false
		}
		unstored = err == nil
	}
	*p = Prepared{Article: a, Fingerprint: st.Hasher.Fingerprint(a.Body), unstored: unstored}
	return true
}

// guard runs one stage for one article; a panic fails that article alone,
// with the reason.
func guard(p *Prepared, raw *detente.Article, stage func(*Prepared) bool) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			*p = Prepared{Article: raw, Err: fmt.Errorf("internal error while processing this article: %v", r)}
			ok = false
		}
	}()
	return stage(p)
}

// Input is one item from a reader: a raw article or a read error.
type Input struct {
	Article *detente.Article
	Err     error
}

// PrepareAll runs Prepare over a stream of inputs with the given number of
// workers (GOMAXPROCS when <= 0) and returns the results in input order.
// A worker takes the inputs already waiting, up to groupSize, as one group
// (see prepareGroup); it never waits for more, so a slow stream (a live
// feed) is prepared one article at a time as before.
func PrepareAll(ctx context.Context, st Stages, in <-chan Input, workers int) <-chan Prepared {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// Each group carries its own one-slot result channel; the groups'
	// channels are queued in input order, so reading them in turn restores
	// the order.
	type job struct {
		in  []Input
		out chan []Prepared
	}
	jobs := make(chan job, workers*2)
	order := make(chan chan []Prepared, workers*2)
	for range workers {
		go func() {
			for j := range jobs {
				j.out <- prepareGroup(st, j.in)
			}
		}()
	}
	go func() {
		defer close(jobs)
		defer close(order)
		for first := range in {
			group := append(make([]Input, 0, groupSize), first)
		waiting:
			for len(group) < groupSize {
				select {
				case next, ok := <-in:
					if !ok {
						break waiting
					}
					group = append(group, next)
				default:
					break waiting
				}
			}
			j := job{in: group, out: make(chan []Prepared, 1)}
			select {
			case order <- j.out:
			case <-ctx.Done():
				return
			}
			jobs <- j
		}
	}()
	out := make(chan Prepared, workers*4)
	go func() {
		defer close(out)
		for ch := range order {
			select {
			case ps := <-ch:
				for _, p := range ps {
					select {
					case out <- p:
					case <-ctx.Done():
						return
					}
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// Failure is one article or file that could not be read or stored.
type Failure struct {
	Origin string `json:"origin"`
	Reason string `json:"reason"`
}

func (f Failure) String() string {
	if f.Origin == "" {
		return f.Reason
	}
	return f.Origin + ": " + f.Reason
}

// Summary counts what a run did.
type Summary struct {
	Read          int       `json:"read"`
	New           int       `json:"new"`
	Unchanged     int       `json:"unchanged"` // already stored: idempotent reruns
	Duplicate     int       `json:"duplicate"`
	NearDuplicate int       `json:"near_duplicate"`
	Failed        int       `json:"failed"`
	Failures      []Failure `json:"failures,omitempty"`
}

// Fail records one failure.
func (s *Summary) Fail(origin string, err error) {
	s.Failed++
	s.Failures = append(s.Failures, Failure{Origin: origin, Reason: err.Error()})
}

// failureOrigin finds where an error happened: errors that know their origin
// say it themselves; otherwise the article's own origin.
func failureOrigin(p Prepared) string {
	if p.Article != nil && p.Article.Origin != "" && !strings.Contains(p.Err.Error(), p.Article.Origin) {
		return p.Article.Origin
	}
	return ""
}

// Count records the outcome of one stored article.
func (s *Summary) Count(st detente.PutStatus) {
	switch st {
	case detente.PutNew:
		s.New++
	case detente.PutExisting:
		s.Unchanged++
	case detente.PutExactCopy:
		s.Duplicate++
	case detente.PutNearCopy:
		s.NearDuplicate++
	}
}

func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "read %d, new %d, duplicate %d, near-duplicate %d, unchanged %d, failed %d",
		s.Read, s.New, s.Duplicate, s.NearDuplicate, s.Unchanged, s.Failed)
	for _, f := range s.Failures {
		b.WriteString("\n  failed: ")
		b.WriteString(f.String())
	}
	return b.String()
}
