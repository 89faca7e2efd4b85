package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/detente/detente"
)

func TestPagetextReadsTitleOutletAndBodyVerbatim(t *testing.T) {
	res := readPath(t, "testdata/accord.txt", Options{Published: "2021-06-07", Source: "Ignored Outlet"})
	if len(res.articles) != 1 || len(res.records) != 0 || res.fatal != nil {
		t.Fatalf("got %d articles, errors %v %v", len(res.articles), res.records, res.fatal)
	}
	a := res.articles[0]
	want := &detente.Article{
		Title:     "Finland and Sweden sign border cooperation accord",
		Source:    "Nordic Wire",
		Published: "2021-06-07",
		Origin:    "testdata/accord.txt",
		Body: `["finland", "sweden"]` + "\nShare\nCopied\n" +
			"Finland and Sweden signed an agreement on Monday to expand cooperation on border management, the Finnish Interior Ministry said.\n" +
			"The accord covers joint patrols on the northern border and the exchange of information between the two coast guards.\n" +
			"Both governments said the agreement would take effect on January 1.",
	}
	if !reflect.DeepEqual(a, want) {
		t.Errorf("got\n%+v\nwant\n%+v", a, want)
	}
}

func TestPagetextWithoutOutletLineUsesOptionSource(t *testing.T) {
	res := readPath(t, "testdata/prose.txt", Options{Source: "Port Daily"})
	if len(res.articles) != 1 {
		t.Fatalf("got %v", res)
	}
	a := res.articles[0]
	if a.Title != "Harbor reopens after storm" || a.Source != "Port Daily" || !strings.HasPrefix(a.Body, "The city harbor reopened") {
		t.Errorf("got %+v", a)
	}
}

func TestPagetextLayout(t *testing.T) {
	tests := []struct {
		name, in, title, source, body string
		wantErr                       bool
	}{
		{"a short second line is the outlet", "Title\nCGTN\nBody line.", "Title", "CGTN", "Body line.", false},
		{"a sentence on line two is body, not outlet", "Title\nThe talks ended on Monday.\nMore.", "Title", "", "The talks ended on Monday.\nMore.", false},
		{"a JSON tag line on line two is body", "Title\n[\"china\"]\nText.", "Title", "", "[\"china\"]\nText.", false},
		{"a long second line is body", "Title\n" + strings.Repeat("word ", 12) + "\nText.", "Title", "", strings.TrimSpace(strings.Repeat("word ", 12)) + "\nText.", false},
		{"CRLF, blank lines and a BOM are layout, not text", "\ufeffTitle\r\nOutlet\r\n\r\nPara one.\r\n\r\nPara two.\r\n", "Title", "Outlet", "Para one.\nPara two.", false},
		{"a title alone is an error", "Only a title\n", "", "", "", true},
		{"an empty file is an error", "  \n\n", "", "", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := parsePagetext(tc.in)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("want error, got %+v", a)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != tc.title || a.Source != tc.source || a.Body != tc.body {
				t.Errorf("got title %q source %q body %q", a.Title, a.Source, a.Body)
			}
		})
	}
}

