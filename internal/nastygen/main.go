// Command nastygen writes ingest/testdata/nasty: small files that expand
// into hostile input — compression bombs, deep nesting, enormous lines,
// entity expansion, NUL bytes, broken encodings, truncated archives. Each is
// made here, by our own code, so the folder can be regenerated and
// reviewed; ingest's TestNastyInputs reads every one and checks it gives a
// clear result in bounded memory.
//
//	go run ./internal/nastygen ingest/testdata/nasty
package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
)

// bombBytes is how far each compression bomb expands: past the 64 MiB
// record limit, so the limit and not the machine stops it.
const bombBytes = 96 << 20

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: nastygen DIR")
	}
	dir := os.Args[1]
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatal(err)
	}
	files := map[string][]byte{
		// A JSONL line of 96 MiB inside a 100 KB gzip file.
		"gzip-bomb.jsonl.gz": gz(cat(`{"title":"bomb","body":"`, repeat('a', bombBytes), "\"}\n",
			`{"title":"After the bomb","source":"Test Wire","body":"The line after the bomb still reads."}`+"\n")),
		// An HTML page whose gzip content encoding expands to 96 MiB, in a
		// WARC record that is itself gzip-compressed.
		"warc-bomb.warc.gz": gz(warcResponse("https://example.org/bomb", gz(cat("<html><body><p>", repeat(' ', bombBytes), "</p></body></html>")), "gzip")),
		// A WARC file cut off in the middle of its second record.
		"truncated.warc.gz": truncatedWARC(),
		// 100,000 nested elements around one paragraph.
		"nested.html.gz": gz(cat("<html><head><title>Nested</title></head><body>",
			strings.Repeat("<div>", 100000), "<p>Deep inside one hundred thousand divisions, a sentence.</p>",
			strings.Repeat("</div>", 100000), "</body></html>")),
		// A body nested 10,000 arrays deep, then a good line.
		"deep.jsonl": cat(`{"title":"deep","body":`, strings.Repeat("[", 10000), strings.Repeat("]", 10000), "}\n",
			`{"title":"Shallow","source":"Test Wire","body":"A flat article after the deep one."}`+"\n"),
		// A JSON array document whose one item nests 10,000 objects.
		"deep-array.json": cat(`[{"title":"deep","body":"x","extra":`, strings.Repeat(`{"a":`, 10000), "1", strings.Repeat("}", 10000), "}]\n"),
		// An RSS feed that defines entities which expand a billion times.
		"billion-laughs.rss": billionLaughs(),
		// A page-text dump whose body is one 70 MiB line, compressed.
		"long-line.txt.gz": gz(cat("A very long title\nTest Wire\n", repeat('x', 70<<20), "\n")),
		// Text with NUL bytes: binary, not news.
		"nul-bytes.txt": []byte("Title\x00\x00\x00\nOutlet\n\x00body\x00\n"),
		// Latin-1 bytes and broken sequences where UTF-8 belongs.
		"invalid-utf8.jsonl": []byte("{\"title\":\"Caf\xe9 talks\",\"source\":\"Test Wire\",\"body\":\"Ministers met in a caf\xe9 \xff\xfe and agreed.\"}\n"),
		// Bidirectional marks, zero-width joiners and combining characters.
		"odd-unicode.txt": []byte("Talks \u202eresume\u202c in Seoul\nTest Wire\n\u200bChina\u200d and South Korea agreed to \u2066resume\u2069 exchanges. e\u0301 \ufeff\n"),
		// Empty files of each kind.
		"empty.jsonl": {},
		"empty.html":  {},
		// A gzip file that is not gzip after its magic bytes.
		"bad-gzip.jsonl.gz": []byte("\x1f\x8b\x08\x00garbage that is not deflate data at all"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

func repeat(b byte, n int) string { return string(bytes.Repeat([]byte{b}, n)) }

func cat(parts ...string) []byte { return []byte(strings.Join(parts, "")) }

func gz(data []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(data); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	return buf.Bytes()
}

// warcResponse is one WARC response record, uncompressed, for an HTTP 200
// HTML page whose body is given as sent (contentEncoding names its
// encoding, "" for none).
func warcResponse(uri string, body []byte, contentEncoding string) []byte {
	var http bytes.Buffer
	http.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n")
	if contentEncoding != "" {
		fmt.Fprintf(&http, "Content-Encoding: %s\r\n", contentEncoding)
	}
	fmt.Fprintf(&http, "Content-Length: %d\r\n\r\n", len(body))
	http.Write(body)
	var rec bytes.Buffer
	fmt.Fprintf(&rec, "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:%s>\r\n"+
		"WARC-Date: 2017-11-01T00:00:00Z\r\nWARC-Target-URI: %s\r\n"+
		"Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n",
		uuidFor(uri), uri, http.Len())
	rec.Write(http.Bytes())
	rec.WriteString("\r\n\r\n")
	return rec.Bytes()
}

// uuidFor is a fixed, well-formed record ID per URI, so the output is
// reproducible.
func uuidFor(uri string) string {
	var h uint64 = 1469598103934665603
	for i := 0; i < len(uri); i++ {
		h = (h ^ uint64(uri[i])) * 1099511628211
	}
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(h), uint16(h>>32), uint16(h>>48)&0xfff, uint16(h>>20)&0xfff, h&0xffffffffffff)
}

func truncatedWARC() []byte {
	page := func(title, text string) []byte {
		return []byte("<html><head><title>" + title + "</title></head><body><article><h1>" + title +
			"</h1><p>" + strings.Repeat(text+" ", 12) + "</p></article></body></html>")
	}
	first := gz(warcResponse("https://example.org/one", page("Ministers meet", "Foreign ministers met in Geneva on Monday to discuss the ceasefire."), ""))
	second := gz(warcResponse("https://example.org/two", page("Talks end", "The talks ended without an agreement on the border."), ""))
	return append(first, second[:len(second)/2]...)
}

func billionLaughs() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?>` + "\n" + `<!DOCTYPE rss [` + "\n" + `<!ENTITY lol "lol">` + "\n")
	prev := "lol"
	for i := 1; i <= 9; i++ {
		name := fmt.Sprintf("lol%d", i)
		b.WriteString(`<!ENTITY ` + name + ` "`)
		for j := 0; j < 10; j++ {
			b.WriteString("&" + prev + ";")
		}
		b.WriteString("\">\n")
		prev = name
	}
	b.WriteString("]>\n<rss version=\"2.0\"><channel><title>Laughs</title><link>https://example.org/</link>" +
		"<item><title>&lol9;</title><link>https://example.org/a</link><description>&lol9;</description></item>" +
		"<item><title>Plain item</title><link>https://example.org/b</link><description>A plain summary of talks.</description></item>" +
		"</channel></rss>\n")
	return []byte(b.String())
}
