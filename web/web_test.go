package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"html/template"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/cameo"
	"github.com/detente/detente/pipeline"
)

func TestPagesEscapeArticleText(t *testing.T) {
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: f.db})
	for _, target := range []string{
		"/search?q=talks",
		"/search?q=" + url.QueryEscape("<script>"),
		"/search?entity=" + url.QueryEscape(hostileEntity),
		"/articles/" + f.first.ID,
		"/articles/" + f.copyID,
		"/events",
		"/dyads/ATL/LEM",
		"/actors/ATL",
	} {
		res, body := getURL(t, s, target)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d: %s", target, res.StatusCode, body)
			continue
		}
		// The only script element is the embedded app.js.
		if n := strings.Count(body, "<script"); n != 1 {
			t.Errorf("%s: %d <script elements, want only app.js's", target, n)
		}
		if strings.Contains(body, "alert(") && !strings.Contains(body, "&lt;script&gt;alert(") {
			t.Errorf("%s: fixture markup shows unescaped", target)
		}
	}
	_, body := getURL(t, s, "/articles/"+f.first.ID)
	for _, want := range []string{
		"&lt;script&gt;alert(&#39;body&#39;)&lt;/script&gt;",                      // body text
		"Atlantis talks &lt;script&gt;alert(&#34;title&#34;)",                     // title
		`title="&lt;script&gt;alert(&#34;entity&#34;)&lt;/script&gt; · actor ATL`, // hover: canonical name, actor
	} {
		if !strings.Contains(body, want) {
			t.Errorf("article page lacks %q", want)
		}
	}
}

func TestArticleShowsEventsBesideSentencesAndCopies(t *testing.T) {
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: f.db})
	// A copy's ID shows its story's original.
	res, body := getURL(t, s, "/articles/"+f.copyID)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	c, _ := cameo.Lookup("040")
	cameoName040 := template.HTMLEscapeString(c.Name)
	sent := runes(hostileBody, f.firstSent)
	for _, want := range []string{
		`id="` + sentenceAnchor(sent.Start) + `"`, // the sentence's anchor
		`class="ent ent-gpe`, `class="timex"`, `class="quote"`, `class="evsent"`,
		cameoName040, "<span class=\"code\">040</span>", // the event, with the CAMEO name
		"matched pattern HOLD TALKS", // its explanation
		"Wire Service",               // the story's other copy
		"1 event, 1 mention",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("article page lacks %q", want)
		}
	}
	// The event card sits in the first paragraph's row, before the second
	// paragraph's text.
	card := strings.Index(body, `class="card"`)
	second := strings.Index(body, "was printed beside")
	if card < 0 || second < 0 || card > second {
		t.Errorf("event card at %d, second paragraph at %d: want the card beside the first", card, second)
	}

	res, body = getURL(t, s, "/api/articles/"+f.first.ID)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("api status %d", res.StatusCode)
	}
	var got struct {
		Story  detente.Story `json:"story"`
		Events []struct {
			CAMEO   string `json:"cameo"`
			Reports []struct {
				ArticleID string `json:"article_id"`
			} `json:"reports"`
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Events) != 1 || got.Events[0].CAMEO != "040" || len(got.Events[0].Reports) == 0 {
		t.Errorf("API events = %+v, want the one 040 event with its reports", got.Events)
	}
	if got.Story.Original.Body != hostileBody {
		t.Errorf("API body = %q", got.Story.Original.Body)
	}
}