func TestJSONLReadsAlternateFieldNamesAndReportsBadLines(t *testing.T) {
	res := readPath(t, "testdata/articles.jsonl", Options{Source: "Default Wire"})
	if res.fatal != nil {
		t.Fatal(res.fatal)
	}
	want := []*detente.Article{
		{ID: "w1", Title: "Parliament passes budget", Source: "Wire One", URL: "https://example.org/budget", Published: "2021-03-04",
			Body: "The parliament passed the annual budget on Thursday.\nThe vote was 120 to 80.", Origin: "testdata/articles.jsonl:line 1"},
		{ID: "42", Title: "Talks resume in Geneva", Source: "Wire Two", URL: "https://example.org/talks", Published: "2021-03-05T09:30:00Z",
			Body: "Negotiators resumed talks in Geneva on Friday.", Tags: []string{"diplomacy", "geneva"}, Author: "A. Writer", Language: "en",
			Origin: "testdata/articles.jsonl:line 2"},
		{Title: "Port strike ends", Source: "news.example.com", Published: "2021-03-06T08:00:00Z", Body: "Dock workers ended their strike on Saturday.",
			Tags: []string{"labor", "ports"}, Author: "B. Reporter, C. Editor", Origin: "testdata/articles.jsonl:line 4"},
		{Title: "Ministers meet", Source: "Wire Three", Published: "2021-03-07T09:00:00Z", Language: "de",
			Body: "Foreign ministers met in Vienna.\nThey agreed to meet again.", Origin: "testdata/articles.jsonl:line 6"},
	}
	if len(res.articles) != len(want) {
		t.Fatalf("got %d articles, want %d", len(res.articles), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(res.articles[i], want[i]) {
			t.Errorf("article %d:\ngot  %+v\nwant %+v", i, res.articles[i], want[i])
		}
	}
	var got []string
	for _, e := range res.records {
		got = append(got, e.Origin)
	}
	if !reflect.DeepEqual(got, []string{"testdata/articles.jsonl:line 3", "testdata/articles.jsonl:line 5"}) {
		t.Errorf("record errors at %v", got)
	}
	if msg := res.records[0].Error(); !strings.HasPrefix(msg, "testdata/articles.jsonl:line 3: invalid JSON") {
		t.Errorf("message %q", msg)
	}
}

func TestJSONArrayFileReadsEachItem(t *testing.T) {
	res := readPath(t, "testdata/array.json", Options{})
	if len(res.articles) != 2 || res.articles[1].Body != "Second body." || res.articles[1].Origin != "testdata/array.json:item 2" {
		t.Fatalf("got %+v", res)
	}
}

func TestJSONLDateForms(t *testing.T) {
	tests := []struct{ in, want string }{
		{`"2019-01-04"`, "2019-01-04"},
		{`"2019-01-04T10:00:00+02:00"`, "2019-01-04T08:00:00Z"},
		{`"Fri, 04 Jan 2019 10:00:00 GMT"`, "2019-01-04T10:00:00Z"},
		{`1546596000`, "2019-01-04T10:00:00Z"},
		{`1546596000000`, "2019-01-04T10:00:00Z"},
		{`"last Tuesday"`, ""},
		{`null`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			a, err := decodeArticle([]byte(`{"body":"x","published":` + tc.in + `}`))
			if err != nil {
				t.Fatal(err)
			}
			if a.Published != tc.want {
				t.Errorf("got %q, want %q", a.Published, tc.want)
			}
		})
	}
}

// repeatReader yields n bytes of b without holding them.
type repeatReader struct {
	b byte
	n int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	for i := range p {
		p[i] = r.b
	}
	r.n -= int64(len(p))
	return len(p), nil
}

func TestJSONLHugeLineIsARecordErrorWithBoundedMemory(t *testing.T) {
	const lineBytes = 200 << 20 // a 200 MB line, streamed, never on disk
	const limit = 1 << 20
	in := io.MultiReader(
		strings.NewReader(`{"title":"before","body":"kept"}`+"\n"+`{"body":"`),
		&repeatReader{b: 'x', n: lineBytes},
		strings.NewReader(`"}`+"\n"+`{"title":"after","body":"also kept"}`+"\n"),
	)
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	r, err := NewReader(in, "huge.jsonl", Options{MaxRecordBytes: limit})
	if err != nil {
		t.Fatal(err)
	}
	res := drain(t, r)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if len(res.articles) != 2 || res.articles[1].Body != "also kept" || res.articles[1].Origin != "huge.jsonl:line 3" {
		t.Fatalf("got %+v", res.articles)
	}
	if len(res.records) != 1 || res.records[0].Origin != "huge.jsonl:line 2" || !strings.Contains(res.records[0].Error(), "record limit") {
		t.Fatalf("got record errors %v", res.records)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
		t.Errorf("allocated %d MB reading a 200 MB line with a 1 MB cap", alloc>>20)
	}
}

