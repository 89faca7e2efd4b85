package eval

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// Extractor turns one HTML page into its article body text. url is the
// page's address when the benchmark knows it, else "".
type Extractor func(r io.Reader, url string) (string, error)

// PageScore is how one benchmark page scored.
type PageScore struct {
	ID  string `json:"id"`
	URL string `json:"url,omitempty"`
	// Precision, Recall and F1 are the page's scores under the benchmark's
	// own rule (AEB: shingles; WCXB: lowercased words). For AEB, F1 is the
	// page's harmonic mean, only used to rank pages.
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	// Exact (AEB) says the prediction's tokens equal the truth's.
	Exact bool `json:"exact,omitempty"`
	// WithRate and WithoutRate (WCXB) are the fractions of the must-have
	// and must-not-have snippets found in the prediction.
	WithRate    float64 `json:"with_rate,omitempty"`
	WithoutRate float64 `json:"without_rate,omitempty"`
	// Err is the extractor's error; the page then scores as an empty
	// prediction, as the benchmarks score a missing output.
	Err string `json:"error,omitempty"`

	aeb AEBCounts
}

// ExtractReport is the result of running an extractor over a benchmark.
type ExtractReport struct {
	Benchmark string `json:"benchmark"` // "AEB" or "WCXB"
	Pages     int    `json:"pages"`
	Failures  int    `json:"failures"` // pages whose extraction returned an error

	// F1, Precision and Recall are the corpus scores: for AEB the mean
	// per-page precision and recall and their harmonic mean; for WCXB the
	// mean per-page F1, precision and recall.
	F1        float64 `json:"f1"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`

	// AEB only: the share of pages extracted token for token, and the
	// bootstrap standard deviations the AEB README prints after "±".
	Accuracy     float64 `json:"accuracy,omitempty"`
	F1Std        float64 `json:"f1_std,omitempty"`
	PrecisionStd float64 `json:"precision_std,omitempty"`
	RecallStd    float64 `json:"recall_std,omitempty"`
	AccuracyStd  float64 `json:"accuracy_std,omitempty"`

	// WCXB only: mean snippet rates (with: higher is better; without:
	// boilerplate leaked, lower is better).
	WithRate    float64 `json:"with_rate,omitempty"`
	WithoutRate float64 `json:"without_rate,omitempty"`

	Bytes   int64         `json:"bytes"`   // HTML bytes extracted
	Elapsed time.Duration `json:"elapsed"` // wall time of the extraction run
	PerPage []PageScore   `json:"per_page"`
}

// aebBootstrap is the AEB script's default --n-bootstrap.
const aebBootstrap = 1000

// ExtractAEB runs extract over the Zyte article-extraction benchmark in dir
// (ground-truth.json and html/<id>.html.gz) and scores it as the AEB
// evaluate.py does.
func ExtractAEB(dir string, extract Extractor) (ExtractReport, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return ExtractReport{}, err
	}
	var gt map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	if err := json.Unmarshal(raw, &gt); err != nil {
		return ExtractReport{}, fmt.Errorf("aeb ground truth: %w", err)
	}
	pages := make([]benchPage, 0, len(gt))
	for id, g := range gt {
		pages = append(pages, benchPage{
			id: id, url: g.URL, truth: g.ArticleBody,
			html: filepath.Join(dir, "html", id+".html.gz"),
		})
	}
	slices.SortFunc(pages, func(a, b benchPage) int { return strings.Compare(a.id, b.id) })

	rep := ExtractReport{Benchmark: "AEB"}
	err = runPages(&rep, pages, extract, func(p benchPage, pred string) PageScore {
		c := AEBMatch(p.truth, pred)
		s := PageScore{ID: p.id, URL: p.url, Precision: c.Precision(), Recall: c.Recall(),
			Exact: AEBExact(p.truth, pred), aeb: c}
		if s.Precision+s.Recall > 0 {
			s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
		}
		return s
	})
	if err != nil {
		return rep, err
	}
	counts := make([]AEBCounts, len(rep.PerPage))
	exact := make([]float64, len(rep.PerPage))
	for i, s := range rep.PerPage {
		counts[i] = s.aeb
		if s.Exact {
			exact[i] = 1
		}
	}
	rep.Precision, rep.Recall, rep.F1 = AEBCorpus(counts)
	rep.Accuracy = mean(exact)
	rep.PrecisionStd, rep.RecallStd, rep.F1Std, rep.AccuracyStd = aebStd(counts, exact, aebBootstrap)
	return rep, nil
}

