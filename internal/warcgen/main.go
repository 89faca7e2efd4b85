// Command warcgen writes examples/crawl.warc.gz, a small WARC file in Common
// Crawl's CC-NEWS layout (one gzip member per record) built from pages the
// project wrote itself. Run it from the repository root:
//
//	go run ./internal/warcgen
package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"log"
	"os"

	gowarc "github.com/nlnwa/gowarc/v3"
)

// page is an article page written for the examples.
const page = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Colombia signs peace agreement with FARC | Detente Examples</title>
<meta property="og:title" content="Colombia signs peace agreement with FARC">
<meta property="og:site_name" content="Detente Examples">
<meta property="article:published_time" content="2016-11-24T16:00:00Z">
</head><body>
<header><a href="/">Home</a> <a href="/americas">Americas</a></header>
<main><article>
<h1>Colombia signs peace agreement with FARC</h1>
<p>Colombian President Juan Manuel Santos and FARC leader Rodrigo Londoño signed a revised peace agreement in Bogotá on November 24, 2016, ending more than five decades of armed conflict.</p>
<p>The new text replaced an earlier deal that voters had narrowly rejected in a referendum on October 2, after the government and the rebels negotiated changes sought by opponents.</p>
<p>Under the agreement the FARC would hand over its weapons to a United Nations mission and become a political party, and special courts would try crimes committed during the conflict.</p>
<p>Congress approved the revised agreement days later, without a second referendum.</p>
</article></main>
<footer>Contact us · Privacy</footer>
</body></html>`

func main() {
	var out bytes.Buffer
	add := func(typ gowarc.RecordType, uri, contentType, block string) {
		b := gowarc.NewRecordBuilder(typ)
		if uri != "" {
			b.AddWarcHeader(gowarc.WarcTargetURI, uri)
		}
		b.AddWarcHeader(gowarc.WarcDate, "2016-11-25T08:00:00Z")
		b.AddWarcHeader(gowarc.ContentType, contentType)
		if _, err := b.WriteString(block); err != nil {
			log.Fatal(err)
		}
		rec, _, err := b.Build()
		if err != nil {
			log.Fatal(err)
		}
		// One gzip member per record, as CC-NEWS files are.
		zw := gzip.NewWriter(&out)
		if _, _, err := gowarc.NewMarshaler().Marshal(zw, rec, 0); err != nil {
			log.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			log.Fatal(err)
		}
	}
	http := func(status, contentType, body string) string {
		return fmt.Sprintf("HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s", status, contentType, len(body), body)
	}
	add(gowarc.Warcinfo, "", "application/warc-fields", "software: detente examples warcgen\r\nformat: WARC File Format 1.1\r\n")
	add(gowarc.Request, "https://example.org/americas/colombia-peace", "application/http; msgtype=request",
		"GET /americas/colombia-peace HTTP/1.1\r\nHost: example.org\r\n\r\n")
	add(gowarc.Response, "https://example.org/americas/colombia-peace", "application/http; msgtype=response",
		http("200 OK", "text/html; charset=utf-8", page))
	add(gowarc.Response, "https://example.org/missing", "application/http; msgtype=response",
		http("404 Not Found", "text/html", "<html><body>Not found</body></html>"))
	add(gowarc.Response, "https://example.org/logo.png", "application/http; msgtype=response",
		http("200 OK", "image/png", "\x89PNG\r\n\x1a\n"))
	if err := os.WriteFile("examples/crawl.warc.gz", out.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