func TestHostileSearchQueries(t *testing.T) {
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: f.db})
	for _, q := range []string{
		`"`, `*`, `"unterminated phrase`, `NEAR(atlantis lemuria)`, `title:atlantis`, `atlantis OR lemuria`,
		`NOT atlantis`, `^atlantis`, `'); DROP TABLE articles; --`, `(`, `-`, `AND`, "\x00", `{title body}: x`,
		strings.Repeat("atlantis ", 200), `a"b"c*`,
	} {
		for _, path := range []string{"/api/search?q=", "/search?q="} {
			res, body := getURL(t, s, path+url.QueryEscape(q))
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s%q: status %d: %s", path, q, res.StatusCode, body)
			}
			if strings.Contains(body, "goroutine") || strings.Contains(body, "sqlite") {
				t.Errorf("%s%q leaks internals: %s", path, q, body)
			}
		}
	}
	// Operators are words: "OR" does not widen the search to either word.
	_, body := getURL(t, s, "/api/search?q="+url.QueryEscape("fishing OR communique"))
	var res apiSearchResult
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatal(err)
	}
	if res.Total != 0 {
		t.Errorf("'fishing OR communique' matched %d articles, want 0 (OR is a word)", res.Total)
	}
	// The store still answers.
	_, body = getURL(t, s, "/api/search?q=fishing")
	if err := json.Unmarshal([]byte(body), &res); err != nil || res.Total != 1 || res.Hits[0].ArticleID != f.second.ID {
		t.Errorf("after hostile queries, 'fishing' = %+v, %v", res, err)
	}
}

func TestSearchFiltersFacetsAndRoot(t *testing.T) {
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: f.db})
	var res apiSearchResult
	check := func(query string, want ...string) {
		t.Helper()
		r, body := getURL(t, s, "/api/search?"+query)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d: %s", query, r.StatusCode, body)
		}
		res = apiSearchResult{}
		if err := json.Unmarshal([]byte(body), &res); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ArticleID)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") || res.Total != len(want) {
			t.Errorf("%s: hits %v (total %d), want %v", query, got, res.Total, want)
		}
	}
	check("q=atlantis&root=11", f.second.ID) // only the second reports a disapproval
	check("q=atlantis&root=04", f.first.ID)
	check("root=04&from=2020-04")
	check("source=Wire+Service", f.first.ID) // a copy's outlet finds the story
	check("q=atlantis&from=2020-04-01&to=2020-04-30", f.second.ID)
	check("entity=LEM", f.second.ID, f.first.ID)
	check("q=fishing&facets=1", f.second.ID)
	if len(res.Entities) == 0 {
		t.Error("facets=1 gave no entities")
	}
	for _, bad := range []string{"from=yesterday", "root=4", "country=Atlantis", "limit=0", "page=-1", "offset=x"} {
		r, body := getURL(t, s, "/api/search?"+bad)
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(body, `"error"`) {
			t.Errorf("%s: status %d %s, want 400 with an error", bad, r.StatusCode, body)
		}
	}
	// The page keeps the state in its links.
	_, body := getURL(t, s, "/search?q=atlantis&source=Atlantis+Daily")
	if !strings.Contains(body, `href="/search?q=atlantis"`) { // the chip that removes the outlet
		t.Errorf("search page lacks the link that removes the outlet filter")
	}
	if !strings.Contains(body, "<mark>Atlantis</mark>") {
		t.Errorf("search page lacks a highlighted snippet")
	}
}

