package bench

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/detente/detente"
	"github.com/detente/detente/annotate"
	"github.com/detente/detente/clean"
	"github.com/detente/detente/coder"
	"github.com/detente/detente/coder/dict"
	"github.com/detente/detente/dedup"
	"github.com/detente/detente/ingest"
	"github.com/detente/detente/ingest/extract"
	"github.com/detente/detente/kb"
	"github.com/detente/detente/nlp/ner"
	"github.com/detente/detente/pipeline"
	"github.com/detente/detente/store/sqlite"
)

// Stages are the stage names, in pipeline order.
var Stages = []string{"read", "extract", "clean", "dedup", "annotate", "code", "store", "search", "pipeline"}

// Knowledge is the annotator and coder a run uses.
type Knowledge struct {
	Annotate func(*detente.Article) *detente.Annotations
	Code     func(*detente.Article, *detente.Annotations) []detente.Event
}

// DefaultKnowledge loads the built-in knowledge base, NER model and verb
// dictionary, as `detente ingest` does without flags.
func DefaultKnowledge() (Knowledge, error) {
	an := annotate.New(annotate.NewKBLexicon(kb.Default()), ner.Default())
	d, err := dict.Builtin()
	if err != nil {
		return Knowledge{}, err
	}
	return Knowledge{Annotate: an.Annotate, Code: coder.New(d).Code}, nil
}

// corpus is the material every stage works on: the raw articles and
// their cleaned copies, held whole, and the later stages' input
// (annotations, events, fingerprints), made outside the timings a chunk
// at a time. Holding that input for the whole corpus took 1.8 GB for the
// 5,720 AllSides articles, and every collection in the code and store
// stages marked it: a cost of the harness, not of the stage.
type corpus struct {
	raw       []*detente.Article
	rawBytes  int
	cleaned   []*detente.Article
	sentences int // known after the first pass that annotates everything
	hasher    *dedup.Hasher
	k         Knowledge
}

// chunkSize is how many articles' prepared input the bench holds at once:
// the pipeline's store batch.
const chunkSize = 256

func newCorpus(raw []*detente.Article, hasher *dedup.Hasher, k Knowledge) *corpus {
	c := &corpus{raw: raw, cleaned: make([]*detente.Article, len(raw)), hasher: hasher, k: k}
	for _, a := range raw {
		c.rawBytes += len(a.Body)
	}
	parallel(len(raw), runtime.NumCPU(), func(i int) {
		a := clean.Article(raw[i])
		a.ID = detente.ArticleID(a)
		c.cleaned[i] = a
	})
	return c
}

// chunks calls fn on the corpus's items chunkSize at a time, in order.
// Each chunk is annotated, fingerprinted and, when withEvents is set,
// coded first, on every core, with the time that takes set aside by skip
// so that only fn is timed.
func (c *corpus) chunks(skip *untimed, withEvents bool, fn func(items []detente.PutItem) error) error {
	items := make([]detente.PutItem, chunkSize)
	sentences := 0
	for lo := 0; lo < len(c.cleaned); lo += chunkSize {
		chunk := items[:min(chunkSize, len(c.cleaned)-lo)]
		skip.do(func() {
			clear(items)
			parallel(len(chunk), runtime.NumCPU(), func(i int) {
				a := c.cleaned[lo+i]
				ann := c.k.Annotate(a)
				var evs []detente.Event
				if withEvents {
					if evs = c.k.Code(a, ann); evs == nil {
						evs = []detente.Event{}
					}
				}
				chunk[i] = detente.PutItem{Article: a, Fingerprint: c.hasher.Fingerprint(a.Body), Annotations: ann, Events: evs}
			})
			for _, it := range chunk {
				sentences += len(it.Annotations.Sentences)
			}
			// The chunk's garbage is collected here, not in fn's timing.
			runtime.GC()
		})
		if err := fn(chunk); err != nil {
			return err
		}
	}
	c.sentences = sentences
	return nil
}

// countSentences annotates the corpus once, untimed, when no stage has
// yet, for the stages that report sentences/s.
func (c *corpus) countSentences() int {
	if c.sentences == 0 && len(c.cleaned) > 0 {
		_ = c.chunks(&untimed{}, false, func([]detente.PutItem) error { return nil })
	}
	return c.sentences
}

