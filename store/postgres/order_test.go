package postgres_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/store/sqlite"
)

// Reports stored out of input order, with their input positions, leave
// an event as a single process storing in input order leaves it: the
// mode and negation of its first report, the location of the earliest
// report with one.
func TestOrderedPutsKeepTheFirstReportInInputOrder(t *testing.T) {
	ctx := context.Background()
	body := "France and Germany agreed to meet again soon."
	item := func(id, mode string, negated bool, loc *detente.Location) detente.PutItem {
		return detente.PutItem{Article: &detente.Article{ID: id, Source: "Outlet " + id, Body: body},
			Fingerprint: detente.Fingerprint{Exact: id},
			Events: []detente.Event{{Source: "FRA", Target: "DEU", CAMEO: "036", Date: "2024-02-01", Mode: mode,
				Negated: negated, Location: loc, Mentions: []detente.EventMention{{ArticleID: id, VerbSpan: detente.Span{Start: 19, End: 25}}}}}}
	}
	paris := &detente.Location{Name: "Paris", Country: "FRA", Lat: 48.85, Lon: 2.35}
	berlin := &detente.Location{Name: "Berlin", Country: "DEU", Lat: 52.52, Lon: 13.4}
	input := []detente.PutItem{item("a", "", false, nil), item("b", "intend", true, paris), item("c", "future", false, berlin)}

	ref, err := sqlite.Open(filepath.Join(t.TempDir(), "ref.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	for _, it := range input {
		if _, err := ref.PutBatch(ctx, []detente.PutItem{it}); err != nil {
			t.Fatal(err)
		}
	}
	db := openTest(t)
	for _, i := range []int{2, 0, 1} { // c, a, b
		if _, err := db.PutBatchOrdered(ctx, []detente.PutItem{input[i]}, []int64{int64(100 + i)}); err != nil {
			t.Fatal(err)
		}
	}
	want, _, _ := ref.Events(ctx, detente.EventFilter{})
	got, _, _ := db.Events(ctx, detente.EventFilter{})
	if len(got) != 1 || len(want) != 1 {
		t.Fatalf("events: %d and %d; want one each", len(got), len(want))
	}
	w, g := want[0], got[0]
	if g.Mode != "" || g.Negated || g.Location == nil || g.Location.Name != "Paris" || g.NumMentions != 3 {
		t.Errorf("event = mode %q negated %v location %+v, %d mentions; want a's mode, b's location (Paris), 3 mentions",
			g.Mode, g.Negated, g.Location, g.NumMentions)
	}
	if g.Mode != w.Mode || g.Negated != w.Negated || *g.Location != *w.Location {
		t.Errorf("event differs from SQLite's in input order: %+v vs %+v", g, w)
	}
}
