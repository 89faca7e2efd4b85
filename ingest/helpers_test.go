package ingest

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/detente/detente"
	gowarc "github.com/nlnwa/gowarc/v3"

	"github.com/detente/detente/internal/shareddata"
)

// sharedDir returns the path of rel in the shared data folder, skipping
// the test when it is absent.
func sharedDir(t testing.TB, rel string) string {
	t.Helper()
	return shareddata.Require(t, rel)
}

// result is everything one input yielded.
type result struct {
	articles []*detente.Article
	records  []*RecordError // per-record errors
	fatal    error          // the error that ended the input, if any
}

// drain reads r to its end.
func drain(t testing.TB, r Reader) result {
	t.Helper()
	var res result
	for i := 0; ; i++ {
		if i > 100000 {
			t.Fatal("reader does not end")
		}
		a, err := r.Next()
		if err == io.EOF {
			return res
		}
		var re *RecordError
		switch {
		case errors.As(err, &re):
			res.records = append(res.records, re)
		case err != nil:
			res.fatal = err
			return res
		default:
			res.articles = append(res.articles, a)
		}
	}
}

// readPath opens a file and drains it.
func readPath(t testing.TB, path string, opts Options) result {
	t.Helper()
	r, c, err := Open(path, opts)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	defer c.Close()
	return drain(t, r)
}

// readBytes reads in-memory input named name.
func readBytes(t testing.TB, name string, data []byte, opts Options) (result, error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(data), name, opts)
	if err != nil {
		return result{}, err
	}
	return drain(t, r), nil
}

func gzipBytes(data []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	return b.Bytes()
}

func writeFile(t testing.TB, path string, data []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// warcRecord marshals one WARC record of the given type with an HTTP (or
// other) block.
func warcRecord(t testing.TB, typ gowarc.RecordType, uri, contentType, block string) []byte {
	t.Helper()
	b := gowarc.NewRecordBuilder(typ, gowarc.WithAddMissingDigest(false))
	if uri != "" {
		b.AddWarcHeader(gowarc.WarcTargetURI, uri)
	}
	b.AddWarcHeader(gowarc.WarcDate, "2022-05-18T10:20:30Z")
	b.AddWarcHeader(gowarc.ContentType, contentType)
	if _, err := b.WriteString(block); err != nil {
		t.Fatal(err)
	}
	rec, _, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, _, err := gowarc.NewMarshaler().Marshal(&out, rec, 0); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func httpResponse(status, contentType, body string) string {
	return "HTTP/1.1 " + status + "\r\nContent-Type: " + contentType + "\r\n\r\n" + body
}

// testPage is the HTML fixture, for WARC payloads.
func testPage(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("testdata/page.html")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// warcMembers builds a CC-NEWS style WARC: each record its own gzip member.
// bad, when set, is inserted as raw bytes after the second record.
func warcMembers(t testing.TB, bad []byte) []byte {
	t.Helper()
	page := testPage(t)
	recs := [][]byte{
		warcRecord(t, gowarc.Warcinfo, "", "application/warc-fields", "software: detente-test\r\n"),
		warcRecord(t, gowarc.Request, "https://example.org/flood", "application/http;msgtype=request", "GET /flood HTTP/1.1\r\nHost: example.org\r\n\r\n"),
		warcRecord(t, gowarc.Response, "https://example.org/flood", "application/http;msgtype=response", httpResponse("200 OK", "text/html; charset=utf-8", page)),
		warcRecord(t, gowarc.Response, "https://example.org/missing", "application/http;msgtype=response", httpResponse("404 Not Found", "text/html", "<html><body>not found</body></html>")),
		warcRecord(t, gowarc.Response, "https://example.org/logo.png", "application/http;msgtype=response", httpResponse("200 OK", "image/png", "\x89PNG....")),
		warcRecord(t, gowarc.Response, "https://example.org/flood-again", "application/http;msgtype=response", httpResponse("200 OK", "text/html", page)),
	}
	var out bytes.Buffer
	for i, r := range recs {
		out.Write(gzipBytes(r))
		if i == 1 && bad != nil {
			out.Write(bad)
		}
	}
	return out.Bytes()
}
