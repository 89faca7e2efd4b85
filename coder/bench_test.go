package coder

import (
	"strings"
	"testing"

	"github.com/detente/detente"
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