func TestEventsAPIAndExportOfExactlyThePage(t *testing.T) {
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: f.db})
	_, body := getURL(t, s, "/api/events?a=ATL&b=LEM&sort=date")
	var evs apiEventsResult
	if err := json.Unmarshal([]byte(body), &evs); err != nil {
		t.Fatal(err)
	}
	if evs.Total != 2 || len(evs.Events) != 2 || evs.Events[0].CAMEO != "040" {
		t.Fatalf("dyad events = %+v", evs)
	}
	for q, want := range map[string]int{"quad=3": 1, "root=04": 1, "code=04*": 1, "plover=CONSULT": 1,
		"source=LEM": 1, "country=ATL": 2, "from=2020-04": 1, "to=2020-03-31": 1} {
		_, body := getURL(t, s, "/api/events?"+q)
		var r apiEventsResult
		if err := json.Unmarshal([]byte(body), &r); err != nil || r.Total != want {
			t.Errorf("%s: total %d (%v), want %d", q, r.Total, err, want)
		}
	}
	for _, bad := range []string{"a=ATL", "code=999", "quad=5", "plover=DANCE", "sort=title", "source=" + url.QueryEscape("A B"), "limit=100000"} {
		r, body := getURL(t, s, "/api/events?"+bad)
		if r.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d %s, want 400", bad, r.StatusCode, body)
		}
	}

	// The page's CSV link exports exactly its rows: here page 2 of 1 row.
	_, page := getURL(t, s, "/events?sort=date&limit=1&page=2")
	i := strings.Index(page, `/api/export?`)
	if i < 0 {
		t.Fatal("events page has no export link")
	}
	link := page[i : i+strings.IndexByte(page[i:], '"')]
	link = strings.ReplaceAll(link, "&amp;", "&")
	res, out := getURL(t, s, link)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("%s: %d %s", link, res.StatusCode, res.Header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || !strings.Contains(strings.Join(rows[1], ","), "111") {
		t.Errorf("export of page 2 = %v, want the header and the 111 event", rows)
	}
	// Without paging, everything; a bad filter is refused before streaming.
	_, out = getURL(t, s, "/api/export?format=jsonl")
	if n := strings.Count(strings.TrimSpace(out), "\n") + 1; n != 2 {
		t.Errorf("jsonl export has %d lines, want 2", n)
	}
	if r, _ := getURL(t, s, "/api/export?format=xml"); r.StatusCode != http.StatusBadRequest {
		t.Errorf("format=xml: status %d", r.StatusCode)
	}
	if r, _ := getURL(t, s, "/api/export?format=csv&code=999"); r.StatusCode != http.StatusBadRequest {
		t.Errorf("bad code: status %d", r.StatusCode)
	}
}

func TestDyadTimelineAndChart(t *testing.T) {
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: f.db})
	_, body := getURL(t, s, "/api/dyads/ATL/LEM/timeline?bucket=month")
	var tl apiTimeline
	if err := json.Unmarshal([]byte(body), &tl); err != nil {
		t.Fatal(err)
	}
	if len(tl.Points) != 2 || tl.Points[0].Bucket != "2020-03" || tl.Points[0].Quad[0] != 1 || tl.Points[1].Quad[2] != 1 {
		t.Errorf("timeline = %+v", tl.Points)
	}
	if r, _ := getURL(t, s, "/api/dyads/ATL/LEM/timeline?bucket=hour"); r.StatusCode != http.StatusBadRequest {
		t.Errorf("bucket=hour: status %d", r.StatusCode)
	}
	// The page draws one bar per bucket, each a link to its events.
	_, page := getURL(t, s, "/dyads/ATL/LEM?bucket=month")
	if !strings.Contains(page, "<svg") || strings.Count(page, `class="bar`) != 2 {
		t.Errorf("dyad page lacks a two-bar chart")
	}
	if !strings.Contains(page, `href="/dyads/ATL/LEM?at=2020-04&amp;bucket=month#events"`) {
		t.Errorf("dyad page lacks the link that filters to April")
	}
	// Clicking April lists April's event only.
	_, page = getURL(t, s, "/dyads/ATL/LEM?at=2020-04&bucket=month")
	if !strings.Contains(page, "1 event in the month of 2020-04") || strings.Contains(page, "<span class=\"code\">040</span>") {
		t.Errorf("selected bucket does not filter the events")
	}
	// Weeks: the bucket is the Monday, its range the week.
	from, to, err := bucketRange("week", "2020-03-02")
	if err != nil || from != "2020-03-02" || to != "2020-03-08" {
		t.Errorf("week range = %s … %s, %v", from, to, err)
	}
	// The form's query redirects to the dyad's address.
	r, _ := getURL(t, s, "/dyads?a=atl&b=lem&bucket=week")
	if r.StatusCode != http.StatusFound || r.Header.Get("Location") != "/dyads/ATL/LEM?bucket=week" {
		t.Errorf("dyad form redirect: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
}

func TestChartGeometry(t *testing.T) {
	pts := []detente.TimelinePoint{
		{Bucket: "2020-01", Quad: [4]int{2, 0, 1, 1}, N: 4, MeanGoldstein: 1.5},
		{Bucket: "2020-02"},
		{Bucket: "2020-03", Quad: [4]int{0, 0, 0, 8}, N: 8, MeanGoldstein: -9},
	}
	c := newChart(pts, "test", func(b string) string { return "/x?at=" + b }, "2020-03")
	if len(c.Bars) != 3 || len(c.Dots) != 2 {
		t.Fatalf("bars %d dots %d, want 3 and 2 (no dot for an empty bucket)", len(c.Bars), len(c.Dots))
	}
	// Stacked heights are proportional to counts and stay in the plot.
	h := func(b bar) (sum float64) {
		for _, r := range b.Rects {
			sum += r.H
			if r.Y < c.Top-0.1 || r.Y+r.H > c.Bottom+0.1 {
				t.Errorf("rect %+v leaves the plot", r)
			}
		}
		return sum
	}
	if h0, h2 := h(c.Bars[0]), h(c.Bars[2]); h2 < 1.9*h0 || h2 > 2.1*h0 {
		t.Errorf("heights %v and %v, want 1:2", h0, h2)
	}
	if !c.Bars[2].Selected || c.Bars[0].Selected {
		t.Error("selected bar not marked")
	}
	if c.Dots[1].Y <= c.ZeroY || c.Dots[0].Y >= c.ZeroY {
		t.Error("negative Goldstein must be drawn below zero, positive above")
	}
	if niceCeil(7) != 10 || niceCeil(11) != 20 || niceCeil(450) != 500 {
		t.Error("niceCeil")
	}
}

func TestActor(t *testing.T) {
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: f.db})
	_, body := getURL(t, s, "/api/actors/ATL")
	var d actorData
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatal(err)
	}
	if d.Summary.Events != 2 || len(d.Summary.Partners) != 1 || d.Summary.Partners[0].Code != "LEM" {
		t.Errorf("summary = %+v", d.Summary)
	}
	if len(d.Names) != 1 || d.Names[0].Name != hostileEntity {
		t.Errorf("names = %+v, want the fixture's canonical name", d.Names)
	}
	var n int
	for _, p := range d.Timeline {
		n += p.N
	}
	if n != 2 {
		t.Errorf("timeline counts %d events, want 2", n)
	}
	if r, _ := getURL(t, s, "/api/actors/"+url.PathEscape("<b>")); r.StatusCode != http.StatusBadRequest {
		t.Errorf("bad code: status %d", r.StatusCode)
	}
}

