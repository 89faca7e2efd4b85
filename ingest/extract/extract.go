// Package extract turns an HTML page into an article: main text and
// metadata (title, date, author, site name, language), with go-trafilatura.
package extract

import (
	"io"
	"net/url"

	"github.com/detente/detente"
	trafilatura "github.com/markusmobius/go-trafilatura"
)

// HTML extracts the main text and metadata of one HTML page. pageURL may be
// empty; when given it helps resolve metadata and becomes the article's URL.
func HTML(r io.Reader, pageURL string) (*detente.Article, error) {
	opts := trafilatura.Options{EnableFallback: true}
	if pageURL != "" {
		if u, err := url.Parse(pageURL); err == nil {
			opts.OriginalURL = u
		}
	}
	res, err := trafilatura.Extract(r, opts)
	if err != nil {
		return nil, err
	}
	a := &detente.Article{
		URL:      pageURL,
		Title:    res.Metadata.Title,
		Author:   res.Metadata.Author,
		Source:   res.Metadata.Sitename,
		Language: res.Metadata.Language,
		Body:     res.ContentText,
		Tags:     res.Metadata.Tags,
	}
	if !res.Metadata.Date.IsZero() {
		a.Published = res.Metadata.Date.UTC().Format("2006-01-02")
	}
	if a.URL == "" {
		a.URL = res.Metadata.URL
	}
	return a, nil
}