// aebStd estimates the standard deviations of the corpus metrics by
// resampling pages with replacement, as the AEB script does. The seed is
// fixed so that a report is reproducible.
func aebStd(counts []AEBCounts, exact []float64, n int) (p, r, f, a float64) {
	if len(counts) < 2 || n < 2 {
		return 0, 0, 0, 0
	}
	rng := rand.New(rand.NewPCG(2019, 11))
	ps, rs, fs, as := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	sample := make([]AEBCounts, len(counts))
	for b := range n {
		acc := 0.0
		for i := range sample {
			j := rng.IntN(len(counts))
			sample[i] = counts[j]
			acc += exact[j]
		}
		ps[b], rs[b], fs[b] = AEBCorpus(sample)
		as[b] = acc / float64(len(sample))
	}
	return stdev(ps), stdev(rs), stdev(fs), stdev(as)
}

// ExtractWCXB runs extract over the WCXB pages in dir (ground-truth/*.json
// and html/<id>.html.gz) and scores it as the WCXB evaluate.py does: the
// corpus scores are the means of the per-page scores.
func ExtractWCXB(dir string, extract Extractor) (ExtractReport, error) {
	files, err := filepath.Glob(filepath.Join(dir, "ground-truth", "*.json"))
	if err != nil {
		return ExtractReport{}, err
	}
	if len(files) == 0 {
		return ExtractReport{}, fmt.Errorf("wcxb: no ground truth in %s", dir)
	}
	slices.Sort(files)
	pages := make([]benchPage, 0, len(files))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return ExtractReport{}, err
		}
		var g struct {
			URL         string `json:"url"`
			GroundTruth struct {
				MainContent *string  `json:"main_content"`
				With        []string `json:"with"`
				Without     []string `json:"without"`
			} `json:"ground_truth"`
		}
		if err := json.Unmarshal(raw, &g); err != nil {
			return ExtractReport{}, fmt.Errorf("wcxb %s: %w", filepath.Base(f), err)
		}
		id := strings.TrimSuffix(filepath.Base(f), ".json")
		p := benchPage{id: id, url: g.URL, with: g.GroundTruth.With, without: g.GroundTruth.Without,
			html: filepath.Join(dir, "html", id+".html.gz")}
		if g.GroundTruth.MainContent != nil {
			p.truth = *g.GroundTruth.MainContent
		}
		pages = append(pages, p)
	}

	rep := ExtractReport{Benchmark: "WCXB"}
	err = runPages(&rep, pages, extract, func(p benchPage, pred string) PageScore {
		w := WCXBMatch(p.truth, pred)
		return PageScore{ID: p.id, URL: p.url, Precision: w.Precision, Recall: w.Recall, F1: w.F1,
			WithRate: wcxbSnippetRate(pred, p.with), WithoutRate: wcxbSnippetRate(pred, p.without)}
	})
	if err != nil {
		return rep, err
	}
	var ps, rs, fs, ws, wos []float64
	for _, s := range rep.PerPage {
		ps, rs, fs = append(ps, s.Precision), append(rs, s.Recall), append(fs, s.F1)
		ws, wos = append(ws, s.WithRate), append(wos, s.WithoutRate)
	}
	rep.Precision, rep.Recall, rep.F1 = mean(ps), mean(rs), mean(fs)
	rep.WithRate, rep.WithoutRate = mean(ws), mean(wos)
	return rep, nil
}

// benchPage is one page to extract and its ground truth.
type benchPage struct {
	id, url, html string
	truth         string
	with, without []string
}