func TestSecurityHeadersAndErrors(t *testing.T) {
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: f.db})
	res, _ := getURL(t, s, "/search")
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP = %q", csp)
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("headers = %v", res.Header)
	}
	res, body := getURL(t, s, "/articles/nope")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Not Found") {
		t.Errorf("unknown article: %d", res.StatusCode)
	}
	res, body = getURL(t, s, "/api/articles/nope")
	if res.StatusCode != http.StatusNotFound || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Errorf("unknown article via API: %d %s", res.StatusCode, body)
	}
	if r, _ := getURL(t, s, "/no/such/page"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown page: %d", r.StatusCode)
	}
	// A panic answers 500 with no stack.
	h := s.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom at /secret/path.go:12") }))
	res, body = getURL(t, h, "/")
	if res.StatusCode != http.StatusInternalServerError || strings.Contains(body, "boom") || strings.Contains(body, "goroutine") {
		t.Errorf("panic answer: %d %q", res.StatusCode, body)
	}
	// Static assets are served with their types; the policy allows them.
	res, _ = getURL(t, s, "/static/app.js")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "javascript") {
		t.Errorf("app.js: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if r, _ := getURL(t, s, "/healthz"); r.StatusCode != http.StatusOK {
		t.Errorf("healthz: %d", r.StatusCode)
	}
}

