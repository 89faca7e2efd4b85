package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http/httputil"
	"strings"
	"time"

	"github.com/detente/detente"
	gowarc "github.com/nlnwa/gowarc/v3"
)

// warcReader reads a WARC file, plain or gzip-compressed record by record
// (the CC-NEWS layout), with gowarc. Only response records with HTTP status
// 200 and an HTML content type become articles, through extract.HTML;
// everything else (warcinfo, requests, redirects, images) is skipped.
// WARC-Target-URI is the URL, WARC-Date the Crawled time; the publication
// date comes from the page's own metadata.
//
// gowarc runs in its default lenient mode: spec violations (a wrong digest,
// a missing CRLF) are ignored; a record it cannot parse is a *RecordError
// at its byte offset, and the next call scans forward to the next record.
// When no progress is possible the file ends with an error, keeping the
// articles already read.
type warcReader struct {
	wr      *gowarc.WarcFileReader
	name    string
	opts    Options
	err     error
	lastBad int64 // end of the last failed record, to detect no progress
	bad     int   // consecutive failures
}

// maxWARCFailures bounds how long the reader tries to resynchronize on a
// damaged file before giving up on it.
const maxWARCFailures = 1000

func newWARCReader(r *bufio.Reader, name string, opts Options) (*warcReader, error) {
	wr, err := gowarc.NewWarcFileReaderFromStream(r, 0)
	if err != nil {
		return nil, &RecordError{Origin: name, Err: err}
	}
	return &warcReader{wr: wr, name: name, opts: opts, lastBad: -1}, nil
}

func (w *warcReader) Next() (*detente.Article, error) {
	for w.err == nil {
		a, err := w.next()
		if a != nil || err != nil {
			return a, err
		}
	}
	return nil, w.err
}

// next reads one record: an article, a *RecordError, or (nil, nil) for a
// record that is not an article.
func (w *warcReader) next() (a *detente.Article, err error) {
	rec, err := w.wr.Next()
	defer rec.Close()
	// gowarc also says io.EOF for a record cut short inside its own gzip
	// member; only an EOF that consumed nothing is the end of the file.
	if err == io.EOF && rec.WarcRecord == nil && rec.Size <= 0 {
		w.err = io.EOF
		w.wr.Close()
		return nil, nil
	}
	if err == io.EOF {
		err = errors.New("record ends before its header is complete")
	}
	origin := fmt.Sprintf("%s:offset %d", w.name, rec.Offset)
	if err != nil {
		end := rec.Offset + rec.Size
		w.bad++
		if end <= w.lastBad || w.bad > maxWARCFailures {
			w.err = fmt.Errorf("offset %d: cannot find the next WARC record: %v", rec.Offset, err)
			return nil, w.err
		}
		w.lastBad = end
		if isGzipFailure(err) {
			err = fmt.Errorf("gzip: compressed record is truncated or corrupt: %w", err)
		}
		return nil, &RecordError{Origin: origin, Err: fmt.Errorf("bad WARC record: %w", err)}
	}
	w.bad = 0
	r := rec.WarcRecord
	if r == nil || r.Type() != gowarc.Response {
		return nil, nil
	}
	block, ok := r.Block().(gowarc.HttpResponseBlock)
	if !ok {
		return nil, nil
	}
	h := block.HttpHeader()
	if block.HttpStatusCode() != 200 || h == nil {
		return nil, nil
	}
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if mt != "text/html" && mt != "application/xhtml+xml" {
		return nil, nil
	}
	target := r.WarcHeader().GetId(gowarc.WarcTargetURI)
	page, err := w.payload(block, h.Get("Content-Encoding"), h.Get("Transfer-Encoding"))
	if err != nil {
		return nil, &RecordError{Origin: origin, Err: fmt.Errorf("%s: %w", target, err)}
	}
	a, err = extractPage(page, target)
	if err != nil {
		return nil, &RecordError{Origin: origin, Err: fmt.Errorf("%s: %w", target, err)}
	}
	a.URL = target
	if t, err := r.Date(); err == nil {
		a.Crawled = t.UTC().Format(time.RFC3339)
	}
	fillDefaults(a, &w.opts, origin)
	return a, nil
}

// payload reads the HTTP body of a response, capped, undoing a chunked
// transfer encoding and gzip content encoding when the crawler kept them.
func (w *warcReader) payload(block gowarc.HttpResponseBlock, contentEncoding, transferEncoding string) ([]byte, error) {
	pr, err := block.PayloadBytes()
	if err != nil {
		return nil, err
	}
	limit := int64(w.opts.MaxRecordBytes)
	body, err := io.ReadAll(io.LimitReader(pr, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("payload larger than the %d-byte record limit", limit)
	}
	if strings.Contains(strings.ToLower(transferEncoding), "chunked") {
		if dec, err := io.ReadAll(io.LimitReader(httputil.NewChunkedReader(bytes.NewReader(body)), limit+1)); err == nil {
			body = dec
		}
	}
	if strings.Contains(strings.ToLower(contentEncoding), "gzip") && isGzip(body) {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("gzip content encoding: %w", err)
		}
		dec, err := io.ReadAll(io.LimitReader(zr, limit+1))
		if err != nil {
			return nil, fmt.Errorf("gzip content encoding: %w", err)
		}
		if int64(len(dec)) > limit {
			return nil, fmt.Errorf("payload larger than the %d-byte record limit", limit)
		}
		body = dec
	}
	return body, nil
}

func isGzipFailure(err error) bool {
	return errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.Is(err, io.ErrUnexpectedEOF) ||
		strings.Contains(err.Error(), "flate")
}
