package web

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/detente/detente"
	"github.com/detente/detente/annotate"
	"github.com/detente/detente/coder"
	"github.com/detente/detente/coder/dict"
	"github.com/detente/detente/dedup"
	"github.com/detente/detente/ingest"
	"github.com/detente/detente/kb"
	"github.com/detente/detente/nlp/ner"
	"github.com/detente/detente/pipeline"
	"github.com/detente/detente/store/sqlite"

	"github.com/detente/detente/internal/shareddata"
)

// sharedDir is the shared data folder.
func sharedDir() string { return shareddata.Dir() }

func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// seedArchive ingests the reference article through the real pipeline
// (cleaning, dedup, annotation, coding) into a new store.
func seedArchive(t *testing.T, seed string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "seed.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	an := annotate.New(annotate.NewKBLexicon(kb.Default()), ner.Default())
	d, err := dict.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	cp := *d
	cd := coder.New(&cp)
	g := &pipeline.Ingester{Store: db, Hasher: dedup.NewHasher(dedup.DefaultConfig()), Annotate: an.Annotate, Code: cd.Code}
	in := make(chan pipeline.Input)
	go func() {
		defer close(in)
		_ = ingest.Walk(context.Background(), []string{seed}, ingest.Options{Published: "2017-10-31"}, func(a *detente.Article, err error) error {
			in <- pipeline.Input{Article: a, Err: err}
			return nil
		})
	}()
	sum, err := g.Run(context.Background(), in)
	if err != nil || sum.New != 1 {
		t.Fatalf("ingesting the seed: %v %+v", err, sum)
	}
	return db
}

