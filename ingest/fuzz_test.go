package ingest

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/detente/detente"
)

// fuzzRead reads data in a format and checks what every reader promises:
// it ends, never panics, and every article has valid UTF-8 text, a body in
// the paragraph contract and an origin.
func fuzzRead(t *testing.T, name, format string, data []byte) {
	r, err := NewReader(bytes.NewReader(data), name, Options{Format: format, MaxRecordBytes: 1 << 20})
	if err != nil {
		var re *RecordError
		if !errors.As(err, &re) {
			t.Fatalf("NewReader error %v is not a *RecordError", err)
		}
		return
	}
	for i := 0; ; i++ {
		if i > len(data)+10 {
			t.Fatal("reader yields more items than input bytes")
		}
		a, err := r.Next()
		if err == io.EOF {
			return
		}
		var re *RecordError
		if errors.As(err, &re) {
			continue
		}
		if err != nil {
			if _, again := r.Next(); again == nil {
				t.Fatal("reader goes on after a fatal error")
			}
			return
		}
		checkArticle(t, a)
	}
}

func checkArticle(t *testing.T, a *detente.Article) {
	t.Helper()
	if a.Origin == "" {
		t.Error("article without origin")
	}
	if a.Body == "" || strings.Contains(a.Body, "\n\n") || strings.Contains(a.Body, "\r") {
		t.Errorf("body breaks the paragraph contract: %q", a.Body)
	}
	for _, s := range []string{a.Title, a.Body, a.Source, a.Author, a.URL} {
		if !utf8.ValidString(s) {
			t.Errorf("invalid UTF-8 in %q", s)
		}
	}
}

func seedFiles(f *testing.F, paths ...string) {
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
}

func FuzzPagetext(f *testing.F) {
	seedFiles(f, "testdata/accord.txt", "testdata/prose.txt")
	f.Add([]byte("T\n\xff\xfe\r\n\r\nx"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "f.txt", FormatPagetext, data) })
}

func FuzzJSONL(f *testing.F) {
	seedFiles(f, "testdata/articles.jsonl", "testdata/array.json")
	f.Add([]byte(`{"body":["a",1,null],"tags":"x,y","published":1e30,"source":{"name":"S"}}`))
	f.Add([]byte("[1, {\"body\": \"x\"}, ]"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "f.jsonl", FormatJSONL, data) })
}

func FuzzFeed(f *testing.F) {
	seedFiles(f, "testdata/rss.xml", "testdata/atom.xml")
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","content_html":"<p>x</p>"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "f.xml", FormatFeed, data) })
}

func FuzzWARC(f *testing.F) {
	f.Add(warcMembers(f, nil))
	f.Add(warcMembers(f, gzipBytes([]byte("garbage in gzip"))))
	f.Add(warcRecord(f, 2, "https://example.org/x", "application/http;msgtype=response", httpResponse("200 OK", "text/html", "<p>x</p>")))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "f.warc.gz", FormatWARC, data) })
}
