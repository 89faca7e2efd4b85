package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/bench"
	"github.com/detente/detente/dedup"
	"github.com/detente/detente/ingest"
	"github.com/detente/detente/store/sqlite"
)

// Page rendering speed on a generated store. DETENTE_WEB_BENCH_ARTICLES
// sets its size (default 2,000, so CI's one pass stays quick; the
// workbench's target is 100,000), and DETENTE_WEB_BENCH_DB names an
// existing store to measure instead. Each benchmark reports the p50 and
// p95 server time of its requests.
//
//	DETENTE_WEB_BENCH_ARTICLES=10000 go test -run '^$' -bench . -benchtime 200x ./web
//	DETENTE_WEB_BENCH_DB=/tmp/web-100k.db DETENTE_WEB_BENCH_ARTICLES=100000 go test -run '^$' -bench . -benchtime 200x ./web

var benchCountries = []struct{ name, code string }{
	{"China", "CHN"}, {"South Korea", "KOR"}, {"Japan", "JPN"}, {"Russia", "RUS"}, {"the United States", "USA"},
	{"France", "FRA"}, {"Germany", "DEU"}, {"India", "IND"}, {"Brazil", "BRA"}, {"Turkey", "TUR"},
	{"Iran", "IRN"}, {"Egypt", "EGY"}, {"Kenya", "KEN"}, {"Mexico", "MEX"}, {"Vietnam", "VNM"},
}

var benchVerbs = []struct{ verb, code string }{
	{"held talks with", "040"}, {"agreed to cooperate with", "030"}, {"criticized", "111"},
	{"threatened", "130"}, {"signed a trade agreement with", "057"}, {"sent aid to", "070"},
	{"accused", "112"}, {"hosted a visit by", "042"}, {"imposed sanctions on", "163"}, {"praised", "051"},
}

var benchFiller = strings.Fields("officials said the ministry statement on Tuesday followed weeks of negotiation " +
	"over trade security energy climate and regional stability while analysts expected further meetings " +
	"before the summit later this year diplomats described the talks as frank and constructive")

// generateStore fills a new store with n synthetic articles, each with
// entity annotations and two events between its countries.
func generateStore(tb testing.TB, n int) (*sqlite.DB, []string) {
	tb.Helper()
	db, err := sqlite.Open(filepath.Join(tb.TempDir(), "bench.db"))
	if err != nil {
		tb.Fatal(err)
	}
	h := dedup.NewHasher(dedup.DefaultConfig())
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	outlets := []string{"Wire One", "Daily Two", "Herald Three", "Times Four", "Post Five", "Radio Six"}
	var ids []string
	var batch []detente.PutItem
	flush := func() {
		if _, err := db.PutBatch(context.Background(), batch); err != nil {
			tb.Fatal(err)
		}
		batch = batch[:0]
	}
	for i := range n {
		a, b := benchCountries[rng.IntN(len(benchCountries))], benchCountries[rng.IntN(len(benchCountries))]
		for b.code == a.code {
			b = benchCountries[rng.IntN(len(benchCountries))]
		}
		v1, v2 := benchVerbs[rng.IntN(len(benchVerbs))], benchVerbs[rng.IntN(len(benchVerbs))]
		s1 := fmt.Sprintf("%s %s %s on the %d matter.", a.name, v1.verb, b.name, i)
		s2 := fmt.Sprintf("%s %s %s.", b.name, v2.verb, a.name)
		var filler strings.Builder
		for range 60 + rng.IntN(120) {
			filler.WriteString(benchFiller[rng.IntN(len(benchFiller))])
			filler.WriteByte(' ')
		}
		body := s1 + " " + s2 + "\n" + strings.TrimSpace(filler.String()) + ".\n" + "Report number " + strconv.Itoa(i) + " ends here."
		date := start.AddDate(0, 0, rng.IntN(3*365)).Format("2006-01-02")
		art := &detente.Article{Title: fmt.Sprintf("%s and %s: report %d", a.name, b.name, i), Source: outlets[rng.IntN(len(outlets))],
			URL: fmt.Sprintf("https://news.example/%d", i), Published: date, Language: "en", Body: body, Tags: []string{}}
		art.ID = detente.ArticleID(art)
		ids = append(ids, art.ID)
		sent1, sent2 := runes(body, s1), runes(body, s2)
		ents := []detente.Entity{
			entity(body, a.name, detente.EntityGPE, a.name, a.code, a.code),
		}
		bEnt := entity(body, b.name, detente.EntityGPE, b.name, b.code, b.code)
		ents = append(ents, bEnt)
		ann := &detente.Annotations{Sentences: []detente.Span{sent1, sent2}, Entities: ents}
		evs := []detente.Event{
			{Source: a.code, Target: b.code, CAMEO: v1.code, Date: date, Mentions: []detente.EventMention{
				{ArticleID: art.ID, Sentence: sent1, VerbSpan: runes(body, v1.verb), Explanation: "generated"}}},
			{Source: b.code, Target: a.code, CAMEO: v2.code, Date: date, Mentions: []detente.EventMention{
				{ArticleID: art.ID, Sentence: sent2, VerbSpan: runes(body, v2.verb), Explanation: "generated"}}},
		}
		batch = append(batch, detente.PutItem{Article: art, Fingerprint: h.Fingerprint(body), Annotations: ann, Events: evs})
		if len(batch) == 500 {
			flush()
		}
	}
	flush()
	return db, ids
}

