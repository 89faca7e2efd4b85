package extract

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/detente/detente/internal/shareddata"
)

func TestTextFromHTMLFragment(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"paragraphs become lines and entities are decoded",
			"<p>One &amp; two</p><p>Three&nbsp;four</p>", "One & two\nThree four"},
		{"a line break splits a paragraph",
			"Line one<br>Line two<br/>", "Line one\nLine two"},
		{"inline elements stay in their line",
			"<p>A <b>bold</b> and <em>emphatic</em> word.</p>", "A bold and emphatic word."},
		{"an inline edge without whitespace still separates words",
			"<p><a href=\"/s\">AppleInsider</a>staff said</p>", "AppleInsider staff said"},
		{"punctuation stays attached to a link",
			"<p>See (<a href=\"/x\">the report</a>).</p>", "See (the report)."},
		{"list items are lines",
			"<ul><li>first</li><li>second</li></ul>", "first\nsecond"},
		{"scripts and styles are dropped",
			"<script>var x = 1;</script><style>p{}</style><p>Text</p>", "Text"},
		{"preformatted text keeps its line breaks",
			"<pre>a = 1\n  b = 2</pre>", "a = 1\nb = 2"},
		{"table cells share their row's line",
			"<table><tr><td>Name</td><td>Score</td></tr><tr><td>Kim</td><td>9</td></tr></table>", "Name Score\nKim 9"},
		{"plain text only has its whitespace tidied",
			"  just   some\n text ", "just some text"},
		{"blank input gives empty text", " \n ", ""},
		{"a stray closing tag is ignored",
			"<div>kept</div></span>", "kept"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TextFromHTMLFragment(tt.in); got != tt.want {
				t.Errorf("TextFromHTMLFragment(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDropTitle(t *testing.T) {
	tests := []struct {
		name, body, title, want string
	}{
		{"a first line repeating the title goes",
			"Talks resume in Geneva\nThe talks resumed.", "Talks Resume in Geneva!", "The talks resumed."},
		{"a title after a kicker line goes, the kicker stays",
			"WORLD\nTalks resume in Geneva\nThe talks resumed.", "Talks resume in Geneva", "WORLD\nThe talks resumed."},
		{"a title deep in the body stays",
			"a\nb\nc\nTalks resume\nd", "Talks resume", "a\nb\nc\nTalks resume\nd"},
		{"a line that only starts like the title stays",
			"Talks resume in Geneva after a year\nmore", "Talks resume in Geneva", "Talks resume in Geneva after a year\nmore"},
		{"an empty title changes nothing", "x\ny", "", "x\ny"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dropTitle(tt.body, tt.title); got != tt.want {
				t.Errorf("dropTitle(%q, %q) = %q, want %q", tt.body, tt.title, got, tt.want)
			}
		})
	}
}

// articlePage is a small news page with the usual furniture around the
// article: navigation, a share bar, a footer.
const articlePage = `<!DOCTYPE html>
<html lang="en-GB">
<head>
<title>Ministers agree on grain corridor | The Daily Example</title>
<meta property="og:title" content="Ministers agree on grain corridor">
<meta property="og:site_name" content="The Daily Example">
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2023-07-04T21:30:00-05:00">
<meta name="keywords" content="trade, shipping">
</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Ministers agree on grain corridor</h1>
<p>Foreign ministers from both countries agreed on Tuesday to reopen a shipping corridor for grain exports,
ending a standoff that had lasted for almost three months and pushed up food prices across the region.</p>
<p>The agreement, signed in the capital after two days of talks, allows cargo ships to pass under the
supervision of a joint inspection team. Officials said the first vessels could leave port within a week.</p>
<p>Analysts said the deal was fragile. "Both sides have reasons to keep it, but neither trusts the other,"
said one researcher who follows the region's trade closely and has advised several governments.</p>
<p>Markets reacted calmly to the news, with wheat futures falling slightly in early trading on Wednesday
as traders waited for the first shipments to leave.</p>
</article>
<div class="share">Share on Facebook Share on Twitter</div>
<footer>Copyright The Daily Example. All rights reserved.</footer>
</body>
</html>`

func TestHTMLExtractsBodyAndMetadata(t *testing.T) {
	a, err := HTML(strings.NewReader(articlePage), "https://example.com/world/grain-corridor")
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ field, got, want string }{
		{"URL", a.URL, "https://example.com/world/grain-corridor"},
		{"Title", a.Title, "Ministers agree on grain corridor"},
		{"Author", a.Author, "Jane Roe"},
		{"Source", a.Source, "The Daily Example"},
		{"Published", a.Published, "2023-07-04"},
		{"Language", a.Language, "en"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	paras := strings.Split(a.Body, "\n")
	if len(paras) != 4 {
		t.Fatalf("body has %d paragraphs, want 4 separated by single newlines:\n%s", len(paras), a.Body)
	}
	if !strings.HasPrefix(paras[0], "Foreign ministers from both countries") {
		t.Errorf("body starts %q, want the first paragraph without the repeated title", paras[0])
	}
	for _, junk := range []string{"Home", "Share on", "Copyright", "grain corridor\n"} {
		if strings.Contains(a.Body, junk) {
			t.Errorf("body contains page furniture %q", junk)
		}
	}
}

func TestHTMLKeepsTitleWhenAsked(t *testing.T) {
	a, err := HTMLWithOptions(strings.NewReader(articlePage), "", Options{KeepTitle: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a.Body, "Ministers agree on grain corridor\n") {
		t.Errorf("body starts %.60q, want the title heading kept", a.Body)
	}
}

func TestLanguageKeepsThePrimarySubtag(t *testing.T) {
	tests := []struct{ in, want string }{
		{"en-US", "en"}, {"fr", "fr"}, {"pt_BR", "pt"}, {"", ""}, {"english", ""},
	}
	for _, tt := range tests {
		if got := Language(tt.in); got != tt.want {
			t.Errorf("Language(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTagsMergeWithoutDuplicates(t *testing.T) {
	got := tags([]string{"Trade", " shipping "}, []string{"trade", "World"})
	want := []string{"Trade", "shipping", "World"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("tags = %q, want %q", got, want)
	}
}

// BenchmarkHTML extracts every AEB page per iteration and reports pages/s
// alongside MB/s.
func BenchmarkHTML(b *testing.B) {
	files, _ := filepath.Glob(shareddata.Path("extraction", "aeb", "html", "*.html.gz"))
	if len(files) == 0 {
		b.Skip("AEB pages not found; set DETENTE_SHARED to the shared data folder")
	}
	var pages [][]byte
	var size int64
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			b.Fatal(err)
		}
		page, err := io.ReadAll(zr)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, page)
		size += int64(len(page))
	}
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pages {
			if _, err := HTML(bytes.NewReader(p), ""); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(pages)*b.N)/b.Elapsed().Seconds(), "pages/s")
}
