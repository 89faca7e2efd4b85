package annotate

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/clean"

	"github.com/detente/detente/internal/shareddata"
)

// corpus loads up to n cleaned AllSides articles, or skips.
func corpus(b *testing.B, n int) []*detente.Article {
	b.Helper()
	f, err := os.Open(shareddata.Path("corpora", "allsides-intl-5720.jsonl"))
	if err != nil {
		b.Skipf("AllSides corpus not found (set DETENTE_SHARED): %v", err)
	}
	defer f.Close()
	var out []*detente.Article
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() && len(out) < n {
		var a detente.Article
		if json.Unmarshal(sc.Bytes(), &a) == nil {
			a.Language = "en"
			out = append(out, clean.Article(&a))
		}
	}
	return out
}

// BenchmarkAnnotate measures the whole annotation layer (segmentation,
// knowledge base, tagger, times, quotes) on one goroutine, in sentences/s.
func BenchmarkAnnotate(b *testing.B) {
	arts := corpus(b, 500)
	an := builtinAnnotator()
	an.Annotate(arts[0]) // load the knowledge base and model outside the timing
	sentences, bytes := 0, 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a := arts[i%len(arts)]
		ann := an.Annotate(a)
		sentences += len(ann.Sentences)
		bytes += len(a.Body)
	}
	b.ReportMetric(float64(sentences)/b.Elapsed().Seconds(), "sentences/s")
	b.ReportMetric(float64(bytes)/b.Elapsed().Seconds()/1e6, "MB/s")
}
