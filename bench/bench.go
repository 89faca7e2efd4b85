// Package bench measures detente's speed stage by stage — read, extract,
// clean, fingerprint, annotate, store, search — and for the whole pipeline,
// on real corpora, at one core and at all cores, over repeated runs. It
// reports medians and spreads, never asserts them: numbers are for people.
package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

// Config says what to measure.
type Config struct {
	Corpus  string // JSONL corpus of articles (the AllSides file)
	HTMLDir string // directory of .html.gz pages for the extraction stage ("" skips it)
	Limit   int    // use at most this many articles (0: all)
	Runs    int    // repetitions per measurement (default 3)
	// Cores lists the GOMAXPROCS settings to run at (default 1 and all).
	Cores []int
	// Stages limits the run to these stages (default all).
	Stages []string
	TmpDir string
	// Knowledge is the annotator and coder (default: the built-in ones).
	Knowledge Knowledge
	// Progress, when set, receives a line per finished measurement.
	Progress io.Writer
}

// Result is one stage measured at one core count.
type Result struct {
	Stage string `json:"stage"`
	Cores int    `json:"cores"`
	Items int    `json:"items"` // articles or pages per run
	// PerSecond are the items/s of each run; Median, Min and Max summarize.
	PerSecond []float64 `json:"per_second"`
	Median    float64   `json:"median"`
	Min       float64   `json:"min"`
	Max       float64   `json:"max"`
	// PerCPUSecond is the median of items per second of CPU time the
	// process used (user and system): what one core would do alone, less
	// sensitive than wall time to other work on a shared machine.
	PerCPUSecond float64 `json:"per_cpu_second,omitempty"`
	// SentencesPerSecond and MBPerSecond are medians where they apply.
	SentencesPerSecond float64 `json:"sentences_per_second,omitempty"`
	MBPerSecond        float64 `json:"mb_per_second,omitempty"`
	// PeakHeapMB is the largest Go heap in use seen during the runs;
	// PeakRSSMB the largest resident set of the process, which also counts
	// SQLite's own memory and everything the run holds outside the stage.
	PeakHeapMB float64 `json:"peak_heap_mb"`
	PeakRSSMB  float64 `json:"peak_rss_mb,omitempty"`
	// Latency percentiles in milliseconds, for the search stage.
	P50ms float64 `json:"p50_ms,omitempty"`
	P95ms float64 `json:"p95_ms,omitempty"`
	P99ms float64 `json:"p99_ms,omitempty"`
	// CPU time per search (the process's, queries run one at a time):
	// what the latency would be with a core to itself.
	CPUP50ms float64 `json:"cpu_p50_ms,omitempty"`
	CPUP95ms float64 `json:"cpu_p95_ms,omitempty"`
	CPUP99ms float64 `json:"cpu_p99_ms,omitempty"`
	Note     string  `json:"note,omitempty"`
}

// Report is a whole benchmark run.
type Report struct {
	Started   time.Time `json:"started"`
	GoVer     string    `json:"go"`
	CPUs      int       `json:"cpus"`
	CPU       string    `json:"cpu,omitempty"`
	Corpus    string    `json:"corpus"`
	Articles  int       `json:"articles"`
	Sentences int       `json:"sentences"`
	MB        float64   `json:"mb"` // article bodies, in 10^6 bytes
	Runs      int       `json:"runs"`
	Results   []Result  `json:"results"`
}

func newReport(cfg Config) *Report {
	return &Report{Started: time.Now().UTC(), GoVer: runtime.Version(), CPUs: runtime.NumCPU(), CPU: cpuModel(),
		Corpus: cfg.Corpus, Runs: cfg.Runs}
}

// cpuModel names the processor, from /proc/cpuinfo where there is one.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

// run is one timed pass of a stage: it returns items done, sentences and
// bytes processed (0 where they do not apply). Work it does inside skip.do
// (making its input) is left out of the timing.
type run func(ctx context.Context, workers int, skip *untimed) (items, sentences, bytes int, err error)

// untimed gathers the wall and CPU time of the parts of a run that prepare
// its input, for measure to take out of the run's timing.
type untimed struct {
	wall time.Duration
	cpu  float64
}

// do runs fn, adding its wall and CPU time to u.
func (u *untimed) do(fn func()) {
	start, cpu0 := time.Now(), cpuTime()
	fn()
	u.wall += time.Since(start)
	u.cpu += cpuTime() - cpu0
}