// Run measures every wanted stage at every core count.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Runs <= 0 {
		cfg.Runs = 3
	}
	if len(cfg.Cores) == 0 {
		cfg.Cores = []int{1}
		if n := runtime.NumCPU(); n > 1 {
			cfg.Cores = append(cfg.Cores, n)
		}
	}
	if cfg.TmpDir == "" {
		cfg.TmpDir = os.TempDir()
	}
	k := cfg.Knowledge
	if k.Annotate == nil || k.Code == nil {
		var err error
		if k, err = DefaultKnowledge(); err != nil {
			return nil, err
		}
	}
	rep := newReport(cfg)
	raw, err := readCorpus(cfg.Corpus, cfg.Limit)
	if err != nil {
		return nil, err
	}
	rep.Articles = len(raw)
	hasher := dedup.NewHasher(dedup.DefaultConfig())

	add := func(stage string, cores []int, note string, fn run) error {
		if !wanted(cfg, stage) {
			return nil
		}
		for _, n := range cores {
			if err := ctx.Err(); err != nil {
				return err
			}
			res, err := measure(ctx, stage, n, cfg.Runs, fn)
			if err != nil {
				return err
			}
			res.Note = note
			rep.Results = append(rep.Results, res)
			if cfg.Progress != nil {
				fmt.Fprintf(cfg.Progress, "%-10s cores=%d  %.0f items/s\n", stage, n, res.Median)
			}
		}
		return nil
	}

	if err := add("read", []int{1}, "JSONL decoding, one reader", func(ctx context.Context, workers int, _ *untimed) (int, int, int, error) {
		return readAll(cfg.Corpus, len(raw))
	}); err != nil {
		return rep, err
	}
	if cfg.HTMLDir != "" && wanted(cfg, "extract") {
		pages, size, err := readPages(cfg.HTMLDir)
		if err != nil {
			return rep, err
		}
		if len(pages) > 0 {
			if err := add("extract", cfg.Cores, "main text and metadata of HTML pages (items are pages)", func(ctx context.Context, workers int, _ *untimed) (int, int, int, error) {
				parallel(len(pages), workers, func(i int) { _, _ = extract.HTML(bytes.NewReader(pages[i]), "") })
				return len(pages), 0, size, nil
			}); err != nil {
				return rep, err
			}
		}
	}
	// The corpus is cleaned only now: reading and HTML extraction need
	// none of it.
	c := newCorpus(raw, hasher, k)
	rep.MB = float64(c.rawBytes) / 1e6
	if err := add("clean", cfg.Cores, "", func(ctx context.Context, workers int, _ *untimed) (int, int, int, error) {
		parallel(len(raw), workers, func(i int) { clean.Article(raw[i]) })
		return len(raw), 0, c.rawBytes, nil
	}); err != nil {
		return rep, err
	}
	if err := add("dedup", cfg.Cores, "MinHash fingerprints in parallel, then each checked against the earlier ones in order", func(ctx context.Context, workers int, _ *untimed) (int, int, int, error) {
		fps := make([]detente.Fingerprint, len(c.cleaned))
		parallel(len(c.cleaned), workers, func(i int) { fps[i] = hasher.Fingerprint(c.cleaned[i].Body) })
		ix := dedup.NewIndex(hasher)
		for i, a := range c.cleaned {
			if ix.Check(a.ID, fps[i]) == nil {
				ix.Add(a.ID, fps[i])
			}
		}
		return len(c.cleaned), 0, c.rawBytes, nil
	}); err != nil {
		return rep, err
	}
	if err := add("annotate", cfg.Cores, "sentences, tokens, entities, times, quotes", func(ctx context.Context, workers int, _ *untimed) (int, int, int, error) {
		var sentences atomic.Int64
		parallel(len(c.cleaned), workers, func(i int) { sentences.Add(int64(len(k.Annotate(c.cleaned[i]).Sentences))) })
		c.sentences = int(sentences.Load())
		return len(c.cleaned), c.sentences, c.rawBytes, nil
	}); err != nil {
		return rep, err
	}
	if err := add("code", cfg.Cores, "CAMEO/PLOVER events from annotated articles", func(ctx context.Context, workers int, skip *untimed) (int, int, int, error) {
		err := c.chunks(skip, false, func(items []detente.PutItem) error {
			parallel(len(items), workers, func(i int) { k.Code(items[i].Article, items[i].Annotations) })
			return ctx.Err()
		})
		return len(c.cleaned), c.sentences, c.rawBytes, err
	}); err != nil {
		return rep, err
	}
	n := 0
	if err := add("store", cfg.Cores, "one writer, batches of 256: articles, annotations, events", func(ctx context.Context, workers int, skip *untimed) (int, int, int, error) {
		n++
		path := filepath.Join(cfg.TmpDir, fmt.Sprintf("detente-bench-store-%d-%d.db", os.Getpid(), n))
		defer removeDB(path)
		if err := c.storeAll(ctx, path, skip); err != nil {
			return 0, 0, 0, err
		}
		return len(c.cleaned), c.sentences, c.rawBytes, nil
	}); err != nil {
		return rep, err
	}
	if wanted(cfg, "search") {
		res, err := c.searchLatency(ctx, cfg)
		if err != nil {
			return rep, err
		}
		rep.Results = append(rep.Results, res...)
	}
	if wanted(cfg, "pipeline") {
		c.countSentences()
	}
	// The pipeline runs last and needs only the raw articles: the cleaned
	// copies are let go first, so its peak memory is its own.
	sentences := c.sentences
	c.cleaned = nil
	runtime.GC()
	debug.FreeOSMemory()
	k2 := 0
	if err := add("pipeline", cfg.Cores, "raw text to stored, coded events: clean, dedup, annotate, code, store into a new file", func(ctx context.Context, workers int, _ *untimed) (int, int, int, error) {
		k2++
		path := filepath.Join(cfg.TmpDir, fmt.Sprintf("detente-bench-pipeline-%d-%d.db", os.Getpid(), k2))
		defer removeDB(path)
		sum, err := Ingest(ctx, path, raw, hasher, k, workers)
		if err == nil && sum.Failed > 0 {
			err = fmt.Errorf("%d articles failed: %v", sum.Failed, sum.Failures[0])
		}
		return sum.Read, sentences, c.rawBytes, err
	}); err != nil {
		return rep, err
	}
	rep.Sentences = sentences
	return rep, nil
}

