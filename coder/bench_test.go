package coder

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/clean"
)

// benchBody is a news-style text of our own, 12 sentences.
var benchBody = strings.Repeat(`China and South Korea have agreed to restore relations, the Chinese Foreign Ministry said on Tuesday.
Russian troops attacked Ukrainian positions near Donetsk on Monday, the Ukrainian military said.
Japan will provide humanitarian aid to the Philippines after the typhoon.
The United States condemned North Korea's missile test and urged Pyongyang to return to talks.
Iran said it would not negotiate with the United States unless sanctions were lifted.
French President Emmanuel Macron will meet German Chancellor Olaf Scholz in Berlin next week.
`, 2)

func benchArticle() *detente.Article {
	return &detente.Article{ID: "bench", Body: benchBody, Published: "2023-03-01", Language: "en"}
}

// BenchmarkCode measures coding alone, the annotations precomputed; it
// reports sentences per second on one core.
func BenchmarkCode(b *testing.B) {
	an, c := builtin(b)
	a := benchArticle()
	ann := an.Annotate(a)
	n := len(ann.Sentences)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Code(a, ann)
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "sentences/s")
}

// BenchmarkCodeRawText measures raw text → events: annotation plus coding.
func BenchmarkCodeRawText(b *testing.B) {
	an, c := builtin(b)
	a := benchArticle()
	n := len(an.Annotate(a).Sentences)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Code(a, an.Annotate(a))
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "sentences/s")
}

// BenchmarkCodeCorpus codes the first 200 AllSides articles (annotated
// once beforehand), the corpus `detente bench` uses; skipped without the
// shared data. It reports sentences per second and allocations.
func BenchmarkCodeCorpus(b *testing.B) {
	sc := corpusLines(b)
	an, c := builtin(b)
	var arts []*detente.Article
	var anns []*detente.Annotations
	n := 0
	for sc.Scan() && len(arts) < 200 {
		var a detente.Article
		if json.Unmarshal(sc.Bytes(), &a) != nil || a.Body == "" {
			continue
		}
		ca := clean.Article(&a)
		ann := an.Annotate(ca)
		arts, anns = append(arts, ca), append(anns, ann)
		n += len(ann.Sentences)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuSeconds()
	for b.Loop() {
		for i, a := range arts {
			c.Code(a, anns[i])
		}
	}
	// CPU time (the process's, GC included) is steadier than wall time
	// on a shared machine.
	cpu := cpuSeconds() - cpu0
	b.ReportMetric(float64(n*b.N)/cpu, "sentences/CPU-s")
	b.ReportMetric(float64(len(arts)*b.N)/cpu, "articles/CPU-s")
}
