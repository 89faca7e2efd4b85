package watch

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode"
)

// Feed is one feed or sitemap to watch, with its options.
type Feed struct {
	URL string
	// Name labels the feed in logs (default: its URL).
	Name string
	// Interval between polls (default: the watcher's).
	Interval time.Duration
	// Source is the outlet name given to its articles when the page and
	// feed do not name one, or always when set in the list.
	Source string
	// Language is the ISO 639-1 language of its articles when the page
	// does not say.
	Language string
}

// ParseFeedList reads a feed list: OPML when the file starts with '<',
// otherwise lines of
//
//	URL [name="Some name"] [interval=5m] [source="Outlet"] [language=en]
//
// where blank lines and lines starting with '#' are skipped, so a plain
// file of one URL per line is a feed list too. Values with spaces are
// double-quoted. Errors name the line.
func ParseFeedList(r io.Reader) ([]Feed, error) {
	data, err := io.ReadAll(io.LimitReader(r, 16<<20))
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '<' {
		return parseOPML(t)
	}
	var feeds []Feed
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields, err := splitFields(line)
		if err != nil {
			return nil, fmt.Errorf("feed list line %d: %w", n, err)
		}
		f := Feed{URL: fields[0]}
		if err := checkFeedURL(f.URL); err != nil {
			return nil, fmt.Errorf("feed list line %d: %w", n, err)
		}
		for _, kv := range fields[1:] {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return nil, fmt.Errorf("feed list line %d: %q is not key=value", n, kv)
			}
			switch strings.ToLower(k) {
			case "name":
				f.Name = v
			case "source":
				f.Source = v
			case "language", "lang":
				f.Language = strings.ToLower(v)
			case "interval":
				d, err := time.ParseDuration(v)
				if err != nil || d <= 0 {
					return nil, fmt.Errorf("feed list line %d: interval %q is not a positive duration like 5m", n, v)
				}
				f.Interval = d
			default:
				return nil, fmt.Errorf("feed list line %d: unknown option %q (want name, interval, source, language)", n, k)
			}
		}
		if seen[f.URL] {
			continue
		}
		seen[f.URL] = true
		feeds = append(feeds, f)
	}
	return feeds, sc.Err()
}

// splitFields splits a line on spaces outside double quotes, unquoting.
func splitFields(line string) ([]string, error) {
	var out []string
	var b strings.Builder
	inQuote, have := false, false
	for _, r := range line {
		switch {
		case r == '"':
			inQuote, have = !inQuote, true
		case unicode.IsSpace(r) && !inQuote:
			if have {
				out = append(out, b.String())
				b.Reset()
				have = false
			}
		default:
			b.WriteRune(r)
			have = true
		}
	}
	if inQuote {
		return nil, fmt.Errorf("unclosed quote")
	}
	if have {
		out = append(out, b.String())
	}
	return out, nil
}

func checkFeedURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http or https URL", s)
	}
	return nil
}

type opmlOutline struct {
	Text     string        `xml:"text,attr"`
	Title    string        `xml:"title,attr"`
	XMLURL   string        `xml:"xmlUrl,attr"`
	Language string        `xml:"language,attr"`
	Outlines []opmlOutline `xml:"outline"`
}

// parseOPML reads the xmlUrl outlines of an OPML subscription list, at
// any depth (folders nest them); title or text becomes the name and the
// source.
func parseOPML(data []byte) ([]Feed, error) {
	var doc struct {
		XMLName xml.Name      `xml:"opml"`
		Body    []opmlOutline `xml:"body>outline"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("feed list: not OPML: %w", err)
	}
	var feeds []Feed
	seen := map[string]bool{}
	var walk func([]opmlOutline)
	walk = func(os []opmlOutline) {
		for _, o := range os {
			if u := strings.TrimSpace(o.XMLURL); u != "" && checkFeedURL(u) == nil && !seen[u] {
				seen[u] = true
				name := strings.TrimSpace(o.Title)
				if name == "" {
					name = strings.TrimSpace(o.Text)
				}
				feeds = append(feeds, Feed{URL: u, Name: name, Source: name, Language: strings.ToLower(o.Language)})
			}
			walk(o.Outlines)
		}
	}
	walk(doc.Body)
	return feeds, nil
}