func TestIngestAPIAuthAndLimits(t *testing.T) {
	f := newFixture(t)
	const token = "0123456789abcdef-test-token"
	s := newTestServer(t, Config{Archive: f.db, Ingest: plainIngest(f.db), Token: token, MaxUploadBytes: 4096})
	jsonl := `{"id":"api-1","title":"Atlantis opens embassy","source":"Test Wire","published":"2020-05-01","body":"Atlantis opened an embassy in Lemuria."}` + "\n" + `{"broken` + "\n"
	post := func(auth, body string) (*http.Response, string) {
		r := httptest.NewRequest(http.MethodPost, "/api/articles?name=batch.jsonl", strings.NewReader(body))
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		return do(t, s, r)
	}
	if r, _ := post("", jsonl); r.StatusCode != http.StatusUnauthorized || r.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("no token: %d", r.StatusCode)
	}
	if r, _ := post("Bearer wrong-token-of-some-length", jsonl); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong token: %d", r.StatusCode)
	}
	r, body := post("Bearer "+token, jsonl)
	var sum pipeline.Summary
	if err := json.Unmarshal([]byte(body), &sum); err != nil {
		t.Fatal(r.StatusCode, body)
	}
	if r.StatusCode != http.StatusOK || sum.New != 1 || sum.Failed != 1 || !strings.Contains(sum.Failures[0].String(), "batch.jsonl:line 2") {
		t.Errorf("ingest: %d %+v", r.StatusCode, sum)
	}
	if ok, _ := f.db.HasArticle(context.Background(), "api-1"); !ok {
		t.Error("the posted article is not stored")
	}
	if r, _ := post("Bearer "+token, strings.Repeat("x", 5000)); r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d", r.StatusCode)
	}
	if r, _ := post("Bearer "+token, "   "); r.StatusCode != http.StatusBadRequest {
		t.Errorf("empty body: %d", r.StatusCode)
	}
	// GET bodies are bounded too.
	big := httptest.NewRequest(http.MethodGet, "/search", strings.NewReader(strings.Repeat("x", maxQueryBytes+1)))
	if r, _ := do(t, s, big); r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized GET body: %d", r.StatusCode)
	}
}

