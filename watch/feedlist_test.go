package watch

import (
	"strings"
	"testing"
	"time"
)

func TestFeedListsReadPlainLinesOptionsAndOPML(t *testing.T) {
	tests := []struct {
		name, in string
		want     []Feed
	}{
		{"a plain file of URLs is a feed list", "https://a.example/rss\n\n# comment\nhttps://b.example/sitemap.xml\n",
			[]Feed{{URL: "https://a.example/rss"}, {URL: "https://b.example/sitemap.xml"}}},
		{"options follow the URL", `https://a.example/rss name="A Wire" interval=5m source="A Wire" language=EN`,
			[]Feed{{URL: "https://a.example/rss", Name: "A Wire", Interval: 5 * time.Minute, Source: "A Wire", Language: "en"}}},
		{"a URL listed twice is watched once", "https://a.example/rss\nhttps://a.example/rss name=x\n",
			[]Feed{{URL: "https://a.example/rss"}}},
		{"OPML outlines nest", `<?xml version="1.0"?><opml version="2.0"><body><outline text="News">
			<outline text="A" title="A Wire" type="rss" xmlUrl="https://a.example/rss"/>
			<outline text="B" xmlUrl="https://b.example/atom" language="fr-FR"/></outline></body></opml>`,
			[]Feed{{URL: "https://a.example/rss", Name: "A Wire", Source: "A Wire"}, {URL: "https://b.example/atom", Name: "B", Source: "B", Language: "fr-fr"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFeedList(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("feed %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestFeedListErrorsNameTheLine(t *testing.T) {
	for _, in := range []string{
		"https://a.example/rss\nftp://b.example/x\n",
		"https://a.example/rss\nhttps://b.example/x interval=soon\n",
		"https://a.example/rss\nhttps://b.example/x colour=red\n",
		"https://a.example/rss\nhttps://b.example/x name=\"open\n",
	} {
		_, err := ParseFeedList(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), "line 2") {
			t.Errorf("ParseFeedList(%q) err = %v; want an error on line 2", in, err)
		}
	}
}

func TestListingsReadFeedsNewsSitemapsAndSitemapIndexes(t *testing.T) {
	news := `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://a.example/2026/talks#top</loc><news:news><news:publication><news:name>A Wire</news:name>
<news:language>en</news:language></news:publication><news:publication_date>2026-03-03T10:00:00Z</news:publication_date>
<news:title>Talks resume</news:title></news:news></url>
<url><loc>/relative/story</loc><lastmod>2026-03-02</lastmod></url>
<url><loc>mailto:x@a.example</loc></url>
</urlset>`
	l, err := parseListing([]byte(news), "https://a.example/news.xml")
	if err != nil {
		t.Fatal(err)
	}
	want := []listed{
		{URL: "https://a.example/2026/talks", Title: "Talks resume", Published: "2026-03-03T10:00:00Z", Source: "A Wire", Language: "en"},
		{URL: "https://a.example/relative/story", Published: "2026-03-02"},
	}
	if len(l.items) != len(want) || l.items[0] != want[0] || l.items[1] != want[1] {
		t.Errorf("news sitemap items = %+v, want %+v", l.items, want)
	}
	idx := `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://a.example/s1.xml</loc></sitemap></sitemapindex>`
	if l, err := parseListing([]byte(idx), "https://a.example/"); err != nil || len(l.sitemaps) != 1 || l.sitemaps[0] != "https://a.example/s1.xml" {
		t.Errorf("sitemap index = %+v, %v", l, err)
	}
	atom := `<feed xmlns="http://www.w3.org/2005/Atom"><title>B</title><entry><title>One</title><link href="https://b.example/1"/><updated>2026-03-03T09:00:00Z</updated></entry></feed>`
	if l, err := parseListing([]byte(atom), "https://b.example/atom"); err != nil || len(l.items) != 1 || l.items[0].URL != "https://b.example/1" || l.items[0].Source != "B" {
		t.Errorf("atom = %+v, %v", l, err)
	}
	if _, err := parseListing([]byte("<html><body>not a feed</body></html>"), "https://b.example/"); err == nil {
		t.Error("an HTML page parsed as a feed")
	}
}
