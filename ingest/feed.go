package ingest

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/detente/detente"
	"github.com/detente/detente/ingest/extract"
	"github.com/mmcdole/gofeed"
)

// feedReader reads an RSS, Atom or JSON Feed document; each item is an
// article. The whole feed (at most MaxRecordBytes) is parsed at once, as
// feeds are small; items are then handed out one at a time.
//
// An item's body is, in order of preference: its full content
// (content:encoded, Atom content) as text; the linked page from
// Options.PageCache run through extract.HTML; its description or summary,
// marked TextFrom "summary". An item with none of these is a *RecordError.
type feedReader struct {
	r     io.Reader
	name  string
	opts  Options
	feed  *gofeed.Feed
	next  int
	err   error
	start bool
	// warning is reported once, before the items: a problem with the
	// feed as a whole that still leaves its items readable.
	warning error
}

func newFeedReader(r io.Reader, name string, opts Options) *feedReader {
	return &feedReader{r: r, name: name, opts: opts, start: true}
}

var dtdEntity = regexp.MustCompile(`<!DOCTYPE[^>\[]*\[[^\]]*<!ENTITY`)

var xmlEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*encoding=["']([^"']+)["']`)

func (f *feedReader) Next() (*detente.Article, error) {
	if f.err != nil {
		return nil, f.err
	}
	if f.start {
		f.start = false
		if err := f.parse(); err != nil {
			f.err = err
			return nil, err
		}
	}
	if f.warning != nil {
		err := &RecordError{Origin: f.name, Err: f.warning}
		f.warning = nil
		return nil, err
	}
	if f.next >= len(f.feed.Items) {
		f.err = io.EOF
		return nil, io.EOF
	}
	f.next++
	origin := fmt.Sprintf("%s:item %d", f.name, f.next)
	a, err := f.article(f.feed.Items[f.next-1])
	if err != nil {
		return nil, &RecordError{Origin: origin, Err: err}
	}
	a.Origin = origin
	if a.Published == "" {
		a.Published = f.opts.Published
	}
	return a, nil
}

func (f *feedReader) parse() (err error) {
	data, err := io.ReadAll(io.LimitReader(f.r, int64(f.opts.MaxRecordBytes)+1))
	if err != nil {
		return err
	}
	if len(data) > f.opts.MaxRecordBytes {
		return fmt.Errorf("feed larger than the %d-byte record limit", f.opts.MaxRecordBytes)
	}
	// Invalid UTF-8 in a UTF-8 feed would stop the XML parser: replace it.
	// Feeds declaring another encoding are left to the parser's decoder.
	if !utf8.Valid(data) {
		m := xmlEncoding.FindSubmatch(data)
		if m == nil || strings.EqualFold(string(m[1]), "utf-8") {
			data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
		}
	}
	// The XML parser never expands entities a document declares, so a
	// "billion laughs" feed costs nothing; say why its text looks odd.
	if dtdEntity.Match(data[:min(len(data), 64<<10)]) {
		f.warning = errors.New("feed declares its own XML entities in a DOCTYPE; they are not expanded (items that use them keep the raw &name; references)")
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("feed parser failed: %v", r)
		}
	}()
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not a valid RSS, Atom or JSON feed: %w", err)
	}
	f.feed = feed
	return nil
}

func (f *feedReader) article(it *gofeed.Item) (*detente.Article, error) {
	a := &detente.Article{
		Title:    oneLine(htmlToText(it.Title)),
		URL:      strings.TrimSpace(it.Link),
		Source:   oneLine(f.feed.Title),
		Language: extract.Language(f.feed.Language),
	}
	if f.opts.Source != "" {
		a.Source = f.opts.Source
	}
	if a.URL == "" && len(it.Links) > 0 {
		a.URL = strings.TrimSpace(it.Links[0])
	}
	if a.URL == "" && strings.HasPrefix(it.GUID, "http") {
		a.URL = strings.TrimSpace(it.GUID)
	}
	if t := it.PublishedParsed; t != nil {
		a.Published = t.UTC().Format(time.RFC3339)
	} else if t := it.UpdatedParsed; t != nil {
		a.Published = t.UTC().Format(time.RFC3339)
	}
	for _, c := range it.Categories {
		if c = oneLine(c); c != "" {
			a.Tags = append(a.Tags, c)
		}
	}
	var authors []string
	for _, p := range it.Authors {
		if p != nil && oneLine(p.Name) != "" {
			authors = append(authors, oneLine(p.Name))
		}
	}
	if len(authors) == 0 && it.Author != nil {
		authors = append(authors, oneLine(it.Author.Name))
	}
	a.Author = strings.Join(authors, ", ")

	if it.Content != "" {
		a.Body = htmlToText(it.Content)
	}
	if a.Body == "" && a.URL != "" && f.opts.PageCache != "" {
		if page, ok := cachedPage(f.opts.PageCache, a.URL); ok {
			if p, err := extractPage(page, a.URL); err == nil {
				a.Body = p.Body
				if a.Published == "" {
					a.Published = p.Published
				}
				if a.Author == "" {
					a.Author = p.Author
				}
				if a.Language == "" {
					a.Language = p.Language
				}
				if a.Title == "" {
					a.Title = p.Title
				}
			}
		}
	}
	if a.Body == "" && it.Description != "" {
		a.Body = htmlToText(it.Description)
		a.TextFrom = "summary"
	}
	if a.Body == "" {
		return nil, errors.New("feed item has no content, cached page or summary")
	}
	return a, nil
}

// FeedPageCachePaths lists where Options.PageCache may hold the page a
// feed item links to, in the order they are tried:
//
//	<dir>/<sha256 of the URL, hex>.html   (or .html.gz)
//	<dir>/<host>/<path>                   (a mirror, as wget -x writes it;
//	                                       <path>/index.html for a directory,
//	                                       each also with .html or .gz added)
//
// The URL is hashed exactly as it appears in the feed. Paths never leave
// the cache directory.
func FeedPageCachePaths(dir, pageURL string) []string {
	sum := sha256.Sum256([]byte(pageURL))
	h := hex.EncodeToString(sum[:])
	out := []string{filepath.Join(dir, h+".html"), filepath.Join(dir, h+".html.gz")}
	u, err := url.Parse(pageURL)
	if err != nil || u.Host == "" {
		return out
	}
	host := strings.ToLower(u.Host)
	if strings.ContainsAny(host, `/\`) || host == "." || host == ".." {
		return out
	}
	p := path.Clean("/" + u.Path) // rooted, so ".." cannot climb out
	base := filepath.Join(dir, host, filepath.FromSlash(p))
	var cands []string
	if strings.HasSuffix(u.Path, "/") || p == "/" {
		cands = []string{filepath.Join(base, "index.html")}
	} else {
		cands = []string{base, base + ".html", filepath.Join(base, "index.html")}
	}
	for _, c := range cands {
		out = append(out, c, c+".gz")
	}
	return out
}

// cachedPage returns the cached page for pageURL, decompressed.
func cachedPage(dir, pageURL string) ([]byte, bool) {
	for _, p := range FeedPageCachePaths(dir, pageURL) {
		st, err := os.Stat(p)
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if isGzip(data) {
			zr, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				continue
			}
			if data, err = io.ReadAll(zr); err != nil {
				continue
			}
		}
		return data, true
	}
	return nil, false
}