// Ingest runs the whole pipeline over raw articles into a new SQLite file
// at path, as `detente ingest` does.
func Ingest(ctx context.Context, path string, raw []*detente.Article, hasher *dedup.Hasher, k Knowledge, workers int) (pipeline.Summary, error) {
	return IngestFrom(ctx, path, len(raw), func(i int) *detente.Article { return raw[i] }, hasher, k, workers)
}

// IngestFrom runs the whole pipeline over n articles made one at a time by
// next (called in order, from one goroutine), so a large run holds only
// the articles in flight, as `detente ingest` reading a file does. The
// file may hold a store already.
func IngestFrom(ctx context.Context, path string, n int, next func(i int) *detente.Article, hasher *dedup.Hasher, k Knowledge, workers int) (pipeline.Summary, error) {
	sqlite.ReservePageCache() // as detente ingest does
	db, err := sqlite.Open(path)
	if err != nil {
		return pipeline.Summary{}, err
	}
	defer db.Close()
	in := make(chan pipeline.Input, 64)
	go func() {
		defer close(in)
		for i := range n {
			select {
			case in <- pipeline.Input{Article: next(i)}:
			case <-ctx.Done():
				return
			}
		}
	}()
	g := &pipeline.Ingester{Store: db, Hasher: hasher, Annotate: k.Annotate, Code: k.Code, Workers: workers}
	return g.Run(ctx, in)
}

// storeAll writes the prepared corpus into a new store at path in
// batches of chunkSize, the pipeline's batch size; only the writing is
// timed.
func (c *corpus) storeAll(ctx context.Context, path string, skip *untimed) error {
	sqlite.ReservePageCache() // as detente ingest does
	db, err := sqlite.Open(path)
	if err != nil {
		return err
	}
	defer db.Close()
	return c.chunks(skip, true, func(items []detente.PutItem) error {
		_, err := db.PutBatch(ctx, items)
		return err
	})
}

