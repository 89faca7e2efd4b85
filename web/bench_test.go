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
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/bench"
	"github.com/detente/detente/clean"
	"github.com/detente/detente/dedup"
	"github.com/detente/detente/ingest"
	"github.com/detente/detente/store/sqlite"

	"github.com/detente/detente/internal/shareddata"
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

// buildRecombinedStore writes n new articles made of the shared AllSides
// corpus's real paragraphs into a new store at path, with the annotations
// and events the real annotator and coder give them. Running the whole
// pipeline per new article costs about 20 ms of CPU each (over an hour for
// 100,000 on a loaded machine), so each corpus article is annotated and
// coded once, as a whole, and a new article takes its paragraphs' entities,
// times, quotes, sentences and events with their offsets moved: the text,
// names and events are real news, their mix per article is new (as
// bench.Recombiner mixes them). Events dated by their article's
// publication take the new article's date.
func buildRecombinedStore(b *testing.B, path string, n int) {
	r, closer, err := ingest.Open(shareddata.Path("corpora", "allsides-intl-5720.jsonl"), ingest.Options{})
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
		corpus = append(corpus, clean.Article(a))
	}
	closer.Close()
	k, err := bench.DefaultKnowledge()
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	anns := make([]*detente.Annotations, len(corpus))
	paras := make([][]annotatedParagraph, len(corpus))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.NumCPU() {
		wg.Go(func() {
			for i := range next {
				anns[i] = k.Annotate(corpus[i])
				paras[i] = splitAnnotated(corpus[i], anns[i], k.Code(corpus[i], anns[i]))
			}
		})
	}
	for i := range corpus {
		next <- i
	}
	close(next)
	wg.Wait()
	var pool []annotatedParagraph
	var counts []int
	for _, ps := range paras {
		if len(ps) > 0 {
			pool = append(pool, ps...)
			counts = append(counts, len(ps))
		}
	}
	b.Logf("annotated %d corpus articles (%d paragraphs) in %s", len(corpus), len(pool), time.Since(start).Round(time.Second))

	building := path + ".building" // an interrupted build is not measured as whole
	db, err := sqlite.Open(building)
	if err != nil {
		b.Fatal(err)
	}
	h := dedup.NewHasher(dedup.DefaultConfig())
	rng := rand.New(rand.NewPCG(7, 11))
	day0 := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	var batch []detente.PutItem
	for i := range n {
		ti := rng.IntN(len(corpus))
		for len(paras[ti]) == 0 {
			ti = rng.IntN(len(corpus))
		}
		t := corpus[ti]
		date := day0.AddDate(0, 0, rng.IntN(3650)).Format("2006-01-02")
		a := &detente.Article{URL: fmt.Sprintf("https://bench.invalid/%d", i), Source: t.Source, Title: t.Title,
			Published: date, Language: t.Language}
		ann := &detente.Annotations{Title: anns[ti].Title, Sentences: []detente.Span{}, Entities: []detente.Entity{},
			Times: []detente.TimeExpr{}, Quotes: []detente.Quote{}, Acronyms: []detente.Acronym{}}
		var body strings.Builder
		var evs []detente.Event
		off := 0
		for j := range counts[rng.IntN(len(counts))] {
			p := pool[rng.IntN(len(pool))]
			if j > 0 {
				body.WriteString("\n\n")
				off += 2
			}
			body.WriteString(p.text)
			for _, s := range p.sentences {
				ann.Sentences = append(ann.Sentences, detente.Span{Start: s.Start + off, End: s.End + off})
			}
			for _, e := range p.entities {
				e.Start, e.End = e.Start+off, e.End+off
				ann.Entities = append(ann.Entities, e)
			}
			for _, x := range p.times {
				x.Start, x.End = x.Start+off, x.End+off
				ann.Times = append(ann.Times, x)
			}
			for _, q := range p.quotes {
				q.Start, q.End = q.Start+off, q.End+off
				ann.Quotes = append(ann.Quotes, q)
			}
			for _, e := range p.events {
				e.ID = ""
				if e.Date == p.published {
					e.Date = date
				}
				ms := make([]detente.EventMention, len(e.Mentions))
				for m, mn := range e.Mentions {
					for _, sp := range []*detente.Span{&mn.Sentence, &mn.SourceSpan, &mn.TargetSpan, &mn.VerbSpan} {
						if sp.End > 0 {
							sp.Start, sp.End = sp.Start+off, sp.End+off
						}
					}
					ms[m] = mn
				}
				e.Mentions = ms
				evs = append(evs, e)
			}
			off += p.runes
		}
		a.Body = body.String()
		a.ID = detente.ArticleID(a)
		for e := range evs {
			for m := range evs[e].Mentions {
				evs[e].Mentions[m].ArticleID = a.ID
			}
		}
		if evs == nil {
			evs = []detente.Event{}
		}
		batch = append(batch, detente.PutItem{Article: a, Fingerprint: h.Fingerprint(a.Body), Annotations: ann, Events: evs})
		if len(batch) == 256 || i == n-1 {
			if _, err := db.PutBatch(context.Background(), batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(building, path); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %s: %d articles in %s", path, n, time.Since(start).Round(time.Second))
}

// annotatedParagraph is one paragraph of an annotated, coded article, its
// offsets counted from the paragraph's start.
type annotatedParagraph struct {
	text      string
	runes     int
	published string
	sentences []detente.Span
	entities  []detente.Entity
	times     []detente.TimeExpr
	quotes    []detente.Quote
	events    []detente.Event // each with only its mentions in this paragraph
}

// splitAnnotated cuts an article into its lines of more than 40
// characters, each with the annotations and event mentions wholly inside
// it.
func splitAnnotated(a *detente.Article, ann *detente.Annotations, evs []detente.Event) []annotatedParagraph {
	rs := []rune(a.Body)
	var out []annotatedParagraph
	for start := 0; start < len(rs); {
		end := start
		for end < len(rs) && rs[end] != '\n' {
			end++
		}
		if end-start > 40 && ann != nil {
			inside := func(s, e int) bool { return s >= start && e <= end }
			p := annotatedParagraph{text: string(rs[start:end]), runes: end - start, published: a.Published}
			for _, s := range ann.Sentences {
				if inside(s.Start, s.End) {
					p.sentences = append(p.sentences, detente.Span{Start: s.Start - start, End: s.End - start})
				}
			}
			for _, e := range ann.Entities {
				if inside(e.Start, e.End) {
					e.Start, e.End = e.Start-start, e.End-start
					p.entities = append(p.entities, e)
				}
			}
			for _, x := range ann.Times {
				if inside(x.Start, x.End) {
					x.Start, x.End = x.Start-start, x.End-start
					p.times = append(p.times, x)
				}
			}
			for _, q := range ann.Quotes {
				if inside(q.Start, q.End) {
					q.Start, q.End = q.Start-start, q.End-start
					p.quotes = append(p.quotes, q)
				}
			}
			for _, e := range evs {
				var ms []detente.EventMention
				for _, mn := range e.Mentions {
					if !inside(mn.Sentence.Start, mn.Sentence.End) {
						continue
					}
					for _, sp := range []*detente.Span{&mn.Sentence, &mn.SourceSpan, &mn.TargetSpan, &mn.VerbSpan} {
						switch {
						case sp.End > 0 && inside(sp.Start, sp.End):
							sp.Start, sp.End = sp.Start-start, sp.End-start
						case sp.End > 0: // a span in another paragraph: unknown here
							*sp = detente.Span{}
						}
					}
					ms = append(ms, mn)
				}
				if len(ms) > 0 {
					e.Mentions = ms
					p.events = append(p.events, e)
				}
			}
			out = append(out, p)
		}
		start = end + 1
	}
	return out
}

// benchArchive opens DETENTE_WEB_BENCH_DB, or generates a store. A
// DETENTE_WEB_BENCH_DB that does not exist yet is built first, with
// DETENTE_WEB_BENCH_ARTICLES articles recombined from the AllSides corpus
// with real annotations and events (see buildRecombinedStore), and kept.
func benchArchive(b *testing.B) (detente.Archive, []string) {
	if p := os.Getenv("DETENTE_WEB_BENCH_DB"); p != "" {
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			n, err := strconv.Atoi(os.Getenv("DETENTE_WEB_BENCH_ARTICLES"))
			if err != nil || n < 1 {
				b.Fatalf("%s does not exist; set DETENTE_WEB_BENCH_ARTICLES to build it", p)
			}
			buildRecombinedStore(b, p, n)
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
			reportPercentiles(b, times, 0.50, 0.95)
		})
	}
}