// buildPipelineStore writes n articles recombined from the shared AllSides
// corpus's real paragraphs through the whole pipeline (clean, dedup,
// annotate, code, store) into a new store at path, so the pages are
// measured on real text with the annotations and events the pipeline makes.
func buildPipelineStore(b *testing.B, path string, n int) {
	dir := os.Getenv("DETENTE_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared")
	}
	r, closer, err := ingest.Open(filepath.Join(dir, "corpora", "allsides-intl-5720.jsonl"), ingest.Options{})
	if err != nil {
		b.Skipf("AllSides corpus not found (set DETENTE_SHARED): %v", err)
	}
	var corpus []*detente.Article
	for {
		a, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			continue // a bad record is the corpus's, not the benchmark's
		}
		corpus = append(corpus, a)
	}
	closer.Close()
	rec := bench.NewRecombiner(corpus, 7)
	raw := make([]*detente.Article, n)
	for i := range raw {
		raw[i] = rec.Next()
	}
	k, err := bench.DefaultKnowledge()
	if err != nil {
		b.Fatal(err)
	}
	// Built under another name so that an interrupted build is not
	// measured next time as if it were whole.
	building := path + ".building"
	start := time.Now()
	sum, err := bench.Ingest(context.Background(), building, raw, dedup.NewHasher(dedup.DefaultConfig()), k, runtime.NumCPU())
	if err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(building, path); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %s: %d articles read, %d new, in %s", path, sum.Read, sum.New, time.Since(start).Round(time.Second))
}

// benchArchive opens DETENTE_WEB_BENCH_DB, or generates a store. A
// DETENTE_WEB_BENCH_DB that does not exist yet is built first, with
// DETENTE_WEB_BENCH_ARTICLES articles through the real pipeline, and kept.
func benchArchive(b *testing.B) (detente.Archive, []string) {
	if p := os.Getenv("DETENTE_WEB_BENCH_DB"); p != "" {
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			n, err := strconv.Atoi(os.Getenv("DETENTE_WEB_BENCH_ARTICLES"))
			if err != nil || n < 1 {
				b.Fatalf("%s does not exist; set DETENTE_WEB_BENCH_ARTICLES to build it", p)
			}
			buildPipelineStore(b, p, n)
		}
		db, err := sqlite.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		hits, _, err := db.Search(context.Background(), detente.SearchFilter{Limit: 200})
		if err != nil || len(hits) == 0 {
			b.Fatalf("%s: no articles to open (%v)", p, err)
		}
		var ids []string
		for _, h := range hits {
			ids = append(ids, h.ArticleID)
		}
		return db, ids
	}
	n := 2000
	if s := os.Getenv("DETENTE_WEB_BENCH_ARTICLES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			b.Fatalf("DETENTE_WEB_BENCH_ARTICLES=%q", s)
		}
	}
	db, ids := generateStore(b, n)
	b.Cleanup(func() { db.Close() })
	return db, ids
}

func BenchmarkPages(b *testing.B) {
	archive, ids := benchArchive(b)
	s := newTestServer(b, Config{Archive: archive})
	pages := []struct {
		name string
		url  func(i int) string
	}{
		{"search", func(i int) string {
			return "/search?q=" + []string{"talks", "sanctions+trade", "summit", "%22frank+and+constructive%22", "energy"}[i%5]
		}},
		{"search-filtered", func(i int) string { return "/search?q=talks&from=2017&country=KOR" }},
		{"article", func(i int) string { return "/articles/" + ids[i%len(ids)] }},
		{"events", func(i int) string {
			return []string{"/events", "/events?a=CHN&b=KOR", "/events?root=04&sort=-goldstein", "/events?source=USA&from=2017-01"}[i%4]
		}},
		{"dyad", func(i int) string { return "/dyads/CHN/KOR?bucket=" + []string{"week", "month"}[i%2] }},
		{"actor", func(i int) string { return "/actors/" + []string{"CHN", "USA", "KOR*"}[i%3] }},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			var times []time.Duration
			i := 0
			for b.Loop() {
				r := httptest.NewRequest(http.MethodGet, p.url(i), nil)
				w := httptest.NewRecorder()
				t0 := time.Now()
				s.ServeHTTP(w, r)
				times = append(times, time.Since(t0))
				if w.Code != http.StatusOK {
					b.Fatalf("%s: status %d: %.300s", p.url(i), w.Code, w.Body.String())
				}
				i++
			}
			slices.Sort(times)
			q := func(f float64) float64 {
				return float64(times[min(len(times)-1, int(f*float64(len(times))))].Microseconds()) / 1000
			}
			b.ReportMetric(q(0.50), "p50-ms")
			b.ReportMetric(q(0.95), "p95-ms")
		})
	}
}
