package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/dedup"
	"github.com/detente/detente/pipeline"
	"github.com/detente/detente/store/sqlite"
)

// ScaleConfig says how to measure growth.
type ScaleConfig struct {
	Corpus string // the real articles recombined into larger sets
	// Sizes are the article counts at which the search index (articles
	// stored with fingerprints, without annotations or events) is
	// measured; one store grows through them in order.
	Sizes []int
	// FullSizes are the article counts run through the whole pipeline
	// (clean, dedup, annotate, code, store), each into a new store.
	FullSizes []int
	// Cores is GOMAXPROCS and the worker count (default: all).
	Cores     int
	TmpDir    string
	Knowledge Knowledge
	Progress  io.Writer
	// Dir, when set, keeps the index stores: the growing store is built
	// in Dir and a copy of it is kept as index-<articles>.db at each size
	// (the last size's store is renamed to it).
	Dir string
	// Plain grows the index by PutBatch alone, as ingest does, instead of
	// the bulk load (see bulkLoad) that defers band and index writes.
	Plain bool
	// Batch is the articles per PutBatch (default 1000).
	Batch int
	// NoSearch skips the search measurements of the index (see
	// MeasureSearch, which can take them later from stores kept in Dir).
	NoSearch bool
	// Measured, when set, is called with the report so far after each
	// point, so a long run that is stopped keeps what it measured.
	Measured func(*ScaleReport)
}

// ScalePoint is one size measured.
type ScalePoint struct {
	Mode     string `json:"mode"` // "index" or "pipeline"
	Articles int    `json:"articles"`
	// Bulk says the index grew by a bulk load (see bulkLoad).
	Bulk bool `json:"bulk,omitempty"`
	// PerSecond is the ingest throughput: for "index", of the articles
	// added since the previous size.
	PerSecond    float64 `json:"per_second"`
	PerCPUSecond float64 `json:"per_cpu_second"`
	// TailPerSecond and TailPerCPUSecond are, for "pipeline", the rate of
	// the last tenth of the articles, into a store holding the rest.
	TailPerSecond    float64 `json:"tail_per_second,omitempty"`
	TailPerCPUSecond float64 `json:"tail_per_cpu_second,omitempty"`
	PeakRSSMB        float64 `json:"peak_rss_mb"`
	PeakHeapMB       float64 `json:"peak_heap_mb"`
	// SearchRSSMB is the peak RSS while searching a store opened afresh
	// (MeasureSearch only).
	SearchRSSMB float64 `json:"search_rss_mb,omitempty"`
	// DBMB is the store's size on disk (file and WAL) in 10^6 bytes.
	DBMB float64 `json:"db_mb"`
	// Search holds the latency of 1-, 2- and 3-term queries.
	Search []Result `json:"search,omitempty"`
}

// ScaleReport is a whole scaling run.
type ScaleReport struct {
	Started time.Time    `json:"started"`
	GoVer   string       `json:"go"`
	CPUs    int          `json:"cpus"`
	CPU     string       `json:"cpu,omitempty"`
	Cores   int          `json:"cores"`
	Corpus  string       `json:"corpus"`
	Points  []ScalePoint `json:"points"`
}

// Recombiner makes any number of new articles out of a real corpus's
// paragraphs: each new article takes a real article's title, outlet and
// paragraph count, and fills its body with paragraphs drawn from the whole
// corpus, so its words, sentences and entities are real news while its
// text as a whole is new (no two share enough to count as copies). Dates
// spread over ten years. The same seed gives the same articles.
type Recombiner struct {
	templates  []*detente.Article
	paragraphs []string
	counts     []int // paragraphs per template
	rng        *rand.Rand
	n          int
}