func TestHTMLPageBecomesOneArticle(t *testing.T) {
	res := readPath(t, "testdata/page.html", Options{Source: "Unused"})
	if len(res.articles) != 1 {
		t.Fatalf("got %+v", res)
	}
	a := res.articles[0]
	if a.Title != "Rivers flood farmland after heavy rain" || a.Source != "Valley Times" || a.Published != "2022-05-17" || a.Author != "Dana Field" {
		t.Errorf("metadata %+v", a)
	}
	if !strings.Contains(a.Body, "Emergency crews evacuated forty families") || strings.Contains(a.Body, "All rights reserved") {
		t.Errorf("body %q", a.Body)
	}
	if strings.Contains(a.Body, "\n\n") {
		t.Errorf("body has blank lines: %q", a.Body)
	}
}

func TestGzippedHTMLIsReadTransparently(t *testing.T) {
	page, _ := os.ReadFile("testdata/page.html")
	p := writeFile(t, filepath.Join(t.TempDir(), "page.html.gz"), gzipBytes(page))
	res := readPath(t, p, Options{})
	if len(res.articles) != 1 || !strings.Contains(res.articles[0].Body, "Two rivers burst their banks") {
		t.Fatalf("got %+v", res)
	}
}

func TestHTMLWithoutTextIsARecordError(t *testing.T) {
	res, err := readBytes(t, "empty.html", []byte("<html><head><title>x</title></head><body></body></html>"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.articles) != 0 || len(res.records) != 1 || res.records[0].Origin != "empty.html" {
		t.Fatalf("got %+v", res)
	}
}

func TestRSSItems(t *testing.T) {
	res := readPath(t, "testdata/rss.xml", Options{PageCache: "testdata/cache", Published: "2020-01-01"})
	if len(res.articles) != 3 {
		t.Fatalf("got %d articles: %+v", len(res.articles), res)
	}
	content, summary, cached := res.articles[0], res.articles[1], res.articles[2]
	if content.Body != "Ferry service to the islands was restored on Tuesday after repairs to the main pier were completed, the port authority said.\nThe first ferry left at seven in the morning with about two hundred passengers." ||
		content.TextFrom != "" || content.Source != "Harbor Gazette" || content.Published != "2022-05-10T06:00:00Z" ||
		content.Author != "Lee Harbor" || !reflect.DeepEqual(content.Tags, []string{"transport"}) || content.Language != "en" ||
		content.URL != "https://example.org/news/ferry" || content.Origin != "testdata/rss.xml:item 1" {
		t.Errorf("content item %+v", content)
	}
	if summary.Body != "The fish market will add twenty stalls next year." || summary.TextFrom != "summary" {
		t.Errorf("summary item %+v", summary)
	}
	if !strings.Contains(cached.Body, "Emergency crews evacuated forty families") || cached.TextFrom != "" || cached.Published != "2022-05-17" {
		t.Errorf("cached item %+v", cached)
	}
	if len(res.records) != 1 || res.records[0].Origin != "testdata/rss.xml:item 4" {
		t.Errorf("record errors %v", res.records)
	}
}

func TestRSSWithoutPageCacheFallsBackToSummary(t *testing.T) {
	res := readPath(t, "testdata/rss.xml", Options{Source: "Gazette"})
	a := res.articles[2]
	if a.Body != "Flood summary only." || a.TextFrom != "summary" || a.Source != "Gazette" || a.Published != "" {
		t.Errorf("got %+v", a)
	}
}

func TestAtomEntries(t *testing.T) {
	res := readPath(t, "testdata/atom.xml", Options{})
	if len(res.articles) != 2 || len(res.records) != 0 {
		t.Fatalf("got %+v", res)
	}
	a, b := res.articles[0], res.articles[1]
	if a.Body != "The mountain pass reopened to traffic on Wednesday after crews cleared a rockslide." || a.Author != "Sam Ridge" ||
		a.Published != "2022-06-01T06:00:00Z" || a.URL != "https://example.org/pass" || a.Source != "Mountain Post" {
		t.Errorf("entry 1 %+v", a)
	}
	if b.TextFrom != "summary" || b.Published != "2022-06-02T07:00:00Z" {
		t.Errorf("entry 2 %+v", b)
	}
}

func TestFeedPageCacheFindsPagesByURLHash(t *testing.T) {
	dir := t.TempDir()
	u := "https://example.org/a?id=1"
	sum := sha256.Sum256([]byte(u))
	page, _ := os.ReadFile("testdata/page.html")
	writeFile(t, filepath.Join(dir, hex.EncodeToString(sum[:])+".html.gz"), gzipBytes(page))
	got, ok := cachedPage(dir, u)
	if !ok || !bytes.Equal(got, page) {
		t.Fatalf("page not found by hash")
	}
	if _, ok := cachedPage(dir, "https://example.org/../../etc/passwd"); ok {
		t.Errorf("found a page outside the cache")
	}
}

func TestWARCReadsHTMLResponsesOnly(t *testing.T) {
	res, err := readBytes(t, "news.warc.gz", warcMembers(t, nil), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.articles) != 2 || len(res.records) != 0 || res.fatal != nil {
		t.Fatalf("got %+v", res)
	}
	a := res.articles[0]
	if a.URL != "https://example.org/flood" || a.Crawled != "2022-05-18T10:20:30Z" || a.Published != "2022-05-17" ||
		!strings.Contains(a.Body, "Two rivers burst their banks") || !strings.HasPrefix(a.Origin, "news.warc.gz:offset ") {
		t.Errorf("got %+v", a)
	}
}

func TestUncompressedWARC(t *testing.T) {
	page := testPage(t)
	data := warcRecord(t, 2, "https://example.org/x", "application/http;msgtype=response", httpResponse("200 OK", "text/html", page))
	res, err := readBytes(t, "plain.warc", data, Options{})
	if err != nil || len(res.articles) != 1 || res.articles[0].Origin != "plain.warc:offset 0" {
		t.Fatalf("got %+v, %v", res, err)
	}
}

func TestWARCBadRecordIsReportedAndReadingGoesOn(t *testing.T) {
	tests := []struct {
		name     string
		bad      []byte
		articles int
	}{
		// The truncated member's inflater runs into the next member, so the
		// record after it is lost too; the one after that is read.
		{"a truncated gzip member", func() []byte {
			g := gzipBytes([]byte("WARC/1.1\r\nWARC-Type: resource\r\n\r\nabc"))
			return g[:len(g)-10]
		}(), 1},
		{"a gzip member that holds no WARC record", gzipBytes([]byte("garbage in gzip")), 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := readBytes(t, "bad.warc.gz", warcMembers(t, tc.bad), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.articles) != tc.articles || len(res.records) != 1 || res.fatal != nil {
				t.Fatalf("got %d articles, errors %v, fatal %v", len(res.articles), res.records, res.fatal)
			}
			if !strings.HasPrefix(res.records[0].Origin, "bad.warc.gz:offset ") {
				t.Errorf("origin %q", res.records[0].Origin)
			}
		})
	}
}

