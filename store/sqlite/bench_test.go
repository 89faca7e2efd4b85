package sqlite

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/detente/detente"

	"github.com/detente/detente/internal/shareddata"
)

// sharedDir is the shared data folder.
func sharedDir() string { return shareddata.Dir() }

var (
	corpusOnce sync.Once
	corpus     []*detente.Article
	corpusFrom string
)

// benchCorpus returns real articles from the AllSides corpus when the
// shared data is present, else synthetic ones.
func benchCorpus(b *testing.B) []*detente.Article {
	corpusOnce.Do(func() {
		if d := sharedDir(); d != "" {
			path := filepath.Join(d, "corpora", "allsides-intl-5720.jsonl")
			if f, err := os.Open(path); err == nil {
				defer f.Close()
				sc := bufio.NewScanner(f)
				sc.Buffer(make([]byte, 1<<20), 16<<20)
				for sc.Scan() {
					var a detente.Article
					if json.Unmarshal(sc.Bytes(), &a) == nil && a.ID != "" {
						corpus = append(corpus, &a)
					}
				}
				corpusFrom = path
			}
		}
		if len(corpus) == 0 {
			corpusFrom = "synthetic"
			words := strings.Fields("iran sanctions talks security council missile trade china russia " +
				"ukraine syria refugees election minister summit treaty nuclear border ceasefire envoy")
			for i := range 5000 {
				var sb strings.Builder
				for w := range 400 {
					sb.WriteString(words[(i*7+w*w)%len(words)])
					sb.WriteByte(' ')
				}
				corpus = append(corpus, &detente.Article{ID: fmt.Sprintf("syn-%d", i),
					Title: words[i%len(words)] + " " + words[(i/3)%len(words)], Source: fmt.Sprintf("Outlet %d", i%50),
					Published: fmt.Sprintf("20%02d-%02d-%02d", 10+i%10, 1+i%12, 1+i%28), Body: sb.String()})
			}
		}
	})
	b.Logf("corpus: %d articles from %s", len(corpus), corpusFrom)
	return corpus
}

// benchFingerprint is shaped like a real one: a 128-value signature and
// 32 band keys.
func benchFingerprint(id, body string) detente.Fingerprint {
	h := sha256.Sum256([]byte(body))
	fp := detente.Fingerprint{Exact: hex.EncodeToString(h[:]), Signature: make([]uint32, 128), Bands: make([]uint64, 32)}
	seed := sha256.Sum256([]byte(id))
	x := binary.LittleEndian.Uint64(seed[:])
	for i := range fp.Signature {
		x = x*6364136223846793005 + 1442695040888963407
		fp.Signature[i] = uint32(x >> 32)
	}
	for i := range fp.Bands {
		x = x*6364136223846793005 + 1442695040888963407
		fp.Bands[i] = x
	}
	return fp
}

// benchItem is corpus article i, renamed so repeats are new articles.
func benchItem(c []*detente.Article, i int) detente.PutItem {
	a := *c[i%len(c)]
	a.ID = fmt.Sprintf("%s#%d", a.ID, i)
	return detente.PutItem{Article: &a, Fingerprint: benchFingerprint(a.ID, a.Body)}
}