// NewRecombiner splits the corpus into paragraphs.
func NewRecombiner(corpus []*detente.Article, seed uint64) *Recombiner {
	r := &Recombiner{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	for _, a := range corpus {
		ps := splitParagraphs(a.Body)
		if len(ps) == 0 {
			continue
		}
		r.templates = append(r.templates, a)
		r.counts = append(r.counts, len(ps))
		r.paragraphs = append(r.paragraphs, ps...)
	}
	return r
}

func splitParagraphs(body string) []string {
	var out []string
	for _, p := range strings.Split(body, "\n") {
		if p = strings.TrimSpace(p); len(p) > 40 {
			out = append(out, p)
		}
	}
	return out
}

// Next returns a new article.
func (r *Recombiner) Next() *detente.Article {
	r.n++
	t := r.templates[r.rng.IntN(len(r.templates))]
	k := r.counts[r.rng.IntN(len(r.counts))]
	var b strings.Builder
	for i := range k {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(r.paragraphs[r.rng.IntN(len(r.paragraphs))])
	}
	day := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.rng.IntN(3650))
	return &detente.Article{
		URL:       fmt.Sprintf("https://bench.invalid/%d", r.n),
		Source:    t.Source,
		Title:     t.Title,
		Published: day.Format("2006-01-02"),
		Language:  t.Language,
		Body:      b.String(),
	}
}