// runPages extracts every page with GOMAXPROCS workers and scores each with
// score, filling rep.PerPage (in page order), Pages, Failures, Bytes and
// Elapsed. A page whose HTML cannot be read fails the whole run: that is a
// broken benchmark, not a bad extraction.
func runPages(rep *ExtractReport, pages []benchPage, extract Extractor, score func(benchPage, string) PageScore) error {
	rep.Pages = len(pages)
	rep.PerPage = make([]PageScore, len(pages))
	errs := make([]error, len(pages))
	sizes := make([]int, len(pages))
	jobs := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				p := pages[i]
				html, err := readGzip(p.html)
				if err != nil {
					errs[i] = err
					continue
				}
				sizes[i] = len(html)
				pred, xerr := safeExtract(extract, html, p.url)
				s := score(p, pred)
				if xerr != nil {
					s.Err = xerr.Error()
				}
				rep.PerPage[i] = s
			}
		}()
	}
	for i := range pages {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	rep.Elapsed = time.Since(start)
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for i, s := range rep.PerPage {
		rep.Bytes += int64(sizes[i])
		if s.Err != "" {
			rep.Failures++
		}
	}
	return nil
}

// safeExtract runs the extractor, turning an error or a panic into an empty
// prediction, so that one bad page cannot stop a benchmark run.
func safeExtract(extract Extractor, html []byte, url string) (text string, err error) {
	defer func() {
		if r := recover(); r != nil {
			text, err = "", fmt.Errorf("panic: %v", r)
		}
	}()
	text, err = extract(bytes.NewReader(html), url)
	if err != nil {
		text = ""
	}
	return text, err
}

// readGzip reads a whole gzip-compressed file.
func readGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

// mean is the arithmetic mean; 0 for no values.
func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// stdev is the sample standard deviation (n-1), as Python's
// statistics.stdev.
func stdev(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	m := mean(xs)
	ss := 0.0
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	return math.Sqrt(ss / float64(len(xs)-1))
}

// PagesPerSecond is the extraction throughput of the run.
func (r ExtractReport) PagesPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Pages) / r.Elapsed.Seconds()
}

// Write prints the report as a one-row table in the style of the
// benchmark's own README.
func (r ExtractReport) Write(w io.Writer) error {
	var b strings.Builder
	mbps := 0.0
	if r.Elapsed > 0 {
		mbps = float64(r.Bytes) / 1e6 / r.Elapsed.Seconds()
	}
	switch r.Benchmark {
	case "AEB":
		fmt.Fprintf(&b, "%-6s %5s %8s  %-14s %-14s %-14s %-14s %8s %6s\n",
			"bench", "pages", "failures", "F1", "precision", "recall", "accuracy", "pages/s", "MB/s")
		fmt.Fprintf(&b, "%-6s %5d %8d  %.3f ± %.3f  %.3f ± %.3f  %.3f ± %.3f  %.3f ± %.3f  %8.1f %6.2f\n",
			r.Benchmark, r.Pages, r.Failures, r.F1, r.F1Std, r.Precision, r.PrecisionStd,
			r.Recall, r.RecallStd, r.Accuracy, r.AccuracyStd, r.PagesPerSecond(), mbps)
	default:
		fmt.Fprintf(&b, "%-6s %5s %8s  %-6s %-9s %-6s %-5s %-8s %8s %6s\n",
			"bench", "pages", "failures", "F1", "precision", "recall", "with", "without", "pages/s", "MB/s")
		fmt.Fprintf(&b, "%-6s %5d %8d  %.4f %.4f    %.4f %.3f %.3f    %8.1f %6.2f\n",
			r.Benchmark, r.Pages, r.Failures, r.F1, r.Precision, r.Recall,
			r.WithRate, r.WithoutRate, r.PagesPerSecond(), mbps)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// String returns the table Write prints.
func (r ExtractReport) String() string {
	var b strings.Builder
	_ = r.Write(&b)
	return b.String()
}

// Worst returns the n pages with the lowest F1 (lowest first), for a
// verbose listing of where extraction goes wrong.
func (r ExtractReport) Worst(n int) []PageScore {
	ps := slices.Clone(r.PerPage)
	slices.SortStableFunc(ps, func(a, b PageScore) int {
		if a.F1 != b.F1 {
			if a.F1 < b.F1 {
				return -1
			}
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	return ps[:min(n, len(ps))]
}

// WriteWorst prints the n worst pages, one a line: F1, precision, recall,
// id, URL and any extraction error.
func (r ExtractReport) WriteWorst(w io.Writer, n int) error {
	var b strings.Builder
	for _, s := range r.Worst(n) {
		fmt.Fprintf(&b, "%.3f  P %.3f  R %.3f  %s  %s", s.F1, s.Precision, s.Recall, s.ID, s.URL)
		if s.Err != "" {
			fmt.Fprintf(&b, "  error: %s", s.Err)
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}
