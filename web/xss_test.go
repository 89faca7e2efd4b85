package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/detente/detente"
	"github.com/detente/detente/dedup"
	"github.com/detente/detente/store/sqlite"
	"golang.org/x/net/html"
)

// xssPayloads are markup that would run or inject if printed raw. Each
// carries the marker element xss-probe, or an event handler, or a
// javascript: URL, which checkHTML looks for.
var xssPayloads = []string{
	`<xss-probe>`,
	`"><xss-probe onclick=alert(1)>`,
	`'><img src=x onerror=alert(1)>`,
	`</textarea></title></script><script>alert(1)</script>`,
	`<svg onload=alert(1)>`,
	`<iframe src=javascript:alert(1)>`,
	`{{.}}<!--<xss-probe>-->`,
}

// hostile joins the payloads into one value, behind a readable word so
// the values stay searchable.
func hostile(word string) string { return word + " " + strings.Join(xssPayloads, " ") }

// hostileStore holds one story whose every text field is hostile, two
// copies with script URLs, annotations and events with hostile names,
// codes and explanations.
type hostileStore struct {
	db       *sqlite.DB
	id, copy string
}

func newHostileStore(t *testing.T) *hostileStore {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "xss.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	body := "Atlantis and Lemuria held talks in Poseidonia on Monday, the ministry said.\n" +
		hostile("Markup") + " was printed in the communique.\n" +
		"\"We will meet again " + xssPayloads[1] + "\" the Lemurian envoy said."
	a := &detente.Article{ID: `xss-1"><xss-probe>`, Title: hostile("Atlantis talks"), Source: hostile("Outlet"),
		URL: "javascript:alert(document.cookie)//" + xssPayloads[0], Author: hostile("Author"),
		Published: "2020-03-02", Language: "en", Body: body, Tags: []string{hostile("tag")},
		Captions: []detente.Caption{{Text: hostile("Caption"), Credit: hostile("Credit")}}, TextFrom: hostile("summary")}
	copyA := *a
	copyA.ID, copyA.Source, copyA.URL, copyA.Title = "xss-copy-1", hostile("Wire"), " JaVaScRiPt:alert(2)", hostile("Copy title")
	copyB := *a
	copyB.ID, copyB.Source, copyB.URL = "xss-copy-2", "Data Wire", "data:text/html,<script>alert(3)</script>"
	s1 := "Atlantis and Lemuria held talks in Poseidonia on Monday, the ministry said."
	quote := "We will meet again " + xssPayloads[1]
	evil := `ATL"><XSS-PROBE ONMOUSEOVER=ALERT(1)>`
	ann := &detente.Annotations{
		Sentences: []detente.Span{runes(body, s1)},
		Entities: []detente.Entity{
			{Text: "Atlantis", Start: runes(body, "Atlantis").Start, End: runes(body, "Atlantis").End, Type: `GPE" onclick="alert(1)`,
				Canonical: hostile("Atlantis"), Actor: evil, Country: `"><xss-probe>`, Source: hostile("kb")},
			entity(body, "Lemuria", detente.EntityGPE, hostile("Lemuria"), "LEM", "LEM"),
		},
		Times: []detente.TimeExpr{{Text: "on Monday", Start: runes(body, "on Monday").Start, End: runes(body, "on Monday").End,
			Value: "2020-03-02", Type: hostile("DATE")}},
		Quotes: []detente.Quote{{Text: quote, Start: runes(body, quote).Start, End: runes(body, quote).End,
			Speaker: hostile("envoy"), Actor: evil}},
	}
	m := mention(a.ID, body, s1, "Atlantis", "held talks", "Lemuria", hostile("matched pattern"))
	evs := []detente.Event{
		{Source: evil, Target: "LEM", CAMEO: "040", Date: "2020-03-02", PLOVER: hostile("CONSULT"), Mode: hostile("mode"),
			Location: &detente.Location{Name: hostile("Poseidonia"), Country: `"><xss-probe>`}, Mentions: []detente.EventMention{m}},
		{Source: "ATL", Target: "LEM", CAMEO: "036", Date: "2020-03-02", Mentions: []detente.EventMention{m}},
	}
	h := dedup.NewHasher(dedup.DefaultConfig())
	items := []detente.PutItem{
		{Article: a, Fingerprint: h.Fingerprint(a.Body), Annotations: ann, Events: evs},
		{Article: &copyA, Fingerprint: h.Fingerprint(a.Body), Duplicate: &detente.Duplicate{Of: a.ID, Kind: detente.CopyExact, Similarity: 1}},
		{Article: &copyB, Fingerprint: h.Fingerprint(a.Body), Duplicate: &detente.Duplicate{Of: a.ID, Kind: detente.CopyExact, Similarity: 1}},
	}
	if _, err := db.PutBatch(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	return &hostileStore{db: db, id: a.ID, copy: copyA.ID}
}

// checkHTML parses a page and reports any element, attribute or URL that
// markup from the store could have made: the page's only script is
// app.js, no event handler attributes, no marker elements, no frames or
// objects, and no link to a javascript:, data: or vbscript: URL.
func checkHTML(t *testing.T, what, page string) {
	t.Helper()
	for _, p := range htmlProblems(page) {
		t.Errorf("%s: %s", what, p)
	}
}

func htmlProblems(page string) []string {
	var out []string
	bad := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return []string{err.Error()}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script":
				if src := attr(n, "src"); src != "/static/app.js" || n.FirstChild != nil {
					bad("a script element (src %q)", src)
				}
			case "xss-probe", "iframe", "object", "embed", "base", "frame", "img":
				bad("a %s element", n.Data)
			case "meta":
				if attr(n, "http-equiv") != "" {
					bad("a meta http-equiv")
				}
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				if strings.HasPrefix(key, "on") || strings.Contains(key, "xss") || strings.ContainsAny(key, `"'<>`) {
					bad("<%s> has attribute %q=%q", n.Data, a.Key, a.Val)
				}
				switch key {
				case "href", "src", "action", "formaction", "xlink:href", "srcdoc", "style":
					v := strings.ToLower(strings.Map(func(r rune) rune {
						if r <= ' ' {
							return -1 // browsers skip these inside a scheme
						}
						return r
					}, a.Val))
					for _, scheme := range []string{"javascript:", "data:", "vbscript:", "expression("} {
						if strings.Contains(v, scheme) {
							bad("<%s %s=%q> is live", n.Data, a.Key, a.Val)
						}
					}
				}
			}
		}
		if n.Type == html.CommentNode && strings.Contains(strings.ToLower(n.Data), "xss") {
			bad("a comment from the store: %q", n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func TestNoPageOrAnswerRunsStoredMarkup(t *testing.T) {
	hs := newHostileStore(t)
	s := newTestServer(t, Config{Archive: hs.db, Ingest: plainIngest(hs.db)})
	h := counted(s)
	// A job whose input name and failure are hostile.
	b, ct := ingestForm(t, map[string]string{"source": hostile("form outlet")}, hostile("upload")+".jsonl", "{"+xssPayloads[0]+"\n")
	res, _ := do(t, h, post("/ingest", ct, b))
	jobURL := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || jobURL == "" {
		t.Fatalf("hostile upload: %d", res.StatusCode)
	}
	waitForJobs(t, s)

	id := url.PathEscape(hs.id)
	q := url.QueryEscape
	pages := []string{
		"/search", "/search?q=atlantis", "/search?q=" + q(xssPayloads[1]), "/search?q=markup&facets=1",
		"/search?entity=" + q(hostile("Atlantis")), "/search?source=" + q(hostile("Outlet")), "/search?q=" + q(hostile("x")) + "&root=04",
		"/articles/" + id, "/articles/" + url.PathEscape(hs.copy), "/articles/xss-copy-2",
		"/events", "/events?a=ATL*&b=*", "/events?source=" + q("ATL*") + "&sort=-mentions",
		"/dyads/ATL/LEM", "/dyads/ATL*/LEM?bucket=day", "/dyads/ATL*/LEM?bucket=day&at=2020-03-02",
		"/actors/LEM", "/actors/ATL", "/actors/ATL*",
		"/ingest", jobURL, "/login", "/login?next=" + q("/search?q="+xssPayloads[1]),
		// Errors that echo their input.
		"/articles/" + url.PathEscape(xssPayloads[1]), "/no/" + url.PathEscape(xssPayloads[2]),
		"/events?code=" + q(xssPayloads[1]), "/search?from=" + q(xssPayloads[2]), "/dyads?a=" + q(xssPayloads[1]) + "&b=x",
		"/actors?code=" + q(xssPayloads[4]), "/dyads/ATL/LEM?bucket=" + q(xssPayloads[1]), "/ingest/jobs/" + url.PathEscape(xssPayloads[0]),
	}
	for _, p := range pages {
		secHostile.Add(1)
		res, body := getURL(t, h, p)
		if res.StatusCode >= 500 {
			t.Errorf("%s: %d", p, res.StatusCode)
			continue
		}
		if res.StatusCode >= 300 && res.StatusCode < 400 {
			continue
		}
		if ctype := res.Header.Get("Content-Type"); !strings.HasPrefix(ctype, "text/html") {
			t.Errorf("%s: content type %q", p, ctype)
		}
		checkHTML(t, p, body)
	}
	// The hostile texts are on the pages, as text.
	_, page := getURL(t, h, "/articles/"+id)
	for _, want := range []string{"&lt;xss-probe&gt;", "Atlantis talks &lt;xss-probe&gt;", `href="#ZgotmplZ"`} {
		if !strings.Contains(page, want) {
			t.Errorf("article page lacks %q", want)
		}
	}
	// Every hostile field is shown, escaped: not skipped.
	for path, wants := range map[string][]string{
		"/articles/" + id: {"Caption &lt;xss-probe&gt;", "Credit &lt;xss-probe&gt;", "matched pattern &lt;xss-probe&gt;", "Author &lt;xss-probe&gt;",
			"envoy &lt;xss-probe&gt;", "Atlantis &lt;xss-probe&gt;", "Poseidonia &lt;xss-probe&gt;", "CONSULT &lt;xss-probe&gt;",
			"mode &lt;xss-probe&gt;", "Wire &lt;xss-probe&gt;", "Copy title &lt;xss-probe&gt;", "tag &lt;xss-probe&gt;",
			"ATL&#34;&gt;&lt;XSS-PROBE ONMOUSEOVER=ALERT(1)&gt;", "Markup &lt;xss-probe&gt;"},
		"/events":                           {"ATL&#34;&gt;&lt;XSS-PROBE ONMOUSEOVER=ALERT(1)&gt;"},
		"/actors/LEM":                       {"ATL&#34;&gt;&lt;XSS-PROBE ONMOUSEOVER=ALERT(1)&gt;"},
		"/search?q=atlantis&facets=1":       {"Atlantis talks &lt;xss-probe&gt;", "Outlet &lt;xss-probe&gt;", "Lemuria &lt;xss-probe&gt;"},
		"/search?q=" + q(xssPayloads[1]):    {"&#34;&gt;&lt;xss-probe onclick=alert(1)&gt;"},
		"/events?code=" + q(xssPayloads[1]): {"&#34;&gt;&lt;xss-probe onclick=alert(1)&gt;"},
	} {
		_, body := getURL(t, h, path)
		for _, want := range wants {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", path, want)
			}
		}
	}
	if strings.Contains(page, `href="javascript`) || strings.Contains(strings.ToLower(page), `href=" javascript`) {
		t.Error("article page links a javascript: URL")
	}
	_, page = getURL(t, h, jobURL)
	// (multipart keeps the name's last path element only)
	if !strings.Contains(page, "&lt;svg onload=alert(1)&gt; &lt;iframe") {
		t.Error("job page lacks the escaped upload name")
	}

	// The API: JSON with no raw markup, never sniffed as HTML.
	apis := []string{
		"/api/search?q=atlantis&facets=1", "/api/search?q=" + q(xssPayloads[1]), "/api/articles/" + id,
		"/api/events?a=ATL*&b=*", "/api/actors/LEM", "/api/actors/ATL*", "/api/dyads/ATL*/LEM/timeline",
		"/api" + jobURL, "/api/events?code=" + q(xssPayloads[1]), "/api/articles/" + url.PathEscape(xssPayloads[1]),
	}
	for _, p := range apis {
		secHostile.Add(1)
		res, body := getURL(t, h, p)
		if res.StatusCode >= 500 {
			t.Errorf("%s: %d", p, res.StatusCode)
		}
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: %q, nosniff %q", p, res.Header.Get("Content-Type"), res.Header.Get("X-Content-Type-Options"))
		}
		if strings.ContainsAny(body, "<>") || !json.Valid([]byte(body)) {
			t.Errorf("%s: raw markup or not JSON: %.200s", p, body)
		}
	}
	_, body := getURL(t, h, "/api/articles/"+id)
	var got struct{ Story detente.Story }
	if err := json.Unmarshal([]byte(body), &got); err != nil || got.Story.Original.Title != hostile("Atlantis talks") {
		t.Errorf("the API does not give the stored title back intact: %v", err)
	}
	// Exports are downloads, never rendered.
	for _, format := range []string{"csv", "jsonl", "gdelt-events", "gdelt-mentions"} {
		res, body := getURL(t, h, "/api/export?format="+format)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") ||
			strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || res.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!utf8.ValidString(body) {
			t.Errorf("export %s: %d %v", format, res.StatusCode, res.Header)
		}
	}
}

func TestCheckHTMLCatchesMarkup(t *testing.T) {
	// The checker itself must see what it looks for.
	for _, page := range []string{
		`<p><xss-probe></xss-probe></p>`, `<a href=" javascript:alert(1)">x</a>`, `<a href="jav&#x09;ascript:x">x</a>`,
		`<p onclick="x">`, `<script>alert(1)</script>`, `<img src=x>`, `<a href="data:text/html,x">`, `<!--xss-->`,
	} {
		if len(htmlProblems(page)) == 0 {
			t.Errorf("htmlProblems passed %q", page)
		}
	}
	if p := htmlProblems(`<p title="&lt;xss-probe&gt;">&lt;xss-probe&gt;<a href="/search?q=%3Cx%3E">x</a></p><script src="/static/app.js"></script>`); len(p) > 0 {
		t.Errorf("a clean page has problems: %v", p)
	}
}