func BenchmarkPutArticle(b *testing.B) {
	c := benchCorpus(b)
	db := openTemp(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		it := benchItem(c, i)
		if _, err := db.PutArticle(ctx, it.Article, it.Fingerprint, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

func BenchmarkPutBatch(b *testing.B) {
	const size = 256
	c := benchCorpus(b)
	db := openTemp(b)
	ctx := context.Background()
	n := 0
	for b.Loop() {
		items := make([]detente.PutItem, size)
		for k := range items {
			items[k] = benchItem(c, n)
			n++
		}
		if _, err := db.PutBatch(ctx, items); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "articles/s")
}

// benchAnnotations annotates a body the way a news article's annotations
// look in bulk: entities (30 by default) on word spans spread through
// the body, names drawn with a skew so a few are in many articles, a
// third of them places with coordinates, and a few times and quotes.
func benchAnnotations(id, body string, entities int) *detente.Annotations {
	var words []detente.Span
	start := -1
	i := 0
	for _, r := range body {
		letter := r != ' ' && r != '\n'
		if letter && start < 0 {
			start = i
		} else if !letter && start >= 0 {
			words = append(words, detente.Span{Start: start, End: i})
			start = -1
		}
		i++
	}
	if start >= 0 {
		words = append(words, detente.Span{Start: start, End: i})
	}
	seed := sha256.Sum256([]byte(id))
	x := binary.LittleEndian.Uint64(seed[:])
	next := func() float64 {
		x = x*6364136223846793005 + 1442695040888963407
		return float64(x>>11) / (1 << 53)
	}
	countries := strings.Fields("USA CHN RUS IRN PRK KOR SYR UKR GBR FRA DEU ISR TUR IND PAK JPN SAU AFG IRQ EGY")
	sectors := strings.Fields("GOV MIL LEG OPP CVL MED BUS JUD REB")
	types := []string{detente.EntityPerson, detente.EntityOrg, detente.EntityGPE, detente.EntityNORP, detente.EntityLoc}
	ann := &detente.Annotations{}
	if len(words) == 0 {
		return ann
	}
	runes := []rune(body)
	for k := range entities {
		w := words[(k*len(words))/entities]
		n := int(500 * next() * next() * next()) // skewed toward small n
		c := countries[n%len(countries)]
		e := detente.Entity{Text: string(runes[w.Start:w.End]), Start: w.Start, End: w.End,
			Type: types[n%len(types)], Canonical: fmt.Sprintf("Entity %d", n), Country: c, Source: "kb"}
		if n%2 == 0 {
			e.Actor = c + sectors[n%len(sectors)]
		}
		if e.Type == detente.EntityGPE {
			lat, lon := next()*180-90, next()*360-180
			e.Lat, e.Lon = &lat, &lon
		}
		ann.Entities = append(ann.Entities, e)
	}
	for k := range 5 {
		w := words[(k*len(words))/5]
		ann.Times = append(ann.Times, detente.TimeExpr{Text: string(runes[w.Start:w.End]), Start: w.Start, End: w.End,
			Value: fmt.Sprintf("2017-%02d-%02d", 1+k, 1+int(next()*28)), Type: "DATE"})
	}
	for k := range 3 {
		w := words[(k*len(words))/3]
		ann.Quotes = append(ann.Quotes, detente.Quote{Text: string(runes[w.Start:w.End]), Start: w.Start, End: w.End,
			Speaker: fmt.Sprintf("Entity %d", k), Actor: "USAGOV"})
	}
	for k := 0; k < len(words); k += 20 {
		ann.Sentences = append(ann.Sentences, detente.Span{Start: words[k].Start, End: words[min(k+19, len(words)-1)].End})
	}
	return ann
}

func BenchmarkPutBatchAnnotated(b *testing.B) {
	const size = 256
	c := benchCorpus(b)
	db := openTemp(b)
	ctx := context.Background()
	n, ents := 0, 0
	for b.Loop() {
		items := make([]detente.PutItem, size)
		for k := range items {
			items[k] = benchItem(c, n)
			items[k].Annotations = benchAnnotations(items[k].Article.ID, items[k].Article.Body, 30)
			ents += len(items[k].Annotations.Entities)
			n++
		}
		if _, err := db.PutBatch(ctx, items); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "articles/s")
	b.ReportMetric(float64(ents)/b.Elapsed().Seconds(), "entities/s")
}

var (
	searchDBOnce sync.Once
	searchDB     *DB
	searchDBErr  error
)

// benchSearchStore is a store of up to 5,000 corpus articles, annotated
// with 30 entities each, built once per run and removed when the package's tests end.
func benchSearchStore(b *testing.B) *DB {
	c := benchCorpus(b)
	searchDBOnce.Do(func() {
		dir, err := os.MkdirTemp("", "detente-bench-")
		if err != nil {
			searchDBErr = err
			return
		}
		cleanups = append(cleanups, func() { os.RemoveAll(dir) })
		db, err := Open(filepath.Join(dir, "search.db"))
		if err != nil {
			searchDBErr = err
			return
		}
		cleanups = append(cleanups, func() { db.Close() })
		n := min(len(c), 5000)
		for from := 0; from < n; from += 256 {
			var items []detente.PutItem
			for i := from; i < min(from+256, n); i++ {
				items = append(items, detente.PutItem{Article: c[i], Fingerprint: benchFingerprint(c[i].ID, c[i].Body),
					Annotations: benchAnnotations(c[i].ID, c[i].Body, 30)})
			}
			if _, err := db.PutBatch(context.Background(), items); err != nil {
				searchDBErr = err
				return
			}
		}
		searchDB = db
	})
	if searchDBErr != nil {
		b.Fatal(searchDBErr)
	}
	return searchDB
}

// cleanups run after the package's tests and benchmarks.
var cleanups []func()

func BenchmarkSearch(b *testing.B) {
	db := benchSearchStore(b)
	ctx := context.Background()
	filters := []detente.SearchFilter{
		{Query: "iran sanctions"},
		{Query: "north korea missile"},
		{Query: `"security council"`},
		{Query: "russia*"},
		{Query: "syria refugees", From: "2016-01-01"},
		{Query: "china trade", Source: "Reuters"},
		{Query: "ceasefire"},
		{Source: "CNN (Web News)"},
	}
	var hits int
	i := 0
	for b.Loop() {
		h, _, err := db.Search(ctx, filters[i%len(filters)])
		if err != nil {
			b.Fatal(err)
		}
		hits += len(h)
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/search")
	b.ReportMetric(float64(hits)/float64(b.N), "hits/search")
}

func BenchmarkSearchEntity(b *testing.B) {
	db := benchSearchStore(b)
	ctx := context.Background()
	filters := []detente.SearchFilter{
		{Entity: "Entity 0"},   // in most articles
		{Entity: "entity 250"}, // in few
		{Entity: "USAGOV"},
		{Country: "PRK"},
		{Query: "iran sanctions", Entity: "Entity 3"},
		{Query: "russia*", Country: "RUS", From: "2016-01-01"},
		{Entity: "Entity 7", Source: "Reuters"},
		{Entity: "Nobody at all"},
	}
	var hits int
	i := 0
	for b.Loop() {
		h, _, err := db.Search(ctx, filters[i%len(filters)])
		if err != nil {
			b.Fatal(err)
		}
		hits += len(h)
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/search")
	b.ReportMetric(float64(hits)/float64(b.N), "hits/search")
}

func BenchmarkTopEntities(b *testing.B) {
	db := benchSearchStore(b)
	ctx := context.Background()
	filters := []detente.SearchFilter{
		{Query: "iran sanctions"},
		{Query: "north korea missile"},
		{Country: "PRK"},
		{Source: "CNN (Web News)"},
	}
	i := 0
	for b.Loop() {
		if _, err := db.TopEntities(ctx, filters[i%len(filters)], 10); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/facet")
}

func BenchmarkNearCandidates(b *testing.B) {
	db := benchSearchStore(b)
	c := benchCorpus(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		a := c[i%min(len(c), 5000)]
		got, err := db.NearCandidates(ctx, benchFingerprint(a.ID, a.Body).Bands)
		if err != nil || len(got) == 0 {
			b.Fatalf("NearCandidates(%s) = %d, %v; want itself", a.ID, len(got), err)
		}
		i++
	}
}
