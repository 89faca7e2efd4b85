package nlp

import (
	"strings"
	"testing"
)

// BenchmarkSegment measures sentences per second of Segment, Acronyms and
// Quotes together on AllSides bodies (on a synthetic article when the
// shared data is absent).
func BenchmarkSegment(b *testing.B) {
	bodies := benchBodies(b)
	sents, bytes := 0, 0
	for _, body := range bodies {
		sents += len(Segment(body).Sentences)
		bytes += len(body)
	}
	b.Run("segment", func(b *testing.B) {
		b.SetBytes(int64(bytes))
		b.ReportAllocs()
		for b.Loop() {
			for _, body := range bodies {
				Segment(body)
			}
		}
		b.ReportMetric(float64(sents)*float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
	})
	b.Run("segment+acronyms+quotes", func(b *testing.B) {
		b.SetBytes(int64(bytes))
		b.ReportAllocs()
		for b.Loop() {
			for _, body := range bodies {
				tx := Segment(body)
				tx.Acronyms()
				tx.Quotes()
			}
		}
		b.ReportMetric(float64(sents)*float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
	})
}

func benchBodies(b *testing.B) []string {
	if tryShared("corpora/allsides-intl-5720.jsonl") != "" {
		return readBodies(b, "corpora/allsides-intl-5720.jsonl", 1000)
	}
	var sb strings.Builder
	for i := 0; i < 30; i++ {
		sb.WriteString(`"Both sides agreed," the U.S. State Department said on Nov. 10. Gen. John F. Kennedy Jr. met the Terminal High Altitude Area Defense (THAAD) team at 9 a.m. in Seoul.` + "\n\n")
	}
	return []string{sb.String()}
}
