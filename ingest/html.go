package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/detente/detente"
	"github.com/detente/detente/ingest/extract"
)

// htmlReader reads one HTML page per file through extract.HTML.
type htmlReader struct {
	r    io.Reader
	name string
	opts Options
	done bool
}

func newHTMLReader(r io.Reader, name string, opts Options) *htmlReader {
	return &htmlReader{r: r, name: name, opts: opts}
}

func (h *htmlReader) Next() (*detente.Article, error) {
	if h.done {
		return nil, io.EOF
	}
	h.done = true
	data, err := io.ReadAll(io.LimitReader(h.r, int64(h.opts.MaxRecordBytes)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > h.opts.MaxRecordBytes {
		return nil, &RecordError{Origin: h.name, Err: fmt.Errorf("page larger than the %d-byte record limit", h.opts.MaxRecordBytes)}
	}
	a, err := extractPage(data, "")
	if err != nil {
		return nil, &RecordError{Origin: h.name, Err: err}
	}
	fillDefaults(a, &h.opts, h.name)
	return a, nil
}

// extractPage runs extract.HTML and holds its result to the body contract.
// A page with no article text is an error, not an empty article.
func extractPage(page []byte, pageURL string) (a *detente.Article, err error) {
	// Extraction runs third-party parsers on untrusted pages: one odd page
	// must cost one record, not the whole run.
	defer func() {
		if r := recover(); r != nil {
			a, err = nil, fmt.Errorf("html extraction failed: %v", r)
		}
	}()
	a, err = extract.HTML(bytes.NewReader(page), pageURL)
	if err != nil {
		if strings.Contains(err.Error(), "not long enough") {
			return nil, fmt.Errorf("no article text found in page (html extraction: %w)", err)
		}
		return nil, fmt.Errorf("html extraction: %w", err)
	}
	a.Body = paragraphs(a.Body)
	// The extractor's fallback returns the title as the text of a page that
	// has none: that is no article either.
	if a.Body == "" || a.Body == oneLine(a.Title) {
		return nil, errors.New("no article text found in page")
	}
	a.Title = oneLine(a.Title)
	a.Source = oneLine(a.Source)
	a.Author = oneLine(a.Author)
	return a, nil
}

// htmlToText turns an HTML fragment (a feed item's content or summary)
// into paragraph text. extract.HTML is not used on fragments although it
// was tried: with no boilerplate to remove, go-trafilatura joined
// paragraphs ("said.The first") and repeated short texts twice.
func htmlToText(fragment string) string {
	return paragraphs(extract.TextFromHTMLFragment(fragment))
}
