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
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/detente/detente"
	"github.com/detente/detente/annotate"
	"github.com/detente/detente/clean"
	"github.com/detente/detente/dedup"
	"github.com/detente/detente/ingest"
	"github.com/detente/detente/ingest/extract"
	"github.com/detente/detente/kb"
	"github.com/detente/detente/nlp/ner"
	"github.com/detente/detente/pipeline"
	"github.com/detente/detente/store/sqlite"
)

// Stages are the stage names, in pipeline order.
var Stages = []string{"read", "extract", "clean", "fingerprint", "annotate", "store", "search", "pipeline"}

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
	rep := &Report{Started: time.Now().UTC(), GoVer: runtime.Version(), CPUs: runtime.NumCPU(), Corpus: cfg.Corpus}

	raw, err := readCorpus(cfg.Corpus, cfg.Limit)
	if err != nil {
		return nil, err
	}
	rep.Articles = len(raw)
	rawBytes := 0
	for _, a := range raw {
		rawBytes += len(a.Body)
	}
	cleaned := make([]*detente.Article, len(raw))
	for i, a := range raw {
		cleaned[i] = clean.Article(a)
		cleaned[i].ID = detente.ArticleID(cleaned[i])
	}
	hasher := dedup.NewHasher(dedup.DefaultConfig())
	an := annotate.New(annotate.NewKBLexicon(kb.Default()), ner.Default())
	an.Annotate(cleaned[0]) // load the knowledge base and the model outside the timing

	add := func(stage string, fn run) error {
		if !wanted(cfg, stage) {
			return nil
		}
		for _, c := range cfg.Cores {
			if err := ctx.Err(); err != nil {
				return err
			}
			res, err := measure(ctx, stage, c, cfg.Runs, fn)
			if err != nil {
				return err
			}
			rep.Results = append(rep.Results, res)
			if cfg.Progress != nil {
				fmt.Fprintf(cfg.Progress, "%-12s cores=%d  %.0f items/s\n", stage, c, res.Median)
			}
		}
		return nil
	}

	steps := []struct {
		name string
		fn   run
	}{
		{"read", func(ctx context.Context, workers int) (int, int, int, error) {
			r, closer, err := ingest.Open(cfg.Corpus, ingest.Options{})
			if err != nil {
				return 0, 0, 0, err
			}
			defer closer.Close()
			n, b := 0, 0
			for n < len(raw) {
				a, err := r.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				var rec *ingest.RecordError
				if errors.As(err, &rec) {
					continue
				} else if err != nil {
					return n, 0, b, err
				}
				n++
				b += len(a.Body)
			}
			return n, 0, b, nil
		}},
		{"clean", func(ctx context.Context, workers int) (int, int, int, error) {
			parallel(len(raw), workers, func(i int) { clean.Article(raw[i]) })
			return len(raw), 0, rawBytes, nil
		}},
		{"fingerprint", func(ctx context.Context, workers int) (int, int, int, error) {
			parallel(len(cleaned), workers, func(i int) { hasher.Fingerprint(cleaned[i].Body) })
			return len(cleaned), 0, rawBytes, nil
		}},
		{"annotate", func(ctx context.Context, workers int) (int, int, int, error) {
			counts := make([]int, len(cleaned))
			parallel(len(cleaned), workers, func(i int) { counts[i] = len(an.Annotate(cleaned[i]).Sentences) })
			s := 0
			for _, c := range counts {
				s += c
			}
			return len(cleaned), s, rawBytes, nil
		}},
	}
	if cfg.HTMLDir != "" && wanted(cfg, "extract") {
		pages, size, err := readPages(cfg.HTMLDir)
		if err != nil {
			return nil, err
		}
		steps = append(steps[:1], append([]struct {
			name string
			fn   run
		}{{"extract", func(ctx context.Context, workers int) (int, int, int, error) {
			parallel(len(pages), workers, func(i int) { _, _ = extract.HTML(bytes.NewReader(pages[i]), "") })
			return len(pages), 0, size, nil
		}}}, steps[1:]...)...)
	}
	for _, s := range steps {
		if err := add(s.name, s.fn); err != nil {
			return rep, err
		}
	}

	// Storing is one writer whatever the cores; items are prepared first.
	items := make([]detente.PutItem, len(cleaned))
	parallel(len(cleaned), runtime.NumCPU(), func(i int) {
		items[i] = detente.PutItem{Article: cleaned[i], Fingerprint: hasher.Fingerprint(cleaned[i].Body), Annotations: an.Annotate(cleaned[i])}
	})
	n := 0
	storeRun := func(ctx context.Context, workers int) (int, int, int, error) {
		n++
		db, err := sqlite.Open(filepath.Join(cfg.TmpDir, fmt.Sprintf("detente-bench-store-%d-%d.db", os.Getpid(), n)))
		if err != nil {
			return 0, 0, 0, err
		}
		defer func() { db.Close(); removeDB(db.Path()) }()
		for i := 0; i < len(items); i += 256 {
			if _, err := db.PutBatch(ctx, items[i:min(i+256, len(items))]); err != nil {
				return i, 0, 0, err
			}
		}
		return len(items), 0, rawBytes, nil
	}
	if wanted(cfg, "store") {
		res, err := measure(ctx, "store", 1, cfg.Runs, storeRun)
		if err != nil {
			return rep, err
		}
		res.Note = "one writer: batches of 256 in one transaction each, with annotations"
		rep.Results = append(rep.Results, res)
	}
	if wanted(cfg, "search") {
		res, err := searchLatency(ctx, cfg, items)
		if err != nil {
			return rep, err
		}
		rep.Results = append(rep.Results, res...)
	}
	if wanted(cfg, "pipeline") {
		k := 0
		for _, c := range cfg.Cores {
			res, err := measure(ctx, "pipeline", c, cfg.Runs, func(ctx context.Context, workers int) (int, int, int, error) {
				k++
				path := filepath.Join(cfg.TmpDir, fmt.Sprintf("detente-bench-pipeline-%d-%d.db", os.Getpid(), k))
				db, err := sqlite.Open(path)
				if err != nil {
					return 0, 0, 0, err
				}
				defer func() { db.Close(); removeDB(path) }()
				in := make(chan pipeline.Input, 64)
				go func() {
					defer close(in)
					for _, a := range raw {
						in <- pipeline.Input{Article: a}
					}
				}()
				g := &pipeline.Ingester{Store: db, Hasher: hasher, Annotate: an.Annotate, Workers: workers}
				sum, err := g.Run(ctx, in)
				return sum.Read, 0, rawBytes, err
			})
			if err != nil {
				return rep, err
			}
			res.Note = "clean, fingerprint, annotate, dedup and store into a new SQLite file"
			rep.Results = append(rep.Results, res)
		}
	}
	return rep, nil
}