// BenchmarkAPISearch times GET /api/search for 1-, 2- and 3-term queries
// made of words from the store's own titles (as bench.QueryWords picks
// them), and reports p50, p95 and p99 server time per term count.
func BenchmarkAPISearch(b *testing.B) {
	archive, _ := benchArchive(b)
	s := newTestServer(b, Config{Archive: archive})
	hits, _, err := archive.Search(context.Background(), detente.SearchFilter{Limit: 1000})
	if err != nil {
		b.Fatal(err)
	}
	titles := make([]string, len(hits))
	for i, h := range hits {
		titles[i] = h.Title
	}
	words := bench.QueryWords(titles, 200)
	if len(words) == 0 {
		b.Fatal("no titles with three words to query")
	}
	for terms := 1; terms <= 3; terms++ {
		b.Run(fmt.Sprintf("%dterm", terms), func(b *testing.B) {
			var times []time.Duration
			i := 0
			for b.Loop() {
				q := url.QueryEscape(strings.Join(words[i%len(words)][:terms], " "))
				r := httptest.NewRequest(http.MethodGet, "/api/search?q="+q, nil)
				w := httptest.NewRecorder()
				t0 := time.Now()
				s.ServeHTTP(w, r)
				times = append(times, time.Since(t0))
				if w.Code != http.StatusOK {
					b.Fatalf("%s: status %d", q, w.Code)
				}
				i++
			}
			reportPercentiles(b, times, 0.50, 0.95, 0.99)
		})
	}
}

// reportPercentiles reports the given percentiles of times in ms.
func reportPercentiles(b *testing.B, times []time.Duration, ps ...float64) {
	slices.Sort(times)
	for _, p := range ps {
		v := times[min(len(times)-1, int(p*float64(len(times))))]
		b.ReportMetric(float64(v.Microseconds())/1000, fmt.Sprintf("p%.0f-ms", p*100))
	}
}
