package sqlite

import (
	"context"
	"testing"

	"github.com/detente/detente"
)

func TestArticleEventsAreTheEventsItReported(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	// Articles 0 and 84 share a publication day, so they report the same
	// event; article 1 reports another.
	items := generatedItems("ae", 0, 85)
	for i := range items {
		items[i].Annotations = genAnnotations(items[i].Article)
		items[i].Events = genEvents(items[i].Article)
	}
	if _, err := db.PutBatch(ctx, items); err != nil {
		t.Fatal(err)
	}
	a0, a1, a12 := items[0].Article, items[1].Article, items[84].Article
	if a0.Published != a12.Published || a0.Published == a1.Published {
		t.Fatalf("fixture dates changed: %s %s %s", a0.Published, a1.Published, a12.Published)
	}
	evs, err := detente.ArticleEvents(ctx, db, a0.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Date != a0.Published || evs[0].NumArticles != 2 || len(evs[0].Reports) != 2 {
		t.Fatalf("ArticleEvents(%s) = %d events %+v, want the one event it shares with %s", a0.ID, len(evs), evs, a12.ID)
	}
	for _, id := range []string{a1.ID, a12.ID} {
		got, err := detente.ArticleEvents(ctx, db, id)
		if err != nil || len(got) != 1 {
			t.Fatalf("ArticleEvents(%s) = %d events, %v; want 1", id, len(got), err)
		}
	}
	if got, _ := detente.ArticleEvents(ctx, db, "no-such-article"); len(got) != 0 {
		t.Errorf("an unknown article reported %d events", len(got))
	}
	_, total, err := db.Events(ctx, detente.EventFilter{ArticleID: a1.ID})
	if err != nil || total != 1 {
		t.Errorf("Events with ArticleID %s: total %d, %v; want 1", a1.ID, total, err)
	}
	// A copy reports its story's events under its own ID.
	cp := &detente.Article{ID: "ae-copy", Source: "Other Wire", Published: a1.Published, Body: a1.Body}
	mustPut(t, db, cp, fingerprint(cp.Body), &detente.Duplicate{Of: a1.ID, Kind: detente.CopyExact, Similarity: 1})
	got, err := detente.ArticleEvents(ctx, db, cp.ID)
	if err != nil || len(got) != 1 || len(got[0].Reports) != 2 {
		t.Errorf("ArticleEvents of a copy = %d events, %v; want its story's one, reported twice", len(got), err)
	}
}