// searchLatency stores the articles once and times 1-, 2- and 3-term
// queries made of words from the corpus's own titles.
func searchLatency(ctx context.Context, cfg Config, items []detente.PutItem) ([]Result, error) {
	path := filepath.Join(cfg.TmpDir, fmt.Sprintf("detente-bench-search-%d.db", os.Getpid()))
	db, err := sqlite.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { db.Close(); removeDB(path) }()
	for i := 0; i < len(items); i += 256 {
		if _, err := db.PutBatch(ctx, items[i:min(i+256, len(items))]); err != nil {
			return nil, err
		}
	}
	var words [][]string
	for i := 0; i < len(items); i += max(1, len(items)/200) {
		var ws []string
		for _, w := range strings.FieldsFunc(items[i].Article.Title, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len(w) > 3 {
				ws = append(ws, strings.ToLower(w))
			}
		}
		if len(ws) >= 3 {
			words = append(words, ws)
		}
	}
	var out []Result
	for terms := 1; terms <= 3; terms++ {
		var ms []float64
		for _, ws := range words {
			q := strings.Join(ws[:terms], " ")
			start := time.Now()
			if _, _, err := db.Search(ctx, detente.SearchFilter{Query: q, Limit: 20}); err != nil {
				return nil, err
			}
			ms = append(ms, float64(time.Since(start).Microseconds())/1000)
		}
		sort.Float64s(ms)
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
			Note: "queries/s and latency over the stored articles"})
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

// readPages loads every .html.gz page under dir into memory.
func readPages(dir string) ([][]byte, int, error) {
	var pages [][]byte
	size := 0
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html.gz") {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		pages = append(pages, b)
		size += len(b)
		return nil
	})
	return pages, size, err
}
