package watch

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/charset"
)

// listed is one item a feed or sitemap lists.
type listed struct {
	URL, Title, Published, Source, Language string
}

// listing is what one poll of a feed found: items, and for a sitemap
// index the sitemaps it points to.
type listing struct {
	items    []listed
	sitemaps []string
}

// parseListing reads an RSS, Atom or JSON feed, a sitemap, a Google News
// sitemap or a sitemap index. Item links are resolved against base and
// lose their fragment; items without an http(s) link are left out.
func parseListing(data []byte, base string) (listing, error) {
	switch root := rootElement(data); root {
	case "urlset":
		return parseSitemap(data, base)
	case "sitemapindex":
		return parseSitemapIndex(data, base)
	}
	return parseFeed(data, base)
}

// rootElement is the local name of an XML document's root, "" when the
// data is not XML.
func rootElement(data []byte) string {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charset.NewReaderLabel
	d.Strict = false
	for range 64 {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local
		}
	}
	return ""
}

func parseFeed(data []byte, base string) (l listing, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("feed parser failed: %v", r)
		}
	}()
	f, err := gofeed.NewParser().Parse(bytes.NewReader(data))
	if err != nil {
		return l, fmt.Errorf("not an RSS, Atom or JSON feed, nor a sitemap: %w", err)
	}
	seen := map[string]bool{}
	for _, it := range f.Items {
		link := it.Link
		if link == "" && len(it.Links) > 0 {
			link = it.Links[0]
		}
		if link == "" && strings.HasPrefix(it.GUID, "http") {
			link = it.GUID
		}
		u := resolve(base, link)
		if u == "" || seen[u] {
			continue
		}
		seen[u] = true
		li := listed{URL: u, Title: strings.TrimSpace(it.Title), Source: strings.TrimSpace(f.Title), Language: strings.TrimSpace(f.Language)}
		if t := it.PublishedParsed; t != nil {
			li.Published = t.UTC().Format(time.RFC3339)
		} else if t := it.UpdatedParsed; t != nil {
			li.Published = t.UTC().Format(time.RFC3339)
		}
		l.items = append(l.items, li)
	}
	return l, nil
}

func parseSitemap(data []byte, base string) (listing, error) {
	var doc struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
			News    struct {
				Title   string `xml:"title"`
				Date    string `xml:"publication_date"`
				Publish struct {
					Name     string `xml:"name"`
					Language string `xml:"language"`
				} `xml:"publication"`
			} `xml:"news"`
		} `xml:"url"`
	}
	if err := unmarshal(data, &doc); err != nil {
		return listing{}, fmt.Errorf("bad sitemap: %w", err)
	}
	var l listing
	seen := map[string]bool{}
	for _, u := range doc.URLs {
		loc := resolve(base, u.Loc)
		if loc == "" || seen[loc] {
			continue
		}
		seen[loc] = true
		pub := strings.TrimSpace(u.News.Date)
		if pub == "" {
			pub = strings.TrimSpace(u.LastMod)
		}
		l.items = append(l.items, listed{URL: loc, Title: strings.TrimSpace(u.News.Title), Published: pub,
			Source: strings.TrimSpace(u.News.Publish.Name), Language: strings.TrimSpace(u.News.Publish.Language)})
	}
	return l, nil
}

func parseSitemapIndex(data []byte, base string) (listing, error) {
	var doc struct {
		Sitemaps []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	if err := unmarshal(data, &doc); err != nil {
		return listing{}, fmt.Errorf("bad sitemap index: %w", err)
	}
	var l listing
	for _, s := range doc.Sitemaps {
		if u := resolve(base, s.Loc); u != "" {
			l.sitemaps = append(l.sitemaps, u)
		}
	}
	return l, nil
}

func unmarshal(data []byte, v any) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charset.NewReaderLabel
	err := d.Decode(v)
	if errors.Is(err, io.EOF) {
		return errors.New("empty document")
	}
	return err
}

// resolve makes link absolute against base, without its fragment; "" when
// it is not an http(s) URL.
func resolve(base, link string) string {
	link = strings.TrimSpace(link)
	if link == "" {
		return ""
	}
	b, err := url.Parse(base)
	if err != nil {
		return ""
	}
	u, err := b.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String()
}