func TestTruncatedWARCKeepsRecordsReadBefore(t *testing.T) {
	data := warcMembers(t, nil)
	res, err := readBytes(t, "cut.warc.gz", data[:len(data)-200], Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.articles) != 1 || len(res.records)+btoi(res.fatal != nil) == 0 {
		t.Fatalf("got %d articles, errors %v, fatal %v", len(res.articles), res.records, res.fatal)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name, file, head, want string
		wantErr                bool
	}{
		{"a WARC by its magic, whatever its name", "x.txt", "WARC/1.1\r\n", FormatWARC, false},
		{"an RSS document", "feed", `<?xml version="1.0"?><rss version="2.0">`, FormatFeed, false},
		{"an Atom document after a comment", "f.xml", `<?xml version="1.0"?><!-- c --><feed xmlns="http://www.w3.org/2005/Atom">`, FormatFeed, false},
		{"an RSS 1.0 document", "f", `<rdf:RDF xmlns:rdf="x">`, FormatFeed, false},
		{"an HTML page", "page", "<!DOCTYPE html><html><head>", FormatHTML, false},
		{"an HTML page named .xml", "x.xml", "<html><body>", FormatHTML, false},
		{"a JSON Feed", "feed.json", `{"version": "https://jsonfeed.org/version/1.1", "items": []}`, FormatFeed, false},
		{"a JSON line", "x.jsonl", `{"title": "t"}`, FormatJSONL, false},
		{"a JSON array", "x.json", `[{"title": "t"}]`, FormatJSONL, false},
		{"page text in a .txt file", "a.txt", "Title\nOutlet\nBody", FormatPagetext, false},
		{"page text without extension", "article", "Title\nOutlet\nBody", FormatPagetext, false},
		{"an empty .jsonl file by its extension", "x.jsonl.gz", "", FormatJSONL, false},
		{"an empty file without extension", "x", "", "", true},
		{"a PNG", "x.txt", "\x89PNG\r\n\x1a\n", "", true},
		{"text with NUL bytes", "x.txt", "abc\x00def", "", true},
		{"a Markdown file", "README.md", "# Title\ntext", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Detect(tc.file, []byte(tc.head))
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("Detect(%q) = %q, %v; want %q, error %v", tc.file, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestWalkReadsTreeSkippingHiddenAndReportingBadFiles(t *testing.T) {
	var origins, errs []string
	err := Walk(context.Background(), []string{"testdata/tree", "testdata/missing.txt"}, Options{}, func(a *detente.Article, err error) error {
		if err != nil {
			var re *RecordError
			if !errors.As(err, &re) {
				t.Errorf("error %v is not a *RecordError", err)
			}
			errs = append(errs, err.Error())
			return nil
		}
		origins = append(origins, a.Origin)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	wantOrigins := []string{
		"testdata/tree/a.txt",
		"testdata/tree/sub/b.jsonl:line 1", "testdata/tree/sub/b.jsonl:line 2",
		"testdata/tree/sub/b.jsonl:line 4", "testdata/tree/sub/b.jsonl:line 6",
	}
	if !reflect.DeepEqual(origins, wantOrigins) {
		t.Errorf("articles from %v", origins)
	}
	if len(errs) != 4 || !strings.Contains(errs[2], "image.png: not a text/news format") || !strings.HasPrefix(errs[3], "testdata/missing.txt: ") {
		t.Errorf("errors %q", errs)
	}
}

func TestWalkStopsWhenCallbackFails(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := Walk(context.Background(), []string{"testdata/tree"}, Options{}, func(a *detente.Article, err error) error {
		n++
		return stop
	})
	if err != stop || n != 1 {
		t.Errorf("got %v after %d calls", err, n)
	}
}

func TestWalkStopsWhenContextIsDone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Walk(ctx, []string{"testdata/tree"}, Options{}, func(*detente.Article, error) error {
		t.Error("callback called after cancel")
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v", err)
	}
}

func TestOpenReadsStandardInput(t *testing.T) {
	f, err := os.Open("testdata/articles.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	old := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = old }()
	res := readPath(t, "-", Options{})
	if len(res.articles) != 4 || res.articles[0].Origin != "stdin:line 1" {
		t.Fatalf("got %+v", res)
	}
}

func TestInvalidUTF8IsReplacedNotFatal(t *testing.T) {
	tests := []struct{ name, file, data string }{
		{"page text", "bad.txt", "Title \xff\nOutlet\nBody with a bad \xfe byte.\n"},
		{"a JSON line", "bad.jsonl", "{\"title\":\"Title \xff\",\"body\":\"Body with a bad \xfe byte.\"}\n"},
		{"an RSS feed", "bad.xml", "<rss><channel><title>F</title><item><title>Title \xff</title><description>Body with a bad \xfe byte.</description></item></channel></rss>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := readBytes(t, tc.file, []byte(tc.data), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.articles) != 1 {
				t.Fatalf("got %+v", res)
			}
			a := res.articles[0]
			if a.Title != "Title \uFFFD" || a.Body != "Body with a bad \uFFFD byte." {
				t.Errorf("got title %q body %q", a.Title, a.Body)
			}
		})
	}
}

func TestTruncatedGzipKeepsArticlesReadBefore(t *testing.T) {
	var lines strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&lines, `{"id":"%d","title":"t","body":"article number %d with some text"}`+"\n", i, i)
	}
	gz := gzipBytes([]byte(lines.String()))
	p := writeFile(t, filepath.Join(t.TempDir(), "cut.jsonl.gz"), gz[:len(gz)/2])
	res := readPath(t, p, Options{})
	if len(res.articles) == 0 || len(res.articles) >= 2000 {
		t.Fatalf("got %d articles", len(res.articles))
	}
	if res.fatal == nil || !strings.Contains(res.fatal.Error(), "truncated or corrupt") {
		t.Errorf("fatal error %v", res.fatal)
	}
}

func TestBinaryFileIsAPerFileError(t *testing.T) {
	_, _, err := Open("testdata/tree/sub/image.png", Options{})
	var re *RecordError
	if !errors.As(err, &re) || !errors.Is(err, ErrNotText) || re.Origin != "testdata/tree/sub/image.png" {
		t.Errorf("got %v", err)
	}
}

func TestInvalidPublishedOptionIsRejected(t *testing.T) {
	if _, _, err := Open("testdata/accord.txt", Options{Published: "yesterday"}); err == nil {
		t.Error("want an error for a published option that is not a date")
	}
}

func TestSeedArticleAcceptance(t *testing.T) {
	p := sharedDir(t, "seed/cgtn-2017-beijing-seoul-thaad.txt")
	res := readPath(t, p, Options{Published: "2017-10-31"})
	if len(res.articles) != 1 {
		t.Fatalf("got %+v", res)
	}
	a := res.articles[0]
	lines := strings.Split(a.Body, "\n")
	if a.Title != "Beijing and Seoul agree to 'normalize' ties after THAAD" || a.Source != "CGTN" || a.Published != "2017-10-31" || a.URL != "" {
		t.Errorf("metadata %+v", a)
	}
	// Tag line, Share, Copied, nine paragraphs and the caption twice: the
	// clean package takes it from here.
	if len(lines) != 14 || lines[0] != `["china"]` || lines[1] != "Share" || lines[2] != "Copied" || lines[7] != lines[8] ||
		!strings.HasPrefix(lines[3], "China and South Korea have agreed") || !strings.HasSuffix(lines[13], "in Vietnam on November 10-11.") {
		t.Errorf("body lines %q", lines)
	}
}

func TestSharedCorporaReadWithoutErrors(t *testing.T) {
	for _, c := range []struct {
		file string
		n    int
	}{{"corpora/wikinews-2019-2020.jsonl", 295}, {"corpora/allsides-intl-5720.jsonl", 5720}} {
		t.Run(c.file, func(t *testing.T) {
			res := readPath(t, sharedDir(t, c.file), Options{})
			if len(res.articles) != c.n || len(res.records) != 0 || res.fatal != nil {
				t.Errorf("got %d articles, %d record errors (%v), fatal %v", len(res.articles), len(res.records), res.records, res.fatal)
			}
			for _, a := range res.articles {
				if a.ID == "" || a.Title == "" || a.Source == "" || a.Body == "" {
					t.Fatalf("incomplete article %+v", a.Origin)
				}
			}
		})
	}
}

func TestJSONFeedItems(t *testing.T) {
	feed := `{"version": "https://jsonfeed.org/version/1.1", "title": "JSON Wire", "items": [
		{"id": "1", "url": "https://example.org/j1", "title": "Dam completed", "content_html": "<p>The dam was completed on Friday.</p><p>It took six years.</p>", "date_published": "2022-07-01T10:00:00Z", "tags": ["energy"]},
		{"id": "2", "url": "https://example.org/j2", "title": "Plain item", "content_text": "A plain text item."}]}`
	res, err := readBytes(t, "feed.json", []byte(feed), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.articles) != 2 || len(res.records) != 0 {
		t.Fatalf("got %+v", res)
	}
	a := res.articles[0]
	if a.Body != "The dam was completed on Friday.\nIt took six years." || a.Source != "JSON Wire" || a.Published != "2022-07-01T10:00:00Z" ||
		!reflect.DeepEqual(a.Tags, []string{"energy"}) {
		t.Errorf("got %+v", a)
	}
	if res.articles[1].Body != "A plain text item." {
		t.Errorf("got %+v", res.articles[1])
	}
}

func TestFormatOptionOverridesDetection(t *testing.T) {
	// Without the option this JSON line in a .txt file is read as JSONL;
	// with it, the same bytes are one page of text.
	data := []byte(`{"title": "t", "body": "b"}` + "\nThe second line is a sentence.\n")
	res, err := readBytes(t, "x.txt", data, Options{Format: FormatPagetext})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.articles) != 1 || res.articles[0].Body != "The second line is a sentence." {
		t.Errorf("got %+v", res)
	}
	if _, err := readBytes(t, "x.txt", data, Options{Format: "csv"}); err == nil {
		t.Error("want an error for an unknown format")
	}
}

func TestOversizedSingleRecordFilesAreRecordErrors(t *testing.T) {
	page, _ := os.ReadFile("testdata/page.html")
	text, _ := os.ReadFile("testdata/accord.txt")
	feed, _ := os.ReadFile("testdata/rss.xml")
	tests := []struct {
		name, file string
		data       []byte
	}{
		{"an HTML page", "p.html", page},
		{"a page text", "a.txt", text},
		{"a feed", "f.xml", feed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := readBytes(t, tc.file, tc.data, Options{MaxRecordBytes: 100})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.articles) != 0 || len(res.records)+btoi(res.fatal != nil) != 1 {
				t.Fatalf("got %+v", res)
			}
			var msg string
			if res.fatal != nil {
				msg = res.fatal.Error()
			} else {
				msg = res.records[0].Error()
			}
			if !strings.Contains(msg, "100-byte record limit") {
				t.Errorf("message %q", msg)
			}
		})
	}
}

