package bench

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
