package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/detente/detente"
	"github.com/detente/detente/cameo"
)

// benchEventArticles × benchEventsPer event reports make the benchmark
// store: about 100,000 events after merging.
const (
	benchEventArticles = 25000
	benchEventsPer     = 4
)

var benchActors = func() []string {
	countries := []string{"USA", "CHN", "RUS", "UKR", "KOR", "PRK", "JPN", "IND", "PAK", "IRN", "ISR", "PSE",
		"SYR", "TUR", "DEU", "FRA", "GBR", "BRA", "MEX", "ZAF", "NGA", "EGY", "SAU", "AFG", "IRQ", "VNM", "PHL", "IDN", "AUS", "CAN"}
	var out []string
	for _, c := range countries {
		out = append(out, c, c+"GOV", c+"MIL")
	}
	return append(out, "IGOUNO", "IGOEUREEC", "NGO")
}()

// benchEventItems returns the articles of batch b (256 each), each with
// benchEventsPer events; one in ten reports an event an earlier article
// reported (the same key), so merging is exercised.
func benchEventItems(rng *rand.Rand, codes []cameo.Code, b, n int, past *[]detente.Event) []detente.PutItem {
	body := "The delegation met officials of the other side and the talks went on for hours."
	day0 := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	items := make([]detente.PutItem, 0, n)
	for i := range n {
		id := fmt.Sprintf("ev-%06d", b*256+i)
		a := &detente.Article{ID: id, URL: "https://example.org/" + id, Source: fmt.Sprintf("Outlet %d", rng.IntN(200)), Body: body}
		evs := make([]detente.Event, benchEventsPer)
		for k := range evs {
			var e detente.Event
			if len(*past) > 0 && rng.IntN(10) == 0 {
				e = (*past)[rng.IntN(len(*past))]
			} else {
				e = detente.Event{Source: benchActors[rng.IntN(len(benchActors))], Target: benchActors[rng.IntN(len(benchActors))],
					CAMEO: codes[rng.IntN(len(codes))].Code, Date: day0.AddDate(0, 0, rng.IntN(3*365)).Format("2006-01-02")}
				if rng.IntN(3) == 0 {
					e.Location = &detente.Location{Name: "Somewhere", Country: benchActors[rng.IntN(90)][:3], Lat: 10, Lon: 20}
				}
				*past = append(*past, e)
			}
			e.Mentions = []detente.EventMention{{Sentence: detente.Span{Start: 0, End: 79}, SourceSpan: detente.Span{Start: 4, End: 14},
				VerbSpan: detente.Span{Start: 15, End: 18}, TargetSpan: detente.Span{Start: 19, End: 28}, RootEvent: true,
				Confidence: 0.8, Explanation: "benchmark pattern met → " + e.CAMEO}}
			evs[k] = e
		}
		items = append(items, detente.PutItem{Article: a, Fingerprint: benchFingerprint(id, body+id), Events: evs})
	}
	return items
}

var (
	eventDBOnce sync.Once
	eventDB     *DB
	eventDBErr  error
	eventBuild  time.Duration
)

// benchEventStore builds the ~100,000-event store once per run.
func benchEventStore(b *testing.B) *DB {
	eventDBOnce.Do(func() {
		dir, err := os.MkdirTemp("", "detente-bench-events-")
		if err != nil {
			eventDBErr = err
			return
		}
		cleanups = append(cleanups, func() { os.RemoveAll(dir) })
		db, err := Open(filepath.Join(dir, "events.db"))
		if err != nil {
			eventDBErr = err
			return
		}
		cleanups = append(cleanups, func() { db.Close() })
		rng := rand.New(rand.NewPCG(1, 2))
		codes := cameo.Codes()
		var past []detente.Event
		start := time.Now()
		for bt := 0; bt*256 < benchEventArticles; bt++ {
			items := benchEventItems(rng, codes, bt, min(256, benchEventArticles-bt*256), &past)
			if _, err := db.PutBatch(context.Background(), items); err != nil {
				eventDBErr = err
				return
			}
		}
		eventBuild = time.Since(start)
		eventDB = db
	})
	if eventDBErr != nil {
		b.Fatal(eventDBErr)
	}
	return eventDB
}

// BenchmarkEventStore reports the store it queries: how many events, and
// how long storing them took (per article of benchEventsPer events).
func BenchmarkEventStore(b *testing.B) {
	db := benchEventStore(b)
	for b.Loop() {
	}
	n := count(b, db, "SELECT count(*) FROM events")
	b.ReportMetric(float64(n), "events")
	b.ReportMetric(float64(count(b, db, "SELECT count(*) FROM event_mentions")), "mentions")
	b.ReportMetric(float64(eventBuild.Microseconds())/benchEventArticles, "µs/article-stored")
}

func BenchmarkEvents(b *testing.B) {
	db := benchEventStore(b)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		f    detente.EventFilter
	}{
		{"newest", detente.EventFilter{}},
		{"dyad", detente.EventFilter{Between: [2]string{"CHN*", "USA*"}}},
		{"source", detente.EventFilter{Source: "RUSMIL"}},
		{"code prefix and month", detente.EventFilter{Code: "19*", From: "2023-05", To: "2023-05"}},
		{"country", detente.EventFilter{Country: "UKR"}},
		{"plover by mentions", detente.EventFilter{PLOVER: "CONSULT", Sort: "-mentions"}},
		{"quad page 50", detente.EventFilter{Quad: 4, Offset: 1000}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var total int
			for b.Loop() {
				var err error
				if _, total, err = db.Events(ctx, c.f); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(total), "matches")
		})
	}
}

func BenchmarkDyadTimeline(b *testing.B) {
	db := benchEventStore(b)
	for _, c := range []struct{ name, a, b, bucket string }{
		{"country dyad by week", "CHN*", "USA*", "week"},
		{"exact dyad by day", "RUS", "UKR", "day"},
		{"one actor with all by month", "IRN*", "*", "month"},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := db.DyadTimeline(context.Background(), c.a, c.b, c.bucket, "", ""); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkActorSummary(b *testing.B) {
	db := benchEventStore(b)
	for _, code := range []string{"CHN*", "RUSMIL"} {
		b.Run(code, func(b *testing.B) {
			for b.Loop() {
				if _, err := db.ActorSummary(context.Background(), code); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEachEvent streams every event with its mentions, as a full
// export does.
func BenchmarkEachEvent(b *testing.B) {
	db := benchEventStore(b)
	n := 0
	for b.Loop() {
		n = 0
		if err := db.EachEvent(context.Background(), detente.EventFilter{Sort: "first_seen"}, true, func(*detente.StoredEvent) error {
			n++
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "events")
}