func TestWARCPayloadKeptWithGzipContentEncodingIsDecoded(t *testing.T) {
	body := string(gzipBytes([]byte(testPage(t))))
	resp := "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n" + body
	data := gzipBytes(warcRecord(t, 2, "https://example.org/gz", "application/http;msgtype=response", resp))
	res, err := readBytes(t, "enc.warc.gz", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.articles) != 1 || !strings.Contains(res.articles[0].Body, "Two rivers burst their banks") {
		t.Fatalf("got %+v", res)
	}
}

// A URL in another encoding than UTF-8 (here a WARC target URI in Latin-1)
// keeps every byte, percent-encoded, so the article's text stays valid
// UTF-8 and the address still names the page.
func TestWARCTargetURIInLatin1IsPercentEncoded(t *testing.T) {
	data := warcRecord(t, 2, "https://example.org/caf\xe9", "application/http;msgtype=response", httpResponse("200 OK", "text/html", testPage(t)))
	res, err := readBytes(t, "latin1.warc", data, Options{})
	if err != nil || len(res.articles) != 1 {
		t.Fatalf("got %+v, %v", res, err)
	}
	if got := res.articles[0].URL; got != "https://example.org/caf%E9" {
		t.Errorf("URL = %q, want https://example.org/caf%%E9", got)
	}
}

func TestURLText(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.org/café":            "https://example.org/café",
		"  https://example.org/a b \n":        "https://example.org/a b",
		"https://example.org/caf\xe9":         "https://example.org/caf%E9",
		"https://example.org/\xff\xfe?q=\xc3": "https://example.org/%FF%FE?q=%C3",
		"":                                    "",
	} {
		if got := urlText(in); got != want || !utf8.ValidString(got) {
			t.Errorf("urlText(%q) = %q, want %q", in, got, want)
		}
	}
}
