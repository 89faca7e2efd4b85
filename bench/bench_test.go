package bench

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/dedup"
)

func TestRunMeasuresEveryStageOnATinyCorpus(t *testing.T) {
	dir := t.TempDir()
	html, err := os.ReadFile(filepath.Join("..", "examples", "2020-abraham-accords.html"))
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(html)
	zw.Close()
	if err := os.WriteFile(filepath.Join(dir, "page.html.gz"), gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), Config{
		Corpus: filepath.Join("..", "examples", "wire-stories.jsonl"), HTMLDir: dir,
		Runs: 1, Cores: []int{1, 2}, TmpDir: dir,
	})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range rep.Results {
		seen[r.Stage] = true
		if r.Median <= 0 || r.Items <= 0 {
			t.Errorf("%s at %d cores measured nothing: %+v", r.Stage, r.Cores, r)
		}
	}
	for _, s := range []string{"read", "extract", "clean", "dedup", "annotate", "code", "store", "search-1term", "search-3term", "pipeline"} {
		if !seen[s] {
			t.Errorf("stage %s missing from %v", s, seen)
		}
	}
	var table, js bytes.Buffer
	if err := rep.WriteTable(&table); err != nil || !strings.Contains(table.String(), "annotate") {
		t.Errorf("table: %v\n%s", err, table.String())
	}
	if err := rep.WriteJSON(&js); err != nil || !json.Valid(js.Bytes()) {
		t.Errorf("JSON report invalid: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*.db*"))
	if len(left) != 0 {
		t.Errorf("temporary databases left behind: %v", left)
	}
}

func TestSummarize(t *testing.T) {
	med, lo, hi := summarize([]float64{3, 1, 2, 10})
	if med != 2.5 || lo != 1 || hi != 10 {
		t.Errorf("summarize = %v %v %v, want 2.5 1 10", med, lo, hi)
	}
	if p := percentile([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 95); p != 10 {
		t.Errorf("p95 = %v, want 10", p)
	}
}

func TestScaleGrowsAnIndexAndPlotsIt(t *testing.T) {
	dir := t.TempDir()
	rep, err := Scale(context.Background(), ScaleConfig{
		Corpus: filepath.Join("..", "examples", "wire-stories.jsonl"), Sizes: []int{40, 20}, FullSizes: []int{20},
		Cores: 1, TmpDir: dir,
	})
	if err != nil {
		t.Fatal(err)
	}
	var modes []string
	for _, p := range rep.Points {
		modes = append(modes, fmt.Sprintf("%s/%d", p.Mode, p.Articles))
		if p.PerSecond <= 0 || p.DBMB <= 0 || len(p.Search) != 3 {
			t.Errorf("%s at %d measured nothing: %+v", p.Mode, p.Articles, p)
		}
		if (p.Mode == "pipeline") != (p.TailPerSecond > 0 && p.TailPerCPUSecond > 0) {
			t.Errorf("%s at %d: last tenth's rate %v/s, %v per CPU-s; want it for the pipeline only", p.Mode, p.Articles, p.TailPerSecond, p.TailPerCPUSecond)
		}
	}
	if got := strings.Join(modes, " "); got != "pipeline/20 index/20 index/40" {
		t.Errorf("points %s, want the pipeline at 20 then the index grown to 20 and 40", got)
	}
	for name, draw := range map[string]func(io.Writer) error{"search": rep.SearchSVG, "ingest": rep.IngestSVG} {
		var b bytes.Buffer
		if err := draw(&b); err != nil {
			t.Fatal(err)
		}
		if err := xml.Unmarshal(b.Bytes(), new(struct{})); err != nil || !strings.Contains(b.String(), "<polyline") {
			t.Errorf("%s plot is not an SVG chart (%v):\n%s", name, err, b.String())
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*.db*"))
	if len(left) != 0 {
		t.Errorf("temporary databases left behind: %v", left)
	}
}

func TestRecombinerMakesNewArticlesOfRealParagraphs(t *testing.T) {
	corpus := []*detente.Article{
		{Title: "One", Source: "A", Body: "First paragraph of the first article, long enough to count.\nSecond paragraph of the first article, also long enough."},
		{Title: "Two", Source: "B", Body: "Only paragraph of the second article, long enough to count here."},
	}
	r := NewRecombiner(corpus, 7)
	seen := map[string]bool{}
	for range 20 {
		a := r.Next()
		if seen[a.URL] {
			t.Fatalf("URL %s repeated", a.URL)
		}
		seen[a.URL] = true
		for _, p := range strings.Split(a.Body, "\n\n") {
			if !strings.Contains(corpus[0].Body+"\n"+corpus[1].Body, p) {
				t.Errorf("paragraph %q is not from the corpus", p)
			}
		}
		if a.Title != "One" && a.Title != "Two" || a.Published == "" {
			t.Errorf("article %+v lacks a real title or a date", a)
		}
	}
}

func TestMeasureLeavesOutTheUntimedPart(t *testing.T) {
	// A run that spends 300 ms making its input and next to nothing on its
	// work must be timed by the work alone.
	res, err := measure(context.Background(), "x", 1, 1, func(ctx context.Context, workers int, skip *untimed) (int, int, int, error) {
		skip.do(func() { time.Sleep(300 * time.Millisecond) })
		return 1000, 0, 0, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Median < 1000/0.3 {
		t.Errorf("%.0f items/s: the 300 ms of untimed input making was counted", res.Median)
	}
}

func TestChunksPrepareEveryArticleInOrder(t *testing.T) {
	const n = chunkSize*2 + 7
	raw := make([]*detente.Article, n)
	for i := range raw {
		raw[i] = &detente.Article{URL: fmt.Sprintf("https://example.org/%d", i), Title: fmt.Sprintf("Story %d", i),
			Body: fmt.Sprintf("Officials met on Monday in talks number %d. They agreed to meet again.", i)}
	}
	annotated, chunks := 0, 0
	k := Knowledge{
		Annotate: func(a *detente.Article) *detente.Annotations {
			return &detente.Annotations{Sentences: make([]detente.Span, 2)}
		},
		Code: func(a *detente.Article, ann *detente.Annotations) []detente.Event { return nil },
	}
	c := newCorpus(raw, dedup.NewHasher(dedup.DefaultConfig()), k)
	var skip untimed
	err := c.chunks(&skip, true, func(items []detente.PutItem) error {
		if len(items) > chunkSize {
			t.Errorf("a chunk of %d items, more than %d", len(items), chunkSize)
		}
		for _, it := range items {
			if it.Article != c.cleaned[annotated] {
				t.Fatalf("item %d is not the corpus's article %d", annotated, annotated)
			}
			if it.Annotations == nil || it.Events == nil || it.Fingerprint.Exact == "" {
				t.Errorf("item %d not prepared: %+v", annotated, it)
			}
			annotated++
		}
		chunks++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if annotated != n || chunks != 3 {
		t.Errorf("%d items in %d chunks, want %d in 3", annotated, chunks, n)
	}
	if c.sentences != 2*n {
		t.Errorf("%d sentences counted, want %d", c.sentences, 2*n)
	}
	if skip.wall <= 0 {
		t.Error("the preparation was not set aside")
	}
}