func TestIngestFormJobAndCSRF(t *testing.T) {
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: f.db, Ingest: plainIngest(f.db)})
	form := func() (*bytes.Buffer, string) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		_ = mw.WriteField("title", "Lemuria recalls ambassador")
		_ = mw.WriteField("body", "Lemuria recalled its ambassador from Atlantis on Friday.\nThe ministry gave no reason.")
		_ = mw.WriteField("source", "Pasted Times")
		_ = mw.WriteField("published", "2020-06-05")
		fw, _ := mw.CreateFormFile("files", "bad.jsonl")
		_, _ = fw.Write([]byte("{not json\n"))
		_ = mw.Close()
		return &b, mw.FormDataContentType()
	}
	// A cross-site form post is refused.
	b, ct := form()
	r := httptest.NewRequest(http.MethodPost, "/ingest", b)
	r.Header.Set("Content-Type", ct)
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	r.Header.Set("Origin", "https://evil.example")
	if res, _ := do(t, s, r); res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site post: %d", res.StatusCode)
	}
	b, ct = form()
	r = httptest.NewRequest(http.MethodPost, "/ingest", b)
	r.Header.Set("Content-Type", ct)
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	res, _ := do(t, s, r)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/ingest/jobs/") {
		t.Fatalf("form post: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	id := strings.TrimPrefix(res.Header.Get("Location"), "/ingest/jobs/")
	var j job
	for range 500 { // the job runs in the background; wait for it to finish
		var ok bool
		if j, ok = s.jobs.get(id); ok && j.Done {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !j.Done || j.Summary.New != 1 || j.Summary.Failed != 1 {
		t.Fatalf("job = %+v", j)
	}
	_, page := getURL(t, s, "/ingest/jobs/"+id)
	if !strings.Contains(page, "bad.jsonl") || !strings.Contains(page, "Ingest finished") {
		t.Errorf("job page lacks the failure or the state")
	}
	_, body := getURL(t, s, "/api/search?q=ambassador")
	if !strings.Contains(body, "Lemuria recalls ambassador") {
		t.Errorf("pasted article not searchable: %s", body)
	}
}

func TestMetrics(t *testing.T) {
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: f.db})
	getURL(t, s, "/search?q=atlantis")
	getURL(t, s, "/articles/"+f.first.ID)
	_, body := getURL(t, s, "/metrics")
	for _, want := range []string{
		`detente_http_requests_total{code="200",method="GET",route="GET /search"} 1`,
		`detente_http_requests_total{code="200",method="GET",route="GET /articles/{id}"} 1`,
		`detente_http_request_duration_seconds_bucket`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestSplitSnippet(t *testing.T) {
	got := splitSnippet("…the [THAAD] system and [missile] defense [open")
	var b strings.Builder
	for _, p := range got {
		if p.Mark {
			b.WriteString("<" + p.Text + ">")
		} else {
			b.WriteString(p.Text)
		}
	}
	if b.String() != "…the <THAAD> system and <missile> defense [open" {
		t.Errorf("splitSnippet = %q", b.String())
	}
}

func TestSearchPageSaysWhenFacetsCountTheBestMatchesOnly(t *testing.T) {
	db, _ := generateStore(t, detente.FacetMatches+30)
	defer db.Close()
	s := newTestServer(t, Config{Archive: db})
	// Every generated article mentions its matter; one mentions report 7.
	for _, c := range []struct {
		query, note string
	}{
		{"q=matter", "Counted in the best 200 matches."},
		{"", "Counted in the 200 newest matches."},
		{"q=%22report+number+7+ends%22", ""},
	} {
		r, body := getURL(t, s, "/search?"+c.query)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", c.query, r.StatusCode)
		}
		if !strings.Contains(body, "People &amp; organizations") && !strings.Contains(body, "Countries") {
			t.Errorf("%s: no facets shown", c.query)
		}
		if got := strings.Contains(body, "facetnote"); got != (c.note != "") || (c.note != "" && !strings.Contains(body, c.note)) {
			t.Errorf("%s: facet note shown %v, want %q", c.query, got, c.note)
		}
	}
}

func TestActorDataIsKeptUntilAnIngest(t *testing.T) {
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: f.db})
	ctx := context.Background()
	first, err := s.actor(ctx, "CHN", "")
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.actor(ctx, "CHN", "")
	if err != nil || again != first {
		t.Errorf("second read: %p, %v; want the kept %p", again, err, first)
	}
	if other, err := s.actor(ctx, "CHN", "year"); err != nil || other == first || other.Bucket != "year" {
		t.Errorf("another bucket: %+v, %v; want its own data", other, err)
	}
	s.forgetSummary() // what an ingest does
	if fresh, err := s.actor(ctx, "CHN", ""); err != nil || fresh == first || fresh.Summary.Events != first.Summary.Events {
		t.Errorf("after an ingest: %p, %v; want data read again (%d events)", fresh, err, first.Summary.Events)
	}
}

// countedBeyond is a store whose searches matched more than the stores
// count: it reports the capped total, as they do past the limit.
type countedBeyond struct{ detente.Archive }

func (c countedBeyond) Search(ctx context.Context, f detente.SearchFilter) ([]detente.SearchHit, int, error) {
	hits, total, err := c.Archive.Search(ctx, f)
	if total > 0 {
		total = detente.SearchTotalLimit + 1
	}
	return hits, total, err
}

// Past the counted total, the page and the API say "more than" instead of
// a false exact count.
func TestSearchBeyondTheCountedTotal(t *testing.T) {
	f := newFixture(t)
	s := newTestServer(t, Config{Archive: countedBeyond{f.db}})
	_, page := getURL(t, s, "/search?q=fishing")
	if !strings.Contains(page, "More than 10,000 articles") || strings.Contains(page, "10,001") {
		t.Errorf("search page heading does not say more than 10,000:\n%s", page)
	}
	_, body := getURL(t, s, "/api/search?q=fishing")
	var res struct {
		Total  int    `json:"total"`
		Notice string `json:"notice"`
	}
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatal(err)
	}
	if res.Total != detente.SearchTotalLimit+1 || !strings.Contains(res.Notice, "More than 10,000") {
		t.Errorf("API: total %d, notice %q", res.Total, res.Notice)
	}
}
