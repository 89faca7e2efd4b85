package clean

import (
	"strings"
	"testing"

	"github.com/detente/detente"
)

// benchArticle is a typical raw page-text dump: tags, a share bar, a byline,
// a doubled caption, twenty paragraphs and a tail.
func benchArticle() *detente.Article {
	var b strings.Builder
	b.WriteString("[\"china\", \"thaad\"]\nShare\nCopied\nBy John Smith, Reuters\n")
	for i := 0; i < 20; i++ {
		b.WriteString("China and South Korea have agreed to get their relations back on track as soon as possible, ")
		b.WriteString("the Chinese Foreign Ministry said on Tuesday, following high level talks between the two countries.\n")
		if i == 5 {
			b.WriteString("A US military vehicle arrives in Seongju, April 26, 2017. /Reuters Photo\n")
			b.WriteString("A US military vehicle arrives in Seongju, April 26, 2017. /Reuters Photo\n")
		}
	}
	b.WriteString("Related:\nChina protests THAAD\n© 2017 CGTN. All rights reserved.")
	return &detente.Article{Title: " Beijing and Seoul agree ", Source: "CGTN", Published: "Oct 31, 2017", Body: b.String()}
}

func BenchmarkArticle(b *testing.B) {
	b.Run("in-memory", func(b *testing.B) {
		a := benchArticle()
		b.SetBytes(int64(len(a.Body)))
		b.ReportAllocs()
		for b.Loop() {
			Article(a)
		}
	})
	b.Run("allsides", func(b *testing.B) {
		arts := readCorpus(b, "corpora/allsides-intl-5720.jsonl")
		n := 0
		for _, a := range arts {
			n += len(a.Body)
		}
		b.SetBytes(int64(n / len(arts)))
		b.ReportAllocs()
		b.ResetTimer()
		i := 0
		for b.Loop() {
			Article(arts[i%len(arts)])
			i++
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
	})
}