// measure times fn cfg.Runs times at the given core count, watching the heap.
func measure(ctx context.Context, stage string, cores, runs int, fn run) (Result, error) {
	prev := runtime.GOMAXPROCS(cores)
	defer runtime.GOMAXPROCS(prev)
	res := Result{Stage: stage, Cores: cores}
	var sents, mbs, perCPU []float64
	peak := watchMemory()
	for range runs {
		runtime.GC()
		var skip untimed
		start, cpu0 := time.Now(), cpuTime()
		items, s, b, err := fn(ctx, cores, &skip)
		el, cpu := (time.Since(start) - skip.wall).Seconds(), cpuTime()-cpu0-skip.cpu
		if err != nil {
			peak()
			return res, fmt.Errorf("%s: %w", stage, err)
		}
		res.Items = items
		res.PerSecond = append(res.PerSecond, float64(items)/el)
		if cpu > 0 {
			perCPU = append(perCPU, float64(items)/cpu)
		}
		if s > 0 {
			sents = append(sents, float64(s)/el)
		}
		if b > 0 {
			mbs = append(mbs, float64(b)/el/1e6)
		}
	}
	res.PeakHeapMB, res.PeakRSSMB = peak()
	res.Median, res.Min, res.Max = summarize(res.PerSecond)
	res.SentencesPerSecond, _, _ = summarize(sents)
	res.MBPerSecond, _, _ = summarize(mbs)
	res.PerCPUSecond, _, _ = summarize(perCPU)
	return res, nil
}

// watchMemory samples the Go heap in use and the process's resident set
// until the returned function is called, which returns their peaks in MB.
func watchMemory() func() (heapMB, rssMB float64) {
	var mu sync.Mutex
	var heap, rss uint64
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		r := residentBytes()
		mu.Lock()
		heap, rss = max(heap, ms.HeapInuse), max(rss, r)
		mu.Unlock()
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				sample()
			}
		}
	}()
	return func() (float64, float64) {
		close(done)
		<-stopped
		sample()
		mu.Lock()
		defer mu.Unlock()
		return float64(heap) / (1 << 20), float64(rss) / (1 << 20)
	}
}

// residentBytes is the process's resident set size now (Linux), 0 where
// it cannot be read.
func residentBytes() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, err := strconv.ParseUint(f[1], 10, 64)
	if err != nil {
		return 0
	}
	return pages * uint64(os.Getpagesize())
}

// summarize returns the median, min and max of xs (zeros when empty).
func summarize(xs []float64) (med, lo, hi float64) {
	if len(xs) == 0 {
		return 0, 0, 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	med = s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return med, s[0], s[n-1]
}

// percentile returns the p-th percentile (0–100) of sorted durations in ms.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// parallel runs fn over items 0..n-1 on workers goroutines.
func parallel(n, workers int, fn func(i int)) {
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, workers*4)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// WriteTable prints the report as an aligned table.
func (r *Report) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "detente bench — %s, %d CPUs (%s), %s: %d articles, %d sentences, %.1f MB; median of %d runs\n",
		r.GoVer, r.CPUs, r.CPU, r.Corpus, r.Articles, r.Sentences, r.MB, r.Runs)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "stage\tcores\titems\titems/s (median)\tmin–max\titems/CPU-s\tsentences/s\tMB/s\tpeak heap MB\tpeak RSS MB\tp50/p95/p99 ms\t")
	for _, x := range r.Results {
		lat := ""
		if x.P50ms > 0 {
			lat = fmt.Sprintf("%.1f/%.1f/%.1f", x.P50ms, x.P95ms, x.P99ms)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%.0f–%.0f\t%s\t%s\t%s\t%s\t%s\t%s\t\n", x.Stage, x.Cores, x.Items, x.Median, x.Min, x.Max,
			orBlank(x.PerCPUSecond, "%.0f"), orBlank(x.SentencesPerSecond, "%.0f"), orBlank(x.MBPerSecond, "%.1f"), orBlank(x.PeakHeapMB, "%.0f"),
			orBlank(x.PeakRSSMB, "%.0f"), lat)
	}
	return tw.Flush()
}

func orBlank(v float64, format string) string {
	if v == 0 {
		return ""
	}
	return fmt.Sprintf(format, v)
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func wanted(cfg Config, stage string) bool {
	if len(cfg.Stages) == 0 {
		return true
	}
	for _, s := range cfg.Stages {
		if strings.EqualFold(s, stage) {
			return true
		}
	}
	return false
}