// Scale measures ingest throughput, memory, store size and search latency
// as the store grows.
func Scale(ctx context.Context, cfg ScaleConfig) (*ScaleReport, error) {
	if cfg.Cores <= 0 {
		cfg.Cores = runtime.NumCPU()
	}
	if cfg.TmpDir == "" {
		cfg.TmpDir = os.TempDir()
	}
	prev := runtime.GOMAXPROCS(cfg.Cores)
	defer runtime.GOMAXPROCS(prev)
	corpus, err := readCorpus(cfg.Corpus, 0)
	if err != nil {
		return nil, err
	}
	words := headlineQueries(corpus)
	rep := &ScaleReport{Started: time.Now().UTC(), GoVer: runtime.Version(), CPUs: runtime.NumCPU(), CPU: cpuModel(),
		Cores: cfg.Cores, Corpus: cfg.Corpus}
	hasher := dedup.NewHasher(dedup.DefaultConfig())

	if len(cfg.FullSizes) > 0 {
		k := cfg.Knowledge
		if k.Annotate == nil || k.Code == nil {
			if k, err = DefaultKnowledge(); err != nil {
				return nil, err
			}
		}
		for _, n := range cfg.FullSizes {
			// The articles are made as the pipeline reads them, so memory is
			// the pipeline's own and not the input's.
			rec := NewRecombiner(corpus, uint64(n))
			path := filepath.Join(cfg.TmpDir, fmt.Sprintf("detente-scale-pipeline-%d-%d.db", os.Getpid(), n))
			pt := ScalePoint{Mode: "pipeline", Articles: n}
			peak := watchMemory()
			runtime.GC()
			start, cpu0 := time.Now(), cpuTime()
			// The last tenth is stored by a second run into the store the
			// first nine tenths made, so its rate shows what ingest costs
			// once the store holds them, which the whole run's average,
			// begun on an empty store, hides.
			next := func(int) *detente.Article { return rec.Next() }
			head := n - n/10
			sum, err := IngestFrom(ctx, path, head, next, hasher, k, cfg.Cores)
			if err == nil && head < n {
				tailStart, tailCPU := time.Now(), cpuTime()
				var more pipeline.Summary
				more, err = IngestFrom(ctx, path, n-head, next, hasher, k, cfg.Cores)
				sum.Read += more.Read
				if err == nil && more.Read > 0 {
					pt.TailPerSecond = float64(more.Read) / time.Since(tailStart).Seconds()
					pt.TailPerCPUSecond = perCPU(more.Read, cpuTime()-tailCPU)
				}
			}
			el, cpu := time.Since(start).Seconds(), cpuTime()-cpu0
			pt.PeakHeapMB, pt.PeakRSSMB = peak()
			if err != nil {
				removeDB(path)
				return rep, err
			}
			pt.PerSecond, pt.PerCPUSecond = float64(sum.Read)/el, perCPU(sum.Read, cpu)
			pt.DBMB = dbSize(path)
			if pt.Search, err = searchAt(ctx, path, words); err != nil {
				removeDB(path)
				return rep, err
			}
			removeDB(path)
			rep.Points = append(rep.Points, pt)
			cfg.progress(rep, pt)
		}
	}

	if len(cfg.Sizes) > 0 {
		if err := cfg.growIndex(ctx, rep, corpus, words, hasher); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// growIndex grows one search index through cfg.Sizes, measuring each.
func (cfg ScaleConfig) growIndex(ctx context.Context, rep *ScaleReport, corpus []*detente.Article, words [][]string, hasher *dedup.Hasher) error {
	sizes := slices.Clone(cfg.Sizes)
	slices.Sort(sizes)
	dir := cfg.Dir
	if dir == "" {
		dir = cfg.TmpDir
	}
	path := filepath.Join(dir, fmt.Sprintf("detente-scale-index-%d.db", os.Getpid()))
	defer removeDB(path)
	sqlite.ReservePageCache() // as detente ingest does
	db, err := sqlite.Open(path)
	if err != nil {
		return err
	}
	defer func() {
		if db != nil {
			db.Close()
		}
	}()
	batch := cfg.Batch
	if batch <= 0 {
		batch = 1000
	}
	// Batches are made and fingerprinted ahead of the writer, on the
	// other cores, two batches deep.
	batches := make(chan []detente.PutItem, 2)
	prodCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		defer close(batches)
		rec := NewRecombiner(corpus, 1)
		made := 0
		for _, n := range sizes {
			for made < n {
				items := make([]detente.PutItem, min(batch, n-made))
				for i := range items {
					a := rec.Next()
					a.ID = detente.ArticleID(a)
					items[i].Article = a
				}
				parallel(len(items), max(1, cfg.Cores-1), func(i int) { items[i].Fingerprint = hasher.Fingerprint(items[i].Article.Body) })
				select {
				case batches <- items:
				case <-prodCtx.Done():
					return
				}
				made += len(items)
			}
		}
	}()
	stored := 0
	for k, n := range sizes {
		pt := ScalePoint{Mode: "index", Articles: n, Bulk: !cfg.Plain}
		peak := watchMemory()
		start, cpu0 := time.Now(), cpuTime()
		added := n - stored
		var bulk *bulkLoad
		if !cfg.Plain {
			if bulk, err = beginBulk(ctx, path); err != nil {
				peak()
				return err
			}
		}
		for stored < n {
			items, ok := <-batches
			if !ok {
				peak()
				if err := ctx.Err(); err != nil {
					return err
				}
				return fmt.Errorf("bench: article maker stopped at %d", stored)
			}
			if _, err := db.PutBatch(ctx, items); err != nil {
				peak()
				return err
			}
			stored += len(items)
		}
		if bulk != nil {
			if err := bulk.finish(ctx); err != nil {
				peak()
				return err
			}
		}
		el, cpu := time.Since(start).Seconds(), cpuTime()-cpu0
		pt.PeakHeapMB, pt.PeakRSSMB = peak()
		pt.PerSecond, pt.PerCPUSecond = float64(added)/el, perCPU(added, cpu)
		pt.DBMB = dbSize(path)
		if !cfg.NoSearch {
			if pt.Search, err = SearchLatency(ctx, db, words, ""); err != nil {
				return err
			}
		}
		rep.Points = append(rep.Points, pt)
		cfg.progress(rep, pt)
		if cfg.Dir != "" {
			keep := filepath.Join(cfg.Dir, fmt.Sprintf("index-%d.db", n))
			if k == len(sizes)-1 {
				db.Close()
				db = nil
				removeDB(keep)
				if err := os.Rename(path, keep); err != nil {
					return err
				}
			} else if err := copyDB(ctx, db, keep); err != nil {
				return err
			}
		}
	}
	return nil
}

// copyDB writes a copy of the store to file, as it is now.
func copyDB(ctx context.Context, db *sqlite.DB, file string) error {
	removeDB(file)
	return db.Backup(ctx, file)
}

func perCPU(n int, cpu float64) float64 {
	if cpu <= 0 {
		return 0
	}
	return float64(n) / cpu
}

func searchAt(ctx context.Context, path string, words [][]string) ([]Result, error) {
	db, err := sqlite.Open(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return SearchLatency(ctx, db, words, "")
}

func dbSize(path string) float64 {
	var total int64
	for _, suffix := range []string{"", "-wal"} {
		if st, err := os.Stat(path + suffix); err == nil {
			total += st.Size()
		}
	}
	return float64(total) / 1e6
}

func (cfg ScaleConfig) progress(rep *ScaleReport, pt ScalePoint) {
	if cfg.Measured != nil {
		cfg.Measured(rep)
	}
	if cfg.Progress == nil {
		return
	}
	fmt.Fprintf(cfg.Progress, "%-8s %8d articles  %6.0f/s  %6.0f MB on disk  RSS %5.0f MB", pt.Mode, pt.Articles, pt.PerSecond, pt.DBMB, pt.PeakRSSMB)
	if pt.TailPerSecond > 0 {
		fmt.Fprintf(cfg.Progress, "  last tenth %.0f/s (%.0f per CPU-s)", pt.TailPerSecond, pt.TailPerCPUSecond)
	}
	for _, s := range pt.Search {
		fmt.Fprintf(cfg.Progress, "  %s p95 %.1f ms (CPU %.1f)", s.Stage, s.P95ms, s.CPUP95ms)
	}
	fmt.Fprintln(cfg.Progress)
}

// WriteTable prints the scaling report as an aligned table.
func (r *ScaleReport) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "detente bench --scale — %s, %d CPUs (%s), %d cores used, recombined from %s\n", r.GoVer, r.CPUs, r.CPU, r.Cores, r.Corpus)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "mode\tarticles\tarticles/s\tper CPU-s\tlast tenth per CPU-s\tpeak RSS MB\tstore MB\tKB/article\t1-term p50/p95/p99 ms (CPU ms)\t2-term\t3-term\t")
	for _, p := range r.Points {
		mode := p.Mode
		if p.Bulk {
			mode += " (bulk)"
		}
		tail := ""
		if p.TailPerCPUSecond > 0 {
			tail = fmt.Sprintf("%.0f", p.TailPerCPUSecond)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.0f\t%s\t%.0f\t%.0f\t%.1f\t", mode, p.Articles, p.PerSecond, p.PerCPUSecond, tail, p.PeakRSSMB, p.DBMB, p.DBMB*1000/float64(p.Articles))
		for _, s := range p.Search {
			fmt.Fprintf(tw, "%.1f/%.1f/%.1f (CPU %.1f/%.1f/%.1f)\t", s.P50ms, s.P95ms, s.P99ms, s.CPUP50ms, s.CPUP95ms, s.CPUP99ms)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// WriteJSON writes the scaling report as indented JSON.
func (r *ScaleReport) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// MeasureSearch times searches on the index stores a build kept in
// cfg.Dir (index-<articles>.db for each of cfg.Sizes), so the search code
// can be measured again without building again. prev, when given, is the
// build's report: its points keep their build numbers and get new search
// numbers.
func MeasureSearch(ctx context.Context, cfg ScaleConfig, prev *ScaleReport) (*ScaleReport, error) {
	corpus, err := readCorpus(cfg.Corpus, 0)
	if err != nil {
		return nil, err
	}
	words := headlineQueries(corpus)
	rep := prev
	if rep == nil {
		rep = &ScaleReport{Started: time.Now().UTC(), GoVer: runtime.Version(), CPUs: runtime.NumCPU(), CPU: cpuModel(),
			Cores: cfg.Cores, Corpus: cfg.Corpus}
	}
	for _, n := range cfg.Sizes {
		path := filepath.Join(cfg.Dir, fmt.Sprintf("index-%d.db", n))
		if _, err := os.Stat(path); err != nil {
			return rep, err
		}
		var pt *ScalePoint
		for i := range rep.Points {
			if p := &rep.Points[i]; p.Mode == "index" && p.Articles == n {
				pt = p
			}
		}
		if pt == nil {
			rep.Points = append(rep.Points, ScalePoint{Mode: "index", Articles: n})
			pt = &rep.Points[len(rep.Points)-1]
		}
		runtime.GC()
		peak := watchMemory()
		pt.Search, err = searchAt(ctx, path, words)
		_, pt.SearchRSSMB = peak()
		if err != nil {
			return rep, err
		}
		pt.DBMB = dbSize(path)
		cfg.progress(rep, *pt)
	}
	slices.SortStableFunc(rep.Points, func(a, b ScalePoint) int {
		if a.Mode != b.Mode {
			return strings.Compare(b.Mode, a.Mode) // pipeline first
		}
		return a.Articles - b.Articles
	})
	return rep, nil
}