// TestBrowserSeedWorkflow drives Chromium through an analyst's path over
// the reference article: search it, open it, see its events beside their
// sentences, open the CHN–KOR dyad chart and click a bar. Screenshots of
// each page go to testdata/screenshots (git-ignored).
func TestBrowserSeedWorkflow(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	chromium := findChromium()
	if chromium == "" {
		t.Skip("chromium is not installed (apt-get install chromium; .ci/run installs it): browser test skipped")
	}
	seed := filepath.Join(sharedDir(), "seed", "cgtn-2017-beijing-seoul-thaad.txt")
	if _, err := os.Stat(seed); err != nil {
		t.Skipf("shared seed article not found (%v): set DETENTE_SHARED; browser test skipped", err)
	}
	db := seedArchive(t, seed)
	s := newTestServer(t, Config{Archive: db})
	ts := httptest.NewServer(s)
	defer ts.Close()

	// The article's events as the API sees them, to compare with the page.
	res, body := getURL(t, s, "/api/search?q=THAAD")
	var hits apiSearchResult
	if err := json.Unmarshal([]byte(body), &hits); err != nil || res.StatusCode != 200 || len(hits.Hits) != 1 {
		t.Fatalf("API search: %d %s", res.StatusCode, body)
	}
	id := hits.Hits[0].ArticleID
	_, body = getURL(t, s, "/api/articles/"+id)
	var art struct {
		Events []struct {
			Source, Target, CAMEO string
			Reports               []struct {
				ArticleID string `json:"article_id"`
			}
		}
	}
	if err := json.Unmarshal([]byte(body), &art); err != nil {
		t.Fatal(err)
	}
	mentions := 0
	for _, e := range art.Events {
		for _, r := range e.Reports {
			if r.ArticleID == id {
				mentions++
			}
		}
	}

	shots := filepath.Join("testdata", "screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	shot := func(name string) error {
		buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(shots, name), buf, 0o644)
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	count := func(js string) int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return n
	}
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	// arrive waits until a click or a submit has loaded a page whose
	// path and query contain want: a query sent while the old page is
	// being replaced can fail with "No node with given id".
	arrive := func(what, want string) {
		t.Helper()
		deadline := time.Now().Add(time.Minute)
		for {
			loc, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === 'complete' ? location.pathname + location.search : ''`))
			if err == nil && strings.Contains(loc, want) {
				return
			}
			if time.Now().After(deadline) || ctx.Err() != nil {
				t.Fatalf("%s: no page at %q loaded (at %q, %v)", what, want, loc, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	// Search.
	must("search", chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/search"),
		chromedp.WaitVisible(chromedp.CSS(`#q`)),
		chromedp.SendKeys(chromedp.CSS(`#q`), "THAAD missile"),
		chromedp.Submit(chromedp.CSS(`#q`)),
	))
	arrive("search", "q=THAAD")
	must("search hits", chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`.hit h2 a`))))
	if first := text(`.hit h2 a`); !strings.Contains(first, "Beijing and Seoul") {
		t.Errorf("first hit %q, want the seed article", first)
	}
	must("screenshot", shot("search.png"))

	// Article: its events, each beside its sentence.
	must("article", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.hit h2 a`))))
	arrive("article", "/articles/")
	must("article title", chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`.article h1`))))
	if title := text(`.article h1`); !strings.Contains(title, "normalize") {
		t.Errorf("article title %q", title)
	}
	cards := count(`document.querySelectorAll('.card .evt').length`)
	sentences := count(`document.querySelectorAll('.card a.jump').length`)
	linked := count(`[...document.querySelectorAll('.card a.jump')].filter(a => document.getElementById(a.getAttribute('href').slice(1))).length`)
	hover, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('.ent[title*="actor CHN"]') || {}).title || ""`))
	must("hover", err)
	must("screenshot", shot("article.png"))
	// The reference's six events are reported by six sentences; every
	// stored mention of the article has its card, linked to its sentence.
	if sentences < 6 {
		t.Errorf("event cards sit beside %d sentences, want the reference's six at least", sentences)
	}
	if cards != mentions || linked != sentences {
		t.Errorf("%d events shown (%d of %d sentence groups linked to their sentence), want one per stored mention: %d", cards, linked, sentences, mentions)
	}
	if !strings.Contains(hover, "actor CHN") {
		t.Errorf("no entity hover names an actor code: %q", hover)
	}
	for _, want := range [][3]string{{"KOR", "USA", "12"}, {"CHNGOV", "KORGOV", "03"}} {
		found := false
		for _, e := range art.Events {
			found = found || (e.Source == want[0] && e.Target == want[1] && strings.HasPrefix(e.CAMEO, want[2]))
		}
		if !found {
			t.Errorf("no %s→%s event of root %s among %+v", want[0], want[1], want[2], art.Events)
		}
	}

	// The CHN–KOR dyad: a chart whose bars filter the list below.
	must("dyad", chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/dyads/CHN/KOR?bucket=week"),
		chromedp.WaitVisible(chromedp.CSS(`figure.chart svg`)),
	))
	bars := count(`document.querySelectorAll('figure.chart a.bar').length`)
	must("screenshot", shot("dyad.png"))
	must("click a bar", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`figure.chart a.bar`))))
	arrive("bar", "2017-")
	must("selected bar", chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`figure.chart a.bar.selected`))))
	if heading := text(`#dyad-events-h`); bars < 1 || !strings.Contains(heading, "in the week of 2017-10-30") {
		t.Errorf("%d bars; after a click the list says %q, want the week of 2017-10-30", bars, heading)
	}

	// The events explorer, and the article at a phone's width.
	must("events", chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/events?a=CHN*&b=KOR*"),
		chromedp.WaitVisible(chromedp.CSS(`table.events`)),
	))
	rows := count(`document.querySelectorAll('table.events tbody tr').length`)
	must("screenshot", shot("events.png"))
	must("phone", chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(ts.URL+"/articles/"+id),
		chromedp.WaitVisible(chromedp.CSS(`.article h1`)),
	))
	must("screenshot", shot("article-phone.png"))
	if rows < 2 {
		t.Errorf("events explorer shows %d CHN–KOR rows", rows)
	}
}
