package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/detente/detente/clean"
	"github.com/detente/detente/dedup"
	"github.com/detente/detente/internal/shareddata"
	"github.com/detente/detente/nlp"
)

// BenchmarkPipeline runs the whole pipeline (clean, dedup, annotate, code,
// store into a new SQLite file) over 500 AllSides articles on one core and
// on all of them, so a CPU profile (-cpuprofile) or trace (-trace) holds
// the pipeline and nothing the detente bench command prepares for its
// other stages.
func BenchmarkPipeline(b *testing.B) {
	path := shareddata.Path("corpora", "allsides-intl-5720.jsonl")
	if _, err := os.Stat(path); err != nil {
		b.Skipf("AllSides corpus not found (set DETENTE_SHARED): %v", err)
	}
	raw, err := readCorpus(path, 500)
	if err != nil {
		b.Fatal(err)
	}
	sentences := 0
	for _, a := range raw {
		sentences += len(nlp.Sentences(clean.Article(a).Body))
	}
	k, err := DefaultKnowledge()
	if err != nil {
		b.Fatal(err)
	}
	hasher := dedup.NewHasher(dedup.DefaultConfig())
	dir := b.TempDir()
	all := runtime.GOMAXPROCS(0)
	for _, cores := range []int{1, all} {
		b.Run(fmt.Sprintf("cores=%d", cores), func(b *testing.B) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(cores))
			for i := 0; b.Loop(); i++ {
				path := filepath.Join(dir, fmt.Sprintf("p%d-%d.db", cores, i))
				sum, err := Ingest(context.Background(), path, raw, hasher, k, cores)
				if err != nil {
					b.Fatal(err)
				}
				if sum.Failed > 0 || sum.Read != len(raw) {
					b.Fatalf("read %d of %d, %d failed: %v", sum.Read, len(raw), sum.Failed, sum.Failures)
				}
			}
			secs := b.Elapsed().Seconds()
			b.ReportMetric(float64(b.N*len(raw))/secs, "articles/s")
			b.ReportMetric(float64(b.N*sentences)/secs, "sentences/s")
		})
		if all == 1 {
			break
		}
	}
}