// readAll decodes up to limit articles from a corpus file.
func readAll(path string, limit int) (items, sentences, bytes int, err error) {
	r, closer, err := ingest.Open(path, ingest.Options{})
	if err != nil {
		return 0, 0, 0, err
	}
	defer closer.Close()
	for items < limit {
		a, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var rec *ingest.RecordError
		if errors.As(err, &rec) {
			continue
		} else if err != nil {
			return items, 0, bytes, err
		}
		items++
		bytes += len(a.Body)
	}
	return items, 0, bytes, nil
}

// searchLatency stores the articles once and times 1-, 2- and 3-term
// queries made of words from the corpus's own titles.
func (c *corpus) searchLatency(ctx context.Context, cfg Config) ([]Result, error) {
	path := filepath.Join(cfg.TmpDir, fmt.Sprintf("detente-bench-search-%d.db", os.Getpid()))
	defer removeDB(path)
	if err := c.storeAll(ctx, path, &untimed{}); err != nil {
		return nil, err
	}
	db, err := sqlite.Open(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	titles := make([]string, len(c.cleaned))
	for i, a := range c.cleaned {
		titles[i] = a.Title
	}
	return SearchLatency(ctx, db, QueryWords(titles, 200), "queries over the stored articles")
}

// headlineQueries are the 200 query word lists the scale runs search
// with, from the corpus's headlines.
func headlineQueries(corpus []*detente.Article) [][]string {
	titles := make([]string, len(corpus))
	for i, a := range corpus {
		titles[i] = a.Title
	}
	return QueryWords(titles, 200)
}

// QueryWords picks up to n lists of at least three lowercase words of four
// letters or more from titles spread over the list: real queries' words.
func QueryWords(titles []string, n int) [][]string {
	var words [][]string
	for i := 0; i < len(titles); i += max(1, len(titles)/n) {
		var ws []string
		for _, w := range strings.FieldsFunc(titles[i], func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len(w) > 3 {
				ws = append(ws, strings.ToLower(w))
			}
		}
		if len(ws) >= 3 {
			words = append(words, ws)
		}
	}
	return words
}

// SearchLatency times each 1-, 2- and 3-term query made of words, the top
// 20 ranked results each, and reports queries/s and latency percentiles.
func SearchLatency(ctx context.Context, db *sqlite.DB, words [][]string, note string) ([]Result, error) {
	var out []Result
	for terms := 1; terms <= 3; terms++ {
		var ms, cpu []float64
		for _, ws := range words {
			q := strings.Join(ws[:terms], " ")
			start, cpu0 := time.Now(), cpuTime()
			if _, _, err := db.Search(ctx, detente.SearchFilter{Query: q, Limit: 20}); err != nil {
				return nil, err
			}
			ms = append(ms, float64(time.Since(start).Microseconds())/1000)
			cpu = append(cpu, (cpuTime()-cpu0)*1000)
		}
		sort.Float64s(ms)
		sort.Float64s(cpu)
		total := 0.0
		for _, m := range ms {
			total += m
		}
		qps := 0.0
		if total > 0 {
			qps = float64(len(ms)) / (total / 1000)
		}
		out = append(out, Result{Stage: fmt.Sprintf("search-%dterm", terms), Cores: 1, Items: len(ms),
			PerSecond: []float64{qps}, Median: qps, Min: qps, Max: qps,
			P50ms: percentile(ms, 50), P95ms: percentile(ms, 95), P99ms: percentile(ms, 99),
			CPUP50ms: percentile(cpu, 50), CPUP95ms: percentile(cpu, 95), CPUP99ms: percentile(cpu, 99), Note: note})
	}
	return out, nil
}

func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}

// readCorpus reads up to limit articles from a corpus file.
func readCorpus(path string, limit int) ([]*detente.Article, error) {
	r, closer, err := ingest.Open(path, ingest.Options{})
	if err != nil {
		return nil, err
	}
	defer closer.Close()
	var out []*detente.Article
	for limit <= 0 || len(out) < limit {
		a, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var rec *ingest.RecordError
		if errors.As(err, &rec) {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no articles", path)
	}
	return out, nil
}

// readPages loads every .html.gz (or .html) page under dir into memory.
func readPages(dir string) ([][]byte, int, error) {
	var pages [][]byte
	size := 0
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".html.gz") || strings.HasSuffix(p, ".html")) {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasSuffix(p, ".gz") {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			if b, err = io.ReadAll(zr); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
		}
		pages = append(pages, b)
		size += len(b)
		return nil
	})
	return pages, size, err
}
