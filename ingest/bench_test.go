package ingest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

// benchRead reads data b.N times, reporting bytes per second.
func benchRead(b *testing.B, name string, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(data), name, Options{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		b.ReportMetric(float64(n), "articles/op")
	}
}

func generatedJSONL(n int) []byte {
	var s strings.Builder
	para := strings.Repeat("The ministers met on Tuesday and agreed to resume talks next month. ", 6)
	for i := range n {
		fmt.Fprintf(&s, `{"id":"g%d","title":"Generated article %d","source":"Wire","url":"https://example.org/%d","published":"2021-01-02","body":"%s\n\n%s\n\n%s"}`+"\n", i, i, i, para, para, para)
	}
	return []byte(s.String())
}

func BenchmarkJSONL(b *testing.B) {
	b.Run("generated", func(b *testing.B) { benchRead(b, "g.jsonl", generatedJSONL(2000)) })
	b.Run("allsides", func(b *testing.B) {
		data, err := os.ReadFile(sharedDir(b, "corpora/allsides-intl-5720.jsonl"))
		if err != nil {
			b.Fatal(err)
		}
		benchRead(b, "allsides.jsonl", data)
	})
}

func BenchmarkPagetext(b *testing.B) {
	data, _ := os.ReadFile("testdata/accord.txt")
	benchRead(b, "a.txt", data)
}

func BenchmarkHTML(b *testing.B) {
	data, _ := os.ReadFile("testdata/page.html")
	benchRead(b, "p.html", data)
}

func BenchmarkFeed(b *testing.B) {
	var s strings.Builder
	s.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>`)
	for i := range 200 {
		fmt.Fprintf(&s, `<item><title>Item %d</title><link>https://example.org/%d</link><pubDate>Tue, 10 May 2022 08:00:00 +0000</pubDate><description>&lt;p&gt;Summary of item %d, with &lt;b&gt;markup&lt;/b&gt;.&lt;/p&gt;</description></item>`, i, i, i)
	}
	s.WriteString(`</channel></rss>`)
	benchRead(b, "b.xml", []byte(s.String()))
}

func BenchmarkWARC(b *testing.B) {
	benchRead(b, "b.warc.gz", warcMembers(b, nil))
}
